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

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to

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


# ---------------------------------------------------------------- a minimal valid folder


def _respondent_codes(gebied, gemeente: str) -> list[tuple[str, str, str]]:
    """(gemeentecode, wijkcode, buurtcode) for 5 respondents in the gebied and 5 elsewhere in its gemeente."""
    binnen = [("WK" + c[2:], "BU" + c[2:] + "01") if c.startswith("WK") else ("WK" + c[2:8], c)
              for c in gebied.codes]
    rest = ("WK" + gemeente[2:] + "99", "BU" + gemeente[2:] + "9901")
    return [(gemeente, *binnen[i % len(binnen)]) for i in range(5)] + [(gemeente, *rest)] * 5


def _survey(config, bron: str, peiljaar: int) -> pd.DataFrame:
    rijen = []
    for g in config.gebieden:
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
    codes = list(dict.fromkeys(c for g in config.gebieden for c in [g.gemeente, *g.codes]))
    rijen = [(c, j) for c in codes for j in jaren]
    kwb = pd.DataFrame(rijen, columns=["gebiedscode", "jaar"])
    groot = kwb["gebiedscode"].str.startswith("GM")
    kwb["inwoners"] = np.where(groot, 100000, 10000)
    kwb["woningen"] = np.where(groot, 45000, 4500)
    kwb["woningen_corporatie"] = np.where(groot, 15000, 3000)
    kwb["personen_bijstand"] = np.where(groot, 4000, 800)
    politie = kwb[["gebiedscode", "jaar"]].assign(misdrijven=np.where(groot, 6000, 900))
    gemeente = kwb[["gebiedscode", "jaar"]].assign(bijstand_uitstroom_werk=np.where(groot, 300, 60))
    return {KWB: kwb.astype(object), POLITIE: politie.astype(object), GEMEENTE: gemeente.astype(object)}


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
        [(g, m, config.logicmodellen[g].projecten[0].id, "loopt", 4, 2, "") for g in config.gebied for m in metingen],
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
        str(tmp_path / "nergens"), [], None, "a data folder (see data/FORMAAT.md)", "no such folder")]


def test_alleen_databron_is_geen_meting(tmp_path, config):
    schrijf(tmp_path / "leeg", {"databron.yml": DATABRON})
    assert problemen(tmp_path / "leeg", config) == [Probleem(
        "leeg", [], None, "data for at least one meting (a peiljaar from metingen.yml)", "no data for any meting")]


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


def _psu_leeg(b):
    b[GGD] = b[GGD].assign(stratum="A", psu="1")
    b[GGD].loc[8, "psu"] = ""


def _dubbele_respondent(b):
    b[GGD].loc[5, "respondent_id"] = b[GGD].loc[4, "respondent_id"]


