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

from vwanalyse import uitvoer
from vwanalyse.configuratie import PROJECT_MAP


@pytest.fixture
def werkmappen(tmp_path, monkeypatch):
    """Run the runner in temporary folders with two small templates: one fine, one that raises."""
    sjablonen = tmp_path / "notebooks"
    sjablonen.mkdir()
    for naam, code in (("goed", "print(gebied.upper())"), ("kapot", "raise ValueError('kapot gegaan')")):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbformat.v4.new_markdown_cell("# {gebied_naam}: test"),
                    nbformat.v4.new_code_cell('gebied = "overvecht"\nresultaten_map = "."', metadata={"tags": ["parameters"]}),
                    nbformat.v4.new_code_cell("x = 1"),
                    nbformat.v4.new_code_cell(code)]
        nbformat.write(nb, sjablonen / f"{naam}.ipynb")
    for naam, pad in (("NOTEBOOK_MAP", sjablonen), ("UITVOER_MAP", tmp_path / "uitvoer"),
                      ("CACHE_MAP", tmp_path / "cache"), ("MISLUKT_MAP", tmp_path / "mislukt")):
        monkeypatch.setattr(uitvoer, naam, pad)
    return tmp_path


def _taak(sjabloon, gebied="overvecht", invoer=()):
    return uitvoer.Taak.maak(sjabloon=sjabloon, parameters={"gebied": gebied, "resultaten_map": "."},
                             naam=f"{sjabloon}-{gebied}", titel=f"{gebied.title()}: test", invoer=invoer)


def test_matrix_volgt_configuratie(config):
    taken = uitvoer.matrix(config, PROJECT_MAP / "_build" / "resultaten")
    namen = [t.naam for t in taken]
    assert len(namen) == len(set(namen))
    assert "factsheet-vollenhove-2025" in namen and "pijler-onderwijs" in namen and "effectanalyse" in namen
    per_sjabloon = {d.sjabloon: sum(t.sjabloon == d.sjabloon for t in taken) for d in config.notebooks}
    assert per_sjabloon == {"wijkprofiel": 4, "factsheet": 12, "pijler": 5, "effectanalyse": 1, "datakwaliteit": 1}
    fs = next(t for t in taken if t.naam == "factsheet-batau-2023")
    assert fs.titel == "Batau — meting 2023"
    assert fs.parameters == {"gebied": "batau", "meting": 2023, "resultaten_map": "../../_build/resultaten"}
    assert all(p.parent.name == "batau" for p in fs.invoer[:-1])


@pytest.mark.parametrize("keuze, melding", [
    ({"gebieden": ["nergens"]}, "unknown gebied 'nergens'; known: overvecht, batau, vollenhove, soesterkwartier"),
    ({"metingen": [2022]}, "unknown meting 2022; known: 2021, 2023, 2025"),
    ({"pijlers": ["zorg; rm -rf /"]}, "unknown pijler 'zorg; rm -rf /'"),
])
def test_onbekende_parameters_geweigerd(config, keuze, melding):
    with pytest.raises(uitvoer.ParameterFout, match=melding.replace("(", r"\(")):
        uitvoer.matrix(config, PROJECT_MAP / "_build" / "resultaten", **keuze)


def test_cli_weigert_onbekend_gebied_voordat_iets_draait():
    uit = subprocess.run([str(Path(sys.executable).parent / "vwanalyse"), "run", "--gebied", "Overvecht"],
                         capture_output=True, text=True, cwd=PROJECT_MAP)
    assert uit.returncode == 2
    assert "ongeldige keuze: unknown gebied 'Overvecht'" in uit.stderr


