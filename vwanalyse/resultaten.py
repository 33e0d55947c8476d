"""The results table: the single source of truth for the notebooks, the book and verification.

`bereken_resultaten(config, gegevens)` returns one tidy row per gebied × meting × indicator ×
rol (the area the row is about: the wijk itself, the rest of its gemeente, the gemeente, the
provincie, Nederland), with the estimate and, on the wijk rows, the comparisons. A second table
holds the difference-in-differences estimates. Both are written as Parquet and CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .bestanden import atomair_pad, schrijf_tekst
from .configuratie import Configuratie, Indicator
from .schatting import Ontwerp, oordeel, register_schatting, survey_schatting, verschil_in_verschillen, verschiltoets

ROLLEN = ("wijk", "rest_gemeente", "gemeente", "provincie", "nederland")

# Documented schema of the results table: column, type, description.
SCHEMA: list[tuple[str, str, str]] = [
    ("gebied", "tekst", "id van het monitorgebied (data/config/gebieden.yml)"),
    ("meting", "geheel getal", "jaar van de meting (2021 = nulmeting)"),
    ("indicator", "tekst", "id van de indicator (data/config/indicatoren.yml)"),
    ("pijler", "tekst", "id van de pijler"),
    ("rol", "tekst", "waar de rij over gaat: wijk, rest_gemeente, gemeente, provincie of nederland"),
    ("regiocode", "tekst", "CBS-code(s) van het gebied van deze rij; 'GM0344-WK034403' = gemeente zonder het gebied"),
    ("peiljaar", "geheel getal", "jaar van de bron dat de meting gebruikt"),
    ("statistiek", "tekst", "survey_proportie, survey_gemiddelde, register_rate of register_aandeel"),
    ("schatting", "getal", "schatting; aandelen als fractie (0-1), ratio's in de eenheid van de indicator"),
    ("se", "getal", "standaardfout (enquête: Taylor-linearisatie; Poisson-register: wortel(teller)/noemer)"),
    ("ci_laag", "getal", "ondergrens 95%-betrouwbaarheidsinterval"),
    ("ci_hoog", "getal", "bovengrens 95%-betrouwbaarheidsinterval"),
    ("n_ongewogen", "geheel getal", "aantal respondenten met een geldig antwoord (enquête)"),
    ("n_effectief", "getal", "effectieve steekproefomvang (som w)^2 / som w^2 (Kish)"),
    ("deff", "getal", "design-effect van de weging (Kish): n_ongewogen / n_effectief"),
    ("teller", "getal", "registerteller (register)"),
    ("noemer", "getal", "registernoemer (register)"),
    ("onderdrukt", "waar/onwaar", "waarde niet gepubliceerd (onthullingsbeheersing); schatting en interval zijn dan leeg"),
    ("reden", "tekst", "reden van onderdrukking: n<30, cel<5 of >90% in één categorie (drempels in instellingen.yml)"),
    ("verschil_rest", "getal", "wijk min rest van de gemeente (alleen rol wijk)"),
    ("se_verschil_rest", "getal", "standaardfout van dat verschil (onafhankelijke steekproeven)"),
    ("p_rest", "getal", "tweezijdige p-waarde (z-toets)"),
    ("oordeel_rest", "tekst", "gunstiger, ongunstiger, hoger, lager, geen_verschil, niet_getoetst of trendbreuk"),
    ("vorige_meting", "geheel getal", "de vorige beschikbare meting"),
    ("verschil_vorige", "getal", "verandering sinds de vorige meting"),
    ("se_verschil_vorige", "getal", "standaardfout van die verandering"),
    ("p_vorige", "getal", "tweezijdige p-waarde"),
    ("oordeel_vorige", "tekst", "oordeel over de verandering sinds de vorige meting"),
    ("verschil_nulmeting", "getal", "verandering sinds de nulmeting"),
    ("se_verschil_nulmeting", "getal", "standaardfout van die verandering"),
    ("p_nulmeting", "getal", "tweezijdige p-waarde"),
    ("oordeel_nulmeting", "tekst", "oordeel over de verandering sinds de nulmeting"),
]
KOLOMMEN = [k for k, _, _ in SCHEMA]

EFFECT_SCHEMA: list[tuple[str, str, str]] = [
    ("gebied", "tekst", "id van het monitorgebied"),
    ("indicator", "tekst", "id van de indicator (enquête-indicatoren)"),
    ("basismeting", "geheel getal", "de nulmeting"),
    ("meting", "geheel getal", "de latere meting"),
    ("schatting", "getal", "verschil-in-verschillen: verandering in de wijk min verandering in de rest van de gemeente"),
    ("se", "getal", "robuuste standaardfout (HC0 × n/(n−1), gelijk aan svyglm)"),
    ("ci_laag", "getal", "ondergrens 95%-interval"),
    ("ci_hoog", "getal", "bovengrens 95%-interval"),
    ("p", "getal", "tweezijdige p-waarde"),
    ("n", "geheel getal", "respondenten in het model"),
    ("oordeel", "tekst", "gunstiger, ongunstiger, hoger, lager of geen_verschil"),
]


@dataclass
class Resultaten:
    tabel: pd.DataFrame
    effecten: pd.DataFrame


# ---------------------------------------------------------------- survey indicators


def _lidmaatschap(resp: pd.DataFrame, config: Configuratie) -> tuple[np.ndarray, pd.DataFrame]:
    """Membership pairs (respondent row, domain) for wijk, rest-of-gemeente and gemeente domains.

    Returns (rij, domeinen) where `domeinen` has one row per pair with gebied and rol.
    """
    gebied_van_code = {code: g.id for g in config.gebieden for code in g.codes}
    # a buurt code takes precedence over its wijk code (Vollenhove is a buurt of Zeist-Noord)
    gebied = resp["buurtcode"].map(gebied_van_code).fillna(resp["wijkcode"].map(gebied_van_code))
    gebieden = pd.DataFrame([(g.id, g.gemeente) for g in config.gebieden], columns=["gebied", "gemeentecode"])
    paren = (pd.DataFrame({"rij": np.arange(len(resp)), "gemeentecode": resp["gemeentecode"].to_numpy(),
                           "eigen": gebied.to_numpy()})
             .merge(gebieden, on="gemeentecode"))
    paren["rol"] = np.where(paren["eigen"] == paren["gebied"], "wijk", "rest_gemeente")
    gemeente = paren.drop_duplicates(["rij", "gebied"]).assign(rol="gemeente")
    alle = pd.concat([paren, gemeente], ignore_index=True)[["rij", "gebied", "rol"]]
    return alle["rij"].to_numpy(), alle[["gebied", "rol"]]


def _survey_y(resp: pd.DataFrame, ind: Indicator) -> tuple[np.ndarray, np.ndarray | None]:
    b = ind.berekening
    ruw = resp[b.item].to_numpy(dtype=float)
    if ind.statistiek == "survey_proportie":
        y = np.where(np.isnan(ruw), np.nan, np.isin(ruw, b.teller_codes).astype(float))
        return y, ruw
    return ruw, None


def _survey_resultaten(config: Configuratie, gegevens) -> pd.DataFrame:
    alpha = config.instellingen.alpha
    delen = []
    for bron, alle_resp in gegevens.survey.items():
        indicatoren = [i for i in config.indicatoren if i.bron == bron and i.is_survey]
        for meting, resp in alle_resp.groupby("meting", sort=True):
            resp = resp.reset_index(drop=True)
            rij, domeinen = _lidmaatschap(resp, config)
            sleutels, domein = np.unique(
                domeinen["gebied"].to_numpy() + "|" + domeinen["rol"].to_numpy(), return_inverse=True)
            ontwerp = Ontwerp.maak(
                resp["gewicht"].to_numpy(), rij, domein, len(sleutels),
                stratum=resp["stratum"].to_numpy() if "stratum" in resp else None,
                psu=resp["psu"].to_numpy() if "psu" in resp else None)
            basis = pd.DataFrame([s.split("|") for s in sleutels], columns=["gebied", "rol"])
            for ind in indicatoren:
                y, categorie = _survey_y(resp, ind)
                soort = "proportie" if ind.statistiek == "survey_proportie" else "gemiddelde"
                schatting = survey_schatting(ontwerp, y, soort, alpha, categorie)
                deel = pd.concat([basis, schatting], axis=1)
                deel["meting"] = int(meting)
                deel["indicator"] = ind.id
                deel["peiljaar"] = int(resp["jaar"].iloc[0])
                delen.append(deel)
    return pd.concat(delen, ignore_index=True) if delen else pd.DataFrame()


# ---------------------------------------------------------------- register indicators


def _register_resultaten(config: Configuratie, gegevens) -> pd.DataFrame:
    register = gegevens.register
    if register.empty:
        return pd.DataFrame()
    gebied_van_code = {code: g.id for g in config.gebieden for code in g.codes}
    gebied_codes = register["gebiedscode"].map(gebied_van_code)
    aantal_codes = pd.Series({g.id: len(g.codes) for g in config.gebieden})
    delen = []
    for ind in config.indicatoren:
        if ind.is_survey:
            continue
        b = ind.berekening
        if b.teller not in register or b.noemer not in register:
            continue
        for meting in gegevens.metingen:
            peiljaar = config.meting[meting].peiljaren[ind.bron]
            in_jaar = register["jaar"] == peiljaar
            if not in_jaar.any():
                continue
            jaar = register[in_jaar].assign(gebied=gebied_codes[in_jaar])
            # a gebied made of several CBS codes is their sum; a missing code or value makes it missing
            binnen = jaar.dropna(subset=["gebied"])
            groep = binnen.groupby("gebied")[[b.teller, b.noemer]]
            wijk = groep.sum().where(groep.count().eq(aantal_codes.reindex(groep.sum().index), axis=0))
            gemeente = jaar.set_index("gebiedscode")[[b.teller, b.noemer]]
            for g in config.gebieden:
                if g.id not in wijk.index or g.gemeente not in gemeente.index:
                    continue
                w = wijk.loc[g.id]
                gm = gemeente.loc[g.gemeente]
                regels = {
                    "wijk": (w[b.teller], w[b.noemer], "+".join(g.codes)),
                    "rest_gemeente": (gm[b.teller] - w[b.teller], gm[b.noemer] - w[b.noemer],
                                      f"{g.gemeente}-{'-'.join(g.codes)}"),
                    "gemeente": (gm[b.teller], gm[b.noemer], g.gemeente),
                }
                for rol, (teller, noemer, code) in regels.items():
                    delen.append({"gebied": g.id, "rol": rol, "regiocode": code, "meting": meting,
                                  "indicator": ind.id, "peiljaar": peiljaar, "teller": teller, "noemer": noemer})
    if not delen:
        return pd.DataFrame()
    tabel = pd.DataFrame(delen)
    schaal = tabel["indicator"].map({i.id: i.berekening.schaal for i in config.indicatoren})
    poisson = tabel["indicator"].map({i.id: i.berekening.interval == "poisson" for i in config.indicatoren})
    for waarde in (True, False):
        m = poisson == waarde
        if m.any():
            s = register_schatting(tabel.loc[m, "teller"], tabel.loc[m, "noemer"], 1.0, waarde,
                                   config.instellingen.alpha)
            for kol in ("schatting", "ci_laag", "ci_hoog", "se"):
                tabel.loc[m, kol] = s[kol].to_numpy() * schaal[m].to_numpy()
    return tabel


# ---------------------------------------------------------------- published reference values


def _referentie_resultaten(config: Configuratie, gegevens) -> pd.DataFrame:
    ref = gegevens.referentie
    if ref.empty:
        return pd.DataFrame()
    rollen = {config.gebieden_bestand.provincie.code: "provincie", config.gebieden_bestand.land.code: "nederland"}
    delen = []
    for meting in gegevens.metingen:
        peiljaar = ref["indicator"].map(
            {i.id: config.meting[meting].peiljaren[i.bron] for i in config.indicatoren})
        deel = ref[ref["jaar"] == peiljaar].copy()
        deel["meting"] = meting
        delen.append(deel)
    ref = pd.concat(delen, ignore_index=True)
    fractie = ref["indicator"].map({i.id: i.is_percentage for i in config.indicatoren})
    deler = np.where(fractie, 100.0, 1.0)
    basis = pd.DataFrame({
        "meting": ref["meting"], "indicator": ref["indicator"], "rol": ref["regiocode"].map(rollen),
        "regiocode": ref["regiocode"], "peiljaar": ref["jaar"].astype(int),
        "schatting": ref["waarde"] / deler, "ci_laag": ref["ondergrens"] / deler,
        "ci_hoog": ref["bovengrens"] / deler,
    })
    # the same published value sits beside every gebied
    gebieden = pd.DataFrame({"gebied": [g.id for g in config.gebieden]})
    return basis.merge(gebieden, how="cross")


# ---------------------------------------------------------------- assembling the table


def _onthulling(tabel: pd.DataFrame, config: Configuratie) -> pd.DataFrame:
    """Apply disclosure control: suppressed rows keep n but lose every published number."""
    o = config.instellingen.onthulling
    survey = tabel["statistiek"].str.startswith("survey_")
    proportie = tabel["statistiek"] == "survey_proportie"
    n = tabel["n_ongewogen"]
    reden = pd.Series("", index=tabel.index, dtype=object)
    klein_cel = proportie & ((tabel["n_teller"] < o.min_cel) | ((n - tabel["n_teller"]) < o.min_cel))
    # register shares: a count below the threshold (or its complement) identifies few people
    aandeel = tabel["statistiek"] == "register_aandeel"
    klein_cel |= aandeel & ((tabel["teller"] < o.min_cel) | ((tabel["noemer"] - tabel["teller"]) < o.min_cel))
    eenzijdig = proportie & (tabel["max_aandeel_categorie"] > o.max_aandeel_categorie)
    reden[eenzijdig] = f">{o.max_aandeel_categorie:.0%} in één categorie"
    reden[klein_cel] = f"cel<{o.min_cel}"
    reden[survey & (n < o.min_n)] = f"n<{o.min_n}"
    onderdrukt = reden != ""
    tabel["onderdrukt"] = onderdrukt.to_numpy()
    tabel["reden"] = reden.to_numpy()
    for kol in ("schatting", "se", "ci_laag", "ci_hoog", "n_effectief", "deff", "teller"):
        tabel.loc[onderdrukt, kol] = np.nan
    return tabel


def _vergelijkingen(tabel: pd.DataFrame, config: Configuratie, metingen: list[int]) -> pd.DataFrame:
    alpha = config.instellingen.alpha
    richting = tabel["indicator"].map({i.id: i.richting for i in config.indicatoren}).to_numpy()
    sleutel = ["gebied", "indicator", "meting"]

    # wijk against the rest of its gemeente
    rest = tabel.loc[tabel["rol"] == "rest_gemeente", sleutel + ["schatting", "se"]]
    m = tabel[sleutel + ["rol"]].merge(rest, on=sleutel, how="left", suffixes=("", "_r"))
    t = verschiltoets(tabel["schatting"], tabel["se"], m["schatting"], m["se"])
    is_wijk = (tabel["rol"] == "wijk").to_numpy()
    tabel["verschil_rest"] = np.where(is_wijk, t["verschil"], np.nan)
    tabel["se_verschil_rest"] = np.where(is_wijk, t["se_verschil"], np.nan)
    tabel["p_rest"] = np.where(is_wijk, t["p"], np.nan)
    tabel["oordeel_rest"] = np.where(is_wijk, oordeel(t["verschil"], t["p"], richting, alpha), None)

    # change over time, for the wijk, the rest of the gemeente and the gemeente
    vanaf = tabel["indicator"].map({i.id: i.vergelijkbaar_vanaf for i in config.indicatoren})
    vorige = {m: (metingen[i - 1] if i > 0 else np.nan) for i, m in enumerate(metingen)}
    basis = {"vorige": tabel["meting"].map(vorige), "nulmeting": pd.Series(metingen[0], index=tabel.index)}
    over_tijd = tabel["rol"].isin(["wijk", "rest_gemeente", "gemeente"]).to_numpy()
    for naam, eerder in basis.items():
        eerder = eerder.where(eerder != tabel["meting"])
        links = tabel[["gebied", "indicator", "rol"]].assign(meting=eerder)
        rechts = tabel[["gebied", "indicator", "rol", "meting", "schatting", "se"]]
        m = links.merge(rechts, on=["gebied", "indicator", "rol", "meting"], how="left")
        t = verschiltoets(tabel["schatting"], tabel["se"], m["schatting"], m["se"])
        geldig = over_tijd & eerder.notna().to_numpy()
        breuk = geldig & (eerder < vanaf).to_numpy()
        o = oordeel(t["verschil"], t["p"], richting, alpha)
        o[breuk] = "trendbreuk"
        if naam == "vorige":
            tabel["vorige_meting"] = eerder.where(geldig).astype("Int64")
        tabel[f"verschil_{naam}"] = np.where(geldig & ~breuk, t["verschil"], np.nan)
        tabel[f"se_verschil_{naam}"] = np.where(geldig & ~breuk, t["se_verschil"], np.nan)
        tabel[f"p_{naam}"] = np.where(geldig & ~breuk, t["p"], np.nan)
        tabel[f"oordeel_{naam}"] = np.where(geldig, o, None)
    return tabel


def _effecten(config: Configuratie, gegevens, tabel: pd.DataFrame) -> pd.DataFrame:
    """Difference-in-differences per survey indicator, gebied and later meting vs the nulmeting."""
    alpha = config.instellingen.alpha
    nul = gegevens.metingen[0] if gegevens.metingen else None
    onderdrukt = set(map(tuple, tabel.loc[tabel["onderdrukt"] & (tabel["rol"] == "wijk"),
                                         ["gebied", "indicator", "meting"]].to_numpy()))
    rijen = []
    for bron, resp in gegevens.survey.items():
        gebied_van_code = {code: g.id for g in config.gebieden for code in g.codes}
        eigen = resp["buurtcode"].map(gebied_van_code).fillna(resp["wijkcode"].map(gebied_van_code))
        for ind in (i for i in config.indicatoren if i.bron == bron and i.is_survey):
            for g in config.gebieden:
                if ind.set == "aanvullend" and g.id not in ind.gebieden:
                    continue
                for meting in gegevens.metingen[1:]:
                    if nul < ind.vergelijkbaar_vanaf or {(g.id, ind.id, nul), (g.id, ind.id, meting)} & onderdrukt:
                        continue
                    m = (resp["gemeentecode"] == g.gemeente) & resp["meting"].isin([nul, meting])
                    y, _ = _survey_y(resp[m], ind)
                    uit = verschil_in_verschillen(y, resp.loc[m, "gewicht"], (eigen[m] == g.id).astype(float),
                                                  (resp.loc[m, "meting"] == meting).astype(float), alpha)
                    uit.pop("z")
                    rijen.append({"gebied": g.id, "indicator": ind.id, "basismeting": nul, "meting": meting, **uit})
    effecten = pd.DataFrame(rijen, columns=[k for k, _, _ in EFFECT_SCHEMA])
    if not effecten.empty:
        richting = effecten["indicator"].map({i.id: i.richting for i in config.indicatoren}).to_numpy()
        effecten["oordeel"] = oordeel(effecten["schatting"], effecten["p"], richting, alpha)
    return effecten


def bereken_resultaten(config: Configuratie, gegevens) -> Resultaten:
    tabel = pd.concat([_survey_resultaten(config, gegevens), _register_resultaten(config, gegevens),
                       _referentie_resultaten(config, gegevens)], ignore_index=True)
    # aanvullende indicators belong to their own gebieden only
    van_toepassing = {(g.id, i.id) for g in config.gebieden for i in config.indicatoren_voor(g.id)}
    tabel = tabel[[k in van_toepassing for k in zip(tabel["gebied"], tabel["indicator"])]].copy()
    ind = {i.id: i for i in config.indicatoren}
    tabel["pijler"] = tabel["indicator"].map(lambda i: ind[i].pijler)
    tabel["statistiek"] = tabel["indicator"].map(lambda i: ind[i].statistiek)
    gemeenten = {g.id: g for g in config.gebieden}
    survey_rol = tabel["regiocode"].isna() if "regiocode" in tabel else pd.Series(True, index=tabel.index)
    tabel.loc[survey_rol, "regiocode"] = [
        _regiocode(gemeenten[g], rol) for g, rol in zip(tabel.loc[survey_rol, "gebied"], tabel.loc[survey_rol, "rol"])]
    for kol in ("n_ongewogen", "n_teller", "max_aandeel_categorie", "n_effectief", "deff", "teller", "noemer", "se"):
        if kol not in tabel:
            tabel[kol] = np.nan
    tabel = _onthulling(tabel, config)
    tabel["rol"] = pd.Categorical(tabel["rol"], categories=ROLLEN, ordered=True)
    tabel["gebied"] = pd.Categorical(tabel["gebied"], categories=[g.id for g in config.gebieden], ordered=True)
    tabel["indicator"] = pd.Categorical(tabel["indicator"], categories=[i.id for i in config.indicatoren], ordered=True)
    tabel = tabel.sort_values(["gebied", "meting", "indicator", "rol"]).reset_index(drop=True)
    for kol in ("rol", "gebied", "indicator"):
        tabel[kol] = tabel[kol].astype(str)
    tabel = _vergelijkingen(tabel, config, gegevens.metingen)
    tabel["n_ongewogen"] = tabel["n_ongewogen"].astype("Int64")
    tabel["meting"] = tabel["meting"].astype(int)
    tabel["peiljaar"] = tabel["peiljaar"].astype(int)
    tabel = tabel[KOLOMMEN]
    return Resultaten(tabel=tabel, effecten=_effecten(config, gegevens, tabel))


def _regiocode(gebied, rol: str) -> str:
    codes = "+".join(gebied.codes)
    return {"wijk": codes, "rest_gemeente": f"{gebied.gemeente}-{'-'.join(gebied.codes)}",
            "gemeente": gebied.gemeente}[rol]


# ---------------------------------------------------------------- storage


def schrijf_resultaten(resultaten: Resultaten, map: Path) -> dict[str, Path]:
    """Write both tables as Parquet and CSV (atomically) plus the documented schema."""
    paden = {}
    for naam, tabel, schema in (("resultaten", resultaten.tabel, SCHEMA), ("effecten", resultaten.effecten, EFFECT_SCHEMA)):
        parquet, csv = map / f"{naam}.parquet", map / f"{naam}.csv"
        with atomair_pad(parquet) as tmp:
            tabel.to_parquet(tmp, index=False)
        schrijf_tekst(csv, tabel.to_csv(index=False, lineterminator="\n"))
        schrijf_tekst(map / f"{naam}_schema.csv",
                      pd.DataFrame(schema, columns=["kolom", "type", "omschrijving"]).to_csv(index=False, lineterminator="\n"))
        paden[naam] = parquet
    return paden


def lees_resultaten(map: Path) -> Resultaten:
    return Resultaten(tabel=pd.read_parquet(map / "resultaten.parquet"),
                      effecten=pd.read_parquet(map / "effecten.parquet"))
