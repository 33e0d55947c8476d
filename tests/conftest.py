from pathlib import Path

import pytest

from vwanalyse.configuratie import CONFIG_MAP, PROJECT_MAP, laad_configuratie

SHARED = PROJECT_MAP.parent / "shared"


@pytest.fixture(scope="session")
def config():
    return laad_configuratie(CONFIG_MAP)


@pytest.fixture(scope="session")
def shared_reference() -> Path:
    """../shared/reference (real public files); tests using it skip when it is absent."""
    pad = SHARED / "reference"
    if not pad.is_dir():
        pytest.skip("../shared/reference is not available")
    return pad


DEMO_MAP = Path(__file__).resolve().parent.parent / "data" / "demo"


@pytest.fixture(scope="session")
def demo_gegevens(config):
    from vwanalyse.bronnen import laad_gegevens

    return laad_gegevens(DEMO_MAP, config)


@pytest.fixture(scope="session")
def demo_resultaten(config, demo_gegevens):
    from vwanalyse.resultaten import bereken_resultaten

    return bereken_resultaten(config, demo_gegevens)


@pytest.fixture(scope="session")
def gebouwd_boek() -> Path:
    """The book built once per test session with `vwanalyse build` on the demo data; its HTML folder.

    Later builds in the same session are cached, so tests that need the built site share this one.
    """
    import subprocess
    import sys

    uit = subprocess.run([str(Path(sys.executable).parent / "vwanalyse"), "build"],
                         cwd=PROJECT_MAP, capture_output=True, text=True)
    assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]
    return PROJECT_MAP / "_build" / "html"
