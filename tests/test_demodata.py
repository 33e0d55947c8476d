"""The synthetic demo folder: reproducible byte for byte, consistent with its manifest and its truth."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd
import pytest

from vwanalyse.demodata import generator as demodata

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to

DEMO = ROOT / "data" / "demo"


def _lees(pad: Path) -> pd.DataFrame:
    return pd.read_csv(pad, sep=";", decimal=",", encoding="utf-8-sig", dtype={"gebiedscode": str})


def _bestanden(map_: Path) -> list[str]:
    return sorted(p.relative_to(map_).as_posix() for p in map_.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def gegenereerd(tmp_path_factory, config) -> Path:
    doel = tmp_path_factory.mktemp("demo")
    demodata.genereer(doel, config)
    return doel


@pytest.fixture(scope="module")
def waarheid() -> pd.DataFrame:
    return _lees(DEMO / "waarheid.csv")


def test_generator_reproduceert_demo_byte_voor_byte(gegenereerd):
    assert DEMO.is_dir(), "data/demo is missing: run vwanalyse demodata"
    assert _bestanden(gegenereerd) == _bestanden(DEMO)
    for rel in _bestanden(DEMO):
        assert (gegenereerd / rel).read_bytes() == (DEMO / rel).read_bytes(), f"{rel} differs from the generator"


def test_twee_runs_identiek(config, tmp_path):
    demodata.genereer(tmp_path / "a", config)
    demodata.genereer(tmp_path / "a", config)   # regenerating in place changes nothing
    demodata.genereer(tmp_path / "b", config)
    for rel in _bestanden(tmp_path / "b"):
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_manifest_klopt():
    regels = (DEMO / "MANIFEST.sha256").read_text(encoding="utf-8").splitlines()
    paden = [r.split("  ", 1)[1] for r in regels]
    assert paden == sorted(paden)
    assert paden == [p for p in _bestanden(DEMO) if p != "MANIFEST.sha256"]
    for regel in regels:
        h, rel = regel.split("  ", 1)
        assert hashlib.sha256((DEMO / rel).read_bytes()).hexdigest() == h, rel
    assert demodata.controleer_manifest(DEMO) == []


def test_nederlandse_csv_stijl():
    for pad in DEMO.rglob("*.csv"):
        data = pad.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), pad
        assert b"\r" not in data, pad
        assert data.endswith(b"\n"), pad
        kop = data[3:].split(b"\n", 1)[0]
        assert b";" in kop and b"," not in kop, pad
    assert "demodata: true" in (DEMO / "databron.yml").read_text(encoding="utf-8")
    assert "GEEN" in (DEMO / "databron.yml").read_text(encoding="utf-8")


def test_totale_omvang_bescheiden():
    assert sum(p.stat().st_size for p in DEMO.rglob("*") if p.is_file()) < 8_000_000


def _enquetes(config) -> list[str]:
    return [b.id for b in config.bronnen if b.soort == "survey"]


def _survey(config, bron: str, meting) -> pd.DataFrame:
    return _lees(DEMO / "survey" / f"{bron}_{meting.peiljaren[bron]}.csv")


def _in_gebied(df: pd.DataFrame, gebied) -> pd.Series:
    return df["wijkcode"].isin(gebied.codes) | df["buurtcode"].isin(gebied.codes)


def test_survey_kolommen_en_codes(config):
    for m in config.metingen:
        for bron in _enquetes(config):
            df = _survey(config, bron, m)
            assert df["respondent_id"].is_unique
            assert (df["jaar"] == m.peiljaren[bron]).all()
            assert set(df["gemeentecode"]) == {g.code for g in config.gebieden_bestand.gemeenten}
            assert (df["wijkcode"].str[2:6] == df["gemeentecode"].str[2:6]).all()
            assert (df["buurtcode"].str[2:8] == df["wijkcode"].str[2:8]).all()
            assert np.isfinite(df["gewicht"]).all() and (df["gewicht"] > 0).all()
            assert set(df["geslacht"]) <= {"man", "vrouw", "anders"}
            for ind in (i for i in config.indicatoren if i.bron == bron):
                b = ind.berekening
                kol = df[b.item]
                mis = kol.isna().mean()
                assert 0.01 <= mis <= 0.10, (b.item, mis)
                geldig = kol.dropna()
                if b.geldige_codes:
                    assert set(geldig.astype(int)) <= set(b.geldige_codes)
                else:
                    assert geldig.between(*b.bereik).all()


def test_vollenhove_veel_kleiner_dan_overvecht(config):
    gebied = config.gebied
    for m in config.metingen:
        for bron in _enquetes(config):
            df = _survey(config, bron, m)
            n_v = int(_in_gebied(df, gebied["vollenhove"]).sum())
            n_o = int(_in_gebied(df, gebied["overvecht"]).sum())
            assert 25 <= n_v <= 75, (bron, m.jaar, n_v)
            assert n_o > 8 * n_v
    # a buurt: some item estimates fall below the n < 30 threshold, others do not
    items = [i.berekening.item for i in config.indicatoren if i.bron == "veiligheidsmonitor"]
    n_items = []
    for m in config.metingen:
        df = _survey(config, "veiligheidsmonitor", m)
        vol = df[_in_gebied(df, gebied["vollenhove"])]
        n_items += [int(vol[i].notna().sum()) for i in items]
    min_n = config.instellingen.onthulling.min_n
    assert min(n_items) < min_n <= max(n_items)


def _kish(w: pd.Series) -> float:
    return len(w) * float((w ** 2).sum()) / float(w.sum()) ** 2


def test_kish_design_effect(config):
    for m in config.metingen:
        for bron in _enquetes(config):
            df = _survey(config, bron, m)
            for g in config.gebieden:
                binnen = _in_gebied(df, g)
                rest = ~binnen & (df["gemeentecode"] == g.gemeente)
                delen = [rest] if g.id == "vollenhove" else [binnen, rest]
                for deel in delen:
                    deff = _kish(df.loc[deel, "gewicht"])
                    assert 1.2 <= deff <= 2.0, (bron, m.jaar, g.id, deff)


def test_gewichten_tellen_op_tot_volwassen_bevolking(config):
    reg = _lees(DEMO / "register" / "cbs_kwb.csv").set_index(["gebiedscode", "jaar"])
    m = config.metingen[0]
    df = _survey(config, "ggd_gezondheidsmonitor", m)
    for gm, tot in df.groupby("gemeentecode")["gewicht"].sum().items():
        inw = reg.loc[(gm, m.peiljaren["cbs_kwb"]), "inwoners"]
        assert 0.7 * inw < tot < 0.85 * inw


def test_gewogen_gemiddelden_rond_waarheid(config, waarheid):
    """Smoke check: plain weighted means of survey items near the truth (generous tolerance)."""
    for m in config.metingen:
        for bron in _enquetes(config):
            df = _survey(config, bron, m)
            for g in config.gebieden:
                binnen = _in_gebied(df, g)
                delen = {"gebied": binnen, "rest": ~binnen & (df["gemeentecode"] == g.gemeente)}
                for deel, masker in delen.items():
                    sub = df[masker]
                    for ind in config.indicatoren_voor(g.id):
                        if ind.bron != bron:
                            continue
                        b = ind.berekening
                        ok = sub[b.item].notna()
                        y = sub.loc[ok, b.item]
                        w = sub.loc[ok, "gewicht"]
                        if ind.statistiek == "survey_proportie":
                            y = y.isin(b.teller_codes).astype(float)
                        schatting = float((y * w).sum() / w.sum())
                        ww = w / w.sum()
                        se = float(np.sqrt(((ww ** 2) * (y - schatting) ** 2).sum()))
                        rij = waarheid[(waarheid["gebied"] == g.id) & (waarheid["deel"] == deel)
                                       & (waarheid["meting"] == m.jaar) & (waarheid["indicator"] == ind.id)]
                        assert len(rij) == 1
                        waar = float(rij["waarde"].iloc[0])
                        tol = 0.12 if ind.statistiek == "survey_proportie" else 0.6
                        if deel == "gebied" and g.id == "vollenhove":
                            tol *= 2
                        assert abs(schatting - waar) < tol, (g.id, deel, m.jaar, ind.id, schatting, waar)
                        if ok.sum() > 200:
                            assert abs(schatting - waar) < 4 * se + 1e-9, (g.id, deel, m.jaar, ind.id)


def test_ingebouwd_effect_overvecht_onveilig(config, waarheid):
    """E1: Overvecht -8 points 2021->2025 while the rest of Utrecht is flat; the data show it."""
    ov = config.gebied["overvecht"]
    est = {}
    for m in (config.metingen[0], config.metingen[-1]):
        df = _survey(config, "veiligheidsmonitor", m)
        for deel, masker in (("gebied", _in_gebied(df, ov)),
                             ("rest", ~_in_gebied(df, ov) & (df["gemeentecode"] == ov.gemeente))):
            sub = df[masker & df["onveilig_buurt"].notna()]
            y = sub["onveilig_buurt"].isin([1, 2]).astype(float)
            est[(deel, m.jaar)] = float((y * sub["gewicht"]).sum() / sub["gewicht"].sum())
    a, b = config.metingen[0].jaar, config.metingen[-1].jaar
    did = (est[("gebied", b)] - est[("gebied", a)]) - (est[("rest", b)] - est[("rest", a)])
    assert -0.22 < did < -0.04, did
    e = waarheid[(waarheid["indicator"] == "onveilig_buurt") & (waarheid["gebied"] == "overvecht")
                 & (waarheid["deel"] == "gebied")]
    assert set(e["effect"]) == {"E1"}


def test_registers(config):
    per_bron = {b.id: _lees(DEMO / "register" / f"{b.id}.csv") for b in config.bronnen if b.soort == "register"}
    kolommen: dict[str, str] = {}
    for bron, df in per_bron.items():
        assert not df.duplicated(["gebiedscode", "jaar"]).any()
        for k in df.columns[2:]:
            assert k not in kolommen, f"{k} in {bron} and {kolommen[k]}"
            kolommen[k] = bron
            assert (df[k].dropna() >= 0).all()
    reg = pd.concat([df.set_index(["gebiedscode", "jaar"]) for df in per_bron.values()], axis=1)
    jaren = {m.peiljaren["cbs_kwb"] for m in config.metingen}
    assert set(reg.index.get_level_values("jaar")) == jaren
    for ind in config.indicatoren:
        b = ind.berekening
        if ind.is_survey or config.bron[ind.bron].soort != "register":
            continue
        assert b.teller in reg.columns and b.noemer in reg.columns, ind.id
        if ind.statistiek == "register_aandeel":
            ok = reg[b.teller].notna() & reg[b.noemer].notna()
            assert (reg.loc[ok, b.teller] <= reg.loc[ok, b.noemer]).all(), ind.id
    # every gebied: its codes and its gemeente, gemeente > gebied for the columns it has
    for g in config.gebieden:
        for jaar in jaren:
            gm = reg.loc[(g.gemeente, jaar)]
            gebied = reg.loc[[(c, jaar) for c in g.codes]].sum(min_count=1)
            for k in ("inwoners", "woningen", "misdrijven", "jongeren_18_22", "peuters_vve_indicatie"):
                assert gm[k] > gebied[k] > 0, (g.id, jaar, k)
    # gemeente = sum over its wijken
    wk = reg[reg.index.get_level_values("gebiedscode").str.startswith("WK")]
    som = wk.groupby([wk.index.get_level_values("gebiedscode").str[2:6], wk.index.get_level_values("jaar")]).sum()
    for gm in config.gemeente:
        for jaar in jaren:
            assert reg.loc[(gm, jaar), "inwoners"] == som.loc[(gm[2:], jaar), "inwoners"]
    # calibration against CBS KWB 2024 (wijk counts are rounded there): within a few percent
    inw = reg["inwoners"]
    for code, kwb in (("WK034403", 35255), ("GM0344", 374238), ("GM0307", 161852), ("WK030703", 12185)):
        assert abs(inw.loc[(code, 2025)] / kwb - 1) < 0.05, code


def test_waarheid_volledig(config, waarheid):
    for g in config.gebieden:
        for m in config.metingen:
            sub = waarheid[(waarheid["gebied"] == g.id) & (waarheid["meting"] == m.jaar)]
            verwacht = {i.id for i in config.indicatoren_voor(g.id)}
            assert set(sub.loc[sub["deel"] == "gebied", "indicator"]) == verwacht
            kern = {i.id for i in config.indicatoren if i.set == "kernset"}
            assert kern <= set(sub.loc[sub["deel"] == "rest", "indicator"])
    # quoted public figures used for calibration
    def w(geb, deel, meting, ind):
        r = waarheid[(waarheid["gebied"] == geb) & (waarheid["deel"] == deel) & (waarheid["meting"] == meting)
                     & (waarheid["indicator"] == ind)]
        return float(r["waarde_weergave"].iloc[0])
    assert w("overvecht", "gebied", 2021, "startkwalificatie") == pytest.approx(87.5)
    assert w("overvecht", "gebied", 2023, "startkwalificatie") == pytest.approx(88.6)
    assert w("overvecht", "gemeente", 2023, "startkwalificatie") == pytest.approx(93.5, abs=0.3)
    assert w("overvecht", "gebied", 2021, "langdurig_laag_inkomen") == pytest.approx(23.0)
    assert w("overvecht", "gebied", 2023, "voorschool_bereik") == pytest.approx(80.0)
    assert w("batau", "gebied", 2021, "onveilig_buurt") == pytest.approx(31.0)
    assert w("vollenhove", "gebied", 2021, "beweegrichtlijn") == pytest.approx(60.0)


def test_referentie_proces_narratief_duiding(config):
    ref = _lees(DEMO / "referentie" / "referentiewaarden.csv")
    assert set(ref["regiocode"]) == {"PV26", "NL01"}
    kern = [i for i in config.indicatoren if i.set == "kernset"]
    assert len(ref) == 2 * len(kern) * len(config.metingen)
    survey = ref["indicator"].map(lambda i: config.indicator[i].is_survey)
    assert ref.loc[survey, ["ondergrens", "bovengrens"]].notna().all().all()
    assert ref.loc[~survey, ["ondergrens", "bovengrens"]].isna().all().all()
    assert (ref.loc[survey, "ondergrens"] <= ref.loc[survey, "waarde"]).all()

    proj = _lees(DEMO / "proces" / "projecten.csv")
    assert set(proj["status"]) <= {"niet_gestart", "loopt", "vertraagd", "afgerond", "gestopt"}
    assert (proj["mijlpalen_gerealiseerd"] <= proj["mijlpalen_gepland"]).all()
    for g in config.gebieden:
        ids = {p.id for p in config.logicmodellen[g.id].projecten}
        for m in config.metingen:
            assert set(proj.loc[(proj["gebied"] == g.id) & (proj["meting"] == m.jaar), "project"]) == ids

    frag = _lees(DEMO / "narratief" / "fragmenten.csv")
    assert frag["fragment_id"].is_unique
    n = frag.groupby(["gebied", "meting"]).size()
    assert len(n) == len(config.gebieden) * len(config.metingen) and n.between(15, 30).all()
    assert set(frag["groep"]) == {"bewoner", "professional"}
    assert set(frag["pijler"]) <= set(config.pijler)

    dui = _lees(DEMO / "duiding" / "duiding.csv")
    assert len(dui) == len(config.gebieden) * len(config.metingen) * len(config.pijlers)
    assert dui["tekst"].str.startswith("[Demotekst]").all()


def test_demo_laadt_met_bronnen(config):
    bronnen = pytest.importorskip("vwanalyse.invoer.bronnen")
    if not hasattr(bronnen, "laad_gegevens"):
        pytest.skip("vwanalyse.invoer.bronnen has no laad_gegevens yet")
    gegevens = bronnen.laad_gegevens(DEMO, config)
    assert gegevens is not None
    if hasattr(bronnen, "controleer_map"):
        for bestand, melding in bronnen.controleer_map(DEMO, config):
            assert not melding.lower().startswith(("fout", "error")), (bestand, melding)


# ---------------------------------------------------------------- a configuration that grows

# What a researcher adds (README, 'Het boek uitbreiden'): a wijk of a gemeente already in the
# configuration, with a logic model without projects, and an indicator on an existing survey item
# (as obesitas on bmi_klasse). Their ids are the test's own, so the tests also pass in a project
# that followed the README's recipes.
PROEFWIJK = """\
  - id: proefwijk
    naam: Proefwijk
    gemeente: {gemeente}
    codes: [{code}]
    wijkaanpak: Proefaanpak
    omschrijving: Een wijk die een onderzoeker toevoegt.
