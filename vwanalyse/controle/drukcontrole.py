"""Checks on printed PDFs (factsheets, eindrapportage), read with poppler (pdftotext, pdfimages, pdftohtml).

Each check returns its findings as Dutch lines ('<file> p. 3: ...'); an empty list means in order.
What they look at, on the PDF itself rather than on the HTML it came from:

- `paginanummers`: every page says 'pagina N van M' with its own N and the real M;
- `lege_paginas`: no page holds less than a few lines (a line of text or a figure) besides its footer,
  except the covers named;
- `koppen_onderaan`: every bookmarked heading has content after it on its own page;
- `links`: no file:// link, every link into the site resolves against the built site (file and
  anchor), other links are https or stay inside the PDF;
- `bladwijzers`: no bookmark twice among its siblings, and no doubled title ('OvervechtOvervecht');
- `omvang`: page count and file size within the stated bounds;
- `inhoudsopgave`: every entry of the printed table of contents has a page number, and that page
  shows the entry's title.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

POPPLER = ("pdftotext", "pdfimages", "pdftohtml", "pdfinfo")
MIN_REGELS = 4  # a page with fewer lines of content (a figure counts as MIN_REGELS) is near-empty
INKT_DPI = 20
INKT_FIGUUR = 0.05  # share of a page inked: a full A4 page of 9,5 pt text inks ~4 %, a vector figure 10 % or more
REGELS_NA_KOP = 2  # lines of content a heading needs after it on its page
VOET = re.compile(r"pagina (\d+) van (\d+)")
INHOUDSREGEL = re.compile(r"^(\S.*?\S)\s{2,}(\d{1,4})$")  # pdftotext -layout: 'Batau — meting 2021     84'


def poppler_ontbreekt() -> list[str]:
    return [p for p in POPPLER if not shutil.which(p)]


def _draai(*opdracht: str) -> str:
    return subprocess.run(opdracht, capture_output=True, text=True, check=True).stdout


@lru_cache(maxsize=64)
def _paginas(pdf: str, _versie: float) -> tuple[str, ...]:
    """The text of every page (pdftotext -layout; pages are separated by form feeds)."""
    tekst = _draai("pdftotext", "-layout", "-enc", "UTF-8", pdf, "-")
    return tuple(tekst.split("\f")[:-1] if tekst.endswith("\f") else tekst.split("\f"))


def paginateksten(pdf: Path) -> tuple[str, ...]:
    pdf = Path(pdf)
    return _paginas(str(pdf), pdf.stat().st_mtime)


def _xml(pdf: Path) -> ElementTree.Element:
    return ElementTree.fromstring(_draai("pdftohtml", "-xml", "-i", "-stdout", "-q", str(pdf)))


def _regels(tekst: str) -> list[str]:
    return [r.strip() for r in tekst.splitlines() if r.strip()]


def _zonder_voet(regels: list[str]) -> list[str]:
    """The lines of a page without its footer (the line with 'pagina N van M' and what is beside it)."""
    return [r for r in regels if not VOET.search(r)]


def paginanummers(pdf: Path) -> list[str]:
    paginas = paginateksten(pdf)
    fout = []
    for i, tekst in enumerate(paginas, start=1):
        nummers = [(int(a), int(b)) for a, b in VOET.findall(tekst)]
        if (i, len(paginas)) not in nummers:
            gevonden = ", ".join(f"pagina {a} van {b}" for a, b in nummers) or "geen paginanummer"
            fout.append(f"{Path(pdf).name} p. {i}: verwacht 'pagina {i} van {len(paginas)}', gevonden: {gevonden}")
    return fout


def afbeeldingen_per_pagina(pdf: Path) -> dict[int, int]:
    rijen = _draai("pdfimages", "-list", str(pdf)).splitlines()[2:]  # two header lines
    tel: dict[int, int] = {}
    for rij in rijen:
        kolommen = rij.split()
        if len(kolommen) > 2 and kolommen[2] == "image":
            tel[int(kolommen[0])] = tel.get(int(kolommen[0]), 0) + 1
    return tel


def inkt(pdf: Path, pagina: int) -> float:
    """The share of page `pagina`'s area that is inked (darker than light grey), rendered at INKT_DPI."""
    pgm = subprocess.run(["pdftoppm", "-f", str(pagina), "-l", str(pagina), "-r", str(INKT_DPI), "-gray", str(pdf)],
                         capture_output=True, check=True).stdout
    soort, maat, _, pixels = pgm.split(b"\n", 3)  # binary PGM: P5, width height, 255, the pixels
    breed, hoog = map(int, maat.split())
    return sum(1 for x in pixels[:breed * hoog] if x < 200) / (breed * hoog)


