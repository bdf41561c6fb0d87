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

Two layouts, both deterministic (nodes are sorted by id, ties broken by id,
coordinates rounded to 0.1) and linear or ``n log n`` in the size of the graph:

``columns`` (up to :data:`COLUMNS_MAX_NODES` nodes)
    The meetings form a chronological column in the middle (ordered by id, so
    ids should begin with the date), each drawn as a card holding its wrapped
    title and its ``title`` line (the date).  Actors are split into a left and
    a right column, keeping groups linked by membership edges on the same
    side, ordered by the barycentre of the meetings they attended (the
    classical crossing-reduction heuristic) and placed as close as possible to
    the height of those meetings (isotonic regression, so rows never overlap).
    Labels are horizontal, outside the columns, wrapped on two lines and
    ellipsised; the full text is in each node's ``<title>``.

``rings`` (larger graphs)
    Meetings on an inner circle, actors on concentric rings around it ordered
    by the mean angle of their meetings; no visible labels (tooltips only).
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

__all__ = ["COLUMNS_MAX_NODES", "EDGE_KINDS", "KINDS", "NetNode", "render_network_svg"]

KINDS = ("person", "organisation", "state", "meeting")
"""Known node kinds, in legend order."""
_KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}

COLUMNS_MAX_NODES = 150
"""Above this many nodes (or :data:`_COLUMNS_MAX_MEETINGS` meetings) the ring layout is used."""
_COLUMNS_MAX_MEETINGS = 40

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

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ID_PREFIX = "net-"

# Geometry of the column layout (px).
_MARGIN = 16.0
_FONT = 12.0
_LINE_H = 14.0
_LABEL_W = 180.0
_LABEL_GAP = 11.0
_ROW_MIN = 24.0
_ROW_PAD = 9.0
_EDGE_GAP = 130.0
_CARD_W = 236.0
_CARD_FONT = 11.0
_CARD_LINE_H = 13.5
_CARD_SUB_FONT = 10.0
_CARD_SUB_H = 13.0
_CARD_PAD = 7.0
_CARD_GAP = 16.0
_LEGEND_ROW = 22.0
_SMOOTHING_ROUNDS = 3

# Geometry of the ring layout (px).
_RING_PITCH = 9.0
_RING_STEP = 12.0
_RING_FIRST_GAP = 70.0
_RING_MIN_INNER = 60.0

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
_DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
_MAX_DISPLAY_CHARS = 300


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
class _Graph:
    """The cleaned-up input: unique nodes sorted by id, unique undirected edges."""

    nodes: tuple[NetNode, ...]
    adj: tuple[tuple[int, ...], ...]
    edges: tuple[tuple[int, int], ...]


