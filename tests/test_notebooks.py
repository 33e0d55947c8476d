"""nbval: every template, executed on the demo data, re-executes to the same outputs.

The book's notebooks are executed by `vwanalyse build`; nbval runs one notebook per template
again and compares every output with the stored one (sanitizers: tests/nbval_sanitize.cfg).
Figures are saved as files and shown as Markdown, so their bytes are compared through the
checksum test of the figures, not here.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from vwanalyse.configuratie import PROJECT_MAP

pytestmark = pytest.mark.traag
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def gebouwd():
    uit = subprocess.run([str(BIN / "vwanalyse"), "build"], cwd=PROJECT_MAP, capture_output=True, text=True)
    assert uit.returncode == 0, uit.stderr[-3000:]
    return PROJECT_MAP / "book" / "uitvoer"


def test_notebooks_reproduceerbaar_met_nbval(gebouwd, config):
    gekozen = ["factsheet-vollenhove-2023", "wijkprofiel-batau", "pijler-onderwijs", "effectanalyse", "datakwaliteit"]
    assert {n.split("-")[0] for n in gekozen} == {d.sjabloon for d in config.notebooks}
    uit = subprocess.run(
        [str(BIN / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
         "--nbval-sanitize-with", str(PROJECT_MAP / "tests" / "nbval_sanitize.cfg"),
         *[str(gebouwd / f"{n}.ipynb") for n in gekozen]],
        cwd=gebouwd, capture_output=True, text=True)
    assert uit.returncode == 0, uit.stdout[-5000:]
