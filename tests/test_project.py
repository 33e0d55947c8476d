"""The project object: a book built from a copy in any folder, with a configuration outside it.

`vwanalyse --config DIR` must reach every stage, the notebooks included, and a build must leave the
files under version control alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from vwanalyse.basis.bestanden import kopieer_project, sha256
from vwanalyse.basis.project import Project, ProjectFout
from vwanalyse.resultaten import opslag

ROOT = Path(__file__).resolve().parents[1]  # the project this test suite belongs to


def test_project_standaardmappen(tmp_path, monkeypatch):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "_config.yml").write_text("title: t\n")
    (tmp_path / "book" / "diep").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "book" / "diep")
    monkeypatch.delenv("VWANALYSE_DATA", raising=False)
    p = Project.maak()
    assert p.root == tmp_path.resolve()
    assert p.config_map == tmp_path.resolve() / "data" / "config" and p.data_map == p.demo_map
    assert p.resultaten_map == p.root / "_build" / "resultaten" and p.toc_pad == p.root / "_build" / "_toc.yml"
    monkeypatch.setenv("VWANALYSE_DATA", str(tmp_path / "echt"))
    assert Project.maak().data_map == (tmp_path / "echt").resolve()


def test_geen_project_geeft_een_duidelijke_fout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ProjectFout, match="geen project gevonden in .* --project MAP"):
        Project.maak()
    with pytest.raises(ProjectFout, match="is geen projectmap"):
        Project.maak(tmp_path)


def _onder_versiebeheer(map: Path) -> dict[str, str]:
    namen = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.decode()
    return {n: sha256(map / n) for n in namen.split("\0") if n and (map / n).is_file()}


@pytest.mark.traag
def test_eigen_configuratie_bereikt_elke_stap_en_laat_het_project_staan(gebouwd_boek, tmp_path):
    """A copied configuration outside the project, with one wijk renamed: the book, its notebooks
    and its results use that name; no file under version control changes."""
    kopie = kopieer_project(ROOT, tmp_path / "project", met_build=True)
    config = tmp_path / "andere-config"
    shutil.copytree(kopie / "data" / "config", config)
    gebieden = yaml.safe_load((config / "gebieden.yml").read_text(encoding="utf-8"))
    gebieden["gebieden"][0]["naam"] = "Overvecht-Proef"
    (config / "gebieden.yml").write_text(yaml.safe_dump(gebieden, allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")
    voor = _onder_versiebeheer(kopie)

    omgeving = {**{k: v for k, v in os.environ.items() if k != "VWANALYSE_DATA"}, "PYTHONPATH": str(kopie)}
    uit = subprocess.run([sys.executable, "-m", "vwanalyse", "--config", str(config), "build"], cwd=kopie,
                         env=omgeving, capture_output=True, text=True, timeout=1800)
    assert uit.returncode == 0, uit.stdout[-3000:] + uit.stderr[-3000:]

    assert _onder_versiebeheer(kopie) == voor, "a build changed files under version control"
    project = Project.maak(kopie, config)
    # the results folder carries this configuration, and every notebook described the results with it
    assert (project.resultaten_map / opslag.CONFIG / "gebieden.yml").read_bytes() == (config / "gebieden.yml").read_bytes()
    factsheet = (project.html_map / "book" / "uitvoer" / "factsheet-overvecht-2023.html").read_text(encoding="utf-8")
    assert "Overvecht-Proef — meting 2023" in factsheet  # the title, set by the runner
    assert "Overvecht-Proef 2023 (95%-interval; respondenten)" in factsheet  # a table written inside the notebook
    pijler = (project.html_map / "book" / "uitvoer" / "pijler-gezondheid.html").read_text(encoding="utf-8")
    assert "Overvecht-Proef" in pijler and ">Overvecht<" not in pijler
    assert "Overvecht-Proef" in (project.html_map / "book" / "wijken" / "overvecht.html").read_text(encoding="utf-8")
    assert project.toc_pad.is_file() and not (kopie / "_toc.yml").exists()
