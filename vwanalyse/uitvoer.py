"""The notebook runner: the matrix of templates × parameters, executed with papermill.

- `matrix()` expands data/config/notebooks.yml over gebieden, metingen and pijlers; every
  parameter value comes from the configuration, never from free text.
- A task is skipped when its cache key is unchanged: template bytes + parameters + vwanalyse
  source + checksums of the input files it reads + the configuration. A gebied's notebooks read
  only that gebied's slice of the results (`gebied/<id>/`), so changing one wijk's data re-runs
  only its notebooks and the cross-wijk ones.
- Tasks run in parallel on a local process pool (default: one worker per core) or on any
  concurrent.futures executor, such as a Dask distributed client's (`--scheduler ADDRESS`).
- Outputs are written atomically; a failed task removes its old output and cache entry (so no
  stale page looks current), keeps the failed notebook under _build/mislukt/, and is reported in
  a summary; the other tasks go on.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import os
import time
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import nbformat
import pandas as pd

from .bestanden import schrijf_bytes, schrijf_tekst, sha256
from .configuratie import NOTEBOOK_MAP, PROJECT_MAP, Configuratie

UITVOER_MAP = PROJECT_MAP / "book" / "uitvoer"
CACHE_MAP = PROJECT_MAP / "_build" / "cache"
MISLUKT_MAP = PROJECT_MAP / "_build" / "mislukt"
PAKKET_MAP = Path(__file__).resolve().parent
GEBIED_TABELLEN = ("resultaten", "effecten", "proces", "narratief", "duiding")


class ParameterFout(ValueError):
    """A gebied, meting or pijler that the configuration does not know."""


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
    mislukt_map: Path

    @classmethod
    def maak(cls, sjabloon: str, parameters: dict, naam: str, titel: str, invoer=()) -> "Taak":
        return cls(sjabloon, parameters, naam, titel, tuple(invoer), NOTEBOOK_MAP / f"{sjabloon}.ipynb",
                   UITVOER_MAP / f"{naam}.ipynb", MISLUKT_MAP)

    @property
    def omschrijving(self) -> str:
        delen = [f"{k} {v}" for k, v in self.parameters.items() if k != "resultaten_map"]
        return f"{self.naam}" + (f" ({', '.join(delen)})" if delen else "")


@dataclass
class Verslag:
    uitgevoerd: list[str] = field(default_factory=list)
    overgeslagen: list[str] = field(default_factory=list)
    mislukt: dict[str, str] = field(default_factory=dict)  # naam -> message
    duur: float = 0.0

    def samenvatting(self) -> str:
        regels = [f"{len(self.uitgevoerd)} uitgevoerd, {len(self.overgeslagen)} ongewijzigd overgeslagen, "
                  f"{len(self.mislukt)} mislukt ({self.duur:.1f} s)"]
        regels += [f"  MISLUKT {naam}: {melding}" for naam, melding in sorted(self.mislukt.items())]
        return "\n".join(regels)


# ---------------------------------------------------------------- inputs of the notebooks


def schrijf_invoer(resultaten, gegevens, map: Path) -> None:
    """Write what notebooks read: full tables, meta.json and one slice per gebied.

    Files are rewritten only when their content changes, so checksums (and caches) of the
    gebieden whose data did not change stay the same.
    """
    tabellen = {"resultaten": resultaten.tabel, "effecten": resultaten.effecten, "proces": gegevens.proces,
                "narratief": gegevens.narratief, "duiding": gegevens.duiding}
    for naam in ("proces", "narratief", "duiding"):
        _schrijf_parquet(tabellen[naam], map / f"{naam}.parquet")
    meta = {"databron": gegevens.databron, "metingen": list(gegevens.metingen),
            "ontbrekende_metingen": list(gegevens.ontbrekende_metingen)}
    _schrijf_als_anders(map / "meta.json", (json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode())
    for gebied in sorted(set(resultaten.tabel["gebied"])):
        for naam, tabel in tabellen.items():
            _schrijf_parquet(tabel[tabel["gebied"].astype(str) == gebied].reset_index(drop=True),
                             map / "gebied" / gebied / f"{naam}.parquet")


def _schrijf_parquet(tabel: pd.DataFrame, pad: Path) -> None:
    import io

    buffer = io.BytesIO()
    tabel.reset_index(drop=True).to_parquet(buffer, index=False)
    _schrijf_als_anders(pad, buffer.getvalue())


def _schrijf_als_anders(pad: Path, data: bytes) -> None:
    if not pad.is_file() or pad.read_bytes() != data:
        schrijf_bytes(pad, data)


# ---------------------------------------------------------------- the matrix


def _titelwaarden(config: Configuratie, parameters: dict) -> dict:
    waarden = {}
    if "gebied" in parameters:
        waarden["gebied_naam"] = config.gebied[parameters["gebied"]].naam
    if "meting" in parameters:
        waarden["meting"] = parameters["meting"]
        waarden["meting_naam"] = config.meting[parameters["meting"]].naam
    if "pijler" in parameters:
        waarden["pijler_naam"] = config.pijler[parameters["pijler"]].naam
    return waarden


def controleer_keuze(config: Configuratie, gebieden=None, metingen=None, pijlers=None) -> None:
    """Refuse any gebied, meting or pijler the configuration does not know, before anything runs."""
    for soort, gekozen, bekend in (("gebied", gebieden, config.gebied), ("meting", metingen, config.meting),
                                   ("pijler", pijlers, config.pijler)):
        for waarde in gekozen or []:
            if waarde not in bekend:
                raise ParameterFout(f"unknown {soort} {waarde!r}; known: {', '.join(map(str, bekend))}")


def matrix(config: Configuratie, resultaten_map: Path, gebieden=None, metingen=None, pijlers=None) -> list[Taak]:
    """Every task of the book, optionally restricted to some gebieden, metingen or pijlers."""
    controleer_keuze(config, gebieden, metingen, pijlers)
    waarden = {
        "gebied": [g.id for g in config.gebieden if not gebieden or g.id in gebieden],
        "meting": [m.jaar for m in config.metingen if not metingen or m.jaar in metingen],
        "pijler": [p.id for p in config.pijlers if not pijlers or p.id in pijlers],
    }
    resultaten_map = Path(resultaten_map).resolve()
    taken = []
    for definitie in config.notebooks:
        combinaties: list[dict] = [{}]
        for dimensie in definitie.over:
            combinaties = [{**c, dimensie: w} for c in combinaties for w in waarden[dimensie]]
        titel = _titel_sjabloon(definitie.sjabloon)
        for combinatie in combinaties:
            naam = "-".join([definitie.sjabloon, *map(str, combinatie.values())])
            if "gebied" in combinatie:
                invoer = tuple(resultaten_map / "gebied" / combinatie["gebied"] / f"{t}.parquet" for t in GEBIED_TABELLEN)
            else:
                invoer = tuple(resultaten_map / f"{t}.parquet" for t in GEBIED_TABELLEN)
            taken.append(Taak.maak(
                sjabloon=definitie.sjabloon, naam=naam,
                # relative to the output notebook (papermill runs it there): no machine paths in the book
                parameters={**combinatie, "resultaten_map": os.path.relpath(resultaten_map, UITVOER_MAP)},
                titel=titel.format(**_titelwaarden(config, combinatie)),
                invoer=invoer + (resultaten_map / "meta.json",)))
    return taken


def _titel_sjabloon(sjabloon: str) -> str:
    nb = nbformat.read(NOTEBOOK_MAP / f"{sjabloon}.ipynb", as_version=4)
    eerste = nb.cells[0] if nb.cells else None
    if eerste is None or eerste.cell_type != "markdown" or not eerste.source.startswith("# "):
        raise ValueError(f"notebooks/{sjabloon}.ipynb: the first cell must be a markdown title '# ...'")
    return eerste.source.splitlines()[0][2:].strip()


# ---------------------------------------------------------------- cache keys


def _bron_vingerafdruk(modules: Optional[Iterable[str]] = None) -> str:
    """Fingerprint of the vwanalyse source: of the named modules, or of the whole package."""
    paden = sorted(PAKKET_MAP.glob("*.py")) if modules is None else sorted(PAKKET_MAP / f"{m}.py" for m in modules)
    h = hashlib.sha256()
    for pad in paden:
        h.update(pad.name.encode() + b"\0" + pad.read_bytes())
    return h.hexdigest()


@functools.lru_cache(maxsize=None)
def _geimporteerd(bron: str, in_pakket: bool) -> Optional[frozenset[str]]:
    """The vwanalyse modules that Python source imports; None when it cannot be parsed."""
    try:
        boom = ast.parse("\n".join(r for r in bron.splitlines() if not r.lstrip().startswith(("%", "!"))))
    except SyntaxError:
        return None
    modules = set()
    for knoop in ast.walk(boom):
        if isinstance(knoop, ast.ImportFrom):
            if knoop.module == "vwanalyse" or (in_pakket and knoop.level == 1 and knoop.module is None):
                modules |= {a.name for a in knoop.names}
            elif knoop.module and (knoop.module.startswith("vwanalyse.") or (in_pakket and knoop.level == 1)):
                modules.add(knoop.module.split(".")[-1] if knoop.level == 0 else knoop.module.split(".")[0])
        elif isinstance(knoop, ast.Import):
            modules |= {a.name.split(".")[1] for a in knoop.names if a.name.startswith("vwanalyse.")}
    return frozenset(m for m in modules if (PAKKET_MAP / f"{m}.py").is_file())


def notebook_modules(sjabloon_pad: Path) -> Optional[set[str]]:
    """Every vwanalyse module a template uses, directly or through other modules (None: assume all).

    A notebook's cache key covers only this source, so a change in build tooling (the CLI, the
    manifest, the site checks) does not re-run every notebook.
    """
    nb = nbformat.read(sjabloon_pad, as_version=4)
    te_doen = _geimporteerd("\n".join(c.source for c in nb.cells if c.cell_type == "code"), in_pakket=False)
    if te_doen is None:
        return None
    te_doen = set(te_doen)
    gezien = {"__init__"}
    while te_doen:
        module = te_doen.pop()
        gezien.add(module)
        verder = _geimporteerd((PAKKET_MAP / f"{module}.py").read_text(encoding="utf-8"), in_pakket=True)
        if verder is None:
            return None
        te_doen |= verder - gezien
    return gezien


def _config_vingerafdruk(config: Configuratie) -> str:
    h = hashlib.sha256()
    for pad in sorted(Path(config.map).rglob("*.yml")):
        h.update(str(pad.relative_to(config.map)).encode() + b"\0" + pad.read_bytes())
    return h.hexdigest()


def invoersleutel(data_map: Path, config: Configuratie) -> str:
    """Fingerprint of everything the results table depends on: data files, configuration, code."""
    h = hashlib.sha256((_bron_vingerafdruk() + _config_vingerafdruk(config)).encode())
    for pad in sorted(p for p in Path(data_map).rglob("*") if p.is_file() and not p.name.startswith(".")):
        h.update(str(pad.relative_to(data_map)).encode() + b"\0" + sha256(pad).encode())
    return h.hexdigest()


def cachesleutel(taak: Taak, bron: str, config_hash: str) -> str:
    h = hashlib.sha256()
    h.update(taak.sjabloon_pad.read_bytes())
    h.update(json.dumps({k: v for k, v in taak.parameters.items() if k != "resultaten_map"}, sort_keys=True).encode())
    h.update(taak.titel.encode())
    h.update(bron.encode() + config_hash.encode())
    for pad in taak.invoer:
        h.update(pad.name.encode() + (sha256(pad) if pad.is_file() else "ontbreekt").encode())
    return h.hexdigest()


def _cache_pad(taak: Taak) -> Path:
    return CACHE_MAP / f"{taak.naam}.json"


def is_actueel(taak: Taak, sleutel: str) -> bool:
    """The output exists, is the one the cache entry describes, and was made with this key."""
    try:
        entry = json.loads(_cache_pad(taak).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False  # no entry, or a corrupted one: run again
    return (entry.get("sleutel") == sleutel and taak.uitvoer.is_file()
            and entry.get("uitvoer_sha256") == sha256(taak.uitvoer))


# ---------------------------------------------------------------- executing one task


def _nabewerken(pad: Path, titel: str) -> bytes:
    """Title formatted at run time, code hidden, parameters removed, no timestamps."""
    nb = nbformat.read(pad, as_version=4)
    nb.cells[0].source = "# " + titel + nb.cells[0].source.partition("\n")[1] + nb.cells[0].source.partition("\n")[2]
    for nummer, cel in enumerate(nb.cells):
        cel.id = f"cel-{nummer:03d}"  # papermill gives its injected cell a random id: not byte-stable
        cel.metadata.pop("papermill", None)
        cel.metadata.pop("execution", None)
        if cel.cell_type != "code":
            continue
        tags = set(cel.metadata.get("tags", []))
        if tags & {"parameters", "injected-parameters"}:
            tags = (tags - {"hide-input"}) | {"remove-cell"}
        else:
            tags.add("hide-input")
        cel.metadata["tags"] = sorted(tags)
    papermill = nb.metadata.get("papermill", {})
    nb.metadata["papermill"] = {"parameters": papermill.get("parameters", {})}
    return nbformat.writes(nb).encode("utf-8") + b"\n"


def voer_taak_uit(taak: Taak) -> tuple[str, Optional[str], float]:
    """Execute one notebook; returns (naam, None or a failure message, seconds). Runs in a worker.

    papermill writes into a hidden temporary file; only a complete, post-processed notebook is
    moved into place. A killed run leaves at most the temporary file, removed by the next run.
    """
    import papermill

    from . import kernelstart

    start = time.perf_counter()
    taak.uitvoer.parent.mkdir(parents=True, exist_ok=True)
    tmp = taak.uitvoer.with_name(f".{taak.uitvoer.stem}.{os.getpid()}.tmp.ipynb")
    try:
        papermill.execute_notebook(
            str(taak.sjabloon_pad), str(tmp), parameters=taak.parameters,
            cwd=str(taak.uitvoer.parent), kernel_name="python3", progress_bar=False, log_output=False,
            kernel_manager_class=kernelstart.KernelManager)
        data = _nabewerken(tmp, taak.titel)
    except Exception as fout:  # noqa: BLE001 - every failure is reported, the others go on
        bewaard = taak.mislukt_map / f"{taak.naam}.ipynb"
        if tmp.is_file():
            taak.mislukt_map.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, bewaard)
        return taak.naam, _foutmelding(fout, bewaard), time.perf_counter() - start
    finally:
        tmp.unlink(missing_ok=True)
    schrijf_bytes(taak.uitvoer, data)
    (taak.mislukt_map / f"{taak.naam}.ipynb").unlink(missing_ok=True)
    return taak.naam, None, time.perf_counter() - start


def _foutmelding(fout: Exception, bewaard: Path) -> str:
    cel = getattr(fout, "cell_index", None)
    ename, evalue = getattr(fout, "ename", type(fout).__name__), str(getattr(fout, "evalue", fout)).strip()
    waar = f"cel {cel + 1}: " if cel is not None else ""
    return f"{waar}{ename}: {evalue.splitlines()[-1] if evalue else ''} (notebook: {bewaard})"


# ---------------------------------------------------------------- running the matrix


def _opruimen() -> None:
    """Remove temporary files that a killed run may have left behind."""
    for pad in [*UITVOER_MAP.glob(".*.tmp.ipynb"), *UITVOER_MAP.glob(".*.tmp"), *CACHE_MAP.glob(".*.tmp")]:
        pad.unlink(missing_ok=True)


def voer_uit(taken: list[Taak], config: Configuratie, *, werkers: Optional[int] = None,
             executor: Optional[Executor] = None, forceer: bool = False, voortgang: bool = True) -> Verslag:
    verslag = Verslag()
    start = time.perf_counter()
    _opruimen()
    config_hash = _config_vingerafdruk(config)
    bron = {p: _bron_vingerafdruk(notebook_modules(p)) for p in {t.sjabloon_pad for t in taken}}
    sleutels = {t.naam: cachesleutel(t, bron[t.sjabloon_pad], config_hash) for t in taken}
    te_doen = []
    for taak in taken:
        if not forceer and is_actueel(taak, sleutels[taak.naam]):
            verslag.overgeslagen.append(taak.naam)
        else:
            # an interrupted run must not leave an output that looks current
            _cache_pad(taak).unlink(missing_ok=True)
            te_doen.append(taak)
    if te_doen:
        from . import kernelstart

        eigen = executor is None
        kernelmap = te_doen[0].uitvoer.parent  # where every task's kernel runs (Taak.maak)
        kernelmap.mkdir(parents=True, exist_ok=True)
        executor = executor or ProcessPoolExecutor(
            max_workers=werkers or os.cpu_count() or 1, initializer=kernelstart.start,
            initargs=(_voor_te_laden({t.sjabloon_pad for t in te_doen}), str(kernelmap)))
        try:
            _verdeel(te_doen, executor, werkers or os.cpu_count() or 1, sleutels, verslag, voortgang)
        finally:
            if eigen:
                executor.shutdown(wait=True, cancel_futures=True)
    verslag.duur = time.perf_counter() - start
    return verslag


def _voor_te_laden(sjablonen: Iterable[Path]) -> list[str]:
    """The vwanalyse modules the templates use: imported once per worker, before the kernels fork."""
    modules = set()
    for sjabloon in sjablonen:
        modules |= {f"vwanalyse.{m}" for m in notebook_modules(sjabloon) or () if m != "__init__"}
    return sorted(modules)


def _verdeel(taken: list[Taak], executor: Executor, werkers: int, sleutels: dict, verslag: Verslag,
             voortgang: bool) -> None:
    from tqdm import tqdm

    wachtrij = list(taken)
    lopend = {}
    with tqdm(total=len(taken), desc="notebooks", unit="nb", disable=not voortgang) as balk:
        while wachtrij or lopend:
            while wachtrij and len(lopend) < werkers:
                taak = wachtrij.pop(0)
                lopend[executor.submit(voer_taak_uit, taak)] = taak
            balk.set_postfix_str("bezig: " + ", ".join(sorted(t.naam for t in lopend.values())))
            klaar, _ = wait(lopend, return_when=FIRST_COMPLETED)
            for toekomst in klaar:
                taak = lopend.pop(toekomst)
                try:
                    _, melding, duur = toekomst.result()
                except Exception as fout:  # noqa: BLE001 - a worker that died is a failed task
                    melding, duur = f"{type(fout).__name__}: {fout}", 0.0
                if melding is None:
                    # the run time is kept for the execution table on the reproducibility page
                    schrijf_tekst(_cache_pad(taak), json.dumps(
                        {"sleutel": sleutels[taak.naam], "uitvoer_sha256": sha256(taak.uitvoer),
                         "duur_s": round(duur, 1)}) + "\n")
                    verslag.uitgevoerd.append(taak.naam)
                else:
                    taak.uitvoer.unlink(missing_ok=True)
                    verslag.mislukt[taak.omschrijving] = melding
                balk.update(1)


def dask_executor(adres: str) -> Executor:
    """A concurrent.futures executor on a Dask distributed cluster."""
    from distributed import Client

    return Client(adres).get_executor()


def verwijder_verouderd(taken: Iterable[Taak]) -> list[Path]:
    """Remove outputs in book/uitvoer that no task produces any more (e.g. a removed gebied)."""
    namen = {t.uitvoer.name for t in taken}
    weg = [p for p in UITVOER_MAP.glob("*.ipynb") if p.name not in namen]
    for pad in weg:
        pad.unlink()
        (CACHE_MAP / f"{pad.stem}.json").unlink(missing_ok=True)
    return weg
