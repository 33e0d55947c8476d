"""Real exports: SPSS files with value labels and user-missing codes, the recoding rules of
kolommen.yml, the label check against the catalogue, and the rehearsal export of the demo
generator that goes through `data importeer` to the same results table as the demo data."""

from __future__ import annotations

import pandas as pd
import pyreadstat
import pytest
import yaml

from vwanalyse.cli import main
from vwanalyse.invoer.bronnen import laad_gegevens, lees_map
from vwanalyse.model.configuratie import laad_configuratie
from vwanalyse.model.schema import ConfigFout
from vwanalyse.resultaten.berekening import bereken_resultaten

GGD = "ggd_gezondheidsmonitor"
BESTAND = f"survey/{GGD}_2024.sav"
OEFEN = "survey/GM2024_export.sav"  # the rehearsal export names its GGD files as the GGD does


# ---------------------------------------------------------------- the rehearsal export


@pytest.fixture(scope="module")
def oefenexport(tmp_path_factory):
    map = tmp_path_factory.mktemp("oefen") / "export"
    assert main(["demodata", "--oefenexport", str(map)]) == 0
    return map


@pytest.fixture(scope="module")
def geimporteerd(oefenexport):
    doel = oefenexport.parent / "geimporteerd"
    assert main(["data", "importeer", str(oefenexport), str(doel)]) == 0
    return doel


def test_oefenexport_ziet_eruit_als_een_ggd_export(oefenexport):
    assert not (oefenexport / "MANIFEST.sha256").exists()
    df, meta = pyreadstat.read_sav(str(oefenexport / OEFEN), user_missing=True)
    assert "respondent_id" not in df.columns and "RESPNR" in df.columns
    assert "JAAR" not in df.columns  # kolommen.yml's `bestanden` gives the peiljaar
    assert yaml.safe_load((oefenexport / "kolommen.yml").read_text(encoding="utf-8"))[GGD]["bestanden"] == {
        "GM2020_export.sav": 2020, "GM2022_export.sav": 2022, "GM2024_export.sav": 2024}
    assert set(df["GESLACHT"].dropna()) <= {1.0, 2.0, 3.0}
    assert meta.variable_value_labels["GG_ERVAREN_GEZONDHEID"][1.0] == "zeer goed"
    assert meta.missing_ranges["GG_ERVAREN_GEZONDHEID"] == [{"lo": 9.0, "hi": 9.0}]
    assert (df["GG_ERVAREN_GEZONDHEID"] == 9).any()  # missing answers are codes, not empty cells
    assert sorted(p.suffix for p in (oefenexport / "survey").iterdir()) == [".sav"] * 3 + [".zsav"] * 3


def test_oefenexport_na_importeer_geeft_de_resultaten_van_de_demodata(config, geimporteerd, demo_resultaten):
    assert not (geimporteerd / "kolommen.yml").exists()
    assert sorted(p.name for p in (geimporteerd / "survey").iterdir())[:3] == [
        f"{GGD}_2020.csv", f"{GGD}_2022.csv", f"{GGD}_2024.csv"]  # GM2020_export.sav ... under our names
    nieuw = bereken_resultaten(config, laad_gegevens(geimporteerd, config))
    pd.testing.assert_frame_equal(nieuw.tabel, demo_resultaten.tabel)
    pd.testing.assert_frame_equal(nieuw.effecten, demo_resultaten.effecten)


def test_data_check_en_build_lezen_de_sav_ook_direct(config, oefenexport, demo_resultaten, capsys):
    assert main(["data", "check", str(oefenexport)]) == 0
    assert f"{OEFEN}: ok: 7.775 records; als ontbrekend gelezen (ontbrekende codes): ervaren_gezondheid 252" in \
        capsys.readouterr().out
    nieuw = bereken_resultaten(config, laad_gegevens(oefenexport, config))
    pd.testing.assert_frame_equal(nieuw.tabel, demo_resultaten.tabel)


