"""The planted truth of the demo data: data/config/demowaarheid.yml, read strictly, with its defaults.

The generator (`demodata.generator`) plants what this file says and nothing else: levels per
eenheid (a gebied id, or a gemeente code for the rest of that gemeente), common trends, built-in
effects, deliberate null effects, sample sizes, register denominators, population figures and the
texts of the narrative fragments. Everything the configuration names but this file does not gets a
documented default (the header of the file and `Waarheid` below), so `vwanalyse demodata` works
for any configuration: a new indicator gets a plain level and no effect, a new gebied the level of
the rest of its gemeente and no effect. The notebooks and the analysis never read this file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Optional

from vwanalyse.model.configuratie import DEMOWAARHEID_BESTAND, Configuratie, Indicator, code_niveau
from vwanalyse.model.schema import ConfigFout, NIET_GEVONDEN, bouw, lees_yaml

BESTAND = DEMOWAARHEID_BESTAND

# the documented defaults (also in the header of data/config/demowaarheid.yml)
STANDAARD_NIVEAU = {"survey_proportie": 0.25, "register_aandeel": 0.10, "register_rate": 10.0}  # gemiddelde: midden
STANDAARD_NOEMERFACTOR = 0.10        # a new denominator column: 10% of the inhabitants
STANDAARD_STEEKPROEF = 0.01          # a survey without a design: 1% of the inhabitants per gemeente
STANDAARD_LEEFTIJD = [0.30, 0.45, 0.25]
STANDAARD_CITATEN = {
    "positief": ["Op dit gebied gaat het de goede kant op in de wijk."],
    "neutraal": ["Er gebeurt veel, maar het is nog te vroeg om te zeggen wat het oplevert."],
    "negatief": ["Hier merken we nog weinig verbetering."],
}
PROJECTSTATUS = Literal["niet_gestart", "loopt", "vertraagd", "afgerond", "gestopt"]


@dataclass(frozen=True)
class Indicatorwaarheid:
    niveau: dict[str, float] = field(default_factory=dict)
    trend: list[float] = field(default_factory=list)
    nederland: Optional[float] = None
    provincie: Optional[float] = None
    deel_van: Optional[str] = None   # the teller is part of the teller of this indicator
    omvat: Optional[str] = None      # the teller contains the teller of this indicator


@dataclass(frozen=True)
class Effect:
    id: str
    gebied: str          # a gebied id, or a gemeente code (a change of the rest of that gemeente)
    indicator: str
    verandering: list[float]
    omschrijving: str


@dataclass(frozen=True)
class Nuleffect:
    id: str
    gebied: str
    indicator: str
    omschrijving: str


@dataclass(frozen=True)
class Steekproef:
    voorvoegsel: Optional[str] = None
    min_leeftijd: int = 18
    aandeel_doelpopulatie: float = 0.80
    golf: list[float] = field(default_factory=list)
    totaal: dict[str, int] = field(default_factory=dict)
    gebieden: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Noemer:
    basis: Literal["inwoners", "woningen"] = "inwoners"
    factor: dict[str, float] = field(default_factory=dict)
    aantallen: dict[str, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Buurtgebied:
    inwoners: int
    woningen: int
    groei_woningen: Optional[float] = None
    wijknaam: Optional[str] = None


@dataclass(frozen=True)
class Narratief:
    toon: dict[str, dict[str, int]] = field(default_factory=dict)
    afkorting: dict[str, str] = field(default_factory=dict)
    themas: dict[str, list[str]] = field(default_factory=dict)
    citaten: dict[str, dict[str, list[str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Netwerkwaarheid:
    """The planted wijknetwerk: organisations per domain, the share that consented to be named, the chance of a
    tie at the first and the second meting, and how much rarer a tie across the physical and social sphere is."""

    per_domein: int = 2
    toestemming: float = 0.5
    kans: list[float] = field(default_factory=lambda: [0.12, 0.22])
    kruisend_factor: list[float] = field(default_factory=lambda: [0.3, 0.9])


@dataclass(frozen=True)
class Schoolwaarheid:
    """The planted schoolloopbaan: pupils per cohort in the wijk and the rest of its gemeente (per gebied;
    `standaard` otherwise), the advice distribution over the levels (low to high) of each, the chance
    that the third-year level is one higher or one lower than the advice, and the chance of a
    startkwalificatie per third-year level (the rest stays at school or leaves without one, half each),
    lower in the wijk by `wijk_achterstand`."""

    leerlingen: dict[str, list[int]] = field(default_factory=lambda: {"overvecht": [380, 2600],
                                                                       "soesterkwartier": [45, 1250]})
    standaard: list[int] = field(default_factory=lambda: [100, 1500])
    advies_wijk: list[float] = field(default_factory=lambda: [0.38, 0.30, 0.20, 0.12])
    advies_rest: list[float] = field(default_factory=lambda: [0.20, 0.27, 0.26, 0.27])
    hoger: float = 0.10
    lager: float = 0.12
    startkwalificatie: list[float] = field(default_factory=lambda: [0.70, 0.82, 0.88, 0.93])
    wijk_achterstand: float = 0.08


@dataclass(frozen=True)
class Ruimtewaarheid:
    """The planted openbare ruimte: people per telling in each dagdeel (in the order of lokaal.yml) at
    an ordinary location, `tellingen` rounds per dagdeel and meting, overdispersed counts (negative
    binomial with shape `vorm`); per location a factor on the use and, at the last meting, the planted
    change of use (`groei`, a factor) and of the share agreeing with every statement (`beleving`,
    added to `eens`). The shares of the leeftijdsgroepen and activiteiten are the same everywhere;
    `respondenten` per location and meting answer the statements."""

    per_dagdeel: list[float] = field(default_factory=lambda: [10.0, 22.0, 14.0])
    tellingen: int = 4
    vorm: float = 4.0
    factor: dict[str, float] = field(default_factory=lambda: {"amazonedreef": 1.6, "muntenbuurt_winkels": 1.4})
    groei: dict[str, float] = field(default_factory=lambda: {"groene_lint": 1.7, "park_de_watertoren": 1.3})
    leeftijd: list[float] = field(default_factory=lambda: [0.22, 0.12, 0.50, 0.16])
    activiteit: list[float] = field(default_factory=lambda: [0.25, 0.30, 0.45])
    eens: float = 0.55
    beleving: dict[str, float] = field(default_factory=lambda: {"groene_lint": 0.2, "muntenbuurt_pleinen": 0.15})
    respondenten: list[int] = field(default_factory=lambda: [60, 25])  # ordinary location, the smallest one


@dataclass(frozen=True)
class Toelichting:
    zaad: Optional[str] = None
    ijkpunten: Optional[str] = None
    trends: Optional[str] = None


@dataclass(frozen=True)
class Demowaarheid:
    waarheid: dict[str, Indicatorwaarheid] = field(default_factory=dict)
    effecten: list[Effect] = field(default_factory=list)
    nuleffecten: list[Nuleffect] = field(default_factory=list)
    steekproef: dict[str, Steekproef] = field(default_factory=dict)
    verdeling: dict[str, list[list[float]]] = field(default_factory=dict)
    basisbron: Optional[str] = None
    noemers: dict[str, Noemer] = field(default_factory=dict)
    bevolking: dict[str, list[int]] = field(default_factory=dict)
    buurten: dict[str, dict[str, float]] = field(default_factory=dict)
    buurtgebieden: dict[str, Buurtgebied] = field(default_factory=dict)
    groei: dict[str, float] = field(default_factory=dict)
    leeftijd: dict[str, list[float]] = field(default_factory=dict)
    projectstatus: dict[str, dict[str, dict[int, PROJECTSTATUS]]] = field(default_factory=dict)
    narratief: Narratief = field(default_factory=Narratief)
    wijknetwerk: Netwerkwaarheid = field(default_factory=Netwerkwaarheid)
    schoolloopbaan: Schoolwaarheid = field(default_factory=Schoolwaarheid)
    openbare_ruimte: Ruimtewaarheid = field(default_factory=Ruimtewaarheid)
    toelichting: Toelichting = field(default_factory=Toelichting)


def laad(config: Configuratie, pad: Optional[Path] = None) -> Demowaarheid:
    """The planted truth of this configuration (its demowaarheid.yml; all defaults without one)."""
    pad = Path(pad) if pad is not None else Path(config.map) / BESTAND
    try:
        data = lees_yaml(pad)
    except ConfigFout as fout:
        if fout.melding == NIET_GEVONDEN:
            return Demowaarheid()
        raise
    w = bouw(Demowaarheid, data if data is not None else {}, pad, "")
    _controleer(w, config, pad)
    return w


def leidend(config: Configuratie, ind: Indicator, dw: "Demowaarheid") -> Indicator:
    """The indicator whose truth drives the answers to `ind`'s survey item (`ind` itself for a register).

    Several indicators can count codes of one item (overgewicht and obesitas both use bmi_klasse): the
    first of them with a planted truth leads, else the first in the catalogue; the others follow from
    its answer distribution, wherever they stand in the catalogue.
    """
    if not ind.is_survey:
        return ind
    zelfde = [i for i in config.indicatoren
              if i.is_survey and i.bron == ind.bron and i.berekening.item == ind.berekening.item]
    return next((i for i in zelfde if i.id in dw.waarheid), zelfde[0])


def gedeeld_item(config: Configuratie, ind: Indicator, dw: "Demowaarheid") -> Optional[Indicator]:
    """The indicator that leads `ind`'s shared survey item (None: `ind` leads or has its own item)."""
    eerste = leidend(config, ind, dw)
    return None if eerste.id == ind.id else eerste