FOUTEN = {
    # survey
    "survey_verplichte_kolom_ontbreekt": (
        verwijder_kolom(GGD, "gewicht"), Probleem(GGD, [1], "gewicht", "a required column", "no such column in the header")),
    "survey_itemkolom_ontbreekt": (
        verwijder_kolom(GGD, "roken"),
        Probleem(GGD, [1], "roken", "a column for the item of roken", "no such column in the header")),
    "survey_gewicht_niet_positief_of_oneindig": (
        zet_rijen(GGD, "gewicht", {3: "0", 7: "-1", 9: "inf", 11: ""}),
        Probleem(GGD, [5, 9, 11, 13], "gewicht", "a finite number > 0", "'0', '-1', 'inf', empty")),
    "survey_niet_numeriek": (
        zet(GGD, 4, "ervaren_gezondheid", "goed"), Probleem(GGD, [6], "ervaren_gezondheid", "a number", "'goed'")),
    "survey_code_buiten_geldige_codes": (
        zet(GGD, 0, "ervaren_gezondheid", 7),
        Probleem(GGD, [2], "ervaren_gezondheid",
                 "one of 1, 2, 3, 4, 5 (geldige_codes of ervaren_gezondheid_goed) or empty", "'7'")),
    "survey_waarde_buiten_bereik": (
        zet(VM, 2, "cijfer_veiligheid", 11),
        Probleem(VM, [4], "cijfer_veiligheid", "a value from 1 to 10 (bereik of rapportcijfer_veiligheid) or empty",
                 "'11'")),
    "survey_dubbele_respondent": (
        _dubbele_respondent,
        Probleem(GGD, [6, 7], "respondent_id", "a respondent_id unique in the file", "ggd2020-004")),
    "survey_jaar_anders_dan_bestandsnaam": (
        zet(GGD, 1, "jaar", 2021), Probleem(GGD, [3], "jaar", "2020 (the peiljaar in the file name)", "'2021'")),
    "survey_peiljaar_niet_in_metingen": (
        _hernoem_ggd_naar_2019,
        Probleem("survey/ggd_gezondheidsmonitor_2019.csv", [], None,
                 "a peiljaar of ggd_gezondheidsmonitor in metingen.yml (2020, 2022, 2024)", "2019")),
    "survey_gemeente_onbekend": (
        zet(GGD, 0, "gemeentecode", "GM0363"),
        Probleem(GGD, [2], "gemeentecode", "a gemeente from gebieden.yml (GM0344, GM0356, GM0355, GM0307)",
                 "'GM0363'")),
    "survey_wijkcode_ongeldig": (
        zet(GGD, 0, "wijkcode", "WK3440"), Probleem(GGD, [2], "wijkcode", "a CBS wijk code (WK + 6 digits)", "'WK3440'")),
    "survey_buurtcode_leeg": (
        zet(GGD, 39, "buurtcode", ""), Probleem(GGD, [41], "buurtcode", "a CBS buurt code (BU + 8 digits)", "empty")),
    "survey_wijk_niet_in_gemeente": (
        _buiten_gemeente,
        Probleem(GGD, [2], "wijkcode", "a wijk inside the row's gemeentecode", "'WK035502' with gemeentecode GM0344")),
    "survey_buurt_niet_in_wijk": (
        zet(GGD, 20, "buurtcode", "BU03550305"),  # row 20 is in Vollenhove: wijk WK035502
        Probleem(GGD, [22], "buurtcode", "a buurt inside the row's wijkcode", "'BU03550305' with wijkcode WK035502")),
    "survey_stratum_zonder_psu": (
        lambda b: b[GGD].insert(3, "stratum", "A"),
        Probleem(GGD, [1], "stratum", "columns 'stratum' and 'psu' together", "only 'stratum'")),
    "survey_psu_leeg": (
        _psu_leeg,
        Probleem(GGD, [10], "psu", "a value (the file has stratum and psu)", "empty")),
    "survey_kolomnaam_dubbel": (
        lambda b: b.update({VM: b[VM].to_csv(index=False).replace("geslacht", "gewicht", 1)}),
        Probleem(VM, [1], "gewicht", "each column name once", "'gewicht' 2 times")),
    "survey_kolom_zonder_naam": (
        lambda b: b.update({VM: b[VM].to_csv(index=False).replace("geslacht", "", 1)}),
        Probleem(VM, [1], None, "a name for every column", "an unnamed column at position 8")),
    "survey_geslacht_onbekend": (
        zet(VM, 3, "geslacht", "m"), Probleem(VM, [5], "geslacht", "one of man, vrouw, anders", "'m'")),
    "survey_onbekend_bestand": (
        voeg_toe("survey/ggd_2022.csv", "respondent_id\n1\n"),
        Probleem("survey/ggd_2022.csv", [], None,
                 "a file survey/<bron>_<peiljaar>.csv with bron one of ggd_gezondheidsmonitor, veiligheidsmonitor",
                 "an unknown file")),
    "survey_niet_ondersteund_formaat": (
        voeg_toe("survey/ggd_gezondheidsmonitor_2022.xlsx", b"PK\x03\x04"),
        Probleem("survey/ggd_gezondheidsmonitor_2022.xlsx", [], None,
                 "a file survey/<bron>_<peiljaar>.csv with bron one of ggd_gezondheidsmonitor, veiligheidsmonitor",
                 "an unknown file")),
    # register
    "register_dubbele_rij": (
        _register_dubbel, Probleem(KWB, [2, 20], "gebiedscode", "one row per gebiedscode and jaar", "GM0344 2021")),
    "register_negatief": (
        zet(KWB, 4, "inwoners", -5), Probleem(KWB, [6], "inwoners", "a number >= 0", "'-5'")),
    "register_niet_numeriek": (
        zet(POLITIE, 0, "misdrijven", "veel"), Probleem(POLITIE, [2], "misdrijven", "a number >= 0", "'veel'")),
    "register_teller_groter_dan_noemer": (
        _teller_groter,
        Probleem(KWB, [4], "woningen_corporatie", "at most 'woningen' (teller and noemer of sociale_huur)",
                 "WK034403 2021: 9000 > 4500")),
    "register_teller_groter_dan_noemer_in_ander_bestand": (
        _teller_groter_over_bestanden,
        Probleem(GEMEENTE, [4], "bijstand_uitstroom_werk",
                 "at most 'personen_bijstand' in register/cbs_kwb.csv (teller and noemer of uitstroom_bijstand_werk)",
                 "WK034403 2021: 900 > 800")),
    "register_codepatroon": (
        zet(KWB, 0, "gebiedscode", "WK12"),
        Probleem(KWB, [2], "gebiedscode", "a CBS code (GM + 4, WK + 6 or BU + 8 digits)", "'WK12'")),
    "register_gemeente_onbekend": (
        zet(KWB, 0, "gebiedscode", "WK036301"),
        Probleem(KWB, [2], "gebiedscode", "a code in a gemeente from gebieden.yml (GM0344, GM0356, GM0355, GM0307)",
                 "'WK036301'")),
    "register_kolom_in_twee_bestanden": (
        _dubbele_registerkolom,
        Probleem(POLITIE, [1], "inwoners", "a column that no other register file has", "also in register/cbs_kwb.csv")),
    "register_jaar_geen_geheel_getal": (
        zet(KWB, 1, "jaar", "2023.5"), Probleem(KWB, [3], "jaar", "an integer", "'2023.5'")),
    "register_onbekend_bestand": (
        voeg_toe("register/cbs.csv", "gebiedscode,jaar\nGM0344,2021\n"),
        Probleem("register/cbs.csv", [], None,
                 "a file register/<bron>.csv with bron one of cbs_kwb, politie, duo, gemeente, jgz", "an unknown file")),
    # referentie
    "referentie_regiocode_onbekend": (
        zet(REF, 0, "regiocode", "GM0344"), Probleem(REF, [2], "regiocode", "one of NL01, PV26", "'GM0344'")),
    "referentie_indicator_onbekend": (
        zet(REF, 1, "indicator", "geluk"),
        Probleem(REF, [3], "indicator", "an indicator id from indicatoren.yml", "'geluk'")),
    "referentie_percentage_boven_100": (
        zet(REF, 1, "bovengrens", 101), Probleem(REF, [3], "bovengrens", "a percentage from 0 to 100", "'101'")),
    "referentie_ondergrens_boven_waarde": (
        zet(REF, 0, "ondergrens", 80), Probleem(REF, [2], "ondergrens", "at most 'waarde'", "80 with waarde 78.5")),
    "referentie_bovengrens_onder_waarde": (
        zet(REF, 0, "bovengrens", 70), Probleem(REF, [2], "bovengrens", "at least 'waarde'", "70 with waarde 78.5")),
    "referentie_jaar_geen_peiljaar": (
        zet(REF, 2, "jaar", 2020),
        Probleem(REF, [4], "jaar", "a peiljaar of the indicator's bron (metingen.yml)",
                 "'2020' for rapportcijfer_veiligheid")),
    "referentie_rafelige_regel": (
        _rafelig, Probleem(REF, [3], None, "6 fields per line, as in the header", "7 fields")),
    # proces
    "proces_alleen_kopregel": (
        _alleen_kop, Probleem(PROCES, [], None, "at least one data row", "only the header line")),
    "proces_gebied_onbekend": (
        zet(PROCES, 0, "gebied", "utrecht"),
        Probleem(PROCES, [2], "gebied", "one of overvecht, batau, vollenhove, soesterkwartier", "'utrecht'")),
    "proces_meting_niet_geconfigureerd": (
        zet(PROCES, 0, "meting", 2022),
        Probleem(PROCES, [2], "meting", "a meting from metingen.yml (2021, 2023, 2025)", "'2022'")),
    "proces_project_niet_in_logicmodel": (
        zet(PROCES, 0, "project", "BT1"),
        Probleem(PROCES, [2], "project", "a project id from the logic model of the row's gebied",
                 "'BT1' for gebied overvecht")),
    "proces_status_onbekend": (
        zet(PROCES, 3, "status", "klaar"),
        Probleem(PROCES, [5], "status", "one of niet_gestart, loopt, vertraagd, afgerond, gestopt", "'klaar'")),
    "proces_gerealiseerd_boven_gepland": (
        zet(PROCES, 2, "mijlpalen_gerealiseerd", 5),
        Probleem(PROCES, [4], "mijlpalen_gerealiseerd", "at most mijlpalen_gepland", "5 > 4")),
    "proces_negatief": (
        zet(PROCES, 1, "mijlpalen_gepland", -1), Probleem(PROCES, [3], "mijlpalen_gepland", "an integer >= 0", "'-1'")),
    # narratief
    "narratief_dubbel_fragment_id": (
        _dubbel_fragment, Probleem(NARRATIEF, [2, 3], "fragment_id", "a fragment_id unique in the file", "F001")),
    "narratief_pijler_onbekend": (
        zet(NARRATIEF, 0, "pijler", "sport"),
        Probleem(NARRATIEF, [2], "pijler",
                 "one of gezondheid, veiligheid, participatie_armoede, onderwijs, wonen_leefomgeving", "'sport'")),
    "narratief_groep_onbekend": (
        zet(NARRATIEF, 1, "groep", "ambtenaar"),
        Probleem(NARRATIEF, [3], "groep", "one of bewoner, professional", "'ambtenaar'")),
    "narratief_sentiment_onbekend": (
        zet(NARRATIEF, 1, "sentiment", "boos"),
        Probleem(NARRATIEF, [3], "sentiment", "one of positief, neutraal, negatief", "'boos'")),
    # duiding
    "duiding_tekst_leeg": (
        zet(DUIDING, 0, "tekst", ""), Probleem(DUIDING, [2], "tekst", "a text", "empty")),
    "duiding_meting_onbekend": (
        zet(DUIDING, 0, "meting", 2024),
        Probleem(DUIDING, [2], "meting", "a meting from metingen.yml (2021, 2023, 2025)", "'2024'")),
    "duiding_leeg_bestand": (
        voeg_toe(DUIDING, ""), Probleem(DUIDING, [], None, "a header line and data rows", "an empty file")),
    "duiding_pijler_onbekend": (
        zet(DUIDING, 0, "pijler", "cultuur"),
        Probleem(DUIDING, [2], "pijler",
                 "one of gezondheid, veiligheid, participatie_armoede, onderwijs, wonen_leefomgeving", "'cultuur'")),
    "duiding_niet_utf8": (
        _geen_utf8, Probleem(DUIDING, [2], None, "UTF-8 text (save the file as UTF-8)", "byte 0xe9")),
    # other files
    "vaste_map_onbekend_bestand": (
        voeg_toe("proces/projecten_oud.csv", "a\n1\n"),
        Probleem("proces/projecten_oud.csv", [], None, "only the file proces/projecten.csv in proces/",
                 "an unknown file")),
    "manifest_klopt_niet": (
        voeg_toe("MANIFEST.sha256", "0" * 64 + "  " + DUIDING + "\n"),
        Probleem("MANIFEST.sha256", [1], None, f"the sha256 of {DUIDING} as listed",
                 "a different checksum (the file changed)")),
    "databron_ontbreekt": (
        _zonder_databron,
        Probleem("databron.yml", [], None,
                 "a mapping with keys naam (text), demodata (true/false), omschrijving (text)", "no such file")),
    "databron_sleutel_ontbreekt": (
        voeg_toe("databron.yml", "naam: x\nomschrijving: y\n"),
        Probleem("databron.yml", [], None,
                 "a mapping with keys naam (text), demodata (true/false), omschrijving (text)",
                 "verplichte sleutel 'demodata' ontbreekt; verwacht: waar/onwaar (true/false)")),
    "databron_onbekende_sleutel": (
        voeg_toe("databron.yml", DATABRON + "versie: 2\n"),
        Probleem("databron.yml", [], None,
                 "a mapping with keys naam (text), demodata (true/false), omschrijving (text)",
                 "onbekende sleutel 'versie'; toegestane sleutels: naam, demodata, omschrijving")),
    "kolommen_onbekende_bron": (
        voeg_toe("kolommen.yml", "ggd:\n  respondent_id: RESPNR\n"),
        Probleem("kolommen.yml", [], None,
                 "per bron (ggd_gezondheidsmonitor, veiligheidsmonitor, cbs_kwb, politie, duo, gemeente, jgz) "
                 "a mapping of our column names to the export's", "bron 'ggd'")),
}