@dataclass
class _Layout:
    """Where everything goes; indices are positions in :attr:`_Graph.nodes`."""

    mode: str
    width: float = 0.0
    height: float = 0.0
    pos: dict[int, tuple[float, float]] = field(default_factory=dict)
    side: dict[int, int] = field(default_factory=dict)
    lines: dict[int, list[str]] = field(default_factory=dict)
    rows: dict[int, float] = field(default_factory=dict)
    cards: dict[int, tuple[float, float, float, float]] = field(default_factory=dict)
    subtitles: dict[int, str] = field(default_factory=dict)
    meeting_rank: dict[int, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- text


def _xml_text(value: str) -> str:
    """Replace the characters XML 1.0 forbids (controls, lone surrogates) by U+FFFD."""
    return _INVALID_XML.sub("\ufffd", value)


def _one_line(value: str) -> str:
    """Normalise a display string: legal XML characters, whitespace collapsed."""
    return _SPACES.sub(" ", _xml_text(value)).strip()


def _esc(value: str) -> str:
    """Escape a string for XML text or a double- or single-quoted attribute."""
    return escape(_xml_text(value), {'"': "&quot;", "'": "&#x27;"})


def _fmt(value: float) -> str:
    """Format a coordinate rounded to one decimal, without a useless ``.0``."""
    text = f"{round(value, 1) + 0.0:.1f}"
    if text == "-0.0":
        return "0"
    return text[:-2] if text.endswith(".0") else text


def _safe_href(href: str | None) -> str | None:
    """Return ``href`` unless it is empty or uses a scriptable scheme."""
    if not href:
        return None
    squeezed = re.sub(r"[\x00-\x20]", "", href).lower()
    if not squeezed or squeezed.startswith(_DANGEROUS_SCHEMES):
        return None
    return href


def _char_width(char: str) -> float:
    """Rough advance width of a character in em for a generic sans-serif font."""
    if char in " iljtfrI.,;:'!|()[]":
        return 0.33
    if char in "mwMW@%…—":
        return 0.9
    if ord(char) >= 0x2E80:
        return 1.0
    if char.isupper():
        return 0.7
    if char.isdigit():
        return 0.62
    return 0.58


def _text_width(text: str, size: float) -> float:
    """Estimated width of ``text`` in px at font size ``size`` (errs on the wide side)."""
    return sum(_char_width(char) for char in text) * size


def _fit(text: str, max_width: float, size: float, *, force_ellipsis: bool = False) -> str:
    """Cut ``text`` so that it fits ``max_width``, ending it with an ellipsis if cut."""
    if not force_ellipsis and _text_width(text, size) <= max_width:
        return text
    budget = max_width - _char_width("…") * size
    used, end = 0.0, 0
    for end, char in enumerate(text):
        used += _char_width(char) * size
        if used > budget:
            break
    else:
        end = len(text)
    return text[:end].rstrip(" ,;:-–—") + "…"


_CLOSING = frozenset("»”)]!?;:.,…")
_OPENING = frozenset("«“([")


def _words(text: str) -> list[str]:
    """The units a line may break between: words, with a lone closing mark (``»``, ``:``)
    kept with the word before it and a lone opening mark (``«``) with the word after it."""
    words: list[str] = []
    pending = ""
    for word in text.split(" "):
        if pending:
            word, pending = f"{pending} {word}", ""
        if words and set(word) <= _CLOSING:
            words[-1] = f"{words[-1]} {word}"
        elif set(word) <= _OPENING:
            pending = word
        else:
            words.append(word)
    if pending and words:
        words[-1] = f"{words[-1]} {pending}"
    elif pending:
        words.append(pending)
    return words


def _wrap(text: str, max_width: float, size: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines, ellipsising what is left over."""
    text = _one_line(text)[:_MAX_DISPLAY_CHARS]
    if not text:
        return []
    space = _char_width(" ") * size
    lines: list[str] = []
    current, width = "", 0.0
    for word in _words(text):
        word_width = _text_width(word, size)
        if current and width + space + word_width <= max_width:
            current, width = f"{current} {word}", width + space + word_width
            continue
        if current:
            lines.append(current)
        current, width = word, word_width
    lines.append(current)
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        kept[-1] = _fit(kept[-1], max_width, size, force_ellipsis=True)
        lines = kept
    return [_fit(line, max_width, size) for line in lines]


# --------------------------------------------------------------------------- graph


def _node_key(node: NetNode) -> tuple[str, str, str, bool, str]:
    """Total order used to pick one node among duplicates of an id."""
    return (node.label, node.kind, node.href or "", node.href is None, node.title)


def _prepare(nodes: Sequence[NetNode], edges: Sequence[tuple[str, str]]) -> _Graph:
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
    return _Graph(ordered, tuple(tuple(sorted(item)) for item in adjacency), edge_list)


def _find(parent: dict[int, int], item: int) -> int:
    """Union-find root of ``item`` (with path halving)."""
    while parent[item] != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item


def _actor_components(graph: _Graph, actors: list[int]) -> list[list[int]]:
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


def _growth_order(graph: _Graph, group: list[int]) -> list[int]:
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


def _best_cut(graph: _Graph, order: list[int], low: int, high: int, imbalance: int) -> int:
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


def _split_sides(graph: _Graph, actors: list[int]) -> tuple[list[int], list[int]]:
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


def _actor_keys(graph: _Graph, actors: list[int], rank: dict[int, int]) -> dict[int, float | None]:
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
            peers = [key[other] for other in graph.adj[actor] if other not in rank and key[other] is not None]
            own = base[actor]
            if not peers:
                following[actor] = own if own is not None else key[actor]
            else:
                mean = sum(peers) / len(peers)  # type: ignore[arg-type]
                following[actor] = mean if own is None else 0.75 * own + 0.25 * mean
        key = following
    return key


def _order_actors(graph: _Graph, side: list[int], key: Mapping[int, float | None]) -> list[int]:
    """Barycentric order of one column; actors without meetings last, isolated ones at the end."""
    nodes = graph.nodes
    return sorted(
        side,
        key=lambda item: (
            key[item] is None,
            key[item] or 0.0,
            not graph.adj[item],
            _KIND_RANK.get(nodes[item].kind, len(KINDS)),
            nodes[item].id,
        ),
    )


# --------------------------------------------------------------------------- column layout


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


def _size_cards(graph: _Graph, layout: _Layout, meetings: list[int]) -> float:
    """Wrap meeting titles and compute card heights; return the natural column height."""
    max_lines = _card_lines(len(meetings))
    inner = _CARD_W - 2 * _CARD_PAD
    natural = 0.0
    for meeting in meetings:
        node = graph.nodes[meeting]
        layout.lines[meeting] = _wrap(node.label, inner, _CARD_FONT, max_lines) or ["?"]
        subtitle = _wrap(node.title, inner, _CARD_SUB_FONT, 1)
        height = 2 * _CARD_PAD + _CARD_LINE_H * len(layout.lines[meeting])
        if subtitle:
            layout.subtitles[meeting] = subtitle[0]
            height += _CARD_SUB_H
        layout.cards[meeting] = (0.0, 0.0, _CARD_W, height)
        natural += height + _CARD_GAP
    return natural


def _place_cards(layout: _Layout, meetings: list[int], x: float, total: float) -> None:
    """Stack the meeting cards in the middle column, evenly spread over ``total``."""
    if not meetings:
        return
    heights = sum(layout.cards[meeting][3] for meeting in meetings)
    gap = (total - heights) / len(meetings)
    top = gap / 2
    for meeting in meetings:
        height = layout.cards[meeting][3]
        layout.cards[meeting] = (x, top, _CARD_W, height)
        layout.pos[meeting] = (x + _CARD_W / 2, top + height / 2)
        top += height + gap


def _size_rows(graph: _Graph, layout: _Layout, actors: list[int]) -> float:
    """Wrap actor labels, compute row heights; return the natural column height."""
    total = 0.0
    for actor in actors:
        layout.lines[actor] = _wrap(graph.nodes[actor].label, _LABEL_W, _FONT, 2)
        layout.rows[actor] = max(_ROW_MIN, _LINE_H * len(layout.lines[actor]) + _ROW_PAD)
        total += layout.rows[actor]
    return total


def _place_column(graph: _Graph, layout: _Layout, column: list[int], x: float, total: float) -> None:
    """Place one actor column: each row near the mean height of its meetings (or peers)."""
    first: dict[int, float | None] = {}
    for actor in column:
        ys = [layout.pos[other][1] for other in graph.adj[actor] if other in layout.cards]
        first[actor] = sum(ys) / len(ys) if ys else None
    desired: list[float | None] = []
    for actor in column:
        if first[actor] is None:
            ys = [first[other] for other in graph.adj[actor] if first.get(other) is not None]
            desired.append(sum(ys) / len(ys) if ys else None)  # type: ignore[arg-type]
        else:
            desired.append(first[actor])
    heights = [layout.rows[actor] for actor in column]
    for actor, y in zip(column, _spread(desired, heights, total)):
        layout.pos[actor] = (x, y)


def _columns_layout(graph: _Graph) -> _Layout:
    """Meetings as a chronological column of cards, actors in two columns around it."""
    layout = _Layout("columns")
    meetings = [index for index, node in enumerate(graph.nodes) if node.kind == "meeting"]
    actors = [index for index, node in enumerate(graph.nodes) if node.kind != "meeting"]
    layout.meeting_rank = {meeting: rank for rank, meeting in enumerate(meetings)}
    left, right = _split_sides(graph, actors)
    keys = _actor_keys(graph, actors, layout.meeting_rank)
    left, right = _order_actors(graph, left, keys), _order_actors(graph, right, keys)
    card_w = _CARD_W if meetings else 0.0
    gap = _EDGE_GAP if meetings else _EDGE_GAP * 0.85
    left_x = _MARGIN + _LABEL_W + _LABEL_GAP
    card_x = left_x + gap
    right_x = card_x + card_w + gap
    total = max(
        _size_cards(graph, layout, meetings),
        _size_rows(graph, layout, left),
        _size_rows(graph, layout, right),
        _ROW_MIN,
    )
    _place_cards(layout, meetings, card_x, total)
    _place_column(graph, layout, left, left_x, total)
    _place_column(graph, layout, right, right_x, total)
    layout.side = {**{actor: -1 for actor in left}, **{actor: 1 for actor in right}}
    layout.width = right_x + _LABEL_GAP + _LABEL_W + _MARGIN
    layout.height = total
    return layout


# --------------------------------------------------------------------------- ring layout


def _circular_keys(graph: _Graph, actors: list[int], angle: Mapping[int, float]) -> dict[int, float | None]:
    """Mean angle (in [0, 2π)) of each actor's meetings, else of its keyed peers, else None."""
    keys: dict[int, float | None] = {}
    for actor in actors:
        angles = [angle[other] for other in graph.adj[actor] if other in angle]
        keys[actor] = _mean_angle(angles)
    for actor in actors:
        if keys[actor] is None:
            peers = [keys[other] for other in graph.adj[actor] if keys.get(other) is not None]
            keys[actor] = _mean_angle(peers)  # type: ignore[arg-type]
    return keys


def _mean_angle(angles: list[float]) -> float | None:
    """Circular mean of angles, normalised to [0, 2π); None for an empty list."""
    if not angles:
        return None
    mean = math.atan2(sum(map(math.sin, angles)), sum(map(math.cos, angles)))
    return round(mean % math.tau, 9) % math.tau


def _rings_layout(graph: _Graph) -> _Layout:
    """Meetings on an inner circle, actors on as many outer rings as needed."""
    layout = _Layout("rings")
    meetings = [index for index, node in enumerate(graph.nodes) if node.kind == "meeting"]
    actors = [index for index, node in enumerate(graph.nodes) if node.kind != "meeting"]
    layout.meeting_rank = {meeting: rank for rank, meeting in enumerate(meetings)}
    inner = max(_RING_MIN_INNER, len(meetings) * _RING_PITCH / math.tau)
    angle = {meeting: math.tau * rank / max(len(meetings), 1) for rank, meeting in enumerate(meetings)}
    keys = _circular_keys(graph, actors, angle)
    ordered = _order_actors(graph, actors, keys)
    first = inner + _RING_FIRST_GAP
    per_ring = max(1, int(math.tau * first / _RING_PITCH))
    rings = max(1, math.ceil(len(ordered) / per_ring))
    outer = first + (rings - 1) * _RING_STEP
    centre = outer + _MARGIN + 8
    for meeting, theta in angle.items():
        layout.pos[meeting] = _polar(centre, inner, theta)
    counts = [len(range(ring, len(ordered), rings)) for ring in range(rings)]
    for position, actor in enumerate(ordered):
        ring, slot = position % rings, position // rings
        theta = math.tau * slot / counts[ring]
        layout.pos[actor] = _polar(centre, first + ring * _RING_STEP, theta)
    layout.width = layout.height = 2 * centre
    return layout


def _polar(centre: float, radius: float, theta: float) -> tuple[float, float]:
    """Point at angle ``theta`` (0 = top, clockwise) on a circle around (centre, centre)."""
    return (centre + radius * math.sin(theta), centre - radius * math.cos(theta))


# --------------------------------------------------------------------------- drawing


def _colour(kind: str) -> str:
    """Fill colour of a node kind."""
    return COLOURS.get(kind, OTHER_COLOUR)


def _shape(kind: str, x: float, y: float, scale: float = 1.0) -> str:
    """The marker of a node kind centred on (x, y)."""
    fill = _colour(kind)
    stroke = f'stroke="{BACKGROUND}" stroke-width="{_fmt(1.5 * scale)}"'
    if kind == "person":
        return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(6.5 * scale)}" fill="{fill}" {stroke}/>'
    if kind == "organisation":
        side = 12.5 * scale
        return (
            f'<rect x="{_fmt(x - side / 2)}" y="{_fmt(y - side / 2)}" width="{_fmt(side)}" '
            f'height="{_fmt(side)}" rx="{_fmt(2.5 * scale)}" fill="{fill}" {stroke}/>'
        )
    if kind == "state":
        r = 8.5 * scale
        points = " ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in ((x, y - r), (x + r, y), (x, y + r), (x - r, y)))
        return f'<polygon points="{points}" fill="{fill}" {stroke}/>'
    if kind == "meeting":
        width, height = 16.0 * scale, 11.0 * scale
        return (
            f'<rect x="{_fmt(x - width / 2)}" y="{_fmt(y - height / 2)}" width="{_fmt(width)}" '
            f'height="{_fmt(height)}" rx="{_fmt(3 * scale)}" fill="{MEETING_FILL}" '
            f'stroke="{fill}" stroke-width="{_fmt(1.5 * scale)}"/>'
        )
    return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(5.5 * scale)}" fill="{fill}" {stroke}/>'


