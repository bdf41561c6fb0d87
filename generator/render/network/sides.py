"""Which of the two actor columns each actor goes to, and where in it (the column layout's first step).

Actors linked by membership edges (a minister, the ministry, the state) stay
on one side when they fit; a group too big for one side is cut where it
loses fewest links. Within a column, actors are sorted by the barycentre of
the meetings they attended (the classical crossing-reduction heuristic),
smoothed over their linked peers.
"""

from __future__ import annotations

import heapq
import math

from .inputs import Graph

_SMOOTHING_ROUNDS = 3


def _find(parent: dict[int, int], item: int) -> int:
    """Union-find root of ``item`` (with path halving)."""
    while parent[item] != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item


def _actor_components(graph: Graph, actors: list[int]) -> list[list[int]]:
    """Groups of actors linked by actor-actor edges, largest first."""
    parent = {actor: actor for actor in actors}
    for first, second in graph.edges:
        if first in parent and second in parent:
            root_a, root_b = _find(parent, first), _find(parent, second)
            if root_a != root_b:
                parent[max(root_a, root_b)] = min(root_a, root_b)
    groups: dict[int, list[int]] = {}
    for actor in actors:
        groups.setdefault(_find(parent, actor), []).append(actor)
    return sorted(groups.values(), key=lambda group: (-len(group), group[0]))


def _growth_order(graph: Graph, group: list[int]) -> list[int]:
    """Order in which a connected group is grown from its best-connected member.

    The next member is always the one with the best ``2 * links inside - links``
    score, so tightly knit sub-groups (a state, its ministries and ministers)
    come out together and a cut after any prefix separates few links.
    """
    members = set(group)
    degree = {item: sum(1 for other in graph.adj[item] if other in members) for item in group}
    inside = dict.fromkeys(group, 0)
    start = min(group, key=lambda item: (-degree[item], item))
    heap: list[tuple[int, int]] = [(-degree[start], start)]
    order: list[int] = []
    taken: set[int] = set()
    while heap:
        _score, item = heapq.heappop(heap)
        if item in taken:
            continue
        taken.add(item)
        order.append(item)
        for other in graph.adj[item]:
            if other in members and other not in taken:
                inside[other] += 1
                heapq.heappush(heap, (degree[other] - 2 * inside[other], other))
    return order


def _best_cut(graph: Graph, order: list[int], low: int, high: int, imbalance: int) -> int:
    """Prefix length in [low, high] of a growth order cutting the fewest links, then most balanced.

    ``imbalance`` is (small side - big side - group size) before the split, so
    taking ``k`` members gives an imbalance of ``imbalance + 2k``.
    """
    members = set(order)
    placed: set[int] = set()
    cut, best = 0, (math.inf, math.inf, low)
    for length, item in enumerate(order, start=1):
        links = [other for other in graph.adj[item] if other in members]
        cut += len(links) - 2 * sum(1 for other in links if other in placed)
        placed.add(item)
        if low <= length <= high:
            best = min(best, (cut, abs(imbalance + 2 * length), length))
    return int(best[2])


def split_sides(graph: Graph, actors: list[int]) -> tuple[list[int], list[int]]:
    """Split actors in two columns (at most ~60 % on one side), keeping linked groups together.

    Groups of actors linked by membership edges go whole to the lighter column
    when they fit; a group too big for that is cut where it loses fewest links.
    """
    capacity = max((len(actors) + 1) // 2, (3 * len(actors) + 4) // 5)
    left: list[int] = []
    right: list[int] = []
    for group in _actor_components(graph, actors):
        small, big = (left, right) if len(left) <= len(right) else (right, left)
        if len(small) + len(group) <= capacity:
            small.extend(group)
        elif len(big) + len(group) <= capacity:
            big.extend(group)
        else:
            order = _growth_order(graph, group)
            low = max(1, len(group) - (capacity - len(big)))
            high = min(len(group) - 1, capacity - len(small))
            cut = _best_cut(graph, order, low, high, len(small) - len(big) - len(group))
            small.extend(order[:cut])
            big.extend(order[cut:])
    return left, right


def actor_keys(graph: Graph, actors: list[int], rank: dict[int, int]) -> dict[int, float | None]:
    """Sort key of each actor in [0, 1]: mean rank of its meetings, smoothed over its peers."""
    span = max(len(rank) - 1, 1)
    base: dict[int, float | None] = {}
    for actor in actors:
        ranks = [rank[other] / span for other in graph.adj[actor] if other in rank]
        base[actor] = sum(ranks) / len(ranks) if ranks else None
    key = dict(base)
    for _ in range(_SMOOTHING_ROUNDS):
        following: dict[int, float | None] = {}
        for actor in actors:
            peers = [peer for other in graph.adj[actor] if other not in rank and (peer := key[other]) is not None]
            own = base[actor]
            if not peers:
                following[actor] = own if own is not None else key[actor]
            else:
                mean = sum(peers) / len(peers)
                following[actor] = mean if own is None else 0.75 * own + 0.25 * mean
        key = following
    return key
