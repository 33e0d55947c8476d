"""figuren and logicmodel: one visual language, Dutch numbers, source line, alt text, stable PNGs."""

from __future__ import annotations

import hashlib
import os
import re

import matplotlib.pyplot as plt
import pytest

from vwanalyse.weergave import figuren

from vwanalyse.weergave import logicmodel
from vwanalyse.resultaten.opslag import Rapport, zoek_rij
from vwanalyse.weergave import woorden
from vwanalyse.weergave.opmaak import verschil_tekst, waarde_tekst


@pytest.fixture(scope="module")
def r(config, demo_resultaten, demo_gegevens, tmp_path_factory):
    meta = {"databron": demo_gegevens.databron, "metingen": demo_gegevens.metingen,
            "ontbrekende_metingen": demo_gegevens.ontbrekende_metingen}
    return Rapport(config=config, tabel=demo_resultaten.tabel, effecten=demo_resultaten.effecten,
                   proces=demo_gegevens.proces, narratief=demo_gegevens.narratief, duiding=demo_gegevens.duiding,
                   meta=meta, map=tmp_path_factory.mktemp("leeg"))


@pytest.fixture
def in_tmp(tmp_path):
    oud = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(oud)


def _teksten(fig) -> list[str]:
    return [t.get_text().replace("\u00a0", " ").replace("\n", " ") for t in fig.texts]


def _figuren(r):
    return {
        "factsheet": figuren.pijler_indicatoren(r, "overvecht", 2023, "veiligheid"),
        "ontwikkeling": figuren.ontwikkeling(r, "vollenhove", "gezondheid"),
        "wijken": figuren.wijken_vergeleken(r, "roken"),
        "forest": figuren.effecten_forest(r, "batau"),
        "respons": figuren.respons(r),
        "onderdrukking": figuren.onderdrukking(r),
    }


def test_elke_figuur_heeft_titel_bron_aslabels_en_alt(r):
    for naam, fig in _figuren(r).items():
        assert fig is not None, naam
        try:
            assert fig._suptitle is not None and fig._suptitle.get_text(), naam
            bron = [t for t in _teksten(fig) if t.startswith("Bron: ")]
            assert bron and "bewerking RIVM/UU/GGDrU" in bron[0] and "DEMODATA, geen echte cijfers" in bron[0], naam
            for ax in fig.axes:
                if ax.get_visible():
                    assert ax.get_xlabel() or ax.get_ylabel(), f"{naam}: an axis without a label"
            assert len(fig.vw_alt) > 60 and fig.vw_naam
            assert fig.get_figwidth() <= 7.5, "readable on a phone"
        finally:
            plt.close(fig)


def test_bronregel_zonder_demodata(r):
    echt = Rapport(**{**r.__dict__, "meta": {**r.meta, "databron": {"naam": "GGD", "demodata": False}}})
    tekst = figuren.bronregel(echt, ["ggd_gezondheidsmonitor", "ggd_gezondheidsmonitor", "politie"])
    assert tekst == ("Bron: Gezondheidsmonitor Volwassenen en Ouderen, Geregistreerde criminaliteit; "
                     "bewerking RIVM/UU/GGDrU")


def test_asgetallen_nederlands(r):
    fig = figuren.wijken_vergeleken(r, "roken")
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    plt.close(fig)
    assert labels and all(re.fullmatch(r"\d+(,\d+)?%", lab) for lab in labels), labels
    fig = figuren.wijken_vergeleken(r, "rapportcijfer_veiligheid")
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    plt.close(fig)
    assert any("," in lab for lab in labels) and not any("." in lab for lab in labels), labels
    fig = figuren.wijken_vergeleken(r, "gasverbruik")
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    plt.close(fig)
    assert all(re.fullmatch(r"\d{1,3}(\.\d{3})*", lab) for lab in labels), labels


def test_waarde_en_verschil_tekst():
    assert waarde_tekst(0.2345, "%") == "23,5%"
    assert verschil_tekst(0.042, "%") == "+4,2 procentpunt"
    assert verschil_tekst(-0.5366, "rapportcijfer (1-10)") == "−0,5"
    assert waarde_tekst(1234.5, "m³ per woning") == "1.235"


def test_significantie_in_figuur_als_vorm_en_label(r):
    fig = figuren.pijler_indicatoren(r, "overvecht", 2025, "gezondheid")
    labels = _teksten(fig) + [t.get_text() for ax in fig.axes for t in ax.texts]
    legenda = [t.get_text() for t in fig.legends[0].get_texts()]
    plt.close(fig)
    # one label per indicator the results call ongunstiger than the rest of Utrecht (in the demo: all of them)
    t = r.tabel
    w = t[(t["gebied"] == "overvecht") & (t["meting"] == 2025) & (t["rol"] == "wijk") & (t["pijler"] == "gezondheid")]
    assert labels.count("▼ ongunstiger") == (w["oordeel_rest"] == "ongunstiger").sum() >= 7
    assert "▼ significant ongunstiger" in legenda
    for sleutel, o in woorden.OORDEEL_WEERGAVE.items():
        assert woorden.oordeel_label(sleutel) == f"{o.teken} {o.tekst}"
    assert woorden.oordeel_label(None) == "" and woorden.oordeel_label(float("nan")) == ""


