"""Benchmark: loading data/demo and computing its results table, as `vwanalyse build` does.

Times vwanalyse.invoer.bronnen.laad_gegevens('data/demo', config) (reading and validating 4,7 MB of CSV)
and vwanalyse.resultaten.bereken_resultaten on the result, each a number of times after one
warm-up run (imports, caches), with time.perf_counter. Peak memory: tracemalloc during one
extra run of each (allocations during the call). Usage:
    .venv/bin/python bench/bench_demo.py [--herhalingen 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from vwanalyse.invoer.bronnen import laad_gegevens
from vwanalyse.model.configuratie import laad_configuratie
from vwanalyse.resultaten.berekening import bereken_resultaten

ROOT = Path(__file__).resolve().parents[1]  # the project this benchmark belongs to

DEMO = ROOT / "data" / "demo"


def meet(naam: str, herhalingen: int, functie, *args):
    resultaat = functie(*args)  # warm-up
    tijden = []
    for _ in range(herhalingen):
        start = time.perf_counter()
        functie(*args)
        tijden.append(time.perf_counter() - start)
    tracemalloc.start()
    functie(*args)
    piek = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"{naam:<22} {np.median(tijden):6.2f} s median of {herhalingen} "
          f"({', '.join(f'{t:.2f}' for t in tijden)}), peak {piek:,.0f} MiB (tracemalloc)")
    return resultaat


def main() -> None:
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--herhalingen", type=int, default=5)
    args = a.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}, "
          f"pandas {pd.__version__}; load average {os.getloadavg()[0]:.2f}")
    grootte = sum(p.stat().st_size for p in DEMO.rglob("*.csv") if p.name != "waarheid.csv") / 1e6
    print(f"input: {DEMO} ({grootte:.1f} MB CSV)")
    config = laad_configuratie(ROOT / "data" / "config")
    gegevens = meet("laad_gegevens", args.herhalingen, laad_gegevens, DEMO, config)
    resultaten = meet("bereken_resultaten", args.herhalingen, bereken_resultaten, config, gegevens)
    print(f"{len(resultaten.tabel):,} table rows, {len(resultaten.effecten):,} DiD rows")


if __name__ == "__main__":
    main()
