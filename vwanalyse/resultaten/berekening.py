"""The results table: the single source of truth for the notebooks, the book and verification.

`bereken_resultaten(config, gegevens)` returns one tidy row per gebied × meting × indicator ×
rol (the area the row is about: the wijk itself, the rest of its gemeente, the gemeente, the
provincie, Nederland), with the estimate and, on the wijk rows, the comparisons. A second table
holds the difference-in-differences estimates. `resultaten.opslag` writes and reads them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vwanalyse.model.configuratie import Configuratie, Indicator, code_niveau, gemeente_van
from vwanalyse.resultaten.schema import EFFECT_SCHEMA, KOLOMMEN, ROLLEN, Resultaten
from vwanalyse.statistiek.oordelen import OORDELEN, oordeel_code, oordelen
from vwanalyse.statistiek.schatting import (Ontwerp, poisson_toets, poisson_verschil_in_verschillen,
                                            register_schatting, survey_schatting, verschil_in_verschillen_domeinen,
                                            verschiltoets)

# ---------------------------------------------------------------- rows as columns
# While the table is built it is a dict of equally long numpy columns (`Kolommen`), and gebied,
# indicator and rol are integer codes: positions in config.gebieden, config.indicatoren and
# ROLLEN. Filtering, sorting and finding the row to compare with are then array operations on
# one integer key per row, at any number of gebieden; the frame and its text columns are made
# once, at the end.

Kolommen = dict[str, np.ndarray]
WIJK, REST, GEMEENTE, PROVINCIE, NEDERLAND = range(len(ROLLEN))


def _sleutel(config: Configuratie, k: Kolommen) -> np.ndarray:
    """One integer per row, increasing in table order: gebied, meting, indicator, rol."""
    jaren = np.array([m.jaar for m in config.metingen])
    m = np.searchsorted(jaren, k["meting"])
    return ((k["gebied"].astype(np.int64) * len(jaren) + m) * len(config.indicatoren) + k["indicator"]) \
        * len(ROLLEN) + k["rol"]


def _stap_meting(config: Configuratie, van, naar) -> np.ndarray:
    """What to add to a key to move it from meting `van` to meting `naar` (same gebied, indicator, rol)."""
    jaren = np.array([m.jaar for m in config.metingen])
    return (np.searchsorted(jaren, naar) - np.searchsorted(jaren, van)) * len(config.indicatoren) * len(ROLLEN)


def _zoek(sleutels: np.ndarray, gezocht: np.ndarray) -> np.ndarray:
    """Row of each wanted key in the sorted `sleutels`; −1 when there is no such row."""
    if len(sleutels) == 0:
        return np.full(len(gezocht), -1)
    plek = np.minimum(np.searchsorted(sleutels, gezocht), len(sleutels) - 1)
    return np.where(sleutels[plek] == gezocht, plek, -1)


def _neem(waarden: np.ndarray, rij: np.ndarray) -> np.ndarray:
    """waarden[rij] as float, NaN where rij is −1 (no such row)."""
    return np.where(rij >= 0, np.asarray(waarden, dtype=float)[rij], np.nan)


def _stapel(delen: list[Kolommen]) -> Kolommen:
    """Blocks of rows one under the other; a column a block lacks is NaN there."""
    namen = list(dict.fromkeys(k for deel in delen for k in deel))
    lengte = [len(next(iter(deel.values()))) for deel in delen]
    return {k: np.concatenate([deel.get(k, np.full(n, np.nan)) for deel, n in zip(delen, lengte)]) for k in namen}


def _als_tekst(namen: list[str], codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Text column from codes into `namen` (−1: missing): one string per name, then a take."""
    codes = np.asarray(codes, dtype=np.int64)
    return pd.array(namen, dtype="str").take(codes, allow_fill=bool(len(codes)) and codes.min() < 0)


def _opzoeken(kolom: pd.Series, plek: dict[str, int]) -> np.ndarray:
    """plek[value] for every cell of a text column, −1 for values not in `plek` and for missing cells."""
    codes, waarden = pd.factorize(kolom)
    return np.append([plek.get(w, -1) for w in waarden], -1).astype(np.int64)[codes]


def _van_toepassing(config: Configuratie) -> np.ndarray:
    """gebied × indicator: does the indicator belong to the gebied (kernset, or aanvullend for it)?"""
    gebied = {g.id: k for k, g in enumerate(config.gebieden)}
    geldt = np.zeros((len(config.gebieden), len(config.indicatoren)), dtype=bool)
    for k, ind in enumerate(config.indicatoren):
        if ind.set == "kernset":
            geldt[:, k] = True
        for g in ind.gebieden:
            if g in gebied:
                geldt[gebied[g], k] = True
    return geldt


