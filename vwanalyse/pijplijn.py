"""The build, step by step: what `vwanalyse build`, `run` and `verify` do.

    validate the data -> compute the results table -> write the pages and the toc -> run the
    notebooks -> write the manifest -> jupyter-book -> check the links

Each step is a function of one stage; this module only puts them in order and says what happens.
Every problem a user can cause raises a `VwFout`; the command line turns it into one Dutch line.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pandas as pd

from vwanalyse.basis.bestanden import gewijzigd, kopieer_project, schrijf_bytes, schrijf_tekst, sha256, stempel
from vwanalyse.basis.fouten import ParameterFout, VwFout
from vwanalyse.basis.processen import draai_vwanalyse
from vwanalyse.basis.project import Project
from vwanalyse.boek import drukwerk, duiding, jupyterbook, paginas
from vwanalyse.boek.toc import schrijf_toc
from vwanalyse.controle import linkcontrole, manifest, uitgave
from vwanalyse.invoer import volledigheid
from vwanalyse.invoer.bronnen import laad_gegevens, ontbrekend_tekst
from vwanalyse.model.configuratie import Configuratie, laad_configuratie
from vwanalyse.resultaten import berekening, opslag
from vwanalyse.resultaten.context import bereken_context, vergelijkbare_wijken
from vwanalyse.resultaten.schema import Resultaten
from vwanalyse.uitvoer import runner
from vwanalyse.uitvoer.cache import invoersleutel
from vwanalyse.uitvoer.taken import Taak, controleer_keuze, matrix


MANIFEST = "manifest.json"  # the manifest's name in the site and among the reproducibility page's downloads


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


def bouw(project: Project, opties: Runneropties = Runneropties(), getoond_manifest: Optional[Path] = None) -> Path:
    """Build the whole book; returns the site's index page.

    `getoond_manifest` is for the rebuild of `verify` only: the site shows (and publishes) that
    manifest instead of its own, so that every page of the rebuild can be compared byte for byte
    with the published site; run times and the commit then do not differ by themselves.
    """
    config = laad_configuratie(project.config_map)
    taken = matrix(config, project)
    bereken_resultaten(project, config)
    paginas.schrijf_paginas(config, project, taken)
    schrijf_toc(config, taken, project.toc_pad)
    voer_notebooks_uit(project, config, taken, opties, volledig=True)
    bouw_manifest(project, getoond_manifest)
    bouw_site(project)
    return project.html_map / "index.html"


def bereken_resultaten(project: Project, config: Configuratie) -> None:
    """Validate the data folder and write the results folder, unless nothing it depends on changed
    and every results file is still the one the previous build wrote."""
    sleutel_pad = project.resultaten_map / opslag.SLEUTEL
    sleutel = invoersleutel(project.data_map, config)
    anders = gewijzigd(sleutel_pad, sleutel, project.resultaten_map, opslag.bestanden(project.resultaten_map))
    if anders is None:
        print(f"gegevens, configuratie en code ongewijzigd sinds de vorige build: resultaten hergebruikt "
              f"({project.data_map})")
        return
    if anders != ["sleutel"]:
        print(f"resultatenbestanden gewijzigd sinds de vorige build ({', '.join(anders[:3])}"
              f"{', ...' if len(anders) > 3 else ''}): opnieuw berekend")
    print(f"gegevens valideren: {project.data_map}")
    gegevens = laad_gegevens(project.data_map, config)  # raises DataFout: nothing is built or changed
    for regel in volledigheid.waarschuwingen(gegevens, config):
        print(f"waarschuwing: {regel} (zie `vwanalyse data check`)")
    if gegevens.ontbrekende_metingen:
        print(f"metingen zonder gegevens: {', '.join(map(str, gegevens.ontbrekende_metingen))}")
    for regel in ontbrekend_tekst(gegevens.ontbrekende_bronnen, config):
        print(regel)
    print("resultatentabel berekenen")
    resultaten = berekening.bereken_resultaten(config, gegevens)
    sleutel_pad.unlink(missing_ok=True)  # until the new results are complete
    opslag.schrijf(project.resultaten_map, resultaten, gegevens, config)
    context = bereken_context(config, gegevens)
    opslag.schrijf_context(project.resultaten_map, context, vergelijkbare_wijken(config, resultaten.tabel, context))
    print(f"context voor Cijfers verkennen: {context['wijkcode'].nunique()} wijken van "
          f"{context['gemeente'].nunique()} gemeenten")
    schrijf_tekst(sleutel_pad, stempel(sleutel, project.resultaten_map, opslag.bestanden(project.resultaten_map)))


def _rapport(project: Project) -> opslag.Rapport:
    """The whole results table of the project's data folder (computed first if anything changed)."""
    config = laad_configuratie(project.config_map)
    bereken_resultaten(project, config)
    return opslag.laad(project.resultaten_map, config=config)


