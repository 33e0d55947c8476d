"""The build, step by step: what `vwanalyse build`, `run` and `verify` do.

    validate the data -> compute the results table -> write the pages and the toc -> run the
    notebooks -> write the manifest -> jupyter-book -> check the links

Each step is a function of one stage; this module only puts them in order and says what happens.
Every problem a user can cause raises a `VwFout`; the command line turns it into one Dutch line.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from vwanalyse.basis.bestanden import kopieer_project, schrijf_bytes, schrijf_tekst
from vwanalyse.basis.fouten import VwFout
from vwanalyse.basis.processen import draai_vwanalyse
from vwanalyse.basis.project import Project
from vwanalyse.boek import jupyterbook, paginas
from vwanalyse.boek.toc import schrijf_toc
from vwanalyse.controle import linkcontrole, manifest
from vwanalyse.invoer.bronnen import laad_gegevens, ontbrekend_tekst
from vwanalyse.model.configuratie import Configuratie, laad_configuratie
from vwanalyse.resultaten import berekening, opslag
from vwanalyse.uitvoer import runner
from vwanalyse.uitvoer.cache import invoersleutel
from vwanalyse.uitvoer.taken import Taak, controleer_keuze, matrix


class BouwFout(VwFout):
    """The build ran but its product is not fit to publish (a notebook failed, a link is broken)."""

    exitcode = 1
    kop = "het boek is niet gebouwd"


@dataclass(frozen=True)
class Runneropties:
    """How notebooks run: parallel workers, a Dask scheduler, and whether the cache is ignored."""

    werkers: Optional[int] = None
    scheduler: Optional[str] = None
    forceer: bool = False


def bouw(project: Project, opties: Runneropties = Runneropties()) -> Path:
    """Build the whole book; returns the site's index page."""
    config = laad_configuratie(project.config_map)
    taken = matrix(config, project)
    bereken_resultaten(project, config)
    paginas.schrijf_paginas(config, project, taken)
    schrijf_toc(config, taken, project.toc_pad)
    voer_notebooks_uit(project, config, taken, opties, volledig=True)
    bouw_manifest(project)
    bouw_site(project)
    return project.html_map / "index.html"


def bereken_resultaten(project: Project, config: Configuratie) -> None:
    """Validate the data folder and write the results folder, unless nothing it depends on changed."""
    sleutel_pad = project.resultaten_map / "invoersleutel.txt"
    sleutel = invoersleutel(project.data_map, config)
    if sleutel_pad.is_file() and sleutel_pad.read_text(encoding="utf-8").strip() == sleutel:
        print(f"gegevens, configuratie en code ongewijzigd sinds de vorige build: resultaten hergebruikt "
              f"({project.data_map})")
        return
    print(f"gegevens valideren: {project.data_map}")
    gegevens = laad_gegevens(project.data_map, config)  # raises DataFout: nothing is built or changed
    if gegevens.ontbrekende_metingen:
        print(f"metingen zonder gegevens: {', '.join(map(str, gegevens.ontbrekende_metingen))}")
    for regel in ontbrekend_tekst(gegevens.ontbrekende_bronnen, config):
        print(regel)
    print("resultatentabel berekenen")
    resultaten = berekening.bereken_resultaten(config, gegevens)
    sleutel_pad.unlink(missing_ok=True)  # until the new results are complete
    opslag.schrijf(project.resultaten_map, resultaten, gegevens, config)
    schrijf_tekst(sleutel_pad, sleutel + "\n")


def voer_notebooks_uit(project: Project, config: Configuratie, taken: list[Taak], opties: Runneropties,
                       volledig: bool) -> None:
    """Run the notebooks whose inputs changed; with `volledig`, remove outputs no task makes any more."""
    executor = runner.dask_executor(opties.scheduler) if opties.scheduler else None
    verslag = runner.voer_uit(taken, config, werkers=opties.werkers, executor=executor, forceer=opties.forceer)
    if volledig:
        runner.verwijder_verouderd(taken, project.uitvoer_map, project.cache_map)
    print(verslag.samenvatting())
    if verslag.mislukt:
        raise BouwFout(f"{len(verslag.mislukt)} notebook(s) mislukt; zie hierboven welke cel en welke fout")


def bouw_manifest(project: Project) -> dict:
    """The build manifest, published with the site, and the reproducibility page made from it."""
    config = laad_configuratie(project.config_map)
    bijlagen = project.boek_map / "bijlagen"
    bouwsel = manifest.maak_manifest(project, download_map=bijlagen / paginas.DOWNLOADS)
    manifest.schrijf(bouwsel, project.manifest_pad)
    melding = paginas.demomelding(paginas.lees_rapport(config, project.resultaten_map))
    schrijf_tekst(bijlagen / f"{paginas.MANIFEST_BIJLAGE}.md", manifest.pagina(bouwsel, melding))
    schrijf_bytes(bijlagen / "manifest.json", project.manifest_pad.read_bytes())
    return bouwsel