def _per_indicator(config: Configuratie, eigenschap, indicator: np.ndarray) -> np.ndarray:
    """A property of each row's indicator, e.g. _per_indicator(config, lambda i: i.richting, ...)."""
    return np.array([eigenschap(i) for i in config.indicatoren])[indicator]


# ---------------------------------------------------------------- survey indicators


def _cellen(resp: pd.DataFrame, config: Configuratie) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
    """The cells and domains of a survey file: (cell per respondent, number of cells, lid_cel, lid_domein).

    Cell i < G holds the respondents of gebied i; cell G + j those of gemeente j outside every
    gebied; respondents of other gemeenten are in no cell. Domain 3·i + rol of gebied i is made of
    cells: the wijk of its own cell, the gemeente of every cell of the gemeente, the rest of the
    gemeente of those minus its own. A respondent is thus never copied into the rest-of-gemeente
    domains of the other gebieden of its gemeente (see schatting.Ontwerp).
    """
    gebieden = config.gebieden
    G = len(gebieden)
    gemeenten = list(dict.fromkeys(g.gemeente for g in gebieden))
    gm_van_gebied = np.array([gemeenten.index(g.gemeente) for g in gebieden], dtype=np.int64)
    gm = _opzoeken(resp["gemeentecode"], {c: j for j, c in enumerate(gemeenten)})
    # a buurt code takes precedence over its wijk code (Vollenhove is a buurt of Zeist-Noord)
    plek = {code: i for i, g in enumerate(gebieden) for code in g.codes}
    eigen = np.full(len(resp), -1)
    for kolom in ("wijkcode", "buurtcode"):
        gevonden = _opzoeken(resp[kolom], plek)
        eigen = np.where(gevonden >= 0, gevonden, eigen)
    # a respondent belongs to a gebied only within its own gemeente
    eigen = np.where((eigen >= 0) & (gm_van_gebied[eigen] == gm), eigen, -1)
    cel = np.where(eigen >= 0, eigen, np.where(gm >= 0, G + gm, -1))

    paar = pd.DataFrame({"i": np.arange(G), "gm": gm_van_gebied})
    paar = paar.merge(paar, on="gm")  # every two gebieden of one gemeente, each with itself too
    i, j = paar["i_x"].to_numpy(), paar["i_y"].to_numpy()
    ander = i != j
    g, buiten = np.arange(G), G + gm_van_gebied
    lid_cel = np.concatenate([g, j, buiten, j[ander], buiten])
    lid_domein = np.concatenate([3 * g + WIJK, 3 * i + GEMEENTE, 3 * g + GEMEENTE, 3 * i[ander] + REST, 3 * g + REST])
    return cel, G + len(gemeenten), lid_cel, lid_domein


def _survey_y(ruw: np.ndarray, ind: Indicator) -> tuple[np.ndarray, np.ndarray | None]:
    """The analysis variable from the raw answers: 0/1 for a proportion, the value for a mean."""
    if ind.statistiek == "survey_proportie":
        y = np.where(np.isnan(ruw), np.nan, np.isin(ruw, ind.berekening.teller_codes).astype(float))
        return y, ruw
    return ruw, None


def _survey_resultaten(config: Configuratie, gegevens) -> Kolommen:
    """Every survey indicator for the wijk, rest of gemeente and gemeente of every gebied, per meting."""
    alpha = config.instellingen.alpha
    eenzame_psu = config.instellingen.steekproefontwerp.eenzame_psu
    index = {ind.id: k for k, ind in enumerate(config.indicatoren)}
    n_domeinen = 3 * len(config.gebieden)
    domein = np.arange(n_domeinen)
    # the wijk against the rest of its gemeente: the design variance of that difference
    verschil_met = np.where(domein % 3 == WIJK, domein - WIJK + REST, -1)
    delen = []
    for bron, alle_resp in gegevens.survey.items():
        indicatoren = [i for i in config.indicatoren if i.bron == bron and i.is_survey]
        if alle_resp.empty or not indicatoren:
            continue
        cel, n_cellen, lid_cel, lid_domein = _cellen(alle_resp, config)
        # strata and PSUs as integer codes, once per file (hashing the text per meting is slow)
        ontwerp_kolommen = {"gewicht": alle_resp["gewicht"].to_numpy(),
                            **{k: pd.factorize(alle_resp[k])[0] for k in ("stratum", "psu") if k in alle_resp}}
        metingen, jaren = alle_resp["meting"].to_numpy(), alle_resp["jaar"].to_numpy()
        for meting in np.unique(metingen):
            rijen = np.flatnonzero(metingen == meting)
            rijen = rijen[np.argsort(cel[rijen], kind="stable")]  # by cell: contiguous cell sums (Ontwerp.per_cel)
            kol = {k: v[rijen] for k, v in ontwerp_kolommen.items()}
            ontwerp = Ontwerp.uit_cellen(kol["gewicht"], cel[rijen], n_cellen, lid_cel, lid_domein, n_domeinen,
                                         stratum=kol.get("stratum"), psu=kol.get("psu"), eenzame_psu=eenzame_psu)
            for ind in indicatoren:
                y, categorie = _survey_y(alle_resp[ind.berekening.item].to_numpy(dtype=float)[rijen], ind)
                soort = "proportie" if ind.statistiek == "survey_proportie" else "gemiddelde"
                schatting = survey_schatting(ontwerp, y, soort, alpha, categorie, verschil_met)
                delen.append({"gebied": domein // 3, "rol": domein % 3, "meting": np.full(n_domeinen, meting),
                              "indicator": np.full(n_domeinen, index[ind.id]),
                              "peiljaar": np.full(n_domeinen, jaren[rijen[0]]),
                              **{k: v.to_numpy() for k, v in schatting.items()}})
    return _stapel(delen) if delen else {}


