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
from vwanalyse.model.configuratie import Configuratie, Logicmodel
from vwanalyse.resultaten.opslag import Rapport, heeft_resultaten, laad, laatste_meting, zoek_rij
from vwanalyse.statistiek.oordelen import OORDELEN, SIGNIFICANT
from vwanalyse.uitvoer.taken import Taak, taak_naam
from vwanalyse.weergave import opmaak
from vwanalyse.weergave.opmaak import verschil_tekst, waarde_tekst
from vwanalyse.weergave.rapport import INDICATIEF, demotekst, legenda
from vwanalyse.weergave.woorden import (BEDRAGSTATUS, BRON_SOORT, OORDEEL_WEERGAVE, RICHTING_KORT, STATISTIEK,
                                        indicator_label, indicator_ref, oordeel_weergave)

GEGENEREERD = "gegenereerd"
GEGENEREERDE_MAPPEN = ("wijken", "bijlagen", GEGENEREERD)
# the appendices written by schrijf_paginas, book/bijlagen/<naam>.md, in table-of-contents order;
# the last appendix is written after the notebooks ran, from the build manifest (controle.manifest.pagina)
BIJLAGEN = ("verantwoording", "indicatoren", "downloads")
MANIFEST_BIJLAGE = "reproduceerbaarheid"

_cel = opmaak.markdown_cel
_tabel = opmaak.markdown_tabel


def _duizend(x: int | None, status: str) -> str:
    if x is None:
        return opmaak.GEHEIM if status == "vertrouwelijk" else opmaak.ONBEKEND
    return opmaak.geheel(x)


# ---------------------------------------------------------------- pages


