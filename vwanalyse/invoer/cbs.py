"""Importer for CBS StatLine and CBS/RIVM open-data exports, driven by data/config/cbs_import.yml.

Reads a TypedDataSet CSV (';', BOM, codes padded with spaces, '.' for missing), an OData
TypedDataSet JSON ({"value": [...]}), a list of records, or a JSON mapping region code -> record,
and returns either register rows (gebiedscode, jaar, our count columns) or reference values
(the referentie schema of data/FORMAAT.md). Which CBS key goes where is declared per StatLine
table in cbs_import.yml, never in code.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd

from vwanalyse.basis.fouten import ParameterFout, VwFout
from vwanalyse.invoer.bronnen import DataFout, Probleem, lees_csv, normaliseer_cellen, register_kolommen
from vwanalyse.model.configuratie import Configuratie
from vwanalyse.model.schema import ConfigFout, bouw, een_sleutel, lees_yaml

CBS_IMPORT = "cbs_import.yml"  # in the configuration folder
REFERENTIE_KOLOMMEN = ["regiocode", "indicator", "jaar", "waarde", "ondergrens", "bovengrens"]


@dataclass(frozen=True)
class Marges:
    """A dimension whose rows hold the value and, optionally, the 95% interval bounds."""

    kolom: str
    waarde: str
    ondergrens: Optional[str] = None
    bovengrens: Optional[str] = None


@dataclass(frozen=True)
class Percentage:
    """A CBS key that publishes a share (%) of one of our columns: the count is share / 100 x `van`."""

    kolom: str
    van: str


@dataclass(frozen=True)
class Uitsplitsing:
    """A table in long form: per code of `dimensie` (such as a SoortMisdrijf) the value of `maat`
    goes into one column of ours."""

    dimensie: str
    maat: str
    codes: dict[str, str]


@dataclass(frozen=True)
class CbsTabel:
    naam: str
    uitgever: str
    bron: str
    regiokolom: str
    jaar: Optional[int] = None
    periodekolom: Optional[str] = None
    filters: dict[str, str] = field(default_factory=dict)
    marges: Optional[Marges] = None
    register: dict[str, str] = field(default_factory=dict)
    percentages: dict[str, Percentage] = field(default_factory=dict)
    uitsplitsing: Optional[Uitsplitsing] = None
    referentie: dict[str, str] = field(default_factory=dict)
    url: Optional[str] = None  # the OData server when not the CBS's own (politie: dataderden.cbs.nl)
    populatie: Optional[str] = None
    toelichting: str = ""

    def doelen(self) -> dict[str, str]:
        """Each CBS key or dimension code -> the register column it fills."""
        return {**self.register, **{k: p.kolom for k, p in self.percentages.items()},
                **(self.uitsplitsing.codes if self.uitsplitsing else {})}

    def sleutels(self) -> list[str]:
        """The keys of the table that cbs_import.yml uses."""
        return list(dict.fromkeys([
            self.regiokolom, *self.filters, *([self.periodekolom] if self.periodekolom else []),
            *([self.marges.kolom] if self.marges else []), *self.register, *self.percentages,
            *([self.uitsplitsing.dimensie, self.uitsplitsing.maat] if self.uitsplitsing else []), *self.referentie]))


def laad_definities(config: Configuratie, pad: Optional[Path | str] = None) -> dict[str, CbsTabel]:
    """Read and check cbs_import.yml (of the configuration folder, or `pad`); raises ConfigFout."""
    pad = Path(pad) if pad is not None else Path(config.map) / CBS_IMPORT
    data = lees_yaml(pad)
    if not isinstance(data, dict) or set(data) != {"tabellen"}:
        raise ConfigFout(pad, "", een_sleutel("tabellen"))
    tabellen = bouw(dict[str, CbsTabel], data["tabellen"], pad, "tabellen")
    kolommen = register_kolommen(config)
    for tabel_id, t in tabellen.items():
        plek = f"tabellen.{tabel_id}"
        if not re.fullmatch(r"\d{5}[A-Z]{3}", tabel_id):
            raise ConfigFout(pad, plek, f"verwacht: een StatLine-tabelnummer zoals 85984NED, gevonden: {tabel_id!r}")
        if t.jaar is not None and t.periodekolom is not None:
            raise ConfigFout(pad, plek, "geef jaar (een vast jaar) of periodekolom (een kolom met perioden), niet allebei")
        if t.uitsplitsing and (t.register or t.percentages):
            raise ConfigFout(pad, plek, "geef uitsplitsing (een tabel in lange vorm) of register/percentages, niet "
                                        "allebei")
        if not t.register and not t.referentie and not t.uitsplitsing:
            raise ConfigFout(pad, plek, "koppelt geen kolommen; verwacht: register en/of referentie")
        for code, kolom in (t.uitsplitsing.codes.items() if t.uitsplitsing else []):
            if kolom not in kolommen:
                raise ConfigFout(pad, f"{plek}.uitsplitsing.codes.{code}",
                                 f"{kolom!r} is geen teller- of noemerkolom uit indicatoren.yml")
        if t.bron not in config.bron:
            raise ConfigFout(pad, f"{plek}.bron", f"onbekende bron {t.bron!r}; bekend: {', '.join(config.bron)}")
        for cbs_sleutel, kolom in t.register.items():
            if kolom not in kolommen:
                raise ConfigFout(pad, f"{plek}.register.{cbs_sleutel}",
                                 f"{kolom!r} is geen teller- of noemerkolom uit indicatoren.yml")
        for cbs_sleutel, pct in t.percentages.items():
            if pct.kolom not in kolommen:
                raise ConfigFout(pad, f"{plek}.percentages.{cbs_sleutel}.kolom",
                                 f"{pct.kolom!r} is geen teller- of noemerkolom uit indicatoren.yml")
            if pct.van not in t.register.values():
                raise ConfigFout(pad, f"{plek}.percentages.{cbs_sleutel}.van",
                                 f"{pct.van!r} staat niet onder register van deze tabel; een percentage wordt een "
                                 f"aantal met een kolom uit dezelfde tabel ({', '.join(t.register.values()) or 'geen'})")
        for cbs_sleutel, indicator in t.referentie.items():
            if indicator not in config.indicator:
                raise ConfigFout(pad, f"{plek}.referentie.{cbs_sleutel}", f"onbekende indicator {indicator!r}")
        for soort, mapping in (("register", t.doelen()), ("referentie", t.referentie)):
            dubbel = {d for d in mapping.values() if list(mapping.values()).count(d) > 1}
            if dubbel:
                raise ConfigFout(pad, f"{plek}.{soort}", f"{sorted(dubbel)[0]!r} is het doel van twee CBS-sleutels")
    return tabellen


# ---------------------------------------------------------------- reading an export


def _lees_export(pad: Path, tabel: CbsTabel) -> pd.DataFrame:
    """All cells as stripped strings (NaN for missing); index = line numbers (CSV) or record numbers (JSON)."""
    if pad.suffix.lower() != ".json":
        return lees_csv(pad)
    data = json.loads(pad.read_text(encoding="utf-8-sig"))
    if isinstance(data, dict) and isinstance(data.get("value"), list):
        rijen = data["value"]
    elif isinstance(data, list):
        rijen = data
    elif isinstance(data, dict) and all(isinstance(v, dict) for v in data.values()):
        rijen = [{tabel.regiokolom: code, **record} for code, record in data.items()]
    else:
        raise DataFout([Probleem(str(pad), [], None, "OData-JSON {\"value\": [...]}, een lijst van records of een "
                                 "mapping van regiocode naar record", f"JSON van het type {type(data).__name__}")])
    df = pd.DataFrame(rijen, index=pd.RangeIndex(1, len(rijen) + 1, name="record"))
    return normaliseer_cellen(df)


def _lees(pad: Path | str, tabel_id: str, jaar: Optional[int], definities) -> tuple[CbsTabel, pd.DataFrame]:
    """The export's rows that pass the filters, with columns gebiedscode and jaar added."""
    if tabel_id not in definities:
        raise ParameterFout(f"onbekende tabel {tabel_id!r}: die staat niet in cbs_import.yml; bekend: "
                            f"{', '.join(definities)}")
    tabel, pad = definities[tabel_id], Path(pad)
    df = _lees_export(pad, tabel)
    ontbreekt = [k for k in tabel.sleutels() if k not in df.columns]
    if ontbreekt:
        raise DataFout([Probleem(str(pad), [], k, f"een kolom '{k}' (cbs_import.yml, tabel {tabel_id})",
                                 "geen kolom met deze naam") for k in ontbreekt])
    for kolom, code in tabel.filters.items():
        df = df[df[kolom] == code]
    if tabel.periodekolom:
        jaren = pd.to_numeric(df[tabel.periodekolom].str.extract(r"^(\d{4})", expand=False), errors="coerce")
        if jaren.isna().any():
            fout = jaren.isna()
            raise DataFout([Probleem(str(pad), [int(i) for i in df.index[fout]], tabel.periodekolom,
                                     "een CBS-periode die met het jaar begint, zoals 2024JJ00",
                                     ", ".join(f"'{v}'" for v in df.loc[fout, tabel.periodekolom].head(5)))])
        df = df.assign(jaar=jaren.astype("int64"))
        if jaar is not None:
            df = df[df["jaar"] == jaar]
    else:
        if tabel.jaar is not None and jaar is not None and jaar != tabel.jaar:
            raise ParameterFout(f"tabel {tabel_id} bevat {tabel.jaar} (cbs_import.yml), niet {jaar}")
        jaar = tabel.jaar if tabel.jaar is not None else jaar
        if jaar is None:
            raise ParameterFout(f"tabel {tabel_id} heeft geen jaar in cbs_import.yml; geef jaar= mee")
        df = df.assign(jaar=jaar)
    return tabel, df.assign(gebiedscode=df[tabel.regiokolom])


