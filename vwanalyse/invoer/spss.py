"""Reading SPSS exports (.sav, .zsav) as the loaders read CSV: every cell a stripped string.

pyreadstat reads the file with its user-missing values kept (as haven's `read_spss(user_na = TRUE)`
does), so the value labels and the declared missing codes are known; the loader then turns the
user-missing codes into missing cells (`kolommen.pas_toe`). The index is the case number (1 = the
first case), which messages call 'record'.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

SPSS_EXTENSIES = (".sav", ".zsav")


@dataclass
class Spssinfo:
    """What an SPSS file says about its variables besides the values."""

    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # variable -> code -> value label
    ontbrekend: dict[str, set[str]] = field(default_factory=dict)  # variable -> user-missing codes
    bereiken: dict[str, list[tuple[float, float]]] = field(default_factory=dict)  # user-missing ranges


def code_tekst(waarde) -> str:
    """A value as the loaders compare it: 1.0 -> '1', 2.5 -> '2.5', ' a ' -> 'a'."""
    if isinstance(waarde, (bool, np.bool_)):
        return str(int(waarde))
    if isinstance(waarde, (int, np.integer)):
        return str(int(waarde))
    if isinstance(waarde, (float, np.floating)):
        if math.isfinite(waarde) and float(waarde) == int(waarde):
            return str(int(waarde))
        return repr(float(waarde))
    return str(waarde).strip()


def lees_spss(pad: Path | str) -> tuple[pd.DataFrame, Spssinfo]:
    """The cases of an SPSS file as strings (NaN for system-missing and empty), and its labels and
    user-missing codes. Raises pyreadstat's ReadstatError for a file that is not SPSS."""
    import pyreadstat  # only needed when there is an SPSS file

    df, meta = pyreadstat.read_sav(str(pad), user_missing=True)
    info = Spssinfo()
    for var, labels in (meta.variable_value_labels or {}).items():
        info.labels[var] = {code_tekst(c): str(t).strip() for c, t in labels.items()}
    for var, reeksen in (meta.missing_ranges or {}).items():
        for r in reeksen:
            lo, hi = r["lo"], r["hi"]
            if lo == hi or isinstance(lo, str):
                info.ontbrekend.setdefault(var, set()).add(code_tekst(lo))
            else:
                info.bereiken.setdefault(var, []).append((float(lo), float(hi)))
    kolommen = {}
    for k in df.columns:
        waarden = df[k].to_numpy(dtype=object)
        tekst = [None if w is None or (isinstance(w, float) and math.isnan(w)) else code_tekst(w) for w in waarden]
        kolommen[k] = pd.array([t if t else None for t in tekst], dtype="str")
    uit = pd.DataFrame(kolommen, index=pd.RangeIndex(1, len(df) + 1, name="record"))
    uit.attrs["kopregel"] = None
    uit.attrs["eenheid"] = "record"
    return uit, info
