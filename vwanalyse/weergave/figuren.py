"""Every chart of the book, in one visual language.

- Colours: the Okabe-Ito palette (safe for colour-blind readers). Colour never carries meaning on
  its own: significance is encoded by marker shape *and* a text label, exactly as in the tables
  (`woorden.OORDEEL_WEERGAVE`, shared with the tables).
- Numbers: Dutch formatting through `opmaak` (decimal comma, thousands dot, '%' for shares).
- Every figure has a title, axis labels with units, a source line at the bottom ("Bron: ...;
  bewerking RIVM/UU/GGDrU", plus a DEMODATA warning on demo data) and an alt text that summarises
  the numbers, so a screen-reader user gets the same content.
- Honest scales (`as_bereik`): a value axis shows the whole scale of its unit: percentages always
  0–100%, a bounded score such as "rapportcijfer (1-10)" its full 1–10, any other non-negative
  quantity starts at 0. A difference between 7,4 and 7,7 therefore looks as small as it is.
  Differences (the effectanalyse) are centred on 0 instead.
- One symbol vocabulary: each area has one colour and marker (`ROL_STIJL`; orange is always the
  rest van de gemeente, blue the wijk, and the metingen of one wijk are shades of its blue); a value
  that is not published is written as words ("niet gepubliceerd") where its point would be, never
  drawn as a mark; a legend shows each marker once, with words.
- `toon(fig)` saves a byte-stable PNG (SVG for diagrams with `vw_formaat = "svg"`, such as the logic
  model) under figuren/ (relative to the working directory, which the runner sets to the folder of
  the output notebook) and displays `![alt](figuren/<naam>.png)` once; it returns nothing, so a
  call as the last line of a cell does not show the figure a second time.

Chart functions return a matplotlib Figure (or None when there is nothing to draw, e.g. for a
meting without data); the figure carries its default file name and alt text as attributes
`vw_naam` and `vw_alt`, so a notebook only calls `figuren.toon(figuren.ontwikkeling(...))`.
Nothing is computed here: every number comes from the results table.
"""

from __future__ import annotations

import math
import re
import textwrap
from pathlib import Path
from typing import Optional

import matplotlib

matplotlib.use("Agg")  # byte-stable rendering, no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import to_hex, to_rgb  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from vwanalyse.basis.fouten import VwFout  # noqa: E402
from vwanalyse.resultaten.opslag import Rapport, onderdrukte_waarden, respondenten, zoek_rij  # noqa: E402
from vwanalyse.weergave import opmaak  # noqa: E402
from vwanalyse.weergave.opmaak import verschil_tekst, waarde_tekst  # noqa: E402
from vwanalyse.weergave.woorden import (OKABE_ITO, OORDEEL_WEERGAVE, VOLGORDE_OORDELEN, oordeel_label,  # noqa: E402
                                        oordeel_weergave, rol_namen)


class FiguurFout(VwFout):
    """A notebook asks to show a figure that cannot be published as asked (no file name or alt text)."""

    kop = "figuur niet getoond"


# ---------------------------------------------------------------- the visual language

# the areas a row can be about: colour and marker (never a triangle: triangles mean significance)
ROL_STIJL = {
    "wijk": {"kleur": OKABE_ITO["blauw"], "marker": "o", "label": "wijk"},
    "rest_gemeente": {"kleur": OKABE_ITO["oranje"], "marker": "D", "label": "rest van de gemeente"},
    "gemeente": {"kleur": OKABE_ITO["roodpaars"], "marker": "s", "label": "gemeente"},
    "provincie": {"kleur": OKABE_ITO["hemelsblauw"], "marker": "P", "label": "provincie"},
    "nederland": {"kleur": OKABE_ITO["zwart"], "marker": "h", "label": "Nederland"},
}
# context lines (the explorer's other wijken): thin, half-transparent lines in the text colour with a
# short horizontal tick per value; no area colour, no filled or open marker (those mean an area or a verdict)
CONTEXT_STIJL = {"kleur": "tekst", "dekking": 0.45, "lijndikte": 1.0, "marker": "_", "label": "andere wijk"}
NIET_GEPUBLICEERD = "niet gepubliceerd"  # written where a suppressed value would be, never drawn as a mark
# the scale rule of `as_bereik`, for readers (the reading key under the significance signs)
SCHAALREGEL = (
    "**Assen in de figuren.** Een as laat altijd de hele schaal zien: percentages lopen van 0 tot 100%, "
    "een rapportcijfer van 1 tot 10 en andere cijfers beginnen bij 0. Zo lijkt een klein verschil niet groter "
    "dan het is. Alleen de figuur van de effectanalyse toont verschillen, rond de nullijn. Bij een schatting "
    f"staat het aantal respondenten (n); onder de {opmaak.KLEIN_N} staat er 'klein' bij: het interval is dan breed. "
    "Een cijfer dat niet is gepubliceerd staat er in woorden, niet als stip.")


BEWERKING = "bewerking RIVM/UU/GGDrU"
DEMO_BRON = " — DEMODATA, geen echte cijfers"

BREEDTE = 7.0  # inches: readable on a phone
DPI = 150
FIGUREN_MAP = "figuren"

