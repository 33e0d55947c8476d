"""The kernset for every wijk of the monitor's gemeenten: context for the explorer (issue 20).

The same engine and disclosure rules as the results table: `bereken_resultaten` on a copy of the
configuration with one gebied per wijk. The monitor pages stay about the monitor gebieden; these
rows only place them among the other wijken of their gemeente and among wijken like them.

Publishing every wijk opens subtraction routes the monitor table alone does not have: the wijken
of a gemeente add up to the gemeente, the other wijken to the monitor's "rest van de gemeente",
and the wijken of a gebied made of several (Batau) to that gebied. So in each such group, never
exactly one wijk is suppressed: then the published wijk with the fewest observations is
suppressed too, repeated until nothing changes (`_aanvullend`).

"Wijken zoals deze": per monitor gebied the `vergelijkbaar.aantal` wijken of the four gemeenten
(not its own) whose value of `vergelijkbaar.indicator` at the gebied's latest meting with a value
lies closest to the gebied's own (instellingen.yml, `context`); a wijk that holds the gebied (the
wijk around a buurt) is not compared with it.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from vwanalyse.model.configuratie import Configuratie, Gebied
from vwanalyse.resultaten.berekening import bereken_resultaten

SECUNDAIR_CONTEXT = "secundair (wijken samen)"

CONTEXT_KOLOMMEN = ["wijkcode", "gemeente", "monitorgebied", "meting", "peiljaar", "indicator", "pijler",
                    "schatting", "ci_laag", "ci_hoog", "n_ongewogen", "onderdrukt", "reden",
                    "verschil_rest", "oordeel_rest"]
VERGELIJKBAAR_KOLOMMEN = ["gebied", "rang", "wijkcode", "gemeente", "indicator", "meting", "waarde_gebied",
                          "waarde_wijk"]


def context_wijken(config: Configuratie, gegevens) -> list[str]:
    """Every wijk code of the configured gemeenten that the survey or the register data hold."""
    codes = {str(c) for df in gegevens.survey.values() for c in df["wijkcode"].dropna().unique()}
    codes |= {str(c) for c in gegevens.register["gebiedscode"].dropna().unique()}
    return sorted(c for c in codes if c.startswith("WK") and f"GM{c[2:6]}" in config.gemeente)


def _kernset_config(config: Configuratie, codes: list[str]) -> Configuratie:
    gebieden = [Gebied(id=c.lower(), naam=c, gemeente=f"GM{c[2:6]}", codes=[c], wijkaanpak="", omschrijving="")
                for c in codes]
    indicatoren = [i for i in config.indicatoren if i.set == "kernset"]
    return dataclasses.replace(config, gebieden_bestand=dataclasses.replace(config.gebieden_bestand, gebieden=gebieden),
                               indicatoren=indicatoren, logicmodellen={})


def _groepen(config: Configuratie, wijkcodes: pd.Series) -> pd.DataFrame:
    """(row, groep) pairs: the groups of wijken whose sum is published elsewhere."""
    gemeente = wijkcodes.str.slice(2, 6).radd("GM")
    delen = [pd.DataFrame({"rij": wijkcodes.index, "groep": "gemeente " + gemeente})]
    for g in config.gebieden:
        eigen = wijkcodes.isin(g.codes)
        rest = (gemeente == g.gemeente) & ~eigen
        delen.append(pd.DataFrame({"rij": wijkcodes.index[rest], "groep": f"rest {g.id}"}))
        if len(g.codes) > 1:
            delen.append(pd.DataFrame({"rij": wijkcodes.index[eigen], "groep": f"gebied {g.id}"}))
    return pd.concat(delen, ignore_index=True)


def _aanvullend(tabel: pd.DataFrame, config: Configuratie) -> pd.Series:
    """Complementary suppression across wijken (see the module docstring); True for rows to add."""
    onderdrukt = tabel["onderdrukt"].to_numpy(copy=True)
    gepubliceerd = tabel["schatting"].notna().to_numpy()
    omvang = tabel["n_ongewogen"].astype("float64").fillna(tabel["noemer"]).fillna(np.inf).to_numpy()
    lid = _groepen(config, tabel["wijkcode"])
    lid["groep"] = lid["groep"] + " " + tabel["meting"].astype(str).to_numpy()[lid["rij"]] + " " \
        + tabel["indicator"].astype(str).to_numpy()[lid["rij"]]
    rij = lid["rij"].to_numpy()
    erbij = np.zeros(len(tabel), dtype=bool)
    while True:
        x = pd.Series(onderdrukt[rij]).groupby(lid["groep"].to_numpy()).transform("sum").to_numpy()
        kandidaat = (x == 1) & ~onderdrukt[rij] & gepubliceerd[rij]
        if not kandidaat.any():
            return pd.Series(erbij, index=tabel.index)
        keuze = pd.DataFrame({"groep": lid["groep"].to_numpy()[kandidaat], "rij": rij[kandidaat],
                              "omvang": omvang[rij[kandidaat]]}).sort_values(["omvang", "rij"])
        nieuw = keuze.drop_duplicates("groep")["rij"].to_numpy()
        onderdrukt[nieuw] = True
        erbij[nieuw] = True


def bereken_context(config: Configuratie, gegevens) -> pd.DataFrame:
    """The kernset per wijk of the configured gemeenten (rol wijk only), suppressed cells without numbers."""
    codes = context_wijken(config, gegevens)
    if not codes:
        return pd.DataFrame(columns=CONTEXT_KOLOMMEN)
    tabel = bereken_resultaten(_kernset_config(config, codes), gegevens).tabel
    tabel = tabel[tabel["rol"] == "wijk"].reset_index(drop=True)
    tabel["wijkcode"] = tabel["regiocode"].astype(str)
    tabel["gemeente"] = tabel["wijkcode"].str.slice(2, 6).radd("GM")
    monitor = {c: g.id for g in config.gebieden for c in g.codes}
    tabel["monitorgebied"] = tabel["wijkcode"].map(monitor).fillna("")
    extra = _aanvullend(tabel, config)
    tabel.loc[extra, "onderdrukt"] = True
    tabel.loc[extra, "reden"] = SECUNDAIR_CONTEXT
    getallen = ["schatting", "ci_laag", "ci_hoog", "verschil_rest"]
    tabel.loc[tabel["onderdrukt"], getallen] = np.nan
    tabel.loc[tabel["onderdrukt"], "oordeel_rest"] = None
    return tabel[CONTEXT_KOLOMMEN].sort_values(["indicator", "meting", "wijkcode"], ignore_index=True)


def _overlapt(wijkcodes: pd.Series, codes: list[str]) -> pd.Series:
    """Wijken that are or contain one of the codes (a buurt BU03550205 lies in wijk WK035502)."""
    return wijkcodes.str.slice(2, 8).isin([c[2:8] for c in codes])


def vergelijkbare_wijken(config: Configuratie, resultaten: pd.DataFrame, context: pd.DataFrame) -> pd.DataFrame:
    """Per monitor gebied the wijken closest to it on the configured indicator (module docstring)."""
    regel = config.instellingen.context
    rijen = []
    for g in config.gebieden:
        eigen = resultaten[(resultaten["gebied"] == g.id) & (resultaten["rol"] == "wijk")
                           & (resultaten["indicator"] == regel.vergelijkbaar_op) & resultaten["schatting"].notna()]
        if eigen.empty:
            continue
        laatste = eigen.loc[eigen["meting"].idxmax()]
        ander = context[(context["indicator"] == regel.vergelijkbaar_op) & (context["meting"] == laatste["meting"])
                        & context["schatting"].notna() & ~_overlapt(context["wijkcode"], g.codes)].copy()
        ander["afstand"] = (ander["schatting"] - laatste["schatting"]).abs()
        ander = ander.sort_values(["afstand", "wijkcode"]).head(regel.vergelijkbaar_aantal)
        for rang, (_, w) in enumerate(ander.iterrows(), start=1):
            rijen.append({"gebied": g.id, "rang": rang, "wijkcode": w["wijkcode"], "gemeente": w["gemeente"],
                          "indicator": regel.vergelijkbaar_op, "meting": int(laatste["meting"]),
                          "waarde_gebied": float(laatste["schatting"]), "waarde_wijk": float(w["schatting"])})
    return pd.DataFrame(rijen, columns=VERGELIJKBAAR_KOLOMMEN)
