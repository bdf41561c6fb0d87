"""The network's input and its clean-up: nodes, deduplicated and sorted, and undirected edges.

Everything downstream refers to a node by its position in :attr:`Graph.nodes`,
which is sorted (by ``order`` then id), so the output depends only on the
*set* of nodes and edges given, never on their order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

KINDS = ("person", "organisation", "state", "meeting")
"""Known node kinds, in legend order."""
_KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}


def kind_rank(kind: str) -> int:
    """Position of a node kind in :data:`KINDS`; unknown kinds come after the known ones."""
    return _KIND_RANK.get(kind, len(KINDS))


@dataclass(frozen=True)
class NetNode:
    """One node of the network: an actor (person, organisation, state) or a meeting."""

    id: str
    """Entity id, unique in the graph (duplicates: the smallest node wins)."""
    label: str
    """Display name, any Unicode; escaped on output."""
    kind: str
    """``person``, ``organisation``, ``state`` or ``meeting`` (others drawn grey)."""
    href: str | None
    """Relative URL of the entity page, or ``None``."""
    title: str = ""
    """Tooltip / accessible description, e.g. ``"Réunion, 16–17 sept. 2023"``."""
    order: str = ""
    """Sort key before the id (e.g. a meeting's ISO date, so meetings read in time order)."""


@dataclass(frozen=True)
class Graph:
    """The cleaned-up input: unique nodes sorted by id, unique undirected edges."""

    nodes: tuple[NetNode, ...]
    """The nodes, one per id, sorted by ``(order, id)``."""
    adj: tuple[tuple[int, ...], ...]
    """Neighbours of each node (positions in :attr:`nodes`), sorted."""
    edges: tuple[tuple[int, int], ...]
    """Each edge once, as ``(smaller, larger)`` positions, sorted."""

    def of_kind(self, meeting: bool) -> list[int]:
        """Positions of the meetings (``meeting=True``) or of the actors (everything else)."""
        return [index for index, node in enumerate(self.nodes) if (node.kind == "meeting") == meeting]


def _node_key(node: NetNode) -> tuple[str, str, str, bool, str]:
    """Total order used to pick one node among duplicates of an id."""
    return (node.label, node.kind, node.href or "", node.href is None, node.title)


def prepare(nodes: Sequence[NetNode], edges: Sequence[tuple[str, str]]) -> Graph:
    """Deduplicate and sort nodes and edges; drop self-loops and dangling edges."""
    best: dict[str, NetNode] = {}
    for node in nodes:
        current = best.get(node.id)
        if current is None or _node_key(node) < _node_key(current):
            best[node.id] = node
    ordered = tuple(sorted(best.values(), key=lambda node: (node.order, node.id)))
    index = {node.id: position for position, node in enumerate(ordered)}
    pairs: set[tuple[int, int]] = set()
    for edge in edges:
        if len(edge) != 2:
            continue
        first, second = index.get(edge[0]), index.get(edge[1])
        if first is None or second is None or first == second:
            continue
        pairs.add((min(first, second), max(first, second)))
    edge_list = tuple(sorted(pairs))
    adjacency: list[list[int]] = [[] for _ in ordered]
    for first, second in edge_list:
        adjacency[first].append(second)
        adjacency[second].append(first)
    return Graph(ordered, tuple(tuple(sorted(item)) for item in adjacency), edge_list)


def order_actors(graph: Graph, actors: list[int], key: Mapping[int, float | None]) -> list[int]:
    """Actors sorted by ``key`` (a barycentre); those without a key last, isolated ones at the end."""
    nodes = graph.nodes
    return sorted(
        actors,
        key=lambda item: (
            key[item] is None,
            key[item] or 0.0,
            not graph.adj[item],
            kind_rank(nodes[item].kind),
            nodes[item].id,
        ),
    )
