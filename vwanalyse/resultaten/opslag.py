"""The results folder (`_build/resultaten/`): its one owner, writing and reading it.

What a build writes there, and the notebooks, the book and the checks read:

- `resultaten.parquet|csv`, `effecten.parquet|csv` and their `*_schema.csv`: the results table and
  the effect table (`resultaten.schema`), the only source of every number in the book;
- `proces.parquet`, `narratief.parquet`, `duiding.parquet`: the validated non-numeric inputs;
- `meta.json`: the data source and which metingen have data;
- `gebied/<id>/<tabel>.parquet`: one slice per gebied of each table, so a notebook about one wijk
  reads (and its cache key covers) only that wijk's rows;
- `config/`: a copy of the configuration the results were computed with, so a notebook describes
  the results with exactly that configuration (`vwanalyse --config DIR` reaches the notebooks).

Files are rewritten only when their content changes: the checksums (and notebook caches) of the
gebieden whose data did not change stay the same.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd

from vwanalyse.basis.bestanden import atomair_pad, schrijf_bytes, schrijf_tekst, zichtbare_bestanden
from vwanalyse.basis.fouten import ParameterFout
from vwanalyse.model.configuratie import Configuratie, laad_configuratie
from vwanalyse.resultaten.schema import EFFECT_SCHEMA, SCHEMA, Resultaten

TABELLEN = ("resultaten", "effecten", "proces", "narratief", "duiding", "wijknetwerk_organisaties",
            "wijknetwerk_relaties", "schoolloopbaan", "openbare_ruimte_tellingen",
            "openbare_ruimte_beleving")  # what a notebook reads
INVOERTABELLEN = TABELLEN[2:]  # the validated non-numeric inputs, stored as they were read
CONFIG = "config"  # the copy of the configuration, under the results folder
META = "meta.json"
SLEUTEL = "invoersleutel.txt"  # the stamp: what the results were computed from, and their checksums
DOWNLOADS = "downloads"  # the stock of download files (boek.downloads), stamped on its own
# the columns of the non-numeric tables when a data folder has none of them
_KOLOMMEN = {
    "proces": ["gebied", "meting", "project", "status", "mijlpalen_gepland", "mijlpalen_gerealiseerd",
               "resultaten_opgeleverd", "bereik", "uitgaven_euro", "toelichting"],
    "narratief": ["fragment_id", "gebied", "meting", "pijler", "groep", "thema", "sentiment", "citaat"],
    "duiding": ["gebied", "meting", "pijler", "indicator", "herkend", "tekst"],
    "wijknetwerk_organisaties": ["gebied", "organisatie", "naam", "domein", "toestemming"],
    "wijknetwerk_relaties": ["gebied", "meting", "van", "naar", "frequentie", "pijler"],
    "schoolloopbaan": ["gebied", "cohort", "woonplek", "schooladvies", "niveau_leerjaar3", "uitkomst", "aantal"],
    "openbare_ruimte_tellingen": ["gebied", "meting", "locatie", "telling", "dagdeel", "leeftijdsgroep", "activiteit",
                                  "aantal"],
    "openbare_ruimte_beleving": ["gebied", "meting", "locatie", "vraag", "antwoord", "aantal"],
}


# ---------------------------------------------------------------- writing


def schrijf(map: Path, resultaten: Resultaten, gegevens, config: Configuratie) -> None:
    """Write the whole results folder for these results, the loaded data and their configuration."""
    map = Path(map)
    schrijf_tabellen(map, resultaten)
    tabellen = {"resultaten": resultaten.tabel, "effecten": resultaten.effecten,
                **{naam: getattr(gegevens, naam) for naam in INVOERTABELLEN}}
    for naam in INVOERTABELLEN:
        _schrijf_parquet(tabellen[naam], map / f"{naam}.parquet")
    meta = {"databron": gegevens.databron, "metingen": list(gegevens.metingen),
            "ontbrekende_metingen": list(gegevens.ontbrekende_metingen),
            "ontbrekende_bronnen": {str(m): list(b) for m, b in sorted(gegevens.ontbrekende_bronnen.items())}}
    _schrijf_als_anders(map / META, (json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode())
    for gebied in sorted(set(resultaten.tabel["gebied"])):
        for naam, tabel in tabellen.items():
            _schrijf_parquet(tabel[tabel["gebied"].astype(str) == gebied].reset_index(drop=True),
                             map / "gebied" / gebied / f"{naam}.parquet")
    _schrijf_config(Path(config.map), map / CONFIG)


def schrijf_tabellen(map: Path, resultaten: Resultaten) -> None:
    """The results table and the effect table as Parquet and CSV, with their documented schema."""
    for naam, tabel, schema in (("resultaten", resultaten.tabel, SCHEMA), ("effecten", resultaten.effecten, EFFECT_SCHEMA)):
        with atomair_pad(Path(map) / f"{naam}.parquet") as tmp:
            tabel.to_parquet(tmp, index=False)
        schrijf_tekst(Path(map) / f"{naam}.csv", csv_tekst(tabel))
        schrijf_tekst(Path(map) / f"{naam}_schema.csv",
                      pd.DataFrame(schema, columns=["kolom", "type", "omschrijving"]).to_csv(index=False, lineterminator="\n"))


def schrijf_context(map: Path, context: pd.DataFrame, vergelijkbaar: pd.DataFrame) -> None:
    """The explorer's context (resultaten.context): every wijk of the gemeenten, and wijken like each gebied."""
    for naam, tabel in (("context", context), ("vergelijkbaar", vergelijkbaar)):
        _schrijf_parquet(tabel, Path(map) / f"{naam}.parquet")
        schrijf_tekst(Path(map) / f"{naam}.csv", csv_tekst(tabel))


