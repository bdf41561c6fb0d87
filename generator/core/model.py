"""The typed model of a dossier: one class per kind, documented field by field.

Each class mirrors one file of the format (described in ``docs/guide/reference.md``).
Validation is pydantic's: unknown fields are forbidden, enums are ``Literal``,
dates are :class:`~generator.core.dates.DateSpan`. Free-text fields are
marked :data:`Markdown` so that later stages can find every ``[[link]]``.
The entity's id and file are not fields (a file cannot set them): they are
private attributes set by :mod:`generator.core.validate`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, cast

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from .crossids import CrossId, Wikidata
from .errors import value_kind
from .files import CITATION_EXTRAS, ID_PATTERN, split_citation
from .kinds import attach, folders, in_folder, name_of_model
from .model_types import (
    LINK_PATTERN,
    LINK_RE,
    SPELLINGS,
    ActorKind,
    Confidence,
    Credibility,
    Date,
    Id,
    KindName,
    Language,
    Likelihood,
    Markdown,
    MarkdownText,
    MeetingStatus,
    QuestionStatus,
    Ref,
    Reliability,
    Sha256,
    SingleDate,
    Slug,
    Url,
    _no_items,
)

__all__ = ["LINK_PATTERN", "LINK_RE", "SPELLINGS", "ActorKind", "Confidence", "Credibility", "Date", "Id",
           "KindName", "Language", "Likelihood", "Markdown", "MarkdownText", "MeetingStatus", "QuestionStatus", "Ref",
           "Reliability", "Sha256", "SingleDate", "Slug", "Url"]
"""The value types, defined in :mod:`generator.core.model_types` and re-exported (the classes below are public too)."""


class Model(BaseModel):
    """Common configuration: unknown fields are errors; docstrings document fields."""

    # Field docstrings reach the JSON Schema through json_schema(), read when asked for:
    # pydantic's use_attribute_docstrings would parse this module's source at every start.
    model_config = ConfigDict(extra="forbid", strict=False, str_strip_whitespace=False, populate_by_name=False)


class Citation(Model):
    """One piece of evidence: a verbatim quote from one source (``source-id: quote``), and reserved keys beside it."""

    source: Id
    """The id of the source quoted."""
    quote: str
    """The words of the source, verbatim; ``[…]`` marks an elision."""
    credibility: Credibility | None = None
    """Admiralty grade of the information quoted (a key beside ``source-id: quote``): 1 (confirmed by other
    sources), 2 (probably true), 3 (possibly true), 4 (doubtful), 5 (improbable), 6 (truth cannot be judged)."""
    translation: str | None = None
    """The analyst's translation of the quote into the dossier's language (a key beside ``source-id: quote``)."""
    # Where a verified quote stands is kept by the dossier (Dossier.quote_spans), not here:
    # a private attribute would cost pydantic a Python call for each of thousands of citations.

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        extras = {"credibility": {"enum": [1, 2, 3, 4, 5, 6], "description": "Admiralty grade of the information "
                                  "quoted: 1 (confirmed by other sources) to 6 (truth cannot be judged)."},
                  "translation": {"type": "string", "description": "The analyst's translation of the quote."}}
        subsets = [[k for bit, k in enumerate(CITATION_EXTRAS) if mask >> bit & 1] for mask in range(1 << len(CITATION_EXTRAS))]
        branches = [{"required": given, "minProperties": 1 + len(given), "maxProperties": 1 + len(given),
                     "properties": {k: False for k in CITATION_EXTRAS if k not in given}} for given in subsets]
        return {"type": "object", "minProperties": 1, "maxProperties": 1 + len(extras), "description": cls.__doc__,
                "properties": extras, "propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": {"type": "string"}, "oneOf": branches}

    @model_validator(mode="before")
    @classmethod
    def _from_pair(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError(f"a citation is a `source-id: quote` pair, found {value_kind(value)}")
        keys, extras = split_citation(value)
        if len(keys) != 1:
            extra = f" beside {', '.join(f'`{k}`' for k in extras)}" if extras else ""
            raise ValueError(f"a citation is one `source-id: quote` pair, found {len(keys)} keys{extra}")
        return {"source": keys[0], "quote": value[keys[0]], **extras}


class Claim(Model):
    """One statement of fact with its evidence."""

    text: Markdown
    """The statement, in Markdown."""
    date: Date | None = None
    """When what the claim says happened."""
    confidence: Confidence | None = None
    """The analyst's confidence in the claim: high, moderate or low."""
    cite: list[Citation] = Field(default_factory=_no_items)
    """The quotes that support the claim."""
    disputed_by: list[Citation] = Field(default_factory=_no_items)
    """Passages (same form as ``cite``, from the same or another source) that contradict the claim."""
    assumes: list[Slug] = Field(default_factory=_no_items)
    """The ids of the key assumptions the claim rests on (declared under ``assumptions``)."""
    why_changed: Markdown | None = None
    """Why the claim or its confidence changed since the previous edition (``previous``)."""