@pytest.mark.parametrize("wijzig, verwacht", FOUTEN.values(), ids=FOUTEN.keys())
def test_fout(maak_map, config, wijzig, verwacht):
    assert problemen(maak_map(wijzig), config) == [verwacht]


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
    assert tekst[0].startswith("4 problems in the data in ")
    assert tekst[1] == (f"  {GGD}, lines 12, 13, 14, 15, 16 (and 3 more): column 'gewicht': "
                        "expected a finite number > 0, found '0'")
    assert fout.problemen[0].regels == list(range(12, 20))


def test_stratum_en_psu_worden_gelezen(maak_map, config):
    def wijzig(b):
        b[GGD] = b[GGD].assign(stratum=["noord", "zuid"] * 20, psu=[str(i // 4) for i in range(40)])

    g = laad_gegevens(maak_map(wijzig), config)
    ggd = g.survey["ggd_gezondheidsmonitor"]
    assert list(ggd.columns[:11]) == ["respondent_id", "jaar", "meting", "gemeentecode", "wijkcode", "buurtcode",
                                      "gewicht", "leeftijdsklasse", "geslacht", "stratum", "psu"]
    assert ggd["stratum"].notna().sum() == 40 and ggd["psu"].isna().sum() == 40  # only the 2020 file has them


def test_probleem_tekst():
    p = Probleem(GGD, [17, 203, 410], "gewicht", "a finite number > 0", "'0', '-1', 'inf'")
    assert str(p) == f"{GGD}, lines 17, 203, 410: column 'gewicht': expected a finite number > 0, found '0', '-1', 'inf'"
    assert str(Probleem("databron.yml", [], None, "a file", "no such file")) == \
        "databron.yml: expected a file, found no such file"


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
    assert problemen(map_, config) == [Probleem(GGD, [1], "gewicht", "a required column (kolommen.yml maps it from "
                                                "'EWGGD')", "no such column in the header")]


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
    assert f"{GGD}: fout: line 2: column 'gewicht': expected a finite number > 0, found '0'" in uit


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
