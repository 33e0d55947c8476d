"""The published edition: an index of every file of the site, and the checks of what was published.

The manifest (controle.manifest) is written before jupyter-book and published inside the site, so
it cannot list the site's own files. After jupyter-book the build therefore writes a second,
separate index, `publicatie.json` (INDEX) at the top of the site: the sha256 of every file of the
site (HTML pages, figures, downloads, scripts, manifest.json: everything but the index itself),
for every PNG also the checksum of its decoded pixels, the sha256 of the site's manifest.json and
the fingerprint of the sources the site was built from. The chain a reader can check:

    archive .sha256 -> the archive -> publicatie.json -> every site file, manifest.json
    manifest.json   -> inputs, code, row groups of the results table, figures, notebooks, downloads

What a tamperer can change, and what notices it:

- a file of the site (a figure, a page, a download, manifest.json): its sha256 is not the one in the
  index (`controleer_site`); the next build sees it too and builds the site again (`afwijkingen`);
- a file and the index: the figures, downloads, executed notebooks and manifest copies of the site
  are also checked against the manifest, by their own checksums (not the index's claims);
- a file, the index and the manifest: only a rebuild from the inputs notices; `vwanalyse verify`
  rebuilds and compares every file of the new site with the received one (`vergelijk_sites`);
- the archive: its .sha256 (published beside it), and its files against the site's index;
- a results file in `_build/resultaten`: its sha256 in the manifest (`resultatenbestanden`), with
  the values that differ between the CSV and its Parquet twin (`controleer_resultaten`);
- the report PDF: its .sha256, written by `vwanalyse pdf` (`controleer_controlegetal`); a PDF and
  .sha256 changed together: `verify` prints the PDF again from the rebuild and compares the bytes
  (two prints of the same site are the same bytes, `publicatie.herstel_pdf`; `pijplijn._herdruk`).
"""

from __future__ import annotations

import csv
import hashlib
import json
import tarfile
from pathlib import Path
from typing import Optional

import pandas as pd

from vwanalyse.basis.bestanden import schrijf_tekst, sha256
from vwanalyse.controle import manifest
from vwanalyse.controle.manifest import ManifestFout, Verschil
from vwanalyse.resultaten import opslag
from vwanalyse.weergave import opmaak

INDEX = "publicatie.json"  # at the top of the site
FORMAAT = 1
TABELLEN = {"resultaten": ["gebied", "meting", "indicator", "rol"], "effecten": ["gebied", "indicator"]}


def _kort(som: Optional[str]) -> str:
    return som[:12] if som else "geen"


def _bestanden(map: Path) -> dict[str, Path]:
    """Every file of a site folder (hidden ones too) but the index, by relative path."""
    map = Path(map)
    return {p.relative_to(map).as_posix(): p for p in sorted(map.rglob("*"))
            if p.is_file() and p.relative_to(map).as_posix() != INDEX}


def _is_beeld(naam: str) -> bool:
    """Files compared by what they look like as well as by their bytes (`manifest.beeldsom`)."""
    return naam.lower().endswith((".png", ".pdf"))


# ---------------------------------------------------------------- writing the index


def maak_index(html_map: Path, bronnen: str, beelden: Optional[dict[str, str]] = None) -> dict:
    """The index of a built site; `beelden` maps a PNG's sha256 to its known pixel checksum."""
    beelden = beelden or {}
    bestanden = {}
    for naam, pad in _bestanden(html_map).items():
        som = sha256(pad)
        bestanden[naam] = {"sha256": som, **({"beeld": beelden.get(som) or manifest.beeldsom(pad)}
                                             if _is_beeld(naam) else {})}
    return {"formaat": FORMAAT, "bronnen": bronnen.strip(),
            "manifest_sha256": (bestanden.get("manifest.json") or {}).get("sha256"), "bestanden": bestanden}


def schrijf_index(html_map: Path, bronnen: str, bouwsel: dict) -> dict:
    """Write the index of the site just built (pixel checksums of its figures from the manifest)."""
    beelden = {f["sha256"]: f["beeld"] for f in bouwsel.get("figuren", {}).values()}
    index = maak_index(html_map, bronnen, beelden)
    schrijf_tekst(Path(html_map) / INDEX, json.dumps(index, indent=1, sort_keys=True) + "\n")
    return index


