"""The published edition (controle.uitgave): the site's index, and what a tamperer can change.

Each check is shown on a small site: untouched it verifies, and each kind of change is named with
its file. The checks of the real book (its site, archive and results, with `vwanalyse verify`)
are in tests/test_storingen.py.
"""

import io
import json
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from vwanalyse.basis.bestanden import sha256
from vwanalyse.boek.publicatie import maak_archief
from vwanalyse.controle import manifest, uitgave
from vwanalyse.controle.manifest import ManifestFout
from vwanalyse.resultaten import opslag
from vwanalyse.resultaten.schema import Resultaten


def _png(pad: Path, kleur) -> None:
    pad.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGBA", (4, 4), kleur).save(pad)


@pytest.fixture
def site(tmp_path) -> Path:
    """A small built site: pages, a figure, a download, an executed notebook, the manifest, the index."""
    site = tmp_path / "site"
    (site / "book").mkdir(parents=True)
    (site / "index.html").write_text("<html>Monitor</html>")
    (site / "book" / "factsheet.html").write_text("<p>Roken: 21,4%</p>")
    _png(site / "_images" / "factsheet-roken.png", (0, 114, 178, 255))
    (site / "_downloads" / "ab12").mkdir(parents=True)
    (site / "_downloads" / "ab12" / "resultaten.csv").write_text("gebied,schatting\novervecht,0.214\n")
    (site / "_sources" / "book" / "uitvoer").mkdir(parents=True)
    (site / "_sources" / "book" / "uitvoer" / "factsheet.ipynb").write_text('{"cells": []}')
    (site / "_downloads" / "ef56").mkdir(parents=True)  # the executed notebook as a download
    (site / "_downloads" / "ef56" / "factsheet.ipynb").write_text('{"cells": []}')
    bouwsel = {
        "formaat": manifest.FORMAAT,
        "figuren": {"factsheet-roken.png": {"sha256": sha256(site / "_images" / "factsheet-roken.png"),
                                            "beeld": manifest.beeldsom(site / "_images" / "factsheet-roken.png")}},
        "downloads": {"resultaten.csv": sha256(site / "_downloads" / "ab12" / "resultaten.csv")},
        "notebooks": {"factsheet": {"sha256": sha256(site / "_sources" / "book" / "uitvoer" / "factsheet.ipynb"),
                                    "duur_s": 1.0}},
    }
    tekst = json.dumps(bouwsel)
    (site / "manifest.json").write_text(tekst)
    (site / "_downloads" / "cd34").mkdir()
    (site / "_downloads" / "cd34" / "manifest.json").write_text(tekst)
    uitgave.schrijf_index(site, "bronnen-1", bouwsel)
    return site


def _verschillen(site):
    return [(v.soort, v.sleutel) for v in uitgave.controleer_site(site)[2]]


def _herindexeer(site: Path) -> None:
    """What a tamperer who also rewrites the index does."""
    index = json.loads((site / uitgave.INDEX).read_text())
    (site / uitgave.INDEX).write_text(json.dumps(uitgave.maak_index(site, index["bronnen"])))


def test_onaangeroerde_site_klopt(site):
    assert uitgave.controleer_site(site)[2] == []
    assert uitgave.afwijkingen(site, "bronnen-1") is None
    index = uitgave.lees_index(site)
    assert set(index["bestanden"]) == {"index.html", "book/factsheet.html", "_images/factsheet-roken.png",
                                       "_downloads/ab12/resultaten.csv", "_sources/book/uitvoer/factsheet.ipynb",
                                       "_downloads/ef56/factsheet.ipynb", "manifest.json",
                                       "_downloads/cd34/manifest.json"}
    assert index["manifest_sha256"] == sha256(site / "manifest.json")
    assert "beeld" in index["bestanden"]["_images/factsheet-roken.png"]


