"""A re-rendered page's search entries under ``dossier serve``, from what the page's last parse gave.

Material's search plugin parses each page's HTML with :class:`html.parser.HTMLParser` (a Python call
per tag) into sections of text. A page rendered again after an edit is mostly the same HTML: a
renamed actor changes a few items of the timeline, a row of an index. :class:`SearchMemo` parses a
page with Material's own parser fed piece by piece (cut before each block's start tag:
:func:`pieces`) and remembers what each piece did (the text it added to its section, the elements
it opened or closed, the section its heading began), by the piece's HTML and the parser's state
before it (``Pieces.state``). The page's next parse does again what each piece it saw before in the
same state did, without parsing it; everything else goes through the parser. The sections are
Material's, exactly:

* a piece starts only where the parser had consumed everything it was given (no tag, comment or
  script cut in two, nothing held back): at any other cut the page is parsed whole, as Material does;
* a piece is remembered only when it did nothing else: the elements open before it that it left
  open are the same, the section is the same (or the one its heading began, at its start), no title
  of an earlier section touched, nothing removed from before the piece, nothing ignored any more or
  less (``skip``); the state after it is remembered with it (a function of the state before and the
  piece, as everything the state holds is);
* its state holds all that the parser reads to add that text: the open elements' tags, the
  section's heading and depth, whether its text is empty or ends in white space, which of the kept
  tags (``<p>``, ``<li>``…) the text already holds and whether text follows the first of each (Material
  drops an element left empty by looking back to the first such tag of the section).

Material's parser is read from the installed package and used so only when its code is one the
tests compared with a whole parse (:data:`KNOWN`); with any other, pages are indexed by Material alone.

The index itself (``search/search_index.json``): Material writes it with one ``json.dumps`` of every
page's entries (``{"config":…,"docs":[…]}``), a second a rebuild at 10,000 pages. JSON is written
item by item, so each page's entries dumped with the same options, their brackets taken off
(:func:`fragment`), joined by commas in the pages' order, give those very bytes (:func:`index_parts`, the
head made by Material's own code with no entries). ``dossier serve`` keeps each page's fragment with its
entries and writes the index so, only while Material's code that writes it is one the tests compared
(:data:`INDEX_KNOWN`) and nothing else can have touched the entries (:func:`writes_index_so`).
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["INDEX_KNOWN", "KNOWN", "SearchMemo", "fingerprint", "fragment", "index_fingerprint", "index_known",
           "index_parts", "known", "pieces", "sections", "writes_index_so"]

KNOWN = frozenset({
    "0aecf639d3643d96",  # mkdocs-material 9.8.2
})
"""The fingerprints (:func:`fingerprint`) of Material's parser code that the tests compare with a whole parse."""
INDEX_KNOWN = frozenset({
    "d702a401d45af999",  # mkdocs-material 9.8.2
})
"""The fingerprints (:func:`index_fingerprint`) of Material's code writing the index that the tests compare with
the index made from fragments."""

_CUT = re.compile(r"<(?=(?:li|p|[ou]l|d[lt]|div|h[1-6]|tr|table|details|figure|blockquote|pre|section|g|title)[\s/>])")
"""Where a piece starts: before a block's start tag (an item, a paragraph, a row, a heading, a shape's title…).
Any cut gives Material's sections (the parser checks each); these give pieces that an edit leaves alone."""
_SKIP = frozenset({"object", "script", "style"})
"""What Material's parser ignores before it meets an element excluded from search."""


def pieces(html: str) -> list[str]:
    """*html* cut before each block's start tag: the first piece, then the others without their ``<``."""
    return _CUT.split(html)


def fingerprint() -> str:
    """A digest of the code of Material's search parser that the pieces rely on (its sections, elements,
    tags and the way a page is indexed); "" when that code cannot be read."""
    try:
        from material.plugins.search import plugin  # lazily: MkDocs' and Material's only when a site is built

        code = "".join(inspect.getsource(part) for part in (
            plugin.Parser, plugin.Section, plugin.Element, plugin.SearchIndex.add_entry_from_context))
    except (ImportError, OSError, TypeError, AttributeError):
        return ""
    code += repr(sorted(plugin.void))
    return hashlib.blake2b(code.encode(), digest_size=8).hexdigest()


@functools.cache
def known() -> bool:
    """Whether the installed Material's parser is one the pieces were compared with."""
    return fingerprint() in KNOWN


def _held(text: list, start: int, opened: frozenset, bare: frozenset) -> tuple[frozenset, frozenset]:
    """The kept tags opened in *text* and those after whose first opening only white space came, from
    what they were over ``text[:start]``."""
    more = text[start:]
    if not more:
        return opened, bare
    new_opened, new_bare = set(opened), set(bare)
    for piece in more:
        if new_bare and not piece.isspace():
            new_bare.clear()
        if _opens(piece) and piece not in new_opened:
            new_opened.add(piece)
            new_bare.add(piece)
    return frozenset(new_opened), frozenset(new_bare)