EDGE_KINDS = ("attend", "member", "sequence")
"""Edge kinds of the column layout, in legend order; the legend names them under the keys ``edge_KIND``."""


def _legend_entries(legend: Mapping[str, str], edge_kinds: Collection[str] = ()) -> list[tuple[str, str]]:
    """Legend (key, label) pairs: known node kinds first, the other kinds by name, then the edges drawn."""
    kinds = sorted((k for k in legend if k != "edges" and not k.startswith("edge_")),
                   key=lambda k: (_KIND_RANK.get(k, len(KINDS)), k))
    kinds += [f"edge_{kind}" for kind in EDGE_KINDS if kind in edge_kinds and f"edge_{kind}" in legend]
    return [(kind, _one_line(str(legend[kind]))) for kind in kinds]


def _legend_symbol(key: str, x: float, y: float) -> str:
    """A node marker, or for ``edge_KIND`` a short line drawn like that kind of edge."""
    if key.startswith("edge_"):
        return f'<path d="M{_fmt(x - 8)} {_fmt(y)}h18" fill="none" {_EDGE_STYLES[key[5:]]}/>'
    return _shape(key, x, y)


def _legend(legend: Mapping[str, str], width: float, edge_kinds: Collection[str] = ()) -> tuple[list[str], float]:
    """Draw the legend rows at the top; return the elements and the height they take."""
    parts = [f'<g id="{ID_PREFIX}legend" font-size="{_fmt(_FONT)}" fill="{TEXT}">']
    x, y, edges = _MARGIN, _MARGIN + _LEGEND_ROW / 2, False
    for key, label in _legend_entries(legend, edge_kinds):
        text = _fit(label, width - 2 * _MARGIN - 26, _FONT)
        item = 26 + _text_width(text, _FONT) + 18
        first_edge, edges = key.startswith("edge_") and not edges, edges or key.startswith("edge_")
        if x > _MARGIN and (x + item > width - _MARGIN or first_edge):  # the edges start their own row
            x, y = _MARGIN, y + _LEGEND_ROW
        parts.append(_legend_symbol(key, x + 8, y))
        parts.append(f'<text x="{_fmt(x + 22)}" y="{_fmt(y + 0.36 * _FONT)}">{_esc(text)}</text>')
        x += item
    parts.append("</g>")
    if len(parts) == 2:
        return [], _MARGIN
    return parts, y + _LEGEND_ROW / 2 + _MARGIN / 2