@pytest.mark.parametrize("naam", ["_images/factsheet-roken.png", "book/factsheet.html",
                                  "_downloads/ab12/resultaten.csv", "manifest.json"])
def test_elk_gewijzigd_bestand_wordt_genoemd(site, naam):
    pad = site / naam
    if naam.endswith(".png"):
        _png(pad, (213, 94, 0, 255))  # other pixels
    else:
        pad.write_bytes(pad.read_bytes().replace(b"1", b"9"))
    gevonden = _verschillen(site)
    assert ("site", naam) in gevonden
    assert uitgave.afwijkingen(site, "bronnen-1") == [naam]


def test_figuur_met_andere_pixels_zegt_ander_beeld(site):
    _png(site / "_images" / "factsheet-roken.png", (255, 0, 0, 255))
    (v,) = uitgave.controleer_site(site)[2]
    assert v.toelichting.startswith("ander beeld (de gedecodeerde pixels verschillen); andere inhoud: sha256 ")


@pytest.mark.parametrize("naam, soort, sleutel", [
    ("_images/factsheet-roken.png", "figuren", "factsheet-roken.png"),
    ("_downloads/ab12/resultaten.csv", "downloads", "resultaten.csv"),
    ("_sources/book/uitvoer/factsheet.ipynb", "notebooks", "factsheet"),
    ("_downloads/ef56/factsheet.ipynb", "notebooks", "factsheet"),
])
def test_bestand_en_index_samen_gewijzigd_zegt_het_manifest(site, naam, soort, sleutel):
    pad = site / naam
    if naam.endswith(".png"):
        _png(pad, (255, 0, 0, 255))
    else:
        pad.write_bytes(pad.read_bytes() + b" ")
    _herindexeer(site)
    assert _verschillen(site) == [(soort, sleutel)]


def test_toegevoegd_en_verwijderd_bestand(site):
    (site / "book" / "extra.html").write_text("<p>nieuw</p>")
    (site / "book" / "factsheet.html").unlink()
    assert _verschillen(site) == [("site", "book/extra.html"), ("site", "book/factsheet.html")]
    teksten = [v.toelichting for v in uitgave.controleer_site(site)[2]]
    assert teksten == ["staat niet in de publicatie-index (toegevoegd na de build)",
                       "ontbreekt (de publicatie-index noemt het bestand)"]


def test_andere_bronnen_bouwen_de_site_opnieuw(site):
    assert uitgave.afwijkingen(site, "bronnen-2") == ["bronnen"]
    (site / uitgave.INDEX).unlink()
    assert uitgave.afwijkingen(site, "bronnen-1") == ["bronnen"]
    with pytest.raises(ManifestFout, match="geen publicatie-index"):
        uitgave.controleer_site(site)


def test_nieuwe_build_wordt_per_bestand_vergeleken(site):
    ontvangen = uitgave.lees_index(site)
    assert uitgave.vergelijk_sites(ontvangen, ontvangen) == []
    (site / "book" / "factsheet.html").write_text("<p>Roken: 25,0%</p>")
    _png(site / "_images" / "factsheet-roken.png", (255, 0, 0, 255))
    nieuw = uitgave.maak_index(site, "bronnen-1")
    regels = [str(v) for v in uitgave.vergelijk_sites(ontvangen, nieuw)]
    assert len(regels) == 2
    assert regels[0].startswith("site         _images/factsheet-roken.png: ander beeld")
    assert regels[1].startswith("site         book/factsheet.html: andere inhoud: sha256 ")
    assert "in de nieuwe build" in regels[1]


