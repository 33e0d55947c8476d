"""Reading and validating a data folder (the format is data/FORMAAT.md). IO only, no statistics.

`laad_gegevens` reads every file of a data folder, checks it against the configuration and the
indicator catalogue, and either returns typed tables (`Gegevens`) or raises `DataFout` listing
*all* problems of all files. `controleer_map` runs the same checks and returns a report per file
for `vwanalyse data check`. Row numbers in messages are line numbers as an editor shows them
(the header is line 1).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from vwanalyse.basis.fouten import VwFout
from vwanalyse.invoer.kolommen import BESTANDEN, Vertaling, controleer_labels, lees_bestanden, lees_vertalingen, pas_toe
from vwanalyse.invoer.spss import SPSS_EXTENSIES, Spssinfo, lees_spss
from vwanalyse.model.configuratie import Configuratie, Indicator, code_niveau, gemeente_van
from vwanalyse.model.schema import NIET_GEVONDEN, ConfigFout, bouw, lees_yaml, regel_van

ONTBREKEND = ("", ".", "x")  # empty cell, CBS '.' (unknown) and 'x' (secret) mean missing
MAX_GETOOND = 5  # row numbers and values shown per problem

SURVEY_KOLOMMEN = ["respondent_id", "jaar", "gemeentecode", "wijkcode", "buurtcode", "gewicht",
                   "leeftijdsklasse", "geslacht"]
DESIGN_KOLOMMEN = ["stratum", "psu"]
GESLACHTEN = ["man", "vrouw", "anders"]
STATUSSEN = ["niet_gestart", "loopt", "vertraagd", "afgerond", "gestopt"]
GROEPEN = ["bewoner", "professional"]
SENTIMENTEN = ["positief", "neutraal", "negatief"]
HERKEND = ["ja", "deels", "nee"]  # the answer to "herkent u dit?" of a duiding per indicator
DUIDING_MAX_TEKENS = 1000  # the longest duiding text, in the CSV as in the duiding workbook

# Typed columns of the fixed-name tables, in output order.
SCHEMAS: dict[str, dict[str, type]] = {
    "referentie": {"regiocode": str, "indicator": str, "jaar": int, "waarde": float,
                   "ondergrens": float, "bovengrens": float},
    "proces": {"gebied": str, "meting": int, "project": str, "status": str, "mijlpalen_gepland": float,
               "mijlpalen_gerealiseerd": float, "resultaten_opgeleverd": float, "bereik": float,
               "uitgaven_euro": float, "toelichting": str},
    "narratief": {"fragment_id": str, "gebied": str, "meting": int, "pijler": str, "groep": str,
                  "thema": str, "sentiment": str, "citaat": str},
    "duiding": {"gebied": str, "meting": int, "pijler": str, "indicator": str, "herkend": str, "tekst": str},
    "wijknetwerk_organisaties": {"gebied": str, "organisatie": str, "naam": str, "domein": str, "toestemming": str},
    "wijknetwerk_relaties": {"gebied": str, "meting": int, "van": str, "naar": str, "frequentie": str, "pijler": str},
    "schoolloopbaan": {"gebied": str, "cohort": int, "woonplek": str, "schooladvies": str, "niveau_leerjaar3": str,
                       "uitkomst": str, "aantal": int},
    "openbare_ruimte_tellingen": {"gebied": str, "meting": int, "locatie": str, "telling": str, "dagdeel": str,
                                  "leeftijdsgroep": str, "activiteit": str, "aantal": int},
    "openbare_ruimte_beleving": {"gebied": str, "meting": int, "locatie": str, "vraag": str, "antwoord": int,
                                 "aantal": int},
}
FREQUENTIES = ["wekelijks", "maandelijks", "per_kwartaal", "jaarlijks"]  # how often two organisations work together
JA_NEE = ["ja", "nee"]
WOONPLEKKEN = ["wijk", "rest_gemeente"]  # where the pupils of a schoolloopbaan row live
MAX_LEERLINGEN = 100_000  # pupils in one cell of a schoolloopbaan: more is not a cohort of a gemeente
MAX_GETELD = 2_000  # people of one age group and activity in one count at one place: more is not a count by eye
MAX_ANTWOORDEN = 10_000  # respondents with one answer at one location: more is not a survey on the spot
# columns a fixed-name file may leave out (an absent column is empty in every row)
OPTIONEEL = {"referentie": ("ondergrens", "bovengrens"), "duiding": ("indicator", "herkend"),
             "proces": ("resultaten_opgeleverd", "bereik", "uitgaven_euro")}
VASTE_BESTANDEN = {
    "referentie": "referentie/referentiewaarden.csv",
    "proces": "proces/projecten.csv",
    "narratief": "narratief/fragmenten.csv",
    "duiding": "duiding/duiding.csv",
    "wijknetwerk_organisaties": "lokaal/wijknetwerk_organisaties.csv",
    "wijknetwerk_relaties": "lokaal/wijknetwerk_relaties.csv",
    "schoolloopbaan": "lokaal/schoolloopbaan.csv",
    "openbare_ruimte_tellingen": "lokaal/openbare_ruimte_tellingen.csv",
    "openbare_ruimte_beleving": "lokaal/openbare_ruimte_beleving.csv",
}
_ZONDER_MANIFEST = ("; MANIFEST.sha256 is niet verplicht: verwijder het als je de bestanden bewust hebt gewijzigd "
                    "(bijvoorbeeld in een kopie van de demodata)")
MAPPEN = ("survey", "register", "referentie", "proces", "narratief", "duiding", "lokaal")
OVERIGE_BESTANDEN = ("databron.yml", "kolommen.yml", "MANIFEST.sha256")
_DTYPE = {str: "str", int: "int64", float: "float64"}


# ---------------------------------------------------------------- problems


def _opsomming(items: Iterable[str]) -> str:
    """Distinct items in order of appearance, at most MAX_GETOOND, then '(en nog N)' (and N more)."""
    uniek = list(dict.fromkeys(items))
    tekst = ", ".join(uniek[:MAX_GETOOND])
    return tekst + (f" (en nog {len(uniek) - MAX_GETOOND})" if len(uniek) > MAX_GETOOND else "")


def _waarden(s: pd.Series) -> str:
    return _opsomming("leeg" if pd.isna(v) else f"'{v}'" for v in s)


def _nl(x: float) -> str:
    """A number in a message as a Dutch reader writes it: 34.980, 48,29, 0,9658, 1 × 10^20."""
    if not np.isfinite(x):
        return str(x)
    if abs(x) >= 1e15:
        mantisse, exponent = f"{x:.3e}".split("e")
        return f"{mantisse.rstrip('0').rstrip('.').replace('.', ',')} × 10^{int(exponent)}"
    if abs(x) >= 1000 or x == int(x):
        return f"{round(x):,}".replace(",", ".")
    return f"{x:.4g}".replace(".", ",")


@dataclass(frozen=True)
class Probleem:
    """One problem in one file: which lines and column, what was expected and what was found."""

    bestand: str
    regels: list[int]
    kolom: Optional[str]
    verwacht: str
    gevonden: str
    eenheid: str = "regel"  # 'record' in an SPSS file (its case number)
    exportnaam: Optional[str] = None  # the column's name in the export, when kolommen.yml renamed it

    @property
    def melding(self) -> str:
        """The message without the file name."""
        delen = []
        if self.regels:
            delen.append(f"{self.eenheid}{'' if len(self.regels) == 1 else 's'} " + _opsomming(map(str, self.regels)))
        if self.kolom is not None:
            delen.append(f"kolom '{self.kolom}'" + (f" (in de export '{self.exportnaam}')"
                                                   if self.exportnaam and self.exportnaam != self.kolom else ""))
        delen.append(f"verwacht {self.verwacht}, gevonden {self.gevonden}")
        return ": ".join(delen)

    def __str__(self) -> str:
        return f"{self.bestand}{', ' if self.regels else ': '}{self.melding}"


class DataFout(VwFout):
    """A data folder (or file) does not match data/FORMAAT.md; lists every problem found."""

    kop = "fout in de gegevens; er is niets gebouwd of gepubliceerd"

    def __init__(self, problemen: list[Probleem], map: Path | str | None = None):
        self.problemen = list(problemen)
        n = len(self.problemen)
        kop = f"{n} {'probleem' if n == 1 else 'problemen'} in de gegevens" + (f" in {map}" if map else "") + ":"
        super().__init__("\n".join([kop] + [f"  {p}" for p in self.problemen]))


# ---------------------------------------------------------------- reading CSV


_DECIMALE_KOMMA = re.compile(r"^([+-]?\d*),(\d+)$")
_ONTBREKEND = pa.array(ONTBREKEND, type=pa.large_string())


def _lees_tabel(data: bytes, naam: str) -> tuple[Optional[pd.DataFrame], list[Probleem]]:
    """Parse CSV bytes into a frame of strings (index = line numbers), or report why not."""
    try:
        tekst = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        regel = data[: e.start].count(b"\n") + 1
        return None, [Probleem(naam, [regel], None, "tekst in UTF-8 (sla het bestand op als UTF-8)",
                               f"byte 0x{data[e.start]:02x}")]
    if not tekst.strip():
        return None, [Probleem(naam, [], None, "een kopregel en rijen met gegevens", "een leeg bestand")]
    kop = next(r for r in tekst.splitlines() if r.strip())
    scheiding = ";" if kop.count(";") > kop.count(",") else ","
    lezer = csv.reader(io.StringIO(tekst, newline=""), delimiter=scheiding, strict=True)
    kolommen, kopregel, rijen, regels, rafelig = None, 1, [], [], {}
    vorige = 0
    try:
        for rij in lezer:
            begin, vorige = vorige + 1, lezer.line_num
            if not "".join(rij).strip():  # a blank line (only separators and spaces)
                continue
            if kolommen is None:
                kolommen, kopregel = [k.strip() for k in rij], begin
            elif len(rij) != len(kolommen):
                rafelig[begin] = len(rij)
            else:
                rijen.append(rij)
                regels.append(begin)
    except csv.Error as e:
        return None, [Probleem(naam, [lezer.line_num], None, "geldige CSV", str(e))]
    problemen = []
    if rafelig:
        problemen.append(Probleem(naam, list(rafelig), None, f"{len(kolommen)} velden per regel, zoals in de kopregel",
                                  _opsomming(f"{n} velden" for n in rafelig.values())))
    if "" in kolommen:
        problemen.append(Probleem(naam, [kopregel], None, "een naam voor elke kolom",
                                  f"een kolom zonder naam op positie {kolommen.index('') + 1}"))
    for k in dict.fromkeys(k for k in kolommen if k and kolommen.count(k) > 1):
        problemen.append(Probleem(naam, [kopregel], k, "elke kolomnaam één keer",
                                  f"'{k}' {kolommen.count(k)} keer"))
    if not rijen and not problemen:
        problemen.append(Probleem(naam, [], None, "minstens één rij met gegevens", "alleen de kopregel"))
    if problemen:
        return None, problemen
    # column by column: one text array per column, normalised with pyarrow compute
    index = pd.Index(regels, name="regel")
    df = pd.DataFrame({k: _normaliseer(pa.array(waarden, type=pa.large_string()), scheiding == ";")
                       for k, waarden in zip(kolommen, zip(*rijen))}, index=index)
    df.attrs["kopregel"] = kopregel
    return df, []


def normaliseer_cellen(df: pd.DataFrame, decimale_komma: bool = False) -> pd.DataFrame:
    """Strip cells, turn '', '.' and 'x' into NaN, and (Dutch style) decimal commas into points."""
    uit = df.astype("str")
    for i in range(uit.shape[1]):
        uit.isetitem(i, pd.Series(_normaliseer(pa.array(uit.iloc[:, i].array), decimale_komma), index=uit.index))
    return uit


def _normaliseer(cellen: pa.Array | pa.ChunkedArray, decimale_komma: bool) -> pd.api.extensions.ExtensionArray:
    """One column of normaliseer_cellen: the pyarrow functions behind pandas' .str.strip() and
    .isin(), called directly (pandas' per-column overhead was most of the loading time)."""
    cellen = pc.utf8_trim_whitespace(cellen)
    cellen = pc.if_else(pc.is_in(cellen, value_set=_ONTBREKEND), pa.scalar(None, cellen.type), cellen)
    # decimal commas: a cell matching the pattern (Python's re, as pandas uses for it: \d is any
    # Unicode digit) has one comma, which becomes a point; only in columns with a comma at all
    if decimale_komma and pc.any(pc.match_substring(cellen, ",")).as_py():
        cellen = pa.array([v.replace(",", ".") if v is not None and "," in v and _DECIMALE_KOMMA.match(v) else v
                           for v in cellen.to_pylist()], type=cellen.type)
    return pd.array(cellen, dtype="str")


def lees_csv(pad: Path | str) -> pd.DataFrame:
    """Read a CSV file in Dutch (';', decimal comma, BOM) or international style as strings.

    Missing cells ('', '.', 'x') are NaN, decimal commas become points, the index holds the line
    numbers. Raises DataFout for an empty, ragged or non-UTF-8 file.
    """
    pad = Path(pad)
    df, problemen = _lees_tabel(pad.read_bytes(), str(pad))
    if problemen:
        raise DataFout(problemen)
    return df


# ---------------------------------------------------------------- checking one table


class _Tabel:
    """One CSV file being validated; every check adds its problems to the shared list."""

    def __init__(self, naam: str, df: pd.DataFrame, problemen: list[Probleem], hernoemd: dict[str, str]):
        self.naam, self.df, self.problemen, self.hernoemd = naam, df, problemen, hernoemd
        self.kopregel = df.attrs.get("kopregel", 1)
        self.eenheid = df.attrs.get("eenheid", "regel")
        self._getallen: dict[str, pd.Series] = {}

    def meld(self, fout, kolom: Optional[str], verwacht: str, gevonden: Optional[Iterable[str]] = None) -> None:
        """Report the rows where `fout` is True as one problem."""
        if not (isinstance(fout, pd.Series) and fout.index.equals(self.df.index)):
            fout = pd.Series(fout, index=self.df.index)
        if fout.dtype != bool:
            fout = fout.fillna(False).astype(bool)
        if not fout.any():
            return
        regels = [int(r) for r in self.df.index[fout.to_numpy()]]
        tekst = _waarden(self.df.loc[fout, kolom]) if gevonden is None else _opsomming(gevonden)
        self.problemen.append(Probleem(self.naam, regels, kolom, verwacht, tekst, self.eenheid,
                                       self.hernoemd.get(kolom)))

    def kop(self, kolom: Optional[str], verwacht: str, gevonden: str) -> None:
        self.problemen.append(Probleem(self.naam, [self.kopregel] if self.kopregel else [], kolom, verwacht,
                                       gevonden, self.eenheid))

    def vereist(self, kolommen: Iterable[str], verwacht: str = "een verplichte kolom") -> bool:
        """Report missing columns; True when all are present."""
        ontbreekt = [k for k in kolommen if k not in self.df.columns]
        for k in ontbreekt:
            via = f" (kolommen.yml vertaalt '{self.hernoemd[k]}' naar deze kolom)" if k in self.hernoemd else ""
            self.kop(k, verwacht + via, "geen kolom met deze naam in de kopregel" if self.kopregel else
                     "geen variabele met deze naam in het bestand")
        return not ontbreekt

    def tekst(self, kolom: str, toegestaan: Optional[Iterable[str]] = None, verplicht: bool = True,
              verwacht: Optional[str] = None) -> pd.Series:
        s = self.df[kolom]
        fout = s.isna() if verplicht else pd.Series(False, index=s.index)
        if toegestaan is not None:
            toegestaan = list(toegestaan)
            fout |= s.notna() & ~s.isin(toegestaan)
            verwacht = verwacht or "een van " + ", ".join(toegestaan)
        self.meld(fout, kolom, verwacht or "een waarde")
        return s

    def getallen(self, kolom: str) -> pd.Series:
        """The column parsed as numbers (NaN for missing and invalid cells), parsed once per file."""
        if kolom not in self._getallen:
            self._getallen[kolom] = _als_getal(self.df[kolom])
        return self._getallen[kolom]

    def getal(self, kolom: str, *, geheel: bool = False, minimum: Optional[float] = None, strikt: bool = False,
              verplicht: bool = False, verwacht: Optional[str] = None) -> pd.Series:
        """Numeric column (float, NaN for missing or invalid); reports invalid values once."""
        x = self.getallen(kolom)
        waarden = x.to_numpy()  # numpy, not pandas: this runs for every numeric column of every file
        goed = np.isfinite(waarden)
        with np.errstate(invalid="ignore"):
            if geheel:
                goed &= np.mod(waarden, 1) == 0
            if minimum is not None:
                goed &= waarden > minimum if strikt else waarden >= minimum
        if verwacht is None:
            verwacht = "een geheel getal" if geheel else "een getal"
            if minimum is not None:
                verwacht += f" {'>' if strikt else '>='} {minimum:g}"
        self.meld(~goed & (self.df[kolom].notna().to_numpy() | verplicht), kolom, verwacht)
        return pd.Series(np.where(goed, waarden, np.nan), index=x.index, name=x.name)

    def meting(self, config: Configuratie) -> pd.Series:
        m = self.getal("meting", geheel=True, verplicht=True)
        self.meld(m.notna() & ~m.isin(list(config.meting)), "meting",
                  f"een meting uit metingen.yml ({', '.join(map(str, config.meting))})")
        return m

    def uniek(self, kolommen: list[str], verwacht: str, sleutel: Optional[pd.DataFrame] = None) -> None:
        """Report rows whose values in `kolommen` (all present) occur more than once (or of `sleutel`,
        a frame built from them)."""
        sleutel = self.df[kolommen] if sleutel is None else sleutel
        dubbel = sleutel.notna().all(axis=1) & sleutel.duplicated(keep=False)
        self.meld(dubbel, kolommen[0], verwacht,
                  gevonden=(" ".join(r) for r in sleutel[dubbel].astype(str).itertuples(index=False)))

    def extra(self, bekend: Iterable[str]) -> list[str]:
        bekend = set(bekend)
        return [k for k in self.df.columns if k not in bekend]


def _als_getal(s: pd.Series) -> pd.Series:
    """A text column as float64, NaN for missing and invalid cells: pd.to_numeric(errors="coerce").

    pyarrow's cast parses valid numbers to exactly the same floats, some twenty times faster. It
    refuses a whole column for one invalid cell, and reads "-0" as -0.0 where pandas gives 0.0;
    in those cases pandas parses the column.
    """
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        try:
            x = pc.cast(pa.array(s.array), pa.float64()).to_numpy(zero_copy_only=False)
        except pa.ArrowInvalid:
            pass
        else:
            if not np.any(np.signbit(x) & (x == 0)):
                return pd.Series(x, index=s.index, dtype="float64", name=s.name)
    return pd.to_numeric(s, errors="coerce").astype("float64")


def _per_waarde(s: pd.Series, functie) -> pd.Series:
    """s.map(functie, na_action="ignore"), calling `functie` once per distinct value."""
    codes, waarden = pd.factorize(s)
    return pd.Series(np.array([functie(w) for w in waarden] + [None], dtype=object)[codes], index=s.index)


def _typeer(kolommen: dict[str, pd.Series], schema: dict[str, type]) -> pd.DataFrame:
    return pd.DataFrame({k: kolommen[k] for k in schema}).astype({k: _DTYPE[t] for k, t in schema.items()})


def _leeg(schema: dict[str, type]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series(dtype=_DTYPE[t]) for k, t in schema.items()})


