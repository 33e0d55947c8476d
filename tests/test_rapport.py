"""rapport: loading the results folder, Markdown tables and notes, and the notebook templates."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from vwanalyse import rapport
from vwanalyse.basis.fouten import ParameterFout
from vwanalyse.resultaten import opslag
from vwanalyse.resultaten.schema import Resultaten
from vwanalyse.weergave import opmaak
from vwanalyse.weergave.woorden import OORDEEL_WEERGAVE as OORDELEN, reden_tekst

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to

NOTEBOOKS = ROOT / "notebooks"


def _schrijf_map(map: Path, res, gegevens, config, metingen=None) -> Path:
    """The results folder as a build writes it, optionally as if only `metingen` had arrived."""
    if metingen is not None:
        binnen = {k: t[t["meting"].isin(metingen)] for k, t in (("tabel", res.tabel), ("effecten", res.effecten))}
        res = Resultaten(**binnen)
        gegevens = replace(gegevens, **{k: getattr(gegevens, k)[getattr(gegevens, k)["meting"].isin(metingen)]
                                        for k in ("proces", "narratief", "duiding")},
                           metingen=[m for m in gegevens.metingen if m in metingen],
                           ontbrekende_metingen=sorted(set(gegevens.ontbrekende_metingen)
                                                       | (set(gegevens.metingen) - set(metingen))))
    opslag.schrijf(map, res, gegevens, config)
    return map


@pytest.fixture(scope="session")
def resultaten_map(tmp_path_factory, demo_resultaten, demo_gegevens, config) -> Path:
    return _schrijf_map(tmp_path_factory.mktemp("resultaten"), demo_resultaten, demo_gegevens, config)


@pytest.fixture(scope="session")
def zonder_2025(tmp_path_factory, demo_resultaten, demo_gegevens, config) -> Path:
    """A results folder as it looks before the third meting arrived."""
    return _schrijf_map(tmp_path_factory.mktemp("zonder2025"), demo_resultaten, demo_gegevens, config,
                        metingen=[2021, 2023])


@pytest.fixture(scope="session")
def r(resultaten_map, config):
    return rapport.laad(resultaten_map, config=config)


def _tabelregel(md: str, naam: str) -> list[str]:
    regel = next(r for r in md.splitlines() if r.startswith("|") and naam in r)
    return [c.strip() for c in re.split(r"(?<!\\)\|", regel)[1:-1]]


# ---------------------------------------------------------------- loading


def test_laad_gebied_leest_alleen_dat_gebied(resultaten_map, config):
    r = rapport.laad(resultaten_map, gebied="batau", config=config)
    assert set(r.tabel["gebied"]) == {"batau"}
    assert set(r.proces["gebied"]) == {"batau"}
    assert r.demodata and r.metingen == [2021, 2023, 2025]


def test_laad_onbekend_gebied_of_lege_map(resultaten_map, tmp_path, config):
    with pytest.raises(ParameterFout, match="onbekend gebied 'atlantis'; bekend: overvecht, batau"):
        rapport.laad(resultaten_map, gebied="atlantis", config=config)
    with pytest.raises(FileNotFoundError, match="meta.json ontbreekt"):
        rapport.laad(tmp_path, config=config)


# ---------------------------------------------------------------- formatting and encoding


def test_factsheet_tabel_nederlandse_opmaak(r):
    md = rapport.factsheet_tabel(r, "overvecht", 2025, "gezondheid").data
    w = r.tabel[(r.tabel["gebied"] == "overvecht") & (r.tabel["meting"] == 2025) & (r.tabel["rol"] == "wijk")
                & (r.tabel["indicator"] == "roken")].iloc[0]
    cellen = _tabelregel(md, "indicator-roken")
    verwacht = f"{w['schatting'] * 100:.1f}".replace(".", ",") + "%"
    assert cellen[1].startswith(verwacht)
    # a narrow interval to one decimal, and the respondents behind the estimate
    assert re.fullmatch(r"\d+,\d% \(\d+,\d–\d+,\d\); n = [\d.]+(, klein)?", cellen[1]), cellen[1]
    assert "procentpunt" in cellen[3]
    assert not re.search(r"\d\.\d%", md), "a decimal point in a percentage"
    assert "{ref}`Rookt <indicator-roken>`" in md


def test_register_getallen_met_duizendtallen(r):
    md = rapport.factsheet_tabel(r, "overvecht", 2025, "wonen_leefomgeving").data
    cellen = _tabelregel(md, "indicator-gasverbruik")
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", cellen[1]), cellen[1]


def test_significantie_codering_een_teken_en_een_woord(r):
    md = rapport.factsheet_tabel(r, "overvecht", 2025, "gezondheid").data
    w = r.tabel[(r.tabel["gebied"] == "overvecht") & (r.tabel["meting"] == 2025) & (r.tabel["rol"] == "wijk")]
    for _, rij in w[w["pijler"] == "gezondheid"].iterrows():
        o = OORDELEN[rij["oordeel_rest"]]
        cel = _tabelregel(md, f"<indicator-{rij['indicator'].replace('_', '-')}>")[3]
        assert cel.startswith(f"{o.teken} {o.tekst}")
    # one sign per outcome, and figures use distinct marker/fill combinations
    assert len({o.teken for o in OORDELEN.values()}) == len(OORDELEN)
    assert len({(o.marker, o.gevuld) for o in OORDELEN.values()}) == len(OORDELEN)
    # the legend lists every sign, once per page (rapport.tekenuitleg), not under every table
    assert all(o.teken in rapport.tekenuitleg().data for o in OORDELEN.values())
    assert "Tekens" not in md


def test_onderdrukte_waarden_nooit_als_getal(r):
    onderdrukt = r.tabel[r.tabel["onderdrukt"] & (r.tabel["rol"] == "wijk")]
    assert not onderdrukt.empty
    for _, rij in onderdrukt.iterrows():
        md = rapport.factsheet_tabel(r, rij["gebied"], int(rij["meting"]), rij["pijler"]).data
        cellen = _tabelregel(md, f"<indicator-{rij['indicator'].replace('_', '-')}>")
        assert re.fullmatch(r"x[¹²³⁴⁵⁶⁷⁸⁹]", cellen[1]), cellen
        assert cellen[3] == cellen[1], "no comparison for a suppressed value"
        assert reden_tekst(rij["reden"]) in md, "the reason is in a note under the table"
        assert not re.search(r"\d", cellen[1])


def test_ontwikkeling_tabel(r):
    md = rapport.ontwikkeling_tabel(r, "overvecht", 2025, "veiligheid").data
    assert "Nulmeting 2021" in md and "Vorige meting 2023" in md and "Verandering sinds 2021" in md
    assert "Er is nog geen ontwikkeling" in rapport.ontwikkeling_tabel(r, "overvecht", 2021, "veiligheid").data
    md23 = rapport.ontwikkeling_tabel(r, "overvecht", 2023, "veiligheid").data
    assert "Vorige meting" not in md23  # the previous meting is the nulmeting


def test_ontwikkeling_tabel_noemt_de_respondenten_per_meting(r, config):
    """Every survey value of the development table carries its own n (issue 16: small n visible)."""
    nul = config.nulmeting.jaar
    t = r.tabel[(r.tabel["gebied"] == "overvecht") & (r.tabel["rol"] == "wijk")]
    for ind in rapport.indicatoren(r, "overvecht", "veiligheid"):
        rij = t[(t["indicator"] == ind.id) & (t["meting"] == nul)]
        if not ind.is_survey or rij.empty or bool(rij["onderdrukt"].iloc[0]):
            continue
        cellen = _tabelregel(rapport.ontwikkeling_tabel(r, "overvecht", 2025, "veiligheid").data,
                             f"<indicator-{ind.id.replace('_', '-')}>")
        assert cellen[1].endswith(opmaak.respondenten(rij["n_ongewogen"].iloc[0])), cellen
        assert all("n = " in c for c in cellen[1:-2]), cellen  # nulmeting, vorige and this meting
        return
    pytest.fail("geen survey-indicator in de pijler veiligheid")


def test_effecten_tonen_respondenten_van_wijk_en_rest_apart(r, config):
    """The model's n is split into the wijk and the rest of the gemeente, each at the start and
    the end of the period; the four numbers add up to the model's n."""
    e = r.effecten[(r.effecten["gebied"] == "overvecht") & r.effecten["n"].notna()]
    md = rapport.effecten_tabel(r, "overvecht").data
    assert "Respondenten Overvecht (begin en eind)" in md and "Respondenten rest van Utrecht (begin en eind)" in md
    gecontroleerd = 0
    for _, eff in e.iterrows():
        ind = config.indicator[eff["indicator"]]
        regels = [regel for regel in md.splitlines() if f"<indicator-{ind.id.replace('_', '-')}>" in regel
                  and f"{int(eff['basismeting'])}–{int(eff['meting'])}" in regel]
        cellen = _tabelregel(regels[0], "indicator")
        getallen = [int(x.replace(".", "")) for c in cellen[-2:] for x in c.split(" en ")]
        assert sum(getallen) == int(eff["n"]), (cellen, eff["n"])
        gecontroleerd += 1
    assert gecontroleerd > 5


