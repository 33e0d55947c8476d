"""Confidentiality scan: planted leaks are found, the real build has none."""

import nbformat
import pandas as pd
from pathlib import Path

import pytest

from vwanalyse.controle import vertrouwelijkheid
from vwanalyse.resultaten.context import context_wijken

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to

DEMO = ROOT / "data" / "demo"
BEVROREN = ROOT / "tests" / "backtest" / "resultaten.csv"
EFFECTEN = ROOT / "tests" / "backtest" / "effecten.csv"


def _tabel_html(kop, rijen):
    return ("<table><thead><tr>" + "".join(f"<th>{k}</th>" for k in kop) + "</tr></thead><tbody>"
            + "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in rijen) + "</tbody></table>")


@pytest.fixture(scope="module")
def een_id(demo_gegevens):
    return str(demo_gegevens.survey["ggd_gezondheidsmonitor"]["respondent_id"].iloc[1])


def _site(map, een_id):
    """A small site with ordinary content: aggregates, numbers, the results table."""
    (map / "book").mkdir(parents=True)
    (map / "book" / "wijk.html").write_text(
        "<p>In 2022 antwoordden 678 mensen (000002 is geen id); zie figuur 2.</p>"
        + _tabel_html(["Gebied", "Meting", "Percentage"], [["Overvecht", 2023, "67,7"]] * 40), encoding="utf-8")
    (map / "resultaten.csv").write_text(BEVROREN.read_text(encoding="utf-8"), encoding="utf-8")
    (map / "effecten.csv").write_text(EFFECTEN.read_text(encoding="utf-8"), encoding="utf-8")
    return map


def test_schone_site_heeft_geen_vondsten(tmp_path, config, een_id):
    verslag = vertrouwelijkheid.scan([_site(tmp_path / "html", een_id)], config, DEMO)
    assert verslag.vondsten == []
    assert verslag.bestanden == 3 and verslag.ids > 40_000 and verslag.ids_te_kort == 0


def test_maximum_telt_resultaten_en_context(config, demo_gegevens):
    wijken = len(context_wijken(config, demo_gegevens))
    assert wijken > 4 * len(config.gebieden), "the demo holds every wijk of the four gemeenten"
    per_cel = len(config.metingen) * len(config.indicatoren)
    assert vertrouwelijkheid.max_aggregaatrijen(config) == len(config.gebieden) * 5 * per_cel
    assert vertrouwelijkheid.max_aggregaatrijen(config, wijken) == (len(config.gebieden) * 5 + wijken) * per_cel


def test_geplante_lekken_worden_gevonden(tmp_path, config, een_id, demo_gegevens):
    maximum = vertrouwelijkheid.max_aggregaatrijen(config, len(context_wijken(config, demo_gegevens)))
    site = _site(tmp_path / "html", een_id)
    (site / "book" / "lek.html").write_text(f"<p>Zie respondent {een_id}.</p>", encoding="utf-8")
    (site / "book" / "frame.html").write_text(_tabel_html(["respondent", "Gewicht", "roken"], [["a", 1.2, 0]]),
                                              encoding="utf-8")
    groot = maximum + 500  # more rows than the results can have
    pd.DataFrame({"gebied": ["x"] * groot, "waarde": range(groot)}).to_csv(site / "groot.csv", index=False)
    pd.DataFrame({"psu": ["a"], "y": [1]}).to_parquet(site / "slice.parquet")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("df", outputs=[nbformat.v4.new_output(
        "execute_result", {"text/plain": f"...\n[{groot + 1000} rows x 3 columns]",
                           "text/html": _tabel_html(["stratum", "y"], [[1, 2]])}, execution_count=1)])]
    nbformat.write(nb, site / "analyse.ipynb")
    resultaten = pd.read_csv(BEVROREN, keep_default_na=False, na_values=[""])
    onderdrukt = resultaten.index[resultaten["onderdrukt"]][0]
    resultaten.loc[onderdrukt, "ci_hoog"] = 0.5
    klein = resultaten.index[~resultaten["onderdrukt"] & resultaten["statistiek"].str.startswith("survey")][0]
    resultaten.loc[klein, "n_ongewogen"] = 12
    # derived leaks: a secondarily suppressed rest published again gives the suppressed wijk back;
    # a DiD from a suppressed rest (the demo's leak of issue 12); a change from a suppressed meting
    secundair = resultaten.index[(resultaten["reden"] == "secundair (anders af te leiden)")
                                 & (resultaten["rol"] == "rest_gemeente")][0]
    resultaten.loc[secundair, ["onderdrukt", "reden", "schatting"]] = [False, None, 0.3]
    sleutel3 = ["gebied", "indicator", "rol"]
    vorige = resultaten.merge(resultaten.loc[resultaten["onderdrukt"], sleutel3 + ["meting"]].rename(
        columns={"meting": "vorige_meting"}), on=sleutel3 + ["vorige_meting"], how="left", indicator=True)["_merge"]
    later = resultaten.index[~resultaten["onderdrukt"] & (vorige == "both").to_numpy()][0]
    resultaten.loc[later, "verschil_vorige"] = 0.01
    resultaten.to_csv(site / "resultaten.csv", index=False)
    effecten = pd.read_csv(EFFECTEN)
    pd.concat([effecten, effecten.iloc[:1].assign(gebied="batau", indicator="geluidhinder", meting=2023)]).to_csv(
        site / "effecten.csv", index=False)

    verslag = vertrouwelijkheid.scan([site], config, DEMO)
    vondsten = verslag.vondsten
    assert verslag.max_rijen == maximum
    sleutel = lambda i: " ".join(str(resultaten.loc[i, k]) for k in ("gebied", "meting", "indicator", "rol"))
    drie = " ".join(str(resultaten.loc[secundair, k]) for k in ("gebied", "meting", "indicator"))
    assert sorted(vondsten) == sorted([
        f"html/book/lek.html: 1 respondent-id('s), bijvoorbeeld {een_id}",
        "html/book/frame.html: tabel 1: een tabel met enquêtevariabelen als kolommen (Gewicht)",
        f"html/groot.csv: een tabel van {groot} rijen, meer dan de {maximum} geaggregeerde cellen die er kunnen zijn",
        "html/slice.parquet: een tabel met enquêtevariabelen als kolommen (psu)",
        "html/analyse.ipynb: cel 1: een tabel met enquêtevariabelen als kolommen (stratum)",
        f"html/analyse.ipynb: cel 1: een tabel van {groot + 1000} rijen, meer dan de {maximum} geaggregeerde cellen die er "
        "kunnen zijn",
        f"html/resultaten.csv: ci_hoog gepubliceerd voor onderdrukte rijen: {sleutel(onderdrukt)}",
        f"html/resultaten.csv: enquêterijen gepubliceerd met n_ongewogen onder 30: {sleutel(klein)}",
        f"html/resultaten.csv: een onderdrukt cijfer volgt uit de gepubliceerde andere twee van wijk, rest_gemeente "
        f"en gemeente (secundaire onderdrukking ontbreekt): {drie}",
        f"html/resultaten.csv: verschil_vorige gepubliceerd terwijl een rij waaruit het berekend is, onderdrukt is: "
        f"{sleutel(later)}",
        "html/effecten.csv: verschil-in-verschillen gepubliceerd uit een onderdrukte rij van wijk of rest_gemeente: "
        "batau geluidhinder 2021 2023",
    ])


