"""The schoolloopbaan module: its configuration, its input file (one test per rule), the Wilson
interval, the disclosure control (attacked: a suppressed cell must not be recoverable from the
published cells and totals) and the page."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy.optimize import linprog

from vwanalyse.invoer.bronnen import DataFout, laad_gegevens
from vwanalyse.model.configuratie import laad_configuratie
from vwanalyse.model.schema import ConfigFout
from vwanalyse.statistiek import schoolloopbaan as sl
from vwanalyse.statistiek.schatting import wilson_interval

BESTAND = "lokaal/schoolloopbaan.csv"


@pytest.fixture(scope="module")
def module(config):
    if config.lokaal.schoolloopbaan is None:
        pytest.skip("de configuratie heeft geen module schoolloopbaan")
    return config.lokaal.schoolloopbaan


# ---------------------------------------------------------------- the Wilson interval


def test_wilson_zoals_r():
    """R: prop.test(5, 10, correct = FALSE)$conf.int and prop.test(0, 20, correct = FALSE)$conf.int."""
    laag, hoog = wilson_interval([5, 0, 3], [10, 20, 0])
    assert laag[:2] == pytest.approx([0.2365931, 0.0], abs=1e-6)
    assert hoog[:2] == pytest.approx([0.7634069, 0.1611251], abs=1e-6)
    assert np.isnan(laag[2]) and np.isnan(hoog[2])


# ---------------------------------------------------------------- disclosure control, attacked


def aanval(tabellen: list[tuple[np.ndarray, np.ndarray]], gedeeld=()) -> list[tuple[int, int, int, float, float]]:
    """Try to recover every suppressed cell of these tables with totals (waarden, geheim) by linear
    programming: the unknowns are the suppressed cells (>= 0), the constraints every row and column of
    each grid (inner cells sum to the total). `gedeeld`: ((t1, cel1), (t2, cel2)) pairs of cells that are
    the same number (shared totals). Returns (table, row, column, min, max) per suppressed cell."""
    index = {}
    for t, (w, g) in enumerate(tabellen):
        for cel in zip(*np.nonzero(g)):
            index[(t, *map(int, cel))] = len(index)
    for (t1, c1), (t2, c2) in gedeeld:  # one variable for a shared total
        if (t1, *c1) in index and (t2, *c2) in index:
            index[(t2, *c2)] = index[(t1, *c1)]
    n = max(index.values(), default=-1) + 1
    A, b = [], []
    for t, (w, g) in enumerate(tabellen):
        r, c = w.shape
        lijnen = [[(i, j) for j in range(c - 1)] + [(i, c - 1)] for i in range(r)]
        lijnen += [[(i, j) for i in range(r - 1)] + [(r - 1, j)] for j in range(c)]
        for lijn in lijnen:
            rij, rechts = np.zeros(n), 0.0
            for k, (i, j) in enumerate(lijn):
                teken = -1.0 if k == len(lijn) - 1 else 1.0  # inner cells minus the total
                if g[i, j]:
                    rij[index[(t, i, j)]] += teken
                else:
                    rechts -= teken * w[i, j]
            if rij.any():
                A.append(rij)
                b.append(rechts)
    uit = []
    for (t, i, j), k in index.items():
        doel = np.zeros(n)
        doel[k] = 1
        grenzen = []
        for teken in (1, -1):
            res = linprog(teken * doel, A_eq=np.array(A), b_eq=np.array(b), bounds=[(0, None)] * n, method="highs")
            assert res.status == 0, res.message
            grenzen.append(teken * res.fun)
        uit.append((t, i, j, grenzen[0], grenzen[1]))
    return uit


def _teruggerekend(uitkomst) -> list:
    return [(t, i, j, lo) for t, i, j, lo, hi in uitkomst if hi - lo < 0.5]


def test_aanval_vindt_een_cel_zonder_aanvullende_onderdrukking():
    """The attack works: with only the small cell suppressed, its row total gives it back."""
    w = sl.met_totalen(np.array([[30, 3, 12], [10, 40, 6]]))
    alleen_primair = (w >= 1) & (w < 5)
    assert _teruggerekend(aanval([(w, alleen_primair)])) == [(0, 0, 1, 3.0)]
    assert sl.bruggen(alleen_primair) == [(0, 1)]


def test_onderdrukking_weerstaat_de_aanval_op_willekeurige_tabellen():
    rng = np.random.default_rng(19)
    gezien = 0
    for _ in range(60):
        r, c = rng.integers(2, 6), rng.integers(2, 5)
        telling = rng.poisson(rng.choice([2, 6, 20]), size=(r, c)) * (rng.random((r, c)) < 0.8)
        w = sl.met_totalen(telling)
        g = sl.onderdruk(w, 5)
        assert (g[(w >= 1) & (w < 5)]).all()  # every small cell, inner or total
        assert not g[w == 0].any()  # an empty cell is published
        assert _teruggerekend(aanval([(w, g)])) == [], (w, g)
        gezien += int(g.any())
    assert gezien > 30  # most tables needed suppression, so the attack had something to try


def test_demo_soesterkwartier_samen_aangevallen(demo_gegevens, config, module):
    """Both published tables of the wijk together (the totals per leerjaar-3 level are shared)."""
    een, twee = sl.tabellen(demo_gegevens.schoolloopbaan, module, "soesterkwartier", "wijk",
                            config.instellingen.onthulling.min_cel)
    assert een.geheim.any() and twee.geheim.any()  # the demo has small cells, so the test can fail
    k = len(module.niveaus)
    gedeeld = [((0, (k, j)), (1, (j, len(module.uitkomsten)))) for j in range(k)]
    gedeeld.append(((0, (k, k)), (1, (k, len(module.uitkomsten)))))
    assert (een.geheim[-1, :] == twee.geheim[:, -1]).all()
    assert _teruggerekend(aanval([(een.waarden, een.geheim), (twee.waarden, twee.geheim)], gedeeld)) == []


def test_aandelen_geven_niets_van_een_onderdrukte_cel(demo_gegevens, config, module):
    een, _ = sl.tabellen(demo_gegevens.schoolloopbaan, module, "soesterkwartier", "wijk", 5)
    a = een.aandelen()
    geheim = a[a["onderdrukt"]]
    assert len(geheim) > 0
    assert geheim[["aantal", "aandeel", "ci_laag", "ci_hoog"]].isna().all().all()
    zichtbaar = a[~a["onderdrukt"]]
    assert zichtbaar["aantal"].notna().all()


# ---------------------------------------------------------------- the configuration


@pytest.fixture
def config_kopie(tmp_path, project):
    doel = tmp_path / "config"
    shutil.copytree(project.config_map, doel)
    return doel


def _wijzig_lokaal(map_, functie) -> str:
    pad = map_ / "lokaal.yml"
    data = yaml.safe_load(pad.read_text(encoding="utf-8"))
    functie(data["schoolloopbaan"])
    pad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigFout) as info:
        laad_configuratie(map_)
    return str(info.value)


def test_config_gebieden_in_een_gemeente_geweigerd(config_kopie, module):
    fout = _wijzig_lokaal(config_kopie, lambda d: d.update(gebieden=[module.gebieden[0], module.gebieden[0]]))
    assert fout.endswith(f"lokaal.yml: schoolloopbaan.gebieden[1]: {module.gebieden[0]} ligt in dezelfde gemeente als "
                         f"{module.gebieden[0]}; verwacht gebieden in verschillende gemeenten (anders overlappen hun "
                         "tabellen van de rest van de gemeente en is een onderdrukte cel terug te rekenen)")


def test_config_onbekend_gebied(config_kopie, config):
    fout = _wijzig_lokaal(config_kopie, lambda d: d.update(gebieden=["atlantis"]))
    assert fout.endswith(f"schoolloopbaan.gebieden[0]: onbekend gebied 'atlantis'; bekend: {', '.join(config.gebied)}")


def test_config_dubbel_cohort(config_kopie):
    fout = _wijzig_lokaal(config_kopie, lambda d: d.update(cohorten=[2015, 2015]))
    assert fout.endswith("schoolloopbaan.cohorten: verwacht een of meer verschillende jaren, gevonden [2015, 2015]")


def test_config_een_niveau(config_kopie):
    fout = _wijzig_lokaal(config_kopie, lambda d: d.update(niveaus=d["niveaus"][:1]))
    assert fout.endswith("schoolloopbaan.niveaus: verwacht minstens twee categorieën, gevonden 1")


# ---------------------------------------------------------------- the input file


def _rijen(module, gebied: str) -> pd.DataFrame:
    n0, n1 = module.niveaus[0].id, module.niveaus[1].id
    u0 = module.uitkomsten[0].id
    return pd.DataFrame([
        {"gebied": gebied, "cohort": module.cohorten[0], "woonplek": "wijk", "schooladvies": n0,
         "niveau_leerjaar3": n0, "uitkomst": u0, "aantal": 12},
        {"gebied": gebied, "cohort": module.cohorten[0], "woonplek": "rest_gemeente", "schooladvies": n0,
         "niveau_leerjaar3": n1, "uitkomst": u0, "aantal": 40},
    ])


@pytest.fixture
def map_met_school(tmp_path, project, module):
    def maak(wijzig=None):
        map_ = Path(shutil.copytree(project.demo_map, tmp_path / "data", dirs_exist_ok=True))
        (map_ / "MANIFEST.sha256").unlink()
        df = _rijen(module, module.gebieden[0])
        if wijzig:
            wijzig(df)
        df.to_csv(map_ / BESTAND, index=False)
        return map_
    return maak


def test_schoolbestand_laden(map_met_school, config):
    g = laad_gegevens(map_met_school(), config)
    assert len(g.schoolloopbaan) == 2 and g.schoolloopbaan["aantal"].sum() == 52


def _zet(rij, kolom, waarde):
    def wijzig(df):
        df[kolom] = df[kolom].astype(object)
        df.loc[rij, kolom] = waarde
    return wijzig


def _dubbel(df):
    """The second row gets the key of the first."""
    df.loc[1, ["woonplek", "niveau_leerjaar3"]] = df.loc[0, ["woonplek", "niveau_leerjaar3"]].to_numpy()


def _zonder_module(c, m):
    return next(g.id for g in c.gebieden if g.id not in m.gebieden)


FOUTEN = {
    "gebied_zonder_module": (lambda c, m: _zet(0, "gebied", _zonder_module(c, m)), [2], "gebied",
                             lambda c, m: "een gebied met de module schoolloopbaan in lokaal.yml ("
                             + ", ".join(m.gebieden) + ")"),
    "cohort_onbekend": (lambda c, m: _zet(1, "cohort", 1999), [3], "cohort",
                        lambda c, m: "een cohort van de schoolloopbaan in lokaal.yml ("
                        + ", ".join(map(str, m.cohorten)) + ")"),
    "cohort_geen_jaar": (lambda c, m: _zet(0, "cohort", "vorig jaar"), [2], "cohort", lambda c, m: "een geheel getal"),
    "woonplek_onbekend": (lambda c, m: _zet(0, "woonplek", "buurt"), [2], "woonplek",
                          lambda c, m: "een van wijk, rest_gemeente"),
    "schooladvies_onbekend": (lambda c, m: _zet(0, "schooladvies", "gymnasium"), [2], "schooladvies",
                              lambda c, m: "een van " + ", ".join(n.id for n in m.niveaus)),
    "niveau_onbekend": (lambda c, m: _zet(1, "niveau_leerjaar3", "mbo"), [3], "niveau_leerjaar3",
                        lambda c, m: "een van " + ", ".join(n.id for n in m.niveaus)),
    "uitkomst_onbekend": (lambda c, m: _zet(1, "uitkomst", "diploma"), [3], "uitkomst",
                          lambda c, m: "een van " + ", ".join(u.id for u in m.uitkomsten)),
    "aantal_negatief": (lambda c, m: _zet(0, "aantal", -3), [2], "aantal",
                        lambda c, m: "een geheel aantal leerlingen van 0 of meer"),
    "aantal_gebroken": (lambda c, m: _zet(0, "aantal", 2.5), [2], "aantal",
                        lambda c, m: "een geheel aantal leerlingen van 0 of meer"),
    "aantal_leeg": (lambda c, m: _zet(1, "aantal", None), [3], "aantal",
                    lambda c, m: "een geheel aantal leerlingen van 0 of meer"),
    "aantal_absurd": (lambda c, m: _zet(1, "aantal", 250000), [3], "aantal",
                      lambda c, m: "hoogstens 100.000 leerlingen in één cel (een cohort van een gemeente)"),
    "rij_dubbel": (lambda c, m: _dubbel, [2, 3], "gebied",
        lambda c, m: "één rij per gebied, cohort, woonplek, schooladvies, niveau_leerjaar3 en uitkomst"),
}


@pytest.mark.parametrize("wijziging, regels, kolom, verwacht", list(FOUTEN.values()), ids=list(FOUTEN))
def test_fout_in_de_schoolloopbaan(map_met_school, config, module, wijziging, regels, kolom, verwacht):
    with pytest.raises(DataFout) as fout:
        laad_gegevens(map_met_school(wijziging(config, module)), config)
    problemen = fout.value.problemen
    assert len(problemen) == 1, [str(p) for p in problemen]
    p = problemen[0]
    assert (p.bestand, p.regels, p.kolom, p.verwacht) == (BESTAND, regels, kolom, verwacht(config, module))


def test_foutmelding_volledig(map_met_school, config, module):
    with pytest.raises(DataFout) as fout:
        laad_gegevens(map_met_school(_zet(0, "woonplek", "buurt")), config)
    assert str(fout.value.problemen[0]) == ("lokaal/schoolloopbaan.csv, regel 2: kolom 'woonplek': verwacht een van "
                                            "wijk, rest_gemeente, gevonden 'buurt'")


# ---------------------------------------------------------------- the demo data and the page


def test_demo_vindt_de_ingebouwde_achterstand_terug(demo_gegevens, config, module):
    """WAARHEID.md: a lower advice and fewer startkwalificaties in the wijk; only configured gebieden."""
    df = demo_gegevens.schoolloopbaan
    assert set(df["gebied"]) == set(module.gebieden)
    for gebied in module.gebieden:
        (w1, w2), (r1, r2) = (sl.tellingen(df, module, gebied, w) for w in ("wijk", "rest_gemeente"))
        assert w2[:, 0].sum() / w2.sum() < r2[:, 0].sum() / r2.sum(), gebied  # startkwalificatie
        assert w1[-1].sum() / w1.sum() < r1[-1].sum() / r1.sum(), gebied  # vwo advice


def test_figuur_tekent_alleen_gepubliceerde_cellen(demo_rapport, config, module, tmp_path, monkeypatch):
    """Every drawn part of a bar is a published cell's share; the hatched part is the sum of the row's
    suppressed cells; a row with a suppressed total has no bar."""
    from vwanalyse import figuren
    from vwanalyse.weergave.schoolloopbaan import ARCERING, alle_tabellen

    monkeypatch.chdir(tmp_path)
    fig = figuren.schoolloopbaan(demo_rapport, "soesterkwartier")
    per = alle_tabellen(demo_rapport, "soesterkwartier")
    for p, ax in enumerate(fig.axes[:2]):
        staven = [(round(b.get_y() + b.get_height() / 2, 3), b.get_width(), b.get_hatch() == ARCERING)
                  for b in ax.patches]
        ys = sorted({y for y, _, _ in staven}, reverse=True)
        verwacht = []
        for i in range(len(module.niveaus)):
            for w in ("wijk", "rest_gemeente"):
                t = per[w][p]
                if t.geheim[i, -1] or t.waarden[i, -1] == 0:
                    verwacht.append(None)
                    continue
                open_ = [t.waarden[i, j] / t.waarden[i, -1] for j in range(t.waarden.shape[1] - 1) if not t.geheim[i, j]]
                verborgen = sum(t.waarden[i, j] for j in range(t.waarden.shape[1] - 1) if t.geheim[i, j])
                verwacht.append((sorted(open_), verborgen / t.waarden[i, -1]))
        getekend = [v for v in verwacht if v is not None]
        assert len(ys) == len(getekend)
        for y, (open_, verborgen) in zip(ys, getekend):
            assert sorted(b for yy, b, h in staven if yy == y and not h) == pytest.approx(open_)
            gearceerd = [b for yy, b, h in staven if yy == y and h]
            assert gearceerd == (pytest.approx([verborgen]) if verborgen else [])
    assert fig.vw_naam == "schoolloopbaan-soesterkwartier" and "DEMODATA" in fig.vw_bron and fig.vw_alt


def test_tabellen_tonen_x_voor_onderdrukte_cellen(demo_rapport, config):
    from vwanalyse import rapport
    from vwanalyse.weergave.schoolloopbaan import alle_tabellen

    tekst = rapport.overgang_tabellen(demo_rapport, "soesterkwartier").data
    per = alle_tabellen(demo_rapport, "soesterkwartier")
    geheim = sum(int(t.geheim[:-1, :].sum() + (t.geheim[:-1, -1] * ~t.geheim[:-1, :-1].T).sum())
                 for paar in per.values() for t in paar)
    cellen = [c.strip() for regel in tekst.splitlines() if regel.startswith("| ") for c in regel.strip("|").split("|")]
    assert cellen.count("x") == geheim > 0


def test_gebied_zonder_schoolloopbaan(demo_rapport, config, module):
    from vwanalyse import figuren, rapport

    zonder = next(g for g in config.gebieden if g.id not in module.gebieden)
    assert figuren.schoolloopbaan(demo_rapport, zonder.id) is None
    assert rapport.uitkomst_tabel(demo_rapport, zonder.id).data == (
        f"Voor {zonder.naam} zijn (nog) geen gegevens over de schoolloopbaan aangeleverd.\n")


def test_pagina_alleen_voor_gebieden_met_de_module(config, project, module):
    from vwanalyse.boek.toc import maak_toc
    from vwanalyse.uitvoer.taken import matrix

    taken = matrix(config, project)
    lokaal = [t for t in taken if t.sjabloon == "schoolloopbaan"]
    assert sorted(t.parameters["gebied"] for t in lokaal) == sorted(module.gebieden)
    [deel] = [d for d in maak_toc(config, taken)["parts"] if d["caption"] == "Lokale verdieping"]
    assert {f"book/uitvoer/{t.naam}" for t in lokaal} <= {c["file"] for c in deel["chapters"]}


def test_arcering_alleen_in_de_legenda_als_ze_getekend_is(demo_rapport, tmp_path, monkeypatch):
    from vwanalyse import figuren
    from vwanalyse.weergave.schoolloopbaan import alle_tabellen

    monkeypatch.chdir(tmp_path)
    for gebied in ("soesterkwartier", "overvecht"):
        binnen = any(t.geheim[i, :-1].any() and not t.geheim[i, -1]
                     for paar in alle_tabellen(demo_rapport, gebied).values() for t in paar for i in range(len(t.rijen)))
        fig = figuren.schoolloopbaan(demo_rapport, gebied)
        teksten = [t.get_text() for lg in fig.legends for t in lg.get_texts()]
        assert any(t.startswith("niet gepubliceerd") for t in teksten) == binnen, gebied
