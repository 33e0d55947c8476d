"""Publishing: the reproducible HTML archive, the PDF of the eindrapportage and the release workflow."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from bs4 import BeautifulSoup

from vwanalyse.boek import publicatie

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to

WORKFLOW = ROOT / ".github" / "workflows" / "publiceer.yml"


# ---------------------------------------------------------------- archive


def _site(map: Path) -> Path:
    bestanden = {"index.html": "<h1>Monitor</h1>", "book/wijken/batau.html": "<h1>Batau</h1>",
                 "_images/figuur.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "_static/é.css": "a{}"}
    for naam, inhoud in bestanden.items():
        pad = map / naam
        pad.parent.mkdir(parents=True, exist_ok=True)
        (pad.write_bytes if isinstance(inhoud, bytes) else pad.write_text)(inhoud)
    return map


def test_archief_is_byte_identiek_voor_dezelfde_inhoud(tmp_path):
    a = _site(tmp_path / "a" / "html")
    b = _site(tmp_path / "b" / "html")
    # other times and permissions, files created in another order: must not matter
    for pad in b.rglob("*"):
        os.utime(pad, (1_700_000_000, 1_700_000_000))
    (b / "index.html").chmod(0o600)
    archief_a, som_a = publicatie.maak_archief(a, tmp_path / "uit-a" / "site.tar.gz")
    archief_b, som_b = publicatie.maak_archief(b, tmp_path / "uit-b" / "site.tar.gz")
    assert archief_a.read_bytes() == archief_b.read_bytes()
    assert som_a == som_b == hashlib.sha256(archief_a.read_bytes()).hexdigest()

    (b / "index.html").write_text("<h1>Monitor, gewijzigd</h1>")
    _, som_c = publicatie.maak_archief(b, tmp_path / "uit-c" / "site.tar.gz")
    assert som_c != som_a


def test_archief_inhoud_en_metadata(tmp_path):
    site = _site(tmp_path / "html")
    archief, _ = publicatie.maak_archief(site, tmp_path / "site.tar.gz")
    with tarfile.open(archief) as tar:
        leden = tar.getmembers()
        assert [l.name for l in leden] == [
            "site", "site/_images", "site/_images/figuur.png", "site/_static", "site/_static/é.css",
            "site/book", "site/book/wijken", "site/book/wijken/batau.html", "site/index.html"]
        assert {(l.mtime, l.uid, l.gid, l.uname, l.gname) for l in leden} == {(0, 0, 0, "", "")}
        assert {l.mode for l in leden if l.isfile()} == {0o644}
        assert tar.extractfile("site/_images/figuur.png").read() == (site / "_images/figuur.png").read_bytes()
    kop = archief.read_bytes()[:10]
    assert kop[:2] == b"\x1f\x8b" and kop[3] & 0x08 == 0 and kop[4:8] == b"\0\0\0\0"  # no name, mtime 0


def test_sha256_bestand_in_sha256sum_formaat(tmp_path):
    archief, som = publicatie.maak_archief(_site(tmp_path / "html"), tmp_path / "uit" / "site.tar.gz")
    controle = Path(f"{archief}.sha256")
    assert controle.read_text() == f"{som}  site.tar.gz\n"
    if shutil.which("sha256sum"):
        uit = subprocess.run(["sha256sum", "-c", controle.name], cwd=controle.parent, capture_output=True, text=True)
        assert uit.returncode == 0, uit.stdout + uit.stderr


def test_archief_zonder_html_noemt_de_map(tmp_path):
    with pytest.raises(publicatie.PublicatieFout, match="html"):
        publicatie.maak_archief(tmp_path / "html", tmp_path / "site.tar.gz")
    assert not (tmp_path / "site.tar.gz").exists()


# ---------------------------------------------------------------- the release workflow


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _stappen(workflow: dict) -> list[dict]:
    return [stap for job in workflow["jobs"].values() for stap in job.get("steps", [])]


def _make_doelen() -> set[str]:
    tekst = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z0-9_-]+):(?!=)", tekst, flags=re.M))


def test_workflow_draait_op_een_versietag():
    workflow = _workflow()
    trigger = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert set(trigger) == {"push"}
    assert set(trigger["push"]) == {"tags"} and trigger["push"]["tags"] == ["v*"]


def test_workflow_roept_alleen_bestaande_make_doelen_aan():
    opdrachten = "\n".join(stap.get("run", "") for stap in _stappen(_workflow()))
    doelen = re.findall(r"^\s*make\s+([A-Za-z0-9_-]+)", opdrachten, flags=re.M)
    assert doelen == ["book", "test", "pdf", "archief"]
    assert set(doelen) <= _make_doelen()


def test_workflow_publiceert_wat_onze_code_maakt(project):
    def rel(pad: Path) -> str:
        return pad.relative_to(project.root).as_posix()

    stappen = _stappen(_workflow())
    pages = [s for s in stappen if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert [s["with"]["path"] for s in pages] == [rel(project.html_map)]
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in stappen)
    release = [s["run"] for s in stappen if "gh release create" in s.get("run", "")]
    assert len(release) == 1
    bijlagen = set(re.findall(r"(?<![\w/])_build/[\w./*-]+", release[0]))
    from vwanalyse.weergave.woorden import PDF_MAP
    assert bijlagen == {rel(project.pdf_pad), f"{rel(project.pdf_pad)}.sha256", rel(project.archief_pad),
                        f"{rel(project.archief_pad)}.sha256", rel(project.manifest_pad),
                        f"{rel(project.html_map / PDF_MAP)}/*.pdf"}  # the factsheets (boek.drukwerk)


# ---------------------------------------------------------------- the PDF


class _Koppen(HTMLParser):
    """The text of the first <h1> of an HTML page, without Sphinx's permalink sign."""

    def __init__(self):
        super().__init__()
        self.diepte, self.tekst, self.klaar, self.in_link = 0, [], False, False

    def handle_starttag(self, tag, attrs):
        if tag == "h1" and not self.klaar:
            self.diepte = 1
        elif self.diepte and tag == "a" and "headerlink" in (dict(attrs).get("class") or ""):
            self.in_link = True

    def handle_endtag(self, tag):
        if tag == "h1" and self.diepte:
            self.diepte, self.klaar = 0, True
        elif tag == "a":
            self.in_link = False

    def handle_data(self, data):
        if self.diepte and not self.in_link:
            self.tekst.append(data)