class Assumption(Model):
    """A key assumption: something the analysis takes as true without evidence that settles it."""

    id: Slug
    """Its id, unique within the dossier: claims and hypotheses name it in ``assumes``."""
    text: Markdown
    """What is assumed."""
    why: Markdown | None = None
    """Why the analyst holds it."""
    wrong_if: Markdown | None = None
    """What would show it wrong (what to watch for)."""


def _no_entries() -> dict:
    """An empty mapping: the default of mapping fields (see :func:`_no_items`)."""
    return {}


class ReviewSettings(Model):
    """How ``dossier review`` treats this dossier."""

    off: dict[str, str] = Field(default_factory=_no_entries)
    """Review rules turned off, each with the reason (``rule-id: "why"``)."""


class Role(Model):
    """A position an actor holds or held."""

    title: str
    """The position, as the sources name it."""
    of: Annotated[Id | None, Ref(range=("actor",), reverse="of", edge="out")] = None
    """The organisation or state the position is in (an actor id)."""
    from_: Date | None = Field(default=None, alias="from")
    """When the actor took the position."""
    until: Date | None = None
    """When the actor left it."""
    cite: list[Citation] = Field(default_factory=_no_items)
    """The quotes that show the role."""


class Participant(Model):
    """An actor taking part in a meeting, with the capacity they came in."""

    actor: Annotated[Id, Ref(range=("actor",), reverse="participant", edge="in", facts=True)]
    """The actor's id."""
    role: str | None = None
    """Their role in this meeting, e.g. "chef de la délégation"."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        # An actor id alone, or the mapping.
        return {"anyOf": [{"type": "string", "pattern": ID_PATTERN}, handler(core_schema)]}

    @model_validator(mode="before")
    @classmethod
    def _from_id(cls, value: Any) -> Any:
        return {"actor": value} if isinstance(value, str) else value


class Hypothesis(Model):
    """One possible answer to a question, with its likelihood."""

    text: Markdown
    """The hypothesis."""
    likelihood: Likelihood | None = None
    """How likely, in the words of ICD 203."""
    cite: list[Citation] = Field(default_factory=_no_items)
    """The quotes that support it (consistent with the hypothesis)."""
    against: list[Citation] = Field(default_factory=_no_items)
    """The quotes that argue against it (inconsistent with the hypothesis)."""
    assumes: list[Slug] = Field(default_factory=_no_items)
    """The ids of the key assumptions it rests on."""
    why_changed: Markdown | None = None
    """Why its likelihood or text changed since the previous edition."""


class Entity(Model):
    """What every file of a dossier shares: an id and a path, set by the loader."""

    _id: str = PrivateAttr(default="")
    _path: str = PrivateAttr(default="")

    # Read from pydantic's dict of private values: ``self._id`` goes through
    # ``BaseModel.__getattr__``, a few microseconds at each of the hundreds of
    # thousands of look-ups that a large dossier's rendering makes.

    @property
    def id(self) -> str:
        """The entity's id: its file's stem."""
        private = self.__pydantic_private__
        return private["_id"] if private else ""

    @property
    def path(self) -> str:
        """The entity's YAML file, as named to the tool."""
        private = self.__pydantic_private__
        return private["_path"] if private else ""

    def locate(self, id_: str, path: str) -> Entity:
        """Set id and path (done once, by the validation stage)."""
        self._id, self._path = id_, path
        return self