def test_importeer_schrijft_niets_bij_een_fout(oefenexport, tmp_path, capsys):
    kapot = tmp_path / "export"
    kapot.mkdir()
    for pad in oefenexport.rglob("*"):
        if pad.is_file():
            (kapot / pad.relative_to(oefenexport)).parent.mkdir(parents=True, exist_ok=True)
            (kapot / pad.relative_to(oefenexport)).write_bytes(pad.read_bytes())
    tekst = (kapot / "kolommen.yml").read_text(encoding="utf-8")
    (kapot / "kolommen.yml").write_text(tekst.replace("gewicht: EWGGD", "gewicht: GEWICHT", 1), encoding="utf-8")
    assert main(["data", "importeer", str(kapot), str(tmp_path / "doel")]) == 2
    assert not (tmp_path / "doel").exists() and not list(tmp_path.glob(".doel.*"))
    assert "kolom 'gewicht': verwacht een verplichte kolom (kolommen.yml vertaalt 'GEWICHT' naar deze kolom), " \
           "gevonden geen variabele met deze naam in het bestand" in capsys.readouterr().err
    (tmp_path / "vol").mkdir()
    (tmp_path / "vol" / "x").write_text("", encoding="utf-8")
    assert main(["data", "importeer", str(oefenexport), str(tmp_path / "vol")]) == 2
    assert "bestaat al en is niet leeg" in capsys.readouterr().err


# ---------------------------------------------------------------- one small SPSS file per rule


def _export(config, map, *, aanpassen=None, vertaling=None, labels=None, missend=None, csv=False, naam=BESTAND,
            yml=None):
    """A folder with one small GGD export (3 respondents, every item of the catalogue) and its kolommen.yml."""
    items = {}
    for ind in config.indicatoren:
        if ind.is_survey and ind.bron == GGD:
            b = ind.berekening
            items.setdefault(b.item, (float(b.geldige_codes[0]) if b.geldige_codes else b.bereik[0], b.labels))
    df = pd.DataFrame({"RESPNR": ["a1", "a2", "a3"], "JAAR": [2024.0] * 3, "GEMCODE": ["GM0344"] * 3,
                       "WKCODE": ["WK034403"] * 3, "BUCODE": ["BU03440300"] * 3, "EWGGD": [1.0, 2.0, 1.5],
                       "LFTKLAS": ["18-34", "35-64", "65+"], "GESLACHT": [1.0, 2.0, 3.0],
                       **{f"V_{item}".upper(): [w] * 3 for item, (w, _) in items.items()}})
    waardelabels = {f"V_{item}".upper(): {float(c): t for c, t in lab.items()} for item, (_, lab) in items.items() if lab}
    waardelabels["GESLACHT"] = {1.0: "Man", 2.0: "Vrouw", 3.0: "Anders"}
    if aanpassen:
        aanpassen(df)
    if labels:
        labels(waardelabels)
    kolommen = {"respondent_id": "RESPNR", "jaar": "JAAR", "gemeentecode": "GEMCODE", "wijkcode": "WKCODE",
                "buurtcode": "BUCODE", "gewicht": "EWGGD", "leeftijdsklasse": "LFTKLAS",
                "geslacht": {"kolom": "GESLACHT", "codes": {1: "man", 2: "vrouw", 3: "anders"}},
                **{item: f"V_{item}".upper() for item in items}}
    if vertaling:
        vertaling(kolommen)
    (map / "survey").mkdir(parents=True)
    (map / "databron.yml").write_text("naam: test\ndemodata: false\nomschrijving: test\n", encoding="utf-8")
    inhoud = {GGD: kolommen}
    if yml:
        yml(inhoud)
    (map / "kolommen.yml").write_text(yaml.safe_dump(inhoud, allow_unicode=True), encoding="utf-8")
    if csv:
        df.astype({"GESLACHT": "int64", **({"JAAR": "int64"} if "JAAR" in df else {})}).to_csv(
            map / naam.replace(".sav", ".csv"), index=False)
    else:
        pyreadstat.write_sav(df, str(map / naam), variable_value_labels=waardelabels, missing_ranges=missend or {})
    return [str(p) for p in lees_map(map, config).problemen]


