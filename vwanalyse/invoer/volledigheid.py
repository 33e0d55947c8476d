"""What a valid data folder holds per gebied: sources, metingen, projects, fragments and duiding.

A data folder can be valid and still say nothing about one gebied (a new wijk whose data were not
delivered yet). `rapport` lists per gebied what there is, and warns, without failing, when a gebied
has none of a kind; `vwanalyse data check` prints it and `vwanalyse build` prints the warnings. The
book itself says so on the wijk's pages (`weergave.rapport.projectvoortgang`, `narratief_overzicht`,
`duiding`). Counting only: nothing is estimated here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from vwanalyse.model.configuratie import Configuratie, Gebied

WAARSCHUWING = "waarschuwing: "


@dataclass
class Volledigheid:
    """What one gebied has in a data folder."""

    gebied: Gebied
    enquetes: dict[str, dict[int, int]] = field(default_factory=dict)    # bron -> meting -> respondents
    registers: dict[str, dict[int, int]] = field(default_factory=dict)   # bron -> meting -> indicators with data
    register_indicatoren: dict[str, int] = field(default_factory=dict)   # bron -> indicators of the gebied
    metingen: list[int] = field(default_factory=list)
    projecten: int = 0                  # projects of the logic model
    projecten_met_voortgang: int = 0
    proces_metingen: list[int] = field(default_factory=list)
    fragmenten: int = 0
    fragment_metingen: list[int] = field(default_factory=list)
    duidingen: int = 0
    duiding_metingen: list[int] = field(default_factory=list)

    @property
    def bronnen(self) -> list[str]:
        """The sources with any data for the gebied."""
        return [b for b, n in {**self.enquetes, **self.registers}.items() if any(n.values())]

    def waarschuwingen(self) -> list[str]:
        naam = self.gebied.naam
        uit = []
        if not self.bronnen:
            uit.append(f"{naam} heeft geen enquête- of registergegevens")
        if not self.metingen:
            uit.append(f"{naam} heeft in geen enkele meting gegevens")
        if not self.projecten:
            uit.append(f"het logic model van {naam} noemt geen projecten")
        elif not self.projecten_met_voortgang:
            uit.append(f"{naam} heeft geen voortgang van projecten (proces/projecten.csv)")
        if not self.fragmenten:
            uit.append(f"{naam} heeft geen fragmenten uit gesprekken (narratief/fragmenten.csv)")
        if not self.duidingen:
            uit.append(f"{naam} heeft geen duiding door lokale experts (duiding/duiding.csv)")
        return uit


def _in_gebied(df: pd.DataFrame, g: Gebied) -> pd.Series:
    return df["wijkcode"].isin(g.codes) | df["buurtcode"].isin(g.codes)


def _van(df: pd.DataFrame, g: Gebied) -> pd.DataFrame:
    return df[df["gebied"].astype(str) == g.id] if not df.empty else df


def _metingen(df: pd.DataFrame) -> list[int]:
    return sorted(int(m) for m in df["meting"].unique()) if not df.empty else []


def bepaal(gegevens, config: Configuratie) -> list[Volledigheid]:
    """Per gebied (configuration order) what the loaded data folder (`bronnen.Gegevens`) holds."""
    uit = []
    register = gegevens.register
    for g in config.gebieden:
        v = Volledigheid(g)
        for bron in (b for b in config.bronnen if b.soort == "survey"):
            df = gegevens.survey.get(bron.id)
            tel = df[_in_gebied(df, g)].groupby("meting").size() if df is not None and not df.empty else {}
            v.enquetes[bron.id] = {m.jaar: int(tel.get(m.jaar, 0)) for m in config.metingen}
        for bron in (b for b in config.bronnen if b.soort == "register"):
            indicatoren = [i for i in config.indicatoren_voor(g.id) if i.bron == bron.id]
            if not indicatoren:
                continue
            v.register_indicatoren[bron.id] = len(indicatoren)
            per_meting = {}
            for m in config.metingen:
                rijen = register[(register["jaar"] == m.peiljaren[bron.id]) & register["gebiedscode"].isin(g.codes)]
                per_meting[m.jaar] = sum(
                    1 for i in indicatoren
                    if {i.berekening.teller, i.berekening.noemer} <= set(rijen.columns)
                    and len(rijen) == len(g.codes) and rijen[[i.berekening.teller, i.berekening.noemer]].notna().all().all())
            v.registers[bron.id] = per_meting
        proces, narratief, duiding = _van(gegevens.proces, g), _van(gegevens.narratief, g), _van(gegevens.duiding, g)
        v.projecten = len(config.logicmodellen[g.id].projecten)
        v.projecten_met_voortgang = int(proces["project"].nunique()) if not proces.empty else 0
        v.proces_metingen = _metingen(proces)
        v.fragmenten, v.fragment_metingen = len(narratief), _metingen(narratief)
        v.duidingen, v.duiding_metingen = len(duiding), _metingen(duiding)
        metingen = set(v.proces_metingen) | set(v.fragment_metingen) | set(v.duiding_metingen)
        for per_meting in [*v.enquetes.values(), *v.registers.values()]:
            metingen |= {m for m, n in per_meting.items() if n}
        v.metingen = sorted(metingen)
        uit.append(v)
    return uit


def _lijst(metingen: list[int]) -> str:
    return ", ".join(map(str, metingen)) if metingen else "geen meting"


def rapport(gegevens, config: Configuratie) -> list[tuple[str, str]]:
    """(gebied, line) for `vwanalyse data check`: what each gebied has; warnings start with 'waarschuwing:'."""
    regels = []
    for v in bepaal(gegevens, config):
        plek = f"gebied {v.gebied.id}"
        regels.append((plek, f"metingen met gegevens: {_lijst(v.metingen)}"))
        for bron, per_meting in v.enquetes.items():
            regels.append((plek, f"{config.bron[bron].naam}: " + "; ".join(
                f"{m} {n:,} respondenten".replace(",", ".") for m, n in per_meting.items())))
        for bron, per_meting in v.registers.items():
            totaal = v.register_indicatoren[bron]
            regels.append((plek, f"{config.bron[bron].naam}: " + "; ".join(
                f"{m} {n} van {totaal} indicatoren" for m, n in per_meting.items())))
        regels.append((plek, f"projecten: {v.projecten_met_voortgang} van {v.projecten} met voortgang "
                             f"(metingen: {_lijst(v.proces_metingen)})"))
        regels.append((plek, f"fragmenten: {v.fragmenten} (metingen: {_lijst(v.fragment_metingen)})"))
        regels.append((plek, f"duiding: {v.duidingen} teksten (metingen: {_lijst(v.duiding_metingen)})"))
        regels += [(plek, WAARSCHUWING + w) for w in v.waarschuwingen()]
    return regels


def waarschuwingen(gegevens, config: Configuratie) -> list[str]:
    """Only the warnings, one line each ('Liendert heeft geen duiding ...')."""
    return [w for v in bepaal(gegevens, config) for w in v.waarschuwingen()]