class Source(Entity):
    """A source document: its metadata (``sources/<id>.yaml``) and its text (``.txt``)."""

    title: str
    """The document's title."""
    outlet: str | None = None
    """Who published it (a newspaper, an agency, a ministry)."""
    author: str | None = None
    """Who wrote it, when known."""
    published: SingleDate
    """When it was published (resolves its relative dates)."""
    language: str | None = None
    """The language of its text, e.g. ``fr``."""
    url: Url | None = None
    """Where it can be read (http or https only)."""
    retrieved: SingleDate | None = None
    """When its text was taken from ``url`` (the day the analyst read or saved it)."""
    archived: Url | None = None
    """The address of an archived copy (e.g. on web.archive.org), in case the original changes or goes."""
    text_sha256: Sha256 | None = None
    """The SHA-256 of its text as imported (``add source --from``); ``check`` reports a text that no longer has it."""
    file_sha256: Sha256 | None = None
    """The SHA-256 of the file the text was imported from (the saved page, PDF or text), for the record."""
    reliability: Reliability | None = None
    """Admiralty grade of the source: A (completely reliable) to F (cannot be judged)."""
    origin: Slug | None = None
    """Where the text comes from, when other sources share it (one wire story relayed by two outlets, one
    copying another): sources of the same ``origin`` count as one source in a claim's sourcing."""
    notes: Markdown | None = None
    """The analyst's notes on the source."""
    same_as: list[CrossId] = Field(default_factory=_no_items)
    """The same source in other dossiers of the library: ``dossier-id:source-id`` entries."""
    wikidata: Wikidata | None = None
    """The source's Wikidata item (``Q…``), when it has one: the same item elsewhere is the same source."""
    _text: str = PrivateAttr(default="")

    @property
    def text(self) -> str:
        """The source's full text (NFC), from ``sources/<id>.txt``."""
        return self._text

    def with_text(self, text: str) -> Source:
        """Attach the full text (done once, by the validation stage)."""
        self._text = text
        return self


class Actor(Entity):
    """A person, an organisation or a state (``actors/<id>.yaml``)."""

    name: str
    """The name the dossier uses."""
    kind: Annotated[ActorKind, BeforeValidator(lambda value: SPELLINGS.get(value, value))]
    """person, organisation (or organization) or state."""
    aliases: list[str] = Field(default_factory=_no_items)
    """Other spellings found in sources (Patrouchev, Patrushev …)."""
    country: Annotated[Id | None, Ref(range=("actor",), reverse="country", edge="out")] = None
    """The state the actor belongs to (an actor id)."""
    summary: Markdown | None = None
    """Who the actor is, in a few sentences."""
    roles: list[Role] = Field(default_factory=_no_items)
    """Positions held, dated where known."""
    claims: list[Claim] = Field(default_factory=_no_items)
    """Facts about the actor."""
    same_as: list[CrossId] = Field(default_factory=_no_items)
    """The same actor in other dossiers of the library: ``dossier-id:actor-id`` entries."""
    wikidata: Wikidata | None = None
    """The actor's Wikidata item (``Q…``): actors with the same item are one actor across the library."""


class Meeting(Entity):
    """A meeting, visit, consultation, summit or forum (``meetings/<id>.yaml``)."""

    title: str
    """The meeting's name."""
    date: Date
    """When it takes place: a day, a month, or an interval."""
    place: str | None = None
    """Where it takes place."""
    status: MeetingStatus = "held"
    """held, planned or cancelled."""
    participants: list[Participant] = Field(default_factory=_no_items)
    """Who takes part: actor ids, or ``{actor: id, role: text}``."""
    topics: list[Markdown] = Field(default_factory=_no_items)
    """What was (or is to be) discussed."""
    summary: Markdown | None = None
    """What the meeting is."""
    outcome: Markdown | None = None
    """What came out of it."""
    follows: Annotated[list[Id], Ref(range=("meeting",), reverse="follows", edge="in")] = Field(default_factory=_no_items)
    """The meetings this one comes after."""
    claims: list[Claim] = Field(default_factory=_no_items)
    """Facts about the meeting."""
    same_as: list[CrossId] = Field(default_factory=_no_items)
    """The same meeting in other dossiers of the library: ``dossier-id:meeting-id`` entries."""
    wikidata: Wikidata | None = None
    """The meeting's Wikidata item (``Q…``), when it has one: the same item elsewhere is the same meeting."""


class Question(Entity):
    """An open question and what is known about it (``questions/<id>.yaml``)."""

    question: Markdown
    """The question, as one sentence (``[[links]]`` allowed; titles show their labels)."""
    status: QuestionStatus
    """open, answered or moot."""
    opened: SingleDate | None = None
    """When the question was raised."""
    reviewed: SingleDate | None = None
    """When it was last reviewed."""
    about: Annotated[list[Id], Ref(reverse="about", facts=True)] = Field(default_factory=_no_items)
    """The entities the question is about."""
    summary: Markdown | None = None
    """What is known."""
    hypotheses: list[Hypothesis] = Field(default_factory=_no_items)
    """Possible answers with their likelihood."""
    exclusive: bool = False
    """The hypotheses are mutually exclusive: at most one is true (their likelihoods must be able to add up)."""
    exhaustive: bool = False
    """The hypotheses cover every case: one of them is true (only with ``exclusive``)."""
    assumptions: list[Assumption] = Field(default_factory=_no_items)
    """Key assumptions of this question's analysis."""
    indicators: list[Markdown] = Field(default_factory=_no_items)
    """What to watch for."""
    answer: Claim | None = None
    """The answer, once there is one."""
    claims: list[Claim] = Field(default_factory=_no_items)
    """Facts that bear on the question."""