"""
PROEFWIJK_LOGICMODEL = """\
gebied: proefwijk
wijkaanpak: Proefaanpak
bron: "test"
context: []
ambities: []
input: {regels: [], subtotaal: null}
projecten: []
bekende_problemen: []
"""
PROEFINDICATOR = """\
- id: proef_obesitas
  naam: Proef obesitas (BMI 30 of hoger)
  pijler: gezondheid
  set: kernset
  type: uitkomst
  niveau: outcome
  bron: ggd_gezondheidsmonitor
  bronvariabele: Body-mass index uit zelfgerapporteerde lengte en gewicht, in klassen
  definitie: {teller: respondenten met BMI 30 of hoger, noemer: respondenten met geldige lengte en gewicht,
              doelpopulatie: inwoners van 18 jaar en ouder}
  eenheid: '%'
  richting: lager_gunstig
  statistiek: survey_proportie
  vergelijkbaar_vanaf: 2021
  berekening: {item: bmi_klasse, geldige_codes: [1, 2, 3, 4], teller_codes: [4]}
"""


def _vrije_wijk(config) -> tuple[str, str]:
    """(gemeente, wijkcode) of a populated wijk in the last gebied's gemeente that no gebied uses yet."""
    from vwanalyse.demodata import waarheid

    bezet = {c if c.startswith("WK") else "WK" + c[2:8] for g in config.gebieden for c in g.codes}
    gemeente = config.gebieden[-1].gemeente
    code = next(c for c, (inwoners, _) in sorted(waarheid.laad(config).bevolking.items())
                if "GM" + c[2:6] == gemeente and c not in bezet and inwoners >= 5000)
    return gemeente, code