def lees_index(map: Path) -> dict:
    pad = Path(map) / INDEX
    try:
        index = json.loads(pad.read_text(encoding="utf-8"))
    except OSError:
        raise ManifestFout(f"{pad}: geen publicatie-index; verwacht een site die `vwanalyse build` maakte "
                           f"(met {INDEX} naast index.html)") from None
    except ValueError as fout:
        raise ManifestFout(f"{pad}: geen geldige publicatie-index ({fout})") from None
    if not isinstance(index, dict) or index.get("formaat") != FORMAAT or not isinstance(index.get("bestanden"), dict):
        raise ManifestFout(f"{pad}: verwacht een publicatie-index van vwanalyse met formaat {FORMAAT}")
    return index


def afwijkingen(html_map: Path, bronnen: str) -> Optional[list[str]]:
    """None when the site is the one its index describes, built from these sources; else what
    differs ('bronnen' when the sources did, or the files that are missing, other or new)."""
    try:
        index = lees_index(html_map)
    except ManifestFout:
        return ["bronnen"]
    if index.get("bronnen") != bronnen.strip():
        return ["bronnen"]
    nu = _bestanden(html_map)
    return [naam for naam in sorted(index["bestanden"].keys() | nu.keys())
            if naam not in nu or naam not in index["bestanden"]
            or sha256(nu[naam]) != index["bestanden"][naam]["sha256"]] or None


# ---------------------------------------------------------------- checking a site


def controleer_site(map: Path) -> tuple[dict, Optional[dict], list[Verschil]]:
    """Check a site folder against its index and its manifest; (index, manifest or None, differences)."""
    map = Path(map)
    index = lees_index(map)
    verwacht, nu = index["bestanden"], _bestanden(map)
    verschillen, sommen = [], {}
    for naam in sorted(verwacht.keys() | nu.keys()):
        if naam not in nu:
            verschillen.append(Verschil("site", naam, f"ontbreekt (de publicatie-index noemt het bestand)"))
            continue
        if naam not in verwacht:
            verschillen.append(Verschil("site", naam, "staat niet in de publicatie-index (toegevoegd na de build)"))
            continue
        som = sommen[naam] = sha256(nu[naam])
        if som != verwacht[naam]["sha256"]:
            verschillen.append(Verschil("site", naam, _anders(nu[naam], verwacht[naam], som, "de publicatie-index")))
        elif _is_beeld(naam) and manifest.beeldsom(nu[naam]) != verwacht[naam].get("beeld"):
            verschillen.append(Verschil("site", naam, "de publicatie-index noemt een ander beeld dan het bestand "
                                        "heeft (de index is gewijzigd)"))
    goed = {naam for naam, som in sommen.items() if som == verwacht[naam]["sha256"]}
    if index.get("manifest_sha256") != sommen.get("manifest.json"):
        verschillen.append(Verschil("site", INDEX, f"noemt manifest.json met sha256 {_kort(index.get('manifest_sha256'))}, "
                                    f"de site heeft {_kort(sommen.get('manifest.json'))}"))
    try:
        bouwsel = manifest.lees(map / "manifest.json")
    except ManifestFout as fout:
        verschillen.append(Verschil("site", "manifest.json", f"geen geldig manifest ({fout})"))
        return index, None, verschillen
    verschillen += _tegen_manifest(map, nu, sommen, goed, bouwsel)
    return index, bouwsel, verschillen


def _anders(pad: Path, verwacht: dict, som: str, waar: str) -> str:
    tekst = f"andere inhoud: sha256 {_kort(verwacht.get('sha256'))}… in {waar}, {_kort(som)}… gevonden"
    if _is_beeld(pad.name) and verwacht.get("beeld"):
        tekst = ("zelfde beeld, andere bytes" if manifest.beeldsom(pad) == verwacht["beeld"]
                 else "ander beeld (de gedecodeerde pixels verschillen)") + f"; {tekst}"
    return tekst


