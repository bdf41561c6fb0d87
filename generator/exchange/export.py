"""The linked dossier as JSON, for other tools and for editions (``dossier export``).

The export is built from typed models (below), so its JSON Schema is derived
from the same classes that write and read it (``dossier export --schema``).
Order is deliberate and stable: fields in declaration order, entities by id,
claims in file order, the timeline in time order. Two exports of the same
dossier are byte-identical, and a line diff of two exports reads well.

Every reference is resolved to ``{id, kind, title}``; every date is given as
written (``iso``) with its precision and the calendar days it covers; every
citation with the quote as written and its character offsets in the source's
text (NFC, end exclusive).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, cast

import orjson
from pydantic import Field, ValidationError

from ..analysis.sourcing import sourcing
from ..core import model as m
from ..core.dates import DateSpan
from ..core.kinds import attach, shown
from ..core.link import Evidence, Linked, TimelineItem, kind_of
from ..core.model_docs import json_schema
from ..incremental.page_reads import title_read
from .export_kinds import nothing, with_kinds

FORMAT: Literal["dossier-export"] = "dossier-export"
"""The value of every export's ``format`` field."""
VERSION: Literal[1] = 1
"""The version of the export format this tool writes and reads."""

Precision = Literal["year", "month", "day"]
TimelineKind = Literal["meeting", "role-start", "role-end", "claim"]


class ExportedDate(m.Model):
    """A date at its own precision, or an interval."""

    iso: str
    """As written in the dossier: ``2023``, ``2023-09``, ``2023-09-18`` or ``START/END``."""
    precision: Precision
    """The precision of the date (of its start, for an interval)."""
    end_precision: Precision | None = None
    """The precision of the end of an interval; null for a single date."""
    first_day: str
    """The first calendar day the date may stand for (YYYY-MM-DD)."""
    last_day: str
    """The last calendar day the date may stand for (YYYY-MM-DD)."""


class ExportedRef(m.Model):
    """A reference to an entity, resolved."""

    id: str
    """The entity's id (empty for the dossier itself)."""
    kind: m.KindName
    """The entity's kind."""
    title: str
    """Its display name (name, title or question, links shown as their labels)."""


class ExportedCitation(m.Model):
    """One quote from a source."""

    source: str
    """The id of the source quoted."""
    quote: str
    """The quote as written in the dossier (``[…]`` marks an elision)."""
    translation: str | None = None
    """The analyst's translation of the quote, when the citation gives one."""
    spans: list[tuple[int, int]]
    """Where each part of the quote stands in the source's text: character offsets, start and end (exclusive)."""
    credibility: m.Credibility | None = None
    """Admiralty grade of the information quoted, 1 to 6, when the analyst gave one."""


class ExportedSourcing(m.Model):
    """A claim's sourcing, computed: the independent sources behind it and their grades."""

    sources: int
    """How many independent sources (sources sharing an ``origin`` count once)."""
    origins: list[str] = Field(default_factory=nothing)
    """The independent sources: each cited source's ``origin``, or its id, in citation order."""
    grades: list[str] = Field(default_factory=nothing)
    """The grade of each (the best of a shared origin's; ``-`` when not graded)."""
    credibility: list[int] = Field(default_factory=nothing)
    """The information grades given to its citations."""


class ExportedClaim(m.Model):
    """A claim, a key judgment or an answer, with its evidence."""

    anchor: str
    """Its HTML id on its owner's page (``claim-2``, ``kj-1``, ``answer``)."""
    text: str
    """The statement (Markdown; ``[[id]]`` links as written)."""
    date: ExportedDate | None = None
    """When what it says happened."""
    confidence: m.Confidence | None = None
    """The analyst's confidence."""
    citations: list[ExportedCitation] = Field(default_factory=nothing)
    """The quotes that support it, in the order written."""
    disputed_by: list[ExportedCitation] = Field(default_factory=nothing)
    """The quotes that contradict it (``disputed_by``), in the order written."""
    sourcing: ExportedSourcing | None = None
    """Its sourcing, computed from ``citations`` (absent from exports made before it was computed)."""
    assumes: list[str] = Field(default_factory=nothing)
    """The ids of the key assumptions it rests on."""
    why_changed: str | None = None
    """Why it changed since the previous edition (Markdown)."""


