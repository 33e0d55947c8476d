"""What a valid data folder holds per gebied, and the warnings (not errors) when a gebied has none of a kind."""

from dataclasses import replace

from vwanalyse.invoer import volledigheid


def test_demodata_zijn_volledig(demo_gegevens, config):
    assert volledigheid.waarschuwingen(demo_gegevens, config) == []
    for v in volledigheid.bepaal(demo_gegevens, config):
        assert v.metingen == [m.jaar for m in config.metingen], v.gebied.id
        assert all(n > 0 for per_meting in v.enquetes.values() for n in per_meting.values()), v.gebied.id
        assert v.projecten_met_voortgang == v.projecten == len(config.logicmodellen[v.gebied.id].projecten)


def test_gebied_zonder_gegevens_krijgt_een_waarschuwing_per_soort(demo_gegevens, config):
    g = config.gebieden[0]
    survey = {b: df[~(df["wijkcode"].isin(g.codes) | df["buurtcode"].isin(g.codes))]
              for b, df in demo_gegevens.survey.items()}
    register = demo_gegevens.register[~demo_gegevens.register["gebiedscode"].isin(g.codes)]
    zonder = {t: getattr(demo_gegevens, t)[getattr(demo_gegevens, t)["gebied"] != g.id]
              for t in ("proces", "narratief", "duiding")}
    leeg = replace(demo_gegevens, survey=survey, register=register, **zonder)
    assert volledigheid.waarschuwingen(leeg, config) == [
        f"{g.naam} heeft geen enquête- of registergegevens",
        f"{g.naam} heeft in geen enkele meting gegevens",
        f"{g.naam} heeft geen voortgang van projecten (proces/projecten.csv)",
        f"{g.naam} heeft geen fragmenten uit gesprekken (narratief/fragmenten.csv)",
        f"{g.naam} heeft geen duiding door lokale experts (duiding/duiding.csv)",
    ]
    regels = volledigheid.rapport(leeg, config)
    eigen = [t for plek, t in regels if plek == f"gebied {g.id}"]
    assert eigen[0] == "metingen met gegevens: geen meting"
    assert sum(t.startswith(volledigheid.WAARSCHUWING) for t in eigen) == 5
    # the other gebieden are untouched
    assert not [t for plek, t in regels if plek != f"gebied {g.id}" and t.startswith(volledigheid.WAARSCHUWING)]
