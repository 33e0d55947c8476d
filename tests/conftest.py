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