def test_kleine_export_is_geldig(config, tmp_path):
    assert _export(config, tmp_path) == []


def _zet(kolom, rij, waarde):
    def aanpassen(df):
        df.loc[rij, kolom] = waarde
    return aanpassen


REGELS = {
    "code_zonder_vertaling": (
        {"aanpassen": _zet("GESLACHT", 1, 4.0)},
        f"{BESTAND}, record 2: kolom 'geslacht' (in de export 'GESLACHT'): verwacht een waarde uit codes van "
        "'geslacht' in kolommen.yml ('1', '2', '3'), gevonden '4'"),
    "code_zonder_vertaling_met_ontbrekend": (
        {"aanpassen": _zet("GESLACHT", 1, 4.0),
         "vertaling": lambda k: k.update(geslacht={"kolom": "GESLACHT", "codes": {1: "man", 2: "vrouw", 3: "anders"},
                                                   "ontbrekend": [9]})},
        f"{BESTAND}, record 2: kolom 'geslacht' (in de export 'GESLACHT'): verwacht een waarde uit codes van "
        "'geslacht' in kolommen.yml ('1', '2', '3') of een ontbrekende waarde ('9'), gevonden '4'"),
    "ontbrekende_code_niet_opgegeven": (
        {"aanpassen": _zet("V_ERVAREN_GEZONDHEID", 2, 99.0)},
        f"{BESTAND}, record 3: kolom 'ervaren_gezondheid' (in de export 'V_ERVAREN_GEZONDHEID'): verwacht een van "
        "1, 2, 3, 4, 5 (geldige_codes van ervaren_gezondheid_goed) of leeg, gevonden '99'"),
    "label_gewijzigd": (
        {"labels": lambda lab: lab["V_ERVAREN_GEZONDHEID"].update({1.0: "zeer slecht"})},
        f"{BESTAND}: kolom 'ervaren_gezondheid' (in de export 'V_ERVAREN_GEZONDHEID'): verwacht bij code 1 het "
        "label 'zeer goed' (labels van ervaren_gezondheid_goed in indicatoren.yml), gevonden 'zeer slecht'"),
    "nieuwe_antwoordcategorie": (
        {"labels": lambda lab: lab["V_ERVAREN_GEZONDHEID"].update({6.0: "weet niet"})},
        f"{BESTAND}: kolom 'ervaren_gezondheid' (in de export 'V_ERVAREN_GEZONDHEID'): verwacht bij elk label van "
        "de export een geldige code (1 'zeer goed', 2 'goed', 3 'gaat wel', 4 'slecht', 5 'zeer slecht'; labels van "
        "ervaren_gezondheid_goed in indicatoren.yml) of een ontbrekende waarde (kolommen.yml: ontbrekend), gevonden "
        "code 6 met label 'weet niet'"),
    "label_na_hercodering": (
        {"aanpassen": lambda df: df.__setitem__("V_ROKEN", [2.0, 2.0, 1.0]),
         "labels": lambda lab: lab.update(V_ROKEN={1.0: "nee", 2.0: "nee"}),
         "vertaling": lambda k: k.update(roken={"kolom": "V_ROKEN", "codes": {1: 0, 2: 1}})},
        f"{BESTAND}: kolom 'roken' (in de export 'V_ROKEN'): verwacht bij code 1 (in de export 2) het label 'ja' "
        "(labels van roken in indicatoren.yml), gevonden 'nee'"),
    "hercodering_naar_ongeldige_code": (
        {"aanpassen": lambda df: df.__setitem__("V_ROKEN", [1.0, 1.0, 1.0]),  # nobody answered 'nee': only the label
         "labels": lambda lab: lab.update(V_ROKEN={1.0: "ja", 2.0: "nee"}),
         "vertaling": lambda k: k.update(roken={"kolom": "V_ROKEN", "codes": {1: 1, 2: 2}})},
        f"{BESTAND}: kolom 'roken' (in de export 'V_ROKEN'): verwacht bij elk label van de export een geldige code "
        "(0 'nee', 1 'ja'; labels van roken in indicatoren.yml) of een ontbrekende waarde (kolommen.yml: "
        "ontbrekend), gevonden code 2 met label 'nee'"),
    "onbekende_sleutel_in_kolommen_yml": (
        {"vertaling": lambda k: k.update(geslacht={"kolom": "GESLACHT", "codez": {1: "man"}})},
        "kolommen.yml: verwacht per bron (ggd_gezondheidsmonitor, veiligheidsmonitor, cbs_kwb, politie, duo, "
        "gemeente, jgz) een mapping van onze kolomnamen naar die van de export (een naam, of kolom met eventueel "
        "codes en ontbrekend; data/FORMAAT.md), gevonden ggd_gezondheidsmonitor.geslacht: onbekende sleutel "
        "'codez'; toegestane sleutels: kolom, codes, ontbrekend"),
    "vertaling_zonder_kolom": (
        {"vertaling": lambda k: k.update(geslacht={"codes": {1: "man"}})},
        "kolommen.yml: verwacht per bron (ggd_gezondheidsmonitor, veiligheidsmonitor, cbs_kwb, politie, duo, "
        "gemeente, jgz) een mapping van onze kolomnamen naar die van de export (een naam, of kolom met eventueel "
        "codes en ontbrekend; data/FORMAAT.md), gevonden ggd_gezondheidsmonitor.geslacht: verplichte sleutel "
        "'kolom' ontbreekt; verwacht: tekst"),
}


