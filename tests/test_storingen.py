"""Failure catalogue: what goes wrong in practice, and what the book does about it.

Every scenario ends in a clear message and leaves no partial output; the next run recovers.
End-to-end scenarios run `python -m vwanalyse` in a copy of the project (with the results,
cache and executed notebooks of the session build), so only what a scenario changes re-runs.

| scenario | expected behaviour |
|---|---|
| data for one meting missing (2025 not delivered) | the book builds with 2021 and 2023; the build says "metingen zonder gegevens: 2025"; pages say meting 2025 has no data yet |
| corrupt or truncated input file | exit 2, "er is niets gebouwd of gepubliceerd" with file, line and what was expected; results, cache and notebooks untouched; the next build with valid data succeeds |
| a template that raises | exit 1; summary names notebook, cell, error and the kept notebook in _build/mislukt; its old output and cache entry are gone, the others untouched; after the fix the next run completes |
| a run killed halfway (SIGKILL) | what is left is a hidden temporary file (excluded by Jupyter Book), no output whose cache entry disagrees; the next run removes the leftovers and completes |
| a corrupted cache entry | that notebook re-runs, the others are skipped; the entry is valid again |
| a full disk while writing the results | exit 3 with one line naming the file; no temporary or half-written file; previous results intact; the next build completes |
| an unknown gebied, meting or pijler on the command line | exit 2, "ongeldige keuze: onbekend gebied ...; bekend: ..." before anything runs; nothing changes |
| an id in the configuration that is not a plain name | ConfigFout naming file and entry; every papermill parameter is an int or a plain id |
| a published figure, page, download or results file changed by hand | `verify`, `verify --site` and `verify --archief` exit 1 with a line naming the file (and for a results table the row group and both values, in Dutch notation); an untouched publication verifies |
| a tampered output left for the next build | the no-op build notices the changed results file, figure, download and site page and makes them again (results recomputed, notebook re-run, site built from nothing); the publication verifies afterwards |
| the published figure, the site's index and its manifest all changed consistently | only the rebuild can tell: `verify --site` rebuilds and names the figure (manifest) and the site file; values as a reader writes them; the temporary folder is never named |
| 200 kernels started at once, while another process takes free ports | every kernel starts, answers and stops (IPC sockets: no port race; over TCP 15 of 200 died with "Address already in use") |
| Ctrl-C during a build | one Dutch line, exit 130, no traceback; the workers and their kernels are gone; the next build completes |
| a weight far from the median of its file (1e300) | exit 2 before anything is computed: file, line, column 'gewicht', the allowed range and the value |
| a register count of 1e20 | refused: file, line, column, teller <= teller_per_noemer x noemer and wijk <= gemeente, with both numbers |
| `alpha: 1.5` in instellingen.yml | ConfigFout naming file, entry and line: expected (0, 0.5), found 1,5 |
| a register file without the rows of a gemeente | refused: file, column gebiedscode, which code (and whose gemeente) in which year |
| a teller column missing from every register file | refused: the file of the indicator's bron, the column, which indicator needs it |
| a kolommen.yml entry whose export column is in no file | refused: kolommen.yml, its line, the entry and the files without the column |
| the survey of a meting missing while its registers are there | not an error: `data check` and the build say which source is still to come; the pages of that meting say so and show `volgt` instead of `.` |
| a failing check of the data | exit 2, the same in `data check` and `build`; the previous build (results, cache, notebooks, site) untouched to the byte |
"""

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from vwanalyse.uitvoer.taken import matrix
from vwanalyse.basis.bestanden import kopieer_project, sha256
from vwanalyse.model.configuratie import ID_PATROON, laad_configuratie
from vwanalyse.model.schema import ConfigFout

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to
CONFIG = ROOT / "data" / "config"

BUILD_DELEN = ("_build/resultaten", "_build/cache", "book/uitvoer")


@pytest.fixture
def kopie(gebouwd_boek, tmp_path):
    """A copy of the project with the session build's results, cache and executed notebooks."""
    return kopieer_project(ROOT, tmp_path / "project", met_build=True)


def vw(kopie: Path, *args, omgeving=None, timeout=1800) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(kopie), **(omgeving or {})}
    return subprocess.run([sys.executable, "-m", "vwanalyse", *map(str, args)], cwd=kopie, env=env,
                          capture_output=True, text=True, timeout=timeout)


def stand(kopie: Path) -> dict[str, str]:
    """Checksum of every file of the build state (results, cache, executed notebooks)."""
    return {str(p.relative_to(kopie)): sha256(p) for deel in BUILD_DELEN
            for p in sorted((kopie / deel).rglob("*")) if p.is_file()}


def cache_fouten(kopie: Path) -> list[str]:
    """Cache entries whose output is missing or differs from what the entry describes."""
    fouten = []
    for entry in sorted((kopie / "_build" / "cache").glob("*.json")):
        uit = kopie / "book" / "uitvoer" / f"{entry.stem}.ipynb"
        if not uit.is_file() or json.loads(entry.read_text())["uitvoer_sha256"] != sha256(uit):
            fouten.append(entry.stem)
    return fouten


def zichtbare_tijdelijke(kopie: Path) -> list[str]:
    """Temporary files a later build could mistake for output (hidden ones are excluded by _config.yml)."""
    return [str(p) for deel in BUILD_DELEN for p in (kopie / deel).rglob("*")
            if ".tmp" in p.name and not p.name.startswith(".")]


def tijdelijke(kopie: Path) -> list[str]:
    return [str(p) for deel in BUILD_DELEN for p in (kopie / deel).rglob("*") if ".tmp" in p.name]