# ---------------------------------------------------------------- the result


@dataclass
class Gegevens:
    """Everything read from one valid data folder."""

    map: Path
    databron: dict
    survey: dict[str, pd.DataFrame]
    register: pd.DataFrame
    referentie: pd.DataFrame
    proces: pd.DataFrame
    narratief: pd.DataFrame
    duiding: pd.DataFrame
    metingen: list[int]
    ontbrekende_metingen: list[int]
    bestanden: dict[str, str] = field(default_factory=dict)
    # per meting with data, the survey and register sources of the catalogue that have none for it
    # yet (e.g. the 2025 survey not delivered while the 2025 registers are): the pages say they follow
    ontbrekende_bronnen: dict[int, list[str]] = field(default_factory=dict)
    # the local module wijknetwerk (lokaal/): organisations and their ties per meting
    wijknetwerk_organisaties: pd.DataFrame = field(default_factory=lambda: _leeg(SCHEMAS["wijknetwerk_organisaties"]))
    wijknetwerk_relaties: pd.DataFrame = field(default_factory=lambda: _leeg(SCHEMAS["wijknetwerk_relaties"]))
    # the local module schoolloopbaan (lokaal/): pupils per advice, third-year level and outcome
    schoolloopbaan: pd.DataFrame = field(default_factory=lambda: _leeg(SCHEMAS["schoolloopbaan"]))
    # the local module openbare ruimte (lokaal/): people counted per location, and the beleving survey
    openbare_ruimte_tellingen: pd.DataFrame = field(default_factory=lambda: _leeg(SCHEMAS["openbare_ruimte_tellingen"]))
    openbare_ruimte_beleving: pd.DataFrame = field(default_factory=lambda: _leeg(SCHEMAS["openbare_ruimte_beleving"]))


