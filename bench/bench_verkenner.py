"""Benchmark: "Cijfers verkennen" — the export of its data file in the build, and its load in the browser.

Input: the results folder of a build (default _build/resultaten/, the demo data after
`vwanalyse build`), read once with resultaten.opslag.laad, and the built site (default _build/html/).
Measured:
- export, over `--herhalingen` runs: the wall time of data_bytes (the JSON of the results table and the
  other wijken) plus data_js (the same bytes as the script the page loads), as the build writes them;
- sizes of the data files and the explorer script in the site, raw and gzip-compressed (level 6: what a
  web server that compresses sends);
- load, over `--laden` runs, each in a fresh browser context (empty cache), the site served from disk
  by a local Python http.server (no compression): the time from the start of the navigation until the
  explorer has drawn (bench/verkenner_laden.mjs, headless chromium via playwright-core), and the load event.
The script prints what it measured, on which input and how often; no timed assertions.

    .venv/bin/python bench/bench_verkenner.py [--resultaten _build/resultaten] [--site _build/html]
                                              [--herhalingen 5] [--laden 10]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import shutil
import statistics
import subprocess
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from vwanalyse.boek import verkenner
from vwanalyse.resultaten.opslag import laad

ROOT = Path(__file__).resolve().parents[1]


class _Stil(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _reeks(waarden: list[float], eenheid: str, decimalen: int = 3) -> str:
    f = f"{{:.{decimalen}f}}"
    return (f"mediaan {f.format(statistics.median(waarden))} {eenheid}, min {f.format(min(waarden))}, "
            f"max {f.format(max(waarden))}" + (f", kwartielen {' / '.join(f.format(q) for q in statistics.quantiles(waarden, n=4))}"
                                                if len(waarden) >= 4 else ""))


def export(r, herhalingen: int) -> None:
    tijden, data = [], b""
    for _ in range(herhalingen):
        t0 = time.perf_counter()
        data = verkenner.data_bytes(r)
        verkenner.data_js(data)
        tijden.append(time.perf_counter() - t0)
    context = len(json.loads(data)["context"]["rijen"])
    print(f"export: {len(r.tabel):,} rijen van de resultatentabel + {context:,} contextrijen, {herhalingen} herhalingen")
    print(f"  exporttijd (data_bytes + data_js): {_reeks(tijden, 's')}")


def groottes(site: Path) -> None:
    print(f"groottes in {site}:")
    for rel in (f"_static/{verkenner.DATA_JS}", f"_static/{verkenner.DATA}", "_static/verkenner.js"):
        data = (site / rel).read_bytes()
        print(f"  {rel}: {len(data):,} bytes; gzip {len(gzip.compress(data, 6)):,} bytes")


def laden(site: Path, runs: int) -> None:
    node = shutil.which("node")
    if node is None or not Path("/usr/bin/chromium").is_file():
        print("laadtijd: niet gemeten (node of chromium ontbreekt)")
        return
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Stil, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/book/gegenereerd/{verkenner.PAGINA}.html"
    try:
        uit = subprocess.run([node, str(ROOT / "bench" / "verkenner_laden.mjs"), "--url", url, "--runs", str(runs)],
                             cwd=ROOT, capture_output=True, text=True, timeout=600, check=True)
    finally:
        server.shutdown()
        server.server_close()
    metingen = json.loads(uit.stdout)
    print(f"laadtijd: {url}, {runs} keer, elk in een nieuwe browsercontext (lege cache), headless chromium, "
          "lokale http.server zonder compressie")
    print(f"  tot de verkenner getekend is: {_reeks([m['klaar_ms'] for m in metingen], 'ms', 0)}")
    print(f"  tot het load-event: {_reeks([m['load_ms'] for m in metingen], 'ms', 0)}")
    for naam in ("data", "script"):
        ms = [m[naam]["ms"] for m in metingen if m[naam]]
        if ms:
            print(f"  ophalen {naam} ({'cijfers.js' if naam == 'data' else 'verkenner.js'}): {_reeks(ms, 'ms', 1)}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--resultaten", type=Path, default=Path("_build/resultaten"))
    p.add_argument("--site", type=Path, default=Path("_build/html"))
    p.add_argument("--herhalingen", type=int, default=5)
    p.add_argument("--laden", type=int, default=10)
    a = p.parse_args()
    export(laad(a.resultaten), a.herhalingen)
    groottes(a.site)
    if a.laden > 0:
        laden(a.site, a.laden)


if __name__ == "__main__":
    main()