@pytest.mark.parametrize("regel", REGELS)
def test_regel_met_foute_invoer(config, tmp_path, regel):
    aanpassingen, melding = REGELS[regel]
    problemen = _export(config, tmp_path, **aanpassingen)
    if melding.startswith("kolommen.yml"):  # without a valid translation the export's names follow as problems
        assert problemen[0] == melding and len(problemen) > 1
    else:
        assert problemen == [melding]


def test_ontbrekend_in_kolommen_yml_maakt_de_code_leeg(config, tmp_path):
    vertaling = lambda k: k.update(ervaren_gezondheid={"kolom": "V_ERVAREN_GEZONDHEID", "ontbrekend": [99]})  # noqa: E731
    assert _export(config, tmp_path, aanpassen=_zet("V_ERVAREN_GEZONDHEID", 2, 99.0), vertaling=vertaling) == []
    gegevens = laad_gegevens(tmp_path, config)
    assert gegevens.survey[GGD]["ervaren_gezondheid"].isna().tolist() == [False, False, True]
    assert list(gegevens.survey[GGD]["geslacht"]) == ["man", "vrouw", "anders"]


def test_user_missing_van_spss_is_ontbrekend(config, tmp_path):
    assert _export(config, tmp_path / "a", aanpassen=_zet("V_ERVAREN_GEZONDHEID", 0, 9.0),
                   missend={"V_ERVAREN_GEZONDHEID": [9.0]}) == []
    assert laad_gegevens(tmp_path / "a", config).survey[GGD]["ervaren_gezondheid"].isna().tolist() == \
        [True, False, False]
    # the same file without the declaration: 9 is an answer, and not a valid one
    assert _export(config, tmp_path / "b", aanpassen=_zet("V_ERVAREN_GEZONDHEID", 0, 9.0)) == [
        f"{BESTAND}, record 1: kolom 'ervaren_gezondheid' (in de export 'V_ERVAREN_GEZONDHEID'): verwacht een van "
        "1, 2, 3, 4, 5 (geldige_codes van ervaren_gezondheid_goed) of leeg, gevonden '9'"]


def test_hercoderen_werkt_ook_in_een_csv_export(config, tmp_path):
    assert _export(config, tmp_path, csv=True) == []  # geslacht 1/2/3, as GGD exports code it
    assert list(laad_gegevens(tmp_path, config).survey[GGD]["geslacht"]) == ["man", "vrouw", "anders"]