@dataclass(frozen=True)
class _Databron:
    naam: str
    demodata: bool
    omschrijving: str


def _survey_items(config: Configuratie, bron: str) -> dict[str, list[Indicator]]:
    """Item column -> the survey indicators of this bron that use it."""
    items: dict[str, list[Indicator]] = {}
    for ind in config.indicatoren:
        if ind.is_survey and ind.bron == bron:
            items.setdefault(ind.berekening.item, []).append(ind)
    return items


def _ontbrekend_tekst(geteld: dict[str, int]) -> str:
    """'; ontbrekende codes: ervaren_gezondheid 12, ...' for the status line of a file."""
    if not geteld:
        return ""
    return "; als ontbrekend gelezen (ontbrekende codes): " + _opsomming(f"{k} {n}" for k, n in geteld.items())


def _survey_bestanden(map: Path, bron: str, peiljaar: int, toegewezen: dict[str, tuple[str, int]]) -> list[str]:
    """The files of a survey and peiljaar in a data folder: survey/<bron>_<peiljaar>.csv, .sav or .zsav,
    and the files that kolommen.yml's `bestanden` assigns to them (`toegewezen`)."""
    return [f"survey/{bron}_{peiljaar}{ext}" for ext in (".csv", *SPSS_EXTENSIES)
            if (map / f"survey/{bron}_{peiljaar}{ext}").is_file()] + [
        naam for naam, bj in toegewezen.items() if bj == (bron, peiljaar) and (map / naam).is_file()]


def register_kolommen(config: Configuratie) -> list[str]:
    """Every register column the catalogue names as teller or noemer."""
    kolommen: dict[str, None] = {}
    for ind in config.indicatoren:
        if not ind.is_survey:
            kolommen.setdefault(ind.berekening.teller, None)
            kolommen.setdefault(ind.berekening.noemer, None)
    return list(kolommen)


# ---------------------------------------------------------------- loading a folder