def standaard_niveau(ind: Indicator) -> float:
    """The level of an indicator without a planted truth (the same in every eenheid)."""
    if ind.statistiek == "survey_gemiddelde":
        lo, hi = ind.berekening.bereik
        return lo + round(hi - lo) / 2
    return STANDAARD_NIVEAU[ind.statistiek]


def standaardwaarden(config: Configuratie, dw: Demowaarheid) -> list[str]:
    """What gets a default instead of a planted truth, one line each (empty when everything is planted)."""
    regels = []
    for ind in config.indicatoren:
        eerder = gedeeld_item(config, ind, dw)
        if eerder is not None:
            regels.append(f"{ind.id}: afgeleid uit de antwoordverdeling van item `{ind.berekening.item}` "
                          f"(waarheid van {eerder.id}).")
        elif ind.id not in dw.waarheid:
            niveau = f"{standaard_niveau(ind):g}".replace(".", ",")
            regels.append(f"{ind.id}: standaardniveau {niveau} in elk gebied en elke gemeente, geen trend, geen "
                          "effect.")
    geplant = {e for iw in dw.waarheid.values() for e in iw.niveau}
    for g in config.gebieden:
        if g.id not in geplant:
            regels.append(f"{g.id}: het niveau van de rest van {config.gemeente[g.gemeente].naam}, geen effect.")
    return regels


