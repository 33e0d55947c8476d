"""The Markdown tables and notes of the notebook pages (templates call them as `vwanalyse.rapport`).

Notebooks hold narrative and calls, never statistics. Every number shown here is read from the
results table (`resultaten.schema.SCHEMA`), the effect table (`EFFECT_SCHEMA`) or the validated input
tables (proces, narratief, duiding); nothing is re-estimated. Every number is formatted with
`opmaak` (decimal comma, thousands dot, '23,5%', differences in 'procentpunt'), suppressed values
are shown as `x` with the reason in a note under the table, and test outcomes use the one encoding
of the whole book (`woorden.OORDEEL_WEERGAVE`: ▲ gunstiger, ▼ ongunstiger, ● niet significant, ...).

Table helpers return an `IPython.display.Markdown` object (its text is in `.data`): the last
expression of a notebook cell is displayed, or pass it to `display()`.
"""

from __future__ import annotations

from typing import Optional

import pandas as pd
from IPython.display import Markdown

from vwanalyse.model.configuratie import Indicator
from vwanalyse.resultaten.opslag import Rapport, heeft_meting, onderdrukte_waarden, respondenten, zoek_rij
from vwanalyse.weergave import opmaak
from vwanalyse.weergave.figuren import SCHAALREGEL
from vwanalyse.weergave.logicmodel import opgeleverd
from vwanalyse.weergave.opmaak import verschil_tekst, waarde_tekst
from vwanalyse.weergave.woorden import (HERKEND, OORDEEL_WEERGAVE, PROJECTSTATUS, RICHTING, SIGNIFICANTIE_LABEL, download_label,
                                        indicator_ref, met_hoofdletter, oordeel_weergave, reden_tekst, rol_namen)

# why a test of a register count of events is only indicatief (the verantwoording says more)
INDICATIEF = ("een toets op een registertelling van gebeurtenissen (zoals misdrijven), met een Poisson-model dat "
              "elke gebeurtenis als onafhankelijk behandelt; zie {ref}`bijlage-verantwoording`.")
RANGTELWOORD = ["eerste", "tweede", "derde", "vierde", "vijfde", "zesde"]
_VOLGT_LEGENDA = f" `{opmaak.VOLGT}` = de bron van deze meting is nog niet aangeleverd."


# ---------------------------------------------------------------- small Markdown helpers


_cel = opmaak.markdown_cel
_tabel = opmaak.markdown_tabel


def _admonitie(soort: str, tekst: str, titel: Optional[str] = None) -> str:
    """A MyST admonition in a backtick fence (readable as plain text if MyST is not rendered)."""
    if titel:
        return f"```{{admonition}} {titel}\n:class: {soort}\n{tekst.strip()}\n```\n"
    return f"```{{{soort}}}\n{tekst.strip()}\n```\n"


_getal = opmaak.als_getal
_heeft = opmaak.heeft_waarde


def leeswijzer(tekst: str) -> Markdown:
    """A one-sentence reading guide under a figure."""
    return Markdown(f"*Zo lees je deze figuur:* {tekst.strip()}\n")


def legenda() -> str:
    """The encoding of test outcomes, as one line of text under a table."""
    delen = [f"{o.teken} {o.uitleg}" for o in OORDEEL_WEERGAVE.values()]
    return ("Tekens: " + " · ".join(delen) + f" (uitleg: {{ref}}`significantie <{SIGNIFICANTIE_LABEL}>`).")


def tekenuitleg() -> Markdown:
    """The key to the signs of every table on a page, shown once near its top (not under each table)."""
    return Markdown(f"**Tekens in de tabellen:** {legenda().removeprefix('Tekens: ')} `{opmaak.GEHEIM}` = niet "
                    f"gepubliceerd (de reden staat onder de tabel), `{opmaak.ONBEKEND}` = geen gegevens.\n")


def uitleg_significantie(alpha: float = 0.05) -> Markdown:
    """The explanation of significance and of the signs, shown once in the book."""
    rijen = [[o.teken, o.tekst, o.uitleg] for o in OORDEEL_WEERGAVE.values()]
    tekst = (
        "Een cijfer uit een enquête is een schatting: een andere steekproef had een iets ander cijfer "
        "gegeven. Het **95%-betrouwbaarheidsinterval** geeft aan waar de echte waarde met 95% zekerheid "
        "ligt. Een verschil noemen we **significant** als het zo groot is dat toeval het niet "
        f"waarschijnlijk verklaart (toets met een kans op een onterecht verschil van {opmaak.percentage(alpha, 0)}). "
        "Een niet-significant verschil betekent niet dat er geen verschil is, maar dat de cijfers het "
        "niet kunnen aantonen; in kleine wijken en buurten zijn de intervallen breed.\n\n"
        "Of een verschil gunstig of ongunstig is, hangt af van de indicator: bij roken is lager "
        "gunstig, bij ervaren gezondheid hoger. In tabellen en figuren gebruikt deze rapportage overal "
        "dezelfde tekens, altijd met een woord erbij:\n\n"
        + _tabel(["Teken", "Kort", "Betekenis"], rijen)
        + "\nRegistercijfers (zoals uitkeringen of misdrijven) zijn tellingen zonder steekproef; ze "
        "worden niet getoetst, tenzij de indicator een interval heeft. Een `x` betekent dat een waarde "
        "niet is gepubliceerd om de privacy van respondenten te beschermen (te weinig respondenten), "
        "een `.` dat er geen gegevens zijn.\n\n" + SCHAALREGEL + "\n"
    )
    return Markdown(tekst)


