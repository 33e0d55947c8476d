"""The repairs of vwanalyse.boek.sphinx_site on the theme's HTML."""

import json

import pytest
from bs4 import BeautifulSoup
from sphinx.builders.html._assets import _JavaScript

from vwanalyse.boek import sphinx_site

TOC = ('<ul><li class="toctree-l1 has-children"><a class="reference internal" href="wijken/batau.html">Batau</a>'
       '<details><summary><span class="toctree-toggle" role="presentation"><i></i></span></summary>'
       '<ul><li><a href="uitvoer/factsheet-batau-2021.html">Factsheet 2021</a></li></ul></details></li></ul>')


def test_toggle_krijgt_naam():
    uit = BeautifulSoup(sphinx_site.label_toggles(TOC), "html.parser")
    assert uit.summary["aria-label"] == "Onderdelen van Batau tonen of verbergen"


def test_toggle_in_soup_aangepast_en_tekst_blijft():
    soup = BeautifulSoup(TOC.replace("<span class", "Wijken<span class"), "html.parser")
    assert sphinx_site.label_toggles(soup) is soup
    assert soup.summary.get("aria-label") is None  # has visible text already


def test_scripts_eenmaal():
    thebe = _JavaScript("", body="const THEBE_JS_URL = 'x'")
    scripts = [_JavaScript("_static/a.js"), thebe, _JavaScript("_static/b.js"),
               _JavaScript(None, body="const THEBE_JS_URL = 'x'"), _JavaScript("", body="let y = 1")]
    assert sphinx_site._uniek(scripts) == [scripts[0], thebe, scripts[2], scripts[4]]


def test_zoekindex_stamt_zoals_de_pagina():
    """The search index and the page's JavaScript reduce a word to the same stem (else: no hit)."""
    import shutil
    import subprocess
    from pathlib import Path

    import sphinx.search

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    js = Path(sphinx.search.__file__).parent / "non-minified-js"
    woorden = ["gezondheid", "veiligheid", "armoede", "eenzaamheid", "gemeente", "woningen", "duiding",
               "wijkaanpak", "respondenten", "verschillen", "onderwijs", "leefomgeving", "buurtbewoners"]
    programma = (js / "base-stemmer.js").read_text() + (js / "dutch-stemmer.js").read_text() + \
        "\nconst s = new DutchStemmer();\nconsole.log(JSON.stringify(process.argv.slice(1).map(w => s.stemWord(w))));"
    uit = subprocess.run([node, "-e", programma, *woorden], capture_output=True, text=True, check=True)
    pagina = json.loads(uit.stdout)
    index = sphinx_site.ZoekenInHetNederlands({})
    assert [index.stem(w) for w in woorden] == pagina
    assert index.stem("gezondheid") == "gezond"  # snowballstemmer 3's new 'dutch' gives 'zon'
