"""The duiding loop: the workbook per gemeente, reading a filled one back (every rule), and the round trip
export -> fill -> import -> page. Gemeenten, wijken, pijlers and indicators come from the configuration."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from vwanalyse import cli, rapport
from vwanalyse.boek import paginas as boek
from vwanalyse.boek import duiding
from vwanalyse.invoer.bronnen import laad_gegevens
from vwanalyse.resultaten import opslag
from vwanalyse.uitvoer.taken import matrix

ROOT = Path(__file__).resolve().parents[1]
DUIDING = "duiding/duiding.csv"


@pytest.fixture(scope="module")
def r(tmp_path_factory, demo_resultaten, demo_gegevens, config):
    map_ = tmp_path_factory.mktemp("resultaten")
    opslag.schrijf(map_, demo_resultaten, demo_gegevens, config)
    return rapport.laad(map_, config=config)


@pytest.fixture(scope="module")
def gemeente(config) -> str:
    """The gemeente of the first gebied."""
    return config.gebieden[0].gemeente


@pytest.fixture
def data_map(tmp_path, project) -> Path:
    return Path(shutil.copytree(project.demo_map, tmp_path / "data"))


@pytest.fixture
def werkboek_pad(r, gemeente, tmp_path) -> Path:
    return duiding.uitzetten(r, gemeente, tmp_path / "uit")


def _eerste_blad(pad: Path):
    wb = load_workbook(pad)
    return wb, wb[wb.sheetnames[1]]


HERKENT_KOLOM, VERKLARING_KOLOM = 8, 9  # H and I: the last two columns of a wijk sheet
EERSTE = duiding.KOPRIJ + 1


def _vul(pad: Path, antwoorden: dict[int, tuple], blad: int = 1) -> Path:
    """Fill rows (offset from the first indicator) with (herkent, verklaring) and save."""
    wb = load_workbook(pad)
    ws = wb[wb.sheetnames[blad]]
    for i, (h, v) in antwoorden.items():
        ws.cell(EERSTE + i, HERKENT_KOLOM, h)
        ws.cell(EERSTE + i, VERKLARING_KOLOM, v)
    wb.save(pad)
    return pad


# ---------------------------------------------------------------- the workbook


def test_werkboek_per_gemeente(r, config, tmp_path):
    for code in {g.gemeente for g in config.gebieden}:
        wb = load_workbook(duiding.uitzetten(r, code, tmp_path))
        gebieden = [g for g in config.gebieden if g.gemeente == code]
        assert wb.sheetnames == [duiding.UITLEG] + [g.naam for g in gebieden]
        uitleg = wb[duiding.UITLEG]
        assert [uitleg["B3"].value, uitleg["B4"].value] == [code, str(max(r.metingen))]
        assert uitleg.protection.sheet and wb.security.lockStructure
        for g in gebieden:
            ws = wb[g.naam]
            verwacht = [i.id for p in config.pijlers for i in config.indicatoren_voor(g.id) if i.pijler == p.id]
            codes = [ws.cell(EERSTE + i, 3).value for i in range(len(verwacht) + 1)]
            assert codes == verwacht + [None], g.id
            assert ws.protection.sheet
            for rij in range(EERSTE, EERSTE + len(verwacht)):
                assert ws.cell(rij, HERKENT_KOLOM).protection.locked is False
                assert ws.cell(rij, VERKLARING_KOLOM).protection.locked is False
                assert all(ws.cell(rij, k).protection.locked for k in range(1, HERKENT_KOLOM))
            lijst = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
            assert lijst and lijst[0].formula1 == '"ja,deels,nee"'


def test_onbekende_gemeente_en_meting(r, tmp_path):
    from vwanalyse.basis.fouten import ParameterFout

    with pytest.raises(ParameterFout, match="onbekende gemeente 'GM9999'; bekend: "):
        duiding.uitzetten(r, "GM9999", tmp_path)
    with pytest.raises(ParameterFout, match="meting 1999 heeft geen cijfers"):
        duiding.uitzetten(r, r.config.gebieden[0].gemeente, tmp_path, meting=1999)


# ---------------------------------------------------------------- the round trip


def test_rondgang_tot_de_pagina(r, config, project, demo_resultaten, werkboek_pad, data_map, tmp_path):
    """Export, fill programmatically, import, recompute the results folder, render: the text is on the wijk
    page and beside the numbers of its pijler, and on no other wijk's page."""
    wb, ws = _eerste_blad(werkboek_pad)
    gebied = ws["B2"].value
    eerste, tweede = config.indicator[ws.cell(EERSTE, 3).value], config.indicator[ws.cell(EERSTE + 1, 3).value]
    meting = int(wb[duiding.UITLEG]["B4"].value)
    tekst = "Het aantal respondenten in de flats daalde (rondgangtest)."
    _vul(werkboek_pad, {0: ("Nee", tekst), 1: ("ja", None)})
    oud = (data_map / DUIDING).read_text(encoding="utf-8-sig").splitlines()
    pad, aantal = duiding.inlezen(werkboek_pad, r, data_map)
    assert (pad, aantal) == (data_map / DUIDING, 2)
    nieuw = (data_map / DUIDING).read_text(encoding="utf-8-sig").splitlines()
    assert nieuw[0] == "gebied;meting;pijler;indicator;herkend;tekst"
    assert len(nieuw) == len(oud) + 2
    gegevens = laad_gegevens(data_map, config)  # valid, and the manifest was brought up to date
    # the pages, from a results folder of the new data
    map_ = tmp_path / "resultaten"
    opslag.schrijf(map_, demo_resultaten, gegevens, config)
    r2 = rapport.laad(map_, config=config)
    taken = matrix(config, project)
    pagina = boek.wijkpagina(config, gebied, r2, taken)
    eerste_scherm = pagina[pagina.index("## Wat zeggen de lokale experts?"):pagina.index("## Wat deden de projecten?")]
    assert f"(niet herkend): {tekst}" in eerste_scherm and eerste.naam in eerste_scherm
    assert f"{tweede.naam} <" in eerste_scherm and "(herkend)" in eerste_scherm
    naast = rapport.duiding(r2, gebied, meting, eerste.pijler).data
    assert f"(niet herkend): {tekst}" in naast
    for g in config.gebieden:
        if g.id != gebied:
            assert tekst not in boek.wijkpagina(config, g.id, r2, taken), g.id
    # reading the same workbook again changes nothing; a new export carries the answers back
    duiding.inlezen(werkboek_pad, r, data_map)
    assert (data_map / DUIDING).read_text(encoding="utf-8-sig").splitlines() == nieuw