def lege_paginas(pdf: Path, omslagen: frozenset[int] = frozenset()) -> list[str]:
    """No page with fewer than MIN_REGELS lines of content besides its footer; an image counts as
    MIN_REGELS lines, and so does a figure drawn as vectors (an SVG: no image, little text), seen as
    more ink on the page than a full page of text leaves (INKT_FIGUUR)."""
    beelden = afbeeldingen_per_pagina(pdf)
    fout = []
    for i, tekst in enumerate(paginateksten(pdf), start=1):
        inhoud = len(_zonder_voet(_regels(tekst))) + MIN_REGELS * beelden.get(i, 0)
        if i not in omslagen and inhoud < MIN_REGELS and inkt(pdf, i) >= INKT_FIGUUR:
            inhoud += MIN_REGELS
        if i not in omslagen and inhoud < MIN_REGELS:
            fout.append(f"{Path(pdf).name} p. {i}: bijna leeg ({inhoud} regel(s) inhoud, verwacht minstens "
                        f"{MIN_REGELS}): {' / '.join(_zonder_voet(_regels(tekst)))[:120]!r}")
    return fout


def _vlak(tekst: str) -> str:
    return " ".join(tekst.split())


def bladwijzerlijst(pdf: Path) -> list[tuple[int, str, int]]:
    """(level, title, page) of every bookmark, in order."""
    uit = []

    def loop(outline: ElementTree.Element, niveau: int) -> None:
        for kind in outline:
            if kind.tag == "item":
                uit.append((niveau, _vlak("".join(kind.itertext())), int(kind.get("page") or 0)))
            elif kind.tag == "outline":
                loop(kind, niveau + 1)

    wortel = _xml(pdf).find("outline")
    if wortel is not None:
        loop(wortel, 1)
    return uit


def koppen_onderaan(pdf: Path) -> list[str]:
    """Every bookmarked heading is followed, on its own page, by at least REGELS_NA_KOP lines or by a
    figure (an image placed below the heading's last line); one line is enough when the next page
    opens with a heading (that line was all there was under it)."""
    paginas = paginateksten(pdf)
    fout = []
    lijst = bladwijzerlijst(pdf)
    for _, titel, pagina in lijst:
        if not 1 <= pagina <= len(paginas):
            fout.append(f"{Path(pdf).name}: bladwijzer {titel!r} wijst naar pagina {pagina}, die er niet is")
            continue
        regels = _zonder_voet(_regels(paginas[pagina - 1]))
        eind = _kop_einde(regels, titel)
        if eind is None:
            fout.append(f"{Path(pdf).name} p. {pagina}: de kop {titel!r} van de bladwijzer staat niet op die pagina")
        elif len(regels) - eind - 1 < REGELS_NA_KOP and not _beeld_onder(pdf, pagina, regels[eind]) \
                and not (len(regels) - eind - 1 and _kop_bovenaan(lijst, paginas, pagina + 1)):
            fout.append(f"{Path(pdf).name} p. {pagina}: de kop {titel!r} staat onderaan de pagina "
                        f"({len(regels) - eind - 1} regel(s) erna, verwacht minstens {REGELS_NA_KOP})")
    return fout


