"""Atomic writes and the project copy used by `vwanalyse verify` and the failure scenarios."""

import stat
import subprocess

import pytest

from vwanalyse.basis.bestanden import kopieer_project, schrijf_tekst


def test_atomair_geschreven_bestand_is_leesbaar_voor_anderen(tmp_path):
    schrijf_tekst(tmp_path / "a" / "uit.txt", "x")
    assert stat.S_IMODE((tmp_path / "a" / "uit.txt").stat().st_mode) == 0o644
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["uit.txt"]


def test_mislukte_schrijfactie_laat_niets_achter(tmp_path):
    (tmp_path / "uit.txt").write_text("oud")
    with pytest.raises(TypeError):
        schrijf_tekst(tmp_path / "uit.txt", None)
    assert (tmp_path / "uit.txt").read_text() == "oud"
    assert [p.name for p in tmp_path.iterdir()] == ["uit.txt"]


def test_kopieer_project_neemt_alleen_versiebeheer_mee(tmp_path):
    bron = tmp_path / "bron"
    (bron / "pakket").mkdir(parents=True)
    (bron / "pakket" / "a.py").write_text("a")
    (bron / ".gitignore").write_text("_build/\n")
    (bron / "_build" / "cache").mkdir(parents=True)
    (bron / "_build" / "cache" / "x.json").write_text("{}")
    (bron / "_build" / "html").mkdir()
    (bron / "_build" / "html" / "index.html").write_text("")
    subprocess.run(["git", "init", "-q"], cwd=bron, check=True)
    subprocess.run(["git", "add", "pakket/a.py", ".gitignore"], cwd=bron, check=True)
    (bron / "nieuw.py").write_text("nog niet vastgelegd")  # untracked, not ignored: comes along
    kaal = kopieer_project(bron, tmp_path / "kaal")
    assert sorted(str(p.relative_to(kaal)) for p in kaal.rglob("*") if p.is_file()) == \
        [".gitignore", "nieuw.py", "pakket/a.py"]
    met = kopieer_project(bron, tmp_path / "met", met_build=True)
    assert (met / "_build" / "cache" / "x.json").is_file() and not (met / "_build" / "html").exists()


def test_stempel_ziet_een_gewijzigd_ontbrekend_of_nieuw_bestand(tmp_path):
    """A stage reuses its output only when the key is the same and every file is the one it wrote."""
    from vwanalyse.basis.bestanden import gewijzigd, stempel

    (tmp_path / "a.csv").write_text("1\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.csv").write_text("2\n")
    bestanden = lambda: sorted(p for p in tmp_path.rglob("*.csv"))  # noqa: E731
    schrijf_tekst(tmp_path / ".stempel", stempel("sleutel-1", tmp_path, bestanden()))
    assert gewijzigd(tmp_path / ".stempel", "sleutel-1", tmp_path, bestanden()) is None
    assert gewijzigd(tmp_path / ".stempel", "sleutel-2", tmp_path, bestanden()) == ["sleutel"]
    assert gewijzigd(tmp_path / "geen", "sleutel-1", tmp_path, bestanden()) == ["sleutel"]
    (tmp_path / "sub" / "b.csv").write_text("3\n")
    assert gewijzigd(tmp_path / ".stempel", "sleutel-1", tmp_path, bestanden()) == ["sub/b.csv"]
    (tmp_path / "a.csv").unlink()
    (tmp_path / "c.csv").write_text("4\n")
    assert gewijzigd(tmp_path / ".stempel", "sleutel-1", tmp_path, bestanden()) == ["a.csv", "c.csv", "sub/b.csv"]
    (tmp_path / ".stempel").write_text("sleutel-1\n")  # a key-only stamp of an older version
    assert gewijzigd(tmp_path / ".stempel", "sleutel-1", tmp_path, bestanden()) == ["sleutel"]