def duiding_uitzetten(project: Project, gemeente: str, meting: Optional[int] = None,
                      doel: Optional[Path] = None) -> Path:
    """The duiding workbook of a gemeente (in _build/duiding/ unless `doel` says otherwise)."""
    return duiding.uitzetten(_rapport(project), gemeente, doel or project.build_map / "duiding", meting)


def duiding_inlezen(project: Project, pad: Path, gemeente: Optional[str] = None) -> tuple[Path, int]:
    """Read a filled duiding workbook into the data folder; (the duiding file, number of answers)."""
    return duiding.inlezen(pad, _rapport(project), project.data_map, gemeente)


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


def bouw_manifest(project: Project, getoond: Optional[Path] = None) -> dict:
    """The build manifest, published with the site, and the reproducibility page made from it
    (from the manifest `getoond` instead, in the rebuild of verify: see `bouw`)."""
    config = laad_configuratie(project.config_map)
    bijlagen = project.boek_map / "bijlagen"
    bouwsel = manifest.maak_manifest(project, download_map=bijlagen / paginas.DOWNLOADS)
    manifest.schrijf(bouwsel, project.manifest_pad)
    bron = Path(getoond) if getoond else project.manifest_pad
    melding = paginas.demomelding(paginas.lees_rapport(config, project.resultaten_map))
    schrijf_tekst(bijlagen / f"{paginas.MANIFEST_BIJLAGE}.md", manifest.pagina(manifest.lees(bron), melding))
    schrijf_bytes(bijlagen / MANIFEST, bron.read_bytes())
    return bouwsel


def bouw_site(project: Project) -> None:
    """jupyter-book, the link check and the site's index (controle.uitgave); skipped when none of
    the book's sources changed and every file of the site is still the one the index names."""
    meta = json.loads((project.resultaten_map / opslag.META).read_text(encoding="utf-8"))
    jupyterbook.bouwconfig(project, demodata=meta["databron"]["demodata"])
    bronnen = jupyterbook.bronnen_vingerafdruk(project)
    anders = uitgave.afwijkingen(project.html_map, bronnen) if (project.html_map / "index.html").is_file() else ["bronnen"]
    if anders is None:
        print("boekbronnen en site ongewijzigd sinds de vorige build: jupyter-book overgeslagen")
        return
    if anders != ["bronnen"]:
        print(f"site gewijzigd sinds de vorige build ({', '.join(anders[:3])}{', ...' if len(anders) > 3 else ''}): "
              "helemaal opnieuw gebouwd")
    # Always from an empty folder: Sphinx rewrites only what it thinks changed (not a page changed by
    # hand), and it adds '?v=<checksum>' to a static file's link only when that file is already in
    # the output folder, so an incremental site differs from a fresh one (and from verify's rebuild).
    # The doctrees stay, so only changed pages are read again.
    shutil.rmtree(project.html_map, ignore_errors=True)
    jupyterbook.bouw_html(project)
    schrijf_bytes(project.html_map / MANIFEST, (project.boek_map / "bijlagen" / MANIFEST).read_bytes())
    config = laad_configuratie(project.config_map)
    pdfs = drukwerk.maak_factsheets(project, config, matrix(config, project),
                                    paginas.lees_rapport(config, project.resultaten_map))
    print(f"factsheets als PDF: {len(pdfs)} in {project.html_map / drukwerk.PDF_MAP}")
    problemen = linkcontrole.controleer(project.html_map)
    if problemen:
        print("\n".join(["linkcontrole van de gebouwde site:", *problemen]), file=sys.stderr)
        raise BouwFout(f"{len(problemen)} probleem/problemen met links; het boek is niet klaar voor publicatie")
    if not meta["databron"]["demodata"]:
        scan_voor_publicatie(project)
    uitgave.schrijf_index(project.html_map, bronnen, manifest.lees(project.manifest_pad))


