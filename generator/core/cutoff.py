"""A dossier's dates held to its cut-off (``as_of``), and the templates' placeholders left in its files.

Run once a dossier's files are all read and validated (the last step of
:func:`generator.core.validate.load_dossier`); every finding is located:

* warnings: a source published after ``as_of``; a claim (key judgments and
  answers included) dated after it; a meeting said to be ``held`` that
  starts after it; a claim whose every cited source was published before
  the event the claim dates (such a source can only have announced it).
  The claims of a planned or cancelled meeting tell what was announced:
  their dates are not held to the cut-off;
  a text still holding a template's placeholder (``To write: …``,
  ``À rédiger : …``) is a warning too: the contract promises that a dossier
  just made by ``dossier new`` checks clean (exit 0), and its summary is such
  a placeholder until written;
* errors: a source text still the template's "paste the text here" line.
  (A date placeholder, ``YYYY-MM-DD``, is not a date: the model rejects it,
  with its own message, in :mod:`generator.core.dates`.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..authoring.templates import PASTE_TEXT, TO_WRITE
from . import model as m
from .dates import DateSpan
from .errors import Report
from .files import META, Plan
from .loader import Document, remembered


def check_dossier(plan: Plan, dossier: m.Dossier, docs: dict[str, Document], report: Report) -> None:
    """Add the located warnings and errors of the cut-off and of the placeholders of *dossier*.

    *docs* maps each entity's id (``META`` for ``dossier.yaml``) to the
    document it was read from (valid or not: placeholders are told in both).
    """
    for doc in docs.values():
        if not any(marker in doc.text for marker in TO_WRITE):
            continue  # most files: no need to walk their values
        for path, text in _placeholders(doc.data, ()):
            name = next(part for part in reversed(path) if isinstance(part, str))
            report.add(doc.path, *doc.position(path), f"`{name}` still holds the template's placeholder "
                       f"(“{_short(text)}”): replace it with your own text", "warning")
    for job in plan.jobs:
        source = dossier.sources.get(job.id)
        if job.text is not None and source is not None and source.text.strip() in _PASTE:
            report.add(job.text.display, 1, 1, "the source's text is still the template's placeholder: "
                       "paste the document's full text here (or import it: `dossier add source … --from FILE`)")
    if isinstance(getattr(dossier.meta, "as_of", None), DateSpan):  # a valid dossier.yaml: the cut-off is known
        _Cutoff(dossier, docs, report).check()


_PASTE = {text.strip() for text in PASTE_TEXT.values()}


def _placeholders(data: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    """(path, text) of each string of *data* that starts with a template's placeholder marker."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _placeholders(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _placeholders(value, path + (index,))
    elif isinstance(data, str) and data.lstrip().startswith(TO_WRITE) and path:
        yield path, data.strip()


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _claims(entity: m.Entity) -> Iterator[tuple[tuple, m.Claim]]:
    """(path, claim) of each claim of *entity*: key judgments, claims, an answer (a cheap walk: dossiers are large)."""
    fields = type(entity).model_fields
    for key in ("key_judgments", "claims"):
        if key in fields:
            for index, claim in enumerate(getattr(entity, key)):
                yield (key, index), claim
    if isinstance(entity, m.Question) and entity.answer is not None:
        yield ("answer",), entity.answer