def _voeg_proefwijk_toe(kopie: Path, config, code: Optional[str] = None) -> None:
    gemeente, vrij = _vrije_wijk(config)
    _voeg_toe(kopie / "gebieden.yml", PROEFWIJK.format(gemeente=gemeente, code=code or vrij))
    (kopie / "logicmodellen" / "proefwijk.yml").write_text(PROEFWIJK_LOGICMODEL, encoding="utf-8")


def _config_kopie(tmp_path, naam="config"):
    import shutil

    kopie = tmp_path / naam
    shutil.copytree(ROOT / "data" / "config", kopie)
    return kopie


def _voeg_toe(pad: Path, tekst: str) -> None:
    pad.write_text(pad.read_text(encoding="utf-8") + tekst, encoding="utf-8")


@pytest.fixture(scope="module")
def uitgebreid(tmp_path_factory):
    """The demo configuration plus a fifth wijk and an indicator, and the demo data generated for it."""
    from vwanalyse.model.configuratie import laad_configuratie

    kopie = _config_kopie(tmp_path_factory.mktemp("uitgebreid"))
    _voeg_proefwijk_toe(kopie, laad_configuratie(kopie))
    _voeg_toe(kopie / "indicatoren.yml", PROEFINDICATOR)
    config = laad_configuratie(kopie)
    return config, demodata.bestanden(config)