def _getallen(pad: Path, df: pd.DataFrame, kolom: str) -> pd.Series:
    x = pd.to_numeric(df[kolom], errors="coerce").astype("float64")
    fout = df[kolom].notna() & ~np.isfinite(x)
    if fout.any():
        raise DataFout([Probleem(str(pad), [int(i) for i in df.index[fout]], kolom, "een getal of '.'",
                                 ", ".join(f"'{v}'" for v in df.loc[fout, kolom].head(5)))])
    return x


def _uniek(pad: Path, df: pd.DataFrame, tabel_id: str) -> None:
    dubbel = df.duplicated(["gebiedscode", "jaar"], keep=False)
    if dubbel.any():
        raise DataFout([Probleem(str(pad), [int(i) for i in df.index[dubbel]], None,
                                 f"één rij per regio en jaar na de filters van {tabel_id} in cbs_import.yml",
                                 ", ".join(dict.fromkeys(df.loc[dubbel, "gebiedscode"])))])


def _uitgesplitst(pad: Path, df: pd.DataFrame, tabel_id: str, u: Uitsplitsing) -> pd.DataFrame:
    """Register rows from a table in long form: one column per code of the dimension."""
    sleutel = ["gebiedscode", "jaar"]
    uit = pd.DataFrame(df[sleutel].drop_duplicates()).astype({"gebiedscode": "str", "jaar": "int64"})
    for code, ons in u.codes.items():
        deel = df[df[u.dimensie] == code]
        _uniek(pad, deel, tabel_id)
        waarden = pd.DataFrame({"gebiedscode": deel["gebiedscode"].astype("str"), "jaar": deel["jaar"].astype("int64"),
                                ons: _getallen(pad, deel, u.maat)})
        uit = uit.merge(waarden, on=sleutel, how="left")
    return uit.sort_values(sleutel, ignore_index=True)


