"""Print products: a factsheet PDF per gebied × meting with data, printed from the built site.

Each factsheet page of the site (`book/uitvoer/factsheet-<gebied>-<meting>.html`) becomes an A4
PDF in the site itself (`pdf/<page>.pdf`, linked from that page), so the site's index, the
archive and the rebuild of `verify` cover the PDFs like every other file of the site:

    cover block (wijk, gemeente, meting, demo notice) + key messages + scorecard   <- results table
    per pijler: table, figure, duiding; the reading key                             <- the built page
    source line; every page: page number, build date and manifest id               <- configuration, manifest

The renderer is WeasyPrint (paged-media CSS: page counters in the footer, `break-after: avoid`
for headings, bookmarks from the headings, links kept). Its output depends only on the HTML, the
images and the fonts: no creation date, no random id; so the same site gives the same bytes.
Every link in a PDF points to the published site (`instellingen.publicatieadres`) or inside the
PDF itself; never to a file of the builder.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import posixpath
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from vwanalyse.basis.bestanden import atomair_pad
from vwanalyse.basis.fouten import VwFout
from vwanalyse.basis.project import Project
from vwanalyse.boek.jupyterbook import DEMO_MELDING
from vwanalyse.model.configuratie import Configuratie
from vwanalyse.resultaten.opslag import Rapport, heeft_meting
from vwanalyse.uitvoer.taken import Taak
from vwanalyse.weergave import overzicht
from vwanalyse.weergave.rapport import demotekst
from vwanalyse.weergave.woorden import FACTSHEET, PDF_MAP, pdf_pad

class DrukFout(VwFout):
    """A PDF could not be made from the built site."""

    exitcode = 1
    kop = "geen PDF gemaakt"


def factsheets(taken: list[Taak], r: Rapport) -> list[Taak]:
    """The factsheet pages that get a PDF: every gebied × meting of the matrix with data."""
    return [t for t in taken if t.sjabloon == FACTSHEET
            and heeft_meting(r, int(t.parameters["meting"]), t.parameters["gebied"])]


def voetregel(manifest_pad: Path) -> str:
    """'versie van 2026-12-02 · manifest 1a2b3c4d5e6f' from the manifest the site shows: the date of the
    commit that was built and the first digits of the manifest's sha256 (so a reader can find both)."""
    ruw = Path(manifest_pad).read_bytes()
    datum = (json.loads(ruw).get("git") or {}).get("datum") or "onbekende datum"
    return f"versie van {datum} · manifest {hashlib.sha256(ruw).hexdigest()[:12]}"


# ---------------------------------------------------------------- links


def naar_site(href: str, pagina: str, adres: str, ankers: set[str]) -> str:
    """A link of the site page `pagina` (path in the site) as it works in its PDF: an anchor of
    the PDF stays, any other link of the site becomes a link to the published site."""
    delen = urlsplit(href)
    if delen.scheme or href.startswith("//"):
        return href
    if not delen.path:
        if delen.fragment in ankers:
            return href
        doel = pagina
    else:
        doel = posixpath.normpath(posixpath.join(posixpath.dirname(pagina), delen.path))
        if doel.startswith("../"):
            raise DrukFout(f"{pagina}: de link {href!r} wijst buiten de site")
    return adres + doel + (f"#{delen.fragment}" if delen.fragment else "")


# ---------------------------------------------------------------- the HTML of one factsheet


