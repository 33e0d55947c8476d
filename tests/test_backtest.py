"""Back-test: the demo results equal the frozen tables in tests/backtest/ (see its README).

An intended change is accepted with `vwanalyse backtest --accepteer` and a reviewed diff.
"""

import io

import pytest

from vwanalyse.controle import backtest


@pytest.mark.parametrize("naam", ["resultaten", "effecten"])
def test_resultaten_gelijk_aan_bevroren(demo_resultaten, project, naam):
    tabel = demo_resultaten.tabel if naam == "resultaten" else demo_resultaten.effecten
    assert not tabel.duplicated(backtest.SLEUTELS[naam]).any(), f"the key {backtest.SLEUTELS[naam]} must be unique"
    bevroren = (project.backtest_map / f"{naam}.csv").read_text(encoding="utf-8")
    verschillen = backtest.vergelijk(backtest.als_tekst(tabel, naam), bevroren, naam)
    assert not verschillen, ("the results differ from the frozen back-test table; if the change is intended, "
                             "run `vwanalyse backtest --accepteer` and review the git diff:\n"
                             + "\n".join(verschillen))


@pytest.fixture(scope="module")
def bevroren(demo_resultaten):
    return backtest.als_tekst(demo_resultaten.tabel, "resultaten")


def _wijzig(tekst, functie):
    import io

    import pandas as pd

    df = pd.read_csv(io.StringIO(tekst), keep_default_na=False, na_values=[""])
    return functie(df).to_csv(index=False, lineterminator="\n")


def test_vergelijking_ziet_elke_soort_verschil(bevroren):
    rij = bevroren.splitlines()[1].split(",")  # the first row in key order
    eerste = f"gebied={rij[0]} meting={rij[1]} indicator={rij[2]} rol={rij[4]}"
    assert backtest.vergelijk(bevroren, bevroren, "resultaten") == []

    def klein(df):  # below the tolerance: rounding noise
        df.loc[0, "schatting"] *= 1 + 1e-12
        return df
    assert backtest.vergelijk(_wijzig(bevroren, klein), bevroren, "resultaten") == []

    def waarde(df):
        df.loc[0, "schatting"] *= 1 + 1e-6
        return df
    (melding,) = backtest.vergelijk(_wijzig(bevroren, waarde), bevroren, "resultaten")
    assert melding.startswith(f"resultaten: {eerste}: schatting ") and " in de bevroren tabel, nu " in melding

    def tekst(df):
        df.loc[3, "oordeel_rest"] = "gunstiger" if df.loc[3, "oordeel_rest"] != "gunstiger" else "lager"
        return df
    assert "oordeel_rest" in backtest.vergelijk(_wijzig(bevroren, tekst), bevroren, "resultaten")[0]

    def nan(df):  # a published value disappears
        df.loc[0, "schatting"] = float("nan")
        return df
    (melding,) = backtest.vergelijk(_wijzig(bevroren, nan), bevroren, "resultaten")
    assert melding.startswith(f"resultaten: {eerste}: schatting 0.") and melding.endswith("in de bevroren tabel, nu leeg")

    (melding,) = backtest.vergelijk(_wijzig(bevroren, lambda df: df.drop(columns="deff")), bevroren, "resultaten")
    assert melding == "resultaten: de kolommen verschillen; ontbreken: ['deff']; nieuw: -"

    minder = backtest.vergelijk(_wijzig(bevroren, lambda df: df.iloc[1:]), bevroren, "resultaten")
    assert minder[0].startswith("resultaten: vorm (")
    assert minder[1] == f"resultaten: ontbrekende rij {eerste}"


def test_veel_verschillen_worden_afgekapt(bevroren):
    def alles(df):
        df["schatting"] = df["schatting"] + 1
        return df
    verschillen = backtest.vergelijk(_wijzig(bevroren, alles), bevroren, "resultaten")
    assert len(verschillen) == backtest.MAX_VERSCHILLEN + 1 and verschillen[-1].startswith("... en nog ")


def test_accepteren_houdt_ongewijzigde_rijen_letterlijk(bevroren):
    """Accepting keeps the frozen line of every row within the tolerances (no rounding noise in the
    diff), takes the new line of a row that really changed, and adds and drops rows."""
    regels = bevroren.splitlines()

    def nieuw(df):
        df.loc[0, "schatting"] *= 1 + 1e-13   # noise: the frozen line stays
        df.loc[1, "schatting"] *= 1 + 1e-6    # a real change: the new line
        extra = df.iloc[[2]].assign(gebied="nieuwewijk")
        return pd.concat([df.iloc[:-1], extra]).sort_values(backtest.SLEUTELS["resultaten"], kind="stable")
    import pandas as pd

    tekst = backtest.als_tekst(pd.read_csv(io.StringIO(_wijzig(bevroren, nieuw)), keep_default_na=False,
                                           na_values=[""]), "resultaten")
    samen = backtest.samenvoegen(tekst, bevroren, "resultaten").splitlines()
    assert regels[1] in samen and regels[1] not in tekst.splitlines()
    assert regels[2] not in samen
    assert regels[-1] not in samen and sum(r.startswith("nieuwewijk,") for r in samen) == 1
    assert backtest.vergelijk(tekst, "\n".join(samen) + "\n", "resultaten") == []
