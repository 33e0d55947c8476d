"""The three recipes of the README ('Het boek uitbreiden'), each followed to the letter in a copy of the project.

The steps are read from the README itself: every `<!-- recept NAAM: ... -->` marker is followed by a
fenced block that is appended to a file (`achter PAD`), written as a new file (`nieuw PAD`), made a
cell of the new template (`cel markdown|parameters|code`) or run (`opdrachten`: the `vwanalyse`
lines, as `python -m vwanalyse` in the copy). So when the README changes, the test follows it.

After each recipe the relevant checks of the fast tier pass in the copy, `vwanalyse build` passes
there, and the new thing appears in the built HTML where a reader expects it. Each recipe builds the
book in its own copy (with the session build's results, cache and executed notebooks), so these
tests are slow.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from vwanalyse.basis.bestanden import kopieer_project
from vwanalyse.model.configuratie import laad_configuratie

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to

pytestmark = pytest.mark.traag

MARKER = re.compile(r"^([ \t]*)<!-- recept (\w+): (.+?) -->[ \t]*\n\1```[\w-]*\n(.*?)\n\1```", re.S | re.M)


def recept(naam: str) -> list[tuple[str, str]]:
    """The steps of a README recipe, in order: (what, block text)."""
    tekst = (ROOT / "README.md").read_text(encoding="utf-8")
    stappen = []
    for m in MARKER.finditer(tekst):
        if m.group(2) != naam:
            continue
        inspringing = m.group(1)
        regels = [r[len(inspringing):] if r.startswith(inspringing) else r.lstrip() for r in m.group(4).split("\n")]
        stappen.append((m.group(3).strip(), "\n".join(regels) + "\n"))
    assert stappen, f"the README has no recipe '{naam}'"
    return stappen


def vw(kopie: Path, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(kopie)}
    env.pop("VWANALYSE_DATA", None)
    return subprocess.run([sys.executable, "-m", "vwanalyse", *map(str, args)], cwd=kopie, env=env,
                          capture_output=True, text=True, timeout=3600)


def pytest_in(kopie: Path, *doelen: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(kopie)}
    env.pop("VWANALYSE_DATA", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-m", "not traag", "-p", "no:cacheprovider", *doelen],
                          cwd=kopie, env=env, capture_output=True, text=True, timeout=3600)


def volg(kopie: Path, naam: str) -> dict[str, subprocess.CompletedProcess]:
    """Do every step of recipe `naam` in the copy; the result of each command, by its arguments."""
    uitvoer: dict[str, subprocess.CompletedProcess] = {}
    cellen = []
    for wat, blok in recept(naam):
        if wat.startswith("achter "):
            pad = kopie / wat.split(" ", 1)[1]
            inhoud = pad.read_text(encoding="utf-8")
            assert inhoud.endswith("\n"), pad
            pad.write_text(inhoud + blok, encoding="utf-8")
        elif wat.startswith("nieuw "):
            pad = kopie / wat.split(" ", 1)[1]
            assert not pad.exists(), pad
            pad.write_text(blok, encoding="utf-8")
        elif wat.startswith("cel "):
            cellen.append((wat.split(" ", 1)[1], blok.rstrip("\n")))
        elif wat == "opdrachten":
            if cellen:
                _schrijf_sjabloon(kopie, naam, cellen)
                cellen = []
            for regel in blok.splitlines():
                regel = regel.split("#", 1)[0].strip()
                if not regel:
                    continue
                assert regel.startswith(".venv/bin/vwanalyse "), f"a command of the recipe the test cannot run: {regel}"
                args = regel.split()[1:]
                uit = vw(kopie, *args)
                verwacht = 1 if args == ["backtest"] else 0  # the back-test fails until the change is accepted
                assert uit.returncode == verwacht, (regel, uit.stdout[-3000:], uit.stderr[-3000:])
                uitvoer[" ".join(args)] = uit
        else:
            raise AssertionError(f"unknown step in recipe {naam}: {wat}")
    assert not cellen, "the template's cells must come before the commands"
    return uitvoer


def _schrijf_sjabloon(kopie: Path, naam: str, cellen: list[tuple[str, str]]) -> None:
    """The new template, cell by cell as the README describes it (its name from the notebooks.yml step)."""
    regel = next(b for w, b in recept(naam) if w == "achter data/config/notebooks.yml")
    sjabloon = yaml.safe_load(textwrap.dedent(regel))[0]["sjabloon"]
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for soort, bron in cellen:
        if soort == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(bron))
        elif soort == "parameters":
            nb.cells.append(nbformat.v4.new_code_cell(bron, metadata={"tags": ["parameters", "hide-input"]}))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(bron, metadata={"tags": ["hide-input"]}))
    for i, cel in enumerate(nb.cells):
        cel.id = f"{sjabloon}-{i:02d}"
    nbformat.write(nb, kopie / "notebooks" / f"{sjabloon}.ipynb")


@pytest.fixture
def kopie(gebouwd_boek, tmp_path):
    """A copy of the project with the session build's results, cache and executed notebooks."""
    return kopieer_project(ROOT, tmp_path / "project", met_build=True)


