"""Commit guard: refuse files that must not enter the repository.

    python -m vwanalyse.controle.bewaking FILE...    # check these files (pre-commit passes the staged ones)
    python -m vwanalyse.controle.bewaking --staged   # check the files staged in git (the plain git hook)

Three checks, each with one line per refused file:
- notebook templates (`*.ipynb`) are committed without outputs and execution counts;
- no file above 2 MB, except the synthetic demo data in data/demo/;
- no survey microdata: nothing under a folder named `echt`, no SPSS/Stata/SAS files, and no
  table (CSV, Parquet, Excel) with respondent-id, weight or design columns, except the synthetic
  data in data/demo/ and tests/referentie/.
Standard library only (Parquet and Excel headers via pyarrow/openpyxl when installed), so the
hook runs with any Python 3.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path, PurePosixPath

MAX_BYTES = 2 * 1024 * 1024
GROOT_TOEGESTAAN = ("data/demo/",)
SYNTHETISCH = ("data/demo/", "tests/referentie/")  # synthetic microdata, documented in their READMEs
STATISTIEKPAKKETTEN = {".sav", ".zsav", ".por", ".dta", ".sas7bdat", ".xpt", ".rds", ".rdata"}
TABELLEN = {".csv", ".tsv", ".txt", ".parquet", ".xlsx", ".xlsm"}
# column names that only survey microdata have: respondent ids, weights, design variables
MICRODATA_KOLOMMEN = {"respondent_id", "respondentid", "respondentnummer", "respnr", "resp_id", "id_respondent",
                      "gewicht", "weegfactor", "weging", "weight", "wght", "psu", "stratum"}


def _kolommen(pad: Path) -> list[str] | None:
    """Column names of a table file, or None when they cannot be read."""
    suffix = pad.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return list(pq.read_schema(pad).names)
        if suffix in (".xlsx", ".xlsm"):
            import openpyxl

            boek = openpyxl.load_workbook(pad, read_only=True)
            try:
                return [str(c) for blad in boek.worksheets
                        for rij in blad.iter_rows(max_row=1, values_only=True) for c in rij if c is not None]
            finally:
                boek.close()
        with open(pad, encoding="utf-8-sig", errors="replace", newline="") as f:
            kop = f.readline()
        scheiding = max(";,\t|", key=kop.count)
        return next(csv.reader([kop], delimiter=scheiding))
    except Exception:  # noqa: BLE001 - unreadable (or no reader installed): the caller refuses
        return None


def controleer_bestand(pad: Path | str, naam: str | None = None) -> list[str]:
    """Problems of one file; `naam` is its path relative to the repository (default: `pad`)."""
    pad = Path(pad)
    naam = PurePosixPath(naam or pad.as_posix()).as_posix()
    if not pad.is_file():
        return []  # deleted or renamed away: nothing is added
    problemen = []
    delen = PurePosixPath(naam).parts
    suffix = pad.suffix.lower()
    synthetisch = naam.startswith(SYNTHETISCH)
    if "echt" in (d.lower() for d in delen[:-1]):
        problemen.append(f"{naam}: staat in een map met de naam 'echt' (echte gegevens blijven buiten de repository)")
    elif suffix in STATISTIEKPAKKETTEN and not synthetisch:
        problemen.append(f"{naam}: {suffix} is een gegevensbestand van een statistiekpakket (microdata blijven "
                         "buiten de repository)")
    elif suffix in TABELLEN and not synthetisch:
        kolommen = _kolommen(pad)
        if kolommen is None:
            problemen.append(f"{naam}: de kolomnamen zijn niet te lezen, dus microdata zijn niet uit te sluiten")
        else:
            verdacht = [k.strip() for k in kolommen if k.strip().lower() in MICRODATA_KOLOMMEN]
            if verdacht:
                problemen.append(f"{naam}: lijkt op microdata van een enquête (kolommen {', '.join(verdacht)}); "
                                 "echte gegevens blijven buiten de repository")
    grootte = pad.stat().st_size
    if grootte > MAX_BYTES and not naam.startswith(GROOT_TOEGESTAAN):
        problemen.append(f"{naam}: {grootte / 1024 / 1024:.1f} MB, meer dan de {MAX_BYTES // 1024 // 1024} MB "
                         f"die buiten {', '.join(GROOT_TOEGESTAAN)} is toegestaan")
    if suffix == ".ipynb":
        problemen += _controleer_notebook(pad, naam)
    return problemen


def _controleer_notebook(pad: Path, naam: str) -> list[str]:
    try:
        nb = json.loads(pad.read_text(encoding="utf-8"))
        cellen = nb["cells"]
    except (ValueError, KeyError, TypeError):
        return [f"{naam}: geen geldig notebook (JSON met 'cells')"]
    vuil = [i + 1 for i, c in enumerate(cellen)
            if c.get("cell_type") == "code" and (c.get("outputs") or c.get("execution_count") is not None)]
    if vuil:
        return [f"{naam}: codecel(len) {', '.join(map(str, vuil))} met uitvoer of een uitvoeringsnummer; "
                "commit sjablonen zonder uitvoer (Jupyter: Edit > Clear Outputs of All Cells)"]
    return []


def gestaged(map: Path | str = ".") -> list[str]:
    """Paths of the files added, copied, modified or renamed in the git index."""
    uit = subprocess.run(["git", "diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z"],
                         cwd=map, capture_output=True, check=True)
    return [p for p in uit.stdout.decode().split("\0") if p]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m vwanalyse.controle.bewaking",
                                description="Commitbewaking: weigert bestanden die niet in de repository horen.")
    p.add_argument("bestanden", nargs="*",
                   help="de bestanden om te controleren, relatief aan de hoofdmap van de repository")
    p.add_argument("--staged", action="store_true", help="controleer de bestanden die in git klaarstaan (staged)")
    args = p.parse_args(argv)
    bestanden = args.bestanden + (gestaged() if args.staged else [])
    problemen = [regel for naam in bestanden for regel in controleer_bestand(naam)]
    for regel in problemen:
        print(regel, file=sys.stderr)
    if problemen:
        print(f"commit geweigerd: {len(problemen)} probleem/problemen (zie README, 'Commitbewaking')", file=sys.stderr)
    return 1 if problemen else 0


if __name__ == "__main__":
    sys.exit(main())