# ---------------------------------------------------------------- register indicators


def _register_resultaten(config: Configuratie, gegevens) -> Kolommen:
    """Register rates and shares for the wijk, rest of gemeente and gemeente of every gebied, per meting."""
    register = gegevens.register
    if register.empty:
        return {}
    gebieden = config.gebieden
    G = len(gebieden)
    code_gebied = np.array([i for i, g in enumerate(gebieden) for _ in g.codes], dtype=np.int64)
    codes = [c for g in gebieden for c in g.codes]
    aantal_codes = np.bincount(code_gebied, minlength=G)
    per_jaar: dict[int, tuple] = {}

    def jaar(peiljaar: int):
        """The register rows of a year and where each gebied's codes and gemeente are in them."""
        if peiljaar not in per_jaar:
            rijen = register[register["jaar"] == peiljaar].set_index("gebiedscode")
            per_jaar[peiljaar] = (rijen, rijen.index.get_indexer(codes),
                                  rijen.index.get_indexer([g.gemeente for g in gebieden]))
        return per_jaar[peiljaar]

    delen = []
    for k, ind in enumerate(config.indicatoren):
        b = ind.berekening
        if ind.is_survey or b.teller not in register or b.noemer not in register:
            continue
        for meting in gegevens.metingen:
            peiljaar = config.meting[meting].peiljaren[ind.bron]
            rijen, plek_code, plek_gm = jaar(peiljaar)
            if rijen.empty:
                continue
            # a gebied made of several CBS codes is their sum; a missing code or value makes it missing
            som = []
            for kolom in (b.teller, b.noemer):
                waarde = _neem(rijen[kolom].to_numpy(), plek_code)
                compleet = np.bincount(code_gebied, weights=~np.isnan(waarde), minlength=G) == aantal_codes
                wijk = np.where(compleet, np.bincount(code_gebied, weights=np.nan_to_num(waarde), minlength=G), np.nan)
                som.append((wijk, _neem(rijen[kolom].to_numpy(), plek_gm)))
            # rows for gebieden with at least one code in this year, in a gemeente that is there too
            aanwezig = np.bincount(code_gebied, weights=plek_code >= 0, minlength=G) > 0
            g = np.flatnonzero(aanwezig & (plek_gm >= 0))
            (wt, gt), (wn, gn) = ((wijk[g], gm[g]) for wijk, gm in som)
            teller = np.concatenate([wt, gt - wt, gt])
            noemer = np.concatenate([wn, gn - wn, gn])
            s = register_schatting(teller, noemer, b.schaal, b.interval == "poisson", config.instellingen.alpha)
            n = 3 * len(g)
            delen.append({"gebied": np.tile(g, 3), "rol": np.repeat([WIJK, REST, GEMEENTE], len(g)),
                          "meting": np.full(n, meting), "indicator": np.full(n, k), "peiljaar": np.full(n, peiljaar),
                          **{c: v.to_numpy() for c, v in s.items()}})
    return _stapel(delen) if delen else {}


# ---------------------------------------------------------------- published reference values