plt.rcParams.update({
    "font.family": "DejaVu Sans", "font.size": 9, "axes.titlesize": 9.5, "axes.labelsize": 9,
    "xtick.labelsize": 8.5, "ytick.labelsize": 8.5, "legend.fontsize": 8, "axes.spines.top": False,
    "axes.spines.right": False, "svg.hashsalt": "vwanalyse", "path.simplify": True,
})


# ---------------------------------------------------------------- formatting helpers


def _tick_formatter(eenheid: str, verschil: bool = False) -> FuncFormatter:
    schaal = 100.0 if eenheid == "%" else 1.0

    class _Fmt(FuncFormatter):
        def __init__(self):
            super().__init__(lambda x, pos=None: "")

        def __call__(self, x, pos=None):
            locs = list(self.axis.get_majorticklocs()) if self.axis is not None else [x]
            dec = 0
            while dec < 3 and any(abs(round(v * schaal, dec) - v * schaal) > 1e-9 * max(1.0, abs(v * schaal))
                                  for v in locs):
                dec += 1
            tekst = opmaak.verschil(x * schaal, dec) if verschil else opmaak.getal(x * schaal, dec)
            if eenheid == "%" and not verschil:
                tekst += "%"
            return tekst

    return _Fmt()


def as_label(eenheid: str, verschil: bool = False) -> str:
    if eenheid == "%":
        return "verschil in procentpunten" if verschil else "percentage (%)"
    return f"verschil ({eenheid})" if verschil else eenheid


def as_bereik(eenheid: str, waarden=()) -> tuple[float, float]:
    """The honest range of a value axis in the unit `eenheid` (values as in the results table,
    shares as fractions): percentages 0–100% (0–1); a bounded scale named in the unit, such as
    "rapportcijfer (1-10)" or "schaalscore (0-10)", its whole range; any other unit from 0 to a
    little above the largest value (from the smallest value when there are negative values)."""
    if eenheid == "%":
        return 0.0, 1.0
    schaal = re.search(r"\((\d+(?:[.,]\d+)?)\s*[-–]\s*(\d+(?:[.,]\d+)?)\)", eenheid)
    if schaal:
        return tuple(float(g.replace(",", ".")) for g in schaal.groups())
    getallen = [v for v in (_getal(w) for w in waarden) if not math.isnan(v)]
    hoog = max(getallen, default=1.0)
    laag = min(min(getallen, default=0.0), 0.0)
    return laag * 1.05, (hoog if hoog > 0 else 1.0) * 1.05


def _eerlijke_as(ax, eenheid: str, waarden, as_: str = "x") -> None:
    laag, hoog = as_bereik(eenheid, waarden)
    (ax.set_xlim if as_ == "x" else ax.set_ylim)(laag, hoog)


def meting_kleuren(metingen) -> dict:
    """The metingen of one wijk as shades of the wijk's blue, lightest first (blue = the wijk in the
    whole book; orange stays the rest van de gemeente)."""
    metingen = list(metingen)
    basis = to_rgb(ROL_STIJL["wijk"]["kleur"])
    uit = {}
    for i, m in enumerate(metingen):
        licht = 0.6 * (len(metingen) - 1 - i) / max(1, len(metingen) - 1)  # 0 = the wijk's blue itself
        uit[m] = to_hex([c + (1 - c) * licht for c in basis])
    return uit


def n_tekst(r) -> str:
    """The respondents behind the estimate of a results row ('n = 43, klein'; '' for a register count)."""
    return opmaak.respondenten(r.get("n_ongewogen")) if r is not None else ""


def _wrap(tekst: str, breedte: int = 30) -> str:
    return "\n".join(textwrap.wrap(tekst, breedte)) or tekst


def _alt_schoon(tekst: str) -> str:
    return re.sub(r"\s+", " ", tekst.replace("[", "(").replace("]", ")")).strip()


def bronregel(rapport: Rapport, bron_ids) -> str:
    """'Bron: <names>; bewerking RIVM/UU/GGDrU' (+ the DEMODATA warning on demo data)."""
    namen = []
    for b in bron_ids:
        naam = rapport.config.bron[b].naam if b in rapport.config.bron else str(b)
        if naam not in namen:
            namen.append(naam)
    tekst = f"Bron: {', '.join(namen) if namen else 'Monitor Regio Deal Vitale Wijken'}; {BEWERKING}"
    if rapport.demodata:
        tekst += DEMO_BRON
    return tekst


def _nieuwe_figuur(hoogte: float, **kw):
    fig = plt.figure(figsize=(BREEDTE, hoogte), dpi=DPI, layout="constrained", **kw)
    return fig


