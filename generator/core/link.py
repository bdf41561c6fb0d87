"""Stage 3: resolve references into the relations pages are made of.

From a validated :class:`~generator.core.model.Dossier` this computes, once and in
linear time, everything a page or the PDF needs beyond its own entity: what
links to each entity (backlinks), the meetings each actor attended, the
questions about each entity, the meetings that follow each meeting, the
passages of each source that are cited and by which claim, and the timeline
of every dated item. Every list is sorted, so output is deterministic.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from ..incremental.page_reads import title_read
from . import model as m
from .dates import DateSpan
from .kinds import folders
from .kinds import order as kind_order
from .loader import remembered
from .model import LINK_RE
from .quotes import covered_share, quote_parts

if TYPE_CHECKING:
    from .library import Library



def kind_of(entity: m.Entity) -> str:
    """``dossier``, or the name of *entity*'s kind (``source``, ``actor``, ``meeting``, ``question`` …)."""
    return m.kind_name(entity)


@dataclass(frozen=True, order=True)
class Backlink:
    """One entity that refers to another."""

    order: int
    """Kind order of the referring entity (for sorting)."""
    owner: str
    """Id of the referring entity (``""`` for the dossier's own page)."""
    relation: str
    """How it refers: ``link``, ``participant``, ``of``, ``country``, ``follows``, ``about`` or ``cites``."""


@dataclass
class Evidence:
    """Something that carries citations on a page: a claim, a role or a hypothesis."""

    owner: str
    """Id of the entity whose page shows it (``""``: the dossier's home)."""
    anchor: str
    """Its HTML id on that page (``claim-2``, ``kj-1``, ``role-1`` …)."""
    text: str
    """Its text (Markdown) or, for a role, its title."""
    date: DateSpan | None
    """The date it carries, if any."""
    citations: list[m.Citation]
    """Its citations, in the order written."""
    confidence: str | None = None
    """The claim's confidence (high, moderate, low), if any."""
    disputed_by: list[m.Citation] = field(default_factory=list)
    """A claim's contradicting passages (``disputed_by``), in the order written."""
    against: list[m.Citation] = field(default_factory=list)
    """A hypothesis's contrary passages (``against``), in the order written."""
    assumes: list[str] = field(default_factory=list)
    """The key assumptions it rests on (ids), in the order written."""
    why_changed: str | None = None
    """Why it changed since the previous edition (Markdown), if said."""

    @property
    def is_claim(self) -> bool:
        """True for a claim (key judgment, claim, answer), False for a role or a hypothesis."""
        return not self.anchor.startswith(("role-", "hypothesis-"))

    def all_citations(self) -> list[m.Citation]:
        """Every passage it cites: supporting, contradicting, contrary."""
        return self.citations + self.disputed_by + self.against


@dataclass
class Passage:
    """One cited passage of a source: a quote and every citation of it."""

    source: str
    """The source's id."""
    anchor: str
    """HTML id of the passage on the source's page (``q-…``)."""
    quote: str
    """The quote as first written."""
    spans: tuple[tuple[int, int], ...]
    """Where it stands in the source's text."""
    cited_by: list[Evidence] = field(default_factory=list)
    """The claims, roles and hypotheses that cite it."""
    translation: str | None = None
    """The analyst's translation of the quote: the first one its citations give."""


@dataclass(frozen=True)
class TimelineItem:
    """A dated item of the timeline."""

    date: DateSpan
    """When."""
    kind: str
    """``meeting``, ``role-start``, ``role-end`` or ``claim``."""
    owner: str
    """Id of the entity the item belongs to (``""``: the dossier)."""
    anchor: str
    """HTML id on the owner's page, or ``""`` for the page itself."""
    text: str
    """What happened (Markdown for claims, plain text otherwise)."""

    def sort_key(self) -> tuple:
        """Chronological, then stable by kind, owner and anchor."""
        return (self.date.sort_key(), self.kind, self.owner, self.anchor)


