"""The brokerage roles of Gould and Fernandez (1989), counted on the undirected tie graph.

Gould and Fernandez count, for each actor B, the *open two-paths* A → B → C through it
(A and C not tied to each other, so B mediates between them), and name the brokerage by the
groups of the three actors:

- **coordinator**: A, B and C in one group;
- **gatekeeper**: B and C together, A outside (B lets an outsider in to its group);
- **representative**: A and B together, C outside (B speaks for its group outwards);
- **itinerant** (consultant): A and C together, B outside;
- **liaison**: all three in different groups.

Groups here are *in the region or not* (then a liaison cannot occur: there are two groups
only) and, the other grouping, *the country*.

Direction. Ties between actors are undirected: sharing an activity goes both ways. We
follow the convention of ``sna::brokerage`` (Butts) and UCINET on symmetric data: the
graph is read as a directed one with both arcs of every tie, so an open pair {A, C} at B
is two two-paths, A → B → C and C → B → A, each counted once, with its own role:

- a pair in B's group counts 2 as coordinator; a pair of one other group, 2 as itinerant;
  a pair of two other groups, 2 as liaison (both orientations have the same role);
- a pair with one side in B's group and one outside counts 1 as gatekeeper (the outsider
  first) and 1 as representative (the outsider last): gatekeeper and representative
  counts are therefore equal on an undirected graph.

So a broker's counts sum to twice its open pairs; halve coordinator, itinerant and
liaison for the number of pairs (``open_pairs``). No library computes these (igraph has
the other measures); the counts are Passerelle's own, tested against small networks
counted by hand (tests/test_insights.py).

How it is counted, without walking every pair of neighbours (a hub of the large set has
tens of thousands): all pairs of B's neighbours by role follow from how many neighbours
B has in each group; the *closed* pairs (A and C tied: a triangle A, B, C) are then
subtracted, from the list of the graph's triangles, each seen from its three corners.
"""

from __future__ import annotations

import igraph
import numpy as np

ROLES = ("coordinator", "gatekeeper", "representative", "itinerant", "liaison")
COORDINATOR, GATEKEEPER, REPRESENTATIVE, ITINERANT, LIAISON = range(5)


def _pairs(count: np.ndarray) -> np.ndarray:
    return count * (count - 1) // 2


def triangles_of(graph: igraph.Graph) -> np.ndarray:
    """The graph's triangles, one row of three vertices each (igraph lists them in C); for
    graphs of up to :data:`LISTED_TRIANGLES` triangles."""
    return np.array(graph.list_triangles(), dtype=np.int64).reshape(-1, 3)


#: Up to this many triangles they are listed (bridged counts need them one by one); above,
#: closed pairs are counted per vertex from subgraphs instead (the large set has 60 million).
LISTED_TRIANGLES = 3_000_000


def triangles_at(graph: igraph.Graph) -> np.ndarray:
    """How many triangles each vertex is in, from igraph's local transitivity (in C)."""
    degree = np.array(graph.degree(), dtype=np.float64)
    ratio = np.array(graph.transitivity_local_undirected(mode="zero"), dtype=np.float64)
    return np.rint(ratio * degree * (degree - 1) / 2).astype(np.int64)