def test_csv_export_met_getallen_als_1_punt_0(config, tmp_path):
    vertaling = lambda k: k.update(ervaren_gezondheid={"kolom": "V_ERVAREN_GEZONDHEID", "ontbrekend": [9]})  # noqa: E731
    _export(config, tmp_path, csv=True, vertaling=vertaling)
    pad = tmp_path / f"survey/{GGD}_2024.csv"
    df = pd.read_csv(pad, dtype=str)
    df["GESLACHT"] = ["1.0", "2.0", "3.00"]  # how some tools write a numeric column
    df["V_ERVAREN_GEZONDHEID"] = ["9.0", "1", "1"]
    df.to_csv(pad, index=False)
    assert [str(p) for p in lees_map(tmp_path, config).problemen] == []
    gegevens = laad_gegevens(tmp_path, config)
    assert list(gegevens.survey[GGD]["geslacht"]) == ["man", "vrouw", "anders"]
    assert gegevens.survey[GGD]["ervaren_gezondheid"].isna().tolist() == [True, False, False]


def test_onleesbaar_en_dubbel_spss_bestand(config, tmp_path):
    _export(config, tmp_path)
    (tmp_path / "survey" / f"{GGD}_2022.zsav").write_bytes(b"geen spss")
    (tmp_path / "survey" / f"{GGD}_2024.csv").write_text("respondent_id\n1\n", encoding="utf-8")
    problemen = [str(p) for p in lees_map(tmp_path, config).problemen]
    assert problemen[0].startswith(f"survey/{GGD}_2022.zsav: verwacht een SPSS-bestand (.sav of .zsav) dat "
                                   "pyreadstat kan lezen, gevonden ")
    assert problemen[1:] == [
        f"survey/{GGD}_2024.csv: verwacht één bestand met de enquête {GGD} van 2024, gevonden ook {BESTAND}",
        f"{BESTAND}: verwacht één bestand met de enquête {GGD} van 2024, gevonden ook survey/{GGD}_2024.csv"]


# ---------------------------------------------------------------- kolommen.yml: bestanden (file -> peiljaar)

GGD_NAAM = "survey/GM2024_export.sav"


def _bestanden(waarde, zonder_jaar=True):
    """_export arguments for a GGD-named export whose kolommen.yml names it under `bestanden`."""
    def vertaling(k):
        k["bestanden"] = waarde
        if zonder_jaar:
            del k["jaar"]
    return {"naam": GGD_NAAM, "vertaling": vertaling,
            "aanpassen": (lambda df: df.__delitem__("JAAR")) if zonder_jaar else None}


def test_bestanden_geeft_bron_en_peiljaar_en_vult_jaar(config, tmp_path):
    assert _export(config, tmp_path, **_bestanden({"GM2024_export.sav": 2024})) == []
    gegevens = laad_gegevens(tmp_path, config)
    assert list(gegevens.survey[GGD]["jaar"]) == [2024] * 3
    assert main(["data", "importeer", str(tmp_path), str(tmp_path / "doel")]) == 0
    assert sorted(p.name for p in (tmp_path / "doel" / "survey").iterdir()) == [f"{GGD}_2024.csv"]
    assert laad_gegevens(tmp_path / "doel", config).survey[GGD]["jaar"].tolist() == [2024] * 3


def test_bestanden_ook_voor_een_csv_export(config, tmp_path):
    assert _export(config, tmp_path, csv=True, **{**_bestanden({"GM2024_export.csv": 2024}),
                                                  "naam": "survey/GM2024_export.csv"}) == []


VERWACHT_KOLOMMEN_YML = (
    "kolommen.yml: verwacht per bron (ggd_gezondheidsmonitor, veiligheidsmonitor, cbs_kwb, politie, duo, "
    "gemeente, jgz) een mapping van onze kolomnamen naar die van de export (een naam, of kolom met eventueel "
    "codes en ontbrekend; data/FORMAAT.md), gevonden ")

