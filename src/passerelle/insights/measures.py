"""The network's measures, for every actor of a tie graph (insights.graph).

- **degree**: how many partners an actor has; **strength**: how many ties, each counted
  as many times as the activities it stands for (the sum of its ties' weights).
- **betweenness**: on how many shortest paths between two other actors it lies. Ties are
  weighted by shared activities, and a strong tie is a *short* one: each tie's length is
  1 / weight, so a path through partners of many activities is shorter than one through
  partners of a single one (Opsahl, Agneessens and Skvoretz 2010 do the same). Above
  :data:`EXACT_BETWEENNESS` actors, it is estimated from up to :data:`PIVOTS` source actors
  drawn with a fixed seed and scaled up (Brandes and Pich 2007): exact betweenness costs
  one shortest-path tree per actor, minutes on the large set.
- **constraint** (Burt 1992): how much an actor's ties lead to the same people — high for
  someone whose partners all work with each other, low for a broker between groups that
  do not meet; weighted by shared activities. None for an actor with no partner, and on
  a graph of more than :data:`CONSTRAINT_EVERY_ACTOR` ties for all but the
  :data:`CONSTRAINED` actors ranked first (the ones the pages show).
- **communities**: Leiden (Traag, Waltman and van Eck 2019), optimising modularity on the
  weighted graph, from a fixed seed so that the same records give the same communities;
  numbered from 1, largest first, with the partition's **modularity**.
- **brokerage**: the roles of Gould and Fernandez (insights.brokerage), with the region as
  the group and, the other grouping, the country.
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass, field

import igraph
import numpy as np

from .brokerage import (
    GATEKEEPER,
    LISTED_TRIANGLES,
    REPRESENTATIVE,
    bridged,
    brokerage,
    triangles_at,
    triangles_of,
)
from .graph import TieGraph

SEED = 1
#: Up to this many actors, betweenness is exact; above, estimated from PIVOTS sources.
EXACT_BETWEENNESS = 5000
PIVOTS = 64
MIN_PIVOTS = 8
#: Ties walked by all the pivots' shortest-path trees together, at most (about).
PIVOT_BUDGET = 16_000_000
#: Up to this many ties, every actor's constraint; above, the CONSTRAINED ranked first only:
#: igraph walks each partner's partners, and on the large set every actor has a hub of
#: 40 000 partners among its own (minutes for all).
CONSTRAINT_EVERY_ACTOR = 500_000
CONSTRAINED = 60
#: Leiden's passes (igraph's default): until stable takes minutes on the large set.
LEIDEN_ITERATIONS = 2
#: igraph draws its random numbers from one generator for the whole process.
_RANDOM_LOCK = threading.Lock()


@dataclass
class Measures:
    """Every actor's measures, in the order of ``tie_graph.actors``."""

    tie_graph: TieGraph
    degree: list[int]
    strength: list[int]
    betweenness: list[float]
    constraint: list[float | None]
    community: list[int]
    modularity: float
    region_brokerage: np.ndarray  # (actor, role) in brokerage.ROLES's order
    country_brokerage: np.ndarray
    #: (actor, 0): partners outside the region it links to the region; (actor, 1): the
    #: reverse; None on a graph of too many triangles to list (brokerage.LISTED_TRIANGLES)
    linked: np.ndarray | None
    betweenness_exact: bool = True
    seconds: dict[str, float] = field(default_factory=dict)

    def order(self) -> list[int]:
        """Actors' indexes, the brokers of the region's ties abroad first: open two-paths
        between the region and outside it through the actor, then betweenness, then degree."""
        bridging = self.region_brokerage[:, GATEKEEPER] + self.region_brokerage[:, REPRESENTATIVE]
        return sorted(
            range(len(self.degree)),
            key=lambda i: (-int(bridging[i]), -self.betweenness[i], -self.degree[i], i),
        )


def _seeded(function, *args, **kwargs):
    with _RANDOM_LOCK:
        igraph.set_random_number_generator(random.Random(SEED))
        try:
            return function(*args, **kwargs)
        finally:
            igraph.set_random_number_generator(random)


