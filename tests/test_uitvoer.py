"""The notebook runner: matrix, parameter validation, cache keys, failures and interruptions."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from vwanalyse.basis.bestanden import sha256
from vwanalyse.basis.project import Project
from vwanalyse.resultaten.opslag import TABELLEN
from vwanalyse.uitvoer import cache, runner
from vwanalyse.uitvoer.taken import ParameterFout, Taak, matrix

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to


@pytest.fixture
def werkmappen(tmp_path) -> Project:
    """A temporary project with two small templates, one fine, one that raises."""
    sjablonen = tmp_path / "notebooks"
    sjablonen.mkdir()
    (tmp_path / "_config.yml").write_text("title: test\n")
    for naam, code in (("goed", "print(gebied.upper())"), ("kapot", "raise ValueError('kapot gegaan')")):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbformat.v4.new_markdown_cell("# {gebied_naam}: test"),
                    nbformat.v4.new_code_cell('gebied = "overvecht"\nresultaten_map = "."', metadata={"tags": ["parameters"]}),
                    nbformat.v4.new_code_cell("x = 1"),
                    nbformat.v4.new_code_cell(code)]
        nbformat.write(nb, sjablonen / f"{naam}.ipynb")
    return Project.maak(tmp_path, ROOT / "data" / "config", ROOT / "data" / "demo")


def _taak(project: Project, sjabloon, gebied="overvecht", invoer=()):
    naam = f"{sjabloon}-{gebied}"
    return Taak(sjabloon=sjabloon, parameters={"gebied": gebied, "resultaten_map": "."}, naam=naam,
                titel=f"{gebied.title()}: test", invoer=tuple(invoer),
                sjabloon_pad=project.notebook_map / f"{sjabloon}.ipynb", uitvoer=project.uitvoer_map / f"{naam}.ipynb",
                cache=project.cache_map / f"{naam}.json", mislukt_map=project.mislukt_map)


def test_matrix_volgt_configuratie(config, project):
    taken = matrix(config, project)
    namen = [t.naam for t in taken]
    assert len(namen) == len(set(namen))
    assert "factsheet-vollenhove-2025" in namen and "pijler-onderwijs" in namen and "effectanalyse" in namen
    # one notebook per combination of what the definition runs over, counted in the configuration
    aantal = {"gebied": len(config.gebieden), "meting": len(config.metingen), "pijler": len(config.pijlers)}
    for d in config.notebooks:
        verwacht = 1
        for dimensie in d.over:  # a local module runs only for its gebieden (lokaal.yml)
            verwacht *= len(config.lokaal.gebieden(d.module)) if d.module and dimensie == "gebied" else aantal[dimensie]
        assert sum(t.sjabloon == d.sjabloon for t in taken) == verwacht, d.sjabloon
    assert len(taken) == sum(sum(t.sjabloon == d.sjabloon for t in taken) for d in config.notebooks)
    fs = next(t for t in taken if t.naam == "factsheet-batau-2023")
    assert fs.titel == "Batau — meting 2023"
    assert fs.parameters == {"gebied": "batau", "meting": 2023, "resultaten_map": "../../_build/resultaten"}
    assert all(p.parent.name == "batau" for p in fs.invoer[:-1])
    assert [w["pijler_naam"] for w in fs.herhalingen["pijler"]] == [p.naam for p in config.pijlers]
    assert fs.titelwaarden == {"gebied_naam": "Batau", "meting": 2023, "meting_naam": config.meting[2023].naam}


@pytest.mark.parametrize("keuze, melding", [
    ({"gebieden": ["nergens"]}, lambda c: f"onbekend gebied 'nergens'; bekend: {', '.join(c.gebied)}"),
    ({"metingen": [2022]}, lambda c: f"onbekende meting 2022; bekend: {', '.join(map(str, c.meting))}"),
    ({"pijlers": ["zorg; rm -rf /"]}, lambda c: "onbekende pijler 'zorg; rm -rf /'"),
])
def test_onbekende_parameters_geweigerd(config, project, keuze, melding):
    with pytest.raises(ParameterFout) as info:
        matrix(config, project, **keuze)
    assert melding(config) in str(info.value)


def test_cli_weigert_onbekend_gebied_voordat_iets_draait():
    uit = subprocess.run([str(Path(sys.executable).parent / "vwanalyse"), "run", "--gebied", "Overvecht"],
                         capture_output=True, text=True, cwd=ROOT)
    assert uit.returncode == 2
    assert "ongeldige keuze: onbekend gebied 'Overvecht'" in uit.stderr


def test_cachesleutel_verandert_alleen_met_eigen_invoer(config, werkmappen):
    shutil.copytree(ROOT / "notebooks", werkmappen.notebook_map, dirs_exist_ok=True)
    map = werkmappen.resultaten_map
    for sub in ["", "gebied/overvecht", "gebied/batau"]:
        (map / sub).mkdir(parents=True, exist_ok=True)
        for t in TABELLEN:
            (map / sub / f"{t}.parquet").write_bytes(b"v1")
    (map / "meta.json").write_text("{}")
    taken = matrix(config, werkmappen, gebieden=["overvecht", "batau"])
    bron, cfg = "bron", "config"
    voor = {t.naam: cache.cachesleutel(t, bron, cfg) for t in taken}
    assert voor == {t.naam: cache.cachesleutel(t, bron, cfg) for t in taken}, "keys must be deterministic"
    # overvecht's data change: its slice and the full tables change, batau's slice does not
    (map / "gebied/overvecht/resultaten.parquet").write_bytes(b"v2")
    (map / "resultaten.parquet").write_bytes(b"v2")
    na = {t.naam: cache.cachesleutel(t, bron, cfg) for t in taken}
    veranderd = {n for n in voor if voor[n] != na[n]}
    assert veranderd == {n for n in voor if "overvecht" in n or not any(g in n for g in ("batau",))}
    assert not any("batau" in n for n in veranderd)
    # source code and configuration are part of every key
    assert all(cache.cachesleutel(t, "anders", cfg) != na[t.naam] for t in taken)
    assert all(cache.cachesleutel(t, bron, "anders") != na[t.naam] for t in taken)


def test_fout_in_een_notebook_stopt_de_andere_niet(config, werkmappen):
    oud = werkmappen.uitvoer_map / "kapot-overvecht.ipynb"
    oud.parent.mkdir(parents=True)
    oud.write_text("een oude versie die er actueel uitziet")
    with ThreadPoolExecutor(2) as ex:
        verslag = runner.voer_uit([_taak(werkmappen, "goed"), _taak(werkmappen, "kapot")], config, executor=ex, werkers=2, voortgang=False)
    assert verslag.uitgevoerd == ["goed-overvecht"]
    (naam, melding), = verslag.mislukt.items()
    assert naam == "kapot-overvecht (gebied overvecht)"
    # cell number in the kept (executed) notebook, which has papermill's injected cell
    assert melding.startswith("cel 5: ValueError: kapot gegaan (notebook: ")
    assert (werkmappen.mislukt_map / "kapot-overvecht.ipynb").is_file()
    assert not oud.exists(), "a failed notebook must not leave an old output that looks current"
    assert "MISLUKT kapot-overvecht (gebied overvecht): cel 5: ValueError" in verslag.samenvatting()
    goed = nbformat.read(werkmappen.uitvoer_map / "goed-overvecht.ipynb", 4)
    assert goed.cells[0].source == "# Overvecht: test"
    assert "OVERVECHT" in goed.cells[-1].outputs[0]["text"]
    assert [c.metadata.get("tags") for c in goed.cells[1:]] == [["parameters", "remove-cell"],
                                                                ["injected-parameters", "remove-cell"],
                                                                ["remove-input"], ["remove-input"]]


def test_cache_slaat_over_en_herstelt_van_corruptie(config, werkmappen):
    invoer = werkmappen.root / "invoer.parquet"
    invoer.write_bytes(b"1")
    taak = _taak(werkmappen, "goed", invoer=[invoer])
    with ThreadPoolExecutor(1) as ex:
        assert runner.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False).uitgevoerd == [taak.naam]
        assert runner.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False).overgeslagen == [taak.naam]
        taak.cache.write_text("{kapot")  # corrupted cache entry
        assert runner.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False).uitgevoerd == [taak.naam]
        taak.uitvoer.write_text(taak.uitvoer.read_text() + " ")  # output edited after the run
        assert runner.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False).uitgevoerd == [taak.naam]
        invoer.write_bytes(b"2")  # its input changed
        assert runner.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False).uitgevoerd == [taak.naam]
        assert runner.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False, forceer=True).uitgevoerd == [taak.naam]


def test_andere_nabewerking_voert_opnieuw_uit(config, werkmappen, monkeypatch):
    """How the runner turns an output into a page (e.g. which cells it hides) is part of the key."""
    taak = _taak(werkmappen, "goed")
    with ThreadPoolExecutor(1) as ex:
        assert runner.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False).uitgevoerd == [taak.naam]
        assert runner.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False).overgeslagen == [taak.naam]
        oud = runner._nabewerken

        def _nabewerken(pad, titel):  # another post-processing: the page changes
            return oud(pad, titel).replace(b"remove-input", b"hide-input")

        monkeypatch.setattr(runner, "_nabewerken", _nabewerken)
        assert runner.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False).uitgevoerd == [taak.naam]
    assert b"hide-input" in taak.uitvoer.read_bytes()


def test_onderbroken_uitvoering_laat_niets_halfs_achter(config, werkmappen, monkeypatch):
    import papermill

    def onderbreek(sjabloon, uit, **kwargs):
        Path(uit).write_text('{"half": ')  # papermill had started writing
        raise KeyboardInterrupt

    taak = _taak(werkmappen, "goed")
    with monkeypatch.context() as m, pytest.raises(KeyboardInterrupt):
        m.setattr(papermill, "execute_notebook", onderbreek)
        runner.voer_taak_uit(taak)
    assert not taak.uitvoer.exists()
    assert list(werkmappen.uitvoer_map.iterdir()) == []
    # a killed process cannot clean up; the next run removes what it left
    rest = werkmappen.uitvoer_map / ".goed-overvecht.999.tmp.ipynb"
    rest.write_text("half")
    with ThreadPoolExecutor(1) as ex:
        assert runner.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False).uitgevoerd == [taak.naam]
    assert not rest.exists()


@pytest.mark.traag
def test_dask_cluster_voert_dezelfde_matrix_uit(config, werkmappen):
    from distributed import Client, LocalCluster

    taken = [_taak(werkmappen, "goed", g) for g in ("overvecht", "batau", "vollenhove")]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        verslag = runner.voer_uit(taken, config, executor=client.get_executor(), werkers=2, voortgang=False)
    assert sorted(verslag.uitgevoerd) == sorted(t.naam for t in taken) and not verslag.mislukt
    assert "BATAU" in nbformat.read(werkmappen.uitvoer_map / "goed-batau.ipynb", 4).cells[-1].outputs[0]["text"]


# stages a template's notebook must never depend on: editing them must re-run no notebook
NIET_IN_NOTEBOOKS = ("vwanalyse.boek", "vwanalyse.uitvoer", "vwanalyse.controle", "vwanalyse.pijplijn",
                     "vwanalyse.cli", "vwanalyse.demodata", "vwanalyse.invoer")


def test_cachesleutel_volgt_alleen_de_modules_die_een_notebook_gebruikt(tmp_path, project):
    """Build tooling (book pages, runner, CLI, checks) is not in a notebook's key; what it imports is."""
    for sjabloon in sorted(project.notebook_map.glob("*.ipynb")):
        modules = cache.notebook_modules(sjabloon)
        assert modules is not None and {"vwanalyse.rapport", "vwanalyse.figuren", "vwanalyse.weergave.opmaak",
                                        "vwanalyse.resultaten.opslag"} <= modules, sjabloon.name
        verboden = {m for m in modules if m.startswith(NIET_IN_NOTEBOOKS)}
        assert not verboden, (sjabloon.name, verboden)
        # everything the template's imports actually load is covered
        code = "\n".join(r for c in nbformat.read(sjabloon, 4).cells if c.cell_type == "code"
                         for r in c.source.splitlines() if r.startswith(("import ", "from ")))
        geladen = subprocess.run(
            [sys.executable, "-c", code + "\nimport sys\n"
             "print(' '.join(m for m in sys.modules if m.split('.')[0] == 'vwanalyse'))"],
            capture_output=True, text=True, check=True).stdout.split()
        assert set(geladen) <= modules, (sjabloon.name, set(geladen) - modules)
    eigen = tmp_path / "eigen.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%matplotlib inline\nfrom vwanalyse.weergave import opmaak")])
    nbformat.write(nb, eigen)
    assert cache.notebook_modules(eigen) == {"vwanalyse", "vwanalyse.weergave", "vwanalyse.weergave.opmaak"}
    nb.cells[0].source = "def kapot("
    nbformat.write(nb, eigen)
    assert cache.notebook_modules(eigen) is None  # unparsable: the whole package counts


