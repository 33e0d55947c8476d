"""The one vocabulary of what a reader sees: symbols and words for outcomes, areas, statuses, labels.

Every table, figure and page takes its symbols and words from here, so a symbol means one thing
in the whole book. The outcome codes themselves (what a comparison concluded) are
`statistiek.oordelen.OORDELEN`; this module only says how each is shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import pandas as pd

from vwanalyse.model.configuratie import Configuratie, Indicator
from vwanalyse.statistiek.oordelen import OORDELEN

# Okabe & Ito (2008), "Color Universal Design": safe for colour-blind readers
OKABE_ITO = {
    "zwart": "#000000", "oranje": "#E69F00", "hemelsblauw": "#56B4E9", "blauwgroen": "#009E73",
    "geel": "#F0E442", "blauw": "#0072B2", "vermiljoen": "#D55E00", "roodpaars": "#CC79A7",
    "grijs": "#7F7F7F",
}


# ---------------------------------------------------------------- outcomes of comparisons


@dataclass(frozen=True)
class Oordeel:
    """How one test outcome is shown, in tables (teken + tekst) and figures (marker + label)."""

    teken: str  # a Unicode symbol for tables and figure labels
    tekst: str  # short Dutch label
    uitleg: str  # one-line explanation for legends
    marker: str  # matplotlib marker
    gevuld: bool
    kleur: str


# How each outcome code is shown; colour never carries the meaning alone (marker shape and words do).
OORDEEL_WEERGAVE: dict[str, Oordeel] = {
    "gunstiger": Oordeel("▲", "gunstiger", "significant gunstiger", "^", True, OKABE_ITO["blauwgroen"]),
    "ongunstiger": Oordeel("▼", "ongunstiger", "significant ongunstiger", "v", True, OKABE_ITO["vermiljoen"]),
    "geen_verschil": Oordeel("●", "niet significant", "geen significant verschil", "o", True, OKABE_ITO["grijs"]),
    "hoger": Oordeel("△", "hoger", "significant hoger (hoger is niet gunstiger of ongunstiger)", "^", False,
                     OKABE_ITO["blauw"]),
    "lager": Oordeel("▽", "lager", "significant lager (lager is niet gunstiger of ongunstiger)", "v", False,
                     OKABE_ITO["blauw"]),
    "niet_getoetst": Oordeel("○", "niet getoetst", "niet getoetst (geen betrouwbaarheidsinterval of een waarde ontbreekt)",
                             "o", False, OKABE_ITO["grijs"]),
    "trendbreuk": Oordeel("‖", "trendbreuk", "trendbreuk: meetmethode gewijzigd, niet vergelijkbaar", "|", False,
                          OKABE_ITO["grijs"]),
}
# in the order of statistiek.oordelen, which a test keeps in step with OORDEEL_WEERGAVE
VOLGORDE_OORDELEN = [o for o in OORDELEN if o in OORDEEL_WEERGAVE]


def oordeel_weergave(code) -> Optional[Oordeel]:
    """How an oordeel of the results table is shown (None for an empty cell)."""
    if code is None or (isinstance(code, float) and math.isnan(code)) or code is pd.NA:
        return None
    return OORDEEL_WEERGAVE.get(str(code))


def oordeel_label(code) -> str:
    """'▲ gunstiger', '● niet significant', ... ('' for an empty cell)."""
    o = oordeel_weergave(code)
    return f"{o.teken} {o.tekst}" if o else ""


def reden_tekst(reden: str) -> str:
    """The suppression reason of the results table in plain Dutch."""
    reden = str(reden)
    if reden.startswith("n<"):
        return f"minder dan {reden[2:]} respondenten ({reden})"
    if reden.startswith("cel<"):
        return f"minder dan {reden[4:]} respondenten met of zonder het kenmerk ({reden})"
    if reden.startswith(">"):
        return f"meer dan {reden[1:]} van de antwoorden ({reden})"
    return reden


# ---------------------------------------------------------------- areas


def rol_namen(config: Configuratie, gebied_id: str) -> dict[str, str]:
    """The name of each area a row of this gebied can be about, as in running text ('rest van Zeist')."""
    g = config.gebied[gebied_id]
    gemeente = config.gemeente[g.gemeente].naam
    return {"wijk": g.naam, "rest_gemeente": f"rest van {gemeente}", "gemeente": f"gemeente {gemeente}",
            "provincie": f"provincie {config.gebieden_bestand.provincie.naam}",
            "nederland": config.gebieden_bestand.land.naam}


def met_hoofdletter(tekst: str) -> str:
    """'rest van Zeist' -> 'Rest van Zeist' (a table heading or the start of a cell)."""
    return tekst[:1].upper() + tekst[1:]


# ---------------------------------------------------------------- words for configuration values


# the indicator's richting in a sentence ('... , hoger is gunstig') and in a table cell
RICHTING = {"hoger_gunstig": "hoger is gunstig", "lager_gunstig": "lager is gunstig",
            "neutraal": "geen voorkeursrichting"}
RICHTING_KORT = {**RICHTING, "neutraal": "neutraal"}
STATISTIEK = {
    "survey_proportie": "gewogen percentage (enquête)",
    "survey_gemiddelde": "gewogen gemiddelde (enquête)",
    "register_rate": "ratio uit registratie",
    "register_aandeel": "aandeel uit registratie",
}
BRON_SOORT = {"survey": "enquête", "register": "registratie", "proces": "projectadministratie",
              "narratief": "gesprekken en interviews"}
# the status of a project (proces data) and of an amount of money (logic models)
PROJECTSTATUS = {"niet_gestart": "niet gestart", "loopt": "loopt", "vertraagd": "vertraagd", "afgerond": "afgerond",
                 "gestopt": "gestopt"}
# the answer of the gemeente to "herkent u dit?" (duiding per indicator), as the book says it
HERKEND = {"ja": "herkend", "deels": "deels herkend", "nee": "niet herkend"}
BEDRAGSTATUS = {
    "bekend": "bekend",
    "vertrouwelijk": "vertrouwelijk",
    "onbekend": "onbekend",
    "ontbreekt": "niet vermeld in de bron",
    "elders_gefinancierd": "elders gefinancierd",
    "regeltotaal": "deel van een regeltotaal",
}


# ---------------------------------------------------------------- labels: link targets in the book


SIGNIFICANTIE_LABEL = "uitleg-significantie"  # the explanation of significance and of the signs


def indicator_label(indicator_id: str) -> str:
    """The target of an indicator's definition in the appendix Indicatoren."""
    return f"indicator-{indicator_id.replace('_', '-')}"


def indicator_ref(ind: Indicator) -> str:
    """The indicator's name, linked to its definition ('<' and '>' would end the link target)."""
    naam = ind.naam.replace("<", "").replace(">", "").replace("\n", " ").strip()
    return f"{{ref}}`{naam} <{indicator_label(ind.id)}>`"


FACTSHEET = "factsheet"  # the template whose pages are also printed as a PDF (boek.drukwerk)
LOGICMODEL_SCHEMA = "wijkprofiel"  # the template that draws a wijk's logic model; the report prints only that
PDF_MAP = "pdf"  # the folder of the PDFs in the site


def pdf_pad(paginanaam: str) -> str:
    """Where the PDF of a site page lies in the site ('pdf/factsheet-overvecht-2025.pdf')."""
    return f"{PDF_MAP}/{paginanaam}.pdf"


def download_label(gebied: str, meting: int) -> str:
    """The target on the downloads page of one factsheet's table (linked from the factsheet)."""
    return f"download-{gebied.replace('_', '-')}-{int(meting)}"