def csv_tekst(tabel: pd.DataFrame) -> str:
    """A table as its CSV file holds it (the verification of a published build compares with this)."""
    return tabel.to_csv(index=False, lineterminator="\n")


def _schrijf_config(bron: Path, doel: Path) -> None:
    bestanden = {p.relative_to(bron): p.read_bytes() for p in sorted(bron.rglob("*.yml"))}
    for oud in (doel.rglob("*.yml") if doel.is_dir() else []):
        if oud.relative_to(doel) not in bestanden:
            oud.unlink()
    for naam, data in bestanden.items():
        _schrijf_als_anders(doel / naam, data)


def _schrijf_parquet(tabel: pd.DataFrame, pad: Path) -> None:
    buffer = io.BytesIO()
    tabel.reset_index(drop=True).to_parquet(buffer, index=False)
    _schrijf_als_anders(pad, buffer.getvalue())


def _schrijf_als_anders(pad: Path, data: bytes) -> None:
    if not pad.is_file() or pad.read_bytes() != data:
        schrijf_bytes(pad, data)


def bestanden(map: Path) -> list[Path]:
    """Every file a results computation writes into the folder (not its stamp, not the download stock)."""
    map = Path(map)
    return [p for p in zichtbare_bestanden(map) if p.name != SLEUTEL and p.relative_to(map).parts[0] != DOWNLOADS]


def invoerbestanden(map: Path, gebied: Optional[str] = None) -> tuple[Path, ...]:
    """The files a notebook reads: one gebied's slices (or the whole tables) and meta.json."""
    bron = Path(map) / "gebied" / gebied if gebied else Path(map)
    return tuple(bron / f"{t}.parquet" for t in TABELLEN) + (Path(map) / META,)


# ---------------------------------------------------------------- reading


def heeft_resultaten(map: Path) -> bool:
    return (Path(map) / META).is_file()


def lees_resultaten(map: Path) -> Resultaten:
    """The results table and the effect table."""
    return Resultaten(tabel=pd.read_parquet(Path(map) / "resultaten.parquet"),
                      effecten=pd.read_parquet(Path(map) / "effecten.parquet"))


