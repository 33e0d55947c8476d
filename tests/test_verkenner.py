""""Cijfers verkennen" (issue 20): the data file and what the explorer shows in the browser.

The data file holds the rows of the results table, suppressed rows without any number. In the
browser (tests/browser/verkenner.mjs) a sample of selections must show in the trend table the values
of the results table, formatted here by weergave.opmaak (the script formats them itself), and marks
only for published values; a shared URL restores the view and the back button the previous one; the
whole table, filtered and sorted with its controls, holds exactly the results rows of that filter,
and the download holds exactly the table. A deliberately broken data file makes the checks fail.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import random
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from vwanalyse.boek import verkenner
from vwanalyse.resultaten.opslag import Rapport
from vwanalyse.weergave import opmaak
from vwanalyse.weergave.woorden import met_hoofdletter, oordeel_label, reden_tekst, rol_namen

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "browser" / "verkenner.mjs"
CHROMIUM = Path("/usr/bin/chromium")


# ---------------------------------------------------------------- checks (each returns its problems)


def _leeg(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and x != x)


def controleer_data(data: dict, tabel: pd.DataFrame) -> list[str]:
    """The data file against the results table: the same rows and values, no number in a suppressed row."""
    rijen = [dict(zip(data["kolommen"], r)) for r in data["rijen"]]
    problemen = [] if len(rijen) == len(tabel) else [
        f"{len(rijen)} rijen in het databestand, {len(tabel)} in de resultatentabel"]
    return problemen + _rijen_als_bron(rijen, tabel, ["gebied", "meting", "indicator", "rol"], verkenner.GEHEIM,
                                       "rij ", "de resultatentabel")


def _rijen_als_bron(rijen: list[dict], bron: pd.DataFrame, sleutel: list[str], geheim: list[str], soort: str,
                    bronnaam: str) -> list[str]:
    """Each row of the data file is a row of its source with its numbers; a suppressed one has none."""
    problemen = []
    index = {tuple(r[k] for k in sleutel): r for r in bron.to_dict("records")}
    for r in rijen:
        naam = soort + "/".join(str(r[k]) for k in sleutel)
        b = index.get(tuple(r[k] for k in sleutel))
        if b is None:
            problemen.append(f"{naam} niet in {bronnaam}")
            continue
        if r["onderdrukt"] or b["onderdrukt"]:
            getallen = [k for k in geheim if r[k] is not None]
            if getallen or not r["onderdrukt"]:
                problemen.append(f"onderdrukte {naam} met getal in {', '.join(getallen) or 'onderdrukt=false'}")
            continue
        problemen += _andere_waarden(r, b, naam, bronnaam)
    return problemen


def _andere_waarden(r: dict, b: dict, naam: str, bron: str) -> list[str]:
    """The published numbers of a row of the data file that differ from its source row."""
    problemen = []
    for k in ("schatting", "ci_laag", "ci_hoog", "n_ongewogen"):
        verwacht, gevonden = b[k], r[k]
        if _leeg(verwacht) != (gevonden is None) or (
                not _leeg(verwacht) and abs(float(verwacht) - gevonden) > 1e-7 * max(1.0, abs(float(verwacht)))):
            problemen.append(f"{naam} {k}: {gevonden} in het databestand, {verwacht} in {bron}")
    return problemen


def controleer_context_data(data: dict, context: pd.DataFrame, vergelijkbaar: pd.DataFrame) -> list[str]:
    """The data file's other wijken against context.parquet and vergelijkbaar.parquet: same rows and values,
    no number in a suppressed row, the same wijken zoals deze in their order."""
    c = data["context"]
    rijen = [dict(zip(c["kolommen"], r)) for r in c["rijen"]]
    problemen = [] if len(rijen) == len(context) else [
        f"{len(rijen)} contextrijen in het databestand, {len(context)} in context.parquet"]
    bron = context.assign(meting=context["meting"].astype(int))
    problemen += _rijen_als_bron(rijen, bron, ["wijkcode", "meting", "indicator"], verkenner.CONTEXT_GEHEIM,
                                 "context ", "context.parquet")
    for g, v in vergelijkbaar.groupby("gebied"):
        if c["vergelijkbaar"].get(g, {}).get("wijken") != list(v.sort_values("rang")["wijkcode"]):
            problemen.append(f"wijken zoals {g}: {c['vergelijkbaar'].get(g)} in het databestand")
    return problemen


def _tekst(config, rij, kolom: str) -> str:
    """A value as the explorer must show it, formatted by weergave.opmaak."""
    if bool(rij["onderdrukt"]):
        return opmaak.GEHEIM
    ind = config.indicator[rij["indicator"]]
    x = rij[kolom]
    if _leeg(x):
        return opmaak.ONBEKEND
    return opmaak.getal(float(x) * (100 if ind.is_percentage else 1), 1 if ind.is_percentage else
                        opmaak.decimalen_eenheid(ind.eenheid))


def _n(rij) -> str:
    return opmaak.ONBEKEND if _leeg(rij["n_ongewogen"]) else opmaak.geheel(float(rij["n_ongewogen"]))


def controleer_trend(uitkomst: dict, tabel: pd.DataFrame, config) -> list[str]:
    """One selection: the trend table holds the results table's values, the chart marks only published ones."""
    s = uitkomst["selectie"]
    problemen = []
    rollen = ["wijk", *[r for r in ("rest_gemeente", "gemeente", "provincie", "nederland") if r in s["vergelijk"]]]
    t = tabel[(tabel["gebied"] == s["wijk"]) & (tabel["indicator"] == s["indicator"])]
    verwacht_rijen = {(rol, m) for rol in rollen for m in sorted(tabel["meting"].unique())}
    gezien = {(r["rol"], r["meting"]) for r in uitkomst["rijen"]}
    if gezien != verwacht_rijen:
        problemen.append(f"{s}: trendtabel toont {sorted(gezien)}, verwacht {sorted(verwacht_rijen)}")
    namen = rol_namen(config, s["wijk"])
    for r in uitkomst["rijen"]:
        b = t[(t["rol"] == r["rol"]) & (t["meting"] == r["meting"])]
        if b.empty:
            verwacht = [opmaak.ONBEKEND] * 4
        else:
            b = b.iloc[0]
            verwacht = [_tekst(config, b, "schatting"), _tekst(config, b, "ci_laag"), _tekst(config, b, "ci_hoog"), _n(b)]
        if r["cellen"][0] != met_hoofdletter(namen[r["rol"]]) or r["cellen"][2:6] != verwacht:
            problemen.append(f"{s['wijk']}/{s['indicator']}/{r['rol']}/{r['meting']}: trendtabel {r['cellen'][:6]}, "
                             f"verwacht {verwacht}")
    for g in uitkomst["markeringen"]:
        d = t[t["rol"] == g["rol"]]
        gepubliceerd = sorted(int(m) for m in d.loc[~d["onderdrukt"].astype(bool) & d["schatting"].notna(), "meting"])
        if sorted(g["metingen"]) != gepubliceerd or g["geheim"] != int(d["onderdrukt"].astype(bool).sum()):
            problemen.append(f"{s['wijk']}/{s['indicator']}/{g['rol']}: markeringen bij {g['metingen']} en "
                             f"{g['geheim']}x niet gepubliceerd; verwacht {gepubliceerd} en "
                             f"{int(d['onderdrukt'].astype(bool).sum())}")
    return problemen