# ---------------------------------------------------------------- every rule of reading it back


def _zet(blad, cel, waarde):
    def wijzig(pad):
        wb = load_workbook(pad)
        wb[wb.sheetnames[blad]][cel] = waarde
        wb.save(pad)
    return wijzig


def _antwoord(h, v):
    return lambda pad: _vul(pad, {0: (h, v)})


def _geen_werkboek(pad):
    pad.write_text("gebied;meting\n", encoding="utf-8")


LANG = "a" * 1001
FOUTEN = {
    # (change, gemeente passed to inlezen ('ander' = another one), expected fragment of the message)
    "andere_gemeente": (None, "ander", "blad 'Toelichting', rij 3, kolom B: verwacht het werkboek van gemeente "),
    "onbekende_gemeente": (_zet(0, "B3", "GM9999"), None,
                           "blad 'Toelichting', rij 3, kolom B: verwacht een gemeente-code uit de configuratie"),
    "onbekende_meting": (_zet(0, "B4", "2022"), None, "blad 'Toelichting', rij 4, kolom B: verwacht een meting met "
                                                      "gegevens (2021, 2023, 2025), gevonden '2022'"),
    "onbekende_indicator": (_zet(1, f"C{EERSTE}", "bestaat_niet"), None,
                            f"rij {EERSTE}, kolom C (Code): verwacht de indicator-code"),
    "bewerkte_waarde": (_zet(1, f"D{EERSTE}", "99,9%"), None,
                        f"rij {EERSTE}, kolom D ("),
    "te_lange_tekst": (_antwoord("deels", LANG), None,
                       f"rij {EERSTE}, kolom I (Mogelijke verklaring): verwacht hoogstens 1000 tekens, gevonden 1001 tekens"),
    "herkent_leeg_bij_verklaring": (_antwoord(None, "Door de sloop."), None,
                                    f"rij {EERSTE}, kolom H (Herkent u dit? (ja, deels, nee)): verwacht ja, deels of nee "
                                    "bij een ingevulde verklaring (verplicht), gevonden een lege cel"),
    "verklaring_leeg_bij_nee": (_antwoord("nee", None), None,
                                f"rij {EERSTE}, kolom I (Mogelijke verklaring): verwacht een verklaring bij 'nee' "
                                "(verplicht), gevonden een lege cel"),
    "herkent_onbekend": (_antwoord("misschien", "Wie weet."), None,
                         f"rij {EERSTE}, kolom H (Herkent u dit? (ja, deels, nee)): verwacht ja, deels of nee, "
                         "gevonden 'misschien'"),
    "gebiedcode_gewijzigd": (_zet(1, "B2", "elders"), None, "rij 2, kolom B: verwacht de gebied-code"),
    "geen_werkboek": (_geen_werkboek, None, "verwacht een Excel-werkboek (.xlsx)"),
}


