"""Confidentiality scan of a build: nothing published may be respondent-level.

`scan(mappen, config, data_map)` reads every file under the given folders (the HTML site with its
downloads and sources, the executed notebooks, and the results folder when it is published) and
reports, per file:

- respondent ids of the data folder's survey files (read with the project's loader), matched as
  whole tokens. An id of only digits shorter than MIN_CIJFERS cannot be told apart from an
  ordinary number in the text and is not matched on its own; such ids only leak in row-level
  frames, which the next check catches;
- row-level frames: an HTML table, notebook output or table file (CSV, Parquet, Excel) with a
  survey variable as column (respondent id, weight, design) or with more rows than a
  build can publish aggregate cells (`max_aggregaatrijen`: the results and the context table);
- disclosure control in published results tables: a row marked `onderdrukt` must not carry an
  estimate, interval or count, and no published survey row may rest on fewer respondents than
  `onthulling.min_n` in data/config/instellingen.yml;
- derived disclosure in published results tables (`_afgeleid`): no difference (with the rest of
  the gemeente, the previous meting or the nulmeting) computed from a suppressed row, no suppressed
  value among wijk, rest of the gemeente and gemeente that the other two published ones give back,
  a gemeente suppressed beside all its gebieden or none; and no difference-in-differences (a table
  with a `basismeting` column) whose wijk or rest rows are suppressed in a results table of the same
  file or folder.

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
from vwanalyse.resultaten.context import context_wijken
from vwanalyse.resultaten.schema import ROLLEN

MIN_CIJFERS = 6
TEKST = {".html", ".htm", ".js", ".json", ".txt", ".md", ".csv", ".tsv", ".ipynb", ".svg", ".xml", ".yml", ".yaml"}
TABELLEN = {".csv", ".tsv", ".parquet", ".xlsx"}
GEPUBLICEERD = ("schatting", "waarde", "se", "ci_laag", "ci_hoog", "n_effectief", "deff", "teller",
                "verschil_rest", "verschil_vorige", "verschil_nulmeting", "p_rest", "p_vorige", "p_nulmeting")
DRIE = ("wijk", "rest_gemeente", "gemeente")  # the gemeente is the wijk and the rest together
_TOKEN = re.compile(r"[A-Za-z0-9_.\-]+")
_DATAFRAME_TEKST = re.compile(r"\[(\d+) rows x (\d+) columns\]")
MAX_GETOOND = 3


@dataclass
class Scanverslag:
    vondsten: list[str] = field(default_factory=list)
    bestanden: int = 0
    ids: int = 0  # respondent ids matched one by one
    ids_te_kort: int = 0  # short numeric ids, left to the row-level check
    max_rijen: int = 0


def respondent_ids(gegevens) -> set[str]:
    """Every respondent id in the survey files of a (valid) data folder."""
    return {str(i).strip() for df in gegevens.survey.values() for i in df["respondent_id"].dropna()}


def herkenbaar(rid: str) -> bool:
    """An id that cannot be an ordinary number in the text: it has a non-digit or enough digits."""
    return not rid.isdigit() or len(rid) >= MIN_CIJFERS


def max_aggregaatrijen(config: Configuratie, contextwijken: int = 0) -> int:
    """The aggregate cells a build can publish: the results table (gebieden x rollen) and the
    context table of the explorer (one row per wijk of the gemeenten), per meting and indicator."""
    return (len(config.gebieden) * len(ROLLEN) + contextwijken) * len(config.metingen) * len(config.indicatoren)


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


def _ja(kolom: pd.Series) -> pd.Series:
    return kolom.astype(str).str.strip().str.lower().isin(["true", "1", "waar"])


def _heeft(kolom: pd.Series) -> pd.Series:
    return kolom.notna() & kolom.astype(str).str.strip().ne("")


def _sleutels(rijen: pd.DataFrame, n: int = MAX_GETOOND) -> str:
    tekst = "; ".join(" ".join(str(v) for v in r) for r in rijen.head(n).itertuples(index=False))
    return tekst + (f" and {len(rijen) - n} more" if len(rijen) > n else "")


def _afgeleid(df: pd.DataFrame, waar: str) -> list[str]:
    """Derived disclosure in a results table (or a factsheet table: one gebied, `waarde`)."""
    if not {"onderdrukt", "rol", "meting", "indicator"} <= set(df.columns):
        return []
    waarde = df["schatting"] if "schatting" in df.columns else df.get("waarde", pd.Series(dtype=str))
    t = pd.DataFrame({"gebied": df["gebied"].astype(str) if "gebied" in df.columns else "",
                      "meting": pd.to_numeric(df["meting"], errors="coerce"), "indicator": df["indicator"].astype(str),
                      "rol": df["rol"].astype(str), "x": _ja(df["onderdrukt"])}, index=df.index)
    t["bekend"] = ~t["x"] & _heeft(waarde.reindex(df.index))
    # the three rows of a gebied, meting and indicator; a factsheet holds one gebied (its gebied
    # column names the area of each row)
    drie = ["gebied", "meting", "indicator"] if t.duplicated(["meting", "indicator", "rol"]).any() \
        else ["meting", "indicator"]
    deel = t[t["rol"].isin(DRIE)]
    vondsten = []
    telling = deel.groupby(drie).agg(x=("x", "sum"), bekend=("bekend", "sum"))
    lek = telling[(telling["x"] == 1) & (telling["bekend"] == 2)].reset_index()
    if len(lek):
        vondsten.append(f"{waar}: een onderdrukt cijfer volgt uit de gepubliceerde andere twee van wijk, "
                        f"rest_gemeente en gemeente (secundaire onderdrukking ontbreekt): {_sleutels(lek[drie])}")
    # a difference published although the other row it needs is suppressed (the row itself: _onthulling)
    onderdrukt = dict(zip(zip(*(t[k] for k in (*drie, "rol"))), t["x"]))
    andere = {"verschil_rest": lambda r: (*(r[k] for k in drie), "rest_gemeente"),
              "verschil_nulmeting": lambda r: (*(r[k] for k in drie[:-2]), t["meting"].min(), r["indicator"], r["rol"])}
    if "vorige_meting" in df.columns:
        vorige = pd.to_numeric(df["vorige_meting"], errors="coerce")
        andere["verschil_vorige"] = lambda r: (*(r[k] for k in drie[:-2]), vorige[r.name], r["indicator"], r["rol"])
    for kolom, sleutel in andere.items():
        if kolom not in df.columns:
            continue
        rijen = t[_heeft(df[kolom])]
        fout = rijen[[onderdrukt.get(sleutel(r), False) for _, r in rijen.iterrows()]]
        if len(fout):
            vondsten.append(f"{waar}: {kolom} gepubliceerd terwijl een rij waaruit het berekend is, onderdrukt is: "
                            f"{_sleutels(fout[[*drie, 'rol']])}")
    if "regiocode" in df.columns:
        gemeente = deel[deel["rol"] == "gemeente"].assign(regiocode=df["regiocode"])
        ongelijk = gemeente.groupby(["regiocode", "meting", "indicator"])["x"].nunique()
        ongelijk = ongelijk[ongelijk > 1].reset_index()
        if len(ongelijk):
            vondsten.append(f"{waar}: een gemeente onderdrukt naast een deel van haar gebieden en gepubliceerd naast "
                            f"andere: {_sleutels(ongelijk[['regiocode', 'meting', 'indicator']])}")
    return vondsten


def _effecten_lekken(effecten: pd.DataFrame, resultaten: pd.DataFrame, waar: str) -> list[str]:
    """Difference-in-differences published although a wijk or rest row it uses is suppressed."""
    if not {"gebied", "indicator", "basismeting", "meting", "schatting"} <= set(effecten.columns):
        return []
    t = resultaten.assign(_x=_ja(resultaten["onderdrukt"]), _rol=resultaten["rol"].astype(str))
    t = t[t["_rol"].isin(DRIE[:2])]
    x = t.set_index(["gebied", "indicator", "_rol", pd.to_numeric(t["meting"])])["_x"].to_dict()
    e = effecten[_heeft(effecten["schatting"])]
    fout = [r for r in e.itertuples(index=False)
            if any(x.get((r.gebied, r.indicator, rol, int(m)), False)
                   for rol in DRIE[:2] for m in (r.basismeting, r.meting))]
    if not fout:
        return []
    rijen = pd.DataFrame(fout)[["gebied", "indicator", "basismeting", "meting"]]
    return [f"{waar}: verschil-in-verschillen gepubliceerd uit een onderdrukte rij van wijk of rest_gemeente: "
            f"{_sleutels(rijen)}"]


def _lees_tabel(pad: Path) -> dict[str, pd.DataFrame]:
    if pad.suffix == ".parquet":
        return {"": pd.read_parquet(pad)}
    if pad.suffix == ".xlsx":
        return {f" (werkblad {k})": v for k, v in pd.read_excel(pad, sheet_name=None).items()}
    kop = pad.read_text(encoding="utf-8-sig", errors="replace").partition("\n")[0]
    scheiding = max(";,\t", key=kop.count)
    return {"": pd.read_csv(pad, sep=scheiding, dtype=str, keep_default_na=False, na_values=[""])}


# ---------------------------------------------------------------- the scan


def _scan_bestand(pad: Path, naam: str, ids: set[str], config: Configuratie, max_rijen: int,
                  tabellen: list | None = None) -> list[str]:
    """The findings of one file; its results and DiD tables are added to `tabellen` (folder, name, frame)."""
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
            gelezen = _lees_tabel(pad)
        except Exception as fout:  # noqa: BLE001 - an unreadable table cannot be cleared
            return vondsten + [f"{naam}: niet als tabel te lezen, dus niet te controleren ({type(fout).__name__}: {fout})"]
        for blad, df in gelezen.items():
            vondsten += _rijniveau(df.columns, len(df), max_rijen, naam + blad)
            vondsten += _onthulling(df, config, naam + blad)
            vondsten += _afgeleid(df, naam + blad)
            if tabellen is not None:
                tabellen.append((pad if blad else pad.parent, naam + blad, df))
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


def scan(mappen: list[Path | str], config: Configuratie, data_map: Path | str) -> Scanverslag:
    """Scan every file under `mappen` (folders or files); see the module docstring."""
    gegevens = laad_gegevens(Path(data_map), config)
    alle = respondent_ids(gegevens)
    ids = {i for i in alle if herkenbaar(i)}
    maximum = max_aggregaatrijen(config, len(context_wijken(config, gegevens)))
    verslag = Scanverslag(ids=len(ids), ids_te_kort=len(alle) - len(ids), max_rijen=maximum)
    tabellen: list[tuple[Path, str, pd.DataFrame]] = []
    for wortel in map(Path, mappen):
        paden = [wortel] if wortel.is_file() else sorted(p for p in wortel.rglob("*") if p.is_file())
        for pad in paden:
            naam = str(pad.relative_to(wortel.parent))
            verslag.bestanden += 1
            verslag.vondsten += _scan_bestand(pad, naam, ids, config, verslag.max_rijen, tabellen)
    # a DiD table against the results tables beside it (the same workbook, or the same folder)
    resultaten = [(plek, df) for plek, _, df in tabellen if {"onderdrukt", "rol"} <= set(df.columns)]
    for plek, naam, df in tabellen:
        if "basismeting" in df.columns:
            for r_plek, r_df in resultaten:
                if r_plek == plek:
                    verslag.vondsten += _effecten_lekken(df, r_df, naam)
    return verslag