def test_cachesleutel_verandert_alleen_met_eigen_invoer(config, tmp_path):
    map = tmp_path / "resultaten"
    for sub in ["", "gebied/overvecht", "gebied/batau"]:
        (map / sub).mkdir(parents=True, exist_ok=True)
        for t in uitvoer.GEBIED_TABELLEN:
            (map / sub / f"{t}.parquet").write_bytes(b"v1")
    (map / "meta.json").write_text("{}")
    taken = [t for t in uitvoer.matrix(config, map, gebieden=["overvecht", "batau"])]
    bron, cfg = "bron", "config"
    voor = {t.naam: uitvoer.cachesleutel(t, bron, cfg) for t in taken}
    assert voor == {t.naam: uitvoer.cachesleutel(t, bron, cfg) for t in taken}, "keys must be deterministic"
    # overvecht's data change: its slice and the full tables change, batau's slice does not
    (map / "gebied/overvecht/resultaten.parquet").write_bytes(b"v2")
    (map / "resultaten.parquet").write_bytes(b"v2")
    na = {t.naam: uitvoer.cachesleutel(t, bron, cfg) for t in taken}
    veranderd = {n for n in voor if voor[n] != na[n]}
    assert veranderd == {n for n in voor if "overvecht" in n or not any(g in n for g in ("batau",))}
    assert not any("batau" in n for n in veranderd)
    # source code and configuration are part of every key
    assert all(uitvoer.cachesleutel(t, "anders", cfg) != na[t.naam] for t in taken)
    assert all(uitvoer.cachesleutel(t, bron, "anders") != na[t.naam] for t in taken)


def test_fout_in_een_notebook_stopt_de_andere_niet(config, werkmappen):
    oud = uitvoer.UITVOER_MAP / "kapot-overvecht.ipynb"
    oud.parent.mkdir(parents=True)
    oud.write_text("een oude versie die er actueel uitziet")
    with ThreadPoolExecutor(2) as ex:
        verslag = uitvoer.voer_uit([_taak("goed"), _taak("kapot")], config, executor=ex, werkers=2, voortgang=False)
    assert verslag.uitgevoerd == ["goed-overvecht"]
    (naam, melding), = verslag.mislukt.items()
    assert naam == "kapot-overvecht (gebied overvecht)"
    # cell number in the kept (executed) notebook, which has papermill's injected cell
    assert melding.startswith("cel 5: ValueError: kapot gegaan (notebook: ")
    assert (uitvoer.MISLUKT_MAP / "kapot-overvecht.ipynb").is_file()
    assert not oud.exists(), "a failed notebook must not leave an old output that looks current"
    assert "MISLUKT kapot-overvecht (gebied overvecht): cel 5: ValueError" in verslag.samenvatting()
    goed = nbformat.read(uitvoer.UITVOER_MAP / "goed-overvecht.ipynb", 4)
    assert goed.cells[0].source == "# Overvecht: test"
    assert "OVERVECHT" in goed.cells[-1].outputs[0]["text"]
    assert [c.metadata.get("tags") for c in goed.cells[1:]] == [["parameters", "remove-cell"],
                                                                ["injected-parameters", "remove-cell"],
                                                                ["hide-input"], ["hide-input"]]


def test_cache_slaat_over_en_herstelt_van_corruptie(config, werkmappen):
    invoer = werkmappen / "invoer.parquet"
    invoer.write_bytes(b"1")
    taak = _taak("goed", invoer=[invoer])
    with ThreadPoolExecutor(1) as ex:
        assert uitvoer.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False).uitgevoerd == [taak.naam]
        assert uitvoer.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False).overgeslagen == [taak.naam]
        (uitvoer.CACHE_MAP / f"{taak.naam}.json").write_text("{kapot")  # corrupted cache entry
        assert uitvoer.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False).uitgevoerd == [taak.naam]
        taak.uitvoer.write_text(taak.uitvoer.read_text() + " ")  # output edited after the run
        assert uitvoer.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False).uitgevoerd == [taak.naam]
        invoer.write_bytes(b"2")  # its input changed
        assert uitvoer.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False).uitgevoerd == [taak.naam]
        assert uitvoer.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False, forceer=True).uitgevoerd == [taak.naam]


