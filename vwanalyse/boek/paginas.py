"""The pages of the book generated from the configuration and the results.

Hand-written pages live in book/*.md; every page generated here goes into a sub-folder of book/
that is not under version control (see .gitignore) and is rewritten on every build:

- book/wijken/<gebied>.md         the logic model of each wijk (configuration)
- book/gegenereerd/samenvatting.md what changed since the nulmeting (results table)
- book/gegenereerd/*.md           snippets that hand-written pages `{include}`: the demo-data
                                  notice (empty on real data) and facts from the configuration
- book/bijlagen/<naam>.md         the appendices in `BIJLAGEN` order: verantwoording, indicator
                                  definitions, downloads (files in book/bijlagen/downloads/),
                                  reproducibility (from the build manifest, written by the pipeline)

Every generated page starts with the demo-data notice when the results come from demo data.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Optional

import pandas as pd

from vwanalyse.basis.bestanden import schrijf_tekst
from vwanalyse.basis.project import Project
from vwanalyse.boek.downloads import DOWNLOADS, downloadpagina, schrijf_downloads
from vwanalyse.boek.verkenner import PAGINA as VERKENNER, schrijf_data as schrijf_verkennerdata, verkennerpagina
from vwanalyse.model.configuratie import Configuratie, Logicmodel
from vwanalyse.resultaten.opslag import Rapport, heeft_resultaten, laad, laatste_meting, zoek_rij
from vwanalyse.statistiek.oordelen import SIGNIFICANT
from vwanalyse.uitvoer.taken import Taak, taak_naam
from vwanalyse.weergave import opmaak, overzicht
from vwanalyse.weergave.opmaak import verschil_tekst, waarde_tekst
from vwanalyse.weergave.rapport import INDICATIEF, demotekst, legenda, uitleg_significantie
from vwanalyse.weergave.woorden import (BEDRAGSTATUS, BRON_SOORT, OORDEEL_WEERGAVE, RICHTING_KORT, STATISTIEK,
                                        LOGICMODEL_SCHEMA, indicator_label, indicator_ref, met_hoofdletter,
                                        oordeel_weergave)

GEGENEREERD = "gegenereerd"
GEGENEREERDE_MAPPEN = ("wijken", "bijlagen", GEGENEREERD)
# the appendices written by schrijf_paginas, book/bijlagen/<naam>.md, in table-of-contents order;
# the last appendix is written after the notebooks ran, from the build manifest (controle.manifest.pagina)
BIJLAGEN = ("verantwoording", "indicatoren", "downloads")
MANIFEST_BIJLAGE = "reproduceerbaarheid"

_cel = opmaak.markdown_cel
_tabel = opmaak.markdown_tabel


def _duizend(x: int | None, status: str) -> str:
    """An amount in thousands; a confidential amount in words ('x' means a suppressed figure in the book)."""
    if x is None:
        return "vertrouwelijk" if status == "vertrouwelijk" else opmaak.ONBEKEND
    return opmaak.geheel(x)


# ---------------------------------------------------------------- pages


def _bron_titels(*bronnen: str) -> str:
    """The titles of the public documents that '<id>:L<line>' references cite, in order, once each."""
    ids = []
    for bron in bronnen:
        for deel in re.findall(r"\b(\d{3}):L", bron or ""):
            if deel not in ids:
                ids.append(deel)
    return "; ".join(BRONDOCUMENTEN.get(i, f"brondocument {i}") for i in ids)


def _wijk_links(config: Configuratie, gebied_id: str, taken: list[Taak]) -> str:
    """'Lees verder:' with a link to every page of the wijk (wijkprofiel, factsheets, analyses)."""
    naam = config.gebied[gebied_id].naam
    links = []
    for t in taken:
        if t.parameters.get("gebied") == gebied_id:
            titel = t.titel[len(naam):].lstrip(" :—-") if t.titel.startswith(naam) else t.titel
            links.append(f"{{doc}}`{met_hoofdletter(titel)} </book/uitvoer/{t.naam}>`")
    return "**Lees verder:** " + " · ".join(links) + "\n" if links else ""


def _eerste_scherm(config: Configuratie, gebied_id: str, r: Optional[Rapport]) -> list[str]:
    """The key messages, where the wijk stands and what changed, the experts, the population, the projects."""
    g = config.gebied[gebied_id]
    m = laatste_meting(r, gebied_id) if r is not None else None
    if m is None:
        return [f"Voor {g.naam} zijn nog geen cijfers berekend; het overzicht volgt zodra er gegevens zijn.\n"]
    nul = config.nulmeting.jaar
    delen = [f"## Kernboodschappen, meting {m}\n",
             "\n".join(f"- {b}" for b in overzicht.kernboodschappen(r, gebied_id, m)) + "\n",
             "## In één oogopslag\n",
             overzicht.scorekaart(r, gebied_id, m),
             "Per {term}`pijler <Pijler>` het aantal indicatoren dat {term}`significant <Significant>` gunstiger of "
             "ongunstiger is dan de {term}`rest van de gemeente <Rest van de gemeente>`"
             + (f", en dat sinds de {{term}}`nulmeting <Nulmeting>` van {nul} significant veranderde" if m != nul else "")
             + "; de cijfers zelf staan in de factsheets. Zie ook de {ref}`leeswijzer`.\n"]
    duidingen = overzicht.duidingen(r, gebied_id, m)
    delen.append("## Wat zeggen de lokale experts?\n")
    if duidingen:
        delen.append(f"De cijfers van meting {m} zijn besproken met medewerkers en onderzoekers van de gemeente "
                     "(de {term}`duiding <Duiding>`):\n")
        delen.append("\n".join(f"- **{p}.**" + (f" {tekst}" if tekst else "") + "".join(f"\n  - {r}" for r in regels)
                               for p, tekst, regels in duidingen) + "\n")
    else:
        delen.append(f"Voor meting {m} is (nog) geen duiding door lokale experts aangeleverd.\n")
    stand = overzicht.projectstand(r, gebied_id)
    delen.append("## Wat deden de projecten?\n")
    if stand:
        pm, rijen = stand
        delen.append(_tabel(["Project", f"Stand {pm}", "Mijlpalen gerealiseerd", "Wat er is gedaan"], rijen))
    else:
        delen.append(f"Voor {g.naam} is (nog) geen voortgang van de projecten aangeleverd.\n")
    profiel = overzicht.bevolkingsprofiel(r, gebied_id, m)
    if profiel:
        delen.append("## Wie wonen er?\n")
        kop, rijen, noten = profiel
        delen.append(_tabel(kop, rijen) + "\nBron: registers (CBS en andere), peiljaar tussen haakjes; "
                     "aandelen als percentage.\n\n" + noten)
    return delen


def _in_druk_als_schema(config: Configuratie, gebied_id: str, taken: list[Taak]) -> str:
    """The printed report shows the logic model once, as the schema: in print this note stands for
    the section in words (`publicatie.drukversie`), with the page of the schema."""
    schema = next((t for t in taken if t.sjabloon == LOGICMODEL_SCHEMA and t.parameters.get("gebied") == gebied_id), None)
    if schema is None:
        return ""
    naam = config.gebied[gebied_id].naam
    # raw HTML, relative to this page: the print links it to this page of the published site (drukversie)
    online = f'<a href="../wijken/{gebied_id}.html">online versie</a>'
    return ("```{container} vw-alleen-druk vw-in-druk-elders\n"
            f"In deze gedrukte versie staat het logic model van {naam} als schema in het "
            f"{{doc}}`wijkprofiel </book/uitvoer/{schema.naam}>`, met de voortgang van de projecten. De versie in "
            f"woorden, met de bedragen en de beoogde resultaten per project, staat in de {online}.\n```\n")


def wijkpagina(config: Configuratie, gebied_id: str, r: Optional[Rapport] = None,
               taken: Optional[list[Taak]] = None) -> str:
    g = config.gebied[gebied_id]
    lm: Logicmodel = config.logicmodellen[gebied_id]
    gemeente = config.gemeente[g.gemeente].naam
    delen = [
        f"(wijk-{g.id})=\n# {g.naam}\n",
        f"{g.omschrijving}\n",
        _wijk_links(config, gebied_id, taken or []),
        *_eerste_scherm(config, gebied_id, r),
        "## De wijkaanpak: het logic model in woorden\n",
        f"{g.naam} ligt in de gemeente {gemeente}; de wijkaanpak heet {lm.wijkaanpak}. De wijk wordt vergeleken met de "
        f"rest van {gemeente}, de gemeente, de provincie {config.gebieden_bestand.provincie.naam} en "
        f"{config.gebieden_bestand.land.naam}.\n",
        "Het {term}`logic model <Logic model>` verbindt de opgaven in de wijk ({term}`context <Context>`) via "
        "middelen ({term}`input <Input>`) en projecten ({term}`proces <Proces>`) met de beoogde resultaten "
        "({term}`output <Output>`) en de indicatoren waarop de wijkaanpak effect wil hebben "
        "({term}`outcome <Outcome>`). Het schema staat in het wijkprofiel.\n",
        _in_druk_als_schema(config, gebied_id, taken or []),
        "### Context: de opgaven\n",
        "\n".join(f"- {c.tekst}" for c in lm.context) + "\n" if lm.context
        else f"Het logic model van {g.naam} beschrijft (nog) geen opgaven.\n",
        "### Ambities\n",
        _tabel(["Ambitie", "Pijlers"], [
            [a.naam, ", ".join(config.pijler[p].naam for p in a.pijlers)] for a in lm.ambities
        ]) if lm.ambities else f"Het logic model van {g.naam} noemt (nog) geen ambities.\n",
        "### Input: middelen\n",
    ]
    if not lm.input.regels:
        delen.append(f"Het logic model van {g.naam} noemt (nog) geen middelen.\n")
    else:
        delen.append("Bedragen in duizenden euro's. *Vertrouwelijk*: de bron noemt het bedrag niet openbaar; "
                     f"`{opmaak.ONBEKEND}`: de bron noemt geen bedrag.\n")
    rijen = [[r_.omschrijving, _duizend(r_.rijk, r_.status), _duizend(r_.provincie, r_.status),
              _duizend(r_.gemeente, r_.status), BEDRAGSTATUS[r_.status]] for r_ in lm.input.regels]
    if lm.input.subtotaal:
        s = lm.input.subtotaal
        rijen.append(["**Subtotaal**", _duizend(s.rijk, "bekend"), _duizend(s.provincie, "bekend"),
                      _duizend(s.gemeente, "bekend"), ""])
    if rijen:
        delen.append(_tabel(["Regel", "Rijk", "Provincie", "Gemeente", "Status"], rijen))
    delen.append("### Proces en output: projecten\n")
    ambitie_naam = {a.id: a.naam for a in lm.ambities}
    rijen = []
    for p in lm.projecten:
        bijdrage = opmaak.euro(p.bijdrage.bedrag_euro) if p.bijdrage.bedrag_euro is not None \
            else BEDRAGSTATUS[p.bijdrage.status]
        if p.bijdrage.bedrag_euro is not None and p.bijdrage.status != "bekend":
            bijdrage += f" ({BEDRAGSTATUS[p.bijdrage.status]})"
        looptijd = "–".join(str(j) for j in (p.planning.start, p.planning.eind) if j is not None) or opmaak.ONBEKEND
        rijen.append([f"{p.id} {p.naam}", ambitie_naam[p.ambitie], bijdrage, looptijd,
                      "; ".join(p.beoogde_resultaten)])
    if rijen:
        delen.append(_tabel(["Project", "Ambitie", "Bijdrage Rijk en provincie", "Looptijd",
                             "Beoogde resultaten (output)"], rijen))
    else:
        delen.append(f"Het logic model van {g.naam} noemt (nog) geen projecten.\n")
    delen.append("### Outcome: indicatoren\n")
    if lm.outcome_indicatoren:
        delen.append("De projecten richten zich op deze indicatoren uit de kernset en de aanvullende "
                     "indicatoren van de wijk:\n")
        delen.append("\n".join(
            f"- {indicator_ref(config.indicator[i])} ({config.pijler[config.indicator[i].pijler].naam}; "
            f"projecten {', '.join(p.id for p in lm.projecten if i in p.indicatoren)})"
            for i in lm.outcome_indicatoren) + "\n")
    else:
        delen.append(f"Het logic model van {g.naam} koppelt (nog) geen indicatoren aan projecten; de monitor volgt "
                     "de kernset.\n")
    aanvullend = [i for i in config.indicatoren_voor(gebied_id) if i.set == "aanvullend"]
    if aanvullend:
        delen.append("### Aanvullende indicatoren van deze wijk\n")
        delen.append("\n".join(f"- {indicator_ref(i)}" for i in aanvullend) + "\n")
    bronnen = _bron_titels(lm.bron, *(c.bron for c in lm.context))
    if bronnen:
        delen.append(f"*Bron van dit logic model:* {bronnen}. Waar die documenten elkaar tegenspreken, staat in de "
                     "{ref}`verantwoording <bijlage-verantwoording>`.\n")
    return "\n".join(delen)


def indicatorpagina(config: Configuratie) -> str:
    delen = [
        "(bijlage-indicatoren)=\n# Indicatoren\n",
        f"De monitor meet {sum(i.set == 'kernset' for i in config.indicatoren)} indicatoren in alle "
        f"wijken (de kernset) en {sum(i.set == 'aanvullend' for i in config.indicatoren)} aanvullende "
        "indicatoren die passen bij de aanpak van één wijk. Per indicator staat hier wat hij meet en "
        "waar de gegevens vandaan komen.\n",
    ]
    for pijler in config.pijlers:
        inds = [i for i in config.indicatoren if i.pijler == pijler.id]
        delen.append(f"## {pijler.naam}\n")
        delen.append(_tabel(
            ["Indicator", "Set", "Type", "Eenheid", "Richting", "Bron"],
            [[indicator_ref(i), i.set if i.set == "kernset" else
              "aanvullend (" + ", ".join(config.gebied[g].naam for g in i.gebieden) + ")",
              i.type, i.eenheid, RICHTING_KORT[i.richting], config.bron[i.bron].naam] for i in inds]))
        for i in inds:
            bron = config.bron[i.bron]
            delen.append(f"({indicator_label(i.id)})=\n### {i.naam}\n")
            rijen = [
                ["Code", f"`{i.id}`"],
                ["Teller", i.definitie.teller],
                ["Noemer", i.definitie.noemer],
                ["Doelpopulatie", i.definitie.doelpopulatie],
                ["Eenheid", i.eenheid],
                ["Richting", RICHTING_KORT[i.richting]],
                ["Statistiek", STATISTIEK[i.statistiek]
                 + (" met exact Poisson-interval; een telling van gebeurtenissen, indicatief getoetst"
                    if i.telt_gebeurtenissen else "")],
                ["Niveau in het logic model", i.niveau],
                ["Bron", f"{bron.naam} ({bron.uitgever})"],
                ["Bronvariabele", i.bronvariabele],
                ["Vergelijkbaar vanaf", f"meting {i.vergelijkbaar_vanaf}"],
            ]
            if i.toelichting:
                rijen.append(["Toelichting", i.toelichting])
            delen.append(_tabel(["Kenmerk", "Waarde"], rijen))
    return "\n".join(delen)


# ---------------------------------------------------------------- leeswijzer and begrippenlijst

# the begrippenlijst: term -> explanation for readers (a Sphinx glossary; pages link terms with {term})
BEGRIPPEN = {
    "Logic model": "Het schema van een wijkaanpak: welke opgaven er zijn (context), met welk geld (input) welke "
                   "projecten (proces) wat moeten opleveren (output), en op welke indicatoren dat effect moet "
                   "hebben (outcome).",
    "Context": "De opgaven en kenmerken van de wijk waar de wijkaanpak op inspeelt.",
    "Input": "De middelen van de wijkaanpak: geld van Rijk, provincie en gemeente, en menskracht.",
    "Proces": "De projecten en activiteiten van de wijkaanpak en hoe ver ze zijn (mijlpalen).",
    "Output": "Wat de projecten direct opleveren, zoals een aantal bereikte bewoners of een aangelegd plein.",
    "Outcome": "Het effect waar de wijkaanpak op uit is, gemeten met de indicatoren van de monitor.",
    "Pijler": "Een van de thema's van de Regio Deal waarin de indicatoren zijn ingedeeld.",
    "Kernset": "De indicatoren die de monitor in elke wijk op dezelfde manier meet.",
    "Aanvullende indicator": "Een indicator die alleen in één wijk wordt gemeten, omdat hij past bij de aanpak "
                             "van die wijk.",
    "Nulmeting": "De eerste meting, het vertrekpunt waarmee latere metingen worden vergeleken.",
    "Rest van de gemeente": "De gemeente zonder de wijk. De wijk wordt daarmee vergeleken, zodat de wijk niet met "
                            "zichzelf wordt vergeleken.",
    "Duiding": "De uitleg van lokale experts (medewerkers en onderzoekers van de gemeente) bij de cijfers van "
               "hun wijk: herkennen ze de cijfers en wat verklaart de verschillen?",
    "Betrouwbaarheidsinterval": "Het bereik waarin de echte waarde met 95% zekerheid ligt. Een cijfer uit een "
                                "enquête is een schatting: een andere steekproef had een iets ander cijfer gegeven.",
    "Significant": "Een verschil dat zo groot is dat toeval het niet waarschijnlijk verklaart. Niet significant "
                   "betekent niet dat er geen verschil is, maar dat de cijfers het niet kunnen aantonen.",
    "Respondenten": "Het aantal mensen dat een vraag in de enquête beantwoordde (n). Hoe minder respondenten, "
                    "hoe breder het interval.",
    "Domeinschatting": "Een schatting voor een deel van de steekproef, zoals één wijk, waarbij de rest van de "
                       "steekproef meetelt in de berekening van de onzekerheid.",
    "Design-effect": "Hoeveel de weging en het steekproefontwerp de onzekerheid vergroten, vergeleken met een "
                     "enkelvoudige aselecte steekproef van dezelfde omvang.",
    "Registercijfer": "Een cijfer uit een registratie van de hele bevolking (zoals uitkeringen of misdrijven), "
                      "geen steekproef.",
    "Indicatief": "Een toets op een telling van gebeurtenissen (zoals misdrijven) die elke gebeurtenis als "
                  "onafhankelijk behandelt; een aanwijzing, geen vastgesteld effect.",
    "Trendbreuk": "De meetmethode van een indicator veranderde; metingen voor en na zijn niet vergelijkbaar en "
                  "worden niet getoetst.",
    "Verschil-in-verschillen": "De verandering in de wijk min de verandering in de rest van de gemeente: of de "
                               "wijk zich anders ontwikkelde dan de rest.",
    "Onthullingsbeheersing": "De regels die voorkomen dat een cijfer iets zegt over herkenbare personen: zulke "
                             "cijfers worden niet gepubliceerd (`x`).",
}


def leeswijzerpagina(config: Configuratie) -> str:
    """How to read the book: its parts, the two comparisons, the signs, and the begrippenlijst."""
    nul = config.nulmeting.jaar
    alpha = config.instellingen.alpha
    delen = [
        "(leeswijzer)=\n# Leeswijzer\n",
        "## Wat staat waar?\n",
        "- Per wijk (onder **Wijken**) eerst een **overzicht**: waar de wijk staat en wat er veranderde, de "
        "kernboodschappen, de duiding door lokale experts, de bevolking en de projecten. Daaronder het "
        "**wijkprofiel** (de ontwikkeling over alle metingen en het logic model) en per meting een "
        "**factsheet** met alle cijfers.\n"
        "- Onder **Pijlers** staan de wijken per pijler naast elkaar, onder **Analyses** de effectanalyse en "
        "de datakwaliteit.\n"
        "- De bijlagen beschrijven de berekeningen, de indicatoren en de downloads.\n",
        "(uitleg-significantie)=\n## Hoe lees je de vergelijkingen?\n",
        "De monitor vergelijkt een wijk op twee manieren, altijd in aparte, benoemde kolommen:\n\n"
        "- **Tegenover de rest van de gemeente**: is de wijk in een meting gunstiger of ongunstiger dan de "
        "gemeente zonder de wijk?\n"
        f"- **Sinds de nulmeting** ({nul}) of de vorige meting: is de wijk zelf veranderd?\n\n"
        "Bij een vergelijking staan altijd de waarden waar ze over gaat.\n",
        uitleg_significantie(alpha).data,
        "## Tekens in tabellen\n",
        _tabel(["Teken", "Betekenis"], [
            [f"`{opmaak.GEHEIM}`", "niet gepubliceerd om de privacy te beschermen (te weinig respondenten, of anders "
                                   "terug te rekenen); de reden staat onder de tabel"],
            [f"`{opmaak.ONBEKEND}`", "geen gegevens"],
            ["vertrouwelijk", "een bedrag dat de bron niet openbaar maakt (logic model)"],
            ["(indicatief)", "een toets op een telling van gebeurtenissen, zie *indicatief* hieronder"],
        ]),
        "\n(begrippen)=\n## Begrippenlijst\n",
        "```{glossary}\n" + "\n".join(f"{term}\n  {uitleg}\n" for term, uitleg in BEGRIPPEN.items()) + "```\n",
    ]
    return "\n".join(delen)


# ---------------------------------------------------------------- the results behind the pages


def lees_rapport(config: Configuratie, resultaten_map: Path) -> Optional[Rapport]:
    """The whole results folder (None when no results were computed yet)."""
    return laad(resultaten_map, config=config) if heeft_resultaten(resultaten_map) else None


def demomelding(r: Optional[Rapport]) -> str:
    """The demo-data admonition of the notebooks (rapport.demotekst); '' on real data or without results."""
    return (demotekst(r) or "") if r is not None else ""


def met_melding(pagina: str, melding: str) -> str:
    """The page with `melding` right under its title (the first '# ' heading)."""
    if not melding:
        return pagina
    kop = re.search(r"^# .*\n", pagina, flags=re.M)
    plek = kop.end() if kop else 0
    return pagina[:plek] + "\n" + melding + "\n" + pagina[plek:]


# ---------------------------------------------------------------- samenvatting

NIET_GETOETST = overzicht.NIET_GETOETST


def _telling_rij(telling: pd.Series, neutraal: bool) -> list[str]:
    cellen = [opmaak.geheel(int(telling.sum())), opmaak.geheel(int(telling["gunstiger"])),
              opmaak.geheel(int(telling["ongunstiger"]))]
    if neutraal:
        cellen.append(opmaak.geheel(int(telling["hoger"] + telling["lager"])))
    cellen.append(opmaak.geheel(int(telling["geen_verschil"])))
    cellen.append(opmaak.geheel(int(sum(telling[c] for c in NIET_GETOETST))))
    return cellen


def _niet_getoetst_zin(telling: pd.Series) -> str:
    """'Niet getoetst: 15 ○ geen toets mogelijk, 1 ‖ trendbreuk.' ('' when every indicator was tested)."""
    delen = [f"{opmaak.geheel(int(telling[c]))} {tekst}" for c, tekst in NIET_GETOETST.items() if telling[c]]
    return f"*Niet getoetst:* {', '.join(delen)}.\n" if delen else ""


def _telling_kop(neutraal: bool, nul: int) -> list[str]:
    w = OORDEEL_WEERGAVE
    kop = ["Indicatoren", f"{w['gunstiger'].teken} gunstiger sinds {nul}", f"{w['ongunstiger'].teken} ongunstiger sinds {nul}"]
    if neutraal:
        kop.append(f"{w['hoger'].teken}/{w['lager'].teken} hoger of lager sinds {nul}")
    return kop + [f"{w['geen_verschil'].teken} niet significant veranderd", "Niet getoetst"]


def samenvattingpagina(config: Configuratie, r: Optional[Rapport], taken: list[Taak]) -> str:
    nul = config.nulmeting.jaar
    delen = ["(samenvatting)=\n# Samenvatting\n"]
    if r is None or r.tabel.empty:
        delen.append("Er zijn nog geen resultaten berekend; de samenvatting volgt zodra er gegevens zijn.\n")
        return "\n".join(delen)
    laatste = {g.id: laatste_meting(r, g.id) for g in config.gebieden}
    tellingen = {g: overzicht.telling(r, g, m) for g, m in laatste.items() if m is not None and m != nul}
    neutraal = any(int(t[["hoger", "lager"]].to_numpy().sum()) for t in tellingen.values())
    delen.append(
        f"Wat is er in de wijken veranderd sinds de nulmeting van {nul}? Deze samenvatting vergelijkt "
        "voor elke wijk de laatste meting met gegevens met de nulmeting, indicator voor indicator. "
        "Een indicator telt als **gunstiger** of **ongunstiger** als de verandering significant is: zo groot "
        "dat toeval haar niet waarschijnlijk verklaart. *Niet significant* betekent niet dat er niets "
        "veranderde, maar dat de cijfers een verandering niet kunnen aantonen. *Niet getoetst* zijn "
        "registercijfers zonder interval, cijfers die niet zijn gepubliceerd, indicatoren met een "
        "trendbreuk en indicatoren zonder gegevens. Hoe je de tekens leest, staat bij "
        f"{{ref}}`uitleg-significantie`.\n\n"
        "Alle getallen op deze pagina komen uit de resultatentabel. De vergelijking van elke wijk met de "
        "rest van de eigen gemeente staat in de factsheets; of de wijk zich anders ontwikkelde dan de "
        "rest van de gemeente, staat in de effectanalyse.\n")
    if not tellingen:
        delen.append(f"Er zijn nog alleen gegevens van de nulmeting ({nul}); de vergelijking volgt na de "
                     "volgende meting.\n")
        return "\n".join(delen)

    delen.append("## Overzicht per wijk\n")
    delen.append(f"Per wijk het aantal indicatoren dat tussen de nulmeting van {nul} en de laatste meting (tussen "
                 "haakjes) significant gunstiger of ongunstiger werd:\n")
    rijen = [[f"{{ref}}`{config.gebied[g].naam} <samenvatting-{g.replace('_', '-')}>` ({laatste[g]})",
              *_telling_rij(t.sum(), neutraal)] for g, t in tellingen.items()]
    delen.append(_tabel(["Wijk", *_telling_kop(neutraal, nul)], rijen))
    delen.append("\n" + legenda() + "\n")
    totaal = sum(t.sum() for t in tellingen.values())
    delen.append(_niet_getoetst_zin(totaal))

    for g in config.gebieden:
        m = laatste[g.id]
        delen.append(f"(samenvatting-{g.id.replace('_', '-')})=\n## {g.naam}\n")
        if g.id not in tellingen:
            delen.append(f"Voor {g.naam} zijn nog geen gegevens van een meting na de nulmeting.\n")
            continue
        factsheet = taak_naam(taken, "factsheet", gebied=g.id, meting=m)
        links = [f"{{doc}}`overzicht van {g.naam} </book/wijken/{g.id}>`"]
        if factsheet:
            links.append(f"{{doc}}`factsheet {m} </book/uitvoer/{factsheet}>`")
        delen.append(f"Meting {m} vergeleken met de nulmeting van {nul} (zie ook de {' en de '.join(links)}).\n")
        telling = tellingen[g.id]
        delen.append(_tabel(["Pijler", *_telling_kop(neutraal, nul)],
                            [[config.pijler[p].naam, *_telling_rij(telling.loc[p], neutraal)]
                             for p in telling.index if telling.loc[p].sum()]
                            + [["**Totaal**", *_telling_rij(telling.sum(), neutraal)]]))
        delen.append(_niet_getoetst_zin(telling.sum()))
        t = r.tabel
        t = t[(t["gebied"] == g.id) & (t["rol"] == "wijk")]
        rijen = []
        pijlers = [p.id for p in config.pijlers]
        for ind in sorted(config.indicatoren_voor(g.id), key=lambda i: pijlers.index(i.pijler)):
            w = zoek_rij(t, indicator=ind.id, meting=m)
            if overzicht.categorie(w) not in SIGNIFICANT:
                continue
            o = oordeel_weergave(w["oordeel_nulmeting"])
            basis = zoek_rij(t, indicator=ind.id, meting=nul)
            naam = indicator_ref(ind) + ("" if ind.is_percentage else f" ({ind.eenheid})")
            rijen.append([naam, config.pijler[ind.pijler].naam,
                          waarde_tekst(opmaak.als_getal(basis["schatting"]), ind.eenheid) if basis is not None
                          else opmaak.ONBEKEND,
                          waarde_tekst(opmaak.als_getal(w["schatting"]), ind.eenheid),
                          f"{o.teken} {o.tekst}{' (indicatief)' if bool(w.get('indicatief', False)) else ''} "
                          f"({verschil_tekst(opmaak.als_getal(w['verschil_nulmeting']), ind.eenheid)})"])
        if rijen:
            delen.append(f"\nIndicatoren die sinds de nulmeting significant veranderden in {g.naam}:\n")
            delen.append(_tabel(["Indicator", "Pijler", f"Nulmeting {nul}", f"Meting {m}", "Verandering"], rijen))
            if any("(indicatief)" in rij[-1] for rij in rijen):
                delen.append(f"\n*Indicatief*: {INDICATIEF}\n")
        else:
            delen.append(f"\nGeen enkele indicator van {g.naam} veranderde sinds de nulmeting significant.\n")
    return "\n".join(delen)


# ---------------------------------------------------------------- verantwoording

# the source documents that `bron` fields of the logic models cite as '<id>:L<line>'
BRONDOCUMENTEN = {
    "000": "Statenvoorstel van de provincie Utrecht over de Vitale Wijken-aanpak (juli 2020)",
    "001": "Uitvoeringsprogramma Regio Deal Vitale Wijken Overvecht, Batau en Vollenhove (2020/2021)",
    "002": "Regio Deal-voorstel 'Gezonde mensen in een groene en gezonde leefomgeving', regio Utrecht (2023-2026)",
}
def methodetekst(config: Configuratie) -> str:
    """What vwanalyse.statistiek.schatting and vwanalyse.resultaten.berekening do, in plain Dutch (settings from the config)."""
    from statistics import NormalDist

    alpha = config.instellingen.alpha
    ontwerp = config.instellingen.steekproefontwerp
    eenzaam = {"certainty": "telt niet mee in de variantie (zoals R's `survey.lonely.psu = \"certainty\"`)",
               "adjust": "telt mee met het kwadraat van zijn PSU-totaal (zoals R's `survey.lonely.psu = "
                         "\"adjust\"`)"}[ontwerp.eenzame_psu]
    z = opmaak.getal(NormalDist().inv_cdf(1 - alpha / 2), 2)
    namen = [i.naam.lower() for i in config.indicatoren if i.telt_gebeurtenissen]
    gebeurtenissen = opmaak.opsomming(namen) or "geen"
    zeker = opmaak.percentage(1 - alpha, 0)
    kans = opmaak.percentage(alpha, 0)
    return f"""## Statistische methoden