# ---------------------------------------------------------------- notes about the data


def demotekst(rapport: Rapport) -> Optional[str]:
    """The Markdown of the demo-data warning (None on real data)."""
    if not rapport.demodata:
        return None
    databron = rapport.meta.get("databron", {})
    tekst = ("**Demodata.** Deze pagina is gebouwd met synthetische gegevens "
             f"({databron.get('naam', 'demodata')}). De cijfers, citaten en duidingen zijn niet echt en "
             "zeggen niets over de wijken.")
    # the site shows the notice once, as the banner above every page (boek.jupyterbook.DEMO_MELDING):
    # this copy is for print and the PDF (book/_static/vwanalyse.css hides it on screen)
    return f"```{{warning}}\n:class: vw-demomelding\n{tekst}\n```\n"


def demomelding(rapport: Rapport) -> None:
    """Display a warning admonition on every page built from demo data (nothing on real data)."""
    from IPython.display import display

    tekst = demotekst(rapport)
    if tekst:
        display(Markdown(tekst))


def _rangtelwoord(rapport: Rapport, meting: int) -> str:
    jaren = [m.jaar for m in rapport.config.metingen]
    if meting in jaren and jaren.index(meting) < len(RANGTELWOORD):
        return RANGTELWOORD[jaren.index(meting)]
    return ""


def volgt(rapport: Rapport, ind: Indicator, meting: int) -> bool:
    """True when the indicator's bron has not delivered this meting yet (while others have)."""
    return ind.bron in rapport.ontbrekende_bronnen(meting)


def ontbrekend_tekst(rapport: Rapport, meting: int, gebied: Optional[str] = None) -> Optional[str]:
    """The Markdown of the note for a meting without data, or whose survey (or a register) is still
    to come (None when everything is there)."""
    meting = int(meting)
    rang = _rangtelwoord(rapport, meting)
    if not heeft_meting(rapport, meting, gebied):
        tekst = (f"Voor meting {meting} zijn nog geen gegevens; de {rang + ' ' if rang else ''}meting volgt. "
                 "Deze pagina wordt gevuld zodra de gegevens zijn aangeleverd.")
        return _admonitie("note", tekst)
    bronnen = rapport.ontbrekende_bronnen(meting)
    if not bronnen:
        return None
    namen = [f"de {rapport.config.bron[b].naam}" for b in bronnen]
    tekst = (f"Voor meting {meting} {'is' if len(namen) == 1 else 'zijn'} {opmaak.opsomming(namen)} nog niet aangeleverd; die "
             f"cijfers volgen met de {rang + ' ' if rang else ''}meting. Bij de indicatoren uit "
             f"{'die bron' if len(namen) == 1 else 'die bronnen'} staat daarom `{opmaak.VOLGT}`; de andere cijfers "
             "van deze meting staan er al.")
    return _admonitie("note", tekst)


def ontbrekende_meting(rapport: Rapport, meting: int, gebied: Optional[str] = None) -> None:
    """Display a clear note when a meting has no data yet (nothing when it has)."""
    from IPython.display import display

    tekst = ontbrekend_tekst(rapport, meting, gebied)
    if tekst:
        display(Markdown(tekst))


def databron(rapport: Rapport) -> Markdown:
    d = rapport.meta.get("databron", {})
    tekst = f"**Databron:** {d.get('naam', 'onbekend')}" + (" (demodata)" if d.get("demodata") else "") + "\n"
    if d.get("omschrijving"):
        tekst += f"\n{d['omschrijving'].strip()}\n"
    return Markdown(tekst)


# ---------------------------------------------------------------- cells of a table


class _Voetnoten:
    """Collects the reasons for suppression in one table; a cell gets 'x¹', 'x²', ..."""

    TEKENS = "¹²³⁴⁵⁶⁷⁸⁹"

    def __init__(self):
        self.redenen: list[str] = []
        self.indicatief = False  # a test of a register count of events is in the table

    def getoetst(self, r: pd.Series, tekst: str) -> str:
        """The verdict of a tested row, marked '(indicatief)' for a register count of events."""
        if bool(r.get("indicatief", False)):
            self.indicatief = True
            return f"{tekst} (indicatief)"
        return tekst

    def x(self, reden) -> str:
        reden = str(reden or "onthullingsbeheersing")
        if reden not in self.redenen:
            self.redenen.append(reden)
        i = self.redenen.index(reden)
        return opmaak.GEHEIM + (self.TEKENS[i] if i < len(self.TEKENS) else f"({i + 1})")

    def tekst(self) -> str:
        regels = [f"{self.TEKENS[i] if i < len(self.TEKENS) else f'({i + 1})'} `x` = niet gepubliceerd: "
                  f"{reden_tekst(r)}.  " for i, r in enumerate(self.redenen)]
        if self.indicatief:
            regels.append(f"*Indicatief*: {INDICATIEF}  ")
        return "\n".join(regels) + "\n" if regels else ""


