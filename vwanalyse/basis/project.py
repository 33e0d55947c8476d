"""The project object: where one book lives, handed down from the command line.

Nothing in vwanalyse finds its folders through `__file__`: the command line (or a test) makes one
`Project` and every stage receives it, or the single folder it needs. A book can therefore be built
from a copy of the project in any folder, with a configuration and a data folder elsewhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from vwanalyse.basis.fouten import VwFout

DATA_OMGEVING = "VWANALYSE_DATA"  # environment variable naming the data folder of a build


class ProjectFout(VwFout):
    """No project folder where one was expected."""


def _is_project(map: Path) -> bool:
    return (map / "_config.yml").is_file() and (map / "notebooks").is_dir()


def vind_root(start: Path) -> Path:
    """The project folder: `start` or the nearest folder above it with _config.yml and notebooks/."""
    start = Path(start).resolve()
    for map in (start, *start.parents):
        if _is_project(map):
            return map
    raise ProjectFout(f"geen project gevonden in {start} of een map erboven (verwacht: _config.yml en "
                      "notebooks/); draai vwanalyse in de projectmap of geef --project MAP")


@dataclass(frozen=True)
class Project:
    """One book: its root folder, the configuration and data it is built from, and its build folders."""

    root: Path
    config_map: Path
    data_map: Path

    @classmethod
    def maak(cls, root: Optional[Path] = None, config_map: Optional[Path] = None,
             data_map: Optional[Path] = None) -> "Project":
        """Defaults: the project around the working folder, its data/config, and $VWANALYSE_DATA or data/demo."""
        root = vind_root(Path.cwd()) if root is None else Path(root).resolve()
        if not _is_project(root):
            raise ProjectFout(f"{root} is geen projectmap (verwacht: _config.yml en notebooks/)")
        config_map = Path(config_map) if config_map is not None else root / "data" / "config"
        if data_map is None:
            data_map = Path(os.environ[DATA_OMGEVING]) if os.environ.get(DATA_OMGEVING) else root / "data" / "demo"
        return cls(root=root, config_map=config_map.resolve(), data_map=Path(data_map).resolve())

    # ------------------------------------------------------------ sources of the book

    @property
    def demo_map(self) -> Path:
        """The synthetic demo data shipped with the project."""
        return self.root / "data" / "demo"

    @property
    def notebook_map(self) -> Path:
        """The notebook templates."""
        return self.root / "notebooks"

    @property
    def boek_map(self) -> Path:
        """Hand-written pages; generated pages and executed notebooks go into sub-folders."""
        return self.root / "book"

    @property
    def uitvoer_map(self) -> Path:
        """The executed notebooks (pages of the book) and their figures."""
        return self.boek_map / "uitvoer"

    @property
    def backtest_map(self) -> Path:
        """The frozen demo results of the back-test."""
        return self.root / "tests" / "backtest"

    # ------------------------------------------------------------ build folders

    @property
    def build_map(self) -> Path:
        return self.root / "_build"

    @property
    def resultaten_map(self) -> Path:
        return self.build_map / "resultaten"

    @property
    def cache_map(self) -> Path:
        return self.build_map / "cache"

    @property
    def mislukt_map(self) -> Path:
        return self.build_map / "mislukt"

    @property
    def html_map(self) -> Path:
        return self.build_map / "html"

    @property
    def manifest_pad(self) -> Path:
        return self.build_map / "manifest.json"

    @property
    def singlehtml_map(self) -> Path:
        """The whole book as one HTML page, printed to the PDF."""
        return self.build_map / "singlehtml"

    @property
    def pdf_pad(self) -> Path:
        return self.build_map / "pdf" / "eindrapportage.pdf"

    @property
    def archief_pad(self) -> Path:
        """The release archive of the HTML site (with `<archief>.sha256` beside it)."""
        return self.build_map / "archief" / "eindrapportage-html.tar.gz"

    @property
    def toc_pad(self) -> Path:
        """The table of contents, generated from the configuration on every build."""
        return self.build_map / "_toc.yml"

    @property
    def bouwconfig_pad(self) -> Path:
        """_config.yml as this build uses it (with the demo-data banner when it applies)."""
        return self.build_map / "_config.build.yml"