def _titel(html: Path) -> str:
    parser = _Koppen()
    parser.feed(html.read_text(encoding="utf-8"))
    return " ".join("".join(parser.tekst).split())


def _toc_bestanden(knoop) -> list[str]:
    if isinstance(knoop, list):
        return [f for k in knoop for f in _toc_bestanden(k)]
    if not isinstance(knoop, dict):
        return []
    eigen = [knoop["file"]] if "file" in knoop else [knoop["root"]] if "root" in knoop else []
    return eigen + [f for sleutel in ("parts", "chapters", "sections") for f in _toc_bestanden(knoop.get(sleutel, []))]


def _poppler(*opdracht: str) -> str:
    return subprocess.run(opdracht, capture_output=True, text=True, check=True).stdout


def _vlak(tekst: str) -> str:
    return " ".join(tekst.split())


def _zonder_spaties(tekst: str) -> str:
    return "".join(tekst.split())


def _bladwijzers_onder(xml: str) -> dict[str, list[str]]:
    """Each bookmark's text (without spaces) -> the texts of all bookmarks nested under it.

    pdftohtml -xml writes an item's children as the <outline> right after it."""
    onder = {}
    for outline in ElementTree.fromstring(xml).iter("outline"):
        kinderen = list(outline)
        for item, volgend in zip(kinderen, kinderen[1:] + [None]):
            if item.tag == "item":
                geneste = volgend.iter("item") if volgend is not None and volgend.tag == "outline" else []
                # a part and its one page may share a title: keep the children of both
                onder.setdefault(_zonder_spaties("".join(item.itertext())), []).extend(
                    _zonder_spaties("".join(i.itertext())) for i in geneste)
    return onder


def test_delen_worden_koppen_met_hun_paginas_eronder():
    """The toc's part captions become headings, and every heading after them one level lower."""
    html = ('<h1>Boek</h1><h2>Inleiding</h2><div><span id="document-a"></span><section><h2>A</h2><h3>a</h3></section>'
            '<span id="document-b"></span><section><h2>B &amp; co</h2></section></div>')
    toc = {"root": "intro", "parts": [{"caption": "Deel één", "chapters": [{"file": "a"}]},
                                      {"caption": "R&D", "chapters": [{"file": "b"}]}]}
    assert publicatie.met_delen(html, toc) == (
        '<h1>Boek</h1><h2>Inleiding</h2><div>'
        '<section class="vw-deel" id="deel-1"><h2>Deel één</h2></section>\n'
        '<span id="document-a"></span><section><h3>A</h3><h4>a</h4></section>'
        '<section class="vw-deel" id="deel-2"><h2>R&amp;D</h2></section>\n'
        '<span id="document-b"></span><section><h3>B &amp; co</h3></section></div>')
    with pytest.raises(publicatie.PublicatieFout, match="geen pagina c .*'Weg'"):
        publicatie.met_delen(html, {"parts": [{"caption": "Weg", "chapters": [{"file": "c"}]}]})


