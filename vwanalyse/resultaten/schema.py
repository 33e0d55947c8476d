"""The schema of the results table and the effect table: the one description of their columns.

The schema is published with the tables (`*_schema.csv`, the downloads page), so it is written for
readers, in Dutch.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

ROLLEN = ("wijk", "rest_gemeente", "gemeente", "provincie", "nederland")

# Documented schema of the results table: column, type, description.
SCHEMA: list[tuple[str, str, str]] = [
    ("gebied", "tekst", "id van het monitorgebied, zoals in het adres van zijn wijkpagina"),
    ("meting", "geheel getal", "jaar van de meting (de eerste meting is de nulmeting)"),
    ("indicator", "tekst", "code van de indicator (zie de bijlage Indicatoren)"),
    ("pijler", "tekst", "id van de pijler"),
    ("rol", "tekst", "waar de rij over gaat: wijk, rest_gemeente, gemeente, provincie of nederland"),
    ("regiocode", "tekst", "CBS-code(s) van het gebied van deze rij; 'GM0344-WK034403' = gemeente zonder het gebied"),
    ("peiljaar", "geheel getal", "jaar van de bron dat de meting gebruikt"),
    ("statistiek", "tekst", "survey_proportie, survey_gemiddelde, register_rate of register_aandeel"),
    ("schatting", "getal", "schatting; aandelen als fractie (0-1), ratio's in de eenheid van de indicator"),
    ("se", "getal", "standaardfout (enquête: Taylor-linearisatie; Poisson-register: wortel(teller)/noemer)"),
    ("ci_laag", "getal", "ondergrens 95%-betrouwbaarheidsinterval"),
    ("ci_hoog", "getal", "bovengrens 95%-betrouwbaarheidsinterval"),
    ("n_ongewogen", "geheel getal", "aantal respondenten met een geldig antwoord (enquête)"),
    ("n_effectief", "getal", "effectieve steekproefomvang (som w)^2 / som w^2 (Kish)"),
    ("deff", "getal", "design-effect van de weging (Kish): n_ongewogen / n_effectief"),
    ("teller", "getal", "registerteller (register)"),
    ("noemer", "getal", "registernoemer (register)"),
    ("onderdrukt", "waar/onwaar", "waarde niet gepubliceerd (onthullingsbeheersing); schatting en interval zijn dan leeg"),
    ("reden", "tekst", "reden van onderdrukking: n<30, cel<5 of >90% in één categorie (drempels: zie de verantwoording), "
                       "of secundair: anders af te leiden uit de andere twee van wijk, rest van de gemeente en gemeente"),
    ("verschil_rest", "getal", "wijk min rest van de gemeente (alleen rol wijk)"),
    ("se_verschil_rest", "getal", "standaardfout van dat verschil (enquête: uit het steekproefontwerp, met de "
                                  "covariantie van wijk en rest door gedeelde strata)"),
    ("p_rest", "getal", "tweezijdige p-waarde (z-toets)"),
    ("oordeel_rest", "tekst", "gunstiger, ongunstiger, hoger, lager, geen_verschil, niet_getoetst of trendbreuk"),
    ("vorige_meting", "geheel getal", "de vorige beschikbare meting"),
    ("verschil_vorige", "getal", "verandering sinds de vorige meting"),
    ("se_verschil_vorige", "getal", "standaardfout van die verandering"),
    ("p_vorige", "getal", "tweezijdige p-waarde"),
    ("oordeel_vorige", "tekst", "oordeel over de verandering sinds de vorige meting"),
    ("verschil_nulmeting", "getal", "verandering sinds de nulmeting"),
    ("se_verschil_nulmeting", "getal", "standaardfout van die verandering"),
    ("p_nulmeting", "getal", "tweezijdige p-waarde"),
    ("oordeel_nulmeting", "tekst", "oordeel over de verandering sinds de nulmeting"),
    ("indicatief", "waar/onwaar", "de toetsen van deze rij zijn indicatief: een registertelling van gebeurtenissen, "
                                  "getoetst met de exacte Poisson-toets voor twee tellingen (zie de verantwoording)"),
]
KOLOMMEN = [k for k, _, _ in SCHEMA]

EFFECT_SCHEMA: list[tuple[str, str, str]] = [
    ("gebied", "tekst", "id van het monitorgebied"),
    ("indicator", "tekst", "id van de indicator (enquête-indicatoren en registertellingen van gebeurtenissen)"),
    ("basismeting", "geheel getal", "de nulmeting"),
    ("meting", "geheel getal", "de latere meting"),
    ("schatting", "getal", "verschil-in-verschillen: verandering in de wijk min verandering in de rest van de gemeente"),
    ("se", "getal", "standaardfout; enquête: uit het steekproefontwerp, de varianties van het verschil wijk min rest "
                    "in beide metingen opgeteld (gelijk aan svyglm met strata × meting en PSU's); registertelling: "
                    "quasi-Poisson-model op de CBS-wijken van de gemeente"),
    ("ci_laag", "getal", "ondergrens 95%-interval"),
    ("ci_hoog", "getal", "bovengrens 95%-interval"),
    ("p", "getal", "tweezijdige p-waarde"),
    ("n", "geheel getal", "respondenten in het model (enquête; leeg bij registertellingen)"),
    ("oordeel", "tekst", "gunstiger, ongunstiger, hoger, lager of geen_verschil"),
    ("indicatief", "waar/onwaar", "registertelling van gebeurtenissen: quasi-Poisson-schatting, indicatief "
                                  "(zie de verantwoording)"),
]


@dataclass
class Resultaten:
    tabel: pd.DataFrame
    effecten: pd.DataFrame