def _wijklabel(config, code: str, context: pd.DataFrame) -> str:
    w = context[context["wijkcode"] == code].iloc[0]
    label = f"{code} ({config.gemeente[w['gemeente']].naam})"
    return label + (f", in monitorgebied {config.gebied[w['monitorgebied']].naam}" if w["monitorgebied"] else "")


def verwachte_contextwijken(config, s: dict, context: pd.DataFrame, vergelijkbaar: pd.DataFrame) -> list[str]:
    """The other wijken a selection shows, by the rule (not by the data file): wijken zoals deze in their rank,
    or every wijk of the gebied's gemeente that is not (and does not hold) the gebied."""
    if not s.get("context") or s["indicator"] not in set(context["indicator"]):
        return []
    if s["context"] == "vergelijkbaar":
        return list(vergelijkbaar[vergelijkbaar["gebied"] == s["wijk"]].sort_values("rang")["wijkcode"])
    g = config.gebied[s["wijk"]]
    codes = sorted(set(context.loc[context["gemeente"] == g.gemeente, "wijkcode"]))
    return [c for c in codes if c[2:8] not in {x[2:8] for x in g.codes}]


def controleer_context_trend(uitkomst: dict, context: pd.DataFrame, vergelijkbaar: pd.DataFrame, config) -> list[str]:
    """The context rows of the trend table hold exactly the values of context.csv; lines only at published values."""
    s = uitkomst["selectie"]
    problemen = []
    wijken = verwachte_contextwijken(config, s, context, vergelijkbaar)
    metingen = sorted(int(m) for m in context["meting"].unique())
    verwacht_rijen = [(c, m) for c in wijken for m in metingen]
    gezien = [(r["code"], r["meting"]) for r in uitkomst["context"]]
    if gezien != verwacht_rijen:
        problemen.append(f"{s}: contextrijen {gezien[:6]}…, verwacht {verwacht_rijen[:6]}…")
    t = context[context["indicator"] == s["indicator"]]
    for r in uitkomst["context"]:
        b = t[(t["wijkcode"] == r["code"]) & (t["meting"] == r["meting"])]
        if b.empty:
            verwacht = [opmaak.ONBEKEND] * 4
            reden = opmaak.ONBEKEND
        else:
            b = b.iloc[0]
            verwacht = [_tekst(config, b, "schatting"), _tekst(config, b, "ci_laag"), _tekst(config, b, "ci_hoog"), _n(b)]
            reden = "" if _leeg(b["reden"]) else reden_tekst(b["reden"])
        if r["cellen"][0] != _wijklabel(config, r["code"], context) or r["cellen"][2:6] != verwacht \
                or r["cellen"][7] != reden:
            problemen.append(f"context {s['wijk']}/{s['indicator']}/{r['code']}/{r['meting']}: trendtabel "
                             f"{r['cellen']}, verwacht {verwacht} en reden {reden!r}")
    for g in uitkomst["contextlijnen"]:
        d = t[t["wijkcode"] == g["code"]]
        gepubliceerd = sorted(int(m) for m in d.loc[~d["onderdrukt"].astype(bool) & d["schatting"].notna(), "meting"])
        if sorted(g["metingen"]) != gepubliceerd:
            problemen.append(f"context {s['wijk']}/{s['indicator']}/{g['code']}: lijn bij {g['metingen']}, verwacht {gepubliceerd}")
    if sorted(g["code"] for g in uitkomst["contextlijnen"]) != sorted(wijken):
        problemen.append(f"{s}: contextlijnen voor {[g['code'] for g in uitkomst['contextlijnen']]}, verwacht {wijken}")
    return problemen