class ExportedItemRef(m.Model):
    """A claim or hypothesis of an entity: the entity, resolved, and the item's anchor on its page."""

    id: str
    """The entity's id (empty for the dossier's key judgments)."""
    kind: m.KindName
    """The entity's kind."""
    title: str
    """The entity's display name."""
    anchor: str
    """The item's HTML id on the entity's page (``kj-1``, ``claim-2``, ``hypothesis-1``)."""


class ExportedAssumption(m.Model):
    """A key assumption, with what rests on it."""

    id: str
    """Its id."""
    text: str
    """What is assumed (Markdown)."""
    why: str | None = None
    """Why the analyst holds it (Markdown)."""
    wrong_if: str | None = None
    """What would show it wrong (Markdown)."""
    assumed_by: list[ExportedItemRef] = Field(default_factory=nothing)
    """The claims and hypotheses that name it in ``assumes``, in page order."""


class ExportedBacklink(m.Model):
    """An entity that refers to this one, and how."""

    id: str
    """The referring entity's id (empty for the dossier's home)."""
    kind: m.KindName
    """Its kind."""
    title: str
    """Its display name."""
    relations: list[str]
    """How it refers: link, participant, of, country, follows, about, cites."""


class ExportedEntity(m.Model):
    """What every exported entity has."""

    id: str
    """The entity's id (its file's stem)."""
    title: str
    """Its display name."""
    backlinks: list[ExportedBacklink] = Field(default_factory=nothing)
    """What refers to it, by kind then id."""


class ExportedSource(ExportedEntity):
    """A source document's metadata (its text stays in the dossier folder)."""

    kind: Literal["source"] = "source"
    """Always ``source``."""
    outlet: str | None = None
    """Who published it."""
    author: str | None = None
    """Who wrote it."""
    published: ExportedDate
    """When it was published."""
    language: str | None = None
    """The language of its text."""
    url: str | None = None
    """Where it can be read."""
    retrieved: ExportedDate | None = None
    """When its text was taken from ``url``."""
    archived: str | None = None
    """The address of an archived copy."""
    text_sha256: str | None = None
    """The SHA-256 of its text as imported (the text checked against it is that of this edition)."""
    file_sha256: str | None = None
    """The SHA-256 of the file its text was imported from."""
    reliability: m.Reliability | None = None
    """Admiralty grade A to F."""
    origin: str | None = None
    """Where its text comes from, when other sources share it (they count as one source)."""
    notes: str | None = None
    """The analyst's notes (Markdown)."""
    cited_share: float
    """Share of its text that is cited, 0 to 1 (4 decimals)."""


class ExportedRole(m.Model):
    """A position an actor holds or held."""

    anchor: str
    """Its HTML id on the actor's page (``role-1``)."""
    title: str
    """The position."""
    of: ExportedRef | None = None
    """The organisation or state it is in."""
    from_: ExportedDate | None = Field(default=None, alias="from")
    """When it was taken."""
    until: ExportedDate | None = None
    """When it was left."""
    citations: list[ExportedCitation] = Field(default_factory=nothing)
    """The quotes that show it."""


class ExportedActor(ExportedEntity):
    """A person, an organisation or a state."""

    kind: Literal["actor"] = "actor"
    """Always ``actor``."""
    actor_kind: m.ActorKind
    """person, organisation or state (the ``kind`` field of the actor's file)."""
    aliases: list[str] = Field(default_factory=nothing)
    """Other spellings."""
    country: ExportedRef | None = None
    """The state it belongs to."""
    summary: str | None = None
    """Who it is (Markdown)."""
    roles: list[ExportedRole] = Field(default_factory=nothing)
    """Positions held."""
    claims: list[ExportedClaim] = Field(default_factory=nothing)
    """Facts about it."""
    meetings: list[ExportedRef] = Field(default_factory=nothing)
    """The meetings it takes part in, by date."""
    questions: list[ExportedRef] = Field(default_factory=nothing)
    """The questions about it."""


