"""The schoolloopbaan page: where the pupils of the wijk and of the rest of the gemeente went, from
schooladvies via the level in leerjaar 3 to a startkwalificatie, as shares with 95% Wilson intervals
and as a flow figure. Every number comes from `statistiek.schoolloopbaan.tabellen`, so the page shows
only what survived its disclosure control: a suppressed cell is 'x', in the figure the suppressed
cells of a bar are drawn together as one hatched part (their sum follows from the published cells
anyway), and a bar whose total is suppressed is not drawn.

Colours: the destination categories are an ordinal grey ramp (light = lowest level or first outcome),
so that no colour that means something elsewhere in the book (blue wijk, orange rest of the gemeente,
the oordeel colours) gets a second meaning here; wijk and rest are told apart by the bar labels.
"""

from __future__ import annotations

import numpy as np
from IPython.display import Markdown

from vwanalyse.resultaten.opslag import Rapport
from vwanalyse.statistiek.schoolloopbaan import Kruistabel, tabellen
from vwanalyse.weergave import opmaak
from vwanalyse.weergave.figuren import BEWERKING, DEMO_BRON, _afronden, _nieuwe_figuur
from vwanalyse.weergave.woorden import met_hoofdletter, rol_namen

WOONPLEKKEN = ("wijk", "rest_gemeente")
BRON = f"Bron: onderwijsregistraties (DUO), leerlingen naar woonadres; {BEWERKING}"
ARCERING = "////"  # the hatched part of a bar: suppressed cells taken together


def _module(r: Rapport):
    return r.config.lokaal.module("schoolloopbaan")


def heeft_schoolloopbaan(r: Rapport, gebied: str) -> bool:
    df = r.schoolloopbaan
    return not df.empty and (df["gebied"].astype(str) == gebied).any()


def alle_tabellen(r: Rapport, gebied: str) -> dict[str, tuple[Kruistabel, Kruistabel]]:
    """Per woonplek the two suppressed tables (advies x leerjaar 3, leerjaar 3 x uitkomst)."""
    min_cel = r.config.instellingen.onthulling.min_cel
    return {w: tabellen(r.schoolloopbaan, _module(r), gebied, w, min_cel) for w in WOONPLEKKEN}


def _geen(r: Rapport, gebied: str) -> Markdown:
    return Markdown(f"Voor {r.config.gebied[gebied].naam} zijn (nog) geen gegevens over de schoolloopbaan aangeleverd.\n")


def _cel(rij) -> str:
    if rij["onderdrukt"]:
        return opmaak.GEHEIM
    return f"{opmaak.percentage(rij['aandeel'])} ({opmaak.interval(rij['ci_laag'], rij['ci_hoog'], 1, schaal=100)})"


def _n(t: Kruistabel, i: int) -> str:
    return opmaak.GEHEIM if t.geheim[i, -1] else opmaak.geheel(t.waarden[i, -1])


def _overgang(r: Rapport, gebied: str, welke: int, namen_rij: list[str], namen_kolom: list[str], kop: str) -> str:
    rollen = rol_namen(r.config, gebied)
    alpha = r.config.instellingen.alpha
    rijen = []
    per = alle_tabellen(r, gebied)
    for i, naam in enumerate(namen_rij):
        for w in WOONPLEKKEN:
            t = per[w][welke]
            a = t.aandelen(alpha)
            a = a[a["rij"] == t.rijen[i]]
            # the level in every row: on a phone each row is a card of its own
            rijen.append([naam, met_hoofdletter(rollen[w]), _n(t, i),
                          *(_cel(x) for _, x in a.iterrows())])
    return opmaak.markdown_tabel([kop, "Woonplek", "Leerlingen", *namen_kolom], rijen)