def importeer(pad: Path | str, tabel_id: str, jaar: Optional[int] = None, *,
              definities: dict[str, CbsTabel]) -> pd.DataFrame:
    """Register rows from a CBS export: gebiedscode, jaar and the mapped columns (float, NaN missing)."""
    tabel, df = _lees(pad, tabel_id, jaar, definities)
    if not tabel.doelen():
        raise ParameterFout(f"tabel {tabel_id} koppelt in cbs_import.yml geen registerkolommen (register)")
    if tabel.marges:
        df = df[df[tabel.marges.kolom] == tabel.marges.waarde]
    if tabel.uitsplitsing:
        return _uitgesplitst(Path(pad), df, tabel_id, tabel.uitsplitsing)
    _uniek(Path(pad), df, tabel_id)
    uit = pd.DataFrame({"gebiedscode": df["gebiedscode"].astype("str"), "jaar": df["jaar"].astype("int64"),
                        **{ons: _getallen(Path(pad), df, cbs) for cbs, ons in tabel.register.items()}})
    for cbs, pct in tabel.percentages.items():
        aandeel = _getallen(Path(pad), df, cbs)
        buiten = aandeel.notna() & ~aandeel.between(0, 100)
        if buiten.any():
            raise DataFout([Probleem(str(pad), [int(i) for i in df.index[buiten]], cbs, "een percentage van 0 tot en "
                                     "met 100", ", ".join(f"'{v}'" for v in df.loc[buiten, cbs].head(5)))])
        # Not rounded: CBS rounds the share to one decimal, so the count can be off by 0.05% of `van`.
        uit[pct.kolom] = aandeel / 100 * uit[pct.van]
    return uit.reset_index(drop=True)


