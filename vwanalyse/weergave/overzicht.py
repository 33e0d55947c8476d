"""The first screen of a wijk: where it stands, what changed, what the experts say, what the projects did.

Everything here is read from the results table and the validated input tables (proces, duiding);
the key messages are sentences generated from the verdicts, never typed. The wijk page
(`boek.paginas.wijkpagina`) and the samenvatting use these counts, so a verdict is counted in one place.

Two comparisons are kept apart everywhere, each in its own labelled column: the wijk against the
rest of its gemeente at one meting (`oordeel_rest`), and the wijk's change since the nulmeting
(`oordeel_nulmeting`).
"""

from __future__ import annotations

import re
from html import escape
from typing import Optional

import pandas as pd
from IPython.display import Markdown

from vwanalyse.basis.fouten import ParameterFout
from vwanalyse.model.configuratie import Indicator
from vwanalyse.resultaten.opslag import Rapport, heeft_meting, zoek_rij
from vwanalyse.statistiek.oordelen import OORDELEN, SIGNIFICANT
from vwanalyse.weergave import opmaak
from vwanalyse.weergave.opmaak import waarde_tekst
from vwanalyse.weergave.rapport import _Voetnoten, _waarde, duiding_teksten
from vwanalyse.weergave.woorden import (FACTSHEET, OORDEEL_WEERGAVE, PROJECTSTATUS, indicator_ref, met_hoofdletter,
                                        oordeel_weergave, pdf_pad, rol_namen)

# what a comparison of a wijk row came to: the outcome codes of the results table plus the reasons a
# row has none
CATEGORIEEN = (*OORDELEN, "onderdrukt", "geen_gegevens")
VERGELIJKINGEN = ("rest", "nulmeting")
# the categories without a test result, as words
NIET_GETOETST = {"niet_getoetst": f"{OORDEEL_WEERGAVE['niet_getoetst'].teken} geen toets mogelijk",
                 "trendbreuk": f"{OORDEEL_WEERGAVE['trendbreuk'].teken} trendbreuk",
                 "onderdrukt": f"{opmaak.GEHEIM} niet gepubliceerd", "geen_gegevens": f"{opmaak.ONBEKEND} geen gegevens"}
# the segments of a scorecard bar, in reading order (colour from OORDEEL_WEERGAVE, the book's one encoding)
_BALK = ("gunstiger", "hoger", "lager", "geen_verschil", "ongunstiger")


def categorie(rij: Optional[pd.Series], vergelijking: str = "nulmeting") -> str:
    """The category (CATEGORIEEN) of a wijk row's comparison `vergelijking` (rest or nulmeting)."""
    if rij is None:
        return "geen_gegevens"
    if bool(rij["onderdrukt"]):
        return "onderdrukt"
    code = rij[f"oordeel_{vergelijking}"]
    return str(code) if oordeel_weergave(code) is not None else "niet_getoetst"


def telling(r: Rapport, gebied: str, meting: int, vergelijking: str = "nulmeting") -> pd.DataFrame:
    """Per pijler (rows, config order) the number of the wijk's indicators in each category (columns)."""
    t = r.tabel
    t = t[(t["gebied"] == gebied) & (t["rol"] == "wijk") & (t["meting"] == int(meting))]
    uit = pd.DataFrame(0, index=[p.id for p in r.config.pijlers], columns=list(CATEGORIEEN))
    for ind in r.config.indicatoren_voor(gebied):
        uit.loc[ind.pijler, categorie(zoek_rij(t, indicator=ind.id), vergelijking)] += 1
    return uit


# ---------------------------------------------------------------- scorecard


def _woorden(tel: pd.Series) -> str:
    """'2 gunstiger · 3 ongunstiger · 4 niet significant · 1 niet getoetst' (zero counts left out)."""
    delen = [f"{opmaak.geheel(int(tel[c]))} {OORDEEL_WEERGAVE[c].tekst}" for c in _BALK if tel[c]]
    niet = int(sum(tel[c] for c in NIET_GETOETST))
    if niet:
        delen.append(f"{opmaak.geheel(niet)} niet getoetst")
    return " · ".join(delen) or opmaak.ONBEKEND


