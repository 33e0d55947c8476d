"""requirements.lock and environment.yml pin the same versions, and pyproject's deps are pinned."""

import re
import tomllib

from vwanalyse.configuratie import PROJECT_MAP
from vwanalyse.omgeving import environment_yml, lees_lock, pins_uit_environment


def test_environment_yml_en_lock_gelijk():
    lock = lees_lock(PROJECT_MAP / "requirements.lock")
    env = pins_uit_environment(PROJECT_MAP / "environment.yml")
    assert env == lock, "run `make lock`: environment.yml and requirements.lock disagree"
    assert (PROJECT_MAP / "environment.yml").read_text(encoding="utf-8") == environment_yml(lock)


def test_elke_afhankelijkheid_gepind():
    lock = lees_lock(PROJECT_MAP / "requirements.lock")
    pyproject = tomllib.loads((PROJECT_MAP / "pyproject.toml").read_text(encoding="utf-8"))
    for dep in pyproject["project"]["dependencies"]:
        naam = re.split(r"[<>=!~\[ ]", dep, maxsplit=1)[0].lower().replace("_", "-")
        assert naam in lock, f"{naam} is in pyproject.toml but not pinned in requirements.lock"
    assert lock["jupyter-book"] == "1.0.4.post1"
