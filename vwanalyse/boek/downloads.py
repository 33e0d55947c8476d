"""The downloads of the book: the results tables and one table per factsheet, as CSV and Excel.

Every file is byte-stable (same results, same bytes) and made once per results table,
configuration and code; the page `bijlagen/downloads` lists them.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path
from typing import Optional

import pandas as pd

from vwanalyse.basis.bestanden import gewijzigd, schrijf_bytes, schrijf_tekst, stempel, vingerafdruk, zichtbare_bestanden
from vwanalyse.model.configuratie import Configuratie
from vwanalyse.resultaten.opslag import DOWNLOADS as DOWNLOADS_VOORRAAD
from vwanalyse.resultaten.opslag import Rapport
from vwanalyse.resultaten.schema import EFFECT_SCHEMA, ROLLEN, SCHEMA
from vwanalyse.uitvoer.cache import bron_vingerafdruk, config_vingerafdruk
from vwanalyse.uitvoer.taken import Taak
from vwanalyse.weergave import opmaak
from vwanalyse.weergave.woorden import download_label, met_hoofdletter, rol_namen

DOWNLOADS = "downloads"  # folder of the download files, under book/bijlagen/
_tabel = opmaak.markdown_tabel

VASTE_TIJD = "1980-01-01T00:00:00Z"  # in every Excel file, so the bytes depend only on the content


def factsheet_download(r: Rapport, gebied: str, meting: int) -> pd.DataFrame:
    """The rows of one factsheet (gebied × meting, every area it shows) in the indicator's unit.

    Suppressed rows keep only n and the reason: the results table already holds no numbers for them.
    """
    config = r.config
    t = r.tabel
    t = t[(t["gebied"] == gebied) & (t["meting"] == int(meting))]
    volgorde = {i.id: k for k, i in enumerate(config.indicatoren_voor(gebied))}
    t = t[t["indicator"].isin(volgorde)]
    t = t.assign(_i=t["indicator"].map(volgorde), _r=t["rol"].map(ROLLEN.index)).sort_values(["_i", "_r"])
    ind = t["indicator"].map(config.indicator)
    schaal = ind.map(lambda i: 100.0 if i.is_percentage else 1.0)
    namen = {rol: met_hoofdletter(naam) for rol, naam in rol_namen(config, gebied).items()}

    def waarde(kolom: str) -> pd.Series:
        return (pd.to_numeric(t[kolom], errors="coerce") * schaal).round(6)

    uit = pd.DataFrame({
        "pijler": t["pijler"], "indicator": t["indicator"], "indicator_naam": ind.map(lambda i: i.naam),
        "eenheid": ind.map(lambda i: i.eenheid), "rol": t["rol"], "gebied": t["rol"].map(namen),
        "regiocode": t["regiocode"], "meting": t["meting"], "peiljaar": t["peiljaar"],
        "waarde": waarde("schatting"), "ci_laag": waarde("ci_laag"), "ci_hoog": waarde("ci_hoog"),
        "respondenten": t["n_ongewogen"], "onderdrukt": t["onderdrukt"].astype(bool), "reden": t["reden"],
        "verschil_rest": waarde("verschil_rest"), "p_rest": t["p_rest"].round(6), "oordeel_rest": t["oordeel_rest"],
        "verschil_nulmeting": waarde("verschil_nulmeting"), "p_nulmeting": t["p_nulmeting"].round(6),
        "oordeel_nulmeting": t["oordeel_nulmeting"], "indicatief": t["indicatief"].astype(bool),
    })
    return uit.reset_index(drop=True)


FACTSHEET_KOLOMMEN = [
    ("pijler", "id van de pijler"), ("indicator", "id van de indicator"), ("indicator_naam", "naam van de indicator"),
    ("eenheid", "eenheid van waarde, interval en verschillen ('%': procenten, verschillen in procentpunten)"),
    ("rol", "waar de rij over gaat: wijk, rest_gemeente, gemeente, provincie of nederland"),
    ("gebied", "naam van dat gebied"), ("regiocode", "CBS-code(s)"), ("meting", "jaar van de meting"),
    ("peiljaar", "jaar van de bron"), ("waarde", "schatting in de eenheid van de indicator"),
    ("ci_laag", "ondergrens 95%-betrouwbaarheidsinterval"), ("ci_hoog", "bovengrens 95%-betrouwbaarheidsinterval"),
    ("respondenten", "aantal respondenten met een geldig antwoord (enquête)"),
    ("onderdrukt", "True: niet gepubliceerd (onthullingsbeheersing); waarde en toetsen zijn dan leeg"),
    ("reden", "reden van onderdrukking"), ("verschil_rest", "wijk min rest van de gemeente (alleen rol wijk)"),
    ("p_rest", "tweezijdige p-waarde van dat verschil"),
    ("oordeel_rest", "gunstiger, ongunstiger, hoger, lager, geen_verschil, niet_getoetst of trendbreuk"),
    ("verschil_nulmeting", "verandering sinds de nulmeting"), ("p_nulmeting", "tweezijdige p-waarde"),
    ("oordeel_nulmeting", "oordeel over de verandering sinds de nulmeting"),
    ("indicatief", "True: de toetsen zijn indicatief (een registertelling van gebeurtenissen, Poisson-toets)"),
]


def _excel_cel(waarde):
    if waarde is None or waarde is pd.NA or (isinstance(waarde, float) and waarde != waarde):
        return None
    if hasattr(waarde, "item"):  # numpy scalar
        return waarde.item()
    return waarde


def excel_bytes(bladen: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook with one sheet per frame, byte-stable: fixed document times, fixed zip
    entry times and sorted entries (openpyxl stamps the current time in both)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for naam, tabel in bladen.items():
        blad = wb.create_sheet(naam[:31])
        blad.append([str(k) for k in tabel.columns])
        for rij in tabel.itertuples(index=False):
            blad.append([_excel_cel(v) for v in rij])
        blad.freeze_panes = "A2"
    wb.properties.creator = "vwanalyse"
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as zin:
        delen = sorted((i.filename, zin.read(i.filename)) for i in zin.infolist())
    uit = io.BytesIO()
    with zipfile.ZipFile(uit, "w") as zout:
        for naam, inhoud in delen:
            if naam == "docProps/core.xml":
                inhoud = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + VASTE_TIJD.encode(), inhoud)
            info = zipfile.ZipInfo(naam, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, inhoud)
    return uit.getvalue()


def _csv(tabel: pd.DataFrame) -> bytes:
    return tabel.to_csv(index=False, lineterminator="\n").encode("utf-8")


def schrijf_downloads(r: Rapport, resultaten_map: Path, map: Path) -> dict[str, Path]:
    """Write every download file into `map`; returns {name: path}. Same results -> same bytes.

    Writing the Excel files takes seconds, so they are made once per results table, configuration
    and code (kept in <resultaten_map>/downloads/) and copied from there on later builds.
    """
    sleutel = vingerafdruk(resultaten_map, Path(resultaten_map).glob("*.parquet"),
                           bron_vingerafdruk() + config_vingerafdruk(r.config))
    voorraad = Path(resultaten_map) / DOWNLOADS_VOORRAAD
    sleutel_pad = voorraad / ".sleutel"
    if gewijzigd(sleutel_pad, sleutel, voorraad, zichtbare_bestanden(voorraad)) is not None:  # also a changed file
        sleutel_pad.unlink(missing_ok=True)
        shutil.rmtree(voorraad, ignore_errors=True)
        _maak_downloads(r, resultaten_map, voorraad)
        schrijf_tekst(sleutel_pad, stempel(sleutel, voorraad, zichtbare_bestanden(voorraad)))
    paden = {}
    for bron in sorted(voorraad.iterdir()):
        if not bron.name.startswith("."):
            schrijf_bytes(map / bron.name, bron.read_bytes())
            paden[bron.name] = map / bron.name
    return paden


def _maak_downloads(r: Rapport, resultaten_map: Path, map: Path) -> None:
    bestanden: dict[str, bytes] = {}
    for naam in ("resultaten", "effecten"):
        for deel in (naam, f"{naam}_schema"):
            bestanden[f"{deel}.csv"] = (Path(resultaten_map) / f"{deel}.csv").read_bytes()
    schema = lambda s: pd.DataFrame(s, columns=["kolom", "type", "omschrijving"])  # noqa: E731
    bestanden["resultaten.xlsx"] = excel_bytes({
        "resultaten": pd.read_parquet(Path(resultaten_map) / "resultaten.parquet"),
        "effecten": pd.read_parquet(Path(resultaten_map) / "effecten.parquet"),
        "kolommen resultaten": schema(SCHEMA), "kolommen effecten": schema(EFFECT_SCHEMA)})
    kolommen = pd.DataFrame(FACTSHEET_KOLOMMEN, columns=["kolom", "omschrijving"])
    for g in r.config.gebieden:
        for m in r.metingen:
            tabel = factsheet_download(r, g.id, m)
            if tabel.empty:
                continue
            bestanden[f"factsheet-{g.id}-{m}.csv"] = _csv(tabel)
            bestanden[f"factsheet-{g.id}-{m}.xlsx"] = excel_bytes({"factsheet": tabel, "kolommen": kolommen})
    for naam, data in bestanden.items():
        schrijf_bytes(map / naam, data)


def downloadpagina(config: Configuratie, r: Optional[Rapport], bestanden: dict[str, Path], taken: list[Taak]) -> str:
    def link(naam: str, tekst: Optional[str] = None) -> str:
        return f"{{download}}`{tekst or naam} <{DOWNLOADS}/{naam}>`"

    delen = [
        "(bijlage-downloads)=\n# Downloads\n",
        "Alle cijfers van deze rapportage zijn hier te downloaden: de volledige resultatentabel en per "
        "factsheet de tabel van die wijk en meting.\n",
        "## Over de bestanden\n",
        "- **CSV** (`.csv`): tekst in UTF-8, **komma** als scheidingsteken, **punt** als decimaalteken, "
        "de eerste regel bevat de kolomnamen, een lege cel betekent: geen waarde. Zo leest elk "
        "analyseprogramma het bestand. In Excel open je het via *Gegevens > Uit tekst/CSV*; of gebruik "
        "het Excel-bestand (`.xlsx`) met dezelfde cijfers.\n"
        "- **Niet gepubliceerde cijfers** (onthullingsbeheersing, zie {ref}`bijlage-verantwoording`) "
        "staan er niet in: de regel is er wel, met `onderdrukt` = `True` en de reden, maar zonder "
        "schatting, interval of toets.\n"
        "- In de **volledige resultatentabel** staan percentages als fractie (0.235 = 23,5%) en "
        "verschillen in percentages ook. In de **tabellen per factsheet** staan alle cijfers in de eenheid "
        "van de indicator (percentages als 23.5) en afgerond op zes decimalen.\n",
    ]
    if r is None or "resultaten.csv" not in bestanden:
        delen.append("Er zijn nog geen resultaten berekend; de downloads volgen zodra er gegevens zijn.\n")
        return "\n".join(delen)
    delen.append("## De volledige resultatentabel\n")
    delen.append(
        f"- {link('resultaten.csv')}: één regel per wijk, meting, indicator en gebied "
        f"({opmaak.geheel(len(r.tabel))} regels), met de kolombeschrijving in {link('resultaten_schema.csv')};\n"
        f"- {link('effecten.csv')}: de schattingen van de effectanalyse (verschil-in-verschillen, "
        f"{opmaak.geheel(len(r.effecten))} regels), met {link('effecten_schema.csv')};\n"
        f"- {link('resultaten.xlsx')}: beide tabellen en hun kolombeschrijving in één Excel-bestand.\n")
    delen.append("De kolommen van de resultatentabel:\n")
    delen.append(_tabel(["Kolom", "Type", "Omschrijving"], [[f"`{k}`", t, o] for k, t, o in SCHEMA]))
    delen.append("\n## Tabellen per factsheet\n")
    delen.append("Per wijk en meting de cijfers van de factsheet: de wijk, de rest van de gemeente, de gemeente, "
                 "de provincie en Nederland. De kolommen staan in het tweede blad van het Excel-bestand.\n")
    factsheets = {(t.parameters["gebied"], int(t.parameters["meting"])): t.naam
                  for t in taken if t.sjabloon == "factsheet"}
    for g in config.gebieden:
        delen.append(f"### {g.naam}\n")
        for m in config.metingen:
            if (g.id, m.jaar) not in factsheets:
                continue
            delen.append(f"({download_label(g.id, m.jaar)})=\n#### {g.naam}, meting {m.jaar}\n")
            csv, xlsx = f"factsheet-{g.id}-{m.jaar}.csv", f"factsheet-{g.id}-{m.jaar}.xlsx"
            factsheet = f"{{doc}}`factsheet </book/uitvoer/{factsheets[(g.id, m.jaar)]}>`"
            if csv in bestanden:
                delen.append(f"{link(csv, 'CSV')} · {link(xlsx, 'Excel')} · {factsheet}\n")
            else:
                delen.append(f"Voor meting {m.jaar} zijn nog geen gegevens; de tabel volgt met de meting "
                             f"({factsheet}).\n")
    return "\n".join(delen)
