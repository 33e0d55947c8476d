"""Building the HTML site with Jupyter Book (v1) from the pages, the executed notebooks and the toc.

Jupyter Book never executes a notebook here (`execute_notebooks: off` in _config.yml): the
runner did that. The build configuration is _config.yml plus what depends on the data (the
demo-data banner), the table of contents comes from the configuration: both are written into
_build/ for each build, so nothing under version control changes.
"""

from __future__ import annotations

import importlib.metadata
import shutil
import sys
from pathlib import Path

import yaml

from vwanalyse.basis.bestanden import schrijf_tekst, vingerafdruk, zichtbare_bestanden
from vwanalyse.basis.fouten import VwFout
from vwanalyse.basis.processen import draai
from vwanalyse.basis.project import Project
from vwanalyse.uitvoer.cache import bron_vingerafdruk

DEMO_MELDING = ("Demodata: deze rapportage is gebouwd met synthetische gegevens. "
                "De cijfers, citaten en duidingen zijn niet echt.")


class BoekFout(VwFout):
    """jupyter-book could not build the site (its own messages say why)."""

    exitcode = 1
    kop = "het boek is niet gebouwd"


def bouwconfig(project: Project, demodata: bool) -> Path:
    """_config.yml for this build: with a demo-data banner on every page when built from demo data."""
    config = yaml.safe_load((project.root / "_config.yml").read_text(encoding="utf-8"))
    if demodata:
        config.setdefault("html", {})["announcement"] = DEMO_MELDING
    # the generated static files (the explorer's data file, boek.verkenner) next to book/_static
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["html_static_path"] = [*sphinx.get("html_static_path", []), "book/gegenereerd/static"]
    schrijf_tekst(project.bouwconfig_pad, yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return project.bouwconfig_pad


def jupyter_book(project: Project, *opties: str) -> None:
    """Run `jupyter-book build` on the project with this build's configuration and toc."""
    # --all: a fresh Sphinx environment. Sphinx re-reads changed pages one by one, so a label that moved
    # from a later page to an earlier one was still registered at its old place ("duplicate label", an
    # error under -W) until the old page was read: an incremental build could fail where a clean one passed.
    opdracht = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(project.root), "--all",
                "--config", str(project.bouwconfig_pad), "--toc", str(project.toc_pad), *opties]
    resultaat = draai(opdracht, cwd=project.root)  # its own session: Ctrl-C is ours (basis.processen)
    if resultaat.returncode != 0:
        raise BoekFout(f"jupyter-book build {' '.join(opties)} gaf exitcode {resultaat.returncode}; "
                       "zie de meldingen hierboven")


def bouw_html(project: Project) -> Path:
    """The HTML site, with warnings as errors and every reference checked; returns its folder."""
    # from scratch: Sphinx leaves the files of an earlier build that it no longer writes (a page taken out
    # of the book, the index page switched off), and they would be published with the site
    shutil.rmtree(project.html_map, ignore_errors=True)
    jupyter_book(project, "-W", "-n", "--keep-going")
    return project.html_map


def bronnen_vingerafdruk(project: Project) -> str:
    """Fingerprint of everything `jupyter-book build` reads: pages, notebooks, figures, toc, config,
    and the Sphinx extension vwanalyse.boek.sphinx_site."""
    bestanden = [project.toc_pad, project.root / "_config.yml", project.bouwconfig_pad,
                 *zichtbare_bestanden(project.boek_map)]
    # the Sphinx extension rewrites every page's HTML, and the factsheet PDFs (boek.drukwerk) are files
    # of the site: a change to either is a change to the site
    extensie = bron_vingerafdruk(["vwanalyse.boek.sphinx_site", "vwanalyse.boek.drukwerk"])
    versies = importlib.metadata.version("jupyter-book") + importlib.metadata.version("weasyprint")
    return vingerafdruk(project.root, bestanden, versies + extensie) + "\n"
