"""The book: pages generated from the configuration, the table of contents, and the build.

Hand-written pages live in book/*.md; every page generated here goes into a sub-folder of book/
that is not under version control (see .gitignore) and is rewritten on every build.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from . import opmaak
from .bestanden import schrijf_tekst
from .configuratie import PROJECT_MAP, Configuratie, Indicator, Logicmodel

BOEK_MAP = PROJECT_MAP / "book"
GEGENEREERDE_MAPPEN = ("wijken", "bijlagen")

RICHTING_TEKST = {
    "hoger_gunstig": "hoger is gunstig",
    "lager_gunstig": "lager is gunstig",
    "neutraal": "neutraal",
}
STATISTIEK_TEKST = {
    "survey_proportie": "gewogen percentage (enquête)",
    "survey_gemiddelde": "gewogen gemiddelde (enquête)",
    "register_rate": "ratio uit registratie",
    "register_aandeel": "aandeel uit registratie",
}
STATUS_TEKST = {
    "bekend": "bekend",
    "vertrouwelijk": "vertrouwelijk",
    "onbekend": "onbekend",
    "ontbreekt": "niet vermeld in de bron",
    "elders_gefinancierd": "elders gefinancierd",
    "regeltotaal": "deel van een regeltotaal",
}


def _cel(tekst: object) -> str:
    """Make text safe for a Markdown table cell."""
    return str(tekst).replace("|", "\\|").replace("\n", " ").strip()


def _tabel(kop: list[str], rijen: list[list[object]]) -> str:
    regels = ["| " + " | ".join(kop) + " |", "|" + "|".join("---" for _ in kop) + "|"]
    regels += ["| " + " | ".join(_cel(c) for c in rij) + " |" for rij in rijen]
    return "\n".join(regels) + "\n"


def indicator_label(indicator_id: str) -> str:
    return f"indicator-{indicator_id.replace('_', '-')}"


def indicator_ref(ind: Indicator) -> str:
    return f"{{ref}}`{_cel(ind.naam)} <{indicator_label(ind.id)}>`"


def _duizend(x: int | None, status: str) -> str:
    if x is None:
        return opmaak.GEHEIM if status == "vertrouwelijk" else opmaak.ONBEKEND
    return opmaak.geheel(x)


# ---------------------------------------------------------------- pages


def wijkpagina(config: Configuratie, gebied_id: str) -> str:
    g = config.gebied[gebied_id]
    lm: Logicmodel = config.logicmodellen[gebied_id]
    gemeente = config.gemeente[g.gemeente].naam
    delen = [
        f"(wijk-{g.id})=\n# {g.naam}\n",
        f"{g.omschrijving}\n",
        _tabel(["Kenmerk", "Waarde"], [
            ["Gemeente", f"{gemeente} ({g.gemeente})"],
            ["CBS-codes", ", ".join(g.codes)],
            ["Wijkaanpak", lm.wijkaanpak],
            ["Vergeleken met", f"rest van {gemeente}, gemeente {gemeente}, provincie "
                               f"{config.gebieden_bestand.provincie.naam}, {config.gebieden_bestand.land.naam}"],
        ]),
        "## Logic model\n",
        "Het logic model verbindt de opgaven in de wijk (context) via middelen (input) en projecten "
        "(proces) met de beoogde resultaten (output) en de indicatoren waarop de wijkaanpak "
        "effect wil hebben (outcome).\n",
        "### Context: de opgaven\n",
        "\n".join(f"- {c.tekst} (bron {c.bron})" for c in lm.context) + "\n",
        "### Ambities\n",
        _tabel(["Ambitie", "Pijlers"], [
            [a.naam, ", ".join(config.pijler[p].naam for p in a.pijlers)] for a in lm.ambities
        ]),
        "### Input: middelen\n",
        "Bedragen in duizenden euro's. Een `x` betekent dat het bedrag vertrouwelijk is, een `.` "
        "dat de bron geen bedrag noemt.\n",
    ]
    rijen = [[r.omschrijving, _duizend(r.rijk, r.status), _duizend(r.provincie, r.status),
              _duizend(r.gemeente, r.status), STATUS_TEKST[r.status]] for r in lm.input.regels]
    if lm.input.subtotaal:
        s = lm.input.subtotaal
        rijen.append(["**Subtotaal**", _duizend(s.rijk, "bekend"), _duizend(s.provincie, "bekend"),
                      _duizend(s.gemeente, "bekend"), f"bron {s.bron}"])
    delen.append(_tabel(["Regel", "Rijk", "Provincie", "Gemeente", "Status"], rijen))
    delen.append("### Proces en output: projecten\n")
    ambitie_naam = {a.id: a.naam for a in lm.ambities}
    rijen = []
    for p in lm.projecten:
        bijdrage = opmaak.euro(p.bijdrage.bedrag_euro) if p.bijdrage.bedrag_euro is not None \
            else STATUS_TEKST[p.bijdrage.status]
        if p.bijdrage.bedrag_euro is not None and p.bijdrage.status != "bekend":
            bijdrage += f" ({STATUS_TEKST[p.bijdrage.status]})"
        looptijd = "–".join(str(j) for j in (p.planning.start, p.planning.eind) if j is not None) or opmaak.ONBEKEND
        rijen.append([p.id, p.naam, ambitie_naam[p.ambitie], bijdrage, looptijd,
                      "; ".join(p.beoogde_resultaten)])
    delen.append(_tabel(["Code", "Project", "Ambitie", "Bijdrage Rijk en provincie", "Looptijd",
                         "Beoogde resultaten (output)"], rijen))
    delen.append("### Outcome: indicatoren\n")
    delen.append("De projecten richten zich op deze indicatoren uit de kernset en de aanvullende "
                 "indicatoren van de wijk:\n")
    delen.append("\n".join(
        f"- {indicator_ref(config.indicator[i])} ({config.pijler[config.indicator[i].pijler].naam}; "
        f"projecten {', '.join(p.id for p in lm.projecten if i in p.indicatoren)})"
        for i in lm.outcome_indicatoren) + "\n")
    aanvullend = [i for i in config.indicatoren_voor(gebied_id) if i.set == "aanvullend"]
    if aanvullend:
        delen.append("### Aanvullende indicatoren van deze wijk\n")
        delen.append("\n".join(f"- {indicator_ref(i)}" for i in aanvullend) + "\n")
    if lm.bekende_problemen:
        delen.append("## Bekende onvolkomenheden in de bronnen\n")
        delen.append("Deze punten zijn vastgelegd zoals de bron ze geeft en niet stilzwijgend "
                     "gecorrigeerd.\n")
        delen.append("\n".join(f"- {b.omschrijving} (bron {b.bron})" for b in lm.bekende_problemen) + "\n")
    delen.append(f"Bron van dit logic model: {lm.bron}.\n")
    return "\n".join(delen)


def indicatorpagina(config: Configuratie) -> str:
    delen = [
        "(bijlage-indicatoren)=\n# Indicatoren\n",
        f"De monitor meet {sum(i.set == 'kernset' for i in config.indicatoren)} indicatoren in alle "
        f"wijken (de kernset) en {sum(i.set == 'aanvullend' for i in config.indicatoren)} aanvullende "
        "indicatoren die passen bij de aanpak van één wijk. Deze bijlage is gegenereerd uit "
        "`data/config/indicatoren.yml`.\n",
    ]
    for pijler in config.pijlers:
        inds = [i for i in config.indicatoren if i.pijler == pijler.id]
        delen.append(f"## {pijler.naam}\n")
        delen.append(_tabel(
            ["Indicator", "Set", "Type", "Eenheid", "Richting", "Bron"],
            [[indicator_ref(i), i.set if i.set == "kernset" else
              "aanvullend (" + ", ".join(config.gebied[g].naam for g in i.gebieden) + ")",
              i.type, i.eenheid, RICHTING_TEKST[i.richting], config.bron[i.bron].naam] for i in inds]))
        for i in inds:
            bron = config.bron[i.bron]
            delen.append(f"({indicator_label(i.id)})=\n### {i.naam}\n")
            rijen = [
                ["Code", f"`{i.id}`"],
                ["Teller", i.definitie.teller],
                ["Noemer", i.definitie.noemer],
                ["Doelpopulatie", i.definitie.doelpopulatie],
                ["Eenheid", i.eenheid],
                ["Richting", RICHTING_TEKST[i.richting]],
                ["Statistiek", STATISTIEK_TEKST[i.statistiek]
                 + (" met exact Poisson-interval" if i.berekening.interval == "poisson" else "")],
                ["Niveau in het logic model", i.niveau],
                ["Bron", f"{bron.naam} ({bron.uitgever})"],
                ["Bronvariabele", i.bronvariabele],
                ["Vergelijkbaar vanaf", f"meting {i.vergelijkbaar_vanaf}"],
            ]
            if i.toelichting:
                rijen.append(["Toelichting", i.toelichting])
            delen.append(_tabel(["Kenmerk", "Waarde"], rijen))
    return "\n".join(delen)


def schrijf_paginas(config: Configuratie, boek_map: Path = BOEK_MAP) -> list[Path]:
    """(Re)write every generated page; returns the paths written."""
    for naam in GEGENEREERDE_MAPPEN:
        shutil.rmtree(boek_map / naam, ignore_errors=True)
    paginas = {boek_map / "bijlagen" / "indicatoren.md": indicatorpagina(config)}
    for g in config.gebieden:
        paginas[boek_map / "wijken" / f"{g.id}.md"] = wijkpagina(config, g.id)
    for pad, tekst in paginas.items():
        schrijf_tekst(pad, tekst)
    return list(paginas)


# ---------------------------------------------------------------- table of contents


DELEN = {"wijken": "Wijken", "pijlers": "Pijlers", "analyses": "Analyses"}


def maak_toc(config: Configuratie) -> dict:
    """Every page of the book, derived from the configuration (gebieden, metingen, pijlers, notebooks)."""
    from .uitvoer import matrix

    taken = matrix(config, PROJECT_MAP / "_build" / "resultaten")
    pagina = {t.naam: f"book/uitvoer/{t.naam}" for t in taken}
    wijken = []
    for g in config.gebieden:
        secties = [{"file": pagina[t.naam]} for t in taken if t.parameters.get("gebied") == g.id]
        wijken.append({"file": f"book/wijken/{g.id}", **({"sections": secties} if secties else {})})
    delen = [{"caption": "De monitor", "chapters": [{"file": "book/over-de-monitor"}]},
             {"caption": DELEN["wijken"], "chapters": wijken}]
    for deel in ("pijlers", "analyses"):
        sjablonen = {d.sjabloon for d in config.notebooks if d.deel == deel}
        hoofdstukken = [{"file": pagina[t.naam]} for t in taken if t.sjabloon in sjablonen]
        if hoofdstukken:
            delen.append({"caption": DELEN[deel], "chapters": hoofdstukken})
    delen.append({"caption": "Bijlagen", "chapters": [{"file": "book/bijlagen/indicatoren"},
                                                      {"file": "book/bijlagen/reproduceerbaarheid"}]})
    return {"format": "jb-book", "root": "book/intro", "parts": delen}


def toc_tekst(config: Configuratie) -> str:
    kop = "# Generated by `vwanalyse toc` from the configuration; do not edit by hand.\n"
    return kop + yaml.safe_dump(maak_toc(config), sort_keys=False, allow_unicode=True)


def schrijf_toc(config: Configuratie, pad: Path = PROJECT_MAP / "_toc.yml") -> None:
    schrijf_tekst(pad, toc_tekst(config))


# ---------------------------------------------------------------- build


DEMO_MELDING = ("Demodata: deze rapportage is gebouwd met synthetische gegevens. "
                "De cijfers zijn niet echt en zeggen niets over de wijken.")


def bouwconfig(demodata: bool, project_map: Path = PROJECT_MAP) -> Path:
    """_config.yml for this build: with a demo-data banner on every page when built from demo data."""
    config = yaml.safe_load((project_map / "_config.yml").read_text(encoding="utf-8"))
    if demodata:
        config.setdefault("html", {})["announcement"] = DEMO_MELDING
    pad = project_map / "_build" / "_config.build.yml"
    schrijf_tekst(pad, yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return pad


def jupyter_book_build(project_map: Path = PROJECT_MAP, config_pad: Path | None = None) -> Path:
    """Run `jupyter-book build` with warnings as errors; returns the HTML folder."""
    opdracht = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(project_map),
                "-W", "-n", "--keep-going"]
    if config_pad is not None:
        opdracht += ["--config", str(config_pad)]
    resultaat = subprocess.run(opdracht, cwd=project_map)
    if resultaat.returncode != 0:
        raise RuntimeError(f"jupyter-book build failed (exit {resultaat.returncode}); see the messages above")
    return project_map / "_build" / "html"
