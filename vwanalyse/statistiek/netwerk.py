"""The standard measures of a wijknetwerk (the local module of lokaal.yml), computed with networkx.

A network is one gebied at one meting: the organisations of the gebied are the nodes (also those that
name no tie at that meting: they count in the density) and a tie is a pair that works together on at
least one pijler. The survey asks each organisation with whom it works; a tie counts once, whoever
reported it (an undirected graph), at its most frequent reported frequency. Measures:

- dichtheid: ties / possible ties, n(n-1)/2 (`networkx.density`);
- degree-centralisatie (Freeman): sum over nodes of (max degree - degree) / ((n-1)(n-2)); 1 for a
  star, 0 when every organisation has as many ties;
- ties across the physical and social sphere (`Domein.sfeer`): count and share of all ties;
- brugorganisaties: organisations with ties into at least half of the other domains (rounded up, and at
  least two), with their normalised betweenness (`networkx.betweenness_centrality`).

No file is opened here; the tables come from the validated input (invoer.bronnen).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from vwanalyse.model.configuratie import Wijknetwerk

FREQUENTIE_RANG = {"jaarlijks": 1, "per_kwartaal": 2, "maandelijks": 3, "wekelijks": 4}


@dataclass(frozen=True)
class Brug:
    organisatie: str
    domein: str
    domeinen: int  # other domains it has ties into
    betweenness: float


@dataclass(frozen=True)
class Netwerkmaten:
    organisaties: int
    relaties: int
    dichtheid: float
    centralisatie: float
    kruisend: int  # ties between the physical and the social sphere
    kruisend_aandeel: float
    bruggen: list[Brug]
    geisoleerd: int  # organisations without any tie


def graaf(organisaties: pd.DataFrame, relaties: pd.DataFrame, module: Wijknetwerk, gebied: str,
          meting: int) -> nx.Graph:
    """The network of one gebied at one meting; node attributes domein, sfeer, naam, toestemming; edge
    attributes frequentie (the most frequent reported) and pijlers (sorted ids)."""
    g = nx.Graph()
    org = organisaties[organisaties["gebied"].astype(str) == gebied]
    for r in org.itertuples(index=False):
        g.add_node(str(r.organisatie), domein=str(r.domein), sfeer=module.domein[str(r.domein)].sfeer,
                   naam=str(r.naam), toestemming=str(r.toestemming) == "ja")
    rel = relaties[(relaties["gebied"].astype(str) == gebied) & (relaties["meting"].astype(int) == int(meting))]
    for r in rel.itertuples(index=False):
        a, b, f, p = str(r.van), str(r.naar), str(r.frequentie), str(r.pijler)
        if g.has_edge(a, b):
            d = g.edges[a, b]
            if FREQUENTIE_RANG[f] > FREQUENTIE_RANG[d["frequentie"]]:
                d["frequentie"] = f
            d["pijlers"] = sorted(set(d["pijlers"]) | {p})
        else:
            g.add_edge(a, b, frequentie=f, pijlers=[p])
    return g


def centralisatie(g: nx.Graph) -> float:
    """Freeman's degree centralisation (0 for fewer than three nodes)."""
    n = g.number_of_nodes()
    if n < 3:
        return 0.0
    graden = [d for _, d in g.degree()]
    return sum(max(graden) - d for d in graden) / ((n - 1) * (n - 2))


def brugdrempel(domeinen: int) -> int:
    """How many other domains a brugorganisatie reaches: half of the other domains, rounded up, at least two."""
    return max(2, -(-(domeinen - 1) // 2))


def maten(g: nx.Graph) -> Netwerkmaten:
    n, m = g.number_of_nodes(), g.number_of_edges()
    kruisend = sum(1 for a, b in g.edges if {g.nodes[a]["sfeer"], g.nodes[b]["sfeer"]} == {"fysiek", "sociaal"})
    tussen = nx.betweenness_centrality(g, normalized=True) if n > 2 else {k: 0.0 for k in g}
    domeinen = {g.nodes[k]["domein"] for k in g}
    drempel = brugdrempel(len(domeinen))
    bruggen = []
    for k in g:
        eigen = g.nodes[k]["domein"]
        andere = {g.nodes[b]["domein"] for b in g.neighbors(k)} - {eigen}
        if len(andere) >= drempel:
            bruggen.append(Brug(k, eigen, len(andere), tussen[k]))
    bruggen.sort(key=lambda b: (-b.domeinen, -b.betweenness, b.organisatie))
    return Netwerkmaten(organisaties=n, relaties=m, dichtheid=nx.density(g) if n > 1 else 0.0,
                        centralisatie=centralisatie(g), kruisend=kruisend, kruisend_aandeel=kruisend / m if m else 0.0,
                        bruggen=bruggen, geisoleerd=sum(1 for _, d in g.degree() if d == 0))