def bouw_site(project: Project) -> None:
    """jupyter-book and the link check, skipped when none of the book's sources changed."""
    meta = json.loads((project.resultaten_map / opslag.META).read_text(encoding="utf-8"))
    jupyterbook.bouwconfig(project, demodata=meta["databron"]["demodata"])
    vingerafdruk_pad = project.html_map / ".bronnen.sha256"  # what the current HTML was built from
    vingerafdruk = jupyterbook.bronnen_vingerafdruk(project)
    if (vingerafdruk_pad.is_file() and (project.html_map / "index.html").is_file()
            and vingerafdruk_pad.read_text(encoding="utf-8") == vingerafdruk):
        print("boekbronnen ongewijzigd sinds de vorige build: jupyter-book overgeslagen")
        return
    vingerafdruk_pad.unlink(missing_ok=True)  # until the new HTML is complete and checked
    jupyterbook.bouw_html(project)
    schrijf_tekst(project.html_map / "manifest.json", project.manifest_pad.read_text(encoding="utf-8"))
    problemen = linkcontrole.controleer(project.html_map)
    if problemen:
        print("\n".join(["linkcontrole van de gebouwde site:", *problemen]), file=sys.stderr)
        raise BouwFout(f"{len(problemen)} probleem/problemen met links; het boek is niet klaar voor publicatie")
    schrijf_tekst(vingerafdruk_pad, vingerafdruk)


def run(project: Project, opties: Runneropties, gebieden=None, metingen=None, pijlers=None) -> None:
    """Run (some of) the notebooks on the existing results."""
    config = laad_configuratie(project.config_map)
    controleer_keuze(config, gebieden, metingen, pijlers)
    if not opslag.heeft_resultaten(project.resultaten_map):
        raise BouwFout(f"geen resultaten in {project.resultaten_map}; draai eerst `vwanalyse build`")
    taken = matrix(config, project, gebieden, metingen, pijlers)
    voer_notebooks_uit(project, config, taken, opties, volledig=not (gebieden or metingen or pijlers))


# ---------------------------------------------------------------- verify


def _in_kopie(pad: Path, project: Project, kopie: Path) -> Path:
    """A folder of the project as it lies in the copy (folders outside the project stay where they are)."""
    try:
        return kopie / Path(pad).resolve().relative_to(project.root)
    except ValueError:
        return Path(pad).resolve()


def verifieer(project: Project, manifest_pad: Path, werkers: Optional[int] = None) -> bool:
    """Rebuild from scratch in a temporary copy and compare with the manifest; True when equal."""
    verwacht = manifest.lees(manifest_pad)
    with tempfile.TemporaryDirectory(prefix="vwanalyse-verify-") as tmp:
        kopie = kopieer_project(project.root, Path(tmp) / "project")
        config_map, data_map = _in_kopie(project.config_map, project, kopie), _in_kopie(project.data_map, project, kopie)
        print(f"opnieuw bouwen vanaf nul in een tijdelijke kopie (gegevens: {project.data_map})")
        opdracht = [sys.executable, "-m", "vwanalyse", "--project", str(kopie), "--config", str(config_map),
                    "build", "--data-dir", str(data_map)]
        if werkers:
            opdracht += ["--workers", str(werkers)]
        omgeving = {**os.environ, "PYTHONPATH": str(kopie), "PYTHONHASHSEED": "0"}
        code = draai_vwanalyse(opdracht, cwd=kopie, env=omgeving)  # Ctrl-C: it stops its own workers
        if code != 0:
            raise BouwFout(f"de nieuwe build is mislukt (exitcode {code}); er is niets vergeleken")
        nieuw_project = Project(root=kopie, config_map=config_map, data_map=data_map)
        gevonden = manifest.lees(nieuw_project.manifest_pad)
        verschillen = manifest.vergelijk(verwacht, gevonden)
        oude_tabel = _tabel_bij(manifest_pad)
        nieuwe = opslag.lees_resultaten(nieuw_project.resultaten_map)
        for v in verschillen:
            print(v)
            if v.soort in ("resultaten", "effecten") and oude_tabel is not None and "/" in v.sleutel:
                tabel = "tabel" if v.soort == "resultaten" else "effecten"
                sleutels = ["gebied", "meting", "indicator"] if v.soort == "resultaten" else ["gebied", "indicator"]
                for regel in manifest.waardeverschillen(getattr(oude_tabel, tabel), getattr(nieuwe, tabel),
                                                        v.sleutel, sleutels):
                    print(f"    {regel}")
    fout = [v for v in verschillen if not v.is_omgeving]
    if fout:
        print(f"\n{len(fout)} verschil(len) met {manifest_pad}", file=sys.stderr)
        return False
    print(f"\ngeverifieerd: de nieuwe build komt overeen met {manifest_pad} "
          f"({len(verwacht['resultaten'])} groepen in de resultatentabel, {len(verwacht['figuren'])} figuren, "
          f"{len(verwacht['notebooks'])} notebooks, {len(verwacht['downloads'])} downloads)")
    return True


def _tabel_bij(manifest_pad: Path):
    """The results table of the build that wrote this manifest, when it is still there."""
    map = Path(manifest_pad).resolve().parent / "resultaten"
    try:
        return opslag.lees_resultaten(map) if opslag.heeft_resultaten(map) else None
    except (OSError, ValueError):
        return None