def uitkomst_tabel(r: Rapport, gebied: str) -> Markdown:
    """The share of all pupils with each outcome, wijk beside the rest of the gemeente."""
    if not heeft_schoolloopbaan(r, gebied):
        return _geen(r, gebied)
    module, rollen, per = _module(r), rol_namen(r.config, gebied), alle_tabellen(r, gebied)
    aandelen = {w: per[w][1].aandelen(r.config.instellingen.alpha) for w in WOONPLEKKEN}
    rijen = []
    for u in module.uitkomsten:
        rijen.append([met_hoofdletter(u.naam), *(_cel(aandelen[w][(aandelen[w]["rij"] == "totaal")
                                                                 & (aandelen[w]["kolom"] == u.id)].iloc[0])
                                                 for w in WOONPLEKKEN)])
    rijen.append(["Leerlingen", *(_n(per[w][1], -1) for w in WOONPLEKKEN)])
    kop = ["Uitkomst " + module.uitkomst_moment, *(met_hoofdletter(rollen[w]) for w in WOONPLEKKEN)]
    return Markdown(opmaak.markdown_tabel(kop, rijen)
                    + f"\nPercentage van alle leerlingen van de cohorten {opmaak.opsomming([str(c) for c in module.cohorten])} "
                      "met tussen haakjes het 95%-interval (Wilson). De cijfers zijn een volledige telling uit de registers; "
                      "het interval zegt hoe sterk het percentage door toeval in deze paar cohorten kan afwijken.\n")


def overgang_tabellen(r: Rapport, gebied: str) -> Markdown:
    """The row shares of both transitions with their intervals, wijk and rest per row."""
    if not heeft_schoolloopbaan(r, gebied):
        return _geen(r, gebied)
    module = _module(r)
    niveaus = [n.naam for n in module.niveaus]
    min_cel = r.config.instellingen.onthulling.min_cel
    tekst = ("**Van schooladvies naar leerjaar 3** (per schooladvies het percentage op elk niveau)\n\n"
             + _overgang(r, gebied, 0, niveaus, niveaus, "Schooladvies")
             + f"\n**Van leerjaar 3 naar de uitkomst {module.uitkomst_moment}** (per niveau in leerjaar 3)\n\n"
             + _overgang(r, gebied, 1, niveaus, [met_hoofdletter(u.naam) for u in module.uitkomsten], "Leerjaar 3")
             + f"\n{opmaak.GEHEIM} = niet gepubliceerd: minder dan {min_cel} leerlingen, of aanvullend weggelaten "
               "zodat zo'n cel niet uit de totalen terug te rekenen is. Een lege combinatie (0 leerlingen) wordt "
               "wel getoond.\n")
    return Markdown(tekst)


def _grijzen(k: int) -> list[str]:
    """k greys from light to dark (an ordinal ramp)."""
    return [f"#{int(v):02X}{int(v):02X}{int(v):02X}" for v in np.linspace(225, 55, k)]


