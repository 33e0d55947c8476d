"""Command line: `vwanalyse build | run | toc | config check | data check DIR`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import boek, bronnen, linkcontrole, manifest, uitvoer
from .bestanden import schrijf_bytes, schrijf_tekst, sha256
from .configuratie import CONFIG_MAP, PROJECT_MAP, laad_configuratie
from .schema import ConfigFout


DEMO_MAP = PROJECT_MAP / "data" / "demo"
RESULTATEN_MAP = PROJECT_MAP / "_build" / "resultaten"
MANIFEST_PAD = PROJECT_MAP / manifest.PAD
HTML_MAP = PROJECT_MAP / "_build" / "html"
VINGERAFDRUK_PAD = HTML_MAP / ".bronnen.sha256"  # what the current HTML was built from


def _data_map(args) -> Path:
    return Path(args.data_dir or os.environ.get("VWANALYSE_DATA") or DEMO_MAP)


def _build(args) -> int:
    config = laad_configuratie(args.config)
    data_map = _data_map(args)
    sleutel_pad = RESULTATEN_MAP / "invoersleutel.txt"
    sleutel = uitvoer.invoersleutel(data_map, config)
    if sleutel_pad.is_file() and sleutel_pad.read_text(encoding="utf-8").strip() == sleutel:
        print(f"gegevens, configuratie en code ongewijzigd sinds de vorige build: resultaten hergebruikt ({data_map})")
    else:
        sleutel_pad.unlink(missing_ok=True)  # until the new results are complete
        print(f"gegevens valideren: {data_map}")
        gegevens = bronnen.laad_gegevens(data_map, config)  # raises DataFout: nothing is built
        if gegevens.ontbrekende_metingen:
            print(f"metingen zonder gegevens: {', '.join(map(str, gegevens.ontbrekende_metingen))}")
        print("resultatentabel berekenen")
        from .resultaten import bereken_resultaten, schrijf_resultaten  # heavy imports, only when needed

        resultaten = bereken_resultaten(config, gegevens)
        schrijf_resultaten(resultaten, RESULTATEN_MAP)
        uitvoer.schrijf_invoer(resultaten, gegevens, RESULTATEN_MAP)
        schrijf_tekst(sleutel_pad, sleutel + "\n")
    meta = json.loads((RESULTATEN_MAP / "meta.json").read_text(encoding="utf-8"))
    boek.schrijf_paginas(config, resultaten_map=RESULTATEN_MAP)
    if boek.toc_tekst(config) != (PROJECT_MAP / "_toc.yml").read_text(encoding="utf-8"):
        boek.schrijf_toc(config)
        print("_toc.yml bijgewerkt naar de configuratie")
    if _voer_notebooks_uit(config, args) != 0:
        print("het boek is niet gebouwd omdat notebooks mislukten", file=sys.stderr)
        return 1
    bouw = manifest.maak_manifest(project_map=PROJECT_MAP, data_map=data_map, config_map=Path(config.map),
                                  resultaten_map=RESULTATEN_MAP, uitvoer_map=uitvoer.UITVOER_MAP,
                                  cache_map=uitvoer.CACHE_MAP, download_map=boek.BOEK_MAP / "bijlagen" / boek.DOWNLOADS)
    manifest.schrijf(bouw, MANIFEST_PAD)
    demo = meta["databron"]["demodata"]
    bijlagen = boek.BOEK_MAP / "bijlagen"
    melding = boek.demomelding(boek.lees_rapport(config, RESULTATEN_MAP))
    schrijf_tekst(bijlagen / f"{boek.MANIFEST_BIJLAGE}.md", manifest.pagina(bouw, melding))
    schrijf_bytes(bijlagen / "manifest.json", MANIFEST_PAD.read_bytes())
    config_pad = boek.bouwconfig(demo)
    vingerafdruk = _boek_vingerafdruk(config_pad)
    if (VINGERAFDRUK_PAD.is_file() and (HTML_MAP / "index.html").is_file()
            and VINGERAFDRUK_PAD.read_text(encoding="utf-8") == vingerafdruk):
        print("boekbronnen ongewijzigd sinds de vorige build: jupyter-book overgeslagen")
    else:
        VINGERAFDRUK_PAD.unlink(missing_ok=True)  # until the new HTML is complete and checked
        boek.jupyter_book_build(PROJECT_MAP, config_pad)
        schrijf_tekst(HTML_MAP / "manifest.json", MANIFEST_PAD.read_text(encoding="utf-8"))
        problemen = linkcontrole.controleer(HTML_MAP)
        if problemen:
            print("\n".join(["linkcontrole van de gebouwde site:", *problemen]), file=sys.stderr)
            print(f"{len(problemen)} probleem/problemen met links; het boek is niet klaar voor publicatie",
                  file=sys.stderr)
            return 1
        schrijf_tekst(VINGERAFDRUK_PAD, vingerafdruk)
    print(f"\nHet boek staat in {HTML_MAP / 'index.html'}")
    return 0


def _boek_vingerafdruk(config_pad: Path) -> str:
    """Fingerprint of everything `jupyter-book build` reads: pages, notebooks, figures, toc, config."""
    import hashlib
    import importlib.metadata

    h = hashlib.sha256(importlib.metadata.version("jupyter-book").encode())
    bestanden = [PROJECT_MAP / "_toc.yml", PROJECT_MAP / "_config.yml", config_pad]
    bestanden += sorted(p for p in boek.BOEK_MAP.rglob("*") if p.is_file()
                        and not any(d.startswith(".") for d in p.relative_to(boek.BOEK_MAP).parts))
    for pad in bestanden:
        h.update(str(pad.relative_to(PROJECT_MAP)).encode() + b"\0" + sha256(pad).encode())
    return h.hexdigest() + "\n"


def _voer_notebooks_uit(config, args, gebieden=None, metingen=None, pijlers=None) -> int:
    volledig = not (gebieden or metingen or pijlers)
    taken = uitvoer.matrix(config, RESULTATEN_MAP, gebieden, metingen, pijlers)
    executor = uitvoer.dask_executor(args.scheduler) if args.scheduler else None
    verslag = uitvoer.voer_uit(taken, config, werkers=args.workers, executor=executor, forceer=args.force)
    if volledig:
        uitvoer.verwijder_verouderd(taken)
    print(verslag.samenvatting())
    return 1 if verslag.mislukt else 0


def _run(args) -> int:
    config = laad_configuratie(args.config)
    uitvoer.controleer_keuze(config, args.gebied, args.meting, args.pijler)
    if not (RESULTATEN_MAP / "meta.json").is_file():
        print(f"geen resultaten in {RESULTATEN_MAP}; draai eerst `vwanalyse build`", file=sys.stderr)
        return 2
    return _voer_notebooks_uit(config, args, args.gebied, args.meting, args.pijler)


def _verify(args) -> int:
    """Rebuild from scratch in a temporary folder and compare with the manifest."""
    import subprocess
    import tempfile

    from .bestanden import kopieer_project
    from .resultaten import lees_resultaten

    verwacht = manifest.lees(args.manifest)
    data_map = _data_map(args).resolve()
    with tempfile.TemporaryDirectory(prefix="vwanalyse-verify-") as tmp:
        kopie = kopieer_project(PROJECT_MAP, Path(tmp) / "project")
        print(f"opnieuw bouwen vanaf nul in {kopie} (gegevens: {data_map})")
        opdracht = [sys.executable, "-m", "vwanalyse", "build", "--data-dir", str(data_map)]
        if args.workers:
            opdracht += ["--workers", str(args.workers)]
        omgeving = {**os.environ, "PYTHONPATH": str(kopie), "PYTHONHASHSEED": "0"}
        uit = subprocess.run(opdracht, cwd=kopie, env=omgeving)
        if uit.returncode != 0:
            print(f"de nieuwe build is mislukt (exit {uit.returncode}); er is niets vergeleken", file=sys.stderr)
            return 1
        gevonden = manifest.lees(kopie / "_build" / "manifest.json")
        verschillen = manifest.vergelijk(verwacht, gevonden)
        oude_tabel = _tabel_bij(args.manifest)
        nieuwe = lees_resultaten(kopie / "_build" / "resultaten")
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
        print(f"\n{len(fout)} verschil(len) met {args.manifest}", file=sys.stderr)
        return 1
    print(f"\ngeverifieerd: de nieuwe build komt overeen met {args.manifest} "
          f"({len(verwacht['resultaten'])} groepen in de resultatentabel, {len(verwacht['figuren'])} figuren, "
          f"{len(verwacht['notebooks'])} notebooks, {len(verwacht['downloads'])} downloads)")
    return 0


def _tabel_bij(manifest_pad: Path):
    """The results table of the build that wrote this manifest, when it is still there."""
    from .resultaten import lees_resultaten

    map = Path(manifest_pad).resolve().parent / "resultaten"
    try:
        return lees_resultaten(map) if (map / "meta.json").is_file() else None
    except (OSError, ValueError):
        return None


def _runner_opties(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true", help="re-run every notebook, ignoring the cache")
    p.add_argument("--workers", type=int, default=None, help="parallel notebooks (default: one per core)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run on a Dask distributed cluster at this address instead of a local process pool")


def _toc(args) -> int:
    boek.schrijf_toc(laad_configuratie(args.config))
    print(f"_toc.yml geschreven ({PROJECT_MAP / '_toc.yml'})")
    return 0


def _config_check(args) -> int:
    config = laad_configuratie(args.config)
    print(f"configuratie in orde: {len(config.gebieden)} gebieden, {len(config.metingen)} metingen, "
          f"{len(config.indicatoren)} indicatoren, {sum(len(l.projecten) for l in config.logicmodellen.values())} projecten")
    return 0


def _data_check(args) -> int:
    config = laad_configuratie(args.config)
    regels = bronnen.controleer_map(args.map, config)
    for bestand, tekst in regels:
        print(f"{bestand}: {tekst}")
    fouten = sum(tekst.startswith("fout:") for _, tekst in regels)
    print(f"{fouten} fout(en) in {args.map}" if fouten else f"datamap in orde: {args.map}")
    return 1 if fouten else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="vwanalyse", description=__doc__)
    p.add_argument("--config", type=Path, default=CONFIG_MAP, help="configuration folder (default: data/config)")
    sub = p.add_subparsers(dest="opdracht", required=True)
    build = sub.add_parser("build", help="validate the data, compute the results and build the book")
    build.add_argument("--data-dir", type=Path, default=None,
                       help="data folder (default: $VWANALYSE_DATA, else data/demo)")
    _runner_opties(build)
    build.set_defaults(func=_build)
    run = sub.add_parser("run", help="execute the notebooks (papermill) for the existing results")
    _runner_opties(run)
    run.add_argument("--gebied", action="append", help="only this gebied (repeatable)")
    run.add_argument("--meting", action="append", type=int, help="only this meting (repeatable)")
    run.add_argument("--pijler", action="append", help="only this pijler (repeatable)")
    run.set_defaults(func=_run)
    verify = sub.add_parser("verify", help="rebuild from scratch in a temporary folder and compare with a manifest")
    verify.add_argument("manifest", nargs="?", type=Path, default=MANIFEST_PAD,
                        help="the manifest to verify (default: _build/manifest.json)")
    verify.add_argument("--data-dir", type=Path, default=None,
                        help="data folder (default: $VWANALYSE_DATA, else data/demo)")
    verify.add_argument("--workers", type=int, default=None, help="parallel notebooks (default: one per core)")
    verify.set_defaults(func=_verify)
    sub.add_parser("toc", help="regenerate _toc.yml from the configuration").set_defaults(func=_toc)
    cfg = sub.add_parser("config", help="configuration commands")
    cfg_sub = cfg.add_subparsers(dest="config_opdracht", required=True)
    cfg_sub.add_parser("check", help="validate data/config").set_defaults(func=_config_check)
    data = sub.add_parser("data", help="data folder commands")
    data_sub = data.add_subparsers(dest="data_opdracht", required=True)
    check = data_sub.add_parser("check", help="validate a data folder (see data/FORMAAT.md)")
    check.add_argument("map", type=Path, help="the data folder")
    check.set_defaults(func=_data_check)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # fixed hash salt for everything this run starts (notebook kernels, jupyter-book): stable output
    os.environ.setdefault("PYTHONHASHSEED", "0")
    try:
        return args.func(args)
    except ConfigFout as fout:
        print(f"fout in de configuratie: {fout}", file=sys.stderr)
        return 2
    except manifest.ManifestFout as fout:
        print(f"ongeldig manifest: {fout}", file=sys.stderr)
        return 2
    except uitvoer.ParameterFout as fout:
        print(f"ongeldige keuze: {fout}", file=sys.stderr)
        return 2
    except bronnen.DataFout as fout:
        print(f"fout in de gegevens; er is niets gebouwd of gepubliceerd.\n{fout}", file=sys.stderr)
        return 2
    except OSError as fout:
        # e.g. a full disk: outputs are written atomically, so the previous version of the file is intact
        waar = f" van {fout.filename}" if fout.filename else ""
        print(f"fout bij het lezen of schrijven{waar}: {fout.strerror or fout}; er is geen half bestand "
              "achtergebleven, los het op en draai opnieuw", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