def _waarde(r: Optional[pd.Series], ind: Indicator, noten: _Voetnoten, interval: bool = False,
            n: Optional[bool] = None) -> str:
    """A value as a table cell; with `interval` its 95%-interval, with `n` (default: as `interval`)
    the respondents behind it."""
    n = interval if n is None else n
    if r is None:
        return opmaak.ONBEKEND
    if bool(r["onderdrukt"]):
        return noten.x(r["reden"])
    tekst = waarde_tekst(_getal(r["schatting"]), ind.eenheid)
    if interval and _heeft(r["ci_laag"]) and _heeft(r["ci_hoog"]):
        schaal, dec = (100.0, 1) if ind.eenheid == "%" else (1.0, 0 if ind.eenheid.startswith("m³") else 1)
        tekst += f" ({opmaak.interval(_getal(r['ci_laag']), _getal(r['ci_hoog']), dec, schaal)})"
    if n and opmaak.respondenten(r.get("n_ongewogen")):
        tekst += f"; {opmaak.respondenten(r['n_ongewogen'])}"
    return tekst


def _oordeel_cel(r: Optional[pd.Series], soort: str, ind: Indicator, noten: _Voetnoten) -> str:
    """'▼ ongunstiger (+4,2 procentpunt)' for soort rest/vorige/nulmeting of a wijk row."""
    if r is None:
        return opmaak.ONBEKEND
    if bool(r["onderdrukt"]):
        return noten.x(r["reden"])
    o = oordeel_weergave(r[f"oordeel_{soort}"])
    if o is None:
        return opmaak.ONBEKEND
    verschil = r[f"verschil_{soort}"]
    if o is OORDEEL_WEERGAVE["trendbreuk"]:
        return f"{o.teken} {o.tekst}"
    deel = f" ({verschil_tekst(_getal(verschil), ind.eenheid)})" if _heeft(verschil) else ""
    if o is OORDEEL_WEERGAVE["niet_getoetst"]:
        return f"{o.teken} {o.tekst}{deel}"
    return noten.getoetst(r, f"{o.teken} {o.tekst}") + deel


def _eenheid_tekst(ind: Indicator) -> str:
    return "percentage" if ind.eenheid == "%" else ind.eenheid


def _ind_cel(ind: Indicator) -> str:
    """The linked name; the unit only where the number does not show it ('%')."""
    return indicator_ref(ind) if ind.eenheid == "%" else f"{indicator_ref(ind)} ({ind.eenheid})"


def _namen(rapport: Rapport, gebied: str) -> dict[str, str]:
    """The areas of a gebied's rows as table headings ('Rest van Zeist')."""
    return {rol: met_hoofdletter(naam) for rol, naam in rol_namen(rapport.config, gebied).items()}


def indicatoren(rapport: Rapport, gebied: Optional[str] = None, pijler: Optional[str] = None,
                alleen_kernset: bool = False) -> list[Indicator]:
    """Kernset (+ the gebied's aanvullende) indicators of a pijler, in catalogue order."""
    config = rapport.config
    inds = config.indicatoren_voor(gebied) if gebied else config.indicatoren
    return [i for i in inds if (pijler is None or i.pijler == pijler) and (not alleen_kernset or i.set == "kernset")]


# ---------------------------------------------------------------- factsheet


def factsheet_tabel(rapport: Rapport, gebied: str, meting: int, pijler: str) -> Markdown:
    """The wijk beside its surroundings for every indicator of the pijler at one meting."""
    meting = int(meting)
    if not heeft_meting(rapport, meting, gebied):
        return Markdown(f"Voor meting {meting} zijn nog geen gegevens.\n")
    t = rapport.tabel
    t = t[(t["gebied"] == gebied) & (t["meting"] == meting)]
    namen = _namen(rapport, gebied)
    noten = _Voetnoten()
    rijen = []
    nog_te_komen = False
    for ind in indicatoren(rapport, gebied, pijler):
        d = t[t["indicator"] == ind.id]
        if volgt(rapport, ind, meting):  # its source has not delivered this meting: say so, not '.'
            nog_te_komen = True
            rijen.append([_ind_cel(ind)] + [opmaak.VOLGT] * 4
                         + [_waarde(zoek_rij(d, rol=rol), ind, noten) for rol in ("provincie", "nederland")])
            continue
        if d.empty:
            rijen.append([_ind_cel(ind)] + [opmaak.ONBEKEND] * 6)
            continue
        w = zoek_rij(d, rol="wijk")
        rijen.append([
            _ind_cel(ind), _waarde(w, ind, noten, interval=True), _waarde(zoek_rij(d, rol="rest_gemeente"), ind, noten),
            _oordeel_cel(w, "rest", ind, noten), _waarde(zoek_rij(d, rol="gemeente"), ind, noten),
            _waarde(zoek_rij(d, rol="provincie"), ind, noten), _waarde(zoek_rij(d, rol="nederland"), ind, noten),
        ])
    if not rijen:
        return Markdown("Deze pijler heeft geen indicatoren voor dit gebied.\n")
    kop = ["Indicator (eenheid)", f"{namen['wijk']} {meting} (95%-interval; respondenten)", namen["rest_gemeente"],
           f"{namen['wijk']} t.o.v. rest", namen["gemeente"], namen["provincie"], namen["nederland"]]
    tekst = (f"**{rapport.config.pijler[pijler].naam}: {namen['wijk']} vergeleken met de omgeving, meting {meting}**\n\n"
             + _tabel(kop, rijen) + "\n" + (_VOLGT_LEGENDA.strip() + "\n\n" if nog_te_komen else "") + noten.tekst())
    return Markdown(tekst)