def figuur(r: Rapport, gebied: str):
    """Two panels of 100% bars: per schooladvies the level in leerjaar 3, per level in leerjaar 3 the
    outcome; for each row a bar for the wijk and one for the rest of the gemeente. None without data."""
    if not heeft_schoolloopbaan(r, gebied):
        return None
    from matplotlib.patches import Patch

    module, rollen, per = _module(r), rol_namen(r.config, gebied), alle_tabellen(r, gebied)
    naam = r.config.gebied[gebied].naam
    fig = _nieuwe_figuur(9.6)
    assen = fig.subplots(2, 1)
    panelen = [("Van schooladvies naar niveau in leerjaar 3", "schooladvies", "Advies", module.niveaus,
                "Niveau in leerjaar 3"),
               ("Van niveau in leerjaar 3 naar de uitkomst", "niveau in leerjaar 3", "Leerjaar 3", module.uitkomsten,
                f"Uitkomst {module.uitkomst_moment}")]
    samenvatting = []
    for p, (ax, (titel, rijwoord, kort, doel, legenda)) in enumerate(zip(assen, panelen)):
        kleuren = _grijzen(len(doel))
        ticks, y = [], 0.0
        for i, bron_cat in enumerate(module.niveaus):
            ax.text(-0.01, y + 0.75, f"{kort}: {bron_cat.naam}", transform=ax.get_yaxis_transform(),
                    ha="right", va="center", fontsize=7.5, fontweight="bold")
            for w in WOONPLEKKEN:
                t = per[w][p]
                totaal = t.waarden[i, -1]
                ticks.append((y, f"{met_hoofdletter(rollen[w])} (n = {_n(t, i)})"))
                if t.geheim[i, -1]:
                    ax.text(0.01, y, f"niet gepubliceerd ({opmaak.GEHEIM})", va="center", fontsize=7, fontstyle="italic")
                elif totaal > 0:
                    links = 0.0
                    for j in range(len(doel)):
                        if t.geheim[i, j]:
                            continue
                        breedte = t.waarden[i, j] / totaal
                        ax.barh(y, breedte, left=links, height=0.8, color=kleuren[j], edgecolor="white", linewidth=0.6)
                        if breedte >= 0.09:
                            ax.text(links + breedte / 2, y, opmaak.percentage(breedte, 0), ha="center", va="center",
                                    fontsize=7, color="black" if j < len(doel) / 2 else "white")
                        links += breedte
                    rest = 1.0 - links
                    if t.geheim[i, :-1].any() and rest > 1e-9:
                        ax.barh(y, rest, left=links, height=0.8, color="white", edgecolor="#555555", hatch=ARCERING,
                                linewidth=0.6)
                y -= 1
            y -= 0.9
        ax.set_yticks([a for a, _ in ticks], [b for _, b in ticks], fontsize=7)
        ax.set_ylim(y + 0.4, 1.3)
        ax.set_xlim(0, 1)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"], fontsize=7)
        ax.set_xlabel(f"percentage van de leerlingen per {rijwoord}", fontsize=7)
        ax.set_title(titel, fontsize=9, loc="left", x=-0.45)
        for kant in ("top", "right"):
            ax.spines[kant].set_visible(False)
        # one legend per panel: the grey ramp means the panel's own categories, light to dark
        ax.legend(handles=[Patch(facecolor=kleuren[j], edgecolor="#555555", linewidth=0.4, label=d.naam)
                           for j, d in enumerate(doel)], title=legenda, title_fontsize=7.5, fontsize=7, ncols=2,
                  loc="upper center", bbox_to_anchor=(0.3, -0.16), frameon=False)
        if p == 1:
            for w in WOONPLEKKEN:
                t = per[w][p]
                if not t.geheim[-1, 0] and t.n:  # the first outcome (startkwalificatie in the configuration)
                    samenvatting.append(f"{rollen[w]}: {opmaak.percentage(t.waarden[-1, 0] / t.n)} "
                                        f"{doel[0].naam} (n = {opmaak.geheel(t.n)})")
    gearceerd = any(b.get_hatch() == ARCERING for ax in assen for b in ax.patches)
    handles = [Patch(facecolor="white", edgecolor="#555555", hatch=ARCERING,
                     label=f"niet gepubliceerd: cellen met minder dan {r.config.instellingen.onthulling.min_cel} "
                           "leerlingen en aanvullend weggelaten cellen, samen")] if gearceerd else []
    bron = BRON + (DEMO_BRON if r.demodata else "")
    alt = (f"Twee staafdiagrammen voor {naam} en de {rollen['rest_gemeente']}: per schooladvies het niveau in "
           f"leerjaar 3, en per niveau in leerjaar 3 de uitkomst {module.uitkomst_moment}. "
           + "; ".join(samenvatting) + ".")
    return _afronden(fig, f"{naam}: schoolloopbaan van leerlingen uit de wijk en de rest van de gemeente", bron,
                     f"schoolloopbaan-{gebied}", alt, handles, legenda_titel=None)