def _filter_csv(pad: Path, kolom: str, weg: str) -> None:
    """Drop the rows of a ;-separated CSV file whose `kolom` equals `weg`."""
    tekst = pad.read_text(encoding="utf-8-sig")
    rijen = list(csv.reader(io.StringIO(tekst), delimiter=";"))
    i = rijen[0].index(kolom)
    uit = io.StringIO()
    csv.writer(uit, delimiter=";", lineterminator="\n").writerows([rijen[0]] + [r for r in rijen[1:] if r[i] != weg])
    pad.write_text(uit.getvalue(), encoding="utf-8")


def data_zonder_meting(doel: Path, meting: int) -> Path:
    """The demo data as it was before `meting` was delivered: no survey files, register rows or texts for it."""
    config = laad_configuratie(CONFIG)
    shutil.copytree(ROOT / "data" / "demo", doel)
    (doel / "MANIFEST.sha256").unlink()
    peiljaren = config.meting[meting].peiljaren
    for pad in (doel / "survey").glob("*.csv"):
        if pad.name in {f"{bron}_{jaar}.csv" for bron, jaar in peiljaren.items()}:
            pad.unlink()
    for pad in (doel / "register").glob("*.csv"):
        _filter_csv(pad, "jaar", str(peiljaren[pad.stem]))
    for pad in ("proces/projecten.csv", "narratief/fragmenten.csv", "duiding/duiding.csv"):
        _filter_csv(doel / pad, "meting", str(meting))
    return doel


# ---------------------------------------------------------------- the scenarios


def _config_met_sjablonen(kopie: Path, config: Path, *sjablonen: str) -> Path:
    """A copy of the project's configuration with only these templates (and datakwaliteit, which holds
    labels the other pages refer to), so a scenario's build stays short."""
    shutil.copytree(kopie / "data" / "config", config)
    notebooks = yaml.safe_load((config / "notebooks.yml").read_text(encoding="utf-8"))
    notebooks["notebooks"] = [n for n in notebooks["notebooks"] if n["sjabloon"] in (*sjablonen, "datakwaliteit")]
    (config / "notebooks.yml").write_text(yaml.safe_dump(notebooks, allow_unicode=True), encoding="utf-8")
    return config



@pytest.mark.traag
def test_ontbrekende_meting_boek_bouwt_met_wat_er_is(kopie, tmp_path):
    data = data_zonder_meting(tmp_path / "data", 2025)
    # one notebook per wijk keeps this build short; the data path is the real one
    config = _config_met_sjablonen(kopie, tmp_path / "config", "wijkprofiel")

    uit = vw(kopie, "--config", config, "build", "--data-dir", data, "--workers", "2")
    assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]
    assert "metingen zonder gegevens: 2025" in uit.stdout
    meta = json.loads((kopie / "_build" / "resultaten" / "meta.json").read_text(encoding="utf-8"))
    assert meta["metingen"] == [2021, 2023] and meta["ontbrekende_metingen"] == [2025]
    for gebied in laad_configuratie(config).gebied:
        pagina = (kopie / "_build" / "html" / "book" / "uitvoer" / f"wijkprofiel-{gebied}.html").read_text(encoding="utf-8")
        assert "Nog geen gegevens voor meting 2025" in pagina, gebied


@pytest.mark.traag
def test_kapot_invoerbestand_bouwt_niets(publicatie, tmp_path, config, project):
    kopie = publicatie
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "demo", data)
    pad = data / "survey" / "veiligheidsmonitor_2023.csv"
    inhoud = pad.read_bytes()
    pad.write_bytes(inhoud[: len(inhoud) // 2])  # truncated mid-row, e.g. an interrupted download
    voor, voor_build = volledige_stand(kopie), stand(kopie)

    uit = vw(kopie, "build", "--data-dir", data)
    assert uit.returncode == 2
    assert uit.stderr.startswith("fout in de gegevens; er is niets gebouwd of gepubliceerd.")
    assert "survey/veiligheidsmonitor_2023.csv" in uit.stderr and "velden per regel, zoals in de kopregel" in uit.stderr
    assert "de sha256 van survey/veiligheidsmonitor_2023.csv zoals vermeld" in uit.stderr  # the manifest saw it too
    assert volledige_stand(kopie) == voor, "the previous build is untouched: results, cache, notebooks, site"

    uit = vw(kopie, "build", "--workers", "2")  # the next run, with valid data, recovers
    assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]
    assert " 0 mislukt" in uit.stdout and (kopie / "_build" / "html" / "index.html").is_file()
    assert "resultaten hergebruikt" in uit.stdout
    assert f"0 uitgevoerd, {len(matrix(config, project))} ongewijzigd overgeslagen" in uit.stdout
    # the copy has no git history, so the manifest (and its page in the site) now names no commit
    assert stand(kopie) == voor_build, "valid data again: the same results and notebooks"


@pytest.mark.traag
def test_sjabloon_met_fout(kopie):
    sjabloon = kopie / "notebooks" / "wijkprofiel.ipynb"
    nb = nbformat.read(sjabloon, 4)
    na_parameters = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])) + 1
    nb.cells.insert(na_parameters, nbformat.v4.new_code_cell('raise RuntimeError("sjabloon kapot")'))
    nbformat.write(nb, sjabloon)
    uitvoer_pad = kopie / "book" / "uitvoer" / "wijkprofiel-batau.ipynb"
    assert uitvoer_pad.is_file()
    voor = stand(kopie)

    uit = vw(kopie, "run", "--gebied", "batau", "--workers", "1")
    assert uit.returncode == 1
    bewaard = kopie / "_build" / "mislukt" / "wijkprofiel-batau.ipynb"
    regel = next(r for r in uit.stdout.splitlines() if "MISLUKT" in r)
    assert regel == (f"  MISLUKT wijkprofiel-batau (gebied batau): cel {na_parameters + 2}: RuntimeError: "
                     f"sjabloon kapot (notebook: {bewaard})")
    assert bewaard.is_file()
    assert not uitvoer_pad.exists(), "the old output must not look current"
    assert not (kopie / "_build" / "cache" / "wijkprofiel-batau.json").exists()
    na = stand(kopie)
    gewijzigd = {k for k in voor.keys() | na.keys() if voor.get(k) != na.get(k)}
    assert gewijzigd == {"book/uitvoer/wijkprofiel-batau.ipynb", "_build/cache/wijkprofiel-batau.json"}

    shutil.copy2(ROOT / "notebooks" / "wijkprofiel.ipynb", sjabloon)  # the fix
    uit = vw(kopie, "run", "--gebied", "batau", "--workers", "1")
    assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]
    assert uit.stdout.splitlines()[-1].startswith("1 uitgevoerd, ")
    assert uitvoer_pad.is_file() and not bewaard.exists() and cache_fouten(kopie) == []