def ontwikkeling_tabel(rapport: Rapport, gebied: str, meting: int, pijler: str) -> Markdown:
    """The wijk's value now, at the previous meting and at the nulmeting, with the tested changes."""
    meting = int(meting)
    if not heeft_meting(rapport, meting, gebied):
        return Markdown(f"Voor meting {meting} zijn nog geen gegevens.\n")
    nul = rapport.config.nulmeting.jaar
    if meting == nul:
        return Markdown(f"Meting {meting} is de nulmeting: het vertrekpunt waarmee latere metingen worden "
                        "vergeleken. Er is nog geen ontwikkeling te tonen.\n")
    t = rapport.tabel
    t = t[(t["gebied"] == gebied) & (t["rol"] == "wijk")]
    naam = rapport.config.gebied[gebied].naam
    noten = _Voetnoten()
    regels = []
    for ind in indicatoren(rapport, gebied, pijler):
        w = zoek_rij(t, indicator=ind.id, meting=meting)
        if w is not None:
            vorige = int(w["vorige_meting"]) if _heeft(w["vorige_meting"]) else None
            regels.append((ind, w, vorige))
    if not regels:
        return Markdown("Deze pijler heeft geen indicatoren voor dit gebied.\n")
    tussen = sorted({v for _, _, v in regels if v is not None and v != nul})
    rijen = []
    for ind, w, vorige in regels:
        rij = [_ind_cel(ind), _waarde(zoek_rij(t, indicator=ind.id, meting=nul), ind, noten, n=True)]
        if tussen:
            rij.append(_waarde(zoek_rij(t, indicator=ind.id, meting=vorige), ind, noten, n=True)
                       if vorige is not None and vorige != nul else opmaak.ONBEKEND)
        rij.append(_waarde(w, ind, noten, n=True))
        if tussen:
            rij.append(_oordeel_cel(w, "vorige", ind, noten))
        rij.append(_oordeel_cel(w, "nulmeting", ind, noten))
        rijen.append(rij)
    kop = ["Indicator (eenheid)", f"Nulmeting {nul}"]
    if tussen:
        kop.append(f"Vorige meting {'/'.join(map(str, tussen))}")
    kop.append(f"Meting {meting}")
    if tussen:
        kop.append("Verandering sinds vorige meting")
    kop.append(f"Verandering sinds {nul}")
    tekst = (f"**{rapport.config.pijler[pijler].naam}: ontwikkeling in {naam}**\n\n" + _tabel(kop, rijen) + "\n"
             + "Bij een trendbreuk is de meetmethode veranderd en is de verandering niet getoetst.\n\n"
             + noten.tekst())
    return Markdown(tekst)


def duiding_van(rapport: Rapport, gebied: str, meting: int) -> pd.DataFrame:
    """The duiding rows of a wijk at one meting (pijler rows have no indicator)."""
    d = rapport.duiding
    if d.empty:
        return d
    return d[(d["gebied"].astype(str) == gebied) & (d["meting"].astype(int) == int(meting))]


def duiding_teksten(rapport: Rapport, gebied: str, meting: int, pijler: str) -> tuple[str, list[str]]:
    """(text for the pijler, one Markdown line per indicator with a duiding) for a wijk, meting and pijler:
    '{ref}`Ervaren gezondheid <...>` (niet herkend): ...', in catalogue order."""
    d = duiding_van(rapport, gebied, meting)
    d = d[d["pijler"].astype(str) == pijler] if not d.empty else d
    heeft = d["indicator"].notna() if not d.empty else pd.Series(dtype=bool)
    algemeen = " ".join(str(t).strip() for t in d.loc[~heeft, "tekst"].dropna()) if not d.empty else ""
    per_ind = {str(r["indicator"]): r for _, r in d[heeft].iterrows()} if not d.empty else {}
    regels = []
    for ind in indicatoren(rapport, gebied, pijler):
        if ind.id in per_ind:
            r = per_ind[ind.id]
            regel = f"{indicator_ref(ind)} ({HERKEND.get(str(r['herkend']), str(r['herkend']))})"
            regels.append(regel + (f": {str(r['tekst']).strip()}" if _heeft_tekst(r["tekst"]) else ""))
    return algemeen, regels


def _heeft_tekst(x) -> bool:
    return isinstance(x, str) and bool(x.strip())


def duiding(rapport: Rapport, gebied: str, meting: int, pijler: str) -> Markdown:
    """The interpretation by local experts for this wijk, meting and pijler (from data): the text for the
    pijler and, per indicator they answered in the duiding workbook, whether they recognise the figure and
    their explanation. Shown under the pijler's table, so beside the numbers it explains."""
    if not heeft_meting(rapport, meting, gebied):
        return Markdown("")
    algemeen, regels = duiding_teksten(rapport, gebied, meting, pijler)
    if not algemeen and not regels:
        naam, pijler_naam = rapport.config.gebied[gebied].naam, rapport.config.pijler[pijler].naam.lower()
        return Markdown(_admonitie("note", f"Voor {naam} is voor {pijler_naam} in meting {int(meting)} (nog) geen "
                                           "duiding door lokale experts aangeleverd.", "Duiding door lokale experts"))
    tekst = algemeen + ("\n\n" if algemeen and regels else "")
    if regels:
        tekst += "Per indicator (herkent de gemeente het cijfer, en wat verklaart het?):\n\n" + "\n".join(
            f"- {r}" for r in regels)
    return Markdown(_admonitie("tip", tekst, "Duiding door lokale experts"))


