"""The "Cijfers verkennen" explorer: its data file and its page.

The build exports the results table and the other wijken (resultaten.context) as one compact JSON
file into the site (`_static/verkenner/cijfers.json`) and the same bytes as a script that sets a
global (`cijfers.js`, loaded by a <script> tag, so the page works from file:// without fetch); the
page's script (book/_static/verkenner.js) reads it in the browser and draws the trend chart and the tables. The file also carries the book's symbol vocabulary
(colours and marks of areas and verdicts, from weergave), so the explorer and the figures share one
source. Suppressed cells keep n and their reason, never a number.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Optional

import pandas as pd

from vwanalyse.basis.bestanden import schrijf_bytes
from vwanalyse.model.configuratie import Configuratie
from vwanalyse.resultaten.opslag import Rapport
from vwanalyse.resultaten.schema import ROLLEN
from vwanalyse.weergave import opmaak
from vwanalyse.weergave.figuren import CONTEXT_STIJL, ROL_STIJL
from vwanalyse.weergave.woorden import OORDEEL_WEERGAVE, RICHTING_KORT, reden_tekst, rol_namen

PAGINA = "verkenner"  # book/gegenereerd/verkenner.md
STATISCH = "static"  # book/gegenereerd/static/: a second html_static_path (boek.jupyterbook.bouwconfig)
DATA = "verkenner/cijfers.json"  # under _static/ in the site: the data for other uses (own analyses)
DATA_JS = "verkenner/cijfers.js"  # the same data as a script: the page loads it with a <script> tag (works from file://)
JS_BEGIN = b"window.vwVerkennerData = "  # cijfers.js is JS_BEGIN + the bytes of cijfers.json + JS_EIND
JS_EIND = b";\n"
VERSIE = 1

# the columns of the results table in the data file, in this order
KOLOMMEN = ["gebied", "meting", "indicator", "rol", "regiocode", "peiljaar", "schatting", "se", "ci_laag",
            "ci_hoog", "n_ongewogen", "noemer", "onderdrukt", "reden", "verschil_rest", "oordeel_rest",
            "verschil_vorige", "oordeel_vorige", "verschil_nulmeting", "oordeel_nulmeting", "indicatief"]
# never a number in a suppressed row (the results table holds none either; this is the second lock)
GEHEIM = ["schatting", "se", "ci_laag", "ci_hoog", "verschil_rest", "verschil_vorige", "verschil_nulmeting"]
# markers of the book's figures (matplotlib) as the script draws them (SVG)
_VORM = {"o": "cirkel", "D": "ruit", "s": "vierkant", "P": "plus", "h": "zeshoek", "^": "driehoek_op",
         "v": "driehoek_neer", "|": "streep", "_": "liggend_streepje"}
# the context (resultaten.context: the kernset for every wijk of the gemeenten) in the data file
CONTEXT = "context.parquet"
VERGELIJKBAAR = "vergelijkbaar.parquet"
CONTEXT_DATA = ["wijkcode", "meting", "indicator", "schatting", "ci_laag", "ci_hoog", "n_ongewogen", "onderdrukt",
                "reden", "oordeel_rest"]
CONTEXT_GEHEIM = ["schatting", "ci_laag", "ci_hoog"]


def _waarde(x):
    """A cell as JSON: None for missing; floats to 8 significant digits (the book shows at most 4)."""
    if x is None or x is pd.NA:
        return None
    if isinstance(x, (bool,)) or type(x).__name__ == "bool_":
        return bool(x)
    if isinstance(x, str):
        return x or None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(f):
        return None
    if f == int(f) and abs(f) < 1e15:
        return int(f)
    return float(f"{f:.8g}")


def stijl() -> dict:
    """The symbol vocabulary of the book: each area's colour and mark, each verdict's sign and colour."""
    return {
        "rol": {rol: {"kleur": s["kleur"], "vorm": _VORM[s["marker"]], "label": s["label"]}
                for rol, s in ROL_STIJL.items()},
        "oordeel": {code: {"teken": o.teken, "tekst": o.tekst, "uitleg": o.uitleg, "vorm": _VORM[o.marker],
                           "gevuld": o.gevuld, "kleur": o.kleur} for code, o in OORDEEL_WEERGAVE.items()},
        "context": {"kleur": CONTEXT_STIJL["kleur"], "dekking": CONTEXT_STIJL["dekking"],
                    "lijndikte": CONTEXT_STIJL["lijndikte"], "vorm": _VORM[CONTEXT_STIJL["marker"]],
                    "label": CONTEXT_STIJL["label"]},
        "onbekend": opmaak.ONBEKEND, "geheim": opmaak.GEHEIM, "min": opmaak.MIN,
    }


def _rijen(t: pd.DataFrame, kolommen: list[str], geheim: list[str]) -> list[list]:
    """Rows as JSON lists; in a suppressed row the `geheim` cells are None whatever the table holds."""
    onderdrukt = t["onderdrukt"].astype(bool).to_numpy()
    uit = []
    for rij, weg in zip(t[kolommen].itertuples(index=False, name=None), onderdrukt):
        cellen = [_waarde(x) for x in rij]
        if weg:
            for k in geheim:
                cellen[kolommen.index(k)] = None
        uit.append(cellen)
    return uit


def _redenen(t: pd.DataFrame) -> set[str]:
    """The suppression reasons a table holds (the data file maps each to the book's words)."""
    return {str(x) for x in t["reden"].dropna() if str(x)} if "reden" in t.columns else set()


def lees_context(r: Rapport) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The context tables of the results folder (empty when the build wrote none)."""
    delen = []
    for naam in (CONTEXT, VERGELIJKBAAR):
        pad = Path(r.map) / naam
        delen.append(pd.read_parquet(pad) if pad.is_file() else pd.DataFrame())
    return delen[0], delen[1]


def _context_data(config: Configuratie, context: pd.DataFrame, vergelijkbaar: pd.DataFrame) -> dict:
    """The other wijken: their rows, a readable label per wijk, and per gebied the wijken like it."""
    regel = config.instellingen.context
    uit = {"kolommen": CONTEXT_DATA, "rijen": [], "wijken": {},
           "regel": {"indicator": regel.vergelijkbaar_op, "aantal": regel.vergelijkbaar_aantal},
           "vergelijkbaar": {}}
    if context.empty:
        return uit
    ontbreekt = [k for k in CONTEXT_DATA + ["gemeente", "monitorgebied"] if k not in context.columns]
    if ontbreekt:
        raise ValueError(f"context.parquet mist kolom(men) {', '.join(ontbreekt)} voor de verkenner")
    volgorde_i = {i.id: k for k, i in enumerate(config.indicatoren)}
    t = (context.assign(_i=context["indicator"].map(volgorde_i))
         .sort_values(["wijkcode", "_i", "meting"], kind="stable"))
    uit["rijen"] = _rijen(t, CONTEXT_DATA, CONTEXT_GEHEIM)
    naam = "wijknaam" if "wijknaam" in t.columns else None  # a name column when the data have one
    for code, w in t.drop_duplicates("wijkcode").set_index("wijkcode").iterrows():
        gemeente = config.gemeente[w["gemeente"]].naam if w["gemeente"] in config.gemeente else w["gemeente"]
        label = f"{w[naam]} ({code}, {gemeente})" if naam and isinstance(w[naam], str) and w[naam] else \
            f"{code} ({gemeente})"
        uit["wijken"][code] = {"gemeente": w["gemeente"], "label": label,
                               "monitorgebied": w["monitorgebied"] or ""}
    for g, v in vergelijkbaar.groupby("gebied", sort=False) if not vergelijkbaar.empty else []:
        v = v.sort_values("rang")
        uit["vergelijkbaar"][g] = {"meting": int(v["meting"].iloc[0]), "wijken": list(v["wijkcode"])}
    return uit


def verkenner_data(r: Rapport) -> dict:
    """Everything the explorer shows, from the results table and the configuration."""
    config: Configuratie = r.config
    t = r.tabel
    ontbreekt = [k for k in KOLOMMEN if k not in t.columns]
    if ontbreekt:
        raise ValueError(f"resultatentabel mist kolom(men) {', '.join(ontbreekt)} voor de verkenner")
    volgorde_i = {i.id: k for k, i in enumerate(config.indicatoren)}
    volgorde_g = {g.id: k for k, g in enumerate(config.gebieden)}
    t = (t.assign(_g=t["gebied"].map(volgorde_g), _i=t["indicator"].map(volgorde_i), _r=t["rol"].map(ROLLEN.index))
         .sort_values(["_g", "_i", "_r", "meting"], kind="stable"))
    rijen = _rijen(t, KOLOMMEN, GEHEIM)
    context, vergelijkbaar = lees_context(r)
    csv = resultaten_csv(r)
    indicatoren = {}
    for i in config.indicatoren:
        indicatoren[i.id] = {"naam": i.naam, "pijler": i.pijler, "eenheid": i.eenheid,
                             "schaal": 100 if i.is_percentage else 1,
                             "decimalen": 1 if i.is_percentage else opmaak.decimalen_eenheid(i.eenheid),
                             "richting": RICHTING_KORT[i.richting], "set": i.set,
                             "gebieden": list(i.gebieden) if i.set != "kernset" else []}
    return {
        "versie": VERSIE,
        "resultaten_sha256": hashlib.sha256(csv).hexdigest(),
        "demodata": r.demodata,
        "databron": r.meta.get("databron", {}).get("naam", ""),
        "metingen": r.metingen,
        "nulmeting": config.nulmeting.jaar,
        "pijlers": {p.id: p.naam for p in config.pijlers},
        "indicatoren": indicatoren,
        # the keys of the objects are sorted; the book's order (the configuration's) is this
        "volgorde": {"indicatoren": [i.id for i in config.indicatoren], "gebieden": [g.id for g in config.gebieden],
                     "pijlers": [p.id for p in config.pijlers]},
        "gebieden": {g.id: {"naam": g.naam, "gemeente": config.gemeente[g.gemeente].naam,
                            "gemeentecode": g.gemeente, "codes": list(g.codes),
                            "rollen": rol_namen(config, g.id)} for g in config.gebieden},
        "redenen": {rd: reden_tekst(rd) for rd in sorted(_redenen(t) | _redenen(context))},
        "context": _context_data(config, context, vergelijkbaar),
        "rollen": list(ROLLEN),
        "stijl": stijl(),
        "kolommen": KOLOMMEN,
        "rijen": rijen,
    }


def resultaten_csv(r: Rapport) -> bytes:
    """The bytes of resultaten.csv (the published results table) this data file was made from."""
    pad = Path(r.map) / "resultaten.csv"
    return pad.read_bytes() if pad.is_file() else b""


def data_bytes(r: Rapport) -> bytes:
    """The data file: compact, sorted keys, same results -> same bytes."""
    return json.dumps(verkenner_data(r), ensure_ascii=False, separators=(",", ":"), sort_keys=True,
                      allow_nan=False).encode("utf-8")


def data_js(data: bytes) -> bytes:
    """The data file as a script that sets a global: a <script> tag loads it, also from file://."""
    return JS_BEGIN + data + JS_EIND


def schrijf_data(r: Optional[Rapport], boek_map: Path) -> list[Path]:
    """Write the data file and its script under book/gegenereerd/static/ (in the site: _static/verkenner/)."""
    data = data_bytes(r) if r is not None else b'{"versie":1,"rijen":[]}'
    paden = [Path(boek_map) / "gegenereerd" / STATISCH / DATA, Path(boek_map) / "gegenereerd" / STATISCH / DATA_JS]
    schrijf_bytes(paden[0], data)
    schrijf_bytes(paden[1], data_js(data))
    return paden


def _contexttekst(config: Configuratie, r: Rapport) -> str:
    """What the context adds, with the rule of "wijken zoals deze" from the configuration."""
    context, _ = lees_context(r)
    if context.empty:
        return ("De andere wijken van de gemeenten zijn voor deze resultaten niet berekend; de verkenner toont "
                "alleen de monitorgebieden.\n")
    regel = config.instellingen.context
    ind = config.indicator[regel.vergelijkbaar_op]
    wijken, gemeenten = context["wijkcode"].nunique(), context["gemeente"].nunique()
    namen = [config.gemeente[g].naam for g in sorted(context["gemeente"].unique()) if g in config.gemeente]
    lijst = opmaak.opsomming(namen)
    return (f"**Andere wijken als context.** Naast de monitorgebieden staat de kernset voor alle "
            f"{opmaak.geheel(wijken)} wijken van de {opmaak.geheel(gemeenten)} gemeenten ({lijst}), berekend op "
            "dezelfde manier en met dezelfde regels voor niet publiceren. Publiceren we elke wijk, dan kan een "
            "enkel geheim cijfer worden teruggerekend uit het totaal van de gemeente; daarom is in zo'n groep ook "
            f"een tweede cijfer niet gepubliceerd (reden *secundair*). Bij *Vergelijk ook met* kies je "
            "de andere wijken van de gemeente van het monitorgebied, of de **wijken zoals deze**: de "
            f"{opmaak.geheel(regel.vergelijkbaar_aantal)} wijken van de gemeenten (niet het gebied zelf) waarvan de "
            f"waarde van *{ind.naam}* bij de laatste meting met een cijfer het dichtst bij die van het monitorgebied "
            "ligt. Die wijken staan als dunne grijze lijnen in de grafiek, zonder interval; hun cijfers en "
            "intervallen staan in de tabel. "
            + ("Achter de naam van een wijk staan haar code en de gemeente.\n" if "wijknaam" in context.columns
               else "Een wijk heeft in deze gegevens alleen een code; achter de code staat de gemeente.\n"))


def verkennerpagina(config: Configuratie, r: Optional[Rapport]) -> str:
    """The page: headings, what it shows, the CSV conventions, and the element the script fills."""
    kop = "(cijfers-verkennen)=\n# Cijfers verkennen\n"
    if r is None:
        return kop + "\nEr zijn nog geen resultaten berekend; de verkenner volgt zodra er gegevens zijn.\n"
    return "\n".join([
        kop,
        "Kies een indicator, een wijk en de gebieden om mee te vergelijken: de grafiek toont de "
        "ontwikkeling over de metingen met het 95%-{term}`betrouwbaarheidsinterval <Betrouwbaarheidsinterval>`, "
        "de tabel eronder dezelfde cijfers. Het teken bij de wijk geeft de toets tegenover de "
        "{term}`nulmeting <Nulmeting>` (zoals in de figuren van het boek; zie de {ref}`leeswijzer`). "
        "Kies daaronder een pijler en een meting: dan staan alle indicatoren van die pijler voor alle "
        "monitorgebieden naast elkaar, met het teken van de toets tegenover de rest van de gemeente, de vorige "
        "meting of de nulmeting. Onderaan staat de hele resultatentabel, te filteren en te sorteren. Een niet gepubliceerd cijfer "
        f"staat er als `{opmaak.GEHEIM}` met de reden (zie de {{ref}}`verantwoording <bijlage-verantwoording>`); "
        f"`{opmaak.ONBEKEND}` betekent: geen gegevens.\n",
        _contexttekst(config, r),
        "De keuzes staan in het adres van de pagina: kopieer het adres om precies deze weergave te delen; "
        "de terugknop van de browser gaat naar de vorige keuze. De verkenner werkt zonder internetverbinding "
        "en zonder webserver: ook als je het HTML-bestand van deze site direct opent. Hij leest de cijfers uit "
        f"het bestand `_static/{DATA_JS}` van deze site (de resultatentabel en de andere wijken, zonder niet "
        f"gepubliceerde cijfers). Dezelfde gegevens staan als JSON in `_static/{DATA}`, voor wie er zelf mee "
        "verder wil.\n",
        "**Download (CSV).** De knop *Download wat je ziet* onder de tabel geeft precies de rijen en "
        "kolommen die de tabel op dat moment toont, in de volgorde van de tabel, voor Nederlandstalige "
        "Excel: **puntkomma** als scheidingsteken, **komma** als decimaalteken, een punt tussen duizendtallen, "
        "een gewoon minteken (-), tekstcodering UTF-8 met byte order mark (BOM) zodat Excel de letters goed "
        f"leest. Een niet gepubliceerd cijfer is `{opmaak.GEHEIM}`, een ontbrekend `{opmaak.ONBEKEND}`. "
        "Percentages staan in procenten (23,5 = 23,5%). De volledige tabellen met alle decimalen staan bij de "
        "{ref}`downloads <bijlage-downloads>`.\n",
        # print has no script: the printed report says where the explorer is instead of "laadt…"
        '<p class="vw-alleen-druk"><strong>In de gedrukte versie staat de verkenner niet:</strong> hij is '
        "interactief. Open deze pagina (Cijfers verkennen) op de website van de monitor om zelf indicatoren, "
        "wijken en metingen te kiezen.</p>\n",
        '<div id="vw-verkenner" class="vw-verkenner">'
        "<p>De verkenner laadt… (JavaScript is nodig.)</p></div>\n",
        f'<script src="../../_static/{DATA_JS}" defer></script>\n',
        '<script src="../../_static/verkenner.js" defer></script>\n',
    ])
