"""The duiding loop: an Excel workbook per gemeente to discuss the figures, and reading it back.

`werkboek` writes, for one gemeente and meting, a sheet per wijk with per pijler every indicator of the
wijk: the values as the factsheets show them (interval, respondents, rest of the gemeente, the verdicts)
and two answer columns, "Herkent u dit?" and "Mogelijke verklaring". Every cell is locked except the
answer cells. `lees_werkboek` reads a filled workbook back: it rebuilds the expected sheets from the
results table and compares cell by cell, so an edited value, a wrong gemeente or an unknown indicator is
found; `inlezen` merges the answers into the data folder's duiding/duiding.csv (data/FORMAAT.md), checked
by the same loader as every data folder, written atomically (nothing is written when anything is wrong).

openpyxl writes the workbook because it is already a dependency (the Excel downloads), and it writes
what the loop needs: cell protection with unlocked answer cells, a drop-down list and a length check
on the answer cells, and it reads the answers back without Excel.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from vwanalyse.basis.bestanden import schrijf_bytes, sha256
from vwanalyse.basis.fouten import ParameterFout
from vwanalyse.invoer.bronnen import (DUIDING_MAX_TEKENS, HERKEND, VASTE_BESTANDEN, DataFout, Probleem,
                                      controleer_duiding, duiding_csv)
from vwanalyse.model.configuratie import Configuratie
from vwanalyse.resultaten.opslag import Rapport, heeft_meting, zoek_rij
from vwanalyse.weergave import opmaak
from vwanalyse.weergave.rapport import _oordeel_cel, _Voetnoten, _waarde, indicatoren, volgt
from vwanalyse.weergave.woorden import OORDEEL_WEERGAVE, met_hoofdletter, reden_tekst, rol_namen

UITLEG = "Toelichting"  # the first sheet
HERKENT, VERKLARING = "Herkent u dit? (ja, deels, nee)", "Mogelijke verklaring"
KOPRIJ = 4  # the header row of a wijk sheet; the indicators start below it
SLEUTELS = ("Gemeente-code", "Meting")  # read back from the first sheet
_ANTWOORD = PatternFill("solid", fgColor="FFF2CC")  # the cells to fill in (light yellow)
_KOP = PatternFill("solid", fgColor="D9E2F3")


class WerkboekFout(DataFout):
    kop = "fout in het duidingwerkboek; de duiding in de datamap is niet gewijzigd"

    def __init__(self, problemen: list[Probleem]):
        super().__init__(problemen)
        n = len(self.problemen)
        self.args = ("\n".join([f"{n} {'probleem' if n == 1 else 'problemen'} in het werkboek:"]
                               + [f"  {p}" for p in self.problemen]),)


@dataclass(frozen=True)
class CelProbleem(Probleem):
    """A problem in one cell (or row) of a workbook sheet: 'blad 'Overvecht', rij 7, kolom I (...)'."""

    blad: str = ""

    @property
    def melding(self) -> str:
        delen = [f"blad '{self.blad}'"] if self.blad else []
        if self.regels:
            delen.append(f"rij {self.regels[0]}")
        if self.kolom is not None:
            delen.append(f"kolom {self.kolom}")
        return ", ".join(delen) + f": verwacht {self.verwacht}, gevonden {self.gevonden}"

    def __str__(self) -> str:
        return f"{self.bestand}: {self.melding}"


# ---------------------------------------------------------------- what a sheet holds


def gemeente_gebieden(config: Configuratie, gemeente: str) -> list[str]:
    if gemeente not in config.gemeente:
        bekend = ", ".join(f"{c} ({g.naam})" for c, g in config.gemeente.items())
        raise ParameterFout(f"onbekende gemeente {gemeente!r}; bekend: {bekend}")
    gebieden = [g.id for g in config.gebieden if g.gemeente == gemeente]
    if not gebieden:
        raise ParameterFout(f"gemeente {gemeente} heeft geen gebied in de monitor (gebieden.yml)")
    return gebieden


def _kop(r: Rapport, gebied: str, meting: int) -> list[str]:
    namen = rol_namen(r.config, gebied)
    nul = r.config.nulmeting.jaar
    return ["Pijler", "Indicator (eenheid)", "Code", f"{namen['wijk']} {meting} (95%-interval; respondenten)",
            met_hoofdletter(namen["rest_gemeente"]), f"{namen['wijk']} t.o.v. rest",
            f"Verandering sinds {nul}", HERKENT, VERKLARING]


def _rijen(r: Rapport, gebied: str, meting: int) -> tuple[list[list[str]], list[str]]:
    """The fixed cells of a wijk sheet (everything but the two answers) and the notes under the table."""
    noten = _Voetnoten()
    t = r.tabel
    t = t[(t["gebied"] == gebied) & (t["meting"] == meting)]
    nulmeting = meting == r.config.nulmeting.jaar
    rijen = []
    for p in r.config.pijlers:
        for ind in indicatoren(r, gebied, p.id):
            naam = ind.naam if ind.eenheid == "%" else f"{ind.naam} ({ind.eenheid})"
            d = t[t["indicator"] == ind.id]
            w, rest = zoek_rij(d, rol="wijk"), zoek_rij(d, rol="rest_gemeente")
            if volgt(r, ind, meting):
                cellen = [opmaak.VOLGT] * 4
            else:
                cellen = [_waarde(w, ind, noten, interval=True), _waarde(rest, ind, noten),
                          _oordeel_cel(w, "rest", ind, noten),
                          "nulmeting" if nulmeting else _oordeel_cel(w, "nulmeting", ind, noten)]
            rijen.append([p.naam, naam, ind.id] + cellen)
    regels = [f"{noten.TEKENS[i] if i < len(noten.TEKENS) else f'({i + 1})'} x = niet gepubliceerd: {reden_tekst(x)}."
              for i, x in enumerate(noten.redenen)]
    if noten.indicatief:
        regels.append("(indicatief) = een toets op een registertelling van gebeurtenissen (zoals misdrijven); "
                      "zie de verantwoording in de eindrapportage.")
    return rijen, regels


def _bladnaam(naam: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", naam)[:31]


def _uitleg(r: Rapport, gemeente: str, meting: int, gebieden: list[str]) -> list[list[str]]:
    config = r.config
    tekens = "; ".join(f"{o.teken} {o.tekst}: {o.uitleg}" for o in OORDEEL_WEERGAVE.values())
    wijken = opmaak.opsomming([config.gebied[g].naam for g in gebieden])
    regels = [
        [f"Duiding van de cijfers: gemeente {config.gemeente[gemeente].naam}, meting {meting}"], [],
        [SLEUTELS[0], gemeente], [SLEUTELS[1], str(meting)], [],
        [f"Dit werkboek bevat per wijk in de monitor ({wijken}) een blad met per pijler alle indicatoren van die "
         "wijk: de waarde in de wijk met het 95%-betrouwbaarheidsinterval en het aantal respondenten, de rest van "
         "de gemeente, het oordeel tegenover de rest van de gemeente en de verandering sinds de nulmeting. Het zijn "
         "dezelfde cijfers als in de factsheets van de eindrapportage."],
        ["Vul per indicator de twee gele kolommen in; de andere cellen zijn beveiligd:"],
        [f"- {HERKENT}: kies ja, deels of nee."],
        [f"- {VERKLARING}: wat verklaart het cijfer of het verschil? Verplicht bij 'deels' en 'nee'; hoogstens "
         f"{DUIDING_MAX_TEKENS} tekens."],
        ["Laat een rij leeg als u er niets over wilt zeggen. Verander geen andere cellen, bladen of bladnamen: bij "
         "het inlezen worden alle cijfers vergeleken met de resultatentabel, en een gewijzigd werkboek wordt "
         "geweigerd met de plaats van elke afwijking."],
        ["Wat u invult, wordt gepubliceerd in de eindrapportage: naast de cijfers die het verklaart (de factsheets) "
         "en in het overzicht bovenaan de pagina van de wijk. Noem geen personen en niets over individuele inwoners."],
        [f"Tekens: {tekens}. x = niet gepubliceerd (de reden staat onder de tabel); . = geen gegevens; volgt = de "
         "bron van deze meting is nog niet aangeleverd."],
    ]
    if r.demodata:
        regels.insert(5, ["Let op: gemaakt op demodata (synthetische gegevens); de cijfers zijn niet echt."])
    return regels


# ---------------------------------------------------------------- writing the workbook


def werkboek(r: Rapport, gemeente: str, meting: Optional[int] = None) -> tuple[Workbook, int]:
    """The duiding workbook of a gemeente at a meting (default: the latest with data) and that meting."""
    gebieden = gemeente_gebieden(r.config, gemeente)
    meting = int(meting if meting is not None else max(r.metingen))
    if not any(heeft_meting(r, meting, g) for g in gebieden):
        raise ParameterFout(f"meting {meting} heeft geen cijfers voor gemeente {gemeente}; metingen met gegevens: "
                            f"{', '.join(map(str, r.metingen))}")
    wb = Workbook()
    ws = wb.active
    ws.title = UITLEG
    for regel in _uitleg(r, gemeente, meting, gebieden):
        ws.append(regel)
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 110
    for rij in ws.iter_rows():
        for cel in rij:
            cel.alignment = Alignment(wrap_text=True, vertical="top")
    ws.protection.sheet = True
    for gebied in gebieden:
        _wijkblad(wb.create_sheet(_bladnaam(r.config.gebied[gebied].naam)), r, gebied, meting)
    wb.security = WorkbookProtection(lockStructure=True)  # no sheets added, removed or renamed
    return wb, meting


def _wijkblad(ws, r: Rapport, gebied: str, meting: int) -> None:
    g = r.config.gebied[gebied]
    kop = _kop(r, gebied, meting)
    rijen, noten = _rijen(r, gebied, meting)
    ws["A1"] = f"{g.naam}: cijfers van meting {meting}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"], ws["B2"] = "Gebied-code", gebied
    ws.append([])
    ws.append(kop)
    for rij in rijen:
        ws.append(rij + [None, None])
    eind = KOPRIJ + len(rijen)
    for i, regel in enumerate(noten, start=eind + 2):
        ws.cell(row=i, column=1, value=regel)
    herkent, verklaring = len(kop) - 1, len(kop)
    breedtes = [18, 42, 26, 30, 16, 30, 30, 16, 70]
    for k, breedte in enumerate(breedtes, start=1):
        ws.column_dimensions[get_column_letter(k)].width = breedte
    for cel in ws[KOPRIJ]:
        cel.font, cel.fill = Font(bold=True), _KOP
        cel.alignment = Alignment(wrap_text=True, vertical="top")
    for rij in ws.iter_rows(min_row=KOPRIJ + 1, max_row=eind):
        for cel in rij:
            cel.alignment = Alignment(wrap_text=True, vertical="top")
        for cel in (rij[herkent - 1], rij[verklaring - 1]):
            cel.protection, cel.fill = Protection(locked=False), _ANTWOORD
    if rijen:
        lijst = DataValidation(type="list", formula1='"' + ",".join(HERKEND) + '"', allow_blank=True,
                               showErrorMessage=True, errorTitle="Herkent u dit?", error="Kies ja, deels of nee.")
        lengte = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(DUIDING_MAX_TEKENS),
                                allow_blank=True, showErrorMessage=True, errorTitle=VERKLARING,
                                error=f"Hoogstens {DUIDING_MAX_TEKENS} tekens.")
        for dv, k in ((lijst, herkent), (lengte, verklaring)):
            letter = get_column_letter(k)
            dv.add(f"{letter}{KOPRIJ + 1}:{letter}{eind}")
            ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(row=KOPRIJ + 1, column=3)
    ws.protection.sheet = True


def bestandsnaam(gemeente: str, meting: int) -> str:
    return f"duiding_{gemeente}_{meting}.xlsx"


def uitzetten(r: Rapport, gemeente: str, doel_map: Path, meting: Optional[int] = None) -> Path:
    """Write the workbook into `doel_map` (atomically); its path."""
    wb, meting = werkboek(r, gemeente, meting)
    buf = io.BytesIO()
    wb.save(buf)
    pad = Path(doel_map) / bestandsnaam(gemeente, meting)
    schrijf_bytes(pad, buf.getvalue())
    return pad


# ---------------------------------------------------------------- reading it back


def _tekst(x) -> str:
    return "" if x is None else str(x).strip()


def lees_werkboek(pad: Path, r: Rapport, gemeente: Optional[str] = None) -> tuple[str, int, pd.DataFrame]:
    """(gemeente, meting, duiding rows) of a filled workbook, after checking every cell; WerkboekFout lists
    every problem (sheet, row, column, what was expected)."""
    pad = Path(pad)
    naam = pad.name
    try:
        wb = load_workbook(pad, data_only=True)
    except Exception as fout:  # openpyxl raises zipfile, KeyError or its own errors for a non-workbook
        raise WerkboekFout([Probleem(naam, [], None, "een Excel-werkboek (.xlsx) van `vwanalyse duiding uitzetten`",
                                     f"een bestand dat niet te lezen is ({type(fout).__name__})")]) from None
    config = r.config
    problemen: list[Probleem] = []

    def fout(blad, rij, kolom, verwacht, gevonden):
        problemen.append(CelProbleem(naam, [rij] if rij else [], kolom, verwacht, gevonden, blad=blad))

    if UITLEG not in wb.sheetnames:
        fout(UITLEG, None, None, f"een eerste blad '{UITLEG}'", "geen blad met die naam")
        raise WerkboekFout(problemen)
    sleutels = {_tekst(a.value): (a.row, _tekst(b.value)) for a, b, *_ in wb[UITLEG].iter_rows(max_col=2)}
    code_rij, code = sleutels.get(SLEUTELS[0], (3, ""))
    meting_rij, meting_tekst = sleutels.get(SLEUTELS[1], (4, ""))
    if code not in config.gemeente:
        fout(UITLEG, code_rij, "B", f"een gemeente-code uit de configuratie ({', '.join(config.gemeente)})",
             f"'{code}'")
    elif gemeente is not None and code != gemeente:
        fout(UITLEG, code_rij, "B", f"het werkboek van gemeente {gemeente} ({config.gemeente[gemeente].naam})",
             f"het werkboek van {code} ({config.gemeente[code].naam})")
    if not (meting_tekst.isdigit() and int(meting_tekst) in r.metingen):
        fout(UITLEG, meting_rij, "B", f"een meting met gegevens ({', '.join(map(str, r.metingen))})", f"'{meting_tekst}'")
    if problemen:
        raise WerkboekFout(problemen)
    meting = int(meting_tekst)
    gebieden = gemeente_gebieden(config, code)
    verwacht_bladen = {_bladnaam(config.gebied[g].naam): g for g in gebieden}
    for blad in wb.sheetnames[1:]:
        if blad not in verwacht_bladen:
            fout(blad, None, None, f"alleen de bladen {UITLEG}, {', '.join(verwacht_bladen)}", "een ander blad")
    antwoorden = []
    for blad, gebied in verwacht_bladen.items():
        if blad not in wb.sheetnames:
            fout(blad, None, None, "een blad per wijk van de gemeente", "geen blad met deze naam")
            continue
        antwoorden += _lees_blad(wb[blad], blad, r, gebied, meting, fout)
    if problemen:
        raise WerkboekFout(problemen)
    return code, meting, pd.DataFrame(antwoorden, columns=["gebied", "meting", "pijler", "indicator", "herkend",
                                                           "tekst"])


def _lees_blad(ws, blad: str, r: Rapport, gebied: str, meting: int, fout) -> list[list]:
    config = r.config
    kop = _kop(r, gebied, meting)
    rijen, _ = _rijen(r, gebied, meting)
    letter = get_column_letter
    if _tekst(ws["B2"].value) != gebied:
        fout(blad, 2, "B", f"de gebied-code '{gebied}'", f"'{_tekst(ws['B2'].value)}'")
    for k, verwacht in enumerate(kop, start=1):
        if _tekst(ws.cell(KOPRIJ, k).value) != verwacht:
            fout(blad, KOPRIJ, f"{letter(k)}", f"de kop '{verwacht}'", f"'{_tekst(ws.cell(KOPRIJ, k).value)}'")
    herkent, verklaring = len(kop) - 1, len(kop)
    antwoorden = []
    for i, verwacht in enumerate(rijen):
        nr = KOPRIJ + 1 + i
        cellen = [_tekst(ws.cell(nr, k).value) for k in range(1, len(kop) + 1)]
        code = cellen[2]
        if code != verwacht[2] and code not in config.indicator:
            fout(blad, nr, f"C ({kop[2]})", f"de indicator-code '{verwacht[2]}' (een indicator uit de catalogus)",
                 f"onbekende indicator '{code}'")
        else:
            for k, (echt, gevonden) in enumerate(zip(verwacht, cellen), start=1):
                if echt != gevonden:
                    fout(blad, nr, f"{letter(k)} ({kop[k - 1]})",
                         f"'{echt}' (deze cel is beveiligd: de waarde uit de resultatentabel)", f"'{gevonden}'")
        h, v = cellen[herkent - 1].lower(), cellen[verklaring - 1]
        if not h and not v:
            continue
        kol_h, kol_v = f"{letter(herkent)} ({HERKENT})", f"{letter(verklaring)} ({VERKLARING})"
        if not h:
            fout(blad, nr, kol_h, "ja, deels of nee bij een ingevulde verklaring (verplicht)", "een lege cel")
        elif h not in HERKEND:
            fout(blad, nr, kol_h, "ja, deels of nee", f"'{cellen[herkent - 1]}'")
        elif h != "ja" and not v:
            fout(blad, nr, kol_v, f"een verklaring bij '{h}' (verplicht)", "een lege cel")
        if len(v) > DUIDING_MAX_TEKENS:
            fout(blad, nr, kol_v, f"hoogstens {DUIDING_MAX_TEKENS} tekens", f"{len(v)} tekens")
        pijler = config.indicator[verwacht[2]].pijler
        antwoorden.append([gebied, meting, pijler, verwacht[2], h, v or None])
    voorbij = KOPRIJ + 1 + len(rijen)
    if any(_tekst(ws.cell(voorbij, k).value) for k in (herkent, verklaring)):
        fout(blad, voorbij, None, f"{len(rijen)} indicatoren (rij {KOPRIJ + 1} tot en met {voorbij - 1})",
             "antwoorden onder de laatste indicator")
    return antwoorden


def inlezen(pad: Path, r: Rapport, data_map: Path, gemeente: Optional[str] = None) -> tuple[Path, int]:
    """Merge a filled workbook into DATA/duiding/duiding.csv: the answers replace the duiding per indicator of
    the gemeente's wijken at that meting; the rest of the file stays. (path, number of answers)."""
    code, meting, nieuw = lees_werkboek(pad, r, gemeente)
    config = r.config
    doel = Path(data_map) / VASTE_BESTANDEN["duiding"]
    oud = controleer_duiding(doel.read_bytes(), config) if doel.is_file() else None
    gebieden = gemeente_gebieden(config, code)
    if oud is not None:
        vervangen = oud["indicator"].notna() & oud["gebied"].isin(gebieden) & oud["meting"].eq(meting)
        samen = pd.concat([oud[~vervangen], nieuw], ignore_index=True)
    else:
        samen = nieuw
    data = duiding_csv(samen)
    controleer_duiding(data, config)  # the file as it will be: the loader's rules, before anything is written
    manifest = Path(data_map) / "MANIFEST.sha256"
    schrijf_bytes(doel, data)
    if manifest.is_file():  # the demo data's checksums: the new duiding is an intended change
        _werk_manifest_bij(manifest, VASTE_BESTANDEN["duiding"], sha256(doel))
    return doel, len(nieuw)


def _werk_manifest_bij(manifest: Path, naam: str, controlegetal: str) -> None:
    regels = manifest.read_text(encoding="utf-8").splitlines()
    nieuw = [f"{controlegetal}  {naam}" if re.fullmatch(rf"[0-9a-f]{{64}} [ *]{re.escape(naam)}", r.strip()) else r
             for r in regels]
    if nieuw == regels and not any(r.strip().endswith(f" {naam}") for r in regels):
        nieuw.append(f"{controlegetal}  {naam}")
    schrijf_bytes(manifest, ("\n".join(nieuw) + "\n").encode("utf-8"))
