"""Benchmark: the full results table at national scale, vectorised versus a per-group loop.

Input (generated, seeded; nothing is read but data/config):
  configuration  data/config with, via dataclasses.replace, 3.000 gebieden in 355 gemeenten (each
                 gebied one CBS wijk of its gemeente; gebied sizes lognormal) and 40 survey
                 indicators (proportions of 0/1 items, one survey bron) next to the 17 kernset
                 register indicators of the catalogue; the 3 metingen of data/config.
  survey         500.000 respondents per meting (1,5 million in all); 90% live in a gebied, 10% in
                 a wijk of their gemeente outside every gebied (they count for the gemeente and the
                 rest of the gemeente); lognormal weights; 4% item non-response; no strata/PSU
                 (ids=~1, the fast path of vwanalyse.statistiek.schatting).
  register       every wijk and gemeente, 3 peiljaren, every column the register indicators use.
  referentie     NL and provincie values for every indicator and meting.
Result: 2,6 million table rows (gebied x meting x indicator x rol) and 240.000 DiD rows.

Measured:
  vectorised  vwanalyse.resultaten.bereken_resultaten(config, gegevens): the full results table
              (survey, register and reference rows, disclosure control, comparisons with the rest
              of the gemeente and over time) plus the difference-in-differences table.
  loop        the same rows the straightforward way, with the methods of issue 12: pandas groupby
              per meting and gemeente, then one estimator call per gebied x rol x indicator,
              register values looked up per gebied; then per gemeente x meting the secondary
              suppression rule in rounds until nothing changes; comparisons per row (the z test, or
              for register counts of events the exact Poisson test of the two counts, summed from
              the binomial pmf); per gebied x indicator x later meting the survey DiD (the point
              estimate and n from the weighted model y ~ wijk * na, schatting.verschil_in_verschillen,
              on the gemeente's rows; the SE from the loop's own cell SEs, see per_groep) and, for
              register counts of events, the quasi-Poisson DiD on the CBS wijken of the gemeente.
              The published reference values are copied, not estimated, and are left out of the loop
              (they count only for the vectorised time). The full loop takes far longer than 20
              minutes, so by default it runs on a seeded random subset of the indicators (4 of 40
              survey, 2 of 17 register; with these defaults misdrijven, a count of events, and
              bijstand, a share) and its time is extrapolated linearly per indicator: every
              indicator is computed separately in the loop, so its time is the sum over indicators,
              taken per kind (survey, register count of events, other register), as the counts of
              events take longer (exact tests, the quasi-Poisson DiD).
Both give identical numbers on the subset (estimates, intervals, differences to 1e-12; standard
errors and p-values to 1e-10; n, suppression and indicatief exactly), in the results table and in
the DiD table (survey and register rows of the subset's indicators); the script fails otherwise.

Wall time with time.perf_counter, each vectorised run reported. Peak memory: tracemalloc during a
separate run (tracemalloc slows Python code, so timed runs go without it): the peak of memory
allocated during the call, on top of the input data; and the process's maximum resident set size
(resource.getrusage, input data included). The loop's peak is traced on one survey and one
register indicator.

Usage:  .venv/bin/python bench/bench_resultaten.py [--klein] [--herhalingen 3] [--lus-survey 4] [--lus-register 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from vwanalyse.invoer.bronnen import SCHEMAS, Gegevens, register_kolommen
from vwanalyse.model.configuratie import (Configuratie, Gebied, Regio, code_niveau, gemeente_van,
                                         laad_configuratie)
from vwanalyse.resultaten.berekening import bereken_resultaten
from vwanalyse.statistiek.schatting import verschil_in_verschillen

ROOT = Path(__file__).resolve().parents[1]  # the project this benchmark belongs to

BRON = "ggd_gezondheidsmonitor"
RICHTINGEN = ("hoger_gunstig", "lager_gunstig", "neutraal")


# ---------------------------------------------------------------- synthetic input


def maak_configuratie(n_gebieden: int, n_gemeenten: int, n_items: int) -> Configuratie:
    basis = laad_configuratie(ROOT / "data" / "config")
    assert n_gebieden // n_gemeenten < 99, "wijk code 99 is the part of a gemeente outside every gebied"
    gemeenten = [Regio(code=f"GM{j + 1:04d}", naam=f"Gemeente {j + 1}") for j in range(n_gemeenten)]
    gebieden = [Gebied(id=f"g{i:04d}", naam=f"Gebied {i}", gemeente=gemeenten[i % n_gemeenten].code,
                       codes=[f"WK{gemeenten[i % n_gemeenten].code[2:]}{i // n_gemeenten:02d}"],
                       wijkaanpak="", omschrijving="") for i in range(n_gebieden)]
    sjabloon = next(i for i in basis.indicatoren if i.bron == BRON and i.statistiek == "survey_proportie")
    nul = basis.metingen[0].jaar
    survey = [replace(sjabloon, id=f"item{j:02d}", naam=f"Item {j}", set="kernset", gebieden=[],
                      richting=RICHTINGEN[j % 3],
                      # the last item has a method break after the nulmeting (no change test across it)
                      vergelijkbaar_vanaf=basis.metingen[1].jaar if j == n_items - 1 else nul,
                      berekening=replace(sjabloon.berekening, item=f"item{j:02d}", geldige_codes=[0, 1],
                                         teller_codes=[1]))
              for j in range(n_items)]
    register = [i for i in basis.indicatoren if not i.is_survey and i.set == "kernset"]
    return replace(basis, gebieden_bestand=replace(basis.gebieden_bestand, gemeenten=gemeenten, gebieden=gebieden),
                   indicatoren=survey + register, logicmodellen={})


def _leeg(schema: dict[str, type]) -> pd.DataFrame:
    soort = {str: "str", int: "int64", float: "float64"}
    return pd.DataFrame({k: pd.Series(dtype=soort[t]) for k, t in schema.items()})


def maak_gegevens(config: Configuratie, n_resp: int, seed: int = 2025) -> Gegevens:
    rng = np.random.default_rng(seed)
    gebieden, gemeenten = config.gebieden, config.gebieden_bestand.gemeenten
    G, n_gm = len(gebieden), len(gemeenten)
    gm_code = np.array([g.code for g in gemeenten], dtype=object)
    gebied_gm = np.array([i % n_gm for i in range(G)])
    wijk_gebied = np.array([g.codes[0] for g in gebieden], dtype=object)
    wijk_buiten = np.array([f"WK{c[2:]}99" for c in gm_code], dtype=object)
    grootte = rng.lognormal(0, 0.6, G)
    items = [i.berekening.item for i in config.indicatoren if i.is_survey]
    kans = rng.uniform(0.1, 0.6, (len(items), G + n_gm))
    delen = []
    for k, meting in enumerate(config.metingen):
        peiljaar = meting.peiljaren[BRON]
        buiten = rng.random(n_resp) < 0.10
        gebied = rng.choice(G, n_resp, p=grootte / grootte.sum())
        gm = np.where(buiten, rng.integers(0, n_gm, n_resp), gebied_gm[gebied])
        wijk = np.where(buiten, wijk_buiten[gm], wijk_gebied[gebied])
        data = {
            "respondent_id": np.char.add(f"R{peiljaar}-", np.arange(n_resp).astype(str)).astype(object),
            "jaar": np.full(n_resp, peiljaar), "meting": np.full(n_resp, meting.jaar),
            "gemeentecode": gm_code[gm], "wijkcode": wijk,
            "buurtcode": np.char.add(np.char.replace(wijk.astype(str), "WK", "BU"), "00").astype(object),
            "gewicht": rng.lognormal(4, 0.5, n_resp),
            "leeftijdsklasse": np.array(["18-34", "35-64", "65+"], dtype=object)[rng.integers(0, 3, n_resp)],
            "geslacht": np.array(["man", "vrouw"], dtype=object)[rng.integers(0, 2, n_resp)],
        }
        groep = np.where(buiten, G + gm, gebied)
        for j, item in enumerate(items):
            y = (rng.random(n_resp) < np.clip(kans[j, groep] + 0.03 * k, 0, 1)).astype(float)
            y[rng.random(n_resp) < 0.04] = np.nan
            data[item] = y
        delen.append(pd.DataFrame(data))
    survey = pd.concat(delen, ignore_index=True)

    # register: every wijk (gebieden and the rest of each gemeente) and every gemeente as their sum
    wijken = np.concatenate([wijk_gebied, wijk_buiten])
    wijk_gm = np.concatenate([gebied_gm, np.arange(n_gm)])
    kolommen = register_kolommen(config)
    noemers = {i.berekening.noemer for i in config.indicatoren if not i.is_survey}
    peiljaren = sorted({m.peiljaren[i.bron] for m in config.metingen for i in config.indicatoren if not i.is_survey})
    inwoners = rng.integers(1_000, 20_000, len(wijken)).astype(float)
    delen = []
    for jaar in peiljaren:
        waarden = {}
        for kolom in sorted(kolommen, key=lambda k: k not in noemers):  # noemers first
            waarden[kolom] = np.round(inwoners * rng.uniform(0.2, 1.0, len(wijken)))
        for ind in (i for i in config.indicatoren if not i.is_survey):
            b = ind.berekening
            if b.teller not in noemers:
                aandeel = rng.uniform(0.01, 0.6, len(wijken)) if ind.statistiek == "register_aandeel" else 0.05
                waarden[b.teller] = rng.binomial(waarden[b.noemer].astype(np.int64), aandeel).astype(float)
        wijk = pd.DataFrame({"gebiedscode": wijken, "jaar": jaar, **waarden})
        gm = pd.DataFrame(waarden).groupby(wijk_gm).sum()
        gm.insert(0, "gebiedscode", gm_code[gm.index.to_numpy()])
        gm.insert(1, "jaar", jaar)
        delen += [wijk, gm.reset_index(drop=True)]
    register = pd.concat(delen, ignore_index=True).sort_values(["gebiedscode", "jaar"], ignore_index=True)

    land, provincie = config.gebieden_bestand.land.code, config.gebieden_bestand.provincie.code
    rijen = []
    for ind in config.indicatoren:
        for m in config.metingen:
            for code in (provincie, land):
                waarde = round(float(rng.uniform(10, 60)), 1)
                rijen.append({"regiocode": code, "indicator": ind.id, "jaar": m.peiljaren[ind.bron],
                              "waarde": waarde, "ondergrens": waarde - 0.5, "bovengrens": waarde + 0.5})
    referentie = pd.DataFrame(rijen).drop_duplicates(["regiocode", "indicator", "jaar"], ignore_index=True)
    return Gegevens(map=Path("bench"), databron={"naam": "synthetisch (bench)", "demodata": True, "omschrijving": ""},
                    survey={BRON: survey}, register=register, referentie=referentie,
                    proces=_leeg(SCHEMAS["proces"]), narratief=_leeg(SCHEMAS["narratief"]),
                    duiding=_leeg(SCHEMAS["duiding"]), metingen=[m.jaar for m in config.metingen],
                    ontbrekende_metingen=[])


# ---------------------------------------------------------------- the per-group loop

ROLLEN = ("wijk", "rest_gemeente", "gemeente")


def _survey_cel(deel: pd.DataFrame, ind, N: int, alpha: float, o) -> dict:
    """Weighted proportion, linearised SE (ids=~1, N respondents in the file), logit CI and the
    primary suppression rule; the numbers are removed later (`_onderdruk`), after the secondary rule."""
    x = deel[ind.berekening.item]
    geldig = x.notna()
    w = deel.loc[geldig, "gewicht"].to_numpy()
    ruw = x[geldig].to_numpy()
    y = np.isin(ruw, ind.berekening.teller_codes).astype(float)
    n, W = len(w), w.sum()
    p = (w * y).sum() / W if n else np.nan
    se = np.sqrt(N / (N - 1) * np.sum((w * (y - p) / W) ** 2)) if n else np.nan
    df = len(deel) - 1
    laag = hoog = np.nan
    if 0 < p < 1 and se > 0 and df > 0:
        logit, se_logit = np.log(p / (1 - p)), se / (p * (1 - p))
        t = stats.t.ppf(1 - alpha / 2, df)
        laag, hoog = 1 / (1 + np.exp(-(logit - t * se_logit))), 1 / (1 + np.exp(-(logit + t * se_logit)))
    n_teller = int(y.sum())
    max_aandeel = pd.Series(ruw).value_counts().max() / n if n else np.nan
    primair = (n < o.min_n or n_teller < o.min_cel or n - n_teller < o.min_cel
               or max_aandeel > o.max_aandeel_categorie)
    return {"schatting": p, "se": se, "ci_laag": laag, "ci_hoog": hoog, "n_ongewogen": n, "onderdrukt": primair}


def _register_cel(teller: float, noemer: float, ind, alpha: float, o) -> dict:
    b = ind.berekening
    schatting, laag, hoog, se = teller / noemer * b.schaal, np.nan, np.nan, np.nan
    if b.interval == "poisson":
        laag = (stats.chi2.ppf(alpha / 2, 2 * teller) / 2 if teller > 0 else 0.0) / noemer * b.schaal
        hoog = stats.chi2.ppf(1 - alpha / 2, 2 * (teller + 1)) / 2 / noemer * b.schaal
        se = np.sqrt(teller) / noemer * b.schaal
    primair = ind.statistiek == "register_aandeel" and (teller < o.min_cel or noemer - teller < o.min_cel)
    return {"schatting": schatting, "se": se, "ci_laag": laag, "ci_hoog": hoog, "teller": teller, "noemer": noemer,
            "onderdrukt": primair}


def _secundair(eigen: dict, per_gemeente: dict[str, list[Gebied]], metingen: list[int]) -> int:
    """Secondary suppression, one gemeente, meting (and indicator: `eigen` holds one) at a time.

    In every round, first per gebied on its three rows: never exactly one suppressed while the
    other two are published (a suppressed wijk also suppresses the rest; a suppressed rest the
    gemeente; a suppressed gemeente the rest); then the gemeente row is suppressed beside every
    gebied of the gemeente as soon as it is beside one. Rounds until nothing changes. A row without
    a value counts as not published. Returns the number of rows suppressed by this rule."""
    erbij = 0
    for gebieden in per_gemeente.values():
        for meting in metingen:
            if (gebieden[0].id, meting, "wijk") not in eigen:
                continue
            rijen = [{rol: eigen[g.id, meting, rol] for rol in ROLLEN} for g in gebieden]
            while True:
                veranderd = False
                for r in rijen:  # the rule reads and writes only this gebied's rows
                    x = {rol: r[rol]["onderdrukt"] for rol in ROLLEN}
                    p = {rol: not r[rol]["onderdrukt"] and not np.isnan(r[rol]["schatting"]) for rol in ROLLEN}
                    ook = ("rest_gemeente" if x["wijk"] and p["rest_gemeente"] and p["gemeente"] else
                           "gemeente" if p["wijk"] and x["rest_gemeente"] and p["gemeente"] else
                           "rest_gemeente" if p["wijk"] and p["rest_gemeente"] and x["gemeente"] else None)
                    if ook:
                        r[ook]["onderdrukt"] = veranderd = True
                        erbij += 1
                if any(r["gemeente"]["onderdrukt"] for r in rijen):
                    for r in rijen:
                        if not r["gemeente"]["onderdrukt"]:
                            r["gemeente"]["onderdrukt"] = veranderd = True
                            erbij += 1
                if not veranderd:
                    break
    return erbij


def _onderdruk(eigen: dict) -> None:
    """Suppressed rows keep n (and the register exposure) and lose every published number."""
    for rij in eigen.values():
        if rij["onderdrukt"]:
            for k in ("schatting", "se", "ci_laag", "ci_hoog", "teller"):
                if k in rij:
                    rij[k] = np.nan


def _poisson_p(a: dict, b: dict) -> float:
    """R's poisson.test(c(x1, x2), c(t1, t2)) by its definition: given x1 + x2 = n, x1 is binomial
    with p = t1/(t1 + t2), and the two-sided p is the sum of the probabilities of all outcomes no more
    likely than x1 (relative tolerance 1e-7, as binom.test); from the whole binomial pmf, not by bisection."""
    x1, t1, x2, t2 = a["teller"], a["noemer"], b["teller"], b["noemer"]
    if not (x1 + x2 > 0 and t1 > 0 and t2 > 0 and x1 >= 0 and x2 >= 0):
        return np.nan
    kans = stats.binom.pmf(np.arange(int(x1 + x2) + 1), int(x1 + x2), t1 / (t1 + t2))
    return min(1.0, float(kans[kans <= kans[int(x1)] * (1 + 1e-7)].sum()))


def _toets(a: dict, b: dict | None, telling: bool) -> tuple[float, float, float]:
    """Difference, its SE (independent rows; for the survey wijk − rest under ids=~1 the design
    variance is the same, see per_groep) and p: the z test, or for counts of events the exact
    Poisson test of the two counts."""
    if b is None:
        return np.nan, np.nan, np.nan
    verschil, se = a["schatting"] - b["schatting"], np.sqrt(a["se"] ** 2 + b["se"] ** 2)
    z = verschil / se if se > 0 else np.nan
    p = 2 * stats.norm.sf(abs(z))
    if telling and not np.isnan(verschil):
        p = _poisson_p(a, b)
    return verschil, se, p


def _eenheden(waarden: dict[str, tuple[float, float]], codes: list[str]) -> list[tuple[float, float]]:
    """(count, exposure) of each register unit among `codes` with both values."""
    return [waarden[c] for c in codes if c in waarden and not np.isnan(waarden[c]).any()]


def _quasi_poisson_did(cellen: list[dict], eenheden: list[list[tuple[float, float]]], schaal: float,
                       alpha: float) -> dict:
    """DiD of the rates of the four cells (wijk voor, wijk na, rest voor, rest na), the identity-link
    quasi-Poisson model on the units of the cells: per cell the rate X/E, the Pearson χ² of the
    units around it, φ = max(χ²/(units − 4), 1), var = φ Σ X/E², p and interval from t(units − 4).
    What the units leave of a cell's count and exposure is one more unit when its exposure is positive."""
    X = np.array([c["teller"] for c in cellen])
    E = np.array([c["noemer"] for c in cellen])
    rate = X / E
    pearson, aantal = 0.0, 0
    for c, units in enumerate(eenheden):
        rest_x, rest_e = X[c] - sum(x for x, _ in units), E[c] - sum(e for _, e in units)
        if rest_e > 0 and rest_x >= 0:
            units = [*units, (rest_x, rest_e)]
        for x, e in units:
            mu = e * rate[c]
            pearson += (x - mu) ** 2 / mu if mu > 0 else 0.0
        aantal += len(units)
    df = aantal - 4
    schatting = ((rate[1] - rate[0]) - (rate[3] - rate[2])) * schaal
    if df <= 0:
        return {"schatting": schatting, "se": np.nan, "ci_laag": np.nan, "ci_hoog": np.nan, "p": np.nan}
    se = np.sqrt(max(pearson / df, 1.0) * np.sum(X / E**2)) * schaal
    tq = stats.t.ppf(1 - alpha / 2, df)
    return {"schatting": schatting, "se": se, "ci_laag": schatting - tq * se, "ci_hoog": schatting + tq * se,
            "p": 2 * stats.t.sf(abs(schatting / se), df) if se > 0 else np.nan}