def _balk(tel: pd.Series) -> str:
    """A stacked bar of the tested verdicts (decoration: the words beside it carry the meaning)."""
    totaal = int(tel.sum())
    if not totaal:
        return ""
    delen = [f'<span class="vw-balk-{c.replace("_", "-")}" style="width:{100 * int(tel[c]) / totaal:.1f}%;'
             f'background:{OORDEEL_WEERGAVE[c].kleur}"></span>' for c in _BALK if tel[c]]
    rest = totaal - sum(int(tel[c]) for c in _BALK)
    if rest:
        delen.append(f'<span class="vw-balk-niet-getoetst" style="width:{100 * rest / totaal:.1f}%"></span>')
    return f'<span class="vw-balk" aria-hidden="true">{"".join(delen)}</span>'


def scorekaart(r: Rapport, gebied: str, meting: int) -> str:
    """An HTML table: per pijler how the wijk compares with the rest of its gemeente at `meting`,
    and how it changed since the nulmeting; counts of indicators in words, with a bar."""
    config = r.config
    nul = config.nulmeting.jaar
    namen = rol_namen(config, gebied)
    tellingen = {v: telling(r, gebied, meting, v) for v in VERGELIJKINGEN}
    kop = [f"Tegenover de {namen['rest_gemeente']} ({meting})"]
    if meting != nul:
        kop.append(f"Veranderd sinds de nulmeting ({nul} → {meting})")
    koppen = "".join(f'<th scope="col">{escape(k)}</th>' for k in kop)
    regels = [f'<tr><th scope="col">Pijler</th>{koppen}</tr>']
    rijen = [(config.pijler[p].naam, {v: tellingen[v].loc[p] for v in VERGELIJKINGEN})
             for p in tellingen["rest"].index if tellingen["rest"].loc[p].sum()]
    rijen.append(("Alle indicatoren", {v: tellingen[v].sum() for v in VERGELIJKINGEN}))
    for naam, tel in rijen:
        cellen = [tel["rest"]] + ([tel["nulmeting"]] if meting != nul else [])
        regels.append(f"<tr><th scope=\"row\">{escape(naam)}</th>"
                      + "".join(f"<td data-label=\"{escape(k)}\">{_balk(c)}"
                                f"<span class=\"vw-telling\">{escape(_woorden(c))}</span></td>"
                                for k, c in zip(kop, cellen)) + "</tr>")
    bijschrift = (f"{escape(namen['wijk'])} in één oogopslag, meting {meting}: het aantal indicatoren per pijler "
                  "dat significant gunstiger of ongunstiger is")
    return (f'<table class="vw-scorekaart">\n<caption>{bijschrift}</caption>\n<thead>{regels[0]}</thead>\n<tbody>\n'
            + "\n".join(regels[1:]) + "\n</tbody>\n</table>\n")


# ---------------------------------------------------------------- key messages


def _z(rij: pd.Series, vergelijking: str) -> float:
    """How strongly a tested difference stands out (|difference| / its standard error) for ranking."""
    se = opmaak.als_getal(rij[f"se_verschil_{vergelijking}"])
    v = opmaak.als_getal(rij[f"verschil_{vergelijking}"])
    return abs(v) / se if opmaak.heeft_waarde(se) and se > 0 and opmaak.heeft_waarde(v) else 0.0


def _naam(ind: Indicator) -> str:
    """The name inside a sentence: its first word in lower case, unless that word is an abbreviation."""
    naam = ind.naam
    for i, teken in enumerate(naam):
        if teken.isalpha():
            woord = re.match(r"\w+", naam[i:]).group(0)
            return naam if woord.isupper() and len(woord) > 1 else naam[:i] + teken.lower() + naam[i + 1:]
    return naam


def _met_eenheid(x, ind: Indicator) -> str:
    """'20,4 per 1.000 inwoners', '22,6%', '7,4' (a rapportcijfer or schaalscore needs no unit in a sentence)."""
    tekst = waarde_tekst(x, ind.eenheid)
    return tekst if ind.eenheid == "%" or ind.eenheid.startswith(("rapportcijfer", "schaalscore")) \
        else f"{tekst} {ind.eenheid}"


