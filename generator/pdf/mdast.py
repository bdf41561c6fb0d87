"""Turn the small HTML that Python-Markdown makes of a text field into JSON blocks.

The PDF template never sees Markdown or HTML: it reads a tiny, closed AST from
``data.json`` and places every string in it as a *string value*, so nothing a
writer types can ever become Typst code. This module builds that AST::

    BLOCKS  = [ {"type": "para", "c": INLINES}
              | {"type": "list", "ordered": bool, "items": [BLOCKS]}
              | {"type": "quote", "c": BLOCKS} ]
    INLINES = [ {"t": "text", "v": str} | {"t": "em", "c": INLINES}
              | {"t": "strong", "c": INLINES} | {"t": "code", "v": str}
              | {"t": "link", "url": str, "c": INLINES}
              | {"t": "ref", "target": str, "c": INLINES} | {"t": "br"} ]

Handled tags: ``p em i strong b a ul ol li code br blockquote pre``;
``<a class="dossier-ref" data-target="ANCHOR">`` (an internal link) becomes a
``ref``, an ``<a href>`` to http(s) a ``link``. Any other tag is dropped but
its text is kept (a few block-like ones, such as headings, start a new
paragraph). White space is collapsed as a browser would, except in code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..render.text import Emphasis

__all__ = ["html_to_blocks", "paragraphs_to_blocks"]

Inline = dict
Block = dict

_VOID = frozenset({"br", "hr", "img", "input", "wbr", "meta", "link", "area", "col", "source"})
_EMPHASIS = {"em": "em", "i": "em", "strong": "strong", "b": "strong"}
_CODE = frozenset({"code", "kbd", "samp", "tt", "var"})
# Unknown tags that nonetheless separate paragraphs: their text is kept, in a paragraph of its own.
_BLOCKISH = frozenset(
    ["h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "article", "aside", "header", "footer", "nav", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "dl", "dt", "dd", "hr", "details", "summary", "address"]
)
_WHITE = " \t\n\r\f"  # HTML white space: a no-break space is not one of them
_SPACE = re.compile(f"[{_WHITE}]+")


@dataclass
class _Node:
    """An element of the parsed HTML: a tag, its attributes and its children."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """Builds a forgiving element tree (stray end tags are ignored, open ones closed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _parse(html: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _text_of(node: _Node | str) -> str:
    """All the text below *node*, as is (for code)."""
    if isinstance(node, str):
        return node
    return "".join(_text_of(child) for child in node.children)


# --------------------------------------------------------------------------- inlines


def _link(node: _Node) -> Inline | None:
    """A ``ref`` for an internal link, a ``link`` for http(s), else None (text only)."""
    classes = node.attrs.get("class", "").split()
    target = node.attrs.get("data-target", "")
    if "dossier-ref" in classes and target:
        return {"t": "ref", "target": target, "c": _inlines(node.children)}
    href = node.attrs.get("href", "")
    if href.lower().startswith(("http://", "https://")):
        return {"t": "link", "url": href, "c": _inlines(node.children)}
    return None


def _inline_node(node: _Node) -> list[Inline]:
    """The inlines one element stands for."""
    tag = node.tag
    if tag == "br":
        return [{"t": "br"}]
    if tag in _CODE:
        return [{"t": "code", "v": _text_of(node)}]
    if tag in _EMPHASIS:
        return [{"t": _EMPHASIS[tag], "c": _inlines(node.children)}]
    if tag == "a":
        link = _link(node)
        return [link] if link else _inlines(node.children)
    if tag == "img":
        alt = node.attrs.get("alt", "")
        return [{"t": "text", "v": alt}] if alt else []
    return _inlines(node.children)  # unknown: keep its text


def _inlines(children: list[_Node | str]) -> list[Inline]:
    """Inlines of a run of children, white space collapsed and text merged."""
    out: list[Inline] = []
    for child in children:
        if isinstance(child, str):
            items = [{"t": "text", "v": _SPACE.sub(" ", child)}]
        else:
            items = _inline_node(child)
        for item in items:
            if item["t"] == "text" and out and out[-1]["t"] == "text":
                out[-1] = {"t": "text", "v": _SPACE.sub(" ", out[-1]["v"] + item["v"])}
            elif not (item["t"] == "text" and item["v"] == ""):
                out.append(item)
    return out


def _strip_edge(inlines: list[Inline], first: bool) -> list[Inline]:
    """Remove the white space at the start (*first*) or end of a run of inlines."""
    if not inlines:
        return inlines
    index = 0 if first else len(inlines) - 1
    item = dict(inlines[index])
    if item["t"] == "text":
        item["v"] = item["v"].lstrip(_WHITE) if first else item["v"].rstrip(_WHITE)
        if not item["v"]:
            return _strip_edge(inlines[1:] if first else inlines[:-1], first)
    elif "c" in item:
        item["c"] = _strip_edge(item["c"], first)
    return inlines[:index] + [item] + inlines[index + 1 :]


def _collapse(inlines: list[Inline], after_space: bool) -> tuple[list[Inline], bool]:
    """Drop a space that follows another across element boundaries (``a <em> b</em>``)."""
    out: list[Inline] = []
    for item in inlines:
        item = dict(item)
        if item["t"] == "text":
            if after_space:
                item["v"] = item["v"].lstrip(" ")
            if not item["v"]:
                continue
            after_space = item["v"].endswith(" ")
        elif "c" in item:
            item["c"], after_space = _collapse(item["c"], after_space)
        else:
            after_space = item["t"] == "br"
        out.append(item)
    return out, after_space


def _trim(inlines: list[Inline]) -> list[Inline]:
    """Strip a paragraph's inlines at both ends and around line breaks."""
    pieces: list[list[Inline]] = [[]]
    for item in _collapse(inlines, True)[0]:
        if item["t"] == "br":
            pieces.append([])
        else:
            pieces[-1].append(item)
    stripped = [_strip_edge(_strip_edge(piece, True), False) for piece in pieces]
    out = stripped[0]
    for piece in stripped[1:]:
        out = out + [{"t": "br"}] + piece
    return out


# --------------------------------------------------------------------------- blocks


def _para(inlines: list[Inline]) -> list[Block]:
    """A paragraph, or nothing when it holds only white space."""
    trimmed = _trim(inlines)
    if not trimmed or all(i["t"] == "br" for i in trimmed):
        return []
    return [{"type": "para", "c": trimmed}]


def _list_items(node: _Node) -> list[list[Block]]:
    """The items of a ``ul``/``ol``; stray content between items becomes an item."""
    items: list[list[Block]] = []
    for child in node.children:
        if isinstance(child, _Node) and child.tag == "li":
            items.append(_blocks(child.children))
        else:
            stray = _blocks([child])
            if stray:
                items.append(stray)
    return items


def _block_node(node: _Node) -> list[Block] | None:
    """The blocks of a block-level element, or None when *node* is inline."""
    tag = node.tag
    if tag == "p":
        return _para(_inlines(node.children))
    if tag in ("ul", "ol"):
        return [{"type": "list", "ordered": tag == "ol", "items": _list_items(node)}]
    if tag == "blockquote":
        return [{"type": "quote", "c": _blocks(node.children)}]
    if tag == "pre":
        code = _text_of(node).strip("\n")
        return [{"type": "para", "c": [{"t": "code", "v": code}]}] if code.strip(_WHITE) else []
    if tag in _BLOCKISH or tag == "li":
        return _blocks(node.children)
    return None


def _blocks(children: list[_Node | str]) -> list[Block]:
    """Blocks of a run of children; loose inline content is gathered into paragraphs."""
    out: list[Block] = []
    pending: list[_Node | str] = []
    for child in children:
        blocks = None if isinstance(child, str) else _block_node(child)
        if blocks is None:
            pending.append(child)
            continue
        out += _para(_inlines(pending))
        pending = []
        out += blocks
    return out + _para(_inlines(pending))


def html_to_blocks(html: str) -> list[Block]:
    """Convert Python-Markdown's HTML for one text field into the template's BLOCKS.

    >>> html_to_blocks("<p>Un <em>mot</em>.</p>")
    [{'type': 'para', 'c': [{'t': 'text', 'v': 'Un '}, {'t': 'em', 'c': [{'t': 'text', 'v': 'mot'}]}, {'t': 'text', 'v': '.'}]}]
    """
    return _blocks(_parse(html or "").children)


def paragraphs_to_blocks(paragraphs: list[list[str | tuple[str, str] | Emphasis]]) -> list[Block]:
    """The BLOCKS of simple paragraphs given as plain strings, ``(anchor, label)`` internal links and emphasis.

    The same as :func:`html_to_blocks` of the paragraphs' HTML, built directly:
    such paragraphs (:meth:`~generator.render.text.TextRenderer.simple_paragraphs`)
    have no white space at either end, nor at either end of a link's label or
    of emphasised words, so collapsing runs of spaces is all that is left to do.
    """
    blocks: list[Block] = []
    for segments in paragraphs:
        inlines: list[Inline] = []
        for segment in segments:
            if isinstance(segment, str):
                if inlines and inlines[-1]["t"] == "text":
                    inlines[-1]["v"] = _SPACE.sub(" ", inlines[-1]["v"] + segment)
                elif segment:
                    inlines.append({"t": "text", "v": _SPACE.sub(" ", segment)})
            elif isinstance(segment, Emphasis):
                inlines.append({"t": segment.tag, "c": [{"t": "text", "v": _SPACE.sub(" ", segment.text)}]})
            else:
                inlines.append({"t": "ref", "target": segment[0], "c": [{"t": "text", "v": _SPACE.sub(" ", segment[1])}]})
        if inlines:
            blocks.append({"type": "para", "c": inlines})
    return blocks
