# Two commands do all set-up on a fresh machine with Python 3.11, make and git:
#   make book   builds the eindrapportage on the bundled demo data
#   make test   runs the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STEMPEL := $(VENV)/.geinstalleerd

.PHONY: book test lock clean hooks

$(STEMPEL): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 nodig, gevonden: " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STEMPEL)

book: $(STEMPEL)
	$(BIN)/vwanalyse build

test: $(STEMPEL)
	$(BIN)/python -m pytest

# Regenerate requirements.lock and environment.yml from pyproject.toml in a clean environment.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check .
	.venv-lock/bin/python -m pip freeze --exclude vwanalyse | sort -f > requirements.lock
	.venv-lock/bin/python -m vwanalyse.omgeving requirements.lock > environment.yml
	rm -rf .venv-lock

clean:
	rm -rf _build book/gegenereerd book/wijken book/bijlagen book/uitvoer

# Publishing. The PDF and the HTML archive always come from a fresh `vwanalyse build` (a no-op when
# nothing changed); `make pdf` needs Chromium (Debian: apt-get install chromium).
.PHONY: pdf archief

pdf: $(STEMPEL)
	$(BIN)/vwanalyse build
	$(BIN)/python -m vwanalyse.publicatie pdf

archief: $(STEMPEL)
	$(BIN)/vwanalyse build
	$(BIN)/python -m vwanalyse.publicatie archief

# Install the commit guard (vwanalyse/bewaking.py) as a plain git pre-commit hook.
hooks:
	@hook="$$(git rev-parse --git-path hooks)/pre-commit"; mkdir -p "$$(dirname "$$hook")"; \
	printf '%s\n' '#!/bin/sh' '# commit guard of vwanalyse (make hooks)' \
		'py=.venv/bin/python; [ -x "$$py" ] || py=python3' 'exec "$$py" -m vwanalyse.bewaking --staged' > "$$hook"; \
	chmod +x "$$hook"; echo "pre-commit hook geinstalleerd: $$hook"
