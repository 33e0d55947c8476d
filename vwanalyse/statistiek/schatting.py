"""Statistics: weighted survey estimates, register rates, comparisons, change tests, DiD.

Everything here works on arrays and frames handed in by the caller; nothing opens a file.

Survey conventions (see ARCHITECTURE.md and tests/referentie/README.md): the design is one
survey wave (one file). Each area is a *domain* of that design, estimated the way R's `survey`
package does for `svydesign(ids=~psu, strata=~stratum, weights=~w)` followed by
`svymean(~y, subset(design, area), na.rm=TRUE)`: Taylor linearisation with the scores set to zero
outside the domain and for item non-response, and n_h the number of PSUs of stratum h in the whole
file. Without strata/PSU every respondent is its own PSU in a single stratum (`ids=~1`).
Proportions get a logit-scale interval with a t quantile on the domain's degrees of freedom, as
`svyciprop(method="logit")`; means a normal (Wald) interval, as `confint(svymean(...))`.
All estimates are computed for all domains at once from sums per cell and per domain
(`np.bincount`, `np.add.reduceat`); there is no loop over areas (see `Ontwerp`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

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
    `stratum` and `psu` are integer codes per respondent; None means `ids=~1` without strata.
    """

    gewicht: np.ndarray
    stratum: np.ndarray | None
    psu: np.ndarray | None
    cel: np.ndarray
    n_cellen: int
    lid_cel: np.ndarray
    lid_domein: np.ndarray
    n_domeinen: int

    @classmethod
    def maak(cls, gewicht, rij, domein, n_domeinen, stratum=None, psu=None) -> "Ontwerp":
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
                              stratum, psu)

    @classmethod
    def uit_cellen(cls, gewicht, cel, n_cellen, lid_cel, lid_domein, n_domeinen,
                   stratum=None, psu=None) -> "Ontwerp":
        """Membership per cell: respondent i lies in cell `cel[i]` (< 0: none), cell `lid_cel[k]`
        belongs to domain `lid_domein[k]`."""
        n = len(gewicht)
        if stratum is not None or psu is not None:
            stratum = np.zeros(n, dtype=np.int64) if stratum is None else pd.factorize(np.asarray(stratum))[0]
            psu = np.arange(n, dtype=np.int64) if psu is None else pd.factorize(np.asarray(psu))[0]
        cel = np.asarray(cel, dtype=np.int64)
        return cls(np.asarray(gewicht, dtype=float), stratum, psu, np.where(cel < 0, n_cellen, cel),
                   int(n_cellen), np.asarray(lid_cel, dtype=np.int64), np.asarray(lid_domein, dtype=np.int64),
                   int(n_domeinen))

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
    def _paren(self) -> tuple[np.ndarray, np.ndarray]:
        """(respondent, domain) pairs: every respondent of every cell of every domain."""
        volgorde = np.argsort(self.cel, kind="stable")
        aantal = np.bincount(self.cel, minlength=self.n_cellen + 1)
        lengte = aantal[self.lid_cel]
        return (volgorde[_uitvouwen((np.cumsum(aantal) - aantal)[self.lid_cel], lengte)],
                np.repeat(self.lid_domein, lengte))

    @cached_property
    def _groepen(self) -> dict:
        """Index arrays: membership pair -> (domain, PSU) group -> (domain, stratum) group."""
        rij, d = self._paren
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
        return _stratumvariantie(g["nh"], kwadraat, som, g["d_h"], self.n_domeinen)

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
                "sub_cel": sub_cel, "paar_sub": paar_sub,
                "paar_dom": paar_dom, "groep": groep, "groep_dom": groep_dom,
                "nh": n_h[groep_code % n_strata].astype(float),
                "df": _som(paar_dom, psu_per_sub[paar_sub].astype(float), self.n_domeinen).astype(np.int64)
                - np.bincount(groep_dom, minlength=self.n_domeinen)}

    def variantie_genest(self, a: np.ndarray, b: np.ndarray, m_cel: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Design variance of the domain totals of w(y − p_D), for PSUs within cells (`_genest`).

        a = w(y − m) with m the mean of the respondent's cell, b = w (both 0 for item
        non-response), m_cel the cell means, p the domain means. A PSU's total in domain D is
        A + (m − p_D)·B, with A and B its sums of a and b.
        """
        g = self._genest
        A, B = g["per_psu"].som(a), g["per_psu"].som(b)
        S_a, S_b, S_aa, S_ab, S_bb = (g["per_sub"].som(x) for x in (A, B, A * A, A * B, B * B))
        k = g["paar_sub"]
        verschuiving = m_cel[g["sub_cel"][k]] - p[g["paar_dom"]]
        n_groep = len(g["nh"])
        som = np.bincount(g["groep"], weights=S_a[k] + verschuiving * S_b[k], minlength=n_groep)
        kwadraat = np.bincount(g["groep"], weights=S_aa[k] + 2 * verschuiving * S_ab[k] + verschuiving**2 * S_bb[k],
                               minlength=n_groep)
        return _stratumvariantie(g["nh"], kwadraat, som, g["groep_dom"], self.n_domeinen)

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


def _stratumvariantie(nh: np.ndarray, kwadraat: np.ndarray, som: np.ndarray, domein: np.ndarray, n: int) -> np.ndarray:
    """Σ_h n_h/(n_h − 1) (Σ_j t_j² − (Σ_j t_j)²/n_h) per domain, from per (domain, stratum) sums over PSUs."""
    # a stratum with a single PSU contributes nothing (survey.lonely.psu = "certainty")
    factor = np.where(nh > 1, nh / np.maximum(nh - 1, 1), 0.0)
    return _som(domein, factor * (kwadraat - som**2 / nh), n)


def survey_schatting(ontwerp: Ontwerp, y: np.ndarray, soort: str, alpha: float = 0.05,
                     categorie: np.ndarray | None = None) -> pd.DataFrame:
    """Weighted proportion or mean of `y` (per respondent, NaN = missing) for every domain.

    soort: 'proportie' (y is 0/1) or 'gemiddelde'. Returns one row per domain (index = domain
    number) with schatting, se, ci_laag, ci_hoog, n_ongewogen, som_gewichten, n_effectief, deff,
    var_hc0 (Σ w²(y − p)² / W² over the domain: the design-free robust variance that
    `verschil_in_verschillen_domeinen` combines), n_teller (unweighted count of y == 1,
    proportions only) and max_aandeel_categorie: the largest unweighted share of a single answer
    code (from `categorie`, the raw codes), for disclosure.
    """
    from scipy import stats

    o, n_dom = ontwerp, ontwerp.n_domeinen
    y = np.asarray(y, dtype=float)
    geldig = ~np.isnan(y)
    w = np.where(geldig, o.gewicht, 0.0)
    yg = np.where(geldig, y, 0.0)
    w2 = w**2
    n_cel, W_cel, W2_cel, wy_cel = (o.per_cel(x) for x in (geldig.astype(float), w, w2, w * yg))
    n, W, W2 = o.per_domein(n_cel), o.per_domein(W_cel), o.per_domein(W2_cel)
    with np.errstate(invalid="ignore", divide="ignore"):
        schatting = o.per_domein(wy_cel) / W
        # Σ_D w²(y − p_D)² from per-cell moments centred on the cell's own mean m (stable, as in
        # pooled variances): Σ_cel w²(y − m)² + 2(m − p_D) Σ_cel w²(y − m) + (m − p_D)² Σ_cel w².
        m_cel = np.divide(wy_cel, W_cel, out=np.zeros_like(W_cel), where=W_cel > 0)
        afwijking = yg - m_cel[o.cel]
        w2_afwijking = w2 * afwijking
        q1, q2 = o.per_cel(w2_afwijking), o.per_cel(w2_afwijking * afwijking)
        k, d = o.lid_cel, o.lid_domein
        a = m_cel[k] - schatting[d]
        var_hc0 = _som(d, q2[k] + 2 * a * q1[k] + a**2 * W2_cel[k], n_dom) / W**2
        if o.psu is None:
            # ids=~1: every respondent is a PSU of the single stratum of all N respondents; the
            # domain scores sum to zero, so the variance is N/(N − 1) Σ z² = N/(N − 1) var_hc0.
            N = len(o.gewicht)
            var = N / (N - 1) * var_hc0
        elif o._genest is not None:
            var = o.variantie_genest(w * afwijking, w, m_cel, schatting) / W**2
        else:
            rij, dp = o._paren
            z = np.where(geldig[rij], w[rij] * (yg[rij] - schatting[dp]) / W[dp], 0.0)
            var = o.variantie_psu(z)
        se = np.where(n > 0, np.sqrt(var), np.nan)
        n_eff = W**2 / W2
        deff = n / n_eff
    uit = {"schatting": schatting, "se": se, "n_ongewogen": n.astype(np.int64),
           "som_gewichten": W, "n_effectief": n_eff, "deff": deff, "var_hc0": var_hc0}
    if soort == "proportie":
        df = o.vrijheidsgraden
        with np.errstate(invalid="ignore", divide="ignore"):
            binnen = (schatting > 0) & (schatting < 1) & (se > 0) & (df > 0)
            logit = np.log(schatting / (1 - schatting))
            se_logit = se / (schatting * (1 - schatting))
            t = o.t_kwantiel(1 - alpha / 2)
            uit["ci_laag"] = np.where(binnen, 1 / (1 + np.exp(-(logit - t * se_logit))), np.nan)
            uit["ci_hoog"] = np.where(binnen, 1 / (1 + np.exp(-(logit + t * se_logit))), np.nan)
        uit["n_teller"] = o.per_domein(o.per_cel(y == 1)).astype(np.int64)
    elif soort == "gemiddelde":
        zq = stats.norm.ppf(1 - alpha / 2)
        uit["ci_laag"] = schatting - zq * se
        uit["ci_hoog"] = schatting + zq * se
    else:
        raise ValueError(f"unknown soort {soort!r}")
    if categorie is not None:
        uit["max_aandeel_categorie"] = _max_aandeel(o, np.asarray(categorie, dtype=float))
    return pd.DataFrame(uit)


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


def verschiltoets(a, se_a, b, se_b) -> pd.DataFrame:
    """Difference a − b of independent estimates with its SE, z and two-sided p."""
    from scipy import special

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        verschil = a - b
        se = np.sqrt(np.asarray(se_a, dtype=float) ** 2 + np.asarray(se_b, dtype=float) ** 2)
        z = np.where(se > 0, verschil / se, np.nan)
    p = 2 * special.ndtr(-np.abs(z))  # = 2·stats.norm.sf(|z|) exactly, without its per-call overhead
    return pd.DataFrame({"verschil": verschil, "se_verschil": se, "z": z, "p": p})


def verschil_in_verschillen(y, w, wijk, na, alpha: float = 0.05) -> dict:
    """Difference-in-differences from a weighted linear model y ~ wijk * na on microdata.

    The coefficient of wijk:na is (change in the wijk) − (change in the rest of the gemeente).
    Standard errors are heteroscedasticity-robust (HC0) scaled by n/(n−1), which equals the
    linearisation SE of R's svyglm() for svydesign(ids=~1, weights=~w).
    """
    import statsmodels.api as sm
    from scipy import stats

    y, w = np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    wijk, na = np.asarray(wijk, dtype=float), np.asarray(na, dtype=float)
    geldig = ~np.isnan(y)
    y, w, wijk, na = y[geldig], w[geldig], wijk[geldig], na[geldig]
    X = np.column_stack([np.ones_like(y), wijk, na, wijk * na])
    model = sm.WLS(y, X, weights=w).fit(cov_type="HC0")
    n = len(y)
    se = float(np.sqrt(model.cov_params()[3, 3] * n / (n - 1)))
    schatting = float(model.params[3])
    zq = stats.norm.ppf(1 - alpha / 2)
    z = schatting / se if se > 0 else np.nan
    return {
        "schatting": schatting, "se": se, "ci_laag": schatting - zq * se, "ci_hoog": schatting + zq * se,
        "z": z, "p": float(2 * stats.norm.sf(abs(z))) if se > 0 else np.nan, "n": n,
    }


def verschil_in_verschillen_domeinen(wijk_voor: pd.DataFrame, wijk_na: pd.DataFrame, rest_voor: pd.DataFrame,
                                     rest_na: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """`verschil_in_verschillen` for many gebieden at once, from the four domain estimates.

    Each argument is a frame with columns schatting, var_hc0 and n_ongewogen (as returned by
    `survey_schatting`), its rows aligned across the four. The model y ~ wijk * na is saturated:
    its fitted values are the weighted means of the four cells, the wijk:na coefficient is the
    difference of their changes, and its HC0 variance is the sum of the cells' Σ w²(y − p)² / W²
    (`var_hc0`), scaled by n/(n−1) with n the respondents of the four cells: exactly the
    microdata model, without fitting one per gebied.
    """
    from scipy import stats

    cellen = (wijk_voor, wijk_na, rest_voor, rest_na)
    p = [np.asarray(c["schatting"], dtype=float) for c in cellen]
    n = sum(np.asarray(c["n_ongewogen"], dtype=float) for c in cellen)
    with np.errstate(invalid="ignore", divide="ignore"):
        # an empty cell has no mean (0/0) and no var_hc0, so schatting and se stay NaN
        schatting = (p[1] - p[0]) - (p[3] - p[2])
        se = np.sqrt(n / (n - 1) * sum(np.asarray(c["var_hc0"], dtype=float) for c in cellen))
        z = np.where(se > 0, schatting / se, np.nan)
    zq = stats.norm.ppf(1 - alpha / 2)
    return pd.DataFrame({"schatting": schatting, "se": se, "ci_laag": schatting - zq * se,
                         "ci_hoog": schatting + zq * se, "z": z, "p": 2 * stats.norm.sf(np.abs(z)),
                         "n": n.astype(np.int64)})
