"""`vwanalyse data importeer EXPORT DOEL`: a real export folder (SPSS or CSV files with the names and
codes of the export, translated by its kolommen.yml) becomes a data folder in the format of
data/FORMAAT.md, with our column names and codes, that needs no kolommen.yml any more.

The export is validated first (the same checks as `data check`); with a problem nothing is written.
The new folder is written whole in a temporary folder, checked again, and only then put in place.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from vwanalyse.basis.bestanden import atomaire_map
from vwanalyse.basis.fouten import ParameterFout
from vwanalyse.invoer.bronnen import DataFout, formaat_kolommen, laad_gegevens, lees_map
from vwanalyse.model.configuratie import Configuratie

NIET_OVERGENOMEN = ("kolommen.yml", "MANIFEST.sha256")  # the translation is done; the checksums were of the export


def _csv(df) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(df.columns)
    for rij in df.itertuples(index=False):
        w.writerow(["" if v is None or v != v else v for v in rij])
    return buf.getvalue().encode("utf-8")


def importeer_map(export: Path | str, doel: Path | str, config: Configuratie) -> list[str]:
    """Convert `export` into the data folder `doel` (new or empty); returns the report lines."""
    export, doel = Path(export), Path(doel)
    if doel.exists() and (not doel.is_dir() or any(doel.iterdir())):
        raise ParameterFout(f"{doel} bestaat al en is niet leeg; kies een nieuwe of lege map voor de import")
    lader = lees_map(export, config)
    if lader.problemen:
        raise DataFout(lader.problemen, export)
    verslag = []
    with atomaire_map(doel) as tmp:
        for naam in lader.bestanden:
            if naam in NIET_OVERGENOMEN:
                continue
            if naam in lader.omgezet:
                df = lader.omgezet[naam]
                if naam in lader.survey_van:  # also a file kolommen.yml's `bestanden` names (GM2024_export.sav)
                    nieuw = "survey/{}_{}.csv".format(*lader.survey_van[naam])
                else:
                    nieuw = naam.rsplit(".", 1)[0] + ".csv"
                kolommen = [k for k in formaat_kolommen(config, nieuw) if k in df.columns]
                (tmp / nieuw).parent.mkdir(parents=True, exist_ok=True)
                (tmp / nieuw).write_bytes(_csv(df[kolommen]))
                bron = [b for b, v in lader.kolommen.items() if nieuw.startswith((f"survey/{b}_", f"register/{b}."))]
                vertaald = lader.kolommen.get(bron[0], {}) if bron else {}
                namen = [f"{v.kolom} -> {k}" for k, v in vertaald.items() if k in kolommen and v.kolom != k]
                codes = [f"{k} ({len(v.codes)} codes)" for k, v in vertaald.items() if k in kolommen and v.codes]
                ontbrekend = lader.ontbrekend_gemeld.get(naam, {})
                verslag.append(
                    f"{naam} -> {nieuw}: {len(df):,} rijen".replace(",", ".")
                    + (f"; hernoemd: {', '.join(namen)}" if namen else "")
                    + (f"; gehercodeerd: {', '.join(codes)}" if codes else "")
                    + (f"; als ontbrekend gelezen: {', '.join(f'{k} {n}' for k, n in ontbrekend.items())}"
                       if ontbrekend else "")
                    + (f"; niet overgenomen: {', '.join(k for k in df.columns if k not in kolommen)}"
                       if len(kolommen) < len(df.columns) else ""))
            else:
                (tmp / naam).parent.mkdir(parents=True, exist_ok=True)
                (tmp / naam).write_bytes((export / naam).read_bytes())
                verslag.append(f"{naam}: overgenomen")
        laad_gegevens(tmp, config)  # the new folder passes the same checks (raises DataFout otherwise)
    return verslag