def _rijen(inhoud: bytes) -> set[str]:
    return set(inhoud.decode("utf-8-sig").splitlines()[1:])


def test_vijfde_wijk_en_nieuwe_indicator_krijgen_gegevens_en_de_rest_blijft(uitgebreid, config):
    """Every gebied and indicator of a grown configuration gets data; the data of everything that was
    there stay byte for byte the same (a new wijk and an indicator on an existing item draw nothing new)."""
    groot, nieuw = uitgebreid
    for rel in _bestanden(DEMO):
        if rel.startswith(("survey/", "register/")):
            assert nieuw[rel] == (DEMO / rel).read_bytes(), rel
    for rel in ("proces/projecten.csv", "narratief/fragmenten.csv", "duiding/duiding.csv", "waarheid.csv",
                "referentie/referentiewaarden.csv"):
        oud, erbij = _rijen((DEMO / rel).read_bytes()), _rijen(nieuw[rel]) - _rijen((DEMO / rel).read_bytes())
        assert oud <= _rijen(nieuw[rel]), rel
        assert all("proefwijk" in r or "proef_obesitas" in r for r in erbij), rel
    w = pd.read_csv(io.BytesIO(nieuw["waarheid.csv"]), sep=";", decimal=",", encoding="utf-8-sig")
    # the new wijk: the level of the rest of its gemeente and no effect, for every indicator it has
    proef = w[(w["gebied"] == "proefwijk") & (w["deel"] == "gebied")].set_index(["meting", "indicator"])
    assert set(proef.index.get_level_values("indicator")) == {i.id for i in groot.indicatoren_voor("proefwijk")}
    assert (proef["effect"].isna()).all()
    rest = w[(w["gebied"] == "proefwijk") & (w["deel"] == "rest")].set_index(["meting", "indicator"])["waarde"]
    assert (proef["waarde"] == rest.loc[proef.index]).all()
    # the new indicator follows from the answer distribution of bmi_klasse: a fixed share of overgewicht
    ob = w[w["indicator"] == "proef_obesitas"].set_index(["gebied", "deel", "meting"])["waarde"]
    og = w[w["indicator"] == "overgewicht"].set_index(["gebied", "deel", "meting"])["waarde"]
    assert len(ob) == len(og) and np.allclose(ob / og.loc[ob.index], 0.28, atol=1e-5)
    md = nieuw["WAARHEID.md"].decode("utf-8")
    assert "- proef_obesitas: afgeleid uit de antwoordverdeling van item `bmi_klasse`" in md
    gemeente = groot.gemeente[groot.gebied["proefwijk"].gemeente].naam
    assert f"- proefwijk: het niveau van de rest van {gemeente}, geen effect." in md
    assert f"| {groot.gebieden[-1].naam} | totaal |" in md  # the respondents of the new wijk are counted


