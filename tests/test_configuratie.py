"""The monitor's configuration loads, and each kind of mistake gives one clear error."""

import shutil

from pathlib import Path

import pytest
import yaml

from vwanalyse.model.configuratie import code_niveau, gemeente_van, laad_configuratie
from vwanalyse.model.schema import ConfigFout

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to
CONFIG = ROOT / "data" / "config"


# The monitor areas of the Regio Deal and their CBS codes (design brief, 'Real-world facts'): facts the
# configuration must keep, whatever else a researcher adds to it.
MONITORGEBIEDEN = {"overvecht": ["WK034403"], "batau": ["WK035603", "WK035604"], "vollenhove": ["BU03550205"],
                   "soesterkwartier": ["WK030703"]}


def test_configuratie_is_compleet(config):
    for gebied, codes in MONITORGEBIEDEN.items():
        assert config.gebied[gebied].codes == codes, gebied
    assert [m.jaar for m in config.metingen][:3] == [2021, 2023, 2025]
    assert config.nulmeting.jaar == 2021
    kernset = [i for i in config.indicatoren if i.set == "kernset"]
    assert len(kernset) >= 30
    for p in config.pijlers:
        assert sum(i.pijler == p.id for i in kernset) >= 5, p.id
    for g in MONITORGEBIEDEN:  # the monitor areas each have their own additional indicators
        assert sum(g in i.gebieden for i in config.indicatoren) >= 2, g
    assert len(config.logicmodellen["overvecht"].projecten) == 16
    assert len(config.logicmodellen["batau"].projecten) == 12
    assert len(config.logicmodellen["vollenhove"].projecten) == 15


def test_overvecht_budgetten_uit_de_bron(config):
    lm = config.logicmodellen["overvecht"]
    assert (lm.input.subtotaal.rijk, lm.input.subtotaal.provincie, lm.input.subtotaal.gemeente) == (9473, 2180, 7520)
    bekend = sum(p.bijdrage.bedrag_euro for p in lm.projecten if p.bijdrage.status == "bekend")
    assert bekend == 11_530_000
    # the source's own inconsistency is recorded, not corrected
    assert any("1.5000.000" in b.omschrijving for b in lm.bekende_problemen)


def test_vertrouwelijke_bedragen_niet_verzonnen(config):
    for gebied in ("batau", "vollenhove"):
        for regel in config.logicmodellen[gebied].input.regels:
            assert regel.status == "vertrouwelijk"
            assert (regel.rijk, regel.provincie, regel.gemeente) == (None, None, None)


@pytest.mark.parametrize("code, niveau, gemeente", [
    ("WK034403", "wijk", "GM0344"), ("BU03550205", "buurt", "GM0355"), ("GM0307", "gemeente", "GM0307"),
    ("WK03440", None, None), ("XX034403", None, None),
])
def test_cbs_codes(code, niveau, gemeente):
    assert code_niveau(code) == niveau
    assert gemeente_van(code) == gemeente


@pytest.fixture
def kopie(tmp_path):
    doel = tmp_path / "config"
    shutil.copytree(CONFIG, doel)
    return doel


def _wijzig(pad, functie):
    data = yaml.safe_load(pad.read_text(encoding="utf-8"))
    functie(data)
    pad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _nr(kopie, bestand: str, lijst: str, id_: str) -> int:
    """The position of the entry with this id in a list of a configuration file."""
    data = yaml.safe_load((kopie / bestand).read_text(encoding="utf-8"))
    return next(i for i, item in enumerate(data[lijst]) if item["id"] == id_)


def _fout(kopie) -> str:
    with pytest.raises(ConfigFout) as info:
        laad_configuratie(kopie)
    return str(info.value)


def test_onbekende_sleutel(kopie):
    nr = _nr(kopie, "indicatoren.yml", "indicatoren", "roken")
    _wijzig(kopie / "indicatoren.yml", lambda d: d["indicatoren"][nr].update(eenheidd="%"))
    assert _fout(kopie).endswith(
        f"indicatoren.yml: indicatoren[{nr}]: onbekende sleutel 'eenheidd'; toegestane sleutels: id, naam, pijler, set, "
        "type, niveau, bron, bronvariabele, definitie, eenheid, richting, statistiek, vergelijkbaar_vanaf, "
        "berekening, toelichting, gebieden")


def test_verkeerd_type(kopie):
    nr = _nr(kopie, "indicatoren.yml", "indicatoren", "ervaren_gezondheid_goed")
    _wijzig(kopie / "indicatoren.yml", lambda d: d["indicatoren"][nr].update(vergelijkbaar_vanaf="2021"))
    assert _fout(kopie).endswith(
        f"indicatoren.yml: indicatoren[{nr}].vergelijkbaar_vanaf: verwacht: een geheel getal, gevonden: '2021'")