def scan_voor_publicatie(project: Project) -> None:
    """The confidentiality scan of a build on real data (not demo data), before the site gets its
    index: on a finding the site is removed and nothing is published."""
    from vwanalyse.controle.vertrouwelijkheid import scan

    print("vertrouwelijkheidsscan (geen demodata): site en uitgevoerde notebooks")
    verslag = scan([project.html_map, project.uitvoer_map], laad_configuratie(project.config_map), project.data_map)
    if verslag.vondsten:
        shutil.rmtree(project.html_map, ignore_errors=True)
        print("\n".join(["vertrouwelijkheidsscan van de gebouwde site:", *verslag.vondsten]), file=sys.stderr)
        raise BouwFout(f"{len(verslag.vondsten)} vondst(en) van de vertrouwelijkheidsscan; de site is verwijderd en "
                       "niet gepubliceerd (zie `vwanalyse vertrouwelijkheid`)")
    print(f"vertrouwelijkheidsscan: {verslag.bestanden} bestanden, geen vondsten")


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


def verifieer(project: Project, manifest_pad: Optional[Path] = None, werkers: Optional[int] = None, *,
              site: Optional[Path] = None, archief: Optional[Path] = None, herbouw: bool = True) -> bool:
    """Check what was published, then rebuild from scratch in a temporary copy and compare; True when
    everything matches. Every difference is printed on its own line.

    - default: the published artefacts of this build (the site against its index and the manifest,
      the results files, the PDF and the archive when they are there), then the rebuild against
      `_build/manifest.json` and the site, and the report PDF against a new print of the rebuild;
    - `manifest_pad`: only the rebuild, against that manifest;
    - `site`: a received site folder (no build folder needed), then the rebuild against its manifest
      and its files; `archief`: the release archive (with its .sha256), unpacked, as a site.
    """
    verschillen: list[manifest.Verschil] = []
    with tempfile.TemporaryDirectory(prefix="vwanalyse-verify-") as tmp:
        if archief is not None:
            print(f"archief controleren: {archief}")
            verschillen += uitgave.controleer_controlegetal(Path(archief), "archief")
            site = uitgave.pak_uit(Path(archief), Path(tmp) / "archief")
        index = None
        if site is not None:
            print(f"site controleren: {archief or site}")
            index, _, gevonden = uitgave.controleer_site(Path(site))
            verschillen += gevonden
            manifest_pad = Path(site) / MANIFEST
        elif manifest_pad is None or Path(manifest_pad).resolve() == project.manifest_pad.resolve():
            manifest_pad = project.manifest_pad
            index, gevonden = _controleer_publicatie(project)
            verschillen += gevonden
        elif not herbouw:
            raise ParameterFout("--zonder-herbouw controleert een gepubliceerde build: laat het manifest weg "
                                "(de build in deze werkmap) of gebruik --site MAP of --archief BESTAND")
        verwacht = manifest.lees(manifest_pad)
        for v in verschillen:
            print(v)
        if herbouw:
            # the report PDF of this build is printed again from the rebuilt site and compared byte for byte
            pdf = project.pdf_pad if site is None and manifest_pad == project.manifest_pad and \
                project.pdf_pad.is_file() else None
            verschillen += _herbouw(project, Path(manifest_pad), verwacht, index, werkers, Path(tmp), pdf)
    fout = [v for v in verschillen if not v.is_omgeving]
    if fout:
        print(f"\n{len(fout)} verschil(len) met {archief or site or manifest_pad}", file=sys.stderr)
        return False
    wat = "de nieuwe build komt overeen met" if herbouw else "de publicatie komt overeen met"
    print(f"\ngeverifieerd: {wat} {archief or site or manifest_pad} "
          f"({len(verwacht['resultaten'])} groepen in de resultatentabel, {len(verwacht['figuren'])} figuren, "
          f"{len(verwacht['notebooks'])} notebooks, {len(verwacht['downloads'])} downloads"
          + (f", {len(index['bestanden'])} bestanden van de site" if index else "") + ")")
    return True


