"""What a layout hands to the drawer: positioned shapes, in px, and the type sizes they were measured with.

A layout (:mod:`.columns`, :mod:`.rings`) turns a :class:`~.inputs.Graph` into a
:class:`Scene`: one shape per node (a :class:`Marker`, possibly labelled, or a
meeting :class:`Card`) and every edge as a line or a cubic curve. The drawer
(:mod:`.svg`) only turns these into SVG elements; it takes no layout decision.
"""

from __future__ import annotations

from dataclasses import dataclass

# Type sizes and spacing shared by the layouts (which measure text) and the drawer (which sets it), px.
MARGIN = 16.0
FONT = 12.0
LINE_H = 14.0
CARD_FONT = 11.0
CARD_LINE_H = 13.5
CARD_SUB_FONT = 10.0
CARD_SUB_H = 13.0
CARD_PAD = 7.0

EDGE_KINDS = ("attend", "member", "sequence")
"""Edge kinds of the column layout, in legend order; the legend names them under the keys ``edge_KIND``."""

Point = tuple[float, float]


@dataclass(frozen=True)
class Label:
    """Visible text beside a marker, one ``<tspan>`` a line."""

    x: float
    """Where the lines are anchored horizontally."""
    y: float
    """Baseline of the first line; the next ones follow every :data:`LINE_H`."""
    anchor: str
    """``start`` (text to the right of ``x``) or ``end`` (to its left)."""
    lines: tuple[str, ...]
    """The wrapped, ellipsised lines (at least one)."""


@dataclass(frozen=True)
class Marker:
    """A node drawn as the symbol of its kind (circle, square, diamond, small card)."""

    kind: str
    """The node kind, which chooses the symbol and its colour."""
    x: float
    """Centre of the symbol."""
    y: float
    """Centre of the symbol."""
    scale: float
    """Size of the symbol (1 in the column layout)."""
    label: Label | None = None
    """Visible label, if the layout shows one."""


@dataclass(frozen=True)
class Card:
    """A meeting drawn as a rounded box holding its wrapped title and a date line."""

    x: float
    """Left edge."""
    top: float
    """Top edge."""
    width: float
    """Width of the box."""
    height: float
    """Height of the box, sized for its lines."""
    lines: tuple[str, ...]
    """The title's lines, set in :data:`CARD_FONT` every :data:`CARD_LINE_H` from :data:`CARD_PAD`."""
    subtitle: str | None
    """The date line under the title (:data:`CARD_SUB_FONT`), if any."""


@dataclass(frozen=True)
class Edge:
    """One edge: a straight line (two points) or a cubic Bézier curve (start, two controls, end)."""

    kind: str
    """``attend``, ``member``, ``sequence`` (column layout) or ``line`` (ring layout): its line style."""
    points: tuple[Point, ...]
    """Two points for a line, four for a curve."""


@dataclass(frozen=True)
class Scene:
    """A laid-out network, ready to draw below the legend."""

    width: float
    """Width of the drawing."""
    height: float
    """Height of the drawing without the legend."""
    shapes: tuple[Marker | Card, ...]
    """One shape per node, in the order of :attr:`.inputs.Graph.nodes`."""
    edges: tuple[Edge, ...]
    """Every edge, in the order of :attr:`.inputs.Graph.edges`."""
