"""Benchmark: the data file of "Cijfers verkennen" (vwanalyse.boek.verkenner.data_bytes).

Input: the results folder of a build (default _build/resultaten/, the demo data after
`vwanalyse build`), read once with resultaten.opslag.laad.
Measured, over `--herhalingen` runs: the wall time of data_bytes (the JSON the build writes into the
site), its size in bytes and gzip-compressed (what a web server that compresses sends), and the
rows. The script prints one table; no timed assertions.

    .venv/bin/python bench/bench_verkenner.py [--resultaten _build/resultaten] [--herhalingen 5]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import time
from pathlib import Path

from vwanalyse.boek.verkenner import data_bytes
from vwanalyse.resultaten.opslag import laad


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--resultaten", type=Path, default=Path("_build/resultaten"))
    p.add_argument("--herhalingen", type=int, default=5)
    a = p.parse_args()
    r = laad(a.resultaten)
    tijden, data = [], b""
    for _ in range(a.herhalingen):
        t0 = time.perf_counter()
        data = data_bytes(r)
        tijden.append(time.perf_counter() - t0)
    print(f"invoer: {a.resultaten} ({len(r.tabel):,} rijen van de resultatentabel), {a.herhalingen} herhalingen")
    print(f"exporttijd: mediaan {statistics.median(tijden):.3f} s, min {min(tijden):.3f} s, max {max(tijden):.3f} s")
    print(f"grootte: {len(data):,} bytes; gzip {len(gzip.compress(data, 6)):,} bytes")


if __name__ == "__main__":
    main()
