"""Outcome codes of every comparison: one vocabulary for the results table and everything that reads it.

How an outcome is shown (symbol, words, colour) is `weergave.woorden`; here only what it means.
"""

from __future__ import annotations

import numpy as np

# Every outcome a comparison can have, in this order (the results table stores the text; the codes
# of `oordeel_code` are positions here). trendbreuk: a method break between the two metingen.
OORDELEN = ("gunstiger", "ongunstiger", "hoger", "lager", "geen_verschil", "niet_getoetst", "trendbreuk")
SIGNIFICANT = ("gunstiger", "ongunstiger", "hoger", "lager")  # the outcomes of a significant difference


def oordelen(verschil, p, richting: np.ndarray | str, alpha: float = 0.05) -> np.ndarray:
    """Classify differences through the indicator's richting.

    Significant and hoger_gunstig/lager_gunstig -> gunstiger/ongunstiger; significant and neutraal
    -> hoger/lager; not significant -> geen_verschil; no test possible -> niet_getoetst.
    """
    return np.array(OORDELEN, dtype=object)[oordeel_code(verschil, p, richting, alpha)]


def oordeel_code(verschil, p, richting: np.ndarray | str, alpha: float = 0.05) -> np.ndarray:
    """`oordelen` as positions in OORDELEN: integers are cheaper than strings for millions of rows."""
    verschil = np.asarray(verschil, dtype=float)
    p = np.asarray(p, dtype=float)
    # a text array (not object) keeps the comparisons below vectorised
    richting = np.broadcast_to(np.asarray(richting, dtype=str), verschil.shape)
    teken = np.where(richting == "lager_gunstig", -1.0, 1.0) * np.sign(verschil)
    getoetst = ~np.isnan(p)
    significant = getoetst & (p < alpha)
    neutraal = richting == "neutraal"
    keuze = [(getoetst & ~significant, "geen_verschil"),
             (significant & neutraal & (verschil > 0), "hoger"),
             (significant & neutraal & (verschil < 0), "lager"),
             (significant & ~neutraal & (teken > 0), "gunstiger"),
             (significant & ~neutraal & (teken < 0), "ongunstiger")]
    return np.select([k for k, _ in keuze], [OORDELEN.index(o) for _, o in keuze], OORDELEN.index("niet_getoetst"))