def _afronden(fig, titel: str, bron: str, naam: str, alt: str, handles=(), legenda_titel: Optional[str] = None):
    """Title, legend and source line in a reserved footer, default file name and alt text.

    The figure grows by the footer's height, so the plotting area keeps its size."""
    handles = list(handles)
    regels = math.ceil(len(handles) / 2) + (1 if legenda_titel else 0)
    # the demo warning is never split over two lines (no-break spaces)
    bron_tekst = _wrap(bron.replace(DEMO_BRON, DEMO_BRON.replace(" ", "\u00a0")), 115)
    voet = 0.2 * regels + 0.16 * (bron_tekst.count("\n") + 1) + (0.2 if handles else 0.12)
    hoogte = fig.get_figheight() + voet
    fig.set_figheight(hoogte)
    fig.get_layout_engine().set(rect=(0, voet / hoogte, 1, 1 - voet / hoogte))
    fig.suptitle(_wrap(titel, 64), x=0.01, ha="left", fontsize=11, fontweight="bold")
    if handles:
        fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, (voet - 0.04) / hoogte),
                   ncols=2, frameon=False, title=legenda_titel, title_fontsize=8, borderaxespad=0)
    fig.text(0.01, 0.06 / hoogte, bron_tekst, ha="left", va="bottom", fontsize=7, color="#333333")
    fig.vw_naam = naam
    fig.vw_alt = _alt_schoon(alt)
    fig.vw_bron = bron
    fig.vw_titel = titel
    return fig


def _markeer(ax, x, y, oordeel_waarde, kleur: str, grootte: float = 7.5, zorder: int = 4):
    o = oordeel_weergave(oordeel_waarde) or OORDEEL_WEERGAVE["niet_getoetst"]
    marker = o.marker if o.marker != "|" else "o"
    ax.plot([x], [y], marker=marker, markersize=grootte, color=kleur,
            markerfacecolor=kleur if o.gevuld else "white", markeredgewidth=1.4, linestyle="none",
            zorder=zorder)


def _niet_gepubliceerd(ax, y, kleur: str, wie: str) -> None:
    """Words, not a mark, where a suppressed value would be: '<wie>: niet gepubliceerd'."""
    ax.annotate(f"{wie}: {NIET_GEPUBLICEERD}", (0.5, y), xycoords=("axes fraction", "data"), ha="center",
                va="center", fontsize=7, fontstyle="italic", color=kleur,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.9})


def _legenda_oordelen(fig_of_ax, gebruikt: list[str], kleur: str, titel: str, **kw):
    handles = []
    for sleutel in VOLGORDE_OORDELEN:
        if sleutel not in gebruikt:
            continue
        o = OORDEEL_WEERGAVE[sleutel]
        marker = o.marker if o.marker != "|" else "o"
        handles.append(Line2D([], [], marker=marker, color=kleur, markerfacecolor=kleur if o.gevuld else "white",
                              linestyle="none", markersize=7, label=o.uitleg.split(" (")[0]))  # the marker is the sign
    return handles


# ---------------------------------------------------------------- saving and showing


def bewaar(fig, pad: Path | str) -> Path:
    """Save as PNG or SVG (by the suffix) byte-stably: fixed size and dpi, no software/date metadata."""
    pad = Path(pad)
    pad.parent.mkdir(parents=True, exist_ok=True)
    formaat = pad.suffix.lstrip(".")
    metadata = {"Date": None, "Creator": None} if formaat == "svg" else {"Software": None}
    fig.savefig(pad, format=formaat, dpi=DPI, metadata=metadata, facecolor="white")
    return pad


def markdown_afbeelding(alt: str, pad: str, leeswijzer: Optional[str] = None) -> str:
    tekst = f"![{_alt_schoon(alt)}]({pad})\n"
    if leeswijzer:
        tekst += f"\n*Zo lees je deze figuur:* {leeswijzer.strip()}\n"
    return tekst


def figuur_markdown(fig, naam: Optional[str] = None, alt: Optional[str] = None,
                    leeswijzer: Optional[str] = None) -> Optional[str]:
    """Save `fig` to figuren/<naam>.png (.svg when `fig.vw_formaat` is "svg"; cwd-relative), close it
    and return the Markdown that shows it (None when `fig` is None)."""
    if fig is None:
        return None
    naam = naam or getattr(fig, "vw_naam", None)
    alt = alt or getattr(fig, "vw_alt", None)
    if not naam or not alt:
        plt.close(fig)
        raise FiguurFout("een figuur heeft een bestandsnaam en een alt-tekst nodig")
    naam = re.sub(r"[^A-Za-z0-9_.-]+", "-", naam)
    relatief = f"{FIGUREN_MAP}/{naam}.{getattr(fig, 'vw_formaat', 'png')}"
    bewaar(fig, Path.cwd() / relatief)
    plt.close(fig)
    return markdown_afbeelding(alt, relatief, leeswijzer)


def toon(fig, naam: Optional[str] = None, alt: Optional[str] = None, leeswijzer: Optional[str] = None) -> None:
    """Save `fig` (see `figuur_markdown`) and display it, once: nothing is returned, so a call as the
    last line of a notebook cell does not display the figure a second time."""
    from IPython.display import Markdown, display

    md = figuur_markdown(fig, naam, alt, leeswijzer)
    if md is not None:
        display(Markdown(md))


# ---------------------------------------------------------------- data helpers


_getal = opmaak.als_getal
_heeft = opmaak.heeft_waarde


# ---------------------------------------------------------------- factsheet: one pijler, one meting