@dataclass
class Linked:
    """A dossier with every relation resolved."""

    dossier: m.Dossier
    """The validated dossier."""
    backlinks: dict[str, list[Backlink]] = field(default_factory=dict)
    """Entity id -> what refers to it, sorted."""
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    """Owner id -> its claims, roles and hypotheses, in page order."""
    passages: dict[str, list[Passage]] = field(default_factory=dict)
    """Source id -> its cited passages, in text order."""
    passage_of: dict[tuple[str, str], Passage] = field(default_factory=dict)
    """(source id, normalised quote) -> its passage."""
    meetings_of: dict[str, list[str]] = field(default_factory=dict)
    """Actor id -> ids of the meetings it takes part in, by date."""
    questions_about: dict[str, list[str]] = field(default_factory=dict)
    """Entity id -> ids of the questions about it."""
    followed_by: dict[str, list[str]] = field(default_factory=dict)
    """Meeting id -> ids of the meetings that follow it, by date."""
    members: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    """Actor id -> (actor id, role index) of the roles held in it."""
    timeline: list[TimelineItem] = field(default_factory=list)
    """Every dated item, in order."""
    cited_share: dict[str, float] = field(default_factory=dict)
    """Source id -> share of its text that is cited (0 to 1)."""
    facts_about: dict[str, list[Evidence]] = field(default_factory=dict)
    """Entity id -> the claims recorded elsewhere that concern it (:func:`concerned`), in page order."""
    library: Library | None = field(default=None, repr=False, compare=False)
    """The :class:`generator.core.library.Library` of the dossiers linked with this one (set by ``library.connect``)."""

    @property
    def index(self) -> LinkIndex:
        """What the linker found on the way (made by :func:`link`)."""
        assert self._index is not None, "a Linked made by link()"
        return self._index

    def passage(self, citation: m.Citation) -> Passage:
        """The passage a (verified) citation points to."""
        return self.passage_of[(citation.source, quote_key(citation.quote))]

    _titles: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _index: LinkIndex | None = field(default=None, repr=False, compare=False)
    _linking: frozenset[str] | None = field(default=None, repr=False, compare=False)
    """What the linker found on the way (:class:`LinkIndex`), for linking the next version (:mod:`generator.core.relink`)."""

    def linking_titles(self) -> frozenset[str]:
        """The ids of the entities whose title holds a ``[[link]]`` (it shows what it links to): found once."""
        if self._linking is None:
            self._linking = frozenset(entity.id for entity in self.dossier.entities() if "[[" in _raw_title(entity))
        return self._linking

    def forget(self) -> None:
        """Empty the memo of titles."""
        self._titles.clear()

    def title(self, id_: str) -> str:
        """The display name of an entity (its name, title or question); found once per entity."""
        if not id_:
            return self.dossier.meta.title
        return title_read(self.dossier.id, id_, lambda: self._title(id_))

    def _title(self, id_: str) -> str:
        title = self._titles.get(id_)
        if title is None:
            title = self._titles[id_] = entity_title(self.dossier.entity(id_), self.dossier, self.library)
        return title


@dataclass
class LinkIndex:
    """What :func:`link` finds on the way to the tables, kept so that the next version of the same dossier
    can be linked from this one, entity by entity (:func:`generator.core.relink.relink`)."""

    walk: list[str] = field(default_factory=list)
    """The owners of evidence in the order passages and facts are collected: ``""`` first, then by id."""
    cites: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    """Owner -> the (source id, quote key) of every passage it cites, each once, in the order cited."""
    cited: dict[str, frozenset[str]] = field(default_factory=dict)
    """Owner -> the ids of the sources it cites."""
    found: dict[str, set[Backlink]] = field(default_factory=dict)
    """Target id -> what refers to it, whether the target exists or not (:attr:`Linked.backlinks` keeps those that do)."""
    facts: dict[str, list[Evidence]] = field(default_factory=dict)
    """Target id -> the claims that concern it, in :attr:`walk` order, whether it exists or not."""


def entity_title(entity: m.Entity | None, dossier: m.Dossier | None = None, library: Library | None = None) -> str:
    """The display name of *entity*: its name, title or question, ``[[links]]`` shown as their labels."""
    if entity is None:
        return ""
    value = _raw_title(entity)
    return plain_links(value, dossier, library) if "[[" in value else value


def _raw_title(entity: m.Entity) -> str:
    for attribute in ("name", "title", "question"):
        value = getattr(entity, attribute, None)
        if value:
            return value
    return entity.id


