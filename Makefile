# Two commands do all set-up on a fresh machine with Python 3.11, make and git:
#   make book   builds the eindrapportage on the bundled demo data
#   make test   runs the whole test suite (make test-snel: the fast tier, about a minute)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STEMPEL := $(VENV)/.geinstalleerd

NPM_STEMPEL := node_modules/.geinstalleerd

.PHONY: book test test-snel lock clean hooks browser-pakketten druk-pakketten

$(STEMPEL): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 nodig, gevonden: " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STEMPEL)

book: $(STEMPEL) druk-pakketten
	$(BIN)/vwanalyse build

test: $(STEMPEL) $(NPM_STEMPEL) browser-pakketten druk-pakketten
	$(BIN)/python -m pytest

# The fast tier: everything but the end-to-end tests marked `traag` (book build, browser, PDF).
test-snel: $(STEMPEL)
	$(BIN)/python -m pytest -m "not traag"

# Node packages of the browser test (playwright-core, axe-core), exactly as in package-lock.json.
# Without node/npm (and not root) the browser tests skip.
$(NPM_STEMPEL): package.json package-lock.json
	@if command -v npm >/dev/null; then \
		PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund && touch $(NPM_STEMPEL); \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq nodejs npm && \
		PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund && touch $(NPM_STEMPEL); \
	else \
		echo "let op: npm ontbreekt en we zijn geen root; de browsertests worden overgeslagen"; \
	fi

# Debian's Chromium for the browser test and poppler-utils for the PDF; installed when missing
# and we are root, otherwise a notice (the browser tests then skip).
browser-pakketten:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v pdftoppm >/dev/null; then \
		:; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq chromium chromium-driver poppler-utils; \
	else \
		echo "let op: chromium, chromium-driver of poppler-utils ontbreekt; installeer ze als root (apt-get install chromium chromium-driver poppler-utils); de browsertests worden overgeslagen"; \
	fi

# Debian's pango (WeasyPrint prints the factsheet PDFs of every build with it), the DejaVu fonts and
# poppler (the site index fingerprints each PDF by its rendered pages); installed when missing and we
# are root, otherwise a notice (the build then stops at the PDFs).
druk-pakketten:
	@if ldconfig -p | grep -q 'libpangoft2-1.0.so.0' && fc-list 2>/dev/null | grep -qi 'DejaVuSans' && command -v pdftoppm >/dev/null; then \
		:; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fontconfig poppler-utils; \
	else \
		echo "let op: pango, de DejaVu-lettertypen of poppler-utils ontbreken; installeer ze als root (apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils); zonder kan de build de factsheets niet als PDF drukken"; \
	fi

# Regenerate requirements.lock and environment.yml from pyproject.toml in a clean environment.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check .
	.venv-lock/bin/python -m pip freeze --exclude vwanalyse | sort -f > requirements.lock
	.venv-lock/bin/python -m vwanalyse.controle.omgeving requirements.lock > environment.yml
	rm -rf .venv-lock

clean:
	rm -rf _build book/gegenereerd book/wijken book/bijlagen book/uitvoer

# Publishing. The PDF and the HTML archive always come from a fresh `vwanalyse build` (a no-op when
# nothing changed); `make pdf` needs Chromium (Debian: apt-get install chromium).
.PHONY: pdf archief

pdf: $(STEMPEL) druk-pakketten browser-pakketten
	$(BIN)/vwanalyse build
	$(BIN)/vwanalyse pdf

archief: $(STEMPEL)
	$(BIN)/vwanalyse build
	$(BIN)/vwanalyse archief

# Install the commit guard (vwanalyse/controle/bewaking.py) as a plain git pre-commit hook.
hooks:
	@hook="$$(git rev-parse --git-path hooks)/pre-commit"; mkdir -p "$$(dirname "$$hook")"; \
	printf '%s\n' '#!/bin/sh' '# commit guard of vwanalyse (make hooks)' \
		'py=.venv/bin/python; [ -x "$$py" ] || py=python3' 'exec "$$py" -m vwanalyse.controle.bewaking --staged' > "$$hook"; \
	chmod +x "$$hook"; echo "pre-commit hook geinstalleerd: $$hook"
