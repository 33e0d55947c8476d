"""What a reader finds in the built pages (issue 16): reader language only, the wijk's pages linked
both ways, one search field, no empty index page, no copyright line.

Each check is a function of a page's HTML, proven to fail on a hand-made broken page (fast tier);
the built book is checked page by page in the slow tier.
"""

import html as html_module
import posixpath
import re
from pathlib import Path

import pytest

from vwanalyse.uitvoer.taken import matrix

# the reviewers' page lists the files of the build by name on purpose
VOOR_CONTROLEURS = {"book/bijlagen/reproduceerbaarheid.html"}
WERKMATERIAAL = re.compile(r"(?<![\w/.])(?:data|vwanalyse|notebooks|tests|bench|docs)/[\w./-]+"
                           r"|\b[\w-]+\.(?:yml|py|ipynb)\b|\bbron 0\d\d|\b\d{3}:L\d+|WAARHEID|vast zaad|\bseeds\b")
CODE = re.compile(r"Code tonen|\bfrom vwanalyse\b|\bimport (?:pandas|vwanalyse)\b|resultaten_map")


def hoofdtekst(pagina: str) -> str:
    """The text a reader reads: the <main> element without scripts, styles and tags."""
    pagina = re.sub(r"<script.*?</script>|<style.*?</style>", " ", pagina, flags=re.S)
    m = re.search(r"<main.*?</main>", pagina, flags=re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", m.group(0) if m else pagina))


def werkmateriaal(pagina: str) -> list[str]:
    """Repository paths, file names, internal line references and code in the text of a page."""
    tekst = hoofdtekst(pagina)
    return WERKMATERIAAL.findall(tekst) + CODE.findall(pagina)


def zoekvelden(pagina: str) -> int:
    """Search fields of the page outside the header (the header has one for wide and one for narrow screens)."""
    buiten_kop = re.sub(r'<header[^>]*class="bd-header.*?</header>', "", pagina, flags=re.S)
    return len(re.findall(r'class="[^"]*search-button-field', buiten_kop))


def links(pagina: str, pad: str = "book/x.html") -> set[str]:
    """The pages of wijken/ and uitvoer/ that the page at `pad` links to, as 'uitvoer/factsheet-batau-2021'."""
    uit = set()
    for href in re.findall(r'href="([^"#?]+)\.html', pagina):
        doel = posixpath.normpath(posixpath.join(posixpath.dirname(pad), href))
        m = re.fullmatch(r"book/((?:uitvoer|wijken)/[\w-]+)", doel)
        if m:
            uit.add(m.group(1))
    return uit


KAPOT = ('<html><body><header id="pst-header" class="bd-header"><button class="search-button-field"></button></header>'
         '<div class="bd-sidebar-primary"><button class="btn search-button-field"></button></div>'
         '<main><h1>Batau</h1><p>Zie data/config/indicatoren.yml (bron 001:L295) en WAARHEID.md.</p>'
         '<details><summary>Code tonen</summary><pre>from vwanalyse import rapport</pre></details></main>'
         '<footer>© Copyright 2026.</footer></body></html>')


def test_controles_vinden_wat_ze_zoeken():
    """Each check fails on a deliberately broken page."""
    gevonden = werkmateriaal(KAPOT)
    for stuk in ("data/config/indicatoren.yml", "bron 001", "WAARHEID", "Code tonen", "from vwanalyse"):
        assert any(stuk in g for g in gevonden), stuk
    assert werkmateriaal("<main>(zie 001:L295-300)</main>") == ["001:L295"]
    assert zoekvelden(KAPOT) == 1
    assert "Copyright" in KAPOT  # test_geen_copyright_en_geen_lege_index looks for this word
    assert links('<a href="../uitvoer/factsheet-batau-2021.html">x</a>', "book/wijken/batau.html") == \
        {"uitvoer/factsheet-batau-2021"}
    assert links('<a href="factsheet-batau-2023.html#a">x</a>', "book/uitvoer/factsheet-batau-2021.html") == \
        {"uitvoer/factsheet-batau-2023"}


@pytest.fixture(scope="module")
def paginas(gebouwd_boek) -> dict[str, str]:
    return {p.relative_to(gebouwd_boek).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted((gebouwd_boek / "book").rglob("*.html"))} | \
        {"index.html": (gebouwd_boek / "index.html").read_text(encoding="utf-8")}


@pytest.mark.traag
def test_geen_werkmateriaal_op_leespaginas(paginas):
    fout = {pad: sorted(set(werkmateriaal(tekst)))[:6] for pad, tekst in paginas.items()
            if pad not in VOOR_CONTROLEURS and werkmateriaal(tekst)}
    assert not fout, fout


@pytest.mark.traag
def test_een_zoekveld_per_pagina(paginas):
    fout = {pad: zoekvelden(tekst) for pad, tekst in paginas.items() if zoekvelden(tekst)}
    assert not fout, fout


@pytest.mark.traag
def test_geen_copyright_en_geen_lege_index(gebouwd_boek, paginas):
    assert not (gebouwd_boek / "genindex.html").exists()
    fout = [pad for pad, tekst in paginas.items() if "Copyright" in tekst or "genindex" in tekst]
    assert not fout, fout


@pytest.mark.traag
def test_wijkpaginas_in_beide_richtingen_gelinkt(paginas, config, project):
    """A wijk's overview links every page of the wijk; each of them links back, and a page per meting
    links the same page of the other metingen."""
    taken = [t for t in matrix(config, project) if t.parameters.get("gebied")]
    for g in config.gebieden:
        overzicht = links(paginas[f"book/wijken/{g.id}.html"], f"book/wijken/{g.id}.html")
        eigen = [t for t in taken if t.parameters["gebied"] == g.id]
        assert {f"uitvoer/{t.naam}" for t in eigen} <= overzicht, g.id
        for t in eigen:
            if t.sjabloon not in ("factsheet", "wijkprofiel"):
                continue  # a template calls rapport.navigatie itself; these two do
            terug = links(paginas[f"book/uitvoer/{t.naam}.html"], f"book/uitvoer/{t.naam}.html")
            assert f"wijken/{g.id}" in terug, t.naam
            if "meting" in t.parameters:
                broers = {f"uitvoer/{s.naam}" for s in eigen if s.sjabloon == t.sjabloon and s.naam != t.naam}
                assert broers <= terug, (t.naam, broers - terug)


@pytest.mark.traag
def test_geen_engelse_themawoorden(paginas):
    """The theme's words for screen readers and keyboard users are Dutch on every page."""
    from vwanalyse.boek.sphinx_site import ENGELS

    fout = {pad: [e for e in ENGELS if e in tekst] for pad, tekst in paginas.items()}
    assert not {p: e for p, e in fout.items() if e}, fout


def legendas(pagina: str) -> int:
    return len(re.findall(r"Tekens(?: in de tabellen)?:", hoofdtekst(pagina)))


def test_legendatelling_op_een_kapotte_pagina():
    assert legendas("<main><p>Tekens: ▲</p><table></table><p>Tekens: ▲</p></main>") == 2


@pytest.mark.traag
def test_een_legenda_per_pagina(paginas):
    """The key to the signs once per page, not under every table (it was 10 times per factsheet)."""
    fout = {pad: legendas(tekst) for pad, tekst in paginas.items() if legendas(tekst) > 1}
    assert not fout, fout


def leeswijzer_links(pagina: str, pad: str) -> int:
    """Links on the page at `pad` that lead to the Leeswijzer."""
    doelen = (posixpath.normpath(posixpath.join(posixpath.dirname(pad), href))
              for href in re.findall(r'href="([^"#?]+)\.html', pagina))
    return sum(d == "book/gegenereerd/leeswijzer" for d in doelen)


def test_leeswijzerlink_op_een_kapotte_pagina():
    assert leeswijzer_links('<a href="../gegenereerd/leeswijzer.html">L</a>', "book/wijken/batau.html") == 1
    assert leeswijzer_links('<a href="gegenereerd/leeswijzer.html">L</a>', "book/wijken/batau.html") == 0
    assert leeswijzer_links(KAPOT, "book/wijken/batau.html") == 0


@pytest.mark.traag
def test_elke_pagina_linkt_de_leeswijzer(paginas):
    """The reading key is one click away from every page (issue 16)."""
    zonder = [pad for pad, tekst in paginas.items()  # index.html only forwards to the first page
              if pad not in ("book/gegenereerd/leeswijzer.html", "index.html") and not leeswijzer_links(tekst, pad)]
    assert not zonder, zonder
