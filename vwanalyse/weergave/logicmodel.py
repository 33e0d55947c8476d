"""The logic model of a wijk as data and as a diagram.

Five columns, read from left to right: context (the opgaven) → input (budgets per ambitie) →
proces (the projects, by code, with their status at the latest meting) → output (what the
projects delivered: beoogde resultaten opgeleverd, people reached, money spent where public, and
the milestones) → outcome (the indicators the projects aim at, each marked with its change since the
nulmeting: the oordeel_nulmeting of the wijk row at the latest meting, in the book's one
encoding). One row per ambitie keeps 12-16 projects legible; the project codes are explained in
the table `rapport.projectvoortgang` under the diagram.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Optional

import matplotlib.pyplot as plt
import pandas as pd

from vwanalyse.resultaten.opslag import Rapport
from vwanalyse.weergave import opmaak
from vwanalyse.weergave.figuren import DPI, _alt_schoon, bronregel
from vwanalyse.weergave.woorden import OORDEEL_WEERGAVE, PROJECTSTATUS, oordeel_weergave

KOLOMMEN = [("context", "Context", "de opgaven"), ("input", "Input", "middelen per ambitie"),
            ("proces", "Proces", "projecten (status)"), ("output", "Output", "opgeleverd, bereik, mijlpalen"),
            ("outcome", "Outcome", "indicatoren, verandering sinds nulmeting")]
BREEDTES = [1.75, 1.65, 1.75, 1.6, 2.55]  # inches
TUSSEN = 0.28
REGEL = 0.155  # inches per text line at 7.5 pt


@dataclass
class Rij:
    """One ambitie of the logic model with what belongs to it."""

    ambitie: str
    naam: str
    input: list[str] = field(default_factory=list)
    proces: list[str] = field(default_factory=list)
    output: list[str] = field(default_factory=list)
    outcome: list[tuple[str, Optional[str]]] = field(default_factory=list)  # (indicator naam, oordeel)


def _bedrag(x, status: str) -> str:
    if x is None:
        return "vertrouwelijk" if status == "vertrouwelijk" else opmaak.ONBEKEND
    return opmaak.euro(x * 1000)  # the logic models give amounts in thousands of euros


def _som(d, kolom: str) -> Optional[float]:
    """The sum of a column over projects, None when no project gave a value."""
    x = d[kolom].astype("float64") if kolom in d else None
    return None if x is None or x.isna().all() else float(x.sum())


def opgeleverd(d, beoogd: int, budget: Optional[float] = None) -> list[str]:
    """What one or more projects delivered by a meting (rows of proces/projecten.csv): results of their
    beoogde resultaten, people reached, money spent (beside `budget`, the public contribution)."""
    uit = []
    klaar = _som(d, "resultaten_opgeleverd")
    if klaar is not None and beoogd:
        uit.append(f"{opmaak.geheel(klaar)} van {opmaak.geheel(beoogd)} beoogde resultaten opgeleverd")
    bereik = _som(d, "bereik")
    if bereik is not None:
        uit.append(f"bereik {opmaak.geheel(bereik)} personen")
    besteed = _som(d, "uitgaven_euro")
    if besteed is not None:
        deels = len(d) > 1 and d["uitgaven_euro"].isna().any()  # a sum that leaves out non-public amounts
        uit.append(f"besteed {opmaak.euro(besteed)}" + (f" van {opmaak.euro(budget)}" if budget else "")
                   + (" (alleen projecten met een openbaar bedrag)" if deels else ""))
    return uit


def model(rapport: Rapport, gebied: str) -> tuple[list[str], list[Rij], Optional[int]]:
    """The logic model as data: context lines, one Rij per ambitie, and the latest meting used."""
    config = rapport.config
    lm = config.logicmodellen[gebied]
    p = rapport.proces
    p = p[p["gebied"].astype(str) == gebied] if not p.empty else p
    laatste_proces = int(p["meting"].astype(int).max()) if not p.empty else None
    t = rapport.tabel
    w = t[(t["gebied"] == gebied) & (t["rol"] == "wijk")]
    laatste = int(w["meting"].max()) if not w.empty else None
    rijen = []
    for a in lm.ambities:
        rij = Rij(a.id, a.naam)
        for r in lm.input.regels:
            if r.ambitie == a.id:
                if r.status == "vertrouwelijk" and r.rijk is None:
                    rij.input.append("bedrag vertrouwelijk")
                    continue
                for wie, x in (("Rijk", r.rijk), ("Provincie", r.provincie), ("Gemeente", r.gemeente)):
                    if x is not None or r.status != "bekend":
                        rij.input.append(f"{wie} {_bedrag(x, r.status)}")
        projecten = [pr for pr in lm.projecten if pr.ambitie == a.id]
        gepland = gerealiseerd = 0
        resultaten = 0
        stand = []  # per project its row at the latest meting
        for pr in projecten:
            status = "geen voortgang"
            if laatste_proces is not None:
                d = p[(p["project"].astype(str) == pr.id) & (p["meting"].astype(int) == laatste_proces)]
                if not d.empty:
                    status = PROJECTSTATUS.get(str(d["status"].iloc[0]), str(d["status"].iloc[0]))
                    stand.append(d)
                    gepland += int(d["mijlpalen_gepland"].iloc[0] or 0)
                    gerealiseerd += int(d["mijlpalen_gerealiseerd"].iloc[0] or 0)
            rij.proces.append(f"{pr.id} {status}")
            resultaten += len(pr.beoogde_resultaten)
        if projecten:
            geleverd = opgeleverd(pd.concat(stand), resultaten) if stand else []
            rij.output += [f"{regel} ({laatste_proces})" for regel in geleverd[:1]] + geleverd[1:] or \
                [f"{opmaak.geheel(resultaten)} beoogde resultaten"]
            if laatste_proces is not None and gepland:
                rij.output.append(f"{opmaak.geheel(gerealiseerd)} van {opmaak.geheel(gepland)} mijlpalen "
                                  f"gerealiseerd ({laatste_proces})")
        else:
            rij.proces.append("geen Regio Deal-projecten")
        gezien = []
        for pr in projecten:
            for i in pr.indicatoren:
                if i not in gezien:
                    gezien.append(i)
        for i in gezien:
            r = w[(w["indicator"] == i) & (w["meting"] == laatste)] if laatste is not None else w.iloc[0:0]
            o = None
            if not r.empty and oordeel_weergave(r["oordeel_nulmeting"].iloc[0]):
                o = str(r["oordeel_nulmeting"].iloc[0])
            rij.outcome.append((config.indicator[i].naam, o))
        rijen.append(rij)
    # input lines that belong to no ambitie (e.g. corona support) form their own row
    overig = [r for r in lm.input.regels if r.ambitie is None]
    if overig:
        rij = Rij("overig", "Overige middelen")
        for r in overig:
            bedragen = [f"{wie} {_bedrag(x, r.status)}" for wie, x in
                        (("Rijk", r.rijk), ("Provincie", r.provincie), ("Gemeente", r.gemeente))
                        if x is not None or r.status != "bekend"]
            rij.input.append(f"{r.omschrijving}: " + ", ".join(bedragen))
        rijen.append(rij)
    context = [c.tekst for c in lm.context]
    return context, rijen, laatste


def _regels(items: list[str], breedte: float, teken_per_inch: float = 15.5) -> list[str]:
    n = max(10, int(breedte * teken_per_inch))
    uit = []
    for item in items:
        delen = textwrap.wrap(item, n) or [""]
        uit.append(delen[0])
        uit += ["  " + d for d in textwrap.wrap(" ".join(delen[1:]), n - 2)] if len(delen) > 1 else []
    return uit


def diagram(rapport: Rapport, gebied: str):
    """The logic model as a matplotlib figure (with vw_naam and vw_alt for figuren.toon)."""
    config = rapport.config
    context, rijen, laatste = model(rapport, gebied)
    naam = config.gebied[gebied].naam
    lm = config.logicmodellen[gebied]
    x0 = [0.1]
    for b in BREEDTES[:-1]:
        x0.append(x0[-1] + b + TUSSEN)
    breedte = x0[-1] + BREEDTES[-1] + 0.1
    # heights per row
    inhoud = []
    for rij in rijen:
        kol = {
            "input": _regels(rij.input or ["—"], BREEDTES[1]),
            "proces": _regels(rij.proces, BREEDTES[2]),
            "output": _regels(rij.output or ["—"], BREEDTES[3]),
            "outcome": _regels([f"{(OORDEEL_WEERGAVE[o].teken if o else '–')} {n}" for n, o in rij.outcome] or ["—"],
                               BREEDTES[4]),
        }
        kop = _regels([rij.naam], sum(BREEDTES[1:]) + 3 * TUSSEN, 15)
        inhoud.append((kop, kol, (max(len(v) for v in kol.values()) + len(kop)) * REGEL + 0.22))
    context_regels = _regels([f"• {c}" for c in context], BREEDTES[0])
    rijen_hoogte = sum(h for _, _, h in inhoud) + 0.12 * len(inhoud)
    plot_hoogte = max(rijen_hoogte, len(context_regels) * REGEL + 0.2)
    kop_h, voet_h = 0.85, 0.95
    hoogte = plot_hoogte + kop_h + voet_h
    fig = plt.figure(figsize=(breedte, hoogte), dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, breedte)
    ax.set_ylim(0, hoogte)
    ax.axis("off")
    titel = f"Logic model {naam} ({lm.wijkaanpak})"
    ax.text(0.1, hoogte - 0.12, titel, fontsize=12, fontweight="bold", va="top")
    boven = hoogte - kop_h
    for (sleutel, kop, sub), x, b in zip(KOLOMMEN, x0, BREEDTES):
        ax.text(x + b / 2, boven + 0.38, kop, ha="center", va="bottom", fontsize=10, fontweight="bold")
        ax.text(x + b / 2, boven + 0.36, sub, ha="center", va="top", fontsize=7, color="#333333")
    # context: one box over the full height
    ax.add_patch(plt.Rectangle((x0[0], boven - plot_hoogte), BREEDTES[0], plot_hoogte, facecolor="#f2f2f2",
                               edgecolor="#999999", linewidth=0.8))
    for k, regel in enumerate(context_regels):
        ax.text(x0[0] + 0.06, boven - 0.1 - k * REGEL, regel, fontsize=7, va="top")
    y = boven
    kleuren = {"input": "#fff4d6", "proces": "#e3f0fa", "output": "#e6f5ef", "outcome": "#ffffff"}
    alt_rijen = []
    for rij, (kop, kol, h) in zip(rijen, inhoud):
        # ambitie title across input..outcome
        for k, regel in enumerate(kop):
            ax.text(x0[1], y - 0.04 - k * REGEL, regel, fontsize=8, fontweight="bold", va="top", color="#000000")
        boven_cel = y - len(kop) * REGEL - 0.08
        cel_h = h - len(kop) * REGEL - 0.12
        for j, sleutel in enumerate(["input", "proces", "output", "outcome"], start=1):
            ax.add_patch(plt.Rectangle((x0[j], boven_cel - cel_h), BREEDTES[j], cel_h, facecolor=kleuren[sleutel],
                                       edgecolor="#999999", linewidth=0.7))
            for k, regel in enumerate(kol[sleutel]):
                yy = boven_cel - 0.06 - k * REGEL
                if sleutel == "outcome" and regel[:1] in {o.teken for o in OORDEEL_WEERGAVE.values()}:
                    o = next(v for v in OORDEEL_WEERGAVE.values() if v.teken == regel[:1])
                    ax.text(x0[j] + 0.06, yy, regel[:1], fontsize=8, va="top", color=o.kleur, fontweight="bold")
                    ax.text(x0[j] + 0.22, yy, regel[2:], fontsize=7, va="top")
                else:
                    ax.text(x0[j] + 0.06, yy, regel, fontsize=7, va="top")
            if j > 1 and rij.proces != ["geen Regio Deal-projecten"] or j == 1:
                pass
        for j in range(0, 4):
            xa = x0[j] + BREEDTES[j] + 0.03
            ya = boven_cel - cel_h / 2
            ax.annotate("", xy=(x0[j + 1] - 0.03, ya), xytext=(xa, ya),
                        arrowprops={"arrowstyle": "-|>", "color": "#555555", "linewidth": 0.9})
        alt_rijen.append(
            f"Ambitie {rij.naam}: input {', '.join(rij.input) or 'geen bedragen'}; projecten "
            f"{', '.join(rij.proces)}; output {', '.join(rij.output) or 'geen'}; outcome "
            + (", ".join(f"{n} ({OORDEEL_WEERGAVE[o].tekst if o else 'nog geen verandering te toetsen'})" for n, o in rij.outcome)
               or "geen indicatoren"))
        y -= h + 0.12
    # legend of the signs and the source
    gebruikt = [k for k in OORDEEL_WEERGAVE if any(o == k for r in rijen for _, o in r.outcome)]
    legenda = "   ".join(f"{OORDEEL_WEERGAVE[k].teken} {OORDEEL_WEERGAVE[k].tekst}" for k in gebruikt) + "   – nog niet te toetsen"
    ax.text(0.1, voet_h - 0.12, f"Teken bij een indicator = verandering in {naam} sinds de nulmeting"
            + (f" (meting {laatste})" if laatste else "") + ":  " + legenda, fontsize=7.5, va="top")
    ax.text(0.1, voet_h - 0.36, "Bedragen in euro's; 'vertrouwelijk' = niet openbaar. Projectcodes: zie de tabel "
            "onder de figuur.", fontsize=7.5, va="top")
    bron = bronregel(rapport, [b.id for b in config.bronnen if b.soort in ("proces",)] +
                     sorted({config.indicator[i].bron for i in lm.outcome_indicatoren}))
    bron += f"; logic model: uitvoeringsprogramma Regio Deal ({lm.bron})"
    ax.text(0.1, 0.1, textwrap.fill(bron, 170), fontsize=6.5, va="bottom", color="#333333")
    fig.vw_formaat = "svg"  # text stays sharp when a reader opens it full size and zooms in
    fig.vw_naam = f"wijkprofiel-{gebied}-logicmodel"
    fig.vw_titel = titel
    fig.vw_bron = bron
    fig.vw_alt = _alt_schoon(
        f"Diagram {titel}, van links naar rechts context, input, proces, output en outcome. Context: "
        + " ".join(context) + " " + ". ".join(alt_rijen) + ".")
    return fig
