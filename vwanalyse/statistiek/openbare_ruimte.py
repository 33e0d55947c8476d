"""The openbare ruimte (local module of lokaal.yml): how many people use a place, and how they value it.

Use. A telling is one round of counting at one location in one dagdeel. The number of people per
telling depends strongly on the dagdeel, and the rounds are not spread evenly over the dagdelen, so
the mean per telling is a stratified mean with the dagdelen as strata, each weighing the same:
    ybar = (1/H) sum_h ybar_h,   var = sum_h s_h^2 / (H^2 n_h),   df = n - H
(H dagdelen, n_h tellingen in dagdeel h; the variance is that of R's survey::svymean for the design
svydesign(ids = ~1, strata = ~dagdeel, weights = 1 / (H n_h)), with its degf for the t interval).
A location and meting without a telling in every dagdeel gets no estimate (the dagdelen it lacks
would change it); with a dagdeel counted only once, no interval. The same holds per leeftijdsgroep
and activiteit (a category without a row in a telling counts 0 there). Counted passers-by are not
respondents: nobody can be recognised in a count, so the counts are not suppressed.

Beleving. The statements are answered on a scale of 1 to `schaal`; the share that agrees
(`eens_vanaf` or higher) gets a Wilson interval. The answers are respondents, so the book's rule
holds: fewer than `min_n` respondents, or fewer than `min_cel` in the share or its complement, is not
published. Only locations are published (no total over the locations of a gebied), so a suppressed
location cannot be recovered by subtraction.

Change: the last meting of the module against the first, a z test on the two independent estimates
(`schatting.verschiltoets`), only where both are published.

No file is opened here; the rows come from the validated input (invoer.bronnen).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vwanalyse.model.configuratie import OpenbareRuimte
from vwanalyse.statistiek.schatting import verschiltoets, wilson_interval

SOORTEN = ("totaal", "leeftijdsgroep", "activiteit")  # the breakdowns of the use per telling
NIET_ELK_DAGDEEL = "niet in elk dagdeel geteld"
EEN_TELLING = "een dagdeel maar één keer geteld: geen interval"
GEBRUIK_KOLOMMEN = ["locatie", "meting", "soort", "categorie", "tellingen", "schatting", "se", "ci_laag", "ci_hoog",
                    "df", "opmerking"]
BELEVING_KOLOMMEN = ["locatie", "meting", "vraag", "n", "eens", "aandeel", "se", "ci_laag", "ci_hoog", "onderdrukt",
                     "reden"]


def gestratificeerd_gemiddelde(y: np.ndarray, dagdeel: np.ndarray, dagdelen: list[str],
                               alpha: float = 0.05) -> dict:
    """The mean of y per telling with every dagdeel weighing the same (see the module docstring)."""
    from scipy import stats

    y, dagdeel = np.asarray(y, dtype=float), np.asarray(dagdeel)
    n_h = np.array([(dagdeel == d).sum() for d in dagdelen])
    uit = {"tellingen": int(len(y)), "schatting": np.nan, "se": np.nan, "ci_laag": np.nan, "ci_hoog": np.nan,
           "df": np.nan, "opmerking": ""}
    if (n_h == 0).any():
        uit["opmerking"] = NIET_ELK_DAGDEEL
        return uit
    H = len(dagdelen)
    gemiddelden = np.array([y[dagdeel == d].mean() for d in dagdelen])
    uit["schatting"] = float(gemiddelden.mean())
    if (n_h < 2).any():
        uit["opmerking"] = EEN_TELLING
        return uit
    varianties = np.array([y[dagdeel == d].var(ddof=1) for d in dagdelen])
    se = float(np.sqrt((varianties / n_h).sum()) / H)
    df = int(n_h.sum() - H)
    t = float(stats.t.ppf(1 - alpha / 2, df))
    uit.update(se=se, df=df, ci_laag=max(0.0, uit["schatting"] - t * se), ci_hoog=uit["schatting"] + t * se)
    return uit


def per_telling(tellingen: pd.DataFrame, module: OpenbareRuimte, gebied: str) -> pd.DataFrame:
    """One row per telling of the gebied: locatie, meting, telling, dagdeel and the people counted in
    total and per leeftijdsgroep and activiteit (columns 'totaal', '<soort>:<id>'), 0 where not seen."""
    df = tellingen[tellingen["gebied"].astype(str) == gebied]
    sleutel = ["locatie", "meting", "telling", "dagdeel"]
    rondes = df[sleutel].drop_duplicates().reset_index(drop=True)
    uit = rondes.assign(totaal=rondes.merge(df.groupby(sleutel, as_index=False)["aantal"].sum(), on=sleutel,
                                            how="left")["aantal"].fillna(0).to_numpy(dtype=float))
    for soort, lijst in (("leeftijdsgroep", module.leeftijdsgroepen), ("activiteit", module.activiteiten)):
        som = df.groupby([*sleutel, soort])["aantal"].sum().unstack(soort)
        som = rondes.merge(som.reset_index(), on=sleutel, how="left")
        for c in lijst:
            uit[f"{soort}:{c.id}"] = som[c.id].fillna(0).to_numpy(dtype=float) if c.id in som else 0.0
    return uit


def gebruik(tellingen: pd.DataFrame, module: OpenbareRuimte, gebied: str, alpha: float = 0.05) -> pd.DataFrame:
    """Per location of the gebied and meting of the module the mean number of people per telling, in
    total and per leeftijdsgroep and activiteit (GEBRUIK_KOLOMMEN; soort 'totaal' has categorie 'totaal')."""
    rondes = per_telling(tellingen, module, gebied)
    dagdelen = [d.id for d in module.dagdelen]
    rijen = []
    for loc in module.locaties_van(gebied):
        for meting in module.metingen:
            deel = rondes[(rondes["locatie"] == loc.id) & (rondes["meting"] == meting)]
            kolommen = [("totaal", "totaal", "totaal")]
            kolommen += [(s, c.id, f"{s}:{c.id}") for s, lijst in (("leeftijdsgroep", module.leeftijdsgroepen),
                                                                    ("activiteit", module.activiteiten)) for c in lijst]
            for soort, categorie, kolom in kolommen:
                schatting = gestratificeerd_gemiddelde(deel[kolom].to_numpy(), deel["dagdeel"].to_numpy(), dagdelen,
                                                       alpha)
                rijen.append({"locatie": loc.id, "meting": meting, "soort": soort, "categorie": categorie, **schatting})
    return pd.DataFrame(rijen, columns=GEBRUIK_KOLOMMEN)


def beleving(antwoorden: pd.DataFrame, module: OpenbareRuimte, gebied: str, min_n: int, min_cel: int,
             alpha: float = 0.05) -> pd.DataFrame:
    """Per location, meting and statement the share that agrees, with its Wilson interval, or
    suppressed (BELEVING_KOLOMMEN; suppressed rows keep n but no share, count or interval)."""
    df = antwoorden[antwoorden["gebied"].astype(str) == gebied]
    b = module.beleving
    rijen = []
    for loc in module.locaties_van(gebied):
        for meting in module.metingen:
            for v in b.vragen:
                deel = df[(df["locatie"] == loc.id) & (df["meting"] == meting) & (df["vraag"] == v.id)]
                n = int(deel["aantal"].sum())
                eens = int(deel.loc[deel["antwoord"] >= b.eens_vanaf, "aantal"].sum())
                rijen.append({"locatie": loc.id, "meting": meting, "vraag": v.id, "n": n, "eens": eens})
    uit = pd.DataFrame(rijen, columns=["locatie", "meting", "vraag", "n", "eens"])
    n, eens = uit["n"].to_numpy(dtype=float), uit["eens"].to_numpy(dtype=float)
    laag, hoog = wilson_interval(eens, n, alpha)
    with np.errstate(invalid="ignore", divide="ignore"):
        aandeel = eens / n
    reden = np.where(n == 0, "geen antwoorden", np.where(
        n < min_n, f"n<{min_n}", np.where((eens < min_cel) | (n - eens < min_cel), f"cel<{min_cel}", "")))
    geheim = reden != ""
    uit["aandeel"] = np.where(geheim, np.nan, aandeel)
    uit["se"] = np.where(geheim, np.nan, np.sqrt(aandeel * (1 - aandeel) / np.where(n > 0, n, np.nan)))
    uit["ci_laag"], uit["ci_hoog"] = np.where(geheim, np.nan, laag), np.where(geheim, np.nan, hoog)
    uit["eens"] = uit["eens"].where(~geheim)  # the count behind a suppressed share is not published either
    uit["onderdrukt"], uit["reden"] = geheim, np.where(geheim, reden, None)
    return uit[BELEVING_KOLOMMEN]


def verandering(tabel: pd.DataFrame, sleutel: list[str], module: OpenbareRuimte, alpha: float = 0.05) -> pd.DataFrame:
    """Per `sleutel` (without meting) the last meting of the module against the first: verschil with
    its z test and "hoger", "lager" or "geen significant verschil" ('' where one is missing).
    `tabel` is the output of `gebruik` (schatting, se) or `beleving` (aandeel, se)."""
    waarde = "schatting" if "schatting" in tabel else "aandeel"
    eerste, laatste = module.metingen[0], module.metingen[-1]
    a = tabel[tabel["meting"] == laatste].set_index(sleutel)
    b = tabel[tabel["meting"] == eerste].set_index(sleutel).reindex(a.index)
    toets = verschiltoets(a[waarde], a["se"], b[waarde], b["se"])
    toets.index = a.index
    with np.errstate(invalid="ignore"):
        oordeel = np.where(toets["p"].isna(), "", np.where(toets["p"] >= alpha, "geen significant verschil",
                                                          np.where(toets["verschil"] > 0, "hoger", "lager")))
    return toets.assign(oordeel=oordeel).reset_index()