def _referentie_resultaten(config: Configuratie, gegevens) -> Kolommen:
    ref = gegevens.referentie
    if ref.empty:
        return {}
    rollen = {config.gebieden_bestand.provincie.code: PROVINCIE, config.gebieden_bestand.land.code: NEDERLAND}
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
    basis = {
        "meting": ref["meting"], "indicator": ref["indicator"].map({i.id: k for k, i in enumerate(config.indicatoren)}),
        "rol": ref["regiocode"].map(rollen), "peiljaar": ref["jaar"],
        "schatting": ref["waarde"] / deler, "ci_laag": ref["ondergrens"] / deler, "ci_hoog": ref["bovengrens"] / deler,
    }
    # the same published value sits beside every gebied
    G = len(config.gebieden)
    uit = {k: np.repeat(v.to_numpy(), G) for k, v in basis.items()}
    uit["gebied"] = np.tile(np.arange(G), len(ref))
    return uit


# ---------------------------------------------------------------- assembling the table


SECUNDAIR = "secundair (anders af te leiden)"


def _onthulling(k: Kolommen, sleutel: np.ndarray, config: Configuratie) -> None:
    """Apply disclosure control: suppressed rows keep n but lose every published number.

    Primary suppression by the thresholds of instellingen.yml, then secondary suppression
    (`_secundair`); every derived number (differences, tests, DiD) is computed afterwards from the
    published rows only, so none uses a suppressed value."""
    o = config.instellingen.onthulling
    survey = _per_indicator(config, lambda i: i.is_survey, k["indicator"])
    proportie = _per_indicator(config, lambda i: i.statistiek == "survey_proportie", k["indicator"])
    aandeel = _per_indicator(config, lambda i: i.statistiek == "register_aandeel", k["indicator"])
    n, n_teller, teller, noemer = k["n_ongewogen"], k["n_teller"], k["teller"], k["noemer"]
    with np.errstate(invalid="ignore"):
        klein_cel = proportie & ((n_teller < o.min_cel) | ((n - n_teller) < o.min_cel))
        # register shares: a count below the threshold (or its complement) identifies few people
        klein_cel |= aandeel & ((teller < o.min_cel) | ((noemer - teller) < o.min_cel))
        eenzijdig = proportie & (k["max_aandeel_categorie"] > o.max_aandeel_categorie)
        klein_n = survey & (n < o.min_n)
    # the most basic reason is given: n before cell size before one answer
    redenen = ["", f">{o.max_aandeel_categorie:.0%} in één categorie", f"cel<{o.min_cel}", f"n<{o.min_n}", SECUNDAIR]
    reden = np.select([klein_n, klein_cel, eenzijdig], [3, 2, 1], 0)
    reden[_secundair(k, sleutel, config, reden > 0) & (reden == 0)] = redenen.index(SECUNDAIR)
    k["onderdrukt"] = reden > 0
    k["reden"] = _als_tekst(redenen, reden)
    for kol in ("schatting", "se", "ci_laag", "ci_hoog", "n_effectief", "deff", "teller"):
        k[kol] = np.where(k["onderdrukt"], np.nan, k[kol])