def test_trendbreuk_wordt_niet_getoetst(r):
    md = rapport.ontwikkeling_tabel(r, "overvecht", 2025, "onderwijs").data
    cel = _tabelregel(md, "indicator-schooladvies-havo-vwo")[-1]
    assert cel == "‖ trendbreuk"


# ---------------------------------------------------------------- notes


def test_demomelding(r):
    tekst = rapport.demotekst(r)
    assert tekst.startswith("```{warning}") and "Demodata" in tekst
    echt = rapport.Rapport(**{**r.__dict__, "meta": {**r.meta, "databron": {"naam": "GGD", "demodata": False}}})
    assert rapport.demotekst(echt) is None


def test_ontbrekende_meting(zonder_2025, config):
    r = rapport.laad(zonder_2025, gebied="overvecht", config=config)
    tekst = rapport.ontbrekend_tekst(r, 2025)
    assert "Voor meting 2025 zijn nog geen gegevens; de derde meting volgt." in tekst
    assert rapport.ontbrekend_tekst(r, 2023) is None
    assert "nog geen gegevens" in rapport.factsheet_tabel(r, "overvecht", 2025, "gezondheid").data
    assert rapport.duiding(r, "overvecht", 2025, "gezondheid").data == ""
    assert "2025" not in rapport.verloop_tabel(r, "overvecht", "gezondheid").data.splitlines()[0]