CSS = """
@page {
  size: A4;
  margin: 16mm 15mm 20mm;
  @bottom-left { content: VOET; font-size: 7pt; color: #444; }
  @bottom-right { content: "pagina " counter(page) " van " counter(pages); font-size: 7.5pt; color: #444; }
}
html { font-family: "DejaVu Sans", sans-serif; font-size: 8.6pt; line-height: 1.35; color: #111; }
body { margin: 0; }
.vw-omslag { border: 2px solid #1a4f8b; padding: 5mm 6mm; margin-bottom: 5mm; }
.vw-omslag h1 { font-size: 20pt; margin: 0 0 1mm; color: #1a4f8b; }
.vw-omslag .vw-ondertitel { font-size: 12pt; margin: 0 0 2mm; }
.vw-omslag .vw-demo { border-left: 3px solid #b35900; padding-left: 2mm; font-weight: bold; margin: 2mm 0 0; }
h1 { font-size: 15pt; }
h2 { font-size: 12.5pt; color: #1a4f8b; border-bottom: 1px solid #1a4f8b; margin: 5mm 0 2mm;
     break-after: avoid; break-before: auto; }
h3, h4 { font-size: 10pt; margin: 3mm 0 1.5mm; break-after: avoid; }
h2 + *, h3 + *, h4 + * { break-before: avoid; }
section.vw-pijler { break-before: auto; }
td p, th p { margin: 0; }
td ul, td ol { margin: 0; padding-left: 3mm; }
p, li { orphans: 2; widows: 2; }
a { color: #1a4f8b; text-decoration: none; }
a.headerlink { display: none; }
table { width: 100%; border-collapse: collapse; margin: 1.5mm 0 2.5mm; font-size: 7.8pt; }
caption { text-align: left; font-weight: bold; padding-bottom: 1mm; }
th, td { border-bottom: 0.5pt solid #bbb; padding: 0.7mm 1.2mm; text-align: left; vertical-align: top; }
thead th { border-bottom: 1pt solid #333; }
tr, figure, img, .vw-blok { break-inside: avoid; }
img { max-width: 100%; max-height: 118mm; width: auto; height: auto; object-fit: contain; }
.vw-figuurhint, .vw-navigatie, .vw-demomelding { display: none; }
.admonition { border-left: 3px solid #999; padding: 0.5mm 3mm; margin: 2mm 0; break-inside: avoid; }
.admonition-title { font-weight: bold; margin: 1mm 0; }
.vw-balk { display: flex; height: 3mm; width: 45mm; border: 0.5pt solid #888; margin: 0.5mm 0; }
.vw-balk > span { display: block; height: 100%; }
.vw-balk-niet-getoetst { background: #ddd; }
.vw-telling { display: block; font-size: 7.5pt; }
table.vw-scorekaart tbody tr:last-child th, table.vw-scorekaart tbody tr:last-child td { font-weight: bold; }
.vw-bron { break-before: avoid; font-size: 7.5pt; color: #333; margin-top: 4mm; border-top: 0.5pt solid #999; padding-top: 1.5mm; }
"""


def _inhoud(pagina_html: str, pagina: str, adres: str) -> tuple[str, str]:
    """The article of a built factsheet page (title, body HTML) with its links made to work in print."""
    soep = BeautifulSoup(pagina_html, "html.parser")
    artikel = soep.find("article", class_="bd-article") or soep.find("main")
    if artikel is None:
        raise DrukFout(f"{pagina}: geen artikel (<article class=\"bd-article\">) in de gebouwde pagina")
    for weg in artikel.select("a.headerlink, nav.vw-navigatie, .vw-demomelding, .vw-figuurhint, script, "
                              "details.above-input, .cell_input"):
        weg.decompose()
    titel = artikel.find("h1")
    titeltekst = titel.get_text(" ", strip=True) if titel else pagina
    if titel:
        titel.decompose()
    # every pijler (a level-2 section) on a sheet of its own: its table and figure stay together
    for sectie in artikel.find_all("section"):
        if sectie.find("h2", recursive=False):
            sectie["class"] = [*sectie.get("class", []), "vw-pijler"]
    houd_bij_elkaar(soep, artikel)
    ankers = {str(e["id"]) for e in artikel.find_all(id=True)}
    for a in artikel.find_all("a", href=True):
        a["href"] = naar_site(str(a["href"]), pagina, adres, ankers)
    return titeltekst, artikel.decode_contents()


def _is_bijschrift(e) -> bool:
    """A paragraph that is only a bold line, or that opens with an indicator's name in bold (its
    definition line, `rapport.indicator_kop`): the title of the table or figure after it."""
    kinderen = [k for k in e.contents if not (isinstance(k, str) and not k.strip())]
    if e.name != "p" or not kinderen or getattr(kinderen[0], "name", None) != "strong":
        return False
    return len(kinderen) == 1 or any("#indicator-" in str(a.get("href", "")) for a in kinderen[0].find_all("a"))