def test_onderbroken_uitvoering_laat_niets_halfs_achter(config, werkmappen, monkeypatch):
    import papermill

    def onderbreek(sjabloon, uit, **kwargs):
        Path(uit).write_text('{"half": ')  # papermill had started writing
        raise KeyboardInterrupt

    taak = _taak("goed")
    with monkeypatch.context() as m, pytest.raises(KeyboardInterrupt):
        m.setattr(papermill, "execute_notebook", onderbreek)
        uitvoer.voer_taak_uit(taak)
    assert not taak.uitvoer.exists()
    assert list(uitvoer.UITVOER_MAP.iterdir()) == []
    # a killed process cannot clean up; the next run removes what it left
    rest = uitvoer.UITVOER_MAP / ".goed-overvecht.999.tmp.ipynb"
    rest.write_text("half")
    with ThreadPoolExecutor(1) as ex:
        assert uitvoer.voer_uit([taak], config, executor=ex, werkers=1, voortgang=False).uitgevoerd == [taak.naam]
    assert not rest.exists()


@pytest.mark.traag
def test_dask_cluster_voert_dezelfde_matrix_uit(config, werkmappen):
    from distributed import Client, LocalCluster

    taken = [_taak("goed", g) for g in ("overvecht", "batau", "vollenhove")]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        verslag = uitvoer.voer_uit(taken, config, executor=client.get_executor(), werkers=2, voortgang=False)
    assert sorted(verslag.uitgevoerd) == sorted(t.naam for t in taken) and not verslag.mislukt
    assert "BATAU" in nbformat.read(uitvoer.UITVOER_MAP / "goed-batau.ipynb", 4).cells[-1].outputs[0]["text"]


def test_cachesleutel_volgt_alleen_de_modules_die_een_notebook_gebruikt(tmp_path):
    """Build tooling (CLI, manifest, site checks) is not in a notebook's key; what it imports is."""
    import subprocess
    import sys

    from vwanalyse.configuratie import NOTEBOOK_MAP

    for sjabloon in sorted(NOTEBOOK_MAP.glob("*.ipynb")):
        modules = uitvoer.notebook_modules(sjabloon)
        assert modules is not None and {"rapport", "figuren", "opmaak"} <= modules, sjabloon.name
        assert not modules & {"cli", "manifest", "linkcontrole", "sphinx_site", "publicatie"}, sjabloon.name
        # everything the template's imports actually load is covered
        code = "\n".join(r for c in nbformat.read(sjabloon, 4).cells if c.cell_type == "code"
                         for r in c.source.splitlines() if r.startswith(("import ", "from ")))
        geladen = subprocess.run(
            [sys.executable, "-c", code + "\nimport sys\n"
             "print(' '.join(m.split('.')[1] for m in sys.modules if m.startswith('vwanalyse.')))"],
            capture_output=True, text=True, check=True).stdout.split()
        assert set(geladen) <= modules, (sjabloon.name, set(geladen) - modules)
    eigen = tmp_path / "eigen.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%matplotlib inline\nfrom vwanalyse import opmaak")])
    nbformat.write(nb, eigen)
    assert uitvoer.notebook_modules(eigen) == {"__init__", "opmaak"}
    nb.cells[0].source = "def kapot("
    nbformat.write(nb, eigen)
    assert uitvoer.notebook_modules(eigen) is None  # unparsable: the whole package counts


def test_uitgevoerd_notebook_is_byte_stabiel(werkmappen):
    """Two runs of the same task give the same bytes (no timestamps, no random cell ids)."""
    taak = _taak("goed")
    assert uitvoer.voer_taak_uit(taak)[1] is None
    eerste = taak.uitvoer.read_bytes()
    assert uitvoer.voer_taak_uit(taak)[1] is None
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
                    "warm = 'vwanalyse.figuren' in sys.modules\n"
                    "from vwanalyse import opmaak\n"
                    "print(json.dumps({'pid': os.getpid(), 'ppid': os.getppid(), 'warm': warm, 'cwd': os.getcwd(),\n"
                    "                  'gezien': getattr(opmaak, '_door_vorig_notebook', None)}))\n"
                    "opmaak._door_vorig_notebook = gebied")]
    nbformat.write(nb, uitvoer.NOTEBOOK_MAP / "staat.ipynb")
    return _taak("staat", gebied)


def _staat(taak):
    return json.loads(nbformat.read(taak.uitvoer, 4).cells[-1].outputs[0]["text"])