def pijler_indicatoren(rapport: Rapport, gebied: str, meting: int, pijler: str):
    """Dot plot: each indicator of the pijler, the wijk (95% interval, marker = test against the rest
    of the gemeente) beside the rest of the gemeente, the gemeente, the provincie and Nederland.
    One panel per unit, so each axis has one unit."""
    config = rapport.config
    inds = [i for i in config.indicatoren_voor(gebied) if i.pijler == pijler]
    t = rapport.tabel
    t = t[(t["gebied"] == gebied) & (t["meting"] == meting) & (t["pijler"] == pijler)]
    inds = [i for i in inds if (t["indicator"] == i.id).any()]
    if not inds:
        return None
    groepen: dict[str, list] = {}
    for i in inds:
        groepen.setdefault(i.eenheid, []).append(i)
    rollen = ["wijk", "rest_gemeente", "gemeente", "provincie", "nederland"]
    offset = {"wijk": 0.26, "rest_gemeente": 0.09, "gemeente": -0.06, "provincie": -0.18, "nederland": -0.28}
    hoogtes = [0.62 * len(v) + 0.75 for v in groepen.values()]
    fig = _nieuwe_figuur(sum(hoogtes) + 1.75)
    assen = fig.subplots(len(groepen), 1, gridspec_kw={"height_ratios": hoogtes}, squeeze=False)[:, 0]
    wijk_naam = config.gebied[gebied].naam
    alt_delen = []
    gebruikt = set()
    for ax, (eenheid, groep) in zip(assen, groepen.items()):
        schaal = 1.0
        waarden = list(t.loc[t["indicator"].isin([i.id for i in groep]), "schatting"]) + \
            list(t.loc[t["indicator"].isin([i.id for i in groep]), "ci_hoog"])
        for y, ind in enumerate(reversed(groep)):
            for rol in rollen:
                r = zoek_rij(t, indicator=ind.id, rol=rol)
                if r is None:
                    continue
                stijl = ROL_STIJL[rol]
                yy = y + offset[rol]
                if bool(r["onderdrukt"]):
                    _niet_gepubliceerd(ax, yy, stijl["kleur"], rol_namen(config, gebied)[rol])
                    continue
                if not _heeft(r["schatting"]):
                    continue
                x = _getal(r["schatting"]) * schaal
                if _heeft(r["ci_laag"]) and _heeft(r["ci_hoog"]):
                    ax.plot([_getal(r["ci_laag"]), _getal(r["ci_hoog"])], [yy, yy], color=stijl["kleur"],
                            linewidth=2.2 if rol == "wijk" else 1.2, solid_capstyle="butt", zorder=3)
                if rol == "wijk":
                    _markeer(ax, x, yy, r["oordeel_rest"], stijl["kleur"], 8.5)
                    gebruikt.add(str(r["oordeel_rest"]) if oordeel_weergave(r["oordeel_rest"]) else "niet_getoetst")
                else:
                    ax.plot([x], [yy], marker=stijl["marker"], color=stijl["kleur"], markersize=5.5,
                            linestyle="none", zorder=3, alpha=0.95)
            w = zoek_rij(t, indicator=ind.id, rol="wijk")
            rest = zoek_rij(t, indicator=ind.id, rol="rest_gemeente")
            if w is not None and not bool(w["onderdrukt"]):
                label = oordeel_label(w["oordeel_rest"]) or oordeel_label("niet_getoetst")
                label += f"\n{n_tekst(w)}" if n_tekst(w) else ""
                ax.annotate(label, (1.0, y + offset["wijk"]), xycoords=("axes fraction", "data"), xytext=(4, 0),
                            textcoords="offset points", va="center", fontsize=7.5, annotation_clip=False,
                            fontweight="bold" if ", klein" in label else "normal")
                waarden += [_getal(w[k]) for k in ("schatting", "ci_laag", "ci_hoog")]
            if w is not None:
                deel = f"{ind.naam}: {wijk_naam} "
                if bool(w["onderdrukt"]):
                    deel += NIET_GEPUBLICEERD
                else:
                    deel += waarde_tekst(_getal(w["schatting"]), eenheid)
                    deel += f" ({n_tekst(w)})" if n_tekst(w) else ""
                    if _heeft(w["ci_laag"]):
                        deel += f" (95%-interval {waarde_tekst(_getal(w['ci_laag']), eenheid)} tot " \
                                f"{waarde_tekst(_getal(w['ci_hoog']), eenheid)})"
                if rest is not None:
                    deel += f", rest van de gemeente {NIET_GEPUBLICEERD if bool(rest['onderdrukt']) else waarde_tekst(_getal(rest['schatting']), eenheid)}"
                if not bool(w["onderdrukt"]):
                    deel += f"; t.o.v. rest: {(oordeel_weergave(w['oordeel_rest']) or OORDEEL_WEERGAVE['niet_getoetst']).tekst}"
                alt_delen.append(deel)
        ax.set_yticks(range(len(groep)), [_wrap(i.naam, 28) for i in reversed(groep)])
        ax.set_ylim(-0.55, len(groep) - 0.45)
        _eerlijke_as(ax, eenheid, waarden)
        ax.xaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))
        ax.xaxis.set_major_formatter(_tick_formatter(eenheid))
        ax.set_xlabel(as_label(eenheid))
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        for y in range(len(groep) - 1):
            ax.axhline(y + 0.5, color="#eeeeee", linewidth=0.8)
    handles = [Line2D([], [], marker=ROL_STIJL[r]["marker"], color=ROL_STIJL[r]["kleur"], linestyle="none",
                      markersize=6, label=rol_namen(rapport.config, gebied)[r]) for r in rollen[1:]]
    handles += _legenda_oordelen(fig, sorted(gebruikt, key=VOLGORDE_OORDELEN.index), ROL_STIJL["wijk"]["kleur"], "")
    legenda_titel = f"{wijk_naam} (blauw, lijn = 95%-interval) t.o.v. de rest van de gemeente:"
    titel = f"{config.pijler[pijler].naam}: {wijk_naam} vergeleken, meting {meting}"
    bron = bronregel(rapport, [i.bron for i in inds])
    alt = (f"Stippendiagram {titel}. " + ". ".join(alt_delen) + ".")
    return _afronden(fig, titel, bron, f"factsheet-{gebied}-{meting}-{pijler}", alt, handles, legenda_titel)


