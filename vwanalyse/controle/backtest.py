"""Back-test: the results of the demo data compared with a frozen copy in tests/backtest/.

The frozen files are CSV with full-precision floats and a stable row order, so an accepted change
shows up as a readable `git diff`. `vergelijk` reports the first differences: shape, columns,
missing or extra rows, then per row key the values that differ beyond a relative 1e-9.

    vwanalyse backtest              # compare; exit 1 and list the differences
    vwanalyse backtest --accepteer  # rewrite the frozen files (review the git diff!)
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from vwanalyse.basis.bestanden import schrijf_tekst
from vwanalyse.basis.project import Project
from vwanalyse.invoer.bronnen import laad_gegevens
from vwanalyse.model.configuratie import laad_configuratie
from vwanalyse.resultaten.berekening import bereken_resultaten

TABELLEN = ("resultaten", "effecten")  # the frozen files, tests/backtest/<naam>.csv
SLEUTELS = {
    "resultaten": ["gebied", "meting", "indicator", "rol"],
    "effecten": ["gebied", "indicator", "basismeting", "meting"],
}
RELATIEF = 1e-9
ABSOLUUT = 1e-12  # values that should be zero may differ by rounding noise
MAX_VERSCHILLEN = 20


def als_tekst(tabel: pd.DataFrame, naam: str) -> str:
    """The frozen form of a table: sorted on its key, floats in full (shortest round-trip) precision."""
    tabel = tabel.sort_values(SLEUTELS[naam], kind="stable").reset_index(drop=True)
    return tabel.to_csv(index=False, lineterminator="\n")


def _lees(tekst: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(tekst), keep_default_na=False, na_values=[""])


def vergelijk(nieuw: str, bevroren: str, naam: str) -> list[str]:
    """Differences between two frozen-form tables (see `als_tekst`); empty when they agree."""
    a, b = _lees(bevroren), _lees(nieuw)
    if list(a.columns) != list(b.columns):
        weg = [k for k in a.columns if k not in b.columns]
        erbij = [k for k in b.columns if k not in a.columns]
        return [f"{naam}: de kolommen verschillen; ontbreken: {weg or '-'}; nieuw: {erbij or '-'}"
                + ("" if weg or erbij else f"; volgorde was {list(a.columns)}, is nu {list(b.columns)}")]
    verschillen = []
    if a.shape != b.shape:
        verschillen.append(f"{naam}: vorm {a.shape} in de bevroren tabel, nu {b.shape}")
    sleutel = [k for k in SLEUTELS[naam] if k in a.columns]
    a_idx, b_idx = a.set_index(sleutel), b.set_index(sleutel)
    for soort, rijen in (("ontbrekende", a_idx.index.difference(b_idx.index)),
                         ("nieuwe", b_idx.index.difference(a_idx.index))):
        for rij in rijen[:MAX_VERSCHILLEN]:
            verschillen.append(f"{naam}: {soort} rij {_sleuteltekst(sleutel, rij)}")
    gedeeld = a_idx.index.intersection(b_idx.index)
    a_idx, b_idx = a_idx.loc[gedeeld], b_idx.loc[gedeeld]
    for kolom, gelijk in _gelijk_per_kolom(a_idx, b_idx).items():
        x, y = a_idx[kolom], b_idx[kolom]
        for rij in np.flatnonzero(~gelijk):
            verschillen.append(f"{naam}: {_sleuteltekst(sleutel, gedeeld[rij])}: {kolom} "
                               f"{_waarde(x.iloc[rij])} in de bevroren tabel, nu {_waarde(y.iloc[rij])}")
    if len(verschillen) > MAX_VERSCHILLEN:
        verschillen = verschillen[:MAX_VERSCHILLEN] + [f"... en nog {len(verschillen) - MAX_VERSCHILLEN}"]
    return verschillen


def _gelijk_per_kolom(a: pd.DataFrame, b: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per column, per row of two tables on the same index: equal within the tolerances."""
    uit = {}
    for kolom in a.columns:
        x, y = a[kolom], b[kolom]
        if pd.api.types.is_float_dtype(x) and pd.api.types.is_numeric_dtype(y) \
                or pd.api.types.is_float_dtype(y) and pd.api.types.is_numeric_dtype(x):
            xv, yv = x.to_numpy(float), y.to_numpy(float)
            uit[kolom] = (np.isnan(xv) & np.isnan(yv)) | (
                np.abs(xv - yv) <= np.maximum(RELATIEF * np.maximum(np.abs(xv), np.abs(yv)), ABSOLUUT))
        else:
            uit[kolom] = ((x.isna() & y.isna()) | (x.astype(str) == y.astype(str))).to_numpy()
    return uit