@pytest.mark.parametrize("wijzig, opgegeven, verwacht", FOUTEN.values(), ids=FOUTEN.keys())
def test_fout_in_het_werkboek(r, config, gemeente, werkboek_pad, data_map, opgegeven, wijzig, verwacht):
    _vul(werkboek_pad, {1: ("ja", "Klopt.")})  # a valid answer elsewhere: nothing of it may be written either
    if wijzig:
        wijzig(werkboek_pad)
    if opgegeven == "ander":
        opgegeven = next(c for c in config.gemeente if c != gemeente)
    voor = {p: p.read_bytes() for p in (data_map / DUIDING, data_map / "MANIFEST.sha256")}
    with pytest.raises(duiding.WerkboekFout) as fout:
        duiding.inlezen(werkboek_pad, r, data_map, opgegeven)
    meldingen = [str(p) for p in fout.value.problemen]
    assert len(meldingen) == 1 and verwacht in meldingen[0], meldingen
    assert meldingen[0].startswith(werkboek_pad.name)
    assert {p: p.read_bytes() for p in voor} == voor  # nothing written


# ---------------------------------------------------------------- the command line on a fresh copy


def test_opdrachtregel_op_een_kopie(tmp_path, config, capsys, monkeypatch):
    from vwanalyse.basis.bestanden import kopieer_project

    monkeypatch.delenv("VWANALYSE_DATA", raising=False)
    kopie = kopieer_project(ROOT, tmp_path / "kopie")
    code = config.gebieden[0].gemeente
    assert cli.main(["--project", str(kopie), "duiding", "uitzetten", "--gemeente", code]) == 0
    pad = next((kopie / "_build" / "duiding").glob("*.xlsx"))
    assert f"duidingwerkboek geschreven: {pad}" in capsys.readouterr().out
    _vul(pad, {0: ("nee", None)})
    assert cli.main(["--project", str(kopie), "duiding", "inlezen", str(pad)]) == 2
    assert "fout in het duidingwerkboek; de duiding in de datamap is niet gewijzigd" in capsys.readouterr().err
    _vul(pad, {0: ("nee", "Een verklaring.")})
    assert cli.main(["--project", str(kopie), "duiding", "inlezen", str(pad), "--gemeente", code]) == 0
    assert "duiding ingelezen: 1 antwoorden" in capsys.readouterr().out
    assert "Een verklaring." in (kopie / "data" / "demo" / DUIDING).read_text(encoding="utf-8-sig")
    assert cli.main(["--project", str(kopie), "data", "check", str(kopie / "data" / "demo")]) == 0