def importeer_referentie(pad: Path | str, tabel_id: str, jaar: Optional[int] = None, *,
                         definities: dict[str, CbsTabel]) -> pd.DataFrame:
    """Reference values (regiocode, indicator, jaar, waarde, ondergrens, bovengrens) as published.

    One row per region and mapped indicator with a value; bounds come from the margin rows when the
    export has them, else NaN. Every region in the export is returned: referentiewaarden.csv takes
    only NL01 and the provincie. See the table's `populatie` in cbs_import.yml before comparing.
    """
    tabel, df = _lees(pad, tabel_id, jaar, definities)
    if not tabel.referentie:
        raise ParameterFout(f"tabel {tabel_id} koppelt in cbs_import.yml geen referentie-indicatoren (referentie)")
    pad = Path(pad)
    m = tabel.marges
    rijen = {"waarde": df[df[m.kolom] == m.waarde] if m else df}
    for grens in ("ondergrens", "bovengrens"):
        code = getattr(m, grens) if m else None
        rijen[grens] = df[df[m.kolom] == code] if code else df.iloc[:0]
    for deel in rijen.values():
        _uniek(pad, deel, tabel_id)
    delen = []
    for cbs, indicator in tabel.referentie.items():
        reeksen = {k: pd.Series(_getallen(pad, d, cbs).to_numpy(), index=pd.MultiIndex.from_frame(
            d[["gebiedscode", "jaar"]])) for k, d in rijen.items()}
        w = reeksen["waarde"].dropna()
        delen.append(pd.DataFrame({
            "regiocode": w.index.get_level_values(0), "indicator": indicator,
            "jaar": w.index.get_level_values(1), "waarde": w.to_numpy(),
            "ondergrens": reeksen["ondergrens"].reindex(w.index).to_numpy(),
            "bovengrens": reeksen["bovengrens"].reindex(w.index).to_numpy()}))
    uit = pd.concat(delen, ignore_index=True)
    return uit.astype({"regiocode": "str", "indicator": "str", "jaar": "int64", "waarde": "float64",
                       "ondergrens": "float64", "bovengrens": "float64"})[REFERENTIE_KOLOMMEN]


# ---------------------------------------------------------------- into a data folder


CBS_URL = "https://opendata.cbs.nl/ODataApi/odata"  # the CBS open-data API (OData v3); --url for another
TIJDSLIMIET = 30  # seconds per request


class CbsFout(VwFout):
    """The CBS open-data API could not be reached or answered something else than a table."""

    exitcode = 3
    kop = "fout bij het ophalen van de CBS-tabel; er is niets geschreven"


def gebiedscodes(config: Configuratie) -> list[str]:
    """The CBS codes of the configured gebieden and their gemeenten."""
    return list(dict.fromkeys([c for g in config.gebieden for c in g.codes] + [g.gemeente for g in config.gebieden]))


def _json(url: str) -> dict:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=TIJDSLIMIET) as antwoord:
            tekst = antwoord.read().decode("utf-8-sig")
    except urllib.error.HTTPError as fout:
        raise CbsFout(f"{url}: de server antwoordde {fout.code} ({fout.reason})") from None
    except (urllib.error.URLError, OSError) as fout:
        reden = getattr(fout, "reason", fout)
        raise CbsFout(f"{url}: de server is niet bereikbaar ({reden}); controleer de verbinding of --url") from None
    try:
        data = json.loads(tekst)
    except json.JSONDecodeError:
        raise CbsFout(f"{url}: verwacht JSON van de OData-API, gevonden: {tekst[:80]!r}") from None
    if not isinstance(data, dict) or not isinstance(data.get("value"), list):
        raise CbsFout(f"{url}: verwacht een OData-antwoord {{\"value\": [...]}}, gevonden: {str(data)[:80]}")
    return data


def tabelinfo(tabel_id: str, url: str = CBS_URL) -> tuple[dict, list[dict]]:
    """(TableInfos, DataProperties) of a StatLine table: what it is and which keys it has."""
    if not re.fullmatch(r"\d{5}[A-Z]{3}", tabel_id):
        raise ParameterFout(f"verwacht een StatLine-tabelnummer zoals 85984NED, gevonden: {tabel_id!r}")
    basis = f"{url.rstrip('/')}/{tabel_id}"
    info = _json(f"{basis}/TableInfos")["value"]
    if not info or info[0].get("Identifier") != tabel_id:
        raise CbsFout(f"{basis}/TableInfos: verwacht de tabel {tabel_id}, gevonden "
                      f"{info[0].get('Identifier') if info else 'geen tabel'}")
    return info[0], _json(f"{basis}/DataProperties")["value"]


