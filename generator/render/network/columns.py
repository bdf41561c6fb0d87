"""The column layout: meetings as a chronological column of cards, actors in two columns around it.

The meetings form a column in the middle (in graph order, so by date), each
drawn as a card holding its wrapped title and its date line. Actors are split
into a left and a right column (:mod:`.sides`) and each row is placed as close
as possible to the height of the meetings it is linked to (isotonic
regression, so rows never overlap). Labels are horizontal, outside the
columns, wrapped on two lines and ellipsised.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .inputs import Graph, order_actors
from .scene import (
    CARD_FONT,
    CARD_LINE_H,
    CARD_PAD,
    CARD_SUB_FONT,
    CARD_SUB_H,
    FONT,
    LINE_H,
    MARGIN,
    Card,
    Edge,
    Label,
    Marker,
    Point,
    Scene,
)
from .sides import actor_keys, split_sides
from .svg_text import wrap

_LABEL_W = 180.0
_LABEL_GAP = 11.0
_ROW_MIN = 24.0
_ROW_PAD = 9.0
_EDGE_GAP = 130.0
_CARD_W = 236.0
_CARD_GAP = 16.0


@dataclass
class ColumnPlan:
    """The column layout while it is worked out; indices are positions in :attr:`.inputs.Graph.nodes`."""

    width: float = 0.0
    """Width of the drawing."""
    height: float = 0.0
    """Height of the tallest column, which all columns share."""
    pos: dict[int, Point] = field(default_factory=dict)
    """Centre of each node's marker or card."""
    side: dict[int, int] = field(default_factory=dict)
    """Column of each actor: -1 left, 1 right."""
    lines: dict[int, list[str]] = field(default_factory=dict)
    """Wrapped label of each actor, wrapped title of each meeting."""
    rows: dict[int, float] = field(default_factory=dict)
    """Height of each actor's row."""
    cards: dict[int, tuple[float, float, float, float]] = field(default_factory=dict)
    """``(x, top, width, height)`` of each meeting card."""
    subtitles: dict[int, str] = field(default_factory=dict)
    """Date line of each meeting card that has one."""
    meeting_rank: dict[int, int] = field(default_factory=dict)
    """Position of each meeting in the middle column."""


def _isotonic(values: list[float], weights: list[float]) -> list[float]:
    """Weighted least-squares non-decreasing fit (pool adjacent violators), O(n)."""
    blocks: list[tuple[float, float, int]] = []
    for value, weight in zip(values, weights):
        blocks.append((value, weight, 1))
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            value_b, weight_b, count_b = blocks.pop()
            value_a, weight_a, count_a = blocks.pop()
            total = weight_a + weight_b
            blocks.append(((value_a * weight_a + value_b * weight_b) / total, total, count_a + count_b))
    fitted: list[float] = []
    for value, _weight, count in blocks:
        fitted.extend([value] * count)
    return fitted


def _spread(desired: list[float | None], heights: list[float], total: float) -> list[float]:
    """Row centres as close as possible to ``desired``, in order, without overlap, within ``total``."""
    offsets, targets, weights = [], [], []
    offset, previous = 0.0, heights[0] / 2 if heights else 0.0
    for position, height in enumerate(heights):
        if position:
            offset += (heights[position - 1] + height) / 2
            previous += (heights[position - 1] + height) / 2
        wish = desired[position]
        if wish is not None:
            previous = wish
        offsets.append(offset)
        targets.append(previous - offset)
        weights.append(1.0 if wish is not None else 0.05)
    fitted = _isotonic(targets, weights)
    low = heights[0] / 2 if heights else 0.0
    high = total - heights[-1] / 2 - offsets[-1] if heights else 0.0
    return [min(max(value, low), max(low, high)) + shift for value, shift in zip(fitted, offsets)]


def _card_lines(count: int) -> int:
    """How many lines of its title a meeting card shows, given the number of meetings."""
    return 3 if count <= 8 else 2 if count <= 16 else 1


