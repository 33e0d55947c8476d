"""The wijknetwerk page: the measures per meting and their change, the bridging organisations and the
network figure. The measures come from `statistiek.netwerk` on the validated input tables of the
results folder; nothing else is computed here.

Disclosure: an organisation is named only when its row says `toestemming: ja`; otherwise it is shown by
its domain ('Zorg en gezondheid, organisatie 2', numbered within the domain in file order). Its code is
never shown.
"""

from __future__ import annotations

import math
from typing import Optional

import networkx as nx
from IPython.display import Markdown
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from vwanalyse.resultaten.opslag import Rapport
from vwanalyse.statistiek.netwerk import Netwerkmaten, brugdrempel, graaf, maten
from vwanalyse.weergave import opmaak
from vwanalyse.weergave.figuren import BEWERKING, DEMO_BRON, _afronden, _nieuwe_figuur

# An organisation is a numbered label (its domain's number in lokaal.yml), filled by its sfeer: no
# colour or marker of the book's vocabulary (blue wijk, orange rest, the area markers, the triangles
# of significance) gets a second meaning here.
SFEER_VULLING = {"sociaal": ("#FFFFFF", "#000000"), "fysiek": ("#4D4D4D", "#FFFFFF"), "overig": ("#C8C8C8", "#000000")}
FREQUENTIE_DIKTE = {"jaarlijks": 0.6, "per_kwartaal": 1.0, "maandelijks": 1.6, "wekelijks": 2.4}
BRON = f"Bron: netwerkenquête onder organisaties in de wijk; {BEWERKING}"


def _module(r: Rapport):
    return r.config.lokaal.module("wijknetwerk")


def grafen(r: Rapport, gebied: str) -> dict[int, nx.Graph]:
    module = _module(r)
    return {m: graaf(r.wijknetwerk_organisaties, r.wijknetwerk_relaties, module, gebied, m) for m in module.metingen}


def labels(r: Rapport, gebied: str) -> dict[str, str]:
    """Organisation code -> what the book may call it (its name only with consent)."""
    module = _module(r)
    org = r.wijknetwerk_organisaties
    org = org[org["gebied"].astype(str) == gebied]
    uit, teller = {}, {}
    for rij in org.itertuples(index=False):
        domein = module.domein[str(rij.domein)].naam
        teller[domein] = teller.get(domein, 0) + 1
        uit[str(rij.organisatie)] = (str(rij.naam) if str(rij.toestemming) == "ja"
                                     else f"{domein}, organisatie {teller[domein]}")
    return uit


def heeft_netwerk(r: Rapport, gebied: str) -> bool:
    org = r.wijknetwerk_organisaties
    return not org.empty and (org["gebied"].astype(str) == gebied).any()


def _maten(r: Rapport, gebied: str) -> dict[int, Netwerkmaten]:
    return {m: maten(g) for m, g in grafen(r, gebied).items()}


def _geen(r: Rapport, gebied: str) -> Markdown:
    return Markdown(f"Voor {r.config.gebied[gebied].naam} is (nog) geen netwerkenquête aangeleverd.\n")


def maten_tabel(r: Rapport, gebied: str) -> Markdown:
    """The standard measures at both metingen and the change between them."""
    if not heeft_netwerk(r, gebied):
        return _geen(r, gebied)
    per = _maten(r, gebied)
    (m0, a), (m1, b) = per.items()
    def dec(x):
        return opmaak.getal(x, 2)
    def vers(x):
        return opmaak.verschil(x, 2)
    rijen = [
        ["Organisaties", opmaak.geheel(a.organisaties), opmaak.geheel(b.organisaties),
         opmaak.verschil(b.organisaties - a.organisaties, 0)],
        ["Samenwerkingen", opmaak.geheel(a.relaties), opmaak.geheel(b.relaties), opmaak.verschil(b.relaties - a.relaties, 0)],
        ["Dichtheid (0-1)", dec(a.dichtheid), dec(b.dichtheid), vers(b.dichtheid - a.dichtheid)],
        ["Degree-centralisatie (0-1)", dec(a.centralisatie), dec(b.centralisatie), vers(b.centralisatie - a.centralisatie)],
        ["Samenwerkingen tussen fysiek en sociaal domein",
         f"{opmaak.geheel(a.kruisend)} ({opmaak.percentage(a.kruisend_aandeel)})",
         f"{opmaak.geheel(b.kruisend)} ({opmaak.percentage(b.kruisend_aandeel)})",
         opmaak.verschil(b.kruisend - a.kruisend, 0)],
        ["Brugorganisaties", opmaak.geheel(len(a.bruggen)), opmaak.geheel(len(b.bruggen)),
         opmaak.verschil(len(b.bruggen) - len(a.bruggen), 0)],
        ["Organisaties zonder samenwerking", opmaak.geheel(a.geisoleerd), opmaak.geheel(b.geisoleerd),
         opmaak.verschil(b.geisoleerd - a.geisoleerd, 0)],
    ]
    tekst = (f"**Het netwerk van {r.config.gebied[gebied].naam} in {m0} en {m1}**\n\n"
             + opmaak.markdown_tabel(["Maat", str(m0), str(m1), f"Verandering {m0}-{m1}"], rijen)
             + "\nDe verandering is niet getoetst: de enquête telt de organisaties die meededen, geen steekproef. "
               "Een organisatie die niet antwoordde maar wel door anderen werd genoemd, telt mee; een samenwerking "
               "telt één keer, wie haar ook noemde.\n")
    return Markdown(tekst)


