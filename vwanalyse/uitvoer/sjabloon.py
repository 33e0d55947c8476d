"""Templates that repeat a part of themselves for every gebied, meting or pijler of the configuration.

A template never lists what the configuration lists. A section that must appear once per pijler
(or gebied, or meting) is written once, as consecutive cells tagged `herhaal-pijler` (or
`herhaal-gebied`, `herhaal-meting`). Before papermill runs the notebook, `schrijf_uit` repeats
that group for every pijler of the configuration, in configuration order:

- in a Markdown cell of the group, `{pijler}` and `{pijler_naam}` (`{gebied}`, `{gebied_naam}`,
  `{meting}`, `{meting_naam}`) become the id and the name; other braces (MyST roles such as
  `{ref}`) stay as they are;
- the first code cell of the group gets `pijler = "<id>"` as its first line, so the code cells of
  the group read the variable `pijler`.

The executed notebook thus has one real section per pijler (a heading in the page's table of
contents, its own anchor), and a new pijler in pijlers.yml gets its section without an edit to
the template. The placeholders of the notebook's own parameters (e.g. `{gebied_naam}` in a
wijkprofiel) can be used in the group too.
"""

from __future__ import annotations

import copy
import json
import re

import nbformat

from vwanalyse.model.configuratie import Configuratie

HERHAAL = "herhaal-"
DIMENSIES = ("gebied", "meting", "pijler")


def waarden(config: Configuratie) -> dict[str, tuple[dict, ...]]:
    """Per dimension the values a repeated group takes: the id and the name of every item, in order."""
    return {
        "gebied": tuple({"gebied": g.id, "gebied_naam": g.naam} for g in config.gebieden),
        "meting": tuple({"meting": m.jaar, "meting_naam": m.naam} for m in config.metingen),
        "pijler": tuple({"pijler": p.id, "pijler_naam": p.naam} for p in config.pijlers),
    }


def dimensie(cel) -> str | None:
    """The dimension a cell repeats over (None: not repeated)."""
    for tag in cel.get("metadata", {}).get("tags", []):
        if tag.startswith(HERHAAL) and tag[len(HERHAAL):] in DIMENSIES:
            return tag[len(HERHAAL):]
    return None


def onbekende_tags(nb) -> list[str]:
    """Tags that look like a repetition but name no dimension (a typo such as herhaal-wijk)."""
    return sorted({t for c in nb.cells for t in c.get("metadata", {}).get("tags", [])
                   if t.startswith(HERHAAL) and t[len(HERHAAL):] not in DIMENSIES})


def vul_in(tekst: str, waarden: dict) -> str:
    """Replace the placeholders of these values ('{pijler_naam}'), leaving every other brace alone."""
    if not waarden:
        return tekst
    patroon = re.compile(r"\{(" + "|".join(map(re.escape, waarden)) + r")\}")
    return patroon.sub(lambda m: str(waarden[m.group(1)]), tekst)


def schrijf_uit(nb, herhalingen: dict[str, tuple[dict, ...]], eigen: dict | None = None):
    """A copy of template `nb` with every repeated group written out (see the module docstring).

    `herhalingen`: `waarden(config)`; `eigen`: the placeholders of the notebook's own parameters.
    """
    eigen = eigen or {}
    uit = copy.deepcopy(nb)
    cellen, i = [], 0
    while i < len(nb.cells):
        dim = dimensie(nb.cells[i])
        if dim is None:
            cellen.append(copy.deepcopy(nb.cells[i]))
            i += 1
            continue
        groep = []
        while i < len(nb.cells) and dimensie(nb.cells[i]) == dim:
            groep.append(nb.cells[i])
            i += 1
        for nummer, waarde in enumerate(herhalingen[dim]):
            eerste_code = True
            for cel in groep:
                nieuw = copy.deepcopy(cel)
                nieuw.metadata["tags"] = [t for t in nieuw.metadata.get("tags", []) if t != HERHAAL + dim]
                if "id" in nieuw:
                    nieuw.id = f"{cel.get('id', 'cel')}-{nummer}"[:64]
                if nieuw.cell_type == "markdown":
                    nieuw.source = vul_in(nieuw.source, {**eigen, **waarde})
                elif nieuw.cell_type == "code" and eerste_code:
                    nieuw.source = f"{dim} = {json.dumps(waarde[dim])}\n" + nieuw.source
                    eerste_code = False
                cellen.append(nieuw)
    uit.cells = cellen
    nbformat.validate(uit)
    return uit
