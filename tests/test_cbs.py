"""The CBS importer reads the real StatLine exports in ../shared/reference unchanged and maps them
as declared in data/config/cbs_import.yml; expected numbers are copied from the files by hand."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest
import yaml

from vwanalyse.basis.fouten import ParameterFout
from vwanalyse.invoer.bronnen import DataFout
from vwanalyse.invoer.cbs import importeer, importeer_referentie, laad_definities
from vwanalyse.model.schema import ConfigFout

KWB_CSV = "cbs_kwb2024_wikigen/kwb2024_85984NED_selected_wijken_gemeenten.csv"
KWB_JSON = "cbs_kwb2024_wikigen/stripped_filtered_data_2024_subset.json"
GMJV = "rivm_gmjv2024_50140NED/50140NED_TypedDataSet_selected_NL_GM.csv"


@pytest.fixture(scope="module")
def definities(config):
    return laad_definities(config)


def _sha(pad) -> str:
    return hashlib.sha256(pad.read_bytes()).hexdigest()


# ---------------------------------------------------------------- the real files


def test_kwb_csv_en_json_geven_dezelfde_registerrijen(shared_reference, definities):
    voor = {p: _sha(shared_reference / p) for p in (KWB_CSV, KWB_JSON)}
    csv = importeer(shared_reference / KWB_CSV, "85984NED", definities=definities)
    js = importeer(shared_reference / KWB_JSON, "85984NED", definities=definities)
    assert {p: _sha(shared_reference / p) for p in voor} == voor  # read, never changed
    pd.testing.assert_frame_equal(csv, js)
    assert list(csv.columns) == ["gebiedscode", "jaar", "inwoners", "woningen"]
    assert len(csv) == 74 and set(csv["jaar"]) == {2024}
    assert csv.dtypes["inwoners"] == "float64" and csv.dtypes["jaar"] == "int64"


@pytest.mark.parametrize("bestand", [KWB_CSV, KWB_JSON])
def test_kwb_waarden_van_de_monitorgebieden(shared_reference, definities, bestand):
    df = importeer(shared_reference / bestand, "85984NED", definities=definities).set_index("gebiedscode")
    assert (df.loc["GM0344", "inwoners"], df.loc["GM0344", "woningen"]) == (374238, 167124)
    assert (df.loc["WK034403", "inwoners"], df.loc["WK034403", "woningen"]) == (35255, 16781)
    assert (df.loc["WK035603", "inwoners"], df.loc["WK035604", "inwoners"]) == (6585, 7425)
    assert df.loc[["WK035603", "WK035604"], "inwoners"].sum() == 14010  # Batau
    assert df.loc["WK030703", "inwoners"] == 12185
    assert np.isnan(df.loc["WK030732", "woningen"])  # empty in the CBS file: missing, not 0
    assert df.loc["WK030732", "inwoners"] == 0


def test_gmjv_referentiewaarden(shared_reference, definities):
    df = importeer_referentie(shared_reference / GMJV, "50140NED", definities=definities)
    assert list(df.columns) == ["regiocode", "indicator", "jaar", "waarde", "ondergrens", "bovengrens"]
    assert set(df["regiocode"]) == {"NL01", "GM0307", "GM0344", "GM0355", "GM0356"}  # 'NL01  ' stripped
    waarden = df.set_index(["regiocode", "indicator"])["waarde"]
    verwacht = {  # 50140NED_TypedDataSet_selected_NL_GM.csv, rows ID 0 (NL01) and 280 (GM0344)
        "NL01": {"moeite_rondkomen": 28.3, "ervaren_gezondheid_goed": 63.8, "sporten_wekelijks": 74.2,
                 "roken": 28.1, "overgewicht": 26.1},
        "GM0344": {"moeite_rondkomen": 33.4, "ervaren_gezondheid_goed": 63.8, "sporten_wekelijks": 76.8,
                   "roken": 29.6, "overgewicht": 20.9},
    }
    for regio, per_indicator in verwacht.items():
        for indicator, waarde in per_indicator.items():
            assert waarden[(regio, indicator)] == waarde, (regio, indicator)
    assert len(df) == 25 and set(df["jaar"]) == {2024}
    assert df[["ondergrens", "bovengrens"]].isna().all().all()  # the export has only MW00000 rows


def test_cbs_import_yml_markeert_de_populatie(definities):
    assert "Jongvolwassenen" in definities["50140NED"].populatie
    assert definities["85984NED"].register == {"AantalInwoners_5": "inwoners", "Woningvoorraad_35": "woningen"}


# ---------------------------------------------------------------- other shapes of export


@pytest.fixture
def typed(tmp_path, config):
    """A declaration for a TypedDataSet with a period column, read from a temporary cbs_import.yml."""
    pad = tmp_path / "cbs_import.yml"
    pad.write_text(yaml.safe_dump({"tabellen": {"85618NED": {
        "naam": "Kerncijfers wijken en buurten (test)", "uitgever": "CBS", "bron": "cbs_kwb",
        "regiokolom": "WijkenEnBuurten", "periodekolom": "Perioden",
        "register": {"AantalInwoners_5": "inwoners", "Woningvoorraad_31": "woningen"}}}}), encoding="utf-8")
    return laad_definities(config, pad)


def test_opgevulde_codes_en_punten(tmp_path, typed):
    pad = tmp_path / "85618NED_TypedDataSet.csv"
    pad.write_bytes("\ufeffID;WijkenEnBuurten;Perioden;AantalInwoners_5;Woningvoorraad_31\r\n"
                    "0;GM0344  ;2023JJ00;361966;160000\r\n1;WK034403  ;2023JJ00;35000;       .\r\n"
                    .encode("utf-8"))
    df = importeer(pad, "85618NED", definities=typed)
    assert list(df["gebiedscode"]) == ["GM0344", "WK034403"]
    assert list(df["jaar"]) == [2023, 2023]
    assert df.loc[1, "inwoners"] == 35000 and np.isnan(df.loc[1, "woningen"])
    assert importeer(pad, "85618NED", jaar=2022, definities=typed).empty


def test_odata_json(tmp_path, typed):
    pad = tmp_path / "TypedDataSet.json"
    pad.write_text(json.dumps({"odata.metadata": "...", "value": [
        {"ID": 0, "WijkenEnBuurten": "WK034403  ", "Perioden": "2023JJ00", "AantalInwoners_5": 35000,
         "Woningvoorraad_31": None}]}), encoding="utf-8")
    df = importeer(pad, "85618NED", definities=typed)
    assert df.loc[0, "gebiedscode"] == "WK034403" and df.loc[0, "inwoners"] == 35000
    assert np.isnan(df.loc[0, "woningen"])


def test_marges_geven_het_interval(tmp_path, definities):
    pad = tmp_path / "50140NED.csv"
    pad.write_text("ID;Persoonskenmerken;Marges;RegioS;MoeiteMetRondkomen_1;GoedErvarenGezondheid_6;"
                   "SportWekelijks_66;RooktTabak_75;Overgewicht_59\n"
                   "0;T009002;MW00000;NL01  ;28.3;63.8;74.2;28.1;26.1\n"
                   "1;T009002;MOG0095;NL01  ;27.9;63.2;73.8;27.6;25.7\n"
                   "2;T009002;MOB0095;NL01  ;28.7;64.4;74.6;28.6;26.5\n"
                   "3;53105  ;MW00000;NL01  ;30.0;60.0;70.0;30.0;30.0\n", encoding="utf-8")
    df = importeer_referentie(pad, "50140NED", definities=definities).set_index("indicator")
    assert len(df) == 5
    assert tuple(df.loc["roken", ["waarde", "ondergrens", "bovengrens"]]) == (28.1, 27.6, 28.6)


def _percentage_tabel(tmp_path, config):
    pad = tmp_path / "cbs_import.yml"
    pad.write_text(yaml.safe_dump({"tabellen": {"85618NED": {
        "naam": "test", "uitgever": "CBS", "bron": "cbs_kwb", "regiokolom": "WijkenEnBuurten", "jaar": 2023,
        "register": {"HuishoudensMetInkomen_1": "huishoudens_met_inkomen"},
        "percentages": {"HuishoudensMetEenLaagInkomen_2": {"kolom": "huishoudens_laag_inkomen",
                                                           "van": "huishoudens_met_inkomen"}}}}}), encoding="utf-8")
    return laad_definities(config, pad)


def test_percentage_wordt_een_aantal(tmp_path, config):
    """KWB publishes shares (% of households); the register holds counts: share / 100 x the base."""
    pad = tmp_path / "export.csv"
    pad.write_text("WijkenEnBuurten;HuishoudensMetInkomen_1;HuishoudensMetEenLaagInkomen_2\n"
                   "WK034403  ;16000;12.5\nGM0344  ;170000;       .\n", encoding="utf-8")
    df = importeer(pad, "85618NED", definities=_percentage_tabel(tmp_path, config)).set_index("gebiedscode")
    assert df.loc["WK034403", "huishoudens_laag_inkomen"] == 2000.0
    assert np.isnan(df.loc["GM0344", "huishoudens_laag_inkomen"])


def test_percentage_boven_100_is_een_fout(tmp_path, config):
    pad = tmp_path / "export.csv"
    pad.write_text("WijkenEnBuurten;HuishoudensMetInkomen_1;HuishoudensMetEenLaagInkomen_2\n"
                   "WK034403  ;16000;125\n", encoding="utf-8")
    with pytest.raises(DataFout) as fout:
        importeer(pad, "85618NED", definities=_percentage_tabel(tmp_path, config))
    assert str(fout.value.problemen[0]) == (f"{pad}, regel 2: kolom 'HuishoudensMetEenLaagInkomen_2': verwacht een "
                                            "percentage van 0 tot en met 100, gevonden '125'")


def test_lange_vorm_wordt_een_kolom_per_soort(tmp_path, definities):
    """47018NED (politie) has one row per region, period and SoortMisdrijf, with CBS's padded codes;
    the register gets one column per mapped soort, other soorten are left out."""
    pad = tmp_path / "47018NED_TypedDataSet.csv"
    pad.write_text("ID;SoortMisdrijf;WijkenEnBuurten;Perioden;GeregistreerdeMisdrijven_1\n"
                   "0;0.0.0 ;WK034403  ;2023JJ00;2510\n1;1.1.1 ;WK034403  ;2023JJ00;61\n"
                   "2;1.2.1 ;WK034403  ;2023JJ00;99\n3;0.0.0 ;GM0344    ;2023JJ00;30100\n"
                   "4;1.1.1 ;GM0344    ;2023JJ00;       .\n5;0.0.0 ;WK034403  ;2024JJ00;2400\n", encoding="utf-8")
    df = importeer(pad, "47018NED", definities=definities).set_index(["gebiedscode", "jaar"])
    assert list(df.columns) == ["misdrijven", "woninginbraken"]
    assert tuple(df.loc[("WK034403", 2023)]) == (2510.0, 61.0)
    assert df.loc[("GM0344", 2023), "misdrijven"] == 30100 and np.isnan(df.loc[("GM0344", 2023), "woninginbraken"])
    assert np.isnan(df.loc[("WK034403", 2024), "woninginbraken"])  # no row for that soort: missing, not 0
    assert definities["47018NED"].url == "https://dataderden.cbs.nl/ODataApi/odata"


def test_lange_vorm_met_dubbele_rij(tmp_path, definities):
    pad = tmp_path / "47018NED.csv"
    pad.write_text("SoortMisdrijf;WijkenEnBuurten;Perioden;GeregistreerdeMisdrijven_1\n"
                   "0.0.0 ;WK034403  ;2023JJ00;2510\n0.0.0 ;WK034403  ;2023JJ00;2511\n", encoding="utf-8")
    with pytest.raises(DataFout) as fout:
        importeer(pad, "47018NED", definities=definities)
    assert str(fout.value.problemen[0]) == (f"{pad}, regels 2, 3: verwacht één rij per regio en jaar na de filters "
                                            "van 47018NED in cbs_import.yml, gevonden WK034403")


def test_kolom_ontbreekt_in_export(tmp_path, typed):
    pad = tmp_path / "x.csv"
    pad.write_text("WijkenEnBuurten;Perioden;AantalInwoners_5\nGM0344;2023JJ00;1\n", encoding="utf-8")
    with pytest.raises(DataFout, match="kolom 'Woningvoorraad_31': verwacht een kolom 'Woningvoorraad_31' "
                                       r"\(cbs_import.yml, tabel 85618NED\), gevonden geen kolom met deze naam"):
        importeer(pad, "85618NED", definities=typed)


def test_filters_laten_dubbele_rijen_over(tmp_path, typed):
    pad = tmp_path / "x.csv"
    pad.write_text("WijkenEnBuurten;Perioden;AantalInwoners_5;Woningvoorraad_31\n"
                   "GM0344;2023JJ00;1;1\nGM0344  ;2023JJ00;2;2\n", encoding="utf-8")
    with pytest.raises(DataFout, match="regels 2, 3: verwacht één rij per regio en jaar"):
        importeer(pad, "85618NED", definities=typed)


def test_onbekende_tabel(shared_reference, definities):
    with pytest.raises(ParameterFout, match="onbekende tabel '12345NED': die staat niet in cbs_import.yml"):
        importeer(shared_reference / KWB_CSV, "12345NED", definities=definities)


# ---------------------------------------------------------------- a bad mapping file


GOED = {"naam": "t", "uitgever": "CBS", "bron": "cbs_kwb", "regiokolom": "Codering_3", "jaar": 2024,
        "register": {"AantalInwoners_5": "inwoners"}}


FOUTE_MAPPINGS = [
    ({"85984NED": {**GOED, "regio": "x"}}, "tabellen.85984NED", "onbekende sleutel 'regio'"),
    ({"85984NED": {k: v for k, v in GOED.items() if k != "regiokolom"}}, "tabellen.85984NED",
     "verplichte sleutel 'regiokolom' ontbreekt"),
    ({"85984NED": {**GOED, "jaar": "2024"}}, "tabellen.85984NED.jaar", "verwacht: een geheel getal, gevonden: '2024'"),
    ({"85984NED": {**GOED, "register": {"AantalInwoners_5": "bewoners"}}},
     "tabellen.85984NED.register.AantalInwoners_5", "'bewoners' is geen teller- of noemerkolom"),
    ({"85984NED": {**GOED, "register": {}, "referentie": {"X_1": "geluk"}}},
     "tabellen.85984NED.referentie.X_1", "onbekende indicator 'geluk'"),
    ({"85984NED": {**GOED, "periodekolom": "Perioden"}}, "tabellen.85984NED", "niet allebei"),
    ({"85984NED": {**GOED, "register": {}}}, "tabellen.85984NED", "koppelt geen kolommen"),
    ({"kwb2024": GOED}, "tabellen.kwb2024", "StatLine-tabelnummer"),
    ({"85984NED": {**GOED, "bron": "statline"}}, "tabellen.85984NED.bron", "onbekende bron 'statline'"),
    ({"85984NED": {**GOED, "register": {"A_1": "inwoners", "B_2": "inwoners"}}}, "tabellen.85984NED.register",
     "'inwoners' is het doel van twee CBS-sleutels"),
    ({"85984NED": {**GOED, "percentages": {"P_1": {"kolom": "armen", "van": "inwoners"}}}},
     "tabellen.85984NED.percentages.P_1.kolom", "'armen' is geen teller- of noemerkolom"),
    ({"85984NED": {**GOED, "percentages": {"P_1": {"kolom": "personen_bijstand", "van": "woningen"}}}},
     "tabellen.85984NED.percentages.P_1.van", "'woningen' staat niet onder register van deze tabel; een percentage "
     "wordt een aantal met een kolom uit dezelfde tabel (inwoners)"),
    ({"85984NED": {**GOED, "percentages": {"P_1": {"kolom": "inwoners", "van": "inwoners"}}}},
     "tabellen.85984NED.register", "'inwoners' is het doel van twee CBS-sleutels"),
    ({"47018NED": {**GOED, "register": {}, "uitsplitsing": {"dimensie": "S", "maat": "M_1", "codes": {"0.0.0": "moord"}}}},
     "tabellen.47018NED.uitsplitsing.codes.0.0.0", "'moord' is geen teller- of noemerkolom"),
    ({"47018NED": {**GOED, "uitsplitsing": {"dimensie": "S", "maat": "M_1", "codes": {"0.0.0": "misdrijven"}}}},
     "tabellen.47018NED", "geef uitsplitsing (een tabel in lange vorm) of register/percentages, niet allebei"),
]


@pytest.mark.parametrize("tabellen, plek, melding", FOUTE_MAPPINGS, ids=[
    "onbekende_sleutel", "sleutel_ontbreekt", "jaar_geen_geheel_getal", "registerkolom_onbekend",
    "indicator_onbekend", "jaar_en_periodekolom", "geen_kolommen", "geen_tabel_id", "bron_onbekend",
    "doel_dubbel", "percentage_kolom_onbekend", "percentage_van_niet_in_tabel", "percentage_doel_dubbel",
    "uitsplitsing_kolom_onbekend", "uitsplitsing_en_register"])
def test_foute_mapping_geeft_configfout(tmp_path, config, tabellen, plek, melding):
    pad = tmp_path / "cbs_import.yml"
    pad.write_text(yaml.safe_dump({"tabellen": tabellen}), encoding="utf-8")
    with pytest.raises(ConfigFout) as fout:
        laad_definities(config, pad)
    assert fout.value.plek == plek and melding in fout.value.melding
    assert str(pad) in str(fout.value)


def test_mapping_zonder_tabellen(tmp_path, config):
    pad = tmp_path / "cbs_import.yml"
    pad.write_text("85984NED: {}\n", encoding="utf-8")
    with pytest.raises(ConfigFout, match="verwacht: precies één sleutel op het hoogste niveau, 'tabellen'"):
        laad_definities(config, pad)


# ---------------------------------------------------------------- vwanalyse cbs ophalen / importeer


KWB_INFO = "cbs_kwb2024_wikigen/TableInfos_85984NED.json"
KWB_EIGENSCHAPPEN = "cbs_kwb2024_wikigen/DataProperties_85984NED_subset.json"


@pytest.fixture
def replay(shared_reference):
    """A local OData server that replays 85984NED from the real files in ../shared/reference:
    TableInfos and DataProperties as stored, the TypedDataSet from the stored records with the
    region codes padded with spaces as CBS does, in pages of 20 rows linked by odata.nextLink."""
    import http.server
    import threading
    from urllib.parse import parse_qs, urlparse

    records = json.loads((shared_reference / KWB_JSON).read_text(encoding="utf-8"))
    rijen = [{"ID": i, "WijkenEnBuurten": code.ljust(10), "Codering_3": code.ljust(10), **waarden}
             for i, (code, waarden) in enumerate(records.items())]
    antwoorden = {"TableInfos": json.loads((shared_reference / KWB_INFO).read_text(encoding="utf-8")),
                  "DataProperties": json.loads((shared_reference / KWB_EIGENSCHAPPEN).read_text(encoding="utf-8"))}
    verzoeken = []

    class Server(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlparse(self.path)
            verzoeken.append(self.path)
            deel = url.path.rsplit("/", 1)[-1]
            if not url.path.startswith("/odata/85984NED/"):
                self.send_error(404)
                return
            if deel == "TypedDataSet":
                vanaf = int(parse_qs(url.query).get("$skip", ["0"])[0])
                data = {"odata.metadata": "replay", "value": rijen[vanaf:vanaf + 20]}
                if vanaf + 20 < len(rijen):
                    data["odata.nextLink"] = f"http://127.0.0.1:{self.server.server_port}{url.path}?$skip={vanaf + 20}"
            else:
                data = {"odata.metadata": "replay", "value": antwoorden[deel]}
            tekst = json.dumps(data).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(tekst)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/odata", verzoeken
    server.shutdown()


def _datamap(project, tmp_path):
    """A copy of the demo folder used as a real-data folder: without its manifest."""
    import shutil

    map = tmp_path / "data"
    shutil.copytree(project.demo_map, map)
    (map / "MANIFEST.sha256").unlink()
    return map


def test_cbs_ophalen_via_de_replayserver(project, tmp_path, replay, capsys):
    from vwanalyse.cli import main
    from vwanalyse.invoer.bronnen import lees_csv

    url, verzoeken = replay
    map = _datamap(project, tmp_path)
    assert main(["cbs", "ophalen", "85984NED", str(map), "--url", url]) == 0
    uit = capsys.readouterr().out
    assert "85984NED Kerncijfers wijken en buurten 2024 (gewijzigd 2025-03-27T02:00:00): 74 rijen opgehaald" in uit
    assert "let op: niet in de tabel: BU03550205" in uit  # Vollenhove is a buurt; this source has none
    paginas = [v for v in verzoeken if "TypedDataSet" in v]
    assert len(paginas) == 4  # 74 rows in pages of 20, followed through odata.nextLink
    assert "startswith%28Codering_3%2C%27WK034403%27%29" in paginas[0]  # only the configured codes are asked
    df = lees_csv(map / "register" / "cbs_kwb.csv")
    rij = df[df["jaar"] == "2024"].set_index("gebiedscode")
    assert sorted(rij.index) == ["GM0307", "GM0344", "GM0355", "GM0356", "WK030703", "WK034403", "WK035603",
                                 "WK035604"]  # the configured codes only (no WK030732 and the other wijken)
    assert (rij.loc["WK034403", "inwoners"], rij.loc["WK034403", "woningen"]) == ("35255", "16781")
    assert rij["personen_bijstand"].isna().all()  # a column this table does not have stays empty
    assert main(["data", "check", str(map)]) == 0


def test_cbs_ophalen_zonder_server_schrijft_niets(project, tmp_path, capsys):
    import socket

    from vwanalyse.cli import main

    map = _datamap(project, tmp_path)
    voor = _sha(map / "register" / "cbs_kwb.csv")
    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        poort = s.getsockname()[1]
    assert main(["cbs", "ophalen", "85984NED", str(map), "--url", f"http://127.0.0.1:{poort}/odata"]) == 3
    fout = capsys.readouterr().err
    assert fout.startswith("fout bij het ophalen van de CBS-tabel; er is niets geschreven: "
                           f"http://127.0.0.1:{poort}/odata/85984NED/TableInfos: de server is niet bereikbaar (")
    assert _sha(map / "register" / "cbs_kwb.csv") == voor


def test_cbs_ophalen_merkt_een_gewijzigde_tabel(project, tmp_path, replay, capsys, monkeypatch):
    from vwanalyse.cli import main
    from vwanalyse.invoer import cbs

    url, _ = replay
    map = _datamap(project, tmp_path)
    voor = _sha(map / "register" / "cbs_kwb.csv")
    echt = cbs.laad_definities
    monkeypatch.setattr(cbs, "laad_definities", lambda config: {
        **echt(config), "85984NED": echt(config)["85984NED"].__class__(
            **{**echt(config)["85984NED"].__dict__, "register": {"AantalInwoners_5": "inwoners",
                                                                  "Woningvoorraad_99": "woningen"}})})
    assert main(["cbs", "ophalen", "85984NED", str(map), "--url", url]) == 3
    assert (f"{url}/85984NED/DataProperties: de tabel heeft geen Woningvoorraad_99 (cbs_import.yml, tabel 85984NED); "
            "is de tabel gewijzigd?") in capsys.readouterr().err
    assert _sha(map / "register" / "cbs_kwb.csv") == voor


def test_cbs_importeer_een_export(project, tmp_path, shared_reference, capsys):
    from vwanalyse.cli import main
    from vwanalyse.invoer.bronnen import lees_csv

    map = _datamap(project, tmp_path)
    assert main(["cbs", "importeer", "85984NED", str(shared_reference / KWB_CSV), str(map)]) == 0
    df = lees_csv(map / "register" / "cbs_kwb.csv")
    rij = df[df["jaar"] == "2024"].set_index("gebiedscode")
    assert rij.loc["GM0344", "inwoners"] == "374238" and len(rij) == 8
    assert main(["data", "check", str(map)]) == 0


def test_cbs_eigenschappen_toont_de_sleutels(project, replay, capsys):
    """`cbs eigenschappen` lists a table's keys with title and unit, and what cbs_import.yml maps, so a
    researcher can add the table's other keys; it needs no data folder."""
    from vwanalyse.cli import main

    url, verzoeken = replay
    assert main(["cbs", "eigenschappen", "85984NED", "--url", url]) == 0
    uit = capsys.readouterr().out.splitlines()
    assert uit[0] == "85984NED Kerncijfers wijken en buurten 2024 (gewijzigd 2025-03-27T02:00:00); in cbs_import.yml"
    regel = {r.split()[0]: r for r in uit[1:]}
    assert regel["AantalInwoners_5"].endswith("<- register -> inwoners")
    assert "Bevolkingsdichtheid_34" in regel and "<-" not in regel["Bevolkingsdichtheid_34"]
    assert not any("TypedDataSet" in v for v in verzoeken)  # only the metadata is asked
    assert main(["cbs", "eigenschappen", "kwb", "--url", url]) == 2
    assert "verwacht een StatLine-tabelnummer zoals 85984NED, gevonden: 'kwb'" in capsys.readouterr().err


def test_cbs_ophalen_47018ned_vraagt_de_server_van_de_politiecijfers(project, tmp_path, monkeypatch, capsys):
    """A table with its own `url` in cbs_import.yml is fetched there (politie: dataderden.cbs.nl), not
    at the CBS's own API."""
    from vwanalyse.cli import main
    from vwanalyse.invoer import cbs

    gevraagd = []

    def geen_netwerk(url):
        gevraagd.append(url)
        raise cbs.CbsFout(f"{url}: de server is niet bereikbaar (test)")

    monkeypatch.setattr(cbs, "_json", geen_netwerk)
    map = _datamap(project, tmp_path)
    assert main(["cbs", "ophalen", "47018NED", str(map)]) == 3
    assert gevraagd == ["https://dataderden.cbs.nl/ODataApi/odata/47018NED/TableInfos"]
    assert main(["cbs", "ophalen", "85984NED", str(map)]) == 3
    assert gevraagd[-1] == "https://opendata.cbs.nl/ODataApi/odata/85984NED/TableInfos"