def downloadverwijzing(rapport: Rapport, gebied: str, meting: int) -> Markdown:
    """A link from a factsheet to the CSV and Excel of its table (bijlage Downloads); '' without data."""
    if not heeft_meting(rapport, meting, gebied):
        return Markdown("")
    return Markdown("De cijfers van deze factsheet staan ook in een CSV- en Excel-bestand: "
                    f"{{ref}}`download de tabel <{download_label(gebied, meting)}>`.\n")


# ---------------------------------------------------------------- wijkprofiel


def verloop_tabel(rapport: Rapport, gebied: str, pijler: str) -> Markdown:
    """Per indicator the wijk's value at every meting with data and the change since the nulmeting."""
    t = rapport.tabel
    t = t[(t["gebied"] == gebied) & (t["rol"] == "wijk")]
    metingen = [m for m in rapport.metingen if (t["meting"] == m).any()]
    if not metingen:
        return Markdown("Er zijn nog geen gegevens voor dit gebied.\n")
    laatste = metingen[-1]
    nul = rapport.config.nulmeting.jaar
    noten = _Voetnoten()
    rijen = []
    nog_te_komen = False
    for ind in indicatoren(rapport, gebied, pijler):
        rij = [_ind_cel(ind)]
        for m in metingen:
            r = zoek_rij(t, indicator=ind.id, meting=m)
            nog_te_komen |= r is None and volgt(rapport, ind, m)
            rij.append(opmaak.VOLGT if r is None and volgt(rapport, ind, m) else _waarde(r, ind, noten))
        w = zoek_rij(t, indicator=ind.id, meting=laatste)
        rij.append(_oordeel_cel(w, "nulmeting", ind, noten) if laatste != nul else opmaak.ONBEKEND)
        rijen.append(rij)
    naam = rapport.config.gebied[gebied].naam
    kop = ["Indicator (eenheid)"] + [f"{naam} {m}" for m in metingen] + [f"Verandering {nul}–{laatste}"]
    tekst = _tabel(kop, rijen) + "\n" + (_VOLGT_LEGENDA.strip() + "\n\n" if nog_te_komen else "") + noten.tekst()
    ontbreekt = [m for m in rapport.ontbrekende_metingen]
    if ontbreekt:
        tekst += f"\nNog geen gegevens voor meting {', '.join(map(str, ontbreekt))}.\n"
    return Markdown(tekst)


def projectvoortgang(rapport: Rapport, gebied: str) -> Markdown:
    """Projects of the logic model (also the legend of its diagram): status and milestones per meting.

    Says so in words when the logic model names no projects or when no progress was delivered.
    """
    lm = rapport.config.logicmodellen[gebied]
    naam = rapport.config.gebied[gebied].naam
    if not lm.projecten:
        return Markdown(f"Het logic model van {naam} noemt (nog) geen projecten, dus er is geen voortgang te tonen.\n")
    p = rapport.proces
    p = p[p["gebied"].astype(str) == gebied] if not p.empty else p
    metingen = sorted(int(m) for m in p["meting"].unique()) if not p.empty else []
    ambitie = {a.id: a.naam for a in lm.ambities}
    rijen = []
    toelichting = []
    for pr in lm.projecten:
        rij = [pr.id, pr.naam, ambitie.get(pr.ambitie, pr.ambitie)]
        for m in metingen:
            r = p[(p["project"].astype(str) == pr.id) & (p["meting"].astype(int) == m)]
            if r.empty:
                rij.append(opmaak.ONBEKEND)
                continue
            r = r.iloc[0]
            status = PROJECTSTATUS.get(str(r["status"]), str(r["status"]))
            if _heeft(r["mijlpalen_gepland"]) and _getal(r["mijlpalen_gepland"]) > 0:
                status += f"; {opmaak.geheel(_getal(r['mijlpalen_gerealiseerd']))} van " \
                          f"{opmaak.geheel(_getal(r['mijlpalen_gepland']))} mijlpalen"
            rij.append(status)
        if metingen:
            laatste = p[(p["project"].astype(str) == pr.id) & (p["meting"].astype(int) == metingen[-1])]
            rij.append("; ".join(opgeleverd(laatste, len(pr.beoogde_resultaten), pr.bijdrage.bedrag_euro))
                       or opmaak.ONBEKEND)
            if not laatste.empty and str(laatste["toelichting"].iloc[0] or "").strip() not in ("", "nan", "None"):
                toelichting.append(f"- **{pr.id}** ({metingen[-1]}): {str(laatste['toelichting'].iloc[0]).strip()}")
        rijen.append(rij)
    kop = ["Code", "Project", "Ambitie"] + [f"Meting {m}" for m in metingen] + (
        [f"Opgeleverd tot {metingen[-1]}"] if metingen else [])
    tekst = _tabel(kop, rijen)
    if not metingen:
        tekst += f"\nVoor {naam} is nog geen voortgangsinformatie over de projecten aangeleverd.\n"
    if toelichting:
        tekst += "\nToelichting bij de laatste meting:\n\n" + "\n".join(toelichting) + "\n"
    return Markdown(tekst)