@pytest.mark.traag
def test_pdf_bevat_elk_hoofdstuk_en_elke_figuur(gebouwd_boek, project):
    try:
        publicatie.chromium()
    except publicatie.PublicatieFout as fout:
        pytest.skip(str(fout))
    if not all(shutil.which(p) for p in ("pdftotext", "pdfinfo", "pdfimages", "pdftohtml")):
        pytest.skip("poppler-utils (pdftotext, pdfinfo, pdfimages, pdftohtml) is not installed")

    pdf = publicatie.maak_pdf(project)
    assert pdf == project.pdf_pad
    from vwanalyse.controle.uitgave import controleer_controlegetal
    assert controleer_controlegetal(pdf, "pdf") == []  # its .sha256 beside it, as verify checks
    info = _poppler("pdfinfo", str(pdf))
    paginas = int(re.search(r"^Pages:\s+(\d+)", info, flags=re.M).group(1))
    assert "(A4)" in info
    tekst = _vlak(_poppler("pdftotext", "-enc", "UTF-8", str(pdf), "-"))
    # Chromium takes a bookmark's text from the laid-out heading: a line break loses its space
    bladwijzers = [_zonder_spaties(unescape(b)) for b in
                   re.findall(r"<item[^>]*>(.*?)</item>", _poppler("pdftohtml", "-xml", "-i", "-stdout", str(pdf)))]

    # every page of _toc.yml, by the title of its built HTML page: in the text, and as a bookmark
    # in the order of the table of contents
    toc = yaml.safe_load(project.toc_pad.read_text(encoding="utf-8"))
    titels = [_titel(gebouwd_boek / f"{f}.html") for f in _toc_bestanden(toc)]
    assert len(titels) >= 20 and all(titels), titels
    ontbreekt = [t for t in titels if t not in tekst]
    assert not ontbreekt, f"titles missing from the text of the {paginas}-page PDF: {ontbreekt}"
    volgende = iter(bladwijzers)  # consumed while searching: checks the order too
    zonder_bladwijzer = [t for t in titels if not any(_zonder_spaties(t) in b for b in volgende)]
    assert not zonder_bladwijzer, f"no bookmark (in table-of-contents order) for: {zonder_bladwijzer}"

    # every part of _toc.yml is a bookmark with the bookmarks of its own pages nested under it
    onder = _bladwijzers_onder(_poppler("pdftohtml", "-xml", "-i", "-stdout", str(pdf)))
    for deel in toc["parts"]:
        eigen = [_zonder_spaties(_titel(gebouwd_boek / f"{f}.html")) for f in _toc_bestanden(deel["chapters"])]
        geneste = onder.get(_zonder_spaties(deel["caption"]))
        assert geneste is not None, f"no bookmark for the part {deel['caption']!r}: {sorted(onder)[:30]}"
        assert all(any(t in b for b in geneste) for t in eigen), (deel["caption"], eigen, geneste)

    meta = json.loads((ROOT / "_build" / "resultaten" / "meta.json").read_text(encoding="utf-8"))
    if meta["databron"]["demodata"]:
        from vwanalyse.boek.jupyterbook import DEMO_MELDING
        assert _vlak(DEMO_MELDING) in tekst

    # every figure PNG is embedded (Chromium keeps the pixel size); pdfimages lists one row per use
    from PIL import Image

    figuren = sorted((ROOT / "book" / "uitvoer" / "figuren").glob("*.png"))
    rijen = [r.split() for r in _poppler("pdfimages", "-list", str(pdf)).splitlines()[2:]]  # 2 header lines
    afbeeldingen = [(int(r[3]), int(r[4])) for r in rijen if r[2] == "image"]
    assert figuren and len(afbeeldingen) >= len(figuren), (len(afbeeldingen), len(figuren))
    ontbreekt = [f.name for f in figuren if Image.open(f).size not in set(afbeeldingen)]
    assert not ontbreekt, f"figures not in the PDF: {ontbreekt}"