@pytest.mark.traag
def test_afgebroken_run(kopie):
    sjabloon = kopie / "notebooks" / "factsheet.ipynb"
    nb = nbformat.read(sjabloon, 4)
    nb.cells.append(nbformat.v4.new_markdown_cell("Nieuwe slotalinea."))  # a change: this notebook re-runs
    nbformat.write(nb, sjabloon)
    naam = "factsheet-vollenhove-2021"
    opdracht = [sys.executable, "-m", "vwanalyse", "run", "--gebied", "vollenhove", "--meting", "2021", "--workers", "1"]
    env = {**os.environ, "PYTHONPATH": str(kopie)}
    proces = subprocess.Popen(opdracht, cwd=kopie, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        eind = time.monotonic() + 600
        while not list((kopie / "book" / "uitvoer").glob(f".{naam}.*.tmp.ipynb")):
            assert proces.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < eind, "papermill never started writing"
            time.sleep(0.2)
        time.sleep(1)
    finally:
        os.killpg(proces.pid, signal.SIGKILL)  # its own process group: the runner and its workers
        proces.wait()

    assert zichtbare_tijdelijke(kopie) == []
    assert ".*" in yaml.safe_load((kopie / "_config.yml").read_text(encoding="utf-8"))["exclude_patterns"]
    assert cache_fouten(kopie) == []
    assert not (kopie / "_build" / "cache" / f"{naam}.json").exists(), "the interrupted notebook must not look current"

    uit = vw(kopie, "run", "--gebied", "vollenhove", "--meting", "2021", "--workers", "1")
    assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]
    assert uit.stdout.splitlines()[-1].startswith("1 uitgevoerd, ")
    assert tijdelijke(kopie) == [] and cache_fouten(kopie) == []
    assert nbformat.read(kopie / "book" / "uitvoer" / f"{naam}.ipynb", 4).cells[-1].source == "Nieuwe slotalinea."


@pytest.mark.traag
def test_kapotte_cache_entry(kopie):
    naam = "factsheet-soesterkwartier-2025"
    entry = kopie / "_build" / "cache" / f"{naam}.json"
    entry.write_text('{"sleutel": "abc", "uitvoer_sha2')  # truncated JSON
    uit = vw(kopie, "run", "--gebied", "soesterkwartier", "--meting", "2025", "--workers", "1")
    assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]
    assert uit.stdout.splitlines()[-1].startswith("1 uitgevoerd, ")
    assert json.loads(entry.read_text())["uitvoer_sha256"] == sha256(kopie / "book" / "uitvoer" / f"{naam}.ipynb")
    assert cache_fouten(kopie) == []


SCHIJF_VOL = '''\
"""Test hook (tests/test_storingen.py): a full disk for files whose name contains $VWANALYSE_TEST_SCHIJF_VOL."""
import errno, os, pathlib

_patroon = os.environ.get("VWANALYSE_TEST_SCHIJF_VOL")
if _patroon:
    def _vol(schrijf):
        def vol(self, data, *args, **kwargs):
            if _patroon in self.name:
                schrijf(self, data[: len(data) // 2], *args, **kwargs)  # half written, then the disk is full
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return schrijf(self, data, *args, **kwargs)
        return vol
    pathlib.Path.write_text = _vol(pathlib.Path.write_text)
    pathlib.Path.write_bytes = _vol(pathlib.Path.write_bytes)
'''


@pytest.mark.traag
def test_schijf_vol(kopie):
    (kopie / "sitecustomize.py").write_text(SCHIJF_VOL, encoding="utf-8")
    resultaten = kopie / "_build" / "resultaten"
    (resultaten / "invoersleutel.txt").unlink()  # the results are computed and written again
    voor = sha256(resultaten / "resultaten.csv")

    uit = vw(kopie, "build", omgeving={"VWANALYSE_TEST_SCHIJF_VOL": ".resultaten.csv."})
    assert uit.returncode == 3
    (regel,) = uit.stderr.strip().splitlines()
    assert regel == (f"fout bij het lezen of schrijven van {resultaten / 'resultaten.csv'}: No space left on device; "
                     "er is geen half bestand achtergebleven, los het op en draai opnieuw")
    assert tijdelijke(kopie) == []
    assert sha256(resultaten / "resultaten.csv") == voor
    assert not (resultaten / "invoersleutel.txt").exists(), "incomplete results must be recomputed next time"

    uit = vw(kopie, "build", "--workers", "2")
    assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]
    assert (resultaten / "invoersleutel.txt").is_file() and sha256(resultaten / "resultaten.csv") == voor


