"""Deterministic generator of the synthetic demo data folder (data/demo).

The demo folder follows data/FORMAAT.md exactly and is written in Dutch CSV style (`;`,
decimal comma, UTF-8 with BOM, `\\n`) so the demo exercises that path of the loaders. Every run
with the same configuration gives byte-identical files (fixed seed, one numpy Generator per
component, sorted rows, fixed number formatting, no timestamps).

The generator knows a *truth*: for every gebied, the rest of its gemeente and the gemeente as a
whole, per meting and indicator, the population value it used. It writes that truth to
`waarheid.csv` and explains it in `WAARHEID.md`, so tests of the estimation engine can check
that the pipeline recovers it. Survey answers are drawn with the category probabilities implied
by the truth, independently of the (non-informative) weights, so the weighted estimate is
unbiased for the truth. Register counts are binomial (shares) or Poisson (counts per population)
draws around the truth.

Population sizes are calibrated on CBS Kerncijfers wijken en buurten 2024 (85984NED, see
../shared/reference/cbs_kwb2024_wikigen); levels on figures quoted on public pages (see
../shared/reference/text_quoted_numbers). All other values are invented but plausible.

    vwanalyse demodata [DOEL]     # default: data/demo of the project
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from vwanalyse.basis.bestanden import schrijf_bytes, sha256
from vwanalyse.model.configuratie import Configuratie, Indicator
from vwanalyse.model.schema import ConfigFout

ZAAD = 19

# ---------------------------------------------------------------- geography
# CBS KWB 2024 (85984NED): wijkcode, inwoners, woningvoorraad. Wijken without inhabitants are left
# out. Buurt BU03550205 Vollenhove is not in that source; its size is an estimate (about 4.000
# inhabitants, L-flat 728 homes plus Geroflat, Torenflat and low-rise).
_KWB_2024 = """
WK030701 5775 3365|WK030702 2095 1244|WK030703 12185 5964|WK030704 420 325|WK030705 105 24
WK030706 3175 1582|WK030707 6020 2809|WK030708 4525 2188|WK030709 7070 3290|WK030710 8345 3963
WK030711 3235 1340|WK030712 480 181|WK030713 4560 2174|WK030714 7410 3661|WK030715 6310 2948
WK030716 5650 2580|WK030717 6265 2927|WK030718 3380 1420|WK030719 9600 4158|WK030720 7790 3336
WK030721 10635 4634|WK030722 140 52|WK030724 14440 5724|WK030725 530 221|WK030726 4870 1769
WK030727 540 186|WK030728 6585 2307|WK030729 3770 1388|WK030730 4070 1358|WK030731 10075 3935
WK030734 1775 362
WK034401 29710 13429|WK034402 45220 21386|WK034403 35255 16781|WK034404 40600 18192
WK034405 33510 14921|WK034406 20190 10812|WK034407 28395 13519|WK034408 40830 19557
WK034409 49310 19530|WK034410 51195 18997
WK035501 15945 7823|WK035502 17345 7635|WK035503 14440 6149|WK035504 9365 4444|WK035505 9545 4145
WK035601 6565 3239|WK035602 5335 2372|WK035603 6585 2630|WK035604 7425 3450|WK035605 6040 2800
WK035606 695 267|WK035607 1765 762|WK035608 8130 3635|WK035610 6615 2974|WK035611 3005 1190
WK035612 1685 1036|WK035613 3400 1586|WK035614 1630 1003|WK035615 15 13|WK035616 2340 947
WK035618 30 8|WK035620 205 19|WK035621 455 301|WK035622 240 9|WK035623 30 9|WK035624 1850 1259
WK035625 1925 1264
"""
VOLLENHOVE_BU = "BU03550205"
VOLLENHOVE_2024 = (4050, 2020)
# Buurten of Overvecht (CBS 2024) and of Zeist-Noord, with relative sizes (invented).
_BUURTEN_VAST = {
    "WK034403": [("BU03440311", 12), ("BU03440312", 11), ("BU03440321", 12), ("BU03440322", 11),
                 ("BU03440331", 9), ("BU03440332", 10), ("BU03440333", 2), ("BU03440341", 13),
                 ("BU03440342", 12), ("BU03440343", 1)],
    "WK035502": [("BU03550201", 0.22), ("BU03550202", 0.20), ("BU03550203", 0.25),
                 ("BU03550204", 0.15), ("BU03550206", 0.18)],  # share of Zeist-Noord minus Vollenhove
    "WK030703": [(f"BU030703{i:02d}", w) for i, w in enumerate([6, 9, 12, 11, 13, 10, 8, 9, 4, 3])],
}
# Yearly population growth (fraction) per gemeente and per gebied.
_GROEI = {"GM0344": 0.010, "GM0356": 0.004, "GM0355": 0.006, "GM0307": 0.009,
          "overvecht": 0.008, "batau": 0.002, "vollenhove": 0.004, "soesterkwartier": 0.022}

# ---------------------------------------------------------------- survey design
# Sample size per wave: total per gemeente and in the gebied (Vollenhove: the Zeist-Noord stratum,
# in which the buurt Vollenhove gets its proportional share, about 23%).
_STEEKPROEF = {
    "ggd_gezondheidsmonitor": {
        "totaal": {"GM0344": 3500, "GM0356": 1500, "GM0355": 1200, "GM0307": 2000},
        "gebied": {"WK034403": 700, ("WK035603", "WK035604"): 350, "WK035502": 210, "WK030703": 300},
        "golf": [1.00, 1.04, 0.95],
        "min_leeftijd": 18,
    },
    "veiligheidsmonitor": {
        "totaal": {"GM0344": 2600, "GM0356": 1100, "GM0355": 900, "GM0307": 1500},
        "gebied": {"WK034403": 520, ("WK035603", "WK035604"): 260, "WK035502": 150, "WK030703": 220},
        "golf": [1.00, 0.97, 1.02],
        "min_leeftijd": 15,
    },
}
_MIN_INW_SURVEY = 500       # wijken with fewer inhabitants are not sampled
_MIN_N_WIJK = 12
_SIGMA_GEWICHT = 0.58       # lognormal non-response adjustment: Kish deff about exp(sigma^2) = 1.4
_LEEFTIJD = {18: ["18-34", "35-64", "65+"], 15: ["15-34", "35-64", "65+"]}
_LEEFTIJD_P = {"GM0344": [0.42, 0.43, 0.15], "GM0356": [0.25, 0.48, 0.27],
               "GM0355": [0.24, 0.46, 0.30], "GM0307": [0.29, 0.49, 0.22]}

# Split of the answer probabilities over the codes of an item: (codes, relative weight) within the
# teller codes and within the other valid codes. The teller share itself is the truth.
_VERDELING = {
    "ervaren_gezondheid": ([0.22, 0.78], [0.72, 0.22, 0.06]),
    "bmi_klasse": ([0.72, 0.28], [0.04, 0.96]),
    "k10_risico": ([1.0], [0.68, 0.32]),
    "eenzaamheid": ([0.75, 0.25], [0.55, 0.45]),
    "regie": ([1.0], [0.45, 0.55]),
    "moeite_rondkomen": ([0.25, 0.75], [1.0]),
    "onveilig_buurt": ([0.18, 0.82], [1.0]),
    "overlast_buurt": ([1.0], [0.5, 0.5]),
}

# ---------------------------------------------------------------- the truth
# Per indicator the value at the nulmeting per eenheid (gebied id, or the gemeente code for the
# rest of that gemeente), on the engine's scale: a fraction for '%', a mean for scores, a rate
# times `schaal` for register rates. `trend` is the common change at the 2nd and 3rd meting (all
# eenheden alike); built-in extra changes of one gebied are in _EFFECTEN. `nl`/`pv`: reference
# values (Nederland, provincie Utrecht) at the nulmeting, following the same trend.
O, B, V, S = "overvecht", "batau", "vollenhove", "soesterkwartier"
U, N, Z, A = "GM0344", "GM0356", "GM0355", "GM0307"


def _n(o, b, v, s, u, n, z, a):
    return {O: o, B: b, V: v, S: s, U: u, N: n, Z: z, A: a}


_WAARHEID = {
    # GGD Gezondheidsmonitor (18+)
    "ervaren_gezondheid_goed": (_n(.66, .68, .67, .74, .80, .76, .79, .79), (-.020, -.025), .79, .80),
    "overgewicht": (_n(.55, .58, .56, .50, .41, .52, .47, .48), (.010, .015), .50, .47),
    "beweegrichtlijn": (_n(.42, .44, .60, .45, .55, .49, .62, .52), (0, 0), .51, .53),
    "roken": (_n(.27, .26, .28, .22, .18, .20, .17, .18), (-.010, -.015), .19, .18),
    "psychische_klachten": (_n(.17, .14, .16, .12, .10, .09, .08, .09), (.010, .010), .10, .10),
    "eenzaamheid_ernstig": (_n(.18, .13, .17, .13, .10, .10, .10, .10), (0, 0), .11, .10),
    "weinig_regie": (_n(.13, .11, .12, .09, .07, .08, .07, .07), (0, 0), .08, .07),
    "moeite_rondkomen": (_n(.34, .27, .32, .21, .16, .17, .15, .15), (.020, .010), .17, .15),
    "vrijwilligerswerk": (_n(.18, .21, .19, .25, .29, .27, .33, .30), (-.020, 0), .28, .30),
    "geluidhinder": (_n(.16, .13, .18, .11, .10, .09, .08, .08), (0, 0), .09, .09),
    "sporten_wekelijks": (_n(.37, .42, .40, .45, .55, .49, .55, .52), (0, 0), .50, .52),
    # Veiligheidsmonitor (15+)
    "onveilig_buurt": (_n(.44, .31, .34, .24, .22, .20, .16, .17), (0, 0), .17, .16),
    "overlast_buurt": (_n(.22, .16, .20, .13, .12, .10, .08, .09), (0, 0), .09, .09),
    "rapportcijfer_veiligheid": (_n(6.2, 6.6, 6.4, 7.0, 7.2, 7.3, 7.5, 7.4), (0, .05), 7.4, 7.4),
    "sociale_cohesie": (_n(4.9, 5.4, 5.1, 5.8, 5.8, 6.0, 6.3, 6.1), (0, 0), 6.1, 6.1),
    "rapportcijfer_woonbuurt": (_n(6.4, 6.8, 6.6, 7.2, 7.6, 7.5, 7.8, 7.6), (0, 0), 7.6, 7.6),
    # politie (per 1.000)
    "misdrijven": (_n(85, 60, 55, 58, 70, 48, 45, 50), (2, 4), 47, 45),
    "woninginbraken": (_n(4.5, 3.5, 3.8, 3.0, 3.2, 2.8, 3.0, 2.6), (-.2, -.3), 2.8, 2.9),
    "geweldsmisdrijven": (_n(11.0, 7.0, 8.5, 6.0, 7.0, 5.0, 4.5, 5.2), (0, 0), 5.5, 5.2),
    # CBS kerncijfers wijken en buurten
    "bijstand": (_n(.085, .060, .075, .038, .032, .030, .024, .025), (-.002, -.003), .024, .022),
    "laag_inkomen": (_n(.62, .52, .58, .42, .38, .38, .35, .36), (0, 0), .40, .37),
    # Overvecht 23% langdurig op of onder de armoedegrens in 2021 (utrecht.nl, monitor 2022).
    "langdurig_laag_inkomen": (_n(.230, .140, .190, .090, .075, .065, .060, .060), (0, -.003), .063, .058),
    "arbeidsparticipatie": (_n(.58, .64, .60, .68, .72, .71, .70, .72), (.010, .015), .69, .71),
    "laag_opleidingsniveau": (_n(.38, .35, .36, .27, .17, .27, .22, .23), (-.005, -.010), .26, .22),
    # Overvecht 66% sociale huur (monitor 2021), Utrecht 35%; Vollenhove 56% (zeist.nl).
    "sociale_huur": (_n(.665, .52, .56, .35, .315, .30, .28, .27), (-.003, -.006), .28, .27),
    "aardgasvrije_woningen": (_n(.12, .09, .02, .06, .22, .20, .06, .10), (.015, .030), .06, .10),
    "gasverbruik": (_n(900, 1050, 980, 1060, 930, 1080, 1250, 1100), (-180, -230), 1170, 1120),
    # DUO; Overvecht startkwalificatie 87,5% (2021) and 88,6% (2023), Utrecht 93,5% (2023).
    "startkwalificatie": (_n(.875, .880, .850, .910, .940, .920, .930, .930), (0, 0), .905, .915),
    "voortijdig_schoolverlaten": (_n(.030, .024, .028, .020, .018, .017, .016, .017), (.001, .002), .018, .017),
    "schooladvies_havo_vwo": (_n(.27, .32, .30, .42, .55, .42, .50, .48), (0, .04), .46, .49),
    "onderwijsachterstand": (_n(.36, .22, .30, .14, .10, .11, .09, .10), (0, 0), .11, .10),
    # gemeente; Overvecht voorschool 62% (okt 2021) and 80% (2023), Utrecht about 75%.
    "voorschool_bereik": (_n(.62, .70, .65, .75, .76, .78, .80, .82), (0, 0), .78, .79),
    "groen_per_inwoner": (_n(45, 35, 60, 25, 30, 40, 55, 38), (0, 0), 60, 50),
    # aanvullende indicatoren (only in the gemeenten whose registers have them)
    "voorschool_16_uur": (_n(.55, None, None, None, .68, None, None, None), (0, 0), None, None),
    "uitstroom_bijstand_werk": (_n(.045, None, None, None, .060, None, None, None), (0, 0), None, None),
    "motorisch_onvaardig": (_n(None, .20, None, None, None, .15, None, None), (0, 0), None, None),
    "woonoverlast": (_n(None, 12.0, None, None, None, 6.0, None, None), (0, 0), None, None),
    "welzijn_op_recept": (_n(None, 12.0, None, None, None, 3.0, None, None), (1.0, 2.0), None, None),
    "kookgasvrije_woningen": (_n(None, None, .03, None, None, None, .12, None), (.02, .05), None, None),
    "kix_terug_school_werk": (_n(None, None, .40, None, None, None, None, None), (0, 0), None, None),
    "gezond_gewicht_kinderen": (_n(None, None, None, .76, None, None, None, .83), (0, 0), None, None),
}

# Built-in extra changes of one gebied (on top of the common trend), at the 2nd and 3rd meting:
# the difference-in-differences the pipeline should find. Effects not listed are zero.
_EFFECTEN = {
    (O, "onveilig_buurt"): ("E1", (-.06, -.12), "Overvecht: minder vaak onveilig in de buurt (rest van Utrecht vlak)"),
    (B, "eenzaamheid_ernstig"): ("E2", (.05, .10), "Batau: ernstige eenzaamheid neemt toe (rest van Nieuwegein vlak)"),
    (S, "beweegrichtlijn"): ("E3", (.07, .15), "Soesterkwartier: meer inwoners voldoen aan de beweegrichtlijn"),
    (S, "sporten_wekelijks"): ("E4", (.02, .05), "Soesterkwartier: meer wekelijkse sporters"),
    (O, "voorschool_bereik"): ("E5", (.18, .23), "Overvecht: voorschoolbereik 62% -> 80% -> 85% (Utrecht vlak)"),
    (O, "voorschool_16_uur"): ("E6", (.20, .25), "Overvecht: meer peuters 16 uur op de voorschool"),
    (O, "startkwalificatie"): ("E7", (.011, .020), "Overvecht: startkwalificatie 87,5% -> 88,6% -> 89,5%; rest licht dalend"),
    (U, "startkwalificatie"): ("E7", (-.002, -.003), "rest van Utrecht: startkwalificatie licht dalend"),
    (O, "bijstand"): ("E8", (-.005, -.008), "Overvecht: bijstand daalt sneller dan in de rest van Utrecht"),
    (O, "uitstroom_bijstand_werk"): ("E9", (.015, .025), "Overvecht: meer uitstroom uit de bijstand naar werk"),
    (O, "aardgasvrije_woningen"): ("E10", (.02, .05), "Overvecht-Noord aardgasvrij: extra aardgasvrije woningen"),
    (O, "rapportcijfer_veiligheid"): ("E11", (.2, .4), "Overvecht: hoger rapportcijfer veiligheid"),
    (O, "rapportcijfer_woonbuurt"): ("E12", (.1, .3), "Overvecht: hoger rapportcijfer woonbuurt"),
    (B, "motorisch_onvaardig"): ("E13", (-.03, -.06), "Batau: minder motorisch onvaardige kinderen (20% -> 14%)"),
    (B, "woonoverlast"): ("E14", (-2.0, -4.0), "Batau: minder woonoverlastzaken per 1.000 woningen"),
    (B, "welzijn_op_recept"): ("E15", (9.0, 10.0), "Batau: veel meer verwijzingen Welzijn/Bewegen op Recept"),
    (V, "kookgasvrije_woningen"): ("E16", (.35, .44), "Vollenhove: L-flat (728 woningen) in 2023 van het kookgas af"),
    (V, "overlast_buurt"): ("E17", (-.03, -.05), "Vollenhove: minder overlast (echt, maar te klein voor ~35 respondenten)"),
    (V, "sociale_cohesie"): ("E18", (.2, .3), "Vollenhove: iets hogere sociale cohesie (klein, weinig respondenten)"),
    (V, "kix_terug_school_werk"): ("E19", (.10, .15), "Vollenhove: meer K!X-deelnemers terug naar school of werk"),
    (S, "gezond_gewicht_kinderen"): ("E20", (.01, .03), "Soesterkwartier: iets meer kinderen met gezond gewicht"),
    (S, "groen_per_inwoner"): ("E21", (1.0, 3.0), "Soesterkwartier: Ringpark, meer groen per inwoner"),
}
# Explicit null effects worth checking (no extra change; only the common trend applies).
_NULEFFECTEN = [
    ("N1", B, "onveilig_buurt", "Batau: 31% onveilig blijft 31% (doel 25% niet gehaald)"),
    ("N2", O, "misdrijven", "Overvecht: misdrijven volgen de stedelijke trend"),
    ("N3", V, "beweegrichtlijn", "Vollenhove: 60% voldoet (40% niet), ongewijzigd"),
    ("N4", B, "sociale_cohesie", "Batau: sociale cohesie ongewijzigd"),
    ("N5", O, "ervaren_gezondheid_goed", "Overvecht: daalt 2,5 punt, net als de rest van Utrecht (trend, geen effect)"),
    ("N6", S, "roken", "Soesterkwartier: roken daalt met de algemene trend"),
]

# Register columns: fraction of inhabitants (or homes, 'w:') per eenheid, and their scope.
_NOEMER_FACTOR = {
    "inwoners_15_75": (_n(.72, .74, .73, .75, .78, .73, .72, .74), None),
    "huishoudens_met_inkomen": (_n("w:.95", "w:.94", "w:.95", "w:.94", "w:.93", "w:.94", "w:.93", "w:.94"), None),
    "jongeren_18_22": (_n(.065, .058, .060, .058, .080, .056, .055, .058), None),
    "deelnemers_vo_mbo": (_n(.095, .085, .090, .080, .075, .085, .085, .085), None),
    "leerlingen_groep8": (_n(.014, .011, .012, .011, .010, .011, .011, .011), None),
    "leerlingen_po": (_n(.110, .085, .095, .085, .075, .085, .080, .085), None),
    "peuters_vve_indicatie": (_n(.009, .007, .008, .005, .0035, .004, .0035, .004), None),
    "kinderen_mqscan": (_n(None, .060, None, None, None, .055, None, None), {N}),
    "kinderen_gemeten": (_n(None, None, None, .022, None, None, None, .021), {A}),
}
_KIX_DEELNEMERS = [16, 17, 18]


# ---------------------------------------------------------------- small helpers


def _rng(*sleutel) -> np.random.Generator:
    """An independent, stable random stream per component."""
    h = zlib.crc32("|".join(str(s) for s in sleutel).encode("utf-8"))
    return np.random.default_rng([ZAAD, h])


def _getal(x: float, dec: int) -> str:
    s = f"{x + 0.0:.{dec}f}"
    if s.startswith("-") and float(s) == 0:
        s = s[1:]
    return s.replace(".", ",")


def _csv(kolommen: list[str], rijen: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(kolommen)
    for r in rijen:
        w.writerow(["" if v is None else v for v in r])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class Wijk:
    code: str
    gemeente: str
    inwoners_2024: int
    woningen_2024: int
    eenheid: str          # gebied id, or gemeente code for 'rest of the gemeente'


class Geografie:
    """Wijken per gemeente with their eenheid, buurten and population per year."""

    def __init__(self, config: Configuratie):
        self.config = config
        self.gebied_van_code = {c: g.id for g in config.gebieden for c in g.codes}
        self.wijken: dict[str, list[Wijk]] = {gm.code: [] for gm in config.gebieden_bestand.gemeenten}
        for regel in _KWB_2024.replace("\n", "|").split("|"):
            if not regel.strip():
                continue
            code, inw, won = regel.split()
            gm = "GM" + code[2:6]
            if gm not in self.wijken:
                continue
            eenheid = self.gebied_van_code.get(code, gm)
            self.wijken[gm].append(Wijk(code, gm, int(inw), int(won), eenheid))
        for gm in self.wijken:
            self.wijken[gm].sort(key=lambda w: w.code)
        for i, g in enumerate(config.gebieden):
            for c in g.codes:
                if c.startswith("WK") and c not in {w.code for w in self.wijken[g.gemeente]}:
                    raise ConfigFout(Path(config.map) / "gebieden.yml", f"gebieden[{i}] ({g.id})",
                                     f"de demodatagenerator kent geen inwonertal voor wijk {c} (zijn KWB-tabel "
                                     "heeft alleen de wijken van de gemeenten van de monitor)")
        self._buurten: dict[str, list[tuple[str, float]]] = {}

    @staticmethod
    def groei(eenheid: str, gemeente: str) -> float:
        return _GROEI.get(eenheid, _GROEI[gemeente])

    def inwoners(self, w: Wijk, jaar: int, deel: str = "wijk") -> int:
        """Inhabitants of a wijk ('wijk'), of Vollenhove inside it ('buurt') or of the wijk minus it ('rest')."""
        if w.code == "WK035502":
            bu = VOLLENHOVE_2024[0] * (1 + self.groei(V, Z)) ** (jaar - 2024)
            rest = (w.inwoners_2024 - VOLLENHOVE_2024[0]) * (1 + self.groei(Z, Z)) ** (jaar - 2024)
            bu, rest = round(bu), round(rest)
            return {"wijk": bu + rest, "buurt": bu, "rest": rest}[deel]
        return round(w.inwoners_2024 * (1 + self.groei(w.eenheid, w.gemeente)) ** (jaar - 2024))

    def woningen(self, w: Wijk, jaar: int, deel: str = "wijk") -> int:
        if w.code == "WK035502":
            bu = VOLLENHOVE_2024[1] * (1 + 0.002) ** (jaar - 2024)
            rest = (w.woningen_2024 - VOLLENHOVE_2024[1]) * (1 + self.groei(Z, Z)) ** (jaar - 2024)
            bu, rest = round(bu), round(rest)
            return {"wijk": bu + rest, "buurt": bu, "rest": rest}[deel]
        return round(w.woningen_2024 * (1 + self.groei(w.eenheid, w.gemeente)) ** (jaar - 2024))

    def buurten(self, w: Wijk) -> list[tuple[str, float]]:
        """(buurtcode, population share) within the wijk."""
        if w.code in self._buurten:
            return self._buurten[w.code]
        if w.code == "WK035502":
            v = VOLLENHOVE_2024[0] / w.inwoners_2024
            res = [(c, s * (1 - v)) for c, s in _BUURTEN_VAST[w.code]] + [(VOLLENHOVE_BU, v)]
            res.sort()
        elif w.code in _BUURTEN_VAST:
            tot = sum(s for _, s in _BUURTEN_VAST[w.code])
            res = [(c, s / tot) for c, s in _BUURTEN_VAST[w.code]]
        else:
            k = int(min(6, max(2, round(w.inwoners_2024 / 2500))))
            aandeel = _rng("buurten", w.code).dirichlet(np.full(k, 6.0))
            res = [(f"BU{w.code[2:]}{i:02d}", float(a)) for i, a in enumerate(aandeel)]
        self._buurten[w.code] = res
        return res

    def eenheid_van_buurt(self, w: Wijk, buurt: str) -> str:
        return V if buurt == VOLLENHOVE_BU else (Z if w.code == "WK035502" else w.eenheid)


def _meting_index(config: Configuratie) -> dict[int, int]:
    return {m.jaar: i for i, m in enumerate(config.metingen)}


def waarheid(ind_id: str, eenheid: str, mi: int) -> Optional[float]:
    """The population value of an indicator for an eenheid at the mi-th meting (0 = nulmeting)."""
    niveau, trend, _, _ = _WAARHEID[ind_id]
    basis = niveau.get(eenheid)
    if basis is None:
        return None
    waarde = basis + (0.0 if mi == 0 else trend[mi - 1])
    eff = _EFFECTEN.get((eenheid, ind_id))
    if eff is not None and mi > 0:
        waarde += eff[1][mi - 1]
    return waarde


def _referentie(ind_id: str, regio: str, mi: int) -> float:
    _, trend, nl, pv = _WAARHEID[ind_id]
    basis = nl if regio == "NL01" else pv
    return basis + (0.0 if mi == 0 else trend[mi - 1])


# ---------------------------------------------------------------- survey


def _kansen(ind: Indicator, p: float) -> tuple[list[int], np.ndarray]:
    b = ind.berekening
    codes = list(b.geldige_codes)
    teller = [c for c in codes if c in b.teller_codes]
    overig = [c for c in codes if c not in b.teller_codes]
    st, so = _VERDELING.get(b.item, ([1.0] * len(teller), [1.0] * len(overig)))
    st = np.array(st, float) / sum(st)
    so = np.array(so, float) / sum(so)
    kans = {c: p * s for c, s in zip(teller, st)}
    kans.update({c: (1 - p) * s for c, s in zip(overig, so)})
    return codes, np.array([kans[c] for c in codes])


def _survey(config: Configuratie, geo: Geografie, bron: str, mi: int, peiljaar: int) -> bytes:
    opzet = _STEEKPROEF[bron]
    items = [i for i in config.indicatoren if i.bron == bron]
    rng = _rng("survey", bron, peiljaar)
    golf = opzet["golf"][mi]
    min_lft = opzet["min_leeftijd"]
    volwassen = 0.80 if min_lft == 18 else 0.835
    prefix = {"ggd_gezondheidsmonitor": "GGD", "veiligheidsmonitor": "VM"}[bron] + str(peiljaar)
    # item non-response rate per item and wave (2-8%)
    nonresp = {i.id: float(rng.uniform(0.02, 0.08)) for i in items}
    rijen = []
    teller = 0
    for gm in (g.code for g in config.gebieden_bestand.gemeenten):
        wijken = [w for w in geo.wijken[gm] if w.inwoners_2024 >= _MIN_INW_SURVEY]
        vast: dict[str, int] = {}
        for sleutel, n in opzet["gebied"].items():
            codes = sleutel if isinstance(sleutel, tuple) else (sleutel,)
            if "GM" + codes[0][2:6] != gm:
                continue
            pops = [next(w for w in wijken if w.code == c).inwoners_2024 for c in codes]
            for c, p in zip(codes, pops):
                vast[c] = int(round(n * golf * p / sum(pops)))
        over = round(opzet["totaal"][gm] * golf) - sum(vast.values())
        vrij = [w for w in wijken if w.code not in vast]
        pop = np.array([w.inwoners_2024 for w in vrij], float)
        alloc = np.maximum(_MIN_N_WIJK, np.floor(over * pop / pop.sum())).astype(int)
        n_h = {**vast, **{w.code: int(a) for w, a in zip(vrij, alloc)}}
        for w in wijken:
            nh = n_h[w.code]
            buurten = geo.buurten(w)
            bcodes = [b for b, _ in buurten]
            bkans = np.array([s for _, s in buurten])
            bkans = bkans / bkans.sum()
            N_h = volwassen * geo.inwoners(w, peiljaar)
            buurt_idx = np.sort(rng.choice(len(bcodes), size=nh, p=bkans))
            u = np.clip(rng.lognormal(0.0, _SIGMA_GEWICHT, size=nh), 0.15, 6.0)
            gewicht = N_h / nh * u / u.mean()
            lft = rng.choice(3, size=nh, p=_LEEFTIJD_P[gm])
            gesl = rng.choice(3, size=nh, p=[0.49, 0.505, 0.005])
            antwoorden = {}
            eenheden = [geo.eenheid_van_buurt(w, bcodes[k]) for k in buurt_idx]
            for ind in items:
                col = np.empty(nh, dtype=object)
                for e in sorted(set(eenheden)):
                    sel = np.array([x == e for x in eenheden])
                    waarde = waarheid(ind.id, e, mi)
                    if ind.statistiek == "survey_proportie":
                        codes, kans = _kansen(ind, waarde)
                        col[sel] = np.array(codes)[rng.choice(len(codes), size=int(sel.sum()), p=kans)]
                    else:
                        lo, hi = ind.berekening.bereik
                        k = int(round(hi - lo))
                        col[sel] = lo + rng.binomial(k, (waarde - lo) / k, size=int(sel.sum()))
                mis = rng.random(nh) < nonresp[ind.id]
                antwoorden[ind.id] = [None if m else int(v) for v, m in zip(col, mis)]
            for r in range(nh):
                teller += 1
                rid = f"{prefix}-{teller:06d}"
                rijen.append([rid, peiljaar, gm, w.code, bcodes[buurt_idx[r]], w.code, rid,
                              _getal(gewicht[r], 4), _LEEFTIJD[min_lft][lft[r]],
                              ["man", "vrouw", "anders"][gesl[r]]]
                             + [antwoorden[i.id][r] for i in items])
    kolommen = ["respondent_id", "jaar", "gemeentecode", "wijkcode", "buurtcode", "stratum", "psu",
                "gewicht", "leeftijdsklasse", "geslacht"] + [i.berekening.item for i in items]
    return _csv(kolommen, rijen)


# ---------------------------------------------------------------- registers


def _register_kolommen(config: Configuratie) -> dict[str, list[str]]:
    """Column names per register file. A column lives in one file: cbs_kwb if any cbs_kwb
    indicator names it, else the bron of the indicator that has it as teller, else the first."""
    gebruik: dict[str, list[tuple[str, str]]] = {}
    for ind in config.indicatoren:
        if ind.is_survey or config.bron[ind.bron].soort != "register":
            continue
        for rol in ("teller", "noemer"):
            gebruik.setdefault(getattr(ind.berekening, rol), []).append((ind.bron, rol))
    thuis = {}
    for kol, lijst in gebruik.items():
        bronnen = [b for b, _ in lijst]
        if "cbs_kwb" in bronnen:
            thuis[kol] = "cbs_kwb"
        else:
            thuis[kol] = next((b for b, r in lijst if r == "teller"), bronnen[0])
    per_bron: dict[str, list[str]] = {}
    for kol, b in thuis.items():
        per_bron.setdefault(b, []).append(kol)
    return per_bron


def _register_tabel(config: Configuratie, geo: Geografie) -> dict[tuple[str, int], dict[str, int]]:
    """All register counts: {(gebiedscode, jaar): {kolom: aantal}} for every wijk, Vollenhove's
    buurt and the gemeenten (= sum over their wijken)."""
    mindex = _meting_index(config)
    register_ind = [i for i in config.indicatoren if not i.is_survey and config.bron[i.bron].soort == "register"]
    tabel: dict[tuple[str, int], dict[str, int]] = {}
    for nr, m in enumerate(config.metingen):
        mi = mindex[m.jaar]
        jaar = m.peiljaren["cbs_kwb"]
        jaren = {i.bron: m.peiljaren[i.bron] for i in register_ind}
        if len(set(jaren.values())) != 1:
            raise ConfigFout(Path(config.map) / "metingen.yml", f"metingen[{nr}] ({m.jaar}).peiljaren",
                             "de demodatagenerator verwacht voor alle registerbronnen hetzelfde peiljaar per meting")
        for gm, wijken in geo.wijken.items():
            som: dict[str, int] = {}
            for w in wijken:
                delen = [("wijk", w.eenheid)] if w.code != "WK035502" else [("buurt", V), ("rest", Z)]
                wijkrij: dict[str, int] = {}
                for deel, eenheid in delen:
                    rij = _register_eenheid(config, geo, w, deel, eenheid, gm, jaar, mi, register_ind)
                    if deel == "buurt":
                        tabel[(VOLLENHOVE_BU, jaar)] = dict(rij)
                        rij = {k: v for k, v in rij.items() if not k.startswith("kix_")}
                    for k, v in rij.items():
                        wijkrij[k] = wijkrij.get(k, 0) + v
                tabel[(w.code, jaar)] = wijkrij
                for k, v in wijkrij.items():
                    som[k] = som.get(k, 0) + v
            tabel[(gm, jaar)] = som
    return tabel


def _register_eenheid(config, geo: Geografie, w: Wijk, deel: str, eenheid: str, gm: str, jaar: int,
                      mi: int, register_ind: list[Indicator]) -> dict[str, int]:
    rng = _rng("register", w.code, deel, jaar)
    inw = geo.inwoners(w, jaar, deel)
    won = geo.woningen(w, jaar, deel)
    rij: dict[str, int] = {"inwoners": inw, "woningen": won}
    for kol, (factor, scope) in _NOEMER_FACTOR.items():
        f = factor.get(eenheid)
        if f is None or (scope is not None and gm not in scope):
            continue
        if isinstance(f, str):
            rij[kol] = int(round(float(f[2:]) * won))
        else:
            rij[kol] = int(round(f * inw))
    if eenheid == V:
        rij["kix_deelnemers"] = _KIX_DEELNEMERS[mi]
    for ind in register_ind:          # catalogue order: noemers like personen_bijstand come first
        t, nm = ind.berekening.teller, ind.berekening.noemer
        p = waarheid(ind.id, eenheid, mi)
        if p is None or nm not in rij:
            continue
        noemer = rij[nm]
        if ind.statistiek == "register_aandeel":
            if ind.id == "langdurig_laag_inkomen" and "huishoudens_laag_inkomen" in rij:
                basis = rij["huishoudens_laag_inkomen"]
                pl = waarheid("laag_inkomen", eenheid, mi)
                rij[t] = int(rng.binomial(basis, min(1.0, p / pl)))
            elif ind.id == "voorschool_16_uur" and "peuters_vve_voorschool" in rij:
                pv = waarheid("voorschool_bereik", eenheid, mi)
                rij[t] = int(rng.binomial(rij["peuters_vve_voorschool"], min(1.0, p / pv)))
            elif ind.id == "kookgasvrije_woningen" and "woningen_aardgasvrij" in rij:
                pa = waarheid("aardgasvrije_woningen", eenheid, mi)
                rest = noemer - rij["woningen_aardgasvrij"]
                rij[t] = rij["woningen_aardgasvrij"] + int(rng.binomial(rest, max(0.0, (p - pa) / (1 - pa))))
            else:
                rij[t] = int(rng.binomial(noemer, p))
        elif ind.berekening.interval == "poisson":
            rij[t] = int(rng.poisson(p * noemer / ind.berekening.schaal))
        else:                          # continuous quantities (m2 groen, m3 gas): no sampling noise
            rij[t] = int(round(p * noemer / ind.berekening.schaal))
    return rij


def _registers(config: Configuratie, geo: Geografie) -> dict[str, bytes]:
    tabel = _register_tabel(config, geo)
    per_bron = _register_kolommen(config)
    codes = sorted({c for c, _ in tabel}, key=lambda c: (c[2:6], {"GM": 0, "WK": 1, "BU": 2}[c[:2]], c))
    jaren = sorted({j for _, j in tabel})
    uit = {}
    for bron, kolommen in per_bron.items():
        rijen = []
        for c in codes:
            for j in jaren:
                r = tabel[(c, j)]
                if not any(k in r for k in kolommen):
                    continue
                rijen.append([c, j] + [r.get(k) for k in kolommen])
        uit[bron] = _csv(["gebiedscode", "jaar"] + kolommen, rijen)
    return uit


# ---------------------------------------------------------------- truth table


def _waarheid_rijen(config: Configuratie, geo: Geografie) -> list[list]:
    mindex = _meting_index(config)
    tabel = _register_tabel(config, geo)
    rijen = []
    for g in config.gebieden:
        gm = g.gemeente
        for m in config.metingen:
            mi = mindex[m.jaar]
            for ind in config.indicatoren_voor(g.id):
                pj = m.peiljaren[ind.bron]
                wg, wr = waarheid(ind.id, g.id, mi), waarheid(ind.id, gm, mi)
                # gemeente: population-weighted mix (survey: adults in sampled wijken; register:
                # expected teller over noemer)
                if ind.is_survey:
                    ng = nr = 0.0
                    for w in geo.wijken[gm]:
                        if w.inwoners_2024 < _MIN_INW_SURVEY:
                            continue
                        if w.code == "WK035502":
                            b, r = geo.inwoners(w, pj, "buurt"), geo.inwoners(w, pj, "rest")
                            ng, nr = (ng + b, nr + r) if g.id == V else (ng, nr + b + r)
                        elif w.eenheid == g.id:
                            ng += geo.inwoners(w, pj)
                        else:
                            nr += geo.inwoners(w, pj)
                else:
                    nm = ind.berekening.noemer
                    gcodes = g.codes
                    ng = sum(tabel[(c, pj)].get(nm, 0) for c in gcodes)
                    nr = tabel[(gm, pj)].get(nm, 0) - ng
                wgm = None
                if wg is not None and wr is not None and ng + nr > 0:
                    wgm = (ng * wg + nr * wr) / (ng + nr)
                eff = _EFFECTEN.get((g.id, ind.id))
                effect_id = eff[0] if eff else next((n[0] for n in _NULEFFECTEN if n[1] == g.id and n[2] == ind.id), "")
                for deel, code, w in (("gebied", g.id, wg), ("rest", g.rest_code, wr), ("gemeente", gm, wgm)):
                    if w is None:
                        continue
                    weergave = w * 100 if ind.is_percentage else w
                    rijen.append([g.id, deel, code, m.jaar, ind.id, ind.bron, pj, ind.statistiek,
                                  _getal(w, 6), _getal(weergave, 4), ind.eenheid,
                                  effect_id if deel == "gebied" else ""])
    return rijen


# ---------------------------------------------------------------- reference values


def _referentiewaarden(config: Configuratie) -> bytes:
    mindex = _meting_index(config)
    rijen = []
    marge = {"NL01": 0.0025, "PV26": 0.006}     # half-width of a 95% CI for a proportion
    for regio in ("PV26", "NL01"):
        for ind in config.indicatoren:
            if ind.set != "kernset":
                continue
            for m in config.metingen:
                v = _referentie(ind.id, regio, mindex[m.jaar])
                f = 100.0 if ind.is_percentage else 1.0
                onder = boven = None
                if ind.statistiek == "survey_proportie":
                    h = marge[regio] * math.sqrt(v * (1 - v) / 0.25)
                    onder, boven = _getal((v - h) * f, 1), _getal((v + h) * f, 1)
                elif ind.statistiek == "survey_gemiddelde":
                    h = 0.01 if regio == "NL01" else 0.025
                    onder, boven = _getal(v - h, 2), _getal(v + h, 2)
                dec = 2 if ind.statistiek == "survey_gemiddelde" else 1
                if ind.eenheid.startswith("m³") or ind.eenheid.startswith("m²"):
                    dec = 0
                rijen.append([regio, ind.id, m.peiljaren[ind.bron], _getal(v * f, dec), onder, boven])
    return _csv(["regiocode", "indicator", "jaar", "waarde", "ondergrens", "bovengrens"], rijen)


# ---------------------------------------------------------------- process, narrative, duiding

_STATUS_VAST = {
    ("overvecht", "O7", 2021): "vertraagd",
    ("batau", "BT2", 2023): "vertraagd",
    ("batau", "BT9", 2021): "niet_gestart",
    ("batau", "BT10", 2021): "niet_gestart",
    ("batau", "BT11", 2021): "niet_gestart",
    ("vollenhove", "V13", 2023): "gestopt",
    ("vollenhove", "V13", 2025): "gestopt",
    ("soesterkwartier", "S1", 2021): "niet_gestart",
    ("soesterkwartier", "S2", 2021): "niet_gestart",
}
_TOELICHTING = {
    "niet_gestart": "Synthetisch: project nog niet gestart in deze meting.",
    "loopt": "Synthetisch: project loopt volgens planning.",
    "vertraagd": "Synthetisch: mijlpalen schuiven op, project loopt achter.",
    "afgerond": "Synthetisch: project afgerond, resultaten opgeleverd.",
    "gestopt": "Synthetisch: project na evaluatie niet voortgezet.",
}


def _projecten(config: Configuratie) -> bytes:
    rijen = []
    n_met = len(config.metingen)
    for g in config.gebieden:
        lm = config.logicmodellen[g.id]
        for p in lm.projecten:
            rng = _rng("proces", g.id, p.id)
            totaal = max(3, len(p.beoogde_resultaten) + 2)
            vorige_real = 0
            gestopt_op: Optional[tuple[int, int]] = None
            for mi, m in enumerate(config.metingen):
                s, e = p.planning.start, p.planning.eind
                status = _STATUS_VAST.get((g.id, p.id, m.jaar))
                if status is None:
                    if s is not None and s > m.jaar:
                        status = "niet_gestart"
                    elif e is not None and e < m.jaar:
                        status = "afgerond"
                    else:
                        status = "loopt"
                gepland = totaal if status == "afgerond" else math.ceil(totaal * (mi + 1) / n_met * 0.9)
                if status == "niet_gestart":
                    gepland = 0 if (s is not None and s > m.jaar) else min(gepland, 1)
                    real = 0
                elif status == "afgerond":
                    real = totaal
                elif status == "gestopt":
                    if gestopt_op is None:
                        gestopt_op = (gepland, max(vorige_real, gepland // 2))
                    gepland, real = gestopt_op
                elif status == "vertraagd":
                    real = max(0, gepland - 1 - int(rng.integers(0, 2)))
                else:
                    real = max(0, gepland - int(rng.integers(0, 2)))
                real = min(gepland, max(real, vorige_real))
                vorige_real = real
                rijen.append([g.id, m.jaar, p.id, status, gepland, real, _TOELICHTING[status]])
    return _csv(["gebied", "meting", "project", "status", "mijlpalen_gepland", "mijlpalen_gerealiseerd",
                 "toelichting"], rijen)


_THEMAS = {
    "gezondheid": ["bewegen", "eenzaamheid", "stress", "leefstijl", "zorg dichtbij"],
    "veiligheid": ["veiligheidsgevoel", "overlast", "jongeren", "ondermijning"],
    "participatie_armoede": ["werk", "schulden", "ontmoeting", "vrijwilligerswerk"],
    "onderwijs": ["voorschool", "school en ouders", "loopbaan"],
    "wonen_leefomgeving": ["openbare ruimte", "groen", "woningen", "energie"],
}
_CITATEN = {
    ("gezondheid", "positief"): ["Sinds er een wandelgroep is, kom ik vaker buiten.",
                                 "Mensen weten ons nu sneller te vinden voor een gesprek over gezondheid."],
    ("gezondheid", "neutraal"): ["Er is veel aanbod, maar niet iedereen weet ervan.",
                                 "Of het helpt, is lastig te zeggen, het gaat langzaam."],
    ("gezondheid", "negatief"): ["Veel bewoners voelen zich alleen, zeker de ouderen.",
                                 "We zien meer mensen met zorgen en spanning dan vroeger."],
    ("veiligheid", "positief"): ["Het voelt rustiger op straat dan een paar jaar geleden.",
                                 "De lijnen met de wijkagent zijn korter geworden."],
    ("veiligheid", "neutraal"): ["Overdag gaat het goed, 's avonds blijf ik liever binnen.",
                                 "Meldingen komen binnen, de aanpak kost tijd."],
    ("veiligheid", "negatief"): ["Bij het winkelcentrum hangen nog steeds groepjes rond.",
                                 "Bewoners melden weinig omdat ze denken dat het niets uitmaakt."],
    ("participatie_armoede", "positief"): ["Via het buurtteam heb ik werk gevonden.",
                                           "Bewoners organiseren zelf steeds meer activiteiten."],
    ("participatie_armoede", "neutraal"): ["De regelingen zijn er wel, maar ingewikkeld.",
                                           "Sommige mensen doen mee, anderen bereiken we nog niet."],
    ("participatie_armoede", "negatief"): ["Aan het eind van de maand is er gewoon te weinig geld.",
                                           "Schulden blijven lang verborgen achter de voordeur."],
    ("onderwijs", "positief"): ["Meer peuters gaan nu naar de voorschool.",
                                "Ouders zijn vaker betrokken bij wat er op school gebeurt."],
    ("onderwijs", "neutraal"): ["Het lerarentekort blijft een zorg, maar we houden het vol.",
                                "Jongeren kiezen hun opleiding nog vaak zonder goed advies."],
    ("onderwijs", "negatief"): ["Er vallen nog te veel jongeren uit zonder diploma.",
                                "Kinderen beginnen al met een achterstand aan groep 3."],
    ("wonen_leefomgeving", "positief"): ["Het park is opgeknapt, je ziet er nu vaker mensen.",
                                         "De renovatie van de flat maakt het wonen prettiger."],
    ("wonen_leefomgeving", "neutraal"): ["Er wordt veel gebouwd, we wachten af wat het brengt.",
                                         "De plannen zijn mooi, maar nog niet overal zichtbaar."],
    ("wonen_leefomgeving", "negatief"): ["Het afval naast de containers blijft een probleem.",
                                         "Door de bouw is het lang onrustig in de straat."],
}
# Per gebied the pijlers where the built-in effects go the favourable (+1) or unfavourable (-1) way;
# the sentiment of the fragments leans the same way, more so at later metingen.
_SENTIMENT_RICHTING = {
    (O, "veiligheid"): 1, (O, "onderwijs"): 1, (B, "gezondheid"): -1, (S, "gezondheid"): 1,
    (V, "wonen_leefomgeving"): 1, (O, "participatie_armoede"): 1,
}
_AFKORTING = {O: "OVV", B: "BAT", V: "VOL", S: "SKW"}


def _fragmenten(config: Configuratie) -> bytes:
    rijen = []
    pijlers = [p.id for p in config.pijlers]
    for g in config.gebieden:
        lm = config.logicmodellen[g.id]
        gewicht = np.array([1.0 + sum(pj in p.pijlers for p in lm.projecten) for pj in pijlers])
        gewicht /= gewicht.sum()
        for mi, m in enumerate(config.metingen):
            rng = _rng("narratief", g.id, m.jaar)
            n = int(rng.integers(15, 31))
            for k in range(n):
                pj = pijlers[rng.choice(len(pijlers), p=gewicht)]
                groep = "bewoner" if rng.random() < 0.6 else "professional"
                thema = _THEMAS[pj][rng.integers(len(_THEMAS[pj]))]
                r = _SENTIMENT_RICHTING.get((g.id, pj), 0) * 0.12 * mi
                kans = np.array([0.30 + r, 0.35, 0.35 - r])
                sentiment = ["positief", "neutraal", "negatief"][rng.choice(3, p=kans / kans.sum())]
                opties = _CITATEN[(pj, sentiment)]
                citaat = opties[rng.integers(len(opties))]
                rijen.append([f"DEMO-{_AFKORTING[g.id]}-{m.jaar}-{k + 1:03d}", g.id, m.jaar, pj, groep,
                              thema, sentiment, citaat])
    return _csv(["fragment_id", "gebied", "meting", "pijler", "groep", "thema", "sentiment", "citaat"], rijen)


def _duiding(config: Configuratie) -> bytes:
    rijen = []
    for g in config.gebieden:
        for mi, m in enumerate(config.metingen):
            for p in config.pijlers:
                effecten = [(ind, e) for (geb, ind), e in sorted(_EFFECTEN.items())
                            if geb == g.id and config.indicator.get(ind) is not None
                            and config.indicator[ind].pijler == p.id]
                if mi == 0:
                    zin = (f"Dit is de nulmeting voor {g.naam}; de cijfers voor {p.naam.lower()} "
                           "dienen als vertrekpunt en liggen op de meeste indicatoren ongunstiger dan in de rest "
                           "van de gemeente.")
                elif effecten:
                    namen = ", ".join(config.indicator[i].naam.lower() for i, _ in effecten)
                    zin = (f"In de demodata is voor {g.naam} een eigen ontwikkeling ingebouwd bij: {namen}. "
                           "Lokale experts zouden hier toelichten of dat met de wijkaanpak samenhangt.")
                else:
                    zin = (f"Voor {p.naam.lower()} volgt {g.naam} in de demodata dezelfde ontwikkeling als de "
                           "rest van de gemeente; verschillen met de nulmeting zijn toeval of een algemene trend.")
                rijen.append([g.id, m.jaar, p.id, f"[Demotekst] Synthetische duiding, geen echte interpretatie. {zin}"])
    return _csv(["gebied", "meting", "pijler", "tekst"], rijen)


# ---------------------------------------------------------------- text files


_DATABRON = """\
naam: Synthetische demodata
demodata: true
omschrijving: >-
  Synthetische gegevens, gemaakt door vwanalyse.demodata met een vast zaad ({zaad}). Dit zijn GEEN
  echte cijfers: respondenten, registertellingen, referentiewaarden, projectvoortgang, citaten en
  duidingen zijn verzonnen. Alleen de omvang van de bevolking (CBS Kerncijfers wijken en buurten
  2024) en enkele niveaus uit openbare bronnen dienen als ijkpunt. De gebruikte 'waarheid' staat in
  WAARHEID.md en waarheid.csv.
