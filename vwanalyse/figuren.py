"""Notebook API, figures: `from vwanalyse import figuren` in a template.

The stable names the templates in notebooks/ call; the code is in `weergave.figuren`.
"""

from vwanalyse.weergave.figuren import (bewaar, effecten_forest, onderdrukking, ontwikkeling,  # noqa: F401
                                        pijler_indicatoren, respons, toon, wijken_vergeleken)
from vwanalyse.weergave.netwerk import figuur as wijknetwerk  # noqa: F401,E402
from vwanalyse.weergave.schoolloopbaan import figuur as schoolloopbaan  # noqa: F401,E402
from vwanalyse.weergave.openbare_ruimte import beleving_figuur as openbare_ruimte_beleving  # noqa: F401,E402
from vwanalyse.weergave.openbare_ruimte import gebruik_figuur as openbare_ruimte_gebruik  # noqa: F401,E402