@pytest.mark.parametrize("keuze, melding", [
    (["--gebied", "Overvecht"], "onbekend gebied 'Overvecht'; bekend: overvecht, batau, vollenhove, soesterkwartier"),
    (["--meting", "2024"], "onbekende meting 2024; bekend: 2021, 2023, 2025"),
    (["--pijler", "gezondheid\"); import os; os.remove(\"x"], "onbekende pijler 'gezondheid\"); import os;"),
])
@pytest.mark.traag
def test_onbekende_keuze_op_de_opdrachtregel(kopie, keuze, melding):
    voor = stand(kopie)
    uit = vw(kopie, "run", *keuze)
    assert uit.returncode == 2
    (regel,) = uit.stderr.strip().splitlines()
    assert regel.startswith(f"ongeldige keuze: {melding}")
    assert stand(kopie) == voor and not (kopie / "_build" / "mislukt").exists()


# ---------------------------------------------------------------- parameters are plain values


@pytest.mark.parametrize("bestand, wijzig, plek", [
    ("pijlers.yml", lambda d: d["pijlers"][0].update(id="zorg'); import os; ('"), "pijlers[0]"),
    ("gebieden.yml", lambda d: d["gebieden"][1].update(id="../../geheim"), "gebieden[1] (../../geheim)"),
    ("gebieden.yml", lambda d: d["gebieden"][0].update(id="Overvecht"), "gebieden[0] (Overvecht)"),
    ("notebooks.yml", lambda d: d["notebooks"][0].update(sjabloon="wijk profiel"), "notebooks[0] (wijk profiel)"),
])
def test_ids_in_configuratie_zijn_gewone_namen(tmp_path, bestand, wijzig, plek):
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    data = yaml.safe_load((config / bestand).read_text(encoding="utf-8"))
    wijzig(data)
    (config / bestand).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigFout) as fout:
        laad_configuratie(config)
    assert fout.value.bestand == str(config / bestand) and fout.value.plek == plek
    assert "mag alleen kleine letters, cijfers en _ bevatten" in fout.value.melding


def test_papermill_krijgt_alleen_gewone_waarden(config, project):
    for taak in matrix(config, project):
        for sleutel, waarde in taak.parameters.items():
            if sleutel == "resultaten_map":  # made by the code, relative to book/uitvoer
                assert waarde == os.path.relpath(project.resultaten_map, project.uitvoer_map)
            else:
                assert type(waarde) is int or ID_PATROON.fullmatch(waarde), (taak.naam, sleutel, waarde)


# ---------------------------------------------------------------- issue 14: what was published, absurd inputs, Ctrl-C


GEPUBLICEERD = ("_build/html", "_build/manifest.json", "_build/manifest-geheugen.json", "_build/_toc.yml",
                "_build/_config.build.yml", "_build/.doctrees", "_build/jupyter_execute")
FIGUUR = "_images/factsheet-batau-2025-gezondheid.png"
PAGINA = "book/uitvoer/factsheet-batau-2025.html"


@pytest.fixture
def publicatie(gebouwd_boek, tmp_path):
    """A copy of the project with the whole session build: results, cache, notebooks, site, manifest."""
    kopie = kopieer_project(ROOT, tmp_path / "project", met_build=True)
    for naam in GEPUBLICEERD:
        bron = ROOT / naam
        if bron.is_dir():
            shutil.copytree(bron, kopie / naam, dirs_exist_ok=True)
        elif bron.is_file():
            shutil.copy2(bron, kopie / naam)
    return kopie


def volledige_stand(kopie: Path) -> dict[str, str]:
    """stand() plus the site and the manifest: everything a failed build must leave alone."""
    uit = stand(kopie)
    for p in sorted((kopie / "_build" / "html").rglob("*")):
        if p.is_file():
            uit[str(p.relative_to(kopie))] = sha256(p)
    uit["_build/manifest.json"] = sha256(kopie / "_build" / "manifest.json")
    return uit


def _rode_vlek(pad: Path) -> None:
    """Red pixels painted into a PNG (as in the issue)."""
    from PIL import Image

    with Image.open(pad) as beeld:
        beeld = beeld.convert("RGBA")
    for x in range(10, 40):
        for y in range(10, 40):
            beeld.putpixel((x, y), (255, 0, 0, 255))
    beeld.save(pad)


def _ander_getal(pad: Path) -> str:
    """One estimate of a results (or effects) CSV changed, in a wijk row; returns its row group
    ('gebied/meting/indicator', or 'gebied/indicator' for the effects)."""
    regels = pad.read_text(encoding="utf-8").splitlines()
    kop = regels[0].split(",")
    for i, regel in enumerate(regels[1:], start=1):
        velden = next(csv.reader([regel]))
        if ("rol" not in kop or velden[kop.index("rol")] == "wijk") and velden[kop.index("schatting")]:
            velden[kop.index("schatting")] = "0.9"
            uit = io.StringIO()
            csv.writer(uit, lineterminator="").writerow(velden)
            regels[i] = uit.getvalue()
            pad.write_text("\n".join(regels) + "\n", encoding="utf-8")
            return "/".join(velden[kop.index(k)] for k in ("gebied", "meting", "indicator") if k in kop)
    raise AssertionError("no row with a value")


def _download(site: Path, naam: str) -> Path:
    (pad,) = site.glob(f"_downloads/*/{naam}")
    return pad


WIJZIGINGEN = {
    "figuur": (lambda site: _rode_vlek(site / FIGUUR), FIGUUR),
    "pagina": (lambda site: (site / PAGINA).write_text(
        (site / PAGINA).read_text(encoding="utf-8").replace("Batau", "Bataaf", 1), encoding="utf-8"), PAGINA),
    "download": (lambda site: _ander_getal(_download(site, "resultaten.csv")), "resultaten.csv"),
    # a factsheet PDF with bytes added after its end: a reader's viewer shows the same pages
    "factsheet-pdf": (lambda site: _aangevuld(min(site.glob("pdf/factsheet-*.pdf"))), "pdf/factsheet-"),
}


def _aangevuld(pad: Path) -> None:
    with pad.open("ab") as uit:
        uit.write(b"\n% toegevoegd\n")