@lru_cache(maxsize=8)
def _plaatsen(pdf: str, _versie: float) -> dict[int, tuple[tuple[tuple[float, str], ...], tuple[float, ...]]]:
    """Per page: (top, text) of every piece of text and the top of every image, as pdftohtml places
    them (same units for both; it writes the images to a folder of its own, thrown away)."""
    with tempfile.TemporaryDirectory(prefix="vwanalyse-pdf-") as tmp:
        wortel = ElementTree.fromstring(_draai("pdftohtml", "-xml", "-stdout", "-q", pdf, str(Path(tmp) / "b")))
    uit = {}
    for pagina in wortel.iter("page"):
        teksten = tuple((float(t.get("top")), _vlak("".join(t.itertext()))) for t in pagina.iter("text"))
        uit[int(pagina.get("number"))] = (teksten, tuple(float(b.get("top")) for b in pagina.iter("image")))
    return uit


def _beeld_onder(pdf: Path, pagina: int, regel: str) -> bool:
    """Whether an image lies on page `pagina` below the line `regel` (the last line of a heading)."""
    pdf = Path(pdf)
    teksten, beelden = _plaatsen(str(pdf), pdf.stat().st_mtime).get(pagina, ((), ()))
    regel = _vlak(regel)
    # the line as one piece of text, else the pieces it is made of (a font change splits a line)
    tops = [top for top, t in teksten if t == regel] or [top for top, t in teksten if t and len(t) * 2 >= len(regel) and t in regel]
    return bool(tops) and any(b >= max(tops) for b in beelden)


def _kop_bovenaan(lijst: list[tuple[int, str, int]], paginas: tuple[str, ...], pagina: int) -> bool:
    """Whether page `pagina` opens with a bookmarked heading: what stood under the heading before it
    (a single line, such as a row of download links) ended on the page before."""
    if pagina > len(paginas):
        return True
    regels = _zonder_voet(_regels(paginas[pagina - 1]))
    return bool(regels) and any(p == pagina and _kop_einde(regels[:4], t) is not None and
                                _vlak(t).startswith(_vlak(regels[0])) for _, t, p in lijst)


def _kop_einde(regels: list[str], titel: str) -> int | None:
    """The index of the last line of the heading `titel` (it may wrap over lines), the last occurrence."""
    doel = _vlak(titel)
    gevonden = None
    for i in range(len(regels)):
        tekst = ""
        for j in range(i, min(i + 4, len(regels))):
            tekst = _vlak(f"{tekst} {regels[j]}")
            if tekst == doel:
                gevonden = j
                break
            if not doel.startswith(tekst):
                break
    return gevonden


def linkdoelen(pdf: Path) -> list[str]:
    """Every link target in the PDF (as pdftohtml reports them)."""
    return [unescape(a.get("href") or "") for a in _xml(pdf).iter("a")]


def links(pdf: Path, site: Path, adres: str) -> list[str]:
    """No file:// link; a link into the published site must name a file and anchor of the built site."""
    pdf, site = Path(pdf), Path(site)
    fout, ankers = [], {}
    for href in sorted(set(linkdoelen(pdf))):
        delen = urlsplit(href)
        if delen.scheme == "file" or href.startswith("/"):
            fout.append(f"{pdf.name}: link naar een lokaal bestand: {href}")
        elif href.startswith(adres):
            rel = unquote(delen.path[len(urlsplit(adres).path):]) or "index.html"
            doel = site / rel
            if not doel.is_file():
                fout.append(f"{pdf.name}: link {href} wijst naar {rel}, dat niet in de gebouwde site {site} staat")
            elif delen.fragment:
                if rel not in ankers:
                    ankers[rel] = set(re.findall(r'\bid="([^"]+)"', doel.read_text(encoding="utf-8", errors="replace")))
                if delen.fragment not in ankers[rel]:
                    fout.append(f"{pdf.name}: link {href}: {rel} heeft geen anker #{delen.fragment}")
        elif delen.scheme in ("https", "mailto"):
            continue
        elif not delen.scheme and (not delen.path or delen.path == pdf.name or delen.path.endswith(".html")
                                   and delen.path.startswith(pdf.stem)):
            continue  # inside the PDF (pdftohtml names its own output for an internal link)
        else:
            fout.append(f"{pdf.name}: link {href} werkt niet voor een lezer (verwacht https naar {adres} of een "
                        "link binnen de PDF)")
    return fout