def test_warme_kernels_delen_niets_tussen_notebooks(werkmappen):
    """Kernels forked from the warm forkserver start with the modules loaded, each in its own process."""
    from concurrent.futures import ProcessPoolExecutor

    from vwanalyse import kernelstart

    taken = [_staat_taak(werkmappen, g) for g in ("overvecht", "batau", "vollenhove")]
    uitvoer.UITVOER_MAP.mkdir()
    with ProcessPoolExecutor(1, initializer=kernelstart.start,
                             initargs=(["vwanalyse.figuren"], str(uitvoer.UITVOER_MAP))) as ex:
        for taak in taken:
            assert ex.submit(uitvoer.voer_taak_uit, taak).result()[1] is None
        werker = ex.submit(os.getpid).result()
    staten = [_staat(t) for t in taken]
    assert all(s["warm"] for s in staten), staten
    assert all(s["gezien"] is None for s in staten), "a notebook saw what an earlier one left in a module"
    assert len({s["pid"] for s in staten}) == 3 and werker not in {s["pid"] for s in staten}
    assert len({s["ppid"] for s in staten}) == 1  # all forked by the same forkserver
    assert all(Path(s["cwd"]) == uitvoer.UITVOER_MAP for s in staten)
    # without a forkserver (here, or a Dask worker) the kernel starts the normal way
    koud = _staat_taak(werkmappen, "batau")
    assert uitvoer.voer_taak_uit(koud)[1] is None
    assert _staat(koud)["warm"] is False and _staat(koud)["ppid"] == os.getpid()


@pytest.mark.traag
def test_warme_kernel_geeft_dezelfde_notebook_als_een_koude(config, tmp_path):
    """A factsheet run in a forked kernel is byte for byte the one a freshly started kernel gives."""
    from concurrent.futures import ProcessPoolExecutor
    from dataclasses import replace

    from vwanalyse import kernelstart

    resultaten_map = PROJECT_MAP / "_build" / "resultaten"
    if not (resultaten_map / "resultaten.parquet").is_file():
        pytest.skip("needs a results table: run `vwanalyse build` first")  # the full suite builds it earlier
    factsheet = next(t for t in uitvoer.matrix(config, resultaten_map) if t.naam == "factsheet-vollenhove-2025")
    parameters = {**factsheet.parameters, "resultaten_map": str(resultaten_map)}
    warm, koud = (replace(factsheet, parameters=parameters, uitvoer=tmp_path / soort / "fs.ipynb",
                          mislukt_map=tmp_path / f"{soort}-mislukt") for soort in ("warm", "koud"))
    modules = uitvoer._voor_te_laden([factsheet.sjabloon_pad])
    (tmp_path / "warm").mkdir()
    with ProcessPoolExecutor(1, initializer=kernelstart.start, initargs=(modules, str(tmp_path / "warm"))) as ex:
        assert ex.submit(uitvoer.voer_taak_uit, warm).result()[1] is None
    assert uitvoer.voer_taak_uit(koud)[1] is None
    assert warm.uitvoer.read_bytes() == koud.uitvoer.read_bytes()
    figuren = sorted(p.relative_to(tmp_path / "warm") for p in (tmp_path / "warm").rglob("*.png"))
    assert figuren and figuren == sorted(p.relative_to(tmp_path / "koud") for p in (tmp_path / "koud").rglob("*.png"))
    for pad in figuren:
        assert (tmp_path / "warm" / pad).read_bytes() == (tmp_path / "koud" / pad).read_bytes(), pad


def test_kapotte_module_valt_terug_op_een_gewone_kernel(werkmappen):
    """A module that raises on import kills the forkserver; notebooks then start the normal way."""
    from concurrent.futures import ProcessPoolExecutor

    from vwanalyse import kernelstart

    uitvoer.UITVOER_MAP.mkdir()
    (uitvoer.UITVOER_MAP / "kapot_bij_import.py").write_text("raise RuntimeError('kapot')\n")
    taak = _staat_taak(werkmappen, "batau")
    with ProcessPoolExecutor(1, initializer=kernelstart.start,
                             initargs=(["kapot_bij_import"], str(uitvoer.UITVOER_MAP))) as ex:
        assert ex.submit(uitvoer.voer_taak_uit, taak).result()[1] is None
    assert _staat(taak)["warm"] is False
