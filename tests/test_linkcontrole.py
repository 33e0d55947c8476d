"""Offline link check of the built HTML (vwanalyse.controle.linkcontrole)."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from vwanalyse.controle import linkcontrole


def _site(map_: Path, paginas: dict[str, str]) -> Path:
    for naam, body in paginas.items():
        pad = map_ / naam
        pad.parent.mkdir(parents=True, exist_ok=True)
        pad.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", encoding="utf-8")
    return map_


def test_site_in_orde(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "stijl.css").write_text("body{}", encoding="utf-8")
    (tmp_path / "figuren").mkdir()
    (tmp_path / "figuren" / "a b.png").write_bytes(b"png")
    site = _site(tmp_path, {
        "index.html": '<link rel="stylesheet" href="_static/stijl.css"><h1 id="top">x</h1>'
                      '<a href="#top">boven</a><a href="#">leeg anker</a>'
                      '<a href="wijken/overvecht.html#kerncijfers">Overvecht</a>'
                      '<a href="https://jupyterbook.org/">Jupyter Book</a><a href="mailto:a@b.nl">mail</a>'
                      '<img src="figuren/a%20b.png" alt="x"><img src="data:image/png;base64,AAAA" alt="y">',
        "wijken/overvecht.html": '<section id="kerncijfers"></section><a href="../index.html">terug</a>'
                                 '<a href="../">map</a><a name="oud"></a><a href="#oud">oud</a>',
    })
    assert linkcontrole.controleer(site) == []


@pytest.mark.parametrize("link, reden", [
    ('<a href="wijken/batau.html">', "doel wijken/batau.html bestaat niet"),
    ('<a href="wijken/overvecht.html#nergens">', "anker #nergens bestaat niet in wijken/overvecht.html"),
    ('<a href="#nergens">', "anker #nergens bestaat niet in index.html"),
    ('<img src="figuren/weg.png" alt="">', "doel figuren/weg.png bestaat niet"),
    ('<a href="file:///work/project/_build/html/index.html">', "file://-link"),
    ('<a href="/work/project/book/intro.html">', "absoluut pad"),
    ('<a href="C:\\Users\\x\\boek.html">', "absoluut pad op de bouwmachine"),
    ('<a href="http://localhost:8000/index.html">', "localhost"),
    ('<a href="http://jupyterbook.org/">', "zonder https"),
    ('<a href="https://voorbeeld.com/">', "'voorbeeld.com' staat niet in linkcontrole.TOEGESTANE_HOSTS"),
    ('<script src="https://jupyterbook.org/x.js"></script>', "laadt iets van een andere site"),
    ('<a href="../../buiten.html">', "buiten de HTML-map"),
])
def test_kapotte_link_gemeld(tmp_path, link, reden):
    site = _site(tmp_path, {"index.html": "<h1>x</h1>" + link,
                            "wijken/overvecht.html": '<section id="kerncijfers"></section>'})
    problemen = linkcontrole.controleer(site)
    assert len(problemen) == 1, problemen
    assert problemen[0].startswith("index.html: <"), problemen[0]
    assert reden in problemen[0]


def test_sjablonen_in_static_geen_paginas(tmp_path):
    site = _site(tmp_path, {"index.html": "<p>x</p>",
                            "_static/webpack-macros.html": "<script src=\"{{ pathto('x.js', 1) }}\"></script>"})
    assert linkcontrole.controleer(site) == []


def test_melding_noemt_pagina_en_link(tmp_path):
    site = _site(tmp_path, {"a/b.html": '<a href="c.html#d">x</a>'})
    assert linkcontrole.controleer(site) == ["a/b.html: <a> 'c.html#d': doel a/c.html bestaat niet"]


def test_machinepad_in_tekst(tmp_path):
    html = tmp_path / "project" / "_build" / "html"
    site = _site(html, {"index.html": f"<pre>File {tmp_path / 'project'}/vwanalyse/x.py, line 3</pre>"})
    problemen = linkcontrole.controleer(site)
    assert problemen == [f"index.html: de tekst bevat het pad '{tmp_path / 'project'}' van de bouwmachine"]


def test_bronnen_toegestaan(config):
    hosts = {urlsplit(b.url).hostname for b in config.bronnen if b.url}
    assert hosts, "no source urls found in the configuration"
    assert hosts <= linkcontrole.TOEGESTANE_HOSTS, f"add to TOEGESTANE_HOSTS: {sorted(hosts - linkcontrole.TOEGESTANE_HOSTS)}"


def test_ontbrekende_map(tmp_path):
    assert "de HTML-map bestaat niet" in linkcontrole.controleer(tmp_path / "html")[0]


@pytest.mark.traag
def test_gebouwde_site_zonder_kapotte_links(gebouwd_boek):
    problemen = linkcontrole.controleer(gebouwd_boek)
    assert not problemen, f"{len(problemen)} link problem(s):\n" + "\n".join(problemen[:50])
