"""Deterministic generator of the synthetic demo data folder (data/demo), driven by the configuration.

The demo folder follows data/FORMAAT.md exactly and is written in Dutch CSV style (`;`,
decimal comma, UTF-8 with BOM, `\\n`) so the demo exercises that path of the loaders. Every run
with the same configuration gives byte-identical files (fixed seed, one numpy Generator per
component, sorted rows, fixed number formatting, no timestamps).

Every gebied, meting, source and indicator of the configuration gets data. What the generator plants
(levels, trends, effects, null effects, sample sizes, denominators, population figures) is not in
this code but in the configuration's `demowaarheid.yml` (`demodata.waarheid`); what that file does
not name gets the documented defaults there (a new indicator: a plain level, no effect; a new gebied:
the level of the rest of its gemeente, no effect). So adding an indicator or a gebied to the
configuration and running `vwanalyse demodata` is enough, and the data of everything else stay the
same byte for byte.

The generator knows a *truth*: for every gebied, the rest of its gemeente and the gemeente as a
whole, per meting and indicator, the population value it used. It writes that truth to
`waarheid.csv` and explains it in `WAARHEID.md`, so tests of the estimation engine can check
that the pipeline recovers it. Survey answers are drawn with the category probabilities implied
by the truth, independently of the (non-informative) weights, so the weighted estimate is
unbiased for the truth. Register counts are binomial (shares) or Poisson (counts per population)
draws around the truth.

Population sizes are calibrated on CBS Kerncijfers wijken en buurten 2024 (85984NED, see
../shared/reference/cbs_kwb2024_wikigen); levels on figures quoted on public pages (see
../shared/reference/text_quoted_numbers). All other values are invented but plausible.

    vwanalyse demodata [DOEL]     # default: data/demo of the project
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from vwanalyse.basis.bestanden import schrijf_bytes, sha256
from vwanalyse.demodata.waarheid import (BESTAND, STANDAARD_CITATEN, STANDAARD_LEEFTIJD, STANDAARD_NOEMERFACTOR,
                                         STANDAARD_STEEKPROEF, Demowaarheid, Indicatorwaarheid, Steekproef,
                                         gedeeld_item, laad, leidend, standaard_niveau, standaardwaarden)
from vwanalyse.model.configuratie import Configuratie, Gebied, Indicator
from vwanalyse.model.schema import ConfigFout

ZAAD = 19

# design constants of the synthetic surveys (not truths)
_MIN_INW_SURVEY = 500       # wijken with fewer inhabitants are not sampled
_MIN_N_WIJK = 12
_SIGMA_GEWICHT = 0.58       # lognormal non-response adjustment: Kish deff about exp(sigma^2) = 1.4
_BASISJAAR = 2024           # the year of the population figures (CBS KWB 2024)


def _per_meting(waarden: list, mi: int, standaard):
    """The value of a per-meting list for the mi-th later meting (1 = the second); the last one after its end."""
    if not waarden:
        return standaard
    return waarden[min(mi, len(waarden)) - 1]


# ---------------------------------------------------------------- small helpers


def _rng(*sleutel) -> np.random.Generator:
    """An independent, stable random stream per component."""
    h = zlib.crc32("|".join(str(s) for s in sleutel).encode("utf-8"))
    return np.random.default_rng([ZAAD, h])


def _getal(x: float, dec: int) -> str:
    s = f"{x + 0.0:.{dec}f}"
    if s.startswith("-") and float(s) == 0:
        s = s[1:]
    return s.replace(".", ",")


def _csv(kolommen: list[str], rijen: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(kolommen)
    for r in rijen:
        w.writerow(["" if v is None else v for v in r])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# ---------------------------------------------------------------- the truth, with its defaults


class Waarheid:
    """The population value of every indicator, eenheid and meting: the planted truth plus defaults.

    An eenheid is a gebied id or a gemeente code (the rest of that gemeente). See the header of
    data/config/demowaarheid.yml for the defaults.
    """

    def __init__(self, config: Configuratie, dw: Demowaarheid):
        self.config, self.dw = config, dw
        self.effect = {(e.gebied, e.indicator): e for e in dw.effecten}
        self.nuleffect = {(n.gebied, n.indicator): n for n in dw.nuleffecten}

    def _bereik(self, ind: Indicator) -> set[str]:
        """The eenheden with data: everywhere, except an aanvullende register indicator (its gemeenten)."""
        if ind.is_survey or ind.set == "kernset":
            return set(self.config.gebied) | set(self.config.gemeente)
        gemeenten = {self.config.gebied[g].gemeente for g in ind.gebieden}
        return gemeenten | {g.id for g in self.config.gebieden if g.gemeente in gemeenten}

    def standaard(self, ind: Indicator) -> float:
        return standaard_niveau(ind)

    def geplant(self, ind_id: str) -> Optional[Indicatorwaarheid]:
        return self.dw.waarheid.get(ind_id)

    def niveau(self, ind: Indicator, eenheid: str) -> Optional[float]:
        """The value at the nulmeting (None: the indicator has no data there)."""
        if eenheid not in self._bereik(ind):
            return None
        iw = self.geplant(ind.id)
        if iw is None:
            return self.standaard(ind)
        if eenheid in iw.niveau:
            return iw.niveau[eenheid]
        if eenheid in self.config.gebied:
            return self.niveau(ind, self.config.gebied[eenheid].gemeente)
        if ind.set == "aanvullend" and not ind.is_survey:
            return None
        gegeven = [iw.niveau[gm] for gm in self.config.gemeente if gm in iw.niveau]
        return sum(gegeven) / len(gegeven) if gegeven else self.standaard(ind)

    def waarde(self, ind_id: str, eenheid: str, mi: int) -> Optional[float]:
        """The population value of an indicator for an eenheid at the mi-th meting (0 = nulmeting)."""
        ind = self.config.indicator[ind_id]
        eerder = gedeeld_item(self.config, ind, self.dw)
        if eerder is not None:
            p = self.waarde(eerder.id, eenheid, mi)
            return None if p is None else _afgeleid(ind, *_antwoordkansen(eerder, p, self.dw))
        basis = self.niveau(ind, eenheid)
        if basis is None:
            return None
        iw = self.geplant(ind_id)
        waarde = basis + (0.0 if mi == 0 else _per_meting(iw.trend if iw else [], mi, 0.0))
        eff = self.effect.get((eenheid, ind_id))
        if eff is not None and mi > 0:
            waarde += _per_meting(eff.verandering, mi, 0.0)
        if ind.is_percentage and not 0.0 <= waarde <= 1.0:
            raise ConfigFout(Path(self.config.map) / BESTAND, f"waarheid.{ind_id}",
                             f"de waarde voor {eenheid} bij meting {self.config.metingen[mi].jaar} wordt "
                             f"{waarde:g} (niveau, trend en effect samen); verwacht: een fractie van 0 tot 1")
        return waarde

    def referentie(self, ind_id: str, rol: str, mi: int) -> float:
        """The value for the land ('nederland') or the provincie ('provincie')."""
        ind = self.config.indicator[ind_id]
        eerder = gedeeld_item(self.config, ind, self.dw)
        if eerder is not None:
            return _afgeleid(ind, *_antwoordkansen(eerder, self.referentie(eerder.id, rol, mi), self.dw))
        iw = self.geplant(ind_id)
        basis = getattr(iw, rol) if iw is not None else None
        if basis is None:
            niveaus = [v for v in (self.niveau(ind, gm) for gm in self.config.gemeente) if v is not None]
            basis = sum(niveaus) / len(niveaus) if niveaus else self.standaard(ind)
        return basis + (0.0 if mi == 0 else _per_meting(iw.trend if iw else [], mi, 0.0))

    def effect_id(self, eenheid: str, ind_id: str) -> str:
        eff = self.effect.get((eenheid, ind_id))
        if eff is not None:
            return eff.id
        nul = self.nuleffect.get((eenheid, ind_id))
        return nul.id if nul is not None else ""


def _antwoordkansen(ind: Indicator, waarde: float, dw: Demowaarheid) -> tuple[list, np.ndarray]:
    """The answer codes of a survey item and their probabilities when the indicator has this value."""
    if ind.statistiek == "survey_proportie":
        return _kansen(ind, waarde, dw)
    lo, hi = ind.berekening.bereik
    k = int(round(hi - lo))
    q = (waarde - lo) / k
    return [lo + j for j in range(k + 1)], np.array([math.comb(k, j) * q ** j * (1 - q) ** (k - j)
                                                     for j in range(k + 1)])


def _afgeleid(ind: Indicator, codes: list, kansen: np.ndarray) -> float:
    """The value of `ind` implied by the answer distribution of its (shared) item."""
    b = ind.berekening
    if ind.statistiek == "survey_proportie":
        geldig = [k for c, k in zip(codes, kansen) if c in b.geldige_codes]
        teller = [k for c, k in zip(codes, kansen) if c in b.geldige_codes and c in b.teller_codes]
        return float(sum(teller) / sum(geldig))
    lo, hi = b.bereik
    paren = [(c, k) for c, k in zip(codes, kansen) if lo <= c <= hi]
    return float(sum(c * k for c, k in paren) / sum(k for _, k in paren))


def _kansen(ind: Indicator, p: float, dw: Demowaarheid) -> tuple[list[int], np.ndarray]:
    b = ind.berekening
    codes = list(b.geldige_codes)
    teller = [c for c in codes if c in b.teller_codes]
    overig = [c for c in codes if c not in b.teller_codes]
    st, so = dw.verdeling.get(b.item, ([1.0] * len(teller), [1.0] * len(overig)))
    st = np.array(st, float) / sum(st)
    so = np.array(so, float) / sum(so)
    kans = {c: p * s for c, s in zip(teller, st)}
    kans.update({c: (1 - p) * s for c, s in zip(overig, so)})
    return codes, np.array([kans[c] for c in codes])


# ---------------------------------------------------------------- geography


@dataclass(frozen=True)
class Wijk:
    code: str
    gemeente: str
    inwoners_2024: int
    woningen_2024: int
    eenheid: str          # gebied id, or gemeente code for 'rest of the gemeente'


class Geografie:
    """Wijken per gemeente with their eenheid, buurten and population per year.

    A gebied that is a buurt (a BU code) splits its wijk in that buurt and the rest of the wijk.
    """

    def __init__(self, config: Configuratie, dw: Demowaarheid):
        self.config, self.dw = config, dw
        pad = Path(config.map) / BESTAND
        self.gebied_van_code = {c: g.id for g in config.gebieden for c in g.codes}
        self.wijken: dict[str, list[Wijk]] = {gm.code: [] for gm in config.gebieden_bestand.gemeenten}
        for code, getallen in dw.bevolking.items():
            gm = "GM" + code[2:6]
            if gm not in self.wijken:
                continue
            if len(getallen) != 2:
                raise ConfigFout(pad, f"bevolking.{code}", f"verwacht: [inwoners, woningen]; gevonden: {getallen}")
            eenheid = self.gebied_van_code.get(code, gm)
            self.wijken[gm].append(Wijk(code, gm, int(getallen[0]), int(getallen[1]), eenheid))
        for gm in self.wijken:
            self.wijken[gm].sort(key=lambda w: w.code)
        bekend = {w.code for lijst in self.wijken.values() for w in lijst}
        # buurt code of a gebied -> (gebied, its wijk)
        self.buurtgebieden: dict[str, list[str]] = {}
        for i, g in enumerate(config.gebieden):
            for c in g.codes:
                wijk = c if c.startswith("WK") else "WK" + c[2:8]
                if wijk not in bekend:
                    raise ConfigFout(Path(config.map) / "gebieden.yml", f"gebieden[{i}] ({g.id})",
                                     f"de demodatagenerator kent geen inwonertal voor wijk {wijk}; voeg het toe "
                                     f"onder bevolking in {BESTAND} (CBS Kerncijfers wijken en buurten)")
                if c.startswith("BU"):
                    if c not in dw.buurtgebieden:
                        raise ConfigFout(Path(config.map) / "gebieden.yml", f"gebieden[{i}] ({g.id})",
                                         f"de demodatagenerator kent geen inwonertal voor buurt {c}; voeg het toe "
                                         f"onder buurtgebieden in {BESTAND}")
                    self.buurtgebieden.setdefault(wijk, []).append(c)
        for wijk in self.buurtgebieden:
            self.buurtgebieden[wijk].sort()
        self._buurten: dict[str, list[tuple[str, float]]] = {}

    def groei(self, eenheid: str, gemeente: str) -> float:
        return self.dw.groei.get(eenheid, self.dw.groei.get(gemeente, 0.0))

    def buurtcodes(self, w: Wijk) -> list[str]:
        """The buurten of the wijk that are a gebied of their own."""
        return self.buurtgebieden.get(w.code, [])

    def delen(self, w: Wijk) -> list[tuple[str, str]]:
        """(deel, eenheid): the wijk whole, or each buurt that is a gebied plus the rest of the wijk."""
        bus = self.buurtcodes(w)
        if not bus:
            return [("wijk", w.eenheid)]
        return [(bu, self.gebied_van_code[bu]) for bu in bus] + [("rest", w.gemeente)]

    def _gesplitst(self, w: Wijk, jaar: int, deel: str, woningen: bool) -> int:
        bus = self.buurtcodes(w)
        delen = {}
        for bu in bus:
            b = self.dw.buurtgebieden[bu]
            groei = self.groei(self.gebied_van_code[bu], w.gemeente)
            if woningen and b.groei_woningen is not None:
                groei = b.groei_woningen
            delen[bu] = round((b.woningen if woningen else b.inwoners) * (1 + groei) ** (jaar - _BASISJAAR))
        totaal = w.woningen_2024 if woningen else w.inwoners_2024
        binnen = sum(self.dw.buurtgebieden[bu].woningen if woningen else self.dw.buurtgebieden[bu].inwoners
                     for bu in bus)
        rest = round((totaal - binnen) * (1 + self.groei(w.gemeente, w.gemeente)) ** (jaar - _BASISJAAR))
        if deel == "wijk":
            return sum(delen.values()) + rest
        return rest if deel == "rest" else delen[deel]

    def inwoners(self, w: Wijk, jaar: int, deel: str = "wijk") -> int:
        """Inhabitants of a wijk ('wijk'), of a buurt-gebied in it (its code) or of the rest of the wijk ('rest')."""
        if self.buurtcodes(w):
            return self._gesplitst(w, jaar, deel, woningen=False)
        return round(w.inwoners_2024 * (1 + self.groei(w.eenheid, w.gemeente)) ** (jaar - _BASISJAAR))

    def woningen(self, w: Wijk, jaar: int, deel: str = "wijk") -> int:
        if self.buurtcodes(w):
            return self._gesplitst(w, jaar, deel, woningen=True)
        return round(w.woningen_2024 * (1 + self.groei(w.eenheid, w.gemeente)) ** (jaar - _BASISJAAR))

    def buurten(self, w: Wijk) -> list[tuple[str, float]]:
        """(buurtcode, population share) within the wijk."""
        if w.code in self._buurten:
            return self._buurten[w.code]
        bus = self.buurtcodes(w)
        vast = self.dw.buurten.get(w.code)
        if vast:
            tot = sum(vast.values())
            res = [(c, s / tot) for c, s in vast.items()]
        else:
            k = int(min(6, max(2, round(w.inwoners_2024 / 2500))))
            aandeel = _rng("buurten", w.code).dirichlet(np.full(k, 6.0))
            codes = (f"BU{w.code[2:]}{i:02d}" for i in range(100))
            codes = [c for c in codes if c not in bus][:k]
            res = [(c, float(a)) for c, a in zip(codes, aandeel)]
        if bus:
            v = {bu: self.dw.buurtgebieden[bu].inwoners / w.inwoners_2024 for bu in bus}
            rest = 1 - sum(v.values())
            res = [(c, s * rest) for c, s in res] + list(v.items())
            res.sort()
        self._buurten[w.code] = res
        return res

    def eenheid_van_buurt(self, w: Wijk, buurt: str) -> str:
        return self.gebied_van_code.get(buurt, w.eenheid)

    def wijkcodes(self, g: Gebied) -> list[str]:
        """The wijken (survey strata) a gebied lies in."""
        return list(dict.fromkeys(c if c.startswith("WK") else "WK" + c[2:8] for c in g.codes))


def _meting_index(config: Configuratie) -> dict[int, int]:
    return {m.jaar: i for i, m in enumerate(config.metingen)}


# ---------------------------------------------------------------- survey


def _survey_items(config: Configuratie, bron: str, dw: Demowaarheid) -> list[Indicator]:
    """Per item column of this survey the indicator that leads it (`waarheid.leidend`), in catalogue order
    of those indicators: the answers follow its truth, and the draws do not depend on where another
    indicator of the same item stands in the catalogue."""
    items = {leidend(config, i, dw).id: leidend(config, i, dw) for i in config.indicatoren
             if i.bron == bron and i.is_survey}
    return [i for i in config.indicatoren if i.id in items]


def _survey(config: Configuratie, geo: Geografie, w8: Waarheid, bron: str, mi: int, peiljaar: int) -> bytes:
    opzet = w8.dw.steekproef.get(bron) or Steekproef()
    items = _survey_items(config, bron, w8.dw)
    rng = _rng("survey", bron, peiljaar)
    golf = opzet.golf[min(mi, len(opzet.golf) - 1)] if opzet.golf else 1.0
    min_lft = opzet.min_leeftijd
    volwassen = opzet.aandeel_doelpopulatie
    prefix = (opzet.voorvoegsel or bron.upper()) + str(peiljaar)
    leeftijden = [f"{min_lft}-34", "35-64", "65+"]
    # item non-response rate per item and wave (2-8%)
    nonresp = {i.berekening.item: float(rng.uniform(0.02, 0.08)) for i in items}
    rijen = []
    teller = 0
    for gm in (g.code for g in config.gebieden_bestand.gemeenten):
        wijken = [w for w in geo.wijken[gm] if w.inwoners_2024 >= _MIN_INW_SURVEY]
        vast: dict[str, int] = {}
        for g in config.gebieden:
            n = opzet.gebieden.get(g.id)
            if g.gemeente != gm or n is None:
                continue
            codes = geo.wijkcodes(g)
            pops = [next(w for w in wijken if w.code == c).inwoners_2024 for c in codes]
            for c, p in zip(codes, pops):
                vast[c] = vast.get(c, 0) + int(round(n * golf * p / sum(pops)))
        totaal = opzet.totaal.get(gm)
        if totaal is None:
            totaal = round(STANDAARD_STEEKPROEF * sum(w.inwoners_2024 for w in geo.wijken[gm]))
        over = round(totaal * golf) - sum(vast.values())
        vrij = [w for w in wijken if w.code not in vast]
        pop = np.array([w.inwoners_2024 for w in vrij], float)
        alloc = np.maximum(_MIN_N_WIJK, np.floor(over * pop / pop.sum())).astype(int)
        n_h = {**vast, **{w.code: int(a) for w, a in zip(vrij, alloc)}}
        for w in wijken:
            nh = n_h[w.code]
            buurten = geo.buurten(w)
            bcodes = [b for b, _ in buurten]
            bkans = np.array([s for _, s in buurten])
            bkans = bkans / bkans.sum()
            N_h = volwassen * geo.inwoners(w, peiljaar)
            buurt_idx = np.sort(rng.choice(len(bcodes), size=nh, p=bkans))
            u = np.clip(rng.lognormal(0.0, _SIGMA_GEWICHT, size=nh), 0.15, 6.0)
            gewicht = N_h / nh * u / u.mean()
            lft = rng.choice(3, size=nh, p=w8.dw.leeftijd.get(gm, STANDAARD_LEEFTIJD))
            gesl = rng.choice(3, size=nh, p=[0.49, 0.505, 0.005])
            antwoorden = {}
            eenheden = [geo.eenheid_van_buurt(w, bcodes[k]) for k in buurt_idx]
            for ind in items:
                col = np.empty(nh, dtype=object)
                for e in sorted(set(eenheden)):
                    sel = np.array([x == e for x in eenheden])
                    waarde = w8.waarde(ind.id, e, mi)
                    if ind.statistiek == "survey_proportie":
                        codes, kans = _kansen(ind, waarde, w8.dw)
                        col[sel] = np.array(codes)[rng.choice(len(codes), size=int(sel.sum()), p=kans)]
                    else:
                        lo, hi = ind.berekening.bereik
                        k = int(round(hi - lo))
                        col[sel] = lo + rng.binomial(k, (waarde - lo) / k, size=int(sel.sum()))
                mis = rng.random(nh) < nonresp[ind.berekening.item]
                antwoorden[ind.berekening.item] = [None if m else int(v) for v, m in zip(col, mis)]
            for r in range(nh):
                teller += 1
                rid = f"{prefix}-{teller:06d}"
                rijen.append([rid, peiljaar, gm, w.code, bcodes[buurt_idx[r]], w.code, rid,
                              _getal(gewicht[r], 4), leeftijden[lft[r]],
                              ["man", "vrouw", "anders"][gesl[r]]]
                             + [antwoorden[i.berekening.item][r] for i in items])
    kolommen = ["respondent_id", "jaar", "gemeentecode", "wijkcode", "buurtcode", "stratum", "psu",
                "gewicht", "leeftijdsklasse", "geslacht"] + [i.berekening.item for i in items]
    return _csv(kolommen, rijen)


# ---------------------------------------------------------------- registers


def _register_indicatoren(config: Configuratie) -> list[Indicator]:
    return [i for i in config.indicatoren if not i.is_survey and config.bron[i.bron].soort == "register"]


def _basisbron(config: Configuratie, dw: Demowaarheid) -> Optional[str]:
    """The register file with inwoners and woningen."""
    if dw.basisbron in config.bron:
        return dw.basisbron
    return next((b.id for b in config.bronnen if b.soort == "register"), None)


def _register_kolommen(config: Configuratie, dw: Demowaarheid) -> dict[str, list[str]]:
    """Column names per register file. A column lives in one file: the basisbron if any of its
    indicators names it, else the bron of the indicator that has it as teller, else the first."""
    basisbron = _basisbron(config, dw)
    gebruik: dict[str, list[tuple[str, str]]] = {}
    for ind in _register_indicatoren(config):
        for rol in ("teller", "noemer"):
            gebruik.setdefault(getattr(ind.berekening, rol), []).append((ind.bron, rol))
    thuis = {}
    for kol, lijst in gebruik.items():
        bronnen = [b for b, _ in lijst]
        if basisbron in bronnen:
            thuis[kol] = basisbron
        else:
            thuis[kol] = next((b for b, r in lijst if r == "teller"), bronnen[0])
    per_bron: dict[str, list[str]] = {}
    for kol, b in thuis.items():
        per_bron.setdefault(b, []).append(kol)
    return per_bron


def _lokale_kolommen(config: Configuratie, dw: Demowaarheid) -> set[str]:
    """Columns of fixed counts in one gebied (`aantallen`) and the tellers over them: not summed upwards."""
    lokaal = {k for k, nm in dw.noemers.items() if nm.aantallen}
    return lokaal | {i.berekening.teller for i in _register_indicatoren(config) if i.berekening.noemer in lokaal}


def _register_peiljaar(config: Configuratie, dw: Demowaarheid, nr: int) -> int:
    m = config.metingen[nr]
    jaren = {i.bron: m.peiljaren[i.bron] for i in _register_indicatoren(config)}
    if len(set(jaren.values())) > 1:
        raise ConfigFout(Path(config.map) / "metingen.yml", f"metingen[{nr}] ({m.jaar}).peiljaren",
                         "de demodatagenerator verwacht voor alle registerbronnen hetzelfde peiljaar per meting")
    if jaren:
        return next(iter(jaren.values()))
    basisbron = _basisbron(config, dw)
    return m.peiljaren.get(basisbron, m.jaar) if basisbron else m.jaar


def _register_tabel(config: Configuratie, geo: Geografie, w8: Waarheid) -> dict[tuple[str, int], dict[str, int]]:
    """All register counts: {(gebiedscode, jaar): {kolom: aantal}} for every wijk, every buurt that is
    a gebied and the gemeenten (= sum over their wijken)."""
    mindex = _meting_index(config)
    register_ind = _register_indicatoren(config)
    lokaal = _lokale_kolommen(config, w8.dw)
    tabel: dict[tuple[str, int], dict[str, int]] = {}
    for nr, m in enumerate(config.metingen):
        mi = mindex[m.jaar]
        jaar = _register_peiljaar(config, w8.dw, nr)
        for gm, wijken in geo.wijken.items():
            som: dict[str, int] = {}
            delen_per_wijk = {w.code: geo.delen(w) for w in wijken}
            for w in wijken:
                delen = delen_per_wijk[w.code]
                wijkrij: dict[str, int] = {}
                for deel, eenheid in delen:
                    # the random stream of a buurt keeps the name it had when the demo had one such buurt
                    stroom = deel if deel in ("wijk", "rest") else ("buurt" if len(delen) == 2 else deel)
                    rij = _register_eenheid(config, geo, w8, w, deel, stroom, eenheid, jaar, mi, register_ind)
                    if deel not in ("wijk", "rest"):
                        tabel[(deel, jaar)] = dict(rij)
                        rij = {k: v for k, v in rij.items() if k not in lokaal}
                    for k, v in rij.items():
                        wijkrij[k] = wijkrij.get(k, 0) + v
                tabel[(w.code, jaar)] = wijkrij
                for k, v in wijkrij.items():
                    if k not in lokaal:
                        som[k] = som.get(k, 0) + v
            tabel[(gm, jaar)] = som
    return tabel


def _noemerfactor(geo: Geografie, factor: dict[str, float], eenheid: str) -> Optional[float]:
    if eenheid in factor:
        return factor[eenheid]
    gebied = geo.config.gebied.get(eenheid)
    return factor.get(gebied.gemeente) if gebied is not None else None


def _register_eenheid(config: Configuratie, geo: Geografie, w8: Waarheid, w: Wijk, deel: str, stroom: str,
                      eenheid: str, jaar: int, mi: int, register_ind: list[Indicator]) -> dict[str, int]:
    rng = _rng("register", w.code, stroom, jaar)
    inw = geo.inwoners(w, jaar, deel)
    won = geo.woningen(w, jaar, deel)
    rij: dict[str, int] = {"inwoners": inw, "woningen": won}
    for kol, nm in w8.dw.noemers.items():
        if nm.aantallen:
            if eenheid in nm.aantallen:
                rij[kol] = int(nm.aantallen[eenheid][min(mi, len(nm.aantallen[eenheid]) - 1)])
            continue
        f = _noemerfactor(geo, nm.factor, eenheid)
        if f is not None:
            rij[kol] = int(round(f * (won if nm.basis == "woningen" else inw)))
    tellers = {i.berekening.teller for i in register_ind}
    for ind in register_ind:          # a denominator nobody describes: 10% of the inhabitants
        nm = ind.berekening.noemer
        if (nm not in rij and nm not in w8.dw.noemers and nm not in tellers
                and w8.niveau(ind, eenheid) is not None):
            rij[nm] = int(round(STANDAARD_NOEMERFACTOR * inw))
    for ind in register_ind:          # catalogue order: noemers like personen_bijstand come first
        t, nm = ind.berekening.teller, ind.berekening.noemer
        p = w8.waarde(ind.id, eenheid, mi)
        if p is None or nm not in rij:
            continue
        noemer = rij[nm]
        iw = w8.geplant(ind.id)
        binnen = config.indicator.get(iw.deel_van) if iw is not None and iw.deel_van else None
        omvat = config.indicator.get(iw.omvat) if iw is not None and iw.omvat else None
        if ind.statistiek == "register_aandeel":
            if binnen is not None and binnen.berekening.teller in rij:
                pb = w8.waarde(binnen.id, eenheid, mi)
                rij[t] = int(rng.binomial(rij[binnen.berekening.teller], min(1.0, p / pb)))
            elif omvat is not None and omvat.berekening.teller in rij:
                pa = w8.waarde(omvat.id, eenheid, mi)
                rest = noemer - rij[omvat.berekening.teller]
                rij[t] = rij[omvat.berekening.teller] + int(rng.binomial(rest, max(0.0, (p - pa) / (1 - pa))))
            else:
                rij[t] = int(rng.binomial(noemer, p))
        elif ind.berekening.interval == "poisson":
            rij[t] = int(rng.poisson(p * noemer / ind.berekening.schaal))
        else:                          # continuous quantities (m2 groen, m3 gas): no sampling noise
            rij[t] = int(round(p * noemer / ind.berekening.schaal))
    return rij


def _registers(config: Configuratie, geo: Geografie, w8: Waarheid) -> dict[str, bytes]:
    tabel = _register_tabel(config, geo, w8)
    per_bron = _register_kolommen(config, w8.dw)
    codes = sorted({c for c, _ in tabel}, key=lambda c: (c[2:6], {"GM": 0, "WK": 1, "BU": 2}[c[:2]], c))
    jaren = sorted({j for _, j in tabel})
    uit = {}
    for bron, kolommen in per_bron.items():
        rijen = []
        for c in codes:
            for j in jaren:
                r = tabel[(c, j)]
                if not any(k in r for k in kolommen):
                    continue
                rijen.append([c, j] + [r.get(k) for k in kolommen])
        uit[bron] = _csv(["gebiedscode", "jaar"] + kolommen, rijen)
    return uit


# ---------------------------------------------------------------- truth table


def _waarheid_rijen(config: Configuratie, geo: Geografie, w8: Waarheid) -> list[list]:
    mindex = _meting_index(config)
    tabel = _register_tabel(config, geo, w8)
    rijen = []
    for g in config.gebieden:
        gm = g.gemeente
        for m in config.metingen:
            mi = mindex[m.jaar]
            for ind in config.indicatoren_voor(g.id):
                pj = m.peiljaren[ind.bron]
                wg, wr = w8.waarde(ind.id, g.id, mi), w8.waarde(ind.id, gm, mi)
                # gemeente: population-weighted mix (survey: adults in sampled wijken; register:
                # expected teller over noemer)
                if ind.is_survey:
                    ng = nr = 0.0
                    for w in geo.wijken[gm]:
                        if w.inwoners_2024 < _MIN_INW_SURVEY:
                            continue
                        for deel, eenheid in geo.delen(w):
                            if eenheid == g.id:
                                ng += geo.inwoners(w, pj, deel)
                            else:
                                nr += geo.inwoners(w, pj, deel)
                else:
                    nm = ind.berekening.noemer
                    ng = sum(tabel[(c, pj)].get(nm, 0) for c in g.codes)
                    nr = tabel[(gm, pj)].get(nm, 0) - ng
                wgm = None
                if wg is not None and wr is not None and ng + nr > 0:
                    wgm = (ng * wg + nr * wr) / (ng + nr)
                effect_id = w8.effect_id(g.id, ind.id)
                for deel, code, w in (("gebied", g.id, wg), ("rest", g.rest_code, wr), ("gemeente", gm, wgm)):
                    if w is None:
                        continue
                    weergave = w * 100 if ind.is_percentage else w
                    rijen.append([g.id, deel, code, m.jaar, ind.id, ind.bron, pj, ind.statistiek,
                                  _getal(w, 6), _getal(weergave, 4), ind.eenheid,
                                  effect_id if deel == "gebied" else ""])
    return rijen


# ---------------------------------------------------------------- reference values


def _referentiewaarden(config: Configuratie, w8: Waarheid) -> bytes:
    mindex = _meting_index(config)
    rijen = []
    b = config.gebieden_bestand
    # (code, role, half-width of a 95% CI for a proportion, for a mean)
    regios = ((b.provincie.code, "provincie", 0.006, 0.025), (b.land.code, "nederland", 0.0025, 0.01))
    for regio, rol, marge, marge_gemiddelde in regios:
        for ind in config.indicatoren:
            if ind.set != "kernset":
                continue
            for m in config.metingen:
                v = w8.referentie(ind.id, rol, mindex[m.jaar])
                f = 100.0 if ind.is_percentage else 1.0
                onder = boven = None
                if ind.statistiek == "survey_proportie":
                    h = marge * math.sqrt(v * (1 - v) / 0.25)
                    onder, boven = _getal((v - h) * f, 1), _getal((v + h) * f, 1)
                elif ind.statistiek == "survey_gemiddelde":
                    h = marge_gemiddelde
                    onder, boven = _getal(v - h, 2), _getal(v + h, 2)
                dec = 2 if ind.statistiek == "survey_gemiddelde" else 1
                if ind.eenheid.startswith("m³") or ind.eenheid.startswith("m²"):
                    dec = 0
                rijen.append([regio, ind.id, m.peiljaren[ind.bron], _getal(v * f, dec), onder, boven])
    return _csv(["regiocode", "indicator", "jaar", "waarde", "ondergrens", "bovengrens"], rijen)


# ---------------------------------------------------------------- process, narrative, duiding

_TOELICHTING = {
    "niet_gestart": "Synthetisch: project nog niet gestart in deze meting.",
    "loopt": "Synthetisch: project loopt volgens planning.",
    "vertraagd": "Synthetisch: mijlpalen schuiven op, project loopt achter.",
    "afgerond": "Synthetisch: project afgerond, resultaten opgeleverd.",
    "gestopt": "Synthetisch: project na evaluatie niet voortgezet.",
}


def _projecten(config: Configuratie, dw: Demowaarheid) -> bytes:
    rijen = []
    n_met = len(config.metingen)
    for g in config.gebieden:
        lm = config.logicmodellen[g.id]
        vast = dw.projectstatus.get(g.id, {})
        for p in lm.projecten:
            rng = _rng("proces", g.id, p.id)
            output_rng = _rng("output", g.id, p.id)  # its own stream: the milestones stay as they were
            totaal = max(3, len(p.beoogde_resultaten) + 2)
            vorige_real = vorige_opgeleverd = vorige_bereik = vorige_uitgaven = 0
            gestopt_op: Optional[tuple[int, int]] = None
            for mi, m in enumerate(config.metingen):
                s, e = p.planning.start, p.planning.eind
                status = vast.get(p.id, {}).get(m.jaar)
                if status is None:
                    if s is not None and s > m.jaar:
                        status = "niet_gestart"
                    elif e is not None and e < m.jaar:
                        status = "afgerond"
                    else:
                        status = "loopt"
                gepland = totaal if status == "afgerond" else math.ceil(totaal * (mi + 1) / n_met * 0.9)
                if status == "niet_gestart":
                    gepland = 0 if (s is not None and s > m.jaar) else min(gepland, 1)
                    real = 0
                elif status == "afgerond":
                    real = totaal
                elif status == "gestopt":
                    if gestopt_op is None:
                        gestopt_op = (gepland, max(vorige_real, gepland // 2))
                    gepland, real = gestopt_op
                elif status == "vertraagd":
                    real = max(0, gepland - 1 - int(rng.integers(0, 2)))
                else:
                    real = max(0, gepland - int(rng.integers(0, 2)))
                real = min(gepland, max(real, vorige_real))
                vorige_real = real
                # delivered results follow the milestones; reach and spending grow with them, the
                # spending only where the logic model's amount is public
                beoogd = len(p.beoogde_resultaten)
                opgeleverd = beoogd if status == "afgerond" else (beoogd * real) // totaal
                opgeleverd = max(opgeleverd, vorige_opgeleverd)
                vorige_opgeleverd = opgeleverd
                # cumulative, like the milestones: never less than in the previous meting
                bereik = vorige_bereik = max(vorige_bereik, int(real * output_rng.integers(20, 120)) if real else 0)
                bedrag = p.bijdrage.bedrag_euro if p.bijdrage.status == "bekend" else None
                if bedrag is None:
                    uitgaven = ""
                else:
                    uitgaven = vorige_uitgaven = max(vorige_uitgaven, int(round(
                        bedrag * real / totaal * output_rng.uniform(0.8, 1.0), -3)))
                rijen.append([g.id, m.jaar, p.id, status, gepland, real, opgeleverd, bereik, uitgaven,
                              _TOELICHTING[status]])
    return _csv(["gebied", "meting", "project", "status", "mijlpalen_gepland", "mijlpalen_gerealiseerd",
                 "resultaten_opgeleverd", "bereik", "uitgaven_euro", "toelichting"], rijen)


def _afkortingen(config: Configuratie, dw: Demowaarheid) -> dict[str, str]:
    """The prefix of the fragment ids per gebied: planted, else the first three letters; unique."""
    uit: dict[str, str] = {}
    for g in config.gebieden:
        a = dw.narratief.afkorting.get(g.id) or g.id[:3].upper()
        uit[g.id] = a if a not in uit.values() else g.id.upper()
    return uit


def _fragmenten(config: Configuratie, dw: Demowaarheid) -> bytes:
    rijen = []
    pijlers = [p.id for p in config.pijlers]
    afkorting = _afkortingen(config, dw)
    for g in config.gebieden:
        lm = config.logicmodellen[g.id]
        gewicht = np.array([1.0 + sum(pj in p.pijlers for p in lm.projecten) for pj in pijlers])
        gewicht /= gewicht.sum()
        for mi, m in enumerate(config.metingen):
            rng = _rng("narratief", g.id, m.jaar)
            n = int(rng.integers(15, 31))
            for k in range(n):
                pj = pijlers[rng.choice(len(pijlers), p=gewicht)]
                groep = "bewoner" if rng.random() < 0.6 else "professional"
                themas = dw.narratief.themas.get(pj) or [config.pijler[pj].naam.lower()]
                thema = themas[rng.integers(len(themas))]
                # the tone leans further each meting, at most so far that every tone stays possible
                r = max(-0.30, min(0.30, dw.narratief.toon.get(g.id, {}).get(pj, 0) * 0.12 * mi))
                kans = np.array([0.30 + r, 0.35, 0.35 - r])
                sentiment = ["positief", "neutraal", "negatief"][rng.choice(3, p=kans / kans.sum())]
                opties = dw.narratief.citaten.get(pj, {}).get(sentiment) or STANDAARD_CITATEN[sentiment]
                citaat = opties[rng.integers(len(opties))]
                rijen.append([f"DEMO-{afkorting[g.id]}-{m.jaar}-{k + 1:03d}", g.id, m.jaar, pj, groep,
                              thema, sentiment, citaat])
    return _csv(["fragment_id", "gebied", "meting", "pijler", "groep", "thema", "sentiment", "citaat"], rijen)


def _duiding(config: Configuratie, dw: Demowaarheid) -> bytes:
    rijen = []
    for g in config.gebieden:
        for mi, m in enumerate(config.metingen):
            for p in config.pijlers:
                effecten = sorted(e.indicator for e in dw.effecten
                                  if e.gebied == g.id and config.indicator.get(e.indicator) is not None
                                  and config.indicator[e.indicator].pijler == p.id)
                if mi == 0:
                    zin = (f"Dit is de nulmeting voor {g.naam}; de cijfers voor {p.naam.lower()} "
                           "dienen als vertrekpunt en liggen op de meeste indicatoren ongunstiger dan in de rest "
                           "van de gemeente.")
                elif effecten:
                    namen = ", ".join(config.indicator[i].naam.lower() for i in effecten)
                    zin = (f"In de demodata is voor {g.naam} een eigen ontwikkeling ingebouwd bij: {namen}. "
                           "Lokale experts zouden hier toelichten of dat met de wijkaanpak samenhangt.")
                else:
                    zin = (f"Voor {p.naam.lower()} volgt {g.naam} in de demodata dezelfde ontwikkeling als de "
                           "rest van de gemeente; verschillen met de nulmeting zijn toeval of een algemene trend.")
                rijen.append([g.id, m.jaar, p.id, f"[Demotekst] Synthetische duiding, geen echte interpretatie. {zin}"])
    return _csv(["gebied", "meting", "pijler", "tekst"], rijen)


def _wijknetwerk(config: Configuratie, dw: Demowaarheid) -> Optional[tuple[bytes, bytes]]:
    """The organisations and ties of the gebieden with the module wijknetwerk (None without it). Planted:
    ties become more likely from the first to the second meting, ties across the physical and social sphere
    more so, and the first organisation of the last domain links every other domain at the second meting."""
    module = config.lokaal.wijknetwerk
    if module is None or not module.gebieden:
        return None
    nw = dw.wijknetwerk
    org, rel = [], []
    for gid in module.gebieden:
        rng = _rng("wijknetwerk", gid)
        leden = [(f"{d.id}_{k + 1}", d) for d in module.domeinen for k in range(nw.per_domein)]
        for oid, d in leden:
            toestemming = "ja" if rng.random() < nw.toestemming else "nee"
            org.append([gid, oid, f"[Demo] {d.naam} {oid.rsplit('_', 1)[1]}", d.id, toestemming])
        makelaar = leden[-nw.per_domein][0]
        for mi, meting in enumerate(module.metingen):
            for i, (a, da) in enumerate(leden):
                for b, db in leden[i + 1:]:
                    kruis = {da.sfeer, db.sfeer} == {"fysiek", "sociaal"}
                    kans = nw.kans[mi] * (nw.kruisend_factor[mi] if kruis else 1.0)
                    trek = rng.random(3)  # always three draws: the stream does not depend on the outcome
                    ander = b if a == makelaar else a if b == makelaar else None
                    plant = mi == 1 and ander is not None and da.id != db.id and ander.endswith("_1")
                    if trek[0] < kans or plant:
                        frequentie = FREQUENTIES_DEMO[int(trek[1] * len(FREQUENTIES_DEMO))]
                        pijler = config.pijlers[int(trek[2] * len(config.pijlers))].id
                        rel.append([gid, meting, a, b, frequentie, pijler])
    return (_csv(["gebied", "organisatie", "naam", "domein", "toestemming"], org),
            _csv(["gebied", "meting", "van", "naar", "frequentie", "pijler"], rel))


FREQUENTIES_DEMO = ["wekelijks", "maandelijks", "per_kwartaal", "jaarlijks"]


def _schoolloopbaan(config: Configuratie, dw: Demowaarheid) -> Optional[bytes]:
    """Pupil counts per gebied, cohort, woonplek, advice, third-year level and outcome for the gebieden
    with the module schoolloopbaan (None without it); only the non-empty combinations get a row.
    Planted (Schoolwaarheid): a lower advice in the wijk, up- and downstream around the advice, and a
    lower chance of a startkwalificatie in the wijk at every level."""
    module = config.lokaal.schoolloopbaan
    if module is None or not module.gebieden:
        return None
    sw = dw.schoolloopbaan
    k = len(module.niveaus)
    rijen = []
    for gid in module.gebieden:
        rng = _rng("schoolloopbaan", gid)
        aantallen = sw.leerlingen.get(gid, sw.standaard)
        for cohort in module.cohorten:
            for w, woonplek in enumerate(("wijk", "rest_gemeente")):
                n = aantallen[w]
                advies = rng.choice(k, size=n, p=np.array(sw.advies_wijk if w == 0 else sw.advies_rest))
                stap = rng.random(n)
                niveau = np.clip(advies + (stap < sw.hoger) - (stap > 1 - sw.lager), 0, k - 1)
                kans = np.array(sw.startkwalificatie)[niveau] - (sw.wijk_achterstand if w == 0 else 0.0)
                trek = rng.random(n)
                uitkomst = np.where(trek < kans, 0, np.where(trek < kans + (1 - kans) / 2, 1, 2))
                u_k = len(module.uitkomsten)
                telling = np.bincount((advies * k + niveau) * u_k + uitkomst, minlength=k * k * u_k)
                for code in np.flatnonzero(telling):
                    a, b, u = code // (k * u_k), code // u_k % k, code % u_k
                    rijen.append([gid, cohort, woonplek, module.niveaus[a].id, module.niveaus[b].id,
                                  module.uitkomsten[u].id, int(telling[code])])
    return _csv(["gebied", "cohort", "woonplek", "schooladvies", "niveau_leerjaar3", "uitkomst", "aantal"], rijen)


def _openbare_ruimte(config: Configuratie, dw: Demowaarheid) -> Optional[tuple[bytes, bytes]]:
    """Counts per telling, leeftijdsgroep and activiteit, and the beleving answers, for the gebieden
    with the module openbare ruimte (None without it). Planted (Ruimtewaarheid): per location a level
    of use, at the last meting more use and more agreement at the locations named there, and one
    location with fewer respondents than the book publishes (the last of each gebied)."""
    module = config.lokaal.openbare_ruimte
    if module is None or not module.gebieden:
        return None
    rw = dw.openbare_ruimte
    tellingen, antwoorden = [], []
    n_l, n_a = len(module.leeftijdsgroepen), len(module.activiteiten)
    kansen = np.outer(rw.leeftijd, rw.activiteit).ravel()
    for gid in module.gebieden:
        locaties = module.locaties_van(gid)
        for li, loc in enumerate(locaties):
            rng = _rng("openbare_ruimte", gid, loc.id)
            for meting in module.metingen:
                laatste = meting == module.metingen[-1]
                niveau = rw.factor.get(loc.id, 1.0) * (rw.groei.get(loc.id, 1.0) if laatste else 1.0)
                nr = 0
                for di, dagdeel in enumerate(module.dagdelen):
                    for _ in range(rw.tellingen):
                        nr += 1
                        mu = rw.per_dagdeel[di % len(rw.per_dagdeel)] * niveau
                        totaal = rng.negative_binomial(rw.vorm, rw.vorm / (rw.vorm + mu))
                        cellen = rng.multinomial(totaal, kansen / kansen.sum())
                        for code in range(n_l * n_a):
                            # zero cells are left out, as a counting form would; the reader fills them
                            if cellen[code] or code == 0:
                                tellingen.append([gid, meting, loc.id, f"{meting}-{nr:02d}", dagdeel.id,
                                                  module.leeftijdsgroepen[code // n_a].id,
                                                  module.activiteiten[code % n_a].id, int(cellen[code])])
                n = rw.respondenten[1] if li == len(locaties) - 1 and len(locaties) > 1 else rw.respondenten[0]
                eens = min(0.95, rw.eens + (rw.beleving.get(loc.id, 0.0) if laatste else 0.0))
                k = module.beleving.schaal
                for vraag in module.beleving.vragen:
                    # agreement spread over the agreeing answers, the rest over the others
                    hoog = k - module.beleving.eens_vanaf + 1
                    p = np.r_[np.full(k - hoog, (1 - eens) / (k - hoog)), np.full(hoog, eens / hoog)]
                    for antwoord, aantal in enumerate(rng.multinomial(n, p), start=1):
                        antwoorden.append([gid, meting, loc.id, vraag.id, antwoord, int(aantal)])
    return (_csv(["gebied", "meting", "locatie", "telling", "dagdeel", "leeftijdsgroep", "activiteit", "aantal"],
                 tellingen),
            _csv(["gebied", "meting", "locatie", "vraag", "antwoord", "aantal"], antwoorden))


# ---------------------------------------------------------------- text files


_DATABRON = """\
naam: Synthetische demodata
demodata: true
omschrijving: >-
  Synthetische gegevens, gemaakt door de demogenerator van het project, die bij elke build dezelfde
  gegevens maakt. Dit zijn geen echte cijfers: respondenten, registertellingen, referentiewaarden,
  projectvoortgang, citaten en duidingen zijn verzonnen. Alleen de omvang van de bevolking (CBS
  Kerncijfers wijken en buurten 2024) en enkele niveaus uit openbare bronnen dienen als ijkpunt. In
  de gegevens zijn bekende effecten ingebouwd, zodat te controleren is dat de analyse ze terugvindt.