def _opens(part: str) -> bool:
    """Whether *part* of a section's text opens a kept tag (``<p>``: the parser looks back for it)."""
    return part.startswith("<") and not part.startswith("</")


_OPENINGS: dict[str, str] = {}
"""One string per kept tag's opening, shared by the memos."""


def _compact(parts: list[str]) -> tuple[str, ...]:
    """*parts* of a section's text as fewer strings that the parser treats the same: as they are, those it
    looks at (each opening of a kept tag, which it looks for; the part before each and the last part,
    whose white space it looks at when it drops an empty element or adds white space; empty parts), and
    each run of the others joined (a run is white space only when each of its parts is)."""
    out: list[str] = []
    run: list[str] = []
    last = len(parts) - 1
    for index, part in enumerate(parts):
        if not part or index == last or _opens(part) or _opens(parts[index + 1]):
            if run:
                out.append("".join(run))
                run = []
            out.append(_OPENINGS.setdefault(part, part) if _opens(part) else part)
        else:
            run.append(part)
    return tuple(out)


@functools.cache
def _parser_class() -> type:
    """Material's parser, watched so that a piece's effect can be judged (see the module's docstring)."""
    from material.plugins.search.plugin import Parser, Section  # lazily, as in fingerprint

    class Pieces(Parser):
        def __init__(self) -> None:
            super().__init__()
            self.titled = False
            """A start tag of the current section's heading's kind was met (its text would go to the title)."""
            self.watched: list | None = None
            self.low = 0
            """The shortest the watched text has been during a piece (an empty element removed)."""

        def handle_starttag(self, tag, attrs):
            if self.section is not None and tag == self.section.el.tag:
                self.titled = True
            super().handle_starttag(tag, attrs)

        def handle_endtag(self, tag):
            super().handle_endtag(tag)
            if self.section is not None and self.section.text is self.watched:
                self.low = min(self.low, len(self.watched))

        def state(self, last: tuple | None, section: Any, start: int) -> tuple | None:
            """What the parser reads while a piece adds text to the current section (*last*: the state before
            the piece just fed, in *section* whose text then had *start* pieces); None when a piece is not to
            be remembered here (inside a tag, a script, a title; before the first section)."""
            current = self.section
            if self.rawdata or self.cdata_elem is not None or current is None or self.skip != _SKIP:
                return None
            tags = tuple([element.tag for element in self.context])
            if current.el.tag in tags:
                return None
            text = current.text
            if last is None or current is not section or self.low < start:
                opened, bare = _held(text, 0, frozenset(), frozenset())
            else:
                opened, bare = _held(text, start, last[4], last[5])
            return tags, current.el.tag, current.depth, text[-1].isspace() if text else None, opened, bare

        def record(self, piece: str) -> tuple | None:
            """Feed *piece*; what it did when that is all it did (else None): the text it added to the current
            section, and the open elements it closed, those it left open and the section it began (None when
            it did none of these)."""
            section, before, sections = self.section, list(self.context), len(self.data)
            text, depth, title = section.text, section.depth, len(section.title)
            start = self.low = len(text)
            self.watched, self.titled = text, False
            self.feed(piece)
            context = self.context
            kept = 0
            while kept < len(before) and kept < len(context) and context[kept] is before[kept]:
                kept += 1
            if (self.rawdata or self.cdata_elem is not None or self.skip != _SKIP or section.depth != depth
                    or len(section.title) != title or section.text is not text or self.low < start):
                return None
            closed, opened = len(before) - kept, tuple(context[kept:])
            if self.section is section and len(self.data) == sections and not self.titled:
                return _compact(text[start:]), (closed, opened, None) if closed or opened else None
            new = self.section
            if (len(self.data) == sections + 1 and new is self.data[-1] and len(text) == start and not closed
                    and new.depth == len(before) + 1 and not any(element.tag == "a" for element in before)):
                return (), (closed, opened, (new.el, new.id, tuple(new.title), tuple(new.text)))
            return None

        def replay(self, moves: tuple) -> None:
            """What :meth:`record` saw a piece do to the open elements and the sections, done again."""
            closed, opened, began = moves
            if began is not None:
                element, identifier, title, text = began
                section = Section(element, len(self.context) + 1)
                section.id, section.title, section.text = identifier, list(title), list(text)
                self.data.append(section)
                self.section = section
            if closed:
                del self.context[len(self.context) - closed:]
            self.context.extend(opened)

    return Pieces


def _whole(html: str) -> list:
    """Material's sections of *html*, parsed whole as its search plugin does."""
    from material.plugins.search.plugin import Parser  # lazily, as in fingerprint

    parser = Parser()
    parser.feed(html)
    parser.close()
    return parser.data