def test_duiding_uit_de_gegevens(r, demo_gegevens):
    d = demo_gegevens.duiding
    rij = d[(d["gebied"] == "batau") & (d["meting"] == 2023) & (d["pijler"] == "onderwijs")].iloc[0]
    md = rapport.duiding(r, "batau", 2023, "onderwijs").data
    assert rij["tekst"].strip() in md and "Duiding door lokale experts" in md


# ---------------------------------------------------------------- other pages


def test_wijkprofiel_tabellen(r):
    assert "afgerond" in rapport.projectvoortgang(r, "overvecht").data
    assert "| O16 |" in rapport.projectvoortgang(r, "overvecht").data
    overzicht = rapport.narratief_overzicht(r, "overvecht").data
    assert "Positief" in overzicht
    assert "> “" in rapport.citaten(r, "overvecht").data


def test_effecten_en_datakwaliteit(r):
    md = rapport.effecten_tabel(r, "overvecht").data
    assert re.search(r"[−+]?\d+,\d procentpunt", md) and not re.search(r"\d\.\d procentpunt", md)
    assert re.search(r" en \d{1,3}\.\d{3} \|", md), "respondents of the rest with a thousands dot"
    resp = rapport.respondenten(r)
    assert (resp["respondenten"] > 0).all()
    md = rapport.onderdrukking_tabel(r).data
    assert "minder dan 30 respondenten" in md or "meer dan" in md
    assert "nog geen gegevens" not in rapport.metingen_tabel(r).data


def test_wijken_tabel_alle_wijken(r, config):
    md = rapport.wijken_tabel(r, "roken").data
    for g in config.gebieden:
        assert f"| {g.naam} |" in md
    # the table names its indicator, linked to its definition; under an indicator_kop it need not
    assert md.startswith(f"**{{ref}}`{config.indicator['roken'].naam} <indicator-roken>`** (percentage)")
    assert rapport.wijken_tabel(r, "roken", met_kop=False).data.startswith("| Gebied |")
    # every verdict stands beside the value of the rest of the gemeente it compares with
    t = r.tabel
    for _, w in t[(t["indicator"] == "roken") & (t["rol"] == "wijk") & t["oordeel_rest"].notna()
                  & ~t["onderdrukt"].astype(bool)].iterrows():
        rest = t[(t["indicator"] == "roken") & (t["rol"] == "rest_gemeente") & (t["gebied"] == w["gebied"])
                 & (t["meting"] == w["meting"])].iloc[0]
        teken = OORDELEN[w["oordeel_rest"]].teken
        assert f"{teken} " in md and f"(rest: {opmaak.percentage(rest['schatting'])})" in md, w["gebied"]


def _zonder(r, gebied: str, *tabellen: str):
    """The rapport as if nothing of these input tables had been delivered for this gebied."""
    return replace(r, **{t: getattr(r, t)[getattr(r, t)["gebied"].astype(str) != gebied] for t in tabellen})


