"""The openbare-ruimte page: per location how many people use it (in total, by leeftijdsgroep and by
activiteit) and how they value it, at the first and the last meting of the module, and the change.
Every number comes from `statistiek.openbare_ruimte`; a suppressed beleving share is 'x' in the
tables and written as words in the figure.

Colours: the metingen are shades of the wijk's blue (light = first), as in every figure of the book
where the metingen of one wijk appear side by side (`figuren.meting_kleuren`); no other colour is used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from IPython.display import Markdown

from vwanalyse.resultaten.opslag import Rapport
from vwanalyse.statistiek import openbare_ruimte as stat
from vwanalyse.weergave import opmaak
from vwanalyse.weergave.figuren import (BEWERKING, DEMO_BRON, NIET_GEPUBLICEERD, _afronden, _nieuwe_figuur,
                                        meting_kleuren)
from vwanalyse.weergave.woorden import met_hoofdletter

BRON_TELLING = f"Bron: tellingen en vragenlijst ter plekke (Hogeschool Utrecht); {BEWERKING}"


def _module(r: Rapport):
    return r.config.lokaal.module("openbare_ruimte")


def heeft_openbare_ruimte(r: Rapport, gebied: str) -> bool:
    df = r.openbare_ruimte_tellingen
    return not df.empty and (df["gebied"].astype(str) == gebied).any()


def _geen(r: Rapport, gebied: str) -> Markdown:
    return Markdown(f"Voor {r.config.gebied[gebied].naam} zijn (nog) geen tellingen in de openbare ruimte aangeleverd.\n")


def gebruik(r: Rapport, gebied: str) -> pd.DataFrame:
    return stat.gebruik(r.openbare_ruimte_tellingen, _module(r), gebied, r.config.instellingen.alpha)


def beleving(r: Rapport, gebied: str) -> pd.DataFrame:
    o = r.config.instellingen.onthulling
    return stat.beleving(r.openbare_ruimte_beleving, _module(r), gebied, o.min_n, o.min_cel,
                         r.config.instellingen.alpha)


def _gemiddelde_cel(rij) -> str:
    if np.isnan(rij["schatting"]):
        return f"{opmaak.ONBEKEND} ({rij['opmerking']})"
    tekst = opmaak.getal(rij["schatting"])
    if not np.isnan(rij["ci_laag"]):
        tekst += f" ({opmaak.interval(rij['ci_laag'], rij['ci_hoog'])})"
    elif rij["opmerking"]:
        tekst += f" ({rij['opmerking']})"
    return tekst + f", {opmaak.geheel(rij['tellingen'])} tellingen"


def _aandeel_cel(rij) -> str:
    if rij["onderdrukt"]:
        return f"{opmaak.GEHEIM} (n = {opmaak.geheel(rij['n'])})" if rij["n"] else opmaak.ONBEKEND
    return (f"{opmaak.percentage(rij['aandeel'])} ({opmaak.interval(rij['ci_laag'], rij['ci_hoog'], 1, schaal=100)}), "
            f"n = {opmaak.geheel(rij['n'])}")


def _verschil(v, procent: bool) -> tuple[str, str]:
    if v is None or not v["oordeel"]:
        return opmaak.ONBEKEND, "niet te vergelijken"
    tekst = opmaak.verschil(v["verschil"] * 100, 1, " procentpunt") if procent else opmaak.verschil(v["verschil"])
    return tekst, v["oordeel"]


def _namen(module) -> dict[tuple[str, str], str]:
    namen = {("totaal", "totaal"): "Alle mensen"}
    namen |= {("leeftijdsgroep", c.id): met_hoofdletter(c.naam) for c in module.leeftijdsgroepen}
    namen |= {("activiteit", c.id): met_hoofdletter(c.naam) for c in module.activiteiten}
    return namen


def gebruik_tabel(r: Rapport, gebied: str) -> Markdown:
    """Per location and group the mean number of people per telling at the first and the last meting."""
    if not heeft_openbare_ruimte(r, gebied):
        return _geen(r, gebied)
    module = _module(r)
    eerste, laatste = module.metingen[0], module.metingen[-1]
    tabel = gebruik(r, gebied)
    sleutel = ["locatie", "soort", "categorie"]
    verandering = stat.verandering(tabel, sleutel, module, r.config.instellingen.alpha).set_index(sleutel)
    namen, rijen = _namen(module), []
    for loc in module.locaties_van(gebied):
        for (soort, categorie), naam in namen.items():
            deel = tabel[(tabel["locatie"] == loc.id) & (tabel["soort"] == soort) & (tabel["categorie"] == categorie)]
            a, b = (deel[deel["meting"] == m].iloc[0] for m in (eerste, laatste))
            verschil, oordeel = _verschil(verandering.loc[(loc.id, soort, categorie)], procent=False)
            # the location in every row: on a phone each row is a card of its own
            rijen.append([loc.naam, naam, _gemiddelde_cel(a), _gemiddelde_cel(b), verschil, oordeel])
    dagdelen = opmaak.opsomming([d.naam for d in module.dagdelen])
    return Markdown(
        opmaak.markdown_tabel(["Locatie", "Wie", str(eerste), str(laatste), "Verschil", "Toets"], rijen)
        + f"\nGemiddeld aantal mensen per telling, met tussen haakjes het 95%-interval. Elk dagdeel ({dagdelen}) "
          "telt even zwaar mee, ook als het niet even vaak is geteld. De toets vergelijkt "
          f"{laatste} met {eerste} (z-toets, α = {opmaak.getal(r.config.instellingen.alpha, 2)}). Een telling is "
          "een momentopname: weer, seizoen en activiteiten in de buurt tellen mee.\n")


def beleving_tabel(r: Rapport, gebied: str) -> Markdown:
    """Per location and statement the share that agrees at the first and the last meting."""
    if not heeft_openbare_ruimte(r, gebied):
        return _geen(r, gebied)
    module = _module(r)
    b_ = module.beleving
    eerste, laatste = module.metingen[0], module.metingen[-1]
    tabel = beleving(r, gebied)
    verandering = stat.verandering(tabel, ["locatie", "vraag"], module, r.config.instellingen.alpha)
    verandering = verandering.set_index(["locatie", "vraag"])
    rijen = []
    for loc in module.locaties_van(gebied):
        for v in b_.vragen:
            deel = tabel[(tabel["locatie"] == loc.id) & (tabel["vraag"] == v.id)]
            a, b = (deel[deel["meting"] == m].iloc[0] for m in (eerste, laatste))
            verschil, oordeel = _verschil(verandering.loc[(loc.id, v.id)], procent=True)
            rijen.append([loc.naam, v.naam, _aandeel_cel(a), _aandeel_cel(b), verschil, oordeel])
    o = r.config.instellingen.onthulling
    return Markdown(
        opmaak.markdown_tabel(["Locatie", "Stelling", str(eerste), str(laatste), "Verschil", "Toets"], rijen)
        + f"\nPercentage (mee) eens: antwoord {b_.eens_vanaf} tot en met {b_.schaal} op een schaal van 1 tot en met "
          f"{b_.schaal}, met tussen haakjes het 95%-interval (Wilson) en het aantal respondenten (n). "
          f"{opmaak.GEHEIM} = niet gepubliceerd: minder dan {o.min_n} respondenten, of minder dan {o.min_cel} "
          "die het eens of oneens zijn. De respondenten zijn mensen die op dat moment op de plek waren: geen "
          "steekproef van alle bewoners.\n")


def _balken(ax, blokken, metingen, kleuren, waarden, max_x: float, opmaak_waarde) -> list:
    """Horizontal bars per block (a location or statement) and meting, with interval whiskers; a
    missing value is written as words where its bar would be. Returns the y ticks (position, label)."""
    ticks, y = [], 0.0
    for label, rijen in blokken:
        ticks.append((y - (len(metingen) - 1) / 2 * 0.8, label))
        for m in metingen:
            rij = rijen.get(m)
            waarde, laag, hoog, woorden = waarden(rij)
            if woorden:
                ax.text(max_x * 0.01, y, f"{m}: {woorden}", va="center", fontsize=7, fontstyle="italic")
            else:
                ax.barh(y, waarde, height=0.72, color=kleuren[m], edgecolor="white")
                if not np.isnan(laag):
                    ax.plot([laag, hoog], [y, y], color="black", linewidth=1.0, solid_capstyle="butt")
                ax.text((hoog if not np.isnan(hoog) else waarde) + max_x * 0.01, y, f"{m}: {opmaak_waarde(rij)}",
                        va="center", fontsize=7)
            y -= 0.8
        y -= 0.6
    ax.set_ylim(y + 0.6 + 0.4, 0.5)  # fixed, so a block written only in words keeps its place
    return ticks


def _assen(ax, ticks, max_x: float, label: str, procent: bool) -> None:
    ax.set_yticks([a for a, _ in ticks], [b for _, b in ticks], fontsize=7.5)
    ax.set_xlim(0, max_x)
    if procent:  # the whole scale 0-100%; the room to its right is for the value labels
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"], fontsize=7)
        ax.spines["bottom"].set_bounds(0, 1)
    else:
        ax.tick_params(axis="x", labelsize=7)
        ax.xaxis.set_major_formatter(lambda x, _: opmaak.geheel(x))
    ax.set_xlabel(label, fontsize=7.5)
    for kant in ("top", "right"):
        ax.spines[kant].set_visible(False)


def _legenda(metingen, kleuren):
    from matplotlib.patches import Patch
    return [Patch(facecolor=kleuren[m], label=f"meting {m}") for m in metingen]


def gebruik_figuur(r: Rapport, gebied: str):
    """People per telling per location, first and last meting, with their 95% intervals. None without data."""
    if not heeft_openbare_ruimte(r, gebied):
        return None
    module = _module(r)
    metingen = [module.metingen[0], module.metingen[-1]]
    kleuren = meting_kleuren(metingen)
    tabel = gebruik(r, gebied)
    tabel = tabel[tabel["soort"] == "totaal"]
    locaties = module.locaties_van(gebied)
    blokken = [(loc.naam, {int(x["meting"]): x for _, x in tabel[tabel["locatie"] == loc.id].iterrows()})
               for loc in locaties]
    hoogste = np.nanmax(np.r_[tabel["ci_hoog"].to_numpy(dtype=float), tabel["schatting"].to_numpy(dtype=float), 1.0])
    max_x = hoogste * 1.35  # room for the value labels

    def waarden(x):
        if x is None or np.isnan(x["schatting"]):
            return np.nan, np.nan, np.nan, f"geen schatting ({x['opmerking'] if x is not None else 'geen tellingen'})"
        return x["schatting"], x["ci_laag"], x["ci_hoog"], ""

    fig = _nieuwe_figuur(0.55 + 0.62 * len(locaties) * len(metingen) / 2 + 0.5)
    ax = fig.subplots()
    ticks = _balken(ax, blokken, metingen, kleuren, waarden, max_x,
                    lambda x: f"{opmaak.getal(x['schatting'])} ({opmaak.geheel(x['tellingen'])} tellingen)")
    _assen(ax, ticks, max_x, "gemiddeld aantal mensen per telling (alle dagdelen even zwaar)", procent=False)
    naam = r.config.gebied[gebied].naam
    alt = (f"Staafdiagram: gemiddeld aantal mensen per telling op {len(locaties)} plekken in {naam}, "
           f"{metingen[0]} en {metingen[1]}. "
           + "; ".join(f"{label}: " + ", ".join(f"{m} {opmaak.getal(rij[m]['schatting'])}" for m in metingen if m in rij)
                       for label, rij in blokken) + ".")
    return _afronden(fig, f"{naam}: gebruik van de openbare ruimte per plek", BRON_TELLING + (DEMO_BRON if r.demodata else ""),
                     f"openbare-ruimte-gebruik-{gebied}", alt, _legenda(metingen, kleuren))


def beleving_figuur(r: Rapport, gebied: str):
    """Per location and statement the share agreeing, first and last meting. None without data."""
    if not heeft_openbare_ruimte(r, gebied):
        return None
    module = _module(r)
    metingen = [module.metingen[0], module.metingen[-1]]
    kleuren = meting_kleuren(metingen)
    tabel = beleving(r, gebied)
    locaties = module.locaties_van(gebied)
    vragen = module.beleving.vragen
    fig = _nieuwe_figuur(0.4 + 0.62 * len(locaties) * len(vragen) * len(metingen) / 2 + 0.35 * len(locaties))
    assen = fig.subplots(len(locaties), 1, squeeze=False)[:, 0]

    def waarden(x):
        if x is None or x["onderdrukt"]:
            return np.nan, np.nan, np.nan, f"{NIET_GEPUBLICEERD} (n = {opmaak.geheel(x['n']) if x is not None else 0})"
        return x["aandeel"], x["ci_laag"], x["ci_hoog"], ""

    samenvatting = []
    for ax, loc in zip(assen, locaties):
        deel = tabel[tabel["locatie"] == loc.id]
        blokken = [(v.naam, {int(x["meting"]): x for _, x in deel[deel["vraag"] == v.id].iterrows()}) for v in vragen]
        ticks = _balken(ax, blokken, metingen, kleuren, waarden, 1.3,
                        lambda x: f"{opmaak.percentage(x['aandeel'], 0)} (n = {opmaak.geheel(x['n'])})")
        _assen(ax, ticks, 1.3, "percentage (mee) eens", procent=True)
        ax.set_title(loc.naam, fontsize=9, loc="left")
        eerste = blokken[0][1]
        samenvatting.append(f"{loc.naam}: " + ", ".join(
            f"{m} {NIET_GEPUBLICEERD if eerste[m]['onderdrukt'] else opmaak.percentage(eerste[m]['aandeel'], 0)}"
            for m in metingen if m in eerste))
    naam = r.config.gebied[gebied].naam
    alt = (f"Staafdiagrammen per plek in {naam}: het percentage dat het (helemaal) eens is met "
           f"{len(vragen)} stellingen, {metingen[0]} en {metingen[1]}. {vragen[0].naam}: " + "; ".join(samenvatting) + ".")
    return _afronden(fig, f"{naam}: hoe mensen de plekken beleven", BRON_TELLING + (DEMO_BRON if r.demodata else ""),
                     f"openbare-ruimte-beleving-{gebied}", alt, _legenda(metingen, kleuren))