def _ports(graph: _Graph, layout: _Layout) -> dict[tuple[int, int], float]:
    """Attachment height on the card edge of each actor-meeting edge, spread by actor height."""
    incoming: dict[tuple[int, int], list[int]] = {}
    for first, second in graph.edges:
        for meeting, actor in ((first, second), (second, first)):
            if meeting in layout.cards and actor in layout.side:
                incoming.setdefault((meeting, layout.side[actor]), []).append(actor)
    ports: dict[tuple[int, int], float] = {}
    for (meeting, _side), actors in incoming.items():
        _x, top, _w, height = layout.cards[meeting]
        actors.sort(key=lambda actor: (layout.pos[actor][1], actor))
        step = (height - 8) / (len(actors) + 1)
        for position, actor in enumerate(actors):
            ports[(meeting, actor)] = top + 4 + step * (position + 1)
    return ports


def _column_edge(layout: _Layout, first: int, second: int, ports: Mapping[tuple[int, int], float]) -> tuple[str, str]:
    """Path data and class (``attend``, ``member``, ``sequence``) of one column-layout edge."""
    if first in layout.cards and second in layout.cards:
        return _sequence_edge(layout, first, second), "sequence"
    if first in layout.cards or second in layout.cards:
        meeting, actor = (first, second) if first in layout.cards else (second, first)
        x, _top, width, _height = layout.cards[meeting]
        ax, ay = layout.pos[actor]
        side = layout.side[actor]
        start, end = ax - side * 8, x if side < 0 else x + width
        y, bend = ports[(meeting, actor)], (end - start) * 0.5
        return f"M{_fmt(start)} {_fmt(ay)}C{_fmt(start + bend)} {_fmt(ay)} {_fmt(end - bend)} {_fmt(y)} {_fmt(end)} {_fmt(y)}", "attend"
    (x1, y1), (x2, y2) = layout.pos[first], layout.pos[second]
    if layout.side[first] == layout.side[second]:
        inward = -layout.side[first] * min(_EDGE_GAP * 0.35, 16 + abs(y2 - y1) * 0.15)
        x1, x2 = x1 + inward * 0.4, x2 + inward * 0.4
        return f"M{_fmt(x1)} {_fmt(y1)}C{_fmt(x1 + inward)} {_fmt(y1)} {_fmt(x2 + inward)} {_fmt(y2)} {_fmt(x2)} {_fmt(y2)}", "member"
    middle = (x1 + x2) / 2
    return f"M{_fmt(x1)} {_fmt(y1)}C{_fmt(middle)} {_fmt(y1)} {_fmt(middle)} {_fmt(y2)} {_fmt(x2)} {_fmt(y2)}", "member"


