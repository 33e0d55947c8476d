"""The schoolloopbaan (local module of lokaal.yml): cross tables of a pupil cohort and their disclosure
control.

Two tables per gebied and woonplek (wijk, rest of the gemeente), the cohorts of lokaal.yml pooled:
schooladvies x niveau in leerjaar 3, and niveau in leerjaar 3 x uitkomst. Each is published with its
row and column totals and the total number of pupils, so a table is an (r+1) x (c+1) grid whose last
row and column are totals.

Disclosure control:
- primary: a cell (interior or total) with 1 to min_cel - 1 pupils (`onthulling.min_cel` in
  instellingen.yml) is suppressed. An empty cell (0) is published: it describes no pupil, and
  suppressing it would not protect it (published cells of its row would give the sum 0 back);
- complementary: a suppressed cell must not follow from the published cells and the totals. In a
  table with totals the unknowns (suppressed cells) are the edges of a bipartite graph of lines (rows
  and columns of the grid); a cell is determined exactly when its edge lies on no cycle (a bridge,
  `networkx.bridges`). On a cycle every cell can move by +1 or -1 with the totals unchanged, and as
  every suppressed cell holds at least 1 pupil both moves stay non-negative. So while a bridge is
  left, a non-empty published cell on one of its lines is suppressed as well: an inner cell before a
  total (a reader keeps the number of pupils per row), then one whose other line already has a
  suppressed cell (it closes a cycle), then the smallest. Afterwards each complementary cell, largest
  first, is published again when that leaves no bridge (the greedy search may take more than needed);
- the two tables share the totals per niveau in leerjaar 3 and the number of pupils: a total suppressed
  in one is suppressed in the other, until neither changes.

No file is opened here; the counts come from the validated input (invoer.bronnen).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from vwanalyse.model.configuratie import Schoolloopbaan
from vwanalyse.statistiek.schatting import wilson_interval


@dataclass(frozen=True)
class Kruistabel:
    """Counts with totals: `waarden[i, j]` for rows i < r and columns j < c, row totals in column c,
    column totals in row r, the number of pupils in [r, c]; `geheim` marks the suppressed cells."""

    rijen: list[str]
    kolommen: list[str]
    waarden: np.ndarray
    geheim: np.ndarray

    @property
    def n(self) -> int:
        return int(self.waarden[-1, -1])

    def aandelen(self, alpha: float = 0.05) -> pd.DataFrame:
        """Per row and column the row share with its Wilson interval; NaN where the cell or its row
        total is suppressed (a share of a published total would give the count back)."""
        uit = []
        for i, rij in enumerate(self.rijen + ["totaal"]):
            noemer, noemer_geheim = self.waarden[i, -1], self.geheim[i, -1]
            for j, kolom in enumerate(self.kolommen):
                x, geheim = self.waarden[i, j], self.geheim[i, j] or noemer_geheim
                laag, hoog = wilson_interval(x, noemer, alpha)
                uit.append({"rij": rij, "kolom": kolom, "aantal": np.nan if geheim else x,
                            "noemer": np.nan if noemer_geheim else noemer,
                            "aandeel": np.nan if geheim or noemer == 0 else x / noemer,
                            "ci_laag": np.nan if geheim else float(laag), "ci_hoog": np.nan if geheim else float(hoog),
                            "onderdrukt": bool(geheim)})
        return pd.DataFrame(uit)


def met_totalen(telling: np.ndarray) -> np.ndarray:
    """An r x c table of counts with its row totals, column totals and grand total added."""
    t = np.asarray(telling, dtype=np.int64)
    rijen = np.hstack([t, t.sum(axis=1, keepdims=True)])
    return np.vstack([rijen, rijen.sum(axis=0, keepdims=True)])


def bruggen(geheim: np.ndarray) -> list[tuple[int, int]]:
    """The suppressed cells that the published cells and the totals give back exactly (on no cycle)."""
    g = nx.Graph()
    for i, j in zip(*np.nonzero(geheim)):
        g.add_edge(("rij", int(i)), ("kolom", int(j)))
    uit = []
    for a, b in nx.bridges(g):
        rij, kolom = (a, b) if a[0] == "rij" else (b, a)
        uit.append((rij[1], kolom[1]))
    return sorted(uit)


def onderdruk(waarden: np.ndarray, min_cel: int, vast: np.ndarray | None = None) -> np.ndarray:
    """The suppression pattern of a table with totals: primary cells (1 to min_cel - 1), the cells in
    `vast` (suppressed elsewhere), and complementary cells until no suppressed cell is a bridge."""
    geheim = (waarden >= 1) & (waarden < min_cel)
    if vast is not None:
        geheim |= vast
    primair = geheim.copy()
    while True:
        over = bruggen(geheim)
        if not over:
            return _opruimen(waarden, geheim, primair)
        i, j = over[0]
        kandidaten = [(a, b) for a in range(waarden.shape[0]) for b in range(waarden.shape[1])
                      if (a == i) != (b == j) and not geheim[a, b] and waarden[a, b] >= 1]
        if not kandidaten:  # every other cell of both lines is empty or suppressed: widen to the table
            kandidaten = [(a, b) for a in range(waarden.shape[0]) for b in range(waarden.shape[1])
                          if not geheim[a, b] and waarden[a, b] >= 1 and a != i and b != j]
        if not kandidaten:
            raise ValueError("geen cel over om aanvullend te onderdrukken")

        def kosten(cel):
            a, b = cel
            andere_lijn = geheim[:, b] if a == i else geheim[a, :]
            totaal = a == waarden.shape[0] - 1 or b == waarden.shape[1] - 1
            return (totaal, 0 if andere_lijn.any() else 1, int(waarden[a, b]), a, b)
        geheim[min(kandidaten, key=kosten)] = True


def _opruimen(waarden: np.ndarray, geheim: np.ndarray, primair: np.ndarray) -> np.ndarray:
    """The greedy search may suppress more than needed: publish again each complementary cell, largest
    first, whose publication leaves no suppressed cell a bridge."""
    geheim = geheim.copy()
    extra = sorted(zip(*np.nonzero(geheim & ~primair)), key=lambda c: (-int(waarden[c]), c))
    for cel in extra:
        geheim[cel] = False
        if bruggen(geheim):
            geheim[cel] = True
    return geheim


def tellingen(df: pd.DataFrame, module: Schoolloopbaan, gebied: str, woonplek: str) -> tuple[np.ndarray, np.ndarray]:
    """The raw counts (all cohorts of the module) of advies x leerjaar 3 and leerjaar 3 x uitkomst."""
    niveaus, uitkomsten = [n.id for n in module.niveaus], [u.id for u in module.uitkomsten]
    d = df[(df["gebied"].astype(str) == gebied) & (df["woonplek"].astype(str) == woonplek)
           & df["cohort"].astype(int).isin(module.cohorten)]
    een = (d.groupby(["schooladvies", "niveau_leerjaar3"])["aantal"].sum()
           .unstack(fill_value=0).reindex(index=niveaus, columns=niveaus, fill_value=0))
    twee = (d.groupby(["niveau_leerjaar3", "uitkomst"])["aantal"].sum()
            .unstack(fill_value=0).reindex(index=niveaus, columns=uitkomsten, fill_value=0))
    return een.to_numpy(dtype=np.int64), twee.to_numpy(dtype=np.int64)


def tabellen(df: pd.DataFrame, module: Schoolloopbaan, gebied: str, woonplek: str,
             min_cel: int) -> tuple[Kruistabel, Kruistabel]:
    """Both published tables of one gebied and woonplek, suppressed together (shared totals)."""
    niveaus, uitkomsten = [n.id for n in module.niveaus], [u.id for u in module.uitkomsten]
    een, twee = (met_totalen(t) for t in tellingen(df, module, gebied, woonplek))
    vast_een, vast_twee = np.zeros(een.shape, bool), np.zeros(twee.shape, bool)
    while True:
        g1, g2 = onderdruk(een, min_cel, vast_een), onderdruk(twee, min_cel, vast_twee)
        # leerjaar 3 is the columns of the first table (totals in its last row) and the rows of the second
        gedeeld_1, gedeeld_2 = g1[-1, :], g2[:, -1]
        if (gedeeld_1 == gedeeld_2).all():
            return (Kruistabel(niveaus, niveaus, een, g1), Kruistabel(niveaus, uitkomsten, twee, g2))
        vast_een[-1, :] |= gedeeld_2
        vast_twee[:, -1] |= gedeeld_1
