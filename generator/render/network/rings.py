"""The ring layout, for graphs too big for columns: meetings on an inner circle, actors on rings around it.

Actors are ordered by the mean angle of their meetings (else of their linked
peers), so an actor sits near what it is linked to. Nodes are small markers
without visible labels (their names are in the tooltips); edges are straight.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from .inputs import Graph, order_actors
from .scene import MARGIN, Edge, Marker, Point, Scene

_PITCH = 9.0
_STEP = 12.0
_FIRST_GAP = 70.0
_MIN_INNER = 60.0
_SCALE = 0.55


def _circular_keys(graph: Graph, actors: list[int], angle: Mapping[int, float]) -> dict[int, float | None]:
    """Mean angle (in [0, 2π)) of each actor's meetings, else of its keyed peers, else None."""
    keys: dict[int, float | None] = {}
    for actor in actors:
        angles = [angle[other] for other in graph.adj[actor] if other in angle]
        keys[actor] = _mean_angle(angles)
    for actor in actors:
        if keys[actor] is None:
            peers = [key for other in graph.adj[actor] if (key := keys.get(other)) is not None]
            keys[actor] = _mean_angle(peers)
    return keys


def _mean_angle(angles: list[float]) -> float | None:
    """Circular mean of angles, normalised to [0, 2π); None for an empty list."""
    if not angles:
        return None
    mean = math.atan2(sum(map(math.sin, angles)), sum(map(math.cos, angles)))
    return round(mean % math.tau, 9) % math.tau


def _polar(centre: float, radius: float, theta: float) -> Point:
    """Point at angle ``theta`` (0 = top, clockwise) on a circle around (centre, centre)."""
    return (centre + radius * math.sin(theta), centre - radius * math.cos(theta))


def _positions(graph: Graph) -> tuple[dict[int, Point], float]:
    """Centre of every node, and the side of the square drawing."""
    meetings, actors = graph.of_kind(meeting=True), graph.of_kind(meeting=False)
    inner = max(_MIN_INNER, len(meetings) * _PITCH / math.tau)
    angle = {meeting: math.tau * rank / max(len(meetings), 1) for rank, meeting in enumerate(meetings)}
    ordered = order_actors(graph, actors, _circular_keys(graph, actors, angle))
    first = inner + _FIRST_GAP
    per_ring = max(1, int(math.tau * first / _PITCH))
    rings = max(1, math.ceil(len(ordered) / per_ring))
    outer = first + (rings - 1) * _STEP
    centre = outer + MARGIN + 8
    pos = {meeting: _polar(centre, inner, theta) for meeting, theta in angle.items()}
    counts = [len(range(ring, len(ordered), rings)) for ring in range(rings)]
    for position, actor in enumerate(ordered):
        ring, slot = position % rings, position // rings
        theta = math.tau * slot / counts[ring]
        pos[actor] = _polar(centre, first + ring * _STEP, theta)
    return pos, 2 * centre


def rings_layout(graph: Graph) -> Scene:
    """The ring layout of ``graph`` as positioned shapes."""
    pos, side = _positions(graph)
    shapes = tuple(Marker(node.kind, *pos[index], _SCALE) for index, node in enumerate(graph.nodes))
    edges = tuple(Edge("line", (pos[first], pos[second])) for first, second in graph.edges)
    return Scene(side, side, shapes, edges)
