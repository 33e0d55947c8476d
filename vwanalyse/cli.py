"""Command line: `vwanalyse build | toc | config check | data check DIR`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import boek, bronnen
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
    print(f"gegevens valideren: {data_map}")
    gegevens = bronnen.laad_gegevens(data_map, config)  # raises DataFout: nothing is built
    if gegevens.ontbrekende_metingen:
        print(f"metingen zonder gegevens: {', '.join(map(str, gegevens.ontbrekende_metingen))}")
    print("resultatentabel berekenen")
    resultaten = bereken_resultaten(config, gegevens)
    schrijf_resultaten(resultaten, RESULTATEN_MAP)
    boek.schrijf_paginas(config)
    if boek.toc_tekst(config) != (PROJECT_MAP / "_toc.yml").read_text(encoding="utf-8"):
        boek.schrijf_toc(config)
        print("_toc.yml bijgewerkt naar de configuratie")
    html = boek.jupyter_book_build(PROJECT_MAP, boek.bouwconfig(gegevens.databron["demodata"]))
    print(f"\nHet boek staat in {html / 'index.html'}")
    return 0


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
    build.set_defaults(func=_build)
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
    except bronnen.DataFout as fout:
        print(f"fout in de gegevens; er is niets gebouwd of gepubliceerd.\n{fout}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
