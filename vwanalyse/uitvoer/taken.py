"""The matrix of the book's notebooks: every template of notebooks.yml × its parameters.

`matrix()` expands data/config/notebooks.yml over gebieden, metingen and pijlers; every parameter
value comes from the configuration, never from free text. A `Taak` carries every path it needs,
so any worker process (local or on a Dask cluster) can run it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from vwanalyse.basis.fouten import ParameterFout  # defined in basis so that earlier stages can raise it too
from vwanalyse.basis.project import Project
from vwanalyse.model.configuratie import Configuratie
from vwanalyse.model.schema import ConfigFout
from vwanalyse.resultaten.opslag import invoerbestanden
from vwanalyse.uitvoer import sjabloon


@dataclass(frozen=True)
class Taak:
    """One notebook to run. Self-contained (explicit paths) so any worker process can run it."""

    sjabloon: str
    parameters: dict
    naam: str  # unique stem of the output notebook, e.g. factsheet-overvecht-2023
    titel: str
    invoer: tuple[Path, ...]  # the files the notebook reads
    sjabloon_pad: Path
    uitvoer: Path
    cache: Path  # the cache entry of the output: its key, checksum and run time
    mislukt_map: Path
    # what the template's repeated groups take (`sjabloon.waarden`) and its own placeholders
    herhalingen: dict = field(default_factory=dict)
    titelwaarden: dict = field(default_factory=dict)

    @property
    def omschrijving(self) -> str:
        delen = [f"{k} {v}" for k, v in self.parameters.items() if k != "resultaten_map"]
        return f"{self.naam}" + (f" ({', '.join(delen)})" if delen else "")


def controleer_sjablonen(config: Configuratie, project: Project) -> None:
    """Every template that notebooks.yml names exists in the project's notebooks/ folder."""
    bestand = Path(config.map) / "notebooks.yml"
    for i, nb in enumerate(config.notebooks):
        if not (project.notebook_map / f"{nb.sjabloon}.ipynb").is_file():
            raise ConfigFout(bestand, f"notebooks[{i}] ({nb.sjabloon})",
                             f"sjabloon notebooks/{nb.sjabloon}.ipynb bestaat niet")


def _titelwaarden(config: Configuratie, parameters: dict) -> dict:
    """The placeholders of a notebook's title (and of its repeated groups) for these parameters."""
    waarden = {}
    if "gebied" in parameters:
        waarden["gebied_naam"] = config.gebied[parameters["gebied"]].naam
    if "meting" in parameters:
        waarden["meting"] = parameters["meting"]
        waarden["meting_naam"] = config.meting[parameters["meting"]].naam
    if "pijler" in parameters:
        waarden["pijler_naam"] = config.pijler[parameters["pijler"]].naam
    return waarden


_ONBEKEND = {"gebied": "onbekend", "meting": "onbekende", "pijler": "onbekende"}  # het gebied, de meting, de pijler


def controleer_keuze(config: Configuratie, gebieden=None, metingen=None, pijlers=None) -> None:
    """Refuse any gebied, meting or pijler the configuration does not know, before anything runs."""
    for soort, gekozen, bekend in (("gebied", gebieden, config.gebied), ("meting", metingen, config.meting),
                                   ("pijler", pijlers, config.pijler)):
        for waarde in gekozen or []:
            if waarde not in bekend:
                raise ParameterFout(f"{_ONBEKEND[soort]} {soort} {waarde!r}; bekend: {', '.join(map(str, bekend))}")


def matrix(config: Configuratie, project: Project, gebieden=None, metingen=None, pijlers=None) -> list[Taak]:
    """Every task of the book, optionally restricted to some gebieden, metingen or pijlers."""
    controleer_keuze(config, gebieden, metingen, pijlers)
    controleer_sjablonen(config, project)
    waarden = {
        "gebied": [g.id for g in config.gebieden if not gebieden or g.id in gebieden],
        "meting": [m.jaar for m in config.metingen if not metingen or m.jaar in metingen],
        "pijler": [p.id for p in config.pijlers if not pijlers or p.id in pijlers],
    }
    resultaten_map = project.resultaten_map.resolve()
    herhalingen = sjabloon.waarden(config)
    taken = []
    for definitie in config.notebooks:
        sjabloon_pad = project.notebook_map / f"{definitie.sjabloon}.ipynb"
        combinaties: list[dict] = [{}]
        for dimensie in definitie.over:
            combinaties = [{**c, dimensie: w} for c in combinaties for w in waarden[dimensie]]
        if definitie.module:  # a local module: only the gebieden that have it (lokaal.yml)
            combinaties = [c for c in combinaties if c["gebied"] in config.lokaal.gebieden(definitie.module)]
        titel = _titel_sjabloon(sjabloon_pad)
        for combinatie in combinaties:
            naam = definitie.pagina(**combinatie)
            taken.append(Taak(
                sjabloon=definitie.sjabloon, naam=naam,
                # relative to the output notebook (papermill runs it there): no machine paths in the book
                parameters={**combinatie, "resultaten_map": os.path.relpath(resultaten_map, project.uitvoer_map)},
                titel=titel.format(**_titelwaarden(config, combinatie)),
                invoer=invoerbestanden(resultaten_map, combinatie.get("gebied")),
                sjabloon_pad=sjabloon_pad, uitvoer=project.uitvoer_map / f"{naam}.ipynb",
                cache=project.cache_map / f"{naam}.json", mislukt_map=project.mislukt_map,
                herhalingen=herhalingen, titelwaarden=_titelwaarden(config, combinatie)))
    return taken


def _titel_sjabloon(sjabloon_pad: Path) -> str:
    nb = nbformat.read(sjabloon_pad, as_version=4)
    eerste = nb.cells[0] if nb.cells else None
    if eerste is None or eerste.cell_type != "markdown" or not eerste.source.startswith("# "):
        raise ConfigFout(sjabloon_pad, "", "de eerste cel moet een markdowntitel '# ...' zijn")
    onbekend = sjabloon.onbekende_tags(nb)
    if onbekend:
        raise ConfigFout(sjabloon_pad, "", f"onbekende tag {onbekend[0]!r}; een herhaalde groep cellen heeft "
                                           f"een van de tags {', '.join(sjabloon.HERHAAL + d for d in sjabloon.DIMENSIES)}")
    return eerste.source.splitlines()[0][2:].strip()


def taak_naam(taken: list[Taak], sjabloon: str, **parameters) -> str | None:
    """The page name (book/uitvoer/<naam>) of the notebook of `sjabloon` with these parameters."""
    for t in taken:
        if t.sjabloon == sjabloon and {k: v for k, v in t.parameters.items() if k != "resultaten_map"} == parameters:
            return t.naam
    return None