BESTANDEN_REGELS = {
    "geen_mapping": (
        _bestanden(["GM2024_export.sav"]),
        VERWACHT_KOLOMMEN_YML + "ggd_gezondheidsmonitor.bestanden: verwacht: een mapping van bestandsnamen in survey/ "
        "naar hun peiljaar (zoals GM2024_export.sav: 2024), gevonden: ['GM2024_export.sav']"),
    "naam_met_map": (
        _bestanden({"survey/GM2024_export.sav": 2024}),
        VERWACHT_KOLOMMEN_YML + "ggd_gezondheidsmonitor.bestanden: verwacht: een bestandsnaam in survey/ op .csv, "
        ".sav of .zsav (zonder map), gevonden: 'survey/GM2024_export.sav'"),
    "geen_jaartal": (
        _bestanden({"GM2024_export.sav": "2024"}),
        VERWACHT_KOLOMMEN_YML + "ggd_gezondheidsmonitor.bestanden.GM2024_export.sav: verwacht: een peiljaar (een "
        "jaartal), gevonden: '2024'"),
    "bestand_onder_twee_bronnen": (
        {**_bestanden({"GM2024_export.sav": 2024}),
         "yml": lambda y: y.update(veiligheidsmonitor={"bestanden": {"GM2024_export.sav": 2023}})},
        VERWACHT_KOLOMMEN_YML + "veiligheidsmonitor.bestanden.GM2024_export.sav: verwacht: elk bestand onder één "
        "bron, gevonden: ook onder ggd_gezondheidsmonitor.bestanden"),
    "bestand_ontbreekt": (
        _bestanden({"GM2024_export.sav": 2024, "GM2022_export.sav": 2022}),
        "kolommen.yml, regel 2: verwacht een bestand survey/GM2022_export.sav (de regel 'GM2022_export.sav: 2022' "
        "onder ggd_gezondheidsmonitor.bestanden), gevonden geen bestand"),
    "onder_een_register": (
        {**_bestanden({"GM2024_export.sav": 2024}),
         "yml": lambda y: y.update(politie={"bestanden": {"politie.sav": 2024}})},
        "kolommen.yml, regel 28: verwacht bestanden alleen onder een enquête (ggd_gezondheidsmonitor, "
        "veiligheidsmonitor), gevonden 'politie.sav: 2024' onder politie.bestanden; politie is een register"),
    "jaar_wijkt_af": (
        _bestanden({"GM2024_export.sav": 2022}, zonder_jaar=False),
        "survey/GM2024_export.sav, records 1, 2, 3: kolom 'jaar' (in de export 'JAAR'): verwacht 2022 (het peiljaar in "
        "kolommen.yml), gevonden '2024'"),
    "jaar_kolom_ontbreekt": (  # kolommen.yml names a year column the export lacks: not filled in silently
        {**_bestanden({"GM2024_export.sav": 2024}, zonder_jaar=False), "aanpassen": lambda df: df.__delitem__("JAAR")},
        "kolommen.yml, regel 18: verwacht een kolom 'JAAR' in de bestanden van ggd_gezondheidsmonitor (de regel "
        "'jaar: JAAR' onder ggd_gezondheidsmonitor), gevonden geen kolom 'JAAR' (en ook geen 'jaar') in de kopregel "
        "van survey/GM2024_export.sav; zonder die regel krijgt het bestand het peiljaar 2024 uit bestanden"),
    "peiljaar_zonder_meting": (
        _bestanden({"GM2024_export.sav": 2023}),
        "survey/GM2024_export.sav: verwacht een peiljaar van ggd_gezondheidsmonitor in metingen.yml (2020, 2022, "
        "2024), gevonden 2023"),
    "niet_genoemd": (
        {**_bestanden({"GM2024_export.sav": 2024}), "naam": "survey/GM2024_anders.sav"},
        "survey/GM2024_anders.sav: verwacht een bestand survey/<bron>_<peiljaar>.csv (of .sav, .zsav) met als bron "
        "een van ggd_gezondheidsmonitor, veiligheidsmonitor, of een bestand onder bestanden in kolommen.yml, "
        "gevonden een onbekend bestand"),
}