def sections(html: str, memo: Mapping[tuple, tuple], states: dict | None = None) -> tuple[list, dict[tuple, tuple]]:
    """Material's sections of *html*, the pieces in *memo* (from an earlier parse) not parsed again; and
    this parse's memo, by each piece's digest (16 bytes, not its HTML) and the state before it. *states*
    interns the parser's states (one object each, shared by the memos)."""
    parser = _parser_class()()
    states = {} if states is None else states
    made: dict[tuple, tuple] = {}
    parts = pieces(html)
    parser.feed(parts[0])
    state = parser.state(None, None, 0)
    for piece in parts[1:]:
        if state is None:
            if parser.rawdata or parser.cdata_elem is not None:
                return _whole(html), {}  # a cut inside something the parser reads at once
            parser.feed("<" + piece)
            state = parser.state(None, None, 0)
            continue
        key = (hashlib.blake2b(piece.encode("utf-8", "surrogatepass"), digest_size=16).digest(), state)
        hit = memo.get(key)
        if hit is not None:
            added, moves, state = hit
            if moves is not None:
                parser.replay(moves)
            if added:
                parser.section.text.extend(added)
            made[key] = hit
            continue
        section, length = parser.section, len(parser.section.text)
        done = parser.record("<" + piece)
        after = parser.state(state, section, length)
        state = states.setdefault(after, after)
        if done is not None:
            made[key] = (*done, state)
    if parser.rawdata or parser.cdata_elem is not None:
        return _whole(html), {}
    parser.close()
    return parser.data, made


class SearchMemo:
    """The pieces of each page's last search parse, kept from one ``dossier serve`` rebuild to the next."""

    def __init__(self) -> None:
        self.pages: dict[str, dict[tuple, tuple]] = {}
        self.states: dict[tuple, tuple] = {}

    def index(self, search_index: Any, page: Any) -> None:
        """Add *page*'s entries to Material's *search_index*, as its ``add_entry_from_context`` does."""
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        src_uri = page.file.src_uri
        data, self.pages[src_uri] = sections(page.content, self.pages.get(src_uri, {}), self.states)
        for section in data:
            if not section.is_excluded():
                search_index.create_entry_for_section(section, page.toc, page.url, page)

    def keep(self, src_uris: set[str]) -> None:
        """Forget the pages no longer built."""
        self.pages = {src_uri: memo for src_uri, memo in self.pages.items() if src_uri in src_uris}


def index_fingerprint() -> str:
    """A digest of the code with which Material's search plugin writes its index (``on_post_build``,
    ``generate_search_index``); "" when that code cannot be read."""
    try:
        from material.plugins.search import plugin  # lazily, as in fingerprint

        code = "".join(inspect.getsource(part) for part in (
            plugin.SearchPlugin.on_post_build, plugin.SearchIndex.generate_search_index))
    except (ImportError, OSError, TypeError, AttributeError):
        return ""
    return hashlib.blake2b(code.encode(), digest_size=8).hexdigest()


@functools.cache
def index_known() -> bool:
    """Whether the installed Material writes its index with code that the fragments were compared with."""
    return index_fingerprint() in INDEX_KNOWN


def writes_index_so(plugin: Any) -> bool:
    """Whether *plugin* (the site's search plugin) is Material's, of the known code, about to write its index
    from its entries alone (enabled, no index of an earlier build to merge with: ``prev``)."""
    config = getattr(plugin, "config", None)
    return (type(plugin).__module__ == "material.plugins.search.plugin" and index_known()
            and isinstance(config, Mapping) and config.get("enabled") is True
            and getattr(plugin, "search_index_prev", None) is None and getattr(plugin, "is_dirty", None) is False
            and getattr(plugin, "search_index", None) is not None)


def fragment(entries: list) -> bytes:
    """A page's search entries as Material's index writes them, without the list's brackets (b"" for none):
    ASCII, as ``json.dumps`` escapes every other character."""
    return json.dumps(entries, separators=(",", ":"), default=str)[1:-1].encode("utf-8")


_EMPTY_DOCS = ',"docs":[]}'
_COMMA, _END = b",", b"]}"


def index_parts(search_index: Any, fragments: list[bytes]) -> tuple[bytes, ...] | None:
    """The UTF-8 text Material's *search_index* writes when its entries are those of *fragments*, in order (each
    page's :func:`fragment`), in parts to write one after another; None when its text without entries does not
    end in an empty ``docs`` list."""
    entries, search_index.entries = search_index.entries, []
    try:
        head = search_index.generate_search_index(None)
    finally:
        search_index.entries = entries
    if not isinstance(head, str) or not head.endswith(_EMPTY_DOCS):
        return None
    parts = [head[:-2].encode("utf-8")]
    for part in fragments:
        if part:
            parts += (part, _COMMA)
    if len(parts) > 1:
        parts.pop()
    parts.append(_END)
    return tuple(parts)