def bruggen_tabel(r: Rapport, gebied: str, hoogstens: int = 5) -> Markdown:
    """Per meting the organisations with ties into the most other domains (their betweenness beside it)."""
    if not heeft_netwerk(r, gebied):
        return _geen(r, gebied)
    namen, module = labels(r, gebied), _module(r)
    org = r.wijknetwerk_organisaties
    domein = {str(o): module.domein[str(d)].naam for o, d, g in zip(org["organisatie"], org["domein"], org["gebied"])
              if str(g) == gebied}
    rijen = []
    for m, s in _maten(r, gebied).items():
        for b in s.bruggen[:hoogstens]:
            rijen.append([str(m), namen[b.organisatie], domein[b.organisatie], opmaak.geheel(b.domeinen),
                          opmaak.getal(b.betweenness, 2)])
        if not s.bruggen:
            rijen.append([str(m), "geen brugorganisatie", "", "", ""])  # none, not missing data ('.')
    return Markdown(opmaak.markdown_tabel(["Meting", "Organisatie", "Domein", "Andere domeinen",
                                           "Betweenness (0-1)"], rijen)
                    + f"\nEen brugorganisatie werkt samen met organisaties uit minstens "
                      f"{brugdrempel(len(module.domeinen))} van de {len(module.domeinen) - 1} andere domeinen; per meting "
                      f"de {hoogstens} met de meeste andere domeinen. Een organisatie zonder toestemming om genoemd te "
                      "worden staat er met haar domein.\n")


def figuur(r: Rapport, gebied: str):
    """The network at both metingen, one panel each: organisations on a circle grouped by domain (the
    domain's number, filled by sfeer; named only with consent), ties as lines (thicker = more often; dark = between the
    physical and the social domain). None without data."""
    if not heeft_netwerk(r, gebied):
        return None
    module = _module(r)
    per_graaf = grafen(r, gebied)
    namen = labels(r, gebied)
    nummer = {d.id: i + 1 for i, d in enumerate(module.domeinen)}
    g0 = next(iter(per_graaf.values()))
    volgorde = sorted(g0.nodes, key=lambda k: ([d.id for d in module.domeinen].index(g0.nodes[k]["domein"]), k))
    pos = {k: (math.cos(2 * math.pi * i / len(volgorde)), math.sin(2 * math.pi * i / len(volgorde)))
           for i, k in enumerate(volgorde)}
    fig = _nieuwe_figuur(4.4 * len(per_graaf))
    assen = fig.subplots(len(per_graaf), 1)
    naam = r.config.gebied[gebied].naam
    samenvatting = []
    for ax, (m, g) in zip(assen, per_graaf.items()):
        s = maten(g)
        for a, b, d in g.edges(data=True):
            kruis = {g.nodes[a]["sfeer"], g.nodes[b]["sfeer"]} == {"fysiek", "sociaal"}
            ax.plot(*zip(pos[a], pos[b]), color="#222222" if kruis else "#B0B0B0",
                    linewidth=FREQUENTIE_DIKTE[d["frequentie"]], zorder=1, linestyle="-" if kruis else "--")
        for k in volgorde:
            vulling, tekstkleur = SFEER_VULLING[g.nodes[k]["sfeer"]]
            ax.text(*pos[k], str(nummer[g.nodes[k]["domein"]]), ha="center", va="center", fontsize=7,
                    fontweight="bold", color=tekstkleur, zorder=3,
                    bbox={"boxstyle": "round,pad=0.3", "facecolor": vulling, "edgecolor": "#222222", "linewidth": 0.7})
            if g.nodes[k]["toestemming"]:
                x, y = pos[k]
                ax.annotate(namen[k], (x, y), xytext=(x * 1.14, y * 1.14), fontsize=6.5,
                            ha="left" if x > 0.05 else "right" if x < -0.05 else "center", va="center")
        ax.set_title(f"{m}: {opmaak.geheel(s.organisaties)} organisaties, {opmaak.geheel(s.relaties)} samenwerkingen, "
                     f"dichtheid {opmaak.getal(s.dichtheid, 2)}", fontsize=9, loc="left")
        ax.set_xlim(-1.9, 1.9)
        ax.set_ylim(-1.35, 1.35)
        ax.set_aspect("equal")
        ax.axis("off")
        brug = f"; sterkste brugorganisatie: {namen[s.bruggen[0].organisatie]}" if s.bruggen else ""
        samenvatting.append(f"in {m} {s.relaties} samenwerkingen (dichtheid {opmaak.getal(s.dichtheid, 2)}, "
                            f"{s.kruisend} tussen fysiek en sociaal domein){brug}")
    handles = [Patch(facecolor=SFEER_VULLING[d.sfeer][0], edgecolor="#222222", linewidth=0.7,
                     label=f"{nummer[d.id]} = {d.naam} ({d.sfeer})") for d in module.domeinen]
    handles += [Line2D([], [], color="#222222", linewidth=1.6, label="samenwerking fysiek-sociaal"),
                Line2D([], [], color="#B0B0B0", linewidth=1.6, linestyle="--", label="andere samenwerking")]
    bron = BRON + (DEMO_BRON if r.demodata else "")
    alt = (f"Netwerk van {g0.number_of_nodes()} organisaties in {naam}, gegroepeerd per domein: "
           + "; ".join(samenvatting) + ".")
    return _afronden(fig, f"{naam}: wie werkt met wie samen? (organisaties per domein; lijndikte = hoe vaak)",
                     bron, f"wijknetwerk-{gebied}", alt, handles, legenda_titel="Domein (sfeer) en soort samenwerking")