def test_wijk_zonder_proces_narratief_en_duiding_zegt_dat(r, config):
    """A wijk whose progress, conversations and duiding were not delivered gets a sentence that says so
    (naming the wijk) instead of an empty section; a logic model without projects says that too."""
    g = config.gebieden[0]
    leeg = _zonder(r, g.id, "proces", "narratief", "duiding")
    md = rapport.projectvoortgang(leeg, g.id).data
    assert f"Voor {g.naam} is nog geen voortgangsinformatie over de projecten aangeleverd." in md
    assert "| Code | Project | Ambitie |" in md  # the codes of the logic model are still explained
    assert rapport.narratief_overzicht(leeg, g.id).data == (
        f"Voor {g.naam} zijn nog geen gesprekken met bewoners en professionals verwerkt.\n")
    assert rapport.citaten(leeg, g.id).data == ""
    meting, pijler = config.metingen[-1].jaar, config.pijlers[0]
    md = rapport.duiding(leeg, g.id, meting, pijler.id).data
    assert (f"Voor {g.naam} is voor {pijler.naam.lower()} in meting {meting} (nog) geen duiding door lokale experts "
            "aangeleverd.") in md
    # and where they were delivered, the sections show them
    assert "(nog) geen" not in rapport.duiding(r, g.id, meting, pijler.id).data
    assert rapport.citaten(r, g.id).data.startswith("Een paar citaten uit de laatste meting")
    lm = config.logicmodellen[g.id]
    zonder_projecten = replace(config, logicmodellen={**config.logicmodellen, g.id: replace(lm, projecten=[])})
    md = rapport.projectvoortgang(replace(leeg, config=zonder_projecten), g.id).data
    assert md == f"Het logic model van {g.naam} noemt (nog) geen projecten, dus er is geen voortgang te tonen.\n"


# ---------------------------------------------------------------- the templates


def test_sjablonen_structuur(config):
    """Every template of notebooks.yml: a title, a parameters cell, hidden code, no outputs; the
    factsheet has one section per pijler of the configuration once written out."""
    from vwanalyse.uitvoer import sjabloon

    assert config.notebooks
    for d in config.notebooks:
        nb = nbformat.read(NOTEBOOKS / f"{d.sjabloon}.ipynb", as_version=4)
        nbformat.validate(nb)
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), d.sjabloon
        assert "\n" not in nb.cells[0].source, d.sjabloon
        param = nb.cells[1]
        assert param.cell_type == "code" and "parameters" in param.metadata["tags"]
        for c in nb.cells:
            if c.cell_type == "code":
                assert "hide-input" in c.metadata.get("tags", []), (d.sjabloon, c.source[:40])
                assert not c.outputs and c.execution_count is None, f"{d.sjabloon} is committed with outputs"
    assert "vier" not in nbformat.read(NOTEBOOKS / "pijler.ipynb", as_version=4).cells[0].source
    nb = sjabloon.schrijf_uit(nbformat.read(NOTEBOOKS / "factsheet.ipynb", as_version=4), sjabloon.waarden(config))
    koppen = [c.source[3:] for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert koppen == [p.naam for p in config.pijlers]


SJABLOON_RUNS = [
    ("factsheet", {"gebied": "overvecht", "meting": 2023}),
    ("factsheet", {"gebied": "vollenhove", "meting": 2021}),
    ("wijkprofiel", {"gebied": "batau"}),
    ("pijler", {"pijler": "gezondheid"}),
    ("effectanalyse", {}),
    ("datakwaliteit", {}),
]


def _voer_uit(naam, parameters, map: Path, cwd: Path):
    """Run a template as the runner does: its repeated groups written out for the demo configuration."""
    import papermill as pm

    from vwanalyse.model.configuratie import laad_configuratie
    from vwanalyse.uitvoer import sjabloon

    uit = cwd / "uit.ipynb"
    nb = sjabloon.schrijf_uit(nbformat.read(NOTEBOOKS / f"{naam}.ipynb", as_version=4),
                              sjabloon.waarden(laad_configuratie(map / opslag.CONFIG)))
    pm.execute_notebook(nb, str(uit),
                        parameters={**parameters, "resultaten_map": str(map)}, cwd=str(cwd),
                        kernel_name="python3", progress_bar=False)
    nb = nbformat.read(uit, as_version=4)
    markdown = "\n".join(o["data"]["text/markdown"] for c in nb.cells if c.cell_type == "code"
                         for o in c.outputs if "data" in o and "text/markdown" in o["data"])
    fouten = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    kaal = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if o.output_type == "stream" or ("data" in o and "text/markdown" not in o["data"])]
    return markdown, fouten, kaal


