"""De opdrachtregel `vwanalyse`: leest de argumenten, roept de pijplijn aan en kiest de exitcode.

Exitcodes (dezelfde tabel staat in de README; `config check`, `data check`, `build` en `verify`
geven voor hetzelfde probleem dezelfde code): 0 in orde; 1 de build of controle is mislukt (een
notebook, een link, een verschil bij verify, een afwijkende back-test of een vondst van de
vertrouwelijkheidsscan); 2 fout in de invoer (configuratie, gegevens, een onbekende keuze, een
onleesbaar manifest of een site zonder publicatie.json); 3 fout bij het lezen of schrijven van een
bestand (bijvoorbeeld een volle schijf) of bij het ophalen van een CBS-tabel; 130 afgebroken met Ctrl-C (één regel, werkers en kernels
gestopt).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path

from vwanalyse import pijplijn
from vwanalyse.basis.fouten import ParameterFout, VwFout
from vwanalyse.basis.processen import AFGEBROKEN, AFGEBROKEN_TEKST, AlGemeld
from vwanalyse.basis.project import Project

# What the command line prints of its own (argparse's fixed texts), in Dutch.
_ARGPARSE = {
    "usage: ": "gebruik: ", "positional arguments": "argumenten", "options": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "the following arguments are required: %s": "deze argumenten ontbreken: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "onbekende keuze: %(value)r (kies uit %(choices)s)",
    "invalid %(type)s value: %(value)r": "ongeldige waarde %(value)r (verwacht: %(type)s)",
    "expected one argument": "verwacht één waarde",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
}


def _vertaal(tekst: str) -> str:
    return _ARGPARSE.get(tekst, tekst)


argparse._ = _vertaal  # argparse has no other hook for its own words


def _project(args) -> Project:
    return Project.maak(args.project, args.config, getattr(args, "data_dir", None))


def _opties(args) -> pijplijn.Runneropties:
    return pijplijn.Runneropties(werkers=args.workers, scheduler=args.scheduler, forceer=args.force)


def _build(args) -> int:
    index = pijplijn.bouw(_project(args), _opties(args), args.manifest_van)
    if args.manifest_van is None:  # the rebuild of verify is in a folder that is deleted afterwards
        print(f"\nHet boek staat in {index}")
    return 0


def _run(args) -> int:
    pijplijn.run(_project(args), _opties(args), args.gebied, args.meting, args.pijler)
    return 0


def _verify(args) -> int:
    if sum(x is not None for x in (args.manifest, args.site, args.archief)) > 1:
        raise ParameterFout("geef één van MANIFEST, --site MAP en --archief BESTAND")
    for pad, soort in ((args.site, "map"), (args.archief, "bestand")):
        if pad is not None and not (pad.is_dir() if soort == "map" else pad.is_file()):
            raise ParameterFout(f"{pad}: geen {soort}")
    goed = pijplijn.verifieer(_project(args), args.manifest, args.workers, site=args.site, archief=args.archief,
                              herbouw=not args.zonder_herbouw)
    return 0 if goed else 1


def _config_check(args) -> int:
    from vwanalyse.demodata import waarheid
    from vwanalyse.model.configuratie import laad_configuratie
    from vwanalyse.uitvoer.taken import controleer_sjablonen

    project = _project(args)
    config = laad_configuratie(project.config_map)
    controleer_sjablonen(config, project)
    waarheid.laad(config)  # the demo generator's planted truth, read as strictly as the rest
    print(f"configuratie in orde: {len(config.gebieden)} gebieden, {len(config.metingen)} metingen, "
          f"{len(config.indicatoren)} indicatoren, {sum(len(l.projecten) for l in config.logicmodellen.values())} projecten")
    return 0


def _data_check(args) -> int:
    from vwanalyse.invoer.bronnen import controleer_map
    from vwanalyse.model.configuratie import laad_configuratie

    config = laad_configuratie(_project(args).config_map)
    regels = controleer_map(args.map, config)
    for bestand, tekst in regels:
        print(f"{bestand}: {tekst}")
    fouten = sum(tekst.startswith("fout:") for _, tekst in regels)
    waarschuwingen = sum(tekst.startswith("waarschuwing:") for _, tekst in regels)
    extra = f" ({waarschuwingen} waarschuwing(en) over de volledigheid per gebied)" if waarschuwingen else ""
    print(f"{fouten} fout(en) in {args.map}" if fouten else f"datamap in orde: {args.map}{extra}")
    return 2 if fouten else 0


def _data_importeer(args) -> int:
    from vwanalyse.invoer.importeer import importeer_map
    from vwanalyse.model.configuratie import laad_configuratie

    config = laad_configuratie(_project(args).config_map)
    for regel in importeer_map(args.export, args.doel, config):
        print(regel)
    print(f"geïmporteerd en gecontroleerd: {args.doel} (bouw met `vwanalyse build --data-dir {args.doel}`)")
    return 0


def _cbs(args) -> int:
    import tempfile

    from vwanalyse.invoer import cbs
    from vwanalyse.model.configuratie import laad_configuratie

    config = laad_configuratie(_project(args).config_map)
    definities = cbs.laad_definities(config)
    if args.cbs_opdracht == "eigenschappen":
        tabel = definities.get(args.tabel)
        info, eigenschappen = cbs.tabelinfo(args.tabel, args.url or (tabel.url if tabel else None) or cbs.CBS_URL)
        gebruik = cbs.gekoppeld(definities.get(args.tabel))
        print(f"{args.tabel} {info.get('Title', '')} (gewijzigd {info.get('Modified', '?')}); "
              + ("in cbs_import.yml" if args.tabel in definities else "niet in cbs_import.yml"))
        for p in eigenschappen:
            if p.get("Key"):
                eenheid = f" [{p['Unit'].strip()}]" if (p.get("Unit") or "").strip() else ""
                print(f"  {p['Key']:<40} {p.get('Type', ''):<15} {(p.get('Title') or '').strip()}{eenheid}"
                      + (f"  <- {gebruik[p['Key']]}" if p["Key"] in gebruik else ""))
        return 0
    if not args.map.is_dir():
        raise ParameterFout(f"{args.map}: geen map (de datamap waarin register/ komt)")
    if args.cbs_opdracht == "ophalen":
        info, rijen = cbs.haal_op(args.tabel, config, definities, args.url)
        print(f"{args.tabel} {info.get('Title', '')} (gewijzigd {info.get('Modified', '?')}): {len(rijen)} rijen "
              "opgehaald")
        with tempfile.TemporaryDirectory(prefix="vwanalyse-cbs-") as tmp:
            bestand = Path(tmp) / f"{args.tabel}_TypedDataSet.json"
            bestand.write_text(json.dumps({"value": rijen}), encoding="utf-8")
            register = cbs.importeer(bestand, args.tabel, args.jaar, definities=definities)
    else:
        register = cbs.importeer(args.bestand, args.tabel, args.jaar, definities=definities)
    pad, mist = cbs.schrijf_register(register, definities[args.tabel], args.map, config)
    kolommen = ", ".join(definities[args.tabel].doelen().values())
    geschreven = register[~register["gebiedscode"].isin(mist)]
    print(f"{pad}: {kolommen} voor {geschreven['gebiedscode'].isin(cbs.gebiedscodes(config)).sum()} rijen van de "
          f"gebieden en hun gemeenten (jaar {', '.join(map(str, sorted(set(register['jaar']))))})")
    if mist:
        print(f"let op: niet in de tabel: {', '.join(mist)} (die rijen komen uit een andere bron of tabel)")
    print(f"controleer de map met `vwanalyse data check {args.map}`")
    return 0


def _backtest(args) -> int:
    from vwanalyse.controle import backtest

    project = _project(args)
    nieuw = backtest.bereken(project)
    if args.accepteer:
        backtest.accepteer(project, nieuw)
        print(f"bevroren resultaten herschreven in {project.backtest_map}; bekijk `git diff tests/backtest` "
              "voor je commit (zie tests/backtest/README.md)")
        return 0
    verschillen = backtest.verschillen(project, nieuw)
    print("\n".join(verschillen) if verschillen else "back-test in orde: resultaten gelijk aan de bevroren tabel")
    return 1 if verschillen else 0


def _vertrouwelijkheid(args) -> int:
    from vwanalyse.controle.vertrouwelijkheid import scan
    from vwanalyse.model.configuratie import laad_configuratie

    project = _project(args)
    mappen = args.mappen or [project.html_map, project.uitvoer_map]
    verslag = scan(mappen, laad_configuratie(project.config_map), project.data_map)
    for regel in verslag.vondsten:
        print(regel)
    print(f"{verslag.bestanden} bestanden gescand op {verslag.ids} respondent-ids "
          f"({verslag.ids_te_kort} te korte ids alleen via de controle op rijniveau); "
          f"{len(verslag.vondsten)} vondst(en)")
    return 1 if verslag.vondsten else 0


def _demodata(args) -> int:
    from vwanalyse.demodata import waarheid
    from vwanalyse.demodata.generator import genereer
    from vwanalyse.model.configuratie import laad_configuratie

    project = _project(args)
    config = laad_configuratie(project.config_map)
    geplant = waarheid.laad(config)
    if args.oefenexport is not None:
        from vwanalyse.demodata.oefenexport import schrijf_oefenexport

        bestanden = schrijf_oefenexport(args.oefenexport, config, geplant)
        print(f"oefenexport geschreven naar {args.oefenexport} ({len(bestanden)} bestanden, enquêtes als SPSS); "
              f"zet hem om met `vwanalyse data importeer {args.oefenexport} DOEL`")
        return 0
    doel = args.doel or project.demo_map
    genereer(doel, config, geplant)
    print(f"demodata geschreven naar {doel} ({len(config.gebieden)} gebieden, {len(config.metingen)} metingen, "
          f"{len(config.indicatoren)} indicatoren)")
    for regel in waarheid.standaardwaarden(config, geplant):
        print(f"standaardwaarden ({waarheid.BESTAND}): {regel}")
    for regel in waarheid.ongebruikt(geplant, config):
        print(f"niet gebruikt ({waarheid.BESTAND}): {regel}")
    return 0


def _pdf(args) -> int:
    from vwanalyse.boek.publicatie import maak_pdf

    print(f"De PDF staat in {maak_pdf(_project(args))}")
    return 0


def _archief(args) -> int:
    from vwanalyse.boek.publicatie import maak_archief

    project = _project(args)
    archief, controlegetal = maak_archief(project.html_map, project.archief_pad)
    print(f"Het archief staat in {archief} (sha256 {controlegetal})")
    return 0


def _duiding_uitzetten(args) -> int:
    pad = pijplijn.duiding_uitzetten(_project(args), args.gemeente, args.meting, args.uit)
    print(f"duidingwerkboek geschreven: {pad}")
    return 0


def _duiding_inlezen(args) -> int:
    if not args.bestand.is_file():
        raise ParameterFout(f"{args.bestand}: geen bestand")
    pad, aantal = pijplijn.duiding_inlezen(_project(args), args.bestand, args.gemeente)
    print(f"duiding ingelezen: {aantal} antwoorden in {pad}; `vwanalyse build` zet ze in het boek")
    return 0


def _runner_opties(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true", help="voer elk notebook opnieuw uit, ook als de cache actueel is")
    p.add_argument("--workers", type=int, default=None, help="aantal notebooks tegelijk (standaard: één per kern)")
    p.add_argument("--scheduler", default=None, metavar="ADRES",
                   help="voer de notebooks uit op een Dask-cluster op dit adres in plaats van op deze machine")


def _data_optie(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", type=Path, default=None, metavar="MAP",
                   help="de datamap (standaard: $VWANALYSE_DATA, anders data/demo)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="vwanalyse", description="Het analyseboek van de Monitor Regio Deal Vitale "
                                "Wijken: gegevens controleren, resultaten berekenen en het boek bouwen.")
    p.add_argument("--project", type=Path, default=None, metavar="MAP",
                   help="de projectmap (standaard: de map met _config.yml en notebooks/ rond de huidige map)")
    p.add_argument("--config", type=Path, default=None, metavar="MAP",
                   help="de configuratiemap (standaard: data/config van het project)")
    sub = p.add_subparsers(dest="opdracht", required=True, metavar="OPDRACHT", title="opdrachten")
    build = sub.add_parser("build", help="gegevens valideren, resultaten berekenen en het boek bouwen")
    _data_optie(build)
    _runner_opties(build)
    # internal: the rebuild of verify shows the manifest under test on its reproducibility page
    build.add_argument("--manifest-van", type=Path, default=None, help=argparse.SUPPRESS)
    build.set_defaults(func=_build)
    run = sub.add_parser("run", help="de notebooks (papermill) uitvoeren op de bestaande resultaten")
    _runner_opties(run)
    run.add_argument("--gebied", action="append", help="alleen dit gebied (herhaalbaar)")
    run.add_argument("--meting", action="append", type=int, help="alleen deze meting (herhaalbaar)")
    run.add_argument("--pijler", action="append", help="alleen deze pijler (herhaalbaar)")
    run.set_defaults(func=_run)
    verify = sub.add_parser("verify", help="de publicatie controleren en opnieuw bouwen in een tijdelijke map om te "
                                           "vergelijken")
    verify.add_argument("manifest", nargs="?", type=Path, default=None,
                        help="alleen opnieuw bouwen en vergelijken met dit manifest (standaard: de build in deze "
                             "werkmap, met site, resultaten, PDF en archief)")
    verify.add_argument("--site", type=Path, default=None, metavar="MAP",
                        help="een ontvangen site (de map met index.html en publicatie.json); geen buildmap nodig")
    verify.add_argument("--archief", type=Path, default=None, metavar="BESTAND",
                        help="het release-archief (.tar.gz, met .sha256 ernaast)")
    verify.add_argument("--zonder-herbouw", action="store_true",
                        help="alleen de publicatie tegen haar index en manifest controleren, niet opnieuw bouwen")
    _data_optie(verify)
    verify.add_argument("--workers", type=int, default=None, help="aantal notebooks tegelijk (standaard: één per kern)")
    verify.set_defaults(func=_verify)
    cfg = sub.add_parser("config", help="de configuratie controleren")
    cfg_sub = cfg.add_subparsers(dest="config_opdracht", required=True, metavar="OPDRACHT", title="opdrachten")
    cfg_sub.add_parser("check", help="data/config (of --config) valideren").set_defaults(func=_config_check)
    data = sub.add_parser("data", help="een datamap controleren")
    data_sub = data.add_subparsers(dest="data_opdracht", required=True, metavar="OPDRACHT", title="opdrachten")
    check = data_sub.add_parser("check", help="een datamap valideren (zie data/FORMAAT.md)")
    check.add_argument("map", type=Path, help="de datamap")
    check.set_defaults(func=_data_check)
    imp = data_sub.add_parser("importeer", help="een echte export (SPSS of CSV, met kolommen.yml) omzetten in een "
                                               "gecontroleerde datamap (zie data/FORMAAT.md)")
    imp.add_argument("export", type=Path, help="de map met de export")
    imp.add_argument("doel", type=Path, help="de nieuwe datamap (bestaat nog niet of is leeg)")
    imp.set_defaults(func=_data_importeer)
    cbs = sub.add_parser("cbs", help="registercijfers van CBS StatLine ophalen of importeren (zie data/FORMAAT.md)")
    cbs_sub = cbs.add_subparsers(dest="cbs_opdracht", required=True, metavar="OPDRACHT", title="opdrachten")
    ophalen = cbs_sub.add_parser("ophalen", help="een tabel ophalen via de open-data-API van het CBS")
    ophalen.add_argument("tabel", help="het StatLine-tabelnummer uit cbs_import.yml, bijvoorbeeld 85984NED")
    ophalen.add_argument("map", type=Path, help="de datamap; de cijfers komen in register/<bron>.csv")
    ophalen.add_argument("--url", default=None, help="een andere OData-server (standaard die van het CBS)")
    eigenschappen = cbs_sub.add_parser("eigenschappen", help="de sleutels, titels en eenheden van een tabel tonen "
                                       "(DataProperties), om haar in cbs_import.yml te koppelen")
    eigenschappen.add_argument("tabel", help="een StatLine-tabelnummer, bijvoorbeeld 85984NED")
    eigenschappen.add_argument("--url", default=None, help="een andere OData-server (standaard die van het CBS)")
    eigenschappen.set_defaults(func=_cbs)
    cbs_imp = cbs_sub.add_parser("importeer", help="een gedownloade StatLine-export (TypedDataSet CSV of JSON) inlezen")
    cbs_imp.add_argument("tabel", help="het StatLine-tabelnummer uit cbs_import.yml")
    cbs_imp.add_argument("bestand", type=Path, help="de export")
    cbs_imp.add_argument("map", type=Path, help="de datamap; de cijfers komen in register/<bron>.csv")
    for p_ in (ophalen, cbs_imp):
        p_.add_argument("--jaar", type=int, default=None, help="alleen dit jaar (bij een tabel met perioden)")
        p_.set_defaults(func=_cbs)
    backtest = sub.add_parser("backtest", help="de resultaten van de demodata vergelijken met tests/backtest/")
    backtest.add_argument("--accepteer", action="store_true",
                          help="schrijf de bevroren bestanden opnieuw met de huidige resultaten")
    backtest.set_defaults(func=_backtest)
    scan = sub.add_parser("vertrouwelijkheid", help="de gebouwde site en notebooks doorzoeken op gegevens op "
                                                   "respondentniveau")
    _data_optie(scan)
    scan.add_argument("mappen", nargs="*", type=Path, metavar="MAP",
                      help="de mappen om te scannen (standaard: _build/html en book/uitvoer)")
    scan.set_defaults(func=_vertrouwelijkheid)
    demo = sub.add_parser("demodata", help="de synthetische demodata opnieuw maken uit de configuratie")
    demo.add_argument("doel", nargs="?", type=Path, default=None, metavar="MAP",
                      help="de doelmap (standaard: data/demo van het project)")
    demo.add_argument("--oefenexport", type=Path, default=None, metavar="MAP",
                      help="schrijf in plaats daarvan de demodata als SPSS-export met eigen namen, labels en "
                           "ontbrekende codes, plus kolommen.yml (een nieuwe of lege map)")
    demo.set_defaults(func=_demodata)
    dui = sub.add_parser("duiding", help="de cijfers laten duiden door de gemeenten (Excel-werkboek uit en terug)")
    dui_sub = dui.add_subparsers(dest="duiding_opdracht", required=True, metavar="OPDRACHT", title="opdrachten")
    uit = dui_sub.add_parser("uitzetten", help="een werkboek per gemeente met de cijfers van haar wijk(en)")
    uit.add_argument("--gemeente", required=True, metavar="CODE", help="de gemeente-code (GM + 4 cijfers)")
    uit.add_argument("--meting", type=int, default=None, help="de meting (standaard: de laatste met gegevens)")
    uit.add_argument("--uit", type=Path, default=None, metavar="MAP", help="de doelmap (standaard: _build/duiding)")
    _data_optie(uit)
    uit.set_defaults(func=_duiding_uitzetten)
    lees = dui_sub.add_parser("inlezen", help="een ingevuld werkboek controleren en in de duiding van de datamap zetten")
    lees.add_argument("bestand", type=Path, metavar="BESTAND", help="het ingevulde werkboek (.xlsx)")
    lees.add_argument("--gemeente", default=None, metavar="CODE", help="weiger een werkboek van een andere gemeente")
    _data_optie(lees)
    lees.set_defaults(func=_duiding_inlezen)
    sub.add_parser("pdf", help="de eindrapportage als PDF (na `vwanalyse build`)").set_defaults(func=_pdf)
    sub.add_parser("archief", help="de HTML-site als reproduceerbaar tar.gz-archief met sha256") \
        .set_defaults(func=_archief)
    return p


def _ctrl_c(signum, frame) -> None:
    # the first Ctrl-C interrupts; the cleanup that follows (stopping workers and kernels) must
    # not be interrupted by a second one
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # fixed hash salt for everything this run starts (notebook kernels, jupyter-book): stable output
    os.environ.setdefault("PYTHONHASHSEED", "0")
    hoofd = threading.current_thread() is threading.main_thread()
    vorige = signal.signal(signal.SIGINT, _ctrl_c) if hoofd else None
    try:
        return args.func(args)
    except KeyboardInterrupt as onderbreking:
        if not isinstance(onderbreking, AlGemeld):  # else the rebuild of verify already said it
            print(AFGEBROKEN_TEKST, file=sys.stderr)
        return AFGEBROKEN
    except VwFout as fout:
        print(f"{fout.kop}: {fout}" if "\n" not in str(fout) else f"{fout.kop}.\n{fout}", file=sys.stderr)
        return fout.exitcode
    except OSError as fout:
        # e.g. a full disk: outputs are written atomically, so the previous version of the file is intact
        waar = f" van {fout.filename}" if fout.filename else ""
        print(f"fout bij het lezen of schrijven{waar}: {fout.strerror or fout}; er is geen half bestand "
              "achtergebleven, los het op en draai opnieuw", file=sys.stderr)
        return 3
    finally:
        if hoofd:
            signal.signal(signal.SIGINT, vorige)


if __name__ == "__main__":
    sys.exit(main())