class ExportedParticipant(m.Model):
    """An actor taking part in a meeting."""

    actor: ExportedRef
    """The actor."""
    role: str | None = None
    """The capacity it came in."""


class ExportedMeeting(ExportedEntity):
    """A meeting, visit or summit."""

    kind: Literal["meeting"] = "meeting"
    """Always ``meeting``."""
    date: ExportedDate
    """When it takes place."""
    place: str | None = None
    """Where."""
    status: m.MeetingStatus
    """held, planned or cancelled."""
    participants: list[ExportedParticipant] = Field(default_factory=nothing)
    """Who takes part."""
    topics: list[str] = Field(default_factory=nothing)
    """What was discussed (Markdown)."""
    summary: str | None = None
    """What it is (Markdown)."""
    outcome: str | None = None
    """What came out of it (Markdown)."""
    follows: list[ExportedRef] = Field(default_factory=nothing)
    """The meetings it comes after."""
    followed_by: list[ExportedRef] = Field(default_factory=nothing)
    """The meetings that come after it, by date."""
    claims: list[ExportedClaim] = Field(default_factory=nothing)
    """Facts about it."""
    questions: list[ExportedRef] = Field(default_factory=nothing)
    """The questions about it."""


class ExportedHypothesis(m.Model):
    """A possible answer to a question."""

    anchor: str
    """Its HTML id on the question's page (``hypothesis-1``)."""
    text: str
    """The hypothesis (Markdown)."""
    likelihood: m.Likelihood | None = None
    """How likely, in the words of ICD 203."""
    citations: list[ExportedCitation] = Field(default_factory=nothing)
    """The quotes that support it (``cite``)."""
    against: list[ExportedCitation] = Field(default_factory=nothing)
    """The quotes that argue against it (``against``), in the order written."""
    assumes: list[str] = Field(default_factory=nothing)
    """The ids of the key assumptions it rests on."""
    why_changed: str | None = None
    """Why it changed since the previous edition (Markdown)."""


class ExportedQuestion(ExportedEntity):
    """An open question and what is known about it."""

    kind: Literal["question"] = "question"
    """Always ``question``."""
    question: str
    """The question as written (Markdown); ``title`` has its plain form."""
    status: m.QuestionStatus
    """open, answered or moot."""
    opened: ExportedDate | None = None
    """When it was raised."""
    reviewed: ExportedDate | None = None
    """When it was last reviewed."""
    about: list[ExportedRef] = Field(default_factory=nothing)
    """The entities it is about."""
    summary: str | None = None
    """What is known (Markdown)."""
    hypotheses: list[ExportedHypothesis] = Field(default_factory=nothing)
    """Possible answers."""
    exclusive: bool = False
    """The hypotheses are mutually exclusive."""
    exhaustive: bool = False
    """The hypotheses cover every case."""
    assumptions: list[ExportedAssumption] = Field(default_factory=nothing)
    """Key assumptions of the question's analysis."""
    indicators: list[str] = Field(default_factory=nothing)
    """What to watch for (Markdown)."""
    answer: ExportedClaim | None = None
    """The answer, once there is one."""
    claims: list[ExportedClaim] = Field(default_factory=nothing)
    """Facts that bear on it."""


class ExportedTimelineItem(m.Model):
    """A dated item of the timeline."""

    date: ExportedDate
    """When."""
    kind: TimelineKind
    """What it is."""
    owner: ExportedRef
    """The entity it belongs to."""
    anchor: str
    """Its HTML id on the owner's page, or empty for the page itself."""
    text: str
    """What happened (Markdown for claims, plain text otherwise)."""


class ExportedIdentity(m.Model):
    """An entity of this dossier that other dossiers of the library know too (``same_as``, ``wikidata``)."""

    entity: ExportedRef
    """The entity, in this dossier."""
    library_page: str | None = None
    """Its library page, as a path in the site (``library/actors/wang-yi.md``); none when the export
    was made without the other dossiers (``dossier export`` of one dossier)."""
    same_as: list[str]
    """The same entity in the other dossiers, as ``dossier-id:entity-id``, the newest dossier first."""
    wikidata: str | None = None
    """Its Wikidata item, when a dossier gives one."""


