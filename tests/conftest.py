from pathlib import Path

import pytest

from vwanalyse.basis.project import Project
from vwanalyse.model.configuratie import laad_configuratie

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def project() -> Project:
    """This checkout as a project: data/config and the demo data (whatever $VWANALYSE_DATA says)."""
    return Project.maak(ROOT, ROOT / "data" / "config", ROOT / "data" / "demo")


@pytest.fixture(scope="session")
def config(project):
    return laad_configuratie(project.config_map)


@pytest.fixture(scope="session")
def shared_reference() -> Path:
    """../shared/reference (real public files); tests using it skip when it is absent."""
    pad = SHARED / "reference"
    if not pad.is_dir():
        pytest.skip("../shared/reference is not available")
    return pad


@pytest.fixture(scope="session")
def demo_gegevens(config, project):
    from vwanalyse.invoer.bronnen import laad_gegevens

    return laad_gegevens(project.demo_map, config)


@pytest.fixture(scope="session")
def demo_resultaten(config, demo_gegevens):
    from vwanalyse.resultaten.berekening import bereken_resultaten

    return bereken_resultaten(config, demo_gegevens)


@pytest.fixture(scope="session")
def demo_rapport(tmp_path_factory, demo_resultaten, demo_gegevens, config):
    """The demo's results folder as a notebook reads it (rapport.laad), written once."""
    from vwanalyse import rapport
    from vwanalyse.resultaten import opslag

    map_ = tmp_path_factory.mktemp("resultaten")
    opslag.schrijf(map_, demo_resultaten, demo_gegevens, config)
    return rapport.laad(map_, config=config)


@pytest.fixture(scope="session")
def gebouwd_boek(project) -> Path:
    """The book built once per test session with `vwanalyse build` on the demo data; its HTML folder.

    Later builds in the same session are cached, so tests that need the built site share this one.
    """
    import os
    import subprocess
    import sys

    omgeving = {k: v for k, v in os.environ.items() if k != "VWANALYSE_DATA"}
    uit = subprocess.run([str(Path(sys.executable).parent / "vwanalyse"), "build"],
                         cwd=ROOT, capture_output=True, text=True, env=omgeving)
    assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]
    return project.html_map


def pytest_collection_modifyitems(config, items):
    """A test that needs the built book is slow whatever its marks say: the fast tier never builds it."""
    for item in items:
        if "gebouwd_boek" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("traag"):
            item.add_marker(pytest.mark.traag)
