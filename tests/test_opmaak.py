import math

import numpy as np
import pandas as pd
import pytest

from vwanalyse.weergave import opmaak


@pytest.mark.parametrize("x, dec, verwacht", [
    (1234.56, 1, "1.234,6"), (0.05, 2, "0,05"), (-3.25, 1, "\u22123,3"), (1234567, 0, "1.234.567"),
    (-0.04, 1, "0,0"), (None, 1, "."), (math.nan, 1, "."),
])
def test_getal(x, dec, verwacht):
    assert opmaak.getal(x, dec) == verwacht


def test_percentage_verschil_euro_interval():
    assert opmaak.percentage(0.2345) == "23,5%"
    assert opmaak.verschil(0.034 * 100, 1, " procentpunt") == "+3,4 procentpunt"
    assert opmaak.verschil(-2.0) == "\u22122,0"
    assert opmaak.verschil(0.01) == "0,0"
    assert opmaak.euro(3530000) == "€ 3.530.000"
    assert opmaak.interval(0.213, 0.258, schaal=100) == "21,3\u201325,8"
    assert opmaak.p_waarde(0.0004) == "< 0,001" and opmaak.p_waarde(0.0312) == "0,031"
    assert opmaak.verschil_interval(-0.107, 0.024, "%") == "\u221210,7 tot +2,4 procentpunt"
    assert opmaak.verschil_interval(-0.3, 0.25, "rapportcijfer (1-10)") == "\u22120,3 tot +0,3"
    assert opmaak.verschil_interval(None, 0.25, "%") == f"{opmaak.ONBEKEND} tot +25,0 procentpunt"


def test_markdown_tabel_maakt_koppen_en_cellen_veilig():
    from vwanalyse.weergave.opmaak import markdown_tabel

    assert markdown_tabel(["a|b", "c"], [["x\ny", 1], ["p|q ", None]]) == (
        "| a\\|b | c |\n|---|---|\n| x y | 1 |\n| p\\|q | None |\n")


def test_interval_zo_precies_als_het_is():
    # an interval of 10 units or wider in whole numbers, a narrow one to one decimal
    assert opmaak.interval(0.143, 0.481, 1, 100) == "14–48"
    assert opmaak.interval(0.213, 0.258, 1, 100) == "21,3–25,8"
    assert opmaak.interval(7.41, 7.72) == "7,4–7,7"


def test_respondenten_en_kleine_n():
    assert opmaak.respondenten(43) == "n = 43, klein"
    assert opmaak.respondenten(1234) == "n = 1.234"
    assert opmaak.respondenten(opmaak.KLEIN_N) == f"n = {opmaak.KLEIN_N}"
    assert opmaak.respondenten(None) == "" and opmaak.respondenten(float("nan")) == ""


@pytest.mark.parametrize("x, verwacht", [
    (np.float64(0.7229830941128456), "0,7229830941"), (0.8, "0,8"), (1234567.0, "1.234.567"), (np.int64(42), "42"),
    (1e20, "1 × 10^20"), (6.6e17, "6,6 × 10^17"), (-2.5e-8, "\u22122,5 × 10^-8"), (math.nan, "leeg"), (None, "leeg"),
    (pd.NA, "leeg"), (np.bool_(True), "ja"), (False, "nee"), ("x", "'x'"), (math.inf, "oneindig"),
])
def test_precies_schrijft_een_waarde_zoals_een_lezer(x, verwacht):
    """How `verify` names a value: Dutch notation, never numpy's repr."""
    assert opmaak.precies(x) == verwacht
