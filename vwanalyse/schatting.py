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
All estimates are computed for all domains at once with `np.bincount`; there is no loop over areas.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import stats


@dataclass(frozen=True)
class Ontwerp:
    """One survey design (a wave file) with domain membership.

    `rij` and `domein` are parallel arrays: respondent row `rij[k]` belongs to domain `domein[k]`
    (a respondent may belong to several domains, e.g. its wijk and its gemeente).
    `stratum` and `psu` are integer codes per respondent row; None means `ids=~1` without strata.
    The grouping structure depends only on the design, so it is computed once and reused for
    every indicator (see the cached properties).
    """

    gewicht: np.ndarray
    stratum: np.ndarray | None
    psu: np.ndarray | None
    rij: np.ndarray
    domein: np.ndarray
    n_domeinen: int

    @classmethod
    def maak(cls, gewicht, rij, domein, n_domeinen, stratum=None, psu=None) -> "Ontwerp":
        n = len(gewicht)
        if stratum is not None or psu is not None:
            stratum = np.zeros(n, dtype=np.int64) if stratum is None else pd.factorize(np.asarray(stratum))[0]
            psu = np.arange(n, dtype=np.int64) if psu is None else pd.factorize(np.asarray(psu))[0]
        return cls(np.asarray(gewicht, dtype=float), stratum, psu,
                   np.asarray(rij, dtype=np.int64), np.asarray(domein, dtype=np.int64), int(n_domeinen))

    @cached_property
    def _groepen(self) -> dict:
        """Index arrays: membership pair -> (domain, PSU) group -> (domain, stratum) group."""
        d = self.domein
        psu = self.psu[self.rij]
        stratum = self.stratum[self.rij]
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

    def variantie(self, z: np.ndarray) -> np.ndarray:
        """Design variance of the domain totals of linearised scores `z` (one per membership pair)."""
        if self.psu is None:
            # ids=~1: every respondent is a PSU of the single stratum of n respondents; the
            # domain scores sum to zero, so the centring term vanishes.
            n = len(self.gewicht)
            return n / (n - 1) * _som(self.domein, z**2, self.n_domeinen)
        g = self._groepen
        z_psu = np.bincount(g["inv_psu"], weights=z, minlength=g["n_groep_psu"])
        som = np.bincount(g["inv_h"], weights=z_psu, minlength=len(g["nh"]))
        kwadraat = np.bincount(g["inv_h"], weights=z_psu**2, minlength=len(g["nh"]))
        nh = g["nh"]
        # a stratum with a single PSU contributes nothing (survey.lonely.psu = "certainty")
        factor = np.where(nh > 1, nh / np.maximum(nh - 1, 1), 0.0)
        return _som(g["d_h"], factor * (kwadraat - som**2 / nh), self.n_domeinen)

    @cached_property
    def vrijheidsgraden(self) -> np.ndarray:
        """degf() of each domain's subset design: its PSUs minus its strata (all rows, item-missing too)."""
        if self.psu is None:
            return _som(self.domein, np.ones(len(self.domein)), self.n_domeinen).astype(np.int64) - 1
        return self._groepen["df"]