def per_groep(config: Configuratie, gegevens: Gegevens, indicatoren,
              telling: dict | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table rows (without reference values) and DiD rows of `indicatoren`, group by group.

    `telling` (optional) collects how many rows the secondary rule suppressed and how many exact
    Poisson tests were made."""
    alpha, o = config.instellingen.alpha, config.instellingen.onthulling
    metingen, nul = gegevens.metingen, gegevens.metingen[0]
    telling = {} if telling is None else telling
    per_gemeente: dict[str, list[Gebied]] = {}
    for g in config.gebieden:
        per_gemeente.setdefault(g.gemeente, []).append(g)
    resp = gegevens.survey[BRON]
    resp = resp.assign(eigen=resp["wijkcode"].map({c: g.id for g in config.gebieden for c in g.codes}))
    N = resp.groupby("meting").size()
    rijen, effecten = [], []
    for ind in indicatoren:
        b = ind.berekening
        eigen: dict[tuple, dict] = {}
        if ind.is_survey:
            kolommen = resp[["meting", "gemeentecode", "eigen", "gewicht", b.item]]
            for (meting, gemeente), groep in kolommen.groupby(["meting", "gemeentecode"]):
                for g in per_gemeente.get(gemeente, []):
                    in_wijk = groep["eigen"] == g.id
                    for rol, deel in (("wijk", groep[in_wijk]), ("rest_gemeente", groep[~in_wijk]),
                                      ("gemeente", groep)):
                        eigen[g.id, meting, rol] = _survey_cel(deel, ind, N[meting], alpha, o)
        else:
            jaren = {}
            for meting in metingen:
                jaar = gegevens.register[gegevens.register["jaar"] == config.meting[meting].peiljaren[ind.bron]]
                jaren[meting] = jaar = jaar.set_index("gebiedscode")
                for g in config.gebieden:
                    wijk = jaar.loc[g.codes, [b.teller, b.noemer]].sum()
                    gm = jaar.loc[g.gemeente, [b.teller, b.noemer]]
                    for rol, (t, n) in (("wijk", wijk), ("rest_gemeente", gm - wijk), ("gemeente", gm)):
                        eigen[g.id, meting, rol] = _register_cel(t, n, ind, alpha, o)
        telling["secundair"] = telling.get("secundair", 0) + _secundair(eigen, per_gemeente, metingen)
        _onderdruk(eigen)

        # difference-in-differences: only when the four rows (wijk and rest, nulmeting and later) are published
        def vier(g: Gebied, meting: int) -> list[dict] | None:
            cellen = [eigen[g.id, m, rol] for rol in ("wijk", "rest_gemeente") for m in (nul, meting)]
            return None if nul < ind.vergelijkbaar_vanaf or any(c["onderdrukt"] for c in cellen) else cellen

        if ind.is_survey:
            for gemeente, groep in kolommen.groupby("gemeentecode"):
                for g in per_gemeente.get(gemeente, []):
                    for meting in metingen[1:]:
                        cellen = vier(g, meting)
                        if cellen is None:
                            continue
                        # the point estimate (and n) from the weighted model y ~ wijk * na on the gemeente's rows
                        m = groep[groep["meting"].isin([nul, meting])]
                        ruw = m[b.item].to_numpy()
                        y = np.where(np.isnan(ruw), np.nan, np.isin(ruw, b.teller_codes))
                        model = verschil_in_verschillen(y, m["gewicht"], m["eigen"] == g.id, m["meting"] == meting,
                                                        alpha)
                        # the SE as the design has it (ids=~1, strata by meting): the metingen are
                        # independent, so var = Σ_meting var(wijk − rest); with ids=~1 and disjoint
                        # domains the scores of wijk and rest sum to zero each, so var(wijk − rest)
                        # is se_wijk² + se_rest² (N/(N − 1) Σ z² over the two domains)
                        schatting, se = model["schatting"], np.sqrt(sum(c["se"] ** 2 for c in cellen))
                        zq = stats.norm.ppf(1 - alpha / 2)
                        z = schatting / se if se > 0 else np.nan
                        effecten.append({"gebied": g.id, "indicator": ind.id, "meting": meting,
                                         "schatting": schatting, "se": se,
                                         "ci_laag": schatting - zq * se, "ci_hoog": schatting + zq * se,
                                         "p": 2 * stats.norm.sf(abs(z)), "n": model["n"], "indicatief": False})
        elif ind.telt_gebeurtenissen:
            # units: the CBS wijken of the gemeente, the gebied's own for the wijk, the others for the rest
            waarden = {m: dict(zip(jaar.index, zip(jaar[b.teller], jaar[b.noemer]))) for m, jaar in jaren.items()}
            wijken = {}
            for code in gegevens.register["gebiedscode"].unique():
                if code_niveau(code) == "wijk":
                    wijken.setdefault(gemeente_van(code), []).append(code)
            for g in config.gebieden:
                rest = [c for c in wijken.get(g.gemeente, []) if c not in g.codes]
                for meting in metingen[1:]:
                    cellen = vier(g, meting)
                    if cellen is None:
                        continue
                    eenheden = [_eenheden(waarden[m], codes) for codes in (g.codes, rest) for m in (nul, meting)]
                    uit = _quasi_poisson_did(cellen, eenheden, b.schaal, alpha)
                    effecten.append({"gebied": g.id, "indicator": ind.id, "meting": meting, **uit, "n": np.nan,
                                     "indicatief": True})

        # comparisons: the wijk with the rest of its gemeente; every row with earlier metingen
        for (g, meting, rol), rij in eigen.items():
            vergelijking = {}
            if rol == "wijk":
                vergelijking["rest"] = _toets(rij, eigen[g, meting, "rest_gemeente"], ind.telt_gebeurtenissen)
            k = metingen.index(meting)
            for naam, eerder in (("vorige", metingen[k - 1] if k else None), ("nulmeting", nul)):
                if eerder is not None and eerder != meting and eerder >= ind.vergelijkbaar_vanaf:
                    vergelijking[naam] = _toets(rij, eigen.get((g, eerder, rol)), ind.telt_gebeurtenissen)
            telling["poisson"] = telling.get("poisson", 0) + sum(
                ind.telt_gebeurtenissen and np.isfinite(t[2]) for t in vergelijking.values())
            rijen.append({"gebied": g, "meting": meting, "indicator": ind.id, "rol": rol,
                          **{k: v for k, v in rij.items() if k not in ("teller", "noemer")},
                          "indicatief": ind.telt_gebeurtenissen,
                          **{f"{v}_{naam}": x for naam, t in vergelijking.items()
                             for v, x in zip(("verschil", "se_verschil", "p"), t)}})
    kolommen = ["gebied", "indicator", "meting", "schatting", "se", "ci_laag", "ci_hoog", "p", "n", "indicatief"]
    return pd.DataFrame(rijen), pd.DataFrame(effecten, columns=kolommen)


# ---------------------------------------------------------------- checking and measuring


SCHATTINGEN = ["schatting", "ci_laag", "ci_hoog", "verschil_rest", "verschil_vorige", "verschil_nulmeting"]
FOUTEN = ["se", "se_verschil_rest", "se_verschil_vorige", "se_verschil_nulmeting", "p_rest", "p_vorige",
          "p_nulmeting"]


def controleer(tabel: pd.DataFrame, effecten: pd.DataFrame, lus_tabel: pd.DataFrame, lus_effecten: pd.DataFrame) -> int:
    """Assert that the loop's rows equal the vectorised ones; returns the number of values compared.

    Table: estimates, intervals, differences, SEs and p-values (to the tolerances), n of the
    survey rows, onderdrukt and indicatief exactly. Effect table: every DiD row of the loop's
    indicators (survey and register counts of events), the same numbers, n and indicatief."""
    sleutel = ["gebied", "meting", "indicator", "rol"]
    indicatoren = set(lus_tabel["indicator"])
    m = lus_tabel.merge(tabel, on=sleutel, how="left", suffixes=("_lus", ""), validate="one_to_one")
    assert len(m) == len(lus_tabel) and m["statistiek"].notna().all()
    vector = tabel[tabel["indicator"].isin(indicatoren) & tabel["rol"].isin(["wijk", "rest_gemeente", "gemeente"])]
    assert len(vector) == len(lus_tabel), "the loop and the table have different rows"
    aantal = 0
    for kolommen, tol in ((SCHATTINGEN, 1e-12), (FOUTEN, 1e-10)):
        for k in kolommen:
            lus = m[f"{k}_lus"].to_numpy(dtype=float) if f"{k}_lus" in m else np.full(len(m), np.nan)
            np.testing.assert_allclose(m[k].to_numpy(dtype=float), lus, rtol=0, atol=tol, err_msg=k)
            aantal += int(np.isfinite(lus).sum())
    survey = m["statistiek"].str.startswith("survey_")
    np.testing.assert_array_equal(m.loc[survey, "n_ongewogen"].to_numpy(dtype=float),
                                  m.loc[survey, "n_ongewogen_lus"].to_numpy(dtype=float))
    for k in ("onderdrukt", "indicatief"):
        np.testing.assert_array_equal(m[k].to_numpy(dtype=bool), m[f"{k}_lus"].to_numpy(dtype=bool), err_msg=k)
    e = lus_effecten.merge(effecten, on=["gebied", "indicator", "meting"], how="left", suffixes=("_lus", ""),
                           validate="one_to_one")
    assert e["basismeting"].notna().all(), "DiD rows of the loop that the effect table lacks"
    assert len(e) == effecten["indicator"].isin(indicatoren).sum(), \
        "the loop and the effect table have different DiD rows"
    for k, tol in (("schatting", 1e-12), ("ci_laag", 1e-12), ("ci_hoog", 1e-12), ("se", 1e-10), ("p", 1e-10)):
        np.testing.assert_allclose(e[k].to_numpy(dtype=float), e[f"{k}_lus"].to_numpy(dtype=float), rtol=0, atol=tol,
                                   err_msg=f"DiD {k}")
        aantal += int(np.isfinite(e[f"{k}_lus"].to_numpy(dtype=float)).sum())
    np.testing.assert_array_equal(e["n"].astype("Float64").to_numpy(dtype=float, na_value=np.nan),
                                  e["n_lus"].to_numpy(dtype=float), err_msg="DiD n")
    np.testing.assert_array_equal(e["indicatief"].to_numpy(dtype=bool), e["indicatief_lus"].to_numpy(dtype=bool),
                                  err_msg="DiD indicatief")
    return aantal


def piek_tracemalloc(functie, *args) -> float:
    """Peak of memory allocated while `functie` runs, in MiB (tracemalloc)."""
    tracemalloc.start()
    functie(*args)
    _, piek = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return piek / 2**20


def main() -> None:
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--klein", action="store_true", help="50.000 respondents per meting, 300 gebieden, 36 gemeenten")
    a.add_argument("--herhalingen", type=int, default=3, help="timed runs of the vectorised table")
    a.add_argument("--lus-survey", type=int, default=4, help="survey indicators in the loop (40 = all)")
    a.add_argument("--lus-register", type=int, default=2, help="register indicators in the loop (17 = all)")
    a.add_argument("--strata", action="store_true",
                   help="give the survey strata (the gemeente) and PSUs (the respondent): times the general "
                        "PSU/strata path of vwanalyse.statistiek.schatting, without the loop")
    args = a.parse_args()
    n_resp, n_gebieden, n_gemeenten = (50_000, 300, 36) if args.klein else (500_000, 3_000, 355)
    n_items = 40

    start = time.perf_counter()
    config = maak_configuratie(n_gebieden, n_gemeenten, n_items)
    gegevens = maak_gegevens(config, n_resp)
    if args.strata:
        survey = gegevens.survey[BRON]
        gegevens.survey[BRON] = survey.assign(stratum=survey["gemeentecode"], psu=survey["respondent_id"])
    print(f"input: {n_resp:,} respondents per meting x {len(config.metingen)} metingen, {n_gebieden:,} gebieden "
          f"in {n_gemeenten} gemeenten, {n_items} survey + "
          f"{sum(not i.is_survey for i in config.indicatoren)} register indicators "
          f"(generated in {time.perf_counter() - start:.1f} s)")
    print(f"machine: {os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), "
          f"Python {platform.python_version()}, "
          f"numpy {np.__version__}, pandas {pd.__version__}; load average {os.getloadavg()[0]:.2f} before the runs\n")

    tijden = []
    for r in range(args.herhalingen):
        start = time.perf_counter()
        resultaten = bereken_resultaten(config, gegevens)
        tijden.append(time.perf_counter() - start)
        print(f"vectorised run {r + 1}: {tijden[-1]:6.2f} s  ({len(resultaten.tabel):,} table rows, "
              f"{len(resultaten.effecten):,} DiD rows)")
    piek = piek_tracemalloc(bereken_resultaten, config, gegevens)
    print(f"vectorised peak: {piek:,.0f} MiB allocated during the call (tracemalloc, separate run)")
    if args.strata:
        print(f"(survey with strata and PSUs, PSUs within gebieden: median {np.median(tijden):.2f} s)")
        return

    rng = np.random.default_rng(7)
    survey = [i for i in config.indicatoren if i.is_survey]
    register = [i for i in config.indicatoren if not i.is_survey]
    kies = lambda lijst, k: [lijst[j] for j in sorted(rng.choice(len(lijst), min(k, len(lijst)), replace=False))]
    deel = kies(survey, args.lus_survey) + kies(register, args.lus_register)
    print(f"\nloop on {args.lus_survey} of {len(survey)} survey and {args.lus_register} of {len(register)} register "
          f"indicators: {', '.join(i.id for i in deel)}")
    per_indicator = {}
    lus_tabel, lus_effecten, telling = [], [], {}
    for ind in deel:
        start = time.perf_counter()
        t, e = per_groep(config, gegevens, [ind], telling)
        per_indicator[ind.id] = time.perf_counter() - start
        lus_tabel.append(t)
        lus_effecten.append(e)
        print(f"  {ind.id:<28} {per_indicator[ind.id]:7.1f} s")
    lus_tabel, lus_effecten = pd.concat(lus_tabel, ignore_index=True), pd.concat(lus_effecten, ignore_index=True)
    aantal = controleer(resultaten.tabel, resultaten.effecten, lus_tabel, lus_effecten)
    did = lus_effecten["indicatief"].astype(bool)
    print(f"identical numbers: {aantal:,} values compared (estimates 1e-12, SEs and p 1e-10; n, suppression and "
          f"indicatief exact) in {len(lus_tabel):,} table rows ({int(lus_tabel['onderdrukt'].sum()):,} suppressed, "
          f"{telling['secundair']:,} of them by the secondary rule; {telling['poisson']:,} exact Poisson tests) and "
          f"{len(lus_effecten):,} DiD rows ({int((~did).sum()):,} survey, {int(did.sum()):,} register quasi-Poisson)")
    lus_piek = piek_tracemalloc(per_groep, config, gegevens, [deel[0], deel[-1]])
    print(f"loop peak: {lus_piek:,.0f} MiB allocated (tracemalloc, {deel[0].id} and {deel[-1].id})")

    # extrapolation per kind: survey, register counts of events (Poisson tests, quasi-Poisson DiD), other register
    soort = lambda i: "survey" if i.is_survey else "event-count register" if i.telt_gebeurtenissen else "other register"
    soorten = {s: [i for i in config.indicatoren if soort(i) == s] for s in ("survey", "event-count register",
                                                                           "other register")}
    gemeten = {s: [per_indicator[i.id] for i in deel if soort(i) == s] for s in soorten}
    register_gemeten = gemeten["event-count register"] + gemeten["other register"]
    gemiddeld = {s: np.mean(gemeten[s] or (register_gemeten if s != "survey" else [np.nan])) for s in soorten}
    lus_totaal = sum(gemiddeld[s] * len(soorten[s]) for s in soorten if soorten[s])
    volledig = len(deel) == len(config.indicatoren)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{'':>11}  {'wall time':>22}  peak memory")
    print(f"{'vectorised':>11}  {np.median(tijden):8.2f} s (median of {len(tijden)})  "
          f"{piek:,.0f} MiB (tracemalloc)")
    print(f"{'loop':>11}  {lus_totaal:8.1f} s {'(measured)' if volledig else '(extrapolated)':<13}  "
          f"{lus_piek:,.0f} MiB (tracemalloc)")
    if not volledig:
        print(f"             extrapolated linearly from {sum(per_indicator.values()):.1f} s measured on {len(deel)} "
              f"indicators: " + " + ".join(
                  f"{gemiddeld[s]:.1f} s per {s} indicator x {len(soorten[s])}"
                  + ("" if gemeten[s] else " (none measured: the register mean)") for s in soorten if soorten[s]))
    print(f"   speed-up  {lus_totaal / np.median(tijden):8.0f}x")
    print(f"process max RSS {maxrss:,.0f} MiB (resource.getrusage; input data, loop and all runs included)")


if __name__ == "__main__":
    sys.exit(main())
