"""What a valid data folder holds per gebied, and the warnings (not errors) when a gebied has none of a kind."""

from dataclasses import replace

from vwanalyse.invoer import volledigheid


def test_demodata_zijn_volledig(demo_gegevens, config):
    """Every gebied of the demo has every kind of data; the only warning possible is a logic model
    without projects (as the README's example wijk has)."""
    zonder = [g for g in config.gebieden if not config.logicmodellen[g.id].projecten]
    assert volledigheid.waarschuwingen(demo_gegevens, config) == [
        f"het logic model van {g.naam} noemt geen projecten" for g in zonder]
    for v in volledigheid.bepaal(demo_gegevens, config):
        assert v.metingen == [m.jaar for m in config.metingen], v.gebied.id
        assert all(n > 0 for per_meting in v.enquetes.values() for n in per_meting.values()), v.gebied.id
        assert v.projecten_met_voortgang == v.projecten == len(config.logicmodellen[v.gebied.id].projecten)


def test_gebied_zonder_gegevens_krijgt_een_waarschuwing_per_soort(demo_gegevens, config):
    g = config.gebieden[0]
    assert config.logicmodellen[g.id].projecten
    elders = [(p, t) for p, t in volledigheid.rapport(demo_gegevens, config) if p != f"gebied {g.id}"]
    survey = {b: df[~(df["wijkcode"].isin(g.codes) | df["buurtcode"].isin(g.codes))]
              for b, df in demo_gegevens.survey.items()}
    register = demo_gegevens.register[~demo_gegevens.register["gebiedscode"].isin(g.codes)]
    zonder = {t: getattr(demo_gegevens, t)[getattr(demo_gegevens, t)["gebied"] != g.id]
              for t in ("proces", "narratief", "duiding")}
    leeg = replace(demo_gegevens, survey=survey, register=register, **zonder)
    assert [w for w in volledigheid.waarschuwingen(leeg, config) if g.naam in w] == [
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
    assert [(p, t) for p, t in regels if p != f"gebied {g.id}"] == elders