"""


def _waarheid_md(config: Configuratie, geo: Geografie, w8: Waarheid, survey_n: dict) -> str:
    mi_laatst = len(config.metingen) - 1
    jaren = [m.jaar for m in config.metingen]
    toelichting = w8.dw.toelichting
    buurten = "".join(
        f"; {config.gebied[geo.gebied_van_code[bu]].naam} is buurt {bu} binnen {wijk}"
        + (f" {w8.dw.buurtgebieden[bu].wijknaam}" if w8.dw.buurtgebieden[bu].wijknaam else "")
        for wijk, bus in sorted(geo.buurtgebieden.items()) for bu in bus)
    regels = [
        "# Waarheid van de demodata",
        "",
        "Deze map bevat **synthetische** gegevens (`vwanalyse.demodata`, zaad "
        f"{ZAAD}). Geen enkel getal is een echte meting. `waarheid.csv` geeft per gebied, rest van de "
        "gemeente en gemeente, per meting en indicator de populatiewaarde die de generator gebruikte.",
        "",
        "- `waarde`: op de schaal van de schatting: fractie (0-1) voor indicatoren in %, gemiddelde voor "
        "scores, teller/noemer x `schaal` voor registerrates. `waarde_weergave`: in de eenheid van de "
        "indicator (% als 0-100).",
        "- Survey: antwoorden zijn getrokken met de kansen die bij de waarheid horen, onafhankelijk van het "
        "gewicht (gewichten zijn niet-informatief, lognormaal, Kish-deff ongeveer 1,4). De gewogen schatting "
        "is zuiver voor de waarheid; item-non-respons (2-8% per item) is volledig toevallig. `stratum` = "
        "wijkcode met een vaste steekproefomvang per wijk; `psu` = respondent.",
        "- Gemiddelden (rapportcijfers, sociale cohesie): gehele scores `min + Binomiaal(max-min, q)`, met "
        "verwachting precies de waarheid.",
        "- Registers: aandelen zijn binomiale trekkingen, tellingen per inwoner/woning (politie, woonoverlast, "
        "verwijzingen) Poisson-trekkingen rond de waarheid; m² groen en m³ gas zijn exact. De gerealiseerde "
        "waarde (teller/noemer in de bestanden) wijkt dus iets af van de waarheid.",
        f"- Gemeente = som van al haar wijken{buurten}.",
        "- De waarde van de gemeente in `waarheid.csv` is het bevolkingsgewogen gemiddelde van gebied en rest.",
    ]
    if toelichting.zaad:
        regels.append(f"- {toelichting.zaad.strip()}")
    regels.append("")
    if toelichting.ijkpunten:
        regels += ["## IJkpunten uit openbare bronnen", "", toelichting.ijkpunten.strip(), ""]
    regels += [
        "## Ingebouwde effecten",
        "",
        "Extra verandering van het gebied bovenop de algemene trend (verschil-in-verschillen ten opzichte van "
        f"de rest van de gemeente, {jaren[0]} -> {jaren[-1]}). Alle niet genoemde combinaties hebben effect 0.",
        "",
        "| id | gebied | indicator | nulmeting gebied | eindmeting gebied | verschil-in-verschillen | omschrijving |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in w8.dw.effecten:
        if e.gebied not in config.gebied or e.indicator not in config.indicator:
            continue
        ind = config.indicator[e.indicator]
        f = 100 if ind.is_percentage else 1
        v0, v1 = w8.waarde(e.indicator, e.gebied, 0) * f, w8.waarde(e.indicator, e.gebied, mi_laatst) * f
        rest = config.gebied[e.gebied].gemeente
        r0, r1 = w8.waarde(e.indicator, rest, 0), w8.waarde(e.indicator, rest, mi_laatst)
        did = v1 - v0 - ((r1 - r0) * f if r0 is not None else 0.0)
        label = "" if r0 is not None else " (geen rest: alleen in het gebied geregistreerd)"
        regels.append(f"| {e.id} | {e.gebied} | {e.indicator} | {_getal(v0, 1)} | {_getal(v1, 1)} | "
                      f"{'+' if did > 0 else ''}{_getal(did, 1)}{label} | {e.omschrijving} |")
    regels += ["", "## Bewuste nuleffecten", "", "| id | gebied | indicator | omschrijving |", "|---|---|---|---|"]
    for n in w8.dw.nuleffecten:
        if n.gebied in config.gebied and n.indicator in config.indicator:
            regels.append(f"| {n.id} | {n.gebied} | {n.indicator} | {n.omschrijving} |")
    regels.append("")
    if toelichting.trends:
        regels += [toelichting.trends.strip(), ""]
    standaard = [f"- {regel}" for regel in standaardwaarden(config, w8.dw)]
    if standaard:
        regels += ["## Zonder geplante waarheid", "",
                   f"Niet in `{BESTAND}` van de configuratie, dus met de standaardwaarden van dat bestand:", "",
                   *standaard, ""]
    regels += [
        "## Respondenten per gebied",
        "",
        "| bron | peiljaar | " + " | ".join(g.naam for g in config.gebieden) + " | totaal |",
        "|---|---|" + "---|" * (len(config.gebieden) + 1),
    ]
    for (bron, pj), tel in sorted(survey_n.items()):
        regels.append(f"| {bron} | {pj} | " + " | ".join(str(tel[g.id]) for g in config.gebieden)
                      + f" | {tel['totaal']} |")
    regels.append("")
    module, nw = config.lokaal.wijknetwerk, w8.dw.wijknetwerk
    if module is not None and module.gebieden:
        laatste = module.domeinen[-1]
        regels += [
            "## Wijknetwerk (lokale verdieping)",
            "",
            f"Voor {', '.join(config.gebied[g].naam for g in module.gebieden)}: {nw.per_domein} verzonnen "
            f"organisaties per domein (namen beginnen met [Demo]; toestemming om genoemd te worden met kans "
            f"{nw.toestemming:g}). Kans op een samenwerking {nw.kans[0]:g} in {module.metingen[0]} en "
            f"{nw.kans[1]:g} in {module.metingen[1]}; tussen het fysieke en het sociale domein maal "
            f"{nw.kruisend_factor[0]:g} en {nw.kruisend_factor[1]:g}. In {module.metingen[1]} werkt "
            f"{laatste.id}_1 ({laatste.naam}) met de eerste organisatie van elk ander domein samen: de "
            "ingebouwde brugorganisatie.",
            "",
        ]
    school, sw = config.lokaal.schoolloopbaan, w8.dw.schoolloopbaan
    if school is not None and school.gebieden:
        regels += [
            "## Schoolloopbaan (lokale verdieping)",
            "",
            f"Voor {', '.join(config.gebied[g].naam for g in school.gebieden)}, per cohort "
            f"({', '.join(map(str, school.cohorten))}) verzonnen leerlingen in de wijk en de rest van de gemeente: "
            + "; ".join(f"{config.gebied[g].naam} {sw.leerlingen.get(g, sw.standaard)[0]} en "
                        f"{sw.leerlingen.get(g, sw.standaard)[1]}" for g in school.gebieden)
            + f". Schooladvies ({', '.join(n.id for n in school.niveaus)}) in de wijk met kansen "
            f"{', '.join(f'{x:g}' for x in sw.advies_wijk)}, in de rest {', '.join(f'{x:g}' for x in sw.advies_rest)}. "
            f"In leerjaar 3 een niveau hoger met kans {sw.hoger:g}, lager met kans {sw.lager:g}. Kans op een "
            f"startkwalificatie per niveau in leerjaar 3 {', '.join(f'{x:g}' for x in sw.startkwalificatie)}, in de "
            f"wijk {sw.wijk_achterstand:g} lager; de rest half nog op school, half zonder startkwalificatie van school.",
            "",
        ]
    ruimte, rw = config.lokaal.openbare_ruimte, w8.dw.openbare_ruimte
    if ruimte is not None and ruimte.gebieden:
        regels += [
            "## Openbare ruimte (lokale verdieping)",
            "",
            f"Voor {', '.join(config.gebied[g].naam for g in ruimte.gebieden)}, per locatie, meting en dagdeel "
            f"({', '.join(d.id for d in ruimte.dagdelen)}) {rw.tellingen} verzonnen tellingen met gemiddeld "
            f"{', '.join(f'{x:g}' for x in rw.per_dagdeel)} mensen (negatief binomiaal, vorm {rw.vorm:g}); "
            "gebruik maal " + ", ".join(f"{k} {v:g}" for k, v in rw.factor.items()) + "; in de laatste meting "
            "maal " + ", ".join(f"{k} {v:g}" for k, v in rw.groei.items()) + ". Aandeel eens met elke stelling "
            f"{rw.eens:g}, in de laatste meting hoger met " + ", ".join(f"{k} {v:g}" for k, v in rw.beleving.items())
            + f". {rw.respondenten[0]} respondenten per locatie en meting, {rw.respondenten[1]} op de laatste "
            "locatie van elk gebied (te weinig om te publiceren).",
            "",
        ]
    return "\n".join(regels)


def _tel_respondenten(inhoud: bytes, config: Configuratie) -> dict[str, int]:
    tekst = inhoud.decode("utf-8-sig").splitlines()
    kop = tekst[0].split(";")
    iw, ib = kop.index("wijkcode"), kop.index("buurtcode")
    tel = {g.id: 0 for g in config.gebieden}
    tel["totaal"] = 0
    for regel in tekst[1:]:
        delen = regel.split(";")
        tel["totaal"] += 1
        for g in config.gebieden:
            if delen[iw] in g.codes or delen[ib] in g.codes:
                tel[g.id] += 1
    return tel


# ---------------------------------------------------------------- entry point


def bestanden(config: Configuratie, dw: Optional[Demowaarheid] = None) -> dict[str, bytes]:
    """Every file of the demo folder (relative path -> content), without the manifest.

    `dw`: the planted truth; by default the configuration's demowaarheid.yml (defaults without one).
    """
    dw = laad(config) if dw is None else dw
    geo = Geografie(config, dw)
    w8 = Waarheid(config, dw)
    uit: dict[str, bytes] = {"databron.yml": _DATABRON.encode("utf-8")}
    survey_n = {}
    for mi, m in enumerate(config.metingen):
        for bron in (b.id for b in config.bronnen if b.soort == "survey"):
            pj = m.peiljaren[bron]
            inhoud = _survey(config, geo, w8, bron, mi, pj)
            uit[f"survey/{bron}_{pj}.csv"] = inhoud
            survey_n[(bron, pj)] = _tel_respondenten(inhoud, config)
    for bron, inhoud in _registers(config, geo, w8).items():
        uit[f"register/{bron}.csv"] = inhoud
    uit["referentie/referentiewaarden.csv"] = _referentiewaarden(config, w8)
    uit["proces/projecten.csv"] = _projecten(config, dw)
    uit["narratief/fragmenten.csv"] = _fragmenten(config, dw)
    uit["duiding/duiding.csv"] = _duiding(config, dw)
    netwerk = _wijknetwerk(config, dw)
    if netwerk:
        uit["lokaal/wijknetwerk_organisaties.csv"], uit["lokaal/wijknetwerk_relaties.csv"] = netwerk
    school = _schoolloopbaan(config, dw)
    if school:
        uit["lokaal/schoolloopbaan.csv"] = school
    ruimte = _openbare_ruimte(config, dw)
    if ruimte:
        uit["lokaal/openbare_ruimte_tellingen.csv"], uit["lokaal/openbare_ruimte_beleving.csv"] = ruimte
    uit["waarheid.csv"] = _csv(["gebied", "deel", "code", "meting", "indicator", "bron", "peiljaar", "statistiek",
                                "waarde", "waarde_weergave", "eenheid", "effect"], _waarheid_rijen(config, geo, w8))
    uit["WAARHEID.md"] = _waarheid_md(config, geo, w8, survey_n).encode("utf-8")
    return uit


def manifest(inhoud: dict[str, bytes]) -> bytes:
    regels = [f"{hashlib.sha256(inhoud[p]).hexdigest()}  {p}\n" for p in sorted(inhoud)]
    return "".join(regels).encode("utf-8")


def genereer(doel_map: Path | str, config: Configuratie, dw: Optional[Demowaarheid] = None) -> None:
    """Write the demo folder to `doel_map` (byte-identical on every run); MANIFEST.sha256 last.

    Files listed in an older MANIFEST.sha256 that the generator no longer writes are removed;
    other files in the folder are left alone. `dw`: as in `bestanden`.
    """
    doel_map = Path(doel_map)
    inhoud = bestanden(config, dw)
    oud = doel_map / "MANIFEST.sha256"
    if oud.is_file():
        for regel in oud.read_text(encoding="utf-8").splitlines():
            pad = regel.split("  ", 1)[-1].strip()
            if pad and pad not in inhoud and ".." not in pad:
                (doel_map / pad).unlink(missing_ok=True)
    for pad, data in inhoud.items():
        schrijf_bytes(doel_map / pad, data)
        os.chmod(doel_map / pad, 0o644)
    schrijf_bytes(oud, manifest(inhoud))
    os.chmod(oud, 0o644)


def controleer_manifest(doel_map: Path | str) -> list[str]:
    """Problems with MANIFEST.sha256 of a folder (empty list: every file matches)."""
    doel_map = Path(doel_map)
    fouten = []
    gezien = set()
    for regel in (doel_map / "MANIFEST.sha256").read_text(encoding="utf-8").splitlines():
        h, pad = regel.split("  ", 1)
        gezien.add(pad)
        if not (doel_map / pad).is_file():
            fouten.append(f"ontbreekt: {pad}")
        elif sha256(doel_map / pad) != h:
            fouten.append(f"gewijzigd: {pad}")
    for f in sorted(doel_map.rglob("*")):
        rel = f.relative_to(doel_map).as_posix()
        if f.is_file() and rel != "MANIFEST.sha256" and rel not in gezien:
            fouten.append(f"niet in het manifest: {rel}")
    return fouten
