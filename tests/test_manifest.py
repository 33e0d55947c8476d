"""The build manifest and `vwanalyse verify`."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from vwanalyse.controle import manifest
from vwanalyse.resultaten import opslag
from vwanalyse.weergave import opmaak

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to


def _tabel():
    return pd.DataFrame({
        "gebied": ["overvecht", "overvecht", "batau"], "meting": [2021, 2021, 2021],
        "indicator": ["roken", "roken", "roken"], "rol": ["wijk", "gemeente", "wijk"],
        "schatting": [0.123456789012345, 0.2, np.nan], "onderdrukt": [False, False, True],
    })


def test_groepsom_negeert_ruis_maar_niet_een_echte_verandering():
    basis = manifest.groepsommen(_tabel(), ["gebied", "meting", "indicator"])
    assert set(basis) == {"overvecht/2021/roken", "batau/2021/roken"}
    ruis = _tabel()
    ruis.loc[0, "schatting"] *= 1 + 1e-14
    assert manifest.groepsommen(ruis, ["gebied", "meting", "indicator"]) == basis
    echt = _tabel()
    echt.loc[0, "schatting"] += 1e-6
    anders = manifest.groepsommen(echt, ["gebied", "meting", "indicator"])
    assert anders["overvecht/2021/roken"] != basis["overvecht/2021/roken"]
    assert anders["batau/2021/roken"] == basis["batau/2021/roken"]
    # row order does not matter, -0.0 is 0.0
    assert manifest.groepsommen(_tabel().iloc[::-1], ["gebied", "meting", "indicator"]) == basis
    nul = _tabel().assign(schatting=[0.0, 0.2, np.nan])
    min_nul = _tabel().assign(schatting=[-0.0, 0.2, np.nan])
    assert manifest.groepsommen(nul, ["gebied"]) == manifest.groepsommen(min_nul, ["gebied"])


def test_beeldsom_vergelijkt_pixels_niet_bytes(tmp_path):
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [1, 0])
    fig.savefig(tmp_path / "a.png", dpi=50, pil_kwargs={"compress_level": 1})
    fig.savefig(tmp_path / "b.png", dpi=50, pil_kwargs={"compress_level": 9})
    ax.plot([0, 1], [0, 1])
    fig.savefig(tmp_path / "c.png", dpi=50)
    plt.close(fig)
    assert (tmp_path / "a.png").read_bytes() != (tmp_path / "b.png").read_bytes()
    assert manifest.beeldsom(tmp_path / "a.png") == manifest.beeldsom(tmp_path / "b.png")
    assert manifest.beeldsom(tmp_path / "a.png") != manifest.beeldsom(tmp_path / "c.png")


def _manifest():
    return {"formaat": 1, "databron": {"naam": "demo", "demodata": True}, "metingen": [2021, 2023],
            "ontbrekende_metingen": [], "git": {"commit": "a" * 40, "lokale_wijzigingen": False},
            "python": "3.11.7", "pakketten": {"pandas": "2.2.0"}, "invoer": {"s.csv": "1"},
            "configuratie": {"x.yml": "2"}, "code": {"vwanalyse/a.py": "3"},
            "resultaten": {"overvecht/2021/roken": "4", "batau/2021/roken": "5"}, "effecten": {},
            "figuren": {"f.png": {"sha256": "6", "beeld": "7"}}, "notebooks": {"n": {"sha256": "8", "duur_s": 1.0}},
            "downloads": {"r.csv": "9"}}


def test_vergelijk_noemt_elk_verschil():
    a = _manifest()
    assert manifest.vergelijk(a, _manifest()) == []
    b = _manifest()
    b["resultaten"]["overvecht/2021/roken"] = "x"
    b["figuren"]["f.png"]["beeld"] = "x"
    b["notebooks"]["n"]["duur_s"] = 99.0  # run time is not an output
    b["pakketten"]["pandas"] = "2.3.0"
    del b["downloads"]["r.csv"]
    b["invoer"]["nieuw.csv"] = "y"
    gevonden = {(v.soort, v.sleutel) for v in manifest.vergelijk(a, b)}
    assert gevonden == {("resultaten", "overvecht/2021/roken"), ("figuren", "f.png"), ("omgeving", "pandas"),
                        ("downloads", "r.csv"), ("invoer", "nieuw.csv")}
    assert [v.sleutel for v in manifest.vergelijk(a, b) if v.is_omgeving] == ["pandas"]
    c = _manifest()
    c["figuren"]["f.png"]["sha256"] = "z"  # same pixels, other bytes: noted, not a failure
    assert [(v.soort, v.is_omgeving) for v in manifest.vergelijk(a, c)] == [("omgeving", True)]


def test_lees_geeft_duidelijke_fout(tmp_path):
    with pytest.raises(manifest.ManifestFout, match="manifest.json: het manifest is niet te lezen"):
        manifest.lees(tmp_path / "manifest.json")
    (tmp_path / "kapot.json").write_text("{half")
    with pytest.raises(manifest.ManifestFout, match="kapot.json: geen geldig JSON-manifest"):
        manifest.lees(tmp_path / "kapot.json")
    (tmp_path / "ander.json").write_text('{"formaat": 99}')
    with pytest.raises(manifest.ManifestFout, match="verwacht een manifest van vwanalyse"):
        manifest.lees(tmp_path / "ander.json")


def test_pagina_toont_manifest():
    tekst = manifest.pagina(_manifest(), ":::{warning}\nDemodata!\n:::")
    assert "# Reproduceerbaarheid" in tekst and "Demodata!" in tekst
    assert "| pandas | 2.2.0 |" in tekst and "`aaaaaaaaaaaa`" in tekst
    assert "{doc}`n </book/uitvoer/n>`" in tekst and "1,0 s" in tekst
    assert "{download}`n.ipynb <../uitvoer/n.ipynb>`" in tekst  # the executed notebook, code included


@pytest.mark.traag
def test_gebouwd_manifest_beschrijft_de_build(gebouwd_boek, project):
    bouw = manifest.lees(project.manifest_pad)
    figuren = sorted(p.name for p in (project.uitvoer_map / "figuren").glob("*.png"))
    assert sorted(bouw["figuren"]) == figuren and len(figuren) > 50
    assert "survey/ggd_gezondheidsmonitor_2022.csv" in bouw["invoer"]
    assert bouw["pakketten"]["jupyter-book"] == "1.0.4.post1"
    assert len(bouw["resultaten"]) > 400
    assert json.loads((gebouwd_boek / "manifest.json").read_text()) == bouw
    assert "Reproduceerbaarheid" in (gebouwd_boek / "book" / "bijlagen" / "reproduceerbaarheid.html").read_text()


@pytest.mark.traag
def test_verify_herbouwt_en_vindt_precies_de_geplante_verschillen(gebouwd_boek, project, tmp_path):
    """A clean rebuild in a temporary folder matches the build, except for what we changed."""
    bouw = manifest.lees(project.manifest_pad)
    # the manifest of a build whose table had one other number and one other figure
    shutil.copytree(project.resultaten_map, tmp_path / "resultaten")
    resultaten = opslag.lees_resultaten(tmp_path / "resultaten")
    tabel = resultaten.tabel
    rij = tabel.index[(tabel["rol"] == "wijk") & tabel["schatting"].notna()][0]
    groep = f"{tabel.at[rij, 'gebied']}/{tabel.at[rij, 'meting']}/{tabel.at[rij, 'indicator']}"
    tabel.loc[rij, "schatting"] += 0.01
    opslag.schrijf_tabellen(tmp_path / "resultaten", resultaten)
    bouw["resultaten"] = manifest.groepsommen(tabel, ["gebied", "meting", "indicator"])
    figuur = sorted(bouw["figuren"])[0]
    bouw["figuren"][figuur]["beeld"] = "0" * 64
    manifest.schrijf(bouw, tmp_path / "manifest.json")

    uit = subprocess.run([str(Path(sys.executable).parent / "vwanalyse"), "verify", str(tmp_path / "manifest.json")],
                         cwd=ROOT, capture_output=True, text=True)
    assert uit.returncode == 1, uit.stdout[-3000:] + uit.stderr[-3000:]
    soorten = "|".join(manifest.VERGELEKEN)
    regels = [r for r in uit.stdout.splitlines() if re.match(rf"({soorten}) +\S+: ", r)]
    waarden = [r for r in regels if re.match(r"\S+ +\S+: wijk\.", r)]
    assert [r for r in regels if r not in waarden] == [
        f"resultaten   {groep}: andere waarden (vergeleken op 10 significante cijfers)",
        f"figuren      {figuur}: ander beeld (gedecodeerde pixels verschillen)"], uit.stdout[-3000:]
    # one line per value: the row group, role and column, both values as a reader writes them
    oud, nieuw = tabel.at[rij, "schatting"], tabel.at[rij, "schatting"] - 0.01
    assert waarden == [f"resultaten   {groep}: wijk.schatting: {opmaak.precies(oud)} in de gepubliceerde build, "
                       f"{opmaak.precies(nieuw)} in de nieuwe build"]
    assert "np.float64" not in uit.stdout and "vwanalyse-verify-" not in uit.stdout + uit.stderr
    assert "zelfde beeld, andere bytes" not in uit.stdout  # figures are byte-stable across clean builds
    assert "2 verschil(len)" in uit.stderr


@pytest.mark.traag
def test_onaangeroerde_build_verifieert(gebouwd_boek):
    """`vwanalyse verify` on the session build: its site, results and manifest, then a rebuild from
    nothing whose every site file is byte for byte the published one."""
    uit = subprocess.run([str(Path(sys.executable).parent / "vwanalyse"), "verify", "--workers", "2"],
                         cwd=ROOT, capture_output=True, text=True)
    assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]
    regel = uit.stdout.strip().splitlines()[-1]
    assert regel.startswith("geverifieerd: de nieuwe build komt overeen met ") and " bestanden van de site)" in regel
    assert "vwanalyse-verify-" not in uit.stdout + uit.stderr