def _controleer_afbeeldingen(markdown: str, cwd: Path):
    afbeeldingen = re.findall(r"!\[([^\]]*)\]\(([^)]+)\)", markdown)
    for alt, pad in afbeeldingen:
        assert len(alt) > 40, f"alt text too short for {pad}"
        assert (cwd / pad).is_file()
    return afbeeldingen


@pytest.mark.traag
@pytest.mark.parametrize("sjabloon,parameters", SJABLOON_RUNS, ids=lambda x: x if isinstance(x, str) else
                         "-".join(map(str, x.values())) or "alles")
def test_sjabloon_draait(sjabloon, parameters, resultaten_map, tmp_path):
    markdown, fouten, kaal = _voer_uit(sjabloon, parameters, resultaten_map, tmp_path)
    assert not fouten
    assert not kaal, f"outputs that are not Markdown (e.g. a stray 'None'): {kaal[:2]}"
    assert "```{warning}" in markdown and "Demodata" in markdown
    assert _controleer_afbeeldingen(markdown, tmp_path) or sjabloon not in ("factsheet", "wijkprofiel", "pijler")
    assert not re.search(r"\d\.\d%", markdown)


@pytest.mark.traag
def test_factsheet_voor_ontbrekende_meting(zonder_2025, tmp_path):
    markdown, fouten, kaal = _voer_uit("factsheet", {"gebied": "overvecht", "meting": 2025}, zonder_2025, tmp_path)
    assert not fouten and not kaal
    assert "Voor meting 2025 zijn nog geen gegevens; de derde meting volgt." in markdown
    assert "![" not in markdown and not (tmp_path / "figuren").exists()


@pytest.mark.traag
def test_wijkprofiel_met_twee_metingen(zonder_2025, tmp_path):
    markdown, fouten, kaal = _voer_uit("wijkprofiel", {"gebied": "soesterkwartier"}, zonder_2025, tmp_path)
    assert not fouten and not kaal
    assert "Nog geen gegevens voor meting 2025" in markdown
    _controleer_afbeeldingen(markdown, tmp_path)


def test_toetsen_op_registertellingen_heten_indicatief(r, config):
    """Tests of register counts of events carry '(indicatief)' and the reason under the table; others don't."""
    tellingen = {i.id for i in config.indicatoren if i.telt_gebeurtenissen}
    e = r.effecten[r.effecten["gebied"] == "batau"]
    assert set(e.loc[e["indicatief"].astype(bool), "indicator"]) <= tellingen and e["indicatief"].any()
    md = rapport.effecten_tabel(r, "batau").data
    regels = [regel for regel in md.splitlines() if regel.startswith("| {ref}")]
    for regel in regels:
        telling = any(f"<indicator-{i.replace('_', '-')}>" in regel for i in tellingen)
        assert ("(indicatief)" in regel) == telling, regel
    assert "*Indicatief*: een toets op een registertelling" in md
    md = rapport.ontwikkeling_tabel(r, "batau", 2025, "veiligheid").data
    misdrijven = next(regel for regel in md.splitlines() if "<indicator-misdrijven>" in regel)
    assert misdrijven.count("(indicatief)") == 2 and "*Indicatief*:" in md  # since the previous and the nulmeting
    onveilig = next(regel for regel in md.splitlines() if "<indicator-onveilig-buurt>" in regel)
    assert "(indicatief)" not in onveilig


def test_aanlevering_per_wijk(r, config):
    """The datakwaliteit table: one row per wijk of the configuration; what is missing is named under it."""
    md = rapport.aanlevering_tabel(r).data
    for g in config.gebieden:
        n = len(config.indicatoren_voor(g.id))
        regel = _tabelregel(md, f"| {g.naam} |")
        assert regel[1] == "; ".join(f"{m}: {n} van {n}" for m in r.metingen), g.id
    # only a wijk whose logic model names no projects (the README's example) misses something
    zonder = [g for g in config.gebieden if not config.logicmodellen[g.id].projecten]
    assert md.count("nog geen") == len(zonder)
    for g in zonder:
        assert f"Voor {g.naam} zijn er nog geen projecten in het logic model." in md
    g = next(g for g in config.gebieden if config.logicmodellen[g.id].projecten)
    md = rapport.aanlevering_tabel(_zonder(r, g.id, "narratief", "duiding")).data
    assert (f"Voor {g.naam} zijn er nog geen gesprekken met bewoners en professionals en geen duiding door lokale "
            "experts.") in md