def test_uitgebreide_demodata_laden_en_melden_wat_er_is(uitgebreid, tmp_path):
    """The grown demo folder passes validation; the completeness report names the new wijk and warns
    that its logic model has no projects (a warning, not an error)."""
    from vwanalyse.invoer.bronnen import controleer_map, laad_gegevens

    groot, nieuw = uitgebreid
    for rel, data in nieuw.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    gegevens = laad_gegevens(tmp_path, groot)
    assert "proef_obesitas" not in gegevens.survey["ggd_gezondheidsmonitor"].columns
    regels = controleer_map(tmp_path, groot)
    assert not [t for _, t in regels if t.startswith("fout:")]
    proef = [t for b, t in regels if b == "gebied proefwijk"]
    assert "waarschuwing: het logic model van Proefwijk noemt geen projecten" in proef
    assert any(t.startswith("Gezondheidsmonitor") and "respondenten" in t for t in proef)
    # the other gebieden warn only if their own logic model has no projects
    zonder = {f"gebied {g.id}" for g in groot.gebieden if not groot.logicmodellen[g.id].projecten}
    assert {b for b, t in regels if t.startswith("waarschuwing:")} == zonder


def test_zonder_geplante_waarheid_krijgt_alles_de_standaard(tmp_path):
    """A planted-truth file with only the population figures: every indicator gets the documented
    default level, a new survey item and a new register indicator get columns, and the folder loads."""
    import yaml

    from vwanalyse.demodata import waarheid
    from vwanalyse.invoer.bronnen import laad_gegevens
    from vwanalyse.model.configuratie import laad_configuratie

    kopie = _config_kopie(tmp_path)
    volledig = yaml.safe_load((kopie / "demowaarheid.yml").read_text(encoding="utf-8"))
    (kopie / "demowaarheid.yml").write_text(yaml.safe_dump({k: volledig[k] for k in ("bevolking", "buurtgebieden")}),
                                            encoding="utf-8")
    _voeg_toe(kopie / "indicatoren.yml", PROEFINDICATOR.replace("proef_obesitas", "proef_fietsen").replace("bmi_klasse", "fietst")
              .replace("geldige_codes: [1, 2, 3, 4], teller_codes: [4]", "geldige_codes: [0, 1], teller_codes: [1]")
              + PROEFINDICATOR.replace("id: proef_obesitas", "id: proef_opvang").replace("bron: ggd_gezondheidsmonitor", "bron: gemeente")
              .replace("statistiek: survey_proportie", "statistiek: register_aandeel")
              .replace("{item: bmi_klasse, geldige_codes: [1, 2, 3, 4], teller_codes: [4]}",
                       "{teller: kinderen_opvang, noemer: kinderen_0_4}"))
    config = laad_configuratie(kopie)
    dw = waarheid.laad(config)
    inhoud = demodata.bestanden(config, dw)
    ggd = pd.read_csv(io.BytesIO(inhoud["survey/ggd_gezondheidsmonitor_2020.csv"]), sep=";", decimal=",",
                      encoding="utf-8-sig")
    assert {"fietst", "bmi_klasse"} <= set(ggd.columns)
    assert "kinderen_0_4" in inhoud["register/gemeente.csv"].decode("utf-8-sig").splitlines()[0]
    w = pd.read_csv(io.BytesIO(inhoud["waarheid.csv"]), sep=";", decimal=",", encoding="utf-8-sig")
    nul = w[w["meting"] == config.nulmeting.jaar]
    for ind in config.indicatoren:
        verwacht = waarheid.standaard_niveau(ind)
        if waarheid.gedeeld_item(config, ind, dw) is not None:  # follows from its item, as in the other test
            continue
        assert np.allclose(nul.loc[nul["indicator"] == ind.id, "waarde"], verwacht), ind.id
    assert len(waarheid.standaardwaarden(config, dw)) >= len(config.indicatoren) + len(config.gebieden)
    for rel, data in inhoud.items():
        (tmp_path / "demo" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "demo" / rel).write_bytes(data)
    laad_gegevens(tmp_path / "demo", config)