def test_ongeldige_keuze(kopie):
    nr = _nr(kopie, "indicatoren.yml", "indicatoren", "ervaren_gezondheid_goed")
    _wijzig(kopie / "indicatoren.yml", lambda d: d["indicatoren"][nr].update(richting="hoger"))
    assert _fout(kopie).endswith(
        f"indicatoren.yml: indicatoren[{nr}].richting: verwacht: een van 'hoger_gunstig', 'lager_gunstig', 'neutraal', "
        "gevonden: 'hoger'")


def test_ontbrekende_sleutel(kopie):
    nr = _nr(kopie, "gebieden.yml", "gebieden", "batau")
    _wijzig(kopie / "gebieden.yml", lambda d: d["gebieden"][nr].pop("wijkaanpak"))
    assert _fout(kopie).endswith(f"gebieden.yml: gebieden[{nr}]: verplichte sleutel 'wijkaanpak' ontbreekt; "
                                 "verwacht: tekst")


def test_onbekende_pijler(kopie, config):
    nr = _nr(kopie, "indicatoren.yml", "indicatoren", "ervaren_gezondheid_goed")
    _wijzig(kopie / "indicatoren.yml", lambda d: d["indicatoren"][nr].update(pijler="zorg"))
    assert (f"indicatoren.yml: indicatoren[{nr}] (ervaren_gezondheid_goed): onbekende pijler 'zorg'; bekend: "
            f"{', '.join(config.pijler)}" in _fout(kopie))


def test_onbekende_bron(kopie, config):
    nr = _nr(kopie, "indicatoren.yml", "indicatoren", "misdrijven")
    _wijzig(kopie / "indicatoren.yml", lambda d: d["indicatoren"][nr].update(bron="cbs"))
    assert (f"indicatoren[{nr}] (misdrijven): onbekende bron 'cbs'; bekend: {', '.join(config.bron)}"
            in _fout(kopie))


def test_survey_indicator_zonder_item(kopie):
    nr = _nr(kopie, "indicatoren.yml", "indicatoren", "ervaren_gezondheid_goed")
    _wijzig(kopie / "indicatoren.yml", lambda d: d["indicatoren"][nr]["berekening"].pop("item"))
    assert (f"indicatoren[{nr}] (ervaren_gezondheid_goed): een survey-indicator heeft berekening.item nodig"
            in _fout(kopie))


def test_teller_codes_buiten_geldige_codes(kopie):
    nr = _nr(kopie, "indicatoren.yml", "indicatoren", "ervaren_gezondheid_goed")
    _wijzig(kopie / "indicatoren.yml", lambda d: d["indicatoren"][nr]["berekening"].update(teller_codes=[1, 6]))
    assert ("(ervaren_gezondheid_goed): survey_proportie heeft geldige_codes en teller_codes nodig, met teller_codes "
            "een echte deelverzameling") in _fout(kopie)


def test_poisson_interval_alleen_met_telling_van_gebeurtenissen(kopie):
    def zonder_telling(d):
        next(i for i in d["indicatoren"] if i["id"] == "misdrijven")["berekening"].pop("telling")
    _wijzig(kopie / "indicatoren.yml", zonder_telling)
    assert ("(misdrijven): een telling van gebeurtenissen heeft telling: gebeurtenissen en interval: poisson, "
            "samen") in _fout(kopie)


def test_instelling_psu_genest_in_stratum(kopie):
    _wijzig(kopie / "instellingen.yml", lambda d: d["steekproefontwerp"].update(psu_genest_in_stratum="ja"))
    assert _fout(kopie).endswith("instellingen.yml: steekproefontwerp.psu_genest_in_stratum: verwacht: "
                                 "waar/onwaar (true/false), gevonden: 'ja'")
    _wijzig(kopie / "instellingen.yml", lambda d: d["steekproefontwerp"].update(psu_genest_in_stratum=True,
                                                                               eenzame_psu="average"))
    assert "steekproefontwerp.eenzame_psu: verwacht: een van 'certainty', 'adjust', gevonden: 'average'" in _fout(kopie)


def test_aanvullend_zonder_gebied(kopie):
    def f(d):
        ind = next(i for i in d["indicatoren"] if i["id"] == "voorschool_16_uur")
        ind.pop("gebieden")
    _wijzig(kopie / "indicatoren.yml", f)
    assert "(voorschool_16_uur): een aanvullende indicator moet zijn gebieden noemen" in _fout(kopie)