def weighted_betweenness(graph: igraph.Graph) -> tuple[list[float], bool]:
    """Betweenness with lengths 1 / weight, exact or estimated (see the module docstring);
    and whether it is exact."""
    n = graph.vcount()
    if graph.ecount() == 0:
        return [0.0] * n, True
    lengths = [1.0 / w for w in graph.es["weight"]]
    if n <= EXACT_BETWEENNESS:
        return graph.betweenness(directed=False, weights=lengths), True
    pivots = pivots_for(graph.ecount())
    sources = sorted(random.Random(SEED).sample(range(n), pivots))
    sampled = graph.betweenness(directed=False, weights=lengths, sources=sources)
    return [value * n / pivots for value in sampled], False


def pivots_for(edges: int) -> int:
    """How many source actors estimate betweenness: one shortest-path tree costs about
    its graph's ties, so their number falls as the graph grows (8 on the large set's two
    million ties, where one tree takes half a second)."""
    return max(MIN_PIVOTS, min(PIVOTS, PIVOT_BUDGET // max(edges, 1)))


def communities(graph: igraph.Graph) -> tuple[list[int], float]:
    """Leiden communities (modularity, seeded), numbered from 1 by size, and the modularity."""
    n = graph.vcount()
    if n == 0:
        return [], 0.0
    if graph.ecount() == 0:
        return list(range(1, n + 1)), 0.0
    clustering = _seeded(
        graph.community_leiden,
        objective_function="modularity",
        weights="weight",
        n_iterations=LEIDEN_ITERATIONS,
    )
    membership = clustering.membership
    sizes = np.bincount(membership)
    ranked = sorted(range(sizes.size), key=lambda c: (-int(sizes[c]), c))
    number = {c: rank + 1 for rank, c in enumerate(ranked)}
    return [number[c] for c in membership], float(graph.modularity(membership, weights="weight"))


def _codes(values: list) -> np.ndarray:
    """Each value as an integer, equal values equal (an unknown country is its own group)."""
    seen: dict = {}
    return np.array([seen.setdefault(v, len(seen)) for v in values], dtype=np.int64)


def measure(tie_graph: TieGraph) -> Measures:
    """All the measures of one tie graph."""
    graph = tie_graph.graph
    seconds: dict[str, float] = {}

    def timed(name, function, *args):
        start = time.perf_counter()
        result = function(*args)
        seconds[name] = round(time.perf_counter() - start, 3)
        return result

    degree = timed("degree", graph.degree)
    strength = timed("strength", lambda: [int(s) for s in graph.strength(weights="weight")])
    betweenness, exact = timed("betweenness", weighted_betweenness, graph)
    membership, modularity = timed("communities", communities, graph)
    actors = tie_graph.actors
    count = timed("triangles", lambda: int(triangles_at(graph).sum()) // 3)
    triangles = (
        timed("listing triangles", triangles_of, graph) if count <= LISTED_TRIANGLES else None
    )
    in_region = np.array([a.in_region for a in actors], dtype=np.int64)
    region = timed("brokerage by region", brokerage, graph, in_region, triangles)
    linked = (
        timed("partners linked", bridged, graph, in_region.astype(bool), triangles)
        if triangles is not None
        else None
    )
    # an actor of no known country is its own group: it brokers, it is not brokered for
    country = timed(
        "brokerage by country",
        brokerage,
        graph,
        _codes([a.country or f"?{i}" for i, a in enumerate(actors)]),
        triangles,
    )
    result = Measures(
        tie_graph=tie_graph,
        degree=degree,
        strength=strength,
        betweenness=[round(b, 3) for b in betweenness],
        constraint=[None] * len(degree),
        community=membership,
        modularity=round(modularity, 6),
        region_brokerage=region,
        country_brokerage=country,
        linked=linked,
        betweenness_exact=exact,
        seconds=seconds,
    )
    # constraint last: on a graph of many ties, only for the actors ranked first
    who = None if graph.ecount() <= CONSTRAINT_EVERY_ACTOR else result.order()[:CONSTRAINED]
    values = timed("constraint", lambda: graph.constraint(vertices=who, weights="weight"))
    for i, value in zip(who if who is not None else range(len(degree)), values, strict=True):
        result.constraint[i] = None if not degree[i] or math.isnan(value) else round(value, 6)
    return result