class DossierMeta(Entity):
    """The briefing itself (``dossier.yaml``)."""

    title: str
    """The briefing's title."""
    as_of: SingleDate
    """Date of the information cut-off."""
    language: Language = "fr"
    """Language of the text and of the generated labels: fr or en."""
    marking: str | None = None
    """Handling marking printed on every page, e.g. NON CLASSIFIÉ."""
    authors: list[str] = Field(default_factory=_no_items)
    """Who wrote the briefing."""
    summary: Markdown
    """The bottom line up front."""
    key_judgments: list[Claim] = Field(default_factory=_no_items)
    """The main judgments, each a claim."""
    assumptions: list[Assumption] = Field(default_factory=_no_items)
    """Key assumptions of the briefing: what its judgments take as true."""
    review: ReviewSettings | None = None
    """Settings of ``dossier review``: the rules turned off, with a reason."""
    previous: str | None = None
    """The JSON export of the previous edition (a path relative to the dossier folder, e.g. ``editions/2023-09-18.json``)."""

    @field_validator("authors", mode="before")
    @classmethod
    def _one_author(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


for _name, _cls in (("source", Source), ("actor", Actor), ("meeting", Meeting), ("question", Question)):
    attach(_name, model=_cls)


def model_of(folder: str) -> type[Entity]:
    """The class of the files in *folder* (``actors`` -> :class:`Actor`), as its kind declares it."""
    return in_folder(folder).model


def kind_name(entity: Entity) -> str:
    """``dossier``, or the name of *entity*'s kind (``actor`` …), as the kinds declare them."""
    if isinstance(entity, DossierMeta):
        return "dossier"
    return name_of_model(type(entity))


class Contents:
    """The Markdown texts, claims and citations of one model, each with its path, in the file's order."""

    __slots__ = ("citations", "claims", "texts")

    def __init__(self) -> None:
        self.texts: list[tuple[tuple, str]] = []
        """Every Markdown text."""
        self.claims: list[tuple[tuple, Claim]] = []
        """Every claim (key judgments, claims, answers)."""
        self.citations: list[tuple[tuple, Citation]] = []
        """Every citation (of claims, roles, hypotheses)."""


def contents(model: BaseModel) -> Contents:
    """What *model* holds that later stages look into, gathered in one walk."""
    found = Contents()
    _gather(model, (), found)
    return found


def _gather(model: BaseModel, path: tuple, found: Contents) -> None:
    for name, key, shape, item in _walk_plan(type(model)).steps:
        value = getattr(model, name)
        if value is None:
            continue
        if shape is _TEXT:
            found.texts.append((path + (key,), value))
        elif shape is _TEXTS:
            found.texts.extend((path + (key, index), text) for index, text in enumerate(value))
        elif shape is _MODEL:
            assert item is not None  # the plan names the class of every model step
            _gather_model(value, path + (key,), item, found)
        else:
            assert item is not None  # the plan names the class of every model step
            for index, nested in enumerate(value):
                _gather_model(nested, path + (key, index), item, found)


def _gather_model(model: BaseModel, path: tuple, cls: type[BaseModel], found: Contents) -> None:
    if cls is Citation:  # *model* is an instance of *cls*
        found.citations.append((path, cast(Citation, model)))
        return
    if cls is Claim:
        found.claims.append((path, cast(Claim, model)))
    _gather(model, path, found)


_TEXT, _TEXTS, _MODEL, _MODELS = "text", "texts", "model", "models"
"""Shapes of a field the walk goes into: a Markdown text, a list of them, a model, a list of models."""
_Step = tuple[str, str, str, "type[BaseModel] | None"]
"""(attribute, YAML key, shape, class of the model or models held)."""


class _WalkPlan:
    """Which fields of one model class :func:`contents` goes into, worked out once per class."""

    def __init__(self, cls: type[BaseModel]):
        self.steps: list[_Step] = []
        """Fields that hold Markdown, claims or citations, or models that do."""
        for name, info in cls.model_fields.items():
            key, annotation = info.alias or name, info.annotation
            item = model_in(annotation)
            if item is None:
                if _is_markdown(info.metadata, annotation):
                    self.steps.append((name, key, _TEXTS if _is_list(annotation) else _TEXT, None))
            elif item in (Claim, Citation) or _walk_plan(item).steps:
                self.steps.append((name, key, _MODELS if _is_list(annotation) else _MODEL, item))


_WALK_PLANS: dict[type, _WalkPlan] = {}


def _walk_plan(cls: type[BaseModel]) -> _WalkPlan:
    plan = _WALK_PLANS.get(cls)
    if plan is None:
        plan = _WALK_PLANS[cls] = _WalkPlan(cls)
    return plan


def _is_markdown(metadata: list, annotation: Any) -> bool:
    if any(isinstance(item, MarkdownText) for item in metadata):
        return True
    if any(isinstance(item, MarkdownText) for item in getattr(annotation, "__metadata__", ())):
        return True
    return any(_is_markdown([], arg) for arg in getattr(annotation, "__args__", ()))


def references(model: BaseModel, path: tuple = ()) -> Iterator[tuple[tuple, str, Ref]]:
    """(path in the file, id, declaration) for every id a reference field of *model*, or of a model it holds, names."""
    for name, key, ref in _ref_plan(type(model)):
        value = getattr(model, name)
        values = value if isinstance(value, list) else [] if value is None else [value]
        for index, one in enumerate(values):
            where = path + ((key, index) if isinstance(value, list) else (key,))
            yield from [(where, one, ref)] if ref is not None else references(one, where)


_REF_PLANS: dict[type, list[tuple[str, str, Ref | None]]] = {}


def _ref_plan(cls: type[BaseModel]) -> list[tuple[str, str, Ref | None]]:
    """(attribute, YAML key, declaration, or None for a field holding models with references), worked out once."""
    plan = _REF_PLANS.get(cls)
    if plan is None:
        plan = _REF_PLANS[cls] = []
        for name, info in cls.model_fields.items():
            ref, item = ref_of(info), model_in(info.annotation)
            if ref is not None or (item is not None and item is not Citation and _ref_plan(item)):
                plan.append((name, info.alias or name, ref))
    return plan


def ref_of(info: Any) -> Ref | None:
    """The :class:`Ref` declared on a pydantic field, if any."""
    for item in [*info.metadata, *getattr(info.annotation, "__metadata__", ())]:
        if isinstance(item, Ref):
            return item
    return None


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class a field annotation holds (alone, optional or in a list), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = model_in(arg)
        if found is not None:
            return found
    return None


def _is_list(annotation: Any) -> bool:
    if getattr(annotation, "__origin__", None) is list:
        return True
    return any(_is_list(arg) for arg in getattr(annotation, "__args__", ()))


class Dossier:
    """One dossier folder, validated: its metadata and every entity by kind.

    Entities of each kind are kept sorted by id, so every later stage iterates
    them in the same order and two builds of the same input are identical.
    """

    def __init__(self, id_: str, folder: str, meta: DossierMeta):
        self.id = id_
        """The dossier's id: its folder's name."""
        self.folder = folder
        """The dossier's folder, as named to the tool."""
        self.meta = meta
        """The content of ``dossier.yaml``."""
        for table in folders():  # entities by id, one table per kind (``self.actors`` …)
            setattr(self, table, {})
        self.quote_spans: dict[tuple[str, str], tuple[tuple[int, int], ...]] = {}
        """``(source id, quote)`` -> where the quote stands in the source's text, for every verified citation."""
        self.previous: Any = None
        """The previous edition (a :class:`generator.exchange.export.Export`), when ``dossier.yaml`` names one."""
        self.crossings: dict[tuple[str, int, int], Any] = {}
        """Where each ``same_as`` entry and ``[[dossier-id:id]]`` link stands -> what it names
        (a :class:`generator.core.library.Crossing`), checked once every dossier is read."""

    sources: dict[str, Source]
    """Sources by id."""
    actors: dict[str, Actor]
    """Actors by id."""
    meetings: dict[str, Meeting]
    """Meetings by id."""
    questions: dict[str, Question]
    """Questions by id (a kind of one's own has its table too, by its folder's name)."""

    def table(self, folder: str) -> dict[str, Entity]:
        """The entities of the kind stored in *folder* (``actors`` …)."""
        return getattr(self, folder)

    def entity(self, id_: str) -> Entity | None:
        """The entity with this id, of any kind (the linker and renderers ask this often: a direct lookup)."""
        fields = self.__dict__
        for folder in folders():
            found = fields[folder].get(id_)
            if found is not None:
                return found
        return None

    def entities(self) -> Iterator[Entity]:
        """Every entity, kind by kind, sorted by id."""
        for folder in folders():
            yield from self.table(folder).values()

    def sort(self) -> None:
        """Order every table by id."""
        for folder in folders():
            table = self.table(folder)
            ordered = dict(sorted(table.items()))
            table.clear()
            table.update(ordered)