def kernboodschappen(r: Rapport, gebied: str, meting: int, hoogstens: int = 5) -> list[str]:
    """Three to five sentences about the wijk at `meting`, generated from the verdicts of the results table.

    In this order: the pijler where the wijk differs most from the rest of its gemeente, the
    strongest improvements and deteriorations since the nulmeting (with both values), and what could
    not be compared. Register counts of events are marked indicatief, as everywhere in the book.
    """
    config = r.config
    nul = config.nulmeting.jaar
    namen = rol_namen(config, gebied)
    wijk = namen["wijk"]
    t = r.tabel
    t = t[(t["gebied"] == gebied) & (t["rol"] == "wijk")]
    nu = t[t["meting"] == int(meting)]
    boodschappen = []
    rest = telling(r, gebied, meting, "rest")
    getoetst = rest[list(OORDELEN)].sum(axis=1) - rest[["niet_getoetst", "trendbreuk"]].sum(axis=1)
    soorten = [soort for soort in ("ongunstiger", "gunstiger") if rest[soort].sum()]
    if soorten:
        soort = soorten[0]
        p = rest[soort].idxmax()
        boodschappen.append(
            f"{wijk} scoort in {meting} op {opmaak.geheel(int(rest[soort].sum()))} van de "
            f"{opmaak.geheel(int(getoetst.sum()))} getoetste indicatoren significant {soort} dan de "
            f"{namen['rest_gemeente']}; de meeste bij {config.pijler[p].naam.lower()} "
            f"({opmaak.geheel(int(rest.loc[p, soort]))}).")
        if len(soorten) == 2:
            beter = sorted(((config.indicator[str(w["indicator"])], w) for _, w in nu.iterrows()
                            if categorie(w, "rest") == "gunstiger" and str(w["indicator"]) in config.indicator),
                           key=lambda iw: -_z(iw[1], "rest"))
            meer = f" (in totaal {opmaak.geheel(len(beter))})" if len(beter) > 2 else ""
            boodschappen.append(f"Significant gunstiger dan de {namen['rest_gemeente']}: "
                                f"{opmaak.opsomming([_naam(i) for i, _ in beter[:2]])}{meer}.")
    else:
        boodschappen.append(f"{wijk} verschilt in {meting} op geen enkele getoetste indicator significant van de "
                            f"{namen['rest_gemeente']}.")
    if meting != nul:
        for soort, werkwoord in (("gunstiger", "verbeterde"), ("ongunstiger", "verslechterde")):
            rijen = [(config.indicator[str(w["indicator"])], w) for _, w in nu.iterrows()
                     if categorie(w, "nulmeting") == soort and str(w["indicator"]) in config.indicator]
            if not rijen:
                continue
            rijen.sort(key=lambda iw: -_z(iw[1], "nulmeting"))
            delen = []
            for ind, w in rijen[:2]:
                basis = zoek_rij(t, indicator=ind.id, meting=nul)
                van = _met_eenheid(opmaak.als_getal(basis["schatting"]), ind) if basis is not None else None
                naar = _met_eenheid(opmaak.als_getal(w["schatting"]), ind)
                delen.append(f"{_naam(ind)} ({f'van {van} naar {naar}' if van else naar}"
                             f"{', indicatief' if bool(w.get('indicatief', False)) else ''})")
            meer = f"; in totaal {opmaak.geheel(len(rijen))} indicatoren" if len(rijen) > 2 else ""
            boodschappen.append(f"Sinds de nulmeting van {nul} {werkwoord} in {wijk} significant: "
                                f"{opmaak.opsomming(delen)}{meer}.")
        veranderd = telling(r, gebied, meting, "nulmeting")
        if not veranderd[list(SIGNIFICANT)].to_numpy().sum():
            boodschappen.append(f"Sinds de nulmeting van {nul} veranderde in {wijk} geen enkele indicator significant.")
    niet = rest[["onderdrukt", "geen_gegevens"]].sum()
    if int(niet.sum()):
        delen = []
        if niet["onderdrukt"]:
            delen.append(f"{opmaak.geheel(int(niet['onderdrukt']))} niet gepubliceerd (te weinig respondenten "
                         "of anders terug te rekenen)")
        if niet["geen_gegevens"]:
            delen.append(f"{opmaak.geheel(int(niet['geen_gegevens']))} zonder gegevens voor deze meting")
        boodschappen.append(f"Van de {opmaak.geheel(int(rest.to_numpy().sum()))} indicatoren van {wijk} zijn er "
                            f"{opmaak.opsomming(delen)}.")
    project = _projectboodschap(r, gebied)
    return boodschappen[:hoogstens - 1 if project else hoogstens] + ([project] if project else [])