# ---------------------------------------------------------------- wijkprofiel: development over metingen


def ontwikkeling(rapport: Rapport, gebied: str, pijler: str):
    """Small multiples: per indicator the wijk and the rest of the gemeente over the metingen, with
    95% intervals; the wijk's marker shows the test against the nulmeting."""
    config = rapport.config
    t = rapport.tabel
    t = t[(t["gebied"] == gebied) & (t["pijler"] == pijler) & t["rol"].isin(["wijk", "rest_gemeente"])]
    inds = [i for i in config.indicatoren_voor(gebied) if i.pijler == pijler and (t["indicator"] == i.id).any()]
    if not inds:
        return None
    metingen = sorted(int(m) for m in t["meting"].unique())
    kolommen = 2 if len(inds) > 1 else 1
    rijen = math.ceil(len(inds) / kolommen)
    fig = _nieuwe_figuur(2.05 * rijen + 1.6)
    assen = fig.subplots(rijen, kolommen, squeeze=False).ravel()
    wijk_naam = config.gebied[gebied].naam
    gebruikt = set()
    alt_delen = []
    for ax, ind in zip(assen, inds):
        for rol, dx in (("rest_gemeente", 0.12), ("wijk", -0.12)):
            d = t[(t["indicator"] == ind.id) & (t["rol"] == rol)].sort_values("meting")
            stijl = ROL_STIJL[rol]
            xs = [metingen.index(int(m)) + dx for m in d["meting"]]
            ys = [np.nan if bool(o) else _getal(s) for o, s in zip(d["onderdrukt"], d["schatting"])]
            ax.plot(xs, ys, color=stijl["kleur"], linewidth=1.3, zorder=2)
            for x, (_, r) in zip(xs, d.iterrows()):
                if bool(r["onderdrukt"]):
                    ax.annotate(NIET_GEPUBLICEERD.replace(" ", "\n"), (x, 0.5), xycoords=("data", "axes fraction"),
                                ha="center", va="center", fontsize=6, fontstyle="italic", color=stijl["kleur"])
                    continue
                if _heeft(r["ci_laag"]):
                    ax.plot([x, x], [_getal(r["ci_laag"]), _getal(r["ci_hoog"])], color=stijl["kleur"],
                            linewidth=1.6, zorder=2)
                if rol == "wijk":
                    o = r["oordeel_nulmeting"] if oordeel_weergave(r["oordeel_nulmeting"]) else "geen_basis"
                    if o == "geen_basis":
                        ax.plot([x], [_getal(r["schatting"])], marker="o", color=stijl["kleur"],
                                markersize=4, linestyle="none", zorder=4)
                    else:
                        _markeer(ax, x, _getal(r["schatting"]), o, stijl["kleur"], 7.5)
                        gebruikt.add(o)
                else:
                    ax.plot([x], [_getal(r["schatting"])], marker=stijl["marker"], color=stijl["kleur"],
                            markersize=4.5, linestyle="none", zorder=3)
            if rol == "wijk":
                waarden = [(NIET_GEPUBLICEERD if bool(o) else waarde_tekst(_getal(s), ind.eenheid)) + f" in {int(m)}"
                           for m, o, s in zip(d["meting"], d["onderdrukt"], d["schatting"])]
                laatste = d.iloc[-1] if not d.empty else None
                oo = oordeel_weergave(laatste["oordeel_nulmeting"]) if laatste is not None else None
                alt_delen.append(f"{ind.naam}: {wijk_naam} " + ", ".join(waarden)
                                 + (f" (sinds de nulmeting: {oo.tekst})" if oo else ""))
        ax.set_title(_wrap(ind.naam, 38), loc="left", fontsize=8.5)
        ax.set_xticks(range(len(metingen)), [str(m) for m in metingen])
        ax.set_xlim(-0.5, len(metingen) - 0.5)
        _eerlijke_as(ax, ind.eenheid, t.loc[t["indicator"] == ind.id, "ci_hoog"].tolist()
                     + t.loc[t["indicator"] == ind.id, "schatting"].tolist(), "y")
        ax.yaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 5, 10]))
        ax.yaxis.set_major_formatter(_tick_formatter(ind.eenheid))
        ax.set_ylabel(_wrap(as_label(ind.eenheid), 18), fontsize=7.5)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
    for ax in assen[len(inds):]:
        ax.set_visible(False)
    for ax in assen[max(0, len(inds) - kolommen):len(inds)]:
        ax.set_xlabel("meting")
    handles = [Line2D([], [], marker="o", markersize=4, color=ROL_STIJL["wijk"]["kleur"],
                      label=f"{wijk_naam} (kleine stip: nulmeting)"),
               Line2D([], [], marker="D", color=ROL_STIJL["rest_gemeente"]["kleur"], markersize=4.5,
                      label=rol_namen(rapport.config, gebied)["rest_gemeente"])]
    handles += _legenda_oordelen(fig, sorted(gebruikt, key=VOLGORDE_OORDELEN.index), ROL_STIJL["wijk"]["kleur"], "")
    legenda_titel = f"Verticale lijn = 95%-interval; teken bij {wijk_naam} = verandering sinds de nulmeting:"
    titel = f"{config.pijler[pijler].naam}: ontwikkeling in {wijk_naam}, metingen {metingen[0]}–{metingen[-1]}" \
        if len(metingen) > 1 else f"{config.pijler[pijler].naam}: {wijk_naam}, meting {metingen[0]}"
    alt = f"Lijndiagrammen {titel}. " + ". ".join(alt_delen) + "."
    return _afronden(fig, titel, bronregel(rapport, [i.bron for i in inds]),
                     f"wijkprofiel-{gebied}-{pijler}", alt, handles, legenda_titel)


