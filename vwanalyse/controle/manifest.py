"""The build manifest: what a build was made from and what it produced.

Every `vwanalyse build` writes `_build/manifest.json` (and publishes a copy with the site). It holds
checksums of every input file and configuration file, the package versions, the git commit, one
checksum per results-table row group (gebied × meting × indicator) and per effect, and one per
figure, executed notebook and downloadable table. `vwanalyse verify` rebuilds from scratch and
compares two manifests with `vergelijk`.

Numbers enter the row-group checksums rounded to SIGNIFICANT significant digits: that is the stated
tolerance of a verification (floating-point noise in the last bits of a float does not count, a real
change does). Figures are compared by their decoded pixels, so a PNG that encodes the same image
differently still matches.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd

from vwanalyse.basis.bestanden import schrijf_tekst, sha256, zichtbare_bestanden
from vwanalyse.basis.fouten import VwFout
from vwanalyse.basis.project import Project
from vwanalyse.resultaten import opslag
from vwanalyse.resultaten.opslag import lees_resultaten
from vwanalyse.uitvoer.cache import PAKKET_MAP, duur
from vwanalyse.weergave import opmaak

FORMAAT = 1
SIGNIFICANT = 10  # significant digits compared by `vwanalyse verify` (relative tolerance ~1e-9)
# The packages named on the reproducibility page; the manifest holds every installed one.
HOOFDPAKKETTEN = ("jupyter-book", "sphinx", "myst-nb", "papermill", "nbval", "pandas", "numpy", "scipy",
                  "statsmodels", "matplotlib", "seaborn", "pyarrow", "openpyxl")


def _bestanden(map: Path, patroon: str = "*") -> dict[str, str]:
    """sha256 of every (non-hidden) file under `map`, by relative path."""
    return {str(p.relative_to(map)): sha256(p) for p in zichtbare_bestanden(map, patroon)}


def _git(project_map: Path) -> dict:
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=project_map, capture_output=True,
                                text=True, check=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=project_map,
                                capture_output=True, text=True, check=True).stdout
        # the build date printed on the PDFs: the commit's date (UTC), the same for every build of it
        datum = subprocess.run(["git", "log", "-1", "--format=%cd", "--date=format-local:%Y-%m-%d"], cwd=project_map,
                               capture_output=True, text=True, check=True, env={**os.environ, "TZ": "UTC"}).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "lokale_wijzigingen": None, "datum": None}  # e.g. a rebuild in a plain copy
    return {"commit": commit, "lokale_wijzigingen": bool(status.strip()), "datum": datum}


def pakketten() -> dict[str, str]:
    versies = {d.metadata["Name"].lower(): d.version for d in importlib.metadata.distributions()
               if d.metadata["Name"]}
    return dict(sorted(versies.items()))


def _canoniek(waarde) -> str:
    """A value as text for a checksum: numbers rounded to SIGNIFICANT digits, missing as ''."""
    if waarde is None or (isinstance(waarde, float) and np.isnan(waarde)) or waarde is pd.NA:
        return ""
    if isinstance(waarde, (bool, np.bool_)):
        return str(bool(waarde))
    if isinstance(waarde, (int, np.integer)):
        return str(int(waarde))
    if isinstance(waarde, (float, np.floating)):
        tekst = f"{float(waarde):.{SIGNIFICANT - 1}e}"
        return "0" if float(tekst) == 0 else tekst  # -0.0 and 0.0 are the same number
    return str(waarde)


def _canonieke_kolom(kolom: pd.Series) -> list[str]:
    """`_canoniek` for a whole column at once (the results table has thousands of rows)."""
    if pd.api.types.is_float_dtype(kolom.dtype):
        waarden = kolom.to_numpy(dtype=float, na_value=np.nan)
        tekst = np.char.mod(f"%.{SIGNIFICANT - 1}e", np.where(np.isnan(waarden), 0.0, waarden)).astype(object)
        tekst[waarden == 0] = "0"
        tekst[np.isnan(waarden)] = ""
        return tekst.tolist()
    return [_canoniek(w) for w in kolom.astype(object).tolist()]


def groepsommen(tabel: pd.DataFrame, sleutels: list[str]) -> dict[str, str]:
    """One checksum per row group ('overvecht/2023/roken'), over every column of its rows."""
    volgorde = sorted(tabel.columns.intersection(sleutels + ["rol"]).tolist())
    tabel = tabel.sort_values(volgorde, kind="stable").reset_index(drop=True)
    kolommen = [_canonieke_kolom(tabel[k]) for k in sorted(tabel.columns)]
    rijen = ["\x1f".join(velden) + "\n" for velden in zip(*kolommen)]
    uit = {}
    for sleutel, index in tabel.groupby(sleutels, sort=True, observed=True).indices.items():
        h = hashlib.sha256()
        for i in sorted(index):
            h.update(rijen[i].encode())
        uit["/".join(map(str, sleutel if isinstance(sleutel, tuple) else (sleutel,)))] = h.hexdigest()
    return uit


def beeldsom(pad: Path) -> str:
    """Checksum of what a figure or PDF looks like, whatever the encoding: a PNG's decoded pixels, or
    the pixels of every page of a PDF rendered by poppler plus its text (WeasyPrint embeds a figure's
    PNG bytes as they are, and two builds may encode the same pixels differently)."""
    from PIL import Image

    pad = Path(pad)
    if pad.suffix.lower() == ".pdf":
        return _pdf_beeldsom(pad)
    with Image.open(pad) as beeld:
        rgba = beeld.convert("RGBA")
        return hashlib.sha256(f"{rgba.size}".encode() + rgba.tobytes()).hexdigest()


def _pdf_beeldsom(pad: Path) -> str:
    import tempfile

    from PIL import Image

    h = hashlib.sha256()
    with tempfile.TemporaryDirectory() as tmp:
        for opdracht in (["pdftoppm", "-r", "50", "-png", str(pad), f"{tmp}/p"], ["pdftotext", str(pad), f"{tmp}/t"]):
            try:
                subprocess.run(opdracht, check=True, capture_output=True, timeout=300)
            except (OSError, subprocess.SubprocessError) as fout:
                raise VwFout(f"{pad}: de pagina's van de PDF konden niet worden bekeken met {opdracht[0]} "
                             f"(poppler-utils nodig: make druk-pakketten): {fout}") from None
        for pagina in sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
            with Image.open(pagina) as beeld:
                rgb = beeld.convert("RGB")
                h.update(f"{rgb.size}".encode() + rgb.tobytes())
        h.update(Path(tmp, "t").read_bytes())
    return h.hexdigest()


def maak_manifest(project: Project, download_map: Optional[Path] = None) -> dict:
    """The manifest of the build in `project` (its results, executed notebooks and figures)."""
    resultaten_map, uitvoer_map = project.resultaten_map, project.uitvoer_map
    meta = json.loads((resultaten_map / "meta.json").read_text(encoding="utf-8"))
    # Pixel and row-group checksums are slow; they are remembered by the sha256 of the file they
    # come from, so a rebuild in which nothing changed does not decode every figure again.
    geheugen_pad = project.build_map / "manifest-geheugen.json"  # beside, not in, the notebook cache
    try:
        geheugen = json.loads(geheugen_pad.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        geheugen = {}
    beelden, tabellen = geheugen.get("beeld", {}), geheugen.get("tabellen", {})
    tabelsom = sha256(resultaten_map / "resultaten.parquet") + sha256(resultaten_map / "effecten.parquet")
    if tabelsom not in tabellen:
        resultaten = lees_resultaten(resultaten_map)
        tabellen = {tabelsom: {"resultaten": groepsommen(resultaten.tabel, ["gebied", "meting", "indicator"]),
                               "effecten": groepsommen(resultaten.effecten, ["gebied", "indicator"])}}
    from concurrent.futures import ThreadPoolExecutor

    bytesommen = _bestanden(uitvoer_map / "figuren", "*.png")
    nieuw = [naam for naam, som in bytesommen.items() if som not in beelden]
    with ThreadPoolExecutor() as pool:  # PIL decodes without holding the GIL
        for naam, beeld in zip(nieuw, pool.map(lambda n: beeldsom(uitvoer_map / "figuren" / n), nieuw)):
            beelden[bytesommen[naam]] = beeld
    figuren = {naam: {"sha256": som, "beeld": beelden[som]} for naam, som in bytesommen.items()}
    beelden = {f["sha256"]: f["beeld"] for f in figuren.values()}  # forget figures that are gone
    schrijf_tekst(geheugen_pad, json.dumps({"beeld": beelden, "tabellen": tabellen}, sort_keys=True) + "\n")
    notebooks = {}
    for pad in sorted(uitvoer_map.glob("*.ipynb")):
        notebooks[pad.stem] = {"sha256": sha256(pad), "duur_s": duur(project.cache_map / f"{pad.stem}.json")}
    return {
        "formaat": FORMAAT,
        "tolerantie": {"significante_cijfers": SIGNIFICANT, "figuren": "gedecodeerde pixels"},
        "databron": meta["databron"],
        "metingen": meta["metingen"],
        "ontbrekende_metingen": meta["ontbrekende_metingen"],
        "ontbrekende_bronnen": meta.get("ontbrekende_bronnen", {}),
        "git": _git(project.root),
        "python": platform.python_version(),
        "pakketten": pakketten(),
        "invoer": _bestanden(project.data_map),
        "configuratie": _bestanden(project.config_map, "*.yml"),
        "code": {**{f"vwanalyse/{k}": v for k, v in _bestanden(PAKKET_MAP, "*.py").items()},
                 **{f"notebooks/{k}": v for k, v in _bestanden(project.notebook_map, "*.ipynb").items()}},
        **tabellen[tabelsom],
        # the files themselves, for the check of a published build (controle.uitgave); a rebuild is
        # compared by the row groups above, with their tolerance
        "resultatenbestanden": {p.relative_to(resultaten_map).as_posix(): sha256(p)
                                for p in opslag.bestanden(resultaten_map)},
        "figuren": figuren,
        "notebooks": notebooks,
        "downloads": _bestanden(download_map) if download_map and download_map.is_dir() else {},
    }


def schrijf(manifest: dict, pad: Path) -> None:
    schrijf_tekst(pad, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


class ManifestFout(VwFout):
    """A manifest that cannot be read."""

    kop = "ongeldig manifest"


def lees(pad: Path) -> dict:
    try:
        manifest = json.loads(Path(pad).read_text(encoding="utf-8"))
    except OSError as fout:
        raise ManifestFout(f"{pad}: het manifest is niet te lezen ({fout.strerror})") from None
    except ValueError as fout:
        raise ManifestFout(f"{pad}: geen geldig JSON-manifest ({fout})") from None
    if not isinstance(manifest, dict) or manifest.get("formaat") != FORMAAT:
        raise ManifestFout(f"{pad}: verwacht een manifest van vwanalyse met formaat {FORMAAT}")
    return manifest


# ---------------------------------------------------------------- comparing two manifests


@dataclass(frozen=True)
class Verschil:
    soort: str  # invoer, configuratie, code, resultaten, effecten, figuren, notebooks, downloads, omgeving
    sleutel: str  # e.g. 'overvecht/2023/roken' or a file name
    toelichting: str

    @property
    def is_omgeving(self) -> bool:
        """Differences of the environment explain others but are not themselves a failed verification."""
        return self.soort == "omgeving"

    def __str__(self) -> str:
        return f"{self.soort:<12} {self.sleutel}: {self.toelichting}"


# Which manifest sections are compared, and the field compared within each entry.
VERGELEKEN = {"invoer": None, "configuratie": None, "code": None, "resultaten": None, "effecten": None,
              "figuren": "beeld", "notebooks": "sha256", "downloads": None}


def vergelijk(verwacht: dict, gevonden: dict) -> list[Verschil]:
    """Every difference between two manifests, outputs by row group, figure or file."""
    verschillen = []
    for soort, veld in VERGELEKEN.items():
        a, b = verwacht.get(soort, {}), gevonden.get(soort, {})
        for sleutel in sorted(set(a) | set(b)):
            if sleutel not in b:
                verschillen.append(Verschil(soort, sleutel, "ontbreekt in de nieuwe build"))
            elif sleutel not in a:
                verschillen.append(Verschil(soort, sleutel, "niet in het manifest, wel in de nieuwe build"))
            else:
                x, y = (a[sleutel], b[sleutel]) if veld is None else (a[sleutel].get(veld), b[sleutel].get(veld))
                if x != y:
                    verschillen.append(Verschil(soort, sleutel, _toelichting(soort)))
                elif soort == "figuren" and a[sleutel].get("sha256") != b[sleutel].get("sha256"):
                    verschillen.append(Verschil("omgeving", f"figuur {sleutel}", "zelfde beeld, andere bytes"))
    for sleutel in ("databron", "metingen", "ontbrekende_metingen", "ontbrekende_bronnen"):
        if verwacht.get(sleutel) != gevonden.get(sleutel):
            verschillen.append(Verschil("resultaten", sleutel, f"{verwacht.get(sleutel)} -> {gevonden.get(sleutel)}"))
    if verwacht.get("python") != gevonden.get("python"):
        verschillen.append(Verschil("omgeving", "python", f"{verwacht.get('python')} -> {gevonden.get('python')}"))
    a, b = verwacht.get("pakketten", {}), gevonden.get("pakketten", {})
    for naam in sorted(set(a) | set(b)):
        if a.get(naam) != b.get(naam):
            verschillen.append(Verschil("omgeving", naam, f"{a.get(naam, 'afwezig')} -> {b.get(naam, 'afwezig')}"))
    if (verwacht.get("git") or {}).get("commit") not in (None, (gevonden.get("git") or {}).get("commit")):
        verschillen.append(Verschil("omgeving", "git", f"manifest van commit {verwacht['git']['commit'][:12]}; "
                                    f"herbouwd van de huidige werkmap"))
    return verschillen


def _toelichting(soort: str) -> str:
    return {
        "resultaten": f"andere waarden (vergeleken op {SIGNIFICANT} significante cijfers)",
        "effecten": f"andere waarden (vergeleken op {SIGNIFICANT} significante cijfers)",
        "figuren": "ander beeld (gedecodeerde pixels verschillen)",
    }.get(soort, "andere inhoud (sha256)")


def waardeverschillen(verwacht: pd.DataFrame, gevonden: pd.DataFrame, groep: str,
                      sleutels: list[str], namen: tuple[str, str] = ("het manifest", "de nieuwe build")) -> list[str]:
    """The numbers behind one differing row group, when both tables are at hand: one line per value,
    'wijk.schatting: 0,7229830941 in het manifest, 0,7329830941 in de nieuwe build'."""
    delen = dict(zip(sleutels, groep.split("/")))
    def kies(tabel: pd.DataFrame) -> pd.DataFrame:
        masker = np.ones(len(tabel), dtype=bool)
        for k, v in delen.items():
            masker &= tabel[k].astype(str).to_numpy() == v
        return tabel[masker].set_index("rol") if "rol" in tabel else tabel[masker]
    a, b = kies(verwacht), kies(gevonden)
    regels = []
    for rol in sorted(set(a.index) | set(b.index)):
        if rol not in a.index or rol not in b.index:
            regels.append(f"{rol}: rij ontbreekt in {namen[1] if rol not in b.index else namen[0]}")
            continue
        for kolom in a.columns:
            x, y = a.at[rol, kolom], b.at[rol, kolom] if kolom in b.columns else None
            if _canoniek(x) != _canoniek(y):
                regels.append(f"{rol}.{kolom}: {opmaak.precies(x, SIGNIFICANT)} in {namen[0]}, "
                              f"{opmaak.precies(y, SIGNIFICANT)} in {namen[1]}")
    return regels



# ---------------------------------------------------------------- the reproducibility page


def _kort(som: Optional[str]) -> str:
    return f"`{som[:16]}`" if som else "–"


def pagina(manifest: dict, demomelding: str = "") -> str:
    """book/bijlagen/reproduceerbaarheid.md: the manifest in readable form (Dutch).

    `demomelding` is the demo-data admonition (Markdown) shown under the title, '' on real data.
    """
    git = manifest["git"]
    commit = f"`{git['commit'][:12]}`" if git.get("commit") else "onbekend (geen git-werkmap)"
    if git.get("lokale_wijzigingen"):
        commit += ", met lokale wijzigingen die nog niet vastgelegd zijn"
    bron = manifest["databron"]
    delen = ["(reproduceerbaarheid)=\n# Reproduceerbaarheid\n"]
    if demomelding:
        delen.append(demomelding + "\n")
    delen += [
        "Elke build van dit boek legt vast waarvan hij gemaakt is en wat hij heeft opgeleverd: "
        "het *manifest*. Daarmee kan iedereen controleren dat elk cijfer en elke figuur uit deze "
        "gegevens en deze code volgt.\n",
        "## Opnieuw bouwen en controleren\n",
        "```text\nmake book                      # bouwt het boek op de demodata\n"
        "vwanalyse build --data-dir MAP  # bouwt het boek op een andere datamap\n"
        "vwanalyse verify                # bouwt opnieuw in een lege map en vergelijkt met het manifest\n```\n",
        f"`vwanalyse verify [MANIFEST]` bouwt het boek opnieuw in een tijdelijke map en vergelijkt het "
        f"resultaat met het manifest. Getallen tellen als gelijk op {SIGNIFICANT} significante cijfers; "
        "figuren worden op hun beeld (de pixels) vergeleken. Elk verschil wordt genoemd, per gebied, "
        "meting en indicator of per figuur.\n",
        "## Deze build\n",
        opmaak.markdown_tabel(["Kenmerk", "Waarde"], [
            ["Gegevens", bron.get("naam", "onbekend") + (" (demodata)" if bron.get("demodata") else "")],
            ["Metingen", ", ".join(map(str, manifest["metingen"]))],
            *([["Metingen zonder gegevens", ", ".join(map(str, manifest["ontbrekende_metingen"]))]]
              if manifest["ontbrekende_metingen"] else []),
            ["Code (git-commit)", commit],
            ["Python", manifest["python"]],
            ["Resultatentabel", f"{opmaak.geheel(len(manifest['resultaten']))} groepen (gebied × meting × indicator)"],
            ["Figuren", opmaak.geheel(len(manifest["figuren"]))],
            ["Notebooks", opmaak.geheel(len(manifest["notebooks"]))],
        ]),
        "Het volledige manifest, met de controlegetallen (sha256) van elke groep in de resultatentabel, "
        "elke figuur en elk downloadbestand, staat in {download}`manifest.json <manifest.json>`.\n",
        "## Pakketversies\n",
        "De belangrijkste pakketten; het manifest noemt ze allemaal.\n",
        opmaak.markdown_tabel(["Pakket", "Versie"], [
            [naam, manifest["pakketten"][naam]] for naam in HOOFDPAKKETTEN if naam in manifest["pakketten"]]),
        "## Invoerbestanden\n",
        "De eerste 16 tekens van de sha256-controlegetallen van de gegevensbestanden en de configuratie.\n",
        opmaak.markdown_tabel(["Bestand", "sha256"], [
            *[[f"`{pad}`", _kort(som)] for pad, som in manifest["invoer"].items()],
            *[[f"`config/{pad}`", _kort(som)] for pad, som in manifest["configuratie"].items()]]),
        "## Uitvoering per notebook\n",
        "Elke pagina met cijfers is een notebook dat `vwanalyse run` met papermill heeft uitgevoerd. "
        "De pagina's tonen alleen de uitkomsten; het uitgevoerde notebook zelf, met de code, staat hier "
        "als download. De duur is die van de laatste keer dat het notebook echt draaide; een notebook "
        "waarvan geen invoer veranderde, wordt niet opnieuw uitgevoerd.\n",
        opmaak.markdown_tabel(["Pagina", "Notebook met code", "Duur", "sha256"], [
            [f"{{doc}}`{naam} </book/uitvoer/{naam}>`", f"{{download}}`{naam}.ipynb <../uitvoer/{naam}.ipynb>`",
             opmaak.getal(nb["duur_s"], 1) + " s" if nb["duur_s"] is not None else "–", _kort(nb["sha256"])]
            for naam, nb in manifest["notebooks"].items()]),
    ]
    return "\n".join(delen)
