"""Stage 4 (site): pure functions from a linked dossier to Markdown pages.

Nothing here reads or writes a file, nor knows MkDocs: a :class:`Page` is an
address and a Markdown string. Headings are Markdown (so the table of
contents and search see them); the rest is HTML blocks built from escaped
strings, and text fields go through :class:`~generator.render.text.TextRenderer`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from ..core import model as m
from ..core.kinds import kind
from ..core.link import Evidence, Linked, Passage, entity_title, kind_of
from ..core.words import label_colon
from ..incremental.page_reads import page_parts, title_read
from .evidence import citation_item
from .html import block, esc, keep_guillemets, md_text, plain_self_links, tag
from .labels import credibility_label, labels, quoted, reliability_label, word
from .text import Target, TextRenderer, relative_url
from .tradecraft import item_marks


@dataclass(frozen=True)
class Page:
    """One generated page."""

    src_uri: str
    """Its path among the site's Markdown sources (``d/actors/wang-yi.md``)."""
    url: str
    """Its address in the built site (``d/actors/wang-yi/``)."""
    title: str
    """Its title."""
    markdown: str
    """Its content."""


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The site address MkDocs gives the page *src_uri* (the rule of ``mkdocs.structure.files.File``).

    With ``use_directory_urls`` (MkDocs' default) ``d/actors/x.md`` is
    ``d/actors/x/`` and ``d/index.md`` is ``d/``; without it they are
    ``d/actors/x.html`` and ``d/index.html``. The site's home is ``""`` or ``index.html``.
    """
    stem = src_uri.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    folder, _, name = stem.rpartition("/")
    if name == "index":
        return folder + "/" if folder else ""
    return stem + "/"


def entity_src(dossier_id: str, entity: m.Entity) -> str:
    """The Markdown source path of an entity's page (``d/actors/wang-yi.md``)."""
    return f"{dossier_id}/{kind(kind_of(entity)).folder}/{entity.id}.md"


def entity_url(dossier_id: str, entity: m.Entity, directory_urls: bool = True) -> str:
    """The site address of an entity's page."""
    return page_url(entity_src(dossier_id, entity), directory_urls)


def pdf_url(dossier_id: str) -> str:
    """The site address of a dossier's PDF briefing."""
    return f"{dossier_id}/{dossier_id}.pdf"


class Citations:
    """Numbers the passages cited on one page, in order of first appearance."""

    def __init__(self, renderer: DossierRenderer, page: str):
        self.renderer, self.page = renderer, page
        self.numbers: dict[str, int] = {}
        self.passages: list[Passage] = []

    def markers(self, citations: Iterable[m.Citation]) -> str:
        """``[1][2]`` markers linking to the highlighted passages."""
        out = []
        for citation in citations:
            passage = self._numbered(citation)
            out.append(self._marker(passage, self.numbers[passage.anchor], citation.credibility))
        return tag("span", "".join(out), class_="dossier-cites") if out else ""

    def register(self, citations: Iterable[m.Citation]) -> tuple[int, ...]:
        """The numbers the markers of *citations* show, numbered as :meth:`markers` numbers them."""
        return tuple(self.numbers[self._numbered(citation).anchor] for citation in citations)

    def _numbered(self, citation: m.Citation) -> Passage:
        passage = self.renderer.linked.passage(citation)
        if passage.anchor not in self.numbers:
            self.numbers[passage.anchor] = len(self.numbers) + 1
            self.passages.append(passage)
        return passage

    def _marker(self, passage: Passage, number: int, credibility: int | None = None) -> str:
        source = self.renderer.dossier.sources[passage.source]
        href = relative_url(self.renderer.entity_url(source) + "#" + passage.anchor, self.page)
        tip = f"{quoted(self.renderer.lang, passage.quote)} — {self.renderer.source_label(source)}"
        colon = label_colon(self.renderer.lang)
        grade = f"{self.renderer.L['credibility']}{colon}{credibility_label(self.renderer.lang, credibility)}" \
            if credibility is not None else None
        tip += f" · {grade}" if grade else ""
        # No `title`: the preview (the page's numbered item, shown by dossier-preview.js, with this citation's
        # credibility) replaces the tooltip.
        return tag("a", f"[{number}]", href=href, class_="dossier-cite", data_cite=str(number), data_credibility=grade,
                   aria_label=f"{self.renderer.L['citation']} {number}{colon}{tip}")

    def footer(self) -> str:
        """The page's numbered list of quotes (with translation, source and original), or nothing."""
        if not self.passages:
            return ""
        r, keyed = self.renderer, []
        for passage in self.passages:  # each item a part (:func:`page_parts`), keyed by what it shows of the passage
            source, number = r.dossier.sources[passage.source], self.numbers[passage.anchor]
            href = relative_url(r.entity_url(source) + "#" + passage.anchor, self.page)
            keyed.append((("", ("citation", passage.source, passage.anchor, passage.quote, passage.spans,
                                passage.translation, number, href)), partial(citation_item, r, passage, href, number)))
        items = page_parts("citations", keyed, r.forget)
        return f"## {md_text(self.renderer.L['passages'])}\n\n" + block(tag("ol", "".join(items), class_="dossier-citations"))


class _PageText(TextRenderer):
    """Text fields whose links to the page they are on show as bold text, not as links."""

    def html(self, text: str | None, page: str) -> str:
        return plain_self_links(super().html(text, page), relative_url(page, page))


class DossierRenderer:
    """Renders every page of one linked dossier."""

    def __init__(self, linked: Linked, network_svg: Callable[[DossierRenderer, str], str] | None = None,
                 directory_urls: bool = True):
        self.linked = linked
        self.directory_urls = directory_urls
        """MkDocs' ``use_directory_urls``: the style of every page address (see :func:`page_url`)."""
        self.dossier = linked.dossier
        self.lang = self.dossier.meta.language
        self.L = labels(self.lang)
        self.text = _PageText(self.target)
        self.network_svg = network_svg
        self.citation_parts: dict[tuple[str, str], tuple[str, str]] = {}
        """(source id, passage anchor) -> its numbered citation's HTML before and after the link's address (:mod:`.evidence`)."""
        self._link_parts: dict[str, tuple[str, str]] = {}
        """Entity id -> (site address, escaped title), looked up once per id (pages link the same ids often)."""

    def forget(self) -> None:
        """Empty the memos (link parts, citations, converted texts, titles): what a page takes from them, it then reads itself."""
        self._link_parts.clear()
        self.citation_parts.clear()
        self.text.forget()
        self.linked.forget()

    # -- shared pieces ---------------------------------------------------------
    def page_url(self, src_uri: str) -> str:
        """The site address of the page *src_uri*, in this site's URL style."""
        return page_url(src_uri, self.directory_urls)

    def entity_url(self, entity: m.Entity) -> str:
        """The site address of *entity*'s page."""
        return entity_url(self.dossier.id, entity, self.directory_urls)

    def target(self, id_: str) -> Target | None:
        """Where ``[[id_]]`` (or ``[[dossier-id:id]]``, another dossier's entity) leads."""
        return title_read(self.dossier.id, id_, lambda: self._target(id_))

    def _target(self, id_: str) -> Target | None:
        if ":" in id_:
            found = self.linked.library.entity(id_) if self.linked.library is not None else None
            if found is None:
                return None  # a dossier the build was not given: the link shows as its text
            other, elsewhere = found
            return Target(entity_url(other.dossier.id, elsewhere, self.directory_urls),
                          entity_title(elsewhere, other.dossier), "")
        entity = self.dossier.entity(id_)
        if entity is None:
            return None
        return Target(self.entity_url(entity), entity_title(entity, self.dossier), f"{kind_of(entity)}-{id_}")

    def link(self, id_: str, page: str, anchor: str = "") -> str:
        """An HTML link to the entity *id_* (the dossier home for ``""``)."""
        parts = self._link_parts.get(id_) or title_read(self.dossier.id, id_, lambda: self._parts(id_))
        url, title = parts
        return tag("a", title, href=relative_url(url + (f"#{anchor}" if anchor else ""), page))

    def _parts(self, id_: str) -> tuple[str, str]:
        parts = self._link_parts.get(id_)
        if parts is None:
            entity = self.dossier.entity(id_)
            assert entity is not None or not id_  # validation reports every unknown id, and nothing is rendered then
            url = self.page_url(f"{self.dossier.id}/index.md") if entity is None else self.entity_url(entity)
            parts = self._link_parts[id_] = (url, esc(keep_guillemets(self.linked.title(id_))))
        return parts

    def source_label(self, source: m.Source) -> str:
        """``Title (C — assez fiable)``."""
        grade = f" ({reliability_label(self.lang, source.reliability)})" if source.reliability else ""
        return source.title + grade

    def date(self, span) -> str:
        """A ``<time>`` element showing *span* at its own precision."""
        return tag("time", esc(span.display(self.lang)), datetime=span.start.iso(), class_="dossier-date")

    def evidence_item(self, evidence: Evidence, cites: Citations, page: str, extra: str = "", anchor: str = "") -> str:
        """One claim (or role, hypothesis) as a list item with its markers; *anchor* replaces its own id."""
        text = tag("span", self.text.inline(evidence.text, page), class_="dossier-claim-text")
        marks = item_marks(self, evidence, page)
        about = " ".join(p for p in (self.date(evidence.date) if evidence.date is not None else "", extra, marks) if p)
        about = tag("span", about, class_="dossier-claim-about") if about else ""
        markers = cites.markers(evidence.citations)
        glue = "\u2060" if markers else ""  # word joiner: the markers never start a line of their own
        return tag("li", text + glue + markers + about + self.disputed(evidence, cites),
                   id=anchor or evidence.anchor, class_="dossier-claim")

    def disputed(self, evidence: Evidence, cites: Citations) -> str:
        """The passages that contradict a claim, beside it, or nothing."""
        if not evidence.disputed_by:
            return ""
        colon = label_colon(self.lang)
        return " " + tag("span", esc(self.L["disputed_by"] + colon) + cites.markers(evidence.disputed_by),
                         class_="dossier-badge dossier-disputed")

    def claims_section(self, heading: str, owner: str, anchors: str, cites: Citations, page: str) -> str:
        """A heading and the list of the owner's evidence whose anchor starts with *anchors*."""
        listed = self.linked.evidence.get(owner, [])
        indexes = [index for index, e in enumerate(listed) if e.anchor.startswith(anchors)]
        if not indexes:
            return ""
        rows = self.evidence_parts("claims", ("evidence", owner), indexes, cites, page, self._claim_item)
        return f"## {md_text(heading)}\n\n" + block(tag("ol", "".join(rows), class_="dossier-claims"))

    def _claim_item(self, evidence: Evidence, cites: Citations, page: str) -> str:
        return self.evidence_item(evidence, cites, page, self.confidence(evidence.confidence))

    def evidence_parts(self, name: str, table: tuple[str, str], indexes: list[int], cites: Citations, page: str,
                       item: Callable[[Evidence, Citations, str], str]) -> list[str]:
        """``item(evidence, cites, page)`` for the evidence at each of *indexes* in the linker's *table*
        (``("evidence", owner)``, ``("facts_about", id)``), each a part of the page (:func:`page_parts`): its
        markers numbered first, the numbers they show in its key, the evidence read again by the part itself."""
        listed = getattr(self.linked, table[0]).get(table[1], [])
        keyed = [(("", (name, table, index, page, cites.register(listed[index].citations + listed[index].disputed_by))),
                  partial(self._evidence_part, table, index, cites, page, item)) for index in indexes]
        return page_parts(name, keyed, self.forget)

    def _evidence_part(self, table: tuple[str, str], index: int, cites: Citations, page: str,
                       item: Callable[[Evidence, Citations, str], str]) -> str:
        return item(getattr(self.linked, table[0]).get(table[1], [])[index], cites, page)

    def confidence(self, confidence: str | None) -> str:
        """A claim's confidence as a badge, or nothing."""
        if confidence is None:
            return ""
        colon = label_colon(self.lang)
        text = f"{self.L['confidence']}{colon}{word(self.lang, confidence)}"
        return tag("span", esc(text), class_=f"dossier-badge dossier-confidence-{confidence}")

    def backlinks(self, id_: str, page: str) -> str:
        """The "what links here" section of an entity's page."""
        links = self.linked.backlinks.get(id_, [])
        if not links:
            return ""
        grouped: dict[str, list[str]] = {}
        for backlink in links:
            grouped.setdefault(backlink.owner, []).append(self.L[f"rel_{backlink.relation}"])
        shown = {owner: ", ".join(sorted(set(rels))) for owner, rels in grouped.items()}
        keyed = [(("", ("backlink", owner, rels, page)), partial(self._backlink, owner, rels, page))
                 for owner, rels in shown.items()]
        items = page_parts("backlinks", keyed, self.forget)  # each a part: a rename makes again only its owner's
        return f"## {md_text(self.L['backlinks'])}\n\n" + block(tag("ul", "".join(items), class_="dossier-backlinks"))

    def _backlink(self, owner: str, relations: str, page: str) -> str:
        return tag("li", f"{self.link(owner, page)} " + tag("span", esc(relations), class_="dossier-rel"))

    def meta_list(self, rows: Iterable[tuple[str, str]]) -> str:
        """A definition list of (label, HTML) rows, the empty ones left out."""
        body = "".join(tag("dt", esc(label)) + tag("dd", value) for label, value in rows if value)
        return block(tag("dl", body, class_="dossier-meta")) if body else ""

    def links_list(self, ids: Iterable[str], page: str, describe: Callable[[str], str] | None = None) -> str:
        """A list of links to entities, each optionally followed by a description."""
        items = [tag("li", self.link(i, page) + (f" — {describe(i)}" if describe else "")) for i in ids]
        return block(tag("ul", "".join(items))) if items else ""

    def section(self, heading: str, body: str) -> str:
        """A Markdown heading and its body, or nothing when the body is empty."""
        return f"## {md_text(heading)}\n\n{body}" if body.strip() else ""

    def text_block(self, text: str | None, page: str) -> str:
        """A text field as an HTML block: a part of the page (:func:`page_parts`, keyed by the text), whose
        conversion a rename makes again only where the text links what was renamed."""
        if not text:
            return ""
        return page_parts("texts", [(("", ("text", text, page)), partial(self._text_block, text, page))], self.forget)[0]

    def _text_block(self, text: str, page: str) -> str:
        return block(tag("div", self.text.html(text, page), class_="dossier-text"))

    def marking(self) -> str:
        """The marking banner, or nothing."""
        marking = self.dossier.meta.marking
        return block(tag("p", esc(marking), class_="dossier-marking", role="note")) if marking else ""