class Export(m.Model):
    """A linked dossier: every entity, claim and citation, with references resolved."""

    format: Literal["dossier-export"]
    """Always ``dossier-export``."""
    version: Literal[1]
    """The version of this format."""
    id: str
    """The dossier's id (its folder's name)."""
    title: str
    """The briefing's title."""
    language: m.Language
    """The dossier's language."""
    as_of: ExportedDate
    """The information cut-off: the date of this edition."""
    marking: str | None = None
    """Handling marking."""
    authors: list[str] = Field(default_factory=nothing)
    """Who wrote it."""
    summary: str
    """The bottom line up front (Markdown)."""
    previous: str | None = None
    """The previous edition's export, as named in dossier.yaml."""
    key_judgments: list[ExportedClaim] = Field(default_factory=nothing)
    """The main judgments."""
    assumptions: list[ExportedAssumption] = Field(default_factory=nothing)
    """Key assumptions of the briefing."""
    review_off: dict[str, str] = Field(default_factory=dict)
    """Review rules the dossier turns off (``review.off``), each with its reason."""
    questions: list[ExportedQuestion] = Field(default_factory=nothing)
    """Questions, by id."""
    meetings: list[ExportedMeeting] = Field(default_factory=nothing)
    """Meetings, by id."""
    actors: list[ExportedActor] = Field(default_factory=nothing)
    """Actors, by id."""
    sources: list[ExportedSource] = Field(default_factory=nothing)
    """Sources, by id."""
    timeline: list[ExportedTimelineItem] = Field(default_factory=nothing)
    """Every dated item, in time order."""
    identities: list[ExportedIdentity] = Field(default_factory=nothing)
    """Its entities known in other dossiers of the library (symmetric and transitive), kind by kind, by id;
    empty in the exports of earlier versions and when nothing is shared."""

    def entities(self) -> list[ExportedEntity]:
        """Every entity, kind by kind (a kind declared after this export was made has none)."""
        return [entity for one in shown() for entity in getattr(self, one.folder, ())]


# -- building the export ---------------------------------------------------------

def date(span: DateSpan) -> ExportedDate:
    """*span* as exported."""
    return ExportedDate(iso=span.iso(), precision=cast(Precision, span.start.precision),
                        end_precision=cast(Precision, span.end.precision) if span.is_interval else None,
                        first_day=span.start.first_day().isoformat(), last_day=span.end.last_day().isoformat())


def date_of(span: DateSpan | None) -> ExportedDate | None:
    """*span* as exported, or None."""
    return None if span is None else date(span)


