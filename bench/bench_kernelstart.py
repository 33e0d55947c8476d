"""Benchmark: the notebook phase with warm (forked) kernels versus normally started kernels.

Runs the 23 demo notebooks with `uitvoer.voer_uit(..., forceer=True)` on 2 workers, alternating:
  warm   the default process pool, whose workers fork kernels from a forkserver (kernelstart.py)
  cold   a plain ProcessPoolExecutor(2): every kernel is a new interpreter that imports everything
With --transport instead (issue 14): warm kernels over TCP (jupyter_client's default, ports
picked by binding to port 0) against warm kernels over IPC sockets (kernelstart.IPC, the default):
the cost of the transport that ends the port race.
HERHALINGEN runs each (default 2), wall clock with time.perf_counter. Needs a build first
(`vwanalyse build`, for _build/resultaten); leaves the notebooks as a normal build writes them.
Usage:
    .venv/bin/python bench/bench_kernelstart.py [HERHALINGEN] [--transport]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from concurrent.futures import ProcessPoolExecutor

from vwanalyse.uitvoer import kernelstart
from vwanalyse.uitvoer import runner as uitvoer
from vwanalyse.uitvoer.taken import matrix
from vwanalyse.basis.project import Project
from vwanalyse.model.configuratie import laad_configuratie

ROOT = Path(__file__).resolve().parents[1]  # the project this benchmark belongs to

WERKERS = 2


def _run(config, taken, koud: bool, tcp: bool = False) -> float:
    kernelstart.IPC = not tcp  # read by the pool's workers, forked from this process
    start = time.perf_counter()
    if koud:
        with ProcessPoolExecutor(WERKERS) as executor:
            verslag = uitvoer.voer_uit(taken, config, executor=executor, werkers=WERKERS, forceer=True, voortgang=False)
    else:
        verslag = uitvoer.voer_uit(taken, config, werkers=WERKERS, forceer=True, voortgang=False)
    duur = time.perf_counter() - start
    if verslag.mislukt or len(verslag.uitgevoerd) != len(taken):
        raise SystemExit(verslag.samenvatting())
    return duur


def main() -> None:
    argumenten = [a for a in sys.argv[1:] if a != "--transport"]
    herhalingen = int(argumenten[0]) if argumenten else 2
    # name -> (cold, tcp), measured in turn
    modi = {"warm tcp": (False, True), "warm ipc": (False, False)} if "--transport" in sys.argv else \
        {"cold": (True, False), "warm": (False, False)}
    os.environ.setdefault("PYTHONHASHSEED", "0")
    config = laad_configuratie(ROOT / "data" / "config")
    taken = matrix(config, Project.maak(ROOT, ROOT / "data" / "config", ROOT / "data" / "demo"))
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; {len(taken)} notebooks, {WERKERS} workers")
    tijden = {naam: [] for naam in modi}
    for _ in range(herhalingen):
        for naam, (koud, tcp) in modi.items():
            tijden[naam].append(_run(config, taken, koud=koud, tcp=tcp))
    for soort, reeks in tijden.items():
        print(f"{soort}: {', '.join(f'{t:.1f}' for t in reeks)} s (median {statistics.median(reeks):.1f} s)")


if __name__ == "__main__":
    main()
