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
    problemen = []
    kol = data["kolommen"]
    rijen = [dict(zip(kol, r)) for r in data["rijen"]]
    if len(rijen) != len(tabel):
        problemen.append(f"{len(rijen)} rijen in het databestand, {len(tabel)} in de resultatentabel")
    sleutel = ["gebied", "meting", "indicator", "rol"]
    bron = {tuple(r[k] for k in sleutel): r for r in tabel.to_dict("records")}
    for r in rijen:
        b = bron.get(tuple(r[k] for k in sleutel))
        if b is None:
            problemen.append(f"rij {r['gebied']}/{r['meting']}/{r['indicator']}/{r['rol']} niet in de resultatentabel")
            continue
        if r["onderdrukt"] or b["onderdrukt"]:
            getallen = [k for k in verkenner.GEHEIM if r[k] is not None]
            if getallen or not r["onderdrukt"]:
                problemen.append(f"onderdrukte rij {r['gebied']}/{r['meting']}/{r['indicator']}/{r['rol']} met "
                                 f"getal in {', '.join(getallen) or 'onderdrukt=false'}")
            continue
        for k in ("schatting", "ci_laag", "ci_hoog", "n_ongewogen"):
            verwacht, gevonden = b[k], r[k]
            if _leeg(verwacht) != (gevonden is None) or (
                    not _leeg(verwacht) and abs(float(verwacht) - gevonden) > 1e-7 * max(1.0, abs(float(verwacht)))):
                problemen.append(f"{r['gebied']}/{r['meting']}/{r['indicator']}/{r['rol']} {k}: {gevonden} "
                                 f"in het databestand, {verwacht} in de resultatentabel")
    return problemen


def controleer_context_data(data: dict, context: pd.DataFrame, vergelijkbaar: pd.DataFrame) -> list[str]:
    """The data file's other wijken against context.parquet and vergelijkbaar.parquet: same rows and values,
    no number in a suppressed row, the same wijken zoals deze in their order."""
    problemen = []
    c = data["context"]
    rijen = [dict(zip(c["kolommen"], r)) for r in c["rijen"]]
    if len(rijen) != len(context):
        problemen.append(f"{len(rijen)} contextrijen in het databestand, {len(context)} in context.parquet")
    bron = {(r["wijkcode"], int(r["meting"]), r["indicator"]): r for r in context.to_dict("records")}
    for r in rijen:
        naam = f"context {r['wijkcode']}/{r['meting']}/{r['indicator']}"
        b = bron.get((r["wijkcode"], r["meting"], r["indicator"]))
        if b is None:
            problemen.append(f"{naam} niet in context.parquet")
            continue
        if r["onderdrukt"] or b["onderdrukt"]:
            getallen = [k for k in verkenner.CONTEXT_GEHEIM if r[k] is not None]
            if getallen or not r["onderdrukt"]:
                problemen.append(f"onderdrukte {naam} met getal in {', '.join(getallen) or 'onderdrukt=false'}")
            continue
        for k in ("schatting", "ci_laag", "ci_hoog", "n_ongewogen"):
            verwacht, gevonden = b[k], r[k]
            if _leeg(verwacht) != (gevonden is None) or (
                    not _leeg(verwacht) and abs(float(verwacht) - gevonden) > 1e-7 * max(1.0, abs(float(verwacht)))):
                problemen.append(f"{naam} {k}: {gevonden} in het databestand, {verwacht} in context.parquet")
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


def _dutch(tekst: str) -> float:
    return float(tekst.replace(".", "").replace(",", ".").replace(opmaak.MIN, "-"))


def controleer_tabel(uit: dict, tabel: pd.DataFrame, config, filter: dict) -> list[str]:
    """The whole table after filtering and sorting (waarde, descending), and its download."""
    problemen = []
    t = tabel[(tabel["gebied"] == filter["gebied"]) & (tabel["meting"] == int(filter["meting"]))]
    verwacht = []
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
    if adres["hersteld"]["rijen"] != adres["na"]["rijen"] or adres["hersteld"]["indicator"] != b["indicator"]:
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
    return [{"wijk": g, "indicator": i, "vergelijk": vergelijk[k % 3]} for k, (g, i) in enumerate(paren)]


class _Stil(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def draai_browser(html_map: Path, selecties: list[dict], filter: dict) -> dict:
    node = shutil.which("node")
    if not CHROMIUM.is_file() or node is None or not (ROOT / "node_modules" / "playwright-core").is_dir():
        pytest.skip("chromium, node of node_modules ontbreekt")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Stil, directory=str(html_map)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        uit = subprocess.run([node, str(SCRIPT), "--basis", f"http://127.0.0.1:{server.server_port}/",
                              "--selecties", json.dumps(selecties), "--filter", json.dumps(filter)],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
    finally:
        server.shutdown()
        server.server_close()
    assert uit.returncode == 0, uit.stderr[-3000:]
    return json.loads(uit.stdout)


def alle_problemen(html_map: Path, tabel: pd.DataFrame, config) -> list[str]:
    data = json.loads((html_map / "_static" / verkenner.DATA).read_text(encoding="utf-8"))
    selecties = steekproef(tabel)
    filter = {"gebied": selecties[0]["wijk"], "meting": str(int(tabel["meting"].max()))}
    uit = draai_browser(html_map, selecties, filter)
    problemen = [f"browserfout: {f}" for f in uit["fouten"]] + controleer_data(data, tabel)
    for s in uit["selecties"]:
        problemen += controleer_trend(s, tabel, config)
    problemen += controleer_adres(uit["adres"], selecties)
    problemen += controleer_tabel(uit["tabel"], tabel, config, filter)
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
    problemen = alle_problemen(gebouwd_boek, tabel, config)
    assert not problemen, "\n".join(problemen[:30])


@pytest.mark.traag
def test_kapot_databestand_valt_op(gebouwd_boek, project, config, tmp_path):
    """A site whose data file has a number in a suppressed row and one value changed fails the checks."""
    tabel = pd.read_parquet(project.resultaten_map / "resultaten.parquet")
    site = tmp_path / "html"
    shutil.copytree(gebouwd_boek, site)
    pad = site / "_static" / verkenner.DATA
    data = json.loads(pad.read_text(encoding="utf-8"))
    kol = data["kolommen"]
    selecties = steekproef(tabel)
    for r in data["rijen"]:
        sleutel = (r[kol.index("gebied")], r[kol.index("indicator")])
        if r[kol.index("onderdrukt")] and sleutel == (selecties[0]["wijk"], selecties[0]["indicator"]):
            r[kol.index("schatting")] = 0.5
            r[kol.index("onderdrukt")] = False  # the script would otherwise still show x
        elif sleutel == (selecties[-1]["wijk"], selecties[-1]["indicator"]) and r[kol.index("rol")] == "wijk" \
                and r[kol.index("schatting")] is not None:
            r[kol.index("schatting")] += 0.05
    pad.write_text(json.dumps(data), encoding="utf-8")
    problemen = alle_problemen(site, tabel, config)
    assert any("onderdrukte rij" in p for p in problemen), problemen
    assert any(f"{selecties[0]['wijk']}/{selecties[0]['indicator']}" in p and "trendtabel" in p for p in problemen), problemen
    assert any(f"{selecties[-1]['wijk']}/{selecties[-1]['indicator']}/wijk" in p for p in problemen), problemen