@dataclass
class Rapport:
    """The results a notebook or page works with (one gebied's slice, or everything)."""

    config: Configuratie
    tabel: pd.DataFrame
    effecten: pd.DataFrame
    proces: pd.DataFrame
    narratief: pd.DataFrame
    duiding: pd.DataFrame
    meta: dict
    map: Path
    gebied: Optional[str] = None
    wijknetwerk_organisaties: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=_KOLOMMEN["wijknetwerk_organisaties"]))
    wijknetwerk_relaties: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=_KOLOMMEN["wijknetwerk_relaties"]))
    # unsuppressed counts: the page publishes them only through statistiek.schoolloopbaan.tabellen
    schoolloopbaan: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_KOLOMMEN["schoolloopbaan"]))
    # counts per location; the beleving answers are published only through statistiek.openbare_ruimte
    openbare_ruimte_tellingen: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=_KOLOMMEN["openbare_ruimte_tellingen"]))
    openbare_ruimte_beleving: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=_KOLOMMEN["openbare_ruimte_beleving"]))

    @property
    def demodata(self) -> bool:
        return bool(self.meta.get("databron", {}).get("demodata", False))

    @property
    def metingen(self) -> list[int]:
        """The metingen with data (meta.json), in order."""
        return sorted(int(m) for m in self.meta.get("metingen", []))

    @property
    def ontbrekende_metingen(self) -> list[int]:
        return sorted(int(m) for m in self.meta.get("ontbrekende_metingen", []))

    def ontbrekende_bronnen(self, meting: int) -> list[str]:
        """The survey and register bronnen without data for a meting that has data (still to come)."""
        return list(self.meta.get("ontbrekende_bronnen", {}).get(str(int(meting)), []))


def laad(resultaten_map: Path | str, gebied: Optional[str] = None, config: Optional[Configuratie] = None) -> Rapport:
    """Read the results folder; with `gebied`, only that gebied's slice (gebied/<id>/).

    Without `config`, the configuration the results were computed with (the copy in the folder).
    """
    map = Path(resultaten_map)
    meta_pad = map / META
    if not meta_pad.is_file():
        raise FileNotFoundError(f"{meta_pad} ontbreekt: bereken eerst de resultaten (`vwanalyse build`)")
    config = config or laad_configuratie(map / CONFIG)
    if gebied is not None and gebied not in config.gebied:
        raise ParameterFout(f"onbekend gebied {gebied!r}; bekend: {', '.join(config.gebied)}")
    bron = map / "gebied" / gebied if gebied else map
    meta = json.loads(meta_pad.read_text(encoding="utf-8"))
    tabellen = {}
    for naam in TABELLEN:
        pad = bron / f"{naam}.parquet"
        if pad.is_file():
            tabellen[naam] = pd.read_parquet(pad)
        elif naam in _KOLOMMEN:
            tabellen[naam] = pd.DataFrame({k: pd.Series(dtype=object) for k in _KOLOMMEN[naam]})
        else:
            raise FileNotFoundError(f"{pad} ontbreekt: bereken eerst de resultaten (`vwanalyse build`)")
    for naam, kolommen in _KOLOMMEN.items():  # results of an older build lack the newer optional columns
        for kol in kolommen:
            if kol not in tabellen[naam]:
                tabellen[naam][kol] = pd.Series(pd.NA, index=tabellen[naam].index, dtype=object)
    for naam, t in tabellen.items():
        for kol in ("gebied", "indicator", "pijler", "rol"):
            if kol in t:  # keys as text; an empty one (a duiding of a whole pijler has no indicator) stays empty
                t[kol] = t[kol].astype(str).where(t[kol].notna(), None)
        if "meting" in t and not t.empty:
            t["meting"] = t["meting"].astype(int)
    return Rapport(config=config, tabel=tabellen["resultaten"], effecten=tabellen["effecten"],
                   proces=tabellen["proces"], narratief=tabellen["narratief"], duiding=tabellen["duiding"],
                   meta=meta, map=map, gebied=gebied, wijknetwerk_organisaties=tabellen["wijknetwerk_organisaties"],
                   wijknetwerk_relaties=tabellen["wijknetwerk_relaties"], schoolloopbaan=tabellen["schoolloopbaan"],
                   openbare_ruimte_tellingen=tabellen["openbare_ruimte_tellingen"],
                   openbare_ruimte_beleving=tabellen["openbare_ruimte_beleving"])