def test_boekproza_wijzigen_laat_elk_notebook_actueel(project, tmp_path, monkeypatch):
    """Editing a sentence of the book pages, the CLI or the manifest code changes no notebook's key;
    editing a module the notebooks use changes every key that covers it (on a copy of the package)."""
    kopie = tmp_path / "vwanalyse"
    shutil.copytree(cache.PAKKET_MAP, kopie, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PAKKET_MAP", kopie)
    cache._geimporteerd.cache_clear()
    sjablonen = sorted(project.notebook_map.glob("*.ipynb"))

    def sleutels():
        return [cache.bron_vingerafdruk(cache.notebook_modules(p)) for p in sjablonen]

    voor = sleutels()
    for module in ("vwanalyse.boek.paginas", "vwanalyse.cli", "vwanalyse.controle.manifest", "vwanalyse.pijplijn"):
        pad = cache.module_pad(module)
        pad.write_text(pad.read_text(encoding="utf-8") + "\n# een zin erbij\n", encoding="utf-8")
        assert sleutels() == voor, module
    pad = cache.module_pad("vwanalyse.weergave.opmaak")
    pad.write_text(pad.read_text(encoding="utf-8") + "\n# een zin erbij\n", encoding="utf-8")
    assert all(a != b for a, b in zip(sleutels(), voor))


def test_uitgevoerd_notebook_is_byte_stabiel(werkmappen):
    """Two runs of the same task give the same bytes (no timestamps, no random cell ids)."""
    taak = _taak(werkmappen, "goed")
    assert runner.voer_taak_uit(taak)[1] is None
    eerste = taak.uitvoer.read_bytes()
    assert runner.voer_taak_uit(taak)[1] is None
    assert taak.uitvoer.read_bytes() == eerste
    nb = nbformat.reads(eerste.decode(), 4)
    assert [c.id for c in nb.cells] == [f"cel-{i:03d}" for i in range(len(nb.cells))]


def _staat_taak(werkmappen, gebied):
    """A template that reports its process and whether a module attribute set by an earlier notebook is seen."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# {gebied_naam}: staat"),
                nbformat.v4.new_code_cell('gebied = "overvecht"\nresultaten_map = "."', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(
                    "import os, sys, json\n"
                    "warm = 'vwanalyse.weergave.figuren' in sys.modules\n"
                    "from vwanalyse.weergave import opmaak\n"
                    "print(json.dumps({'pid': os.getpid(), 'ppid': os.getppid(), 'warm': warm, 'cwd': os.getcwd(),\n"
                    "                  'gezien': getattr(opmaak, '_door_vorig_notebook', None)}))\n"
                    "opmaak._door_vorig_notebook = gebied")]
    nbformat.write(nb, werkmappen.notebook_map / "staat.ipynb")
    return _taak(werkmappen, "staat", gebied)


def _staat(taak):
    return json.loads(nbformat.read(taak.uitvoer, 4).cells[-1].outputs[0]["text"])


def test_warme_kernels_delen_niets_tussen_notebooks(werkmappen):
    """Kernels forked from the warm forkserver start with the modules loaded, each in its own process."""
    from concurrent.futures import ProcessPoolExecutor

    from vwanalyse.uitvoer import kernelstart

    taken = [_staat_taak(werkmappen, g) for g in ("overvecht", "batau", "vollenhove")]
    werkmappen.uitvoer_map.mkdir(parents=True)
    with ProcessPoolExecutor(1, initializer=kernelstart.start,
                             initargs=(["vwanalyse.weergave.figuren"], str(werkmappen.uitvoer_map))) as ex:
        for taak in taken:
            assert ex.submit(runner.voer_taak_uit, taak).result()[1] is None
        werker = ex.submit(os.getpid).result()
    staten = [_staat(t) for t in taken]
    assert all(s["warm"] for s in staten), staten
    assert all(s["gezien"] is None for s in staten), "a notebook saw what an earlier one left in a module"
    assert len({s["pid"] for s in staten}) == 3 and werker not in {s["pid"] for s in staten}
    assert len({s["ppid"] for s in staten}) == 1  # all forked by the same forkserver
    assert all(Path(s["cwd"]) == werkmappen.uitvoer_map for s in staten)
    # without a forkserver (here, or a Dask worker) the kernel starts the normal way
    koud = _staat_taak(werkmappen, "batau")
    assert runner.voer_taak_uit(koud)[1] is None
    assert _staat(koud)["warm"] is False and _staat(koud)["ppid"] == os.getpid()


@pytest.mark.traag
def test_warme_kernel_geeft_dezelfde_notebook_als_een_koude(config, project, tmp_path):
    """A factsheet run in a forked kernel is byte for byte the one a freshly started kernel gives."""
    from concurrent.futures import ProcessPoolExecutor
    from dataclasses import replace

    from vwanalyse.uitvoer import kernelstart

    resultaten_map = project.resultaten_map
    if not (resultaten_map / "resultaten.parquet").is_file():
        pytest.skip("needs a results table: run `vwanalyse build` first")  # the full suite builds it earlier
    factsheet = next(t for t in matrix(config, project) if t.naam == "factsheet-vollenhove-2025")
    parameters = {**factsheet.parameters, "resultaten_map": str(resultaten_map)}
    warm, koud = (replace(factsheet, parameters=parameters, uitvoer=tmp_path / soort / "fs.ipynb",
                          mislukt_map=tmp_path / f"{soort}-mislukt") for soort in ("warm", "koud"))
    modules = runner._voor_te_laden([factsheet.sjabloon_pad])
    (tmp_path / "warm").mkdir()
    with ProcessPoolExecutor(1, initializer=kernelstart.start, initargs=(modules, str(tmp_path / "warm"))) as ex:
        assert ex.submit(runner.voer_taak_uit, warm).result()[1] is None
    assert runner.voer_taak_uit(koud)[1] is None
    assert warm.uitvoer.read_bytes() == koud.uitvoer.read_bytes()
    figuren = sorted(p.relative_to(tmp_path / "warm") for p in (tmp_path / "warm").rglob("*.png"))
    assert figuren and figuren == sorted(p.relative_to(tmp_path / "koud") for p in (tmp_path / "koud").rglob("*.png"))
    for pad in figuren:
        assert (tmp_path / "warm" / pad).read_bytes() == (tmp_path / "koud" / pad).read_bytes(), pad


def test_kapotte_module_valt_terug_op_een_gewone_kernel(werkmappen):
    """A module that raises on import kills the forkserver; notebooks then start the normal way."""
    from concurrent.futures import ProcessPoolExecutor

    from vwanalyse.uitvoer import kernelstart

    werkmappen.uitvoer_map.mkdir(parents=True)
    (werkmappen.uitvoer_map / "kapot_bij_import.py").write_text("raise RuntimeError('kapot')\n")
    taak = _staat_taak(werkmappen, "batau")
    with ProcessPoolExecutor(1, initializer=kernelstart.start,
                             initargs=(["kapot_bij_import"], str(werkmappen.uitvoer_map))) as ex:
        assert ex.submit(runner.voer_taak_uit, taak).result()[1] is None
    assert _staat(taak)["warm"] is False


def test_gewijzigde_figuur_van_een_notebook_wordt_niet_hergebruikt(werkmappen):
    """The cache entry keeps the sha256 of every figure the output refers to: a figure changed,
    removed or an entry without figures (an older version) means the notebook runs again."""
    taak = _taak(werkmappen, "goed")
    figuur = taak.uitvoer.parent / "figuren" / "goed-overvecht.png"
    figuur.parent.mkdir(parents=True)
    figuur.write_bytes(b"\x89PNG een figuur")
    taak.uitvoer.write_text('{"outputs": ["![x](figuren/goed-overvecht.png)"]}')
    cache.schrijf_entry(taak, "sleutel", 1.0)
    assert cache.is_actueel(taak, "sleutel") and not cache.is_actueel(taak, "andere")
    figuur.write_bytes(b"\x89PNG rood geverfd")
    assert not cache.is_actueel(taak, "sleutel")
    cache.schrijf_entry(taak, "sleutel", 1.0)
    figuur.unlink()
    assert not cache.is_actueel(taak, "sleutel")
    taak.cache.write_text(json.dumps({"sleutel": "sleutel", "uitvoer_sha256": sha256(taak.uitvoer)}))
    assert not cache.is_actueel(taak, "sleutel")


# ---------------------------------------------------------------- what a notebook's key sees of the configuration


def _config_kopie(tmp_path):
    from vwanalyse.model.configuratie import laad_configuratie

    kopie = tmp_path / "config"
    shutil.copytree(ROOT / "data" / "config", kopie)
    return kopie, lambda: laad_configuratie(kopie)


def _voeg_toe(pad: Path, tekst: str) -> None:
    pad.write_text(pad.read_text(encoding="utf-8") + tekst, encoding="utf-8")


def test_nieuw_sjabloon_verandert_de_sleutels_van_de_andere_niet(tmp_path):
    """Adding an analysis to notebooks.yml (or editing the demo's planted truth) leaves every other
    template's configuration fingerprint alone; its own entry, and every other file, count."""
    kopie, laad = _config_kopie(tmp_path)
    config = laad()
    sjablonen = [d.sjabloon for d in config.notebooks]
    voor = {s: cache.notebook_config_vingerafdruk(config, s) for s in sjablonen}
    _voeg_toe(kopie / "notebooks.yml", "  - sjabloon: aanvullend\n    over: [gebied]\n    deel: wijken\n"
                                       "    omschrijving: De aanvullende indicatoren van de wijk.\n")
    _voeg_toe(kopie / "demowaarheid.yml", "\n# een opmerking erbij\n")
    config = laad()
    assert {s: cache.notebook_config_vingerafdruk(config, s) for s in sjablonen} == voor
    assert cache.notebook_config_vingerafdruk(config, "aanvullend") not in voor.values()
    # a change to a template's own entry re-runs that template only
    eerste = config.notebooks[0].sjabloon
    tekst = (kopie / "notebooks.yml").read_text(encoding="utf-8")
    (kopie / "notebooks.yml").write_text(tekst.replace(config.notebooks[0].omschrijving, "Een andere omschrijving."),
                                         encoding="utf-8")
    config = laad()
    na = {s: cache.notebook_config_vingerafdruk(config, s) for s in sjablonen}
    assert {s for s in sjablonen if na[s] != voor[s]} == {eerste}
    # what every notebook sees (here the name of a pijler) changes every key
    pijler = config.pijlers[0]
    tekst = (kopie / "pijlers.yml").read_text(encoding="utf-8")
    (kopie / "pijlers.yml").write_text(tekst.replace(f"naam: {pijler.naam}", f"naam: {pijler.naam} en zorg", 1),
                                       encoding="utf-8")
    config = laad()
    assert config.pijlers[0].naam == f"{pijler.naam} en zorg"
    assert all(cache.notebook_config_vingerafdruk(config, s) != na[s] for s in sjablonen)


# ---------------------------------------------------------------- repeated groups of a template


def _herhaal_sjabloon(pad: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# {gebied_naam}: per pijler"),
                nbformat.v4.new_code_cell('gebied = "overvecht"\nresultaten_map = "."', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_markdown_cell("## {pijler_naam} in {gebied_naam}\n\nZie {ref}`uitleg-significantie`.",
                                              metadata={"tags": ["herhaal-pijler"]}),
                nbformat.v4.new_code_cell("print(gebied, pijler)", metadata={"tags": ["herhaal-pijler", "hide-input"]}),
                nbformat.v4.new_code_cell("print('na', pijler)", metadata={"tags": ["herhaal-pijler"]}),
                nbformat.v4.new_markdown_cell("## Slot")]
    nbformat.write(nb, pad)


def test_herhaalde_groep_per_pijler_uit_de_configuratie(config, werkmappen):
    """A group tagged herhaal-pijler runs once per pijler of the configuration, in order, with its
    heading filled in, the variable set and every other brace left alone."""
    import dataclasses

    from vwanalyse.uitvoer import sjabloon

    _herhaal_sjabloon(werkmappen.notebook_map / "perpijler.ipynb")
    taak = dataclasses.replace(_taak(werkmappen, "perpijler", "batau"), herhalingen=sjabloon.waarden(config),
                               titelwaarden={"gebied_naam": config.gebied["batau"].naam})
    assert runner.voer_taak_uit(taak)[1] is None
    nb = nbformat.read(taak.uitvoer, 4)
    koppen = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert koppen == [f"## {p.naam} in Batau" for p in config.pijlers] + ["## Slot"]
    assert all("{ref}`uitleg-significantie`" in c.source for c in nb.cells if c.source.startswith("## ") and " in " in c.source)
    uit = ["".join(o.get("text", "") for o in c.outputs).strip() for c in nb.cells if c.cell_type == "code" and c.outputs]
    assert uit == [x for p in config.pijlers for x in (f"batau {p.id}", f"na {p.id}")]
    assert not any(t.startswith("herhaal-") for c in nb.cells for t in c.metadata.get("tags", []))


def test_onbekende_herhaaltag_geweigerd(config, werkmappen):
    from vwanalyse.model.schema import ConfigFout

    _herhaal_sjabloon(werkmappen.notebook_map / "wijkprofiel.ipynb")
    nb = nbformat.read(werkmappen.notebook_map / "wijkprofiel.ipynb", 4)
    nb.cells[2].metadata["tags"] = ["herhaal-wijk"]
    nbformat.write(nb, werkmappen.notebook_map / "wijkprofiel.ipynb")
    for naam in {d.sjabloon for d in config.notebooks} - {"wijkprofiel"}:
        shutil.copy(ROOT / "notebooks" / f"{naam}.ipynb", werkmappen.notebook_map)
    with pytest.raises(ConfigFout, match="onbekende tag 'herhaal-wijk'; een herhaalde groep cellen heeft een van de "
                                         "tags herhaal-gebied, herhaal-meting, herhaal-pijler"):
        matrix(config, werkmappen)


def test_sjablonen_noemen_niets_wat_de_configuratie_noemt(config):
    """No template lists gebieden, pijlers or metingen: no name or id of one appears in a template,
    and the sections per pijler and per gebied come from repeated groups."""
    from vwanalyse.uitvoer import sjabloon

    namen = ([g.id for g in config.gebieden] + [g.naam for g in config.gebieden] + [p.naam for p in config.pijlers]
             + [f'"{p.id}"' for p in config.pijlers] + [str(m.jaar) for m in config.metingen])
    for d in config.notebooks:
        nb = nbformat.read(ROOT / "notebooks" / f"{d.sjabloon}.ipynb", 4)
        for c in nb.cells:
            if "parameters" in c.metadata.get("tags", []):
                continue
            for naam in namen:
                assert naam not in c.source, (d.sjabloon, naam, c.source[:80])
        uit = sjabloon.schrijf_uit(nb, sjabloon.waarden(config), {"gebied_naam": "X", "meting": 1, "meting_naam": "Y"})
        for dim, waarden in sjabloon.waarden(config).items():
            groepen = {c.source for c in nb.cells if sjabloon.dimensie(c) == dim and c.cell_type == "markdown"}
            for bron in groepen:
                kop = bron.splitlines()[0]
                gevonden = [c.source.splitlines()[0] for c in uit.cells if c.cell_type == "markdown"
                            and c.source.splitlines()[0].startswith(kop.split("{")[0])]
                assert gevonden == [sjabloon.vul_in(kop, {"gebied_naam": "X", **w}) for w in waarden], (d.sjabloon, kop)