def wijkpagina(config: Configuratie, gebied_id: str) -> str:
    g = config.gebied[gebied_id]
    lm: Logicmodel = config.logicmodellen[gebied_id]
    gemeente = config.gemeente[g.gemeente].naam
    delen = [
        f"(wijk-{g.id})=\n# {g.naam}\n",
        f"{g.omschrijving}\n",
        _tabel(["Kenmerk", "Waarde"], [
            ["Gemeente", f"{gemeente} ({g.gemeente})"],
            ["CBS-codes", ", ".join(g.codes)],
            ["Wijkaanpak", lm.wijkaanpak],
            ["Vergeleken met", f"rest van {gemeente}, gemeente {gemeente}, provincie "
                               f"{config.gebieden_bestand.provincie.naam}, {config.gebieden_bestand.land.naam}"],
        ]),
        "## Logic model\n",
        "Het logic model verbindt de opgaven in de wijk (context) via middelen (input) en projecten "
        "(proces) met de beoogde resultaten (output) en de indicatoren waarop de wijkaanpak "
        "effect wil hebben (outcome).\n",
        "### Context: de opgaven\n",
        "\n".join(f"- {c.tekst} (bron {c.bron})" for c in lm.context) + "\n" if lm.context
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
        delen.append("Bedragen in duizenden euro's. Een `x` betekent dat het bedrag vertrouwelijk is, een `.` "
                     "dat de bron geen bedrag noemt.\n")
    rijen = [[r.omschrijving, _duizend(r.rijk, r.status), _duizend(r.provincie, r.status),
              _duizend(r.gemeente, r.status), BEDRAGSTATUS[r.status]] for r in lm.input.regels]
    if lm.input.subtotaal:
        s = lm.input.subtotaal
        rijen.append(["**Subtotaal**", _duizend(s.rijk, "bekend"), _duizend(s.provincie, "bekend"),
                      _duizend(s.gemeente, "bekend"), f"bron {s.bron}"])
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
        rijen.append([p.id, p.naam, ambitie_naam[p.ambitie], bijdrage, looptijd,
                      "; ".join(p.beoogde_resultaten)])
    if rijen:
        delen.append(_tabel(["Code", "Project", "Ambitie", "Bijdrage Rijk en provincie", "Looptijd",
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
    if lm.bekende_problemen:
        delen.append("## Bekende onvolkomenheden in de bronnen\n")
        delen.append("Deze punten zijn vastgelegd zoals de bron ze geeft en niet stilzwijgend "
                     "gecorrigeerd.\n")
        delen.append("\n".join(f"- {b.omschrijving} (bron {b.bron})" for b in lm.bekende_problemen) + "\n")
    delen.append(f"Bron van dit logic model: {lm.bron}.\n")
    return "\n".join(delen)


def indicatorpagina(config: Configuratie) -> str:
    delen = [
        "(bijlage-indicatoren)=\n# Indicatoren\n",
        f"De monitor meet {sum(i.set == 'kernset' for i in config.indicatoren)} indicatoren in alle "
        f"wijken (de kernset) en {sum(i.set == 'aanvullend' for i in config.indicatoren)} aanvullende "
        "indicatoren die passen bij de aanpak van één wijk. Deze bijlage is gegenereerd uit "
        "`data/config/indicatoren.yml`.\n",
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

# what happened to a wijk's indicator between the nulmeting and a later meting: the outcome codes of
# the results table plus the reasons a value has none
CATEGORIEEN = (*OORDELEN, "onderdrukt", "geen_gegevens")
NIET_GETOETST = {"niet_getoetst": f"{OORDEEL_WEERGAVE['niet_getoetst'].teken} geen toets mogelijk",
                 "trendbreuk": f"{OORDEEL_WEERGAVE['trendbreuk'].teken} trendbreuk",
                 "onderdrukt": f"{opmaak.GEHEIM} niet gepubliceerd", "geen_gegevens": f"{opmaak.ONBEKEND} geen gegevens"}


def verandering_categorie(rij: Optional[pd.Series]) -> str:
    """The category (CATEGORIEEN) of a wijk row's change since the nulmeting; None = no row."""
    if rij is None:
        return "geen_gegevens"
    if bool(rij["onderdrukt"]):
        return "onderdrukt"
    o = oordeel_weergave(rij["oordeel_nulmeting"])
    return str(rij["oordeel_nulmeting"]) if o is not None else "niet_getoetst"


def samenvatting_telling(r: Rapport, gebied: str, meting: int) -> pd.DataFrame:
    """Per pijler (rows, config order) the number of the wijk's indicators in each category (columns)."""
    t = r.tabel
    t = t[(t["gebied"] == gebied) & (t["rol"] == "wijk") & (t["meting"] == int(meting))]
    telling = pd.DataFrame(0, index=[p.id for p in r.config.pijlers], columns=list(CATEGORIEEN))
    for ind in r.config.indicatoren_voor(gebied):
        telling.loc[ind.pijler, verandering_categorie(zoek_rij(t, indicator=ind.id))] += 1
    return telling


def _telling_rij(telling: pd.Series, neutraal: bool) -> list[str]:
    cellen = [opmaak.geheel(int(telling.sum())), opmaak.geheel(int(telling["gunstiger"])),
              opmaak.geheel(int(telling["ongunstiger"]))]
    if neutraal:
        cellen.append(opmaak.geheel(int(telling["hoger"] + telling["lager"])))
    cellen.append(opmaak.geheel(int(telling["geen_verschil"])))
    niet = int(sum(telling[c] for c in NIET_GETOETST))
    delen = [f"{opmaak.geheel(int(telling[c]))} {tekst}" for c, tekst in NIET_GETOETST.items() if telling[c]]
    cellen.append(opmaak.geheel(niet) + (f" ({', '.join(delen)})" if delen else ""))
    return cellen


def _telling_kop(neutraal: bool) -> list[str]:
    w = OORDEEL_WEERGAVE
    kop = ["Indicatoren", f"{w['gunstiger'].teken} gunstiger", f"{w['ongunstiger'].teken} ongunstiger"]
    if neutraal:
        kop.append(f"{w['hoger'].teken}/{w['lager'].teken} hoger of lager")
    return kop + [f"{w['geen_verschil'].teken} niet significant", "Niet getoetst"]


def samenvattingpagina(config: Configuratie, r: Optional[Rapport], taken: list[Taak]) -> str:
    nul = config.nulmeting.jaar
    delen = ["(samenvatting)=\n# Samenvatting\n"]
    if r is None or r.tabel.empty:
        delen.append("Er zijn nog geen resultaten berekend; de samenvatting volgt zodra er gegevens zijn.\n")
        return "\n".join(delen)
    laatste = {g.id: laatste_meting(r, g.id) for g in config.gebieden}
    tellingen = {g: samenvatting_telling(r, g, m) for g, m in laatste.items() if m is not None and m != nul}
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
    rijen = [[f"{{ref}}`{config.gebied[g].naam} <samenvatting-{g.replace('_', '-')}>`", f"{nul} → {laatste[g]}",
              *_telling_rij(t.sum(), neutraal)] for g, t in tellingen.items()]
    delen.append(_tabel(["Wijk", "Vergeleken", *_telling_kop(neutraal)], rijen))
    delen.append("\n" + legenda() + "\n")

    for g in config.gebieden:
        m = laatste[g.id]
        delen.append(f"(samenvatting-{g.id.replace('_', '-')})=\n## {g.naam}\n")
        if g.id not in tellingen:
            delen.append(f"Voor {g.naam} zijn nog geen gegevens van een meting na de nulmeting.\n")
            continue
        factsheet = taak_naam(taken, "factsheet", gebied=g.id, meting=m)
        links = [f"{{doc}}`wijkpagina </book/wijken/{g.id}>`"]
        if factsheet:
            links.append(f"{{doc}}`factsheet {m} </book/uitvoer/{factsheet}>`")
        delen.append(f"Meting {m} vergeleken met de nulmeting van {nul} (zie ook de {' en de '.join(links)}).\n")
        telling = tellingen[g.id]
        delen.append(_tabel(["Pijler", *_telling_kop(neutraal)],
                            [[config.pijler[p].naam, *_telling_rij(telling.loc[p], neutraal)]
                             for p in telling.index if telling.loc[p].sum()]
                            + [["**Totaal**", *_telling_rij(telling.sum(), neutraal)]]))
        t = r.tabel
        t = t[(t["gebied"] == g.id) & (t["rol"] == "wijk")]
        rijen = []
        pijlers = [p.id for p in config.pijlers]
        for ind in sorted(config.indicatoren_voor(g.id), key=lambda i: pijlers.index(i.pijler)):
            w = zoek_rij(t, indicator=ind.id, meting=m)
            if verandering_categorie(w) not in SIGNIFICANT:
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
    eenzaam = {"certainty": "telt niet mee in de variantie (zoals R's `survey.lonely.psu = \"certainty\"`, "
                            "instelling `steekproefontwerp.eenzame_psu: certainty`)",
               "adjust": "telt mee met het kwadraat van zijn PSU-totaal (zoals R's `survey.lonely.psu = "
                         "\"adjust\"`, instelling `steekproefontwerp.eenzame_psu: adjust`)"}[ontwerp.eenzame_psu]
    z = opmaak.getal(NormalDist().inv_cdf(1 - alpha / 2), 2)
    namen = [i.naam.lower() for i in config.indicatoren if i.telt_gebeurtenissen]
    gebeurtenissen = ", ".join(namen[:-1]) + " en " + namen[-1] if len(namen) > 1 else "".join(namen) or "geen"
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
  worden daarbinnen geschat als deelpopulatie (*domeinschatting*). Een respondent hoort bij een
  monitorgebied via zijn buurtcode of wijkcode, alleen binnen zijn eigen gemeente.
- **Onzekerheid.** De standaardfout volgt uit Taylor-linearisatie, zoals het R-pakket `survey`
  (`svydesign` en `svymean`) die berekent; als het bestand strata en clusters (PSU's) bevat, telt
  het steekproefontwerp mee. De uitkomsten zijn vergeleken met R `survey` (map
  `tests/referentie`).
- **Strata en PSU's.** Een PSU hoort bij één stratum: dezelfde psu-code in twee strata zijn twee
  verschillende PSU's (zoals `svydesign(nest = TRUE)`). Komt een psu-code in meer dan één stratum
  voor, dan vraagt het inlezen eerst om de instelling `steekproefontwerp.psu_genest_in_stratum`
  (in `data/config/instellingen.yml`), zodat vaststaat of de
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
  design-effect van de weging (Kish) in de resultatentabel.

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
op 1e-8 in `tests/referentie`). Het interval is de schatting ± {z} standaardfouten.
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
        "worden gepubliceerd en welke beperkingen en onvolkomenheden er zijn. Ze is gegenereerd uit de "
        "configuratie in `data/config` en beschrijft wat de code van `vwanalyse` doet.\n",
        "## Databronnen\n",
        "Gegenereerd uit `data/config/bronnen.yml`.\n",
    ]
    rijen = []
    for b in config.bronnen:
        naam = f"[{_cel(b.naam)}]({b.url})" if b.url else b.naam
        aantal = sum(i.bron == b.id for i in config.indicatoren)
        rijen.append([naam, b.uitgever, BRON_SOORT.get(b.soort, b.soort), b.omschrijving,
                      opmaak.geheel(aantal) if aantal else "–"])
    delen.append(_tabel(["Bron", "Uitgever", "Soort", "Omschrijving", "Indicatoren"], rijen))
    delen.append("\n### Peiljaren per meting\n")
    delen.append("Elke meting gebruikt per bron het jaar hieronder (`data/config/metingen.yml`).\n")
    delen.append(_tabel(["Bron", *[f"{m.naam} ({m.jaar})" for m in config.metingen]],
                        [[b.naam, *[str(m.peiljaren.get(b.id, opmaak.ONBEKEND)) for m in config.metingen]]
                         for b in config.bronnen]))
    delen.append("\n" + methodetekst(config))
    delen.append("## Onthullingsbeheersing\n")
    delen.append(
        "Om te voorkomen dat een cijfer iets zegt over herkenbare personen, wordt een cijfer niet "
        "gepubliceerd (in tabellen `x`) als (drempels uit `data/config/instellingen.yml`):\n\n"
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
        "niet stilzwijgend gecorrigeerd. Een verwijzing als `001:L228` betekent document 001, regel 228:\n\n"
        + "\n".join(f"- `{k}`: {v}" for k, v in BRONDOCUMENTEN.items()) + "\n")
    groepen = [("De Regio Deal als geheel", config.regiodeal.bekende_problemen)]
    groepen += [(f"{g.naam} ({config.logicmodellen[g.id].wijkaanpak})", config.logicmodellen[g.id].bekende_problemen)
                for g in config.gebieden]
    for titel, problemen in groepen:
        delen.append(f"### {titel}\n")
        delen.append("\n".join(f"- {p.omschrijving} (bron `{p.bron}`)" for p in problemen) + "\n"
                     if problemen else "Geen bekende onvolkomenheden.\n")
    delen.append("## Aannames en kanttekeningen\n")
    delen.append("Het logboek van aannames en kanttekeningen (`data/config/kanttekeningen.yml`): wat je moet "
                 "weten om de cijfers goed te lezen.\n")
    for k in config.kanttekeningen:
        delen.append(f"(kanttekening-{k.id.replace('_', '-')})=\n### {k.onderwerp}\n")
        delen.append(f"{k.kanttekening.strip()}\n\n**Gevolg:** {k.gevolg.strip()}\n"
                     + (f"\n*Vastgelegd in:* {k.bron}\n" if k.bron else ""))
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
             + (", ".join(namen[:-1]) + " en " + namen[-1] if len(namen) > 1 else namen[0]) + ".\n")
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
        bijlagen / "verantwoording.md": verantwoordingpagina(config),
        bijlagen / "indicatoren.md": indicatorpagina(config),
        bijlagen / "downloads.md": downloadpagina(config, r, downloads, taken),
    }
    for g in config.gebieden:
        paginas[boek_map / "wijken" / f"{g.id}.md"] = wijkpagina(config, g.id)
    paginas = {pad: met_melding(tekst, melding) for pad, tekst in paginas.items()}
    # included by the hand-written pages: the notice (a comment on real data) and the facts
    paginas[boek_map / GEGENEREERD / "demomelding.md"] = melding or "% geen demodata: geen melding\n"
    for naam, tekst in monitor_stukken(config).items():
        paginas[boek_map / GEGENEREERD / f"{naam}.md"] = tekst
    for pad, tekst in paginas.items():
        schrijf_tekst(pad, tekst)
    return list(paginas) + list(downloads.values())
