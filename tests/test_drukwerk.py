"""Print products: the factsheet PDFs (boek.drukwerk) and the checks on PDFs (controle.drukcontrole).

The checks first prove on small, deliberately broken PDFs that each of them can fail; then (slow
tier) every factsheet PDF of the built demo book must pass all of them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from vwanalyse.boek import drukwerk
from vwanalyse.controle import drukcontrole as dc

ADRES = "https://voorbeeld.github.io/boek/"

# bounds of a factsheet PDF on the demo book (measured: 9-11 pages, 0,65-0,70 MB)
FACTSHEET_PAGINAS = (3, 12)
FACTSHEET_MAX_BYTES = 2_000_000


def _weasyprint_en_poppler():
    if dc.poppler_ontbreekt():
        pytest.skip(f"poppler-utils ontbreekt: {', '.join(dc.poppler_ontbreekt())}")
    try:
        import weasyprint  # noqa: F401
    except OSError as fout:
        pytest.skip(f"WeasyPrint kan pango niet laden: {fout}")


PAGINA_CSS = ('@page { size: A4; margin: 15mm; @bottom-right { content: "pagina " counter(page) " van " '
              'counter(pages); } } h2 { break-after: avoid; }')


def _pdf(tmp_path: Path, body: str, css: str = PAGINA_CSS, naam: str = "proef.pdf") -> Path:
    html = f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><style>{css}</style></head><body>{body}</body></html>'
    return drukwerk.druk(html, tmp_path, tmp_path / naam)


def _inhoud(n: int = 8) -> str:
    return "".join(f"<p>Regel {i} met wat tekst over de wijk.</p>" for i in range(n))


GOED = f"<h1>Factsheet</h1><h2>Gezondheid</h2>{_inhoud()}<h2>Veiligheid</h2>{_inhoud()}"


@pytest.fixture
def site(tmp_path) -> Path:
    (tmp_path / "site" / "book").mkdir(parents=True)
    (tmp_path / "site" / "book" / "indicatoren.html").write_text('<h1 id="indicator-rookt">Rookt</h1>')
    return tmp_path / "site"


# ---------------------------------------------------------------- links of the site in print


def test_links_van_de_site_wijzen_naar_de_gepubliceerde_site():
    pagina = "book/uitvoer/factsheet-a-2025.html"
    assert drukwerk.naar_site("../bijlagen/indicatoren.html#indicator-rookt", pagina, ADRES, set()) == \
        ADRES + "book/bijlagen/indicatoren.html#indicator-rookt"
    assert drukwerk.naar_site("#gezondheid", pagina, ADRES, {"gezondheid"}) == "#gezondheid"  # inside the PDF
    assert drukwerk.naar_site("#elders", pagina, ADRES, set()) == ADRES + pagina + "#elders"
    assert drukwerk.naar_site("https://www.cbs.nl/", pagina, ADRES, set()) == "https://www.cbs.nl/"
    with pytest.raises(drukwerk.DrukFout, match="buiten de site"):
        drukwerk.naar_site("../../../geheim.html", pagina, ADRES, set())


def test_publicatieadres_wordt_gecontroleerd(tmp_path, project):
    import shutil

    from vwanalyse.model.configuratie import ConfigFout, laad_configuratie

    kopie = tmp_path / "config"
    shutil.copytree(project.config_map, kopie)
    instellingen = kopie / "instellingen.yml"
    tekst = instellingen.read_text(encoding="utf-8")
    assert re.search(r"^publicatieadres: https://\S+/$", tekst, flags=re.M)
    instellingen.write_text(re.sub(r"^publicatieadres: .*$", "publicatieadres: file:///tmp/site", tekst, flags=re.M),
                            encoding="utf-8")
    with pytest.raises(ConfigFout, match="publicatieadres.*https"):
        laad_configuratie(kopie)


# ---------------------------------------------------------------- each check can fail


def test_een_goede_pdf_doorstaat_elke_controle(tmp_path, site):
    _weasyprint_en_poppler()
    body = GOED + f'<p><a href="{ADRES}book/indicatoren.html#indicator-rookt">Rookt</a> <a href="#x">hier</a></p>' \
                  '<p id="x">Doel.</p>'
    pdf = _pdf(tmp_path, body)
    assert dc.paginanummers(pdf) == []
    assert dc.lege_paginas(pdf) == []
    assert dc.koppen_onderaan(pdf) == []
    assert dc.links(pdf, site, ADRES) == []
    assert dc.bladwijzers(pdf) == []
    assert dc.omvang(pdf, (1, 2), 200_000) == []


def test_zonder_paginanummers_faalt(tmp_path):
    _weasyprint_en_poppler()
    pdf = _pdf(tmp_path, GOED, css="@page { size: A4; }")
    assert dc.paginanummers(pdf) == ["proef.pdf p. 1: verwacht 'pagina 1 van 1', gevonden: geen paginanummer"]


def test_bijna_lege_pagina_faalt(tmp_path):
    _weasyprint_en_poppler()
    pdf = _pdf(tmp_path, GOED + '<p style="break-before: page">Zo lees je deze figuur.</p>')
    fout = dc.lege_paginas(pdf)
    assert len(fout) == 1 and fout[0].startswith("proef.pdf p. 2: bijna leeg (1 regel(s) inhoud")
    assert dc.lege_paginas(pdf, omslagen=frozenset({2})) == []


def test_figuur_als_vectoren_telt_als_inhoud(tmp_path):
    _weasyprint_en_poppler()
    # an SVG figure is printed as vectors: no image and no text for poppler, but ink on the page
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="170mm" height="200mm" viewBox="0 0 170 200">'
           + "".join(f'<rect x="{x}" y="{y}" width="30" height="20" fill="none" stroke="black" stroke-width="1.5"/>'
                     for x in range(5, 160, 40) for y in range(5, 190, 30)) + "</svg>")
    pdf = _pdf(tmp_path, GOED + f'<div style="break-before: page">{svg}</div><p>Zo lees je deze figuur.</p>')
    assert dc.lege_paginas(pdf) == []
    assert dc.inkt(pdf, 2) >= dc.INKT_FIGUUR > dc.inkt(pdf, 1)  # the page of text (8 lines) has less ink


def test_kop_onderaan_de_pagina_faalt(tmp_path):
    _weasyprint_en_poppler()
    # a block that fills the page up to the last lines, then a heading whose content cannot follow
    body = ('<h1>Factsheet</h1><div style="height: 238mm"></div><h2>Onderwijs</h2>'
            '<div style="break-before: page">' + _inhoud() + "</div>")
    fout = dc.koppen_onderaan(_pdf(tmp_path, body))
    assert any("de kop 'Onderwijs' staat onderaan de pagina" in f for f in fout), fout


def _beeld(tmp_path: Path) -> str:
    from PIL import Image

    Image.new("RGB", (400, 300), "steelblue").save(tmp_path / "figuur.png")
    return '<img src="figuur.png" alt="figuur" style="width: 120mm">'


def test_kop_boven_een_figuur_telt_de_figuur_als_inhoud(tmp_path):
    _weasyprint_en_poppler()
    opvulling = '<h1>Factsheet</h1><div style="height: 100mm"></div>'
    assert dc.koppen_onderaan(_pdf(tmp_path, opvulling + "<h2>Netwerk</h2>" + _beeld(tmp_path))) == []
    # the figure on the next page does not count for the heading at the foot of this one
    fout = dc.koppen_onderaan(_pdf(tmp_path, opvulling.replace("100mm", "238mm") + "<h2>Netwerk</h2>"
                                   + _beeld(tmp_path).replace("<img", '<img style="display: block; break-before: page"'),
                                   naam="kapot.pdf"))
    assert any("de kop 'Netwerk' staat onderaan de pagina" in f for f in fout), fout


def test_kop_met_een_regel_onderaan_mag_als_de_volgende_pagina_met_een_kop_opent(tmp_path):
    _weasyprint_en_poppler()
    # a row of download links under each heading: one line is all there is under 'Overvecht'
    begin = f'<h1>Downloads</h1>{_inhoud(2)}<div style="height: 200mm"></div><h2>Overvecht</h2><p>CSV · Excel</p>'
    assert dc.koppen_onderaan(_pdf(tmp_path, begin + '<h2 style="break-before: page">Batau</h2><p>CSV · Excel</p>'
                                   + _inhoud())) == []
    fout = dc.koppen_onderaan(_pdf(tmp_path, begin + '<p style="break-before: page">Meer over Overvecht.</p>'
                                   + _inhoud(), naam="kapot.pdf"))
    assert any("de kop 'Overvecht' staat onderaan de pagina (1 regel(s) erna" in f for f in fout), fout


def test_houd_bij_elkaar_zet_kop_en_wat_volgt_in_een_blok():
    from bs4 import BeautifulSoup

    soep = BeautifulSoup(
        '<article><section><h3>Wijk</h3><section><h4>Gezondheid</h4><div class="cell"><div class="cell_output">'
        '<div class="output"><img src="f.png"></div></div></div></section></section>'
        '<section><h4>Projecten</h4><p>Alle projecten.</p><div class="pst-scrollable-table-container"><table>'
        '<tr><td>1</td></tr></table></div><p>Daarna.</p></section>'
        '<section><h4>Voortgang</h4><p>Per project de status.</p><div class="cell"><div class="cell_output">'
        '<div class="pst-scrollable-table-container"><table><tr><td>2</td></tr></table></div><p>Noot.</p>'
        '</div></div><p>Verder.</p></section></article>', "html.parser")
    drukwerk.houd_bij_elkaar(soep, soep.article, ("h3", "h4"))
    blokken = soep.select("div.vw-blok")
    # the heading over a subsection goes with the subsection's heading and the notebook's output
    # heading, intro, the notebook's table and its note (in the output): one block, not one in another
    assert [[e.name for e in b.find_all(recursive=False)] for b in blokken] == [
        ["h3", "h4", "div"], ["h4", "p", "div"], ["h4", "p", "div", "p"]]
    assert blokken[0].find("img") and blokken[1].find("table")
    assert blokken[1].find_next_sibling("p").get_text() == "Daarna."  # what follows a table of the text is not held
    assert blokken[2].parent["class"] == ["cell_output"] and blokken[2].find_all("p")[-1].get_text() == "Noot."


def test_regel_van_een_indicator_blijft_bij_zijn_figuur():
    """An indicator's definition line (its name in bold, linked) goes with the figure after it and the
    figure's reading line; a paragraph that merely opens in bold does not (issue 17: on the pijler pages
    the line stood at the foot of the page before its figure)."""
    from bs4 import BeautifulSoup

    soep = BeautifulSoup(
        '<article><p>Tabel.</p><p><strong><a href="#indicator-roken">Rookt</a></strong> — percentage.</p>'
        '<p><img src="f.png"></p><p>Zo lees je deze figuur.</p>'
        '<p><strong>Demodata.</strong> Synthetisch.</p><p><img src="g.png"></p><p>Leesregel.</p></article>',
        "html.parser")
    drukwerk.houd_bij_elkaar(soep, soep.article)
    blokken = [[e.get_text(" ", strip=True) or e.find("img")["src"] for e in b.find_all(recursive=False)]
               for b in soep.select("div.vw-blok")]
    assert blokken == [["Rookt — percentage.", "f.png", "Zo lees je deze figuur."], ["g.png", "Leesregel."]]


def test_lokale_en_dode_links_falen(tmp_path, site):
    _weasyprint_en_poppler()
    body = GOED + (f'<p><a href="file:///tmp/_build/singlehtml/_downloads/x.csv">download</a> '
                   f'<a href="{ADRES}book/weg.html">weg</a> <a href="{ADRES}book/indicatoren.html#geen">geen</a> '
                   '<a href="http://voorbeeld.nl/">http</a></p>')
    fout = dc.links(_pdf(tmp_path, body), site, ADRES)
    assert any("lokaal bestand: file:///tmp/_build" in f for f in fout), fout
    assert any("book/weg.html, dat niet in de gebouwde site" in f for f in fout), fout
    assert any("geen anker #geen" in f for f in fout), fout
    assert any("http://voorbeeld.nl/ werkt niet voor een lezer" in f for f in fout), fout
    assert len(fout) == 4


def test_dubbele_en_verdubbelde_bladwijzers_falen(tmp_path):
    _weasyprint_en_poppler()
    body = f"<h1>Boek</h1><h2>Overvecht</h2>{_inhoud()}<h2>Overvecht</h2>{_inhoud()}<h2>BatauBatau</h2>{_inhoud()}"
    assert dc.bladwijzers(_pdf(tmp_path, body)) == [
        "proef.pdf: bladwijzer 'Overvecht' staat twee keer onder 'Boek'",
        "proef.pdf: bladwijzer met verdubbelde titel 'BatauBatau'"]


def test_omvang_buiten_de_grenzen_faalt(tmp_path):
    _weasyprint_en_poppler()
    pdf = _pdf(tmp_path, GOED + '<p style="break-before: page">Nog een blad.</p>' + _inhoud())
    assert dc.omvang(pdf, (1, 1), 1_000) == [
        "proef.pdf: 2 pagina's, verwacht 1 tot 1",
        f"proef.pdf: {pdf.stat().st_size / 1e6:.1f} MB, verwacht hoogstens 0.0 MB"]


def test_druk_schrijft_niets_half_bij_een_fout(tmp_path, monkeypatch):
    _weasyprint_en_poppler()
    import weasyprint

    def kapot(self, doel, **_):
        Path(doel).write_bytes(b"%PDF-half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", kapot)
    with pytest.raises(OSError):
        _pdf(tmp_path, GOED)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- the factsheets of the demo book


@pytest.mark.traag
def test_factsheet_pdfs_van_het_boek(gebouwd_boek, project, config):
    _weasyprint_en_poppler()
    from vwanalyse.boek import paginas
    from vwanalyse.controle.uitgave import lees_index
    from vwanalyse.uitvoer.taken import matrix

    r = paginas.lees_rapport(config, project.resultaten_map)
    verwacht = drukwerk.factsheets(matrix(config, project), r)
    # one per gebied x meting with data, derived from the configuration and the results
    assert len(verwacht) == sum(1 for g in config.gebieden for m in config.metingen
                                if drukwerk.heeft_meting(r, m.jaar, g.id))
    pdfs = sorted((gebouwd_boek / "pdf").glob("*.pdf"))
    assert [p.stem for p in pdfs] == sorted(t.naam for t in verwacht)
    index = lees_index(gebouwd_boek)["bestanden"]
    adres = config.instellingen.publicatieadres
    for taak in verwacht:
        pdf = gebouwd_boek / drukwerk.pdf_pad(taak.naam)
        assert drukwerk.pdf_pad(taak.naam) in index  # in the site's index: checked by verify and the archive
        pagina = (gebouwd_boek / "book" / "uitvoer" / f"{taak.naam}.html").read_text(encoding="utf-8")
        assert f'href="../../{drukwerk.pdf_pad(taak.naam)}"' in pagina, f"{taak.naam}: geen link naar de PDF"
        fout = (dc.paginanummers(pdf) + dc.lege_paginas(pdf) + dc.koppen_onderaan(pdf)
                + dc.links(pdf, gebouwd_boek, adres) + dc.bladwijzers(pdf)
                + dc.omvang(pdf, FACTSHEET_PAGINAS, FACTSHEET_MAX_BYTES))
        assert not fout, "\n".join(fout)
        tekst = " ".join(" ".join(dc.paginateksten(pdf)).split())
        g = config.gebied[taak.parameters["gebied"]]
        assert f"Factsheet {g.naam}" in tekst and f"meting {taak.parameters['meting']}" in tekst
        assert config.gemeente[g.gemeente].naam in tekst
        assert "Kernboodschappen" in tekst and "In één oogopslag" in tekst
        assert all(p.naam in tekst for p in config.pijlers)
        manifest_id = drukwerk.voetregel(project.boek_map / "bijlagen" / "manifest.json")
        assert manifest_id in tekst
        meta = json.loads((project.resultaten_map / "meta.json").read_text(encoding="utf-8"))
        if meta["databron"]["demodata"]:
            from vwanalyse.boek.jupyterbook import DEMO_MELDING
            assert " ".join(DEMO_MELDING.split()) in tekst
        # indicator names link to their definitions on the site
        assert any("indicatoren.html#indicator-" in h for h in dc.linkdoelen(pdf))


@pytest.mark.traag
def test_factsheet_pdfs_zijn_byte_stabiel(gebouwd_boek, project, config, tmp_path):
    _weasyprint_en_poppler()
    from vwanalyse.boek import paginas
    from vwanalyse.uitvoer.taken import matrix

    r = paginas.lees_rapport(config, project.resultaten_map)
    taak = drukwerk.factsheets(matrix(config, project), r)[0]
    bron = gebouwd_boek / "book" / "uitvoer" / f"{taak.naam}.html"
    html = drukwerk.factsheet_html(config, r, taak, bron.read_text(encoding="utf-8"), f"book/uitvoer/{taak.naam}.html",
                                   config.instellingen.publicatieadres,
                                   drukwerk.voetregel(project.boek_map / "bijlagen" / "manifest.json"))
    opnieuw = drukwerk.druk(html, bron, tmp_path / "opnieuw.pdf")
    assert opnieuw.read_bytes() == (gebouwd_boek / drukwerk.pdf_pad(taak.naam)).read_bytes()


def _met_inhoudsopgave(tmp_path: Path, nummers: list[str], naam: str) -> Path:
    """A PDF of a table of contents and two chapters (pp. 2 and 3), with the page numbers given."""
    regels = "".join(f'<li style="display: flex"><span>{t}</span><span style="flex: 1"></span><span>{n}</span></li>'
                     for t, n in zip(["Hoofdstuk een", "Hoofdstuk twee"], nummers))
    body = (f'<p>Inhoud</p><ol style="list-style: none">{regels}</ol>'
            + "".join(f'<h2 style="break-before: page">{t}</h2>{_inhoud()}' for t in ["Hoofdstuk een", "Hoofdstuk twee"]))
    return _pdf(tmp_path, body, naam=naam)


def test_inhoudsopgave_klopt_alleen_met_de_juiste_paginanummers(tmp_path):
    _weasyprint_en_poppler()
    assert dc.inhoudsopgave(_met_inhoudsopgave(tmp_path, ["2", "3"], "goed.pdf")) == []
    fout = dc.inhoudsopgave(_met_inhoudsopgave(tmp_path, ["3", "3"], "verwisseld.pdf"))
    assert fout == ["verwisseld.pdf p. 1: 'Hoofdstuk een' staat volgens de inhoudsopgave op pagina 3, maar die "
                    "pagina toont die titel niet"]
    fout = dc.inhoudsopgave(_met_inhoudsopgave(tmp_path, ["", "3"], "zonder.pdf"))
    assert fout == ["zonder.pdf p. 1: inhoudsregel zonder paginanummer: 'Hoofdstuk een'"]
    assert dc.inhoudsopgave(_pdf(tmp_path, GOED, naam="geen.pdf")) == ["geen.pdf: geen inhoudsopgave (geen pagina "
                                                                       "die opent met 'Inhoud')"]


# ---------------------------------------------------------------- the report PDF (eindrapportage)

RAPPORT_PAGINAS = (100, 600)  # demo book: 428 pages
RAPPORT_MAX_BYTES = 10_000_000  # a gemeente can mail it (issue 17); demo book: 8,5 MB (23,9 MB before the print copies)


@pytest.fixture(scope="module")
def rapport_pdf(gebouwd_boek, project):
    _weasyprint_en_poppler()
    from vwanalyse.boek import publicatie

    try:
        publicatie.chromium()
    except publicatie.PublicatieFout as fout:
        pytest.skip(str(fout))
    return publicatie.maak_pdf(project)


@pytest.mark.traag
def test_rapport_pdf_links_en_paginanummers(rapport_pdf, gebouwd_boek, config):
    fout = dc.paginanummers(rapport_pdf) + dc.links(rapport_pdf, gebouwd_boek, config.instellingen.publicatieadres)
    assert not fout, "\n".join(fout[:20])
    assert not [h for h in dc.linkdoelen(rapport_pdf) if h.startswith("file:")]


# Demo book, Chromium (issue 17): 428 pages, 8,5 MB, no near-empty page, no heading at a page foot.
@pytest.mark.traag
@pytest.mark.parametrize("controle", ["bladwijzers", "lege_paginas", "koppen_onderaan", "omvang", "inhoudsopgave"])
def test_rapport_pdf_opmaak(rapport_pdf, controle):
    fout = {"bladwijzers": lambda: dc.bladwijzers(rapport_pdf),
            "lege_paginas": lambda: dc.lege_paginas(rapport_pdf, omslagen=frozenset({1})),
            "koppen_onderaan": lambda: dc.koppen_onderaan(rapport_pdf),
            "omvang": lambda: dc.omvang(rapport_pdf, RAPPORT_PAGINAS, RAPPORT_MAX_BYTES),
            "inhoudsopgave": lambda: dc.inhoudsopgave(rapport_pdf)}[controle]()
    assert not fout, "\n".join(fout[:20])


@pytest.mark.traag
def test_verify_drukt_de_rapport_pdf_opnieuw_en_ziet_een_vervalsing(rapport_pdf, project, tmp_path):
    """A report PDF changed together with its .sha256 passes the checksum; verify's new print of the same
    build tells, and that new print is the same bytes as the first (Chromium's print time and random
    file id are removed; before that two prints differed in 30 bytes)."""
    import os

    from vwanalyse import pijplijn
    from vwanalyse.boek import publicatie
    from vwanalyse.controle import uitgave

    vals = tmp_path / "eindrapportage.pdf"
    vals.write_bytes(rapport_pdf.read_bytes() + b"\n% toegevoegd\n")  # a viewer shows the same pages
    publicatie.schrijf_controlegetal(vals)
    assert uitgave.controleer_controlegetal(vals, "pdf") == []
    voor = rapport_pdf.read_bytes()
    verschillen = [str(v) for v in pijplijn._herdruk(vals, project, dict(os.environ), tmp_path)]
    assert len(verschillen) == 1 and verschillen[0].startswith(
        "pdf          eindrapportage.pdf: is niet de afdruk van deze build: sha256 "), verschillen
    assert rapport_pdf.read_bytes() == voor, "a second print of the same build is the same bytes"


def omslagtitels(pdf: Path) -> int:
    """How often the book's title (the PDF's first bookmark) stands as a line of its own on the cover."""
    titel = dc.bladwijzerlijst(pdf)[0][1]
    return sum(1 for r in dc.paginateksten(pdf)[0].splitlines() if " ".join(r.split()) == titel)


@pytest.mark.traag
def test_rapport_pdf_titel_eenmaal_op_de_omslag(rapport_pdf):
    # the theme printed the title above our cover as well (2 on the PDF of session 8)
    assert omslagtitels(rapport_pdf) == 1


def test_bladwijzertitel_herstelt_alleen_wat_chromium_verdubbelt():
    from vwanalyse.boek.publicatie import bladwijzertitel

    kop = {"".join(t.split()): t for t in ["Overvecht", "Wat bewoners en professionals vertellen", "BatauBatau"]}
    assert bladwijzertitel("OvervechtOvervecht", kop) == "Overvecht"  # heading at a page top
    assert bladwijzertitel("Wat bewoners en professionalsvertellen", kop) == "Wat bewoners en professionals vertellen"
    assert bladwijzertitel("BatauBatau", kop) == "BatauBatau"  # a heading that really is doubled stays
    assert bladwijzertitel("VollenhoveVollenhove", kop) == "VollenhoveVollenhove"  # no such heading: left for the check