def test_archief_met_controlegetal(site, tmp_path):
    archief, _ = maak_archief(site, tmp_path / "uit" / "eindrapportage-html.tar.gz")
    assert uitgave.controleer_controlegetal(archief, "archief") == []
    assert uitgave.controleer_archief(archief, site) == []
    uitgepakt = uitgave.pak_uit(archief, tmp_path / "uitgepakt")
    assert uitgepakt.name == "eindrapportage-html" and uitgave.controleer_site(uitgepakt)[2] == []
    # the site changed after the archive was made
    (site / "book" / "factsheet.html").write_text("<p>anders</p>")
    (v,) = uitgave.controleer_archief(archief, site)
    assert v.sleutel == archief.name and "book/factsheet.html" in v.toelichting
    # the archive itself changed
    archief.write_bytes(archief.read_bytes()[:-10] + b"0" * 10)
    assert [v.toelichting.split(":")[0] for v in uitgave.controleer_controlegetal(archief, "archief")] == [
        "andere inhoud"]
    Path(f"{archief}.sha256").unlink()
    assert "eindrapportage-html.tar.gz.sha256 ontbreekt" in uitgave.controleer_controlegetal(archief, "archief")[0].toelichting


def test_archief_met_pad_buiten_de_map_wordt_geweigerd(tmp_path):
    archief = tmp_path / "kwaad.tar.gz"
    with tarfile.open(archief, "w:gz") as tar:
        data = b"weg"
        info = tarfile.TarInfo("../buiten.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(ManifestFout, match="geen leesbaar tar.gz-archief"):
        uitgave.pak_uit(archief, tmp_path / "doel")
    assert not (tmp_path / "buiten.txt").exists()


def _resultatenmap(tmp_path) -> tuple[Path, dict]:
    tabel = pd.DataFrame({"gebied": ["overvecht", "overvecht"], "meting": [2023, 2023],
                          "indicator": ["roken", "roken"], "rol": ["wijk", "gemeente"],
                          "schatting": [np.float64(0.7229830941128456), 0.2], "onderdrukt": [False, False]})
    effecten = pd.DataFrame({"gebied": ["overvecht"], "indicator": ["roken"], "schatting": [0.01]})
    map = tmp_path / "resultaten"
    opslag.schrijf_tabellen(map, Resultaten(tabel=tabel, effecten=effecten))
    return map, {"resultatenbestanden": {p.relative_to(map).as_posix(): sha256(p) for p in opslag.bestanden(map)}}


def test_gewijzigd_resultatenbestand_noemt_groep_en_beide_waarden(tmp_path):
    map, bouwsel = _resultatenmap(tmp_path)
    assert uitgave.controleer_resultaten(map, bouwsel) == []
    csv = map / "resultaten.csv"
    csv.write_text(csv.read_text().replace("0.7229830941128456", "0.8"))
    (v,) = uitgave.controleer_resultaten(map, bouwsel)
    assert str(v) == ("resultaten   resultaten/resultaten.csv: overvecht/2023/roken wijk.schatting: 0,7229830941 "
                      "volgens resultaten.parquet, 0,8 in het bestand")
    assert "np.float64" not in str(v)


def test_gewijzigde_parquet_wordt_gelezen_tegen_de_csv(tmp_path):
    map, bouwsel = _resultatenmap(tmp_path)
    tabel = pd.read_parquet(map / "resultaten.parquet")
    tabel.loc[1, "schatting"] = 1e20
    tabel.to_parquet(map / "resultaten.parquet", index=False)
    (v,) = uitgave.controleer_resultaten(map, bouwsel)
    assert v.sleutel == "resultaten/resultaten.parquet"
    assert v.toelichting == "overvecht/2023/roken gemeente.schatting: 0,2 volgens resultaten.csv, 1 × 10^20 in het bestand"


def test_toegevoegd_of_ontbrekend_resultatenbestand(tmp_path):
    map, bouwsel = _resultatenmap(tmp_path)
    (map / "effecten_schema.csv").unlink()
    (map / "extra.csv").write_text("x\n")
    assert [(v.sleutel, v.toelichting.split(" (")[0]) for v in uitgave.controleer_resultaten(map, bouwsel)] == [
        ("resultaten/effecten_schema.csv", "ontbreekt"), ("resultaten/extra.csv", "staat niet in het manifest")]
