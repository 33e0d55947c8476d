"""The notebook runner: the tasks of `taken.matrix`, executed with papermill.

- A task is skipped when its cache key (`cache.cachesleutel`) is unchanged.
- Tasks run in parallel on a local process pool (default: one worker per core) or on any
  concurrent.futures executor, such as a Dask distributed client's (`--scheduler ADDRESS`).
- Outputs are written atomically; a failed task removes its old output and cache entry (so no
  stale page looks current), keeps the failed notebook under _build/mislukt/, and is reported in
  a summary; the other tasks go on.
- Ctrl-C (or any error in the main process) stops the local workers at once, and each worker
  stops the kernels it started (`kernelstart.werker`); what was finished stays valid.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import time
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import nbformat

from vwanalyse.basis.bestanden import schrijf_bytes
from vwanalyse.basis.processen import WACHTTIJD
from vwanalyse.model.configuratie import Configuratie
from vwanalyse.uitvoer.cache import (bron_vingerafdruk, cachesleutel, is_actueel, notebook_config_vingerafdruk,
                                     notebook_modules, schrijf_entry)
from vwanalyse.uitvoer import sjabloon
from vwanalyse.uitvoer.taken import Taak


@dataclass
class Uitvoerverslag:
    uitgevoerd: list[str] = field(default_factory=list)
    overgeslagen: list[str] = field(default_factory=list)
    mislukt: dict[str, str] = field(default_factory=dict)  # naam -> message
    duur: float = 0.0

    def samenvatting(self) -> str:
        regels = [f"{len(self.uitgevoerd)} uitgevoerd, {len(self.overgeslagen)} ongewijzigd overgeslagen, "
                  f"{len(self.mislukt)} mislukt ({self.duur:.1f} s)"]
        regels += [f"  MISLUKT {naam}: {melding}" for naam, melding in sorted(self.mislukt.items())]
        return "\n".join(regels)


# ---------------------------------------------------------------- executing one task


def _nabewerken(pad: Path, titel: str) -> bytes:
    """Title formatted at run time, code and parameters removed from the page, no timestamps.

    Reader pages show no code (the outputs are the page); the executed notebook itself, code
    included, is published on the reproducibility page.
    """
    nb = nbformat.read(pad, as_version=4)
    nb.cells[0].source = "# " + titel + nb.cells[0].source.partition("\n")[1] + nb.cells[0].source.partition("\n")[2]
    for nummer, cel in enumerate(nb.cells):
        cel.id = f"cel-{nummer:03d}"  # papermill gives its injected cell a random id: not byte-stable
        cel.metadata.pop("papermill", None)
        cel.metadata.pop("execution", None)
        if cel.cell_type != "code":
            continue
        tags = set(cel.metadata.get("tags", []))
        tags -= {"hide-input"}
        tags |= {"remove-cell"} if tags & {"parameters", "injected-parameters"} else {"remove-input"}
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

    from vwanalyse.uitvoer import kernelstart

    start = time.perf_counter()
    taak.uitvoer.parent.mkdir(parents=True, exist_ok=True)
    tmp = taak.uitvoer.with_name(f".{taak.uitvoer.stem}.{os.getpid()}.tmp.ipynb")
    try:
        nb = sjabloon.schrijf_uit(nbformat.read(taak.sjabloon_pad, as_version=4), taak.herhalingen,
                                  taak.titelwaarden)
        papermill.execute_notebook(
            nb, str(tmp), parameters=taak.parameters,
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


def _opruimen(taken: list[Taak]) -> None:
    """Remove temporary files that a killed run may have left behind."""
    for map in {p for t in taken for p in (t.uitvoer.parent, t.cache.parent)}:
        for pad in [*map.glob(".*.tmp.ipynb"), *map.glob(".*.tmp")]:
            pad.unlink(missing_ok=True)


def voer_uit(taken: list[Taak], config: Configuratie, *, werkers: Optional[int] = None,
             executor: Optional[Executor] = None, forceer: bool = False, voortgang: bool = True) -> Uitvoerverslag:
    verslag = Uitvoerverslag()
    start = time.perf_counter()
    _opruimen(taken)
    config_hash = {s: notebook_config_vingerafdruk(config, s) for s in {t.sjabloon for t in taken}}
    # the notebook's own vwanalyse modules, and how the runner turns its output into a page
    nabewerking = hashlib.sha256(inspect.getsource(_nabewerken).encode()).hexdigest()
    bron = {p: bron_vingerafdruk(notebook_modules(p)) + nabewerking for p in {t.sjabloon_pad for t in taken}}
    sleutels = {t.naam: cachesleutel(t, bron[t.sjabloon_pad], config_hash[t.sjabloon]) for t in taken}
    te_doen = []
    for taak in taken:
        if not forceer and is_actueel(taak, sleutels[taak.naam]):
            verslag.overgeslagen.append(taak.naam)
        else:
            # an interrupted run must not leave an output that looks current
            taak.cache.unlink(missing_ok=True)
            te_doen.append(taak)
    if te_doen:
        from vwanalyse.uitvoer import kernelstart

        eigen = executor is None
        kernelmap = te_doen[0].uitvoer.parent  # where every task's kernel runs (taken.matrix)
        kernelmap.mkdir(parents=True, exist_ok=True)
        executor = executor or ProcessPoolExecutor(
            max_workers=werkers or os.cpu_count() or 1, initializer=kernelstart.werker,
            initargs=(_voor_te_laden({t.sjabloon_pad for t in te_doen}), str(kernelmap)))
        try:
            _verdeel(te_doen, executor, werkers or os.cpu_count() or 1, sleutels, verslag, voortgang)
        except BaseException:  # Ctrl-C: do not wait for the running notebooks
            if eigen:
                _stop_werkers(executor)
            raise
        finally:
            if eigen:
                executor.shutdown(wait=True, cancel_futures=True)
    verslag.duur = time.perf_counter() - start
    return verslag


def _stop_werkers(executor: ProcessPoolExecutor) -> None:
    """SIGTERM to every worker of the pool (each stops its kernels, kernelstart.werker), then wait."""
    processen = list((getattr(executor, "_processes", None) or {}).values())  # Python 3.11's pool
    for proces in processen:
        proces.terminate()
    for proces in processen:
        proces.join(10)
        if proces.is_alive():
            proces.kill()
            proces.join()


def _voor_te_laden(sjablonen: Iterable[Path]) -> list[str]:
    """The vwanalyse modules the templates use: imported once per worker, before the kernels fork."""
    modules = set()
    for pad in sjablonen:
        modules |= notebook_modules(pad) or set()
    return sorted(modules)


def _verdeel(taken: list[Taak], executor: Executor, werkers: int, sleutels: dict, verslag: Uitvoerverslag,
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
            klaar = set()
            while not klaar:  # in short waits, so that Ctrl-C is handled at once (basis.processen)
                klaar, _ = wait(lopend, timeout=WACHTTIJD, return_when=FIRST_COMPLETED)
            for toekomst in klaar:
                taak = lopend.pop(toekomst)
                try:
                    _, melding, duur = toekomst.result()
                except Exception as fout:  # noqa: BLE001 - a worker that died is a failed task
                    melding, duur = f"{type(fout).__name__}: {fout}", 0.0
                if melding is None:
                    schrijf_entry(taak, sleutels[taak.naam], duur)
                    verslag.uitgevoerd.append(taak.naam)
                else:
                    taak.uitvoer.unlink(missing_ok=True)
                    verslag.mislukt[taak.omschrijving] = melding
                balk.update(1)


def dask_executor(adres: str) -> Executor:
    """A concurrent.futures executor on a Dask distributed cluster."""
    from distributed import Client

    return Client(adres).get_executor()


def verwijder_verouderd(taken: Iterable[Taak], uitvoer_map: Path, cache_map: Path) -> list[Path]:
    """Remove outputs in book/uitvoer that no task produces any more (e.g. a removed gebied)."""
    namen = {t.uitvoer.name for t in taken}
    weg = [p for p in Path(uitvoer_map).glob("*.ipynb") if p.name not in namen]
    for pad in weg:
        pad.unlink()
        (Path(cache_map) / f"{pad.stem}.json").unlink(missing_ok=True)
    return weg