def _som(domein: np.ndarray, waarden: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(domein, weights=waarden, minlength=n)


def survey_schatting(ontwerp: Ontwerp, y: np.ndarray, soort: str, alpha: float = 0.05,
                     categorie: np.ndarray | None = None) -> pd.DataFrame:
    """Weighted proportion or mean of `y` (per respondent row, NaN = missing) for every domain.

    soort: 'proportie' (y is 0/1) or 'gemiddelde'. Returns one row per domain (index = domain
    number) with schatting, se, ci_laag, ci_hoog, n_ongewogen, som_gewichten, n_effectief, deff,
    n_teller (unweighted count of y == 1, proportions only) and max_aandeel_categorie: the largest
    unweighted share of a single answer code (from `categorie`, the raw codes), for disclosure.
    """
    y_rij = np.asarray(y, dtype=float)[ontwerp.rij]
    w_rij = ontwerp.gewicht[ontwerp.rij]
    geldig = ~np.isnan(y_rij)
    d, n_dom = ontwerp.domein, ontwerp.n_domeinen
    wg = np.where(geldig, w_rij, 0.0)
    yg = np.where(geldig, y_rij, 0.0)

    n = _som(d, geldig.astype(float), n_dom)
    W = _som(d, wg, n_dom)
    W2 = _som(d, wg**2, n_dom)
    with np.errstate(invalid="ignore", divide="ignore"):
        schatting = _som(d, wg * yg, n_dom) / W
        z = np.where(geldig, wg * (yg - schatting[d]) / W[d], 0.0)
        se = np.where(n > 0, np.sqrt(ontwerp.variantie(z)), np.nan)
        n_eff = W**2 / W2
        deff = n / n_eff
    uit = pd.DataFrame({
        "schatting": schatting, "se": se, "n_ongewogen": n.astype(np.int64),
        "som_gewichten": W, "n_effectief": n_eff, "deff": deff,
    })
    if soort == "proportie":
        df = ontwerp.vrijheidsgraden
        with np.errstate(invalid="ignore", divide="ignore"):
            binnen = (schatting > 0) & (schatting < 1) & (se > 0) & (df > 0)
            logit = np.log(schatting / (1 - schatting))
            se_logit = se / (schatting * (1 - schatting))
            t = stats.t.ppf(1 - alpha / 2, np.where(df > 0, df, 1))
            uit["ci_laag"] = np.where(binnen, 1 / (1 + np.exp(-(logit - t * se_logit))), np.nan)
            uit["ci_hoog"] = np.where(binnen, 1 / (1 + np.exp(-(logit + t * se_logit))), np.nan)
        uit["n_teller"] = _som(d, (geldig & (y_rij == 1)).astype(float), n_dom).astype(np.int64)
    elif soort == "gemiddelde":
        zq = stats.norm.ppf(1 - alpha / 2)
        uit["ci_laag"] = schatting - zq * se
        uit["ci_hoog"] = schatting + zq * se
    else:
        raise ValueError(f"unknown soort {soort!r}")
    if categorie is not None:
        uit["max_aandeel_categorie"] = _max_aandeel(d, np.asarray(categorie, dtype=float)[ontwerp.rij], n_dom)
    return uit


def _max_aandeel(domein: np.ndarray, categorie: np.ndarray, n_dom: int) -> np.ndarray:
    """Largest unweighted share of one answer code per domain (missing answers excluded)."""
    geldig = ~np.isnan(categorie)
    d, c = domein[geldig], pd.factorize(categorie[geldig])[0]
    if len(c) == 0:
        return np.full(n_dom, np.nan)
    k = c.max() + 1
    tellingen = np.bincount(d * k + c, minlength=n_dom * k).reshape(n_dom, k)
    totaal = tellingen.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totaal > 0, tellingen.max(axis=1) / totaal, np.nan)


def poisson_interval(telling: np.ndarray, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for Poisson counts, as R's poisson.test()$conf.int."""
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
        schatting = teller / noemer * schaal
        uit = pd.DataFrame({"schatting": schatting, "teller": teller, "noemer": noemer})
        if poisson:
            laag, hoog = poisson_interval(teller, alpha)
            uit["ci_laag"] = laag / noemer * schaal
            uit["ci_hoog"] = hoog / noemer * schaal
            uit["se"] = np.sqrt(teller) / noemer * schaal
        else:
            uit["ci_laag"] = np.nan
            uit["ci_hoog"] = np.nan
            uit["se"] = np.nan
    return uit


def verschiltoets(a, se_a, b, se_b) -> pd.DataFrame:
    """Difference a − b of independent estimates with its SE, z and two-sided p."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        verschil = a - b
        se = np.sqrt(np.asarray(se_a, dtype=float) ** 2 + np.asarray(se_b, dtype=float) ** 2)
        z = np.where(se > 0, verschil / se, np.nan)
    p = 2 * stats.norm.sf(np.abs(z))
    return pd.DataFrame({"verschil": verschil, "se_verschil": se, "z": z, "p": p})


OORDELEN = ("gunstiger", "ongunstiger", "hoger", "lager", "geen_verschil", "niet_getoetst")


def oordeel(verschil, p, richting: np.ndarray | str, alpha: float = 0.05) -> np.ndarray:
    """Classify differences through the indicator's richting.

    Significant and hoger_gunstig/lager_gunstig -> gunstiger/ongunstiger; significant and neutraal
    -> hoger/lager; not significant -> geen_verschil; no test possible -> niet_getoetst.
    """
    verschil = np.asarray(verschil, dtype=float)
    p = np.asarray(p, dtype=float)
    richting = np.broadcast_to(np.asarray(richting, dtype=object), verschil.shape)
    teken = np.where(richting == "lager_gunstig", -1.0, 1.0) * np.sign(verschil)
    uit = np.full(verschil.shape, "niet_getoetst", dtype=object)
    getoetst = ~np.isnan(p)
    significant = getoetst & (p < alpha)
    uit[getoetst & ~significant] = "geen_verschil"
    neutraal = richting == "neutraal"
    uit[significant & neutraal & (verschil > 0)] = "hoger"
    uit[significant & neutraal & (verschil < 0)] = "lager"
    uit[significant & ~neutraal & (teken > 0)] = "gunstiger"
    uit[significant & ~neutraal & (teken < 0)] = "ongunstiger"
    return uit


def verschil_in_verschillen(y, w, wijk, na, alpha: float = 0.05) -> dict:
    """Difference-in-differences from a weighted linear model y ~ wijk * na on microdata.

    The coefficient of wijk:na is (change in the wijk) − (change in the rest of the gemeente).
    Standard errors are heteroscedasticity-robust (HC0) scaled by n/(n−1), which equals the
    linearisation SE of R's svyglm() for svydesign(ids=~1, weights=~w).
    """
    import statsmodels.api as sm

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
