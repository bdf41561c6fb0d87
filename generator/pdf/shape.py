"""The shape of the PDF's data (``data.json``), typed: what :mod:`.data` builds and ``template.typ`` reads.

Every key :func:`.data.pdf_data` writes is declared here, so that mypy checks
the builders against it, and a test checks a real dossier's data against it,
an unknown or missing key included, and that the template tests' sample (the
data of ``tests/fixtures/pdf-sample/``) fills every key (``tests/test_pdf_shape.py``). The keys marked "set by
:mod:`.compile`" are added on the way to Typst. Strings arrive worded in the
dossier's language; ``template.typ``'s header says what the template does with
each key.
"""


from typing import Any, NotRequired, TypedDict

Blocks = list[dict[str, Any]]
"""Markdown as the template's blocks (:mod:`.mdast`): paragraphs, lists, quotes of INLINES."""
Inlines = list[dict[str, Any]]
"""Inline text (:mod:`.mdast`): text, emphasis, code, links, references to an entity or a claim."""

class Cite(TypedDict):
    """A citation, printed as a footnote."""

    key: str
    quote: str
    source_title: str
    source_anchor: str
    reliability: str | None
    translation: str | None
    """The analyst's translation, worded (label and quotation marks), or None."""
    first: NotRequired[bool]
    """Set by :mod:`.compile`: the key's first occurrence in print order."""
    n: NotRequired[int]
    """Set by :mod:`.compile`: the footnote's number."""
    quoted: NotRequired[str]
    """Set by :mod:`.compile`: the quote in the document's quotation marks."""


class ClaimMarks(TypedDict):
    """What the tradecraft adds to a claim or a hypothesis (:mod:`.tradecraft`)."""

    single_source: str | None
    rests_on: str | None


class Claim(ClaimMarks):
    """A claim (a key judgment, an answer, a fact of an entity)."""

    text: Blocks
    label: str
    date: str | None
    confidence: str | None
    cites: list[Cite]
    disputed_by: list[Cite]
    disputed_label: str


class FactRef(TypedDict):
    """A reference to a claim printed elsewhere."""

    target: str
    text: Inlines
    where: str
    date: str | None


class Facts(TypedDict):
    """The claims about an entity recorded in other sections."""

    heading: str
    items: list[FactRef]


class Resting(TypedDict):
    """What rests on an assumption, linked."""

    target: str
    text: str


class Assumption(TypedDict):
    """A key assumption."""

    text: Blocks
    why: Blocks
    wrong_if: Blocks
    why_label: str
    wrong_if_label: str
    assumed_by_label: str
    assumed_by: list[Resting]


class Hypothesis(TypedDict):
    """A hypothesis of a question."""

    text: Blocks
    likelihood: str | None
    cites: list[Cite]
    against: list[Cite]
    rests_on: str | None


class Cell(TypedDict):
    sign: str
    word: str
    value: str


class MatrixRow(TypedDict):
    cite: Cite
    cells: list[Cell]


class Matrix(TypedDict):
    """The evidence matrix of competing hypotheses."""

    columns: list[str]
    rows: list[MatrixRow]
    totals: list[str]


class Question(TypedDict):
    anchor: str
    title: str
    status: str
    opened: str | None
    reviewed: str | None
    about: list[Inlines]
    summary: Blocks
    hypotheses: list[Hypothesis]
    indicators: list[Blocks]
    answer: Claim | None
    claims: list[Claim]
    matrix: Matrix | None
    facts_about: Facts
    disagreement: list[str]
    assumptions: list[Assumption]
    hypotheses_kind: str | None


class Participant(TypedDict):
    name: Inlines
    role: str | None


class Meeting(TypedDict):
    anchor: str
    title: str
    date: str
    place: str | None
    status: str
    participants: list[Participant]
    topics: list[str]
    summary: Blocks
    outcome: Blocks
    follows: list[Inlines]
    followed_by: list[Inlines]
    claims: list[Claim]
    facts_about: Facts


class Role(TypedDict):
    title: str
    of: Inlines | None
    dates: str | None
    cites: list[Cite]


class Actor(TypedDict):
    anchor: str
    title: str
    kind: str
    aliases: list[str]
    country: Inlines | None
    roles: list[Role]
    summary: Blocks
    claims: list[Claim]
    facts_about: Facts


class Source(TypedDict):
    anchor: str
    title: str
    outlet: str | None
    author: str | None
    published: str
    url: str | None
    language: str | None
    retrieved: str | None
    archived: str | None
    text_sha256: str | None
    reliability: str | None
    notes: Blocks
    cited_share: str


class TimelineRow(TypedDict):
    date: str
    kind: str
    text: Inlines


class ChangeItem(TypedDict):
    badge: str
    title: str
    detail: str
    reason: str | None
    target: str


class Changes(TypedDict):
    """What changed since the previous edition."""

    heading: str
    empty: str
    items: list[ChangeItem]


class SourcingItem(TypedDict):
    target: str
    text: str


class SourcingOwner(TypedDict):
    title: str
    items: list[SourcingItem]


class SourcingRow(TypedDict):
    count: str
    label: str
    owners: list[SourcingOwner]


class SourcingGroup(TypedDict):
    heading: str
    rows: list[SourcingRow]


class Sourcing(TypedDict):
    """The claims by number of independent sources and by best grade."""

    heading: str
    intro: str
    groups: list[SourcingGroup]


class Document(TypedDict):
    title: str
    authors: list[str]


class PdfData(TypedDict):
    """The whole ``data.json``."""

    lang: str
    labels: dict[str, str]
    title: str
    as_of: str
    as_of_iso: str
    marking: str | None
    authors: list[str]
    changes: Changes | None
    summary: Blocks
    key_judgments: list[Claim]
    assumptions: list[Assumption]
    sourcing: Sourcing | None
    disputed: list[FactRef]
    questions: list[Question]
    meetings: list[Meeting]
    actors: list[Actor]
    timeline: list[TimelineRow]
    sources: list[Source]
    document: NotRequired[Document]
    """Set by :mod:`.compile`: the title and authors as given, for the PDF's metadata."""
    parts: NotRequired[list[str]]
    """Set by :mod:`.compile`: the parts printed, in print order (:data:`.runs.PARTS`)."""
    page_runs: NotRequired[list[str]]
    """Set by :mod:`.compile`: the parts that start a run of pages (:mod:`.runs`)."""