def _secundair(k: Kolommen, sleutel: np.ndarray, config: Configuratie, onderdrukt: np.ndarray) -> np.ndarray:
    """Rows to suppress besides `onderdrukt` so that no suppressed value follows from published ones.

    The wijk and the rest of its gemeente make up the gemeente, so of the three rows of a gebied,
    meting and indicator, two published ones (approximately, for survey estimates; exactly, for
    register counts) give the third. Rule: never exactly one of the three is suppressed while the
    other two are published. A suppressed wijk also suppresses the rest of the gemeente (its
    comparison cannot be made anyway; the gemeente stays as context); a suppressed rest also
    suppresses the gemeente (the wijk, the subject of the monitor, stays); a suppressed gemeente
    also suppresses the rest. The gemeente is one value beside each of its gebieden, so it is
    suppressed beside all of them, which may require the rest of another gebied too: repeated
    until nothing changes. Rows without a value reveal nothing and count as not published.
    """
    onderdrukt = onderdrukt.copy()
    waarde = ~np.isnan(k["schatting"])
    wijk = np.flatnonzero(k["rol"] == WIJK)
    rest, gemeente = (_zoek(sleutel, sleutel[wijk] - WIJK + rol) for rol in (REST, GEMEENTE))
    # the gemeente rows of one gemeente, meting and indicator: the same domain beside every gebied
    gm = np.array([[g.gemeente for g in config.gebieden].index(g.gemeente) for g in config.gebieden])
    alle_gm = np.flatnonzero(k["rol"] == GEMEENTE)
    groep = pd.factorize(pd.MultiIndex.from_arrays([gm[k["gebied"][alle_gm]], k["meting"][alle_gm],
                                                    k["indicator"][alle_gm]]))[0]

    def status(rij: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # (suppressed, published) per row, −1: none
        plek = np.maximum(rij, 0)
        return (rij >= 0) & onderdrukt[plek], (rij >= 0) & ~onderdrukt[plek] & waarde[plek]

    while True:
        (w_x, w_p), (r_x, r_p), (g_x, g_p) = status(wijk), status(rest), status(gemeente)
        erbij = np.concatenate([rest[w_x & r_p & g_p], gemeente[w_p & r_x & g_p], rest[w_p & r_p & g_x]])
        onderdrukt[erbij] = True
        zelfde = alle_gm[(np.bincount(groep, weights=onderdrukt[alle_gm]) > 0)[groep] & ~onderdrukt[alle_gm]]
        onderdrukt[zelfde] = True
        if not len(erbij) and not len(zelfde):
            return onderdrukt


def _toets(config: Configuratie, k: Kolommen, sleutel: np.ndarray, rijen: np.ndarray, gezocht: np.ndarray,
           var_verschil: np.ndarray | None = None):
    """Compare rows `rijen` with the rows of keys `gezocht`: (difference test, oordeel code).

    `var_verschil`: the variance of each difference when both rows come from one sample (NaN: independent)."""
    ander = _zoek(sleutel, gezocht)
    t = verschiltoets(k["schatting"][rijen], k["se"][rijen], _neem(k["schatting"], ander), _neem(k["se"], ander),
                      var_verschil)
    # register counts of events: the exact conditional Poisson test of the two counts (indicatief)
    telling = np.flatnonzero(_per_indicator(config, lambda i: i.telt_gebeurtenissen, k["indicator"][rijen])
                             & ~np.isnan(t["verschil"].to_numpy()))
    if len(telling):
        r, a = rijen[telling], ander[telling]
        p = t["p"].to_numpy().copy()
        p[telling] = poisson_toets(k["teller"][r], k["noemer"][r], _neem(k["teller"], a), _neem(k["noemer"], a))
        t["p"] = p
    richting = _per_indicator(config, lambda i: i.richting, k["indicator"][rijen])
    return t, oordeel_code(t["verschil"], t["p"], richting, config.instellingen.alpha)


def _vergelijkingen(k: Kolommen, sleutel: np.ndarray, config: Configuratie, metingen: list[int]) -> None:
    """Wijk against the rest of its gemeente, and change since the previous meting and the nulmeting.

    Each row is tested against the row with the matching key (`sleutel`: sorted, one per row);
    only the rows that get a test are computed."""
    n, rol, meting = len(sleutel), k["rol"], k["meting"]
    k["indicatief"] = _per_indicator(config, lambda i: i.telt_gebeurtenissen, k["indicator"]) & (rol <= GEMEENTE)

    def verspreid(waarden, rijen, leeg=np.nan) -> np.ndarray:  # values in `rijen`, `leeg` elsewhere
        uit = np.full(n, leeg)
        uit[rijen] = waarden
        return uit

    # wijk against the rest of its gemeente (survey: the design variance of the difference)
    wijk = np.flatnonzero(rol == WIJK)
    t, o = _toets(config, k, sleutel, wijk, sleutel[wijk] - WIJK + REST, k["var_verschil"][wijk])
    k["verschil_rest"], k["se_verschil_rest"], k["p_rest"] = (verspreid(t[c], wijk)
                                                              for c in ("verschil", "se_verschil", "p"))
    k["oordeel_rest"] = _als_tekst(list(OORDELEN), verspreid(o, wijk, -1))

    # change over time, for the wijk, the rest of the gemeente and the gemeente
    vanaf = _per_indicator(config, lambda i: i.vergelijkbaar_vanaf, k["indicator"])
    vorige = {m: (metingen[i - 1] if i > 0 else np.nan) for i, m in enumerate(metingen)}
    basis = {"vorige": pd.Series(meting).map(vorige).to_numpy(dtype=float),
             "nulmeting": np.full(n, float(metingen[0]))}
    for naam, eerder in basis.items():
        rijen = np.flatnonzero((rol <= GEMEENTE) & ~np.isnan(eerder) & (eerder != meting))
        t, o = _toets(config, k, sleutel, rijen, sleutel[rijen] + _stap_meting(config, meting[rijen], eerder[rijen]))
        breuk = eerder[rijen] < vanaf[rijen]
        o[breuk] = OORDELEN.index("trendbreuk")
        if naam == "vorige":
            k["vorige_meting"] = pd.array(verspreid(eerder[rijen], rijen), dtype="Int64")
        getoetst = rijen[~breuk]
        k[f"verschil_{naam}"], k[f"se_verschil_{naam}"], k[f"p_{naam}"] = (
            verspreid(t[c].to_numpy()[~breuk], getoetst) for c in ("verschil", "se_verschil", "p"))
        k[f"oordeel_{naam}"] = _als_tekst(list(OORDELEN), verspreid(o, rijen, -1))


def _effecten(config: Configuratie, gegevens, survey: Kolommen, tabel: Kolommen, sleutel: np.ndarray) -> pd.DataFrame:
    """Difference-in-differences per gebied and later meting vs the nulmeting: the survey indicators
    (`_survey_effecten`) and the register counts of events (`_register_effecten`, indicatief).

    Skipped when any of the four rows (wijk and rest, both metingen) is suppressed or absent (an
    aanvullende indicator of another gebied has none): the DiD would give the suppressed value
    back; also when the indicator has a method break after the nulmeting, and when either meting
    has no data.
    """
    kolommen = [k for k, _, _ in EFFECT_SCHEMA]
    if len(gegevens.metingen) < 2:
        return pd.DataFrame(columns=kolommen)
    delen = [d for d in (_survey_effecten(config, gegevens, survey, tabel, sleutel),
                         _register_effecten(config, gegevens, tabel, sleutel)) if d is not None]
    if not delen:
        return pd.DataFrame(columns=kolommen)
    uit = pd.concat(delen, ignore_index=True)
    gebied, indicator, meting = (uit[k].to_numpy() for k in ("gebied", "indicator", "meting"))
    uit["oordeel"] = oordelen(uit["schatting"], uit["p"], _per_indicator(config, lambda i: i.richting, indicator),
                             config.instellingen.alpha)
    # in the order of before: per bron (the survey ones first), then indicator, gebied and meting
    bronnen = list(gegevens.survey) + [b.id for b in config.bronnen if b.id not in gegevens.survey]
    bron = _per_indicator(config, lambda i: bronnen.index(i.bron), indicator)
    volgorde = np.lexsort((meting, gebied, indicator, bron))
    uit = uit.iloc[volgorde].reset_index(drop=True)
    uit["gebied"] = _als_tekst([g.id for g in config.gebieden], gebied[volgorde])
    uit["indicator"] = _als_tekst([i.id for i in config.indicatoren], indicator[volgorde])
    uit["meting"] = meting[volgorde]
    uit["basismeting"] = gegevens.metingen[0]
    uit["n"] = pd.array(uit["n"], dtype="Int64")
    return uit[kolommen]


def _onderdrukt_of_afwezig(tabel: Kolommen, sleutel: np.ndarray, gezocht: np.ndarray) -> np.ndarray:
    """Is the table row of each key suppressed, or is there none?"""
    plek = _zoek(sleutel, gezocht)
    return (plek < 0) | tabel["onderdrukt"][np.maximum(plek, 0)]


def _survey_effecten(config: Configuratie, gegevens, survey: Kolommen, tabel: Kolommen,
                     sleutel: np.ndarray) -> pd.DataFrame | None:
    """The survey DiD from the domain estimates of the wijk and the rest of its gemeente and the
    design variance of their difference in each meting (`verschil_in_verschillen_domeinen`: the
    same numbers as svyglm(y ~ wijk * na) on the stacked metingen)."""
    if not survey:
        return None
    nul = gegevens.metingen[0]
    s_sleutel = _sleutel(config, survey)
    volgorde = np.argsort(s_sleutel, kind="stable")
    survey, s_sleutel = {k: v[volgorde] for k, v in survey.items()}, s_sleutel[volgorde]
    na = np.flatnonzero((survey["rol"] == WIJK) & (survey["meting"] > nul))
    gebied, indicator, meting = (survey[k][na] for k in ("gebied", "indicator", "meting"))
    terug = _stap_meting(config, meting, np.full(len(na), nul))
    wijk_voor, rest_na, rest_voor = (_zoek(s_sleutel, s_sleutel[na] + stap)
                                     for stap in (terug, REST - WIJK, terug + REST - WIJK))
    vanaf = _per_indicator(config, lambda i: i.vergelijkbaar_vanaf, indicator)
    houd = (nul >= vanaf) & (wijk_voor >= 0) & (rest_voor >= 0) & (rest_na >= 0)
    for rijen in (na, wijk_voor, rest_voor, rest_na):
        houd &= ~_onderdrukt_of_afwezig(tabel, sleutel, s_sleutel[np.maximum(rijen, 0)])
    s, var, n = survey["schatting"], survey["var_verschil"], survey["n_ongewogen"]
    wv, wn, rv, rn = (r[houd] for r in (wijk_voor, na, rest_voor, rest_na))
    uit = verschil_in_verschillen_domeinen(s[wv] - s[rv], var[wv], s[wn] - s[rn], var[wn],
                                           n[wv] + n[wn] + n[rv] + n[rn], alpha=config.instellingen.alpha)
    return uit.assign(gebied=gebied[houd], indicator=indicator[houd], meting=meting[houd], indicatief=False)


def _eenheden(config: Configuratie, codes) -> pd.DataFrame:
    """The CBS units that make up the wijk and the rest of its gemeente, per gebied: its own codes
    (wijk = 1) and the other CBS wijken of the gemeente (wijk = 0); a CBS wijk that holds a buurt of
    the gebied counts without that buurt (members with teken −1)."""
    per_gemeente: dict[str, list[str]] = {}
    for c in codes:
        if code_niveau(c) == "wijk":
            per_gemeente.setdefault(gemeente_van(c), []).append(c)
    rijen = []
    for i, g in enumerate(config.gebieden):
        rijen += [(i, c, 1, c, 1.0) for c in g.codes]
        for w in per_gemeente.get(g.gemeente, []):
            if w not in g.codes:
                rijen.append((i, w, 0, w, 1.0))
                rijen += [(i, w, 0, b, -1.0) for b in g.codes if code_niveau(b) == "buurt" and b[2:8] == w[2:8]]
    return pd.DataFrame(rijen, columns=["gebied", "eenheid", "wijk", "code", "teken"])


def _register_effecten(config: Configuratie, gegevens, tabel: Kolommen, sleutel: np.ndarray) -> pd.DataFrame | None:
    """DiD of the register counts of events (indicatief): the rates of the wijk and the rest of its
    gemeente from the table, a quasi-Poisson model on the units that make them up (the CBS wijken
    of the gemeente, `_eenheden`; `poisson_verschil_in_verschillen`) for the overdispersion.

    A unit needs a value for every code it is made of; what the units of a cell leave of the
    cell's count and exposure (a missing wijk, or events without a location) is one more unit
    when its exposure is positive.
    """
    register, nul = gegevens.register, gegevens.metingen[0]
    telling = np.array([i.telt_gebeurtenissen and nul >= i.vergelijkbaar_vanaf for i in config.indicatoren])
    if register.empty or not telling.any():
        return None
    na = np.flatnonzero((tabel["rol"] == WIJK) & (tabel["meting"] > nul) & telling[tabel["indicator"]])
    meting = tabel["meting"][na]
    terug = _stap_meting(config, meting, np.full(len(na), nul))
    cellen = [na + 0, *(_zoek(sleutel, sleutel[na] + stap) for stap in (terug, REST - WIJK, terug + REST - WIJK))]
    wn, wv, rn, rv = cellen
    houd = np.ones(len(na), dtype=bool)
    for rijen in cellen:
        houd &= (rijen >= 0) & ~_onderdrukt_of_afwezig(tabel, sleutel, sleutel[np.maximum(rijen, 0)])
    cellen = [r[houd] for r in (wv, wn, rv, rn)]  # the order of poisson_verschil_in_verschillen
    X = np.column_stack([tabel["teller"][r] for r in cellen])
    E = np.column_stack([tabel["noemer"][r] for r in cellen])
    houd_x = np.isfinite(X).all(axis=1) & np.isfinite(E).all(axis=1) & (E > 0).all(axis=1)
    cellen, X, E = [r[houd_x] for r in cellen], X[houd_x], E[houd_x]
    groepen = pd.DataFrame({"groep": np.arange(len(X)), "gebied": tabel["gebied"][cellen[1]],
                            "indicator": tabel["indicator"][cellen[1]], "meting": tabel["meting"][cellen[1]]})
    if groepen.empty:
        return None
    # the units of each group in both periods, with their counts and exposures
    leden = groepen.merge(_eenheden(config, register["gebiedscode"].unique()), on="gebied")
    waarden = register.set_index(["gebiedscode", "jaar"])
    delen = []
    for k, deel in leden.groupby("indicator"):
        ind = config.indicatoren[k]
        for periode in (0, 1):
            peiljaar = {m: config.meting[nul if periode == 0 else m].peiljaren[ind.bron] for m in deel["meting"].unique()}
            gevonden = waarden[[ind.berekening.teller, ind.berekening.noemer]].reindex(
                pd.MultiIndex.from_arrays([deel["code"], deel["meting"].map(peiljaar)])).to_numpy()
            teken = deel["teken"].to_numpy()
            delen.append(deel.assign(na=periode, x=gevonden[:, 0] * teken, e=gevonden[:, 1] * teken,
                                     leeg=np.isnan(gevonden).any(axis=1)))
    # a unit with a missing value for any of its codes is left out (its cell's remainder takes it)
    eenheid = pd.concat(delen, ignore_index=True).groupby(["groep", "eenheid", "na", "wijk"], sort=True).agg(
        x=("x", "sum"), e=("e", "sum"), leeg=("leeg", "max"))
    eenheid = eenheid[~eenheid["leeg"]].reset_index()
    eenheid["cel"] = 2 * (1 - eenheid["wijk"]) + eenheid["na"]
    # what the units leave of each cell
    g, c = eenheid["groep"].to_numpy(), eenheid["cel"].to_numpy()
    rest_x, rest_e = X.copy(), E.copy()
    np.subtract.at(rest_x, (g, c), eenheid["x"].to_numpy())
    np.subtract.at(rest_e, (g, c), eenheid["e"].to_numpy())
    rg, rc = np.nonzero((rest_e > 0) & (rest_x >= 0))
    g, c = np.concatenate([g, rg]), np.concatenate([c, rc])
    x, e = np.concatenate([eenheid["x"], rest_x[rg, rc]]), np.concatenate([eenheid["e"], rest_e[rg, rc]])
    schaal = _per_indicator(config, lambda i: i.berekening.schaal, groepen["indicator"].to_numpy())
    uit = poisson_verschil_in_verschillen(X, E, g, c, x, e, 1.0, config.instellingen.alpha)
    for kolom in ("schatting", "se", "ci_laag", "ci_hoog"):
        uit[kolom] = uit[kolom] * schaal
    return uit.drop(columns=["dispersie", "df"]).assign(
        gebied=groepen["gebied"].to_numpy(), indicator=groepen["indicator"].to_numpy(),
        meting=groepen["meting"].to_numpy(), n=np.nan, indicatief=True)


def _regiocodes(config: Configuratie) -> list[str]:
    """The regiocode of every gebied × rol (row-major), as in SCHEMA."""
    b = config.gebieden_bestand
    return [code for g in config.gebieden for code in (
        "+".join(g.codes), f"{g.gemeente}-{'-'.join(g.codes)}", g.gemeente, b.provincie.code, b.land.code)]


def bereken_resultaten(config: Configuratie, gegevens) -> Resultaten:
    """The results table and the DiD table from the configuration and the loaded data.

    Every step works on whole columns (no loop over gebieden): see bench/bench_resultaten.py.
    """
    survey = _survey_resultaten(config, gegevens)
    delen = [d for d in (survey, _register_resultaten(config, gegevens), _referentie_resultaten(config, gegevens)) if d]
    if not delen:
        return Resultaten(tabel=pd.DataFrame(columns=KOLOMMEN),
                          effecten=pd.DataFrame(columns=[k for k, _, _ in EFFECT_SCHEMA]))
    alle = _stapel(delen)
    # the rows in table order, without aanvullende indicators of other gebieden
    sleutel = _sleutel(config, alle)
    rijen = np.flatnonzero(_van_toepassing(config)[alle["gebied"], alle["indicator"]])
    rijen = rijen[np.argsort(sleutel[rijen], kind="stable")]  # stable = timsort: fast on the sorted blocks
    # only the columns the table needs (with two for disclosure control and the variance of the
    # difference wijk − rest): each costs a gather
    extra = ("n_teller", "max_aandeel_categorie", "var_verschil")
    k = {kol: v[rijen] for kol, v in alle.items() if kol in KOLOMMEN or kol in extra}
    sleutel = sleutel[rijen]
    del alle, rijen  # the unsorted copy is no longer needed: a lower peak
    for kol in ("n_ongewogen", *extra, "n_effectief", "deff", "teller", "noemer", "se"):
        k.setdefault(kol, np.full(len(sleutel), np.nan))
    _onthulling(k, sleutel, config)
    _vergelijkingen(k, sleutel, config, gegevens.metingen)
    effecten = _effecten(config, gegevens, survey, k, sleutel)

    gebied, indicator, rol = k["gebied"], k["indicator"], k["rol"]
    k["gebied"] = _als_tekst([g.id for g in config.gebieden], gebied)
    k["indicator"] = _als_tekst([i.id for i in config.indicatoren], indicator)
    k["rol"] = _als_tekst(list(ROLLEN), rol)
    k["regiocode"] = _als_tekst(_regiocodes(config), gebied * len(ROLLEN) + rol)
    k["pijler"] = _als_tekst([i.pijler for i in config.indicatoren], indicator)
    k["statistiek"] = _als_tekst([i.statistiek for i in config.indicatoren], indicator)
    k["n_ongewogen"] = pd.array(k["n_ongewogen"], dtype="Int64")
    k["meting"], k["peiljaar"] = k["meting"].astype(int), k["peiljaar"].astype(int)
    # copy=False: the columns are new arrays; pandas would otherwise copy them into 2-D blocks
    return Resultaten(tabel=pd.DataFrame({kol: k[kol] for kol in KOLOMMEN}, copy=False), effecten=effecten)