def test_toon_schrijft_png_en_markdown_met_alt(r, in_tmp):
    fig = figuren.wijken_vergeleken(r, "roken")
    md = figuren.toon(fig, leeswijzer="Lees van links naar rechts.")
    pad = in_tmp / "figuren" / f"{fig.vw_naam}.png"
    assert pad.is_file() and pad.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    m = re.match(r"!\[([^\]]+)\]\(figuren/([^)]+)\.png\)", md.data)
    assert m and m.group(2) == fig.vw_naam and m.group(1).startswith("Stippendiagram")
    assert "*Zo lees je deze figuur:* Lees van links naar rechts." in md.data
    assert figuren.toon(None) is None
    naamloos = plt.figure()
    with pytest.raises(figuren.FiguurFout, match="een figuur heeft een bestandsnaam en een alt-tekst nodig"):
        figuren.toon(naamloos, naam="zonder-alt")
    assert not plt.fignum_exists(naamloos.number) and not (in_tmp / "figuren" / "zonder-alt.png").exists()


def test_png_bytestabiel(r, tmp_path, monkeypatch):
    hashes = []
    for i in range(2):
        map = tmp_path / str(i)
        map.mkdir()
        monkeypatch.chdir(map)  # restored after the test: later tests find the project from the working directory
        fig = figuren.pijler_indicatoren(r, "vollenhove", 2025, "gezondheid")
        figuren.toon(fig, naam="stabiel", alt="test")
        hashes.append(hashlib.sha256((map / "figuren" / "stabiel.png").read_bytes()).hexdigest())
    assert hashes[0] == hashes[1]
    data = (tmp_path / "0" / "figuren" / "stabiel.png").read_bytes()
    assert b"Software" not in data and b"matplotlib" not in data.lower()


def test_onderdrukt_in_figuur_als_x(r):
    rij = r.tabel[r.tabel["onderdrukt"] & (r.tabel["rol"] == "wijk")].iloc[0]
    fig = figuren.pijler_indicatoren(r, rij["gebied"], int(rij["meting"]), rij["pijler"])
    teksten = [t.get_text() for ax in fig.axes for t in ax.texts]
    plt.close(fig)
    assert "x" in teksten and "x niet gepubliceerd" in teksten
    assert "niet gepubliceerd (x)" in fig.vw_alt


def test_geen_figuur_zonder_gegevens(r):
    leeg = Rapport(**{**r.__dict__, "tabel": r.tabel[r.tabel["meting"] != 2025]})
    assert figuren.pijler_indicatoren(leeg, "overvecht", 2025, "gezondheid") is None


def test_logicmodel(r, config):
    for gebied in config.gebied:
        context, rijen, laatste = logicmodel.model(r, gebied)
        lm = config.logicmodellen[gebied]
        assert laatste == config.metingen[-1].jaar and len(context) == len(lm.context)
        assert sorted(p.split()[0] for rij in rijen for p in rij.proces
                      if p[0].isupper() and p.split()[0][-1].isdigit()) == sorted(p.id for p in lm.projecten)
        fig = logicmodel.diagram(r, gebied)
        teksten = " ".join(t.get_text() for t in fig.axes[0].texts)
        plt.close(fig)
        assert "Context" in teksten and "Outcome" in teksten and "Bron: " in teksten and "DEMODATA" in teksten
        if gebied == "overvecht":
            assert "Rijk € 2.650.000" in teksten
        if gebied == "batau":
            assert "vertrouwelijk" in teksten
        assert "Logic model" in fig.vw_alt and fig.vw_naam == f"wijkprofiel-{gebied}-logicmodel"


def test_logicmodel_markeert_outcome_met_oordeel_nulmeting(r):
    _, rijen, laatste = logicmodel.model(r, "overvecht")
    t = r.tabel
    w = t[(t["gebied"] == "overvecht") & (t["rol"] == "wijk") & (t["meting"] == laatste)]
    naam_naar_oordeel = {r.config.indicator[i].naam: o for i, o in zip(w["indicator"], w["oordeel_nulmeting"])}
    for rij in rijen:
        for naam, o in rij.outcome:
            assert o == naam_naar_oordeel[naam]


def test_zoek_rij_op_categorieen_en_lege_waarden():
    import pandas as pd

    t = pd.DataFrame({"indicator": pd.Categorical(["a", "b", "b"]), "meting": pd.array([2021, None, 2023], dtype="Int64"),
                      "rol": ["wijk", "wijk", "gemeente"], "x": [1.0, 2.0, 3.0]})
    assert zoek_rij(t, indicator="b", rol="gemeente")["x"] == 3.0
    assert zoek_rij(t, indicator="b")["x"] == 2.0  # the first match
    assert zoek_rij(t, indicator="b", meting=2023)["x"] == 3.0  # a missing meting is no match
    assert zoek_rij(t, indicator="onbekend") is None
    assert zoek_rij(t.iloc[:0], indicator="a") is None