def samenvoegen(nieuw: str, bevroren: str, naam: str) -> str:
    """The frozen form of the new table, keeping the frozen line of every row that did not change.

    A row whose values agree within the tolerances keeps its old text, so an accepted change shows
    only the rows that really changed, were added or were removed (no rounding noise in the last
    digits, e.g. when a new gebied changes the order of a sum).
    """
    a, b = _lees(bevroren), _lees(nieuw)
    oude_regels, nieuwe_regels = bevroren.splitlines(), nieuw.splitlines()
    if (list(a.columns) != list(b.columns) or len(oude_regels) != len(a) + 1 or len(nieuwe_regels) != len(b) + 1
            or not a.columns.size):
        return nieuw
    sleutel = [k for k in SLEUTELS[naam] if k in a.columns]
    a_idx, b_idx = a.set_index(sleutel), b.set_index(sleutel)
    if not (a_idx.index.is_unique and b_idx.index.is_unique):
        return nieuw
    oud_regel = dict(zip(a_idx.index, oude_regels[1:]))
    gedeeld = b_idx.index.intersection(a_idx.index)
    gelijk = np.logical_and.reduce(list(_gelijk_per_kolom(a_idx.loc[gedeeld], b_idx.loc[gedeeld]).values())
                                   or [np.ones(len(gedeeld), bool)])
    behouden = {k for k, g in zip(gedeeld, gelijk) if g}
    regels = [nieuwe_regels[0]] + [oud_regel[k] if k in behouden else regel
                                   for k, regel in zip(b_idx.index, nieuwe_regels[1:])]
    return "\n".join(regels) + "\n"


def _waarde(v) -> str:
    return "leeg" if pd.isna(v) else repr(v.item() if isinstance(v, np.generic) else v)


def _sleuteltekst(sleutel: list[str], waarden) -> str:
    waarden = waarden if isinstance(waarden, tuple) else (waarden,)
    return " ".join(f"{k}={v}" for k, v in zip(sleutel, waarden))


def bereken(project: Project) -> dict[str, str]:
    """The frozen form of the demo results (the project's configuration and demo data), computed now."""
    config = laad_configuratie(project.config_map)
    resultaten = bereken_resultaten(config, laad_gegevens(project.demo_map, config))
    return {"resultaten": als_tekst(resultaten.tabel, "resultaten"),
            "effecten": als_tekst(resultaten.effecten, "effecten")}


def accepteer(project: Project, nieuw: dict[str, str]) -> None:
    """Rewrite the frozen files with these results (review `git diff tests/backtest` before committing).

    Rows that did not change beyond the tolerances keep their frozen text (`samenvoegen`).
    """
    for naam, tekst in nieuw.items():
        pad = project.backtest_map / f"{naam}.csv"
        if pad.is_file():
            tekst = samenvoegen(tekst, pad.read_text(encoding="utf-8"), naam)
        schrijf_tekst(pad, tekst)


def verschillen(project: Project, nieuw: dict[str, str]) -> list[str]:
    """Every difference between these results and the frozen files."""
    return [v for naam, tekst in nieuw.items()
            for v in vergelijk(tekst, (project.backtest_map / f"{naam}.csv").read_text(encoding="utf-8"), naam)]
