"""Reading and validating a data folder: a minimal valid folder loads, and each kind of broken
input gives exactly one problem naming file, lines, column and what was expected."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pathlib import Path

import pytest
import yaml

from vwanalyse import cli
from vwanalyse.invoer.bronnen import DataFout, Probleem, controleer_map, laad_gegevens, lees_csv
from vwanalyse.model.configuratie import laad_configuratie
from vwanalyse.statistiek.schatting import Ontwerp

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to
# the gebied ids of the configuration, as a message lists them
CONFIG = laad_configuratie(ROOT / "data" / "config")
GEBIEDEN = ", ".join(g.id for g in CONFIG.gebieden)
# a kernset indicator, and one of another pijler (for the duiding per indicator)
IND = next(i for i in CONFIG.indicatoren if i.set == "kernset")
ANDER = next(i for i in CONFIG.indicatoren if i.set == "kernset" and i.pijler != IND.pijler)

GGD = "survey/ggd_gezondheidsmonitor_2020.csv"
VM = "survey/veiligheidsmonitor_2021.csv"
KWB = "register/cbs_kwb.csv"
POLITIE = "register/politie.csv"
GEMEENTE = "register/gemeente.csv"
REF = "referentie/referentiewaarden.csv"
PROCES = "proces/projecten.csv"
NARRATIEF = "narratief/fragmenten.csv"
DUIDING = "duiding/duiding.csv"
DATABRON = "naam: testdata\ndemodata: true\nomschrijving: minimale geldige datamap\n"
# the minimal folder has respondents, register rows and project progress for the first four gebieden of the
# configuration (a valid folder need not cover every gebied), so its counts below stay the same
# when a researcher adds a wijk
MINIMAAL = 4


# ---------------------------------------------------------------- a minimal valid folder


def _respondent_codes(gebied, gemeente: str) -> list[tuple[str, str, str]]:
    """(gemeentecode, wijkcode, buurtcode) for 5 respondents in the gebied and 5 elsewhere in its gemeente."""
    binnen = [("WK" + c[2:], "BU" + c[2:] + "01") if c.startswith("WK") else ("WK" + c[2:8], c)
              for c in gebied.codes]
    rest = ("WK" + gemeente[2:] + "99", "BU" + gemeente[2:] + "9901")
    return [(gemeente, *binnen[i % len(binnen)]) for i in range(5)] + [(gemeente, *rest)] * 5


def _survey(config, bron: str, peiljaar: int) -> pd.DataFrame:
    rijen = []
    for g in config.gebieden[:MINIMAAL]:
        rijen += _respondent_codes(g, g.gemeente)
    df = pd.DataFrame(rijen, columns=["gemeentecode", "wijkcode", "buurtcode"])
    n = len(df)
    df.insert(0, "respondent_id", [f"{bron[:3]}{peiljaar}-{i:03d}" for i in range(n)])
    df.insert(1, "jaar", peiljaar)
    df["gewicht"] = [1.0 + (i % 3) * 0.5 for i in range(n)]
    df["leeftijdsklasse"] = [["18-34", "35-64", "65+"][i % 3] for i in range(n)]
    df["geslacht"] = [["man", "vrouw"][i % 2] for i in range(n)]
    for ind in config.indicatoren:
        b = ind.berekening
        if ind.bron != bron or not ind.is_survey or b.item in df:
            continue
        if ind.statistiek == "survey_proportie":
            df[b.item] = [b.geldige_codes[i % len(b.geldige_codes)] if i % 7 else None for i in range(n)]
        else:
            df[b.item] = [b.bereik[0] + (i % 9) * (b.bereik[1] - b.bereik[0]) / 8 for i in range(n)]
    return df.astype(object)


def _register(config, jaren) -> dict[str, pd.DataFrame]:
    """Every teller and noemer column the catalogue names: a teller in the file of its indicator's
    bron, a noemer there too unless another file has it; a gemeente's counts above its wijken's."""
    codes = list(dict.fromkeys(c for g in config.gebieden[:MINIMAAL] for c in [g.gemeente, *g.codes]))
    basis = pd.DataFrame([(c, j) for c in codes for j in jaren], columns=["gebiedscode", "jaar"])
    groot = basis["gebiedscode"].str.startswith("GM")
    vast = {"inwoners": (100000, 10000), "woningen": (45000, 4500), "woningen_corporatie": (15000, 3000),
            "personen_bijstand": (4000, 800), "misdrijven": (6000, 900), "bijstand_uitstroom_werk": (1000, 60)}
    bevolking = {"inwoners", "woningen", "personen_bijstand"}  # noemers of several sources, in cbs_kwb.csv
    bestanden: dict[str, pd.DataFrame] = {KWB: basis.copy()}
    for ind in config.indicatoren:
        if ind.is_survey:
            continue
        df = bestanden.setdefault(f"register/{ind.bron}.csv", basis.copy())
        for kolom, standaard in ((ind.berekening.noemer, (50000, 5000)), (ind.berekening.teller, (2000, 200))):
            if not any(kolom in d for d in bestanden.values()):
                gm, wk = vast.get(kolom, standaard)
                (bestanden[KWB] if kolom in bevolking else df)[kolom] = np.where(groot, gm, wk)
    return {naam: df.astype(object) for naam, df in bestanden.items()}


def bestanden_voor(config, metingen=(2021, 2023)) -> dict:
    """The files of a minimal valid data folder with data for the given metingen."""
    eerste = metingen[0]
    bestanden: dict = {"databron.yml": DATABRON}
    for bron in (b.id for b in config.bronnen if b.soort == "survey"):
        for m in metingen:
            peiljaar = config.meting[m].peiljaren[bron]
            bestanden[f"survey/{bron}_{peiljaar}.csv"] = _survey(config, bron, peiljaar)
    bestanden.update(_register(config, [config.meting[m].peiljaren["cbs_kwb"] for m in metingen]))
    peiljaar = config.meting[eerste].peiljaren["ggd_gezondheidsmonitor"]
    bestanden[REF] = pd.DataFrame([
        ("NL01", "ervaren_gezondheid_goed", peiljaar, 78.5, 78.1, 78.9),
        ("PV26", "ervaren_gezondheid_goed", peiljaar, 80.2, 79.0, 81.4),
        ("NL01", "rapportcijfer_veiligheid", config.meting[eerste].peiljaren["veiligheidsmonitor"], 7.4, None, None),
    ], columns=["regiocode", "indicator", "jaar", "waarde", "ondergrens", "bovengrens"]).astype(object)
    bestanden[PROCES] = pd.DataFrame(
        [(g.id, m, config.logicmodellen[g.id].projecten[0].id, "loopt", 4, 2, "") for g in config.gebieden[:MINIMAAL]
         for m in metingen],
        columns=["gebied", "meting", "project", "status", "mijlpalen_gepland", "mijlpalen_gerealiseerd",
                 "toelichting"]).astype(object)
    bestanden[NARRATIEF] = pd.DataFrame([
        ("F001", "overvecht", eerste, "gezondheid", "bewoner", "bewegen", "positief", "Ik wandel nu elke week."),
        ("F002", "batau", eerste, "veiligheid", "professional", "overlast", "negatief", "Veel meldingen, weinig opvolging."),
    ], columns=["fragment_id", "gebied", "meting", "pijler", "groep", "thema", "sentiment", "citaat"]).astype(object)
    bestanden[DUIDING] = pd.DataFrame([("overvecht", eerste, "gezondheid", "De cijfers passen bij wat we zien.")],
                                      columns=["gebied", "meting", "pijler", "tekst"]).astype(object)
    return bestanden


def schrijf(map_, bestanden: dict) -> None:
    for naam, inhoud in bestanden.items():
        pad = map_ / naam
        pad.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(inhoud, pd.DataFrame):
            inhoud.to_csv(pad, index=False)
        elif isinstance(inhoud, bytes):
            pad.write_bytes(inhoud)
        else:
            pad.write_text(inhoud, encoding="utf-8")


@pytest.fixture
def maak_map(tmp_path, config):
    """maak_map(wijzig=None, metingen=...) -> path of a valid folder, optionally broken by `wijzig(bestanden)`."""

    def maak(wijzig=None, metingen=(2021, 2023)):
        bestanden = bestanden_voor(config, metingen)
        if wijzig:
            wijzig(bestanden)
        map_ = tmp_path / "data"
        schrijf(map_, bestanden)
        return map_

    return maak


def problemen(map_, config) -> list[Probleem]:
    with pytest.raises(DataFout) as fout:
        laad_gegevens(map_, config)
    return fout.value.problemen


# ---------------------------------------------------------------- the valid folder


def test_minimale_map_laadt(maak_map, config):
    g = laad_gegevens(maak_map(), config)
    assert g.databron == {"naam": "testdata", "demodata": True, "omschrijving": "minimale geldige datamap"}
    assert g.metingen == [2021, 2023] and g.ontbrekende_metingen == [2025]
    ggd = g.survey["ggd_gezondheidsmonitor"]
    assert len(ggd) == 80 and sorted(set(ggd["meting"])) == [2021, 2023]
    assert ggd.dtypes["gewicht"] == "float64" and ggd.dtypes["ervaren_gezondheid"] == "float64"
    assert ggd.dtypes["jaar"] == "int64" and ggd.dtypes["meting"] == "int64"
    assert ggd["ervaren_gezondheid"].isna().sum() == 12  # every 7th answer is left empty
    assert set(ggd["buurtcode"]) >= {"BU03550205", "BU03440301"}
    assert list(g.survey) == ["ggd_gezondheidsmonitor", "veiligheidsmonitor"]
    assert list(g.register.columns[:2]) == ["gebiedscode", "jaar"]
    assert {"inwoners", "woningen", "misdrijven", "bijstand_uitstroom_werk"} <= set(g.register.columns)
    rij = g.register.set_index(["gebiedscode", "jaar"]).loc[("WK034403", 2021)]
    assert (rij["inwoners"], rij["misdrijven"]) == (10000, 900)
    assert g.referentie.dtypes["waarde"] == "float64" and g.referentie["bovengrens"].isna().sum() == 1
    assert len(g.proces) == 8 and g.proces.dtypes["meting"] == "int64"
    assert list(g.narratief["fragment_id"]) == ["F001", "F002"]
    assert GGD in g.bestanden and len(g.bestanden[GGD]) == 64 and "databron.yml" in g.bestanden


def test_meting_zonder_bestanden_ontbreekt(maak_map, config):
    g = laad_gegevens(maak_map(metingen=(2021, 2025)), config)
    assert g.metingen == [2021, 2025] and g.ontbrekende_metingen == [2023]
    assert set(g.survey["veiligheidsmonitor"]["meting"]) == {2021, 2025}


def test_map_bestaat_niet(tmp_path, config):
    assert problemen(tmp_path / "nergens", config) == [Probleem(
        str(tmp_path / "nergens"), [], None, "een datamap (zie data/FORMAAT.md)", "geen map")]


def test_alleen_databron_is_geen_meting(tmp_path, config):
    schrijf(tmp_path / "leeg", {"databron.yml": DATABRON})
    assert problemen(tmp_path / "leeg", config) == [Probleem(
        "leeg", [], None, "gegevens voor minstens één meting (een peiljaar uit metingen.yml)",
        "geen enkele meting met gegevens")]


# ---------------------------------------------------------------- one broken thing, one exact problem


def zet(bestand, rij, kolom, waarde):
    def wijzig(b):
        b[bestand].loc[rij, kolom] = waarde
    return wijzig


def zet_rijen(bestand, kolom, waarden: dict):
    def wijzig(b):
        for rij, waarde in waarden.items():
            b[bestand].loc[rij, kolom] = waarde
    return wijzig


def verwijder_kolom(bestand, kolom):
    def wijzig(b):
        del b[bestand][kolom]
    return wijzig


def voeg_toe(naam, inhoud):
    def wijzig(b):
        b[naam] = inhoud
    return wijzig


def _hernoem_ggd_naar_2019(b):
    df = b.pop(GGD)
    df["jaar"] = 2019
    b["survey/ggd_gezondheidsmonitor_2019.csv"] = df


def _buiten_gemeente(b):
    b[GGD].loc[0, ["wijkcode", "buurtcode"]] = ["WK035502", "BU03550205"]  # a Zeist wijk in gemeente Utrecht


def _register_dubbel(b):
    b[KWB] = pd.concat([b[KWB], b[KWB].iloc[[0]]], ignore_index=True)


def _teller_groter(b):
    b[KWB].loc[2, "woningen_corporatie"] = 9000  # row 2 is WK034403 2021, noemer woningen 4500


def _teller_groter_over_bestanden(b):
    b[GEMEENTE].loc[2, "bijstand_uitstroom_werk"] = 900  # noemer personen_bijstand 800 is in cbs_kwb.csv


def _dubbele_registerkolom(b):
    b[POLITIE]["inwoners"] = 1


def _rafelig(b):
    tekst = b[REF].to_csv(index=False).splitlines()
    tekst[2] += ",extra"
    b[REF] = "\n".join(tekst) + "\n"


def _geen_utf8(b):
    b[DUIDING] = "gebied,meting,pijler,tekst\novervecht,2021,gezondheid,caf\xe9\n".encode("latin-1")


def _alleen_kop(b):
    b[PROCES] = b[PROCES].iloc[:0]


def _zonder_databron(b):
    del b["databron.yml"]


def _dubbel_fragment(b):
    b[NARRATIEF].loc[1, "fragment_id"] = "F001"


def _duiding_indicator(*rijen):
    """Add per-indicator duiding rows (indicator, herkend, tekst[, pijler]) for overvecht at the first meting."""
    def wijzig(b):
        eerste = int(b[DUIDING].loc[0, "meting"])
        extra = pd.DataFrame([{"gebied": "overvecht", "meting": eerste, "pijler": (r[3] if len(r) > 3 else IND.pijler),
                               "indicator": r[0], "herkend": r[1], "tekst": r[2]} for r in rijen])
        b[DUIDING] = pd.concat([b[DUIDING].assign(indicator="", herkend=""), extra], ignore_index=True).astype(object)
    return wijzig


def _psu_leeg(b):
    b[GGD] = b[GGD].assign(stratum="A", psu="1")
    b[GGD].loc[8, "psu"] = ""


def _dubbele_respondent(b):
    b[GGD].loc[5, "respondent_id"] = b[GGD].loc[4, "respondent_id"]


FOUTEN = {
    # survey
    "survey_verplichte_kolom_ontbreekt": (
        verwijder_kolom(GGD, "gewicht"),
        Probleem(GGD, [1], "gewicht", "een verplichte kolom", "geen kolom met deze naam in de kopregel")),
    "survey_itemkolom_ontbreekt": (
        verwijder_kolom(GGD, "roken"),
        Probleem(GGD, [1], "roken", "een kolom voor het item van roken", "geen kolom met deze naam in de kopregel")),
    "survey_gewicht_niet_positief_of_oneindig": (
        zet_rijen(GGD, "gewicht", {3: "0", 7: "-1", 9: "inf", 11: ""}),
        Probleem(GGD, [5, 9, 11, 13], "gewicht", "een eindig getal > 0", "'0', '-1', 'inf', leeg")),
    "survey_niet_numeriek": (
        zet(GGD, 4, "ervaren_gezondheid", "goed"), Probleem(GGD, [6], "ervaren_gezondheid", "een getal", "'goed'")),
    "survey_code_buiten_geldige_codes": (
        zet(GGD, 0, "ervaren_gezondheid", 7),
        Probleem(GGD, [2], "ervaren_gezondheid",
                 "een van 1, 2, 3, 4, 5 (geldige_codes van ervaren_gezondheid_goed) of leeg", "'7'")),
    "survey_waarde_buiten_bereik": (
        zet(VM, 2, "cijfer_veiligheid", 11),
        Probleem(VM, [4], "cijfer_veiligheid",
                 "een waarde van 1 tot en met 10 (bereik van rapportcijfer_veiligheid) of leeg",
                 "'11'")),
    "survey_dubbele_respondent": (
        _dubbele_respondent,
        Probleem(GGD, [6, 7], "respondent_id", "een respondent_id die uniek is in het bestand", "ggd2020-004")),
    "survey_jaar_anders_dan_bestandsnaam": (
        zet(GGD, 1, "jaar", 2021), Probleem(GGD, [3], "jaar", "2020 (het peiljaar in de bestandsnaam)", "'2021'")),
    "survey_peiljaar_niet_in_metingen": (
        _hernoem_ggd_naar_2019,
        Probleem("survey/ggd_gezondheidsmonitor_2019.csv", [], None,
                 "een peiljaar van ggd_gezondheidsmonitor in metingen.yml (2020, 2022, 2024)", "2019")),
    "survey_gemeente_onbekend": (
        zet(GGD, 0, "gemeentecode", "GM0363"),
        Probleem(GGD, [2], "gemeentecode", "een gemeente uit gebieden.yml (GM0344, GM0356, GM0355, GM0307)",
                 "'GM0363'")),
    "survey_wijkcode_ongeldig": (
        zet(GGD, 0, "wijkcode", "WK3440"), Probleem(GGD, [2], "wijkcode", "een CBS-wijkcode (WK + 6 cijfers)", "'WK3440'")),
    "survey_buurtcode_leeg": (
        zet(GGD, 39, "buurtcode", ""), Probleem(GGD, [41], "buurtcode", "een CBS-buurtcode (BU + 8 cijfers)", "leeg")),
    "survey_wijk_niet_in_gemeente": (
        _buiten_gemeente,
        Probleem(GGD, [2], "wijkcode", "een wijk binnen de gemeentecode van de rij",
                 "'WK035502' bij gemeentecode GM0344")),
    "survey_buurt_niet_in_wijk": (
        zet(GGD, 20, "buurtcode", "BU03550305"),  # row 20 is in Vollenhove: wijk WK035502
        Probleem(GGD, [22], "buurtcode", "een buurt binnen de wijkcode van de rij", "'BU03550305' bij wijkcode WK035502")),
    "survey_stratum_zonder_psu": (
        lambda b: b[GGD].insert(3, "stratum", "A"),
        Probleem(GGD, [1], "stratum", "de kolommen 'stratum' en 'psu' samen", "alleen 'stratum'")),
    "survey_psu_leeg": (
        _psu_leeg,
        Probleem(GGD, [10], "psu", "een waarde (het bestand heeft stratum en psu)", "leeg")),
    "survey_kolomnaam_dubbel": (
        lambda b: b.update({VM: b[VM].to_csv(index=False).replace("geslacht", "gewicht", 1)}),
        Probleem(VM, [1], "gewicht", "elke kolomnaam één keer", "'gewicht' 2 keer")),
    "survey_kolom_zonder_naam": (
        lambda b: b.update({VM: b[VM].to_csv(index=False).replace("geslacht", "", 1)}),
        Probleem(VM, [1], None, "een naam voor elke kolom", "een kolom zonder naam op positie 8")),
    "survey_geslacht_onbekend": (
        zet(VM, 3, "geslacht", "m"), Probleem(VM, [5], "geslacht", "een van man, vrouw, anders", "'m'")),
    "survey_onbekend_bestand": (
        voeg_toe("survey/ggd_2022.csv", "respondent_id\n1\n"),
        Probleem("survey/ggd_2022.csv", [], None,
                 "een bestand survey/<bron>_<peiljaar>.csv (of .sav, .zsav) met als bron een van ggd_gezondheidsmonitor, "
                 "veiligheidsmonitor, of een bestand onder bestanden in kolommen.yml", "een onbekend bestand")),
    "survey_niet_ondersteund_formaat": (
        voeg_toe("survey/ggd_gezondheidsmonitor_2022.xlsx", b"PK\x03\x04"),
        Probleem("survey/ggd_gezondheidsmonitor_2022.xlsx", [], None,
                 "een bestand survey/<bron>_<peiljaar>.csv (of .sav, .zsav) met als bron een van ggd_gezondheidsmonitor, "
                 "veiligheidsmonitor, of een bestand onder bestanden in kolommen.yml", "een onbekend bestand")),
    # register
    "register_dubbele_rij": (
        _register_dubbel, Probleem(KWB, [2, 20], "gebiedscode", "één rij per gebiedscode en jaar", "GM0344 2021")),
    "register_negatief": (
        zet(KWB, 4, "inwoners", -5), Probleem(KWB, [6], "inwoners", "een getal >= 0", "'-5'")),
    "register_niet_numeriek": (
        zet(POLITIE, 0, "misdrijven", "veel"), Probleem(POLITIE, [2], "misdrijven", "een getal >= 0", "'veel'")),
    "register_teller_groter_dan_noemer": (
        _teller_groter,
        Probleem(KWB, [4], "woningen_corporatie", "hoogstens 'woningen' (teller en noemer van sociale_huur)",
                 "WK034403 2021: 9000 > 4500")),
    "register_teller_groter_dan_noemer_in_ander_bestand": (
        _teller_groter_over_bestanden,
        Probleem(GEMEENTE, [4], "bijstand_uitstroom_werk",
                 "hoogstens 'personen_bijstand' in register/cbs_kwb.csv (teller en noemer van uitstroom_bijstand_werk)",
                 "WK034403 2021: 900 > 800")),
    "register_codepatroon": (
        zet(KWB, 0, "gebiedscode", "WK12"),
        Probleem(KWB, [2], "gebiedscode", "een CBS-code (GM + 4, WK + 6 of BU + 8 cijfers)", "'WK12'")),
    "register_gemeente_onbekend": (
        zet(KWB, 0, "gebiedscode", "WK036301"),
        Probleem(KWB, [2], "gebiedscode", "een code in een gemeente uit gebieden.yml (GM0344, GM0356, GM0355, GM0307)",
                 "'WK036301'")),
    "register_kolom_in_twee_bestanden": (
        _dubbele_registerkolom,
        Probleem(POLITIE, [1], "inwoners", "een kolom die in geen ander registerbestand staat",
                 "ook in register/cbs_kwb.csv")),
    "register_jaar_geen_geheel_getal": (
        zet(KWB, 1, "jaar", "2023.5"), Probleem(KWB, [3], "jaar", "een geheel getal", "'2023.5'")),
    "register_onbekend_bestand": (
        voeg_toe("register/cbs.csv", "gebiedscode,jaar\nGM0344,2021\n"),
        Probleem("register/cbs.csv", [], None,
                 "een bestand register/<bron>.csv met als bron een van cbs_kwb, politie, duo, gemeente, jgz",
                 "een onbekend bestand")),
    # referentie
    "referentie_regiocode_onbekend": (
        zet(REF, 0, "regiocode", "GM0344"), Probleem(REF, [2], "regiocode", "een van NL01, PV26", "'GM0344'")),
    "referentie_indicator_onbekend": (
        zet(REF, 1, "indicator", "geluk"),
        Probleem(REF, [3], "indicator", "een indicator-id uit indicatoren.yml", "'geluk'")),
    "referentie_percentage_boven_100": (
        zet(REF, 1, "bovengrens", 101), Probleem(REF, [3], "bovengrens", "een percentage van 0 tot en met 100", "'101'")),
    "referentie_ondergrens_boven_waarde": (
        zet(REF, 0, "ondergrens", 80), Probleem(REF, [2], "ondergrens", "hoogstens 'waarde'", "80 bij waarde 78.5")),
    "referentie_bovengrens_onder_waarde": (
        zet(REF, 0, "bovengrens", 70), Probleem(REF, [2], "bovengrens", "minstens 'waarde'", "70 bij waarde 78.5")),
    "referentie_jaar_geen_peiljaar": (
        zet(REF, 2, "jaar", 2020),
        Probleem(REF, [4], "jaar", "een peiljaar van de bron van de indicator (metingen.yml)",
                 "'2020' voor rapportcijfer_veiligheid")),
    "referentie_rafelige_regel": (
        _rafelig, Probleem(REF, [3], None, "6 velden per regel, zoals in de kopregel", "7 velden")),
    # proces
    "proces_alleen_kopregel": (
        _alleen_kop, Probleem(PROCES, [], None, "minstens één rij met gegevens", "alleen de kopregel")),
    "proces_gebied_onbekend": (
        zet(PROCES, 0, "gebied", "utrecht"),
        Probleem(PROCES, [2], "gebied", f"een van {GEBIEDEN}", "'utrecht'")),
    "proces_meting_niet_geconfigureerd": (
        zet(PROCES, 0, "meting", 2022),
        Probleem(PROCES, [2], "meting", "een meting uit metingen.yml (2021, 2023, 2025)", "'2022'")),
    "proces_project_niet_in_logicmodel": (
        zet(PROCES, 0, "project", "BT1"),
        Probleem(PROCES, [2], "project", "een project-id uit het logic model van het gebied van de rij",
                 "'BT1' voor gebied overvecht")),
    "proces_status_onbekend": (
        zet(PROCES, 3, "status", "klaar"),
        Probleem(PROCES, [5], "status", "een van niet_gestart, loopt, vertraagd, afgerond, gestopt", "'klaar'")),
    "proces_gerealiseerd_boven_gepland": (
        zet(PROCES, 2, "mijlpalen_gerealiseerd", 5),
        Probleem(PROCES, [4], "mijlpalen_gerealiseerd", "hoogstens mijlpalen_gepland", "5 > 4")),
    "proces_negatief": (
        zet(PROCES, 1, "mijlpalen_gepland", -1), Probleem(PROCES, [3], "mijlpalen_gepland", "een geheel getal >= 0", "'-1'")),
    "proces_meer_opgeleverd_dan_beoogd": (  # O1 of Overvecht has four beoogde resultaten in its logic model
        zet(PROCES, 0, "resultaten_opgeleverd", 5),
        Probleem(PROCES, [2], "resultaten_opgeleverd", "hoogstens het aantal beoogde resultaten van het project in het "
                 "logic model", "5 van 4 voor project O1")),
    "proces_opgeleverd_geen_geheel_getal": (
        zet(PROCES, 0, "resultaten_opgeleverd", 1.5),
        Probleem(PROCES, [2], "resultaten_opgeleverd", "een geheel getal >= 0", "'1.5'")),
    "proces_bereik_negatief": (
        zet(PROCES, 1, "bereik", "-20"), Probleem(PROCES, [3], "bereik", "een geheel getal >= 0", "'-20'")),
    "proces_uitgaven_geen_getal": (
        zet(PROCES, 1, "uitgaven_euro", "veel"), Probleem(PROCES, [3], "uitgaven_euro", "een getal >= 0", "'veel'")),
    # narratief
    "narratief_dubbel_fragment_id": (
        _dubbel_fragment, Probleem(NARRATIEF, [2, 3], "fragment_id", "een fragment_id die uniek is in het bestand", "F001")),
    "narratief_pijler_onbekend": (
        zet(NARRATIEF, 0, "pijler", "sport"),
        Probleem(NARRATIEF, [2], "pijler",
                 "een van gezondheid, veiligheid, participatie_armoede, onderwijs, wonen_leefomgeving", "'sport'")),
    "narratief_groep_onbekend": (
        zet(NARRATIEF, 1, "groep", "ambtenaar"),
        Probleem(NARRATIEF, [3], "groep", "een van bewoner, professional", "'ambtenaar'")),
    "narratief_sentiment_onbekend": (
        zet(NARRATIEF, 1, "sentiment", "boos"),
        Probleem(NARRATIEF, [3], "sentiment", "een van positief, neutraal, negatief", "'boos'")),
    # duiding
    "duiding_tekst_leeg": (
        zet(DUIDING, 0, "tekst", ""),
        Probleem(DUIDING, [2], "tekst", "een tekst (alleen bij een indicator met herkend 'ja' mag die leeg zijn)",
                 "leeg")),
    "duiding_indicator_onbekend": (
        _duiding_indicator(("bestaat_niet", "ja", "")),
        Probleem(DUIDING, [3], "indicator", "een indicator-id uit indicatoren.yml of leeg (duiding van de pijler)",
                 "'bestaat_niet'")),
    "duiding_indicator_van_andere_pijler": (
        _duiding_indicator((ANDER.id, "ja", "")),
        Probleem(DUIDING, [3], "indicator", "een indicator van de pijler van de rij, voor het gebied van de rij",
                 f"'{ANDER.id}' bij pijler {IND.pijler}, gebied overvecht")),
    "duiding_herkend_ontbreekt": (
        _duiding_indicator((IND.id, "", "Klopt.")),
        Probleem(DUIDING, [3], "herkend", "bij een indicator een van ja, deels, nee (herkent u dit?)", "leeg")),
    "duiding_herkend_onbekend": (
        _duiding_indicator((IND.id, "misschien", "Klopt.")),
        Probleem(DUIDING, [3], "herkend", "een van ja, deels, nee", "'misschien'")),
    "duiding_herkend_zonder_indicator": (
        _duiding_indicator(("", "ja", "Over de hele pijler.", ANDER.pijler)),
        Probleem(DUIDING, [3], "herkend", "leeg bij een duiding van de pijler (geen indicator)", "'ja'")),
    "duiding_verklaring_ontbreekt_bij_nee": (
        _duiding_indicator((IND.id, "nee", "")),
        Probleem(DUIDING, [3], "tekst", "een tekst (alleen bij een indicator met herkend 'ja' mag die leeg zijn)",
                 "leeg")),
    "duiding_tekst_te_lang": (
        _duiding_indicator((IND.id, "deels", "a" * 1001)),
        Probleem(DUIDING, [3], "tekst", "hoogstens 1000 tekens", "1001 tekens")),
    "duiding_indicator_dubbel": (
        _duiding_indicator((IND.id, "ja", ""), (IND.id, "nee", "Toch niet.")),
        Probleem(DUIDING, [3, 4], "gebied", "één rij per gebied, meting, pijler en indicator (leeg: de pijler zelf)",
                 f"overvecht 2021 {IND.pijler} {IND.id}")),
    "duiding_meting_onbekend": (
        zet(DUIDING, 0, "meting", 2024),
        Probleem(DUIDING, [2], "meting", "een meting uit metingen.yml (2021, 2023, 2025)", "'2024'")),
    "duiding_leeg_bestand": (
        voeg_toe(DUIDING, ""), Probleem(DUIDING, [], None, "een kopregel en rijen met gegevens", "een leeg bestand")),
    "duiding_pijler_onbekend": (
        zet(DUIDING, 0, "pijler", "cultuur"),
        Probleem(DUIDING, [2], "pijler",
                 "een van gezondheid, veiligheid, participatie_armoede, onderwijs, wonen_leefomgeving", "'cultuur'")),
    "duiding_niet_utf8": (
        _geen_utf8, Probleem(DUIDING, [2], None, "tekst in UTF-8 (sla het bestand op als UTF-8)", "byte 0xe9")),
    # other files
    "vaste_map_onbekend_bestand": (
        voeg_toe("proces/projecten_oud.csv", "a\n1\n"),
        Probleem("proces/projecten_oud.csv", [], None, "alleen het bestand proces/projecten.csv in proces/",
                 "een onbekend bestand")),
    "manifest_klopt_niet": (
        voeg_toe("MANIFEST.sha256", "0" * 64 + "  " + DUIDING + "\n"),
        Probleem("MANIFEST.sha256", [1], None, f"de sha256 van {DUIDING} zoals vermeld",
                 "een ander controlegetal (het bestand is gewijzigd); MANIFEST.sha256 is niet verplicht: verwijder het "
                 "als je de bestanden bewust hebt gewijzigd (bijvoorbeeld in een kopie van de demodata)")),
    "databron_ontbreekt": (
        _zonder_databron,
        Probleem("databron.yml", [], None,
                 "een mapping met de sleutels naam (tekst), demodata (true of false), omschrijving (tekst)",
                 "geen bestand")),
    "databron_sleutel_ontbreekt": (
        voeg_toe("databron.yml", "naam: x\nomschrijving: y\n"),
        Probleem("databron.yml", [], None,
                 "een mapping met de sleutels naam (tekst), demodata (true of false), omschrijving (tekst)",
                 "verplichte sleutel 'demodata' ontbreekt; verwacht: waar/onwaar (true/false)")),
    "databron_onbekende_sleutel": (
        voeg_toe("databron.yml", DATABRON + "versie: 2\n"),
        Probleem("databron.yml", [], None,
                 "een mapping met de sleutels naam (tekst), demodata (true of false), omschrijving (tekst)",
                 "onbekende sleutel 'versie'; toegestane sleutels: naam, demodata, omschrijving")),
    "kolommen_onbekende_bron": (
        voeg_toe("kolommen.yml", "ggd:\n  respondent_id: RESPNR\n"),
        Probleem("kolommen.yml", [], None,
                 "per bron (ggd_gezondheidsmonitor, veiligheidsmonitor, cbs_kwb, politie, duo, gemeente, jgz) "
                 "een mapping van onze kolomnamen naar die van de export (een naam, of kolom met eventueel codes en "
                 "ontbrekend; data/FORMAAT.md)", "bron 'ggd'")),
}


@pytest.mark.parametrize("wijzig, verwacht", FOUTEN.values(), ids=FOUTEN.keys())
def test_fout(maak_map, config, wijzig, verwacht):
    assert problemen(maak_map(wijzig), config) == [verwacht]


def test_duiding_per_indicator_laadt(maak_map, config):
    """A herkend 'ja' needs no text; the pijler row keeps an empty indicator."""
    g = laad_gegevens(maak_map(_duiding_indicator((IND.id, "ja", ""))), config)
    d = g.duiding
    assert list(d.columns) == ["gebied", "meting", "pijler", "indicator", "herkend", "tekst"]
    assert d["indicator"].isna().tolist() == [True, False] and d["herkend"].tolist()[1] == "ja"


def test_meerdere_problemen_in_een_bestand(maak_map, config):
    def wijzig(b):
        zet_rijen(GGD, "gewicht", {i: "0" for i in range(10, 18)})(b)
        zet(GGD, 0, "geslacht", "onbekend")(b)
        del b[GGD]["roken"]
        zet(KWB, 0, "inwoners", "-1")(b)

    fout = pytest.raises(DataFout, laad_gegevens, maak_map(wijzig), config).value
    assert [(p.bestand, p.kolom) for p in fout.problemen] == [
        (GGD, "gewicht"), (GGD, "geslacht"), (GGD, "roken"), (KWB, "inwoners")]
    tekst = str(fout).splitlines()
    assert tekst[0].startswith("4 problemen in de gegevens in ")
    assert tekst[1] == (f"  {GGD}, regels 12, 13, 14, 15, 16 (en nog 3): kolom 'gewicht': "
                        "verwacht een eindig getal > 0, gevonden '0'")
    assert fout.problemen[0].regels == list(range(12, 20))


def test_stratum_en_psu_worden_gelezen(maak_map, config):
    def wijzig(b):
        b[GGD] = b[GGD].assign(stratum=["noord"] * 20 + ["zuid"] * 20, psu=[str(i // 4) for i in range(40)])

    g = laad_gegevens(maak_map(wijzig), config)
    ggd = g.survey["ggd_gezondheidsmonitor"]
    assert list(ggd.columns[:11]) == ["respondent_id", "jaar", "meting", "gemeentecode", "wijkcode", "buurtcode",
                                      "gewicht", "leeftijdsklasse", "geslacht", "stratum", "psu"]
    assert ggd["stratum"].notna().sum() == 40 and ggd["psu"].isna().sum() == 40  # only the 2020 file has them


def _psu_per_stratum_genummerd(b):
    """Two strata whose PSUs are numbered 1-5 in each: psu '1' of noord is not psu '1' of zuid."""
    b[GGD] = b[GGD].assign(stratum=["noord"] * 20 + ["zuid"] * 20, psu=[str(i % 20 // 4 + 1) for i in range(40)])


def _met_psu_instelling(config, genest):
    from dataclasses import replace

    from vwanalyse.model.configuratie import Steekproefontwerp

    return replace(config, instellingen=replace(config.instellingen,
                                                steekproefontwerp=Steekproefontwerp(psu_genest_in_stratum=genest)))


def test_psu_code_in_meer_strata_vraagt_om_de_instelling(maak_map, config):
    map_ = maak_map(_psu_per_stratum_genummerd)
    (p,) = problemen(map_, config)
    assert (p.bestand, p.kolom, p.regels) == (GGD, "psu", [2, 3, 4, 5, 22, 23, 24, 25])
    assert p.gevonden == "psu-code '1' in de strata 'noord', 'zuid' (en nog 4 psu-code(s) in meer dan één stratum)"
    assert p.verwacht.startswith("een keuze in steekproefontwerp.psu_genest_in_stratum in data/config/instellingen.yml: "
                                 "true als de psu-codes per stratum genummerd zijn")
    # false: the codes should be unique in the file, so this is an error in the data
    (p,) = problemen(map_, _met_psu_instelling(config, False))
    assert p.verwacht == ("elke psu-code in één stratum (steekproefontwerp.psu_genest_in_stratum in "
                          "data/config/instellingen.yml is false: codes zijn uniek in het bestand)")
    # true: read as nested, and the report says so
    genest = _met_psu_instelling(config, True)
    ggd = laad_gegevens(map_, genest).survey["ggd_gezondheidsmonitor"]
    ggd = ggd[ggd["jaar"] == 2020]
    ontwerp = Ontwerp.uit_cellen(ggd["gewicht"], np.zeros(len(ggd)), 1, [0], [0], 1, ggd["stratum"], ggd["psu"])
    assert ggd["psu"].nunique() == 5 and ontwerp.psu.max() + 1 == 10  # ten PSUs: (stratum, psu) pairs
    assert dict(controleer_map(map_, genest))[GGD] == ("ok: 40 rijen; 5 psu-code(s) in meer dan één stratum, "
                                                       "gelezen als per stratum genummerd (psu_genest_in_stratum: true)")


def test_probleem_tekst():
    p = Probleem(GGD, [17, 203, 410], "gewicht", "een eindig getal > 0", "'0', '-1', 'inf'")
    assert str(p) == (f"{GGD}, regels 17, 203, 410: kolom 'gewicht': verwacht een eindig getal > 0, "
                      "gevonden '0', '-1', 'inf'")
    assert str(Probleem("databron.yml", [], None, "een bestand", "geen bestand")) == \
        "databron.yml: verwacht een bestand, gevonden geen bestand"


# ---------------------------------------------------------------- formats


def test_nederlandse_csv_leest_als_internationale(tmp_path):
    df = pd.DataFrame({"respondent_id": ["a1", "a2", "a3"], "gewicht": ["1.25", "0.5", None],
                       "tekst": ["zeer goed, zei ze", "x", "."]})
    internationaal = tmp_path / "int.csv"
    df.to_csv(internationaal, index=False)
    nederlands = tmp_path / "nl.csv"
    nederlands.write_bytes("\ufeffrespondent_id;gewicht;tekst\r\na1;1,25;zeer goed, zei ze\r\na2;0,5;x\r\na3;.;\r\n"
                           .encode("utf-8"))
    a, b = lees_csv(internationaal), lees_csv(nederlands)
    pd.testing.assert_frame_equal(a, b)
    assert list(a["gewicht"].fillna("-")) == ["1.25", "0.5", "-"]
    assert list(a["tekst"].fillna("-")) == ["zeer goed, zei ze", "-", "-"]
    assert list(a.index) == [2, 3, 4]


def test_nederlandse_survey_laadt_als_internationale(maak_map, config, tmp_path):
    gewoon = laad_gegevens(maak_map(), config)
    map_ = tmp_path / "data"
    df = bestanden_voor(config)[VM].infer_objects()
    tekst = df.to_csv(index=False, sep=";", decimal=",").replace(";;", ";.;")
    (map_ / VM).write_bytes(("\ufeff" + tekst).encode("utf-8"))
    assert ",5" in tekst and ";.;" in tekst
    nl = laad_gegevens(map_, config)
    pd.testing.assert_frame_equal(gewoon.survey["veiligheidsmonitor"], nl.survey["veiligheidsmonitor"])


def test_kolommen_yml_hernoemt_een_echte_export(maak_map, config, tmp_path):
    gewoon = laad_gegevens(maak_map(), config)

    def als_export(b):
        for naam in (GGD, "survey/ggd_gezondheidsmonitor_2022.csv"):
            b[naam] = b[naam].rename(columns={"respondent_id": "RESPNR", "gewicht": "EWGGD",
                                              "ervaren_gezondheid": "GZGGA401"})
        b["kolommen.yml"] = yaml.safe_dump({"ggd_gezondheidsmonitor": {
            "respondent_id": "RESPNR", "gewicht": "EWGGD", "ervaren_gezondheid": "GZGGA401"}})

    map_ = maak_map(als_export)
    export = laad_gegevens(map_, config)
    pd.testing.assert_frame_equal(gewoon.survey["ggd_gezondheidsmonitor"], export.survey["ggd_gezondheidsmonitor"])
    assert "kolommen.yml" in export.bestanden

    df = pd.read_csv(map_ / GGD, dtype=str).rename(columns={"EWGGD": "gewicht_export"})
    df.to_csv(map_ / GGD, index=False)
    assert problemen(map_, config) == [Probleem(GGD, [1], "gewicht", "een verplichte kolom (kolommen.yml vertaalt "
                                                "'EWGGD' naar deze kolom)", "geen kolom met deze naam in de kopregel")]


# ---------------------------------------------------------------- the report and the command line


def test_controleer_map_rapport(maak_map, config):
    map_ = maak_map(voeg_toe("LEESMIJ.txt", "notities"))
    (map_ / PROCES).unlink()
    df = pd.read_csv(map_ / VM, dtype=str).assign(opmerking="-")
    df.to_csv(map_ / VM, index=False)
    rapport = dict(controleer_map(map_, config))
    assert rapport["databron.yml"] == "ok: testdata (demodata)"
    assert rapport[GGD] == "ok: 40 rijen"
    assert rapport[VM] == "ok: 40 rijen; extra kolommen genegeerd: opmerking"
    assert rapport["LEESMIJ.txt"] == "genegeerd: onbekend bestand"
    assert rapport[PROCES] == "ontbreekt: geen gegevens"
    g = laad_gegevens(map_, config)
    assert "opmerking" not in g.survey["veiligheidsmonitor"] and g.proces.empty


def test_cli_data_check(maak_map, capsys):
    map_ = maak_map()
    assert cli.main(["data", "check", str(map_)]) == 0
    assert f"{GGD}: ok: 40 rijen" in capsys.readouterr().out
    df = pd.read_csv(map_ / GGD, dtype=str)
    df.loc[0, "gewicht"] = "0"
    df.to_csv(map_ / GGD, index=False)
    assert cli.main(["data", "check", str(map_)]) == 2  # bad input: the exit code of `build` for the same folder
    uit = capsys.readouterr().out
    assert f"{GGD}: fout: regel 2: kolom 'gewicht': verwacht een eindig getal > 0, gevonden '0'" in uit


# ---------------------------------------------------------------- the demo data


def test_demodata_laadt(config):
    demo = ROOT / "data" / "demo"
    if not (demo / "databron.yml").is_file():
        pytest.skip("data/demo is not there (yet)")
    g = laad_gegevens(demo, config)
    assert g.databron["demodata"] is True and g.metingen
    assert all(len(df) > 0 for df in g.survey.values()) and len(g.register) > 0
    fouten = [(b, t) for b, t in controleer_map(demo, config) if t.startswith("fout")]
    assert fouten == []
