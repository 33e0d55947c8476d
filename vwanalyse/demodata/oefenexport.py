"""A rehearsal export: the demo data as a GGD would deliver them, as SPSS files with their own names.

`schrijf_oefenexport` writes the demo folder's surveys as SPSS files (the Gezondheidsmonitor as
.sav, other surveys as .zsav) the way a real export looks: variable names of the export, value
labels (from the catalogue's `labels`), numeric codes for geslacht and leeftijdsklasse,
yes/no items coded 1 = ja, 2 = nee, missing answers as codes (9, declared user-missing in the
file, for items with labels; 99, not declared, for scores), and a kolommen.yml that maps all of
it back. The Gezondheidsmonitor files have the GGD's own name (GM2024_export.sav) and no year
column; kolommen.yml's `bestanden` gives their peiljaar. The other files are the demo files unchanged; there is no MANIFEST.sha256. After
`vwanalyse data importeer` the folder gives the same results table as the demo folder.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from vwanalyse.basis.bestanden import atomaire_map
from vwanalyse.demodata.generator import bestanden
from vwanalyse.demodata.waarheid import Demowaarheid
from vwanalyse.model.configuratie import Configuratie, Indicator

# the export's names of the fixed columns of data/FORMAAT.md (in the style of a GGD export)
VASTE_NAMEN = {"respondent_id": "RESPNR", "jaar": "JAAR", "gemeentecode": "GEMCODE", "wijkcode": "WKCODE",
               "buurtcode": "BUCODE", "stratum": "STRATUM", "psu": "PSU", "gewicht": "EWGGD",
               "leeftijdsklasse": "LFTKLAS", "geslacht": "GESLACHT"}
TEKSTKOLOMMEN = ("respondent_id", "gemeentecode", "wijkcode", "buurtcode", "stratum", "psu")
GESLACHT = {1: "man", 2: "vrouw", 3: "anders"}
ONTBREKEND_GELABELD = 9   # declared user-missing in the SPSS file
ONTBREKEND_SCORE = 99     # not declared: kolommen.yml says it is missing
BESTANDEN = "bestanden"   # kolommen.yml's key for file -> peiljaar (invoer.kolommen.BESTANDEN; demodata may not import invoer)
DATABRON = {"naam": "Oefenexport (synthetisch)", "demodata": True,
            "omschrijving": "De synthetische demodata als SPSS-export in de vorm van een GGD-levering (eigen "
                            "variabelenamen, waardelabels, ontbrekende codes), gemaakt door `vwanalyse demodata "
                            "--oefenexport`; na `vwanalyse data importeer` dezelfde resultaten als de demodata."}


def _lees(inhoud: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(inhoud.decode("utf-8-sig")), delimiter=";"))


def _item_indicator(config: Configuratie, bron: str) -> dict[str, Indicator]:
    """Item column -> the first survey indicator of this bron on it (one with labels when there is one)."""
    uit: dict[str, Indicator] = {}
    for ind in config.indicatoren:
        if ind.is_survey and ind.bron == bron and (ind.berekening.item not in uit or ind.berekening.labels):
            uit.setdefault(ind.berekening.item, ind)
            if ind.berekening.labels:
                uit[ind.berekening.item] = ind
    return uit


def _naam(bron: str, kolom: str) -> str:
    return VASTE_NAMEN.get(kolom) or ("".join(w[0] for w in bron.split("_")) + "_" + kolom).upper()


def _survey(kop: list[str], rijen: list[list[str]], bron: str, items: dict[str, Indicator], leeftijden: list[str]):
    """(columns of the export, value labels, user-missing codes, kolommen.yml entries) of one survey file."""
    import pandas as pd

    kolommen, labels, missend, vertaling = {}, {}, {}, {}
    for i, kolom in enumerate(kop):
        naam, waarden = _naam(bron, kolom), [r[i] for r in rijen]
        if kolom in TEKSTKOLOMMEN:
            kolommen[naam] = waarden
            vertaling[kolom] = naam
            continue
        if kolom == "geslacht":
            code = {v: k for k, v in GESLACHT.items()}
            kolommen[naam] = [float(code[v]) if v else float("nan") for v in waarden]
            labels[naam] = {float(k): v.capitalize() for k, v in GESLACHT.items()}
            vertaling[kolom] = {"kolom": naam, "codes": dict(GESLACHT)}
            continue
        if kolom == "leeftijdsklasse":
            codes = {k: v for k, v in enumerate(leeftijden, start=1)}
            index = {v: k for k, v in codes.items()}
            kolommen[naam] = [float(index[v]) if v else float("nan") for v in waarden]
            labels[naam] = {float(k): f"{v} jaar" for k, v in codes.items()}
            vertaling[kolom] = {"kolom": naam, "codes": codes}
            continue
        getallen = [float(v.replace(",", ".")) if v else None for v in waarden]
        ind = items.get(kolom)
        cat = ind.berekening.labels if ind is not None else None
        if cat and sorted(cat) == [0, 1]:  # yes/no as SPSS exports code it: 1 = yes, 2 = no
            kolommen[naam] = [float(ONTBREKEND_GELABELD) if g is None else (1.0 if g == 1 else 2.0) for g in getallen]
            labels[naam] = {1.0: cat[1], 2.0: cat[0], float(ONTBREKEND_GELABELD): "geen antwoord"}
            missend[naam] = [ONTBREKEND_GELABELD]
            vertaling[kolom] = {"kolom": naam, "codes": {1: 1, 2: 0}}
        elif cat:
            kolommen[naam] = [float(ONTBREKEND_GELABELD) if g is None else g for g in getallen]
            labels[naam] = {**{float(k): v for k, v in cat.items()}, float(ONTBREKEND_GELABELD): "geen antwoord"}
            missend[naam] = [ONTBREKEND_GELABELD]
            vertaling[kolom] = naam
        elif kolom in items:  # a score without labels; its missing code is declared only in kolommen.yml
            kolommen[naam] = [float(ONTBREKEND_SCORE) if g is None else g for g in getallen]
            vertaling[kolom] = {"kolom": naam, "ontbrekend": [ONTBREKEND_SCORE]}
        else:  # jaar, gewicht
            kolommen[naam] = [float("nan") if g is None else g for g in getallen]
            vertaling[kolom] = naam
    return pd.DataFrame(kolommen), labels, missend, vertaling


def schrijf_oefenexport(doel: Path | str, config: Configuratie, dw: Demowaarheid | None = None) -> list[str]:
    """Write the rehearsal export to `doel` (a new or empty folder, written whole or not at all);
    returns the files written."""
    import pyreadstat

    inhoud = bestanden(config, dw)
    kolommen_yml: dict[str, dict] = {}
    geschreven = []
    with atomaire_map(doel) as tmp:
        for pad, data in sorted(inhoud.items()):
            if pad in ("waarheid.csv", "WAARHEID.md", "databron.yml"):
                continue
            if not pad.startswith("survey/"):
                (tmp / pad).parent.mkdir(parents=True, exist_ok=True)
                (tmp / pad).write_bytes(data)
                geschreven.append(pad)
                continue
            bron = next(b.id for b in config.bronnen if pad.startswith(f"survey/{b.id}_"))
            kop, *rijen = _lees(data)
            leeftijden = sorted({r[kop.index("leeftijdsklasse")] for b, d in inhoud.items()
                                 if b.startswith(f"survey/{bron}_") for r in _lees(d)[1:]} - {""})
            zsav = bron != "ggd_gezondheidsmonitor"
            if zsav:
                naam = pad.removesuffix(".csv") + ".zsav"
            else:  # the GGD's own file name and no year column: kolommen.yml's `bestanden` gives the peiljaar
                peiljaar = int(pad.removesuffix(".csv").rsplit("_", 1)[1])
                naam = f"survey/GM{peiljaar}_export.sav"
                kolommen_yml.setdefault(bron, {}).setdefault(BESTANDEN, {})[naam.removeprefix("survey/")] = peiljaar
                j = kop.index("jaar")
                kop, rijen = kop[:j] + kop[j + 1:], [r[:j] + r[j + 1:] for r in rijen]
            df, labels, missend, vertaling = _survey(kop, rijen, bron, _item_indicator(config, bron), leeftijden)
            kolommen_yml.setdefault(bron, {}).update(vertaling)
            (tmp / naam).parent.mkdir(parents=True, exist_ok=True)
            pyreadstat.write_sav(df, str(tmp / naam), compress=zsav, variable_value_labels=labels,
                                 missing_ranges=missend, file_label=f"{bron} (oefenexport)")
            geschreven.append(naam)
        (tmp / "kolommen.yml").write_text(
            "# Oefenexport: de namen en codes van de export -> data/FORMAAT.md (zie daar, 'Echte GGD-microdata').\n"
            + yaml.safe_dump(kolommen_yml, allow_unicode=True, sort_keys=False), encoding="utf-8")
        (tmp / "databron.yml").write_text(yaml.safe_dump(DATABRON, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
        geschreven += ["kolommen.yml", "databron.yml"]
    return geschreven
