"""Benchmark: building the book with `vwanalyse build` versus the naive route.

Measures on the bundled demo data, in this working tree (it deletes _build/ and book/uitvoer/):

  clean      `vwanalyse build` from an empty _build/ and book/uitvoer/ (validate, results, pages and
             downloads, 23 notebooks, manifest, jupyter-book, link check)
  naive      the same 23 notebooks with the papermill command line, once per notebook, one after
             another, then `jupyter-book build` from an empty html/doctrees folder (the results table
             is computed beforehand and not timed)
  no-op      `vwanalyse build` again, nothing changed
  one wijk   `vwanalyse build --data-dir COPY` after changing one register count of Batau
             (WK035603) in a copy of data/demo; reports which notebooks ran

Clean and naive are run HERHALINGEN times each (default 3), alternating, after one untimed warm-up
build; the no-op rebuild NOOP_HERHALINGEN times; the one-wijk change once. Wall clock with
time.perf_counter; each run is printed, with the median and the ratio of the medians. Usage:
    .venv/bin/python bench/bench_build.py [HERHALINGEN]
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vwanalyse.uitvoer.taken import matrix
from vwanalyse.basis.project import Project
from vwanalyse.model.configuratie import laad_configuratie

ROOT = Path(__file__).resolve().parents[1]  # the project this benchmark belongs to

BIN = Path(sys.executable).parent
NOOP_HERHALINGEN = 5


def _draai(opdracht: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    uit = subprocess.run(opdracht, cwd=ROOT, capture_output=True, text=True)
    duur = time.perf_counter() - start
    if uit.returncode != 0:
        raise SystemExit(f"{' '.join(opdracht)} failed:\n{uit.stdout[-2000:]}\n{uit.stderr[-2000:]}")
    return duur, uit.stdout


def _samenvatting(uitvoer_tekst: str) -> str:
    m = re.search(r"\d+ uitgevoerd, \d+ ongewijzigd overgeslagen, \d+ mislukt", uitvoer_tekst)
    return m.group(0) if m else "?"


def _schoon() -> None:
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    shutil.rmtree(ROOT / "book" / "uitvoer", ignore_errors=True)


def _verander_batau(data: Path) -> None:
    pad = data / "register" / "politie.csv"
    regels = pad.read_text(encoding="utf-8-sig").splitlines()
    kop = regels[0].split(";")
    for i, regel in enumerate(regels[1:], start=1):
        velden = regel.split(";")
        if velden[kop.index("gebiedscode")] == "WK035603" and velden[kop.index("jaar")] == "2023":
            velden[kop.index("misdrijven")] = str(int(velden[kop.index("misdrijven")]) + 7)
            regels[i] = ";".join(velden)
            break
    pad.write_text("\ufeff" + "\n".join(regels) + "\n", encoding="utf-8")
    (data / "MANIFEST.sha256").unlink(missing_ok=True)


def naief() -> float:
    """papermill CLI per notebook, sequentially, then jupyter-book build (both from empty outputs)."""
    config = laad_configuratie(ROOT / "data" / "config")
    taken = matrix(config, Project.maak(ROOT, ROOT / "data" / "config", ROOT / "data" / "demo"))
    shutil.rmtree(ROOT / "book" / "uitvoer", ignore_errors=True)
    (ROOT / "book" / "uitvoer").mkdir(parents=True)
    for map in ("html", ".doctrees", "jupyter_execute"):  # no Sphinx environment left from a build
        shutil.rmtree(ROOT / "_build" / map, ignore_errors=True)
    start = time.perf_counter()
    for taak in taken:
        opdracht = [str(BIN / "papermill"), str(taak.sjabloon_pad), str(taak.uitvoer), "--cwd",
                    str(taak.uitvoer.parent), "-k", "python3", "--no-progress-bar"]
        for k, v in taak.parameters.items():
            opdracht += ["-p", k, str(v)]
        subprocess.run(opdracht, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([str(BIN / "jupyter-book"), "build", str(ROOT), "--config", str(ROOT / "_build" / "_config.build.yml"),
                    "--toc", str(ROOT / "_build" / "_toc.yml")], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def _reeks(tijden: list[float]) -> str:
    mediaan = sorted(tijden)[len(tijden) // 2]
    return f"{mediaan:7.1f} s  median of {len(tijden)} ({', '.join(f'{t:.1f}' for t in tijden)})"


def main() -> None:
    herhalingen = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load {os.getloadavg()[0]:.2f}")
    _schoon()
    _draai([str(BIN / "vwanalyse"), "build"])  # warm-up (file cache), and the results the naive route needs
    schoon, naieve = [], []
    for _ in range(herhalingen):
        naieve.append(naief())
        _schoon()
        t_schoon, uit = _draai([str(BIN / "vwanalyse"), "build"])
        schoon.append(t_schoon)
    n_taken = len(matrix(laad_configuratie(ROOT / "data" / "config"), Project.maak(ROOT, ROOT / "data" / "config", ROOT / "data" / "demo")))
    print(f"clean build:    {_reeks(schoon)}  ({_samenvatting(uit)})")
    print(f"naive route:    {_reeks(naieve)}  (papermill CLI x {n_taken}, sequential, + jupyter-book)")
    print(f"clean build is {sorted(naieve)[herhalingen // 2] / sorted(schoon)[herhalingen // 2]:.2f}x "
          f"faster than the naive route (ratio of the medians)")
    noops = []
    for _ in range(NOOP_HERHALINGEN):
        t_noop, uit = _draai([str(BIN / "vwanalyse"), "build"])
        noops.append(t_noop)
    print(f"no-op rebuild:  {_reeks(noops)}  ({_samenvatting(uit)}; "
          f"{'jupyter-book skipped' if 'jupyter-book overgeslagen' in uit else 'jupyter-book ran'})")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "demo"
        shutil.copytree(ROOT / "data" / "demo", data)
        _draai([str(BIN / "vwanalyse"), "build", "--data-dir", str(data)])  # same data, new folder
        _verander_batau(data)
        voor = {p.name: p.stat().st_mtime_ns for p in (ROOT / "book" / "uitvoer").glob("*.ipynb")}
        t_wijk, uit = _draai([str(BIN / "vwanalyse"), "build", "--data-dir", str(data)])
        na = {p.name: p.stat().st_mtime_ns for p in (ROOT / "book" / "uitvoer").glob("*.ipynb")}
        opnieuw = sorted(n for n in na if na[n] != voor.get(n))
    print(f"one-wijk change:{t_wijk:7.1f} s  one run ({_samenvatting(uit)}): {', '.join(opnieuw)}")
    # leave the tree as a normal demo build
    _draai([str(BIN / "vwanalyse"), "build"])


if __name__ == "__main__":
    main()
