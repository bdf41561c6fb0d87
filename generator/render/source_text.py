"""A source's page body: metadata, then its full text with every cited passage marked.

Each cited passage is a ``<mark>`` anchored by the passage's id (citations on
other pages link there); beside each paragraph, an aside lists the passages
that start in it and the claims that cite them.
"""

from __future__ import annotations

from .. import model as m
from ..link import Passage
from .html import block, esc, tag
from .labels import percent, reliability_label
from .pages import DossierRenderer


def source_body(r: DossierRenderer, source: m.Source, url: str) -> str:
    """Metadata, notes, cited passages and the highlighted full text."""
    L = r.L
    link = tag("a", esc(source.url), href=source.url, rel="noopener noreferrer") if source.url else ""
    grade = esc(reliability_label(r.lang, source.reliability)) if source.reliability else ""
    body = r.meta_list([(L["outlet"], esc(source.outlet or "")), (L["author"], esc(source.author or "")),
                        (L["published"], r.date(source.published)), (L["language"], esc(source.language or "")),
                        (L["url"], link), (L["reliability"], grade),
                        (L["cited_share"], esc(percent(r.lang, r.linked.cited_share.get(source.id, 0))))])
    body += r.section(L["notes"], r.text_block(source.notes, url))
    passages = r.linked.passages.get(source.id, [])
    body += r.section(L["passages"], _passage_list(r, passages, url))
    lang = f' lang="{esc(source.language)}"' if source.language else ""
    body += r.section(L["source_text"], block(f"<div class=\"dossier-source-text\"{lang}>"
                                               + _full_text(r, source.text, passages, url) + "</div>"))
    return body


def _cited_by(r: DossierRenderer, passage: Passage, page: str) -> str:
    links = []
    for evidence in passage.cited_by:
        links.append(r.link(evidence.owner, page, evidence.anchor))
    return ", ".join(dict.fromkeys(links))


def _passage_list(r: DossierRenderer, passages: list[Passage], page: str) -> str:
    items = []
    for passage in passages:
        quote = tag("a", tag("q", esc(passage.quote)), href=f"#{passage.anchor}")
        items.append(tag("li", f"{quote} — {esc(r.L['cited_by'])} {_cited_by(r, passage, page)}",
                         id=f"passage-{passage.number}", value=passage.number))
    return block(tag("ol", "".join(items), class_="dossier-passages")) if items else ""


def _boundaries(text: str, passages: list[Passage]) -> list[int]:
    points = {0, len(text)}
    for passage in passages:
        for start, end in passage.spans:
            points.update((start, end))
    for index, char in enumerate(text):
        if char == "\n":
            points.update((index, index + 1))
    return sorted(p for p in points if 0 <= p <= len(text))


def _full_text(r: DossierRenderer, text: str, passages: list[Passage], page: str) -> str:
    bounds = _boundaries(text, passages)
    starts: dict[int, list[Passage]] = {}
    ends: dict[int, list[Passage]] = {}
    for passage in passages:
        starts.setdefault(passage.spans[0][0], []).append(passage)
        ends.setdefault(passage.spans[-1][1], []).append(passage)
    changes = _coverage_changes(passages)
    active: dict[int, int] = {}  # index in passages -> how many of its spans cover the current point
    paragraphs, current, opened = [], [], []
    for a, b in zip(bounds, bounds[1:]):
        for index, step in changes.get(a, ()):
            count = active.get(index, 0) + step
            if count:
                active[index] = count
            else:
                del active[index]
        if text[a:b] == "\n":
            paragraphs.append((current, opened))
            current, opened = [], []
            continue
        covering = [passages[index] for index in sorted(active)]
        current.append(_segment(text[a:b], covering, starts.get(a, [])))
        opened.extend(starts.get(a, []))
        current.extend(_end_marker(p) for p in sorted(ends.get(b, []), key=lambda p: p.number))
    paragraphs.append((current, opened))
    return "".join(_paragraph(r, parts, started, page) for parts, started in paragraphs if "".join(parts).strip())


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


def _segment(text: str, covering: list[Passage], starting: list[Passage]) -> str:
    """A piece of text; the passages starting here get their anchors (the first on the mark)."""
    if not covering:
        return esc(text)
    numbers = " ".join(f"[{p.number}]" for p in covering)
    extra = "".join(tag("span", "", id=p.anchor, class_="dossier-anchor") for p in starting[1:])
    first = starting[0].anchor if starting else None
    return extra + tag("mark", esc(text), id=first, class_="dossier-passage", title=numbers)


def _end_marker(passage: Passage) -> str:
    return tag("sup", tag("a", str(passage.number), href=f"#passage-{passage.number}"), class_="dossier-passage-number")


def _paragraph(r: DossierRenderer, parts: list[str], started: list[Passage], page: str) -> str:
    aside = ""
    if started:
        rows = "".join(tag("li", f"{tag('b', str(p.number))} {esc(r.L['cited_by'])} {_cited_by(r, p, page)}")
                       for p in sorted({p.anchor: p for p in started}.values(), key=lambda p: p.number))
        aside = tag("aside", tag("ul", rows), class_="dossier-aside")
    return tag("div", tag("p", "".join(parts)) + aside, class_="dossier-para")