def gekoppeld(tabel: Optional[CbsTabel]) -> dict[str, str]:
    """CBS key -> what cbs_import.yml does with it (for `cbs eigenschappen`)."""
    if tabel is None:
        return {}
    return {tabel.regiokolom: "regiokolom", **({tabel.periodekolom: "periodekolom"} if tabel.periodekolom else {}),
            **{k: f"filter = {v}" for k, v in tabel.filters.items()},
            **({tabel.marges.kolom: "marges"} if tabel.marges else {}),
            **{k: f"register -> {v}" for k, v in tabel.register.items()},
            **{k: f"percentage -> {p.kolom} (van {p.van})" for k, p in tabel.percentages.items()},
            **({tabel.uitsplitsing.dimensie: "uitsplitsing: " + ", ".join(
                f"{c} -> {k}" for c, k in tabel.uitsplitsing.codes.items()),
                tabel.uitsplitsing.maat: "uitsplitsing (de maat)"} if tabel.uitsplitsing else {}),
            **{k: f"referentie -> {v}" for k, v in tabel.referentie.items()}}


def haal_op(tabel_id: str, config: Configuratie, definities: dict[str, CbsTabel], url: Optional[str] = None
            ) -> tuple[dict, list[dict]]:
    """(TableInfos, rows of the TypedDataSet) of a StatLine table, only the regions of the configured
    gebieden and their gemeenten and only the columns cbs_import.yml maps; follows odata.nextLink."""
    from urllib.parse import quote

    if tabel_id not in definities:
        raise ParameterFout(f"onbekende tabel {tabel_id!r}: die staat niet in cbs_import.yml; bekend: "
                            f"{', '.join(definities)} (`vwanalyse cbs eigenschappen {tabel_id}` toont de sleutels "
                            "om haar toe te voegen)")
    tabel = definities[tabel_id]
    url = url or tabel.url or CBS_URL
    basis = f"{url.rstrip('/')}/{tabel_id}"
    info, eigenschappen = tabelinfo(tabel_id, url)
    sleutels = {p.get("Key") for p in eigenschappen}
    nodig = tabel.sleutels()
    ontbreekt = [k for k in nodig if k not in sleutels]
    if ontbreekt:
        raise CbsFout(f"{basis}/DataProperties: de tabel heeft geen {', '.join(ontbreekt)} (cbs_import.yml, tabel "
                      f"{tabel_id}); is de tabel gewijzigd?")
    codes = gebiedscodes(config)
    filter_ = " or ".join(f"startswith({tabel.regiokolom},'{c}')" for c in codes)
    volgende = (f"{basis}/TypedDataSet?$filter={quote(filter_)}&$select={quote(','.join(nodig))}")
    rijen = []
    while volgende:
        pagina = _json(volgende)
        rijen += pagina["value"]
        volgende = pagina.get("odata.nextLink")
    return info, rijen


def schrijf_register(rijen: pd.DataFrame, tabel: CbsTabel, data_map: Path | str, config: Configuratie
                     ) -> tuple[Path, list[str]]:
    """Merge register rows (from `importeer`) into register/<bron>.csv of a data folder: the rows of the
    configured codes replace the mapped columns of the same gebiedscode and jaar, other rows and columns
    stay. Written atomically. Returns the file and the configured codes that the table has not."""
    from vwanalyse.basis.bestanden import schrijf_bytes

    codes = gebiedscodes(config)
    rijen = rijen[rijen["gebiedscode"].isin(codes)]
    pad = Path(data_map) / "register" / f"{tabel.bron}.csv"
    if pad.is_file():
        oud = lees_csv(pad).reset_index(drop=True)
        oud["jaar"] = oud["jaar"].astype("int64")
    else:
        oud = pd.DataFrame({"gebiedscode": pd.Series(dtype="str"), "jaar": pd.Series(dtype="int64")})
    nieuw = rijen.assign(**{k: rijen[k].map(_tekst) for k in rijen.columns[2:]})
    sleutel = ["gebiedscode", "jaar"]
    samen = oud.set_index(sleutel)
    for k in nieuw.columns[2:]:
        if k not in samen.columns:
            samen[k] = pd.Series(dtype="object")
    samen = samen.astype("object")
    n = nieuw.set_index(sleutel)
    samen = samen.reindex(samen.index.union(n.index))
    samen.loc[n.index, list(n.columns)] = n.to_numpy()
    uit = samen.reset_index().sort_values(sleutel, ignore_index=True)
    buf = io.StringIO()
    uit.to_csv(buf, index=False, lineterminator="\n", na_rep="")
    schrijf_bytes(pad, buf.getvalue().encode("utf-8"))
    return pad, [c for c in codes if c not in set(rijen["gebiedscode"])]


def _tekst(x: float) -> str:
    return "" if pd.isna(x) else (str(int(x)) if float(x) == int(x) else repr(float(x)))
