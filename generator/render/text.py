"""Markdown text fields to safe HTML, with ``[[id]]`` links resolved.

Most texts are simple (plain words, ``[[links]]``, emphasis) and are converted
here directly, to the very HTML Python-Markdown gives (tests hold the two
together). For the others, one Python-Markdown instance is built per dossier,
on the first such text, and reused (:mod:`.markdown_text`: building one costs
more than converting a paragraph). Raw HTML is not passed through: the
``html_block`` preprocessor and the ``html`` inline pattern are removed, so
``<script>`` in a text is shown as text. Only http(s) links stay links.
"""

from __future__ import annotations

import functools
import posixpath
import re
from typing import TYPE_CHECKING, NamedTuple

from ..core.model import LINK_RE
from .html import esc
from .link_target import SITE_PREFIX, Resolver, Target

if TYPE_CHECKING:
    import markdown


@functools.lru_cache(maxsize=1 << 16)
def relative_url(target: str, page: str) -> str:
    """*target* (a site-absolute address) as seen from the page at *page* (memoised: a page
    often links the same entity several times)."""
    base = page if page.endswith("/") else posixpath.dirname(page) + "/"
    path, _, fragment = target.partition("#")
    if not path:
        return "#" + fragment
    rel = _relpath(path, base.rstrip("/") or ".") if base.strip("/") else path
    if path.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel + ("#" + fragment if fragment else "")


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath(path, start)``, computed on the strings for plain relative addresses.

    The general function makes both paths absolute against the working folder
    (a system call each time); for addresses without a leading ``/`` and
    without ``.`` or ``..`` segments the result is the same, so only unusual
    addresses take that road.
    """
    path_parts = [part for part in path.split("/") if part]
    start_parts = [part for part in start.split("/") if part]
    if path.startswith("/") or start.startswith("/") or {".", ".."} & {*path_parts, *start_parts}:
        return posixpath.relpath(path, start)
    common = 0
    for ours, theirs in zip(start_parts, path_parts):
        if ours != theirs:
            break
        common += 1
    parts = [".."] * (len(start_parts) - common) + path_parts[common:]
    return "/".join(parts) if parts else "."


_MARKUP_SIGNS = re.compile(r"[*_`]")
"""What :meth:`TextRenderer.plain` removes after the links: emphasis and code marks."""

_SITE_HREF = re.compile(r'href="dossier-site:([^"]*)"')


_PLAIN = r"[^\\`*_{}\[\]<>#+!|~&\n\r\t\f\v\x00-\x1f\u2028\u2029\x85]"
_PLAIN_LABEL = re.compile(rf"(?!\s)(?:{_PLAIN})+(?<!\s)")
"""A link label Python-Markdown leaves as it is (no inline markup, no entity, no break)."""
_LINK = r"\[\[[^\]|\n]*(?:\|[^\]\n]*)?\]\]"
_PLAIN_RUN = re.compile(rf"(?:{_PLAIN}|{_LINK})*")
"""Plain words and ``[[links]]``: nothing Python-Markdown would read as markup."""


def _simple_edges(line: str) -> bool:
    """Whether *line* can be one line of a simple text: no block marker at the start (a list,
    a heading underline, a rule, indented code), no white space at either end (two spaces
    make a line break), no inline link."""
    return bool(line) and line[0] not in "-=" and not line[0].isspace() and not line[-1].isspace() \
        and "](" not in line and not _NUMBERED.match(line)


_NUMBERED = re.compile(r"\d+\.")
"""The start of a numbered list item (``1.``): Python-Markdown's lists need the dot."""


_EMPHASIS_SPAN = re.compile(r"(?<!\S)(\*\*?)([^*\s](?:[^*]*[^*\s])?)\1(?![^\s.,;:!?)\u00bb])")
"""``*words*`` or ``**words**`` after a space (or at the start) and before a space, a
punctuation mark or the end: Python-Markdown's emphasis, without its harder cases."""


class Emphasis(NamedTuple):
    """Emphasised plain words of a simple text (:meth:`TextRenderer.simple_paragraphs`)."""

    tag: str
    """``em`` (``*words*``) or ``strong`` (``**words**``)."""
    text: str
    """The words, plain."""


Segment = str | tuple[Target, str] | Emphasis
"""A piece of a simple paragraph: plain text, a ``[[link]]`` as ``(target, label)``, or emphasis."""


def _segment_html(segment: Segment) -> str:
    """A segment's HTML, as Python-Markdown writes it."""
    if isinstance(segment, str):
        return esc(segment, quote=False)
    if isinstance(segment, Emphasis):
        return f"<{segment.tag}>{esc(segment.text, quote=False)}</{segment.tag}>"
    target, label = segment
    return (f'<a class="dossier-ref" data-target="{_escape_attribute(target.anchor)}" '
            f'href="{_escape_attribute(SITE_PREFIX + target.url)}">{esc(label, quote=False)}</a>')


def _escape_attribute(text: str) -> str:
    """An attribute value as Python-Markdown writes it: ``"`` escaped, ``'`` kept."""
    return esc(text, quote=False).replace('"', "&quot;")