class _Lader:
    """Reads and checks a whole data folder; collects problems and a status per file."""

    def __init__(self, data_map: Path, config: Configuratie, inhoud: Optional[dict[str, bytes]] = None):
        self.map, self.config = Path(data_map), config
        self.inhoud = inhoud or {}  # file -> bytes to check instead of the file on disk
        self.problemen: list[Probleem] = []
        self.status: dict[str, str] = {}  # file -> report line when it has no problems
        self.bestanden: dict[str, str] = {}
        self.databron: dict = {}
        self.kolommen: dict[str, dict[str, Vertaling]] = {}
        self.exportbestanden: dict[str, tuple[str, int]] = {}  # kolommen.yml `bestanden`: file -> (bron, peiljaar)
        self.survey_van: dict[str, tuple[str, int]] = {}  # every survey file read -> (bron, peiljaar)
        self.omgezet: dict[str, pd.DataFrame] = {}  # survey and register file -> its cells after kolommen.yml
        self.ontbrekend_gemeld: dict[str, dict[str, int]] = {}  # file -> column -> cells made missing by a code
        self.survey: dict[str, list[pd.DataFrame]] = {b.id: [] for b in config.bronnen if b.soort == "survey"}
        self.register: list[tuple[str, pd.DataFrame]] = []
        self.tabellen: dict[str, pd.DataFrame] = {}
        self.metingen: set[int] = set()
        self.register_bestanden: set[str] = set()  # register/<bron>.csv files present, valid or not
        self._sleutelfouten: set[str] = set()  # register files with an invalid or duplicate gebiedscode/jaar
        self._vertaling_mist: dict[tuple[str, str, str], list[str]] = {}  # kolommen.yml entries without a column

    # -- helpers

    def _probleem(self, bestand: str, verwacht: str, gevonden: str) -> None:
        self.problemen.append(Probleem(bestand, [], None, verwacht, gevonden))

    def _foutloos(self, naam: str, voor: int) -> bool:
        return not any(p.bestand == naam for p in self.problemen[voor:])

    def _ok(self, naam: str, rijen: int, extra: list[str]) -> None:
        eenheid = "records" if naam.lower().endswith(SPSS_EXTENSIES) else "rijen"
        self.status[naam] = f"ok: {rijen:,} {eenheid}".replace(",", ".") + (
            f"; extra kolommen genegeerd: {', '.join(extra)}" if extra else "")

    def _lees_bytes(self, naam: str) -> bytes:
        data = self.inhoud[naam] if naam in self.inhoud else (self.map / naam).read_bytes()
        self.bestanden[naam] = hashlib.sha256(data).hexdigest()
        return data

    def _tabel(self, naam: str, bron: Optional[str] = None) -> Optional[_Tabel]:
        """Read a CSV or SPSS file and apply the kolommen.yml renaming and recoding of its bron."""
        data = self._lees_bytes(naam)
        info = None
        if naam.lower().endswith(SPSS_EXTENSIES):
            try:
                df, info = lees_spss(self.map / naam)
            except Exception as fout:  # pyreadstat's ReadstatError and friends: not a readable SPSS file
                self._probleem(naam, "een SPSS-bestand (.sav of .zsav) dat pyreadstat kan lezen", str(fout))
                return None
        else:
            df, problemen = _lees_tabel(data, naam)
            self.problemen += problemen
            if df is None:
                return None
        vertalingen = self.kolommen.get(bron, {})
        kop = [df.attrs["kopregel"]] if df.attrs.get("kopregel") else []
        hernoemd = {}
        for ons, v in vertalingen.items():
            hun = v.kolom
            if hun in df.columns and ons in df.columns and hun != ons:
                self.problemen.append(Probleem(naam, kop, ons,
                                               f"één kolom '{ons}' (kolommen.yml vertaalt '{hun}' naar '{ons}')",
                                               f"zowel '{hun}' als '{ons}'", df.attrs.get("eenheid", "regel")))
            elif hun in df.columns:
                df = df.rename(columns={hun: ons})
            elif ons not in df.columns:
                self._vertaling_mist.setdefault((bron, ons, hun), []).append(naam)
            hernoemd[ons] = hun
        t = _Tabel(naam, df, self.problemen, hernoemd)
        t.df, self.ontbrekend_gemeld[naam] = pas_toe(
            df, {k: v for k, v in vertalingen.items() if k in df.columns}, info,
            lambda fout, kolom, verwacht: t.meld(fout, kolom, verwacht))
        t.df.attrs.update(df.attrs)
        if info is not None and bron in self.survey:
            for item, indicatoren in _survey_items(self.config, bron).items():
                if item in t.df.columns:
                    for verwacht, gevonden in controleer_labels(item, indicatoren, vertalingen.get(item), info):
                        self.problemen.append(Probleem(naam, [], item, verwacht, gevonden, "record", hernoemd.get(item)))
        if bron is not None:
            self.omgezet[naam] = t.df
        return t

    def rapport(self) -> list[tuple[str, str]]:
        """(file, line): the problems of a file, or its status when it has none."""
        per_bestand: dict[str, list[str]] = {naam: [] for naam in self.status}
        for p in self.problemen:
            per_bestand.setdefault(p.bestand, []).append(f"fout: {p.melding}")
        return [(naam, tekst) for naam, fouten in per_bestand.items()
                for tekst in (fouten or [self.status[naam]])]

    # -- the folder

    def lees(self) -> None:
        if not self.map.is_dir():
            return self._probleem(str(self.map), "een datamap (zie data/FORMAAT.md)", "geen map")
        self._lees_databron()
        self._lees_kolommen()
        survey, register, vast = [], [], {}
        for pad in sorted(self.map.rglob("*")):
            naam = pad.relative_to(self.map).as_posix()
            if pad.is_dir() or naam in OVERIGE_BESTANDEN or any(d.startswith(".") for d in naam.split("/")):
                continue
            map_ = naam.split("/")[0] if "/" in naam else None
            self.status[naam] = "ok" if map_ in MAPPEN else "genegeerd: onbekend bestand"  # report in file order
            if map_ == "survey":
                survey.append(naam)
            elif map_ == "register":
                register.append(naam)
            elif naam in VASTE_BESTANDEN.values():
                vast[next(k for k, v in VASTE_BESTANDEN.items() if v == naam)] = naam
            elif map_ in MAPPEN:
                toegestaan = [v for v in VASTE_BESTANDEN.values() if v.startswith(f"{map_}/")]
                self._probleem(naam, f"alleen {'het bestand' if len(toegestaan) == 1 else 'de bestanden'} "
                                     f"{', '.join(toegestaan)} in {map_}/", "een onbekend bestand")
        for naam in survey:
            self._lees_survey(naam)
        voor = len(self.problemen)
        register = [r for r in (self._lees_register(naam) for naam in register) if r]
        self._controleer_tellers()
        self._controleer_registerkolommen()
        self._controleer_registerrijen()
        self._controleer_deel_van_gemeente()
        for naam, rijen, extra in register:
            if self._foutloos(naam, voor):
                self._ok(naam, rijen, extra)
        for soort, controle in (("referentie", self._referentie), ("proces", self._proces),
                                ("narratief", self._narratief), ("duiding", self._duiding),
                                ("wijknetwerk_organisaties", self._organisaties),
                                ("wijknetwerk_relaties", self._relaties),
                                ("schoolloopbaan", self._schoolloopbaan),
                                ("openbare_ruimte_tellingen", self._tellingen),
                                ("openbare_ruimte_beleving", self._beleving)):
            if soort in vast:
                self._lees_vast(soort, vast[soort], controle)
            else:
                self.status[VASTE_BESTANDEN[soort]] = "ontbreekt: geen gegevens"
                self.tabellen[soort] = _leeg(SCHEMAS[soort])
        self._controleer_vertalingen()
        if (self.map / "MANIFEST.sha256").is_file():
            self._controleer_manifest()
        if not self.metingen and not self.problemen:
            self._probleem(self.map.name, "gegevens voor minstens één meting (een peiljaar uit metingen.yml)",
                           "geen enkele meting met gegevens")

    def _lees_yml(self, naam: str, bouwer, verwacht: str):
        """The YAML file built by `bouwer(waarde)` (which raises ConfigFout), or None after a problem."""
        self.status[naam] = "ok"
        try:
            waarde = bouwer(lees_yaml(self.map / naam))
        except ConfigFout as fout:
            gevonden = f"{fout.plek}: {fout.melding}" if fout.plek else fout.melding
            self._probleem(naam, verwacht, "geen bestand" if fout.melding == NIET_GEVONDEN else gevonden)
            return None
        self._lees_bytes(naam)
        return waarde

    def _lees_databron(self) -> None:
        databron = self._lees_yml("databron.yml", lambda w: bouw(_Databron, w, "databron.yml", ""),
                                  "een mapping met de sleutels naam (tekst), demodata (true of false), "
                                  "omschrijving (tekst)")
        if databron is not None:
            self.databron = asdict(databron)
            self.status["databron.yml"] = f"ok: {databron.naam}" + (" (demodata)" if databron.demodata else "")

    def _lees_kolommen(self) -> None:
        if not (self.map / "kolommen.yml").is_file():
            return
        bronnen = [b.id for b in self.config.bronnen if b.soort in ("survey", "register")]
        verwacht = (f"per bron ({', '.join(bronnen)}) een mapping van onze kolomnamen naar die van de export "
                    "(een naam, of kolom met eventueel codes en ontbrekend; data/FORMAAT.md)")
        gelezen = self._lees_yml("kolommen.yml", lambda w: (lees_vertalingen(w, "kolommen.yml"),
                                                            lees_bestanden(w, "kolommen.yml")), verwacht)
        if gelezen is None:
            return
        kolommen, exportbestanden = gelezen
        for naam, (bron, jaar) in exportbestanden.items():
            regel = regel_van(self.map / "kolommen.yml", f"{bron}.{BESTANDEN}")
            plek = f"'{naam.removeprefix('survey/')}: {jaar}' onder {bron}.{BESTANDEN}"
            if bron in self.config.bron and self.config.bron[bron].soort != "survey":
                self.problemen.append(Probleem("kolommen.yml", [regel] if regel else [], None,
                                               f"{BESTANDEN} alleen onder een enquête ({', '.join(self.survey)})",
                                               f"{plek}; {bron} is een register"))
            elif bron in self.config.bron and not (self.map / naam).is_file():
                self.problemen.append(Probleem("kolommen.yml", [regel] if regel else [], None,
                                               f"een bestand {naam} (de regel {plek})", "geen bestand"))
            elif bron in self.config.bron:
                self.exportbestanden[naam] = (bron, jaar)
        onbekend = [b for b in kolommen if b not in bronnen]
        if onbekend:
            self._probleem("kolommen.yml", verwacht, _opsomming(f"bron '{b}'" for b in onbekend))
        for bron, vertaling in kolommen.items():
            if bron not in bronnen:
                continue
            bekend = self._kolomnamen(bron)
            for ons, v in vertaling.items():
                if ons not in bekend:
                    regel = regel_van(self.map / "kolommen.yml", f"{bron}.{ons}")
                    self.problemen.append(Probleem(
                        "kolommen.yml", [regel] if regel else [], None,
                        f"onder {bron} links een kolomnaam uit data/FORMAAT.md ({', '.join(bekend)}) en rechts de "
                        f"naam in de export", f"'{ons}: {v.kolom}'; '{ons}' is geen kolom van {bron}"))
        self.kolommen = kolommen
        self.status["kolommen.yml"] = f"ok: kolomnamen voor {', '.join(kolommen)}"

    def _kolomnamen(self, bron: str) -> list[str]:
        """The column names of data/FORMAAT.md that a file of this bron can have."""
        if self.config.bron[bron].soort == "survey":
            return SURVEY_KOLOMMEN + DESIGN_KOLOMMEN + list(_survey_items(self.config, bron))
        return ["gebiedscode", "jaar"] + register_kolommen(self.config)

    def _controleer_vertalingen(self) -> None:
        """A kolommen.yml entry whose export column is in none of the files it is meant for."""
        register = {k for _, f in self.register for k in f.columns}
        for (bron, ons, hun), bestanden in self._vertaling_mist.items():
            if ons not in self._kolomnamen(bron):
                continue  # reported as an unknown name of ours (_lees_kolommen)
            # An export named under `bestanden` gets its peiljaar as jaar when it has no year column, so
            # a `jaar:` entry naming a column it lacks would otherwise go unnoticed.
            jaar_gevuld = ons == "jaar" and all(b in self.exportbestanden for b in bestanden)
            if self.config.bron[bron].soort == "survey":
                gemeld = (ons in SURVEY_KOLOMMEN and not jaar_gevuld) or ons in _survey_items(self.config, bron)
            else:
                gemeld = ons in ("gebiedscode", "jaar") or ons not in register
            if gemeld:
                continue  # a required column: its file's problem already names this kolommen.yml entry
            regel = regel_van(self.map / "kolommen.yml", f"{bron}.{ons}")
            self.problemen.append(Probleem(
                "kolommen.yml", [regel] if regel else [], None,
                f"een kolom '{hun}' in de bestanden van {bron} (de regel '{ons}: {hun}' onder {bron})",
                f"geen kolom '{hun}' (en ook geen '{ons}') in de kopregel van {_opsomming(bestanden)}"
                + (f"; zonder die regel krijgt het bestand het peiljaar {self.exportbestanden[bestanden[0]][1]} uit "
                   f"{BESTANDEN}" if jaar_gevuld and len(bestanden) == 1 else
                   f"; zonder die regel krijgen de bestanden hun peiljaar uit {BESTANDEN}" if jaar_gevuld else "")))

    # -- survey

    def _lees_survey(self, naam: str) -> None:
        config = self.config
        bronnen = list(self.survey)
        m = re.fullmatch(r"survey/([a-z0-9_]+)_(\d{4})\.(csv|sav|zsav)", naam, flags=re.IGNORECASE)
        if naam in self.exportbestanden:
            (bron, peiljaar), herkomst = self.exportbestanden[naam], "het peiljaar in kolommen.yml"
        elif m and m.group(1) in bronnen:
            bron, peiljaar, herkomst = m.group(1), int(m.group(2)), "het peiljaar in de bestandsnaam"
        else:
            return self._probleem(naam, f"een bestand survey/<bron>_<peiljaar>.csv (of .sav, .zsav) met als bron een "
                                        f"van {', '.join(bronnen)}, of een bestand onder {BESTANDEN} in kolommen.yml",
                                  "een onbekend bestand")
        voor = len(self.problemen)
        self.survey_van[naam] = (bron, peiljaar)
        dubbel = [n for n in _survey_bestanden(self.map, bron, peiljaar, self.exportbestanden) if n != naam]
        if dubbel:
            return self._probleem(naam, f"één bestand met de enquête {bron} van {peiljaar}", f"ook {', '.join(dubbel)}")
        metingen = {mt.peiljaren[bron]: mt.jaar for mt in config.metingen}
        if peiljaar not in metingen:
            self._probleem(naam, f"een peiljaar van {bron} in metingen.yml ({', '.join(map(str, metingen))})",
                           str(peiljaar))
        t = self._tabel(naam, bron)
        if t is None:
            return
        if naam in self.exportbestanden and "jaar" not in t.df.columns:  # an export without a year column
            t.df["jaar"] = pd.Series(str(peiljaar), index=t.df.index, dtype="str")
        items = _survey_items(config, bron)
        design = [k for k in DESIGN_KOLOMMEN if k in t.df.columns]
        t.vereist(SURVEY_KOLOMMEN)
        self._survey_rijen(t, peiljaar, herkomst)
        for item, indicatoren in items.items():
            if t.vereist([item], f"een kolom voor het item van {', '.join(i.id for i in indicatoren)}"):
                self._survey_item(t, item, indicatoren)
        if len(design) == 1:
            t.kop(design[0], "de kolommen 'stratum' en 'psu' samen", f"alleen '{design[0]}'")
        elif design:
            for k in design:
                t.tekst(k, verwacht="een waarde (het bestand heeft stratum en psu)")
        genest = self._psu_per_stratum(t) if len(design) == 2 else ""
        if not self._foutloos(naam, voor):
            return
        self._ok(naam, len(t.df), t.extra(SURVEY_KOLOMMEN + DESIGN_KOLOMMEN + list(items)))
        self.status[naam] += genest + _ontbrekend_tekst(self.ontbrekend_gemeld.get(naam, {}))
        df = t.df
        uit = {k: df[k] for k in SURVEY_KOLOMMEN + design}
        uit["jaar"] = t.getallen("jaar").astype("int64")
        uit["meting"] = pd.Series(metingen[peiljaar], index=df.index, dtype="int64")
        uit.update({k: t.getallen(k) for k in ["gewicht", *items]})
        volgorde = ["respondent_id", "jaar", "meting"] + SURVEY_KOLOMMEN[2:] + design + list(items)
        self.survey[bron].append(pd.DataFrame({k: uit[k] for k in volgorde}))
        self.metingen.add(metingen[peiljaar])

    def _psu_per_stratum(self, t: _Tabel) -> str:
        """Report PSU codes that occur in more than one stratum, unless the setting says how to read them.

        The estimates always treat a PSU as the (stratum, psu) pair (schatting.Ontwerp); that only
        differs from reading the codes as unique in the file when a code occurs in several strata.
        Returns a note for the status line when the codes are numbered within strata as the setting says.
        """
        paren = t.df[["stratum", "psu"]].dropna().drop_duplicates()
        meer = paren["psu"].duplicated(keep=False)
        if not meer.any():
            return ""
        genest = self.config.instellingen.steekproefontwerp.psu_genest_in_stratum
        codes = list(dict.fromkeys(paren.loc[meer, "psu"]))
        if genest:
            return (f"; {len(codes)} psu-code(s) in meer dan één stratum, gelezen als per stratum genummerd "
                    "(psu_genest_in_stratum: true)")
        voorbeeld = codes[0]
        strata = list(dict.fromkeys(paren.loc[paren["psu"] == voorbeeld, "stratum"]))
        gevonden = (f"psu-code '{voorbeeld}' in de strata " + ", ".join(f"'{h}'" for h in strata)
                    + (f" (en nog {len(codes) - 1} psu-code(s) in meer dan één stratum)" if len(codes) > 1 else ""))
        instelling = "steekproefontwerp.psu_genest_in_stratum in data/config/instellingen.yml"
        if genest is None:
            verwacht = (f"een keuze in {instelling}: true als de psu-codes per stratum genummerd zijn (dezelfde "
                        "code in een ander stratum is een andere PSU, zoals R's nest = TRUE), false als elke "
                        "code uniek is in het bestand")
        else:
            verwacht = f"elke psu-code in één stratum ({instelling} is false: codes zijn uniek in het bestand)"
        t.meld(t.df["psu"].eq(voorbeeld), "psu", verwacht, gevonden=[gevonden])
        return ""

    def _survey_rijen(self, t: _Tabel, peiljaar: int, herkomst: str) -> None:
        """Row checks of the required survey columns that are present."""
        config, df = self.config, t.df
        gemeenten = list(config.gemeente)
        leeg = pd.Series(np.nan, index=df.index, dtype="str")
        if "respondent_id" in df:
            t.tekst("respondent_id")
            t.uniek(["respondent_id"], "een respondent_id die uniek is in het bestand")
        if "jaar" in df:
            jaar = t.getal("jaar", geheel=True, verplicht=True)
            t.meld(jaar.notna() & jaar.ne(peiljaar), "jaar", f"{peiljaar} ({herkomst})")
        gm = (t.tekst("gemeentecode", gemeenten, verwacht=f"een gemeente uit gebieden.yml ({', '.join(gemeenten)})")
              if "gemeentecode" in df else leeg)
        wk, bu = df.get("wijkcode", leeg), df.get("buurtcode", leeg)
        wk_ok = _per_waarde(wk, code_niveau).eq("wijk")
        bu_ok = _per_waarde(bu, code_niveau).eq("buurt")
        if "wijkcode" in df:
            t.meld(~wk_ok, "wijkcode", "een CBS-wijkcode (WK + 6 cijfers)")
            buiten = wk_ok & gm.isin(gemeenten) & _per_waarde(wk, gemeente_van).ne(gm)
            t.meld(buiten, "wijkcode", "een wijk binnen de gemeentecode van de rij",
                   gevonden=(f"'{w}' bij gemeentecode {g}" for w, g in zip(wk[buiten], gm[buiten])))
        if "buurtcode" in df:
            t.meld(~bu_ok, "buurtcode", "een CBS-buurtcode (BU + 8 cijfers)")
            buiten = bu_ok & wk_ok & ("WK" + bu.where(bu_ok).str[2:8]).ne(wk)
            t.meld(buiten, "buurtcode", "een buurt binnen de wijkcode van de rij",
                   gevonden=(f"'{b}' bij wijkcode {w}" for b, w in zip(bu[buiten], wk[buiten])))
        if "gewicht" in df:
            gewicht = t.getal("gewicht", minimum=0, strikt=True, verplicht=True, verwacht="een eindig getal > 0")
            self._gewicht_plausibel(t, gewicht)
        if "geslacht" in df:
            t.tekst("geslacht", GESLACHTEN, verplicht=False)

    def _gewicht_plausibel(self, t: _Tabel, gewicht: pd.Series) -> None:
        """Every weight within plausibiliteit.gewicht_factor of the file's median weight."""
        if gewicht.notna().sum() == 0:
            return
        factor = self.config.instellingen.plausibiliteit.gewicht_factor
        mediaan = float(gewicht.median())
        laag, hoog = mediaan / factor, mediaan * factor
        t.meld(gewicht.lt(laag) | gewicht.gt(hoog), "gewicht",
               f"een gewicht tussen {_nl(laag)} en {_nl(hoog)}: binnen een factor {_nl(factor)} van de mediaan van "
               f"het bestand ({_nl(mediaan)}; plausibiliteit.gewicht_factor in instellingen.yml)")

    def _survey_item(self, t: _Tabel, item: str, indicatoren: list[Indicator]) -> None:
        x = t.getal(item)
        for ind in indicatoren:
            b = ind.berekening
            if ind.statistiek == "survey_proportie":
                fout = x.notna() & ~x.isin(b.geldige_codes)
                verwacht = f"een van {', '.join(map(str, b.geldige_codes))} (geldige_codes van {ind.id}) of leeg"
            else:
                fout = x.notna() & (x.lt(b.bereik[0]) | x.gt(b.bereik[1]))
                verwacht = f"een waarde van {b.bereik[0]:g} tot en met {b.bereik[1]:g} (bereik van {ind.id}) of leeg"
            t.meld(fout, item, verwacht)

    # -- register

    def _lees_register(self, naam: str) -> Optional[tuple[str, int, list[str]]]:
        """Check a register file and keep its rows with a valid key; (file, rows, extra columns)."""
        config = self.config
        bronnen = [b.id for b in config.bronnen if b.soort == "register"]
        m = re.fullmatch(r"register/([a-z0-9_]+)\.csv", naam)
        if not m or m.group(1) not in bronnen:
            return self._probleem(naam, f"een bestand register/<bron>.csv met als bron een van {', '.join(bronnen)}",
                                  "een onbekend bestand")
        bron = m.group(1)
        self.register_bestanden.add(naam)
        t = self._tabel(naam, bron)
        if t is None or not t.vereist(["gebiedscode", "jaar"]):
            return None
        bekend = register_kolommen(config)
        elders = {k: n for n, f in self.register for k in f.columns[2:]}
        kolommen = []
        for k in t.df.columns:
            if k in bekend and k in elders:
                t.kop(k, "een kolom die in geen ander registerbestand staat", f"ook in {elders[k]}")
            elif k in bekend:
                kolommen.append(k)
        voor = len(self.problemen)
        code = t.df["gebiedscode"]
        niveau = _per_waarde(code, code_niveau)
        t.meld(niveau.isna(), "gebiedscode", "een CBS-code (GM + 4, WK + 6 of BU + 8 cijfers)")
        t.meld(niveau.notna() & ~_per_waarde(code, gemeente_van).isin(list(config.gemeente)),
               "gebiedscode", f"een code in een gemeente uit gebieden.yml ({', '.join(config.gemeente)})")
        jaar = t.getal("jaar", geheel=True, verplicht=True)
        t.uniek(["gebiedscode", "jaar"], "één rij per gebiedscode en jaar")
        if not self._foutloos(naam, voor):
            self._sleutelfouten.add(naam)  # its rows per code are not known: no check of missing rows
        waarden = {k: t.getal(k, minimum=0) for k in kolommen}
        goed = niveau.notna() & jaar.notna() & ~t.df[["gebiedscode", "jaar"]].duplicated(keep=False)
        frame = pd.DataFrame({"gebiedscode": code, "jaar": jaar, **waarden})[goed].astype({"jaar": "int64"})
        self.register.append((naam, frame))
        for mt in config.metingen:
            if mt.peiljaren[bron] in set(frame["jaar"]):
                self.metingen.add(mt.jaar)
        return naam, len(t.df), t.extra(["gebiedscode", "jaar"] + bekend)

    def _bestand_van_kolom(self) -> dict[str, tuple[str, pd.DataFrame]]:
        """Register column -> (file, its valid rows) holding it (a column is in one file only)."""
        return {k: (n, f) for n, f in self.register for k in f.columns[2:]}

    def _controleer_tellers(self) -> None:
        """teller <= noemer for every register_aandeel indicator and teller <= teller_per_noemer x
        noemer for every register_rate (a count of 1e20 per 150.000 inwoners is absurd), also when
        teller and noemer are in two files."""
        bestand = self._bestand_van_kolom()
        factor = self.config.instellingen.plausibiliteit.teller_per_noemer
        paren: dict[tuple[str, str, bool], str] = {}
        for ind in self.config.indicatoren:
            if ind.statistiek in ("register_aandeel", "register_rate"):
                paren.setdefault((ind.berekening.teller, ind.berekening.noemer,
                                  ind.statistiek == "register_aandeel"), ind.id)
        for (teller, noemer, aandeel), ind in paren.items():
            if teller not in bestand or noemer not in bestand:
                continue
            (naam, f), (naam_n, f_n) = bestand[teller], bestand[noemer]
            if naam_n == naam:  # the usual case: both in one file, row by row
                n = f[noemer]
            else:
                sleutel = pd.MultiIndex.from_frame(f[["gebiedscode", "jaar"]])
                n = pd.Series(f_n.set_index(["gebiedscode", "jaar"])[noemer].reindex(sleutel).to_numpy(),
                              index=f.index)
            elders = "" if naam_n == naam else f" in {naam_n}"
            if aandeel:
                fout = f[teller].gt(n)
                verwacht = f"hoogstens '{noemer}'{elders} (teller en noemer van {ind})"
                gevonden = (f"{c} {j}: {a:g} > {b:g}" for c, j, a, b in
                            zip(f["gebiedscode"][fout], f["jaar"][fout], f[teller][fout], n[fout]))
            else:  # a rate: no bound when the noemer is 0 (the rate is undefined, not absurd)
                fout = n.gt(0) & f[teller].gt(factor * n)
                verwacht = (f"hoogstens {_nl(factor)} × '{noemer}'{elders} (teller en noemer van {ind}; "
                            "plausibiliteit.teller_per_noemer in instellingen.yml)")
                gevonden = (f"{c} {j}: {_nl(a)} bij {noemer} {_nl(b)}" for c, j, a, b in
                            zip(f["gebiedscode"][fout], f["jaar"][fout], f[teller][fout], n[fout]))
            _Tabel(naam, f, self.problemen, {}).meld(fout, teller, verwacht, gevonden=gevonden)

    def _register_indicatoren(self):
        """(indicator, the gebied ids it is reported for) of every register indicator."""
        alle = [g.id for g in self.config.gebieden]
        for ind in self.config.indicatoren:
            if not ind.is_survey:
                yield ind, (alle if ind.set == "kernset" else list(ind.gebieden))

    def _controleer_registerkolommen(self) -> None:
        """Every teller and noemer column the catalogue names, once the file of the indicator's bron is
        there: without it the indicator would silently vanish from the wijk rows."""
        bestand = self._bestand_van_kolom()
        kolommen = {k for n, f in self.register for k in f.columns}
        gemeld = set()
        for ind, _ in self._register_indicatoren():
            naam = f"register/{ind.bron}.csv"
            if naam not in self.register_bestanden or not any(n == naam for n, _ in self.register):
                continue  # the whole source is missing (reported per meting) or unreadable (reported)
            for rol, kolom in (("teller", ind.berekening.teller), ("noemer", ind.berekening.noemer)):
                if kolom in bestand or kolom in kolommen or (naam, kolom) in gemeld:
                    continue
                gemeld.add((naam, kolom))
                via = next((f" (kolommen.yml vertaalt '{v.kolom}' naar deze kolom)"
                            for ons, v in self.kolommen.get(ind.bron, {}).items() if ons == kolom), "")
                self.problemen.append(Probleem(
                    naam, [1], kolom, f"een kolom '{kolom}' in {naam} of een ander registerbestand: de {rol} van "
                    f"indicator {ind.id} (berekening.{rol} in indicatoren.yml){via}",
                    "geen kolom met deze naam in een registerbestand"))

    def _controleer_registerrijen(self) -> None:
        """A row for every CBS code of every gebied and for its gemeente, in every peiljaar the file has
        a row of the gebied: the rest of the gemeente is the gemeente minus the gebied (data/FORMAAT.md).
        A gebied with no row at all in a year is not delivered yet (volledigheid warns), not an error."""
        config = self.config
        nodig: dict[str, set[str]] = {}  # file -> gebied ids whose codes it needs
        bestand = self._bestand_van_kolom()
        for ind, gebieden in self._register_indicatoren():
            for kolom in (ind.berekening.teller, ind.berekening.noemer):
                if kolom in bestand:
                    nodig.setdefault(bestand[kolom][0], set()).update(gebieden)
        for naam, f in self.register:
            if naam not in nodig or naam in self._sleutelfouten:
                continue
            bron = naam.removeprefix("register/").removesuffix(".csv")
            peiljaren = {m.peiljaren[bron] for m in config.metingen}
            aanwezig = set(zip(f["gebiedscode"], f["jaar"]))
            ontbreekt = []
            for jaar in sorted(peiljaren & set(f["jaar"])):
                for g in config.gebieden:
                    if g.id not in nodig[naam] or not any((code, jaar) in aanwezig for code in g.codes):
                        continue
                    for code in [*g.codes, g.gemeente]:
                        if (code, jaar) not in aanwezig:
                            ontbreekt.append(f"{code} ({g.id if code != g.gemeente else 'gemeente van ' + g.id}) "
                                             f"in {jaar}")
            if ontbreekt:
                self.problemen.append(Probleem(
                    naam, [], "gebiedscode", "een rij voor elke CBS-code van elk gebied en voor zijn gemeente, in "
                    "elk peiljaar waarin het bestand een rij van het gebied heeft (de rest van de gemeente is de gemeente min het gebied; "
                    "data/FORMAAT.md)", f"geen rij voor {_opsomming(ontbreekt)}"))

    def _controleer_deel_van_gemeente(self) -> None:
        """A wijk or buurt is part of its gemeente: no count of it exceeds the gemeente's in that year."""
        for naam, f in self.register:
            gm = f[f["gebiedscode"].str.startswith("GM")].set_index(["gebiedscode", "jaar"])
            deel = f[~f["gebiedscode"].str.startswith("GM")]
            if gm.empty or deel.empty:
                continue
            sleutel = pd.MultiIndex.from_arrays([_per_waarde(deel["gebiedscode"], gemeente_van), deel["jaar"]])
            t = _Tabel(naam, f, self.problemen, {})
            for kolom in f.columns[2:]:
                totaal = pd.Series(gm[kolom].reindex(sleutel).to_numpy(), index=deel.index)
                fout = pd.Series(False, index=f.index)
                fout[deel.index] = deel[kolom].gt(totaal)
                t.meld(fout, kolom, "hoogstens de waarde van de gemeente in hetzelfde jaar (een wijk of buurt is "
                       "een deel van haar gemeente)",
                       gevonden=(f"{c} {j}: {_nl(a)} > {_nl(b)} ({gemeente_van(c)})" for c, j, a, b in
                                 zip(deel["gebiedscode"][fout[deel.index]], deel["jaar"][fout[deel.index]],
                                     deel[kolom][fout[deel.index]], totaal[fout[deel.index]])))

    # -- files with a fixed name

    def _lees_vast(self, soort: str, naam: str, controle) -> None:
        voor = len(self.problemen)
        schema = SCHEMAS[soort]
        self.tabellen[soort] = _leeg(schema)
        t = self._tabel(naam)
        if t is None or not t.vereist([k for k in schema if k not in OPTIONEEL.get(soort, ())]):
            return
        for k in OPTIONEEL.get(soort, ()):
            if k not in t.df.columns:
                t.df[k] = pd.Series(np.nan, index=t.df.index, dtype="str")
        kolommen = controle(t)
        if self._foutloos(naam, voor):
            self._ok(naam, len(t.df), t.extra(schema))
            self.tabellen[soort] = _typeer(kolommen, schema)
            if soort in ("proces", "narratief"):
                self.metingen |= set(self.tabellen[soort]["meting"])

    def _referentie(self, t: _Tabel) -> dict[str, pd.Series]:
        config = self.config
        regio = [config.gebieden_bestand.land.code, config.gebieden_bestand.provincie.code]
        uit = {"regiocode": t.tekst("regiocode", regio),
               "indicator": t.tekst("indicator", config.indicator, verwacht="een indicator-id uit indicatoren.yml"),
               "jaar": t.getal("jaar", geheel=True, verplicht=True),
               "waarde": t.getal("waarde", verplicht=True)}
        for k in ("ondergrens", "bovengrens"):
            uit[k] = t.getal(k)
        indicator = uit["indicator"].map(config.indicator.get)
        bekend = indicator.notna()
        peiljaren = indicator[bekend].map(lambda i: [m.peiljaren[i.bron] for m in config.metingen])
        fout = pd.Series(False, index=t.df.index)
        fout[bekend] = [j == j and j not in p for j, p in zip(uit["jaar"][bekend], peiljaren)]
        t.meld(fout, "jaar", "een peiljaar van de bron van de indicator (metingen.yml)",
               gevonden=(f"'{t.df['jaar'][i]}' voor {t.df['indicator'][i]}" for i in fout[fout].index))
        procent = indicator.map(lambda i: i.is_percentage, na_action="ignore").fillna(False).astype(bool)
        for k in ("waarde", "ondergrens", "bovengrens"):
            if k in t.df.columns:
                t.meld(procent & (uit[k].lt(0) | uit[k].gt(100)), k, "een percentage van 0 tot en met 100")
        for k, fout, verwacht in (("ondergrens", uit["ondergrens"].gt(uit["waarde"]), "hoogstens 'waarde'"),
                                  ("bovengrens", uit["bovengrens"].lt(uit["waarde"]), "minstens 'waarde'")):
            t.meld(fout, k, verwacht, gevonden=(f"{a:g} bij waarde {w:g}" for a, w in
                                                zip(uit[k][fout], uit["waarde"][fout])))
        t.uniek(["regiocode", "indicator", "jaar"], "één rij per regiocode, indicator en jaar")
        return uit

    def _proces(self, t: _Tabel) -> dict[str, pd.Series]:
        config = self.config
        uit = {"gebied": t.tekst("gebied", config.gebied), "meting": t.meting(config),
               "project": t.tekst("project"), "status": t.tekst("status", STATUSSEN),
               "mijlpalen_gepland": t.getal("mijlpalen_gepland", geheel=True, minimum=0),
               "mijlpalen_gerealiseerd": t.getal("mijlpalen_gerealiseerd", geheel=True, minimum=0),
               # what the project delivered (issue 19): of its beoogde resultaten in the logic model,
               # the people it reached, and what it spent where that is public; each may be empty
               "resultaten_opgeleverd": t.getal("resultaten_opgeleverd", geheel=True, minimum=0),
               "bereik": t.getal("bereik", geheel=True, minimum=0),
               "uitgaven_euro": t.getal("uitgaven_euro", minimum=0),
               "toelichting": t.tekst("toelichting", verplicht=False)}
        projecten = {g: {p.id for p in lm.projecten} for g, lm in config.logicmodellen.items()}
        fout = pd.Series([g in projecten and p == p and p not in projecten[g]
                          for g, p in zip(uit["gebied"], uit["project"])], index=t.df.index)
        t.meld(fout, "project", "een project-id uit het logic model van het gebied van de rij",
               gevonden=(f"'{p}' voor gebied {g}" for g, p in zip(uit["gebied"][fout], uit["project"][fout])))
        beoogd = {(g, p.id): len(p.beoogde_resultaten) for g, lm in config.logicmodellen.items() for p in lm.projecten}
        aantal = pd.Series([beoogd.get((g, p), np.nan) for g, p in zip(uit["gebied"], uit["project"])],
                           index=t.df.index, dtype="float64")
        fout = uit["resultaten_opgeleverd"].gt(aantal)
        t.meld(fout, "resultaten_opgeleverd", "hoogstens het aantal beoogde resultaten van het project in het logic model",
               gevonden=(f"{r:g} van {a:g} voor project {p}" for r, a, p in
                         zip(uit["resultaten_opgeleverd"][fout], aantal[fout], uit["project"][fout])))
        fout = uit["mijlpalen_gerealiseerd"].gt(uit["mijlpalen_gepland"])
        t.meld(fout, "mijlpalen_gerealiseerd", "hoogstens mijlpalen_gepland",
               gevonden=(f"{r:g} > {p:g}" for r, p in zip(uit["mijlpalen_gerealiseerd"][fout],
                                                        uit["mijlpalen_gepland"][fout])))
        t.uniek(["gebied", "meting", "project"], "één rij per gebied, meting en project")
        return uit

    def _narratief(self, t: _Tabel) -> dict[str, pd.Series]:
        config = self.config
        uit = {"fragment_id": t.tekst("fragment_id"), "gebied": t.tekst("gebied", config.gebied),
               "meting": t.meting(config), "pijler": t.tekst("pijler", config.pijler),
               "groep": t.tekst("groep", GROEPEN), "thema": t.tekst("thema", verplicht=False),
               "sentiment": t.tekst("sentiment", SENTIMENTEN), "citaat": t.tekst("citaat")}
        t.uniek(["fragment_id"], "een fragment_id die uniek is in het bestand")
        return uit

    def _duiding(self, t: _Tabel) -> dict[str, pd.Series]:
        """A row without indicator explains a pijler; a row with one answers the duiding workbook for that
        indicator (herkend: ja, deels or nee; the text may then be empty only for 'ja')."""
        config, df = self.config, t.df
        uit = {"gebied": t.tekst("gebied", config.gebied), "meting": t.meting(config),
               "pijler": t.tekst("pijler", config.pijler),
               "indicator": t.tekst("indicator", config.indicator, verplicht=False,
                                    verwacht="een indicator-id uit indicatoren.yml of leeg (duiding van de pijler)"),
               "herkend": t.tekst("herkend", HERKEND, verplicht=False), "tekst": df["tekst"]}
        per_indicator = df["indicator"].notna()
        t.meld(per_indicator & df["herkend"].isna(), "herkend",
               f"bij een indicator een van {', '.join(HERKEND)} (herkent u dit?)")
        t.meld(~per_indicator & df["herkend"].notna(), "herkend", "leeg bij een duiding van de pijler (geen indicator)")
        t.meld(df["tekst"].isna() & ~(per_indicator & df["herkend"].eq("ja")), "tekst",
               "een tekst (alleen bij een indicator met herkend 'ja' mag die leeg zijn)")
        t.meld(df["tekst"].str.len().gt(DUIDING_MAX_TEKENS), "tekst", f"hoogstens {DUIDING_MAX_TEKENS} tekens",
               gevonden=(f"{n} tekens" for n in df["tekst"].str.len()[df["tekst"].str.len().gt(DUIDING_MAX_TEKENS)]))
        ind = df["indicator"].map(config.indicator.get)
        fout = pd.Series([i is not None and i == i and (p != i.pijler or (i.set != "kernset" and g not in i.gebieden))
                          for i, p, g in zip(ind, df["pijler"], df["gebied"])], index=df.index, dtype=bool)
        t.meld(fout, "indicator", "een indicator van de pijler van de rij, voor het gebied van de rij",
               gevonden=(f"'{i}' bij pijler {p}, gebied {g}" for i, p, g in
                         zip(df["indicator"][fout], df["pijler"][fout], df["gebied"][fout])))
        t.uniek(["gebied"], "één rij per gebied, meting, pijler en indicator (leeg: de pijler zelf)",
                df[["gebied", "meting", "pijler"]].assign(indicator=df["indicator"].fillna("-")))
        return uit

    def _netwerkgebied(self, t: _Tabel) -> pd.Series:
        gebieden = self.config.lokaal.gebieden("wijknetwerk")
        return t.tekst("gebied", gebieden, verwacht="een gebied met de module wijknetwerk in lokaal.yml ("
                                                    + (", ".join(gebieden) or "geen") + ")")

    def _organisaties(self, t: _Tabel) -> dict[str, pd.Series]:
        netwerk = self.config.lokaal.wijknetwerk
        uit = {"gebied": self._netwerkgebied(t), "organisatie": t.tekst("organisatie"), "naam": t.tekst("naam"),
               "domein": t.tekst("domein", list(netwerk.domein) if netwerk else []),
               "toestemming": t.tekst("toestemming", JA_NEE, verwacht="ja of nee (mag de naam in het boek?)")}
        t.uniek(["gebied", "organisatie"], "één rij per gebied en organisatie")
        return uit

    def _relaties(self, t: _Tabel) -> dict[str, pd.Series]:
        config, df = self.config, t.df
        netwerk = config.lokaal.wijknetwerk
        metingen = netwerk.metingen if netwerk else []
        m = t.getal("meting", geheel=True, verplicht=True)
        t.meld(m.notna() & ~m.isin(metingen), "meting",
               f"een meting van het wijknetwerk in lokaal.yml ({', '.join(map(str, metingen)) or 'geen'})")
        uit = {"gebied": self._netwerkgebied(t), "meting": m, "van": t.tekst("van"), "naar": t.tekst("naar"),
               "frequentie": t.tekst("frequentie", FREQUENTIES), "pijler": t.tekst("pijler", config.pijler)}
        org = self.tabellen.get("wijknetwerk_organisaties")
        bekend = set(zip(org["gebied"], org["organisatie"])) if org is not None else set()
        ongeldig = any(p.bestand == VASTE_BESTANDEN["wijknetwerk_organisaties"] for p in self.problemen)
        for k in ("van", "naar") if not ongeldig else ():  # an invalid organisations file is reported itself
            fout = pd.Series([v == v and g == g and (g, v) not in bekend for g, v in zip(df["gebied"], df[k])],
                             index=df.index, dtype=bool)
            t.meld(fout, k, "een organisatie van het gebied van de rij (lokaal/wijknetwerk_organisaties.csv)",
                   gevonden=(f"'{v}' in gebied {g}" for g, v in zip(df["gebied"][fout], df[k][fout])))
        t.meld(df["van"].notna() & df["van"].eq(df["naar"]), "naar", "een andere organisatie dan 'van'")
        t.uniek(["gebied", "meting", "van", "naar", "pijler"], "één rij per gebied, meting, van, naar en pijler")
        return uit

    def _schoolloopbaan(self, t: _Tabel) -> dict[str, pd.Series]:
        module = self.config.lokaal.schoolloopbaan
        gebieden = self.config.lokaal.gebieden("schoolloopbaan")
        cohorten = module.cohorten if module else []
        niveaus = [n.id for n in module.niveaus] if module else []
        c = t.getal("cohort", geheel=True, verplicht=True)
        t.meld(c.notna() & ~c.isin(cohorten), "cohort",
               f"een cohort van de schoolloopbaan in lokaal.yml ({', '.join(map(str, cohorten)) or 'geen'})")
        uit = {"gebied": t.tekst("gebied", gebieden, verwacht="een gebied met de module schoolloopbaan in lokaal.yml ("
                                                          + (", ".join(gebieden) or "geen") + ")"),
               "cohort": c,
               "woonplek": t.tekst("woonplek", WOONPLEKKEN),
               "schooladvies": t.tekst("schooladvies", niveaus),
               "niveau_leerjaar3": t.tekst("niveau_leerjaar3", niveaus),
               "uitkomst": t.tekst("uitkomst", [u.id for u in module.uitkomsten] if module else []),
               "aantal": t.getal("aantal", geheel=True, minimum=0, verplicht=True,
                                 verwacht="een geheel aantal leerlingen van 0 of meer")}
        a = uit["aantal"]
        t.meld(a.notna() & (a > MAX_LEERLINGEN), "aantal",
               "hoogstens " + f"{MAX_LEERLINGEN:,}".replace(",", ".") + " leerlingen in één cel (een cohort van een gemeente)")
        t.uniek(["gebied", "cohort", "woonplek", "schooladvies", "niveau_leerjaar3", "uitkomst"],
                "één rij per gebied, cohort, woonplek, schooladvies, niveau_leerjaar3 en uitkomst")
        return uit

    def _ruimte_plek(self, t: _Tabel) -> dict[str, pd.Series]:
        """gebied, meting and locatie of a row of the openbare ruimte: a location of the row's gebied."""
        module = self.config.lokaal.openbare_ruimte
        gebieden = self.config.lokaal.gebieden("openbare_ruimte")
        metingen = module.metingen if module else []
        m = t.getal("meting", geheel=True, verplicht=True)
        t.meld(m.notna() & ~m.isin(metingen), "meting",
               f"een meting van de openbare ruimte in lokaal.yml ({', '.join(map(str, metingen)) or 'geen'})")
        g = t.tekst("gebied", gebieden, verwacht="een gebied met de module openbare_ruimte in lokaal.yml ("
                                                 + (", ".join(gebieden) or "geen") + ")")
        locaties = {loc.id: loc.gebied for loc in module.locaties} if module else {}
        loc = t.tekst("locatie", locaties)
        # only for a known gebied and location: an unknown one is reported itself
        fout = pd.Series([l_ in locaties and g_ in gebieden and locaties[l_] != g_ for g_, l_ in zip(t.df["gebied"], loc)],
                         index=t.df.index, dtype=bool)
        t.meld(fout, "locatie", "een locatie van het gebied van de rij (openbare_ruimte.locaties in lokaal.yml)",
               gevonden=(f"'{l_}' in gebied {g_}" for g_, l_ in zip(t.df["gebied"][fout], loc[fout])))
        return {"gebied": g, "meting": m, "locatie": loc}

    def _tellingen(self, t: _Tabel) -> dict[str, pd.Series]:
        module = self.config.lokaal.openbare_ruimte
        ids = (lambda veld: [c.id for c in getattr(module, veld)]) if module else (lambda veld: [])
        uit = {**self._ruimte_plek(t), "telling": t.tekst("telling"), "dagdeel": t.tekst("dagdeel", ids("dagdelen")),
               "leeftijdsgroep": t.tekst("leeftijdsgroep", ids("leeftijdsgroepen")),
               "activiteit": t.tekst("activiteit", ids("activiteiten")),
               "aantal": t.getal("aantal", geheel=True, minimum=0, verplicht=True,
                                 verwacht="een geheel aantal mensen van 0 of meer")}
        a = uit["aantal"]
        t.meld(a.notna() & (a > MAX_GETELD), "aantal",
               "hoogstens " + f"{MAX_GETELD:,}".replace(",", ".") + " mensen van één leeftijdsgroep en activiteit "
               "in één telling")
        # a count is one round at one place in one dagdeel: its rows cannot disagree about the dagdeel
        sleutel = ["gebied", "meting", "locatie", "telling"]
        df = t.df[sleutel + ["dagdeel"]].dropna()
        df = df[df["dagdeel"].isin(ids("dagdelen"))]  # an unknown dagdeel is reported itself
        dagdelen = df.groupby(sleutel)["dagdeel"].transform("nunique")
        fout = pd.Series(False, index=t.df.index)
        fout[dagdelen.index[dagdelen > 1]] = True
        t.meld(fout, "dagdeel", "één dagdeel per telling (dezelfde gebied, meting, locatie en telling)")
        t.uniek(["gebied", "meting", "locatie", "telling", "leeftijdsgroep", "activiteit"],
                "één rij per gebied, meting, locatie, telling, leeftijdsgroep en activiteit")
        return uit

    def _beleving(self, t: _Tabel) -> dict[str, pd.Series]:
        module = self.config.lokaal.openbare_ruimte
        schaal = module.beleving.schaal if module else 0
        uit = {**self._ruimte_plek(t),
               "vraag": t.tekst("vraag", [v.id for v in module.beleving.vragen] if module else []),
               "antwoord": t.getal("antwoord", geheel=True, verplicht=True,
                                   verwacht=f"een antwoord van 1 tot en met {schaal} (beleving.schaal in lokaal.yml)"),
               "aantal": t.getal("aantal", geheel=True, minimum=0, verplicht=True,
                                 verwacht="een geheel aantal respondenten van 0 of meer")}
        b, a = uit["antwoord"], uit["aantal"]
        t.meld(b.notna() & ((b < 1) | (b > schaal)), "antwoord",
               f"een antwoord van 1 tot en met {schaal} (beleving.schaal in lokaal.yml)")
        t.meld(a.notna() & (a > MAX_ANTWOORDEN), "aantal",
               "hoogstens " + f"{MAX_ANTWOORDEN:,}".replace(",", ".") + " respondenten met één antwoord op één locatie")
        t.uniek(["gebied", "meting", "locatie", "vraag", "antwoord"],
                "één rij per gebied, meting, locatie, vraag en antwoord")
        return uit

    # -- integrity

    def _controleer_manifest(self) -> None:
        naam = "MANIFEST.sha256"
        voor = len(self.problemen)
        tekst = self._lees_bytes(naam).decode("utf-8", errors="replace")
        for nr, regel in enumerate(tekst.splitlines(), start=1):
            if not regel.strip() or regel.startswith("#"):
                continue
            m = re.fullmatch(r"([0-9a-f]{64}) [ *](.+)", regel.strip())
            if not m:
                self.problemen.append(Probleem(naam, [nr], None, "'<sha256>  <bestand>'", f"'{regel}'"))
            elif (self.map / m.group(2)).is_file():
                if hashlib.sha256((self.map / m.group(2)).read_bytes()).hexdigest() != m.group(1):
                    self.problemen.append(Probleem(naam, [nr], None, f"de sha256 van {m.group(2)} zoals vermeld",
                                                   "een ander controlegetal (het bestand is gewijzigd)" + _ZONDER_MANIFEST))
            else:
                self.problemen.append(Probleem(naam, [nr], None, f"het bestand {m.group(2)}",
                                               "geen bestand" + _ZONDER_MANIFEST))
        if self._foutloos(naam, voor):
            self.status[naam] = "ok: alle controlegetallen kloppen"

    # -- result

    def gegevens(self) -> Gegevens:
        survey = {}
        for bron, delen in self.survey.items():
            schema = {"respondent_id": str, "jaar": int, "meting": int, **dict.fromkeys(SURVEY_KOLOMMEN[2:], str),
                      "gewicht": float, **dict.fromkeys(_survey_items(self.config, bron), float)}
            survey[bron] = pd.concat(delen, ignore_index=True) if delen else _leeg(schema)
        register = pd.DataFrame({"gebiedscode": pd.Series(dtype="str"), "jaar": pd.Series(dtype="int64")})
        for _, f in self.register:
            register = register.merge(f, on=["gebiedscode", "jaar"], how="outer")
        register = register.sort_values(["gebiedscode", "jaar"], ignore_index=True)
        alle = [m.jaar for m in self.config.metingen]
        return Gegevens(
            map=self.map, databron=self.databron, survey=survey, register=register,
            **{soort: self.tabellen[soort].reset_index(drop=True) for soort in SCHEMAS},
            metingen=sorted(self.metingen), ontbrekende_metingen=[m for m in alle if m not in self.metingen],
            bestanden=dict(sorted(self.bestanden.items())), ontbrekende_bronnen=self.ontbrekende_bronnen(),
        )

    def ontbrekende_bronnen(self) -> dict[int, list[str]]:
        """Per meting with data: the survey and register bronnen of the catalogue without data for it."""
        config = self.config
        bronnen = list(dict.fromkeys(i.bron for i in config.indicatoren))
        survey = {(b, int(d["meting"].iloc[0])) for b, delen in self.survey.items() for d in delen if len(d)}
        register = {(naam.removeprefix("register/").removesuffix(".csv"), int(j))
                    for naam, f in self.register for j in set(f["jaar"])}
        gelezen = {n for n, _ in self.register}

        def geleverd(b: str, m) -> bool:
            """Data, or a file that is there but has problems (those are reported, not 'still to come')."""
            if config.bron[b].soort == "survey":
                return (b, m.jaar) in survey or bool(_survey_bestanden(self.map, b, m.peiljaren[b], self.exportbestanden))
            naam = f"register/{b}.csv"
            return (b, m.peiljaren[b]) in register or (naam in self.register_bestanden and naam not in gelezen)

        uit = {}
        for m in config.metingen:
            if m.jaar not in self.metingen:
                continue
            mist = [b for b in bronnen if not geleverd(b, m)]
            if mist:
                uit[m.jaar] = mist
        return uit


