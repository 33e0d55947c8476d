"""Small Sphinx extension for the HTML book: repairs in the theme output that the site checks found.

- Each script and stylesheet once per page. Jupyter Book 1 + Sphinx 7.4 emit some inline scripts
  twice (sphinx-thebe's `const THEBE_JS_URL = ...`, once with file '' and once with None), which is a JavaScript SyntaxError on every page.
- Every expand/collapse toggle (`<summary>`) in the sidebar gets a name, for screen readers
  (axe rule `summary-name`): pydata-sphinx-theme renders only a chevron icon.
- The toggle of a hidden code cell is named by its visible text ("Code tonen"), not by MyST-NB's
  fixed English aria-label "Toggle hidden content" (axe rule `label-content-name-mismatch`).
- No download menu (.ipynb/.md) on the pages: readers get the tables as CSV and Excel (bijlage
  Downloads); the executed notebooks are downloads on the reproducibility page. Instead the top
  bar of every page links the Leeswijzer (book/_templates/leeswijzer-link.html).
- The theme's English words for screen readers and keyboard users ("Skip to main content", "Back to
  top", "Link to this heading", "Toggle primary sidebar", ...) in Dutch: pydata-sphinx-theme and
  sphinx-book-theme have no Dutch translation of them (`ENGELS`, applied to every written page).
- Tables and figures fit the screen (styles in book/_static/vwanalyse.css): every cell of a table
  body gets its column heading as `data-label`, so on a phone each row is shown as a small card of
  "heading: value" lines instead of a table that scrolls sideways; every figure of a page is a link
  to its image file (open it full size) inside a box that scrolls sideways on its own when the
  figure is shown larger than the screen (phones, and the wide SVG diagram of the logic model).
- Dutch search stems the index with the stemmer the page's JavaScript uses. Sphinx 7.4 ships the
  JavaScript of snowball's original Dutch stemmer, but snowballstemmer 3 gave the name 'dutch' to a
  new algorithm ("gezondheid" -> "zon" in the index, "gezond" in the page: no hit) and kept the
  original as 'dutch_porter'.

Enabled in _config.yml under `sphinx.extra_extensions`; templates in book/_templates override the
theme's search button and colour-mode switch (axe rule `label-content-name-mismatch`).
"""

from __future__ import annotations

import hashlib
from functools import wraps
from pathlib import Path

from html import escape

import snowballstemmer
from bs4 import BeautifulSoup
from sphinx.search.nl import SearchDutch


def _uniek(items: list) -> list:
    """The scripts or stylesheets without repeats (same file and attributes; None and '' are no file)."""
    gezien, uit = set(), []
    for item in items:
        sleutel = (str(getattr(item, "filename", item) or ""),
                   tuple(sorted((k, str(v)) for k, v in getattr(item, "attributes", {}).items())))
        if sleutel not in gezien:
            gezien.add(sleutel)
            uit.append(item)
    return uit


