"""Confidentiality scan of a build: nothing published may be respondent-level.

`scan(mappen, config, data_map)` reads every file under the given folders (the HTML site with its
downloads and sources, the executed notebooks, and the results folder when it is published) and
reports, per file:

- respondent ids of the data folder's survey files (read with the project's loader), matched as
  whole tokens. An id of only digits shorter than MIN_CIJFERS cannot be told apart from an
  ordinary number in the text and is not matched on its own; such ids only leak in row-level
  frames, which the next check catches;
- row-level frames: an HTML table, notebook output or table file (CSV, Parquet, Excel) with a
  survey variable as column (respondent id, weight, design) or with more rows than the results
  table can have aggregate cells (gebieden x metingen x indicatoren x rollen);
- disclosure control in published results tables: a row marked `onderdrukt` must not carry an
  estimate, interval or count, and no published survey row may rest on fewer respondents than
  `onthulling.min_n` in data/config/instellingen.yml.

    vwanalyse vertrouwelijkheid [--data-dir DIR] [MAP ...]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from vwanalyse.controle.bewaking import MICRODATA_KOLOMMEN
from vwanalyse.invoer.bronnen import laad_gegevens
from vwanalyse.model.configuratie import Configuratie
from vwanalyse.resultaten.schema import ROLLEN

MIN_CIJFERS = 6
TEKST = {".html", ".htm", ".js", ".json", ".txt", ".md", ".csv", ".tsv", ".ipynb", ".svg", ".xml", ".yml", ".yaml"}
TABELLEN = {".csv", ".tsv", ".parquet", ".xlsx"}
GEPUBLICEERD = ("schatting", "se", "ci_laag", "ci_hoog", "n_effectief", "deff", "teller",
                "verschil_rest", "verschil_vorige", "verschil_nulmeting")
_TOKEN = re.compile(r"[A-Za-z0-9_.\-]+")
_DATAFRAME_TEKST = re.compile(r"\[(\d+) rows x (\d+) columns\]")
MAX_GETOOND = 3


@dataclass
class Verslag:
    vondsten: list[str] = field(default_factory=list)
    bestanden: int = 0
    ids: int = 0  # respondent ids matched one by one
    ids_te_kort: int = 0  # short numeric ids, left to the row-level check
    max_rijen: int = 0


def respondent_ids(data_map: Path, config: Configuratie) -> set[str]:
    """Every respondent id in the survey files of a (valid) data folder."""
    gegevens = laad_gegevens(data_map, config)
    return {str(i).strip() for df in gegevens.survey.values() for i in df["respondent_id"].dropna()}


def herkenbaar(rid: str) -> bool:
    """An id that cannot be an ordinary number in the text: it has a non-digit or enough digits."""
    return not rid.isdigit() or len(rid) >= MIN_CIJFERS


def max_aggregaatrijen(config: Configuratie) -> int:

    return len(config.gebieden) * len(config.metingen) * len(config.indicatoren) * len(ROLLEN)


# ---------------------------------------------------------------- frames


class _HtmlTabellen(HTMLParser):
    """Header texts (<thead> <th>) and data rows (<tr> with <td>) of every <table>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tabellen: list[dict] = []
        self._open: list[dict] = []
        self._kop = self._th = self._rij_geteld = False
        self._tekst: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._open.append({"kop": [], "rijen": 0})
        elif not self._open:
            return
        elif tag == "thead":
            self._kop = True
        elif tag == "tr":
            self._rij_geteld = False
        elif tag == "th" and self._kop:
            self._th, self._tekst = True, []
        elif tag == "td" and not self._kop and not self._rij_geteld:
            self._open[-1]["rijen"] += 1
            self._rij_geteld = True

    def handle_data(self, data):
        if self._th:
            self._tekst.append(data)

    def handle_endtag(self, tag):
        if tag == "th" and self._th:
            self._open[-1]["kop"].append("".join(self._tekst).strip())
            self._th = False
        elif tag == "thead":
            self._kop = False
        elif tag == "table" and self._open:
            self.tabellen.append(self._open.pop())


def _html_tabellen(html: str) -> list[dict]:
    parser = _HtmlTabellen()
    parser.feed(html)
    parser.close()
    return parser.tabellen


def _rijniveau(kolommen, rijen: int, max_rijen: int, waar: str) -> list[str]:
    verdacht = [str(k) for k in kolommen if str(k).strip().lower() in MICRODATA_KOLOMMEN]
    vondsten = []
    if verdacht:
        vondsten.append(f"{waar}: een tabel met enquêtevariabelen als kolommen ({', '.join(verdacht)})")
    if rijen > max_rijen:
        vondsten.append(f"{waar}: een tabel van {rijen} rijen, meer dan de {max_rijen} geaggregeerde cellen die er "
                        "kunnen zijn")
    return vondsten


