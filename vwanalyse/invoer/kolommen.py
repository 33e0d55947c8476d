"""kolommen.yml of a data folder: how the columns and values of a real export map to data/FORMAAT.md.

Per bron, per column of ours, either the export's name (`gewicht: EWGGD`) or a mapping with
`kolom` (the export's name), `codes` (export value -> our value, e.g. 1 -> man) and `ontbrekend`
(export values that mean missing, e.g. 9). The user-missing codes an SPSS file declares are
missing as well. `pas_toe` recodes one file's values; `controleer_labels` compares the value
labels of an SPSS export with the `labels` of the catalogue. Both return problems, never raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import pandas as pd

from vwanalyse.invoer.spss import Spssinfo, code_tekst
from vwanalyse.model.configuratie import Indicator
from vwanalyse.model.schema import ConfigFout, bouw


@dataclass(frozen=True)
class Vertaling:
    """One column of ours in an export: its name there, and how its values translate."""

    kolom: str
    codes: Optional[dict[str, str]] = None
    ontbrekend: list[str] = field(default_factory=list)


BESTANDEN = "bestanden"  # the key under a bron that names its export files and their peiljaar
_EXPORTNAAM = re.compile(r"[^/\\]+\.(csv|sav|zsav)", flags=re.IGNORECASE)


def lees_bestanden(waarde, bestand: Path | str) -> dict[str, tuple[str, int]]:
    """The `bestanden` entries of parsed kolommen.yml: 'survey/<name>' -> (bron, peiljaar).
    Raises ConfigFout naming the entry for a bad name, a bad year or a file named twice."""
    uit: dict[str, tuple[str, int]] = {}
    for bron, vertalingen in (waarde.items() if isinstance(waarde, dict) else []):
        if not isinstance(vertalingen, dict) or BESTANDEN not in vertalingen:
            continue
        plek = f"{bron}.{BESTANDEN}"
        namen = vertalingen[BESTANDEN]
        if not isinstance(namen, dict) or not namen:
            raise ConfigFout(bestand, plek, "verwacht: een mapping van bestandsnamen in survey/ naar hun peiljaar "
                                            f"(zoals GM2024_export.sav: 2024), gevonden: {namen!r}")
        for naam, jaar in namen.items():
            if not isinstance(naam, str) or not _EXPORTNAAM.fullmatch(naam):
                raise ConfigFout(bestand, plek, "verwacht: een bestandsnaam in survey/ op .csv, .sav of .zsav "
                                                f"(zonder map), gevonden: {naam!r}")
            if isinstance(jaar, bool) or not isinstance(jaar, int) or not 1900 <= jaar <= 2100:
                raise ConfigFout(bestand, f"{plek}.{naam}", f"verwacht: een peiljaar (een jaartal), gevonden: {jaar!r}")
            pad = f"survey/{naam}"
            if pad in uit:
                raise ConfigFout(bestand, f"{plek}.{naam}", f"verwacht: elk bestand onder één bron, gevonden: ook "
                                                            f"onder {uit[pad][0]}.{BESTANDEN}")
            uit[pad] = (str(bron), jaar)
    return uit


def lees_vertalingen(waarde, bestand: Path | str) -> dict[str, dict[str, Vertaling]]:
    """Parsed kolommen.yml -> bron -> our column -> Vertaling (without `bestanden`, see
    lees_bestanden); raises ConfigFout naming the entry."""
    if not isinstance(waarde, dict):
        bouw(dict[str, dict], waarde, bestand, "")  # raises with the usual message
    uit: dict[str, dict[str, Vertaling]] = {}
    for bron, vertalingen in waarde.items():
        if not isinstance(vertalingen, dict):
            raise ConfigFout(bestand, str(bron), f"verwacht: een mapping van kolomnamen, gevonden: {vertalingen!r}")
        uit[bron] = {}
        for ons, v in vertalingen.items():
            if ons == BESTANDEN:
                continue
            plek = f"{bron}.{ons}"
            if isinstance(v, dict):
                v = dict(v)
                if isinstance(v.get("codes"), dict):
                    v["codes"] = {code_tekst(a): code_tekst(b) for a, b in v["codes"].items()}
                if isinstance(v.get("ontbrekend"), list):
                    v["ontbrekend"] = [code_tekst(a) if isinstance(a, (int, float, str)) else a
                                       for a in v["ontbrekend"]]
                uit[bron][ons] = bouw(Vertaling, v, bestand, plek)
            else:
                uit[bron][ons] = Vertaling(bouw(str, v, bestand, plek))
    return uit


def _lijst(waarden) -> str:
    return ", ".join(f"'{w}'" for w in waarden)


def als_code(s: pd.Series) -> pd.Series:
    """Numbers spelled as code_tekst spells them ('1.0', '01', '+1' -> '1', '2.50' -> '2.5'), so
    the cells of a CSV export match the codes of kolommen.yml; other text stays as it is."""
    getal = pd.to_numeric(s, errors="coerce")
    tekst = pd.Series([code_tekst(float(g)) if g == g else None for g in getal], index=s.index, dtype="str")
    return tekst.where(getal.notna(), s)


def ontbrekende_codes(v: Optional[Vertaling], variabele: str, info: Optional[Spssinfo]) -> set[str]:
    """The export values of a variable that mean missing: kolommen.yml's `ontbrekend` and the
    discrete user-missing codes the SPSS file declares."""
    codes = set(v.ontbrekend) if v else set()
    if info is not None:
        codes |= info.ontbrekend.get(variabele, set())
    return codes


def pas_toe(df: pd.DataFrame, vertalingen: dict[str, Vertaling], info: Optional[Spssinfo],
            meld: Callable[[pd.Series, str, str], None]) -> tuple[pd.DataFrame, dict[str, int]]:
    """Recode the (already renamed) columns of one file: missing codes -> missing, `codes` -> our
    values. `meld(fout, kolom, verwacht)` reports the rows of a value without a translation (those
    become missing, so no later check reports them again). Returns the frame and, per column, how
    many cells became missing through a missing code."""
    uit = df.copy()
    ontbrekend_geteld: dict[str, int] = {}
    export_naam = {ons: v.kolom for ons, v in vertalingen.items()}
    for kolom in uit.columns:
        v = vertalingen.get(kolom)
        variabele = export_naam.get(kolom, kolom)
        s = uit[kolom]
        if v is not None and (v.codes is not None or v.ontbrekend):
            s = als_code(s)  # a CSV export's '1.0' is code 1, as in an SPSS file
        missend = s.isin(sorted(ontbrekende_codes(v, variabele, info)))
        if info is not None and variabele in info.bereiken:
            getal = pd.to_numeric(s, errors="coerce")
            for lo, hi in info.bereiken[variabele]:
                missend |= getal.between(lo, hi)
        if missend.any():
            ontbrekend_geteld[kolom] = int(missend.sum())
            s = s.mask(missend)
        if v is not None and v.codes is not None:
            bekend = s.isin(list(v.codes))
            fout = s.notna() & ~bekend
            ontbr = sorted(ontbrekende_codes(v, variabele, info))
            meld(fout, kolom, f"een waarde uit codes van '{kolom}' in kolommen.yml ({_lijst(v.codes)})"
                 + (f" of een ontbrekende waarde ({_lijst(ontbr)})" if ontbr else ""))
            s = s.map(v.codes).where(bekend)
        uit[kolom] = s.astype("str")
    return uit, ontbrekend_geteld


def _gewoon(tekst: str) -> str:
    return re.sub(r"\s+", " ", tekst).strip().casefold()


def controleer_labels(ons: str, indicatoren: list[Indicator], v: Optional[Vertaling], info: Spssinfo
                      ) -> list[tuple[str, str]]:
    """(verwacht, gevonden) for every value label of the export's variable of item `ons` that does
    not match the catalogue: a label on a code that maps to no geldige code (a new answer category,
    unless it is a missing code), or a label that differs from the catalogue's for the same code."""
    ind = next((i for i in indicatoren if i.berekening.labels), None)
    variabele = v.kolom if v else ons
    export = info.labels.get(variabele)
    if ind is None or not export:
        return []
    catalogus = {str(c): t for c, t in ind.berekening.labels.items()}
    ontbr = ontbrekende_codes(v, variabele, info)
    naar = {e: (v.codes.get(e) if v and v.codes is not None else e) for e in export if e not in ontbr}
    aantal = {c: sum(1 for d in naar.values() if d == c) for c in catalogus}
    bron = f"labels van {ind.id} in indicatoren.yml"
    uit = []
    for e, doel in naar.items():
        via = f" (in de export {e})" if doel != e else ""
        if doel not in catalogus:
            uit.append((f"bij elk label van de export een geldige code ({', '.join(f'{c} {t!r}' for c, t in catalogus.items())}; "
                        f"{bron}) of een ontbrekende waarde (kolommen.yml: ontbrekend)",
                        f"code {e} met label '{export[e]}'" + ("" if doel is None else
                                                                   f", vertaald naar {doel}" if doel != e else "")))
        elif aantal[doel] == 1 and _gewoon(export[e]) != _gewoon(catalogus[doel]):
            uit.append((f"bij code {doel}{via} het label '{catalogus[doel]}' ({bron})", f"'{export[e]}'"))
    return uit