def label_toggles(html):
    """Give every empty <summary> of a table of contents an aria-label naming its section.

    Takes and returns HTML text or a BeautifulSoup object (the theme's toctree function returns
    one; it is changed in place).
    """
    soup = BeautifulSoup(html, "html.parser") if isinstance(html, str) else html
    for summary in soup.select("details > summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue
        li = summary.find_parent("li")
        link = li.find("a") if li else None
        naam = link.get_text(" ", strip=True) if link else ""
        summary["aria-label"] = f"Onderdelen van {naam} tonen of verbergen" if naam else "Onderdelen tonen of verbergen"
    return str(soup) if isinstance(html, str) else soup


def lezersopmaak(html: str) -> str:
    """The page body with tables and figures prepared for every screen (see the module docstring)."""
    soup = BeautifulSoup(html, "html.parser")
    for tabel in soup.select("table"):
        koppen = [th.get_text(" ", strip=True) for th in tabel.select("thead tr:last-child th")]
        if not koppen or "vw-scorekaart" in tabel.get("class", []):
            continue  # the scorecard stacks by its own styles
        tabel["class"] = tabel.get("class", []) + ["vw-kaarten"]
        # explicit roles: a table shown as cards (display: block) is still a table to screen readers
        tabel["role"] = "table"
        for deel in tabel.select("thead, tbody"):
            deel["role"] = "rowgroup"
        for th in tabel.select("thead th"):
            th["role"] = "columnheader"
        for tr in tabel.select("tr"):
            tr["role"] = "row"
        for tr in tabel.select("tbody tr"):
            for kop, td in zip(koppen, tr.find_all(["td", "th"], recursive=False)):
                td["data-label"] = kop
                td["role"] = "cell" if td.name == "td" else "rowheader"
    for img in soup.select("img"):
        if img.find_parent("a") is not None or not img.get("src"):
            continue
        bak = soup.new_tag("span", attrs={"class": "vw-figuurbak"})
        link = soup.new_tag("a", attrs={"class": "vw-figuur", "href": img["src"],
                                        "title": "Open de figuur op ware grootte"})
        if img["src"].endswith(".svg"):
            bak["class"] = ["vw-figuurbak", "vw-breed"]
        # a visible hint where the figure is wider than the screen (CSS shows it there only)
        hint = soup.new_tag("span", attrs={"class": "vw-figuurhint"})
        hint.append("Breder dan het scherm: schuif de figuur opzij of ")
        naar = soup.new_tag("a", attrs={"href": img["src"]})
        naar.append("open de figuur op ware grootte")
        hint.append(naar)
        hint.append(".")
        img.replace_with(hint)
        hint.insert_after(bak)
        link.append(img)
        bak.append(link)
    return str(soup)


def _pagina(app, pagename, templatename, context, doctree) -> None:
    if context.get("body"):
        context["body"] = lezersopmaak(context["body"])
    for sleutel in ("script_files", "css_files"):
        if sleutel in context:
            context[sleutel] = _uniek(context[sleutel])
    origineel = context.get("generate_toctree_html")
    if origineel is not None:
        @wraps(origineel)
        def generate_toctree_html(*args, **kwargs):
            return label_toggles(origineel(*args, **kwargs))
        context["generate_toctree_html"] = generate_toctree_html


def _verborgen_code_open(self, node) -> None:
    # MyST-NB's visit_HideCellInput without the aria-label that contradicts the visible text
    self.body.append(f'<details class="admonition hide {" ".join(node["classes"])}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def _verborgen_code_dicht(self, node) -> None:
    self.body.append("</details>\n")


class ZoekenInHetNederlands(SearchDutch):
    """Sphinx's Dutch search with the index stemmed like the page's dutch-stemmer.js."""

    def init(self, options: dict[str, str]) -> None:
        oud = "dutch_porter" if "dutch_porter" in snowballstemmer.algorithms() else "dutch"
        self.stemmer = snowballstemmer.stemmer(oud)


# the theme's English strings, exactly as they occur in its HTML, and their Dutch
ENGELS = {
    ">Skip to main content<": ">Naar de hoofdinhoud<",
    ">Back to top<": ">Terug naar boven<",
    'title="Link to this heading"': 'title="Link naar deze kop"',
    'title="Link to this table"': 'title="Link naar deze tabel"',
    'title="Link to this image"': 'title="Link naar deze afbeelding"',
    'title="Link to this definition"': 'title="Link naar deze definitie"',
    'title="previous page"': 'title="vorige pagina"',
    'title="next page"': 'title="volgende pagina"',
    'title="Toggle primary sidebar"': 'title="Inhoudsopgave tonen of verbergen"',
    'aria-label="Toggle primary sidebar"': 'aria-label="Inhoudsopgave tonen of verbergen"',
    'title="Toggle secondary sidebar"': 'title="Inhoud van deze pagina tonen of verbergen"',
    'aria-label="Toggle secondary sidebar"': 'aria-label="Inhoud van deze pagina tonen of verbergen"',
    'aria-label="Search this book..."': 'aria-label="Zoek in dit boek"',
    'placeholder="Search this book..."': 'placeholder="Zoek in dit boek…"',
    'aria-label="On this page"': 'aria-label="Op deze pagina"',
    'aria-label="Site navigation"': 'aria-label="Navigatie van de site"',
    'aria-label="Section Navigation"': 'aria-label="Navigatie in dit deel"',
    'aria-label="Announcement"': 'aria-label="Mededeling"',
    'aria-label="Version warning"': 'aria-label="Versiewaarschuwing"',
    'aria-label="Main"': 'aria-label="Hoofdnavigatie"',
    'aria-label="Page"': 'aria-label="Pagina"',
    'aria-label="Breadcrumb"': 'aria-label="Kruimelpad"',
}


def vertaal(html: str) -> str:
    """The page with the theme's English strings in Dutch."""
    for engels, nederlands in ENGELS.items():
        html = html.replace(engels, nederlands)
    return html


def _vertaal_paginas(app, fout) -> None:
    if fout is not None or app.builder.format != "html":
        return
    for pad in Path(app.outdir).rglob("*.html"):
        tekst = pad.read_text(encoding="utf-8")
        nieuw = vertaal(tekst)
        if nieuw != tekst:
            pad.write_text(nieuw, encoding="utf-8")
# changes with this file: a config value of category "html" is part of Sphinx's build info, so
# Sphinx writes every page again when the extension changes (otherwise only changed pages)
VERSIE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _thema_opties(app, config) -> None:
    """No download menu; the Leeswijzer linked from the top bar of every page."""
    config.html_theme_options = {**config.html_theme_options, "use_download_button": False,
                                 "article_header_start": ["toggle-primary-sidebar.html", "leeswijzer-link.html"]}


def setup(app):
    from myst_nb.sphinx_ import HideCodeCellNode

    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True, html=(_verborgen_code_open, _verborgen_code_dicht))
    app.connect("html-page-context", _pagina, priority=900)  # after the theme's own handlers
    app.add_search_language(ZoekenInHetNederlands)
    app.connect("config-inited", _thema_opties)
    app.connect("build-finished", _vertaal_paginas)
    app.add_config_value("vw_sphinx_site", VERSIE, "html")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
