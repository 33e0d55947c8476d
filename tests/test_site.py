"""Browser test of the built site: headless Chromium opens every page (tests/browser/controleer_site.mjs).

Checked on every page: no console errors, page errors or failed requests; every image loads; no
serious or critical axe-core violation (WCAG 2.0/2.1 A and AA), in the light and in the dark colour
mode; at a phone viewport (390x844) the
page body does not scroll sideways. The search finds every one of a sample of words taken from the
book's own page titles and indicator names, and its snippets show text, never code. Screenshots of
one page per kind go to _build/test-artefacten/screenshots/.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to


CHROMIUM = Path("/usr/bin/chromium")
SCRIPT = ROOT / "tests" / "browser" / "controleer_site.mjs"
SCREENSHOTS = ROOT / "_build" / "test-artefacten" / "screenshots"
# the kinds of page that must be in the site, each with a screenshot
SOORTEN = ["intro", "wijk", "factsheet", "wijkprofiel", "pijler", "effectanalyse", "datakwaliteit",
           "indicatoren", "zoeken"]

class _StilleHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no access log in the test output
        pass


ONZIN = "qxzwvkjq"  # a word no page contains: the search must find nothing
# words that say nothing on their own (a search for them may find nothing useful)
STOPWOORDEN = {"tegenover", "tussen", "zonder", "binnen", "sinds", "welke", "andere", "tenminste"}
# what code in a search snippet looks like (a hidden code cell's text would show it)
CODE = re.compile(r"\b(import|display|rapport|figuren|logicmodel)\b[.(]|\bfrom vwanalyse\b|resultaten_map")


def zoekwoorden(html_map: Path, config, aantal: int = 24) -> list[str]:
    """`aantal` words of at least six letters from the titles of the built pages and the indicator names,
    spread evenly over their sorted list (so they change with the book, not by hand)."""
    titels = [m.group(1) for p in sorted(html_map.rglob("*.html"))
              for m in [re.search(r"<title>(.*?)(?: &#8212;| —|</title>)", p.read_text(encoding="utf-8"))] if m]
    tekst = " ".join(titels + [i.naam for i in config.indicatoren])
    woorden = sorted({w.lower() for w in re.findall(r"[^\W\d_]{6,}", tekst)} - STOPWOORDEN)
    stap = max(1, len(woorden) // aantal)
    return woorden[::stap][:aantal]


def _controleer(html_map: Path, screenshots: Path, zoektermen: list[str] = ()) -> dict:
    """Serve `html_map` on a free localhost port and run the browser script on it; its JSON report."""
    node = shutil.which("node")
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is not installed (make test installs Debian's chromium as root)")
    if node is None or not (ROOT / "node_modules" / "playwright-core").is_dir():
        pytest.skip("node or node_modules is missing (make test runs `npm ci`)")
    shutil.rmtree(screenshots, ignore_errors=True)  # no stale screenshots from an earlier run
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_StilleHandler, directory=str(html_map)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        uit = subprocess.run(
            [node, str(SCRIPT), "--basis", f"http://127.0.0.1:{server.server_port}/",
             "--html-map", str(html_map), "--screenshots", str(screenshots), "--chromium", str(CHROMIUM),
             "--zoektermen", ",".join(zoektermen)],
            cwd=ROOT, capture_output=True, text=True, timeout=1200)
    finally:
        server.shutdown()
        server.server_close()
    assert uit.returncode == 0, f"browser script failed (exit {uit.returncode}):\n{uit.stderr[-3000:]}"
    return json.loads(uit.stdout)


@pytest.fixture(scope="module")
def site_rapport(gebouwd_boek, config) -> dict:
    """The browser report of the built book, with the search words and one that cannot be found."""
    return _controleer(gebouwd_boek, SCREENSHOTS, [*zoekwoorden(gebouwd_boek, config), ONZIN])


def test_script_meldt_fouten(tmp_path):
    """The checks can fail: a hand-made page with one problem of each kind."""
    site = tmp_path / "html"
    (site / "book").mkdir(parents=True)
    (site / "book" / "intro.html").write_text(
        '<!DOCTYPE html><html lang="nl"><head><title>x</title></head><body><main><h1>Intro</h1>'
        '<img src="weg.png" alt="ontbreekt"><img src="data:image/png;base64,AAAA">'
        '<div style="width:900px">breed</div><script>console.error("kapot"); nietGedefinieerd();</script>'
        '<style>html[data-theme="dark"] p.donker { color: #222; background: #111; }</style>'
        '<p class="donker">alleen in de donkere modus onleesbaar</p>'
        '</main></body></html>', encoding="utf-8")
    rapport = _controleer(site, tmp_path / "screenshots")
    intro = next(p for p in rapport["paginas"] if p["pad"] == "book/intro.html")
    assert any("kapot" in c for c in intro["console"]), intro
    assert any("nietGedefinieerd" in f for f in intro["paginafouten"]), intro
    assert any("weg.png" in v and "404" in v for v in intro["verzoeken"]), intro
    assert "weg.png" in intro["afbeeldingen"]["kapot"], intro
    assert "image-alt" in {v["id"] for v in intro["axe"]}, intro  # the image without alt text
    assert "color-contrast" not in {v["id"] for v in intro["axe"]}, intro
    assert "color-contrast" in {v["id"] for v in intro["axe_donker"]}, intro  # dark-mode-only contrast
    assert intro["telefoon"]["scrollbreedte"] > intro["telefoon"]["breedte"], intro
    assert (tmp_path / "screenshots" / "intro-telefoon.png").is_file()


def _per_pagina(rapport: dict, veld: str) -> list[str]:
    return [f"{p['pad']}: {melding}" for p in rapport["paginas"] for melding in p.get(veld) or []]


@pytest.mark.traag
def test_elke_pagina_geopend(site_rapport, gebouwd_boek):
    bezocht = {p["pad"] for p in site_rapport["paginas"]}
    html = {p.relative_to(gebouwd_boek).as_posix() for p in gebouwd_boek.rglob("*.html")
            if p.relative_to(gebouwd_boek).parts[0] not in ("_static", "_sources", "_images")}
    assert html <= bezocht, f"pages not visited: {sorted(html - bezocht)}"
    fouten = [f"{p['pad']}: {p['fout']}" for p in site_rapport["paginas"] if p.get("fout")]
    assert not fouten, "pages that could not be checked:\n" + "\n".join(fouten)
    index = next(p for p in site_rapport["paginas"] if p["pad"] == "index.html")
    assert index.get("doorverwezen_naar", "").endswith("/book/intro.html"), index


@pytest.mark.traag
def test_geen_consolefouten(site_rapport):
    fouten = _per_pagina(site_rapport, "console") + _per_pagina(site_rapport, "paginafouten")
    assert not fouten, f"{len(fouten)} console/page error(s):\n" + "\n".join(fouten[:40])


@pytest.mark.traag
def test_geen_mislukte_verzoeken(site_rapport):
    fouten = _per_pagina(site_rapport, "verzoeken")
    assert not fouten, f"{len(fouten)} failed request(s):\n" + "\n".join(fouten[:40])


@pytest.mark.traag
def test_alle_afbeeldingen_geladen(site_rapport):
    kapot = [f"{p['pad']}: {src}" for p in site_rapport["paginas"] for src in (p.get("afbeeldingen") or {}).get("kapot", [])]
    assert not kapot, "images that did not load:\n" + "\n".join(kapot)
    figuren = sum((p.get("afbeeldingen") or {}).get("aantal", 0) for p in site_rapport["paginas"])
    assert figuren > 0, "the site shows no image at all; expected the figures of the notebooks"


@pytest.mark.traag
@pytest.mark.parametrize("modus", ["axe", "axe_donker"], ids=["licht", "donker"])
def test_geen_ernstige_toegankelijkheidsproblemen(site_rapport, modus):
    regels = [f"{p['pad']}: [{v['impact']}] {v['id']} ({v['aantal']}x): {v['hulp']}; "
              f"bijv. {v['voorbeelden'][0]['doel']}: {v['voorbeelden'][0]['html']} ({v['voorbeelden'][0]['waarom']})"
              for p in site_rapport["paginas"] for v in p.get(modus) or []]
    assert not regels, f"{len(regels)} serious/critical axe violation(s):\n" + "\n".join(regels[:40])
    assert all(modus in p for p in site_rapport["paginas"] if p.get("axe") is not None), "a page was not checked"


@pytest.mark.traag
def test_leesbaar_op_telefoon(site_rapport):
    te_breed = [f"{p['pad']}: page is {p['telefoon']['scrollbreedte']}px wide at "
                f"{p['telefoon']['breedte']}px; too wide: {', '.join(p['telefoon']['te_breed']) or '?'}"
                for p in site_rapport["paginas"] if p.get("telefoon")
                and p["telefoon"]["scrollbreedte"] > p["telefoon"]["breedte"]]
    assert not te_breed, "horizontal overflow at 390x844:\n" + "\n".join(te_breed)


@pytest.mark.traag
def test_zoeken_vindt_resultaten(site_rapport):
    zoek = next(p for p in site_rapport["paginas"] if p["pad"].startswith("search.html?q="))
    assert zoek.get("zoekresultaten", 0) > 0, f"the search page found nothing for {zoek['pad']}"


def test_zoeken_vindt_de_woorden_van_het_boek(site_rapport):
    """Every sampled word of the book's titles and indicator names finds a page (the search index
    and the page's JavaScript stem alike); a word no page contains finds nothing."""
    zoeken = {z["term"]: z for z in site_rapport["zoeken"]}
    assert zoeken[ONZIN]["treffers"] == 0, "the check cannot tell a hit from no hit"
    woorden = [t for t in zoeken if t != ONZIN]
    assert len(woorden) >= 20, woorden
    niets = [t for t in woorden if zoeken[t]["treffers"] == 0]
    assert not niets, f"the search finds nothing for {len(niets)} of {len(woorden)} words of the book: {niets}"


def test_zoekfragmenten_tonen_tekst_geen_code(site_rapport):
    fout = [(z["term"], f) for z in site_rapport["zoeken"] for f in z["fragmenten"] if CODE.search(f)]
    assert not fout, fout[:5]


def test_codeherkenning_in_fragmenten():
    assert CODE.search("… r = rapport.laad(resultaten_map, gebied=gebied) rapport.demomelding(r) …")
    assert CODE.search("from vwanalyse import figuren, logicmodel, rapport")
    assert not CODE.search("Het rapportcijfer voor de woonbuurt steeg in Overvecht van 6,8 naar 7,1.")


@pytest.mark.traag
def test_screenshot_per_soort(site_rapport):
    soorten = {p["soort"] for p in site_rapport["paginas"]}
    assert set(SOORTEN) <= soorten, f"kinds of page missing from the site: {sorted(set(SOORTEN) - soorten)}"
    for soort in SOORTEN:
        for formaat in ("desktop", "donker", "telefoon"):
            pad = SCREENSHOTS / f"{soort}-{formaat}.png"
            assert pad.is_file() and pad.stat().st_size > 1000, f"no screenshot {pad}"