def _controleer(w: Demowaarheid, config: Configuratie, pad: Path) -> None:
    for ind_id, iw in w.waarheid.items():
        ind = config.indicator.get(ind_id)
        if ind is None:
            continue
        eerder = gedeeld_item(config, ind, w)
        if eerder is not None and (iw.niveau or iw.trend or iw.nederland is not None or iw.provincie is not None):
            raise ConfigFout(pad, f"waarheid.{ind_id}",
                             f"deelt item {ind.berekening.item!r} met {eerder.id}, die ook een geplante waarheid "
                             f"heeft; de waarheid van één indicator bepaalt de antwoorden op een item, de andere "
                             f"volgt uit die antwoordverdeling (verdeling.{ind.berekening.item}); verwacht: een "
                             f"waarheid voor {eerder.id} of voor {ind_id}, niet voor beide")
        for eenheid in iw.niveau:
            _controleer_eenheid(eenheid, pad, f"waarheid.{ind_id}.niveau.{eenheid}")
    gezien: dict[tuple[str, str], str] = {}
    for i, e in enumerate(w.effecten):
        _controleer_eenheid(e.gebied, pad, f"effecten[{i}] ({e.id})")
        if (e.gebied, e.indicator) in gezien:
            raise ConfigFout(pad, f"effecten[{i}] ({e.id})",
                             f"{e.gebied}/{e.indicator} heeft al een effect ({gezien[(e.gebied, e.indicator)]}); "
                             "verwacht: één effect per eenheid en indicator")
        gezien[(e.gebied, e.indicator)] = e.id
    for item, delen in w.verdeling.items():
        if len(delen) != 2:
            raise ConfigFout(pad, f"verdeling.{item}", "verwacht: twee lijsten, [binnen de tellercodes, binnen de "
                                                      f"overige geldige codes]; gevonden: {len(delen)}")
        eerste = next((i for i in config.indicatoren if i.is_survey and i.berekening.item == item), None)
        ind = leidend(config, eerste, w) if eerste is not None else None
        if ind is None or ind.statistiek != "survey_proportie":
            continue
        b = ind.berekening
        teller = [c for c in b.geldige_codes if c in b.teller_codes]
        overig = [c for c in b.geldige_codes if c not in b.teller_codes]
        if (len(delen[0]), len(delen[1])) != (len(teller), len(overig)):
            raise ConfigFout(pad, f"verdeling.{item}",
                             f"verwacht: {len(teller)} gewicht(en) voor de tellercodes {teller} en {len(overig)} voor de "
                             f"overige codes {overig} van {ind.id}; gevonden: {len(delen[0])} en {len(delen[1])}")


