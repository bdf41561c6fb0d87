"""A source's page body: metadata, then its full text with every cited passage marked.

Each cited passage is a ``<mark>`` anchored by the passage's id (citations on
other pages link there). Where a passage ends, a superscript number calls it;
the numbers of the passages ending at the same place (punctuation and spaces
aside) stand together, before the punctuation, in increasing order, and the
passages are numbered in the order of these calls, so they read 1, 2, 3… down
the text. Beside each paragraph, a collapsed note lists the passages called in
it and the claims that cite them.
"""

from __future__ import annotations

import itertools
import re
from functools import partial

from ..core import model as m
from ..core.link import Passage
from ..incremental.page_reads import page_parts
from .evidence import EXTERNAL_REL, original_link, translation_html
from .html import block, esc, tag
from .labels import language_name, percent, quoted, reliability_label
from .pages import DossierRenderer

_TRAILING = frozenset(".,;:!?…»”) \u00a0\u202f")
"""Characters a call number moves back over: closing punctuation and spaces."""
_HEADER = re.compile(r"\s*date[ \t]+\d{4}(?:-\d{2}){0,2}(?:[ \t]+|(?=\n))")
"""A collection header at the very start of a text (``date 2023-09``), kept apart from the first paragraph."""


def source_body(r: DossierRenderer, source: m.Source, url: str) -> str:
    """Metadata, notes, cited passages and the highlighted full text."""
    L = r.L
    link = tag("a", esc(source.url), href=source.url, rel=EXTERNAL_REL) if source.url else ""
    grade = esc(reliability_label(r.lang, source.reliability)) if source.reliability else ""
    language = esc(language_name(r.lang, source.language)) if source.language else ""
    body = r.meta_list([(L["outlet"], esc(source.outlet or "")), (L["author"], esc(source.author or "")),
                        (L["published"], r.date(source.published)), (L["language"], language),
                        (L["url"], link), *_provenance(r, source), (L["reliability"], grade),
                        (L["cited_share"], esc(percent(r.lang, r.linked.cited_share.get(source.id, 0))))])
    body += r.section(L["notes"], r.text_block(source.notes, url))
    numbers = _numbered(r, source.id)[3]
    ordered = sorted(numbers, key=numbers.__getitem__)
    items = page_parts("passages", [(("", ("passage", source.id, anchor, numbers[anchor], url)),
                                     partial(_passage_item, r, source.id, anchor, numbers[anchor], url))
                                    for anchor in ordered], r.forget)
    body += r.section(L["passages"], block(tag("ol", "".join(items), class_="dossier-passages")) if items else "")
    lang = f' lang="{esc(source.language)}"' if source.language else ""
    text = _full_text(r, source.id, url)
    body += r.section(L["source_text"], block(f"<div class=\"dossier-source-text\"{lang}>{text}</div>"))
    return body


def _full_text(r: DossierRenderer, source_id: str, page: str) -> str:
    """The highlighted text, a part of the page (under ``dossier serve``: :func:`page_parts`) that reads the source
    and its passages only; each paragraph's note of the passages called in it (which shows the titles of the items
    citing them) a part of its own, so that a renamed title makes again only the notes that show it."""
    header, paragraphs = page_parts("source-text", [(("", ("text", source_id)),
                                                     partial(_text_parts, r, source_id))], r.forget)[0]
    called = [anchors for _, anchors in paragraphs if anchors]
    notes = iter(page_parts("source-notes", [(("", ("note", source_id, anchors, page)),
                                              partial(_note_part, r, source_id, anchors, page)) for anchors in called],
                            r.forget))
    return header + "".join(tag("div", html + (next(notes) if anchors else ""), class_="dossier-para")
                            for html, anchors in paragraphs)