def _html(kopie: Path, pagina: str) -> str:
    return (kopie / "_build" / "html" / pagina).read_text(encoding="utf-8")


def _tekst(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _frozen_regels(map_: Path, naam: str) -> list[str]:
    return (map_ / "tests" / "backtest" / f"{naam}.csv").read_text(encoding="utf-8").splitlines()


def _alleen_toegevoegd(kopie: Path, kolom: str, waarde: str) -> None:
    """The accepted back-test: every old line is still there, letter for letter; every new line is about `waarde`."""
    for naam in ("resultaten", "effecten"):
        oud, nieuw = _frozen_regels(ROOT, naam), _frozen_regels(kopie, naam)
        assert oud[0] == nieuw[0]
        assert set(oud[1:]) <= set(nieuw[1:]), f"{naam}: an accepted addition changed existing rows"
        extra = pd.read_csv(kopie / "tests" / "backtest" / f"{naam}.csv", keep_default_na=False, na_values=[""])
        extra = extra[~pd.Series(nieuw[1:]).isin(set(oud[1:])).to_numpy()]
        assert len(extra) and (extra[kolom] == waarde).all(), naam


def _alleen_nieuwe_rijen(uitvoer: str, waarde: str) -> None:
    """What `vwanalyse backtest` listed before accepting: only new rows, each about `waarde`."""
    regels = [r for r in uitvoer.splitlines() if r.startswith(("resultaten:", "effecten:"))]
    assert regels
    for regel in regels:
        if " vorm (" in regel:
            continue
        assert ": nieuwe rij " in regel and f"={waarde}" in regel, regel


def _samenvatting_telling(html: str, gebied_naam: str, pijler_naam: str) -> int:
    """The number of indicators of a pijler in a wijk's table of the samenvatting."""
    sectie = html.split(f">{gebied_naam}<a class=\"headerlink\"")[1]
    rij = re.search(rf"<tr[^>]*>\s*<td[^>]*><p>{re.escape(pijler_naam)}</p></td>\s*<td[^>]*><p>(\d+)</p>", sectie)
    return int(rij.group(1))


# ---------------------------------------------------------------- the recipes


def test_recept_indicator_toevoegen(kopie, gebouwd_boek):
    uit = volg(kopie, "indicator")
    ind = next(i for i in laad_configuratie(kopie / "data" / "config").indicatoren
               if i.id not in laad_configuratie(ROOT / "data" / "config").indicator)
    config = laad_configuratie(kopie / "data" / "config")
    # the data were made again for the new configuration; the back-test named only the new indicator
    assert "standaardwaarden (demowaarheid.yml): obesitas: afgeleid" in uit["demodata"].stdout
    _alleen_nieuwe_rijen(uit["backtest"].stdout, ind.id)
    _alleen_toegevoegd(kopie, "indicator", ind.id)
    # the relevant fast checks pass in the copy
    proef = pytest_in(kopie, "tests/test_configuratie.py", "tests/test_demodata.py", "tests/test_backtest.py")
    assert proef.returncode == 0, proef.stdout[-4000:]
    # where a reader expects it
    nul, laatste = config.metingen[0].jaar, config.metingen[-1].jaar
    for g in config.gebieden:
        assert ind.naam in _html(kopie, f"book/uitvoer/factsheet-{g.id}-{laatste}.html"), g.id
        assert ind.naam in _html(kopie, f"book/uitvoer/wijkprofiel-{g.id}.html"), g.id
        assert ind.id in (kopie / "book" / "bijlagen" / "downloads" / f"factsheet-{g.id}-{laatste}.csv").read_text(
            encoding="utf-8"), g.id
    assert ind.naam in _html(kopie, f"book/uitvoer/pijler-{ind.pijler}.html")
    assert ind.naam in _html(kopie, "book/uitvoer/effectanalyse.html")
    assert f'id="indicator-{ind.id}"' in _html(kopie, "book/bijlagen/indicatoren.html")
    pijler = config.pijler[ind.pijler].naam
    for g in config.gebieden:
        voor = _samenvatting_telling((gebouwd_boek / "book/gegenereerd/samenvatting.html").read_text(encoding="utf-8"),
                                     g.naam, pijler)
        assert _samenvatting_telling(_html(kopie, "book/gegenereerd/samenvatting.html"), g.naam, pijler) == voor + 1
    assert nul < laatste


def test_recept_wijk_toevoegen(kopie, gebouwd_boek):
    uit = volg(kopie, "wijk")
    config = laad_configuratie(kopie / "data" / "config")
    oud = laad_configuratie(ROOT / "data" / "config")
    (g,) = [g for g in config.gebieden if g.id not in oud.gebied]
    # the data check reports the new wijk and warns (without failing) that it has no projects
    check = uit["data check data/demo"].stdout
    assert f"gebied {g.id}: waarschuwing: het logic model van {g.naam} noemt geen projecten" in check
    assert f"gebied {g.id}: Gezondheidsmonitor" in check
    _alleen_nieuwe_rijen(uit["backtest"].stdout, g.id)
    _alleen_toegevoegd(kopie, "gebied", g.id)
    proef = pytest_in(kopie, "tests/test_configuratie.py", "tests/test_demodata.py", "tests/test_backtest.py",
                      "tests/test_bronnen.py", "tests/test_boek.py")
    assert proef.returncode == 0, proef.stdout[-4000:]
    # the wijk's own pages, in reader language where something is missing
    laatste = config.metingen[-1].jaar
    assert g.naam in _html(kopie, f"book/wijken/{g.id}.html")
    profiel = _tekst(_html(kopie, f"book/uitvoer/wijkprofiel-{g.id}.html"))
    assert f"Het logic model van {g.naam} noemt (nog) geen projecten" in profiel
    assert f"{g.naam} — meting {laatste}" in _tekst(_html(kopie, f"book/uitvoer/factsheet-{g.id}-{laatste}.html"))
    # and beside the other wijken: pijler pages, samenvatting, effectanalyse, datakwaliteit, downloads
    for p in config.pijlers:
        assert f"<p>{g.naam}</p>" in _html(kopie, f"book/uitvoer/pijler-{p.id}.html"), p.id
    assert f'id="samenvatting-{g.id}"' in _html(kopie, "book/gegenereerd/samenvatting.html")
    effect = _html(kopie, "book/uitvoer/effectanalyse.html")
    assert re.search(rf"<h2>{g.naam}<a class=\"headerlink\"", effect)
    assert f"<p>{g.naam}</p>" in _html(kopie, "book/uitvoer/datakwaliteit.html")
    assert list((kopie / "_build" / "html" / "_downloads").glob(f"*/factsheet-{g.id}-{laatste}.csv"))
    # no text of the site names a number of wijken the configuration does not give
    telwoorden = ["één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien"]
    juist = telwoorden[len(config.gebieden) - 1]
    tekst = " ".join(_tekst(p.read_text(encoding="utf-8")) for p in (kopie / "_build" / "html").rglob("*.html"))
    for n, woord in enumerate(telwoorden, 1):
        if n != len(config.gebieden):
            assert not re.search(rf"\b({woord}|{n}) (wijken|gebieden|monitorgebieden)\b", tekst, re.I), woord
    assert f"{juist} wijken" in tekst


def test_recept_analyse_toevoegen(kopie):
    uit = volg(kopie, "analyse")
    config = laad_configuratie(kopie / "data" / "config")
    nieuw = config.notebooks[-1]
    # only the new template's notebooks ran; every other notebook came from the cache
    build = uit["build"].stdout
    n_nieuw = len(config.gebieden)
    n_oud = sum(1 for p in (ROOT / "book" / "uitvoer").glob("*.ipynb") if not p.name.startswith("."))
    assert f"{n_nieuw} uitgevoerd, {n_oud} ongewijzigd overgeslagen, 0 mislukt" in build, build[-2000:]
    proef = pytest_in(kopie, "tests/test_uitvoer.py::test_matrix_volgt_configuratie",
                      "tests/test_uitvoer.py::test_sjablonen_noemen_niets_wat_de_configuratie_noemt",
                      "tests/test_rapport.py::test_sjablonen_structuur")
    assert proef.returncode == 0, proef.stdout[-4000:]
    for g in config.gebieden:
        html = _html(kopie, f"book/uitvoer/{nieuw.sjabloon}-{g.id}.html")
        assert f"{g.naam}: aanvullende indicatoren" in html
        aanvullend = [i for i in config.indicatoren_voor(g.id) if i.set == "aanvullend"]
        for ind in aanvullend:
            # every table carries its indicator's name
            assert re.search(rf"<strong>.*{re.escape(ind.naam)}.*</strong>", html), (g.id, ind.id)
        if not aanvullend:
            assert "Deze wijk heeft geen aanvullende indicatoren." in html
        # reachable from the wijk's section of the table of contents
        assert f"{nieuw.sjabloon}-{g.id}.html" in _html(kopie, f"book/wijken/{g.id}.html")