_STATUS_BIJ_AANTAL = {"loopt": "lopend"}  # '9 lopend', not '9 loopt'


def _projectboodschap(r: Rapport, gebied: str) -> Optional[str]:
    """'Van de 12 projecten zijn er in 2025 3 afgerond en lopen er 9; 55 van de 60 geplande mijlpalen ...'."""
    p = r.proces
    p = p[p["gebied"].astype(str) == gebied] if not p.empty else p
    projecten = r.config.logicmodellen[gebied].projecten
    if not projecten or p.empty:
        return None
    meting = int(p["meting"].astype(int).max())
    p = p[(p["meting"].astype(int) == meting) & p["project"].astype(str).isin([pr.id for pr in projecten])]
    tel = p["status"].astype(str).value_counts()
    delen = [f"{opmaak.geheel(int(n))} {_STATUS_BIJ_AANTAL.get(s, PROJECTSTATUS.get(s, s))}" for s, n in tel.items()]
    gepland = pd.to_numeric(p["mijlpalen_gepland"], errors="coerce").sum()
    gehaald = pd.to_numeric(p["mijlpalen_gerealiseerd"], errors="coerce").sum()
    mijlpalen = (f"; {opmaak.geheel(gehaald)} van de {opmaak.geheel(gepland)} geplande mijlpalen zijn gerealiseerd"
                 if gepland > 0 else "")
    return (f"Van de {opmaak.geheel(len(projecten))} projecten van de wijkaanpak ({meting}): {opmaak.opsomming(delen)}"
            f"{mijlpalen}.")


# ---------------------------------------------------------------- population, experts, projects


def bevolkingsprofiel(r: Rapport, gebied: str, meting: int) -> Optional[tuple[list[str], list[list[str]], str]]:
    """Header, rows and the notes under them: the sizes (noemer of the configured indicators) and
    characteristics of the wijk beside its gemeente at `meting` (None when there is nothing to show).
    Cells as in every table of the book (`rapport._waarde`: 'x¹' with the reason in the notes)."""
    config = r.config
    profiel = config.instellingen.bevolkingsprofiel
    namen = rol_namen(config, gebied)
    t = r.tabel
    t = t[(t["gebied"] == gebied) & (t["meting"] == int(meting))]
    noten = _Voetnoten()
    rijen = []
    for i in profiel.aantallen:
        ind = config.indicator[i]
        w, g = (zoek_rij(t, indicator=i, rol=rol) for rol in ("wijk", "gemeente"))
        if w is None or not opmaak.heeft_waarde(w["noemer"]):
            continue
        jaar = f" ({int(w['peiljaar'])})" if opmaak.heeft_waarde(w["peiljaar"]) else ""
        rijen.append([met_hoofdletter(ind.definitie.noemer) + jaar, opmaak.geheel(opmaak.als_getal(w["noemer"])),
                      opmaak.geheel(opmaak.als_getal(g["noemer"])) if g is not None and opmaak.heeft_waarde(g["noemer"])
                      else opmaak.ONBEKEND])
    for i in profiel.kenmerken:
        ind = config.indicator[i]
        w, g = (zoek_rij(t, indicator=i, rol=rol) for rol in ("wijk", "gemeente"))
        if w is None:
            continue
        jaar = f" ({int(w['peiljaar'])})" if opmaak.heeft_waarde(w["peiljaar"]) else ""
        rijen.append([indicator_ref(ind) + jaar, _waarde(w, ind, noten), _waarde(g, ind, noten)])
    if not rijen:
        return None
    return ["Kenmerk", met_hoofdletter(namen["wijk"]), met_hoofdletter(namen["gemeente"])], rijen, noten.tekst()