# ---------------------------------------------------------------- pijler page: the four wijken


def wijken_vergeleken(rapport: Rapport, indicator: str, meting: Optional[int] = None):
    """The wijken side by side on one indicator at one meting (default: the latest with data):
    the wijk with its 95% interval (marker = test against the rest of its gemeente) and the rest of
    its gemeente; provincie and Nederland as reference lines."""
    config = rapport.config
    ind = config.indicator[indicator]
    t = rapport.tabel
    t = t[t["indicator"] == indicator]
    if meting is None:
        met = t.loc[t["rol"] == "wijk", "meting"]
        if met.empty:
            return None
        meting = int(met.max())
    t = t[t["meting"] == meting]
    gebieden = [g for g in config.gebieden if ((t["gebied"] == g.id) & (t["rol"] == "wijk")).any()]
    if not gebieden:
        return None
    fig = _nieuwe_figuur(0.62 * len(gebieden) + 2.6)
    ax = fig.subplots()
    gebruikt = set()
    alt_delen = []
    for y, g in enumerate(reversed(gebieden)):
        for rol, dy in (("wijk", 0.13), ("rest_gemeente", -0.13)):
            r = zoek_rij(t, gebied=g.id, rol=rol)
            if r is None:
                continue
            stijl = ROL_STIJL[rol]
            if bool(r["onderdrukt"]):
                _niet_gepubliceerd(ax, y + dy, stijl["kleur"], stijl["label"])
                continue
            if _heeft(r["ci_laag"]):
                ax.plot([_getal(r["ci_laag"]), _getal(r["ci_hoog"])], [y + dy] * 2, color=stijl["kleur"],
                        linewidth=2.2 if rol == "wijk" else 1.2, zorder=3)
            if rol == "wijk":
                _markeer(ax, _getal(r["schatting"]), y + dy, r["oordeel_rest"], stijl["kleur"], 8.5)
                gebruikt.add(str(r["oordeel_rest"]) if oordeel_weergave(r["oordeel_rest"]) else "niet_getoetst")
            else:
                ax.plot([_getal(r["schatting"])], [y + dy], marker=stijl["marker"], color=stijl["kleur"],
                        markersize=5.5, linestyle="none", zorder=3)
        w = zoek_rij(t, gebied=g.id, rol="wijk")
        rest = zoek_rij(t, gebied=g.id, rol="rest_gemeente")
        if not bool(w["onderdrukt"]):
            label = (oordeel_label(w["oordeel_rest"]) or oordeel_label("niet_getoetst")) + \
                (f"\n{n_tekst(w)}" if n_tekst(w) else "")
            ax.annotate(label, (1.0, y + 0.13), xycoords=("axes fraction", "data"), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=7.5, annotation_clip=False,
                        fontweight="bold" if ", klein" in label else "normal")
        deel = f"{g.naam} " + (NIET_GEPUBLICEERD if bool(w["onderdrukt"]) else
                               waarde_tekst(_getal(w["schatting"]), ind.eenheid) + (f" ({n_tekst(w)})" if n_tekst(w) else ""))
        if rest is not None:
            deel += f", rest van {config.gemeente[g.gemeente].naam} " + \
                (NIET_GEPUBLICEERD if bool(rest["onderdrukt"]) else waarde_tekst(_getal(rest["schatting"]), ind.eenheid))
        if not bool(w["onderdrukt"]):
            deel += f" ({(oordeel_weergave(w['oordeel_rest']) or OORDEEL_WEERGAVE['niet_getoetst']).tekst})"
        alt_delen.append(deel)
    referenties = []
    for rol, stijl in (("provincie", "--"), ("nederland", ":")):
        r = zoek_rij(t, rol=rol)
        if r is not None and _heeft(r["schatting"]):
            ax.axvline(_getal(r["schatting"]), color=ROL_STIJL[rol]["kleur"], linestyle=stijl, linewidth=1.2, zorder=1)
            referenties.append((rol, stijl))
            alt_delen.append(f"{rol_namen(rapport.config, gebieden[0].id)[rol]} {waarde_tekst(_getal(r['schatting']), ind.eenheid)}")
    ax.set_yticks(range(len(gebieden)), [g.naam for g in reversed(gebieden)])
    ax.set_ylim(-0.6, len(gebieden) - 0.4)
    _eerlijke_as(ax, ind.eenheid, t["ci_hoog"].tolist() + t["schatting"].tolist())
    ax.xaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))
    ax.xaxis.set_major_formatter(_tick_formatter(ind.eenheid))
    ax.set_xlabel(as_label(ind.eenheid))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    handles = [Line2D([], [], color=ROL_STIJL["wijk"]["kleur"], linewidth=2.2, label="wijk: 95%-interval (teken: zie rechts)"),
               Line2D([], [], marker="D", color=ROL_STIJL["rest_gemeente"]["kleur"], linestyle="none", markersize=5,
                      label="rest van de eigen gemeente")]
    handles += [Line2D([], [], color=ROL_STIJL[r]["kleur"], linestyle=s, label=rol_namen(rapport.config, gebieden[0].id)[r])
                for r, s in referenties]
    handles += _legenda_oordelen(fig, sorted(gebruikt, key=VOLGORDE_OORDELEN.index), ROL_STIJL["wijk"]["kleur"], "")
    legenda_titel = "Teken bij de wijk = vergelijking met de rest van de eigen gemeente:"
    titel = f"{ind.naam}: de wijken vergeleken, meting {meting}"
    alt = f"Stippendiagram {titel} ({as_label(ind.eenheid)}). " + ". ".join(alt_delen) + "."
    return _afronden(fig, titel, bronregel(rapport, [ind.bron]), f"pijler-{ind.pijler}-{indicator}-{meting}", alt, handles, legenda_titel)