def _tegen_manifest(map: Path, nu: dict[str, Path], sommen: dict[str, str], goed: set[str],
                    bouwsel: dict) -> list[Verschil]:
    """Files that match the index but not the manifest: the index was changed along with them.
    Checked by the files' own checksums, so a changed index cannot vouch for them."""
    verschillen = []

    def kijk(soort: str, sleutel: str, paden: list[str], verwacht: dict) -> None:
        if not paden:
            verschillen.append(Verschil(soort, sleutel, "niet in de site, wel in het manifest"))
        for naam in paden:
            if naam in goed and sommen[naam] != verwacht["sha256"]:
                verschillen.append(Verschil(soort, sleutel, f"{naam}: " + _anders(nu[naam], verwacht, sommen[naam],
                                                                                   "het manifest")))

    per_naam: dict[str, list[str]] = {}
    for naam in nu:
        if naam.startswith("_downloads/"):
            per_naam.setdefault(naam.rsplit("/", 1)[-1], []).append(naam)
    for naam, figuur in sorted(bouwsel.get("figuren", {}).items()):
        kijk("figuren", naam, [f"_images/{naam}"] if f"_images/{naam}" in nu else [], figuur)
    for naam, som in sorted(bouwsel.get("downloads", {}).items()):
        kijk("downloads", naam, per_naam.get(naam, []), {"sha256": som})
    for naam, nb in sorted(bouwsel.get("notebooks", {}).items()):
        # Sphinx's copy of the source, and the download on the reproducibility page
        pad = f"_sources/book/uitvoer/{naam}.ipynb"
        kijk("notebooks", naam, ([pad] if pad in nu else []) + per_naam.get(f"{naam}.ipynb", []), nb)
    for naam in per_naam.get("manifest.json", []):  # the download copy on the reproducibility page
        kijk("site", naam, [naam], {"sha256": sommen.get("manifest.json")})
    return verschillen


def vergelijk_sites(verwacht: dict, gevonden: dict) -> list[Verschil]:
    """Every file of a received site (its index) against the site a rebuild made (its index)."""
    a, b = verwacht["bestanden"], gevonden["bestanden"]
    verschillen = []
    for naam in sorted(a.keys() | b.keys()):
        if naam not in b:
            verschillen.append(Verschil("site", naam, "ontbreekt in de nieuwe build"))
        elif naam not in a:
            verschillen.append(Verschil("site", naam, "niet in de ontvangen site, wel in de nieuwe build"))
        elif a[naam]["sha256"] != b[naam]["sha256"]:
            if _is_beeld(naam) and a[naam].get("beeld") == b[naam].get("beeld"):
                verschillen.append(Verschil("omgeving", f"site {naam}", "zelfde beeld, andere bytes"))
            else:
                soort = "ander beeld (de gedecodeerde pixels verschillen)" if _is_beeld(naam) else "andere inhoud"
                verschillen.append(Verschil("site", naam, f"{soort}: sha256 {_kort(a[naam]['sha256'])}… ontvangen, "
                                                          f"{_kort(b[naam]['sha256'])}… in de nieuwe build"))
    return verschillen


# ---------------------------------------------------------------- the results folder, the PDF, the archive


def controleer_resultaten(resultaten_map: Path, bouwsel: dict) -> list[Verschil]:
    """Every file of the results folder against the manifest; for a changed table, the values."""
    map = Path(resultaten_map)
    verwacht = bouwsel.get("resultatenbestanden")
    if verwacht is None:
        return [Verschil("resultaten", str(map), "het manifest noemt de resultatenbestanden niet (een manifest "
                         "van vóór deze controle); bouw opnieuw")]
    nu = {p.relative_to(map).as_posix(): p for p in opslag.bestanden(map)}
    anders = {naam for naam in verwacht.keys() & nu.keys() if sha256(nu[naam]) != verwacht[naam]}
    verschillen = []
    for naam in sorted(verwacht.keys() | nu.keys()):
        waar = f"resultaten/{naam}"
        if naam not in nu:
            verschillen.append(Verschil("resultaten", waar, "ontbreekt (het manifest noemt het bestand)"))
        elif naam not in verwacht:
            verschillen.append(Verschil("resultaten", waar, "staat niet in het manifest (toegevoegd na de build)"))
        elif naam in anders:
            regels = _tabelwaarden(map, naam, anders)
            verschillen += [Verschil("resultaten", waar, r) for r in regels] or [Verschil(
                "resultaten", waar, f"andere inhoud: sha256 {_kort(verwacht[naam])}… in het manifest, "
                                    f"{_kort(sha256(nu[naam]))}… gevonden")]
    return verschillen


