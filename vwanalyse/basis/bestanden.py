"""File helpers shared by every module that writes: atomic writes and checksums.

An output is written to a temporary file in the same folder and renamed into place, so a failed
or interrupted run never leaves a half-written file behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Optional


@contextmanager
def atomair_pad(doel: Path | str) -> Iterator[Path]:
    """Yield a temporary path next to `doel`; on success it replaces `doel`, on error it is removed."""
    doel = Path(doel)
    doel.parent.mkdir(parents=True, exist_ok=True)
    fd, tijdelijk = tempfile.mkstemp(prefix=f".{doel.name}.", suffix=".tmp", dir=doel.parent)
    os.close(fd)
    tijdelijk = Path(tijdelijk)
    try:
        yield tijdelijk
        os.chmod(tijdelijk, 0o644)  # mkstemp makes it private; outputs are published and shared
        os.replace(tijdelijk, doel)
    except OSError as fout:  # e.g. a full disk: name the output, not the temporary file
        raise OSError(fout.errno, fout.strerror or str(fout), str(doel)) from fout
    finally:
        tijdelijk.unlink(missing_ok=True)


@contextmanager
def atomaire_map(doel: Path | str) -> Iterator[Path]:
    """Yield a temporary folder next to `doel`; on success it becomes `doel`, on error it is removed.

    `doel` must not exist yet or be an empty folder: a folder is never half replaced or mixed."""
    import shutil

    doel = Path(doel)
    if doel.exists() and (not doel.is_dir() or any(doel.iterdir())):
        raise FileExistsError(17, "bestaat al en is niet leeg; kies een nieuwe of lege map", str(doel))
    doel.parent.mkdir(parents=True, exist_ok=True)
    tijdelijk = Path(tempfile.mkdtemp(prefix=f".{doel.name}.", suffix=".tmp", dir=doel.parent))
    try:
        yield tijdelijk
        os.chmod(tijdelijk, 0o755)
        os.replace(tijdelijk, doel)
    finally:
        shutil.rmtree(tijdelijk, ignore_errors=True)


def schrijf_tekst(doel: Path | str, tekst: str) -> None:
    with atomair_pad(doel) as tmp:
        tmp.write_text(tekst, encoding="utf-8")


def schrijf_bytes(doel: Path | str, data: bytes) -> None:
    with atomair_pad(doel) as tmp:
        tmp.write_bytes(data)


def sha256(pad: Path | str) -> str:
    h = hashlib.sha256()
    with open(pad, "rb") as f:
        for blok in iter(lambda: f.read(1 << 20), b""):
            h.update(blok)
    return h.hexdigest()


def vingerafdruk(map: Path | str, bestanden: Iterable[Path], begin: str = "") -> str:
    """One sha256 over `begin` and the names (relative to `map`) and contents of these files.

    The files are taken in sorted order, so the same folder content always gives the same value;
    every cache key of the build (results, notebooks, downloads, the HTML) is made this way.
    """
    h = hashlib.sha256(begin.encode())
    for pad in sorted(Path(p) for p in bestanden):
        h.update(Path(pad).relative_to(map).as_posix().encode() + b"\0" + sha256(pad).encode() + b"\n")
    return h.hexdigest()


def stempel(sleutel: str, map: Path | str, bestanden: Iterable[Path]) -> str:
    """A stamp: the cache key an output was made with, then 'sha256  path' of every file it made.

    A stage reuses its output only when the key is unchanged and every file is still the one it
    wrote (`gewijzigd`): a results file, download or page changed by hand is made again.
    """
    map = Path(map)
    regels = [sleutel.strip()] + [f"{sha256(p)}  {Path(p).relative_to(map).as_posix()}" for p in sorted(bestanden)]
    return "\n".join(regels) + "\n"


def gewijzigd(stempel_pad: Path | str, sleutel: str, map: Path | str, bestanden: Iterable[Path]) -> Optional[list[str]]:
    """None when the stamp says these outputs are current; else what changed ('sleutel' when the key
    did, or the files that are missing, other or new), so the caller can say why it makes them again."""
    map = Path(map)
    try:
        regels = Path(stempel_pad).read_text(encoding="utf-8").splitlines()
    except OSError:
        return ["sleutel"]
    verwacht = dict(reversed(r.split("  ", 1)) for r in regels[1:] if "  " in r)
    if not regels or regels[0] != sleutel.strip() or not verwacht:  # no files: a stamp of an older version
        return ["sleutel"]
    nu = {Path(p).relative_to(map).as_posix(): p for p in bestanden}
    anders = [naam for naam in sorted(verwacht.keys() | nu.keys())
              if naam not in nu or naam not in verwacht or sha256(nu[naam]) != verwacht[naam]]
    return anders or None


def zichtbare_bestanden(map: Path | str, patroon: str = "*") -> list[Path]:
    """Every file under `map` matching `patroon`, except hidden files and folders (temporary files)."""
    map = Path(map)
    return sorted(p for p in map.rglob(patroon)
                  if p.is_file() and not any(deel.startswith(".") for deel in p.relative_to(map).parts))


def kopieer_project(bron: Path | str, doel: Path | str, *, met_build: bool = False) -> Path:
    """Copy a project checkout (its version-controlled files) to `doel`, e.g. for a clean rebuild.

    With `met_build`, the results, notebook cache and executed notebooks come along too, so a build
    in the copy only re-runs what a change touches. The copy is run with PYTHONPATH=<doel>.
    """
    import shutil
    import subprocess

    bron, doel = Path(bron), Path(doel)
    try:
        uit = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=bron, capture_output=True, check=True)
        bestanden = [p for p in uit.stdout.decode().split("\0") if p and (bron / p).is_file()]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (e.g. an unpacked archive)
        overslaan = {".git", ".venv", "_build", "node_modules", "__pycache__"}
        bestanden = [str(p.relative_to(bron)) for p in bron.rglob("*")
                     if p.is_file() and not overslaan & set(p.relative_to(bron).parts)]
    for naam in bestanden:
        (doel / naam).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(bron / naam, doel / naam)
    if met_build:
        for naam in ("_build/resultaten", "_build/cache", "book/uitvoer"):
            if (bron / naam).is_dir():
                shutil.copytree(bron / naam, doel / naam, dirs_exist_ok=True)
    return doel