@pytest.mark.parametrize("hoe", ["verify", "--site", "--archief"])
@pytest.mark.parametrize("wat", ["figuur", "pagina", "download", "factsheet-pdf", "resultatenbestand", "niets"])
@pytest.mark.traag
def test_gewijzigde_publicatie_wordt_genoemd(publicatie, tmp_path, hoe, wat):
    from vwanalyse.boek.publicatie import maak_archief

    if wat == "resultatenbestand" and hoe != "verify":
        pytest.skip("a received site has its results only as downloads (the case 'download')")
    site = publicatie / "_build" / "html"
    if hoe != "verify":
        site = shutil.copytree(site, tmp_path / "ontvangen")
    if wat == "resultatenbestand":
        groep = _ander_getal(publicatie / "_build" / "resultaten" / "resultaten.csv")
        naam = "resultaten/resultaten.csv"
    elif wat != "niets":
        wijzig, naam = WIJZIGINGEN[wat]
        wijzig(site)
    if hoe == "--archief":  # a tamperer who packs the site again and writes a new .sha256
        archief, _ = maak_archief(site, tmp_path / "archief" / "eindrapportage-html.tar.gz")
        opdracht = ["verify", "--archief", archief]
    else:
        opdracht = ["verify"] if hoe == "verify" else ["verify", "--site", site]
    uit = vw(publicatie, *opdracht, "--zonder-herbouw")
    if wat == "niets":
        assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]
        assert "geverifieerd: de publicatie komt overeen met" in uit.stdout
        return
    assert uit.returncode == 1, uit.stdout[-3000:] + uit.stderr[-3000:]
    regels = [r for r in uit.stdout.splitlines() if naam in r]
    assert regels, uit.stdout[-3000:]
    if wat == "resultatenbestand":
        (regel,) = regels
        assert regel.startswith(f"resultaten   resultaten/resultaten.csv: {groep} wijk.schatting: ")
        assert regel.endswith("volgens resultaten.parquet, 0,9 in het bestand")
    assert "np.float64" not in uit.stdout and "Traceback" not in uit.stderr


def _zonder_looptijden(bouwsel: dict) -> dict:
    return {**bouwsel, "notebooks": {naam: {k: v for k, v in nb.items() if k != "duur_s"}
                                     for naam, nb in bouwsel["notebooks"].items()}}


@pytest.mark.traag
def test_gewijzigde_uitvoer_wordt_niet_hergebruikt(publicatie, config, project):
    """A no-op build remakes every output changed by hand, byte for byte: first the published site
    alone (nothing else changed, so only its index can tell), then a results file, a notebook's
    figure and the stock of downloads (a download would carry its tampered copy into the site)."""
    from vwanalyse.boek.paginas import MANIFEST_BIJLAGE
    from vwanalyse.controle import manifest, uitgave

    uit = vw(publicatie, "build", "--workers", "2")  # the copy has no git: its manifest names no commit
    assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]
    voor = volledige_stand(publicatie)
    oud = manifest.lees(publicatie / "_build" / "manifest.json")
    html = publicatie / "_build" / "html"
    _rode_vlek(html / FIGUUR)  # the published figure
    WIJZIGINGEN["pagina"][0](html)  # a published page
    uit = vw(publicatie, "build", "--workers", "2")
    assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]
    assert "resultaten hergebruikt" in uit.stdout
    assert f"0 uitgevoerd, {len(matrix(config, project))} ongewijzigd overgeslagen" in uit.stdout
    assert f"site gewijzigd sinds de vorige build ({FIGUUR}, {PAGINA}): helemaal opnieuw gebouwd" in uit.stdout
    assert volledige_stand(publicatie) == voor, "the tampered site files made again, byte for byte"

    _ander_getal(publicatie / "_build" / "resultaten" / "resultaten.csv")  # a results file
    _rode_vlek(publicatie / "book" / "uitvoer" / "figuren" / "factsheet-batau-2025-gezondheid.png")  # a notebook's figure
    _ander_getal(publicatie / "_build" / "resultaten" / "downloads" / "effecten.csv")  # the stock of downloads
    uit = vw(publicatie, "build", "--workers", "2")
    assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]
    assert "resultatenbestanden gewijzigd sinds de vorige build (resultaten.csv): opnieuw berekend" in uit.stdout
    assert uit.stdout.count("MISLUKT") == 0 and f"1 uitgevoerd, {len(matrix(config, project)) - 1} ongewijzigd overgeslagen" in uit.stdout
    na = volledige_stand(publicatie)
    anders = {k for k in voor.keys() | na.keys() if voor.get(k) != na.get(k)}
    # only the new run time of the notebook that ran again: its cache entry, the manifest (copies),
    # the reproducibility page, the factsheet PDFs (their footer names the manifest's sha256) and the
    # site's index of them; every tampered file is back, byte for byte
    assert {k for k in anders if not k.endswith(("/factsheet-batau-2025.json", "manifest.json", "searchindex.js",
                                                 f"{MANIFEST_BIJLAGE}.html", f"{MANIFEST_BIJLAGE}.md",
                                                 uitgave.INDEX))
            and not k.startswith("_build/html/pdf/factsheet-")} == set()
    assert _zonder_looptijden(manifest.lees(publicatie / "_build" / "manifest.json")) == _zonder_looptijden(oud)
    uit = vw(publicatie, "verify", "--zonder-herbouw")
    assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]


