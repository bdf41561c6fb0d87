"""The value types of the format: Markdown texts, ids, dates, URLs, relations and the enumerated vocabularies.

The model's classes (:mod:`generator.core.model`) are built from these; the model
re-exports every name, so that ``model.Markdown`` or ``model.LINK_RE`` keep
working wherever they are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError, core_schema

from .dates import DateError, DateSpan
from .errors import value_kind
from .files import ID_PATTERN, ID_RE
from .kinds import names

__all__ = ["LINK_PATTERN", "LINK_RE", "SPELLINGS", "ActorKind", "Confidence", "Credibility", "Date", "Id",
           "KindName", "Language", "Likelihood", "Markdown", "MarkdownText", "MeetingStatus", "QuestionStatus", "Ref",
           "Reliability", "SingleDate", "Slug", "Url"]


class MarkdownText:
    """Marker: the field holds Markdown, in which ``[[id]]`` links are checked."""


class _KindNames:
    """The names of ``dossier`` and of the kinds declared (:mod:`generator.core.kinds`), read when checked or described."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return core_schema.no_info_after_validator_function(_declared, core_schema.str_schema())

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        return {"enum": list(names()), "type": "string"}


def _declared(value: str) -> str:
    if value not in names():
        *others, last = names()  # pydantic's own words for a Literal
        raise PydanticCustomError("literal_error", "Input should be {expected}",
                                  {"expected": f"{', '.join(map(repr, others))} or {last!r}"})
    return value


KindName = Annotated[str, _KindNames()]
"""``dossier`` or the name of a declared kind (``actor`` …)."""


LINK_PATTERN = r"\[\[([^\]|\n]*)(?:\|([^\]]*))?\]\]"
"""A ``[[id]]`` or ``[[id|label]]`` link in a Markdown text: group 1 the id, group 2 the label."""
LINK_RE = re.compile(LINK_PATTERN)


@dataclass(frozen=True)
class Ref:
    """Marker: the field refers to other entities by id. Each relation of the format is declared here, once.

    Validation (the target exists and is of the right kind), backlinks (the
    target's page lists the owner under the label ``rel_<reverse>``), the
    network's edges, the index tables and which pages show the owner's facts
    are all derived from this declaration.
    """

    range: tuple[str, ...] = ()
    """The kinds of entity the id may name (``actor``, ``meeting`` …); empty: any kind."""
    reverse: str = ""
    """How the target's page names the relation: the label key ``rel_<reverse>``."""
    edge: str | None = None
    """Whether the network draws it: ``"out"`` (owner to target), ``"in"`` (target to owner) or None."""
    facts: bool = False
    """Whether the facts recorded on the owner concern the target too, and show in full on its page
    (a meeting's claims on each participant's page, a question's on the pages of what it is about)."""


def _parse_date(value: Any) -> DateSpan:
    try:
        return DateSpan.parse(value)
    except DateError as exc:
        raise ValueError(str(exc)) from None


def _parse_single_date(value: Any) -> DateSpan:
    span = _parse_date(value)
    if span.is_interval:
        raise ValueError(f"expected one date, not the interval `{span.iso()}`")
    return span


def _parse_id(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected an id, found {value_kind(value)}")
    if not ID_RE.match(value):
        raise ValueError(f"`{value}` is not an id: lowercase ASCII letters and digits in groups joined by single hyphens")
    return value


def _parse_url(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a URL, found {value_kind(value)}")
    if not re.match(r"^https?://[^\s/?#]+[^\s]*$", value.strip(), re.IGNORECASE):
        raise ValueError(f"`{value}` is not an http(s) URL: only http:// and https:// addresses are allowed")
    return value.strip()


def _parse_sha256(value: Any) -> str:
    if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value):
        return value
    raise ValueError(f"`{value}` is not a SHA-256: 64 lowercase hexadecimal digits" if isinstance(value, str)
                     else f"expected a SHA-256 (64 lowercase hexadecimal digits), found {value_kind(value)}")


def _no_items() -> list:
    """An empty list: the default of list fields.

    A Python function rather than ``list``: pydantic reads the signature of a
    default factory, and a built-in's takes it a tokenizer run (12 ms at start-up
    for the 16 list fields).
    """
    return []


_DATE_SCHEMA = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$"}
Date = Annotated[DateSpan, PlainValidator(_parse_date), WithJsonSchema(_DATE_SCHEMA)]
"""A date at year, month or day precision, or an interval ``start/end``."""
SingleDate = Annotated[DateSpan, PlainValidator(_parse_single_date), WithJsonSchema(_DATE_SCHEMA)]
"""One date at year, month or day precision."""
Id = Annotated[str, PlainValidator(_parse_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN})]
"""A reference to another entity of the same dossier, by id."""
Slug = Annotated[str, PlainValidator(_parse_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN})]
"""A name of the analyst's choosing, written like an id (an assumption's, a shared origin's)."""
Url = Annotated[str, PlainValidator(_parse_url), WithJsonSchema({"type": "string", "pattern": "^https?://"})]
"""An http or https address."""
Sha256 = Annotated[str, PlainValidator(_parse_sha256), WithJsonSchema({"type": "string", "pattern": "^[0-9a-f]{64}$"})]
"""A SHA-256 digest: 64 lowercase hexadecimal digits."""
Markdown = Annotated[str, MarkdownText()]
"""Free text in Markdown; ``[[id]]`` and ``[[id|label]]`` link to entities."""

Confidence = Literal["high", "moderate", "low"]
Likelihood = Literal["almost-no-chance", "very-unlikely", "unlikely", "roughly-even", "likely",
                     "very-likely", "almost-certain"]
Reliability = Literal["A", "B", "C", "D", "E", "F"]
Credibility = Literal[1, 2, 3, 4, 5, 6]
"""Admiralty grade of a piece of information: 1 (confirmed by other sources) to 6 (cannot be judged)."""
ActorKind = Literal["person", "organisation", "state"]
SPELLINGS = {"organization": "organisation"}
"""Other spellings of enumerated values, accepted as the value they stand for."""
MeetingStatus = Literal["held", "planned", "cancelled"]
QuestionStatus = Literal["open", "answered", "moot"]
Language = Literal["fr", "en"]