def plain_links(text: str, dossier: m.Dossier | None, library: Library | None = None) -> str:
    """*text* with each ``[[id|label]]`` replaced by its label, ``[[id]]`` by the entity's name
    (``[[dossier-id:id]]`` too, with the :class:`generator.core.library.Library` that holds that dossier)."""
    def label(match) -> str:
        if match.group(2):
            return match.group(2).strip()
        id_ = match.group(1).strip()
        found = library.entity(id_) if library is not None and ":" in id_ else None
        target = found[1] if found is not None else dossier.entity(id_) if dossier is not None else None
        return entity_title(target) if target is not None and "[[" not in entity_title(target) else match.group(1)
    return LINK_RE.sub(label, text)


@functools.lru_cache(maxsize=1 << 17)
def quote_key(quote: str) -> str:
    """The normal form under which equal quotes are one passage (memoised: pages look passages up often)."""
    return " … ".join(quote_parts(quote))


def link(dossier: m.Dossier) -> Linked:
    """Resolve every relation of *dossier*."""
    linked = Linked(dossier, _index=LinkIndex())
    _collect_evidence(linked)
    _collect_passages(linked)
    _collect_relations(linked)
    _collect_backlinks(linked)
    _collect_facts(linked)
    linked.timeline = sorted(_timeline_items(linked), key=TimelineItem.sort_key)
    return linked


# -- evidence ------------------------------------------------------------------

def _collect_evidence(linked: Linked) -> None:
    meta = linked.dossier.meta
    linked.evidence[""] = [_claim_evidence("", f"kj-{i}", c) for i, c in enumerate(meta.key_judgments, 1)]
    for entity in linked.dossier.entities():  # an unchanged entity's, under serve: the very list made before
        linked.evidence[entity.id] = _of_entity("evidence", entity, partial(_evidence_list, entity))


def _claim_evidence(owner: str, anchor: str, claim: m.Claim) -> Evidence:
    return Evidence(owner, anchor, claim.text, claim.date, list(claim.cite), claim.confidence, list(claim.disputed_by),
                    assumes=list(claim.assumes), why_changed=claim.why_changed)


def _evidence_list(entity: m.Entity) -> list[Evidence]:
    return list(_entity_evidence(entity))


def _entity_evidence(entity: m.Entity) -> Iterator[Evidence]:
    for index, role in enumerate(getattr(entity, "roles", []), 1):
        yield Evidence(entity.id, f"role-{index}", role.title, None, list(role.cite))
    for index, hypothesis in enumerate(getattr(entity, "hypotheses", []), 1):
        yield Evidence(entity.id, f"hypothesis-{index}", hypothesis.text, None, list(hypothesis.cite),
                       against=list(hypothesis.against), assumes=list(hypothesis.assumes),
                       why_changed=hypothesis.why_changed)
    answer = getattr(entity, "answer", None)
    if answer is not None:
        yield _claim_evidence(entity.id, "answer", answer)
    for index, claim in enumerate(getattr(entity, "claims", []), 1):
        yield _claim_evidence(entity.id, f"claim-{index}", claim)


def walk_order(owners: Iterable[str]) -> list[str]:
    """The owners of evidence in the order their citations and claims are collected: the dossier's first."""
    return sorted(owners, key=lambda o: (o != "", o))


def _collect_passages(linked: Linked) -> None:
    index = linked.index
    index.walk = walk_order(linked.evidence)
    for owner in index.walk:
        keys = owner_passages(linked, owner)
        index.cites[owner] = keys
        index.cited[owner] = frozenset(key[0] for key in keys)
    sort_passages(linked, linked.dossier.sources)


def owner_passages(linked: Linked, owner: str, only: Callable[[tuple[str, str]], bool] | None = None) \
        -> tuple[tuple[str, str], ...]:
    """Each citation of *owner*'s evidence added to its passage (those whose (source id, quote key) is *only*,
    if given); the (source id, quote key) of every passage it cites, each once, in the order cited."""
    keys: dict[tuple[str, str], None] = {}
    for evidence in linked.evidence[owner]:
        for citation in evidence.all_citations():
            key = (citation.source, quote_key(citation.quote))
            if only is None or only(key):
                _add_passage(linked, evidence, citation, key)
            keys[key] = None
    return tuple(keys)