@pytest.mark.parametrize("regel", BESTANDEN_REGELS)
def test_bestanden_regel_met_foute_invoer(config, tmp_path, regel):
    aanpassingen, melding = BESTANDEN_REGELS[regel]
    problemen = _export(config, tmp_path, **aanpassingen)
    if regel == "niet_genoemd":
        assert melding in problemen
    elif melding.startswith(VERWACHT_KOLOMMEN_YML):  # without a valid kolommen.yml the export's names follow
        assert problemen[0] == melding and len(problemen) > 1
    else:
        assert problemen == [melding]


def test_bestanden_en_gewone_naam_voor_dezelfde_enquete(config, tmp_path):
    _export(config, tmp_path, **_bestanden({"GM2024_export.sav": 2024}))
    (tmp_path / "survey" / f"{GGD}_2024.csv").write_text("respondent_id\n1\n", encoding="utf-8")
    assert [str(p) for p in lees_map(tmp_path, config).problemen] == [
        f"{GGD_NAAM}: verwacht één bestand met de enquête {GGD} van 2024, gevonden ook survey/{GGD}_2024.csv",
        f"survey/{GGD}_2024.csv: verwacht één bestand met de enquête {GGD} van 2024, gevonden ook {GGD_NAAM}"]


# ---------------------------------------------------------------- labels in the catalogue


def _catalogus(tmp_path, project, wijzig):
    import shutil

    map = tmp_path / "config"
    shutil.copytree(project.config_map, map)
    pad = map / "indicatoren.yml"
    data = yaml.safe_load(pad.read_text(encoding="utf-8"))
    wijzig(data["indicatoren"])
    pad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return map


def test_labels_moeten_de_geldige_codes_noemen(tmp_path, project):
    def wijzig(indicatoren):
        indicatoren[0]["berekening"]["labels"].pop(5)
    with pytest.raises(ConfigFout, match=r"indicatoren\[0\] \(ervaren_gezondheid_goed\): berekening.labels noemt de "
                                         r"codes \[1, 2, 3, 4\]; verwacht precies de geldige_codes \[1, 2, 3, 4, 5\]"):
        laad_configuratie(_catalogus(tmp_path, project, wijzig))


def test_labels_op_hetzelfde_item_zijn_gelijk(tmp_path, project):
    def wijzig(indicatoren):
        kopie = yaml.safe_load(yaml.safe_dump(indicatoren[1]))  # overgewicht, item bmi_klasse
        kopie.update(id="obesitas", naam="Obesitas")
        kopie["berekening"]["teller_codes"] = [4]
        kopie["berekening"]["labels"][4] = "BMI 30+"
        indicatoren.append(kopie)
    with pytest.raises(ConfigFout, match=r"\(obesitas\): berekening.labels verschillen van die van overgewicht op "
                                         r"hetzelfde item 'bmi_klasse'"):
        laad_configuratie(_catalogus(tmp_path, project, wijzig))


# ---------------------------------------------------------------- the scan of a build on real data


def test_build_op_echte_gegevens_publiceert_niets_bij_een_vondst(config, project, tmp_path):
    from vwanalyse.basis.project import Project
    from vwanalyse.pijplijn import BouwFout, scan_voor_publicatie

    assert _export(config, tmp_path / "data") == []  # demodata: false, respondents a1, a2, a3
    echt = Project(root=tmp_path, config_map=project.config_map, data_map=tmp_path / "data")
    echt.html_map.mkdir(parents=True)
    (echt.html_map / "index.html").write_text("<p>Geen cijfers op rijniveau.</p>", encoding="utf-8")
    scan_voor_publicatie(echt)
    assert (echt.html_map / "index.html").is_file()
    (echt.html_map / "wijk.html").write_text("<p>respondent a2 antwoordde 3</p>", encoding="utf-8")
    with pytest.raises(BouwFout, match=r"1 vondst\(en\) van de vertrouwelijkheidsscan; de site is verwijderd"):
        scan_voor_publicatie(echt)
    assert not echt.html_map.exists()