def test_dubbele_indicator(kopie):
    eerste = _nr(kopie, "indicatoren.yml", "indicatoren", "ervaren_gezondheid_goed")
    nr = _nr(kopie, "indicatoren.yml", "indicatoren", "roken")
    assert nr > eerste
    _wijzig(kopie / "indicatoren.yml", lambda d: d["indicatoren"][nr].update(id="ervaren_gezondheid_goed"))
    assert _fout(kopie).endswith(
        f"indicatoren.yml: indicatoren[{nr}]: id 'ervaren_gezondheid_goed' komt meer dan één keer voor")


def test_ongeldige_cbs_code(kopie):
    nr = _nr(kopie, "gebieden.yml", "gebieden", "overvecht")
    _wijzig(kopie / "gebieden.yml", lambda d: d["gebieden"][nr].update(codes=["WK34403"]))
    assert _fout(kopie).endswith(
        f"gebieden.yml: gebieden[{nr}] (overvecht): ongeldige CBS-code 'WK34403' (verwacht: WK + 6 cijfers of BU + 8 cijfers)")


def test_cbs_code_buiten_gemeente(kopie):
    nr = _nr(kopie, "gebieden.yml", "gebieden", "batau")
    _wijzig(kopie / "gebieden.yml", lambda d: d["gebieden"][nr].update(codes=["WK035603", "WK034404"]))
    assert _fout(kopie).endswith(f"gebieden[{nr}] (batau): CBS-code 'WK034404' ligt niet in gemeente GM0356")


def test_logicmodel_onbekende_indicator(kopie):
    _wijzig(kopie / "logicmodellen" / "batau.yml", lambda d: d["projecten"][2].update(indicatoren=["beweegnorm"]))
    assert "batau.yml: projecten[2] (BT3): onbekende indicator 'beweegnorm' voor gebied 'batau'" in _fout(kopie)


def test_logicmodel_aanvullende_indicator_van_andere_wijk(kopie):
    _wijzig(kopie / "logicmodellen" / "batau.yml", lambda d: d["projecten"][2].update(indicatoren=["voorschool_16_uur"]))
    assert "onbekende indicator 'voorschool_16_uur' voor gebied 'batau'" in _fout(kopie)


def test_logicmodel_onbekende_ambitie(kopie):
    _wijzig(kopie / "logicmodellen" / "overvecht.yml", lambda d: d["projecten"][0].update(ambitie="wonen"))
    assert "overvecht.yml: projecten[0] (O1): onbekende ambitie 'wonen'; bekend:" in _fout(kopie)


def test_meting_met_onbekende_bron(kopie):
    _wijzig(kopie / "metingen.yml", lambda d: d["metingen"][1]["peiljaren"].update(leefbaarometer=2022))
    assert "metingen.yml: metingen[1] (2023).peiljaren: onbekende bron 'leefbaarometer'" in _fout(kopie)


def test_yaml_syntaxfout(kopie):
    (kopie / "pijlers.yml").write_text("pijlers:\n  - id: [gezondheid\n", encoding="utf-8")
    assert "pijlers.yml: geen geldige YAML" in _fout(kopie)


def test_ontbrekend_bestand(kopie):
    (kopie / "logicmodellen" / "vollenhove.yml").unlink()
    assert _fout(kopie).endswith("vollenhove.yml: bestand niet gevonden")


def test_kanttekening_zonder_gevolg(kopie):
    _wijzig(kopie / "kanttekeningen.yml", lambda d: d["kanttekeningen"][1].pop("gevolg"))
    assert _fout(kopie).endswith(
        "kanttekeningen.yml: kanttekeningen[1]: verplichte sleutel 'gevolg' ontbreekt; verwacht: tekst")


def test_kanttekening_met_lege_tekst(kopie):
    _wijzig(kopie / "kanttekeningen.yml", lambda d: d["kanttekeningen"][0].update(kanttekening="  "))
    assert _fout(kopie).endswith("kanttekeningen.yml: kanttekeningen[0] (referentiewaarden_overgenomen): "
                                 "kanttekening is leeg; verwacht: een zin in gewoon Nederlands")


def test_dubbele_kanttekening(kopie):
    _wijzig(kopie / "kanttekeningen.yml", lambda d: d["kanttekeningen"][2].update(id="referentiewaarden_overgenomen"))
    assert _fout(kopie).endswith(
        "kanttekeningen.yml: kanttekeningen[2]: id 'referentiewaarden_overgenomen' komt meer dan één keer voor")
