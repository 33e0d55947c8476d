"""Commit guard: notebooks without outputs, no large files, no survey microdata."""

import shutil
import subprocess
import sys

import nbformat
import pandas as pd
from pathlib import Path

import pytest

from vwanalyse.controle import bewaking

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to


def _schrijf(map, naam, tekst="a;b\n1;2\n"):
    pad = map / naam
    pad.parent.mkdir(parents=True, exist_ok=True)
    pad.write_text(tekst, encoding="utf-8")
    return pad


def _controleer(map, naam):
    return bewaking.controleer_bestand(map / naam, naam)


def test_notebook_met_uitvoer_geweigerd(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# titel"), nbformat.v4.new_code_cell("1 + 1")]
    nbformat.write(nb, tmp_path / "schoon.ipynb")
    assert _controleer(tmp_path, "schoon.ipynb") == []
    nb.cells[1].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    nbformat.write(nb, tmp_path / "vuil.ipynb")
    (melding,) = _controleer(tmp_path, "vuil.ipynb")
    assert melding.startswith("vuil.ipynb: codecel(len) 2 met uitvoer of een uitvoeringsnummer")
    nb.cells[1].outputs, nb.cells[1].execution_count = [], 3
    nbformat.write(nb, tmp_path / "geteld.ipynb")
    assert len(_controleer(tmp_path, "geteld.ipynb")) == 1
    _schrijf(tmp_path, "kapot.ipynb", "{niet")
    assert _controleer(tmp_path, "kapot.ipynb") == ["kapot.ipynb: geen geldig notebook (JSON met 'cells')"]


def test_groot_bestand_alleen_in_demodata(tmp_path):
    groot = "x" * (bewaking.MAX_BYTES + 1)
    _schrijf(tmp_path, "bijlage.pdf", groot)
    (melding,) = _controleer(tmp_path, "bijlage.pdf")
    assert melding == "bijlage.pdf: 2.0 MB, meer dan de 2 MB die buiten data/demo/ is toegestaan"
    _schrijf(tmp_path, "data/demo/register/groot.txt", groot)
    assert _controleer(tmp_path, "data/demo/register/groot.txt") == []
    _schrijf(tmp_path, "klein.pdf", "x" * bewaking.MAX_BYTES)
    assert _controleer(tmp_path, "klein.pdf") == []


@pytest.mark.parametrize("naam, kop, geweigerd", [
    ("uitvoer/ggd_2025.csv", "\ufeffrespondent_id;jaar;gewicht;roken\n", "respondent_id, gewicht"),
    ("export.csv", "Respnr,Weegfactor,vraag1\n", "Respnr, Weegfactor"),
    ("tabel.tsv", "wijk\tstratum\tpsu\n", "stratum, psu"),
    ("resultaten.csv", "gebied,meting,schatting,n_ongewogen\n", None),
    ("data/demo/survey/ggd_gezondheidsmonitor_2020.csv", "respondent_id;gewicht\n", None),
    ("tests/referentie/survey_srs.csv", "respondent_id,gebied,y,x,w\n", None),
])
def test_microdata_in_tekstbestanden(tmp_path, naam, kop, geweigerd):
    _schrijf(tmp_path, naam, kop + "1;2\n")
    problemen = _controleer(tmp_path, naam)
    if geweigerd is None:
        assert problemen == []
    else:
        (melding,) = problemen
        assert melding.startswith(f"{naam}: lijkt op microdata van een enquête (kolommen {geweigerd})")


def test_microdata_in_parquet_excel_en_statistiekpakketten(tmp_path):
    pd.DataFrame({"respondent_id": ["a"], "y": [1]}).to_parquet(tmp_path / "s.parquet")
    pd.DataFrame({"wijk": ["x"], "PSU": [1]}).to_excel(tmp_path / "s.xlsx", index=False)
    pd.DataFrame({"wijk": ["x"], "waarde": [1]}).to_parquet(tmp_path / "tabel.parquet")
    _schrijf(tmp_path, "ggd.sav", "binary")
    _schrijf(tmp_path, "echt/2025/register.txt", "niets verdachts")
    assert "respondent_id" in _controleer(tmp_path, "s.parquet")[0]
    assert "PSU" in _controleer(tmp_path, "s.xlsx")[0]
    assert _controleer(tmp_path, "tabel.parquet") == []
    assert _controleer(tmp_path, "ggd.sav") == [
        "ggd.sav: .sav is een gegevensbestand van een statistiekpakket (microdata blijven buiten de repository)"]
    assert "map met de naam 'echt'" in _controleer(tmp_path, "echt/2025/register.txt")[0]
    _schrijf(tmp_path, "kapot.parquet", "geen parquet")
    assert _controleer(tmp_path, "kapot.parquet") == [
        "kapot.parquet: de kolomnamen zijn niet te lezen, dus microdata zijn niet uit te sluiten"]


def test_repository_zelf_doorstaat_de_bewaking():
    uit = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    namen = [n for n in uit.stdout.decode().split("\0") if n]
    assert "notebooks/factsheet.ipynb" in namen
    assert [p for n in namen for p in bewaking.controleer_bestand(ROOT / n, n)] == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_hook_weigert_gestagede_microdata(tmp_path):
    """The plain git route (`--staged`) as the hook of `make hooks` runs it, in a fresh repository."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    _schrijf(tmp_path, "goed.md", "tekst")
    _schrijf(tmp_path, "data/ggd.csv", "respondent_id;gewicht\nA1;1,2\n")
    subprocess.run([*git, "add", "goed.md", "data/ggd.csv"], cwd=tmp_path, check=True)
    omgeving = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    uit = subprocess.run([sys.executable, "-m", "vwanalyse.controle.bewaking", "--staged"], cwd=tmp_path,
                         capture_output=True, text=True, env=omgeving)
    assert uit.returncode == 1
    assert uit.stderr.splitlines()[0].startswith("data/ggd.csv: lijkt op microdata van een enquête")
    subprocess.run([*git, "rm", "-q", "--cached", "data/ggd.csv"], cwd=tmp_path, check=True)
    uit = subprocess.run([sys.executable, "-m", "vwanalyse.controle.bewaking", "--staged"], cwd=tmp_path,
                         capture_output=True, text=True, env=omgeving)
    assert uit.returncode == 0, uit.stderr


@pytest.mark.parametrize("pad, genegeerd", [
    ("data/echt/ggd_2025.csv", True), ("data/ggd_levering_2025/survey/x.csv", True), ("ergens/echt/x.csv", True),
    ("export.sav", True), ("export.dta", True),
    ("data/demo/survey/x.csv", False), ("data/config/x.yml", False), ("data/FORMAAT.md", False),
])
def test_gitignore_houdt_echte_gegevens_buiten(pad, genegeerd):
    uit = subprocess.run(["git", "check-ignore", "-q", "--no-index", pad], cwd=ROOT)
    assert uit.returncode == (0 if genegeerd else 1)