# ---------------------------------------------------------------- looking things up


def zoek_rij(tabel: pd.DataFrame, **sleutels) -> Optional[pd.Series]:
    """The first row whose columns equal the given values, or None."""
    m = np.ones(len(tabel), dtype=bool)
    for k, v in sleutels.items():
        m &= _gelijk(tabel[k], v)
    rijen = np.flatnonzero(m)
    return None if len(rijen) == 0 else tabel.iloc[rijen[0]]


def _gelijk(kolom: pd.Series, waarde) -> np.ndarray:
    """kolom == waarde as a plain boolean array; on category codes when it can (called thousands of times)."""
    if isinstance(kolom.dtype, pd.CategoricalDtype):
        try:
            return kolom.cat.codes.to_numpy() == kolom.cat.categories.get_loc(waarde)
        except (KeyError, TypeError):
            pass
    return (kolom == waarde).fillna(False).to_numpy(dtype=bool)


def heeft_meting(rapport: Rapport, meting: int, gebied: Optional[str] = None) -> bool:
    if int(meting) not in rapport.metingen:
        return False
    t = rapport.tabel
    m = t["meting"] == int(meting)
    if gebied is not None:
        m &= t["gebied"] == gebied
    return bool(m.any())


def laatste_meting(rapport: Rapport, gebied: str) -> Optional[int]:
    """The latest meting with wijk rows for this gebied (None without any)."""
    t = rapport.tabel
    jaren = t.loc[(t["gebied"] == gebied) & (t["rol"] == "wijk"), "meting"]
    return int(jaren.max()) if len(jaren) else None


def respondenten(rapport: Rapport) -> pd.DataFrame:
    """Respondents per survey bron, gebied and meting: the largest unweighted n of the wijk rows of
    that bron's indicators (read from the results table: item non-response makes n differ)."""
    config = rapport.config
    t = rapport.tabel
    t = t[(t["rol"] == "wijk") & t["statistiek"].astype(str).str.startswith("survey_")]
    if t.empty:
        return pd.DataFrame(columns=["bron", "gebied", "meting", "respondenten"])
    bron = t["indicator"].map(lambda i: config.indicator[i].bron)
    d = (t.assign(bron=bron, n=t["n_ongewogen"].astype("Float64"))
         .groupby(["bron", "gebied", "meting"], sort=False)["n"].max().reset_index()
         .rename(columns={"n": "respondenten"}))
    d["respondenten"] = d["respondenten"].fillna(0).astype(int)
    volgorde_bron = [b.id for b in config.bronnen]
    volgorde_gebied = [g.id for g in config.gebieden]
    d = d.assign(_b=d["bron"].map(volgorde_bron.index), _g=d["gebied"].map(volgorde_gebied.index))
    return d.sort_values(["_b", "_g", "meting"]).drop(columns=["_b", "_g"]).reset_index(drop=True)


def onderdrukte_waarden(rapport: Rapport) -> pd.DataFrame:
    """Rows of the results table that were not published (wijk, rest of gemeente, gemeente)."""
    t = rapport.tabel
    return t.loc[t["onderdrukt"].astype(bool), ["gebied", "meting", "indicator", "rol", "reden", "n_ongewogen"]] \
        .reset_index(drop=True)
