"""Notebook API, tables and notes: `from vwanalyse import rapport` in a template.

The stable names the templates in notebooks/ call (see the README, "Een notebook toevoegen"); the
code is in `weergave.rapport` (tables and notes) and `resultaten.opslag` (reading the results).
"""

from vwanalyse.resultaten.opslag import (Rapport, heeft_meting, laad, laatste_meting,  # noqa: F401
                                         onderdrukte_waarden, respondenten, zoek_rij)
from vwanalyse.weergave.rapport import (aanlevering_tabel, citaten, databron, demomelding, demotekst, downloadverwijzing,  # noqa: F401
                                        duiding, effecten_tabel, factsheet_tabel, indicator_kop, indicatoren,
                                        legenda, leeswijzer, metingen_tabel, narratief_overzicht,
                                        onderdrukking_tabel, ontbrekend_tekst, ontbrekende_meting,
                                        ontwikkeling_tabel, projectvoortgang, respons_tabel, tekenuitleg, uitleg_significantie,
                                        verloop_tabel, wijken_tabel)
from vwanalyse.weergave.overzicht import navigatie  # noqa: F401
from vwanalyse.weergave.netwerk import bruggen_tabel, heeft_netwerk, maten_tabel  # noqa: F401
from vwanalyse.weergave.schoolloopbaan import heeft_schoolloopbaan, overgang_tabellen, uitkomst_tabel  # noqa: F401
from vwanalyse.weergave.openbare_ruimte import beleving_tabel, gebruik_tabel, heeft_openbare_ruimte  # noqa: F401