@pytest.mark.traag
def test_alleen_de_herbouw_ziet_een_consequente_vervalsing(publicatie, tmp_path):
    """Figure, index and manifest changed together, and one number in the results download: the
    site agrees with itself, so only the rebuild from the inputs can tell."""
    from vwanalyse.controle import manifest, uitgave

    site = shutil.copytree(publicatie / "_build" / "html", tmp_path / "ontvangen")
    figuur = FIGUUR.removeprefix("_images/")
    _rode_vlek(site / FIGUUR)
    groep = _ander_getal(_download(site, "resultaten.csv"))
    bouwsel = manifest.lees(site / "manifest.json")
    bouwsel["figuren"][figuur] = {"sha256": sha256(site / FIGUUR), "beeld": manifest.beeldsom(site / FIGUUR)}
    bouwsel["downloads"]["resultaten.csv"] = sha256(_download(site, "resultaten.csv"))
    bouwsel["resultaten"][groep] = "0" * 64
    for pad in [site / "manifest.json", _download(site, "manifest.json")]:
        manifest.schrijf(bouwsel, pad)
    index = json.loads((site / uitgave.INDEX).read_text(encoding="utf-8"))
    uitgave.schrijf_index(site, index["bronnen"], bouwsel)

    assert vw(publicatie, "verify", "--site", site, "--zonder-herbouw").returncode == 0  # consistent
    uit = vw(publicatie, "verify", "--site", site, "--workers", "2")
    assert uit.returncode == 1, uit.stdout[-3000:] + uit.stderr[-3000:]
    regels = uit.stdout.splitlines()
    assert any(r.startswith(f"figuren      {figuur}: ander beeld") for r in regels), uit.stdout[-3000:]
    assert any(r.startswith(f"site         {FIGUUR}: ander beeld") for r in regels)
    waarde = [r for r in regels if r.startswith(f"resultaten   {groep}: wijk.schatting: ")]
    assert len(waarde) == 1 and waarde[0].endswith(" in de nieuwe build"), uit.stdout[-3000:]
    assert "0,9 in de gepubliceerde build" in waarde[0]
    assert any(r.startswith("downloads    resultaten.csv: ") for r in regels)
    assert "np.float64" not in uit.stdout
    assert "vwanalyse-verify-" not in uit.stdout + uit.stderr, "the temporary folder is gone: never named"


@pytest.mark.traag
def test_kernels_zonder_poortrace(tmp_path):
    from test_kernelstart import PER_PROCES, PROCESSEN, stress

    fouten = stress(tmp_path)
    assert fouten == [], f"{len(fouten)} van {PROCESSEN * PER_PROCES} kernels mislukt:\n" + "\n".join(fouten[:20])


