"""A generated page's Markdown as finished HTML, without a Markdown pass.

The render stage writes each page as ATX headings (``## Title``, their text
escaped by :func:`~generator.render.html.md_text`) and HTML blocks, one per
paragraph of the Markdown source. Converting that with Python-Markdown again
would only re-parse HTML that is already final. :func:`finished_html` turns it
into the same HTML that Python-Markdown's ``toc`` extension would give (ids
slugified and made unique the same way, the same permalinks) and the
headings as table-of-contents tokens, the shape ``md.toc_tokens`` has.

A page that is not in that simple form (a paragraph that is neither a heading
nor an HTML block) gives ``None``: the caller converts it with Markdown.
Pure functions: no I/O, nothing of MkDocs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown.extensions.toc import nest_toc_tokens, slugify, unique
from markdown.util import BLOCK_LEVEL_ELEMENTS

_HEADING = re.compile(r"(#{1,6})[ \t]+(.*?)[ \t]*")
_BLOCK_START = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)[\s/>]")
_MD_ESCAPE = re.compile(r"\\(.)")
_ID_PLAIN = re.compile(r'id="([^"]*)"')
_ID_IN_WORD = re.compile(r'id="(?<=\wid=")')  # an `id="` right after a word character (its literal first)
_BLOCK_TAGS = frozenset(BLOCK_LEVEL_ELEMENTS)


@dataclass(frozen=True)
class HeadingStyle:
    """How headings are marked up: the options of Python-Markdown's ``toc`` extension that matter here."""

    permalink: bool | str = False
    """A permalink after each heading's text: ``True`` for ``&para;``, or the link's text."""
    permalink_title: str = "Permanent link"
    """The permalink's ``title`` attribute (none when empty)."""
    permalink_class: str = "headerlink"
    """The permalink's class."""
    separator: str = "-"
    """Word separator of the ids."""
    slugify: Callable[[str, str], str] = slugify
    """Makes an id from a heading's text and the separator."""
    toc_top: int = 1
    """The highest heading level listed in the table of contents."""
    toc_bottom: int = 6
    """The lowest heading level listed in the table of contents."""


@dataclass(frozen=True)
class FinishedPage:
    """A page as MkDocs would have made it from its Markdown."""

    html: str
    """The page's content."""
    toc_tokens: list
    """Its headings, nested: ``{"level", "id", "name", "html", "data-toc-label", "children"}``."""
    ids: frozenset[str]
    """Every ``id`` on the page (links to the page's anchors are checked against them)."""


def finished_html(markdown: str, style: HeadingStyle) -> FinishedPage | None:
    """The page *markdown* as HTML with its headings, or None when it needs Markdown after all."""
    parts: list[str] = []
    tokens: list[dict] = []
    used: set[str] = set()
    counters: dict[str, int] = {}
    for chunk in markdown.split("\n\n"):
        chunk = chunk.strip("\n")
        if not chunk.strip():
            continue
        heading = _HEADING.fullmatch(chunk) if chunk.startswith("#") else None
        if heading is not None:
            parts.append(_heading(heading, style, used, counters, tokens))
        elif _is_html_block(chunk):
            parts.append(chunk + "\n")  # as Python-Markdown ends a raw HTML block
        else:
            return None
    content = "\n".join(parts).strip()  # as Markdown's output: byte for byte, not only to white space
    return FinishedPage(content, nest_toc_tokens(tokens), frozenset(attribute_ids(content)))


def attribute_ids(content: str) -> list[str]:
    """The values of *content*'s ``id="…"`` attributes: what ``re.findall(r'\\bid="([^"]*)"', content)`` gives,
    in the same order, without that regex's leading ``\\b``, which keeps ``re`` from searching for its literal
    start (the slowest step of a large page). Where no ``id="`` follows a word character (``data-id`` does not:
    ``\\b`` holds after ``-``), the plain pattern scans the same places; otherwise :func:`_ids_scanned`."""
    if _ID_IN_WORD.search(content) is None:
        return _ID_PLAIN.findall(content)
    return _ids_scanned(content)


def _ids_scanned(content: str) -> list[str]:
    """:func:`attribute_ids` place by place, as the regex scans: past an ``id="`` that follows a word character
    (no ``\\b``) by one character, past a match's closing quote."""
    found: list[str] = []
    start = 0
    while (at := content.find('id="', start)) >= 0:
        before = content[at - 1] if at else " "
        if before.isalnum() or before == "_":  # \w, as re has it for a str
            start = at + 1
            continue
        end = content.find('"', at + 4)
        if end < 0:  # no closing quote after this one, so none after any later `id="` either
            break
        found.append(content[at + 4:end])
        start = end + 1
    return found


def _is_html_block(chunk: str) -> bool:
    """Whether Python-Markdown would pass *chunk* through untouched: it opens with a block-level tag."""
    start = _BLOCK_START.match(chunk)
    return start is not None and start.group(1).lower() in _BLOCK_TAGS


def _heading(match: re.Match, style: HeadingStyle, used: set[str], counters: dict[str, int],
             tokens: list[dict]) -> str:
    """One heading as HTML, its token appended to *tokens*."""
    level, inner = len(match.group(1)), _MD_ESCAPE.sub(r"\1", match.group(2))
    name = " ".join(inner.split())
    id_ = unique(style.slugify(html.unescape(name), style.separator), used, counters)
    if style.toc_top <= level <= style.toc_bottom:
        tokens.append({"level": level, "id": id_, "name": name, "html": inner, "data-toc-label": ""})
    link = ""
    if style.permalink not in (False, None):
        text = "&para;" if style.permalink is True else html.escape(str(style.permalink), quote=False)
        title = f' title="{_attribute(style.permalink_title)}"' if style.permalink_title else ""
        link = f'<a class="{_attribute(style.permalink_class)}" href="#{_attribute(id_)}"{title}>{text}</a>'
    return f'<h{level} id="{_attribute(id_)}">{inner}{link}</h{level}>'


def _attribute(value: str) -> str:
    """*value* escaped as Python-Markdown's serializer escapes attribute values."""
    return html.escape(value, quote=False).replace('"', "&quot;").replace("\n", "&#10;")