def _sequence_edge(layout: _Layout, first: int, second: int) -> str:
    """Meeting-to-meeting edge: a connector between adjacent cards, else an arc on the left."""
    if layout.meeting_rank[first] > layout.meeting_rank[second]:
        first, second = second, first
    x1, top1, width, height1 = layout.cards[first]
    _x2, top2, _w2, height2 = layout.cards[second]
    if layout.meeting_rank[second] - layout.meeting_rank[first] == 1:
        centre = x1 + width / 2
        return f"M{_fmt(centre)} {_fmt(top1 + height1)}L{_fmt(centre)} {_fmt(top2)}"
    span = layout.meeting_rank[second] - layout.meeting_rank[first]
    bulge = min(_EDGE_GAP * 0.6, 14 + 6 * span)
    y1, y2 = top1 + height1 / 2, top2 + height2 / 2
    return f"M{_fmt(x1)} {_fmt(y1)}C{_fmt(x1 - bulge)} {_fmt(y1)} {_fmt(x1 - bulge)} {_fmt(y2)} {_fmt(x1)} {_fmt(y2)}"


_EDGE_STYLES = {
    "attend": f'stroke="{EDGE_COLOUR}" stroke-width="1.1"',
    "member": f'stroke="{MEMBER_EDGE_COLOUR}" stroke-width="1.1" stroke-dasharray="4 3"',
    "sequence": f'stroke="{COLOURS["meeting"]}" stroke-width="1.5" stroke-dasharray="2 3"',
    "line": f'stroke="{EDGE_COLOUR}" stroke-width="0.6" stroke-opacity="0.5"',
}