KOPPEN = ("h2", "h3", "h4")  # the headings of a factsheet (its title, the h1, is the cover's)


def _is_inleiding(e) -> bool:
    """A plain paragraph of text (no figure): under a heading, it may introduce what follows it."""
    return e is not None and e.name == "p" and e.find("img") is None


def _is_tabel_of_cel(e) -> bool:
    return e.name == "table" or bool({"pst-scrollable-table-container", "cell"} & set(e.get("class", [])))


def _is_notebooktabel(e) -> bool:
    """A table in a notebook's output (the paragraphs after it in that output are its notes)."""
    return "pst-scrollable-table-container" in e.get("class", []) and e.parent is not None and \
        bool({"cell_output", "output"} & set(e.parent.get("class", [])))


def _aanhang(e) -> list:
    """What goes with the last element of a block: a figure's reading line (the paragraph after it),
    or the notes under a table of a notebook (every paragraph after it in the output)."""
    if e.name == "p" and e.find("img") is not None:
        volgend = e.find_next_sibling()
        return [volgend] if volgend is not None and _is_inleiding(volgend) else []
    if _is_notebooktabel(e):
        return list(itertools.takewhile(_is_inleiding, e.find_next_siblings()))
    return []


def houd_bij_elkaar(soep: BeautifulSoup, artikel, koppen: tuple[str, ...] = KOPPEN) -> None:
    """Headings and table titles are printed on the same page as what follows them, and a figure with
    its reading line, and a notebook's table with its notes: each such run is wrapped in a block that
    is not split (`.vw-blok`). A heading followed by a paragraph that introduces a table or a notebook
    cell keeps both with it.

    A heading followed by a notebook cell moves into the cell's output, before its first element, and
    a heading followed by a section (a subsection opening with its own heading) into that section, so
    that it can be kept with that element (with the paragraph between them that introduces the cell or
    subsection); headings are taken last first, so that a heading over a
    subsection ends up with the subsection's heading and the block under it."""
    for kop in reversed(artikel.find_all(list(koppen))):
        mee, volgend = [kop], kop.find_next_sibling()
        na = volgend.find_next_sibling() if volgend is not None else None
        if _is_inleiding(volgend) and na is not None and (na.name == "section" or "cell" in na.get("class", [])):
            mee, volgend = [kop, volgend], na  # the paragraph introducing the cell or subsection goes too
        while volgend is not None and volgend.name in ("div", "section") and (
                volgend.name == "section" or {"cell", "cell_output"} & set(volgend.get("class", []))):
            eerste = next(iter(volgend.find_all(recursive=False)), None)
            if eerste is None:
                break
            for e in mee:
                eerste.insert_before(e.extract())
            volgend = eerste
    begin = [e for e in artikel.find_all([*koppen, "p", "div"])
             if e.name in koppen or e.name == "p" and (_is_bijschrift(e) or e.find("img")) or _is_notebooktabel(e)]
    gedaan = set()
    for e in begin:
        if id(e) in gedaan or e.parent is None:
            continue
        rij, volgend = [e], e.find_next_sibling()
        while True:
            while volgend is not None and (volgend.name in koppen or _is_bijschrift(volgend)):
                rij.append(volgend)
                volgend = volgend.find_next_sibling()
            if volgend is None or (e.find("img") and volgend.name != "p"):
                break
            rij.append(volgend)
            na = volgend.find_next_sibling()
            if e.name in koppen and _is_inleiding(volgend) and na is not None:
                if na.name in koppen:  # a heading, its intro, and the subsection's heading with its block
                    volgend = na
                    continue
                if _is_tabel_of_cel(na):
                    rij.append(na)  # a heading, the paragraph that introduces a table or a notebook's output, and that
            break
        rij.extend(_aanhang(rij[-1]))
        gedaan.update(id(x) for x in rij)
        if len(rij) > 1:
            blok = soep.new_tag("div", attrs={"class": "vw-blok"})
            rij[0].insert_before(blok)
            for x in rij:
                blok.append(x.extract())


