"""Small Sphinx extension for the HTML book: repairs in the theme output that the site checks found.

- Each script and stylesheet once per page. Jupyter Book 1 + Sphinx 7.4 emit some inline scripts
  twice (sphinx-thebe's `const THEBE_JS_URL = ...`, once with file '' and once with None), which is a JavaScript SyntaxError on every page.
- Every expand/collapse toggle (`<summary>`) in the sidebar gets a name, for screen readers
  (axe rule `summary-name`): pydata-sphinx-theme renders only a chevron icon.
- The toggle of a hidden code cell is named by its visible text ("Code tonen"), not by MyST-NB's
  fixed English aria-label "Toggle hidden content" (axe rule `label-content-name-mismatch`).
- No download menu (.ipynb/.md) on the pages: readers get the tables as CSV and Excel (bijlage
  Downloads); the executed notebooks are downloads on the reproducibility page.
- Dutch search stems the index with the stemmer the page's JavaScript uses. Sphinx 7.4 ships the
  JavaScript of snowball's original Dutch stemmer, but snowballstemmer 3 gave the name 'dutch' to a
  new algorithm ("gezondheid" -> "zon" in the index, "gezond" in the page: no hit) and kept the
  original as 'dutch_porter'.

Enabled in _config.yml under `sphinx.extra_extensions`; templates in book/_templates override the
theme's search button and colour-mode switch (axe rule `label-content-name-mismatch`).
"""

from __future__ import annotations

from functools import wraps

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


def _pagina(app, pagename, templatename, context, doctree) -> None:
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


def _zonder_downloadmenu(app, config) -> None:
    config.html_theme_options = {**config.html_theme_options, "use_download_button": False}


def setup(app):
    from myst_nb.sphinx_ import HideCodeCellNode

    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True, html=(_verborgen_code_open, _verborgen_code_dicht))
    app.connect("html-page-context", _pagina, priority=900)  # after the theme's own handlers
    app.add_search_language(ZoekenInHetNederlands)
    app.connect("config-inited", _zonder_downloadmenu)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