def _controleer_publicatie(project: Project) -> tuple[Optional[dict], list[manifest.Verschil]]:
    """The published artefacts of the build in this project: site, results, PDF and archive."""
    if not project.manifest_pad.is_file():
        raise manifest.ManifestFout(f"{project.manifest_pad}: geen manifest; bouw eerst het boek (`vwanalyse build`) "
                                    "of geef --site MAP of --archief BESTAND")
    bouwsel = manifest.lees(project.manifest_pad)
    print(f"publicatie controleren: {project.html_map}, {project.resultaten_map}")
    verschillen = uitgave.controleer_resultaten(project.resultaten_map, bouwsel)
    index = None
    if (project.html_map / uitgave.INDEX).is_file() or (project.html_map / "index.html").is_file():
        index, _, gevonden = uitgave.controleer_site(project.html_map)
        verschillen += gevonden
        if (project.html_map / MANIFEST).is_file() and \
                (project.html_map / MANIFEST).read_bytes() != project.manifest_pad.read_bytes():
            verschillen.append(manifest.Verschil("site", MANIFEST, f"is niet het manifest van deze build "
                                                 f"({project.manifest_pad})"))
    if project.pdf_pad.is_file():
        verschillen += uitgave.controleer_controlegetal(project.pdf_pad, "pdf")
    if project.archief_pad.is_file():
        verschillen += uitgave.controleer_archief(project.archief_pad, project.html_map)
    return index, verschillen