def _edges(graph: _Graph, layout: _Layout) -> tuple[list[str], set[str]]:
    """All edges, one ``<path>`` per edge class (bundled sub-paths keep the output small), and the classes drawn."""
    data: dict[str, list[str]] = {name: [] for name in _EDGE_STYLES}
    if layout.mode == "columns":
        ports = _ports(graph, layout)
        for first, second in graph.edges:
            path, kind = _column_edge(layout, first, second, ports)
            data[kind].append(path)
    else:
        for first, second in graph.edges:
            (x1, y1), (x2, y2) = layout.pos[first], layout.pos[second]
            data["line"].append(f"M{_fmt(x1)} {_fmt(y1)}L{_fmt(x2)} {_fmt(y2)}")
    parts = [f'<g id="{ID_PREFIX}edges" fill="none">']
    for kind, paths in data.items():
        if paths:
            parts.append(f'<path d="{"".join(paths)}" {_EDGE_STYLES[kind]}/>')
    parts.append("</g>")
    return parts, {kind for kind, paths in data.items() if paths}


def _label_text(layout: _Layout, index: int) -> str:
    """The visible, wrapped label of an actor, outside its column."""
    lines = layout.lines.get(index, [])
    if not lines:
        return ""
    x, y = layout.pos[index]
    side = layout.side[index]
    anchor = "end" if side < 0 else "start"
    tx = x + side * _LABEL_GAP
    first = y - (len(lines) - 1) * _LINE_H / 2 + 0.36 * _FONT
    spans = "".join(
        f'<tspan x="{_fmt(tx)}" y="{_fmt(first + row * _LINE_H)}">{_esc(line)}</tspan>'
        for row, line in enumerate(lines)
    )
    return f'<text text-anchor="{anchor}" fill="{TEXT}">{spans}</text>'