def test_korte_numerieke_ids_alleen_via_rijniveau():
    assert not vertrouwelijkheid.herkenbaar("12345")
    assert vertrouwelijkheid.herkenbaar("123456") and vertrouwelijkheid.herkenbaar("A17")


def test_onleesbare_tabel_wordt_gemeld(tmp_path, config):
    (tmp_path / "kapot.parquet").write_bytes(b"geen parquet")
    (vondst,) = vertrouwelijkheid.scan([tmp_path], config, DEMO).vondsten
    assert vondst.startswith(f"{tmp_path.name}/kapot.parquet: niet als tabel te lezen, dus niet te controleren")


@pytest.mark.traag
def test_gebouwd_boek_bevat_geen_respondentgegevens(gebouwd_boek, config):
    mappen = [gebouwd_boek, ROOT / "book" / "uitvoer", ROOT / "_build" / "resultaten"]
    verslag = vertrouwelijkheid.scan(mappen, config, DEMO)
    assert verslag.vondsten == []
    notebooks = list((ROOT / "book" / "uitvoer").glob("*.ipynb"))
    assert len(notebooks) >= 23 and verslag.bestanden > 300, "the scan must have seen the whole build"
    assert sum(len(vertrouwelijkheid._html_tabellen(p.read_text(encoding="utf-8")))
               for p in gebouwd_boek.rglob("*.html")) > 20, "the HTML tables must have been checked"
