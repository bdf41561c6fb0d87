"""Static network diagram of a briefing dossier, as a standalone SVG 1.1 string.

The diagram shows the actors of a dossier (people, organisations, states) and
its meetings; an edge means "took part in", "is a member of / holds a role in"
or "follows" (meeting to meeting).  It is computed once, at build time, and the
same string is inlined in the HTML page and handed to Typst for the PDF, so it
must satisfy the smaller of the two renderers (usvg):

* plain SVG 1.1 with ``xmlns`` / ``xmlns:xlink``, explicit ``width``,
  ``height`` and ``viewBox``, no XML declaration (it is inlined in HTML);
* presentation attributes only: no CSS, no filters, no ``<foreignObject>``,
  no JavaScript, nothing loaded from elsewhere; ``font-family="sans-serif"``;
* a white background so that the WCAG contrast of the text does not depend on
  the page around it.

One module per concern, in the order they run:

* :mod:`.inputs`: the input (:class:`NetNode`) cleaned up into a sorted graph;
* :mod:`.svg_text`: estimated text widths, wrapping, XML-safe strings;
* :mod:`.columns` (with :mod:`.sides`) and :mod:`.rings`: the two layouts,
  each turning the graph into a :class:`~.scene.Scene` of positioned shapes;
* :mod:`.svg`: drawing a scene, its legend and its description.

Both layouts are deterministic (nodes are sorted by id, ties broken by id,
coordinates rounded to 0.1) and linear or ``n log n`` in the size of the graph:
the column layout up to :data:`COLUMNS_MAX_NODES` nodes and
:data:`COLUMNS_MAX_MEETINGS` meetings (labels visible), the ring layout above
(tooltips only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .columns import columns_layout
from .inputs import KINDS, Graph, NetNode, prepare
from .rings import rings_layout
from .scene import EDGE_KINDS, FONT, MARGIN, Scene
from .svg import (
    BACKGROUND,
    COLOURS,
    EDGE_COLOUR,
    ID_PREFIX,
    MEETING_FILL,
    MUTED,
    OTHER_COLOUR,
    TEXT,
    description,
    edge_group,
    legend_rows,
    node_group,
    safe_href,
)
from .svg_text import esc, fmt, one_line

__all__ = [
    "BACKGROUND", "COLOURS", "COLUMNS_MAX_MEETINGS", "COLUMNS_MAX_NODES", "EDGE_COLOUR", "EDGE_KINDS", "KINDS",
    "MEETING_FILL", "MUTED", "OTHER_COLOUR", "TEXT", "NetNode", "draw_network", "layout_key", "network_layout",
    "prepare", "render_network_svg",
]

COLUMNS_MAX_NODES = 150
"""Above this many nodes (or :data:`COLUMNS_MAX_MEETINGS` meetings) the ring layout is used."""
COLUMNS_MAX_MEETINGS = 40
"""Above this many meetings the ring layout is used."""

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"


def render_network_svg(
    nodes: Sequence[NetNode],
    edges: Sequence[tuple[str, str]],
    *,
    title: str,
    legend: Mapping[str, str],
) -> str:
    """Draw the dossier network as a standalone SVG 1.1 document (a string, no XML declaration).

    ``edges`` are undirected pairs of node ids; pairs naming an unknown id,
    self-loops and duplicates are dropped.  ``legend`` maps a node kind to its
    translated name (drawn as the legend, in :data:`KINDS` order); the optional
    key ``"edges"`` names the edges in the ``<desc>`` (default ``"liens"``), and
    the optional keys ``"edge_attend"``, ``"edge_member"`` and ``"edge_sequence"``
    explain the line styles of the column layout (drawn when such edges are).
    The output depends only on the *set* of nodes and edges, not on their order.
    """
    graph = prepare(nodes, edges)
    return draw_network(graph, network_layout(graph), title=title, legend=legend)


def _small(graph: Graph) -> bool:
    """Whether *graph* is drawn in columns (labels visible) rather than in rings."""
    meetings = len(graph.of_kind(meeting=True))
    return len(graph.nodes) <= COLUMNS_MAX_NODES and meetings <= COLUMNS_MAX_MEETINGS


def network_layout(graph: Graph) -> tuple[Scene, list[str]]:
    """*graph* laid out: its scene and its edges drawn (they depend on the scene alone)."""
    scene = columns_layout(graph) if _small(graph) else rings_layout(graph)
    return scene, edge_group(scene.edges)


def layout_key(graph: Graph) -> tuple | None:
    """All that :func:`network_layout` reads of *graph* when that is only its structure (the ring layout: each
    node's id and kind, in order, and the edges), or None when the labels count too (the column layout measures
    them: their widths place the columns and their wrapping sizes the cards)."""
    if _small(graph):
        return None
    return tuple((node.id, node.kind) for node in graph.nodes), graph.edges


def draw_network(graph: Graph, laid: tuple[Scene, list[str]], *, title: str, legend: Mapping[str, str]) -> str:
    """The SVG document of *graph* laid out as *laid* (:func:`network_layout`'s result for it)."""
    scene, edge_lines = laid
    legend_parts, legend_height = legend_rows(legend, scene.width, {edge.kind for edge in scene.edges})
    width, height = scene.width, scene.height + legend_height + MARGIN
    size = f'width="{fmt(width)}" height="{fmt(height)}" viewBox="0 0 {fmt(width)} {fmt(height)}"'
    # An image role hides its children: with links inside, the figure is a group of links.
    role = "group" if any(safe_href(node.href) for node in graph.nodes) else "img"
    out = [
        (
            f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" version="1.1" {size} role="{role}" '
            f'aria-labelledby="{ID_PREFIX}title" aria-describedby="{ID_PREFIX}desc" '
            f'font-family="sans-serif" font-size="{fmt(FONT)}">'
        ),
        f'<title id="{ID_PREFIX}title">{esc(one_line(title))}</title>',
        f'<desc id="{ID_PREFIX}desc">{esc(description(graph, legend))}</desc>',
        f'<rect width="{fmt(width)}" height="{fmt(height)}" fill="{BACKGROUND}"/>',
        *legend_parts,
        f'<g transform="translate(0,{fmt(legend_height)})">',
        *edge_lines,
        *node_group(graph, scene),
        "</g>",
        "</svg>",
    ]
    return "\n".join(out) + "\n"
