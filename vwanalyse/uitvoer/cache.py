"""Cache keys: when a notebook, the results table or a download must be made again.

A notebook is skipped when its key is unchanged: template bytes + parameters + title + the source
of the vwanalyse modules the template really imports (its import closure, found with `ast`) + the
configuration it can see (`notebook_config_vingerafdruk`: not the notebooks.yml entries of other
templates) + checksums of the files it reads. A gebied's notebooks read only that gebied's
slice of the results, so changing one wijk's data re-runs only its notebooks and the cross-wijk
ones; editing book prose, the command line or the checks re-runs none.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Iterable, Optional

import nbformat

from vwanalyse.basis.bestanden import schrijf_tekst, sha256, vingerafdruk, zichtbare_bestanden
from vwanalyse.model.configuratie import DEMOWAARHEID_BESTAND, NOTEBOOKS_BESTAND, Configuratie
from vwanalyse.uitvoer.taken import Taak

PAKKET_MAP = Path(__file__).resolve().parent.parent  # vwanalyse's own source (not the project)
PAKKET = "vwanalyse"


# ---------------------------------------------------------------- fingerprints


def module_pad(module: str) -> Optional[Path]:
    """The source file of a dotted vwanalyse module or package (None when there is none)."""
    delen = module.split(".")
    if delen[0] != PAKKET:
        return None
    basis = PAKKET_MAP.joinpath(*delen[1:])
    for pad in (basis / "__init__.py", basis.with_suffix(".py")):
        if pad.is_file():
            return pad
    return None


def bron_vingerafdruk(modules: Optional[Iterable[str]] = None) -> str:
    """Fingerprint of the vwanalyse source: of the named (dotted) modules, or of the whole package."""
    if modules is None:
        paden = zichtbare_bestanden(PAKKET_MAP, "*.py")
    else:
        paden = [p for p in map(module_pad, modules) if p is not None]
    return vingerafdruk(PAKKET_MAP, paden)


def config_vingerafdruk(config: Configuratie) -> str:
    """Fingerprint of every file of the configuration folder."""
    return vingerafdruk(config.map, zichtbare_bestanden(config.map, "*.yml"))


def notebook_config_vingerafdruk(config: Configuratie, sjabloon: str) -> str:
    """Fingerprint of the configuration as one template's notebooks see it.

    Every configuration file, except the entries of *other* templates in notebooks.yml (adding or
    changing an analysis re-runs only that analysis) and the demo generator's planted truth
    (demowaarheid.yml: the notebooks see its effect only through the data, whose checksums are in
    the key). The template's own entry counts. A template must therefore not read the notebooks.yml
    entries of other templates.
    """
    overslaan = {Path(config.map) / NOTEBOOKS_BESTAND, Path(config.map) / DEMOWAARHEID_BESTAND}
    bestanden = [p for p in zichtbare_bestanden(config.map, "*.yml") if p not in overslaan]
    eigen = [dataclasses.asdict(nb) for nb in config.notebooks if nb.sjabloon == sjabloon]
    return vingerafdruk(config.map, bestanden, json.dumps(eigen, sort_keys=True, ensure_ascii=False))


def invoersleutel(data_map: Path, config: Configuratie) -> str:
    """Fingerprint of everything the results table depends on: data files, configuration, code."""
    return vingerafdruk(data_map, zichtbare_bestanden(data_map), bron_vingerafdruk() + config_vingerafdruk(config))


# ---------------------------------------------------------------- the import closure of a template


@functools.lru_cache(maxsize=None)
def _geimporteerd(bron: str, module: Optional[str], is_pakket: bool) -> Optional[frozenset[str]]:
    """The dotted vwanalyse modules that Python source imports, at any depth (None: unparsable).

    `module` is the dotted name of the source itself (None for a notebook), to resolve relative imports.
    """
    try:
        boom = ast.parse("\n".join(r for r in bron.splitlines() if not r.lstrip().startswith(("%", "!"))))
    except SyntaxError:
        return None
    modules: set[str] = set()
    for knoop in ast.walk(boom):
        if isinstance(knoop, ast.Import):
            modules |= {a.name for a in knoop.names if a.name.split(".")[0] == PAKKET}
        elif isinstance(knoop, ast.ImportFrom):
            if knoop.level:
                if module is None:
                    continue
                pakket = module if is_pakket else module.rpartition(".")[0]
                for _ in range(knoop.level - 1):
                    pakket = pakket.rpartition(".")[0]
                basis = f"{pakket}.{knoop.module}" if knoop.module else pakket
            else:
                basis = knoop.module or ""
            if basis.split(".")[0] != PAKKET:
                continue
            modules.add(basis)
            modules |= {f"{basis}.{a.name}" for a in knoop.names if module_pad(f"{basis}.{a.name}")}
    # importing a.b.c runs the packages a and a.b first
    pakketten = {".".join(m.split(".")[:i]) for m in modules for i in range(1, m.count(".") + 1)}
    return frozenset(m for m in modules | pakketten if module_pad(m))


def sluiting(modules: Iterable[str]) -> Optional[set[str]]:
    """These modules and every vwanalyse module they import, directly or indirectly (None: unknown)."""
    te_doen, gezien = set(modules), set()
    while te_doen:
        module = te_doen.pop()
        gezien.add(module)
        pad = module_pad(module)
        verder = _geimporteerd(pad.read_text(encoding="utf-8"), module, pad.name == "__init__.py")
        if verder is None:
            return None
        te_doen |= verder - gezien
    return gezien


def notebook_modules(sjabloon_pad: Path) -> Optional[set[str]]:
    """Every vwanalyse module a template uses, directly or through other modules (None: assume all).

    A notebook's cache key covers only this source, so a change in build tooling (the CLI, the
    manifest, the book pages) does not re-run every notebook.
    """
    nb = nbformat.read(sjabloon_pad, as_version=4)
    direct = _geimporteerd("\n".join(c.source for c in nb.cells if c.cell_type == "code"), None, False)
    return None if direct is None else sluiting(direct | {PAKKET})


# ---------------------------------------------------------------- notebook cache entries


def cachesleutel(taak: Taak, bron: str, config_hash: str) -> str:
    h = hashlib.sha256()
    h.update(taak.sjabloon_pad.read_bytes())
    h.update(json.dumps({k: v for k, v in taak.parameters.items() if k != "resultaten_map"}, sort_keys=True).encode())
    h.update(taak.titel.encode())
    h.update(bron.encode() + config_hash.encode())
    for pad in taak.invoer:
        h.update(pad.name.encode() + (sha256(pad) if pad.is_file() else "ontbreekt").encode())
    return h.hexdigest()


_BEELD = re.compile(r"[A-Za-z0-9_./-]+\.png")


def figuren_van(uitvoer: Path) -> dict[str, str]:
    """sha256 of every image beside an executed notebook that its outputs refer to (figuren/x.png)."""
    tekst = Path(uitvoer).read_text(encoding="utf-8")
    map = Path(uitvoer).parent
    paden = {naam for naam in _BEELD.findall(tekst) if not naam.startswith(("/", "..")) and (map / naam).is_file()}
    return {naam: sha256(map / naam) for naam in sorted(paden)}


def schrijf_entry(taak: Taak, sleutel: str, duur_s: float) -> None:
    """The cache entry of a notebook that ran: its key, and checksums of its output and its figures.
    The run time is kept for the execution table on the reproducibility page."""
    schrijf_tekst(taak.cache, json.dumps({"sleutel": sleutel, "uitvoer_sha256": sha256(taak.uitvoer),
                                          "figuren": figuren_van(taak.uitvoer), "duur_s": round(duur_s, 1)}) + "\n")


def is_actueel(taak: Taak, sleutel: str) -> bool:
    """The output and its figures exist, are the ones the cache entry describes (a changed figure
    or page is never reused), and were made with this key."""
    try:
        entry = json.loads(taak.cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False  # no entry, or a corrupted one: run again
    if not (entry.get("sleutel") == sleutel and taak.uitvoer.is_file()
            and entry.get("uitvoer_sha256") == sha256(taak.uitvoer) and isinstance(entry.get("figuren"), dict)):
        return False
    map = taak.uitvoer.parent
    return all((map / naam).is_file() and sha256(map / naam) == som for naam, som in entry["figuren"].items())


def duur(cache: Path) -> Optional[float]:
    """The run time (s) a cache entry recorded, for the execution table; None without an entry."""
    try:
        return json.loads(Path(cache).read_text(encoding="utf-8")).get("duur_s")
    except (OSError, ValueError):
        return None
