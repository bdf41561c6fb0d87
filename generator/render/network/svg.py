"""Drawing a laid-out network (a :class:`~.scene.Scene`) as SVG 1.1 elements.

Presentation attributes only (no CSS, filters or scripts) so that the same
string renders in browsers and in Typst (usvg). The drawer takes no layout
decision: it draws the shapes where the scene puts them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from .inputs import Graph, kind_rank
from .scene import (
    CARD_FONT,
    CARD_LINE_H,
    CARD_PAD,
    CARD_SUB_FONT,
    EDGE_KINDS,
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
from .svg_text import esc, fit, fmt, one_line, text_width

# Palette: every node colour has a contrast >= 4.5:1 with the white background,
# the text colours >= 7:1 with the background and with the meeting card fill.
BACKGROUND = "#ffffff"
TEXT = "#1b1b1b"
MUTED = "#4a4a4a"
COLOURS = {"person": "#1f5fa8", "organisation": "#a14c00", "state": "#2b7a3b", "meeting": "#6b3fa0"}
OTHER_COLOUR = "#5f5f5f"
MEETING_FILL = "#f3eefa"
EDGE_COLOUR = "#8f8f8f"
MEMBER_EDGE_COLOUR = "#a66a3c"

ID_PREFIX = "net-"
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
_DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
_LEGEND_ROW = 22.0

EDGE_STYLES = {
    "attend": f'stroke="{EDGE_COLOUR}" stroke-width="1.1"',
    "member": f'stroke="{MEMBER_EDGE_COLOUR}" stroke-width="1.1" stroke-dasharray="4 3"',
    "sequence": f'stroke="{COLOURS["meeting"]}" stroke-width="1.5" stroke-dasharray="2 3"',
    "line": f'stroke="{EDGE_COLOUR}" stroke-width="0.6" stroke-opacity="0.5"',
}
"""Stroke of each edge kind (and order in which the kinds are drawn)."""


def safe_href(href: str | None) -> str | None:
    """Return ``href`` unless it is empty or uses a scriptable scheme."""
    if not href:
        return None
    squeezed = re.sub(r"[\x00-\x20]", "", href).lower()
    if not squeezed or squeezed.startswith(_DANGEROUS_SCHEMES):
        return None
    return href


def _symbol(kind: str, x: float, y: float, scale: float = 1.0) -> str:
    """The marker of a node kind centred on (x, y)."""
    fill = COLOURS.get(kind, OTHER_COLOUR)
    stroke = f'stroke="{BACKGROUND}" stroke-width="{fmt(1.5 * scale)}"'
    if kind == "person":
        return f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(6.5 * scale)}" fill="{fill}" {stroke}/>'
    if kind == "organisation":
        side = 12.5 * scale
        return (
            f'<rect x="{fmt(x - side / 2)}" y="{fmt(y - side / 2)}" width="{fmt(side)}" '
            f'height="{fmt(side)}" rx="{fmt(2.5 * scale)}" fill="{fill}" {stroke}/>'
        )
    if kind == "state":
        r = 8.5 * scale
        points = " ".join(f"{fmt(px)},{fmt(py)}" for px, py in ((x, y - r), (x + r, y), (x, y + r), (x - r, y)))
        return f'<polygon points="{points}" fill="{fill}" {stroke}/>'
    if kind == "meeting":
        width, height = 16.0 * scale, 11.0 * scale
        return (
            f'<rect x="{fmt(x - width / 2)}" y="{fmt(y - height / 2)}" width="{fmt(width)}" '
            f'height="{fmt(height)}" rx="{fmt(3 * scale)}" fill="{MEETING_FILL}" '
            f'stroke="{fill}" stroke-width="{fmt(1.5 * scale)}"/>'
        )
    return f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(5.5 * scale)}" fill="{fill}" {stroke}/>'


def _legend_entries(legend: Mapping[str, str], edge_kinds: Collection[str] = ()) -> list[tuple[str, str]]:
    """Legend (key, label) pairs: known node kinds first, the other kinds by name, then the edges drawn."""
    kinds = sorted((k for k in legend if k != "edges" and not k.startswith("edge_")), key=lambda k: (kind_rank(k), k))
    kinds += [f"edge_{kind}" for kind in EDGE_KINDS if kind in edge_kinds and f"edge_{kind}" in legend]
    return [(kind, one_line(str(legend[kind]))) for kind in kinds]


def _legend_symbol(key: str, x: float, y: float) -> str:
    """A node marker, or for ``edge_KIND`` a short line drawn like that kind of edge."""
    if key.startswith("edge_"):
        return f'<path d="M{fmt(x - 8)} {fmt(y)}h18" fill="none" {EDGE_STYLES[key[5:]]}/>'
    return _symbol(key, x, y)


def legend_rows(legend: Mapping[str, str], width: float, edge_kinds: Collection[str] = ()) -> tuple[list[str], float]:
    """Draw the legend rows at the top; return the elements and the height they take."""
    parts = [f'<g id="{ID_PREFIX}legend" font-size="{fmt(FONT)}" fill="{TEXT}">']
    x, y, edges = MARGIN, MARGIN + _LEGEND_ROW / 2, False
    for key, label in _legend_entries(legend, edge_kinds):
        text = fit(label, width - 2 * MARGIN - 26, FONT)
        item = 26 + text_width(text, FONT) + 18
        first_edge, edges = key.startswith("edge_") and not edges, edges or key.startswith("edge_")
        if x > MARGIN and (x + item > width - MARGIN or first_edge):  # the edges start their own row
            x, y = MARGIN, y + _LEGEND_ROW
        parts.append(_legend_symbol(key, x + 8, y))
        parts.append(f'<text x="{fmt(x + 22)}" y="{fmt(y + 0.36 * FONT)}">{esc(text)}</text>')
        x += item
    parts.append("</g>")
    if len(parts) == 2:
        return [], MARGIN
    return parts, y + _LEGEND_ROW / 2 + MARGIN / 2


def _path_data(points: tuple[Point, ...]) -> str:
    """``M`` to the first point, then ``L`` to the second (a line) or ``C`` through the other three (a curve)."""
    (x, y), *rest = points
    command = "L" if len(rest) == 1 else "C"
    return f"M{fmt(x)} {fmt(y)}{command}" + " ".join(f"{fmt(px)} {fmt(py)}" for px, py in rest)


def edge_group(edges: Collection[Edge]) -> list[str]:
    """All edges, one ``<path>`` per edge kind (bundled sub-paths keep the output small)."""
    data: dict[str, list[str]] = {kind: [] for kind in EDGE_STYLES}
    for edge in edges:
        data[edge.kind].append(_path_data(edge.points))
    parts = [f'<g id="{ID_PREFIX}edges" fill="none">']
    parts += [f'<path d="{"".join(paths)}" {EDGE_STYLES[kind]}/>' for kind, paths in data.items() if paths]
    parts.append("</g>")
    return parts


def _label(label: Label | None) -> str:
    """The visible lines of a marker's label."""
    if label is None:
        return ""
    spans = "".join(
        f'<tspan x="{fmt(label.x)}" y="{fmt(label.y + row * LINE_H)}">{esc(line)}</tspan>'
        for row, line in enumerate(label.lines)
    )
    return f'<text text-anchor="{label.anchor}" fill="{TEXT}">{spans}</text>'