TEKEN_KOLOM = {"rest": "oordeel_rest", "vorige": "oordeel_vorige", "nulmeting": "oordeel_nulmeting"}


def controleer_overzicht(uit: dict, tabel: pd.DataFrame, config) -> list[str]:
    """The pijler x meting view: every indicator of the pijler (config order), every gebied, the values and
    verdict signs of resultaten.csv (rol wijk); a suppressed cell is x with the book's reason."""
    o = uit["selectie"]
    problemen = []
    inds = [i for i in config.indicatoren if i.pijler == o["pijler"]]
    if [r["indicator"] for r in uit["rijen"]] != [i.id for i in inds]:
        problemen.append(f"overzicht {o}: indicatoren {[r['indicator'] for r in uit['rijen']]}, verwacht {[i.id for i in inds]}")
    t = tabel[(tabel["rol"] == "wijk") & (tabel["meting"] == int(o["meting"]))]
    for r in uit["rijen"]:
        ind = config.indicator[r["indicator"]]
        for g in config.gebieden:
            b = t[(t["gebied"] == g.id) & (t["indicator"] == ind.id)]
            if b.empty:
                verwacht = "niet gemeten" if ind.set != "kernset" and g.id not in ind.gebieden else opmaak.ONBEKEND
            elif bool(b.iloc[0]["onderdrukt"]):
                verwacht = f"{opmaak.GEHEIM} ({reden_tekst(b.iloc[0]['reden'])})"
            else:
                b = b.iloc[0]
                teken = oordeel_label(b[TEKEN_KOLOM[o["teken"]]]).split(" ")[0]
                verwacht = _tekst(config, b, "schatting") + (f" {teken}" if teken else "")
            if r["cellen"].get(g.id) != verwacht:
                problemen.append(f"overzicht {o['pijler']}/{o['meting']}/{ind.id}/{g.id}: {r['cellen'].get(g.id)!r}, "
                                 f"verwacht {verwacht!r}")
    return problemen