def test_fouten_in_de_geplante_waarheid(tmp_path):
    from vwanalyse.demodata import waarheid
    from vwanalyse.model.configuratie import laad_configuratie
    from vwanalyse.model.schema import ConfigFout

    kopie = _config_kopie(tmp_path)
    _voeg_toe(kopie / "indicatoren.yml", PROEFINDICATOR)
    tekst = (kopie / "demowaarheid.yml").read_text(encoding="utf-8")
    (kopie / "demowaarheid.yml").write_text(
        tekst.replace("waarheid:\n", "waarheid:\n  proef_obesitas:\n    niveau: {GM0344: 0.1}\n", 1), encoding="utf-8")
    with pytest.raises(ConfigFout, match=r"demowaarheid.yml: waarheid.proef_obesitas: deelt item 'bmi_klasse' met "
                                         r"overgewicht"):
        waarheid.laad(laad_configuratie(kopie))
    (kopie / "demowaarheid.yml").write_text(tekst.replace("bmi_klasse: [[0.72, 0.28], [0.04, 0.96]]",
                                                          "bmi_klasse: [[0.72, 0.28], [1.0]]"), encoding="utf-8")
    with pytest.raises(ConfigFout, match=r"verdeling.bmi_klasse: verwacht: 2 gewicht\(en\) voor de tellercodes \[3, 4\] "
                                         r"en 2 voor de overige codes \[1, 2\] van overgewicht; gevonden: 2 en 1"):
        waarheid.laad(laad_configuratie(kopie))
    (kopie / "demowaarheid.yml").write_text(tekst, encoding="utf-8")
    config = laad_configuratie(kopie)
    onbekend = f"WK{_vrije_wijk(config)[0][2:]}99"  # no wijk of the population table
    _voeg_proefwijk_toe(kopie, config, code=onbekend)
    with pytest.raises(ConfigFout, match=rf"gebieden.yml: gebieden\[\d+\] \(proefwijk\): de demodatagenerator kent geen "
                                         rf"inwonertal voor wijk {onbekend}; voeg het toe onder bevolking in demowaarheid.yml"):
        demodata.bestanden(laad_configuratie(kopie))


