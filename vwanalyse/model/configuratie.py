"""Typed models of the monitor's configuration (data/config/*.yml) and their loading.

`laad_configuratie()` reads every file, builds the dataclasses strictly (see `schema.bouw`) and
then checks the references between files: an indicator's pijler and bron, a gebied's CBS codes,
a logic model's indicators. Any problem raises `ConfigFout` naming the file and the entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Literal, Optional

from vwanalyse.model.schema import ConfigFout, bouw, een_sleutel, lees_yaml, regel_van

Richting = Literal["hoger_gunstig", "lager_gunstig", "neutraal"]
Statistiek = Literal["survey_proportie", "survey_gemiddelde", "register_rate", "register_aandeel"]

# ids that become papermill parameters, file names and page names: nothing arbitrary may pass
ID_PATROON = re.compile(r"[a-z][a-z0-9_]*")

# the files of a configuration folder
NOTEBOOKS_BESTAND = "notebooks.yml"
LOKAAL_BESTAND = "lokaal.yml"  # the local modules (Lokale verdieping) and their gebieden
# the planted truth of the synthetic demo data: read by vwanalyse.demodata only, never by the analysis
DEMOWAARHEID_BESTAND = "demowaarheid.yml"


def _controleer_id(waarde: str, bestand: Path, plek: str, soort: str = "id") -> None:
    if not ID_PATROON.fullmatch(waarde):
        raise ConfigFout(bestand, plek, f"{soort} {waarde!r} mag alleen kleine letters, cijfers en _ "
                                        "bevatten (en begint met een letter)")


_CODE_PATRONEN = {
    "wijk": re.compile(r"^WK(\d{4})\d{2}$"),
    "buurt": re.compile(r"^BU(\d{4})\d{4}$"),
    "gemeente": re.compile(r"^GM(\d{4})$"),
}


def code_niveau(code: str) -> Optional[str]:
    """'wijk', 'buurt' or 'gemeente' for a valid CBS area code, else None."""
    for niveau, patroon in _CODE_PATRONEN.items():
        if patroon.match(code):
            return niveau
    return None


def gemeente_van(code: str) -> Optional[str]:
    """The GMxxxx code a wijk or buurt code lies in (CBS codes embed the gemeente number)."""
    for patroon in _CODE_PATRONEN.values():
        m = patroon.match(code)
        if m:
            return f"GM{m.group(1)}"
    return None


# ---------------------------------------------------------------- pijlers and bronnen


@dataclass(frozen=True)
class Pijler:
    id: str
    naam: str
    omschrijving: str


@dataclass(frozen=True)
class Bron:
    id: str
    naam: str
    uitgever: str
    soort: Literal["survey", "register", "proces", "narratief"]
    omschrijving: str
    url: Optional[str] = None


# ---------------------------------------------------------------- gebieden


@dataclass(frozen=True)
class Regio:
    code: str
    naam: str


@dataclass(frozen=True)
class Gebied:
    id: str
    naam: str
    gemeente: str
    codes: list[str]
    wijkaanpak: str
    omschrijving: str

    @property
    def rest_code(self) -> str:
        """Pseudo-code of 'the rest of the gemeente' (gemeente minus this gebied)."""
        return f"REST_{self.id}"


@dataclass(frozen=True)
class GebiedenBestand:
    land: Regio
    provincie: Regio
    gemeenten: list[Regio]
    gebieden: list[Gebied]


# ---------------------------------------------------------------- metingen


@dataclass(frozen=True)
class Meting:
    jaar: int
    naam: str
    nulmeting: bool
    peiljaren: dict[str, int]
    omschrijving: str


@dataclass(frozen=True)
class MetingenBestand:
    metingen: list[Meting]


# ---------------------------------------------------------------- indicators


@dataclass(frozen=True)
class Definitie:
    teller: str
    noemer: str
    doelpopulatie: str


@dataclass(frozen=True)
class Berekening:
    """How the indicator is computed from the input files.

    Survey indicators name a column of the microdata (`item`); a proportion counts the answer
    codes in `teller_codes` among the `geldige_codes`, a mean averages answers within `bereik`.
    Register indicators divide column `teller` by column `noemer` of the register file, summed
    over the CBS codes of an area, times `schaal`. `telling: gebeurtenissen` marks a rate whose
    teller counts events (crimes, burglaries, reports, referrals), not persons: its changes and its
    comparison with the rest of the gemeente get the exact Poisson test and its DiD a quasi-Poisson
    model, shown as indicatief; it comes with `interval: poisson`. `labels` (optional, proportions)
    names every geldige code as the questionnaire does; the value labels of an SPSS export are
    checked against them, so that a changed questionnaire is caught.
    """

    item: Optional[str] = None
    geldige_codes: Optional[list[int]] = None
    teller_codes: Optional[list[int]] = None
    labels: Optional[dict[int, str]] = None
    bereik: Optional[list[float]] = None
    teller: Optional[str] = None
    noemer: Optional[str] = None
    schaal: float = 1.0
    interval: Literal["geen", "poisson"] = "geen"
    telling: Optional[Literal["gebeurtenissen"]] = None


@dataclass(frozen=True)
class Indicator:
    id: str
    naam: str
    pijler: str
    set: Literal["kernset", "aanvullend"]
    type: Literal["uitkomst", "proces", "narratief"]
    niveau: Literal["context", "output", "outcome"]
    bron: str
    bronvariabele: str
    definitie: Definitie
    eenheid: str
    richting: Richting
    statistiek: Statistiek
    vergelijkbaar_vanaf: int
    berekening: Berekening
    toelichting: str = ""
    gebieden: list[str] = field(default_factory=list)

    @property
    def is_survey(self) -> bool:
        return self.statistiek.startswith("survey_")

    @property
    def is_percentage(self) -> bool:
        return self.eenheid == "%"

    @property
    def telt_gebeurtenissen(self) -> bool:
        """A register rate of event counts (`telling: gebeurtenissen`): tested with Poisson methods."""
        return self.berekening.telling == "gebeurtenissen"


@dataclass(frozen=True)
class IndicatorenBestand:
    indicatoren: list[Indicator]


# ---------------------------------------------------------------- logic models


@dataclass(frozen=True)
class BronTekst:
    tekst: str
    bron: str


@dataclass(frozen=True)
class Ambitie:
    id: str
    naam: str
    pijlers: list[str]


@dataclass(frozen=True)
class Financieringsregel:
    omschrijving: str
    rijk: Optional[int]
    provincie: Optional[int]
    gemeente: Optional[int]
    status: Literal["bekend", "vertrouwelijk", "onbekend"]
    bron: str
    ambitie: Optional[str] = None


@dataclass(frozen=True)
class Bedragen:
    rijk: Optional[int]
    provincie: Optional[int]
    gemeente: Optional[int]
    bron: str


@dataclass(frozen=True)
class Input:
    regels: list[Financieringsregel]
    subtotaal: Optional[Bedragen]


@dataclass(frozen=True)
class Bijdrage:
    bedrag_euro: Optional[int]
    status: Literal["bekend", "vertrouwelijk", "ontbreekt", "elders_gefinancierd", "regeltotaal"]
    toelichting: str


@dataclass(frozen=True)
class Planning:
    start: Optional[int]
    eind: Optional[int]
    toelichting: str


@dataclass(frozen=True)
class Project:
    id: str
    naam: str
    ambitie: str
    pijlers: list[str]
    doel: str
    beoogde_resultaten: list[str]
    bijdrage: Bijdrage
    planning: Planning
    partners: list[str]
    indicatoren: list[str]
    bron: str


@dataclass(frozen=True)
class BekendProbleem:
    id: str
    omschrijving: str
    bron: str


@dataclass(frozen=True)
class Logicmodel:
    gebied: str
    wijkaanpak: str
    bron: str
    context: list[BronTekst]
    ambities: list[Ambitie]
    input: Input
    projecten: list[Project]
    bekende_problemen: list[BekendProbleem]

    @property
    def outcome_indicatoren(self) -> list[str]:
        """Indicator ids the projects aim at, in first-mention order."""
        gezien: dict[str, None] = {}
        for project in self.projecten:
            for ind in project.indicatoren:
                gezien.setdefault(ind, None)
        return list(gezien)


@dataclass(frozen=True)
class ProvincialeBijdrage:
    omschrijving: str
    bedrag_euro: Optional[int]
    bron: str


@dataclass(frozen=True)
class Regiodeal:
    bron: str
    eenheid: str
    algemeen: list[Financieringsregel]
    totaal_gedrukt: Bedragen
    provinciale_besluiten: list[ProvincialeBijdrage]
    bekende_problemen: list[BekendProbleem]


# ---------------------------------------------------------------- notebooks of the book


@dataclass(frozen=True)
class NotebookDefinitie:
    """One analysis of the book: a template in notebooks/ and what it runs over."""

    sjabloon: str
    over: list[Literal["gebied", "meting", "pijler"]]
    deel: Literal["wijken", "pijlers", "analyses", "lokaal"]
    omschrijving: str
    module: Optional[str] = None  # a local module of lokaal.yml: the notebook runs only for its gebieden

    def pagina(self, **waarden) -> str:
        """The page name of the notebook for these values of `over` (book/uitvoer/<naam>):
        'factsheet-batau-2023'."""
        return "-".join([self.sjabloon, *(str(waarden[d]) for d in self.over)])


# ---------------------------------------------------------------- local modules (lokaal.yml)


@dataclass(frozen=True)
class Domein:
    """A domain of organisations in a wijknetwerk; `sfeer` says whether it works on the physical or the
    social side of the wijk (ties between the two are reported separately)."""

    id: str
    naam: str
    sfeer: Literal["fysiek", "sociaal", "overig"]


@dataclass(frozen=True)
class Wijknetwerk:
    """The network survey of organisations in a wijk, at two metingen."""

    naam: str
    omschrijving: str
    gebieden: list[str]
    metingen: list[int]
    domeinen: list[Domein]

    @cached_property
    def domein(self) -> dict[str, Domein]:
        return {d.id: d for d in self.domeinen}


@dataclass(frozen=True)
class Categorie:
    """A category of the schoolloopbaan (a school level or an outcome), in the order given."""

    id: str
    naam: str


@dataclass(frozen=True)
class Schoolloopbaan:
    """A register cohort of pupils (DUO): schooladvies -> level in the third year of secondary school ->
    outcome, for the pupils living in the wijk and in the rest of its gemeente. `niveaus` (ordered from
    lowest to highest) are the levels of both the advice and the third year; `cohorten` are the school
    years in which the pupils left primary school (pooled on the page)."""

    naam: str
    omschrijving: str
    gebieden: list[str]
    cohorten: list[int]
    niveaus: list[Categorie]
    uitkomsten: list[Categorie]
    uitkomst_moment: str  # when the outcome is measured, in words ('zeven jaar na groep 8')

    @cached_property
    def niveau(self) -> dict[str, Categorie]:
        return {c.id: c for c in self.niveaus}

    @cached_property
    def uitkomst(self) -> dict[str, Categorie]:
        return {c.id: c for c in self.uitkomsten}


@dataclass(frozen=True)
class Locatie:
    """A place in a gebied where the use of the openbare ruimte is counted."""

    id: str
    naam: str
    gebied: str


@dataclass(frozen=True)
class Beleving:
    """The short beleving survey at the locations: statements answered on a scale of 1 to `schaal`;
    an answer of `eens_vanaf` or higher counts as agreeing."""

    schaal: int
    eens_vanaf: int
    vragen: list[Categorie]


@dataclass(frozen=True)
class OpenbareRuimte:
    """Observations of the use of public space (people per count, by age group and activity, per
    location and dagdeel) and a beleving survey, at two or more metingen (first and last compared)."""

    naam: str
    omschrijving: str
    gebieden: list[str]
    metingen: list[int]
    locaties: list[Locatie]
    dagdelen: list[Categorie]
    leeftijdsgroepen: list[Categorie]
    activiteiten: list[Categorie]
    beleving: Beleving

    def locaties_van(self, gebied: str) -> list[Locatie]:
        return [loc for loc in self.locaties if loc.gebied == gebied]


@dataclass(frozen=True)
class Lokaal:
    """The local studies that only some gebieden have; one field per module (room for more)."""

    wijknetwerk: Optional[Wijknetwerk] = None
    schoolloopbaan: Optional[Schoolloopbaan] = None
    openbare_ruimte: Optional[OpenbareRuimte] = None

    def module(self, naam: str):
        """The configured module `naam`; an error for a page that asks for a module lokaal.yml lacks."""
        m = getattr(self, naam, None)
        if m is None:
            raise ValueError(f"de configuratie heeft geen module {naam} (lokaal.yml)")
        return m

    def gebieden(self, module: str) -> list[str]:
        """The gebieden configured with this module ([] for a module that is not configured)."""
        m = getattr(self, module, None)
        return list(m.gebieden) if m is not None else []


# ---------------------------------------------------------------- assumptions and caveats


@dataclass(frozen=True)
class Kanttekening:
    """One entry of the assumptions and caveats log (kanttekeningen.yml), shown in the verantwoording."""

    id: str
    onderwerp: str
    kanttekening: str
    gevolg: str
    bron: Optional[str] = None


# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class Onthulling:
    """Disclosure control thresholds (GGD practice)."""

    min_n: int = 30
    min_cel: int = 5
    max_aandeel_categorie: float = 0.9


@dataclass(frozen=True)
class Steekproefontwerp:
    """How the strata and PSUs (`stratum`, `psu`) of the survey files are read.

    psu_genest_in_stratum: true when the PSU codes are numbered within each stratum (1, 2, ... in
    every stratum again; the PSU is the stratum-psu pair, as R's nest=TRUE), false when a code is
    unique in the whole file (a code in two strata is then an error). Unset is fine as long as no
    code occurs in more than one stratum; otherwise the loader asks for the choice.
    eenzame_psu: what a stratum with a single PSU adds to the variance, as R's survey.lonely.psu:
    certainty (nothing, the default) or adjust.
    """

    psu_genest_in_stratum: Optional[bool] = None
    eenzame_psu: Literal["certainty", "adjust"] = "certainty"


@dataclass(frozen=True)
class Bevolkingsprofiel:
    """The population profile on a wijk's first screen.

    aantallen: indicators whose noemer (inwoners, huishoudens, woningen, ...) is shown as a count;
    kenmerken: indicators shown as characteristics of the population. Both beside the gemeente.
    """

    aantallen: list[str] = field(default_factory=list)
    kenmerken: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Plausibiliteit:
    """Bounds beyond which a number in the data is refused as absurd (invoer.bronnen).

    gewicht_factor: every survey weight lies within this factor of the median weight of its file
    (weight / median in [1 / factor, factor]). teller_per_noemer: a register rate's teller is at
    most this many times its noemer (shares are bounded by teller <= noemer anyway).
    """

    gewicht_factor: float = 50.0
    teller_per_noemer: float = 10_000.0


@dataclass(frozen=True)
class Context:
    """The explorer's context: the kernset for every wijk of the gemeenten, and per monitor gebied
    the `vergelijkbaar_aantal` wijken closest to it on the indicator `vergelijkbaar_op`."""

    vergelijkbaar_op: str = "laag_inkomen"
    vergelijkbaar_aantal: int = 5


@dataclass(frozen=True)
class Instellingen:
    alpha: float
    onthulling: Onthulling
    bronvermelding: str
    steekproefontwerp: Steekproefontwerp = field(default_factory=Steekproefontwerp)
    bevolkingsprofiel: Bevolkingsprofiel = field(default_factory=Bevolkingsprofiel)
    context: Context = field(default_factory=Context)
    plausibiliteit: Plausibiliteit = field(default_factory=Plausibiliteit)
    # where the site is published (https, ending in '/'): the PDFs link there, never to a local file
    publicatieadres: Optional[str] = None


# ---------------------------------------------------------------- the whole configuration


@dataclass(frozen=True)
class Configuratie:
    pijlers: list[Pijler]
    bronnen: list[Bron]
    gebieden_bestand: GebiedenBestand
    metingen: list[Meting]
    indicatoren: list[Indicator]
    logicmodellen: dict[str, Logicmodel]
    regiodeal: Regiodeal
    instellingen: Instellingen
    notebooks: list[NotebookDefinitie]
    map: Path
    kanttekeningen: list[Kanttekening] = field(default_factory=list)
    lokaal: Lokaal = field(default_factory=Lokaal)

    @property
    def gebieden(self) -> list[Gebied]:
        return self.gebieden_bestand.gebieden

    @cached_property
    def gebied(self) -> dict[str, Gebied]:
        return {g.id: g for g in self.gebieden}

    @cached_property
    def pijler(self) -> dict[str, Pijler]:
        return {p.id: p for p in self.pijlers}

    @cached_property
    def bron(self) -> dict[str, Bron]:
        return {b.id: b for b in self.bronnen}

    @cached_property
    def indicator(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicatoren}

    @cached_property
    def meting(self) -> dict[int, Meting]:
        return {m.jaar: m for m in self.metingen}

    @cached_property
    def gemeente(self) -> dict[str, Regio]:
        return {g.code: g for g in self.gebieden_bestand.gemeenten}

    @property
    def nulmeting(self) -> Meting:
        return next(m for m in self.metingen if m.nulmeting)

    def indicatoren_voor(self, gebied_id: str) -> list[Indicator]:
        """Kernset plus the aanvullende indicators of this gebied, in catalogue order."""
        return [i for i in self.indicatoren if i.set == "kernset" or gebied_id in i.gebieden]


def _uniek(items, sleutel, bestand, lijst) -> None:
    gezien = set()
    for i, item in enumerate(items):
        waarde = getattr(item, sleutel)
        if waarde in gezien:
            raise ConfigFout(bestand, f"{lijst}[{i}]", f"{sleutel} {waarde!r} komt meer dan één keer voor")
        gezien.add(waarde)


def _lees(tp, bestand: Path, sleutel: Optional[str] = None):
    data = lees_yaml(bestand)
    if sleutel is not None:
        if not isinstance(data, dict) or set(data) != {sleutel}:
            raise ConfigFout(bestand, "", een_sleutel(sleutel))
        return bouw(tp, data[sleutel], bestand, sleutel)
    return bouw(tp, data, bestand, "")


def laad_configuratie(map: Path | str) -> Configuratie:
    """The configuration in folder `map` (a project's data/config), checked; raises ConfigFout."""
    map = Path(map)
    pijlers = _lees(list[Pijler], map / "pijlers.yml", "pijlers")
    _uniek(pijlers, "id", map / "pijlers.yml", "pijlers")
    for i, p in enumerate(pijlers):
        _controleer_id(p.id, map / "pijlers.yml", f"pijlers[{i}]")
    bronnen = _lees(list[Bron], map / "bronnen.yml", "bronnen")
    _uniek(bronnen, "id", map / "bronnen.yml", "bronnen")
    gebieden = _lees(GebiedenBestand, map / "gebieden.yml")
    metingen = _lees(list[Meting], map / "metingen.yml", "metingen")
    indicatoren = _lees(list[Indicator], map / "indicatoren.yml", "indicatoren")
    instellingen = _lees(Instellingen, map / "instellingen.yml")
    regiodeal = _lees(Regiodeal, map / "logicmodellen" / "regiodeal.yml")
    notebooks = _lees(list[NotebookDefinitie], map / NOTEBOOKS_BESTAND, "notebooks")
    kanttekeningen = _lees(list[Kanttekening], map / "kanttekeningen.yml", "kanttekeningen")
    lokaal = _lees(Lokaal, map / LOKAAL_BESTAND) if (map / LOKAAL_BESTAND).is_file() else Lokaal()
    for i, g in enumerate(gebieden.gebieden):  # before an id is used in a file name
        _controleer_id(g.id, map / "gebieden.yml", f"gebieden[{i}] ({g.id})")
    logicmodellen = {}
    for g in gebieden.gebieden:
        pad = map / "logicmodellen" / f"{g.id}.yml"
        logicmodellen[g.id] = _lees(Logicmodel, pad)

    config = Configuratie(
        pijlers=pijlers, bronnen=bronnen, gebieden_bestand=gebieden, metingen=metingen,
        indicatoren=indicatoren, logicmodellen=logicmodellen, regiodeal=regiodeal,
        instellingen=instellingen, notebooks=notebooks, map=map, kanttekeningen=kanttekeningen, lokaal=lokaal,
    )
    _controleer_lokaal(config, map / LOKAAL_BESTAND)
    _controleer_instellingen(config.instellingen, map / "instellingen.yml")
    _controleer_notebooks(config, map / NOTEBOOKS_BESTAND)
    _controleer_kanttekeningen(config.kanttekeningen, map / "kanttekeningen.yml")
    _controleer_gebieden(config, map / "gebieden.yml")
    _controleer_metingen(config, map / "metingen.yml")
    _controleer_indicatoren(config, map / "indicatoren.yml")
    _controleer_bevolkingsprofiel(config, map / "instellingen.yml")
    _controleer_context(config, map / "instellingen.yml")
    for g in config.gebieden:
        _controleer_logicmodel(config, config.logicmodellen[g.id], map / "logicmodellen" / f"{g.id}.yml")
    return config


def _controleer_bevolkingsprofiel(config: Configuratie, bestand: Path) -> None:
    profiel = config.instellingen.bevolkingsprofiel
    for soort in ("aantallen", "kenmerken"):
        for i, ind in enumerate(getattr(profiel, soort)):
            plek = f"bevolkingsprofiel.{soort}[{i}]"
            if ind not in config.indicator:
                raise ConfigFout(bestand, plek, f"indicator {ind!r} staat niet in indicatoren.yml")
            if soort == "aantallen" and not config.indicator[ind].statistiek.startswith("register_"):
                raise ConfigFout(bestand, plek, f"indicator {ind!r} is geen registerindicator; verwacht: een "
                                                "indicator met een noemer (aantal inwoners, huishoudens, woningen)")


def _controleer_context(config: Configuratie, bestand: Path) -> None:
    c = config.instellingen.context
    if c.vergelijkbaar_op not in config.indicator or config.indicator[c.vergelijkbaar_op].set != "kernset":
        raise ConfigFout(bestand, "context.vergelijkbaar_op", f"verwacht: een kernsetindicator uit indicatoren.yml, "
                                                              f"gevonden: {c.vergelijkbaar_op!r}")
    if c.vergelijkbaar_aantal < 1:
        raise ConfigFout(bestand, "context.vergelijkbaar_aantal", f"verwacht: een aantal wijken van minstens 1, "
                                                                  f"gevonden: {c.vergelijkbaar_aantal}")


def _controleer_instellingen(instellingen: Instellingen, bestand: Path) -> None:
    """Settings whose values the estimates cannot work with (an alpha of 1.5 inverts every interval)."""
    def binnen(plek: str, waarde: float, verwacht: str, goed: bool) -> None:
        if not goed or waarde != waarde:  # NaN
            regel = regel_van(bestand, plek)
            raise ConfigFout(bestand, f"{plek} (regel {regel})" if regel else plek,
                             f"verwacht {verwacht}, gevonden {f'{waarde:g}'.replace('.', ',')}")

    binnen("alpha", instellingen.alpha, "een significantieniveau groter dan 0 en kleiner dan 0,5 (gebruikelijk: 0.05)",
           0 < instellingen.alpha < 0.5)
    o = instellingen.onthulling
    binnen("onthulling.min_n", o.min_n, "een geheel aantal respondenten van minstens 1", o.min_n >= 1)
    binnen("onthulling.min_cel", o.min_cel, "een geheel aantal respondenten van minstens 0", o.min_cel >= 0)
    binnen("onthulling.max_aandeel_categorie", o.max_aandeel_categorie, "een aandeel groter dan 0,5 en hoogstens 1",
           0.5 < o.max_aandeel_categorie <= 1)
    p = instellingen.plausibiliteit
    binnen("plausibiliteit.gewicht_factor", p.gewicht_factor, "een factor groter dan 1 (bijvoorbeeld 50)",
           1 < p.gewicht_factor < float("inf"))
    binnen("plausibiliteit.teller_per_noemer", p.teller_per_noemer, "een positief getal (bijvoorbeeld 10000)",
           0 < p.teller_per_noemer < float("inf"))
    adres = instellingen.publicatieadres
    if adres is not None and not re.fullmatch(r"https://[^\s/?#]+/([^\s?#]*/)?", adres):
        raise ConfigFout(bestand, "publicatieadres", f"verwacht het https-adres van de gepubliceerde site, eindigend "
                         f"op '/' (bijvoorbeeld https://voorbeeld.github.io/eindrapportage/), gevonden {adres!r}")


def _controleer_gebieden(config: Configuratie, bestand: Path) -> None:
    b = config.gebieden_bestand
    _uniek(b.gemeenten, "code", bestand, "gemeenten")
    _uniek(b.gebieden, "id", bestand, "gebieden")
    for i, gm in enumerate(b.gemeenten):
        if code_niveau(gm.code) != "gemeente":
            raise ConfigFout(bestand, f"gemeenten[{i}]", f"ongeldige CBS-gemeentecode {gm.code!r} (verwacht: GM + 4 cijfers)")
    for i, g in enumerate(b.gebieden):
        plek = f"gebieden[{i}] ({g.id})"
        if g.gemeente not in config.gemeente:
            raise ConfigFout(bestand, plek, f"gemeente {g.gemeente!r} staat niet onder gemeenten")
        if not g.codes:
            raise ConfigFout(bestand, plek, "codes is leeg; verwacht: een of meer CBS-wijkcodes (WK) of -buurtcodes (BU)")
        for code in g.codes:
            if code_niveau(code) not in ("wijk", "buurt"):
                raise ConfigFout(bestand, plek, f"ongeldige CBS-code {code!r} (verwacht: WK + 6 cijfers of BU + 8 cijfers)")
            if gemeente_van(code) != g.gemeente:
                raise ConfigFout(bestand, plek, f"CBS-code {code!r} ligt niet in gemeente {g.gemeente}")


def _controleer_metingen(config: Configuratie, bestand: Path) -> None:
    _uniek(config.metingen, "jaar", bestand, "metingen")
    jaren = [m.jaar for m in config.metingen]
    if jaren != sorted(jaren):
        raise ConfigFout(bestand, "metingen", f"metingen moeten in chronologische volgorde staan; gevonden: {jaren}")
    nul = [m.jaar for m in config.metingen if m.nulmeting]
    if len(nul) != 1 or nul[0] != jaren[0]:
        raise ConfigFout(bestand, "metingen", f"verwacht: precies één nulmeting, de eerste meting; gevonden: {nul}")
    for i, m in enumerate(config.metingen):
        for bron in m.peiljaren:
            if bron not in config.bron:
                raise ConfigFout(bestand, f"metingen[{i}] ({m.jaar}).peiljaren",
                                 f"onbekende bron {bron!r}; bekend: {', '.join(config.bron)}")
    bronnen = [set(m.peiljaren) for m in config.metingen]
    for i, b in enumerate(bronnen):
        if b != bronnen[0]:
            raise ConfigFout(bestand, f"metingen[{i}].peiljaren",
                             f"moet dezelfde bronnen noemen als de eerste meting ({', '.join(sorted(bronnen[0]))})")


def _controleer_indicatoren(config: Configuratie, bestand: Path) -> None:
    _uniek(config.indicatoren, "id", bestand, "indicatoren")
    metingjaren = set(config.meting)
    labels_per_item: dict[tuple[str, str], tuple[str, Optional[dict[int, str]]]] = {}
    for i, ind in enumerate(config.indicatoren):
        plek = f"indicatoren[{i}] ({ind.id})"

        def fout(melding: str) -> ConfigFout:
            return ConfigFout(bestand, plek, melding)

        if ind.pijler not in config.pijler:
            raise fout(f"onbekende pijler {ind.pijler!r}; bekend: {', '.join(config.pijler)}")
        if ind.bron not in config.bron:
            raise fout(f"onbekende bron {ind.bron!r}; bekend: {', '.join(config.bron)}")
        if ind.vergelijkbaar_vanaf not in metingjaren:
            raise fout(f"vergelijkbaar_vanaf {ind.vergelijkbaar_vanaf} is geen jaar van een meting ({sorted(metingjaren)})")
        if ind.set == "kernset" and ind.gebieden:
            raise fout("een kernset-indicator geldt voor elk gebied; haal 'gebieden' weg")
        if ind.set == "aanvullend" and not ind.gebieden:
            raise fout("een aanvullende indicator moet zijn gebieden noemen")
        for g in ind.gebieden:
            if g not in config.gebied:
                raise fout(f"onbekend gebied {g!r}; bekend: {', '.join(config.gebied)}")
        bron_soort = config.bron[ind.bron].soort
        b = ind.berekening
        if ind.is_survey:
            if bron_soort != "survey":
                raise fout(f"statistiek {ind.statistiek} heeft een survey-bron nodig; {ind.bron!r} is {bron_soort}")
            if not b.item or b.teller or b.noemer:
                raise fout("een survey-indicator heeft berekening.item nodig, en geen teller/noemer")
            if ind.statistiek == "survey_proportie":
                if not b.geldige_codes or not b.teller_codes or not set(b.teller_codes) < set(b.geldige_codes):
                    raise fout("survey_proportie heeft geldige_codes en teller_codes nodig, met teller_codes een "
                               "echte deelverzameling van geldige_codes")
                if b.labels is not None and sorted(b.labels) != sorted(b.geldige_codes):
                    raise fout(f"berekening.labels noemt de codes {sorted(b.labels)}; verwacht precies de "
                               f"geldige_codes {sorted(b.geldige_codes)}, elk met een label")
                eerder = labels_per_item.setdefault((ind.bron, b.item), (ind.id, b.labels))
                if b.labels is not None and eerder[1] is not None and eerder[1] != b.labels:
                    raise fout(f"berekening.labels verschillen van die van {eerder[0]} op hetzelfde item "
                               f"{b.item!r}; verwacht dezelfde labels")
            elif not b.bereik or len(b.bereik) != 2 or b.bereik[0] >= b.bereik[1]:
                raise fout("survey_gemiddelde heeft bereik nodig: [minimum, maximum]")
            elif b.labels is not None:
                raise fout("berekening.labels hoort bij survey_proportie (codes), niet bij een bereik")
        else:
            if bron_soort == "survey":
                raise fout(f"statistiek {ind.statistiek} kan survey-bron {ind.bron!r} niet gebruiken")
            if not b.teller or not b.noemer or b.item:
                raise fout("een registerindicator heeft berekening.teller en berekening.noemer nodig (kolomnamen)")
        if ind.is_percentage and ind.statistiek in ("survey_gemiddelde", "register_rate"):
            raise fout(f"eenheid '%' past niet bij statistiek {ind.statistiek}")
        if ind.statistiek in ("survey_proportie", "register_aandeel") and not ind.is_percentage:
            raise fout(f"statistiek {ind.statistiek} is een aandeel; eenheid moet '%' zijn")
        if b.interval == "poisson" and ind.statistiek != "register_rate":
            raise fout("interval 'poisson' geldt alleen voor register_rate")
        if (b.interval == "poisson") != ind.telt_gebeurtenissen:
            raise fout("een telling van gebeurtenissen heeft telling: gebeurtenissen en interval: poisson, samen "
                       "(het Poisson-interval en de Poisson-toetsen gaan uit van tellingen van gebeurtenissen)")
    telling: dict[str, int] = {}
    for ind in config.indicatoren:
        if ind.set == "kernset":
            telling[ind.pijler] = telling.get(ind.pijler, 0) + 1
    for p in config.pijlers:
        if telling.get(p.id, 0) == 0:
            raise ConfigFout(bestand, "indicatoren", f"pijler {p.id!r} heeft geen kernset-indicator")


def _controleer_logicmodel(config: Configuratie, lm: Logicmodel, bestand: Path) -> None:
    gebied = bestand.stem
    if lm.gebied != gebied:
        raise ConfigFout(bestand, "gebied", f"verwacht: {gebied!r} (de bestandsnaam), gevonden: {lm.gebied!r}")
    _uniek(lm.ambities, "id", bestand, "ambities")
    _uniek(lm.projecten, "id", bestand, "projecten")
    ambities = {a.id for a in lm.ambities}
    for i, a in enumerate(lm.ambities):
        for p in a.pijlers:
            if p not in config.pijler:
                raise ConfigFout(bestand, f"ambities[{i}] ({a.id})",
                                 f"onbekende pijler {p!r}; bekend: {', '.join(config.pijler)}")
    for i, r in enumerate(lm.input.regels):
        if r.ambitie is not None and r.ambitie not in ambities:
            raise ConfigFout(bestand, f"input.regels[{i}]",
                             f"onbekende ambitie {r.ambitie!r}; bekend: {', '.join(sorted(ambities))}")
    geldig = {i.id for i in config.indicatoren_voor(gebied)}
    for i, p in enumerate(lm.projecten):
        plek = f"projecten[{i}] ({p.id})"
        if p.ambitie not in ambities:
            raise ConfigFout(bestand, plek, f"onbekende ambitie {p.ambitie!r}; bekend: {', '.join(sorted(ambities))}")
        for pj in p.pijlers:
            if pj not in config.pijler:
                raise ConfigFout(bestand, plek, f"onbekende pijler {pj!r}; bekend: {', '.join(config.pijler)}")
        for ind in p.indicatoren:
            if ind not in geldig:
                raise ConfigFout(bestand, plek, f"onbekende indicator {ind!r} voor gebied {gebied!r} "
                                 "(niet in de kernset en niet bij de aanvullende indicatoren van dit gebied)")


def _controleer_kanttekeningen(kanttekeningen: list[Kanttekening], bestand: Path) -> None:
    _uniek(kanttekeningen, "id", bestand, "kanttekeningen")
    for i, k in enumerate(kanttekeningen):
        plek = f"kanttekeningen[{i}] ({k.id})"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", k.id):
            raise ConfigFout(bestand, plek, f"id {k.id!r} mag alleen kleine letters, cijfers en _ bevatten")
        for veld in ("onderwerp", "kanttekening", "gevolg"):
            if not getattr(k, veld).strip():
                raise ConfigFout(bestand, plek, f"{veld} is leeg; verwacht: een zin in gewoon Nederlands")


def _bekende_gebieden_en_metingen(config: Configuratie, bestand: Path, naam: str, module) -> None:
    """Every gebied and meting a local module names exists in gebieden.yml and metingen.yml."""
    for i, g in enumerate(module.gebieden):
        if g not in config.gebied:
            raise ConfigFout(bestand, f"{naam}.gebieden[{i}]", f"onbekend gebied {g!r}; bekend: {', '.join(config.gebied)}")
    for i, m in enumerate(module.metingen):
        if m not in config.meting:
            raise ConfigFout(bestand, f"{naam}.metingen[{i}]",
                             f"onbekende meting {m}; bekend: {', '.join(map(str, config.meting))}")


def _controleer_lokaal(config: Configuratie, bestand: Path) -> None:
    """Every gebied and meting of a local module exists; domain and category ids are unique ids."""
    _controleer_schoolloopbaan(config, bestand)
    _controleer_openbare_ruimte(config, bestand)
    netwerk = config.lokaal.wijknetwerk
    if netwerk is None:
        return
    _bekende_gebieden_en_metingen(config, bestand, "wijknetwerk", netwerk)
    if len(netwerk.metingen) != 2 or netwerk.metingen[0] >= netwerk.metingen[1]:
        raise ConfigFout(bestand, "wijknetwerk.metingen", f"verwacht twee metingen, de eerste vóór de tweede, "
                                                          f"gevonden {netwerk.metingen}")
    _uniek(netwerk.domeinen, "id", bestand, "wijknetwerk.domeinen")
    for i, d in enumerate(netwerk.domeinen):
        _controleer_id(d.id, bestand, f"wijknetwerk.domeinen[{i}]")


def _controleer_schoolloopbaan(config: Configuratie, bestand: Path) -> None:
    """Gebieden exist and lie in different gemeenten (two gebieden of one gemeente would make their
    rest-of-gemeente tables overlap, so a suppressed cell could be recovered by subtracting one from the
    other); level and outcome ids are unique ids."""
    s = config.lokaal.schoolloopbaan
    if s is None:
        return
    gemeenten: dict[str, str] = {}
    for i, g in enumerate(s.gebieden):
        if g not in config.gebied:
            raise ConfigFout(bestand, f"schoolloopbaan.gebieden[{i}]",
                             f"onbekend gebied {g!r}; bekend: {', '.join(config.gebied)}")
        gm = config.gebied[g].gemeente
        if gm in gemeenten:
            raise ConfigFout(bestand, f"schoolloopbaan.gebieden[{i}]",
                             f"{g} ligt in dezelfde gemeente als {gemeenten[gm]}; verwacht gebieden in verschillende "
                             "gemeenten (anders overlappen hun tabellen van de rest van de gemeente en is een "
                             "onderdrukte cel terug te rekenen)")
        gemeenten[gm] = g
    if not s.cohorten or len(set(s.cohorten)) != len(s.cohorten):
        raise ConfigFout(bestand, "schoolloopbaan.cohorten", f"verwacht een of meer verschillende jaren, gevonden {s.cohorten}")
    for veld in ("niveaus", "uitkomsten"):
        lijst = getattr(s, veld)
        if len(lijst) < 2:
            raise ConfigFout(bestand, f"schoolloopbaan.{veld}", f"verwacht minstens twee categorieën, gevonden {len(lijst)}")
        _uniek(lijst, "id", bestand, f"schoolloopbaan.{veld}")
        for i, c in enumerate(lijst):
            _controleer_id(c.id, bestand, f"schoolloopbaan.{veld}[{i}]")


def _controleer_openbare_ruimte(config: Configuratie, bestand: Path) -> None:
    """Gebieden and metingen exist (two or more, in order); every gebied has a location and every
    location a gebied of the module; the answer scale makes sense; category ids are unique ids."""
    o = config.lokaal.openbare_ruimte
    if o is None:
        return
    _bekende_gebieden_en_metingen(config, bestand, "openbare_ruimte", o)
    if len(o.metingen) < 2 or list(o.metingen) != sorted(set(o.metingen)):
        raise ConfigFout(bestand, "openbare_ruimte.metingen",
                         f"verwacht twee of meer verschillende metingen, oplopend, gevonden {o.metingen}")
    for veld in ("locaties", "dagdelen", "leeftijdsgroepen", "activiteiten"):
        lijst = getattr(o, veld)
        if not lijst:
            raise ConfigFout(bestand, f"openbare_ruimte.{veld}", "verwacht minstens één")
        _uniek(lijst, "id", bestand, f"openbare_ruimte.{veld}")
        for i, c in enumerate(lijst):
            _controleer_id(c.id, bestand, f"openbare_ruimte.{veld}[{i}]")
    for i, loc in enumerate(o.locaties):
        if loc.gebied not in o.gebieden:
            raise ConfigFout(bestand, f"openbare_ruimte.locaties[{i}] ({loc.id})",
                             f"gebied {loc.gebied!r} heeft de module niet; verwacht een van {', '.join(o.gebieden)}")
    for i, g in enumerate(o.gebieden):
        if not o.locaties_van(g):
            raise ConfigFout(bestand, f"openbare_ruimte.gebieden[{i}]", f"{g} heeft geen locatie onder locaties")
    b = o.beleving
    if not 2 <= b.schaal <= 11:
        raise ConfigFout(bestand, "openbare_ruimte.beleving.schaal",
                         f"verwacht een antwoordschaal van 2 tot en met 11 punten, gevonden {b.schaal}")
    if not 1 < b.eens_vanaf <= b.schaal:
        raise ConfigFout(bestand, "openbare_ruimte.beleving.eens_vanaf",
                         f"verwacht een antwoord van 2 tot en met {b.schaal} (de schaal), gevonden {b.eens_vanaf}")
    _uniek(b.vragen, "id", bestand, "openbare_ruimte.beleving.vragen")
    for i, v in enumerate(b.vragen):
        _controleer_id(v.id, bestand, f"openbare_ruimte.beleving.vragen[{i}]")


def _controleer_notebooks(config: Configuratie, bestand: Path) -> None:
    _uniek(config.notebooks, "sjabloon", bestand, "notebooks")
    for i, nb in enumerate(config.notebooks):
        plek = f"notebooks[{i}] ({nb.sjabloon})"
        _controleer_id(nb.sjabloon, bestand, plek, "sjabloon")  # that the template exists: uitvoer.taken
        if len(set(nb.over)) != len(nb.over):
            raise ConfigFout(bestand, plek, f"'over' noemt een dimensie twee keer: {nb.over}")
        if nb.deel in ("wijken", "lokaal") and "gebied" not in nb.over:
            raise ConfigFout(bestand, plek, f"een notebook in deel '{nb.deel}' moet over gebied lopen")
        if nb.module is not None and getattr(config.lokaal, nb.module, None) is None:
            raise ConfigFout(bestand, plek, f"onbekende module {nb.module!r}; verwacht een module uit "
                                            f"{LOKAAL_BESTAND} ({', '.join(f.name for f in fields(Lokaal))})")
        if (nb.deel == "lokaal") != (nb.module is not None):
            raise ConfigFout(bestand, plek, "een notebook in deel 'lokaal' hoort bij een module, en een notebook "
                                            "met een module staat in deel 'lokaal'")