def test_drukversie_linkt_naar_de_gepubliceerde_site_met_omslag_en_inhoud():
    """Downloads, figures and a page's own raw links point to the published site; anchors stay; a
    cover and a table of contents with every part and page come first."""
    adres = "https://voorbeeld.github.io/boek/"
    html = ('<html><body><article class="bd-article"><h1>Eindrapportage<a class="headerlink" href="#top">#</a></h1>'
            '<section class="vw-deel" id="deel-1"><h2>Wijken</h2></section>'
            '<span id="document-book/uitvoer/factsheet-a-2025"></span><section id="fa"><h5>Factsheet A</h5>'
            '<a href="../../pdf/factsheet-a-2025.pdf">PDF</a> <a href="_downloads/ab12/tabel.csv">csv</a> '
            '<a href="_images/fig.png">figuur</a> <a href="#fa">hier</a> <a href="https://www.cbs.nl/">CBS</a>'
            '</section></article></body></html>')
    uit = publicatie.drukversie(html, adres, "Monitor")
    hrefs = re.findall(r'href="([^"]+)"', uit)
    assert f"{adres}pdf/factsheet-a-2025.pdf" in hrefs
    assert f"{adres}_downloads/ab12/tabel.csv" in hrefs and f"{adres}_images/fig.png" in hrefs
    assert "#fa" in hrefs and "https://www.cbs.nl/" in hrefs
    assert not [h for h in hrefs if not h.startswith(("#", "https://"))], hrefs
    inhoud = BeautifulSoup(uit, "html.parser").select_one("nav.vw-inhoud")
    regels = [(a["href"], a.select_one(".vw-toc-titel").get_text(), a.select_one(".vw-pagina")["data-anker"])
              for a in inhoud.select("li a")]
    assert regels == [("#deel-1", "Wijken", "deel-1"),
                      ("#begin-book/uitvoer/factsheet-a-2025", "Factsheet A", "begin-book/uitvoer/factsheet-a-2025")]
    # at the page's heading: its document- anchor is printed at the foot of the sheet before
    assert 'h5 id="begin-book/uitvoer/factsheet-a-2025"' in uit
    assert uit.index("vw-omslag-rapport") < uit.index("vw-inhoud") < uit.index('id="deel-1"')
    from vwanalyse.boek.drukwerk import DrukFout

    with pytest.raises(DrukFout, match="buiten de site"):
        publicatie.drukversie(html.replace("../../pdf", "../../../pdf"), adres, "Monitor")


def test_paginanummers_vullen_alleen_bekende_ankers_in():
    tekst = (publicatie.paginaverwijzing("deel-1") + publicatie.paginaverwijzing("document-a")
             + publicatie.paginaverwijzing("deel-1"))
    assert publicatie.verwezen_ankers(tekst) == ["deel-1", "document-a", "deel-1"]
    uit = publicatie.met_paginanummers(tekst, {"deel-1": 7})
    assert re.findall(r">([^<]*)</span>", uit) == ["7", publicatie.PAGINA_PLAATSHOUDER, "7"]
    # filling in again replaces the numbers, it does not add to them
    assert re.findall(r">([^<]*)</span>", publicatie.met_paginanummers(uit, {"deel-1": 12, "document-a": 3})) == ["12", "3", "12"]


def test_omslag_herhaalt_de_titel_niet_en_noemt_metingen_en_wijken():
    html = '<html><body><article class="bd-article"><h1>Monitor X</h1><p>tekst</p></article></body></html>'
    uit = publicatie.drukversie(html, "https://voorbeeld.github.io/boek/", "Monitor X (RIVM, GGD)", [2021, 2023, 2025],
                                ["Overvecht (Utrecht)", "Batau (Nieuwegein)"])
    omslag = BeautifulSoup(uit, "html.parser").select_one(".vw-omslag-rapport")
    regels = [e.get_text(" ", strip=True) for e in omslag.find_all(["h1", "p"])]
    assert regels[:4] == ["Monitor X", "Eindrapportage, metingen 2021, 2023 en 2025",
                          "Overvecht (Utrecht) · Batau (Nieuwegein)", "RIVM, GGD"]


def test_wat_elders_gedrukt_staat_houdt_alleen_de_notitie_met_paginanummer():
    html = ('<html><body><article class="bd-article"><h1>Boek</h1>'
            '<span id="document-w"></span><section id="w"><h2>W</h2>'
            '<section id="lm"><h3>Logic model in woorden</h3><p>Inleiding.</p>'
            '<div class="vw-alleen-druk vw-in-druk-elders"><p>Als schema in het '
            '<a class="reference internal" href="#document-profiel">wijkprofiel</a>.</p></div>'
            '<section id="ctx"><h4>Context</h4><p>Opgaven.</p></section>'
            '<section id="proj"><h4>Projecten</h4><table><tr><td>O1</td></tr></table></section></section></section>'
            '<span id="document-profiel"></span><section id="p"><h2>Profiel</h2><p>Schema.</p>'
            '<a href="#ctx">naar de context</a></section></article></body></html>')
    uit = publicatie.drukversie(html, "https://voorbeeld.github.io/boek/", "Boek")
    soep = BeautifulSoup(uit, "html.parser")
    lm = soep.find(id="lm")
    assert "Logic model in woorden Inleiding. Als schema in het wijkprofiel (pagina 000 )" in lm.get_text(" ", strip=True)
    assert soep.find(id="ctx") is None and soep.find(id="proj") is None and not lm.find("table")
    assert publicatie.verwezen_ankers(uit).count("begin-profiel") == 2  # the note and the table of contents
    assert [a["href"] for a in soep.select(".vw-in-druk-elders a")] == ["#begin-profiel"]
    # a link to what is no longer printed goes to the published site
    assert soep.find("a", string="naar de context")["href"].startswith("https://voorbeeld.github.io/boek/")
