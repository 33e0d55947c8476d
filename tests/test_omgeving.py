from pathlib import Path
"""requirements.lock and environment.yml pin the same versions, and pyproject's deps are pinned."""

import re
import tomllib

from vwanalyse.controle.omgeving import environment_yml, lees_lock, pins_uit_environment

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to


def test_environment_yml_en_lock_gelijk():
    lock = lees_lock(ROOT / "requirements.lock")
    env = pins_uit_environment(ROOT / "environment.yml")
    assert env == lock, "run `make lock`: environment.yml and requirements.lock disagree"
    assert (ROOT / "environment.yml").read_text(encoding="utf-8") == environment_yml(lock)


def test_elke_afhankelijkheid_gepind():
    lock = lees_lock(ROOT / "requirements.lock")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for dep in pyproject["project"]["dependencies"]:
        naam = re.split(r"[<>=!~\[ ]", dep, maxsplit=1)[0].lower().replace("_", "-")
        assert naam in lock, f"{naam} is in pyproject.toml but not pinned in requirements.lock"
    assert lock["jupyter-book"] == "1.0.4.post1"