Alle cijfers worden door de Python-bibliotheek `vwanalyse` berekend uit de gegevens in één datamap
en staan in één resultatentabel (zie {{ref}}`bijlage-downloads`). Pagina's en figuren lezen alleen
die tabel; afronden gebeurt pas bij het tonen, met Nederlandse notatie (decimale komma).

### Cijfers uit enquêtes

- **Gewogen percentages en gemiddelden.** Elke respondent telt mee met zijn weegfactor uit het
  enquêtebestand, zodat de uitkomst representatief is voor de bevolking. Wie een vraag niet
  beantwoordde, telt bij die vraag niet mee.
- **Wijk, rest van de gemeente en gemeente als deelgebieden.** Het hele enquêtebestand van een jaar
  is één steekproef; de wijk, de rest van de gemeente (de gemeente zonder de wijk) en de gemeente
  worden daarbinnen geschat als deelpopulatie ({{term}}`domeinschatting <Domeinschatting>`). Een respondent hoort bij een
  monitorgebied via zijn buurtcode of wijkcode, alleen binnen zijn eigen gemeente.
- **Onzekerheid.** De standaardfout volgt uit Taylor-linearisatie, zoals het R-pakket `survey`
  (`svydesign` en `svymean`) die berekent; als het bestand strata en clusters (PSU's) bevat, telt
  het steekproefontwerp mee. De uitkomsten zijn vergeleken met R `survey`: de vergelijking hoort bij de
  tests van het project (zie {{ref}}`reproduceerbaarheid`).
- **Strata en PSU's.** Een PSU hoort bij één stratum: dezelfde psu-code in twee strata zijn twee
  verschillende PSU's (zoals `svydesign(nest = TRUE)`). Komt een psu-code in meer dan één stratum
  voor, dan vraagt het inlezen eerst om een instelling die vastlegt of de
  codes per stratum genummerd zijn of een fout in het bestand. Een stratum met maar één PSU
  {eenzaam}.
- **Betrouwbaarheidsintervallen van {zeker}.** Voor een percentage wordt het interval op de
  logit-schaal berekend (zoals `svyciprop` met `method = "logit"`), met een t-verdeling op het aantal
  vrijheidsgraden van het deelgebied; zo blijft het interval tussen 0% en 100%. Voor een
  gemiddelde (zoals een rapportcijfer) is het interval de schatting plus en min een t-kwantiel keer
  de standaardfout, met dezelfde vrijheidsgraden als bij een percentage. Dat is een bewuste keuze:
  R gebruikt voor een gemiddelde standaard de normale verdeling ({z} standaardfouten), en die geeft
  in kleine gebieden te smalle intervallen.
- **Kleine gebieden.** Met minder dan 50 respondenten is ook de standaardfout onzeker: ze is geschat
  uit weinig gewogen antwoorden. In een simulatie met gewichten zoals in deze monitor (design-effect
  ongeveer 1,4) bevatten de 95%-intervallen van een gemiddelde in zulke gebieden de werkelijke waarde
  in ongeveer 94 van de 100 gevallen (met de normale verdeling 93), in grotere gebieden in ongeveer
  94,5; die van een percentage in ongeveer 95. De intervallen van kleine gebieden zijn dus nog iets te
  smal: lees een verschil dat net significant is daar met extra voorzichtigheid.
- Bij elk cijfer staan ook het aantal respondenten, de effectieve steekproefomvang en het
  {{term}}`design-effect <Design-effect>` van de weging (Kish) in de resultatentabel.

### Cijfers uit registraties

- Een registercijfer is een teller gedeeld door een noemer (bijvoorbeeld uitkeringen per inwoners
  van 18 jaar en ouder), opgeteld over de CBS-wijken of -buurten van het monitorgebied. Ontbreekt
  het cijfer van een van die wijken of buurten, dan ontbreekt het cijfer van het gebied. De rest van
  de gemeente is de gemeente min het gebied.
- Registers zijn tellingen van de hele bevolking, geen steekproef. Aandelen van personen (zoals
  bijstand of een laag inkomen) en de andere registercijfers krijgen geen interval en geen toets:
  het zijn jaar na jaar grotendeels dezelfde personen, dus een verandering is geen toevalstrekking
  die een toets kan beoordelen. Ze zijn *niet getoetst*.
- **Tellingen van gebeurtenissen** ({gebeurtenissen}) zijn anders: het aantal
  gebeurtenissen in een jaar schommelt ook bij een gelijkblijvend risico. Voor die indicatoren
  (in de catalogus `telling: gebeurtenissen`) wordt een exact Poisson-interval berekend (zoals
  `poisson.test` in R), met als standaardfout de wortel van de telling gedeeld door de noemer. De
  wijk tegenover de rest van de gemeente en de verandering sinds een eerdere meting worden getoetst
  met de exacte conditionele toets voor twee tellingen met hun noemers (zoals
  `poisson.test(c(x1, x2), c(n1, n2))`). Het verschil-in-verschillen komt uit een quasi-Poisson-model
  voor de rates van de wijk en de rest van de gemeente voor en na, geschat op de CBS-wijken van de
  gemeente: zo telt ook de extra spreiding tussen wijken mee (dispersie uit de Pearson-residuen,
  minstens die van Poisson; p-waarde en interval uit de t-verdeling op de vrijheidsgraden van het
  model, zoals `glm(family = quasipoisson)` in R). De schatting is het verschil in verandering van de
  rate, in de eenheid van de indicator.
- Deze toetsen zijn **indicatief** (kolom `indicatief` in de resultatentabel): ze behandelen de
  gebeurtenissen als onafhankelijk, terwijl één dader of één adres vaak meerdere meldingen geeft en
  registratie- en handhavingsbeleid per jaar kan verschillen. Een significant verschil wijst op
  meer dan toevallige schommeling, niet op een vastgesteld effect. Zo toetst ook het RIVM
  registercijfers van regio's tegen het landelijke niveau, en gebruikt UK Fingertips exacte
  Poisson-intervallen voor rates uit tellingen.
- De cijfers voor de provincie en Nederland zijn gepubliceerde waarden uit de referentiebestanden;
  ze worden niet opnieuw geschat en niet getoetst.

### Vergelijkingen en toetsen

- **Wijk tegenover de rest van de gemeente.** De wijk wordt vergeleken met de rest van de eigen
  gemeente: twee deelgebieden zonder overlap, maar uit dezelfde steekproef. Delen ze strata of
  PSU's, dan hangen hun schattingen samen; de standaardfout van het verschil komt daarom uit het
  steekproefontwerp (de gelineariseerde scores van het verschil, zoals `svycontrast` in R), niet uit
  twee losse standaardfouten. Het verschil wordt getoetst met een z-toets, tweezijdig.
- **Verandering in de tijd.** Elke meting wordt vergeleken met de vorige meting en met de
  nulmeting, op dezelfde manier (metingen als onafhankelijke steekproeven).
- **Significant** betekent: de kans op een verschil van deze omvang door toeval alleen is kleiner
  dan {kans} (p < {opmaak.getal(alpha, 2)}).
- **Gunstig of ongunstig** volgt uit de richting van de indicator (hoger of lager is gunstig). Heeft
  een indicator geen voorkeursrichting, dan heet een significant verschil *hoger* of *lager*.
  Cijfers zonder standaardfout, zoals de registercijfers die geen tellingen van gebeurtenissen
  zijn, zijn *niet getoetst*.
- Over een **trendbreuk** heen (zie hieronder) wordt niet getoetst.

### Verschil-in-verschillen (effectanalyse)

Voor de enquête-indicatoren schat de effectanalyse de verandering in de wijk min de verandering in
de rest van dezelfde gemeente, tussen de nulmeting en elke latere meting. Dat is hetzelfde als de
interactieterm van het gewogen lineaire model y ~ wijk × na op de respondenten van de gemeente. De
standaardfout komt uit het steekproefontwerp: de twee metingen zijn onafhankelijke steekproeven,
dus de variantie is de som van de varianties van het verschil wijk min rest in elke meting (met de
samenhang door gedeelde strata en PSU's, zie hierboven). Dat is gelijk aan `svyglm(y ~ wijk * na)`
in R op de gestapelde metingen met strata per meting en de PSU's van het bestand (gecontroleerd tot
op 1e-8 in de tests van het project). Het interval is de schatting ± {z} standaardfouten.
Voor tellingen van gebeurtenissen is het verschil-in-verschillen dat van de rates, uit het
quasi-Poisson-model hierboven, en indicatief.
Er wordt geen effect geschat als een van beide metingen ontbreekt, als de wijk of de rest van de
gemeente in een van beide metingen niet is gepubliceerd (zie Onthullingsbeheersing), of als er na de
nulmeting een trendbreuk is. Wat deze schattingen wel en niet zeggen, staat in de effectanalyse en
bij de kanttekeningen hieronder.
"""


def verantwoordingpagina(config: Configuratie) -> str:
    o = config.instellingen.onthulling
    jaren = [m.jaar for m in config.metingen]
    delen = [
        "(bijlage-verantwoording)=\n# Verantwoording\n",
        "Deze bijlage legt vast waar de cijfers vandaan komen, hoe ze zijn berekend, welke cijfers niet "
        "worden gepubliceerd en welke beperkingen en onvolkomenheden er zijn. Ze beschrijft wat de "
        "rekencode van de monitor doet, met de instellingen waarmee dit boek is gebouwd.\n",
        "## Databronnen\n",
    ]
    rijen = []
    for b in config.bronnen:
        naam = f"[{_cel(b.naam)}]({b.url})" if b.url else b.naam
        aantal = sum(i.bron == b.id for i in config.indicatoren)
        rijen.append([naam, b.uitgever, BRON_SOORT.get(b.soort, b.soort), b.omschrijving,
                      opmaak.geheel(aantal) if aantal else "–"])
    delen.append(_tabel(["Bron", "Uitgever", "Soort", "Omschrijving", "Indicatoren"], rijen))
    delen.append("\n### Peiljaren per meting\n")
    delen.append("Elke meting gebruikt per bron de gegevens van het jaar hieronder.\n")
    delen.append(_tabel(["Bron", *[f"{m.naam} ({m.jaar})" for m in config.metingen]],
                        [[b.naam, *[str(m.peiljaren.get(b.id, opmaak.ONBEKEND)) for m in config.metingen]]
                         for b in config.bronnen]))
    delen.append("\n" + methodetekst(config))
    delen.append("## Onthullingsbeheersing\n")
    delen.append(
        "Om te voorkomen dat een cijfer iets zegt over herkenbare personen, wordt een cijfer niet "
        "gepubliceerd (in tabellen `x`) als:\n\n"
        f"- minder dan **{opmaak.geheel(o.min_n)} respondenten** in het gebied de vraag beantwoordden "
        f"(enquêtecijfers; reden `n<{o.min_n}`);\n"
        f"- minder dan **{opmaak.geheel(o.min_cel)} respondenten** het kenmerk wel of juist niet hebben "
        f"(enquêtepercentages), of een registeraandeel een teller of rest onder {opmaak.geheel(o.min_cel)} "
        f"heeft (reden `cel<{o.min_cel}`);\n"
        f"- meer dan **{opmaak.percentage(o.max_aandeel_categorie, 0)} van de antwoorden** in één "
        f"antwoordcategorie valt (enquêtepercentages; reden `>{o.max_aandeel_categorie:.0%} in één categorie`).\n\n"
        "De regels gelden voor de wijk, de rest van de gemeente en de gemeente. Van een niet gepubliceerd "
        "cijfer bewaart de resultatentabel alleen het aantal respondenten (of de noemer) en de reden; de "
        "schatting, het interval en de toetsen ontbreken, ook in de downloads. Een `.` betekent dat er geen gegevens zijn. "
        "Welke cijfers niet zijn gepubliceerd, staat per wijk en meting op de pagina Datakwaliteit.\n\n"
        "**Afgeleide cijfers.** Een cijfer dat met een niet gepubliceerd cijfer is berekend, wordt ook niet "
        "gepubliceerd: het verschil tussen de wijk en de rest van de gemeente, de verandering sinds de vorige "
        "meting of de nulmeting, en het verschil-in-verschillen van de effectanalyse (daarvoor moeten de wijk en "
        "de rest van de gemeente in beide metingen gepubliceerd zijn). Anders is het geheime cijfer terug te "
        "rekenen: uit een verschil-in-verschillen volgt bijvoorbeeld de rest van de gemeente in de nulmeting, als "
        "de andere drie cijfers bekend zijn. De tellingen in de samenvatting en de downloads komen uit dezelfde "
        "tabel en tellen zo'n cijfer als niet gepubliceerd of niet getoetst.\n\n"
        "**Secundaire onderdrukking.** De wijk en de rest van de gemeente vormen samen de gemeente. Zijn twee van "
        "die drie cijfers gepubliceerd, dan is het derde (bij benadering, voor registertellingen precies) terug te "
        "rekenen. Daarom is van de wijk, de rest van de gemeente en de gemeente nooit precies één cijfer "
        "onderdrukt: is de wijk niet gepubliceerd, dan ook de rest van de gemeente niet (de vergelijking met de "
        "rest kan dan toch niet worden gemaakt, en de gemeente blijft als context staan); is de rest van de "
        "gemeente niet gepubliceerd, dan ook de gemeente niet (zo blijft de wijk, waar de monitor over gaat, "
        "zichtbaar); is de gemeente niet gepubliceerd, dan ook de rest van de gemeente niet. Een gemeente is "
        "overal onderdrukt of nergens, ook naast haar andere monitorgebieden; dat kan weer een rest van de "
        "gemeente elders raken, en zo verder tot er niets meer terug te rekenen is. Reden in de tabellen: "
        "`secundair (anders af te leiden)`.\n")
    delen.append("## Trendbreuken\n")
    breuken = [i for i in config.indicatoren if i.vergelijkbaar_vanaf > jaren[0]]
    if breuken:
        delen.append("Bij deze indicatoren veranderde de meetmethode; metingen van vóór het genoemde jaar zijn "
                     "niet vergelijkbaar met latere, en veranderingen over die grens worden niet getoetst "
                     "(teken ‖ trendbreuk):\n")
        delen.append("\n".join(f"- {indicator_ref(i)}: vergelijkbaar vanaf meting {i.vergelijkbaar_vanaf}"
                               + (f". {i.toelichting.strip()}" if i.toelichting else "") for i in breuken) + "\n")
    else:
        delen.append("Bij geen enkele indicator veranderde de meetmethode tijdens de monitor.\n")
    delen.append("## Bekende onvolkomenheden in de brondocumenten\n")
    delen.append(
        "De logic models en budgetten zijn overgenomen uit de documenten van de Regio Deal. Waar die "
        "documenten elkaar of zichzelf tegenspreken, is dat hieronder vastgelegd zoals de bron het geeft, "
        "niet stilzwijgend gecorrigeerd.\n")
    groepen = [("De Regio Deal als geheel", config.regiodeal.bekende_problemen)]
    groepen += [(f"{g.naam} ({config.logicmodellen[g.id].wijkaanpak})", config.logicmodellen[g.id].bekende_problemen)
                for g in config.gebieden]
    for titel, problemen in groepen:
        delen.append(f"### {titel}\n")
        delen.append("\n".join(f"- {p.omschrijving} (in: {_bron_titels(p.bron)})" for p in problemen) + "\n"
                     if problemen else "Geen bekende onvolkomenheden.\n")
    delen.append("## Aannames en kanttekeningen\n")
    delen.append("Wat je moet weten om de cijfers goed te lezen: de aannames achter de berekeningen en hun "
                 "gevolgen.\n")
    for k in config.kanttekeningen:
        delen.append(f"(kanttekening-{k.id.replace('_', '-')})=\n### {k.onderwerp}\n")
        delen.append(f"{k.kanttekening.strip()}\n\n**Gevolg:** {k.gevolg.strip()}\n")
    return "\n".join(delen)


# ---------------------------------------------------------------- facts for the hand-written pages


def _aantal_tekst(n: int) -> str:
    woorden = ["geen", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien"]
    return woorden[n] if n < len(woorden) else opmaak.geheel(n)


def monitor_stukken(config: Configuratie) -> dict[str, str]:
    """Snippets that book/over-de-monitor.md includes: facts from the configuration, never typed in."""
    b = config.gebieden_bestand
    wijken = _tabel(["Wijk", "Gemeente", "CBS-wijk of -buurt", "Wijkaanpak"], [
        [f"{{doc}}`{g.naam} </book/wijken/{g.id}>`", config.gemeente[g.gemeente].naam,
         ", ".join(g.codes), config.logicmodellen[g.id].wijkaanpak] for g in config.gebieden])
    pijlers = "\n".join(f"{k}. **{p.naam}**: {p.omschrijving[0].lower() + p.omschrijving[1:]}"
                        for k, p in enumerate(config.pijlers, 1)) + "\n"
    kern = [i for i in config.indicatoren if i.set == "kernset"]
    rijen = [[p.naam, opmaak.geheel(sum(i.pijler == p.id for i in kern)),
              opmaak.geheel(sum(i.pijler == p.id and i.set == "aanvullend" for i in config.indicatoren))]
             for p in config.pijlers]
    rijen.append(["**Totaal**", opmaak.geheel(len(kern)), opmaak.geheel(len(config.indicatoren) - len(kern))])
    indicatoren = (_tabel(["Pijler", "Kernset", "Aanvullend"], rijen) + "\nAanvullende indicatoren per wijk: "
                   + "; ".join(f"{g.naam} {opmaak.geheel(sum(g.id in i.gebieden for i in config.indicatoren))}"
                               for g in config.gebieden) + ".\n")
    enquetes = [bron for bron in config.bronnen if bron.soort == "survey"]
    metingen = _tabel(["Meting", "Jaar", "Omschrijving", *[f"Peiljaar {bron.naam}" for bron in enquetes]], [
        [m.naam, str(m.jaar), m.omschrijving, *[str(m.peiljaren[bron.id]) for bron in enquetes]]
        for m in config.metingen])
    vergelijking = (f"Elke wijk wordt vergeleken met de rest van de eigen gemeente, met de hele gemeente, met "
                    f"de provincie {b.provincie.naam} en met {b.land.naam}.\n")
    namen = [f"{g.naam} in {config.gemeente[g.gemeente].naam}" for g in config.gebieden]
    intro = (f"De monitor volgt {_aantal_tekst(len(namen))} wijken in de provincie {b.provincie.naam} van "
             f"{config.metingen[0].jaar} tot en met {config.metingen[-1].jaar}: "
             + opmaak.opsomming(namen) + ".\n")
    namen = [p.naam[0].lower() + p.naam[1:] for p in config.pijlers]
    intro_pijlers = ("RIVM, Universiteit Utrecht en GGD regio Utrecht meten in elke wijk dezelfde kernset van "
                     "indicatoren, verdeeld over de pijlers van de Regio Deal: "
                     + ("; ".join(namen[:-1]) + "; en " + namen[-1] if len(namen) > 1 else namen[0])
                     + ". Per wijk verbindt een logic model de projecten en budgetten van de wijkaanpak met die "
                     "indicatoren.\n")
    return {"intro-wijken": intro, "intro-pijlers": intro_pijlers,
            "monitor-wijken": wijken + "\n" + vergelijking, "monitor-pijlers": pijlers,
            "monitor-indicatoren": indicatoren, "monitor-metingen": metingen}


# ---------------------------------------------------------------- writing every generated page


def schrijf_paginas(config: Configuratie, project: Project, taken: list[Taak]) -> list[Path]:
    """(Re)write every generated page, snippet and download; returns the paths written.

    Pages that show results (samenvatting, downloads) and the demo-data notice read the results
    folder; without results they say that the results follow. `taken` are the book's notebooks.
    """
    boek_map, resultaten_map = project.boek_map, project.resultaten_map
    for naam in GEGENEREERDE_MAPPEN:
        shutil.rmtree(boek_map / naam, ignore_errors=True)
    r = lees_rapport(config, resultaten_map)
    melding = demomelding(r)
    bijlagen = boek_map / "bijlagen"
    downloads = schrijf_downloads(r, resultaten_map, bijlagen / DOWNLOADS) if r is not None else {}
    paginas = {
        boek_map / GEGENEREERD / "samenvatting.md": samenvattingpagina(config, r, taken),
        boek_map / GEGENEREERD / "leeswijzer.md": leeswijzerpagina(config),
        bijlagen / "verantwoording.md": verantwoordingpagina(config),
        bijlagen / "indicatoren.md": indicatorpagina(config),
        bijlagen / "downloads.md": downloadpagina(config, r, downloads, taken),
        boek_map / GEGENEREERD / f"{VERKENNER}.md": verkennerpagina(config, r),
    }
    for g in config.gebieden:
        paginas[boek_map / "wijken" / f"{g.id}.md"] = wijkpagina(config, g.id, r, taken)
    paginas = {pad: met_melding(tekst, melding) for pad, tekst in paginas.items()}
    # included by the hand-written pages: the notice (a comment on real data) and the facts
    paginas[boek_map / GEGENEREERD / "demomelding.md"] = melding or "% geen demodata: geen melding\n"
    for naam, tekst in monitor_stukken(config).items():
        paginas[boek_map / GEGENEREERD / f"{naam}.md"] = tekst
    for pad, tekst in paginas.items():
        schrijf_tekst(pad, tekst)
    verkennerdata = schrijf_verkennerdata(r, boek_map)
    return list(paginas) + list(downloads.values()) + verkennerdata