def _tabelwaarden(map: Path, naam: str, anders: set[str]) -> list[str]:
    """The values of a changed results table, read against its unchanged twin (CSV <-> Parquet)."""
    stam, _, soort = naam.rpartition(".")
    if stam not in TABELLEN or soort not in ("csv", "parquet"):
        return []
    tweeling = f"{stam}.{'parquet' if soort == 'csv' else 'csv'}"
    if tweeling in anders or not (map / tweeling).is_file():
        return []  # both changed: the sha256 line says which file; a rebuild gives the values
    try:
        goed = opslag.csv_tekst(pd.read_parquet(map / f"{stam}.parquet")).splitlines()
        fout = (map / f"{stam}.csv").read_text(encoding="utf-8").splitlines()
        if soort == "parquet":
            goed, fout = fout, goed
    except (OSError, ValueError) as e:
        return [f"niet te lezen ({e})"]
    kop = next(csv.reader([goed[0]]))
    sleutels = TABELLEN[stam]
    regels = []
    for i in range(1, max(len(goed), len(fout))):
        if i < len(goed) and i < len(fout) and goed[i] == fout[i]:
            continue
        a = dict(zip(kop, next(csv.reader([goed[i]])))) if i < len(goed) else {}
        b = dict(zip(kop, next(csv.reader([fout[i]])))) if i < len(fout) else {}
        rij = a or b
        groep = "/".join(rij.get(k, "") for k in sleutels[:-1])
        rol = rij.get(sleutels[-1], "")
        for kolom in kop:
            if a.get(kolom) != b.get(kolom):
                regels.append(f"{groep} {rol}.{kolom}: {_waarde(a.get(kolom))} volgens {tweeling}, "
                              f"{_waarde(b.get(kolom))} in het bestand")
    return regels


def _waarde(tekst: Optional[str]) -> str:
    if tekst is None:
        return "geen rij"
    if tekst == "":
        return "leeg"
    try:
        return opmaak.precies(float(tekst), manifest.SIGNIFICANT)
    except ValueError:
        return opmaak.precies(tekst)


def _sha256_bestand(pad: Path) -> Optional[str]:
    """The checksum a sha256sum file beside `pad` names for it (None without one)."""
    try:
        regels = Path(f"{pad}.sha256").read_text(encoding="utf-8").split()
    except OSError:
        return None
    return regels[0] if regels else ""


def controleer_controlegetal(pad: Path, soort: str) -> list[Verschil]:
    """A published file against the sha256sum file beside it (<file>.sha256)."""
    pad = Path(pad)
    verwacht = _sha256_bestand(pad)
    if verwacht is None:
        return [Verschil(soort, pad.name, f"geen controlegetal: {pad.name}.sha256 ontbreekt naast het bestand")]
    som = sha256(pad)
    if som != verwacht:
        return [Verschil(soort, pad.name, f"andere inhoud: sha256 {_kort(verwacht)}… in {pad.name}.sha256, "
                                          f"{_kort(som)}… gevonden")]
    return []


def controleer_archief(archief: Path, html_map: Path) -> list[Verschil]:
    """The release archive against its .sha256 and against the site it was made from."""
    verschillen = controleer_controlegetal(archief, "archief")
    site = {naam: sha256(p) for naam, p in _bestanden(html_map).items()}
    if (Path(html_map) / INDEX).is_file():
        site[INDEX] = sha256(Path(html_map) / INDEX)
    inhoud = {}
    try:
        with tarfile.open(archief, "r:gz") as tar:
            for lid in tar:
                if lid.isfile():
                    naam = lid.name.split("/", 1)[1] if "/" in lid.name else lid.name
                    inhoud[naam] = hashlib.sha256(tar.extractfile(lid).read()).hexdigest()
    except (OSError, tarfile.TarError, EOFError) as fout:
        return verschillen + [Verschil("archief", Path(archief).name, f"geen leesbaar tar.gz-archief ({fout})")]
    anders = sorted(n for n in site.keys() | inhoud.keys() if site.get(n) != inhoud.get(n))
    if anders:
        verschillen.append(Verschil("archief", Path(archief).name, f"hoort niet bij de site in {html_map}: "
                                    f"{len(anders)} bestand(en) anders, bijvoorbeeld {', '.join(anders[:3])}; "
                                    "maak het opnieuw met `vwanalyse archief`"))
    return verschillen


def pak_uit(archief: Path, doel: Path) -> Path:
    """Unpack a release archive safely (no absolute paths, no '..', no links) into `doel`; its site folder."""
    doel = Path(doel)
    doel.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(archief, "r:gz") as tar:
            tar.extractall(doel, filter="data")
    except (OSError, tarfile.TarError, EOFError) as fout:
        raise ManifestFout(f"{archief}: geen leesbaar tar.gz-archief van de site ({fout})") from None
    mappen = [p for p in doel.iterdir() if p.is_dir()]
    if len(mappen) != 1 or not (mappen[0] / INDEX).is_file():
        raise ManifestFout(f"{archief}: verwacht één map met de site en {INDEX} erin (zoals `vwanalyse archief` "
                           f"hem maakt), gevonden: {', '.join(sorted(p.name for p in doel.iterdir())) or 'niets'}")
    return mappen[0]
