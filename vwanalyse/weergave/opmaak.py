"""Dutch number formatting, used by every table, figure and text in the book.

Decimal comma, thousands dot, a real minus sign, and CBS symbols for what is not shown:
'.' for unknown, 'x' for secret (suppressed). Rounding happens only here, at presentation.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

ONBEKEND = "."  # CBS: cijfer onbekend / ontbreekt
GEHEIM = "x"  # CBS: geheim (onthullingsbeheersing)
VOLGT = "volgt"  # the source of this meting has not delivered yet (the rest of the meting has)
MIN = "\u2212"  # minus sign, read as 'min' by screen readers


def als_getal(x) -> float:
    """x as a float; NaN for None, text or anything else that is not a number."""
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan")


def heeft_waarde(x) -> bool:
    return not math.isnan(als_getal(x))


def _ontbreekt(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def getal(x: Optional[float], decimalen: int = 1) -> str:
    """1234.56 -> '1.234,6'; None/NaN -> '.'."""
    if _ontbreekt(x):
        return ONBEKEND
    # round half up, as statistical offices do, after removing binary noise (0.2345*100 = 23.4499...)
    afgerond = Decimal(f"{abs(x):.12g}").quantize(Decimal(1).scaleb(-decimalen), rounding=ROUND_HALF_UP)
    tekst = f"{afgerond:,.{decimalen}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    if x < 0 and any(c not in "0,." for c in tekst):
        tekst = MIN + tekst
    return tekst


def geheel(x: Optional[float]) -> str:
    return getal(x, 0)


def percentage(fractie: Optional[float], decimalen: int = 1) -> str:
    """0.2345 -> '23,5%'."""
    if _ontbreekt(fractie):
        return ONBEKEND
    return getal(100 * fractie, decimalen) + "%"


def verschil(x: Optional[float], decimalen: int = 1, eenheid: str = "") -> str:
    """Signed difference: +1,2 / −1,2 / 0,0 (with an optional unit such as ' procentpunt')."""
    if _ontbreekt(x):
        return ONBEKEND
    tekst = getal(x, decimalen)
    if x > 0 and tekst.strip("0,.") != "":
        tekst = "+" + tekst
    return tekst + eenheid


def euro(bedrag: Optional[float]) -> str:
    """3530000 -> '€ 3.530.000'."""
    if _ontbreekt(bedrag):
        return ONBEKEND
    return "€ " + getal(bedrag, 0)


def interval(laag: Optional[float], hoog: Optional[float], decimalen: int = 1, schaal: float = 1.0) -> str:
    """A confidence interval as '21,3–25,8' (en dash, no spaces); as precise as it is: an interval
    10 units wide or wider (after `schaal`) in whole numbers ('14–48', not '14,3–48,1')."""
    if _ontbreekt(laag) or _ontbreekt(hoog):
        return ONBEKEND
    if (hoog - laag) * schaal >= 10:
        decimalen = 0
    return f"{getal(laag * schaal, decimalen)}\u2013{getal(hoog * schaal, decimalen)}"


KLEIN_N = 100  # respondents: below this an estimate is marked "klein" (its interval is wide)


def respondenten(n) -> str:
    """'n = 43, klein' / 'n = 1.234': the respondents behind an estimate ('' without a number)."""
    n = als_getal(n)
    if math.isnan(n):
        return ""
    return f"n = {geheel(n)}" + (", klein" if n < KLEIN_N else "")


def p_waarde(p: Optional[float]) -> str:
    if _ontbreekt(p):
        return ONBEKEND
    if p < 0.001:
        return "< 0,001"
    return getal(p, 3)


def markdown_cel(tekst: object) -> str:
    """Text made safe for one cell of a Markdown table."""
    return str(tekst).replace("|", "\\|").replace("\n", " ").strip()


def markdown_tabel(kop: list[str], rijen: list[list[object]]) -> str:
    """A Markdown (pipe) table; every header and cell made safe with markdown_cel."""
    regels = ["| " + " | ".join(markdown_cel(k) for k in kop) + " |", "|" + "|".join("---" for _ in kop) + "|"]
    regels += ["| " + " | ".join(markdown_cel(c) for c in rij) + " |" for rij in rijen]
    return "\n".join(regels) + "\n"


# ---------------------------------------------------------------- values in the unit of their indicator


def decimalen_eenheid(eenheid: str) -> int:
    """The decimals a value in this unit is shown with (not a share: shares are percentages with 1)."""
    return 0 if eenheid.startswith("m³") else 1


def waarde_tekst(x, eenheid: str) -> str:
    """A value in the unit of its indicator: shares as '23,5%', others with a decimal comma."""
    if eenheid == "%":
        return percentage(x)
    return getal(x, decimalen_eenheid(eenheid))


def verschil_tekst(x, eenheid: str) -> str:
    """A difference: shares in 'procentpunt' ('+4,2 procentpunt'), others in the unit's own terms."""
    if eenheid == "%":
        return verschil(None if x is None else x * 100, 1, " procentpunt")
    return verschil(x, decimalen_eenheid(eenheid))


def verschil_interval(laag, hoog, eenheid: str) -> str:
    """The interval of a difference with the unit once: '−10,7 tot +2,4 procentpunt'."""
    if eenheid == "%":
        laag, hoog = (None if x is None else x * 100 for x in (laag, hoog))
        return f"{verschil(laag, 1)} tot {verschil(hoog, 1, ' procentpunt')}"
    decimalen = decimalen_eenheid(eenheid)
    return f"{verschil(laag, decimalen)} tot {verschil(hoog, decimalen)}"


# ---------------------------------------------------------------- values in a verification


def precies(x, cijfers: int = 10) -> str:
    """A value as `vwanalyse verify` names it: numbers to `cijfers` significant digits in Dutch
    notation (0,7229830941; 1.234.567; 6,6 × 10^17), ja/nee, 'leeg' for missing, text in quotes."""
    soort = type(x).__name__  # numpy's and pandas' scalars without importing them
    if x is None or soort == "NAType" or (isinstance(x, float) and math.isnan(x)):
        return "leeg"
    if isinstance(x, bool) or soort in ("bool", "bool_"):
        return "ja" if bool(x) else "nee"
    if isinstance(x, str):
        return f"'{x}'"
    try:
        waarde = float(x)
    except (TypeError, ValueError):
        return f"'{x}'"
    if math.isnan(waarde):
        return "leeg"
    if math.isinf(waarde):
        return ("" if waarde > 0 else MIN) + "oneindig"
    if waarde == int(waarde) and abs(waarde) < 1e15:
        return getal(waarde, 0)
    exponent = math.floor(math.log10(abs(waarde)))
    if exponent >= 15 or exponent < -6:
        mantisse = f"{abs(waarde) / 10 ** exponent:.{cijfers - 1}f}".rstrip("0").rstrip(".").replace(".", ",")
        return (MIN if waarde < 0 else "") + f"{mantisse} × 10^{exponent}"
    tekst = getal(waarde, max(0, cijfers - 1 - exponent))
    return tekst.rstrip("0").rstrip(",") if "," in tekst else tekst


def opsomming(namen: list[str]) -> str:
    """'a, b en c' ('' for none)."""
    return ", ".join(namen[:-1]) + " en " + namen[-1] if len(namen) > 1 else "".join(namen)
