"""Command line: `vwanalyse build | run | toc | config check | data check DIR`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import boek, bronnen, uitvoer
from .bestanden import schrijf_tekst
from .resultaten import bereken_resultaten, schrijf_resultaten
from .configuratie import CONFIG_MAP, PROJECT_MAP, laad_configuratie
from .schema import ConfigFout


DEMO_MAP = PROJECT_MAP / "data" / "demo"
RESULTATEN_MAP = PROJECT_MAP / "_build" / "resultaten"


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
        resultaten = bereken_resultaten(config, gegevens)
        schrijf_resultaten(resultaten, RESULTATEN_MAP)
        uitvoer.schrijf_invoer(resultaten, gegevens, RESULTATEN_MAP)
        schrijf_tekst(sleutel_pad, sleutel + "\n")
    meta = json.loads((RESULTATEN_MAP / "meta.json").read_text(encoding="utf-8"))
    boek.schrijf_paginas(config)
    if boek.toc_tekst(config) != (PROJECT_MAP / "_toc.yml").read_text(encoding="utf-8"):
        boek.schrijf_toc(config)
        print("_toc.yml bijgewerkt naar de configuratie")
    if _voer_notebooks_uit(config, args) != 0:
        print("het boek is niet gebouwd omdat notebooks mislukten", file=sys.stderr)
        return 1
    html = boek.jupyter_book_build(PROJECT_MAP, boek.bouwconfig(meta["databron"]["demodata"]))
    print(f"\nHet boek staat in {html / 'index.html'}")
    return 0


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
    try:
        return args.func(args)
    except ConfigFout as fout:
        print(f"fout in de configuratie: {fout}", file=sys.stderr)
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