def _card(layout: _Layout, index: int) -> str:
    """A meeting card: rounded box, wrapped title, date line."""
    x, top, width, height = layout.cards[index]
    centre = x + width / 2
    parts = [
        f'<rect x="{_fmt(x)}" y="{_fmt(top)}" width="{_fmt(width)}" height="{_fmt(height)}" rx="6" '
        f'fill="{MEETING_FILL}" stroke="{COLOURS["meeting"]}" stroke-width="1.5"/>'
    ]
    baseline = top + _CARD_PAD + 0.85 * _CARD_FONT
    spans = "".join(
        f'<tspan x="{_fmt(centre)}" y="{_fmt(baseline + row * _CARD_LINE_H)}">{_esc(line)}</tspan>'
        for row, line in enumerate(layout.lines[index])
    )
    parts.append(f'<text text-anchor="middle" font-size="{_fmt(_CARD_FONT)}" fill="{TEXT}">{spans}</text>')
    if index in layout.subtitles:
        y = baseline + len(layout.lines[index]) * _CARD_LINE_H + 1
        parts.append(
            f'<text x="{_fmt(centre)}" y="{_fmt(y)}" text-anchor="middle" font-size="{_fmt(_CARD_SUB_FONT)}" '
            f'fill="{MUTED}">{_esc(layout.subtitles[index])}</text>'
        )
    return "".join(parts)