class _Cutoff:
    """The warnings of the dates that the cut-off contradicts."""

    def __init__(self, dossier: m.Dossier, docs: dict[str, Document], report: Report):
        self.dossier, self.docs, self.report = dossier, docs, report
        self.as_of: DateSpan = dossier.meta.as_of
        self.cut = self.as_of.end.last_day()
        self.published = {source.id: source.published.end.last_day() for source in dossier.sources.values()}
        """Each source's id -> the last day its ``published`` may stand for."""
        self.dated = {source.id: source.published for source in dossier.sources.values()}
        """Each source's id -> its ``published`` (what the warnings of a claim citing it depend on)."""

    def _after(self, span: DateSpan) -> bool:
        return span.start.first_day() > self.cut

    def _warn(self, id_: str, path: tuple, message: str) -> None:
        doc = self.docs.get(id_)
        if doc is not None:
            self.report.add(doc.path, *doc.position(path), message, "warning")

    def check(self) -> None:
        cut = f"the dossier's cut-off (`as_of: {self.as_of.iso()}`)"
        for source in self.dossier.sources.values():
            if self._after(source.published):
                self._warn(source.id, ("published",), f"published {source.published.iso()}, after {cut}: the "
                           "dossier cannot have read it then; move `as_of`, or check the date")
        for meeting in self.dossier.meetings.values():
            if meeting.status == "held" and self._after(meeting.date):
                self._warn(meeting.id, ("date",), f"a meeting held {meeting.date.iso()}, after {cut}: if it is "
                           "still to come, write `status: planned`; else move `as_of`")
        entities: list[tuple[str, m.Entity]] = [(META, self.dossier.meta)]
        # a planned or cancelled meeting's claims tell what was announced: their dates may be later
        entities += [(entity.id, entity) for entity in self.dossier.entities()
                     if not isinstance(entity, m.Meeting) or entity.status == "held"]
        for id_, entity in entities:
            for path, message in self._of(entity, cut):
                self._warn(id_, path, message)

    def _of(self, entity: m.Entity, cut: str) -> list[tuple[tuple, str]]:
        """(path, message) of the warnings of *entity*'s claims; while ``dossier serve`` checks, those of the
        last rebuild when the entity and the publication dates of what it cites are the same."""
        kept = remembered(("cutoff", id(entity), cut), lambda: self._made(entity, cut))
        if kept[0] is entity and kept[2] == (self.as_of, *map(self.dated.get, kept[1])):
            return kept[3]
        return self._made(entity, cut)[3]

    def _made(self, entity: m.Entity, cut: str) -> tuple[m.Entity, tuple[str, ...], tuple, list[tuple[tuple, str]]]:
        """*entity*, the sources its claims cite, what its warnings depend on (the cut-off, the publication
        dates of those sources) and the warnings of its claims."""
        found = list(_claims(entity))
        cited = tuple(sorted({citation.source for _, claim in found for citation in claim.cite}))
        warnings = [warning for path, claim in found for warning in self._claim(path, claim, cut)]
        if isinstance(entity, m.Meeting):
            warnings += self._held(entity, [claim for _, claim in found if claim.date is None])
        return entity, cited, (self.as_of, *map(self.dated.get, cited)), warnings

    def _claim(self, path: tuple, claim: m.Claim, cut: str) -> Iterator[tuple[tuple, str]]:
        if claim.date is None:
            return
        if self._after(claim.date):
            yield path + ("date",), f"dated {claim.date.iso()}, after {cut}: move `as_of`, or check the date"
            return
        named = self._all_before(claim.cite, claim.date)
        if named:
            yield path + ("date",), (f"{named} published before the event the claim dates "
                                     f"({claim.date.iso()}): it can only have announced it; cite a later source, or check the dates")

    def _held(self, meeting: m.Meeting, undated: list[m.Claim]) -> list[tuple[tuple, str]]:
        """A held meeting whose undated claims (they tell of the meeting) cite only sources from before it."""
        named = self._all_before([c for claim in undated for c in claim.cite], meeting.date)
        if not named:
            return []
        return [(("date",), f"{named} published before the meeting ({meeting.date.iso()}): "
                 "nothing cited shows it was held; cite a report published after it, or write `status: planned`")]

    def _all_before(self, citations: list[m.Citation], event: DateSpan) -> str:
        """"the only source cited, `x` (published …), was" when every source of *citations* came out before
        *event* ("every source cited, …, was" for several), or "" (none cited, one unknown, or one not before)."""
        cited = {citation.source for citation in citations}
        start = event.start.first_day()
        if not cited or any(self.published.get(source_id, start) >= start for source_id in cited):
            return ""  # (a source unknown or invalid: told already)
        sources = [self.dossier.sources[source_id] for source_id in sorted(cited)]
        named = ", ".join(f"`{source.id}` (published {source.published.iso()})" for source in sources)
        return f"the only source cited, {named}, was" if len(cited) == 1 else f"every source cited, {named}, was"
