"""The fast paths give the same numbers as the straightforward ones they replace.

Survey domains from cell sums (ids=~1) against the general PSU/strata path; the
difference-in-differences from domain estimates against the model on microdata; the loader's
number parsing against pd.to_numeric. Speed itself is measured by bench/, not here.
"""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from vwanalyse.invoer.bronnen import _als_getal
from vwanalyse.resultaten.berekening import _cellen, bereken_resultaten
from vwanalyse.statistiek.schatting import Ontwerp, survey_schatting, verschil_in_verschillen

REF = Path(__file__).parent / "referentie"
KOLOMMEN = ["schatting", "se", "ci_laag", "ci_hoog", "n_ongewogen", "som_gewichten", "n_effectief", "deff",
            "var_verschil", "n_teller", "max_aandeel_categorie"]


def _gebieden_als_cellen(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Cells = gebieden A-E; domains: each gebied, each gebied's rest (all others), and the total.
    (Differences: each gebied against its rest, see VERSCHIL.)"""
    gebieden = sorted(df.gebied.unique())
    cel = df.gebied.map({g: i for i, g in enumerate(gebieden)}).to_numpy()
    k = len(gebieden)
    lid_cel, lid_domein = [], []
    for i in range(k):
        lid_cel += [i] + [j for j in range(k) if j != i]
        lid_domein += [i] + [k + i] * (k - 1)
    lid_cel += list(range(k))
    lid_domein += [2 * k] * k
    return cel, np.array(lid_cel), np.array(lid_domein), 2 * k + 1


VERSCHIL = np.array([5, 6, 7, 8, 9] + [-1] * 6)  # gebied i (domain i) against its rest (domain 5 + i)


def _vergelijk(a: pd.DataFrame, b: pd.DataFrame) -> None:
    for kolom in KOLOMMEN:
        if kolom in a:
            np.testing.assert_allclose(a[kolom], b[kolom], rtol=1e-12, atol=1e-12, err_msg=kolom)
    if "var_verschil" in a:
        assert np.isfinite(a["var_verschil"]).sum() >= 2, "the differences must have been compared"


@pytest.mark.parametrize("variabele, soort", [("y", "proportie"), ("x", "gemiddelde")])
def test_celsommen_gelijk_aan_algemeen_pad(variabele, soort):
    df = pd.read_csv(REF / "survey_srs.csv")
    cel, lid_cel, lid_domein, n_dom = _gebieden_als_cellen(df)
    y = df[variabele].to_numpy()
    categorie = y if soort == "proportie" else None
    snel = survey_schatting(Ontwerp.uit_cellen(df.w, cel, 5, lid_cel, lid_domein, n_dom), y, soort,
                            categorie=categorie, verschil_met=VERSCHIL)
    # the general path: every respondent its own PSU in one stratum is the same design as ids=~1
    n = len(df)
    algemeen = survey_schatting(Ontwerp.uit_cellen(df.w, cel, 5, lid_cel, lid_domein, n_dom,
                                                   stratum=np.zeros(n), psu=np.arange(n)), y, soort,
                                categorie=categorie, verschil_met=VERSCHIL)
    _vergelijk(snel, algemeen)
    # and the respondent-level membership of Ontwerp.maak (each respondent its own cell)
    rij = np.concatenate([np.flatnonzero(np.isin(cel, lid_cel[lid_domein == d])) for d in range(n_dom)])
    domein = np.concatenate([np.full(np.isin(cel, lid_cel[lid_domein == d]).sum(), d) for d in range(n_dom)])
    _vergelijk(snel, survey_schatting(Ontwerp.maak(df.w, rij, domein, n_dom), y, soort, categorie=categorie,
                                      verschil_met=VERSCHIL))
    # respondents sorted by cell take the np.add.reduceat route: the same sums
    volgorde = np.argsort(cel, kind="stable")
    gesorteerd = Ontwerp.uit_cellen(df.w.to_numpy()[volgorde], cel[volgorde], 5, lid_cel, lid_domein, n_dom)
    assert gesorteerd._cellen.runs is not None
    _vergelijk(snel, survey_schatting(gesorteerd, y[volgorde], soort, verschil_met=VERSCHIL,
                                      categorie=None if categorie is None else categorie[volgorde]))
    # ids=~1: the wijk and the rest are uncorrelated, so the difference has the sum of their variances
    np.testing.assert_allclose(snel.var_verschil[:5], snel.se[:5] ** 2 + snel.se[5:10].to_numpy() ** 2, rtol=1e-12)


@pytest.mark.parametrize("variabele, soort", [("y", "proportie"), ("x", "gemiddelde")])
def test_psus_binnen_cellen_gelijk_aan_algemeen_pad(variabele, soort, monkeypatch):
    """Stratified, clustered fixture; domains made of whole PSUs, so the nested route applies."""
    df = pd.read_csv(REF / "survey_strat.csv")
    cel = df.psu.to_numpy() % 4  # four cells of whole PSUs (PSU ids 1-30 are unique over strata)
    # domains: each cell, cells 0 and 1, all cells, all but cell 0
    lid_cel = np.array([0, 1, 2, 3, 0, 1, 0, 1, 2, 3, 1, 2, 3])
    lid_domein = np.array([0, 1, 2, 3, 4, 4, 5, 5, 5, 5, 6, 6, 6])
    y = df[variabele].to_numpy()
    ontwerp = lambda: Ontwerp.uit_cellen(df.w, cel, 4, lid_cel, lid_domein, 7, stratum=df.stratum, psu=df.psu)
    verschil = np.array([6, 3, -1, -1, -1, -1, -1])  # cell 0 against cells 1-3; cell 1 against cell 3
    genest = ontwerp()
    assert genest._genest is not None
    uit = survey_schatting(genest, y, soort, verschil_met=verschil)
    # cells that split PSUs (the gebieden of the fixture) take the general route
    gebied = df.gebied.map({g: i for i, g in enumerate("ABCDE")}).to_numpy()
    assert Ontwerp.uit_cellen(df.w, gebied, 5, np.arange(5), np.arange(5), 5, df.stratum, df.psu)._genest is None
    monkeypatch.setattr(Ontwerp, "_genest", property(lambda self: None))
    algemeen = ontwerp()
    _vergelijk(uit, survey_schatting(algemeen, y, soort, verschil_met=verschil))
    np.testing.assert_array_equal(genest.vrijheidsgraden, algemeen.vrijheidsgraden)


def test_maak_vindt_de_cellen():
    """Respondent-level membership (overlapping, repeated): the same as each domain computed alone."""
    rng = np.random.default_rng(1)
    n, n_dom = 300, 12
    w, y = rng.lognormal(0, 0.5, n), (rng.random(n) < 0.4).astype(float)
    y[rng.random(n) < 0.1] = np.nan
    leden = rng.random((n, n_dom)) < 0.3
    rij, domein = np.nonzero(leden)
    volgorde = rng.permutation(len(rij))
    uit = survey_schatting(Ontwerp.maak(w, rij[volgorde], domein[volgorde], n_dom), y, "proportie")
    for d in range(n_dom):
        in_d = leden[:, d] & ~np.isnan(y)
        p = np.average(y[in_d], weights=w[in_d])
        z = w[in_d] * (y[in_d] - p) / w[in_d].sum()
        assert uit.schatting[d] == pytest.approx(p, abs=1e-12)
        assert uit.se[d] == pytest.approx(np.sqrt(n / (n - 1) * np.sum(z**2)), abs=1e-12)
        assert uit.n_ongewogen[d] == in_d.sum()
    # a respondent listed twice in a domain counts twice, as with the pairs themselves
    dubbel = survey_schatting(Ontwerp.maak(np.ones(3), [0, 0, 1, 2], [0, 0, 0, 0], 1), np.array([1.0, 0, 0]),
                              "proportie")
    assert dubbel.schatting[0] == 0.5 and dubbel.n_ongewogen[0] == 4


def test_antwoordcodes_die_geen_kleine_gehele_getallen_zijn():
    df = pd.read_csv(REF / "survey_srs.csv")
    cel, lid_cel, lid_domein, n_dom = _gebieden_als_cellen(df)
    ontwerp = Ontwerp.uit_cellen(df.w, cel, 5, lid_cel, lid_domein, n_dom)
    y = df.y.to_numpy()
    gewoon = survey_schatting(ontwerp, y, "proportie", categorie=y)
    for codes in (y * 2.5 + 0.5, y * 1000):  # not integers; integers far apart
        anders = survey_schatting(ontwerp, y, "proportie", categorie=codes)
        np.testing.assert_array_equal(gewoon.max_aandeel_categorie, anders.max_aandeel_categorie)


def _zonder_design(gegevens, psu: bool):
    """The demo data without its strata; with psu, every respondent its own PSU in one stratum."""
    survey = {}
    for bron, df in gegevens.survey.items():
        df = df.drop(columns=["stratum", "psu"], errors="ignore")
        if psu:
            df = df.assign(stratum="alle", psu=df["respondent_id"])
        survey[bron] = df
    return replace(gegevens, survey=survey)


def _gelijk(a, b) -> None:
    pd.testing.assert_frame_equal(a.tabel, b.tabel, check_exact=False, rtol=1e-12, atol=1e-12)
    pd.testing.assert_frame_equal(a.effecten, b.effecten, check_exact=False, rtol=1e-12, atol=1e-12)


@pytest.fixture
def alleen_algemeen_pad(monkeypatch):
    """Force the general PSU route (respondents of every domain), as before the fast routes."""
    monkeypatch.setattr(Ontwerp, "_genest", property(lambda self: None))


def test_snel_pad_gelijk_aan_algemeen_pad_op_demodata(config, demo_gegevens, alleen_algemeen_pad):
    snel = bereken_resultaten(config, _zonder_design(demo_gegevens, psu=False))
    _gelijk(snel, bereken_resultaten(config, _zonder_design(demo_gegevens, psu=True)))


def test_genest_pad_gelijk_aan_algemeen_pad_op_demodata(config, demo_gegevens, demo_resultaten, monkeypatch):
    """The demo has strata (its wijken) and the respondent as PSU: the nested route."""
    for df in demo_gegevens.survey.values():
        cel, n_cellen, lid_cel, lid_domein = _cellen(df, config)
        ontwerp = Ontwerp.uit_cellen(df.gewicht, cel, n_cellen, lid_cel, lid_domein, 3 * len(config.gebieden),
                                     stratum=df.stratum, psu=df.psu)
        assert ontwerp._genest is not None
    monkeypatch.setattr(Ontwerp, "_genest", property(lambda self: None))
    _gelijk(demo_resultaten, bereken_resultaten(config, demo_gegevens))


def test_elke_respondent_in_hoogstens_een_cel(config, demo_gegevens):
    for df in demo_gegevens.survey.values():
        cel, n_cellen, lid_cel, lid_domein = _cellen(df, config)
        assert cel.min() >= -1 and cel.max() < n_cellen
        # every domain (wijk, rest, gemeente of every gebied) is made of distinct cells
        paren = pd.DataFrame({"cel": lid_cel, "domein": lid_domein})
        assert not paren.duplicated().any() and paren["domein"].nunique() == 3 * len(config.gebieden)


def test_verschil_in_verschillen_uit_domeinen_gelijk_aan_model(config, demo_gegevens, demo_resultaten):
    """Each DiD row equals the weighted model y ~ wijk * na on the gemeente's respondents, with the
    design of the stacked files (strata × meting, the respondent as PSU)."""
    effecten = demo_resultaten.effecten
    effecten = effecten[~effecten["indicatief"]]
    assert len(effecten) > 80
    gebied_van_code = {code: g.id for g in config.gebieden for code in g.codes}
    for (gebied, indicator), rijen in effecten.groupby(["gebied", "indicator"]):
        g, ind = config.gebied[gebied], config.indicator[indicator]
        resp = demo_gegevens.survey[ind.bron]
        eigen = resp["buurtcode"].map(gebied_van_code).fillna(resp["wijkcode"].map(gebied_van_code))
        for rij in rijen.itertuples():
            m = resp["meting"].isin([rij.basismeting, rij.meting])  # the whole files: their strata and PSUs
            ruw = resp.loc[m, ind.berekening.item].to_numpy()
            y = np.where(np.isnan(ruw), np.nan, np.isin(ruw, ind.berekening.teller_codes or []))
            if ind.statistiek == "survey_gemiddelde":
                y = ruw
            model = verschil_in_verschillen(y, resp.loc[m, "gewicht"], eigen[m] == gebied,
                                            resp.loc[m, "meting"] == rij.meting, config.instellingen.alpha,
                                            in_model=resp.loc[m, "gemeentecode"] == g.gemeente,
                                            stratum=resp.loc[m, "stratum"], psu=resp.loc[m, "psu"])
            assert rij.schatting == pytest.approx(model["schatting"], abs=1e-12)
            assert rij.se == pytest.approx(model["se"], abs=1e-10)
            assert rij.p == pytest.approx(model["p"], abs=1e-10)
            assert rij.n == model["n"]


def test_register_verschil_in_verschillen_gelijk_aan_glm(config, demo_gegevens, demo_resultaten):
    """Each DiD row of a register count equals a quasi-Poisson GLM (identity link, statsmodels) on the
    CBS wijken of the gemeente, built here from the register rows one gebied at a time."""
    import warnings

    import statsmodels.api as sm
    from scipy import stats
    from statsmodels.tools.sm_exceptions import DomainWarning

    effecten = demo_resultaten.effecten[demo_resultaten.effecten["indicatief"]]
    assert len(effecten) >= 20 and set(effecten["indicator"]) == {i.id for i in config.indicatoren
                                                                  if i.telt_gebeurtenissen}
    reg = demo_gegevens.register
    for rij in effecten.itertuples():
        g, ind = config.gebied[rij.gebied], config.indicator[rij.indicator]
        b = ind.berekening
        eenheden = []
        for na, meting in ((0, rij.basismeting), (1, rij.meting)):
            jaar = reg[reg["jaar"] == config.meting[meting].peiljaren[ind.bron]].set_index("gebiedscode")
            wijken = [c for c in jaar.index if c.startswith("WK" + g.gemeente[2:])]
            for code in g.codes + [w for w in wijken if w not in g.codes]:
                waarde = jaar.loc[code, [b.teller, b.noemer]].astype(float)
                for buurt in (c for c in g.codes if c.startswith("BU" + code[2:]) and code not in g.codes):
                    waarde = waarde - jaar.loc[buurt, [b.teller, b.noemer]].astype(float)
                eenheden.append((int(code in g.codes), na, *waarde))
        d = pd.DataFrame(eenheden, columns=["wijk", "na", "teller", "noemer"])
        X = np.column_stack([d.noemer, d.noemer * d.wijk, d.noemer * d.na, d.noemer * d.wijk * d.na])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DomainWarning)  # the identity link: positive fitted rates here
            fit = sm.GLM(d.teller.to_numpy(), X, family=sm.families.Poisson(sm.families.links.Identity())).fit(scale="X2")
        dispersie = max(fit.scale, 1.0)
        se = np.sqrt(fit.cov_params()[3, 3] / fit.scale * dispersie) * b.schaal
        assert rij.schatting == pytest.approx(fit.params[3] * b.schaal, rel=1e-8)
        assert rij.se == pytest.approx(se, rel=1e-6)
        assert rij.p == pytest.approx(2 * stats.t.sf(abs(fit.params[3] * b.schaal / se), fit.df_resid), rel=1e-6)


def test_getallen_lezen_als_pandas():
    cellen = ["1.5", None, "-0", "3", "1e5", "+.5", "inf", "nan", "0x1A", "1_0", "5.", "-0.0", "9007199254740993"]
    for deel in (cellen, [c for c in cellen if c not in ("0x1A", "1_0")], ["-0", "2"], ["1", "2"], [None]):
        s = pd.Series(deel, dtype="str", name="k")
        pd.testing.assert_series_equal(_als_getal(s), pd.to_numeric(s, errors="coerce").astype("float64"))
        assert np.array_equal(np.signbit(_als_getal(s)), np.signbit(pd.to_numeric(s, errors="coerce")))