def duidingen(r: Rapport, gebied: str, meting: int) -> list[tuple[str, str, list[str]]]:
    """(pijler name, text for the pijler, lines per indicator) of the local experts' duiding for the wijk at
    `meting`, in pijler order; pijlers without any duiding are left out."""
    uit = []
    for p in r.config.pijlers:
        algemeen, regels = duiding_teksten(r, gebied, meting, p.id)
        if algemeen or regels:
            uit.append((p.naam, algemeen, regels))
    return uit


def projectstand(r: Rapport, gebied: str) -> Optional[tuple[int, list[list[str]]]]:
    """(meting, rows) of the projects at the latest meting with progress: project, status,
    milestones, what was done (the toelichting); None without projects or without progress."""
    lm = r.config.logicmodellen[gebied]
    p = r.proces
    p = p[p["gebied"].astype(str) == gebied] if not p.empty else p
    if not lm.projecten or p.empty:
        return None
    meting = int(p["meting"].astype(int).max())
    p = p[p["meting"].astype(int) == meting]
    rijen = []
    for pr in lm.projecten:
        d = p[p["project"].astype(str) == pr.id]
        if d.empty:
            rijen.append([f"{pr.id} {pr.naam}", opmaak.ONBEKEND, opmaak.ONBEKEND, "geen voortgang aangeleverd"])
            continue
        rij = d.iloc[0]
        gepland = opmaak.als_getal(rij["mijlpalen_gepland"])
        mijlpalen = (f"{opmaak.geheel(opmaak.als_getal(rij['mijlpalen_gerealiseerd']))} van {opmaak.geheel(gepland)}"
                     if opmaak.heeft_waarde(gepland) and gepland > 0 else opmaak.ONBEKEND)
        toelichting = str(rij.get("toelichting", "") or "").strip()
        rijen.append([f"{pr.id} {pr.naam}", PROJECTSTATUS.get(str(rij["status"]), str(rij["status"])), mijlpalen,
                      toelichting if toelichting not in ("nan", "None") else ""])
    return meting, rijen



# ---------------------------------------------------------------- navigation


def navigatie(r: Rapport, gebied: str, sjabloon: str, meting: Optional[int] = None) -> Markdown:
    """The links at the top of a wijk's notebook page: back to the wijk's overview (which links every
    page of the wijk) and, for a page per meting, the same page of the other metingen.

    Only this template's own pages are linked, so adding another template re-runs none of these notebooks.
    """
    config = r.config
    naam = config.gebied[gebied].naam
    delen = [f"{{doc}}`← Overzicht van {naam} </book/wijken/{gebied}>`"]
    definitie = next((d for d in config.notebooks if d.sjabloon == sjabloon), None)
    if definitie is None:
        raise ParameterFout(f"onbekend sjabloon {sjabloon!r}; bekend: {', '.join(d.sjabloon for d in config.notebooks)}")
    if meting is not None and "meting" in definitie.over:
        links = [f"**{m.jaar}**" if m.jaar == int(meting) else
                 f"{{doc}}`{m.jaar} </book/uitvoer/{definitie.pagina(gebied=gebied, meting=m.jaar)}>`"
                 for m in config.metingen]
        delen.append("Andere metingen: " + " · ".join(links))
    if sjabloon == FACTSHEET and meting is not None and heeft_meting(r, int(meting), gebied):
        # the notebook pages lie in book/uitvoer/, two folders below the site root
        pdf = pdf_pad(definitie.pagina(gebied=gebied, meting=int(meting)))
        delen.append(f'<a class="vw-pdf" href="../../{pdf}">Deze factsheet als PDF (A4, om af te drukken)</a>')
    return Markdown('<nav class="vw-navigatie" aria-label="Pagina\'s van deze wijk">\n\n' + " | ".join(delen)
                    + "\n\n</nav>\n")