def _closed_pairs(
    graph: igraph.Graph, groups: np.ndarray, triangles: np.ndarray | None = None
) -> np.ndarray:
    """(vertex, kind) → tied pairs of its neighbours, kinds: 0 both in its group, 1 one
    in and one out, 2 both out in one group, 3 both out in two groups.

    From the listed triangles when given; else per vertex from triangle counts: in the
    graph of ties within groups (kind 0), of ties across groups (kind 3: three groups),
    and in a graph where each vertex reaches, through its ties across groups only, copies
    of the others tied as in the whole graph (kinds 2 and 3: its two ties go out); kind 1
    is what remains of all its triangles."""
    n = graph.vcount()
    closed = np.zeros((n, 4), dtype=np.int64)
    if triangles is not None:
        for b, a, c in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
            broker, left, right = triangles[:, b], triangles[:, a], triangles[:, c]
            g_b, g_a, g_c = groups[broker], groups[left], groups[right]
            same_a, same_c = g_a == g_b, g_c == g_b
            kind = np.where(
                same_a & same_c,
                0,
                np.where(same_a | same_c, 1, np.where(g_a == g_c, 2, 3)),
            )
            np.add.at(closed, (broker, kind), 1)
        return closed
    edges = np.array(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    within = groups[edges[:, 0]] == groups[edges[:, 1]]
    total = triangles_at(graph)
    closed[:, 0] = triangles_at(graph.subgraph_edges(np.flatnonzero(within), False))
    closed[:, 3] = triangles_at(graph.subgraph_edges(np.flatnonzero(~within), False))
    across = edges[~within]
    doubled = igraph.Graph(n=2 * n)
    doubled.add_edges(
        list(zip(across[:, 0].tolist(), (across[:, 1] + n).tolist(), strict=True))
        + list(zip(across[:, 1].tolist(), (across[:, 0] + n).tolist(), strict=True))
        + list(zip((edges[:, 0] + n).tolist(), (edges[:, 1] + n).tolist(), strict=True))
    )
    both_out = triangles_at(doubled)[:n]
    closed[:, 2] = both_out - closed[:, 3]
    closed[:, 1] = total - closed[:, 0] - both_out
    return closed


def open_pairs(
    graph: igraph.Graph, groups: np.ndarray | list[int], triangles: np.ndarray | None = None
) -> np.ndarray:
    """(vertex, kind) → open pairs of its neighbours (A and C not tied), kinds as in
    :func:`_closed_pairs`. ``groups`` gives each vertex's group as an integer; the
    ``triangles`` may be given when several groupings are counted on one graph."""
    groups = np.asarray(groups, dtype=np.int64)
    n = graph.vcount()
    totals = np.zeros((n, 4), dtype=np.int64)
    if n == 0 or graph.ecount() == 0:
        return totals
    edges = np.array(graph.get_edgelist(), dtype=np.int64)
    source = np.concatenate([edges[:, 0], edges[:, 1]])
    target = np.concatenate([edges[:, 1], edges[:, 0]])
    degree = np.bincount(source, minlength=n)
    same = np.bincount(source[groups[target] == groups[source]], minlength=n)
    other = degree - same
    # neighbours of each vertex in each group: pairs within one other group are itinerant
    width = int(groups.max()) + 1
    keys, counts = np.unique(source * width + groups[target], return_counts=True)
    vertex, group = keys // width, keys % width
    outside = group != groups[vertex]
    within_other = np.bincount(vertex[outside], weights=_pairs(counts[outside]), minlength=n)
    within_other = within_other.astype(np.int64)
    totals[:, 0] = _pairs(same)
    totals[:, 1] = same * other
    totals[:, 2] = within_other
    totals[:, 3] = _pairs(other) - within_other
    return totals - _closed_pairs(graph, groups, triangles)


def brokerage(
    graph: igraph.Graph, groups: np.ndarray | list[int], triangles: np.ndarray | None = None
) -> np.ndarray:
    """(vertex, role) → open two-paths through the vertex in that role, in the order of
    :data:`ROLES`, both orientations of every open pair counted (see the module docstring)."""
    pairs = open_pairs(graph, groups, triangles)
    counts = np.zeros((graph.vcount(), len(ROLES)), dtype=np.int64)
    counts[:, COORDINATOR] = 2 * pairs[:, 0]
    counts[:, GATEKEEPER] = pairs[:, 1]
    counts[:, REPRESENTATIVE] = pairs[:, 1]
    counts[:, ITINERANT] = 2 * pairs[:, 2]
    counts[:, LIAISON] = 2 * pairs[:, 3]
    return counts


def as_mapping(row: np.ndarray | list[int]) -> dict[str, int]:
    """One vertex's counts as role → count."""
    return {role: int(count) for role, count in zip(ROLES, row, strict=True)}


def bridged(
    graph: igraph.Graph, in_region: np.ndarray | list[bool], triangles: np.ndarray | None = None
) -> np.ndarray:
    """(vertex, 0) → how many of its partners outside the region it links to at least one
    of its partners in the region they are not tied to; (vertex, 1) → how many of its
    partners in the region it so links to at least one partner outside. The people behind
    the gatekeeper and representative counts, for the pages' sentences ("links 12 partners
    outside the region to 5 of its members")."""
    region = np.asarray(in_region, dtype=bool)
    n = graph.vcount()
    linked = np.zeros((n, 2), dtype=np.int64)
    if n == 0 or graph.ecount() == 0:
        return linked
    edges = np.array(graph.get_edgelist(), dtype=np.int64)
    source = np.concatenate([edges[:, 0], edges[:, 1]])
    target = np.concatenate([edges[:, 1], edges[:, 0]])
    inside = np.bincount(source[region[target]], minlength=n)
    outside = np.bincount(source[~region[target]], minlength=n)
    if triangles is None:
        triangles = triangles_of(graph)
    for side, (own, across, mine, theirs) in enumerate(
        ((~region, region, outside, inside), (region, ~region, inside, outside))
    ):
        # per (broker, partner on this side): its tied partners across, in triangles
        keys = [np.zeros(0, dtype=np.int64)]
        for b, a, c in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
            broker, left, right = triangles[:, b], triangles[:, a], triangles[:, c]
            keys.append((broker * n + left)[own[left] & across[right]])
            keys.append((broker * n + right)[own[right] & across[left]])
        pairs, tied = np.unique(np.concatenate(keys), return_counts=True)
        broker = pairs // n
        closed_off = np.bincount(broker[tied == theirs[broker]], minlength=n)
        linked[:, side] = np.where(theirs > 0, mine - closed_off, 0)
    return linked
