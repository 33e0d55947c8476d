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
  loop        the same rows the straightforward way: pandas groupby per meting and gemeente, then
              one estimator call per gebied x rol x indicator and one DiD model
              (schatting.verschil_in_verschillen) per gebied x indicator x later meting, register
              values looked up per gebied, comparisons per row. The published reference values
              are copied, not estimated, and are left out of the loop (they count only for the
              vectorised time). The full loop takes far longer than 20 minutes, so by default it
              runs on a seeded random subset of the indicators (4 of 40 survey, 2 of 17 register)
              and its time is extrapolated linearly per indicator: every indicator is computed
              separately in the loop, so its time is the sum over indicators.
Both give identical numbers on the subset (estimates, intervals, differences to 1e-12; standard
errors and p-values to 1e-10; n and suppression exactly); the script fails otherwise.

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
from vwanalyse.model.configuratie import Configuratie, Gebied, Regio, laad_configuratie
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


def _survey_cel(deel: pd.DataFrame, ind, N: int, alpha: float, o) -> dict:
    """Weighted proportion, linearised SE (ids=~1, N respondents in the file), logit CI, suppression."""
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
    onderdrukt = (n < o.min_n or n_teller < o.min_cel or n - n_teller < o.min_cel
                  or max_aandeel > o.max_aandeel_categorie)
    if onderdrukt:
        p = se = laag = hoog = np.nan
    return {"schatting": p, "se": se, "ci_laag": laag, "ci_hoog": hoog, "n_ongewogen": n, "onderdrukt": onderdrukt}


def _register_cel(teller: float, noemer: float, ind, alpha: float, o) -> dict:
    b = ind.berekening
    schatting, laag, hoog, se = teller / noemer * b.schaal, np.nan, np.nan, np.nan
    if b.interval == "poisson":
        laag = (stats.chi2.ppf(alpha / 2, 2 * teller) / 2 if teller > 0 else 0.0) / noemer * b.schaal
        hoog = stats.chi2.ppf(1 - alpha / 2, 2 * (teller + 1)) / 2 / noemer * b.schaal
        se = np.sqrt(teller) / noemer * b.schaal
    onderdrukt = ind.statistiek == "register_aandeel" and (teller < o.min_cel or noemer - teller < o.min_cel)
    if onderdrukt:
        schatting = se = laag = hoog = np.nan
    return {"schatting": schatting, "se": se, "ci_laag": laag, "ci_hoog": hoog, "onderdrukt": onderdrukt}


def _toets(a: dict, b: dict | None) -> tuple[float, float, float]:
    if b is None:
        return np.nan, np.nan, np.nan
    verschil, se = a["schatting"] - b["schatting"], np.sqrt(a["se"] ** 2 + b["se"] ** 2)
    z = verschil / se if se > 0 else np.nan
    return verschil, se, 2 * stats.norm.sf(abs(z))