def _herbouw(project: Project, manifest_pad: Path, verwacht: dict, index: Optional[dict], werkers: Optional[int],
             tmp: Path, pdf: Optional[Path] = None) -> list[manifest.Verschil]:
    """Rebuild from scratch in a copy (in `tmp`) and compare with the manifest and, when there is
    one, the site, and with the report PDF `pdf` printed again from the copy; prints and returns
    the differences."""
    kopie = kopieer_project(project.root, tmp / "project")
    config_map, data_map = _in_kopie(project.config_map, project, kopie), _in_kopie(project.data_map, project, kopie)
    print(f"opnieuw bouwen vanaf nul in een tijdelijke kopie (gegevens: {project.data_map})")
    opdracht = [sys.executable, "-m", "vwanalyse", "--project", str(kopie), "--config", str(config_map),
                "build", "--data-dir", str(data_map), "--manifest-van", str(Path(manifest_pad).resolve())]
    if werkers:
        opdracht += ["--workers", str(werkers)]
    omgeving = {**os.environ, "PYTHONPATH": str(kopie), "PYTHONHASHSEED": "0"}
    # the copy is deleted afterwards: its path is not shown (jupyter-book names it in its output)
    code = draai_vwanalyse(opdracht, cwd=kopie, env=omgeving, vervang=(str(tmp), "<tijdelijke kopie>"))
    if code != 0:
        raise BouwFout(f"de nieuwe build is mislukt (exitcode {code}); er is niets vergeleken")
    nieuw_project = Project(root=kopie, config_map=config_map, data_map=data_map)
    verschillen = manifest.vergelijk(verwacht, manifest.lees(nieuw_project.manifest_pad))
    nieuwe = opslag.lees_resultaten(nieuw_project.resultaten_map)
    oude_tabel = _tabel_bij(manifest_pad, nieuwe)
    if index is not None:
        verschillen += uitgave.vergelijk_sites(index, uitgave.lees_index(nieuw_project.html_map))
    if pdf is not None:
        verschillen += _herdruk(pdf, nieuw_project, omgeving, tmp)
    for v in verschillen:
        print(v)
        if v.soort in ("resultaten", "effecten") and oude_tabel is not None and "/" in v.sleutel:
            # the values behind a differing row group, one line each (not counted apart)
            tabel = "tabel" if v.soort == "resultaten" else "effecten"
            sleutels = ["gebied", "meting", "indicator"] if v.soort == "resultaten" else ["gebied", "indicator"]
            for regel in manifest.waardeverschillen(getattr(oude_tabel, tabel), getattr(nieuwe, tabel), v.sleutel,
                                                    sleutels, ("de gepubliceerde build", "de nieuwe build")):
                print(manifest.Verschil(v.soort, v.sleutel, regel))
    return verschillen


def _herdruk(pdf: Path, nieuw_project: Project, omgeving: dict, tmp: Path) -> list[manifest.Verschil]:
    """The published report PDF against a new print of the rebuilt site (the same bytes when nothing
    changed: `publicatie.herstel_pdf`)."""
    print(f"{pdf.name} opnieuw afdrukken uit de nieuwe build")
    opdracht = [sys.executable, "-m", "vwanalyse", "--project", str(nieuw_project.root),
                "--config", str(nieuw_project.config_map), "pdf"]
    code = draai_vwanalyse(opdracht, cwd=nieuw_project.root, env=omgeving, vervang=(str(tmp), "<tijdelijke kopie>"))
    if code != 0:
        return [manifest.Verschil("pdf", pdf.name, f"kon niet opnieuw worden afgedrukt (exitcode {code}); "
                                                   "niet vergeleken")]
    gepubliceerd, opnieuw = sha256(pdf), sha256(nieuw_project.pdf_pad)
    if gepubliceerd != opnieuw:
        return [manifest.Verschil("pdf", pdf.name, f"is niet de afdruk van deze build: sha256 {gepubliceerd[:12]}… "
                                                   f"gepubliceerd, {opnieuw[:12]}… opnieuw afgedrukt")]
    return []


def _tabel_bij(manifest_pad: Path, model: Resultaten) -> Optional[Resultaten]:
    """The results table of the build that wrote this manifest, when it is still there: its results
    folder, or in a received site the downloads resultaten.csv and effecten.csv (read with the
    column types of `model`, the rebuilt table)."""
    map = Path(manifest_pad).resolve().parent
    try:
        if opslag.heeft_resultaten(map / "resultaten"):
            return opslag.lees_resultaten(map / "resultaten")
        paden = {p.name: p for p in map.glob("_downloads/*/*.csv")}
        if "resultaten.csv" in paden and "effecten.csv" in paden:
            return Resultaten(tabel=_zoals(pd.read_csv(paden["resultaten.csv"]), model.tabel),
                              effecten=_zoals(pd.read_csv(paden["effecten.csv"]), model.effecten))
    except (OSError, ValueError):
        pass
    return None


def _zoals(tabel: pd.DataFrame, model: pd.DataFrame) -> pd.DataFrame:
    for kolom in tabel.columns.intersection(model.columns):
        try:
            tabel[kolom] = tabel[kolom].astype(model[kolom].dtype)
        except (TypeError, ValueError):
            pass
    return tabel
