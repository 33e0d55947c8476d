"""Publishing: the eindrapportage as one PDF, and a reproducible archive of the HTML site.

- `maak_pdf()` builds the single-page HTML with Jupyter Book (same build configuration as
  `vwanalyse build`, so the demo-data banner comes along; the notebooks were already executed)
  and prints it with headless Chromium to `_build/pdf/eindrapportage.pdf`.
- `maak_archief()` packs a folder into a byte-reproducible .tar.gz (sorted entries, fixed
  times, owners and modes, gzip time 0) and writes its checksum in `sha256sum` format.

Command line: `vwanalyse pdf`, `vwanalyse archief`.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from html import escape
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from vwanalyse.basis.bestanden import atomair_pad, schrijf_tekst, sha256
from vwanalyse.basis.fouten import VwFout
from vwanalyse.basis.processen import draai
from vwanalyse.basis.project import Project
from vwanalyse.boek.drukwerk import houd_bij_elkaar, naar_site
from vwanalyse.boek.jupyterbook import jupyter_book
from vwanalyse.model.configuratie import laad_configuratie
from vwanalyse.weergave.opmaak import opsomming


class PublicatieFout(VwFout):
    """The PDF or the archive could not be made (no Chromium, no build yet, ...)."""

    exitcode = 1
    kop = "niet gepubliceerd"


# Looked up in this order; VWANALYSE_CHROMIUM overrides. Debian names it chromium, Ubuntu
# chromium-browser; GitHub's runners come with google-chrome.
CHROMIUM_NAMEN = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_TIJDSLIMIET = 600  # seconds
CHROMIUM_OPTIES = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
    "--generate-pdf-document-outline",  # bookmarks from the headings
    # virtual time runs until the page is idle (all images decoded) or this many ms have passed
    "--virtual-time-budget=60000",
)
ARCHIEF_MTIME = 0  # every entry's time in the archive


def chromium() -> str:
    """The Chromium (or Chrome) executable; PublicatieFout naming what was looked for if none."""
    eigen = os.environ.get("VWANALYSE_CHROMIUM")
    for naam in ([eigen] if eigen else CHROMIUM_NAMEN):
        pad = shutil.which(naam)
        if pad:
            return pad
    raise PublicatieFout(f"geen Chromium gevonden (gezocht naar {eigen or ', '.join(CHROMIUM_NAMEN)} in PATH); "
                         "installeer het (Debian: apt-get install chromium) of zet VWANALYSE_CHROMIUM")


def singlehtml(project: Project) -> Path:
    """Build the whole book as one HTML page with the build configuration; returns that page.

    Sphinx writes the page under the name of the root document (book/intro.html) but with every
    link relative to the output folder, so it is saved as eindrapportage.html in that folder, with
    its links to itself made local (they stay clickable in the PDF).
    """
    for pad in (project.bouwconfig_pad, project.toc_pad):
        if not pad.is_file():
            raise PublicatieFout(f"{pad} ontbreekt; draai eerst `vwanalyse build` (dat voert de notebooks "
                                 "uit en schrijft de buildconfiguratie en de inhoudsopgave)")
    jupyter_book(project, "--builder", "singlehtml", "-W", "-n", "--keep-going")
    toc = yaml.safe_load(project.toc_pad.read_text(encoding="utf-8"))
    wortel = toc["root"]
    uit = project.singlehtml_map
    tekst = (uit / f"{wortel}.html").read_text(encoding="utf-8")
    pagina = uit / "eindrapportage.html"
    config = laad_configuratie(project.config_map)
    adres = config.instellingen.publicatieadres
    if not adres:
        raise PublicatieFout(f"{project.config_map / 'instellingen.yml'}: publicatieadres ontbreekt; verwacht het "
                             "https-adres van de gepubliceerde site (de links in de PDF wijzen daarheen)")
    tekst = met_delen(tekst.replace(f'href="{wortel}.html#', 'href="#'), toc)
    gebieden = [f"{g.naam} ({config.gemeente[g.gemeente].naam})" for g in config.gebieden]
    schrijf_tekst(pagina, drukbeelden(drukversie(tekst, adres, config.instellingen.bronvermelding,
                                                 [m.jaar for m in config.metingen], gebieden), uit))
    return pagina


DRUKBEELD_MAP = "_images/druk"  # print copies of the figures, next to the one-page build's images
DRUKBEELD_KLEUREN = 64  # colours of a printed figure: the palette's few plus their anti-aliasing (64: demo book under 10 MB)


def drukbeeld(bron: Path, doel: Path) -> Path:
    """A print copy of a PNG figure: flattened on white (no alpha mask in the PDF) and reduced to a
    palette of DRUKBEELD_KLEUREN colours at the same pixel size, so text and lines stay as sharp and
    the PDF's compressed image is a fraction of the size."""
    from PIL import Image

    with Image.open(bron) as beeld:
        beeld.load()
        wit = Image.new("RGB", beeld.size, "white")
        rgba = beeld.convert("RGBA")
        wit.paste(rgba, mask=rgba.getchannel("A"))
    doel.parent.mkdir(parents=True, exist_ok=True)
    palet = wit.quantize(colors=DRUKBEELD_KLEUREN, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    with atomair_pad(doel) as tmp:
        palet.save(tmp, format="PNG", optimize=True)
    return doel


def drukbeelden(tekst: str, uit: Path) -> str:
    """The one-page book with every PNG figure replaced by its print copy (`drukbeeld`)."""
    def vervang(m: re.Match) -> str:
        src = m.group(2)
        bron = uit / src
        if not bron.is_file():
            raise PublicatieFout(f"{bron} ontbreekt; verwacht de figuur {src} van het boek op één pagina")
        doel = uit / DRUKBEELD_MAP / Path(src).name
        drukbeeld(bron, doel)
        return f'{m.group(1)}{DRUKBEELD_MAP}/{Path(src).name}"'

    return re.sub(r'(<img\b[^>]*?\bsrc=")(_images/[^"/]+\.png)"', vervang, tekst)


DRUKKOPPEN = ("h2", "h3", "h4", "h5", "h6")  # kept with what follows; the h1 is the book's title, on the cover
PAGINA_PLAATSHOUDER = "000"  # a page number before it is known: as wide as the widest, so the layout stays
DRUKRONDES = 3  # prints until every page number the report names stands where it points (2 on the demo book)


def paginaverwijzing(anker: str) -> str:
    """The page number of an anchor of the printed report, filled in after a print (`met_paginanummers`)."""
    return f'<span class="vw-pagina" data-anker="{escape(anker)}">{PAGINA_PLAATSHOUDER}</span>'


def met_paginanummers(tekst: str, paginas: dict[str, int]) -> str:
    """The printed report with the page number of every `paginaverwijzing` whose anchor is in `paginas`."""
    def vul(m: re.Match) -> str:
        nummer = paginas.get(m.group(2))
        return m.group(1) + (str(nummer) if nummer is not None else PAGINA_PLAATSHOUDER) + "</span>"

    return re.sub(r'(<span class="vw-pagina" data-anker="([^"]+)">)[^<]*</span>', vul, tekst)


def verwezen_ankers(tekst: str) -> list[str]:
    return re.findall(r'<span class="vw-pagina" data-anker="([^"]+)">', tekst)


def ankerpaginas(pdf: Path, ankers: list[str]) -> dict[str, int]:
    """The page (1 = first) on which Chromium put each anchor, from the PDF's named destinations."""
    import pikepdf

    with pikepdf.open(pdf) as doc:
        nummer = {p.objgen: i for i, p in enumerate(doc.pages, start=1)}
        doelen = doc.Root.get("/Dests") or {}
        uit = {}
        for anker in ankers:
            doel = doelen.get("/" + anker)
            if doel is None:
                raise PublicatieFout(f"de PDF heeft geen plaats voor het anker #{anker} waarnaar de inhoudsopgave "
                                     "of een paginaverwijzing wijst; staat de pagina in het boek op één pagina?")
            uit[anker] = nummer[doel[0].objgen]
    return uit


def _omslag(titel: str, bronvermelding: str, metingen: list[int], gebieden: list[str], adres: str) -> str:
    """The cover: title, what the report covers, by whom (the bronvermelding without the title it
    repeats) and where the online version is."""
    door = bronvermelding.removeprefix(titel).strip(" ()") if bronvermelding.startswith(titel) else bronvermelding
    jaren = opsomming([str(m) for m in metingen])
    return ('<section class="vw-omslag-rapport">'
            f'<h1 class="vw-omslag-titel">{escape(titel)}</h1>'
            f'<p class="vw-omslag-ondertitel">Eindrapportage, metingen {jaren}</p>'
            + (f'<p class="vw-omslag-wijken">{escape(" · ".join(gebieden))}</p>' if gebieden else "")
            + f'<p class="vw-omslag-door">{escape(door)}</p>'
            f'<p class="vw-omslag-adres">De online versie, met de downloads: <a href="{escape(adres)}">{escape(adres)}</a></p>'
            '</section>')


def _kopanker(soep: BeautifulSoup, anker: str) -> str:
    """Where a page of the one-page book begins in print: its first heading, which gets an id of its
    own. Sphinx's `document-...` anchor is an empty span before it, printed at the foot of the previous
    sheet, and the heading's section id may be another page's too (ids are unique per page only)."""
    e = soep.find(id=anker)
    kop = e.find_next(re.compile(r"^h[1-6]$")) if e is not None and anker.startswith("document-") else None
    if kop is None:
        return anker
    if not kop.get("id"):
        kop["id"] = "begin-" + anker.removeprefix("document-")
    return str(kop["id"])


def _inhoudsregel(anker: str, deel: bool, titel: str) -> str:
    klasse = ' class="vw-toc-deel"' if deel else ""
    return (f'<li{klasse}><a href="#{anker}"><span class="vw-toc-titel">{escape(titel)}</span>'
            f'<span class="vw-toc-punten"></span>{paginaverwijzing(anker)}</a></li>')


def drukversie(tekst: str, adres: str, bronvermelding: str, metingen: list[int] = (),
               gebieden: list[str] = ()) -> str:
    """The one-page book as it is printed: a cover and a table of contents (its page numbers filled
    in after a first print, `maak_pdf`) before the first page, a section that stands for something
    printed elsewhere in the report without its subsections (its print note `.vw-in-druk-elders` says
    where, with the page), every heading
    kept on the page of what follows it and every figure with its reading line
    (`drukwerk.houd_bij_elkaar`), and every link that is not an anchor of the page itself pointing to
    the published site `adres` (a download, a full-size figure, a factsheet PDF), never to a file of
    the builder.

    Sphinx writes its own links relative to the output folder; a link written as raw HTML in a page
    (the factsheet's PDF link) is relative to that page, whose place the `document-...` anchor before it names.
    """
    soep = BeautifulSoup(tekst, "html.parser")
    for notitie in soep.select(".vw-in-druk-elders"):  # its section keeps its own text, not its subsections
        sectie = notitie.find_parent("section")
        for e in sectie.find_all("section", recursive=False) if sectie is not None else []:
            e.extract()
        for a in notitie.select('a[href^="#"]'):
            anker = _kopanker(soep, str(a["href"])[1:])
            a["href"] = f"#{anker}"
            a.append(BeautifulSoup(f" (pagina {paginaverwijzing(anker)})", "html.parser"))
    ankers = {str(e["id"]) for e in soep.find_all(id=True)}
    document = "index.html"
    for e in soep.find_all(["span", "a"]):
        if e.name == "span" and str(e.get("id", "")).startswith("document-"):
            document = str(e["id"]).removeprefix("document-") + ".html"
        elif e.name == "a" and e.get("href"):
            href = str(e["href"])
            waar = document if href.startswith("../") else "index.html"
            e["href"] = naar_site(href, waar, adres, ankers)
    artikel = soep.find("article", class_="bd-article") or soep.body
    houd_bij_elkaar(soep, artikel, DRUKKOPPEN)
    titel = soep.find("h1")
    regels = []
    for e in soep.find_all(["section", "span"]):
        if e.name == "section" and "vw-deel" in (e.get("class") or []):
            regels.append((str(e["id"]), True, e.get_text(" ", strip=True)))
        elif e.name == "span" and str(e.get("id", "")).startswith("document-"):
            kop = e.find_next(re.compile(r"^h[1-6]$"))  # a page under another page has a lower heading
            if kop is not None:
                naam = " ".join(" ".join(t for t in kop.find_all(string=True) if t.parent.name != "a" or
                                         "headerlink" not in (t.parent.get("class") or [])).split())
                if regels and regels[-1][1] and regels[-1][2] == naam:
                    continue  # a part of one page with the part's title: the part's line stands for it
                regels.append((_kopanker(soep, str(e["id"])), False, naam))
    titeltekst = titel.get_text(" ", strip=True).rstrip("#").strip() if titel else ""
    voorkant = BeautifulSoup(
        _omslag(titeltekst, bronvermelding, list(metingen), list(gebieden), adres)
        + f'<nav class="vw-inhoud" aria-label="Inhoud"><p class="vw-inhoud-kop">Inhoud</p><ol>{"".join(_inhoudsregel(*r) for r in regels)}</ol></nav>',
        "html.parser")
    artikel.insert(0, voorkant)
    return str(soep)


def met_delen(tekst: str, toc: dict) -> str:
    """The one-page HTML with the toc's part captions (De monitor, Wijken, ...) as headings.

    Sphinx's one-page build leaves the captions out. Each goes before the first page of its part
    as a level-2 heading, and every heading from the first part on moves one level down (h2-h5;
    the book has no h6), so the PDF's bookmarks nest the pages under their part.
    """
    delen = [d for d in toc.get("parts") or [] if d.get("caption")]
    if not delen:
        return tekst
    ankers = []
    for deel in delen:
        eerste = deel["chapters"][0]["file"]
        anker = f'<span id="document-{eerste}"></span>'
        if anker not in tekst:
            raise PublicatieFout(f"het boek op één pagina heeft geen pagina {eerste} (de eerste van het deel "
                                 f"{deel['caption']!r} in de inhoudsopgave); draai `vwanalyse build` opnieuw")
        ankers.append(anker)
    begin = tekst.index(ankers[0])
    rest = re.sub(r"<(/?)h([2-5])(?=[\s>])", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", tekst[begin:])
    for nummer, (deel, anker) in enumerate(zip(delen, ankers), start=1):
        # in a section of its own, like Sphinx's headings: a bare h2 gets its text twice in Chromium's bookmarks
        kop = f'<section class="vw-deel" id="deel-{nummer}"><h2>{escape(deel["caption"])}</h2></section>\n'
        rest = rest.replace(anker, kop + anker, 1)
    return tekst[:begin] + rest


def print_pdf(html: Path, doel: Path) -> Path:
    """Print an HTML file to PDF with headless Chromium (fresh profile), written atomically."""
    html, doel = Path(html).resolve(), Path(doel)
    with tempfile.TemporaryDirectory(prefix="vwanalyse-chromium-", ignore_cleanup_errors=True) as profiel, atomair_pad(doel) as tmp:
        opdracht = [chromium(), *CHROMIUM_OPTIES, f"--user-data-dir={profiel}",
                    f"--print-to-pdf={tmp}", html.as_uri()]
        try:
            resultaat = draai(opdracht, capture_output=True, text=True, timeout=CHROMIUM_TIJDSLIMIET)
        except subprocess.TimeoutExpired:
            raise PublicatieFout(f"Chromium was niet binnen {CHROMIUM_TIJDSLIMIET} s klaar met het afdrukken van "
                                 f"{html}") from None
        with open(tmp, "rb") as f:
            begin = f.read(5)
        if resultaat.returncode != 0 or begin != b"%PDF-":
            raise PublicatieFout(f"Chromium heeft {html} niet als PDF afgedrukt (exitcode {resultaat.returncode}):\n"
                                 + resultaat.stderr[-2000:])
    return doel


def koppen(tekst: str) -> list[str]:
    """The text of every heading (h1-h6) of an HTML page, without its permalink sign."""
    soep = BeautifulSoup(tekst, "html.parser")
    for a in soep.select("a.headerlink"):
        a.decompose()
    return [" ".join(k.get_text(" ", strip=True).split()) for k in soep.find_all(re.compile(r"^h[1-6]$"))]


def bladwijzertitel(titel: str, kop: dict[str, str]) -> str:
    """The heading a Chromium bookmark title stands for: Chromium drops the space at a line wrap
    ('professionalsvertellen') and gives a heading that starts a page its text twice
    ('OvervechtOvervecht'). `kop` maps every heading without whitespace to the heading; a title
    that is neither leaves as it is (so a real doubled heading stays visible to the checks)."""
    sleutel = "".join(titel.split())
    if sleutel in kop:
        return kop[sleutel]
    helft = len(sleutel) // 2
    if len(sleutel) % 2 == 0 and sleutel[:helft] == sleutel[helft:] and sleutel[:helft] in kop:
        return kop[sleutel[:helft]]
    return titel


def herstel_pdf(pdf: Path, koptitels: list[str]) -> Path:
    """The printed PDF with its bookmark titles repaired (`bladwijzertitel`), without print time or
    random id (two prints of the same HTML are the same bytes), and its objects packed in
    compressed object streams: Chromium writes the tagged structure (one dictionary for every
    paragraph and table cell, ~7 MB on the demo book) uncompressed. Written atomically."""
    import pikepdf

    kop = {"".join(t.split()): t for t in koptitels}
    with pikepdf.open(pdf) as doc, atomair_pad(pdf) as tmp:
        with doc.open_outline() as outline:
            rij = list(outline.root)
            while rij:
                item = rij.pop()
                item.title = bladwijzertitel(str(item.title), kop)
                rij.extend(item.children)
        for pagina in doc.pages:
            for _, beeld in pagina.get_images(recursive=False).items():
                _als_palet(beeld)
        # byte-stable: Chromium stamps the print time and a random file id (qpdf derives one from the content)
        for sleutel in ("/CreationDate", "/ModDate"):
            if sleutel in doc.docinfo:
                del doc.docinfo[sleutel]
        if "/ID" in doc.trailer:
            del doc.trailer["/ID"]
        doc.save(tmp, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
                 deterministic_id=True)
    return pdf


def _als_palet(beeld) -> None:
    """An RGB image of the PDF with at most 256 colours (a print copy of a figure, `drukbeeld`)
    rewritten as an indexed image: the same pixels, one byte each instead of three. Chromium
    expands every PNG to full RGB."""
    import pikepdf
    from PIL import Image

    if beeld.get("/SMask") is not None or beeld.get("/BitsPerComponent") != 8 or beeld.get("/Filter") != pikepdf.Name.FlateDecode:
        return
    pil = pikepdf.PdfImage(beeld).as_pil_image()
    if pil.mode != "RGB" or pil.getcolors(256) is None:
        return
    kleuren = [k for _, k in pil.getcolors(256)]
    palet = Image.new("P", (1, 1))
    palet.putpalette([c for k in kleuren for c in k])
    indexbeeld = pil.quantize(palette=palet, dither=Image.Dither.NONE)  # exact: every colour is in the palette
    beeld.write(_png_idat(indexbeeld), filter=pikepdf.Name.FlateDecode,
                decode_parms=pikepdf.Dictionary(Predictor=15, Colors=1, BitsPerComponent=8, Columns=pil.width))
    beeld.ColorSpace = pikepdf.Array([pikepdf.Name.Indexed, pikepdf.Name.DeviceRGB, len(kleuren) - 1,
                                      pikepdf.String(bytes(c for k in kleuren for c in k))])


def _png_idat(beeld) -> bytes:
    """The compressed pixel data of `beeld` as a PNG encoder writes it (row filters chosen per row):
    a PDF reads it as a Flate stream with the PNG predictor."""
    import io
    import struct

    buf = io.BytesIO()
    beeld.save(buf, format="PNG", optimize=True)
    png, pos, data = buf.getvalue(), 8, []
    while pos < len(png):
        lengte, soort = struct.unpack(">I4s", png[pos:pos + 8])
        if soort == b"IDAT":
            data.append(png[pos + 8:pos + 8 + lengte])
        pos += 12 + lengte
    return b"".join(data)


def maak_pdf(project: Project) -> Path:
    """The eindrapportage as one PDF (`_build/pdf/eindrapportage.pdf`) from the executed notebooks,
    with its checksum beside it (`eindrapportage.pdf.sha256`, `sha256sum -c` format)."""
    html = singlehtml(project)
    tekst = html.read_text(encoding="utf-8")
    with atomair_pad(project.pdf_pad) as proef:  # the PDF appears when its page numbers are right
        paginas: dict[str, int] = {}
        for _ in range(DRUKRONDES):
            schrijf_tekst(html, met_paginanummers(tekst, paginas))
            nieuw = ankerpaginas(print_pdf(html, proef), verwezen_ankers(tekst))
            if nieuw == paginas:
                break
            paginas = nieuw
        else:
            raise PublicatieFout(f"de paginanummers in de inhoudsopgave van {html} staan na {DRUKRONDES} keer "
                                 "afdrukken nog niet vast (elke ronde schuift de opmaak); meld dit als fout")
        herstel_pdf(proef, koppen(tekst))
    schrijf_controlegetal(project.pdf_pad)
    return project.pdf_pad


def schrijf_controlegetal(pad: Path) -> str:
    """`<pad>.sha256` in sha256sum format (checked by `vwanalyse verify` and `sha256sum -c`)."""
    controlegetal = sha256(pad)
    schrijf_tekst(Path(f"{pad}.sha256"), f"{controlegetal}  {Path(pad).name}\n")
    return controlegetal


def _normaliseer(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mtime = ARCHIEF_MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o755 if info.isdir() else 0o644
    return info


def maak_archief(html_map: Path, doel: Path) -> tuple[Path, str]:
    """Pack `html_map` into the .tar.gz `doel` (top folder: its name without .tar.gz) plus `<doel>.sha256`.

    Identical folder contents give byte-identical archives: entries sorted by path, every time,
    owner and mode fixed, no file name or time in the gzip header. Returns (archive, sha256 hex).
    """
    html_map, doel = Path(html_map), Path(doel)
    if not html_map.is_dir():
        raise PublicatieFout(f"{html_map} is geen map; bouw eerst het boek (`vwanalyse build`)")
    wortel = doel.name.removesuffix(".tar.gz")
    paden = sorted(html_map.rglob("*"), key=lambda p: p.relative_to(html_map).as_posix())
    with atomair_pad(doel) as tmp:
        with open(tmp, "wb") as ruw, \
                gzip.GzipFile(filename="", mode="wb", fileobj=ruw, mtime=0, compresslevel=9) as gz, \
                tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            tar.add(html_map, arcname=wortel, recursive=False, filter=_normaliseer)
            for pad in paden:
                if pad.is_symlink():
                    raise PublicatieFout(f"{pad}: symbolische links worden niet gearchiveerd; verwacht: gewone bestanden")
                naam = f"{wortel}/{pad.relative_to(html_map).as_posix()}"
                tar.add(pad, arcname=naam, recursive=False, filter=_normaliseer)
    return doel, schrijf_controlegetal(doel)