class ExportBuilder:
    """Turns one linked dossier into its :class:`Export`."""

    def __init__(self, linked: Linked):
        self.linked, self.dossier = linked, linked.dossier

    def ref(self, id_: str) -> ExportedRef:  # noted as a read of the entity's kind and title only (dossier serve)
        return title_read(self.dossier.id, id_, lambda: ExportedRef(id=id_, kind=kind_of(cast(
            m.Entity, self.dossier.entity(id_) if id_ else self.dossier.meta)), title=self.linked.title(id_)))

    def refs(self, ids: list[str]) -> list[ExportedRef]:
        return [self.ref(i) for i in ids]

    def citations(self, citations: list[m.Citation]) -> list[ExportedCitation]:
        spans = self.dossier.quote_spans
        return [ExportedCitation(source=c.source, quote=c.quote, translation=c.translation, credibility=c.credibility,
                                 spans=list(spans.get((c.source, c.quote), ()))) for c in citations]

    def claim(self, evidence: Evidence) -> ExportedClaim:
        found = sourcing(self.dossier, evidence.citations)
        computed = ExportedSourcing(sources=found.count, origins=list(found.origins), grades=list(found.grades),
                                    credibility=list(found.credibility))
        return ExportedClaim(anchor=evidence.anchor, text=evidence.text, date=date_of(evidence.date),
                             confidence=cast(m.Confidence | None, evidence.confidence),
                             citations=self.citations(evidence.citations),
                             disputed_by=self.citations(evidence.disputed_by), sourcing=computed,
                             assumes=list(evidence.assumes), why_changed=evidence.why_changed)

    def assumptions(self, owner: m.DossierMeta | m.Question) -> list[ExportedAssumption]:
        if not owner.assumptions:  # as the page does: no walk through every claim (nor a read of it, for serve)
            return []
        resting: dict[str, list[ExportedItemRef]] = {}
        for key in sorted(self.linked.evidence):  # the dossier's own ("") first: "" sorts before every id
            for e in self.linked.evidence[key]:
                for name in e.assumes:
                    resting.setdefault(name, []).append(ExportedItemRef(**self.ref(key).model_dump(), anchor=e.anchor))
        return [ExportedAssumption(id=a.id, text=a.text, why=a.why, wrong_if=a.wrong_if, assumed_by=resting.get(a.id, []))
                for a in owner.assumptions]

    def claims(self, owner: str, prefix: str) -> list[ExportedClaim]:
        return [self.claim(e) for e in self.linked.evidence.get(owner, []) if e.anchor.startswith(prefix)]

    def common(self, entity: m.Entity) -> dict[str, Any]:
        grouped: dict[str, list[str]] = {}
        for backlink in self.linked.backlinks.get(entity.id, []):
            grouped.setdefault(backlink.owner, []).append(backlink.relation)
        backlinks = [ExportedBacklink(**self.ref(owner).model_dump(), relations=sorted(set(relations)))
                     for owner, relations in grouped.items()]
        return {"id": entity.id, "title": self.linked.title(entity.id), "backlinks": backlinks}

    def source(self, s: m.Source) -> ExportedSource:
        return ExportedSource(**self.common(s), outlet=s.outlet, author=s.author, published=date(s.published),
                              language=s.language, url=s.url, retrieved=date_of(s.retrieved), archived=s.archived,
                              text_sha256=s.text_sha256, file_sha256=s.file_sha256, reliability=s.reliability,
                              origin=s.origin, notes=s.notes, cited_share=round(self.linked.cited_share.get(s.id, 0.0), 4))

    def actor(self, a: m.Actor) -> ExportedActor:
        roles = [ExportedRole(anchor=f"role-{i}", title=r.title, of=self.ref(r.of) if r.of else None,
                              **{"from": date_of(r.from_)}, until=date_of(r.until), citations=self.citations(r.cite))
                 for i, r in enumerate(a.roles, 1)]
        return ExportedActor(**self.common(a), actor_kind=a.kind, aliases=list(a.aliases),
                             country=self.ref(a.country) if a.country else None, summary=a.summary, roles=roles,
                             claims=self.claims(a.id, "claim-"), meetings=self.refs(self.linked.meetings_of.get(a.id, [])),
                             questions=self.refs(self.linked.questions_about.get(a.id, [])))

    def meeting(self, x: m.Meeting) -> ExportedMeeting:
        participants = [ExportedParticipant(actor=self.ref(p.actor), role=p.role) for p in x.participants]
        return ExportedMeeting(**self.common(x), date=date(x.date), place=x.place, status=x.status,
                               participants=participants, topics=list(x.topics), summary=x.summary, outcome=x.outcome,
                               follows=self.refs(x.follows), followed_by=self.refs(self.linked.followed_by.get(x.id, [])),
                               claims=self.claims(x.id, "claim-"), questions=self.refs(self.linked.questions_about.get(x.id, [])))

    def question(self, q: m.Question) -> ExportedQuestion:
        hypotheses = [ExportedHypothesis(anchor=f"hypothesis-{i}", text=h.text, likelihood=h.likelihood,
                                         citations=self.citations(h.cite), against=self.citations(h.against),
                                         assumes=list(h.assumes), why_changed=h.why_changed)
                      for i, h in enumerate(q.hypotheses, 1)]
        answer = self.claims(q.id, "answer")
        return ExportedQuestion(**self.common(q), question=q.question, status=q.status, opened=date_of(q.opened),
                                reviewed=date_of(q.reviewed), about=self.refs(q.about), summary=q.summary,
                                hypotheses=hypotheses, exclusive=q.exclusive, exhaustive=q.exhaustive,
                                assumptions=self.assumptions(q), indicators=list(q.indicators), answer=answer[0] if answer else None,
                                claims=self.claims(q.id, "claim-"))

    def identity(self, entity: m.Entity) -> ExportedIdentity | None:
        """What the export's ``identities`` say of *entity*: None when it is known nowhere else."""
        library = self.linked.library
        identity = library.of.get((self.dossier.id, entity.id)) if library is not None else None
        same_as = library.same_as(self.dossier.id, entity.id) if library is not None else []
        wikidata = identity.wikidata if identity is not None else getattr(entity, "wikidata", None)
        return ExportedIdentity(entity=self.ref(entity.id), same_as=same_as, wikidata=wikidata, library_page=identity.src
                                if identity is not None else None) if same_as or wikidata else None

    def timeline_item(self, item: TimelineItem) -> ExportedTimelineItem:
        return ExportedTimelineItem(date=date(item.date), kind=cast(TimelineKind, item.kind), owner=self.ref(item.owner),
                                    anchor=item.anchor, text=item.text)


