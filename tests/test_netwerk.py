"""The wijknetwerk module: its configuration, its input files (one test per rule) and the network measures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from vwanalyse.invoer.bronnen import VASTE_BESTANDEN, DataFout, Probleem, laad_gegevens
from vwanalyse.statistiek import netwerk

ORG = "lokaal/wijknetwerk_organisaties.csv"
REL = "lokaal/wijknetwerk_relaties.csv"


@pytest.fixture(scope="module")
def module(config):
    if config.lokaal.wijknetwerk is None:
        pytest.skip("de configuratie heeft geen module wijknetwerk")
    return config.lokaal.wijknetwerk


def _organisaties(module, gebied: str) -> pd.DataFrame:
    """One organisation per domain of the configuration, the first two with consent."""
    return pd.DataFrame([{"gebied": gebied, "organisatie": f"o{i}", "naam": f"Organisatie {i}", "domein": d.id,
                          "toestemming": "ja" if i < 2 else "nee"} for i, d in enumerate(module.domeinen)])


def _relaties(module, gebied: str, meting: int, paren) -> pd.DataFrame:
    return pd.DataFrame([{"gebied": gebied, "meting": meting, "van": a, "naar": b, "frequentie": "maandelijks",
                          "pijler": "gezondheid"} for a, b in paren])


# ---------------------------------------------------------------- the measures


def test_ster_en_volledig_netwerk(module):
    gebied, m0, m1 = module.gebieden[0], *module.metingen
    org = _organisaties(module, gebied)
    n = len(org)
    ster = _relaties(module, gebied, m0, [("o0", f"o{i}") for i in range(1, n)])
    vol = _relaties(module, gebied, m1, [(f"o{i}", f"o{j}") for i in range(n) for j in range(i + 1, n)])
    rel = pd.concat([ster, vol], ignore_index=True)
    s = netwerk.maten(netwerk.graaf(org, rel, module, gebied, m0))
    assert (s.organisaties, s.relaties) == (n, n - 1)
    assert s.dichtheid == pytest.approx(2 / n) and s.centralisatie == pytest.approx(1.0)
    assert [b.organisatie for b in s.bruggen] == ["o0"] and s.bruggen[0].betweenness == pytest.approx(1.0)
    assert s.geisoleerd == 0
    v = netwerk.maten(netwerk.graaf(org, rel, module, gebied, m1))
    assert v.dichtheid == pytest.approx(1.0) and v.centralisatie == pytest.approx(0.0)
    fysiek = sum(d.sfeer == "fysiek" for d in module.domeinen)
    sociaal = sum(d.sfeer == "sociaal" for d in module.domeinen)
    assert v.kruisend == fysiek * sociaal and v.kruisend_aandeel == pytest.approx(fysiek * sociaal / v.relaties)


def test_een_relatie_telt_een_keer_met_de_hoogste_frequentie(module):
    gebied, m0 = module.gebieden[0], module.metingen[0]
    org = _organisaties(module, gebied)
    rel = _relaties(module, gebied, m0, [("o0", "o1"), ("o1", "o0")])
    rel.loc[1, ["frequentie", "pijler"]] = ["wekelijks", "veiligheid"]
    g = netwerk.graaf(org, rel, module, gebied, m0)
    assert g.number_of_edges() == 1
    assert g.edges["o0", "o1"] == {"frequentie": "wekelijks", "pijlers": ["gezondheid", "veiligheid"]}
    s = netwerk.maten(g)
    assert s.geisoleerd == len(org) - 2 and s.dichtheid == pytest.approx(1 / (len(org) * (len(org) - 1) / 2))


# ---------------------------------------------------------------- the input files


@pytest.fixture
def map_met_netwerk(tmp_path, project, module):
    """A copy of the demo data with valid wijknetwerk files; wijzig(org, rel) may break them."""
    import shutil

    def maak(wijzig=None):
        map_ = Path(shutil.copytree(project.demo_map, tmp_path / "data", dirs_exist_ok=True))
        (map_ / "MANIFEST.sha256").unlink()
        gebied, m0 = module.gebieden[0], module.metingen[0]
        org, rel = _organisaties(module, gebied), _relaties(module, gebied, m0, [("o0", "o1"), ("o1", "o2")])
        if wijzig:
            wijzig(org, rel)
        (map_ / "lokaal").mkdir(exist_ok=True)
        org.to_csv(map_ / ORG, index=False)
        rel.to_csv(map_ / REL, index=False)
        return map_
    return maak


def test_netwerkbestanden_laden(map_met_netwerk, config, module):
    g = laad_gegevens(map_met_netwerk(), config)
    assert len(g.wijknetwerk_organisaties) == len(module.domeinen) and len(g.wijknetwerk_relaties) == 2


def _zet(tabel, rij, kolom, waarde):
    def wijzig(org, rel):
        (org if tabel == "org" else rel).loc[rij, kolom] = waarde
    return wijzig


def _andere_gebied(config, module):
    return next(g.id for g in config.gebieden if g.id not in module.gebieden)


FOUTEN = {
    "gebied_zonder_module": (lambda c, m: _zet("org", 0, "gebied", _andere_gebied(c, m)), ORG, [2], "gebied",
                             lambda c, m: "een gebied met de module wijknetwerk in lokaal.yml (" + ", ".join(m.gebieden) + ")"),
    "domein_onbekend": (lambda c, m: _zet("org", 0, "domein", "sport"), ORG, [2], "domein",
                        lambda c, m: "een van " + ", ".join(d.id for d in m.domeinen)),
    "toestemming_onbekend": (lambda c, m: _zet("org", 1, "toestemming", "misschien"), ORG, [3], "toestemming",
                             lambda c, m: "ja of nee (mag de naam in het boek?)"),
    "naam_leeg": (lambda c, m: _zet("org", 1, "naam", ""), ORG, [3], "naam", lambda c, m: "een waarde"),
    "organisatie_dubbel": (lambda c, m: _zet("org", 1, "organisatie", "o0"), ORG, [2, 3], "gebied",
                           lambda c, m: "één rij per gebied en organisatie"),
    "meting_niet_van_het_netwerk": (lambda c, m: _zet("rel", 0, "meting", next(x.jaar for x in c.metingen
                                                                               if x.jaar not in m.metingen)),
                                    REL, [2], "meting",
                                    lambda c, m: "een meting van het wijknetwerk in lokaal.yml ("
                                    + ", ".join(map(str, m.metingen)) + ")"),
    "organisatie_onbekend": (lambda c, m: _zet("rel", 1, "naar", "o99"), REL, [3], "naar",
                             lambda c, m: "een organisatie van het gebied van de rij (lokaal/wijknetwerk_organisaties.csv)"),
    "relatie_met_zichzelf": (lambda c, m: _zet("rel", 0, "naar", "o0"), REL, [2], "naar",
                             lambda c, m: "een andere organisatie dan 'van'"),
    "frequentie_onbekend": (lambda c, m: _zet("rel", 0, "frequentie", "soms"), REL, [2], "frequentie",
                            lambda c, m: "een van wekelijks, maandelijks, per_kwartaal, jaarlijks"),
    "pijler_onbekend": (lambda c, m: _zet("rel", 0, "pijler", "sport"), REL, [2], "pijler",
                        lambda c, m: "een van " + ", ".join(p.id for p in c.pijlers)),
}


@pytest.mark.parametrize("wijziging, bestand, regels, kolom, verwacht",
                         list(FOUTEN.values()), ids=list(FOUTEN))
def test_fout_in_het_netwerk(map_met_netwerk, config, module, wijziging, bestand, regels, kolom, verwacht):
    with pytest.raises(DataFout) as fout:
        laad_gegevens(map_met_netwerk(wijziging(config, module)), config)
    problemen = fout.value.problemen
    assert len(problemen) == 1, [str(p) for p in problemen]
    p = problemen[0]
    assert (p.bestand, p.regels, p.kolom, p.verwacht) == (bestand, regels, kolom, verwacht(config, module))


def test_relatie_dubbel(map_met_netwerk, config):
    def wijzig(org, rel):
        rel.loc[1] = rel.loc[0]
    with pytest.raises(DataFout) as fout:
        laad_gegevens(map_met_netwerk(wijzig), config)
    [p] = fout.value.problemen
    assert (p.bestand, p.regels, p.verwacht) == (REL, [2, 3], "één rij per gebied, meting, van, naar en pijler")


def test_onbekend_bestand_in_lokaal(map_met_netwerk, config):
    map_ = map_met_netwerk()
    (map_ / "lokaal" / "onbekend.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(DataFout) as fout:
        laad_gegevens(map_, config)
    lokaal = [p for p in VASTE_BESTANDEN.values() if p.startswith("lokaal/")]
    assert {ORG, REL} <= set(lokaal)
    assert [str(p) for p in fout.value.problemen] == [str(Probleem(
        "lokaal/onbekend.csv", [], None, f"alleen de bestanden {', '.join(lokaal)} in lokaal/", "een onbekend bestand"))]


# ---------------------------------------------------------------- the demo data


def test_demo_vindt_het_ingebouwde_netwerk_terug(demo_gegevens, config, module):
    """The planted truth of the demo (WAARHEID.md): denser, more ties across the spheres, and the first
    organisation of the last domain as the strongest bridge at the second meting; only configured gebieden."""
    org, rel = demo_gegevens.wijknetwerk_organisaties, demo_gegevens.wijknetwerk_relaties
    assert set(org["gebied"]) == set(module.gebieden) and org["naam"].str.startswith("[Demo]").all()
    for gebied in module.gebieden:
        eerst, later = (netwerk.maten(netwerk.graaf(org, rel, module, gebied, m)) for m in module.metingen)
        assert later.dichtheid > eerst.dichtheid and later.kruisend_aandeel > eerst.kruisend_aandeel, gebied
        assert later.bruggen[0].organisatie == f"{module.domeinen[-1].id}_1", gebied


# ---------------------------------------------------------------- the page


def test_alleen_namen_met_toestemming(demo_rapport, demo_gegevens, module, tmp_path, monkeypatch):
    from vwanalyse import figuren, rapport

    monkeypatch.chdir(tmp_path)
    org = demo_gegevens.wijknetwerk_organisaties
    for gebied in module.gebieden:
        eigen = org[org["gebied"] == gebied]
        assert set(eigen["toestemming"]) == {"ja", "nee"}, gebied  # the demo has both, so the test can fail
        fig = figuren.wijknetwerk(demo_rapport, gebied)
        alle = [t.get_text() for ax in fig.axes for t in ax.texts]
        # each organisation is drawn as its domain's number, in both panels
        nummers = sorted(t for t in alle if t.isdigit())
        domeinen = [d.id for d in module.domeinen]
        assert nummers == sorted([str(domeinen.index(d) + 1) for d in eigen["domein"]] * 2)
        teksten = [t for t in alle if not t.isdigit()]
        pagina = " ".join([rapport.maten_tabel(demo_rapport, gebied).data, rapport.bruggen_tabel(demo_rapport, gebied).data,
                           fig.vw_alt, *teksten])
        for rij in eigen.itertuples():
            assert (rij.naam in pagina) == (rij.toestemming == "ja" and rij.naam in teksten), rij.naam
            assert rij.organisatie not in pagina, rij.organisatie
        assert sorted(teksten) == sorted(eigen.loc[eigen["toestemming"] == "ja", "naam"].tolist() * 2)
        assert fig.vw_naam == f"wijknetwerk-{gebied}" and "DEMODATA" in fig.vw_bron


def test_gebied_zonder_netwerk(demo_rapport, config, module):
    from vwanalyse import figuren, rapport

    zonder = next(g for g in config.gebieden if g.id not in module.gebieden)
    assert figuren.wijknetwerk(demo_rapport, zonder.id) is None
    assert rapport.maten_tabel(demo_rapport, zonder.id).data == f"Voor {zonder.naam} is (nog) geen netwerkenquête aangeleverd.\n"


def test_pagina_alleen_voor_gebieden_met_de_module(config, project, module):
    from vwanalyse.boek.toc import maak_toc
    from vwanalyse.uitvoer.taken import matrix

    taken = matrix(config, project)
    sjablonen = {d.sjabloon for d in config.notebooks if d.module == "wijknetwerk"}
    assert sjablonen
    lokaal = [t for t in taken if t.sjabloon in sjablonen]
    assert sorted(t.parameters["gebied"] for t in lokaal) == sorted(module.gebieden)
    toc = maak_toc(config, taken)
    [deel] = [d for d in toc["parts"] if d["caption"] == "Lokale verdieping"]
    eigen = [f"book/uitvoer/{t.naam}" for t in lokaal]  # the part also holds the other modules' pages
    assert [c["file"] for c in deel["chapters"] if c["file"] in eigen] == eigen
    alle = [c["file"] for d in toc["parts"] for c in d["chapters"]] + [
        s["file"] for d in toc["parts"] for c in d["chapters"] for s in c.get("sections", [])]
    assert len(alle) == len(set(alle))  # jupyter-book lists a file once