def _controleer_eenheid(eenheid: str, pad: Path, plek: str) -> None:
    if eenheid.startswith("GM") and code_niveau(eenheid) != "gemeente":
        raise ConfigFout(pad, plek, f"ongeldige gemeentecode {eenheid!r} (verwacht: GM + 4 cijfers of een gebied-id)")


def ongebruikt(w: Demowaarheid, config: Configuratie) -> list[str]:
    """Entries of the file the configuration does not know (they are ignored), for the command line."""
    bekend = set(config.gebied) | set(config.gemeente)
    regels = []
    for ind_id, iw in w.waarheid.items():
        if ind_id not in config.indicator:
            regels.append(f"waarheid.{ind_id}: geen indicator in indicatoren.yml")
        else:
            regels += [f"waarheid.{ind_id}.niveau.{e}: geen gebied of gemeente in gebieden.yml"
                       for e in iw.niveau if e not in bekend]
    for i, e in enumerate(w.effecten):
        if e.gebied not in bekend or e.indicator not in config.indicator:
            regels.append(f"effecten[{i}] ({e.id}): {e.gebied}/{e.indicator} staat niet in de configuratie")
    for i, n in enumerate(w.nuleffecten):
        if n.gebied not in config.gebied or n.indicator not in config.indicator:
            regels.append(f"nuleffecten[{i}] ({n.id}): {n.gebied}/{n.indicator} staat niet in de configuratie")
    for bron in w.steekproef:
        if bron not in config.bron:
            regels.append(f"steekproef.{bron}: geen bron in bronnen.yml")
    for gebied, projecten in w.projectstatus.items():
        if gebied not in config.gebied:
            regels.append(f"projectstatus.{gebied}: geen gebied in gebieden.yml")
            continue
        ids = {p.id for p in config.logicmodellen[gebied].projecten}
        regels += [f"projectstatus.{gebied}.{p}: geen project in het logic model van {gebied}"
                   for p in projecten if p not in ids]
    return regels
