"""The explorer's context: the kernset for every wijk of the four gemeenten, with the monitor's
disclosure rules and complementary suppression across wijken, and the "wijken zoals deze" rule."""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from vwanalyse.model.configuratie import laad_configuratie
from vwanalyse.model.schema import ConfigFout
from vwanalyse.resultaten import context as ctx


@pytest.fixture(scope="module")
def context(config, demo_gegevens):
    return ctx.bereken_context(config, demo_gegevens)


def _groepen_met_een_onderdrukte(config, tabel: pd.DataFrame) -> list[str]:
    """The groups of wijken whose total is published elsewhere with exactly one suppressed wijk
    beside published ones: that wijk would follow by subtraction."""
    lid = ctx._groepen(config, tabel["wijkcode"])
    rij = tabel.loc[lid["rij"]]
    lid = lid.assign(sleutel=lid["groep"].to_numpy() + " " + rij["meting"].astype(str).to_numpy() + " "
                     + rij["indicator"].astype(str).to_numpy(), x=rij["onderdrukt"].to_numpy(),
                     p=rij["schatting"].notna().to_numpy())
    telling = lid.groupby("sleutel").agg(x=("x", "sum"), p=("p", "sum"))
    return sorted(telling.index[(telling["x"] == 1) & (telling["p"] > 0)])


def test_elke_wijk_van_de_gemeenten(config, demo_gegevens, context):
    wijken = set(context["wijkcode"])
    survey = {c for df in demo_gegevens.survey.values() for c in df["wijkcode"].unique()}
    assert survey <= wijken and len(wijken) > 50
    assert {w[2:6] for w in wijken} == {g[2:] for g in config.gemeente}
    assert set(context["indicator"]) == {i.id for i in config.indicatoren if i.set == "kernset"}
    assert context.loc[context["wijkcode"] == "WK034403", "monitorgebied"].eq("overvecht").all()


def test_zelfde_cijfers_als_de_monitortabel(context, demo_resultaten):
    """Overvecht is one wijk: where neither table suppressed more, the numbers are the monitor's."""
    m = demo_resultaten.tabel
    m = m[(m["gebied"] == "overvecht") & (m["rol"] == "wijk")].set_index(["meting", "indicator"])
    c = context[context["wijkcode"] == "WK034403"].set_index(["meting", "indicator"])
    samen = c.join(m[["schatting", "onderdrukt"]].add_suffix("_monitor"), how="inner")
    assert len(samen) > 50
    beide = samen[~samen["onderdrukt"] & ~samen["onderdrukt_monitor"]]
    assert len(beide) > 40
    np.testing.assert_allclose(beide["schatting"], beide["schatting_monitor"])
    assert (samen["onderdrukt"] >= samen["onderdrukt_monitor"]).all()  # the context never shows more


def test_onderdrukt_zonder_getallen(context):
    x = context[context["onderdrukt"]]
    assert len(x) > 100
    assert x[["schatting", "ci_laag", "ci_hoog", "verschil_rest"]].isna().all().all()
    assert x["reden"].ne("").all()


def test_geen_onderdrukte_wijk_uit_een_som_te_halen(config, context):
    assert _groepen_met_een_onderdrukte(config, context) == []
    assert (context["reden"] == ctx.SECUNDAIR_CONTEXT).sum() > 0


def test_zonder_aanvullende_onderdrukking_faalt_de_controle(config, demo_gegevens, monkeypatch):
    """The broken fixture: without the complementary suppression across wijken, the demo data have
    groups where one suppressed wijk follows from the gemeente minus the published others."""
    monkeypatch.setattr(ctx, "_aanvullend", lambda tabel, config: pd.Series(False, index=tabel.index))
    kapot = ctx.bereken_context(config, demo_gegevens)
    assert _groepen_met_een_onderdrukte(config, kapot) != []


def test_vergelijkbare_wijken(config, context, demo_resultaten):
    v = ctx.vergelijkbare_wijken(config, demo_resultaten.tabel, context)
    regel = config.instellingen.context
    assert set(v["gebied"]) == {g.id for g in config.gebieden}
    for g in config.gebieden:
        eigen = v[v["gebied"] == g.id]
        assert list(eigen["rang"]) == list(range(1, regel.vergelijkbaar_aantal + 1))
        assert not eigen["wijkcode"].str.slice(2, 8).isin([c[2:8] for c in g.codes]).any()
        afstand = (eigen["waarde_wijk"] - eigen["waarde_gebied"]).abs()
        assert afstand.is_monotonic_increasing
        # no other wijk of that meting is closer than the last one chosen
        ander = context[(context["indicator"] == regel.vergelijkbaar_op) & (context["meting"] == eigen["meting"].iloc[0])
                        & context["schatting"].notna() & ~context["wijkcode"].isin(eigen["wijkcode"])
                        & ~context["wijkcode"].str.slice(2, 8).isin([c[2:8] for c in g.codes])]
        assert ((ander["schatting"] - eigen["waarde_gebied"].iloc[0]).abs() >= afstand.max()).all()


@pytest.mark.parametrize("waarde, plek, melding", [
    ({"vergelijkbaar_op": "geluk"}, "context.vergelijkbaar_op",
     "verwacht: een kernsetindicator uit indicatoren.yml, gevonden: 'geluk'"),
    ({"vergelijkbaar_aantal": 0}, "context.vergelijkbaar_aantal", "verwacht: een aantal wijken van minstens 1, gevonden: 0"),
])
def test_foute_contextinstelling(tmp_path, project, waarde, plek, melding):
    import shutil

    import yaml

    map = tmp_path / "config"
    shutil.copytree(project.config_map, map)
    inst = yaml.safe_load((map / "instellingen.yml").read_text(encoding="utf-8"))
    inst["context"] = {**inst["context"], **waarde}
    (map / "instellingen.yml").write_text(yaml.safe_dump(inst, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigFout) as fout:
        laad_configuratie(map)
    assert fout.value.plek == plek and fout.value.melding == melding