def per_groep(config: Configuratie, gegevens: Gegevens, indicatoren) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table rows (without reference values) and DiD rows of `indicatoren`, group by group."""
    alpha, o = config.instellingen.alpha, config.instellingen.onthulling
    metingen, nul = gegevens.metingen, gegevens.metingen[0]
    per_gemeente: dict[str, list[Gebied]] = {}
    for g in config.gebieden:
        per_gemeente.setdefault(g.gemeente, []).append(g)
    resp = gegevens.survey[BRON]
    resp = resp.assign(eigen=resp["wijkcode"].map({c: g.id for g in config.gebieden for c in g.codes}))
    N = resp.groupby("meting").size()
    rijen, effecten = [], []
    for ind in indicatoren:
        eigen: dict[tuple, dict] = {}
        if ind.is_survey:
            kolommen = resp[["meting", "gemeentecode", "eigen", "gewicht", ind.berekening.item]]
            for (meting, gemeente), groep in kolommen.groupby(["meting", "gemeentecode"]):
                for g in per_gemeente.get(gemeente, []):
                    in_wijk = groep["eigen"] == g.id
                    for rol, deel in (("wijk", groep[in_wijk]), ("rest_gemeente", groep[~in_wijk]),
                                      ("gemeente", groep)):
                        eigen[g.id, meting, rol] = _survey_cel(deel, ind, N[meting], alpha, o)
            for gemeente, groep in kolommen.groupby("gemeentecode"):
                for g in per_gemeente.get(gemeente, []):
                    for meting in metingen[1:]:
                        if (nul < ind.vergelijkbaar_vanaf or eigen[g.id, nul, "wijk"]["onderdrukt"]
                                or eigen[g.id, meting, "wijk"]["onderdrukt"]):
                            continue
                        m = groep[groep["meting"].isin([nul, meting])]
                        ruw = m[ind.berekening.item].to_numpy()
                        y = np.where(np.isnan(ruw), np.nan, np.isin(ruw, ind.berekening.teller_codes))
                        uit = verschil_in_verschillen(y, m["gewicht"], m["eigen"] == g.id, m["meting"] == meting, alpha)
                        effecten.append({"gebied": g.id, "indicator": ind.id, "meting": meting, **uit})
        else:
            b = ind.berekening
            for meting in metingen:
                jaar = gegevens.register[gegevens.register["jaar"] == config.meting[meting].peiljaren[ind.bron]]
                jaar = jaar.set_index("gebiedscode")
                for g in config.gebieden:
                    wijk = jaar.loc[g.codes, [b.teller, b.noemer]].sum()
                    gm = jaar.loc[g.gemeente, [b.teller, b.noemer]]
                    for rol, (t, n) in (("wijk", wijk), ("rest_gemeente", gm - wijk), ("gemeente", gm)):
                        eigen[g.id, meting, rol] = _register_cel(t, n, ind, alpha, o)
        # comparisons: the wijk with the rest of its gemeente; every row with earlier metingen
        for (g, meting, rol), rij in eigen.items():
            vergelijking = {}
            if rol == "wijk":
                vergelijking["rest"] = _toets(rij, eigen[g, meting, "rest_gemeente"])
            k = metingen.index(meting)
            for naam, eerder in (("vorige", metingen[k - 1] if k else None), ("nulmeting", nul)):
                if eerder is not None and eerder != meting and eerder >= ind.vergelijkbaar_vanaf:
                    vergelijking[naam] = _toets(rij, eigen.get((g, eerder, rol)))
            rijen.append({"gebied": g, "meting": meting, "indicator": ind.id, "rol": rol, **rij,
                          **{f"{v}_{naam}": x for naam, t in vergelijking.items()
                             for v, x in zip(("verschil", "se_verschil", "p"), t)}})
    return pd.DataFrame(rijen), pd.DataFrame(effecten)


# ---------------------------------------------------------------- checking and measuring


SCHATTINGEN = ["schatting", "ci_laag", "ci_hoog", "verschil_rest", "verschil_vorige", "verschil_nulmeting"]
FOUTEN = ["se", "se_verschil_rest", "se_verschil_vorige", "se_verschil_nulmeting", "p_rest", "p_vorige",
          "p_nulmeting"]


def controleer(tabel: pd.DataFrame, effecten: pd.DataFrame, lus_tabel: pd.DataFrame, lus_effecten: pd.DataFrame) -> int:
    """Assert that the loop's rows equal the vectorised ones; returns the number of values compared."""
    sleutel = ["gebied", "meting", "indicator", "rol"]
    m = lus_tabel.merge(tabel, on=sleutel, how="left", suffixes=("_lus", ""), validate="one_to_one")
    assert len(m) == len(lus_tabel) and m["statistiek"].notna().all()
    vector = tabel[tabel["indicator"].isin(set(lus_tabel["indicator"]))
                   & tabel["rol"].isin(["wijk", "rest_gemeente", "gemeente"])]
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
    np.testing.assert_array_equal(m["onderdrukt"].to_numpy(), m["onderdrukt_lus"].to_numpy(dtype=bool))
    e = lus_effecten.merge(effecten, on=["gebied", "indicator", "meting"], how="left", suffixes=("_lus", ""),
                           validate="one_to_one")
    assert len(e) == len(lus_effecten) == effecten["indicator"].isin(set(lus_effecten["indicator"])).sum()
    for k, tol in (("schatting", 1e-12), ("ci_laag", 1e-12), ("ci_hoog", 1e-12), ("se", 1e-10), ("p", 1e-10)):
        np.testing.assert_allclose(e[k], e[f"{k}_lus"], rtol=0, atol=tol, err_msg=f"DiD {k}")
        aantal += int(np.isfinite(e[f"{k}_lus"]).sum())
    np.testing.assert_array_equal(e["n"], e["n_lus"])
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
    lus_tabel, lus_effecten = [], []
    for ind in deel:
        start = time.perf_counter()
        t, e = per_groep(config, gegevens, [ind])
        per_indicator[ind.id] = time.perf_counter() - start
        lus_tabel.append(t)
        lus_effecten.append(e)
        print(f"  {ind.id:<28} {per_indicator[ind.id]:7.1f} s")
    aantal = controleer(resultaten.tabel, resultaten.effecten, pd.concat(lus_tabel, ignore_index=True),
                        pd.concat(lus_effecten, ignore_index=True))
    print(f"identical numbers: {aantal:,} values compared (estimates 1e-12, SEs and p 1e-10, n and suppression exact)")
    lus_piek = piek_tracemalloc(per_groep, config, gegevens, [deel[0], deel[-1]])
    print(f"loop peak: {lus_piek:,.0f} MiB allocated (tracemalloc, {deel[0].id} and {deel[-1].id})")

    gemiddeld = {soort: np.mean([per_indicator[i.id] for i in deel if i.is_survey == soort]) for soort in (True, False)}
    lus_totaal = gemiddeld[True] * len(survey) + gemiddeld[False] * len(register)
    gemeten = sum(per_indicator.values())
    volledig = len(deel) == len(survey) + len(register)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{'':>11}  {'wall time':>22}  peak memory")
    print(f"{'vectorised':>11}  {np.median(tijden):8.2f} s (median of {len(tijden)})  "
          f"{piek:,.0f} MiB (tracemalloc)")
    print(f"{'loop':>11}  {lus_totaal:8.1f} s {'(measured)' if volledig else '(extrapolated)':<13}  "
          f"{lus_piek:,.0f} MiB (tracemalloc)")
    if not volledig:
        print(f"             extrapolated linearly from {gemeten:.1f} s measured on {len(deel)} indicators: "
              f"{gemiddeld[True]:.1f} s per survey indicator x {len(survey)} + "
              f"{gemiddeld[False]:.1f} s per register indicator x {len(register)}")
    print(f"   speed-up  {lus_totaal / np.median(tijden):8.0f}x")
    print(f"process max RSS {maxrss:,.0f} MiB (resource.getrusage; input data, loop and all runs included)")


if __name__ == "__main__":
    sys.exit(main())