def _nakomelingen(pid: int) -> set[int]:
    """Every living descendant of a process (from /proc)."""
    ouders = {}
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                ouders[int(p.name)] = int((p / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    uit, rand = set(), {pid}
    while rand:
        rand = {k for k, o in ouders.items() if o in rand} - uit
        uit |= rand
    return uit


def _leeft(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.traag
def test_ctrl_c_stopt_netjes(kopie):
    from vwanalyse.basis.processen import AFGEBROKEN_TEKST

    env = {**os.environ, "PYTHONPATH": str(kopie)}
    proces = subprocess.Popen([sys.executable, "-m", "vwanalyse", "run", "--force", "--workers", "2"], cwd=kopie,
                              env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        eind = time.monotonic() + 600
        while not list((kopie / "book" / "uitvoer").glob(".*.tmp.ipynb")):  # notebooks are running
            assert proces.poll() is None, proces.communicate()
            assert time.monotonic() < eind, "papermill never started writing"
            time.sleep(0.2)
        time.sleep(2)
        kinderen = _nakomelingen(proces.pid)
        assert len(kinderen) >= 4, kinderen  # workers, their forkservers, kernels
        os.killpg(proces.pid, signal.SIGINT)  # what the terminal does on Ctrl-C: the whole foreground group
        uit, fout = proces.communicate(timeout=120)
    finally:
        if proces.poll() is None:
            os.killpg(proces.pid, signal.SIGKILL)
    assert proces.returncode == 130, fout[-3000:]
    assert "Traceback" not in fout and "KeyboardInterrupt" not in fout, fout[-3000:]
    assert fout.strip().splitlines()[-1].split("\r")[-1] == AFGEBROKEN_TEKST, fout[-3000:]
    time.sleep(3)  # kernels whose parent is gone stop within a second
    assert [p for p in kinderen if _leeft(p)] == [], "workers and kernels stopped"

    uit = vw(kopie, "run", "--workers", "2")
    assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]
    assert " 0 mislukt" in uit.stdout and cache_fouten(kopie) == []


# -- absurd or incomplete inputs, refused at the door (fast: the loader on a planted copy of the demo data)


def _demo(doel: Path) -> Path:
    shutil.copytree(ROOT / "data" / "demo", doel)
    (doel / "MANIFEST.sha256").unlink()  # the planted changes are meant
    return doel


def _lees(pad: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(pad.read_text(encoding="utf-8-sig")), delimiter=";"))


def _schrijf(pad: Path, rijen: list[list[str]]) -> None:
    uit = io.StringIO()
    csv.writer(uit, delimiter=";", lineterminator="\n").writerows(rijen)
    pad.write_text(uit.getvalue(), encoding="utf-8")


def _zet(pad: Path, sleutel: dict, kolom: str, waarde: str) -> int:
    """Set one cell of a ;-separated CSV file; returns the line number (header = 1)."""
    rijen = _lees(pad)
    for nr, rij in enumerate(rijen[1:], start=2):
        if all(rij[rijen[0].index(k)] == v for k, v in sleutel.items()):
            rij[rijen[0].index(kolom)] = waarde
            _schrijf(pad, rijen)
            return nr
    raise AssertionError(f"no row {sleutel} in {pad}")


def _problemen(data: Path, config) -> list[str]:
    from vwanalyse.invoer.bronnen import DataFout, laad_gegevens

    with pytest.raises(DataFout) as fout:
        laad_gegevens(data, config)
    return [str(p) for p in fout.value.problemen]


def test_gewicht_ver_van_de_mediaan(tmp_path, config):
    data = _demo(tmp_path / "data")
    pad = data / "survey" / "ggd_gezondheidsmonitor_2022.csv"
    rijen = _lees(pad)
    rijen[5][rijen[0].index("gewicht")] = "1e300"
    _schrijf(pad, rijen)
    (regel,) = _problemen(data, config)
    assert regel.startswith("survey/ggd_gezondheidsmonitor_2022.csv, regel 6: kolom 'gewicht': verwacht een gewicht "
                            "tussen ")
    assert "binnen een factor 50 van de mediaan van het bestand" in regel and regel.endswith("gevonden '1e300'")


def test_registertelling_van_1e20(tmp_path, config):
    data = _demo(tmp_path / "data")
    nr = _zet(data / "register" / "politie.csv", {"gebiedscode": "WK034403", "jaar": "2023"}, "misdrijven", "1e20")
    regels = _problemen(data, config)
    assert regels == [
        f"register/politie.csv, regel {nr}: kolom 'misdrijven': verwacht hoogstens 10.000 × 'inwoners' in "
        "register/cbs_kwb.csv (teller en noemer van misdrijven; plausibiliteit.teller_per_noemer in instellingen.yml), "
        "gevonden WK034403 2023: 1 × 10^20 bij inwoners 34.975",
        f"register/politie.csv, regel {nr}: kolom 'misdrijven': verwacht hoogstens de waarde van de gemeente in "
        "hetzelfde jaar (een wijk of buurt is een deel van haar gemeente), gevonden WK034403 2023: 1 × 10^20 > 27.350 "
        "(GM0344)"]


def test_noemer_groter_dan_de_gemeente(tmp_path, config):
    data = _demo(tmp_path / "data")
    nr = _zet(data / "register" / "cbs_kwb.csv", {"gebiedscode": "WK034403", "jaar": "2023"}, "inwoners", "1e20")
    (regel,) = _problemen(data, config)
    assert regel.startswith(f"register/cbs_kwb.csv, regel {nr}: kolom 'inwoners': verwacht hoogstens de waarde van "
                            "de gemeente in hetzelfde jaar")


def test_alpha_buiten_nul_en_een_half(tmp_path):
    config = shutil.copytree(CONFIG, tmp_path / "config")
    pad = config / "instellingen.yml"
    pad.write_text(pad.read_text(encoding="utf-8").replace("\nalpha: 0.05\n", "\nalpha: 1.5\n"), encoding="utf-8")
    with pytest.raises(ConfigFout) as fout:
        laad_configuratie(config)
    assert str(fout.value) == (f"{pad}: alpha (regel 4): verwacht een significantieniveau groter dan 0 en kleiner dan "
                               "0,5 (gebruikelijk: 0.05), gevonden 1,5")


def test_register_zonder_de_rijen_van_een_gemeente(tmp_path, config):
    data = _demo(tmp_path / "data")
    pad = data / "register" / "cbs_kwb.csv"
    _schrijf(pad, [r for r in _lees(pad) if not (r[0] == "GM0356" and r[1] == "2023")])
    assert _problemen(data, config) == [
        "register/cbs_kwb.csv: kolom 'gebiedscode': verwacht een rij voor elke CBS-code van elk gebied en voor zijn "
        "gemeente, in elk peiljaar waarin het bestand een rij van het gebied heeft (de rest van de gemeente is de "
        "gemeente min het gebied; "
        "data/FORMAAT.md), gevonden geen rij voor GM0356 (gemeente van batau) in 2023"]


def test_gebied_nog_niet_geleverd_in_een_registerbestand_is_geen_fout(tmp_path, config):
    """A gebied without a single row in a year (a new wijk, not delivered yet, issue 15) is not an
    error of the register-rows rule; the completeness report warns instead."""
    from vwanalyse.invoer.bronnen import controleer_map, laad_gegevens

    data = _demo(tmp_path / "data")
    pad = data / "register" / "cbs_kwb.csv"
    batau = set(config.gebied["batau"].codes)
    _schrijf(pad, [r for r in _lees(pad) if not (r[0] in batau and r[1] == "2023")])
    laad_gegevens(data, config)  # no DataFout
    assert not [t for _, t in controleer_map(data, config) if t.startswith("fout:")]
    # one of its two wijken still there: the other one's row is required
    _schrijf(pad, [r for r in _lees(pad) if not (r[0] == sorted(batau)[0] and r[1] == "2021")])
    (regel,) = _problemen(data, config)
    assert regel.endswith(f"gevonden geen rij voor {sorted(batau)[0]} (batau) in 2021")


def test_tellerkolom_in_geen_enkel_bestand(tmp_path, config):
    data = _demo(tmp_path / "data")
    pad = data / "register" / "politie.csv"
    rijen = _lees(pad)
    i = rijen[0].index("misdrijven")
    _schrijf(pad, [r[:i] + r[i + 1:] for r in rijen])
    assert _problemen(data, config) == [
        "register/politie.csv, regel 1: kolom 'misdrijven': verwacht een kolom 'misdrijven' in register/politie.csv of "
        "een ander registerbestand: de teller van indicator misdrijven (berekening.teller in indicatoren.yml), "
        "gevonden geen kolom met deze naam in een registerbestand"]


def test_kolommen_yml_met_een_kolom_die_niet_bestaat(tmp_path, config):
    data = _demo(tmp_path / "data")
    (data / "kolommen.yml").write_text("ggd_gezondheidsmonitor:\n  gewicht: EWGGD\nveiligheidsmonitor:\n"
                                       "  stratum: STRAT\n", encoding="utf-8")
    for pad in (data / "survey").glob("ggd_*.csv"):
        pad.write_text(pad.read_text(encoding="utf-8-sig").replace(";gewicht;", ";EWGGD;", 1), encoding="utf-8")
    for pad in (data / "survey").glob("veiligheidsmonitor_*.csv"):  # this export has no strata
        rijen = _lees(pad)
        weg = [rijen[0].index("stratum"), rijen[0].index("psu")]
        _schrijf(pad, [[v for k, v in enumerate(r) if k not in weg] for r in rijen])
    assert _problemen(data, config) == [
        "kolommen.yml, regel 4: verwacht een kolom 'STRAT' in de bestanden van veiligheidsmonitor (de regel 'stratum: "
        "STRAT' onder veiligheidsmonitor), gevonden geen kolom 'STRAT' (en ook geen 'stratum') in de kopregel van "
        "survey/veiligheidsmonitor_2021.csv, survey/veiligheidsmonitor_2023.csv, survey/veiligheidsmonitor_2025.csv"]


def _zonder_enquete_2025(doel: Path) -> Path:
    data = _demo(doel)
    for naam in ("ggd_gezondheidsmonitor_2024.csv", "veiligheidsmonitor_2025.csv"):
        (data / "survey" / naam).unlink()
    return data


def test_enquete_van_een_meting_ontbreekt_terwijl_registers_er_zijn(tmp_path, config):
    from vwanalyse import rapport
    from vwanalyse.invoer.bronnen import controleer_map, laad_gegevens
    from vwanalyse.resultaten import berekening, opslag

    data = _zonder_enquete_2025(tmp_path / "data")
    gegevens = laad_gegevens(data, config)
    assert gegevens.metingen == [2021, 2023, 2025]
    assert gegevens.ontbrekende_bronnen == {2025: ["ggd_gezondheidsmonitor", "veiligheidsmonitor"]}
    assert ("metingen", "let op: meting 2025: nog geen gegevens van ggd_gezondheidsmonitor "
                        "(survey/ggd_gezondheidsmonitor_2024.csv), veiligheidsmonitor (survey/veiligheidsmonitor_2025.csv); "
                        "de pagina's van deze meting zeggen dat die cijfers volgen") in controleer_map(data, config)
    map = tmp_path / "resultaten"
    opslag.schrijf(map, berekening.bereken_resultaten(config, gegevens), gegevens, config)
    r = rapport.laad(map, "batau")
    assert "de Gezondheidsmonitor Volwassenen en Ouderen en de Veiligheidsmonitor nog niet aangeleverd; die cijfers " \
           "volgen met de derde meting" in rapport.ontbrekend_tekst(r, 2025, "batau")
    tabel = rapport.factsheet_tabel(r, "batau", 2025, "gezondheid").data
    rij = next(regel for regel in tabel.splitlines() if "indicator-roken" in regel)
    assert rij.split(" | ")[1:5] == ["volgt"] * 4  # wijk, rest, comparison, gemeente; not '.'
    assert "`volgt` = de bron van deze meting is nog niet aangeleverd." in tabel
    assert rapport.ontbrekend_tekst(r, 2023, "batau") is None


@pytest.mark.traag
def test_enquete_ontbreekt_boek_zegt_wat_volgt(kopie, tmp_path):
    data = _zonder_enquete_2025(tmp_path / "data")
    config = _config_met_sjablonen(kopie, tmp_path / "config", "factsheet")

    uit = vw(kopie, "--config", config, "build", "--data-dir", data, "--workers", "2")
    assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]
    assert "meting 2025: nog geen gegevens van ggd_gezondheidsmonitor" in uit.stdout
    for gebied in laad_configuratie(config).gebied:
        pagina = (kopie / "_build" / "html" / "book" / "uitvoer" / f"factsheet-{gebied}-2025.html").read_text(
            encoding="utf-8")
        assert "nog niet aangeleverd; die cijfers volgen met de derde meting" in pagina, gebied
        assert ">volgt<" in pagina, gebied
    pagina = (kopie / "_build" / "html" / "book" / "uitvoer" / "datakwaliteit.html").read_text(encoding="utf-8")
    assert "nog niet aangeleverd: Gezondheidsmonitor Volwassenen en Ouderen, Veiligheidsmonitor" in pagina


def test_data_check_en_build_geven_dezelfde_exitcode(tmp_path, config):
    """The same bad folder: `data check` and `build` both exit 2, and the build changes nothing."""
    from vwanalyse import cli

    data = _demo(tmp_path / "data")
    _zet(data / "register" / "politie.csv", {"gebiedscode": "WK034403", "jaar": "2023"}, "misdrijven", "1e20")
    project = tmp_path / "project"  # a bare project: nothing of this checkout is touched
    project.mkdir()
    shutil.copy2(ROOT / "_config.yml", project / "_config.yml")
    shutil.copytree(ROOT / "notebooks", project / "notebooks")
    assert cli.main(["--project", str(project), "--config", str(CONFIG), "data", "check", str(data)]) == 2
    assert cli.main(["--project", str(project), "--config", str(CONFIG), "build", "--data-dir", str(data)]) == 2
    assert not (project / "_build" / "resultaten" / "meta.json").exists()
    slecht = shutil.copytree(CONFIG, tmp_path / "config")
    (slecht / "instellingen.yml").write_text((slecht / "instellingen.yml").read_text().replace(
        "\nalpha: 0.05\n", "\nalpha: 0\n"))
    for opdracht in (["config", "check"], ["data", "check", str(ROOT / "data" / "demo")], ["build"]):
        assert cli.main(["--project", str(project), "--config", str(slecht), *opdracht]) == 2, opdracht
    assert cli.main(["--project", str(project), "verify", "--site", str(tmp_path), "--zonder-herbouw"]) == 2
    kapot = tmp_path / "kapot.tar.gz"  # not an archive: as unreadable as a broken manifest
    kapot.write_text("geen archief")
    assert cli.main(["--project", str(project), "verify", "--archief", str(kapot), "--zonder-herbouw"]) == 2