def controleer_overzicht_adres(adres: dict, overzichten: list[dict]) -> list[str]:
    a, b = overzichten[0], overzichten[-1]
    sleutel = lambda o: (o["pijler"], str(o["meting"]), o["teken"])  # noqa: E731
    problemen = []
    if sleutel(adres["na"]) != sleutel(b):
        problemen.append(f"overzicht: keuze met de knoppen gaf {sleutel(adres['na'])}, verwacht {sleutel(b)}")
    if adres["hersteld"]["rijen"] != adres["na"]["rijen"] or sleutel(adres["hersteld"]) != sleutel(b):
        problemen.append("overzicht: het gedeelde adres herstelt de weergave niet")
    if sleutel(adres["terug"]) != (b["pijler"], str(b["meting"]), a["teken"]):
        problemen.append(f"overzicht: terugknop gaf {sleutel(adres['terug'])}")
    return problemen


def _dutch(tekst: str) -> float:
    return float(tekst.replace(".", "").replace(",", ".").replace(opmaak.MIN, "-"))


def controleer_tabel(uit: dict, tabel: pd.DataFrame, config, filter: dict, context: pd.DataFrame = None) -> list[str]:
    """The whole table after filtering and sorting (waarde, descending), and its download; with rijen=alle also
    the other wijken of the gebied's gemeente (context.csv)."""
    problemen = []
    t = tabel[(tabel["gebied"] == filter["gebied"]) & (tabel["meting"] == int(filter["meting"]))]
    verwacht = []
    if filter.get("rijen") == "alle":
        gm = config.gebied[filter["gebied"]].gemeente
        for _, b in context[(context["gemeente"] == gm) & (context["meting"] == int(filter["meting"]))].iterrows():
            ind = config.indicator[b["indicator"]]
            verwacht.append([f"{b['wijkcode']} ({config.gemeente[gm].naam})", "Wijk (context)", ind.naam, ind.eenheid,
                             str(int(b["meting"])), _tekst(config, b, "schatting"), _tekst(config, b, "ci_laag"),
                             _tekst(config, b, "ci_hoog"), _n(b), oordeel_label(b["oordeel_rest"]),
                             "" if _leeg(b["reden"]) else reden_tekst(b["reden"])])
    for _, b in t.iterrows():
        ind = config.indicator[b["indicator"]]
        verwacht.append([config.gebied[b["gebied"]].naam, met_hoofdletter(rol_namen(config, b["gebied"])[b["rol"]]),
                         ind.naam, ind.eenheid, str(int(b["meting"])), _tekst(config, b, "schatting"),
                         _tekst(config, b, "ci_laag"), _tekst(config, b, "ci_hoog"), _n(b),
                         oordeel_label(b["oordeel_rest"]), "" if _leeg(b["reden"]) else reden_tekst(b["reden"])])
    rijen = uit["rijen"]
    if sorted(map(tuple, rijen)) != sorted(map(tuple, verwacht)):
        anders = sorted(set(map(tuple, rijen)) ^ set(map(tuple, verwacht)))
        problemen.append(f"hele tabel ({len(rijen)} rijen) wijkt af van de resultatentabel ({len(verwacht)}): {anders[:4]}")
    waarden = [r[5] for r in rijen]
    getallen = [_dutch(w) for w in waarden if w not in (opmaak.GEHEIM, opmaak.ONBEKEND)]
    if getallen != sorted(getallen, reverse=True) or any(
            w in (opmaak.GEHEIM, opmaak.ONBEKEND) for w in waarden[:len(getallen)]):
        problemen.append("hele tabel niet aflopend op waarde gesorteerd (lege en geheime waarden achteraan)")
    if uit["csv_hex_begin"] != "efbbbf":
        problemen.append("download begint niet met de UTF-8-BOM")
    gelezen = list(csv.reader(io.StringIO(uit["csv"].lstrip("\ufeff")), delimiter=";"))
    getoond = [uit["kop"], *rijen]
    getoond = [[c.replace(opmaak.MIN, "-") for c in r] for r in getoond]
    if gelezen != getoond:
        problemen.append(f"download ({len(gelezen)} regels) is niet de getoonde tabel ({len(getoond)} regels)")
    return problemen