def _numbered(r: DossierRenderer, source_id: str) -> tuple[m.Source, list[Passage], dict[str, int], dict[str, int]]:
    """The source, its passages, where each is called and its number (read from the dossier: a part's own reads)."""
    source = r.dossier.sources[source_id]
    passages = r.linked.passages.get(source_id, [])
    calls = {p.anchor: _call_offset(source.text, p) for p in passages}
    ordered = sorted(passages, key=lambda p: (calls[p.anchor], p.spans[0][0], p.anchor))
    return source, passages, calls, {p.anchor: number for number, p in enumerate(ordered, 1)}


def _text_parts(r: DossierRenderer, source_id: str) -> tuple[str, list[tuple[str, tuple[tuple[str, int], ...]]]]:
    """The collection header, then each paragraph's ``<p>`` with the passages called in it (anchor, number)."""
    source, passages, calls, numbers = _numbered(r, source_id)
    return _FullText(source.text, passages, calls, numbers).parts()


def _note_part(r: DossierRenderer, source_id: str, called: tuple[tuple[str, int], ...], page: str) -> str:
    """The collapsed list of the passages *called* (anchor, number) in a paragraph, with what cites them."""
    by_anchor = {p.anchor: p for p in r.linked.passages.get(source_id, [])}
    L, numbers = r.L, [number for _, number in called]
    rows = "".join(tag("li", f"{tag('b', str(number))} {esc(L['cited_by'])} "
                             f"{_cited_by(r, by_anchor[anchor], page)}") for anchor, number in called)
    word = L["passage"] if len(numbers) == 1 else L["passages_short"]
    summary = tag("summary", esc(f"{word} {_ranges(numbers)}"))
    return tag("details", summary + tag("ul", rows), class_="dossier-note")


def _provenance(r: DossierRenderer, source: m.Source) -> list[tuple[str, str]]:
    """When the text was retrieved, its archived copy, the SHA-256 digests its import recorded."""
    archived = tag("a", esc(source.archived), href=source.archived, rel=EXTERNAL_REL) if source.archived else ""
    return [(r.L["retrieved"], r.date(source.retrieved) if source.retrieved else ""), (r.L["archived"], archived),
            (r.L["text_sha256"], tag("code", source.text_sha256, class_="dossier-digest") if source.text_sha256 else ""),
            (r.L["file_sha256"], tag("code", source.file_sha256, class_="dossier-digest") if source.file_sha256 else "")]


def _call_offset(text: str, passage: Passage) -> int:
    """Where *passage*'s call number goes: its end, moved back before closing punctuation and spaces."""
    start, end = passage.spans[-1]
    while end - 1 > start and text[end - 1] in _TRAILING:
        end -= 1
    return end


def _cited_by(r: DossierRenderer, passage: Passage, page: str) -> str:
    """Links to the items citing *passage*, each item once (at its first citing claim)."""
    first: dict[str, str] = {}
    for evidence in passage.cited_by:
        first.setdefault(evidence.owner, evidence.anchor)
    return ", ".join(r.link(owner, page, anchor) for owner, anchor in first.items())


def _passage_item(r: DossierRenderer, source_id: str, anchor: str, number: int, page: str) -> str:
    """The passage *anchor*'s item in the list of cited passages (a part of the page, read from the dossier)."""
    passage = next(p for p in r.linked.passages.get(source_id, []) if p.anchor == anchor)
    quote = tag("a", tag("span", esc(quoted(r.lang, passage.quote)), class_="dossier-quote"), href=f"#{anchor}")
    source = r.dossier.sources[passage.source]
    extra = translation_html(r, passage.translation)
    original = original_link(r, source, passage)
    extra = (f" {extra}" if extra else "") + (f" · {original}" if original else "")
    return tag("li", f"{quote}{extra} — {esc(r.L['cited_by'])} {_cited_by(r, passage, page)}",
               id=f"passage-{number}", value=number)


def _header_end(text: str, passages: list[Passage]) -> int:
    """The end of the text's collection header, or 0 (no header, or a passage quotes it)."""
    match = _HEADER.match(text)
    if match is None or any(start < match.end() for p in passages for start, _end in p.spans):
        return 0
    return match.end()