def _size_cards(graph: Graph, plan: ColumnPlan, meetings: list[int]) -> float:
    """Wrap meeting titles and compute card heights; return the natural column height."""
    max_lines = _card_lines(len(meetings))
    inner = _CARD_W - 2 * CARD_PAD
    natural = 0.0
    for meeting in meetings:
        node = graph.nodes[meeting]
        plan.lines[meeting] = wrap(node.label, inner, CARD_FONT, max_lines) or ["?"]
        subtitle = wrap(node.title, inner, CARD_SUB_FONT, 1)
        height = 2 * CARD_PAD + CARD_LINE_H * len(plan.lines[meeting])
        if subtitle:
            plan.subtitles[meeting] = subtitle[0]
            height += CARD_SUB_H
        plan.cards[meeting] = (0.0, 0.0, _CARD_W, height)
        natural += height + _CARD_GAP
    return natural


def _place_cards(plan: ColumnPlan, meetings: list[int], x: float, total: float) -> None:
    """Stack the meeting cards in the middle column, evenly spread over ``total``."""
    if not meetings:
        return
    heights = sum(plan.cards[meeting][3] for meeting in meetings)
    gap = (total - heights) / len(meetings)
    top = gap / 2
    for meeting in meetings:
        height = plan.cards[meeting][3]
        plan.cards[meeting] = (x, top, _CARD_W, height)
        plan.pos[meeting] = (x + _CARD_W / 2, top + height / 2)
        top += height + gap


def _size_rows(graph: Graph, plan: ColumnPlan, actors: list[int]) -> float:
    """Wrap actor labels, compute row heights; return the natural column height."""
    total = 0.0
    for actor in actors:
        plan.lines[actor] = wrap(graph.nodes[actor].label, _LABEL_W, FONT, 2)
        plan.rows[actor] = max(_ROW_MIN, LINE_H * len(plan.lines[actor]) + _ROW_PAD)
        total += plan.rows[actor]
    return total


def _place_column(graph: Graph, plan: ColumnPlan, column: list[int], x: float, total: float) -> None:
    """Place one actor column: each row near the mean height of its meetings (or peers)."""
    first: dict[int, float | None] = {}
    for actor in column:
        ys = [plan.pos[other][1] for other in graph.adj[actor] if other in plan.cards]
        first[actor] = sum(ys) / len(ys) if ys else None
    desired: list[float | None] = []
    for actor in column:
        if first[actor] is None:
            peers = [y for other in graph.adj[actor] if (y := first.get(other)) is not None]
            desired.append(sum(peers) / len(peers) if peers else None)
        else:
            desired.append(first[actor])
    heights = [plan.rows[actor] for actor in column]
    for actor, y in zip(column, _spread(desired, heights, total)):
        plan.pos[actor] = (x, y)


def plan_columns(graph: Graph) -> ColumnPlan:
    """Work out the column layout: sides, order, card and row sizes, positions."""
    plan = ColumnPlan()
    meetings, actors = graph.of_kind(meeting=True), graph.of_kind(meeting=False)
    plan.meeting_rank = {meeting: rank for rank, meeting in enumerate(meetings)}
    left, right = split_sides(graph, actors)
    keys = actor_keys(graph, actors, plan.meeting_rank)
    left, right = order_actors(graph, left, keys), order_actors(graph, right, keys)
    card_w = _CARD_W if meetings else 0.0
    gap = _EDGE_GAP if meetings else _EDGE_GAP * 0.85
    left_x = MARGIN + _LABEL_W + _LABEL_GAP
    card_x = left_x + gap
    right_x = card_x + card_w + gap
    total = max(
        _size_cards(graph, plan, meetings),
        _size_rows(graph, plan, left),
        _size_rows(graph, plan, right),
        _ROW_MIN,
    )
    _place_cards(plan, meetings, card_x, total)
    _place_column(graph, plan, left, left_x, total)
    _place_column(graph, plan, right, right_x, total)
    plan.side = {**{actor: -1 for actor in left}, **{actor: 1 for actor in right}}
    plan.width = right_x + _LABEL_GAP + _LABEL_W + MARGIN
    plan.height = total
    return plan