def controleer_duiding(data: bytes, config: Configuratie) -> pd.DataFrame:
    """The bytes of a duiding/duiding.csv checked exactly as in a data folder: the typed table, or DataFout."""
    naam = VASTE_BESTANDEN["duiding"]
    lader = _Lader(Path("."), config, inhoud={naam: data})
    lader._lees_vast("duiding", naam, lader._duiding)
    if lader.problemen:
        raise DataFout(lader.problemen)
    return lader.tabellen["duiding"]


def duiding_csv(tabel: pd.DataFrame) -> bytes:
    """A duiding table as the file of data/FORMAAT.md (Dutch style: ';', UTF-8 with BOM); empty cells empty."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(list(SCHEMAS["duiding"]))
    for rij in tabel[list(SCHEMAS["duiding"])].itertuples(index=False):
        w.writerow(["" if pd.isna(v) else (str(int(v)) if k == "meting" else str(v))
                    for k, v in zip(SCHEMAS["duiding"], rij)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def laad_gegevens(data_map: Path | str, config: Configuratie) -> Gegevens:
    """Read and validate a data folder; raises DataFout with every problem of every file."""
    lader = _Lader(Path(data_map), config)
    lader.lees()
    if lader.problemen:
        raise DataFout(lader.problemen, data_map)
    return lader.gegevens()


def controleer_map(data_map: Path | str, config: Configuratie) -> list[tuple[str, str]]:
    """Per-file report lines (file, text) for `vwanalyse data check`; problems start with 'fout:'.

    A meting whose survey (or register) is not delivered yet is a line 'let op:' (not a problem).
    A folder without problems is followed by what each gebied has (`volledigheid.rapport`; lines
    starting with 'waarschuwing:' do not make the check fail).
    """
    from vwanalyse.invoer import volledigheid

    lader = _Lader(Path(data_map), config)
    lader.lees()
    let_op = [("metingen", f"let op: {tekst}") for tekst in ontbrekend_tekst(lader.ontbrekende_bronnen(), config)]
    if lader.problemen:
        return lader.rapport() + let_op
    return lader.rapport() + let_op + volledigheid.rapport(lader.gegevens(), config)


def ontbrekend_tekst(ontbrekend: dict[int, list[str]], config: Configuratie) -> list[str]:
    """'meting 2025: nog geen gegevens van ... (survey/ggd_gezondheidsmonitor_2024.csv)', per meting."""
    regels = []
    for jaar, bronnen in sorted(ontbrekend.items()):
        peiljaren = config.meting[jaar].peiljaren
        waar = [f"{b} ({f'survey/{b}_{peiljaren[b]}.csv' if config.bron[b].soort == 'survey' else f'register/{b}.csv, jaar {peiljaren[b]}'})"
                for b in bronnen]
        regels.append(f"meting {jaar}: nog geen gegevens van {', '.join(waar)}; de pagina's van deze meting "
                      "zeggen dat die cijfers volgen")
    return regels


def lees_map(data_map: Path | str, config: Configuratie) -> _Lader:
    """The loader after reading a folder: its problems, and per survey and register file the cells
    after kolommen.yml (`omgezet`); for `vwanalyse data importeer`."""
    lader = _Lader(Path(data_map), config)
    lader.lees()
    return lader


def formaat_kolommen(config: Configuratie, naam: str) -> list[str]:
    """The columns of data/FORMAAT.md a survey or register file of this name can have."""
    bron = re.sub(r"^(survey|register)/|(_\d{4})?\.[a-z]+$", "", naam)
    return _Lader(Path("."), config)._kolomnamen(bron)