def factsheet_html(config: Configuratie, r: Rapport, taak: Taak, pagina_html: str, pagina: str,
                   adres: str, voet: str) -> str:
    """The whole HTML document of one factsheet PDF."""
    gebied, meting = taak.parameters["gebied"], int(taak.parameters["meting"])
    g = config.gebied[gebied]
    gemeente = config.gemeente[g.gemeente].naam
    _, body = _inhoud(pagina_html, pagina, adres)
    boodschappen = "".join(f"<li>{escape(b)}</li>" for b in overzicht.kernboodschappen(r, gebied, meting))
    omslag = (
        f'<div class="vw-omslag"><h1 class="vw-titel">Factsheet {escape(g.naam)}</h1>'
        f'<p class="vw-ondertitel">{escape(gemeente)} · meting {meting}</p>'
        f"<p>{escape(config.instellingen.bronvermelding)}. De online versie, met alle definities: "
        f'<a href="{escape(adres + pagina)}">{escape(adres + pagina)}</a></p>'
        + (f'<p class="vw-demo">{escape(DEMO_MELDING)}</p>' if demotekst(r) else "")
        + "</div>")
    kern = (f'<div class="vw-blok"><h2>Kernboodschappen</h2><ul>{boodschappen}</ul></div>'
            f'<div class="vw-blok"><h2>In één oogopslag</h2>{overzicht.scorekaart(r, gebied, meting)}</div>')
    bron = (f'<p class="vw-bron">Bron: {escape(config.instellingen.bronvermelding)}; berekend uit de '
            f"resultatentabel van het boek ({escape(voet)}). Definities van de indicatoren, de methode en de "
            f'leeswijzer: <a href="{escape(adres)}">{escape(adres)}</a>.</p>')
    return (f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
            f"<title>Factsheet {escape(g.naam)}, meting {meting}</title>"
            f'<meta name="author" content="{escape(config.instellingen.bronvermelding)}">'
            f"<style>{CSS.replace('VOET', _css_tekst(f'Factsheet {g.naam}, meting {meting} · {voet}'))}</style>"
            "</head><body>"
            f"{omslag}{kern}{body}{bron}</body></html>")


def _css_tekst(tekst: str) -> str:
    """A CSS string literal."""
    return '"' + tekst.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------- printing


def druk(html: str, basis: Path, doel: Path) -> Path:
    """Print an HTML document (images relative to `basis`) to the PDF `doel`, written atomically."""
    try:
        from weasyprint import HTML  # imported here: loading pango takes a moment
    except OSError as fout:  # pango missing: WeasyPrint cannot load its libraries
        raise DrukFout(f"WeasyPrint kan pango niet laden ({fout}); installeer het (Debian: apt-get install "
                       "libpango-1.0-0 libpangoft2-1.0-0, of `make druk-pakketten` als root)") from None

    with atomair_pad(doel) as tmp:
        HTML(string=html, base_url=str(basis)).write_pdf(tmp, pdf_identifier=False, uncompressed_pdf=False)
    return doel


def maak_factsheets(project: Project, config: Configuratie, taken: list[Taak], r: Rapport) -> list[Path]:
    """The factsheet PDFs in the built site; each replaces the previous one, none is left half-written."""
    adres = config.instellingen.publicatieadres
    if not adres:
        raise DrukFout(f"{project.config_map / 'instellingen.yml'}: publicatieadres ontbreekt; verwacht het https-adres "
                       "van de gepubliceerde site (de links in de PDF's wijzen daarheen)")
    voet = voetregel(project.boek_map / "bijlagen" / "manifest.json")
    gemaakt = []
    for taak in factsheets(taken, r):
        pagina = f"book/uitvoer/{taak.naam}.html"
        bron = project.html_map / pagina
        if not bron.is_file():
            raise DrukFout(f"{bron} ontbreekt; verwacht de gebouwde factsheet van {taak.omschrijving}")
        html = factsheet_html(config, r, taak, bron.read_text(encoding="utf-8"), pagina, adres, voet)
        gemaakt.append(druk(html, bron, project.html_map / pdf_pad(taak.naam)))
    return gemaakt