def _node(graph: _Graph, layout: _Layout, index: int, element_id: str) -> str:
    """One node: its tooltip, marker (or card) and label, wrapped in a link if it has one."""
    node = graph.nodes[index]
    label, extra = _one_line(node.label), _one_line(node.title)
    tooltip = f"{label} — {extra}" if label and extra else label or extra or node.id
    if index in layout.cards:
        body = _card(layout, index)
    else:
        x, y = layout.pos[index]
        scale = 1.0 if layout.mode == "columns" else 0.55
        body = _shape(node.kind, x, y, scale) + (_label_text(layout, index) if layout.mode == "columns" else "")
    href = _safe_href(node.href)
    if href is None:
        return f'<g id="{element_id}"><title>{_esc(tooltip)}</title>{body}</g>'
    link = _esc(href)
    return f'<a id="{element_id}" href="{link}" xlink:href="{link}"><title>{_esc(tooltip)}</title>{body}</a>'


def _element_ids(graph: _Graph) -> list[str]:
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


def _description(graph: _Graph, legend: Mapping[str, str]) -> str:
    """The ``<desc>`` text: node count per kind (legend labels) and edge count."""
    counts: dict[str, int] = {}
    for node in graph.nodes:
        counts[node.kind] = counts.get(node.kind, 0) + 1
    kinds = sorted(counts, key=lambda kind: (_KIND_RANK.get(kind, len(KINDS)), kind))
    parts = [f"{_one_line(str(legend.get(kind, kind)))} : {counts[kind]}" for kind in kinds]
    parts.append(f"{_one_line(str(legend.get('edges', 'liens')))} : {len(graph.edges)}")
    return " ; ".join(parts)


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
    graph = _prepare(nodes, edges)
    meetings = sum(1 for node in graph.nodes if node.kind == "meeting")
    small = len(graph.nodes) <= COLUMNS_MAX_NODES and meetings <= _COLUMNS_MAX_MEETINGS
    layout = _columns_layout(graph) if small else _rings_layout(graph)
    edge_parts, edge_kinds = _edges(graph, layout)
    legend_parts, legend_height = _legend(legend, layout.width, edge_kinds)
    width, height = layout.width, layout.height + legend_height + _MARGIN
    size = f'width="{_fmt(width)}" height="{_fmt(height)}" viewBox="0 0 {_fmt(width)} {_fmt(height)}"'
    # An image role hides its children: with links inside, the figure is a group of links.
    role = "group" if any(_safe_href(node.href) for node in graph.nodes) else "img"
    out = [
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" version="1.1" {size} role="{role}" '
        f'aria-labelledby="{ID_PREFIX}title" aria-describedby="{ID_PREFIX}desc" '
        f'font-family="sans-serif" font-size="{_fmt(_FONT)}">',
        f'<title id="{ID_PREFIX}title">{_esc(_one_line(title))}</title>',
        f'<desc id="{ID_PREFIX}desc">{_esc(_description(graph, legend))}</desc>',
        f'<rect width="{_fmt(width)}" height="{_fmt(height)}" fill="{BACKGROUND}"/>',
        *legend_parts,
        f'<g transform="translate(0,{_fmt(legend_height)})">',
        *edge_parts,
        f'<g id="{ID_PREFIX}nodes">',
    ]
    for index, element_id in enumerate(_element_ids(graph)):
        out.append(_node(graph, layout, index, element_id))
    out.extend(["</g>", "</g>", "</svg>"])
    return "\n".join(out) + "\n"