def test_navigatie_van_een_wijkpagina(r, config):
    """Back to the wijk's overview and to the same page of every other meting; an unknown template is refused."""
    md = rapport.navigatie(r, "batau", "factsheet", 2023).data
    assert "</book/wijken/batau>`" in md and "**2023**" in md
    for m in config.metingen:
        assert (f"</book/uitvoer/factsheet-batau-{m.jaar}>`" in md) == (m.jaar != 2023), m.jaar
    assert "Andere metingen" not in rapport.navigatie(r, "batau", "wijkprofiel").data
    with pytest.raises(ParameterFout, match="onbekend sjabloon 'factshet'"):
        rapport.navigatie(r, "batau", "factshet", 2023)


def test_logicmodel_toont_wat_de_projecten_opleverden(r, config):
    """The output column shows what the projects delivered at the latest meting (issue 19): the sum over
    an ambitie's projects of proces/projecten.csv, against the count of beoogde resultaten in the logic model."""
    from vwanalyse.weergave import logicmodel

    p = r.proces[r.proces["gebied"].astype(str) == "overvecht"]
    laatste = int(p["meting"].astype(int).max())
    _, rijen, meting = logicmodel.model(r, "overvecht")
    assert meting == laatste
    lm = config.logicmodellen["overvecht"]
    for rij in rijen:
        projecten = [pr for pr in lm.projecten if pr.ambitie == rij.ambitie]
        if not projecten:
            continue
        d = p[(p["meting"].astype(int) == laatste) & p["project"].astype(str).isin([pr.id for pr in projecten])]
        klaar = int(d["resultaten_opgeleverd"].astype(float).sum())
        beoogd = sum(len(pr.beoogde_resultaten) for pr in projecten)
        assert rij.output[0] == f"{klaar} van {beoogd} beoogde resultaten opgeleverd ({laatste})"
        assert rij.output[1] == f"bereik {opmaak.geheel(d['bereik'].astype(float).sum())} personen"


def test_projecttabel_zegt_wat_elk_project_opleverde(r, config):
    md = rapport.projectvoortgang(r, "overvecht").data
    pr = config.logicmodellen["overvecht"].projecten[0]
    p = r.proces
    rij = p[(p["gebied"].astype(str) == "overvecht") & (p["project"].astype(str) == pr.id)]
    rij = rij[rij["meting"].astype(int) == rij["meting"].astype(int).max()].iloc[0]
    cel = _tabelregel(md, pr.naam)[-1]
    assert cel == (f"{int(float(rij['resultaten_opgeleverd']))} van {len(pr.beoogde_resultaten)} beoogde resultaten "
                   f"opgeleverd; bereik {opmaak.geheel(float(rij['bereik']))} personen; besteed "
                   f"{opmaak.euro(float(rij['uitgaven_euro']))} van {opmaak.euro(pr.bijdrage.bedrag_euro)}")


def test_citaten_volgen_de_vaste_regel(r, config):
    """Per pijler and group the most frequent theme of the latest meting, its lowest fragment_id; not
    the lowest fragment_id overall; the tone of all fragments on that theme beside the quote."""
    g, p = config.gebieden[0], config.pijlers[0]
    m = max(int(x) for x in r.narratief["meting"])
    rij = lambda fid, thema, sentiment, citaat: {"fragment_id": fid, "gebied": g.id, "meting": m, "pijler": p.id,
                                                "groep": "bewoner", "thema": thema, "sentiment": sentiment,
                                                "citaat": citaat}
    narratief = pd.DataFrame([rij("f1", "alleen", "positief", "Het eerste fragment."),
                              rij("f5", "vaak", "negatief", "Een later fragment."),
                              rij("f3", "vaak", "positief", "Het gekozen fragment."),
                              rij("f4", "vaak", "negatief", "Nog een.")])
    md = rapport.citaten(replace(r, narratief=narratief), g.id).data
    assert "“Het gekozen fragment.”" in md and "Het eerste fragment" not in md and "Een later" not in md
    assert "de 3 fragmenten van bewoners over dit thema: 1 positief, 2 negatief" in md
    assert "De citaten zijn gekozen met een vaste regel, niet met de hand" in md
    assert "Wat de aantallen betekenen." in rapport.narratief_overzicht(replace(r, narratief=narratief), g.id).data