"""


def _waarheid_md(config: Configuratie, geo: Geografie, survey_n: dict) -> str:
    mi_laatst = len(config.metingen) - 1
    jaren = [m.jaar for m in config.metingen]
    regels = [
        "# Waarheid van de demodata",
        "",
        "Deze map bevat **synthetische** gegevens (`vwanalyse.demodata`, zaad "
        f"{ZAAD}). Geen enkel getal is een echte meting. `waarheid.csv` geeft per gebied, rest van de "
        "gemeente en gemeente, per meting en indicator de populatiewaarde die de generator gebruikte.",
        "",
        "- `waarde`: op de schaal van de schatting: fractie (0-1) voor indicatoren in %, gemiddelde voor "
        "scores, teller/noemer x `schaal` voor registerrates. `waarde_weergave`: in de eenheid van de "
        "indicator (% als 0-100).",
        "- Survey: antwoorden zijn getrokken met de kansen die bij de waarheid horen, onafhankelijk van het "
        "gewicht (gewichten zijn niet-informatief, lognormaal, Kish-deff ongeveer 1,4). De gewogen schatting "
        "is zuiver voor de waarheid; item-non-respons (2-8% per item) is volledig toevallig. `stratum` = "
        "wijkcode met een vaste steekproefomvang per wijk; `psu` = respondent.",
        "- Gemiddelden (rapportcijfers, sociale cohesie): gehele scores `min + Binomiaal(max-min, q)`, met "
        "verwachting precies de waarheid.",
        "- Registers: aandelen zijn binomiale trekkingen, tellingen per inwoner/woning (politie, woonoverlast, "
        "verwijzingen) Poisson-trekkingen rond de waarheid; m² groen en m³ gas zijn exact. De gerealiseerde "
        "waarde (teller/noemer in de bestanden) wijkt dus iets af van de waarheid.",
        "- Gemeente = som van al haar wijken; Vollenhove is buurt BU03550205 binnen WK035502 Zeist-Noord.",
        "- De waarde van de gemeente in `waarheid.csv` is het bevolkingsgewogen gemiddelde van gebied en rest.",
        "- Het zaad is uit zo'n twintig kandidaten gekozen zodat de demo leesbaar is: geen surveyschatting "
        "voor een groot gebied (n > 200) en geen Poisson-telling ligt meer dan 3 standaardfouten van de "
        "waarheid, de effecten E1, E2, E3 en E11 zijn in 2025 significant en de nuleffecten N1-N6 niet. "
        "Verder is alles toeval: ongeveer 5% van de 95%-intervallen mist de waarheid en enkele "
        "verschil-in-verschillen zonder ingebouwd effect zijn toch significant (vals-positief), zoals in "
        "echte monitordata.",
        "",
        "## IJkpunten uit openbare bronnen",
        "",
        "Overvecht startkwalificatie 87,5% (2021) en 88,6% (2023), Utrecht 93,5%; Overvecht sociale huur "
        "66%, Utrecht 35%; Overvecht langdurig laag inkomen 23% (2021); voorschoolbereik Overvecht 62% "
        "(2021) en 80% (2023); Batau 'soms of vaak onveilig' 31% (doel 25%); Vollenhove: 40% voldoet niet "
        "aan de beweegnorm, 56% sociale huur; Batau 20% motorisch onvaardige kinderen; L-flat 728 woningen "
        "van het kookgas af in 2023. Inwoners en woningen per wijk: CBS KWB 2024.",
        "",
        "## Ingebouwde effecten",
        "",
        "Extra verandering van het gebied bovenop de algemene trend (verschil-in-verschillen ten opzichte van "
        f"de rest van de gemeente, {jaren[0]} -> {jaren[-1]}). Alle niet genoemde combinaties hebben effect 0.",
        "",
        "| id | gebied | indicator | nulmeting gebied | eindmeting gebied | verschil-in-verschillen | omschrijving |",
        "|---|---|---|---|---|---|---|",
    ]
    for (eenheid, ind_id), (eid, delta, tekst) in _EFFECTEN.items():
        if eenheid not in config.gebied:
            continue
        ind = config.indicator[ind_id]
        f = 100 if ind.is_percentage else 1
        v0, v1 = waarheid(ind_id, eenheid, 0) * f, waarheid(ind_id, eenheid, mi_laatst) * f
        rest = config.gebied[eenheid].gemeente
        r0, r1 = waarheid(ind_id, rest, 0), waarheid(ind_id, rest, mi_laatst)
        did = v1 - v0 - ((r1 - r0) * f if r0 is not None else 0.0)
        label = "" if r0 is not None else " (geen rest: alleen in het gebied geregistreerd)"
        regels.append(f"| {eid} | {eenheid} | {ind_id} | {_getal(v0, 1)} | {_getal(v1, 1)} | "
                      f"{'+' if did > 0 else ''}{_getal(did, 1)}{label} | {tekst} |")
    regels += ["", "## Bewuste nuleffecten", "", "| id | gebied | indicator | omschrijving |", "|---|---|---|---|"]
    for nid, geb, ind_id, tekst in _NULEFFECTEN:
        regels.append(f"| {nid} | {geb} | {ind_id} | {tekst} |")
    regels += [
        "",
        "Algemene trends (voor gebied en rest gelijk, dus geen effect maar wel een verandering): o.a. "
        "ervaren gezondheid daalt, moeite met rondkomen stijgt in 2022, gasverbruik daalt sterk, misdrijven "
        "stijgen licht, schooladvies havo/vwo springt in 2025 omhoog (trendbreuk doorstroomtoets).",
        "",
        "## Respondenten per gebied",
        "",
        "| bron | peiljaar | " + " | ".join(g.naam for g in config.gebieden) + " | totaal |",
        "|---|---|" + "---|" * (len(config.gebieden) + 1),
    ]
    for (bron, pj), tel in sorted(survey_n.items()):
        regels.append(f"| {bron} | {pj} | " + " | ".join(str(tel[g.id]) for g in config.gebieden)
                      + f" | {tel['totaal']} |")
    regels.append("")
    return "\n".join(regels)


def _tel_respondenten(inhoud: bytes, config: Configuratie) -> dict[str, int]:
    tekst = inhoud.decode("utf-8-sig").splitlines()
    kop = tekst[0].split(";")
    iw, ib = kop.index("wijkcode"), kop.index("buurtcode")
    tel = {g.id: 0 for g in config.gebieden}
    tel["totaal"] = 0
    for regel in tekst[1:]:
        delen = regel.split(";")
        tel["totaal"] += 1
        for g in config.gebieden:
            if delen[iw] in g.codes or delen[ib] in g.codes:
                tel[g.id] += 1
    return tel


# ---------------------------------------------------------------- entry point


def bestanden(config: Configuratie) -> dict[str, bytes]:
    """Every file of the demo folder (relative path -> content), without the manifest."""
    geo = Geografie(config)
    uit: dict[str, bytes] = {"databron.yml": _DATABRON.format(zaad=ZAAD).encode("utf-8")}
    survey_n = {}
    for mi, m in enumerate(config.metingen):
        for bron in (b.id for b in config.bronnen if b.soort == "survey"):
            pj = m.peiljaren[bron]
            inhoud = _survey(config, geo, bron, mi, pj)
            uit[f"survey/{bron}_{pj}.csv"] = inhoud
            survey_n[(bron, pj)] = _tel_respondenten(inhoud, config)
    for bron, inhoud in _registers(config, geo).items():
        uit[f"register/{bron}.csv"] = inhoud
    uit["referentie/referentiewaarden.csv"] = _referentiewaarden(config)
    uit["proces/projecten.csv"] = _projecten(config)
    uit["narratief/fragmenten.csv"] = _fragmenten(config)
    uit["duiding/duiding.csv"] = _duiding(config)
    uit["waarheid.csv"] = _csv(["gebied", "deel", "code", "meting", "indicator", "bron", "peiljaar", "statistiek",
                                "waarde", "waarde_weergave", "eenheid", "effect"], _waarheid_rijen(config, geo))
    uit["WAARHEID.md"] = _waarheid_md(config, geo, survey_n).encode("utf-8")
    return uit


def manifest(inhoud: dict[str, bytes]) -> bytes:
    regels = [f"{hashlib.sha256(inhoud[p]).hexdigest()}  {p}\n" for p in sorted(inhoud)]
    return "".join(regels).encode("utf-8")


def genereer(doel_map: Path | str, config: Configuratie) -> None:
    """Write the demo folder to `doel_map` (byte-identical on every run); MANIFEST.sha256 last.

    Files listed in an older MANIFEST.sha256 that the generator no longer writes are removed;
    other files in the folder are left alone.
    """
    doel_map = Path(doel_map)
    inhoud = bestanden(config)
    oud = doel_map / "MANIFEST.sha256"
    if oud.is_file():
        for regel in oud.read_text(encoding="utf-8").splitlines():
            pad = regel.split("  ", 1)[-1].strip()
            if pad and pad not in inhoud and ".." not in pad:
                (doel_map / pad).unlink(missing_ok=True)
    for pad, data in inhoud.items():
        schrijf_bytes(doel_map / pad, data)
        os.chmod(doel_map / pad, 0o644)
    schrijf_bytes(oud, manifest(inhoud))
    os.chmod(oud, 0o644)


def controleer_manifest(doel_map: Path | str) -> list[str]:
    """Problems with MANIFEST.sha256 of a folder (empty list: every file matches)."""
    doel_map = Path(doel_map)
    fouten = []
    gezien = set()
    for regel in (doel_map / "MANIFEST.sha256").read_text(encoding="utf-8").splitlines():
        h, pad = regel.split("  ", 1)
        gezien.add(pad)
        if not (doel_map / pad).is_file():
            fouten.append(f"ontbreekt: {pad}")
        elif sha256(doel_map / pad) != h:
            fouten.append(f"gewijzigd: {pad}")
    for f in sorted(doel_map.rglob("*")):
        rel = f.relative_to(doel_map).as_posix()
        if f.is_file() and rel != "MANIFEST.sha256" and rel not in gezien:
            fouten.append(f"niet in het manifest: {rel}")
    return fouten