def _ports(graph: Graph, plan: ColumnPlan) -> dict[tuple[int, int], float]:
    """Attachment height on the card edge of each actor-meeting edge, spread by actor height."""
    incoming: dict[tuple[int, int], list[int]] = {}
    for first, second in graph.edges:
        for meeting, actor in ((first, second), (second, first)):
            if meeting in plan.cards and actor in plan.side:
                incoming.setdefault((meeting, plan.side[actor]), []).append(actor)
    ports: dict[tuple[int, int], float] = {}
    for (meeting, _side), actors in incoming.items():
        _x, top, _w, height = plan.cards[meeting]
        actors.sort(key=lambda actor: (plan.pos[actor][1], actor))
        step = (height - 8) / (len(actors) + 1)
        for position, actor in enumerate(actors):
            ports[(meeting, actor)] = top + 4 + step * (position + 1)
    return ports


def _edge(plan: ColumnPlan, first: int, second: int, ports: Mapping[tuple[int, int], float]) -> Edge:
    """One edge: meeting to meeting, actor to meeting card, or actor to actor."""
    if first in plan.cards and second in plan.cards:
        return _sequence_edge(plan, first, second)
    if first in plan.cards or second in plan.cards:
        meeting, actor = (first, second) if first in plan.cards else (second, first)
        x, _top, width, _height = plan.cards[meeting]
        ax, ay = plan.pos[actor]
        side = plan.side[actor]
        start, end = ax - side * 8, x if side < 0 else x + width
        y, bend = ports[(meeting, actor)], (end - start) * 0.5
        return Edge("attend", ((start, ay), (start + bend, ay), (end - bend, y), (end, y)))
    (x1, y1), (x2, y2) = plan.pos[first], plan.pos[second]
    if plan.side[first] == plan.side[second]:
        inward = -plan.side[first] * min(_EDGE_GAP * 0.35, 16 + abs(y2 - y1) * 0.15)
        x1, x2 = x1 + inward * 0.4, x2 + inward * 0.4
        return Edge("member", ((x1, y1), (x1 + inward, y1), (x2 + inward, y2), (x2, y2)))
    middle = (x1 + x2) / 2
    return Edge("member", ((x1, y1), (middle, y1), (middle, y2), (x2, y2)))


def _sequence_edge(plan: ColumnPlan, first: int, second: int) -> Edge:
    """Meeting-to-meeting edge: a connector between adjacent cards, else an arc on the left."""
    if plan.meeting_rank[first] > plan.meeting_rank[second]:
        first, second = second, first
    x1, top1, width, height1 = plan.cards[first]
    _x2, top2, _w2, height2 = plan.cards[second]
    span = plan.meeting_rank[second] - plan.meeting_rank[first]
    if span == 1:
        centre = x1 + width / 2
        return Edge("sequence", ((centre, top1 + height1), (centre, top2)))
    bulge = min(_EDGE_GAP * 0.6, 14 + 6 * span)
    y1, y2 = top1 + height1 / 2, top2 + height2 / 2
    return Edge("sequence", ((x1, y1), (x1 - bulge, y1), (x1 - bulge, y2), (x1, y2)))


def _label(plan: ColumnPlan, actor: int) -> Label | None:
    """The visible label of an actor, outside its column, centred on its row."""
    lines = plan.lines.get(actor, [])
    if not lines:
        return None
    x, y = plan.pos[actor]
    side = plan.side[actor]
    first = y - (len(lines) - 1) * LINE_H / 2 + 0.36 * FONT
    return Label(x + side * _LABEL_GAP, first, "end" if side < 0 else "start", tuple(lines))


def _shape(graph: Graph, plan: ColumnPlan, index: int) -> Marker | Card:
    """A meeting's card, or an actor's labelled marker."""
    if index in plan.cards:
        x, top, width, height = plan.cards[index]
        return Card(x, top, width, height, tuple(plan.lines[index]), plan.subtitles.get(index))
    x, y = plan.pos[index]
    return Marker(graph.nodes[index].kind, x, y, 1.0, _label(plan, index))


def columns_layout(graph: Graph) -> Scene:
    """The column layout of ``graph`` as positioned shapes."""
    plan = plan_columns(graph)
    ports = _ports(graph, plan)
    shapes = tuple(_shape(graph, plan, index) for index in range(len(graph.nodes)))
    edges = tuple(_edge(plan, first, second, ports) for first, second in graph.edges)
    return Scene(plan.width, plan.height, shapes, edges)