def _card(card: Card) -> str:
    """A meeting card: rounded box, wrapped title, date line."""
    centre = card.x + card.width / 2
    parts = [
        (
            f'<rect x="{fmt(card.x)}" y="{fmt(card.top)}" width="{fmt(card.width)}" height="{fmt(card.height)}" '
            f'rx="6" fill="{MEETING_FILL}" stroke="{COLOURS["meeting"]}" stroke-width="1.5"/>'
        )
    ]
    baseline = card.top + CARD_PAD + 0.85 * CARD_FONT
    spans = "".join(
        f'<tspan x="{fmt(centre)}" y="{fmt(baseline + row * CARD_LINE_H)}">{esc(line)}</tspan>'
        for row, line in enumerate(card.lines)
    )
    parts.append(f'<text text-anchor="middle" font-size="{fmt(CARD_FONT)}" fill="{TEXT}">{spans}</text>')
    if card.subtitle is not None:
        y = baseline + len(card.lines) * CARD_LINE_H + 1
        parts.append(
            f'<text x="{fmt(centre)}" y="{fmt(y)}" text-anchor="middle" font-size="{fmt(CARD_SUB_FONT)}" '
            f'fill="{MUTED}">{esc(card.subtitle)}</text>'
        )
    return "".join(parts)


def _shape(shape: Marker | Card) -> str:
    """A card, or a marker and its label."""
    if isinstance(shape, Card):
        return _card(shape)
    return _symbol(shape.kind, shape.x, shape.y, shape.scale) + _label(shape.label)


def _node(graph: Graph, scene: Scene, index: int, element_id: str) -> str:
    """One node: its tooltip, shape and label, wrapped in a link if it has one."""
    node = graph.nodes[index]
    label, extra = one_line(node.label), one_line(node.title)
    tooltip = f"{label} — {extra}" if label and extra else label or extra or node.id
    body = _shape(scene.shapes[index])
    href = safe_href(node.href)
    if href is None:
        return f'<g id="{element_id}"><title>{esc(tooltip)}</title>{body}</g>'
    link = esc(href)
    return f'<a id="{element_id}" href="{link}" xlink:href="{link}"><title>{esc(tooltip)}</title>{body}</a>'


def _element_ids(graph: Graph) -> list[str]:
    """Unique, valid XML ids (``net-n-…``) for the nodes, derived from their entity ids."""
    used: set[str] = set()
    result = []
    for node in graph.nodes:
        base = f"{ID_PREFIX}n-{_ID_UNSAFE.sub('_', node.id)[:80]}"
        candidate, suffix = base, 1
        while candidate in used:
            suffix += 1
            candidate = f"{base}-{suffix}"
        used.add(candidate)
        result.append(candidate)
    return result


def node_group(graph: Graph, scene: Scene) -> list[str]:
    """Every node, in graph order, in one group."""
    nodes = [_node(graph, scene, index, element_id) for index, element_id in enumerate(_element_ids(graph))]
    return [f'<g id="{ID_PREFIX}nodes">', *nodes, "</g>"]


def description(graph: Graph, legend: Mapping[str, str]) -> str:
    """The ``<desc>`` text: node count per kind (legend labels) and edge count."""
    counts: dict[str, int] = {}
    for node in graph.nodes:
        counts[node.kind] = counts.get(node.kind, 0) + 1
    kinds = sorted(counts, key=lambda kind: (kind_rank(kind), kind))
    parts = [f"{one_line(str(legend.get(kind, kind)))} : {counts[kind]}" for kind in kinds]
    parts.append(f"{one_line(str(legend.get('edges', 'liens')))} : {len(graph.edges)}")
    return " ; ".join(parts)