def _coverage_changes(passages: list[Passage]) -> dict[int, list[tuple[int, int]]]:
    """Offset -> (passage index, +1 or -1) for each span starting or ending there.

    Every span's start and end is a boundary of the segments, so a segment
    ``[a, b)`` lies inside a span exactly when the span started at or before
    ``a`` and has not ended by then: sweeping the boundaries in order gives
    each segment its covering passages without testing every passage.
    """
    changes: dict[int, list[tuple[int, int]]] = {}
    for index, passage in enumerate(passages):
        for start, end in passage.spans:
            changes.setdefault(start, []).append((index, 1))
            changes.setdefault(end, []).append((index, -1))
    return changes


class _FullText:
    """The full text of one source as paragraphs, with its passages marked and called."""

    def __init__(self, text: str, passages: list[Passage], calls: dict[str, int], numbers: dict[str, int]):
        self.text, self.passages, self.numbers = text, passages, numbers
        self.head = _header_end(text, passages)
        self.starts: dict[int, list[Passage]] = {}
        self.called: dict[int, list[Passage]] = {}
        for passage in passages:
            self.starts.setdefault(passage.spans[0][0], []).append(passage)
            self.called.setdefault(calls[passage.anchor], []).append(passage)
        for group in self.called.values():
            group.sort(key=lambda p: numbers[p.anchor])

    def parts(self) -> tuple[str, list[tuple[str, tuple[tuple[str, int], ...]]]]:
        """The collection header (if any), then each paragraph's ``<p>`` with the passages called in it."""
        header = tag("p", esc(self.text[:self.head].strip()), class_="dossier-source-header") if self.head else ""
        return header, [(tag("p", "".join(parts)), tuple((p.anchor, self.numbers[p.anchor]) for p in called))
                        for parts, called in self._paragraphs() if "".join(parts).strip()]

    def _boundaries(self) -> list[int]:
        points = {self.head, len(self.text), *self.called}
        for passage in self.passages:
            for start, end in passage.spans:
                points.update((start, end))
        for index, char in enumerate(self.text):
            if char == "\n":
                points.update((index, index + 1))
        return sorted(p for p in points if self.head <= p <= len(self.text))

    def _paragraphs(self) -> list[tuple[list[str], list[Passage]]]:
        """(HTML pieces, passages called) of each paragraph (a line of the text)."""
        bounds, changes = self._boundaries(), _coverage_changes(self.passages)
        active: dict[int, int] = {}  # index in passages -> how many of its spans cover the current point
        paragraphs: list[tuple[list[str], list[Passage]]] = [([], [])]
        for a, b in itertools.pairwise(bounds):
            for index, step in changes.get(a, ()):
                active[index] = active.get(index, 0) + step
                if not active[index]:
                    del active[index]
            if self.text[a:b] == "\n":
                paragraphs.append(([], []))
                continue
            parts, called = paragraphs[-1]
            covering = [self.passages[index] for index in sorted(active)]
            parts.append(self._segment(self.text[a:b], covering, self.starts.get(a, [])))
            parts.extend(self._call(p) for p in self.called.get(b, []))
            called.extend(self.called.get(b, []))
        return paragraphs

    def _segment(self, text: str, covering: list[Passage], starting: list[Passage]) -> str:
        """A piece of text; the passages starting here get their anchors (the first on the mark)."""
        if not covering:
            return esc(text)
        numbers = " ".join(f"[{n}]" for n in sorted(self.numbers[p.anchor] for p in covering))
        extra = "".join(tag("span", "", id=p.anchor, class_="dossier-anchor") for p in starting[1:])
        first = starting[0].anchor if starting else None
        return extra + tag("mark", esc(text), id=first, class_="dossier-passage", title=numbers)

    def _call(self, passage: Passage) -> str:
        number = self.numbers[passage.anchor]
        return tag("sup", tag("a", str(number), href=f"#passage-{number}"), class_="dossier-passage-number")


def _ranges(numbers: list[int]) -> str:
    """``3–5, 8``: sorted numbers, runs of three or more as ranges."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs)