class TextRenderer:
    """Renders the Markdown of text fields for one dossier."""

    def __init__(self, resolve: Resolver):
        self.resolve = resolve
        """Entity id -> :class:`Target`, or None for an unknown id."""
        self._md: markdown.Markdown | None = None
        """Python-Markdown, made (and imported) for the first text that is not simple."""
        self._cache: dict[str, str] = {}
        self._plain: dict[str, str] = {}

    def forget(self) -> None:
        """Empty the memos of converted texts."""
        self._cache.clear()
        self._plain.clear()

    def html(self, text: str | None, page: str) -> str:
        """*text* as HTML blocks, links relative to *page*.

        Each text is converted once, whatever the number of pages showing it:
        the addresses of its ``[[links]]`` are then made relative to *page*.
        """
        if not text:
            return ""
        converted = self._cache.get(text)
        if converted is None:
            converted = self._simple_html(text)
            if converted is None:
                converted = self._markdown().reset().convert(text)
            self._cache[text] = converted
        if SITE_PREFIX not in converted:
            return converted
        return _SITE_HREF.sub(lambda match: f'href="{relative_url(match.group(1), page)}"', converted)

    def _markdown(self) -> markdown.Markdown:
        """Python-Markdown with the dossier's links (:mod:`.markdown_text`), made once."""
        if self._md is None:
            from .markdown_text import dossier_markdown  # Python-Markdown only for a text that needs it

            self._md = dossier_markdown(self.resolve)
        return self._md

    def simple_paragraphs(self, text: str) -> list[list[Segment]] | None:
        """*text* as paragraphs of :data:`Segment`, when it is simple; else None.

        A simple text is one or more paragraphs separated by one blank line
        (and maybe line breaks at the end), each of one or more lines of
        plain words, ``[[links]]`` and ``*emphasis*`` or ``**strong**`` words,
        and nothing else Python-Markdown would read as markup: most claims and
        summaries are such texts, and Python-Markdown's machinery costs far
        more than they need (tests hold both to the same output). A line
        break inside a paragraph stays a ``"\n"`` segment, as in
        Python-Markdown's HTML.
        """
        paragraphs = []
        for paragraph in text.rstrip("\n").split("\n\n"):  # a YAML block scalar ends with a line break
            segments: list[Segment] = []
            for number, line in enumerate(paragraph.split("\n")):
                pieces = self._simple_line(line) if _simple_edges(line) else None
                if pieces is None:
                    return None
                segments += ["\n", *pieces] if number else pieces
            paragraphs.append(segments)
        return paragraphs

    def _simple_line(self, line: str) -> list[Segment] | None:
        """The segments of one line with :func:`_simple_edges`, or None if it is not simple."""
        segments: list[Segment] = []
        last = 0
        for match in _EMPHASIS_SPAN.finditer(line):
            plain = self._plain_run(line[last:match.start()])
            if plain is None or not _PLAIN_LABEL.fullmatch(match.group(2)):
                return None
            segments += [*plain, Emphasis("strong" if len(match.group(1)) == 2 else "em", match.group(2))]
            last = match.end()
        plain = self._plain_run(line[last:])
        return None if plain is None else segments + plain

    def _plain_run(self, run: str) -> list[Segment] | None:
        """Plain strings and ``(target, label)`` links, when *run* holds nothing else; else None."""
        if "*" in run or not _PLAIN_RUN.fullmatch(run):
            return None
        segments: list[Segment] = []
        last = 0
        for match in LINK_RE.finditer(run):
            target = self.resolve(match.group(1).strip())
            label = (match.group(2) or "").strip() or (target.title if target else "")
            if target is None or not _PLAIN_LABEL.fullmatch(label):
                return None
            segments += [run[last:match.start()], (target, label)]
            last = match.end()
        segments.append(run[last:])
        return [segment for segment in segments if segment != ""]

    def _simple_html(self, text: str) -> str | None:
        """What Python-Markdown makes of *text* when it is simple (see :meth:`simple_paragraphs`); else None."""
        paragraphs = self.simple_paragraphs(text)
        if paragraphs is None:
            return None
        return "\n".join("<p>" + "".join(map(_segment_html, segments)) + "</p>" for segments in paragraphs)

    def inline(self, text: str | None, page: str) -> str:
        """*text* as inline HTML: the paragraph tags of a one-paragraph text dropped."""
        rendered = self.html(text, page)
        if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
            return rendered[3:-4]
        return rendered

    def plain(self, text: str | None) -> str:
        """*text* without Markdown: ``[[id|label]]`` becomes its label (for titles, tooltips)."""
        if not text:
            return ""
        plain = self._plain.get(text)
        if plain is None:  # once per text: a claim shows as a reference in each section it names
            plain = self._plain[text] = _MARKUP_SIGNS.sub("", LINK_RE.sub(self._link_label, text))
        return plain

    def _link_label(self, match: re.Match) -> str:
        target = self.resolve(match.group(1).strip())
        return (match.group(2) or (target.title if target else match.group(1))).strip()