def narratief_overzicht(rapport: Rapport, gebied: str) -> Markdown:
    """Themes per pijler with the number of positive, neutral and negative fragments."""
    n = rapport.narratief
    n = n[n["gebied"].astype(str) == gebied] if not n.empty else n
    if n.empty:
        return Markdown(f"Voor {rapport.config.gebied[gebied].naam} zijn nog geen gesprekken met bewoners en "
                        "professionals verwerkt.\n")
    rijen = []
    for pijler in rapport.config.pijlers:
        d = n[n["pijler"].astype(str) == pijler.id]
        if d.empty:
            continue
        for thema, dt in d.groupby(d["thema"].astype(str), sort=True):
            tel = dt["sentiment"].astype(str).value_counts()
            groepen = dt["groep"].astype(str).value_counts()
            rijen.append([pijler.naam, thema, opmaak.geheel(len(dt)),
                          opmaak.geheel(tel.get("positief", 0)), opmaak.geheel(tel.get("neutraal", 0)),
                          opmaak.geheel(tel.get("negatief", 0)),
                          f"{opmaak.geheel(groepen.get('bewoner', 0))} / {opmaak.geheel(groepen.get('professional', 0))}"])
    metingen = ", ".join(str(m) for m in sorted(n["meting"].astype(int).unique()))
    tekst = (f"Aantal gecodeerde fragmenten uit interviews en groepsgesprekken (metingen {metingen}), "
             "naar pijler en thema.\n\n"
             + _tabel(["Pijler", "Thema", "Fragmenten", "Positief", "Neutraal", "Negatief", "Bewoners / professionals"],
                      rijen)
             + "\n" + NARRATIEF_TELLINGEN)
    return Markdown(tekst)


# what the counts of fragments can and cannot mean (shown under the overview)
NARRATIEF_TELLINGEN = (
    "**Wat de aantallen betekenen.** Een fragment is een passage uit een gesprek die de onderzoekers een thema "
    "en een toon (positief, neutraal, negatief) gaven; één persoon kan meerdere fragmenten hebben. Een aantal "
    "zegt dus hoe vaak een thema ter sprake kwam, niet hoeveel mensen er zo over denken. De gesprekspartners "
    "zijn gekozen om verschillende ervaringen te horen, niet als steekproef: reken de aantallen niet om naar "
    "percentages van de wijk, en lees een verschil tussen wijken of metingen niet als een ontwikkeling. Wel "
    "laten ze zien welke onderwerpen bewoners en professionals zelf aandragen.\n")
CITAATREGEL = (
    "De citaten zijn gekozen met een vaste regel, niet met de hand: per pijler en per groep (bewoners, "
    "professionals) het thema dat in de laatste meting het vaakst ter sprake kwam (bij gelijke aantallen het "
    "eerste in alfabetische volgorde), en daarvan het fragment met het laagste fragmentnummer. Na elk citaat "
    "staat hoe de fragmenten over dat thema verdeeld zijn, zodat één citaat niet voor het hele thema spreekt.")


def citaten(rapport: Rapport, gebied: str, per_pijler: int = 2) -> Markdown:
    """Quotes chosen by a fixed rule (CITAATREGEL): per pijler of the latest meting and per group, the
    first fragment (by fragment_id) of the group's most frequent theme, with the tone of all fragments
    on that theme beside it.

    Nothing when the gebied has no fragments at all (`narratief_overzicht` says so).
    """
    n = rapport.narratief
    n = n[n["gebied"].astype(str) == gebied] if not n.empty else n
    if n.empty:
        return Markdown("")
    laatste = int(n["meting"].astype(int).max())
    groepen = sorted(n["groep"].astype(str).unique(), key=lambda g: (g != "bewoner", g))  # residents first
    regels = []
    for pijler in rapport.config.pijlers:
        d = n[(n["pijler"].astype(str) == pijler.id) & (n["meting"].astype(int) == laatste)]
        gekozen, gezien = [], set()
        for groep in groepen:
            dg = d[(d["groep"].astype(str) == groep) & d["thema"].notna()]
            if dg.empty:
                continue
            aantallen = dg["thema"].astype(str).value_counts()
            thema = min(aantallen.index, key=lambda t: (-aantallen[t], t))
            kandidaten = dg[dg["thema"].astype(str) == thema].sort_values("fragment_id")
            r = next((r for _, r in kandidaten.iterrows() if str(r["citaat"]).strip() not in gezien), None)
            if r is not None:
                gekozen.append((r, dg[dg["thema"].astype(str) == thema]))
                gezien.add(str(r["citaat"]).strip())
        for r, over in gekozen[:per_pijler]:
            toon = over["sentiment"].astype(str).value_counts()
            verdeling = ", ".join(f"{opmaak.geheel(toon[t])} {t}" for t in ("positief", "neutraal", "negatief") if t in toon)
            regels.append(f"> “{str(r['citaat']).strip()}”\n>\n> — {r['groep']}, {pijler.naam.lower()}, "
                          f"thema {r['thema']} ({laatste}; de {opmaak.geheel(len(over))} fragmenten van "
                          f"{r['groep']}s over dit thema: {verdeling})\n")
    if not regels:
        return Markdown(f"Uit de laatste meting ({laatste}) zijn er voor {rapport.config.gebied[gebied].naam} geen "
                        "citaten.\n")
    return Markdown(f"Een paar citaten uit de laatste meting ({laatste}). {CITAATREGEL}\n\n" + "\n".join(regels))


# ---------------------------------------------------------------- pijler page


def indicator_kop(rapport: Rapport, indicator: str) -> Markdown:
    ind = rapport.config.indicator[indicator]
    bron = rapport.config.bron[ind.bron].naam
    return Markdown(f"**{indicator_ref(ind)}** — {_eenheid_tekst(ind)}, {RICHTING[ind.richting]}; bron: {bron}.\n")