def bladwijzers(pdf: Path) -> list[str]:
    """No bookmark title twice among the bookmarks of one parent, and no doubled title."""
    fout, ouders, gezien = [], [None], {}
    for niveau, titel, _ in bladwijzerlijst(pdf):
        del ouders[niveau:]
        ouder = ouders[-1]
        sleutel = (tuple(ouders), titel)
        if sleutel in gezien:
            fout.append(f"{Path(pdf).name}: bladwijzer {titel!r} staat twee keer onder {ouder or 'de wortel'!r}")
        gezien[sleutel] = True
        helft = len(titel) // 2
        if len(titel) % 2 == 0 and helft and titel[:helft] == titel[helft:]:
            fout.append(f"{Path(pdf).name}: bladwijzer met verdubbelde titel {titel!r}")
        ouders.append(titel)
    return fout


def aantal_paginas(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _draai("pdfinfo", str(pdf)), flags=re.M).group(1))


def omvang(pdf: Path, paginas: tuple[int, int], max_bytes: int) -> list[str]:
    n, grootte = aantal_paginas(pdf), Path(pdf).stat().st_size
    fout = []
    if not paginas[0] <= n <= paginas[1]:
        fout.append(f"{Path(pdf).name}: {n} pagina's, verwacht {paginas[0]} tot {paginas[1]}")
    if grootte > max_bytes:
        fout.append(f"{Path(pdf).name}: {grootte / 1e6:.1f} MB, verwacht hoogstens {max_bytes / 1e6:.1f} MB")
    return fout


def inhoudsopgave(pdf: Path, kop: str = "Inhoud") -> list[str]:
    """The table of contents (from the page that opens with `kop` on, while every line is an entry):
    each entry ends in a page number, and the page of that number shows the entry's title."""
    paginas = paginateksten(pdf)
    naam = Path(pdf).name
    begin = next((i for i, t in enumerate(paginas) if _zonder_voet(_regels(t))[:1] == [kop]), None)
    if begin is None:
        return [f"{naam}: geen inhoudsopgave (geen pagina die opent met {kop!r})"]
    regels = [(begin + 1, r) for r in _zonder_voet(_regels(paginas[begin]))[1:]]
    for i in range(begin + 1, len(paginas)):
        vervolg = _zonder_voet(_regels(paginas[i]))
        if not vervolg or not all(INHOUDSREGEL.match(r) for r in vervolg):
            break
        regels += [(i + 1, r) for r in vervolg]
    if not regels:
        return [f"{naam} p. {begin + 1}: de inhoudsopgave is leeg"]
    fout = []
    for pagina, regel in regels:
        m = INHOUDSREGEL.match(regel)
        if m is None:
            fout.append(f"{naam} p. {pagina}: inhoudsregel zonder paginanummer: {regel!r}")
            continue
        titel, nummer = m.group(1), int(m.group(2))
        if not 1 <= nummer <= len(paginas):
            fout.append(f"{naam} p. {pagina}: {titel!r} verwijst naar pagina {nummer}, de PDF heeft er {len(paginas)}")
        elif "".join(titel.split()) not in "".join(paginas[nummer - 1].split()):
            fout.append(f"{naam} p. {pagina}: {titel!r} staat volgens de inhoudsopgave op pagina {nummer}, "
                        "maar die pagina toont die titel niet")
    return fout