@pytest.mark.traag
def test_oefenexport_van_verse_kloon_tot_boek(tmp_path, demo_resultaten):
    """The done-criterion of issue 18, as a user runs it: in a fresh copy of the project, the rehearsal
    export -> `data importeer` -> `build --data-dir` gives the demo book's results table."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from vwanalyse.basis.bestanden import kopieer_project
    from vwanalyse.resultaten.opslag import lees_resultaten

    from conftest import ROOT

    kopie = kopieer_project(ROOT, tmp_path / "kloon")
    vwanalyse = [sys.executable, "-m", "vwanalyse", "--project", str(kopie)]
    omgeving = {**{k: v for k, v in os.environ.items() if k != "VWANALYSE_DATA"}, "PYTHONPATH": str(kopie)}
    for opdracht in (["demodata", "--oefenexport", str(tmp_path / "export")],
                     ["data", "importeer", str(tmp_path / "export"), str(tmp_path / "data")],
                     ["build", "--data-dir", str(tmp_path / "data")]):
        uit = subprocess.run(vwanalyse + opdracht, cwd=kopie, env=omgeving, capture_output=True, text=True)
        assert uit.returncode == 0, (opdracht, uit.stdout[-3000:], uit.stderr[-3000:])
    assert (Path(kopie) / "_build" / "html" / "index.html").is_file()
    boek = lees_resultaten(Path(kopie) / "_build" / "resultaten")
    pd.testing.assert_frame_equal(boek.tabel.reset_index(drop=True), demo_resultaten.tabel.reset_index(drop=True))


@pytest.mark.traag
def test_build_op_echte_gegevens_scant_en_stopt_bij_een_vondst(tmp_path):
    """The scan switch in a whole build: a copy of the demo folder declared real data (demodata: false,
    no manifest) with a respondent id pasted into a duiding text. `build` runs the scan, names the
    finding and leaves no site to publish."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from vwanalyse.basis.bestanden import kopieer_project

    from conftest import ROOT

    kopie = Path(kopieer_project(ROOT, tmp_path / "kloon"))
    data = tmp_path / "echt"
    shutil.copytree(ROOT / "data" / "demo", data)
    (data / "MANIFEST.sha256").unlink()
    databron = yaml.safe_load((data / "databron.yml").read_text(encoding="utf-8"))
    (data / "databron.yml").write_text(yaml.safe_dump({**databron, "demodata": False}, allow_unicode=True),
                                       encoding="utf-8")
    rid = pd.read_csv(data / "survey" / f"{GGD}_2024.csv", sep=";", encoding="utf-8-sig", nrows=1)["respondent_id"][0]
    duiding = pd.read_csv(data / "duiding" / "duiding.csv", sep=";", encoding="utf-8-sig", dtype=str)
    duiding.loc[0, "tekst"] += f" Zie respondent {rid}."
    duiding.to_csv(data / "duiding" / "duiding.csv", sep=";", index=False, encoding="utf-8-sig")
    omgeving = {**{k: v for k, v in os.environ.items() if k != "VWANALYSE_DATA"}, "PYTHONPATH": str(kopie)}
    uit = subprocess.run([sys.executable, "-m", "vwanalyse", "--project", str(kopie), "build", "--data-dir", str(data)],
                         cwd=kopie, env=omgeving, capture_output=True, text=True)
    assert uit.returncode != 0, uit.stdout[-3000:]
    assert "vertrouwelijkheidsscan (geen demodata)" in uit.stdout, uit.stdout[-3000:]
    assert "vondst(en) van de vertrouwelijkheidsscan; de site is verwijderd" in uit.stderr, uit.stderr[-3000:]
    assert rid in uit.stderr, uit.stderr[-3000:]  # the finding names the id
    assert not (kopie / "_build" / "html").exists()