def cited_keys(evidence: list[Evidence]) -> tuple[tuple[str, str], ...]:
    """The (source id, quote key) of every passage *evidence* cites, each once, in the order cited
    (what :func:`owner_passages` gives, without adding them)."""
    return tuple(dict.fromkeys((citation.source, quote_key(citation.quote))
                               for one in evidence for citation in one.all_citations()))


def sort_passages(linked: Linked, sources: Iterable[str]) -> None:
    """The passages of each of *sources* in text order, and the share of its text they cover."""
    table = linked.dossier.sources
    for source_id in sources:
        source = table.get(source_id)
        if source is None:
            continue
        passages = sorted(linked.passages.get(source_id, []), key=lambda p: (p.spans, p.anchor))
        linked.passages[source_id] = passages
        spans = [span for passage in passages for span in passage.spans]
        linked.cited_share[source_id] = covered_share(len(source.text), spans)


def _add_passage(linked: Linked, evidence: Evidence, citation: m.Citation, key: tuple[str, str]) -> None:
    passage = linked.passage_of.get(key)
    if passage is None:
        digest = hashlib.sha1(key[1].encode("utf-8")).hexdigest()[:10]
        spans = linked.dossier.quote_spans.get((citation.source, citation.quote), ())
        passage = Passage(citation.source, f"q-{digest}", citation.quote, spans)
        linked.passage_of[key] = passage
        linked.passages.setdefault(citation.source, []).append(passage)
    if evidence not in passage.cited_by:
        passage.cited_by.append(evidence)
    if passage.translation is None and citation.translation:
        passage.translation = citation.translation


# -- relations -----------------------------------------------------------------

def _collect_relations(linked: Linked) -> None:
    for collect, _ in RELATIONS.values():
        collect(linked)


def _meeting_relations(linked: Linked) -> None:
    dossier = linked.dossier
    for meeting in dossier.meetings.values():
        for participant in meeting.participants:
            _append_once(linked.meetings_of, participant.actor, meeting.id)
        for previous in meeting.follows:
            _append_once(linked.followed_by, previous, meeting.id)
    by_date = {mid: meeting.date.sort_key() for mid, meeting in dossier.meetings.items()}
    for table in (linked.meetings_of, linked.followed_by):
        for ids in table.values():
            ids.sort(key=lambda mid: (by_date[mid], mid))


def _question_relations(linked: Linked) -> None:
    for question in linked.dossier.questions.values():
        for target in question.about:
            _append_once(linked.questions_about, target, question.id)


def _member_relations(linked: Linked) -> None:
    for actor in linked.dossier.actors.values():
        for index, role in enumerate(actor.roles, 1):
            if role.of:
                linked.members.setdefault(role.of, []).append((actor.id, index))


RELATIONS: dict[str, tuple[Callable[[Linked], None], tuple[str, ...]]] = {
    "meetings": (_meeting_relations, ("meetings_of", "followed_by")),
    "questions": (_question_relations, ("questions_about",)),
    "actors": (_member_relations, ("members",)),
}
"""The tables of relations each kind's entities alone make (by its folder), and what makes them."""


def _append_once(table: dict[str, list[str]], key: str, value: str) -> None:
    values = table.setdefault(key, [])
    if value not in values:
        values.append(value)


def _collect_backlinks(linked: Linked) -> None:
    found = linked.index.found
    ranks = kind_order()
    for owner in [linked.dossier.meta, *linked.dossier.entities()]:
        add_backlinks(found, owner, ranks)
    entity = linked.dossier.entity
    linked.backlinks = {target: sorted(links) for target, links in sorted(found.items()) if entity(target) is not None}


def add_backlinks(found: dict[str, set[Backlink]], owner: m.Entity, ranks: dict[str, int]) -> None:
    """What *owner* refers to (itself left out) added to *found*, target by target."""
    owner_id = "" if isinstance(owner, m.DossierMeta) else owner.id
    order = ranks[kind_of(owner)]
    for target, relation in references_of(owner):
        if target != owner_id:
            found.setdefault(target, set()).add(Backlink(order, owner_id, relation))


