"""Estimates against independent reference values from R's survey package (tests/referentie)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from vwanalyse.statistiek.oordelen import oordelen as oordeel
from vwanalyse.statistiek.schatting import (Ontwerp, poisson_interval, register_schatting, survey_schatting,
                                 verschil_in_verschillen, verschiltoets)

REF = Path(__file__).parent / "referentie"


def _referentie(fixture, variabele):
    ref = pd.read_csv(REF / "referentie_survey.csv")
    return ref[(ref.fixture == fixture) & (ref.variabele == variabele)].set_index("gebied")


def _ontwerp(df, gestratificeerd):
    gebieden = sorted(df.gebied.unique())
    domein = df.gebied.map({g: i for i, g in enumerate(gebieden)}).to_numpy()
    ontwerp = Ontwerp.maak(df.w.to_numpy(), np.arange(len(df)), domein, len(gebieden),
                           stratum=df.stratum.to_numpy() if gestratificeerd else None,
                           psu=df.psu.to_numpy() if gestratificeerd else None)
    return ontwerp, gebieden


@pytest.mark.parametrize("fixture, gestratificeerd", [("survey_srs", False), ("survey_strat", True)])
@pytest.mark.parametrize("variabele, soort", [("y", "proportie"), ("x", "gemiddelde")])
def test_domeinschattingen_gelijk_aan_r(fixture, gestratificeerd, variabele, soort):
    df = pd.read_csv(REF / f"{fixture}.csv")
    ontwerp, gebieden = _ontwerp(df, gestratificeerd)
    uit = survey_schatting(ontwerp, df[variabele].to_numpy(), soort)
    uit.index = gebieden
    ref = _referentie(fixture, variabele)
    assert list(ref.index) == gebieden
    np.testing.assert_allclose(uit.schatting, ref.schatting, rtol=0, atol=1e-10)
    np.testing.assert_allclose(uit.se, ref.se, rtol=0, atol=1e-8)
    # svyciprop fits a glm iteratively: its logit interval agrees to ~1e-8 (see referentie/README.md)
    np.testing.assert_allclose(uit.ci_laag, ref.ci_laag, rtol=0, atol=1e-7)
    np.testing.assert_allclose(uit.ci_hoog, ref.ci_hoog, rtol=0, atol=1e-7)
    np.testing.assert_array_equal(uit.n_ongewogen, ref.n_ongewogen)
    np.testing.assert_allclose(uit.som_gewichten, ref.som_gewichten, rtol=1e-12)


def test_gelijke_gewichten_met_de_hand():
    df = pd.read_csv(REF / "survey_randgevallen.csv")
    df = df[df.geval == "gelijke_gewichten"]
    ontwerp = Ontwerp.maak(df.w.to_numpy(), np.arange(len(df)), np.zeros(len(df), int), 1)
    uit = survey_schatting(ontwerp, df.y.to_numpy(), "proportie").iloc[0]
    p, n = 7 / 20, 20
    # equal weights: SE = sqrt(p(1-p)/(n-1)), deff = 1
    assert uit.schatting == pytest.approx(p, abs=1e-12)
    assert uit.se == pytest.approx(np.sqrt(p * (1 - p) / (n - 1)), abs=1e-12)
    assert uit.deff == pytest.approx(1.0) and uit.n_effectief == pytest.approx(20)
    ref = _referentie("randgevallen", "y").loc["gelijke_gewichten"]
    assert uit.se == pytest.approx(ref.se, abs=1e-10)
    assert uit.ci_laag == pytest.approx(ref.ci_laag, abs=1e-7)


@pytest.mark.parametrize("geval, verwacht", [("alles_ja", 1.0), ("alles_nee", 0.0)])
def test_alles_ja_of_nee(geval, verwacht):
    df = pd.read_csv(REF / "survey_randgevallen.csv")
    df = df[df.geval == geval]
    ontwerp = Ontwerp.maak(df.w.to_numpy(), np.arange(len(df)), np.zeros(len(df), int), 1)
    uit = survey_schatting(ontwerp, df.y.to_numpy(), "proportie").iloc[0]
    assert uit.schatting == verwacht and uit.se == 0
    # R returns a meaningless interval here (a non-converged glm); we report none
    assert np.isnan(uit.ci_laag) and np.isnan(uit.ci_hoog)


def test_een_respondent_en_alles_ontbrekend():
    ontwerp = Ontwerp.maak(np.array([1.7, 1.0, 2.0]), np.arange(3), np.array([0, 1, 1]), 2)
    uit = survey_schatting(ontwerp, np.array([1.0, np.nan, np.nan]), "proportie")
    assert uit.schatting[0] == 1 and uit.n_ongewogen[0] == 1
    assert uit.n_ongewogen[1] == 0 and np.isnan(uit.schatting[1]) and np.isnan(uit.se[1])


def test_overlappende_domeinen():
    """A respondent in both its wijk and its gemeente: each domain equals its own subset estimate."""
    df = pd.read_csv(REF / "survey_srs.csv")
    n = len(df)
    in_a = np.flatnonzero(df.gebied == "A")
    rij = np.concatenate([in_a, np.arange(n)])
    domein = np.concatenate([np.zeros(len(in_a), int), np.ones(n, int)])
    ontwerp = Ontwerp.maak(df.w.to_numpy(), rij, domein, 2)
    uit = survey_schatting(ontwerp, df.y.to_numpy(), "proportie")
    ref = _referentie("survey_srs", "y").loc["A"]
    assert uit.schatting[0] == pytest.approx(ref.schatting, abs=1e-12)
    assert uit.se[0] == pytest.approx(ref.se, abs=1e-12)
    geldig = df.y.notna()
    assert uit.schatting[1] == pytest.approx(np.average(df.y[geldig], weights=df.w[geldig]), abs=1e-12)


def test_poisson_gelijk_aan_r():
    ref = pd.read_csv(REF / "referentie_poisson.csv")
    laag, hoog = poisson_interval(ref.teller.to_numpy())
    np.testing.assert_allclose(laag, ref.ci_laag_telling, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(hoog, ref.ci_hoog_telling, rtol=1e-10)
    uit = register_schatting(ref.teller, ref.noemer, 1000, poisson=True)
    np.testing.assert_allclose(uit.ci_hoog, ref.ci_hoog_telling / ref.noemer * 1000, rtol=1e-10)


def test_verschil_in_verschillen_gelijk_aan_svyglm():
    df = pd.read_csv(REF / "survey_did.csv")
    ref = pd.read_csv(REF / "referentie_did.csv").set_index(["methode", "term"])
    uit = verschil_in_verschillen(df.y, df.w, df.wijk, df.post)
    assert uit["schatting"] == pytest.approx(ref.loc[("svyglm", "wijk:post"), "schatting"], abs=1e-10)
    assert uit["se"] == pytest.approx(ref.loc[("svyglm", "wijk:post"), "se"], abs=1e-8)


def test_verschiltoets_en_oordeel():
    t = verschiltoets([0.30, 0.30, 0.30, 5.0], [0.01, 0.01, 0.05, np.nan], [0.25, 0.35, 0.28, 4.0], [0.01, 0.01, 0.05, np.nan])
    assert t.verschil[0] == pytest.approx(0.05)
    assert t.se_verschil[0] == pytest.approx(np.sqrt(2) * 0.01)
    assert t.p[0] < 0.001 and t.p[2] > 0.05
    o = oordeel(t.verschil, t.p, np.array(["hoger_gunstig", "lager_gunstig", "hoger_gunstig", "lager_gunstig"]))
    assert list(o) == ["gunstiger", "gunstiger", "geen_verschil", "niet_getoetst"]
    assert list(oordeel([0.1, -0.1], [0.01, 0.01], "neutraal")) == ["hoger", "lager"]
    assert list(oordeel([0.1], [0.01], "lager_gunstig")) == ["ongunstiger"]
