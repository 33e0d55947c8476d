"""Offline link check of the built HTML book.

Every page of the site is read; nothing is fetched. A link is in order when:

- it is internal (relative) and points to an existing file inside the site, and its `#anchor`, if
  any, is an id (or `<a name>`) on the target page;
- it is external, uses https and goes to a host in `TOEGESTANE_HOSTS` (the few sites the Jupyter
  Book theme and the book itself link to);
- it is not a machine path: no `file://`, no absolute path (`/...`, `C:\\...`), no localhost;
  nor does any page's text contain the absolute path of the build (e.g. in a traceback).

`controleer` returns one message per problem, naming the page, the link and why.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Hosts the built site may link to: the publishers of the data sources (the `url`s in
# data/config/bronnen.yml; a test keeps them in step), the partners of the monitor and the tools
# the book is made with. Only links go there: the site loads no script, stylesheet or image from
# outside (`EXTERNE_LADING` below).
TOEGESTANE_HOSTS = frozenset({
    "www.monitorgezondheid.nl", "www.veiligheidsmonitor.nl", "www.cbs.nl", "opendata.cbs.nl",
    "data.politie.nl", "duo.nl",
    "www.rivm.nl", "www.uu.nl", "www.ggdru.nl",
    "jupyterbook.org", "www.sphinx-doc.org",
})

# attributes that link somewhere, per tag; the ones in EXTERNE_LADING are loaded by the browser
LINK_ATTRIBUTEN = {"a": "href", "area": "href", "link": "href", "img": "src", "script": "src",
                   "iframe": "src", "source": "src", "video": "src", "audio": "src", "embed": "src",
                   "object": "data", "form": "action"}
EXTERNE_LADING = {"link", "img", "script", "iframe", "source", "video", "audio", "embed", "object"}

_LOKALE_HOSTS = re.compile(r"^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[?::1\]?)$", re.IGNORECASE)
_WINDOWS_PAD = re.compile(r"^[A-Za-z]:[\\/]")
_ONSCHADELIJK = ("mailto:", "tel:", "data:", "javascript:void(0)", "javascript:void(0);")


class _Pagina(HTMLParser):
    """Collects the links (tag, url) and the anchors (id, <a name>) of one page."""

    def __init__(self, tekst: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tekst = tekst
        self.links: list[tuple[str, str]] = []
        self.ankers: set[str] = set()
        self.feed(tekst)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        waarden = {k: v for k, v in attrs if v is not None}
        if "id" in waarden:
            self.ankers.add(waarden["id"])
        if tag == "a" and "name" in waarden:
            self.ankers.add(waarden["name"])
        attribuut = LINK_ATTRIBUTEN.get(tag)
        if attribuut and attribuut in waarden:
            self.links.append((tag, waarden[attribuut].strip()))

    handle_startendtag = handle_starttag


def _lees(pad: Path) -> _Pagina:
    return _Pagina(pad.read_text(encoding="utf-8", errors="replace"))


def _machinepaden(html_map: Path) -> list[str]:
    """Absolute paths of this build that must not appear in a page (e.g. in a traceback)."""
    paden = [html_map]
    if html_map.parent.name == "_build":
        paden.append(html_map.parent.parent)  # the project folder
    return [str(p) for p in paden]


def _extern(tag: str, url: str, delen) -> str | None:
    """Why an external link is not allowed, or None."""
    host = (delen.hostname or "").lower()
    if _LOKALE_HOSTS.match(host):
        return "wijst naar deze machine (localhost); de gepubliceerde site kan daar niet bij"
    if tag in EXTERNE_LADING:
        return "laadt iets van een andere site; het boek moet offline werken"
    if delen.scheme != "https":
        return "externe link zonder https"
    if host not in TOEGESTANE_HOSTS:
        return f"externe host {host!r} staat niet in linkcontrole.TOEGESTANE_HOSTS"
    return None


def controleer(html_map: Path) -> list[str]:
    """Check every link of every HTML page under `html_map`; returns the problems (empty: all in order)."""
    html_map = Path(html_map).resolve()
    if not html_map.is_dir():
        return [f"{html_map}: de HTML-map bestaat niet; bouw eerst het boek"]
    # _static/ holds theme assets, among them Jinja templates ending in .html: not pages
    paginas = {pad: _lees(pad) for pad in sorted(html_map.rglob("*.html"))
               if pad.relative_to(html_map).parts[0] != "_static"}
    problemen: list[str] = []
    machinepaden = _machinepaden(html_map)
    for pad, pagina in paginas.items():
        naam = pad.relative_to(html_map).as_posix()
        problemen += [f"{naam}: de tekst bevat het pad {p!r} van de bouwmachine"
                      for p in machinepaden if p in pagina.tekst]
        for tag, url in pagina.links:
            reden = _reden(tag, url, pad, pagina, html_map, paginas)
            if reden:
                problemen.append(f"{naam}: <{tag}> {url!r}: {reden}")
    return problemen


def _reden(tag: str, url: str, pad: Path, pagina: _Pagina, html_map: Path,
           paginas: dict[Path, _Pagina]) -> str | None:
    """Why one link on page `pad` is broken, or None when it is in order."""
    if url.lower().startswith(_ONSCHADELIJK):
        return None
    if not url:
        return "lege link" if tag != "form" else None
    if _WINDOWS_PAD.match(url):
        return "absoluut pad op de bouwmachine"
    delen = urlsplit(url)
    if delen.scheme == "file":
        return "file://-link naar de bouwmachine"
    if delen.scheme or url.startswith("//"):
        if delen.scheme not in ("", "http", "https"):
            return f"onverwacht schema {delen.scheme!r}"
        return _extern(tag, url, delen)
    if delen.path.startswith("/"):
        return "absoluut pad; links binnen de site moeten relatief zijn, zodat de site vanuit elke map werkt"
    doel = (pad.parent / unquote(delen.path)).resolve() if delen.path else pad
    if not doel.is_relative_to(html_map):
        return "wijst naar buiten de HTML-map"
    if doel.is_dir():
        doel = doel / "index.html"
    if not doel.is_file():
        return f"doel {doel.relative_to(html_map).as_posix()} bestaat niet"
    anker = unquote(delen.fragment)
    if anker and doel.suffix == ".html":
        ankers = (pagina if doel == pad else paginas.get(doel) or _lees(doel)).ankers
        if anker not in ankers:
            return f"anker #{anker} bestaat niet in {doel.relative_to(html_map).as_posix()}"
    return None
