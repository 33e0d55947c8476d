"""Statistics: weighted survey estimates, register rates, comparisons, change tests, DiD.

Everything here works on arrays and frames handed in by the caller; nothing opens a file.

Survey conventions (see ARCHITECTURE.md and tests/referentie/README.md): the design is one
survey wave (one file). Each area is a *domain* of that design, estimated the way R's `survey`
package does for `svydesign(ids=~psu, strata=~stratum, weights=~w, nest=TRUE)` followed by
`svymean(~y, subset(design, area), na.rm=TRUE)`: Taylor linearisation with the scores set to zero
outside the domain and for item non-response, and n_h the number of PSUs of stratum h in the whole
file. PSUs are nested within strata: a PSU is a (stratum, psu code) pair, so codes that restart in
every stratum are distinct PSUs. A stratum with a single PSU adds nothing to the variance
(`survey.lonely.psu = "certainty"`) or its PSU total squared (`"adjust"`), see `Ontwerp.eenzame_psu`.
Without strata/PSU every respondent is its own PSU in a single stratum (`ids=~1`).
Proportions get a logit-scale interval with a t quantile on the domain's degrees of freedom, as
`svyciprop(method="logit")`; means the Wald interval with the same t quantile, which is
`confint(svymean(...), df = degf(subset))` (a deliberate choice: R's default uses the normal
distribution, which covers too little in small domains).
The difference of two disjoint domains (the wijk and the rest of its gemeente) gets its variance
from the design as well (`survey_schatting(verschil_met=...)`): the domains share strata, so they
are not independent samples. All estimates are computed for all domains at once from sums per cell
and per domain (`np.bincount`, `np.add.reduceat`); there is no loop over areas (see `Ontwerp`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd

# scipy.stats is imported inside the functions that use it: it takes about a second, and a
# rebuild that reuses its results table (or a notebook) only needs this module's constants.


@dataclass(frozen=True)
class Ontwerp:
    """One survey design (a wave file) with its domains.

    Domains are built from disjoint *cells*: every respondent lies in at most one cell (`cel`;
    `n_cellen` marks "no cell"), and the membership pairs `lid_cel[k]` -> `lid_domein[k]` say which
    cells make up which domain. Domains may overlap: a wijk's cell lies in its own domain, in its
    gemeente and in the rest-of-gemeente domain of every other gebied of that gemeente. Every
    domain sum is a sum of per-cell sums, so each indicator touches a respondent once however many
    domains it is in. The variance takes one of three routes, all exact:
      ids=~1            from per-cell moments (`var_hc0` in survey_schatting);
      PSUs within cells from per (cell, stratum) sums over PSUs (`_genest`): the respondent as
                        PSU, or PSUs (addresses) inside a wijk;
      otherwise         from the respondents of every domain (`_paren`, expanded once per design).
    `stratum` and `psu` are integer codes per respondent (a PSU code is unique in the whole design:
    `uit_cellen` numbers the (stratum, psu) pairs); None means `ids=~1` without strata.
    `eenzame_psu`: what a stratum with one PSU adds to the variance, as R's `survey.lonely.psu`:
    "certainty" nothing, "adjust" its PSU total squared (centred at zero, survey 4.1).
    """

    gewicht: np.ndarray
    stratum: np.ndarray | None
    psu: np.ndarray | None
    cel: np.ndarray
    n_cellen: int
    lid_cel: np.ndarray
    lid_domein: np.ndarray
    n_domeinen: int
    eenzame_psu: Literal["certainty", "adjust"] = "certainty"

    @classmethod
    def maak(cls, gewicht, rij, domein, n_domeinen, stratum=None, psu=None, eenzame_psu="certainty") -> "Ontwerp":
        """Membership per respondent: respondent `rij[k]` belongs to domain `domein[k]`.

        Respondents that belong to exactly the same domains form one cell (`uit_cellen`), so the
        domain sums run over a few cells rather than over every membership pair.
        """
        n = len(gewicht)
        rij, domein = np.asarray(rij, dtype=np.int64), np.asarray(domein, dtype=np.int64)
        volgorde = np.lexsort((domein, rij))
        rij, domein = rij[volgorde], domein[volgorde]
        aantal = np.bincount(rij, minlength=n)
        plek = np.arange(len(rij)) - (np.cumsum(aantal) - aantal)[rij]  # position in the respondent's list
        # refine the partition by the j-th domain of each respondent's sorted list (-1: list ended)
        cel = np.zeros(n, dtype=np.int64)
        for j in range(aantal.max(initial=0)):
            op_j = plek == j
            domein_j = np.full(n, -1)
            domein_j[rij[op_j]] = domein[op_j]
            cel = pd.factorize(cel * (n_domeinen + 1) + domein_j + 1)[0]
        n_cellen = int(cel.max(initial=-1)) + 1
        # the membership of a cell is that of its first respondent
        eerste = np.zeros(n_cellen, dtype=np.int64)
        eerste[cel[::-1]] = np.arange(n)[::-1]
        van_eerste = eerste[cel[rij]] == rij
        return cls.uit_cellen(gewicht, cel, n_cellen, cel[rij[van_eerste]], domein[van_eerste], n_domeinen,
                              stratum, psu, eenzame_psu)

    @classmethod
    def uit_cellen(cls, gewicht, cel, n_cellen, lid_cel, lid_domein, n_domeinen,
                   stratum=None, psu=None, eenzame_psu="certainty") -> "Ontwerp":
        """Membership per cell: respondent i lies in cell `cel[i]` (< 0: none), cell `lid_cel[k]`
        belongs to domain `lid_domein[k]`. PSUs are nested within strata (R's nest=TRUE)."""
        n = len(gewicht)
        if eenzame_psu not in ("certainty", "adjust"):
            raise ValueError(f"unknown eenzame_psu {eenzame_psu!r}; expected 'certainty' or 'adjust'")
        if stratum is not None or psu is not None:
            stratum = np.zeros(n, dtype=np.int64) if stratum is None else pd.factorize(np.asarray(stratum))[0]
            if psu is None:
                psu = np.arange(n, dtype=np.int64)
            else:
                # the PSU is the (stratum, psu code) pair: codes 1, 2, ... in every stratum are distinct PSUs
                code = pd.factorize(np.asarray(psu))[0]
                psu = pd.factorize(stratum * (int(code.max(initial=0)) + 1) + code)[0]
        cel = np.asarray(cel, dtype=np.int64)
        return cls(np.asarray(gewicht, dtype=float), stratum, psu, np.where(cel < 0, n_cellen, cel),
                   int(n_cellen), np.asarray(lid_cel, dtype=np.int64), np.asarray(lid_domein, dtype=np.int64),
                   int(n_domeinen), eenzame_psu)

    @cached_property
    def _cellen(self) -> "_Groepsom":
        return _Groepsom(self.cel, self.n_cellen + 1)

    def per_cel(self, waarden: np.ndarray) -> np.ndarray:
        """Sum of a per-respondent array in each cell (the last entry collects "no cell")."""
        return self._cellen.som(waarden)

    def per_domein(self, per_cel: np.ndarray) -> np.ndarray:
        """Sum of a per-cell array over each domain's cells."""
        return _som(self.lid_domein, per_cel[self.lid_cel], self.n_domeinen)

    @cached_property
    def _paren(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(respondent, domain, membership pair) for every respondent of every cell of every domain."""
        volgorde = np.argsort(self.cel, kind="stable")
        aantal = np.bincount(self.cel, minlength=self.n_cellen + 1)
        lengte = aantal[self.lid_cel]
        return (volgorde[_uitvouwen((np.cumsum(aantal) - aantal)[self.lid_cel], lengte)],
                np.repeat(self.lid_domein, lengte), np.repeat(np.arange(len(self.lid_cel)), lengte))

    @cached_property
    def _groepen(self) -> dict:
        """Index arrays: membership pair -> (domain, PSU) group -> (domain, stratum) group."""
        rij, d, _ = self._paren
        psu = self.psu[rij]
        stratum = self.stratum[rij]
        n_psu = self.psu.max() + 1
        uniek, inv_psu = np.unique(d * n_psu + psu, return_inverse=True)
        h_psu = np.zeros(len(uniek), dtype=np.int64)
        h_psu[inv_psu] = stratum
        # PSUs per stratum in the whole design (not only the domain), as R keeps them
        paren = np.unique(np.stack([self.stratum, self.psu]), axis=1)
        n_h = np.bincount(paren[0])
        n_strata = len(n_h)
        uniek_h, inv_h = np.unique((uniek // n_psu) * n_strata + h_psu, return_inverse=True)
        return {"inv_psu": inv_psu, "n_groep_psu": len(uniek), "inv_h": inv_h,
                "nh": n_h[uniek_h % n_strata].astype(float), "d_h": uniek_h // n_strata,
                "df": np.bincount(uniek // n_psu, minlength=self.n_domeinen)
                - np.bincount(uniek_h // n_strata, minlength=self.n_domeinen)}

    def variantie_psu(self, z: np.ndarray) -> np.ndarray:
        """Design variance of the domain totals of linearised scores `z` (one per `_paren` pair)."""
        g = self._groepen
        z_psu = np.bincount(g["inv_psu"], weights=z, minlength=g["n_groep_psu"])
        som = np.bincount(g["inv_h"], weights=z_psu, minlength=len(g["nh"]))
        kwadraat = np.bincount(g["inv_h"], weights=z_psu**2, minlength=len(g["nh"]))
        return _stratumvariantie(g["nh"], kwadraat, som, g["d_h"], self.n_domeinen, self.eenzame_psu)

    @cached_property
    def _genest(self) -> dict | None:
        """Grouping for a PSU design whose every PSU lies in one cell and one stratum; else None.

        A domain's PSUs are then whole PSUs of its cells, so the PSU totals of its scores follow
        from per-PSU sums, and their squares from per (cell, stratum) sums over the PSUs: no
        respondent is copied into the domains of its cell (`_paren`).
        """
        n_psu = int(self.psu.max()) + 1 if len(self.psu) else 0
        psu_cel, psu_h = np.zeros(n_psu, dtype=np.int64), np.zeros(n_psu, dtype=np.int64)
        psu_cel[self.psu], psu_h[self.psu] = self.cel, self.stratum
        if not (np.array_equal(psu_cel[self.psu], self.cel) and np.array_equal(psu_h[self.psu], self.stratum)):
            return None
        n_h = np.bincount(psu_h)  # PSUs per stratum in the whole design, as R keeps them
        n_strata = len(n_h)
        # subcells: the PSUs of one cell in one stratum, numbered by cell (a cell's are contiguous)
        sub, sub_van_psu = np.unique(psu_cel * n_strata + psu_h, return_inverse=True)
        sub_cel, sub_h = sub // n_strata, sub % n_strata
        aantal = np.bincount(sub_cel, minlength=self.n_cellen + 1)
        lengte = aantal[self.lid_cel]
        paar_sub = _uitvouwen((np.cumsum(aantal) - aantal)[self.lid_cel], lengte)
        paar_dom = np.repeat(self.lid_domein, lengte)
        groep_code, groep = np.unique(paar_dom * n_strata + sub_h[paar_sub], return_inverse=True)
        groep_dom = groep_code // n_strata
        psu_per_sub = np.bincount(sub_van_psu, minlength=len(sub))
        return {"per_psu": _Groepsom(self.psu, n_psu), "per_sub": _Groepsom(sub_van_psu, len(sub)),
                "sub_cel": sub_cel, "paar_sub": paar_sub, "paar": np.repeat(np.arange(len(self.lid_cel)), lengte),
                "paar_dom": paar_dom, "groep": groep, "groep_dom": groep_dom,
                "nh": n_h[groep_code % n_strata].astype(float),
                "df": _som(paar_dom, psu_per_sub[paar_sub].astype(float), self.n_domeinen).astype(np.int64)
                - np.bincount(groep_dom, minlength=self.n_domeinen)}

    def variantie_genest(self, a: np.ndarray, b: np.ndarray, m_cel: np.ndarray, factor: np.ndarray,
                         centrum: np.ndarray) -> np.ndarray:
        """Design variance of Σ_k factor_k Σ_{i in cell k} w_i(y_i − centrum_k) per domain, for PSUs
        within cells (`_genest`); k runs over the domain's membership pairs.

        a = w(y − m) with m the mean of the respondent's cell, b = w (both 0 for item
        non-response), m_cel the cell means. A PSU's total in the domain is
        factor_k·(A + (m − centrum_k)·B), with A and B its sums of a and b.
        """
        g = self._genest
        A, B = g["per_psu"].som(a), g["per_psu"].som(b)
        S_a, S_b, S_aa, S_ab, S_bb = (g["per_sub"].som(x) for x in (A, B, A * A, A * B, B * B))
        k, paar = g["paar_sub"], g["paar"]
        verschuiving = m_cel[g["sub_cel"][k]] - centrum[paar]
        f = factor[paar]
        n_groep = len(g["nh"])
        som = np.bincount(g["groep"], weights=f * (S_a[k] + verschuiving * S_b[k]), minlength=n_groep)
        kwadraat = np.bincount(g["groep"], weights=f**2 * (S_aa[k] + 2 * verschuiving * S_ab[k]
                                                           + verschuiving**2 * S_bb[k]), minlength=n_groep)
        return _stratumvariantie(g["nh"], kwadraat, som, g["groep_dom"], self.n_domeinen, self.eenzame_psu)

    def verschillen(self, met: np.ndarray) -> tuple["Ontwerp", np.ndarray, np.ndarray]:
        """The differences p_d − p_met[d] (met[d] < 0: none) as the domains of a design over the
        same respondents: domain d of the returned design is made of the cells of d and of met[d].
        Also returns each membership pair's own domain (in this design) and sign (+1, −1).

        The two domains of a difference must be disjoint (no cell in both). Computed once per `met`.
        """
        met = np.asarray(met, dtype=np.int64)
        sleutel = met.tobytes()
        if sleutel not in self._verschillen:
            volgorde = np.argsort(self.lid_domein, kind="stable")
            aantal = np.bincount(self.lid_domein, minlength=self.n_domeinen)
            begin = np.cumsum(aantal) - aantal
            d = np.flatnonzero(met >= 0)
            plus = volgorde[_uitvouwen(begin[d], aantal[d])]
            min_ = volgorde[_uitvouwen(begin[met[d]], aantal[met[d]])]
            paren = np.concatenate([plus, min_])
            verschil = np.concatenate([np.repeat(d, aantal[d]), np.repeat(d, aantal[met[d]])])
            if pd.DataFrame({"d": verschil, "cel": self.lid_cel[paren]}).duplicated().any():
                raise ValueError("the two domains of a difference share a cell; they must be disjoint")
            ontwerp = Ontwerp(self.gewicht, self.stratum, self.psu, self.cel, self.n_cellen, self.lid_cel[paren],
                              verschil, self.n_domeinen, self.eenzame_psu)
            teken = np.concatenate([np.ones(len(plus)), -np.ones(len(min_))])
            self._verschillen[sleutel] = (ontwerp, self.lid_domein[paren], teken)
        return self._verschillen[sleutel]

    @cached_property
    def _verschillen(self) -> dict:
        return {}

    def t_kwantiel(self, q: float) -> np.ndarray:
        """Quantile q of the t distribution on each domain's degrees of freedom (at least 1).

        Computed once per design: the degrees of freedom are the same for every indicator."""
        from scipy import stats

        if q not in self._kwantielen:
            df = self.vrijheidsgraden
            uniek, terug = np.unique(np.where(df > 0, df, 1), return_inverse=True)
            self._kwantielen[q] = stats.t.ppf(q, uniek)[terug]
        return self._kwantielen[q]

    @cached_property
    def _kwantielen(self) -> dict[float, np.ndarray]:
        return {}

    @cached_property
    def vrijheidsgraden(self) -> np.ndarray:
        """degf() of each domain's subset design: its PSUs minus its strata (all rows, item-missing too)."""
        if self.psu is None:
            return self.per_domein(self.per_cel(np.ones(len(self.gewicht)))).astype(np.int64) - 1
        return (self._groepen if self._genest is None else self._genest)["df"]


class _Groepsom:
    """Sums of a per-item array per group (0 .. n − 1).

    When the items come sorted by group (resultaten sorts respondents by cell; PSU codes then
    follow in order of appearance), each group is a contiguous run summed with np.add.reduceat:
    several times faster than np.bincount, the same sums.
    """

    def __init__(self, groep: np.ndarray, n: int):
        self.groep, self.n = groep, n
        self.runs = None
        if len(groep) and not np.any(groep[1:] < groep[:-1]):
            begin = np.flatnonzero(np.concatenate([[True], groep[1:] != groep[:-1]]))
            self.runs = (groep[begin], begin)

    def som(self, waarden: np.ndarray) -> np.ndarray:
        waarden = np.asarray(waarden, dtype=float)
        if self.runs is None:
            return np.bincount(self.groep, weights=waarden, minlength=self.n)
        groepen, begin = self.runs
        uit = np.zeros(self.n)
        # one item per group (the respondent as PSU): nothing to add up
        uit[groepen] = waarden if len(begin) == len(waarden) else np.add.reduceat(waarden, begin)
        return uit


def _som(domein: np.ndarray, waarden: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(domein, weights=waarden, minlength=n)


def _uitvouwen(begin: np.ndarray, lengte: np.ndarray) -> np.ndarray:
    """begin[k], begin[k] + 1, ..., begin[k] + lengte[k] − 1 for every k, concatenated."""
    eind = np.cumsum(lengte)
    return np.arange(eind[-1] if len(eind) else 0) + np.repeat(begin - (eind - lengte), lengte)


def _stratumvariantie(nh: np.ndarray, kwadraat: np.ndarray, som: np.ndarray, domein: np.ndarray, n: int,
                      eenzame_psu: str = "certainty") -> np.ndarray:
    """Σ_h n_h/(n_h − 1) (Σ_j t_j² − (Σ_j t_j)²/n_h) per domain, from per (domain, stratum) sums over PSUs.

    A stratum with a single PSU (n_h = 1 in the whole design) adds nothing with "certainty" and
    t² with "adjust", as R's survey 4.1 (onestrat: the lonely PSU is not centred, scale 1)."""
    eenzaam = kwadraat if eenzame_psu == "adjust" else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        bijdrage = np.where(nh > 1, nh / np.maximum(nh - 1, 1) * (kwadraat - som**2 / nh), eenzaam)
    return _som(domein, bijdrage, n)


def survey_schatting(ontwerp: Ontwerp, y: np.ndarray, soort: str, alpha: float = 0.05,
                     categorie: np.ndarray | None = None, verschil_met: np.ndarray | None = None) -> pd.DataFrame:
    """Weighted proportion or mean of `y` (per respondent, NaN = missing) for every domain.

    soort: 'proportie' (y is 0/1) or 'gemiddelde'. Returns one row per domain (index = domain
    number) with schatting, se, ci_laag, ci_hoog, n_ongewogen, som_gewichten, n_effectief, deff,
    n_teller (unweighted count of y == 1, proportions only) and max_aandeel_categorie: the largest
    unweighted share of a single answer code (from `categorie`, the raw codes), for disclosure.
    With `verschil_met` (per domain d another domain, disjoint from d, or −1) also var_verschil:
    the design variance of p_d − p_met[d] (NaN without one), which counts the covariance of the
    two domains through shared strata (and PSUs).
    """
    o = ontwerp
    y = np.asarray(y, dtype=float)
    geldig = ~np.isnan(y)
    w = np.where(geldig, o.gewicht, 0.0)
    yg = np.where(geldig, y, 0.0)
    w2 = w**2
    n_cel, W_cel, W2_cel, wy_cel = (o.per_cel(x) for x in (geldig.astype(float), w, w2, w * yg))
    n, W, W2 = o.per_domein(n_cel), o.per_domein(W_cel), o.per_domein(W2_cel)
    with np.errstate(invalid="ignore", divide="ignore"):
        schatting = o.per_domein(wy_cel) / W
        # moments per cell centred on the cell's own mean m (stable, as in pooled variances)
        m_cel = np.divide(wy_cel, W_cel, out=np.zeros_like(W_cel), where=W_cel > 0)
        afwijking = yg - m_cel[o.cel]
        w2_afwijking = w2 * afwijking
        cellen = {"a": w * afwijking, "b": w, "m": m_cel, "W": W_cel, "W2": W2_cel,
                  "q1": o.per_cel(w2_afwijking), "q2": o.per_cel(w2_afwijking * afwijking),
                  "w": w, "y": yg, "geldig": geldig}
        d = o.lid_domein
        # the scores of a domain mean: w(y − p_D)/W_D for the respondents of its cells
        var = _variantie(o, cellen, 1 / W[d], schatting[d])
        se = np.where(n > 0, np.sqrt(var), np.nan)
        n_eff = W**2 / W2
        deff = n / n_eff
    uit = {"schatting": schatting, "se": se, "n_ongewogen": n.astype(np.int64),
           "som_gewichten": W, "n_effectief": n_eff, "deff": deff}
    if verschil_met is not None:
        v, eigen, teken = o.verschillen(verschil_met)
        with np.errstate(invalid="ignore", divide="ignore"):
            var_verschil = _variantie(v, cellen, teken / W[eigen], schatting[eigen])
        met = np.asarray(verschil_met)
        leeg = (met < 0) | (n == 0) | (n[np.maximum(met, 0)] == 0)
        uit["var_verschil"] = np.where(leeg, np.nan, var_verschil)
    df = o.vrijheidsgraden
    t = o.t_kwantiel(1 - alpha / 2)
    if soort == "proportie":
        with np.errstate(invalid="ignore", divide="ignore"):
            binnen = (schatting > 0) & (schatting < 1) & (se > 0) & (df > 0)
            logit = np.log(schatting / (1 - schatting))
            se_logit = se / (schatting * (1 - schatting))
            uit["ci_laag"] = np.where(binnen, 1 / (1 + np.exp(-(logit - t * se_logit))), np.nan)
            uit["ci_hoog"] = np.where(binnen, 1 / (1 + np.exp(-(logit + t * se_logit))), np.nan)
        uit["n_teller"] = o.per_domein(o.per_cel(y == 1)).astype(np.int64)
    elif soort == "gemiddelde":
        # t on the domain's degrees of freedom, as for proportions (see the module docstring)
        uit["ci_laag"] = np.where(df > 0, schatting - t * se, np.nan)
        uit["ci_hoog"] = np.where(df > 0, schatting + t * se, np.nan)
    else:
        raise ValueError(f"unknown soort {soort!r}")
    if categorie is not None:
        uit["max_aandeel_categorie"] = _max_aandeel(o, np.asarray(categorie, dtype=float))
    return pd.DataFrame(uit)


def _variantie(o: Ontwerp, c: dict, factor: np.ndarray, centrum: np.ndarray) -> np.ndarray:
    """Design variance, per domain of `o`, of the total of the scores factor_k·w_i(y_i − centrum_k),
    i in cell k, summed over the domain's membership pairs k (each cell at most once per domain).

    `c` holds the per-respondent and per-cell sums of `survey_schatting`. A domain mean has
    factor 1/W_D and centrum p_D; the difference of two disjoint domains ±1/W and each its own mean.
    """
    k, d = o.lid_cel, o.lid_domein
    if o.psu is None:
        # ids=~1: every respondent is a PSU of the single stratum of all N respondents:
        # N/(N − 1) (Σ z² − (Σ z)²/N), with Σ_cel w²(y − c)² = q2 + 2(m − c) q1 + (m − c)² Σ_cel w²
        N = len(o.gewicht)
        a = c["m"][k] - centrum
        kwadraat = _som(d, factor**2 * (c["q2"][k] + 2 * a * c["q1"][k] + a**2 * c["W2"][k]), o.n_domeinen)
        som = _som(d, factor * a * c["W"][k], o.n_domeinen)
        return N / (N - 1) * (kwadraat - som**2 / N)
    if o._genest is not None:
        return o.variantie_genest(c["a"], c["b"], c["m"], factor, centrum)
    rij, _, paar = o._paren
    z = np.where(c["geldig"][rij], factor[paar] * c["w"][rij] * (c["y"][rij] - centrum[paar]), 0.0)
    return o.variantie_psu(z)


def _max_aandeel(ontwerp: Ontwerp, categorie: np.ndarray) -> np.ndarray:
    """Largest unweighted share of one answer code per domain (missing answers excluded)."""
    n_geldig = np.count_nonzero(~np.isnan(categorie))
    if n_geldig == 0:
        return np.full(ontwerp.n_domeinen, np.nan)
    # answer codes are mostly a few small integers: count those, unless they miss some answers
    laag, hoog = np.fmin.reduce(categorie), np.fmax.reduce(categorie)
    tellingen = [ontwerp.per_cel(categorie == c) for c in (np.arange(laag, hoog + 1) if hoog - laag < 64 else [])]
    if sum(t.sum() for t in tellingen) != n_geldig:
        tellingen = [ontwerp.per_cel(categorie == c) for c in np.unique(categorie[~np.isnan(categorie)])]
    per_domein = np.stack([ontwerp.per_domein(t) for t in tellingen], axis=1)
    totaal = per_domein.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totaal > 0, per_domein.max(axis=1) / totaal, np.nan)


def poisson_interval(telling: np.ndarray, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for Poisson counts, as R's poisson.test()$conf.int."""
    from scipy import stats

    telling = np.asarray(telling, dtype=float)
    with np.errstate(invalid="ignore"):
        laag = np.where(telling > 0, stats.chi2.ppf(alpha / 2, 2 * telling) / 2, 0.0)
        hoog = stats.chi2.ppf(1 - alpha / 2, 2 * (telling + 1)) / 2
    return laag, hoog


def register_schatting(teller, noemer, schaal: float, poisson: bool, alpha: float = 0.05) -> pd.DataFrame:
    """Rate or share teller/noemer x schaal; with `poisson`, an exact interval and a normal-approx SE."""
    teller = np.asarray(teller, dtype=float)
    noemer = np.asarray(noemer, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        uit = {"schatting": teller / noemer * schaal, "teller": teller, "noemer": noemer}
        if poisson:
            laag, hoog = poisson_interval(teller, alpha)
            uit.update(ci_laag=laag / noemer * schaal, ci_hoog=hoog / noemer * schaal,
                       se=np.sqrt(teller) / noemer * schaal)
        else:
            uit.update(ci_laag=np.nan, ci_hoog=np.nan, se=np.nan)
    return pd.DataFrame(uit)


def verschiltoets(a, se_a, b, se_b, var_verschil=None) -> pd.DataFrame:
    """Difference a − b with its SE, z and two-sided p.

    The SE is that of independent estimates, unless `var_verschil` gives the (design) variance
    of the difference, for estimates from one sample; where it is NaN the independent one is used.
    """
    from scipy import special

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        verschil = a - b
        se = np.sqrt(np.asarray(se_a, dtype=float) ** 2 + np.asarray(se_b, dtype=float) ** 2)
        if var_verschil is not None:
            var_verschil = np.asarray(var_verschil, dtype=float)
            se = np.where(np.isnan(var_verschil) | np.isnan(se), se, np.sqrt(var_verschil))
        z = np.where(se > 0, verschil / se, np.nan)
    p = 2 * special.ndtr(-np.abs(z))  # = 2·stats.norm.sf(|z|) exactly, without its per-call overhead
    return pd.DataFrame({"verschil": verschil, "se_verschil": se, "z": z, "p": p})


def verschil_in_verschillen(y, w, wijk, na, alpha: float = 0.05, in_model=None, stratum=None, psu=None,
                            eenzame_psu: str = "certainty") -> dict:
    """Difference-in-differences from the weighted linear model y ~ wijk * na on microdata, with a
    design-based standard error: what R's `svyglm(y ~ wijk * na, subset(design, in_model))` gives
    for the stacked metingen with `svydesign(ids=~psu, strata=~interaction(stratum, na), nest=TRUE)`
    (without stratum and psu: `ids=~1, strata=~na`).

    The straightforward computation on the respondents, for tests and benchmarks; the results table
    uses `verschil_in_verschillen_domeinen`. The rows are the whole survey files of both metingen
    (the PSUs per stratum count in the whole file); `in_model` marks the model's respondents (the
    gemeente), missing y drops a respondent from the model but not from the design. The
    coefficient of wijk:na is (change in the wijk) − (change in the rest of the gemeente); its
    linearised scores are the model's score equations times the inverse information (the sandwich
    of svyglm), their variance Σ_h n_h/(n_h − 1) Σ_j (t_hj − t̄_h)² over PSU totals.
    """
    from scipy import stats

    y, w = np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    wijk, na = np.asarray(wijk, dtype=float), np.asarray(na, dtype=float)
    n_rij = len(y)
    model = ~np.isnan(y) & (np.ones(n_rij, bool) if in_model is None else np.asarray(in_model, dtype=bool))
    X = np.column_stack([np.ones(n_rij), wijk, na, wijk * na])
    Xm, ym, wm = X[model], y[model], w[model]
    informatie = Xm.T @ (wm[:, None] * Xm)
    b = np.linalg.solve(informatie, Xm.T @ (wm * ym))
    z = np.zeros(n_rij)
    z[model] = (wm * (ym - Xm @ b))[:, None] * Xm @ np.linalg.inv(informatie)[:, 3]
    h = pd.factorize(pd.MultiIndex.from_arrays([np.zeros(n_rij) if stratum is None else np.asarray(stratum), na]))[0]
    j = pd.factorize(pd.MultiIndex.from_arrays([h, np.arange(n_rij) if psu is None else np.asarray(psu)]))[0]
    t = pd.DataFrame({"h": h, "j": j, "z": z}).groupby(["h", "j"])["z"].sum().reset_index()
    per_h = t.groupby("h")["z"].agg(["size", "sum", lambda v: (v**2).sum()])
    per_h.columns = ["n", "som", "kwadraat"]
    eenzaam = per_h["kwadraat"] if eenzame_psu == "adjust" else 0.0
    bijdrage = np.where(per_h["n"] > 1, per_h["n"] / np.maximum(per_h["n"] - 1, 1)
                        * (per_h["kwadraat"] - per_h["som"] ** 2 / per_h["n"]), eenzaam)
    se = float(np.sqrt(bijdrage.sum()))
    schatting = float(b[3])
    zq = stats.norm.ppf(1 - alpha / 2)
    z = schatting / se if se > 0 else np.nan
    return {
        "schatting": schatting, "se": se, "ci_laag": schatting - zq * se, "ci_hoog": schatting + zq * se,
        "z": z, "p": float(2 * stats.norm.sf(abs(z))) if se > 0 else np.nan, "n": int(model.sum()),
    }


def verschil_in_verschillen_domeinen(verschil_voor, var_voor, verschil_na, var_na, n,
                                     alpha: float = 0.05) -> pd.DataFrame:
    """`verschil_in_verschillen` for many gebieden at once, from the domain estimates.

    Per gebied the difference wijk − rest of the gemeente in the nulmeting (`verschil_voor`) and
    in the later meting (`verschil_na`) with their design variances (`survey_schatting`'s
    var_verschil, which includes the covariance of the wijk and the rest within a meting), and n
    the respondents of the four domains. The model y ~ wijk * na is saturated: its wijk:na
    coefficient is the difference of the two differences, and as the metingen are independent
    samples (strata per meting) its variance is the sum of their variances: exactly svyglm on the
    stacked metingen, without fitting one per gebied.
    """
    from scipy import stats

    verschil_voor, var_voor, verschil_na, var_na, n = (np.atleast_1d(np.asarray(v, dtype=float))
                                                       for v in (verschil_voor, var_voor, verschil_na, var_na, n))
    with np.errstate(invalid="ignore", divide="ignore"):
        schatting = verschil_na - verschil_voor
        se = np.sqrt(var_na + var_voor)
        z = np.where(se > 0, schatting / se, np.nan)
    zq = stats.norm.ppf(1 - alpha / 2)
    return pd.DataFrame({"schatting": schatting, "se": se, "ci_laag": schatting - zq * se,
                         "ci_hoog": schatting + zq * se, "z": z, "p": 2 * stats.norm.sf(np.abs(z)),
                         "n": np.asarray(n, dtype=np.int64)})


# ---------------------------------------------------------------- register event counts


def poisson_toets(teller_1, noemer_1, teller_2, noemer_2) -> np.ndarray:
    """Two-sided p of the exact conditional test of equal rates for two event counts with their
    exposures, as R's poisson.test(c(x1, x2), c(t1, t2)): given x1 + x2 = n, x1 is binomial with
    p = t1/(t1 + t2), and binom.test's p sums the probabilities of the outcomes no more likely than
    x1 (relative tolerance 1e-7). NaN when there is nothing to test (no events, no exposure).

    Vectorised: on each side of the mean the binomial probabilities are monotone, so the count of
    outcomes at most as likely as x1 on the other side is found by bisection.
    """
    from scipy import stats

    x1, t1, x2, t2 = (np.asarray(v, dtype=float) for v in (teller_1, noemer_1, teller_2, noemer_2))
    with np.errstate(invalid="ignore", divide="ignore"):
        n = x1 + x2
        p = t1 / (t1 + t2)
        geldig = np.isfinite(n) & (n > 0) & (t1 > 0) & (t2 > 0) & (x1 >= 0) & (x2 >= 0)
    n, x, p = np.where(geldig, n, 1.0), np.where(geldig, x1, 0.0), np.where(geldig, p, 0.5)
    grens = stats.binom.pmf(x, n, p) * (1 + 1e-7)
    m = n * p
    onder = x < m  # x below the mean: the other tail is [ceil(m), n], where the pmf falls
    # first outcome j of the other tail with pmf(j) <= grens (below the mean: the smallest j on
    # [ceil(m), n + 1]; above: the largest j on [−1, floor(m)]); n + 1 and −1: none
    laag = np.where(onder, np.ceil(m), -1.0)
    hoog = np.where(onder, n + 1, np.floor(m))
    while np.any(laag < hoog):
        midden = np.where(onder, np.floor((laag + hoog) / 2), np.ceil((laag + hoog) / 2))
        klein = stats.binom.pmf(midden, n, p) <= grens
        laag, hoog = (np.where(onder, np.where(klein, laag, midden + 1), np.where(klein, midden, laag)),
                      np.where(onder, np.where(klein, midden, hoog), np.where(klein, hoog, midden - 1)))
    j = laag
    pwaarde = np.where(onder, stats.binom.cdf(x, n, p) + stats.binom.sf(j - 1, n, p),
                       stats.binom.cdf(j, n, p) + stats.binom.sf(x - 1, n, p))
    pwaarde = np.where(x == m, 1.0, np.minimum(1.0, pwaarde))
    return np.where(geldig, pwaarde, np.nan)


def poisson_verschil_in_verschillen(teller, noemer, eenheid_groep, eenheid_cel, eenheid_teller, eenheid_noemer,
                                    schaal: float = 1.0, alpha: float = 0.05) -> pd.DataFrame:
    """Difference-in-differences of event rates with a quasi-Poisson model, for many groups at once.

    teller, noemer: per group (row) the counts and exposures of the four cells, columns in the
    order wijk voor, wijk na, rest voor, rest na. The model per group is the identity-link
    quasi-Poisson model teller ~ noemer·(cell rate) on the units (the CBS wijken and buurten that
    make up the cells, per period: `eenheid_*`, cell 0-3 as above), as R's
    glm(teller ~ 0 + noemer + I(noemer·wijk) + I(noemer·na) + I(noemer·wijk·na),
    family = quasipoisson(link = "identity")). Its interaction term is the DiD of the rates,
    (r_wijk,na − r_wijk,voor) − (r_rest,na − r_rest,voor), with variance φ Σ_c teller_c/noemer_c²,
    φ the Pearson χ² of the units over their residual degrees of freedom (units − 4): the model
    allows overdispersion between the units of a cell. φ is taken at least 1 (a deliberate choice:
    no less variation than Poisson). p and interval from the t distribution on those degrees of
    freedom, as R's summary.glm; no test without them. Estimates times `schaal`.
    """
    from scipy import stats

    X, E = np.asarray(teller, dtype=float), np.asarray(noemer, dtype=float)
    n_groep = len(X)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = X / E
        g, c = np.asarray(eenheid_groep, dtype=np.int64), np.asarray(eenheid_cel, dtype=np.int64)
        x, e = np.asarray(eenheid_teller, dtype=float), np.asarray(eenheid_noemer, dtype=float)
        mu = e * rate[g, c]
        pearson = np.bincount(g, weights=np.where(mu > 0, (x - mu) ** 2 / mu, 0.0), minlength=n_groep)
        df = np.bincount(g, minlength=n_groep) - 4
        dispersie = np.where(df > 0, np.maximum(pearson / np.maximum(df, 1), 1.0), np.nan)
        schatting = ((rate[:, 1] - rate[:, 0]) - (rate[:, 3] - rate[:, 2])) * schaal
        se = np.sqrt(dispersie * (X / E**2).sum(axis=1)) * schaal
        t = np.where(se > 0, schatting / se, np.nan)
        dfv = np.where(df > 0, df, 1)
        tq = stats.t.ppf(1 - alpha / 2, dfv)
        p = np.where(df > 0, 2 * stats.t.sf(np.abs(t), dfv), np.nan)
    return pd.DataFrame({"schatting": schatting, "se": se, "ci_laag": np.where(df > 0, schatting - tq * se, np.nan),
                         "ci_hoog": np.where(df > 0, schatting + tq * se, np.nan), "p": p,
                         "dispersie": dispersie, "df": df})


def wilson_interval(teller, noemer, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a share teller/noemer of a full count, as R's
    prop.test(teller, noemer, correct = FALSE)$conf.int; NaN where noemer is 0."""
    from scipy import stats

    x = np.asarray(teller, dtype=float)
    n = np.asarray(noemer, dtype=float)
    z = stats.norm.ppf(1 - alpha / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        midden = (p + z * z / (2 * n)) / (1 + z * z / n)
        marge = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        laag, hoog = np.clip(midden - marge, 0, 1), np.clip(midden + marge, 0, 1)
    leeg = ~(n > 0)
    return np.where(leeg, np.nan, laag), np.where(leeg, np.nan, hoog)