def test_config_check_leest_ook_de_geplante_waarheid(tmp_path, capsys):
    from vwanalyse import cli

    kopie = _config_kopie(tmp_path)
    assert cli.main(["--config", str(kopie), "config", "check"]) == 0
    tekst = (kopie / "demowaarheid.yml").read_text(encoding="utf-8")
    (kopie / "demowaarheid.yml").write_text(tekst.replace("    min_leeftijd: 18\n", "    min_leeftijd: achttien\n", 1),
                                            encoding="utf-8")
    assert cli.main(["--config", str(kopie), "config", "check"]) == 2
    assert ("demowaarheid.yml: steekproef.ggd_gezondheidsmonitor.min_leeftijd: verwacht: een geheel getal, "
            "gevonden: 'achttien'") in capsys.readouterr().err


def test_een_vierde_meting_krijgt_gegevens(tmp_path):
    """A meting after the last planted one: trends and effects keep their last value, every source
    gets a file for its peiljaar, the tone of the fragments stays a probability, and the folder loads."""
    from vwanalyse.invoer.bronnen import laad_gegevens
    from vwanalyse.model.configuratie import laad_configuratie

    kopie = _config_kopie(tmp_path)
    config = laad_configuratie(kopie)
    laatste = config.metingen[-1]
    jaar = laatste.jaar + 2
    peiljaren = "".join(f"      {b}: {j + 2}\n" for b, j in laatste.peiljaren.items())
    _voeg_toe(kopie / "metingen.yml", f"  - jaar: {jaar}\n    naam: Vervolgmeting\n    nulmeting: false\n"
                                      f"    omschrijving: Een meting na de looptijd.\n    peiljaren:\n{peiljaren}")
    config = laad_configuratie(kopie)
    demodata.genereer(tmp_path / "demo", config)
    for bron in _enquetes(config):
        assert (tmp_path / "demo" / "survey" / f"{bron}_{config.meting[jaar].peiljaren[bron]}.csv").is_file()
    w = _lees(tmp_path / "demo" / "waarheid.csv")
    w = w[w["deel"] == "gebied"].set_index(["gebied", "indicator", "meting"])["waarde"]
    assert (w.xs(jaar, level="meting") == w.xs(laatste.jaar, level="meting")).all()
    gegevens = laad_gegevens(tmp_path / "demo", config)
    assert gegevens.metingen == [m.jaar for m in config.metingen]
