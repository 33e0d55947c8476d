"""The package's folders are the data flow: a stage imports only the stages before it, and nothing is circular.

The allowed imports are the table of ../shared/design/ARCHITECTURE.md ("Rooms"); `vwanalyse/__init__.py`
draws the same order. Every import counts, also one inside a function.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PAKKET = Path(__file__).resolve().parents[1] / "vwanalyse"

# stage -> the stages it may import (besides itself)
TOEGESTAAN = {
    "basis": set(),
    "model": {"basis"},
    "invoer": {"basis", "model"},
    "statistiek": {"basis", "model"},
    "demodata": {"basis", "model", "statistiek"},
    "resultaten": {"basis", "model", "invoer", "statistiek"},
    "weergave": {"basis", "model", "statistiek", "resultaten"},
    "notebook-api": {"basis", "model", "statistiek", "resultaten", "weergave"},
    "uitvoer": {"basis", "model", "resultaten"},
    "boek": {"basis", "model", "invoer", "statistiek", "resultaten", "weergave", "uitvoer"},
    "controle": {"basis", "model", "invoer", "statistiek", "resultaten", "weergave", "uitvoer", "boek"},
    "pijplijn": {"basis", "model", "invoer", "statistiek", "resultaten", "weergave", "uitvoer", "boek", "controle"},
    "cli": {"basis", "model", "invoer", "statistiek", "demodata", "resultaten", "weergave", "uitvoer", "boek",
            "controle", "pijplijn"},
}
NOTEBOOK_API = {"rapport", "figuren", "logicmodel"}  # vwanalyse/<naam>.py: the names templates import


def _stadium(module: str) -> str:
    """The stage of a dotted module name: its sub-package, or the top-level module itself."""
    deel = module.split(".")[1] if module.count(".") else "__init__"
    return "notebook-api" if deel in NOTEBOOK_API else {"__main__": "cli", "__init__": "basis"}.get(deel, deel)


def _modules() -> dict[str, Path]:
    uit = {}
    for pad in sorted(PAKKET.rglob("*.py")):
        delen = ["vwanalyse", *pad.relative_to(PAKKET).with_suffix("").parts]
        if delen[-1] == "__init__":
            delen.pop()
        uit[".".join(delen)] = pad
    return uit


def _imports(module: str, pad: Path, modules: dict[str, Path]) -> set[str]:
    """The vwanalyse modules this file imports, anywhere in it."""
    pakket = module if pad.name == "__init__.py" else module.rpartition(".")[0]
    gevonden = set()
    for knoop in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
        if isinstance(knoop, ast.Import):
            gevonden |= {a.name for a in knoop.names if a.name.split(".")[0] == "vwanalyse"}
        elif isinstance(knoop, ast.ImportFrom):
            basis = knoop.module or ""
            if knoop.level:
                boven = pakket
                for _ in range(knoop.level - 1):
                    boven = boven.rpartition(".")[0]
                basis = f"{boven}.{basis}" if basis else boven
            if basis.split(".")[0] != "vwanalyse":
                continue
            namen = {f"{basis}.{a.name}" for a in knoop.names if f"{basis}.{a.name}" in modules}
            gevonden |= namen or {basis}
    return {m for m in gevonden if m in modules and m != module}


def _graaf() -> dict[str, set[str]]:
    modules = _modules()
    return {m: _imports(m, p, modules) for m, p in modules.items()}


def test_elk_stadium_is_bekend():
    onbekend = {m for m in _modules() if _stadium(m) not in TOEGESTAAN}
    assert not onbekend, f"modules outside every stage (add the folder to TOEGESTAAN and ARCHITECTURE.md): {onbekend}"


def test_een_stadium_importeert_alleen_eerdere_stadia():
    fout = []
    for module, imports in _graaf().items():
        van = _stadium(module)
        for doel in imports:
            naar = _stadium(doel)
            if naar != van and naar not in TOEGESTAAN[van] and doel != "vwanalyse":
                fout.append(f"{module} ({van}) imports {doel} ({naar})")
    assert not fout, "\n".join(fout)


def test_geen_kringen():
    graaf = _graaf()
    kring = _zoek_kring(graaf)
    assert kring is None, " -> ".join(kring or [])
    # the stages themselves form no cycle either (so there is one order of the data flow)
    stadia = {s: {t for t in doelen if t != s} for s, doelen in TOEGESTAAN.items()}
    assert _zoek_kring(stadia) is None


def _zoek_kring(graaf: dict[str, set[str]]):
    """A cycle in the graph as a list of nodes, or None."""
    kleur: dict[str, int] = {}
    pad: list[str] = []

    def bezoek(knoop):
        kleur[knoop] = 1
        pad.append(knoop)
        for volgende in sorted(graaf.get(knoop, ())):
            if kleur.get(volgende) == 1:
                return pad[pad.index(volgende):] + [volgende]
            if volgende not in kleur:
                gevonden = bezoek(volgende)
                if gevonden:
                    return gevonden
        pad.pop()
        kleur[knoop] = 2
        return None

    for knoop in sorted(graaf):
        if knoop not in kleur:
            gevonden = bezoek(knoop)
            if gevonden:
                return gevonden
    return None


def test_de_controle_vindt_een_geplante_overtreding(tmp_path, monkeypatch):
    """The checks can fail: a statistics module importing the book, and a cycle between two modules."""
    import shutil

    kopie = tmp_path / "vwanalyse"
    shutil.copytree(PAKKET, kopie, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(sys.modules[__name__], "PAKKET", kopie)
    schatting = kopie / "statistiek" / "schatting.py"
    schatting.write_text(schatting.read_text(encoding="utf-8") + "\n\ndef _x():\n    from vwanalyse.boek import paginas\n")
    try:
        test_een_stadium_importeert_alleen_eerdere_stadia()
    except AssertionError as fout:
        assert "vwanalyse.statistiek.schatting (statistiek) imports vwanalyse.boek.paginas (boek)" in str(fout)
    else:
        raise AssertionError("the layering check did not see statistiek importing boek")
    oordelen = kopie / "statistiek" / "oordelen.py"
    oordelen.write_text(oordelen.read_text(encoding="utf-8") + "\nfrom vwanalyse.statistiek import schatting\n")
    schatting.write_text(schatting.read_text(encoding="utf-8") + "\nfrom vwanalyse.statistiek import oordelen\n")
    assert _zoek_kring(_graaf()) is not None
