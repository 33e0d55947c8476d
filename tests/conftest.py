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