def wijken_tabel(rapport: Rapport, indicator: str, met_kop: bool = True) -> Markdown:
    """Every wijk at every meting on one indicator, with the test against the rest of its gemeente.

    The table starts with the indicator's name (linked to its definition) and unit, so it can stand
    on its own; `met_kop=False` leaves that out under an `indicator_kop`.
    """
    config = rapport.config
    ind = config.indicator[indicator]
    t = rapport.tabel
    t = t[t["indicator"] == indicator]
    metingen = [m for m in rapport.metingen if (t["meting"] == m).any()]
    noten = _Voetnoten()
    rijen = []
    for g in config.gebieden:
        w = t[(t["gebied"] == g.id) & (t["rol"] == "wijk")]
        if w.empty:
            continue
        rij = [g.naam]
        for m in metingen:
            r = zoek_rij(w, meting=m)
            if r is None:
                rij.append(opmaak.ONBEKEND)
                continue
            cel = _waarde(r, ind, noten)
            o = oordeel_weergave(r["oordeel_rest"])
            if o and not bool(r["onderdrukt"]):
                # the verdict beside the value it compares with
                rest = _waarde(zoek_rij(t, gebied=g.id, rol="rest_gemeente", meting=m), ind, noten)
                cel += " " + noten.getoetst(r, f"{o.teken} {o.tekst}") + f" (rest: {rest})"
            rij.append(cel)
        rijen.append(rij)
    ref = []
    for rol, naam in (("provincie", f"Provincie {config.gebieden_bestand.provincie.naam}"),
                      ("nederland", config.gebieden_bestand.land.naam)):
        rij = [naam]
        for m in metingen:
            rij.append(_waarde(zoek_rij(t, rol=rol, meting=m), ind, noten))
        if any(c != opmaak.ONBEKEND for c in rij[1:]):
            ref.append(rij)
    titel = f"**{indicator_ref(ind)}** ({_eenheid_tekst(ind)}), per wijk en meting\n\n" if met_kop else ""
    if not rijen:
        return Markdown(titel + "Voor deze indicator zijn nog geen gegevens.\n")
    kop = ["Gebied"] + [f"Meting {m}" for m in metingen]
    tekst = (titel + _tabel(kop, rijen + ref) + "\nHet teken achter een wijkcijfer vergelijkt de wijk met de rest van "
             "de eigen gemeente; tussen haakjes staat de waarde van die rest.\n\n" + noten.tekst())
    return Markdown(tekst)


# ---------------------------------------------------------------- effectanalyse


def effecten_tabel(rapport: Rapport, gebied: str) -> Markdown:
    """The difference-in-differences estimates of one gebied."""
    config = rapport.config
    e = rapport.effecten
    e = e[e["gebied"].astype(str) == gebied]
    if e.empty:
        return Markdown("Voor dit gebied zijn (nog) geen schattingen: daarvoor zijn de nulmeting en een latere "
                        "meting nodig, zonder onderdrukte waarden.\n")
    volgorde = [i.id for i in config.indicatoren]
    e = e.assign(_v=e["indicator"].map(volgorde.index)).sort_values(["_v", "meting"])
    namen = _namen(rapport, gebied)
    noten = _Voetnoten()
    rijen = []
    for _, r in e.iterrows():
        ind = config.indicator[str(r["indicator"])]
        o = oordeel_weergave(r["oordeel"]) or OORDEEL_WEERGAVE["niet_getoetst"]
        eenheid = ind.eenheid
        rijen.append([
            _ind_cel(ind), f"{int(r['basismeting'])}–{int(r['meting'])}",
            verschil_tekst(_getal(r["schatting"]), eenheid),
            opmaak.verschil_interval(_getal(r["ci_laag"]), _getal(r["ci_hoog"]), eenheid),
            opmaak.p_waarde(_getal(r["p"])), noten.getoetst(r, f"{o.teken} {o.tekst}"),
            *(_effect_respondenten(rapport, r, rol) for rol in ("wijk", "rest_gemeente")),
        ])
    kop = ["Indicator (eenheid)", "Periode", "Verschil-in-verschillen", "95%-interval", "p", "Oordeel",
           f"Respondenten {namen['wijk']} (begin en eind)",
           f"Respondenten {rol_namen(config, gebied)['rest_gemeente']} (begin en eind)"]
    register = " Bij een registertelling staat `–` onder Respondenten: het is een telling, geen steekproef.\n" \
        if noten.indicatief else ""
    return Markdown(_tabel(kop, rijen) + "\n" + noten.tekst() + register)


def _effect_respondenten(rapport: Rapport, effect: pd.Series, rol: str) -> str:
    """'412 en 398': the respondents of one area (wijk or rest) at the start and the end of an
    effect's period, from the results table; the model's n is the sum of both areas' numbers."""
    if not _heeft(effect["n"]):
        return "–"  # a register count has no respondents
    t = rapport.tabel
    aantallen = []
    for meting in (effect["basismeting"], effect["meting"]):
        rij = zoek_rij(t, gebied=str(effect["gebied"]), indicator=str(effect["indicator"]), rol=rol,
                       meting=int(meting))
        aantallen.append(opmaak.geheel(_getal(rij["n_ongewogen"]))
                         if rij is not None and _heeft(rij["n_ongewogen"]) else opmaak.ONBEKEND)
    return " en ".join(aantallen)