# ---------------------------------------------------------------- effectanalyse: forest plot


def effecten_forest(rapport: Rapport, gebied: str):
    """Forest plot of the difference-in-differences estimates of one gebied (every later meting
    against the nulmeting), one panel per unit; marker = oordeel, line = 95% interval, 0 = no effect."""
    config = rapport.config
    e = rapport.effecten
    e = e[e["gebied"] == gebied]
    if e.empty:
        return None
    volgorde = [i.id for i in config.indicatoren]
    e = e.assign(_v=e["indicator"].map(volgorde.index)).sort_values(["_v", "meting"])
    metingen = sorted(int(m) for m in e["meting"].unique())
    groepen: dict[str, list[str]] = {}
    for ind_id in dict.fromkeys(e["indicator"]):
        groepen.setdefault(config.indicator[ind_id].eenheid, []).append(ind_id)
    hoogtes = [0.42 * len(v) + 0.8 for v in groepen.values()]
    fig = _nieuwe_figuur(sum(hoogtes) + 1.7)
    assen = fig.subplots(len(groepen), 1, gridspec_kw={"height_ratios": hoogtes}, squeeze=False)[:, 0]
    kleur_meting = meting_kleuren(metingen)
    dy = {m: (0.15 - 0.3 * i / max(1, len(metingen) - 1)) if len(metingen) > 1 else 0 for i, m in enumerate(metingen)}
    gebruikt = set()
    alt_delen = []
    for ax, (eenheid, ids) in zip(assen, groepen.items()):
        for y, ind_id in enumerate(reversed(ids)):
            for _, r in e[e["indicator"] == ind_id].iterrows():
                m = int(r["meting"])
                yy = y + dy[m]
                ax.plot([_getal(r["ci_laag"]), _getal(r["ci_hoog"])], [yy, yy], color=kleur_meting[m], linewidth=1.8)
                _markeer(ax, _getal(r["schatting"]), yy, r["oordeel"], kleur_meting[m], 7.5)
                gebruikt.add(str(r["oordeel"]))
                alt_delen.append(f"{config.indicator[ind_id].naam}, {m}: {verschil_tekst(_getal(r['schatting']), eenheid)} "
                                 f"({(oordeel_weergave(r['oordeel']) or OORDEEL_WEERGAVE['niet_getoetst']).tekst})")
        ax.axvline(0, color="#333333", linewidth=0.9)
        ax.set_yticks(range(len(ids)), [_wrap(config.indicator[i].naam, 30) for i in reversed(ids)])
        ax.set_ylim(-0.55, len(ids) - 0.45)
        ax.xaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10], symmetric=True))
        ax.xaxis.set_major_formatter(_tick_formatter(eenheid, verschil=True))
        ax.set_xlabel(as_label(eenheid, verschil=True))
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
    handles = [Line2D([], [], color=kleur_meting[m], marker="o", label=f"meting {m} t.o.v. {int(e['basismeting'].iloc[0])}")
               for m in metingen]
    handles += _legenda_oordelen(fig, sorted(gebruikt, key=VOLGORDE_OORDELEN.index), "#333333", "")
    legenda_titel = "Schatting met 95%-interval; 0 = geen verschil in ontwikkeling:"
    naam = config.gebied[gebied].naam
    titel = f"Verschil-in-verschillen: {naam} vergeleken met de rest van de gemeente"
    bronnen = [config.indicator[i].bron for i in dict.fromkeys(e["indicator"])]
    alt = f"Forest plot {titel}. " + "; ".join(alt_delen) + "."
    return _afronden(fig, titel, bronregel(rapport, bronnen), f"effectanalyse-{gebied}", alt, handles, legenda_titel)


