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

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to


pytestmark = pytest.mark.traag
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def gebouwd():
    uit = subprocess.run([str(BIN / "vwanalyse"), "build"], cwd=ROOT, capture_output=True, text=True)
    assert uit.returncode == 0, uit.stderr[-3000:]
    return ROOT / "book" / "uitvoer"


def test_notebooks_reproduceerbaar_met_nbval(gebouwd, config, project):
    from vwanalyse.uitvoer.taken import matrix

    # one notebook per template of notebooks.yml: the middle one of its parameter combinations
    taken = matrix(config, project)
    gekozen = []
    for d in config.notebooks:
        eigen = [t.naam for t in taken if t.sjabloon == d.sjabloon]
        gekozen.append(eigen[len(eigen) // 2])
    assert len(gekozen) == len(config.notebooks)
    uit = subprocess.run(
        [str(BIN / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
         "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
         *[str(gebouwd / f"{n}.ipynb") for n in gekozen]],
        cwd=gebouwd, capture_output=True, text=True)
    assert uit.returncode == 0, uit.stdout[-5000:]