def references_of(entity: m.Entity) -> list[tuple[str, str]]:
    """(target id, relation) of every reference *entity* makes; remembered while ``dossier serve`` checks
    (an unchanged file gives back the same entity: :func:`generator.loader.remembered`)."""
    return _of_entity("references", entity, lambda: list(_find_references(entity)))


def _of_entity(name: str, entity: m.Entity, make: Callable[[], list]) -> list:
    kept = remembered((name, id(entity)), lambda: (entity, make()))
    return kept[1] if kept[0] is entity else make()


def _find_references(entity: m.Entity) -> Iterator[tuple[str, str]]:
    found = m.contents(entity)
    for _, text in found.texts:
        for match in LINK_RE.finditer(text):
            yield match.group(1).strip(), "link"
    for _, citation in found.citations:
        yield citation.source, "cites"
    for _, target, ref in m.references(entity):
        yield target, ref.reverse


# -- facts shown wherever they belong -----------------------------------------

def concerned(linked: Linked, evidence: Evidence) -> list[str]:
    """The entities a claim concerns besides its owner: those its text links to (``[[id]]``), and those
    its owner refers to through a relation declared with ``facts`` (:class:`~generator.core.model.Ref`):
    the participants of the meeting it is recorded on, what the question it is recorded on is about."""
    entity = linked.dossier.entity
    return [i for i in concerned_ids(linked.dossier, evidence) if entity(i) is not None]


def concerned_ids(dossier: m.Dossier, evidence: Evidence) -> list[str]:
    """:func:`concerned`, whether those entities exist or not."""
    owner = dossier.entity(evidence.owner) if evidence.owner else None
    found = [match.group(1).strip() for match in LINK_RE.finditer(evidence.text)]
    if owner is not None:
        found += _of_entity("facts", owner, lambda: [target for _, target, ref in m.references(owner) if ref.facts])
    return [i for i in dict.fromkeys(found) if i != evidence.owner]


def _collect_facts(linked: Linked) -> None:
    found = linked.index.facts
    for owner in linked.index.walk:
        add_facts(found, linked.dossier, linked.evidence[owner])
    entity = linked.dossier.entity
    linked.facts_about = {target: sorted(items, key=fact_order) for target, items in sorted(found.items())
                          if entity(target) is not None}


def add_facts(found: dict[str, list[Evidence]], dossier: m.Dossier, evidence: list[Evidence]) -> None:
    """The claims among *evidence* added to *found* under each entity they concern (:func:`concerned_ids`)."""
    for one in evidence:
        if one.is_claim:
            for target in concerned_ids(dossier, one):
                found.setdefault(target, []).append(one)


def fact_order(evidence: Evidence) -> tuple:
    """Dated facts first, in date order; then the others (a stable sort: in the order of their pages)."""
    return (evidence.date is None, evidence.date.sort_key() if evidence.date else ())


# -- timeline ------------------------------------------------------------------

def _timeline_items(linked: Linked) -> Iterator[TimelineItem]:
    """Owner by owner (ids are unique across kinds, so no two items sort alike: the order is the sort's)."""
    yield from timeline_items_of("", None, linked.evidence[""])
    for folder in folders():
        for entity in linked.dossier.table(folder).values():
            yield from timeline_items_of(folder, entity, linked.evidence[entity.id])


def timeline_items_of(folder: str, entity: m.Entity | None, evidence: list[Evidence]) -> Iterator[TimelineItem]:
    """The dated items of *entity* (stored in *folder*; None: the dossier itself) and of its *evidence*."""
    if folder == "meetings":
        assert isinstance(entity, m.Meeting)
        yield TimelineItem(entity.date, "meeting", entity.id, "", entity.title)
    elif folder == "actors":
        assert isinstance(entity, m.Actor)
        for index, role in enumerate(entity.roles, 1):
            label = f"{entity.name} — {role.title}"
            if role.from_ is not None:
                yield TimelineItem(role.from_, "role-start", entity.id, f"role-{index}", label)
            if role.until is not None:
                yield TimelineItem(role.until, "role-end", entity.id, f"role-{index}", label)
    for one in evidence:
        if one.date is not None:
            yield TimelineItem(one.date, "claim", one.owner, one.anchor, one.text)