# ---------------------------------------------------------------- datakwaliteit


def metingen_tabel(rapport: Rapport) -> Markdown:
    """Which metingen were loaded and which are still missing."""
    rijen = []
    for m in rapport.config.metingen:
        aanwezig = m.jaar in rapport.metingen
        status = "aanwezig" if aanwezig else "nog geen gegevens"
        if aanwezig and rapport.ontbrekende_bronnen(m.jaar):
            status += "; nog niet aangeleverd: " + ", ".join(rapport.config.bron[b].naam
                                                             for b in rapport.ontbrekende_bronnen(m.jaar))
        rijen.append([str(m.jaar), m.naam, status,
                      opmaak.geheel(int((rapport.tabel["meting"] == m.jaar).sum()))])
    return Markdown(_tabel(["Meting", "Naam", "Status", "Rijen in de resultatentabel"], rijen))


def respons_tabel(rapport: Rapport) -> Markdown:
    d = respondenten(rapport)
    if d.empty:
        return Markdown("Er zijn geen enquêtegegevens ingelezen.\n")
    config = rapport.config
    metingen = sorted(d["meting"].unique())
    rijen = []
    for bron in dict.fromkeys(d["bron"]):
        for g in config.gebieden:
            rij = [config.bron[bron].naam, g.naam]
            for m in metingen:
                r = d[(d["bron"] == bron) & (d["gebied"] == g.id) & (d["meting"] == m)]
                rij.append(opmaak.geheel(int(r["respondenten"].iloc[0])) if not r.empty else opmaak.ONBEKEND)
            rijen.append(rij)
    return Markdown(_tabel(["Enquête", "Wijk"] + [f"Meting {m}" for m in metingen], rijen))


def aanlevering_tabel(rapport: Rapport) -> Markdown:
    """Per wijk what was delivered: indicators with a figure per meting, projects with progress,
    conversation fragments and duiding texts; a sentence under the table names what is missing."""
    config = rapport.config
    t = rapport.tabel
    wijk = t[t["rol"] == "wijk"]
    rijen, ontbreekt = [], []
    for g in config.gebieden:
        inds = {i.id for i in config.indicatoren_voor(g.id)}
        w = wijk[(wijk["gebied"] == g.id) & wijk["indicator"].isin(inds)]
        met = w[w["schatting"].notna() | w["onderdrukt"].astype(bool)]
        per_meting = "; ".join(f"{m}: {opmaak.geheel(int((met['meting'] == m).sum()))} van {opmaak.geheel(len(inds))}"
                               for m in rapport.metingen)
        telling = {}
        for naam, tabel in (("proces", rapport.proces), ("narratief", rapport.narratief), ("duiding", rapport.duiding)):
            telling[naam] = tabel[tabel["gebied"].astype(str) == g.id] if not tabel.empty else tabel
        projecten = len(config.logicmodellen[g.id].projecten)
        met_voortgang = int(telling["proces"]["project"].nunique()) if not telling["proces"].empty else 0
        rijen.append([g.naam, per_meting or opmaak.ONBEKEND,
                      f"{opmaak.geheel(met_voortgang)} van {opmaak.geheel(projecten)}",
                      opmaak.geheel(len(telling["narratief"])), opmaak.geheel(len(telling["duiding"]))])
        gemist = [tekst for leeg, tekst in (
            (met.empty, "cijfers"), (projecten == 0, "projecten in het logic model"),
            (projecten > 0 and met_voortgang == 0, "voortgang van de projecten"),
            (telling["narratief"].empty, "gesprekken met bewoners en professionals"),
            (telling["duiding"].empty, "duiding door lokale experts")) if leeg]
        if gemist:
            ontbreekt.append(f"Voor {g.naam} zijn er nog geen {' en geen '.join(gemist)}.")
    tekst = _tabel(["Wijk", "Indicatoren met een cijfer, per meting", "Projecten met voortgang",
                    "Gespreksfragmenten", "Duidingen"], rijen)
    if ontbreekt:
        tekst += "\n" + " ".join(ontbreekt) + "\n"
    return Markdown(tekst)


def onderdrukking_tabel(rapport: Rapport) -> Markdown:
    """Every suppressed value, per gebied and meting, with its reason."""
    d = onderdrukte_waarden(rapport)
    if d.empty:
        return Markdown("Er zijn geen waarden onderdrukt.\n")
    config = rapport.config
    rol_naam = {"wijk": "wijk", "rest_gemeente": "rest van de gemeente", "gemeente": "gemeente"}
    d = d.assign(_g=d["gebied"].map([g.id for g in config.gebieden].index),
                 _i=d["indicator"].map([i.id for i in config.indicatoren].index))
    rijen = []
    for _, r in d.sort_values(["_g", "meting", "_i", "rol"]).iterrows():
        rijen.append([config.gebied[r["gebied"]].naam, str(int(r["meting"])), indicator_ref(config.indicator[r["indicator"]]),
                      rol_naam.get(r["rol"], r["rol"]), reden_tekst(r["reden"])])
    samenvatting = d.groupby(["gebied", "meting"]).size()
    regels = [f"- {config.gebied[g].naam}, meting {m}: {opmaak.geheel(n)}" for (g, m), n in samenvatting.items()]
    return Markdown("Aantal niet gepubliceerde waarden:\n\n" + "\n".join(regels) + "\n\n"
                    + _tabel(["Gebied", "Meting", "Indicator", "Over", "Reden"], rijen))
