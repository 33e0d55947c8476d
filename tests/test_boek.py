"""The book's table of contents matches the configuration, and the book builds."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from vwanalyse.basis.project import Project
from vwanalyse.boek import downloads, paginas as boek
from vwanalyse.boek.toc import maak_toc
from vwanalyse.resultaten import opslag
from vwanalyse.uitvoer.taken import matrix
from vwanalyse.weergave import overzicht
from vwanalyse.weergave.woorden import LOGICMODEL_SCHEMA, OORDEEL_WEERGAVE, download_label, indicator_label

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to


def _bestanden(toc: dict) -> list[str]:
    uit = [toc["root"]]
    for deel in toc.get("parts", []):
        for hoofdstuk in deel["chapters"]:
            uit.append(hoofdstuk["file"])
            uit += [s["file"] for s in hoofdstuk.get("sections", [])]
    return uit


def test_toc_volgt_configuratie(config, project):
    bestanden = _bestanden(maak_toc(config, matrix(config, project)))
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
    assert "| O8 Voorschoolse educatie |" in tekst
    assert "€ 1.500.000" in tekst and "9.473" in tekst
    tekst = boek.wijkpagina(config, "batau")
    # a confidential amount in words: 'x' means a suppressed figure everywhere else in the book
    assert "| vertrouwelijk | vertrouwelijk | vertrouwelijk | vertrouwelijk |" in tekst
    assert "| x |" not in tekst


def test_wijkpagina_zegt_in_druk_waar_het_schema_staat(config, project):
    """The printed report shows each logic model once, as the schema: the section in words carries a
    print note that links the wijkprofiel that draws it (issue 17); without that page, no note."""
    taken = matrix(config, project)
    for g in config.gebieden:
        tekst = boek.wijkpagina(config, g.id, None, taken)
        schema = [t for t in taken if t.sjabloon == LOGICMODEL_SCHEMA and t.parameters.get("gebied") == g.id]
        assert ("vw-in-druk-elders" in tekst) == bool(schema), g.id
        if schema:
            assert f"</book/uitvoer/{schema[0].naam}>`" in tekst and f'href="../wijken/{g.id}.html"' in tekst
    assert "vw-in-druk-elders" not in boek.wijkpagina(config, config.gebieden[0].id)


def test_indicatorbijlage_bevat_elke_indicator(config):
    tekst = boek.indicatorpagina(config)
    for ind in config.indicatoren:
        assert f"({indicator_label(ind.id)})=" in tekst


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
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "demo", data)
    (data / "MANIFEST.sha256").unlink()
    pad = data / "survey" / "ggd_gezondheidsmonitor_2022.csv"
    regels = pad.read_text(encoding="utf-8-sig").splitlines()
    kop = regels[0].split(";")
    velden = regels[5].split(";")
    velden[kop.index("gewicht")] = "-1"
    regels[5] = ";".join(velden)
    pad.write_text("\n".join(regels) + "\n", encoding="utf-8")
    resultaten = ROOT / "_build" / "resultaten" / "resultaten.parquet"
    voor = resultaten.stat().st_mtime_ns if resultaten.exists() else None
    uit = subprocess.run([str(Path(sys.executable).parent / "vwanalyse"), "build", "--data-dir", str(data)],
                         cwd=ROOT, capture_output=True, text=True)
    assert uit.returncode == 2
    assert "er is niets gebouwd" in uit.stderr
    assert "ggd_gezondheidsmonitor_2022.csv, regel 6: kolom 'gewicht'" in uit.stderr
    assert (resultaten.stat().st_mtime_ns if resultaten.exists() else None) == voor


# ---------------------------------------------------------------- pages generated from the results


def test_samenvatting_telt_uit_de_resultatentabel(config, project, demo_rapport):
    gebied, pijler = "batau", "gezondheid"
    meting = opslag.laatste_meting(demo_rapport, gebied)
    assert meting == max(demo_rapport.metingen) and meting != config.nulmeting.jaar
    telling = overzicht.telling(demo_rapport, gebied, meting).loc[pijler]
    # the same counts straight from the parquet file
    import pandas as pd

    t = pd.read_parquet(demo_rapport.map / "resultaten.parquet")
    inds = [i.id for i in config.indicatoren_voor(gebied) if i.pijler == pijler]
    w = t[(t["gebied"] == gebied) & (t["rol"] == "wijk") & (t["meting"] == meting) & t["indicator"].isin(inds)]
    gepubliceerd = w[~w["onderdrukt"]]
    verwacht = {o: int((gepubliceerd["oordeel_nulmeting"] == o).sum())
                for o in ("gunstiger", "ongunstiger", "hoger", "lager", "geen_verschil", "trendbreuk")}
    verwacht["niet_getoetst"] = int((gepubliceerd["oordeel_nulmeting"].isna()
                                     | (gepubliceerd["oordeel_nulmeting"] == "niet_getoetst")).sum())
    verwacht["onderdrukt"] = int(w["onderdrukt"].sum())
    verwacht["geen_gegevens"] = len(set(inds) - set(w["indicator"]))
    assert telling.to_dict() == verwacht
    assert telling["gunstiger"] + telling["ongunstiger"] > 0, "pick a wijk × pijler with significant changes"
    assert telling.sum() == len(inds)

    tekst = boek.samenvattingpagina(config, demo_rapport, matrix(config, project))
    sectie = tekst.split("(samenvatting-batau)=")[1].split("(samenvatting-vollenhove)=")[0]
    rij = f"| {config.pijler[pijler].naam} | {len(inds)} | {telling['gunstiger']} | {telling['ongunstiger']} |"
    assert rij in sectie
    significant = gepubliceerd[gepubliceerd["oordeel_nulmeting"].isin(["gunstiger", "ongunstiger", "hoger", "lager"])]
    for ind in significant["indicator"]:
        assert f"<{indicator_label(ind)}>" in sectie, ind
    assert f"/book/uitvoer/factsheet-batau-{meting}" in sectie


def test_scorekaart_telt_beide_vergelijkingen_uit_de_tabel(config, project, demo_rapport):
    """The wijk's first screen: per pijler the verdicts against the rest and since the nulmeting, counted
    here straight from the parquet file, in two separately labelled columns."""
    import pandas as pd

    t = pd.read_parquet(demo_rapport.map / "resultaten.parquet")
    for gebied in [g.id for g in config.gebieden]:
        meting = opslag.laatste_meting(demo_rapport, gebied)
        html = overzicht.scorekaart(demo_rapport, gebied, meting)
        rest = config.gemeente[config.gebied[gebied].gemeente].naam
        assert f"Tegenover de rest van {rest} ({meting})" in html
        assert f"Veranderd sinds de nulmeting ({config.nulmeting.jaar} → {meting})" in html
        rijen = html.split("<tbody>")[1].split("</tr>")
        for pijler in config.pijlers:
            inds = [i.id for i in config.indicatoren_voor(gebied) if i.pijler == pijler.id]
            w = t[(t["gebied"] == gebied) & (t["rol"] == "wijk") & (t["meting"] == meting) & t["indicator"].isin(inds)
                  & ~t["onderdrukt"]]
            rij = next(r for r in rijen if f">{pijler.naam}</th>" in r)
            cellen = rij.split("<td")[1:]
            for cel, soort in zip(cellen, ("rest", "nulmeting")):
                for oordeel, woord in (("gunstiger", "gunstiger"), ("ongunstiger", "ongunstiger")):
                    n = int((w[f"oordeel_{soort}"] == oordeel).sum())
                    tekst = cel.split('class="vw-telling">')[1]
                    assert (f"{n} {woord}" in tekst) == (n > 0), (gebied, pijler.id, soort, oordeel, tekst)


def test_kernboodschappen_volgen_de_verdicten(config, demo_rapport):
    """Generated from the table: change the verdicts and the messages change with them."""
    import dataclasses

    gebied = "batau"
    meting = opslag.laatste_meting(demo_rapport, gebied)
    t = demo_rapport.tabel
    w = t[(t["gebied"] == gebied) & (t["rol"] == "wijk") & (t["meting"] == meting) & ~t["onderdrukt"].astype(bool)]
    slechter = int((w["oordeel_rest"] == "ongunstiger").sum())
    boodschappen = overzicht.kernboodschappen(demo_rapport, gebied, meting)
    assert 1 <= len(boodschappen) <= 5
    assert f"op {slechter} van de" in boodschappen[0] and "ongunstiger dan de rest van Nieuwegein" in boodschappen[0]
    # no significant verdict left: the messages say so instead of naming indicators
    vlak = t.copy()
    deze = (vlak["gebied"] == gebied) & (vlak["rol"] == "wijk")
    for soort in ("rest", "nulmeting"):
        vlak.loc[deze & vlak[f"oordeel_{soort}"].isin(["gunstiger", "ongunstiger"]), f"oordeel_{soort}"] = "geen_verschil"
    vlak_rapport = dataclasses.replace(demo_rapport, tabel=vlak)
    boodschappen = overzicht.kernboodschappen(vlak_rapport, gebied, meting)
    assert boodschappen[0] == f"Batau verschilt in {meting} op geen enkele getoetste indicator significant van de rest van Nieuwegein."
    assert f"Sinds de nulmeting van {config.nulmeting.jaar} veranderde in Batau geen enkele indicator significant." in boodschappen


def test_wijkpagina_begint_met_het_overzicht(config, project, demo_rapport):
    taken = matrix(config, project)
    for g in config.gebieden:
        tekst = boek.wijkpagina(config, g.id, demo_rapport, taken)
        volgorde = [tekst.index(kop) for kop in ("## Kernboodschappen", "## In één oogopslag",
                                                  "## Wat zeggen de lokale experts?", "## Wat deden de projecten?",
                                                  "## De wijkaanpak")]
        assert volgorde == sorted(volgorde), g.id
        for t in taken:  # every page of the wijk is linked from its overview
            assert (f"</book/uitvoer/{t.naam}>" in tekst) == (t.parameters.get("gebied") == g.id), t.naam
        assert "bron 0" not in tekst and not re.search(r"\b\d{3}:L\d", tekst), g.id


def test_leespaginas_zonder_werkmateriaal(config, project, demo_rapport, tmp_path):
    """No repository paths, internal line references or file names on the pages a reader reads."""
    taken = matrix(config, project)
    paginas = [boek.samenvattingpagina(config, demo_rapport, taken), boek.verantwoordingpagina(config),
               boek.indicatorpagina(config), boek.leeswijzerpagina(config),
               *(boek.wijkpagina(config, g.id, demo_rapport, taken) for g in config.gebieden)]
    werkmateriaal = re.compile(r"(?:data|vwanalyse|notebooks|tests)/[\w./-]+|\b[\w-]+\.(?:yml|py|ipynb)\b|"
                               r"\bbron 0\d\d|\b\d{3}:L\d+|WAARHEID|vast zaad|\bseeds\b")
    for tekst in paginas:
        assert not werkmateriaal.findall(tekst), (tekst[:40], werkmateriaal.findall(tekst)[:5])
    # the check itself finds what it is for
    assert werkmateriaal.findall("zie data/config/indicatoren.yml (bron 001:L295)")


def test_leeswijzer_met_begrippenlijst(config):
    tekst = boek.leeswijzerpagina(config)
    assert tekst.startswith("(leeswijzer)=") and "(uitleg-significantie)=" in tekst and "(begrippen)=" in tekst
    assert "```{glossary}" in tekst and "Logic model\n  " in tekst and "Domeinschatting\n  " in tekst
    for o in OORDEEL_WEERGAVE.values():
        assert f"| {o.teken} | {o.tekst} |" in tekst


def test_verantwoording_uit_de_configuratie(config):
    tekst = boek.verantwoordingpagina(config)
    o = config.instellingen.onthulling
    for drempel in (f"**{o.min_n} respondenten**", f"**{o.min_cel} respondenten**",
                    f"**{round(o.max_aandeel_categorie * 100)}% van de antwoorden**"):
        assert drempel in tekst
    for b in config.bronnen:
        assert b.naam in tekst and b.omschrijving in tekst
    problemen = list(config.regiodeal.bekende_problemen)
    for lm in config.logicmodellen.values():
        problemen += lm.bekende_problemen
    assert problemen
    for p in problemen:
        assert p.omschrijving in tekst, p.id
    for k in config.kanttekeningen:
        assert k.kanttekening.strip() in tekst and k.gevolg.strip() in tekst, k.id
    for i in config.indicatoren:
        assert (f"<{indicator_label(i.id)}>" in tekst.split("## Trendbreuken")[1].split("## Bekende")[0]) \
            == (i.vergelijkbaar_vanaf > config.nulmeting.jaar), i.id


def test_downloads_bytestabiel_en_per_factsheet(config, project, demo_rapport, tmp_path):
    import time

    import openpyxl
    import pandas as pd

    eerste = downloads.schrijf_downloads(demo_rapport, demo_rapport.map, tmp_path / "a")
    time.sleep(1.1)  # zip and document times have a resolution of seconds
    tweede = downloads.schrijf_downloads(demo_rapport, demo_rapport.map, tmp_path / "b")
    assert sorted(eerste) == sorted(tweede)
    for naam in eerste:
        assert eerste[naam].read_bytes() == tweede[naam].read_bytes(), naam
    assert eerste["resultaten.csv"].read_bytes() == (demo_rapport.map / "resultaten.csv").read_bytes()

    taken = matrix(config, project)
    pagina = downloads.downloadpagina(config, demo_rapport, eerste, taken)
    factsheets = [t for t in taken if t.sjabloon == "factsheet"]
    assert factsheets
    for t in factsheets:
        g, m = t.parameters["gebied"], t.parameters["meting"]
        assert f"({download_label(g, m)})=" in pagina, t.naam
        for soort in ("csv", "xlsx"):
            assert f"<downloads/factsheet-{g}-{m}.{soort}>" in pagina and f"factsheet-{g}-{m}.{soort}" in eerste
        tabel = pd.read_csv(eerste[f"factsheet-{g}-{m}.csv"])
        assert set(tabel["meting"]) == {m} and not tabel.empty
        # suppressed rows carry no numbers
        assert tabel.loc[tabel["onderdrukt"], ["waarde", "ci_laag", "ci_hoog", "verschil_nulmeting"]].isna().all().all()
        blad = openpyxl.load_workbook(eerste[f"factsheet-{g}-{m}.xlsx"], read_only=True)["factsheet"]
        assert blad.max_row == len(tabel) + 1


def test_paginas_zonder_resultaten(config, project, tmp_path):
    """Before any results exist, the pages say so and the demo notice is an empty comment."""
    (tmp_path / "_config.yml").write_text("title: test\n")
    shutil.copytree(project.notebook_map, tmp_path / "notebooks")
    leeg = Project.maak(tmp_path, project.config_map, project.demo_map)
    paden = boek.schrijf_paginas(config, leeg, matrix(config, leeg))
    assert (tmp_path / "book" / "gegenereerd" / "demomelding.md").read_text(encoding="utf-8").startswith("%")
    assert "de samenvatting volgt" in (tmp_path / "book" / "gegenereerd" / "samenvatting.md").read_text(encoding="utf-8")
    for b in boek.BIJLAGEN:
        assert tmp_path / "book" / "bijlagen" / f"{b}.md" in paden


def test_handgeschreven_paginas_tonen_de_demomelding():
    for pagina in (ROOT / "book").glob("*.md"):
        assert "```{include} gegenereerd/demomelding.md" in pagina.read_text(encoding="utf-8"), pagina.name


def test_elke_figuur_heeft_een_leeswijzer():
    import ast
    import json

    aantal = 0
    for pad in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cel in json.loads(pad.read_text(encoding="utf-8"))["cells"]:
            if cel["cell_type"] != "code":
                continue
            for knoop in ast.walk(ast.parse("".join(cel["source"]))):
                if isinstance(knoop, ast.Call) and getattr(knoop.func, "attr", None) == "toon":
                    aantal += 1
                    woorden = {k.arg for k in knoop.keywords}
                    assert "leeswijzer" in woorden or len(knoop.args) >= 4, f"{pad.name}: figure without leeswijzer"
    assert aantal > 0


@pytest.mark.traag
def test_demomelding_op_elke_pagina(gebouwd_boek, project):
    """Built from demo data, every page of the book shows the notice in the page itself."""
    toc = yaml.safe_load(project.toc_pad.read_text(encoding="utf-8"))
    paginas = _bestanden(toc)
    assert len(paginas) > 20
    for pagina in paginas:
        html = (gebouwd_boek / f"{pagina}.html").read_text(encoding="utf-8")
        inhoud = html.split('<article class="bd-article"', 1)[-1]
        assert "<strong>Demodata.</strong>" in inhoud, pagina
    downloads = gebouwd_boek / "_downloads"
    assert any(downloads.rglob("factsheet-*.xlsx")) and any(downloads.rglob("resultaten.csv"))


@pytest.mark.traag
def test_verhuisd_label_in_een_volgende_build(tmp_path):
    """A label that moved to a page Sphinx reads earlier does not fail the next (incremental) build: Sphinx
    re-reads changed pages one by one, so without a fresh environment the label was still registered at its
    old page ("duplicate label", an error under -W). Seen when the reading key moved to the Leeswijzer."""
    from vwanalyse.boek.jupyterbook import bouw_html

    project = Project(root=tmp_path, config_map=tmp_path / "config", data_map=tmp_path / "data")
    (tmp_path / "_config.yml").write_text("title: t\nonly_build_toc_files: true\nexecute:\n  execute_notebooks: 'off'\n"
                                          "exclude_patterns: [_build]\n", encoding="utf-8")
    project.bouwconfig_pad.parent.mkdir(parents=True)
    shutil.copy(tmp_path / "_config.yml", project.bouwconfig_pad)
    project.toc_pad.write_text("format: jb-book\nroot: a\nchapters:\n- file: b\n- file: c\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("# A\n\nZie {ref}`uitleg`.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n\nTekst.\n", encoding="utf-8")
    (tmp_path / "c.md").write_text("# C\n\n(uitleg)=\n## Uitleg\n\nTekst.\n", encoding="utf-8")
    bouw_html(project)
    (tmp_path / "c.md").write_text("# C\n\nTekst.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n\n(uitleg)=\n## Uitleg\n\nTekst.\n", encoding="utf-8")
    bouw_html(project)  # raised BoekFout before jupyter-book ran with --all
    assert 'id="uitleg"' in (project.html_map / "b.html").read_text(encoding="utf-8")


def test_bevolkingsprofiel_uit_de_tabel_en_onderdrukt_als_overal(config, demo_rapport):
    """Sizes are the noemer of the configured indicators; a suppressed characteristic is 'x¹' with its reason."""
    import dataclasses

    gebied = "batau"
    meting = opslag.laatste_meting(demo_rapport, gebied)
    t = demo_rapport.tabel
    kop, rijen, noten = overzicht.bevolkingsprofiel(demo_rapport, gebied, meting)
    eerste = config.indicator[config.instellingen.bevolkingsprofiel.aantallen[0]]
    w = t[(t["gebied"] == gebied) & (t["rol"] == "wijk") & (t["meting"] == meting) & (t["indicator"] == eerste.id)].iloc[0]
    assert rijen[0][1] == f"{int(w['noemer']):,}".replace(",", ".") and noten == ""
    kenmerk = config.instellingen.bevolkingsprofiel.kenmerken[0]
    weg = t.copy()
    rij = (weg["gebied"] == gebied) & (weg["rol"] == "wijk") & (weg["meting"] == meting) & (weg["indicator"] == kenmerk)
    weg.loc[rij, ["onderdrukt", "reden"]] = [True, "cel<5"]
    _, rijen, noten = overzicht.bevolkingsprofiel(dataclasses.replace(demo_rapport, tabel=weg), gebied, meting)
    cel = next(r for r in rijen if f"indicator-{kenmerk.replace('_', '-')}>" in r[0])[1]
    assert cel == "x¹" and "cel<5" in noten