# ---------------------------------------------------------------- datakwaliteit


def respons(rapport: Rapport):
    """Respondents in each wijk per survey and meting (grouped bars, numbers printed on the bars)."""
    d = respondenten(rapport)
    if d.empty:
        return None
    config = rapport.config
    bronnen = list(dict.fromkeys(d["bron"]))
    metingen = sorted(d["meting"].unique())
    fig = _nieuwe_figuur(2.3 * len(bronnen) + 1.6)
    assen = fig.subplots(len(bronnen), 1, squeeze=False)[:, 0]
    kleuren = meting_kleuren(metingen)
    arceringen = ["", "//", "..", "xx"]
    alt_delen = []
    gebieden = [g for g in config.gebieden]
    for ax, bron in zip(assen, bronnen):
        breedte = 0.8 / len(metingen)
        for j, m in enumerate(metingen):
            xs, ns = [], []
            for k, g in enumerate(gebieden):
                r = d[(d["bron"] == bron) & (d["meting"] == m) & (d["gebied"] == g.id)]
                n = int(r["respondenten"].iloc[0]) if not r.empty else 0
                xs.append(k - 0.4 + breedte * (j + 0.5))
                ns.append(n)
            staven = ax.bar(xs, ns, breedte * 0.92, color=kleuren[m], hatch=arceringen[j % 4],
                            edgecolor="white", label=f"meting {m}")
            ax.bar_label(staven, labels=[opmaak.geheel(n) for n in ns], fontsize=6.5, padding=1)
            alt_delen += [f"{config.bron[bron].naam}, {g.naam}, {m}: {opmaak.geheel(n)}" for g, n in zip(gebieden, ns)]
        ax.axhline(config.instellingen.onthulling.min_n, color="#333333", linestyle="--", linewidth=1)
        ax.set_xticks(range(len(gebieden)), [g.naam for g in gebieden])
        ax.set_title(config.bron[bron].naam, loc="left", fontsize=9)
        ax.set_ylabel("respondenten (aantal)")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda x, p: opmaak.geheel(x)))
        ax.margins(y=0.15)
    handles, labels = assen[0].get_legend_handles_labels()
    handles.append(Line2D([], [], color="#333333", linestyle="--",
                          label=f"minimum om te publiceren (n = {config.instellingen.onthulling.min_n})"))
    legenda_titel = None
    titel = "Respondenten per wijk en meting"
    alt = f"Staafdiagram {titel}. " + "; ".join(alt_delen) + "."
    return _afronden(fig, titel, bronregel(rapport, bronnen), "datakwaliteit-respons", alt, handles, legenda_titel)


def onderdrukking(rapport: Rapport):
    """Number of suppressed values per gebied × meting (cells print the count: not colour alone)."""
    d = onderdrukte_waarden(rapport)
    config = rapport.config
    metingen = rapport.metingen or sorted(int(m) for m in rapport.tabel["meting"].unique())
    gebieden = config.gebieden
    matrix = np.zeros((len(gebieden), len(metingen)))
    for i, g in enumerate(gebieden):
        for j, m in enumerate(metingen):
            matrix[i, j] = int(((d["gebied"] == g.id) & (d["meting"] == m)).sum()) if not d.empty else 0
    fig = _nieuwe_figuur(0.55 * len(gebieden) + 2.4)
    ax = fig.subplots()
    ax.imshow(matrix, cmap="Blues", vmin=0, vmax=max(4.0, matrix.max() * 1.4), aspect="auto")
    for i in range(len(gebieden)):
        for j in range(len(metingen)):
            ax.text(j, i, opmaak.geheel(matrix[i, j]), ha="center", va="center", fontsize=9)
    ax.set_xticks(range(len(metingen)), [f"meting {m}" for m in metingen])
    ax.set_yticks(range(len(gebieden)), [g.naam for g in gebieden])
    ax.set_xlabel("meting (getal = onderdrukte waarden van wijk, rest van de gemeente en gemeente)")
    ax.set_ylabel("gebied")
    ax.spines[:].set_visible(False)
    ax.tick_params(length=0)
    titel = "Niet gepubliceerde waarden (x) per gebied en meting"
    alt = f"Tabelgrafiek {titel}: " + "; ".join(
        f"{g.naam} {m}: {opmaak.geheel(matrix[i, j])}" for i, g in enumerate(gebieden) for j, m in enumerate(metingen)) + "."
    bronnen = [b.id for b in config.bronnen if b.soort == "survey"]
    return _afronden(fig, titel, bronregel(rapport, bronnen), "datakwaliteit-onderdrukking", alt)
