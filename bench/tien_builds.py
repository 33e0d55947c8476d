"""Ten clean builds in a row: does a build ever fail by chance (issue 14)?

Each round copies the project (its version-controlled files, no _build) to a fresh temporary
folder, runs `vwanalyse build` there from nothing and then `vwanalyse verify --zonder-herbouw` on
what it published. A round passes when both exit 0 and no notebook failed. Prints one line per
round (exit codes, wall clock, notebooks) and a summary; exits 1 when any round failed.
Usage:
    .venv/bin/python bench/tien_builds.py [RONDES] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vwanalyse.basis.bestanden import kopieer_project

ROOT = Path(__file__).resolve().parents[1]  # the project this script belongs to


def ronde(nummer: int, werkers: int) -> bool:
    with tempfile.TemporaryDirectory(prefix="vwanalyse-tien-") as tmp:
        kopie = kopieer_project(ROOT, Path(tmp) / "project")
        env = {**os.environ, "PYTHONPATH": str(kopie), "PYTHONHASHSEED": "0"}
        env.pop("VWANALYSE_DATA", None)
        start = time.perf_counter()
        build = subprocess.run([sys.executable, "-m", "vwanalyse", "build", "--workers", str(werkers)], cwd=kopie,
                               env=env, capture_output=True, text=True)
        duur = time.perf_counter() - start
        verify = subprocess.run([sys.executable, "-m", "vwanalyse", "verify", "--zonder-herbouw"], cwd=kopie, env=env,
                                capture_output=True, text=True)
    samenvatting = re.search(r"^\d+ uitgevoerd, .*$", build.stdout, flags=re.M)
    goed = build.returncode == 0 and verify.returncode == 0 and " 0 mislukt" in (samenvatting.group(0) if samenvatting else "")
    print(f"ronde {nummer}: build exitcode {build.returncode}, verify exitcode {verify.returncode}, {duur:.0f} s, "
          f"{samenvatting.group(0) if samenvatting else 'geen notebooks'}{'' if goed else '  <-- MISLUKT'}", flush=True)
    if not goed:
        print(build.stdout[-2000:] + build.stderr[-3000:] + verify.stdout[-1000:], flush=True)
    return goed


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("rondes", nargs="?", type=int, default=10)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; {args.rondes} rondes, "
          f"{args.workers} werkers", flush=True)
    goed = sum(ronde(i, args.workers) for i in range(1, args.rondes + 1))
    print(f"{goed} van {args.rondes} schone builds geslaagd")
    return 0 if goed == args.rondes else 1


if __name__ == "__main__":
    sys.exit(main())