def _onthulling(df: pd.DataFrame, config: Configuratie, waar: str) -> list[str]:
    """Disclosure control of a results table (or a slice of it)."""
    if "onderdrukt" not in df.columns:
        return []
    vondsten = []
    onderdrukt = df["onderdrukt"].astype(str).str.strip().str.lower().isin(["true", "1", "waar"])
    sleutel = [k for k in ("gebied", "meting", "indicator", "rol") if k in df.columns]

    def rijen(masker) -> str:
        rij = df.loc[masker, sleutel].head(MAX_GETOOND)
        tekst = "; ".join(" ".join(str(v) for v in r) for r in rij.itertuples(index=False))
        return tekst + (f" en nog {int(masker.sum()) - MAX_GETOOND}" if masker.sum() > MAX_GETOOND else "")

    for kolom in (k for k in GEPUBLICEERD if k in df.columns):
        masker = onderdrukt & df[kolom].notna() & df[kolom].astype(str).str.strip().ne("")
        if masker.any():
            vondsten.append(f"{waar}: {kolom} gepubliceerd voor onderdrukte rijen: {rijen(masker)}")
    if {"n_ongewogen", "statistiek"} <= set(df.columns):
        n = pd.to_numeric(df["n_ongewogen"], errors="coerce")
        min_n = config.instellingen.onthulling.min_n
        masker = ~onderdrukt & df["statistiek"].astype(str).str.startswith("survey") & (n < min_n)
        if masker.any():
            vondsten.append(f"{waar}: enquêterijen gepubliceerd met n_ongewogen onder {min_n}: {rijen(masker)}")
    return vondsten


def _lees_tabel(pad: Path) -> dict[str, pd.DataFrame]:
    if pad.suffix == ".parquet":
        return {"": pd.read_parquet(pad)}
    if pad.suffix == ".xlsx":
        return {f" (werkblad {k})": v for k, v in pd.read_excel(pad, sheet_name=None).items()}
    kop = pad.read_text(encoding="utf-8-sig", errors="replace").partition("\n")[0]
    scheiding = max(";,\t", key=kop.count)
    return {"": pd.read_csv(pad, sep=scheiding, dtype=str, keep_default_na=False, na_values=[""])}


# ---------------------------------------------------------------- the scan


def _scan_bestand(pad: Path, naam: str, ids: set[str], config: Configuratie, max_rijen: int) -> list[str]:
    vondsten = []
    suffix = pad.suffix.lower()
    tekst = pad.read_text(encoding="utf-8", errors="replace") if suffix in TEKST else ""
    gevonden = sorted(set(t.strip(".-") for t in _TOKEN.findall(tekst)) & ids) if tekst and ids else []
    if gevonden:
        vondsten.append(f"{naam}: {len(gevonden)} respondent-id('s), bijvoorbeeld {', '.join(gevonden[:MAX_GETOOND])}")
    if suffix in (".html", ".htm"):
        for i, t in enumerate(_html_tabellen(tekst), start=1):
            vondsten += _rijniveau(t["kop"], t["rijen"], max_rijen, f"{naam}: tabel {i}")
    elif suffix == ".ipynb":
        vondsten += _scan_notebook(tekst, naam, max_rijen)
    if suffix in TABELLEN:
        try:
            tabellen = _lees_tabel(pad)
        except Exception as fout:  # noqa: BLE001 - an unreadable table cannot be cleared
            return vondsten + [f"{naam}: niet als tabel te lezen, dus niet te controleren ({type(fout).__name__}: {fout})"]
        for blad, df in tabellen.items():
            vondsten += _rijniveau(df.columns, len(df), max_rijen, naam + blad)
            vondsten += _onthulling(df, config, naam + blad)
    return vondsten


def _scan_notebook(tekst: str, naam: str, max_rijen: int) -> list[str]:
    try:
        cellen = json.loads(tekst).get("cells", [])
    except ValueError:
        return [f"{naam}: geen geldig notebook; de uitvoer is niet te controleren"]
    vondsten = []
    for nr, cel in enumerate(cellen, start=1):
        for uit in cel.get("outputs", []):
            data = dict(uit.get("data", {}))
            if "text" in uit:
                data["text/plain"] = uit["text"]
            for soort, inhoud in data.items():
                inhoud = "".join(inhoud) if isinstance(inhoud, list) else str(inhoud)
                if soort == "text/html":
                    for t in _html_tabellen(inhoud):
                        vondsten += _rijniveau(t["kop"], t["rijen"], max_rijen, f"{naam}: cel {nr}")
                elif soort == "text/plain":
                    for m in _DATAFRAME_TEKST.finditer(inhoud):
                        if int(m.group(1)) > max_rijen:
                            vondsten.append(f"{naam}: cel {nr}: een tabel van {m.group(1)} rijen, meer dan de "
                                            f"{max_rijen} geaggregeerde cellen die er kunnen zijn")
    return vondsten


def scan(mappen: list[Path | str], config: Configuratie, data_map: Path | str) -> Verslag:
    """Scan every file under `mappen` (folders or files); see the module docstring."""
    alle = respondent_ids(Path(data_map), config)
    ids = {i for i in alle if herkenbaar(i)}
    verslag = Verslag(ids=len(ids), ids_te_kort=len(alle) - len(ids), max_rijen=max_aggregaatrijen(config))
    for wortel in map(Path, mappen):
        paden = [wortel] if wortel.is_file() else sorted(p for p in wortel.rglob("*") if p.is_file())
        for pad in paden:
            naam = str(pad.relative_to(wortel.parent))
            verslag.bestanden += 1
            verslag.vondsten += _scan_bestand(pad, naam, ids, config, verslag.max_rijen)
    return verslag
