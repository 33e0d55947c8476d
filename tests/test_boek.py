"""The book's table of contents matches the configuration, and the book builds."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from vwanalyse import boek
from vwanalyse.configuratie import PROJECT_MAP


def _bestanden(toc: dict) -> list[str]:
    uit = [toc["root"]]
    for deel in toc.get("parts", []):
        for hoofdstuk in deel["chapters"]:
            uit.append(hoofdstuk["file"])
            uit += [s["file"] for s in hoofdstuk.get("sections", [])]
    return uit


def test_toc_volgt_configuratie(config):
    vastgelegd = yaml.safe_load((PROJECT_MAP / "_toc.yml").read_text(encoding="utf-8"))
    assert vastgelegd == boek.maak_toc(config), "run `vwanalyse toc`"
    bestanden = _bestanden(vastgelegd)
    for g in config.gebieden:
        assert f"book/wijken/{g.id}" in bestanden, f"gebied {g.id} has no page"
    for m in config.metingen:
        assert any(p.endswith(f"-{m.jaar}") for p in bestanden), f"meting {m.jaar} has no page"
    for p in config.pijlers:
        assert f"book/uitvoer/pijler-{p.id}" in bestanden, f"pijler {p.id} has no page"
    bekend = {g.id for g in config.gebieden} | {str(m.jaar) for m in config.metingen} | {p.id for p in config.pijlers}
    sjablonen = {d.sjabloon for d in config.notebooks}
    for pagina in bestanden:
        naam = pagina.rsplit("/", 1)[1]
        if pagina.startswith("book/wijken/"):
            assert naam in config.gebied, f"{pagina} has no gebied in the configuration"
        if pagina.startswith("book/uitvoer/"):
            sjabloon, *waarden = naam.split("-")
            assert sjabloon in sjablonen, f"{pagina} has no notebook definition"
            assert all(w in bekend for w in waarden), f"{pagina} names a gebied/meting/pijler not in the configuration"


def test_wijkpagina_toont_logicmodel(config):
    tekst = boek.wijkpagina(config, "overvecht")
    assert "# Overvecht" in tekst
    assert "| O8 | Voorschoolse educatie |" in tekst
    assert "€ 1.500.000" in tekst and "9.473" in tekst
    tekst = boek.wijkpagina(config, "batau")
    assert "| x | x | x | vertrouwelijk |" in tekst


def test_indicatorbijlage_bevat_elke_indicator(config):
    tekst = boek.indicatorpagina(config)
    for ind in config.indicatoren:
        assert f"({boek.indicator_label(ind.id)})=" in tekst


@pytest.mark.traag
def test_boek_bouwt(gebouwd_boek):
    """`vwanalyse build` succeeds with warnings as errors and writes every page."""
    html = gebouwd_boek
    for pagina in ["book/intro", "book/over-de-monitor", "book/wijken/vollenhove", "book/bijlagen/indicatoren"]:
        assert (html / f"{pagina}.html").is_file(), pagina
    assert "Vollenhove Vooruit" in (html / "book/wijken/vollenhove.html").read_text(encoding="utf-8")


@pytest.mark.traag
def test_ongeldige_gegevens_bouwen_niets(tmp_path):
    """A data folder that fails validation stops the build before anything is computed or published."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(PROJECT_MAP / "data" / "demo", data)
    (data / "MANIFEST.sha256").unlink()
    pad = data / "survey" / "ggd_gezondheidsmonitor_2022.csv"
    regels = pad.read_text(encoding="utf-8-sig").splitlines()
    kop = regels[0].split(";")
    velden = regels[5].split(";")
    velden[kop.index("gewicht")] = "-1"
    regels[5] = ";".join(velden)
    pad.write_text("\n".join(regels) + "\n", encoding="utf-8")
    resultaten = PROJECT_MAP / "_build" / "resultaten" / "resultaten.parquet"
    voor = resultaten.stat().st_mtime_ns if resultaten.exists() else None
    uit = subprocess.run([str(Path(sys.executable).parent / "vwanalyse"), "build", "--data-dir", str(data)],
                         cwd=PROJECT_MAP, capture_output=True, text=True)
    assert uit.returncode == 2
    assert "er is niets gebouwd" in uit.stderr
    assert "ggd_gezondheidsmonitor_2022.csv, line 6: column 'gewicht'" in uit.stderr
    assert (resultaten.stat().st_mtime_ns if resultaten.exists() else None) == voor
