"""The results table on the demo data: structure, disclosure control, and recovery of the truth."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from vwanalyse.demodata import generator as demodata
from vwanalyse.invoer.bronnen import laad_gegevens
from vwanalyse.resultaten.berekening import bereken_resultaten
from vwanalyse.resultaten.opslag import lees_resultaten, schrijf
from vwanalyse.resultaten.schema import KOLOMMEN

DEEL_NAAR_ROL = {"gebied": "wijk", "rest": "rest_gemeente", "gemeente": "gemeente"}


def _waarheid(pad) -> pd.DataFrame:
    w = pd.read_csv(pad, sep=";", decimal=",", encoding="utf-8-sig")
    return w.assign(rol=w["deel"].map(DEEL_NAAR_ROL))


def _dekking(tabel: pd.DataFrame, waarheid: pd.DataFrame) -> tuple[float, int]:
    m = tabel.merge(waarheid[["gebied", "rol", "meting", "indicator", "waarde"]],
                    on=["gebied", "rol", "meting", "indicator"])
    m = m[m["statistiek"].str.startswith("survey_") & ~m["onderdrukt"] & m["ci_laag"].notna()]
    binnen = (m["ci_laag"] <= m["waarde"]) & (m["waarde"] <= m["ci_hoog"])
    return float(binnen.mean()), len(m)


def test_een_rij_per_gebied_meting_indicator_rol(config, demo_resultaten):
    t = demo_resultaten.tabel
    assert list(t.columns) == KOLOMMEN
    assert not t.duplicated(["gebied", "meting", "indicator", "rol"]).any()
    for g in config.gebieden:
        verwacht = {i.id for i in config.indicatoren_voor(g.id)}
        assert set(t.loc[(t.gebied == g.id) & (t.rol == "wijk"), "indicator"]) == verwacht
    # Batau = two CBS wijken summed; Vollenhove = one buurt
    assert t.loc[(t.gebied == "batau") & (t.rol == "wijk"), "regiocode"].iloc[0] == "WK035603+WK035604"


def test_register_is_som_van_cbs_codes(demo_gegevens, demo_resultaten):
    reg = demo_gegevens.register
    rij = demo_resultaten.tabel.query("gebied == 'batau' and rol == 'wijk' and indicator == 'misdrijven' and meting == 2023").iloc[0]
    jaar = reg[reg.jaar == rij.peiljaar].set_index("gebiedscode")
    teller = jaar.loc[["WK035603", "WK035604"], "misdrijven"].sum()
    noemer = jaar.loc[["WK035603", "WK035604"], "inwoners"].sum()
    assert rij.teller == teller and rij.noemer == noemer
    assert rij.schatting == pytest.approx(1000 * teller / noemer)
    rest = demo_resultaten.tabel.query("gebied == 'batau' and rol == 'rest_gemeente' and indicator == 'misdrijven' and meting == 2023").iloc[0]
    assert rest.teller == jaar.loc["GM0356", "misdrijven"] - teller


def test_onderdrukte_waarden_zijn_leeg_en_niet_vergeleken(config, demo_resultaten):
    t = demo_resultaten.tabel
    onderdrukt = t[t.onderdrukt]
    assert len(onderdrukt) > 0, "Vollenhove's small samples must trigger suppression"
    assert onderdrukt[["schatting", "se", "ci_laag", "ci_hoog"]].isna().all().all()
    assert (onderdrukt.reden != "").all()
    assert onderdrukt.loc[onderdrukt.rol == "wijk", "oordeel_rest"].eq("niet_getoetst").all()
    klein = t[(t.statistiek.str.startswith("survey_")) & (t.n_ongewogen < config.instellingen.onthulling.min_n)]
    assert klein.onderdrukt.all() and (klein.reden == "n<30").all()
    # a suppressed value is never used in a change test
    nul = t[(t.rol == "wijk") & t.onderdrukt & (t.meting == 2021)]
    later = t.merge(nul[["gebied", "indicator", "rol"]], on=["gebied", "indicator", "rol"])
    assert later.loc[later.meting > 2021, "verschil_nulmeting"].isna().all()


def test_geen_verandertoets_over_trendbreuk(demo_resultaten):
    t = demo_resultaten.tabel
    advies = t[(t.indicator == "schooladvies_havo_vwo") & (t.rol == "wijk") & (t.meting == 2025)]
    assert (advies.oordeel_nulmeting == "trendbreuk").all() and advies.verschil_nulmeting.isna().all()


def test_betrouwbaarheidsintervallen_bevatten_de_waarheid(demo_resultaten, project):
    dekking, n = _dekking(demo_resultaten.tabel, _waarheid(project.demo_map / "waarheid.csv"))
    assert n > 500
    assert dekking >= 0.92, f"95% intervals cover the truth in only {dekking:.1%} of {n} estimates"


@pytest.mark.traag
def test_dekking_met_een_ander_zaad(config, tmp_path, monkeypatch):
    """The committed seed was picked for a readable demo; a fresh seed must give honest coverage too."""
    monkeypatch.setattr(demodata, "ZAAD", 4242)
    demodata.genereer(tmp_path, config)
    resultaten = bereken_resultaten(config, laad_gegevens(tmp_path, config))
    dekking, n = _dekking(resultaten.tabel, _waarheid(tmp_path / "waarheid.csv"))
    assert dekking >= 0.92, f"{dekking:.1%} of {n}"


@pytest.mark.parametrize("effect, gebied, indicator, oordeel", [
    ("E1", "overvecht", "onveilig_buurt", "gunstiger"),
    ("E2", "batau", "eenzaamheid_ernstig", "ongunstiger"),
    ("E3", "soesterkwartier", "beweegrichtlijn", "gunstiger"),
])
def test_ingebouwde_effecten_gevonden(demo_resultaten, effect, gebied, indicator, oordeel):
    e = demo_resultaten.effecten.query("gebied == @gebied and indicator == @indicator and meting == 2025").iloc[0]
    assert e.oordeel == oordeel


def test_verschil_in_verschillen_dekt_de_waarheid(demo_resultaten, project):
    w = _waarheid(project.demo_map / "waarheid.csv").set_index(["gebied", "indicator", "rol", "meting"])["waarde"]
    e = demo_resultaten.effecten
    waar = [(w[g, i, "wijk", m] - w[g, i, "wijk", b]) - (w[g, i, "rest_gemeente", m] - w[g, i, "rest_gemeente", b])
            for g, i, m, b in zip(e.gebied, e.indicator, e.meting, e.basismeting)]
    dekking = ((e.ci_laag <= waar) & (np.array(waar) <= e.ci_hoog)).mean()
    assert len(e) > 80 and dekking >= 0.9, f"{dekking:.1%} of {len(e)}"


def test_schrijven_en_lezen(tmp_path, demo_resultaten, demo_gegevens, config):
    schrijf(tmp_path, demo_resultaten, demo_gegevens, config)
    terug = lees_resultaten(tmp_path)
    pd.testing.assert_frame_equal(terug.tabel, demo_resultaten.tabel)
    assert (tmp_path / "resultaten.csv").is_file() and (tmp_path / "resultaten_schema.csv").is_file()
    assert not list(tmp_path.rglob(".*.tmp"))
    # the configuration the results were computed with travels with them
    assert sorted(p.relative_to(tmp_path / "config") for p in (tmp_path / "config").rglob("*.yml")) == \
        sorted(p.relative_to(config.map) for p in Path(config.map).rglob("*.yml"))
    # one slice per gebied, and nothing rewritten when nothing changed
    assert {p.name for p in (tmp_path / "gebied").iterdir()} == {g.id for g in config.gebieden}
    tijden = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.parquet") if "gebied" in p.parts}
    schrijf(tmp_path, demo_resultaten, demo_gegevens, config)
    assert {p: p.stat().st_mtime_ns for p in tijden} == tijden