def export(linked: Linked, *, entities: bool = True, whole: bool = True) -> Export:
    """One linked dossier's export (:mod:`generator.incremental.export_parts`: without its entities or *whole*'s lists)."""
    b, d = ExportBuilder(linked), linked.dossier
    meta, lists = d.meta, {one.folder: [one.export[1](b, e) for e in d.table(one.folder).values()] if entities else []
                           for one in shown()}
    shared = [found for one in shown() if one.library is not None for e in d.table(one.folder).values()
              if (found := b.identity(e)) is not None] if whole else []  # in the export's order of kinds
    sections = {"key_judgments": b.claims("", "kj-"), "assumptions": b.assumptions(meta), "identities": shared,
                "timeline": [b.timeline_item(item) for item in linked.timeline]} if whole else {}
    return with_kinds(Export)(format=FORMAT, version=VERSION, id=d.id, title=meta.title, language=meta.language,
                              as_of=date(meta.as_of), marking=meta.marking, authors=list(meta.authors), summary=meta.summary,
                              previous=meta.previous, review_off=dict(meta.review.off) if meta.review else {}, **lists,
                              **sections)


for _cls in (ExportedQuestion, ExportedMeeting, ExportedActor, ExportedSource):  # each kind's class and builder
    attach(_kind := _cls.model_fields["kind"].default, export=(_cls, getattr(ExportBuilder, _kind)))


def to_json(data: Any) -> str:
    """*data* as the tool writes JSON: UTF-8 text, indented, keys in their declared order, a final newline.

    Written by orjson, as the standard library would write it with ``ensure_ascii=False, indent=2``
    (a test holds the two to the same text): a large dossier's export, which the site publishes,
    is tens of megabytes, 0.56 s for the standard encoder at 1,440 entities and 0.07 s for orjson.
    """
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"


def export_json(linked: Linked) -> str:
    """The export of *linked* as JSON text (byte-identical for the same dossier)."""
    return to_json(export(linked).model_dump(mode="json", by_alias=True))


def export_schema() -> dict[str, Any]:
    """The JSON Schema of an export, derived from the classes above."""
    schema = json_schema(with_kinds(Export))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


# -- reading an export -----------------------------------------------------------

class ExportError(ValueError):
    """A file that is not a readable export; *line* and *column* locate JSON syntax errors."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.line, self.column = line, column


def load_export(path: Path) -> Export:
    """Read and validate the export at *path*; raise :class:`ExportError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExportError("no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(f"cannot be read: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(f"not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    return parse_export(data)


def parse_export(data: Any) -> Export:
    """Validate already decoded JSON as an export; raise :class:`ExportError`."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExportError(f"not a dossier export (no `\"format\": \"{FORMAT}\"`)")
    if data.get("version") != VERSION:
        raise ExportError(f"export format version {data.get('version')!r} is not supported (this tool reads version {VERSION})")
    try:
        return with_kinds(Export).model_validate(data)
    except ValidationError as exc:
        first, more = exc.errors(include_url=False)[0], exc.error_count() - 1
        where = ".".join(str(part) for part in first["loc"])
        raise ExportError(f"not a valid dossier export: `{where}`: {first['msg']}"
                          + (f" (and {more} more)" if more else "")) from None