def controleer_adres(adres: dict, selecties: list[dict]) -> list[str]:
    a, b = selecties[0], selecties[-1]
    problemen = []
    if (adres["na"]["indicator"], adres["na"]["wijk"]) != (b["indicator"], b["wijk"]):
        problemen.append(f"keuze met de knoppen gaf {adres['na']['indicator']}/{adres['na']['wijk']}")
    if adres["hersteld"]["rijen"] != adres["na"]["rijen"] or adres["hersteld"]["context"] != adres["na"]["context"] \
            or adres["hersteld"]["indicator"] != b["indicator"]:
        problemen.append("het gedeelde adres herstelt de weergave niet")
    if adres["terug"]["indicator"] != a["indicator"] or adres["terug"]["wijk"] != b["wijk"]:
        problemen.append(f"terugknop gaf {adres['terug']['indicator']}/{adres['terug']['wijk']}, "
                         f"verwacht {a['indicator']}/{b['wijk']}")
    return problemen


# ---------------------------------------------------------------- the sample and the browser run


def steekproef(tabel: pd.DataFrame, aantal: int = 6, zaad: int = 20) -> list[dict]:
    """Selections: every (wijk, indicator) with a suppressed row first (up to half), the rest at random."""
    geheim = tabel[tabel["onderdrukt"].astype(bool)][["gebied", "indicator"]].drop_duplicates()
    alle = tabel[tabel["rol"] == "wijk"][["gebied", "indicator"]].drop_duplicates()
    paren = list(geheim.itertuples(index=False, name=None))[: aantal // 2]
    rest = [p for p in alle.itertuples(index=False, name=None) if p not in paren]
    paren += random.Random(zaad).sample(rest, aantal - len(paren))
    # the URL check chooses the last selection after the first: another wijk and another indicator
    paren[-1] = next(p for p in rest if p[0] != paren[0][0] and p[1] != paren[0][1]) \
        if paren[-1][0] == paren[0][0] or paren[-1][1] == paren[0][1] else paren[-1]
    vergelijk = [["rest_gemeente", "gemeente"], ["rest_gemeente", "gemeente", "provincie", "nederland"], ["nederland"]]
    contexten = ["gemeente", "vergelijkbaar", ""]
    return [{"wijk": g, "indicator": i, "vergelijk": vergelijk[k % 3], "context": contexten[k % 3]}
            for k, (g, i) in enumerate(paren)]


def context_steekproef(config, context: pd.DataFrame, zaad: int = 20) -> list[dict]:
    """Selections whose other wijken hold a suppressed context row: one per kind of suppression reason."""
    uit = []
    geheim = context[context["onderdrukt"].astype(bool)].sample(frac=1, random_state=zaad)
    for _, rij in geheim.drop_duplicates("reden").iterrows():
        g = next((g for g in config.gebieden if g.gemeente == rij["gemeente"]
                  and rij["wijkcode"][2:8] not in {c[2:8] for c in g.codes}), None)
        if g is not None:
            uit.append({"wijk": g.id, "indicator": rij["indicator"], "vergelijk": ["rest_gemeente"], "context": "gemeente"})
    return uit


def overzicht_steekproef(config, tabel: pd.DataFrame, zaad: int = 20) -> list[dict]:
    """pijler x meting views: the one of a suppressed wijk row first, then others at random, every kind of sign."""
    geheim = tabel[tabel["onderdrukt"].astype(bool) & (tabel["rol"] == "wijk")].iloc[0]
    paren = [(config.indicator[geheim["indicator"]].pijler, int(geheim["meting"]))]
    alle = [(p.id, int(m)) for p in config.pijlers for m in sorted(tabel["meting"].unique()) if (p.id, int(m)) != paren[0]]
    paren += random.Random(zaad).sample(alle, 2)
    return [{"pijler": p, "meting": m, "teken": t} for (p, m), t in zip(paren, ["rest", "nulmeting", "vorige"])]


class _Stil(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def draai_browser(html_map: Path, selecties: list[dict], filter: dict, overzichten: list[dict]) -> dict:
    node = shutil.which("node")
    if not CHROMIUM.is_file() or node is None or not (ROOT / "node_modules" / "playwright-core").is_dir():
        pytest.skip("chromium, node of node_modules ontbreekt")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Stil, directory=str(html_map)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        uit = subprocess.run([node, str(SCRIPT), "--basis", f"http://127.0.0.1:{server.server_port}/",
                              "--selecties", json.dumps(selecties), "--filter", json.dumps(filter),
                              "--overzichten", json.dumps(overzichten), "--bestand", str(Path(html_map).resolve())],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
    finally:
        server.shutdown()
        server.server_close()
    assert uit.returncode == 0, uit.stderr[-3000:]
    return json.loads(uit.stdout)


def controleer_bestanden(html_map: Path) -> tuple[dict, list[str]]:
    """The JSON data file and the script the page loads (cijfers.js) hold the same bytes."""
    ruw = (html_map / "_static" / verkenner.DATA).read_bytes()
    js = (html_map / "_static" / verkenner.DATA_JS).read_bytes()
    problemen = [] if js == verkenner.JS_BEGIN + ruw + verkenner.JS_EIND else \
        [f"{verkenner.DATA_JS} bevat niet dezelfde gegevens als {verkenner.DATA}"]
    data = json.loads(js[len(verkenner.JS_BEGIN):-len(verkenner.JS_EIND)]) if js.startswith(verkenner.JS_BEGIN) \
        and js.endswith(verkenner.JS_EIND) else json.loads(ruw)
    return data, problemen


def lees_contextcsv(resultaten_map: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """context.csv and vergelijkbaar.csv as published (the checks compare the explorer with these)."""
    context = pd.read_csv(resultaten_map / "context.csv", keep_default_na=False, na_values=[""])
    context["monitorgebied"] = context["monitorgebied"].fillna("")
    return context, pd.read_csv(resultaten_map / "vergelijkbaar.csv")


def alle_problemen(html_map: Path, tabel: pd.DataFrame, config, resultaten_map: Path) -> list[str]:
    context, vergelijkbaar = lees_contextcsv(resultaten_map)
    data, problemen = controleer_bestanden(html_map)
    selecties = steekproef(tabel)
    selecties = selecties[:-1] + context_steekproef(config, context) + selecties[-1:]  # the URL check: first, last
    filter = {"gebied": selecties[0]["wijk"], "meting": str(int(tabel["meting"].max())), "rijen": "alle"}
    overzichten = overzicht_steekproef(config, tabel)
    uit = draai_browser(html_map, selecties, filter, overzichten)
    problemen += [f"browserfout: {f}" for f in uit["fouten"]] + controleer_data(data, tabel)
    problemen += controleer_context_data(data, context, vergelijkbaar)
    for s in uit["selecties"]:
        problemen += controleer_trend(s, tabel, config) + controleer_context_trend(s, context, vergelijkbaar, config)
    problemen += controleer_adres(uit["adres"], selecties)
    for o in uit["overzichten"]:
        problemen += controleer_overzicht(o, tabel, config)
    problemen += controleer_overzicht_adres(uit["overzicht_adres"], overzichten)
    problemen += controleer_tabel(uit["tabel"], tabel, config, filter, context)
    for modus in ("light", "dark"):
        for v in uit["toegankelijk"][modus]:
            problemen.append(f"axe ({modus}, nieuwe weergaven): {v['impact']} {v['id']} {v['aantal']}x, bv. {v['voorbeeld']}")
    tel = uit["toegankelijk"]["telefoon"]
    if tel["scrollbreedte"] > tel["breedte"] + 1:
        problemen.append(f"op 390 px schuift de pagina zijwaarts: {tel['scrollbreedte']}px in {tel['breedte']}px")
    b = uit.get("bestand") or {}
    if b.get("klaar") != "ja" or not b.get("contextrijen") or not b.get("tabelrijen"):
        problemen.append(f"de pagina werkt niet als bestand (file://): {b}")
    return problemen


# ---------------------------------------------------------------- tests


def test_databestand_zonder_geheime_getallen(config, demo_gegevens, demo_resultaten, tmp_path):
    """Fast: the data file of the demo results equals the results table; suppressed rows carry no number;
    and the check fails on a file with a number in a suppressed row."""
    r = Rapport(config=config, tabel=demo_resultaten.tabel, effecten=demo_resultaten.effecten,
                proces=demo_gegevens.proces, narratief=demo_gegevens.narratief, duiding=demo_gegevens.duiding,
                meta={"databron": demo_gegevens.databron, "metingen": list(demo_gegevens.metingen)}, map=tmp_path)
    data = json.loads(verkenner.data_bytes(r))
    assert demo_resultaten.tabel["onderdrukt"].astype(bool).any()
    assert controleer_data(data, demo_resultaten.tabel) == []
    assert set(data["stijl"]["oordeel"]) and data["stijl"]["rol"]["wijk"]["kleur"].startswith("#")
    kol = data["kolommen"]
    geheim = next(r for r in data["rijen"] if r[kol.index("onderdrukt")])
    geheim[kol.index("schatting")] = 0.5
    assert any("onderdrukte rij" in p for p in controleer_data(data, demo_resultaten.tabel))


def test_context_in_databestand(config, demo_gegevens, demo_resultaten, tmp_path):
    """Fast: the other wijken in the data file equal the context table, suppressed ones without a number;
    the page states the rule of wijken zoals deze with the configured indicator and number; a number in a
    suppressed context row and a changed value are caught."""
    from vwanalyse.resultaten import context as ctx
    from vwanalyse.resultaten.opslag import schrijf_context
    context = ctx.bereken_context(config, demo_gegevens)
    vergelijkbaar = ctx.vergelijkbare_wijken(config, demo_resultaten.tabel, context)
    schrijf_context(tmp_path, context, vergelijkbaar)
    r = Rapport(config=config, tabel=demo_resultaten.tabel, effecten=demo_resultaten.effecten,
                proces=demo_gegevens.proces, narratief=demo_gegevens.narratief, duiding=demo_gegevens.duiding,
                meta={"databron": demo_gegevens.databron, "metingen": list(demo_gegevens.metingen)}, map=tmp_path)
    data = json.loads(verkenner.data_bytes(r))
    assert context["onderdrukt"].any() and len(data["context"]["wijken"]) == context["wijkcode"].nunique()
    assert controleer_context_data(data, context, vergelijkbaar) == []
    regel = config.instellingen.context
    tekst = verkenner.verkennerpagina(config, r)
    assert f"de {opmaak.geheel(regel.vergelijkbaar_aantal)} wijken" in tekst
    assert f"*{config.indicator[regel.vergelijkbaar_op].naam}*" in tekst
    kol = data["context"]["kolommen"]
    geheim = next(rij for rij in data["context"]["rijen"] if rij[kol.index("onderdrukt")])
    geheim[kol.index("schatting")] = 0.5
    open_ = next(rij for rij in data["context"]["rijen"] if rij[kol.index("schatting")] is not None)
    open_[kol.index("schatting")] += 0.01
    problemen = controleer_context_data(data, context, vergelijkbaar)
    assert any(p.startswith("onderdrukte context") for p in problemen), problemen
    assert any("schatting" in p and "context.parquet" in p for p in problemen), problemen


@pytest.mark.traag
def test_verkenner_in_de_browser(gebouwd_boek, project, config):
    tabel = pd.read_parquet(project.resultaten_map / "resultaten.parquet")
    problemen = alle_problemen(gebouwd_boek, tabel, config, project.resultaten_map)
    assert not problemen, "\n".join(problemen[:30])


@pytest.mark.traag
def test_kapot_databestand_valt_op(gebouwd_boek, project, config, tmp_path):
    """A site whose data file has a number in a suppressed row (results and context) and changed values
    (trend, context, pijler x meting) fails the checks, each where it was broken."""
    tabel = pd.read_parquet(project.resultaten_map / "resultaten.parquet")
    context, _ = lees_contextcsv(project.resultaten_map)
    site = tmp_path / "html"
    shutil.copytree(gebouwd_boek, site)
    data, _ = controleer_bestanden(site)
    kol = data["kolommen"]
    selecties = steekproef(tabel)
    overzicht = overzicht_steekproef(config, tabel)[1]
    veranderd = None
    for r in data["rijen"]:
        sleutel = (r[kol.index("gebied")], r[kol.index("indicator")])
        if r[kol.index("onderdrukt")] and sleutel == (selecties[0]["wijk"], selecties[0]["indicator"]):
            r[kol.index("schatting")] = 0.5
            r[kol.index("onderdrukt")] = False  # the script would otherwise still show x
        elif sleutel == (selecties[-1]["wijk"], selecties[-1]["indicator"]) and r[kol.index("rol")] == "wijk" \
                and r[kol.index("schatting")] is not None:
            r[kol.index("schatting")] += 0.05
        elif veranderd is None and r[kol.index("rol")] == "wijk" and r[kol.index("meting")] == overzicht["meting"] \
                and config.indicator[r[kol.index("indicator")]].pijler == overzicht["pijler"] \
                and r[kol.index("schatting")] is not None and sleutel[0] != selecties[-1]["wijk"]:
            r[kol.index("schatting")] += 0.05
            veranderd = sleutel
    ctx_sel = context_steekproef(config, context)[0]
    ck = data["context"]["kolommen"]
    g = config.gebied[ctx_sel["wijk"]]
    geheim = next(r for r in data["context"]["rijen"] if r[ck.index("onderdrukt")]
                  and r[ck.index("indicator")] == ctx_sel["indicator"]
                  and r[ck.index("wijkcode")].startswith("WK" + g.gemeente[2:])
                  and r[ck.index("wijkcode")][2:8] not in {c[2:8] for c in g.codes})
    geheim[ck.index("schatting")] = 0.5
    geheim[ck.index("onderdrukt")] = False
    ruw = json.dumps(data).encode("utf-8")
    (site / "_static" / verkenner.DATA).write_bytes(ruw)
    (site / "_static" / verkenner.DATA_JS).write_bytes(verkenner.data_js(ruw))
    problemen = alle_problemen(site, tabel, config, project.resultaten_map)
    assert any("onderdrukte rij" in p for p in problemen), problemen
    assert any(f"{selecties[0]['wijk']}/{selecties[0]['indicator']}" in p and "trendtabel" in p for p in problemen), problemen
    assert any(f"{selecties[-1]['wijk']}/{selecties[-1]['indicator']}/wijk" in p for p in problemen), problemen
    assert any(p.startswith("onderdrukte context") for p in problemen), problemen
    code = geheim[ck.index("wijkcode")]
    assert any(p.startswith(f"context {ctx_sel['wijk']}/{ctx_sel['indicator']}/{code}") for p in problemen), problemen
    assert any(p.startswith(f"overzicht {overzicht['pijler']}/{overzicht['meting']}/{veranderd[1]}/{veranderd[0]}")
               for p in problemen), problemen


@pytest.mark.traag
def test_alleen_json_zonder_script_valt_op(gebouwd_boek, tmp_path):
    """cijfers.js that differs from cijfers.json is caught (the page reads the script)."""
    site = tmp_path / "html"
    (site / "_static" / "verkenner").mkdir(parents=True)
    ruw = (gebouwd_boek / "_static" / verkenner.DATA).read_bytes()
    (site / "_static" / verkenner.DATA).write_bytes(ruw)
    (site / "_static" / verkenner.DATA_JS).write_bytes(verkenner.data_js(ruw.replace(b'"versie":1', b'"versie":2')))
    assert controleer_bestanden(site)[1]
