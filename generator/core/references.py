"""Each entity's references, ``[[links]]`` and quotes, checked across the files of its dossier.

:class:`References` checks one entity at a time (:mod:`generator.core.validate`
reads the files). A check is a pure function of the entity, its file, the
dossier's language and what it looked up about the ids it names (their kind;
a source's text and language): it gives an :class:`Outcome`, its diagnostics
and what it found (the places of its quotes, its ``same_as`` entries and links
to other dossiers), which is then applied to the dossier. ``dossier serve``
keeps each outcome with what it looked up
(:meth:`generator.incremental.dossier_memo.DossierMemo.checked`): an unchanged
entity whose lookups give the same objects again gives back the very same
outcome, applied in the same order as a fresh check would be.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import model as m
from .errors import Report
from .files import quote_match, repeated_matches
from .files import slug as files_slug
from .kinds import kind, name_of_model
from .library import Crossing, is_crossing, record
from .loader import Document, line_starts, position_of
from .model import LINK_RE
from .quote_help import explain_miss, repeated_message
from .quotes import NormalText

Spans = tuple[tuple[int, int], ...]


def article(cls: type[m.Entity]) -> str:
    """How messages call an entity of class *cls* (``an actor``), as its kind declares it."""
    return kind(name_of_model(cls)).article


@dataclass
class Outcome:
    """What checking one entity's references and quotes gave."""

    report: Report = field(default_factory=Report)
    """Its diagnostics, in the order found."""
    crossings: dict[tuple[str, int, int], Crossing] = field(default_factory=dict)
    """Its ``same_as`` entries, Wikidata item and links to other dossiers (:func:`generator.core.library.record`)."""
    spans: dict[tuple[str, str], Spans] = field(default_factory=dict)
    """``(source id, quote)`` -> where it stands, for each quote it cites that was found (also those another
    entity verified first: a pure function of the source's text, whoever looks it up)."""
    repeated: dict[tuple[str, str], str] = field(default_factory=dict)
    """The same quotes -> the warning of their repetitions in the source ("" for none)."""
    targets: dict[str, None] = field(default_factory=dict)
    """Every id it looked up, in order: what it depends on beside the entity, its file and the language."""
    suggested: bool = False
    """A did-you-mean was looked for: the outcome depends on every name of the dossier."""


class References:
    """Checks every reference and quote of a dossier, across its files.

    An entity can be checked as soon as it is validated (:meth:`check_early`)
    when the texts of the sources it cites have been read: then the
    validation of one file overlaps the reading of the next. An entity that
    is not ready, or has a problem, is checked again at the end
    (:meth:`check`), when every name is known for the suggestions.
    """

    def __init__(self, dossier: m.Dossier, kinds: dict[str, type[m.Entity]], sources: set[str], report: Report,
                 memo: Any = None):
        self.dossier, self.report, self.memo = dossier, report, memo
        self.kinds = kinds
        """Every id that has a file, valid or not, with its kind: no cascade of errors."""
        self.normal: dict[str, NormalText] = {}
        """Source id -> its text in normal form, for each source whose text was read."""
        self.sources_to_come = set(sources)
        """The planned source files still to be read."""
        self.looked_up: dict[tuple[str, str], Spans | None] = {}
        """Quotes looked up while reading files (:attr:`generator.core.files.FileRead.quotes`)."""
        self.partial: set[int] = set()
        """``id()`` of the entities salvaged from invalid files (:mod:`generator.core.salvage`): no warnings of
        what the salvage left out, such as a claim whose invalid citations were taken out."""
        self.repeated: dict[tuple[str, str], str] = {}
        """``(source id, quote)`` -> the warning for a quote found more than once ("" when found once)."""
        self.final = False
        """True once every file has been read: problems are then told, with suggestions."""
        self._names: dict[str, list[str]] | None = None
        self.language: str | None = None
        """The dossier's language, once ``dossier.yaml`` is read valid: quotes in another need a translation."""
        self._changes: tuple[object | None, set[str] | None, object] | None = None

    def check_early(self, doc: Document, entity: m.Entity) -> bool:
        """Check *entity* now if it can be; False when it must be checked at the end (:meth:`check`)."""
        if self.sources_to_come or self.language is None:
            return False  # the text of a source it cites, or the dossier's language, may be still to come
        outcome = self.outcome(doc, entity)
        self._apply(outcome, tell=False)  # its problems are told at the end, with suggestions from every name
        return not outcome.report.diagnostics

    def check(self, pending: list[tuple[Document, m.Entity]]) -> None:
        """Check the *pending* entities, once every file has been read."""
        self.final = True
        for doc, entity in pending:
            self._apply(self.outcome(doc, entity))

    def outcome(self, doc: Document, entity: m.Entity) -> Outcome:
        """What checking *entity*, read from *doc*, gives: made again unless ``dossier serve`` kept it.

        A kept outcome is the one of this very entity and file, made or found still true at the dossier's
        last check (:meth:`_since`), when nothing it looked up has changed since.
        """
        if self.memo is None:
            outcome = Outcome()
            self._check_entity(outcome, doc, entity)
            return outcome
        last, changed, now = self._since()
        kept = self.memo.checked(entity)
        if kept is not None and kept[0] is doc and kept[2] is last and changed is not None \
                and changed.isdisjoint(kept[1].targets):
            outcome = kept[1]
        else:
            outcome = Outcome()
            self._check_entity(outcome, doc, entity)
            if outcome.suggested or id(entity) in self.partial:
                return outcome
        self.memo.keep_checked(entity, (doc, outcome, now))
        return outcome

    def _since(self) -> tuple[object | None, set[str] | None, object]:
        """The token of the dossier's last check, the ids whose kind, source text or source changed since
        (None: anything may have, the language too) and this check's token; worked out at the first check
        of an entity, when every source has been read (none is read after)."""
        if self._changes is None:
            sources = self.dossier.sources
            stamps = {id_: (found, self.normal.get(id_), sources.get(id_)) for id_, found in self.kinds.items()}
            self._changes = self.memo.changes((self.dossier.folder, self.dossier.id), self.language, stamps)
        return self._changes

    def _apply(self, outcome: Outcome, tell: bool = True) -> None:
        """What *outcome* found, on the dossier (and its diagnostics in the report, when *tell*)."""
        if tell:
            self.report.diagnostics.extend(outcome.report.diagnostics)
        self.dossier.crossings.update(outcome.crossings)
        self.dossier.quote_spans.update(outcome.spans)  # a key there already keeps its place, and has this value
        self.repeated.update(outcome.repeated)

    def _kind(self, out: Outcome, target: str) -> type[m.Entity] | None:
        out.targets[target] = None
        return self.kinds.get(target)

    def _check_entity(self, out: Outcome, doc: Document, entity: m.Entity) -> None:
        """Check the links, references and quotes of *entity*, read from *doc*."""
        found = m.contents(entity)
        record(self.dossier.id, out.crossings, doc, entity, found.texts)  # checked against the library
        self._check_links(out, doc, found)
        self._check_fields(out, doc, entity)
        self._check_citations(out, doc, found, id(entity) not in self.partial)
        for path, message in _inconsistencies(entity):
            out.report.add(doc.path, *doc.position(path), message)
        for index, hypothesis in enumerate(getattr(entity, "hypotheses", [])):
            if not hypothesis.cite and not hypothesis.against:
                out.report.add(doc.path, *doc.position(("hypotheses", index)),
                               "hypothesis without evidence: quote a passage for it (`cite`) or against it (`against`)", "warning")

    def _check_links(self, out: Outcome, doc: Document, found: m.Contents) -> None:
        for path, text in found.texts:
            if "[[" not in text:
                continue
            targets = [match.group(1) for match in LINK_RE.finditer(text)]
            if all(is_crossing(target) or self._kind(out, target.strip()) is not None for target in targets):
                continue
            self._report_links(out, doc, path, targets)

    def _report_links(self, out: Outcome, doc: Document, path: tuple, targets: list[str]) -> None:
        """Locate each unknown ``[[target]]`` of the text at *path* in the file (links found in order)."""
        after = doc.offset(doc.position(path))
        for raw in targets:
            target = raw.strip()
            found = doc.text.find("[[" + raw, after)
            after = found + 2 if found >= 0 else after
            if not is_crossing(target) and self._kind(out, target) is None:
                position = doc.mark_of(found) if found >= 0 else doc.position(path)
                out.report.add(doc.path, *position, f"unknown id `{target}` in `[[…]]` link" + self._suggest(out, target))

    def _check_fields(self, out: Outcome, doc: Document, entity: m.Entity) -> None:
        for path, target, wanted in _references(entity):
            found = self._kind(out, target)
            if found is None:
                out.report.add(doc.path, *doc.position(path), f"unknown id `{target}`" + self._suggest(out, target, wanted))
            elif wanted is not None and found is not wanted:
                out.report.add(doc.path, *doc.position(path), f"`{target}` is {article(found)}, not {article(wanted)}")

    def _check_citations(self, out: Outcome, doc: Document, found: m.Contents, whole: bool = True) -> None:
        for path, claim in found.claims:
            if whole and not claim.cite:
                out.report.add(doc.path, *doc.position(path), "claim without citation: quote the source that supports it", "warning")
        for path, citation in found.citations:
            self._check_quote(out, doc, path, citation)

    def _check_quote(self, out: Outcome, doc: Document, path: tuple, citation: m.Citation) -> None:
        found = self._kind(out, citation.source)
        if found is not m.Source:
            message = (f"`{citation.source}` is {article(found)}, not a source" if found
                       else f"unknown source `{citation.source}`" + self._suggest(out, citation.source, m.Source))
            out.report.add(doc.path, *doc.position(path + (citation.source,), key=True), message)
            return
        self._check_translation(out, doc, path, citation)
        key = (citation.source, citation.quote)
        known = self._verified(out, key)
        if known is None:  # else the same quote of the same source, verified already
            normal = self.normal.get(citation.source)
            if normal is None:
                return  # the missing or unreadable text was reported already
            if key in self.looked_up:
                spans = self.looked_up[key]
            else:
                match = quote_match(normal, citation.quote)
                spans = match.spans if match is not None else None
            if spans is None:
                why = "\n".join(explain_miss(normal, citation.quote))
                out.report.add(doc.path, *doc.position(path + (citation.source,)),
                               f"quote not found in source `{citation.source}`: {why}")
                return
            known = (spans, self._repeated(citation, normal))
        out.spans[key], out.repeated[key] = known
        if known[1]:
            out.report.add(doc.path, *doc.position(path + (citation.source,)), known[1], "warning")

    def _verified(self, out: Outcome, key: tuple[str, str]) -> tuple[Spans, str] | None:
        """Where the quote of *key* stands and its warning, when this check or another found it already."""
        if key in out.spans:
            return out.spans[key], out.repeated[key]
        spans = self.dossier.quote_spans.get(key)
        return None if spans is None else (spans, self.repeated.get(key) or "")

    def _check_translation(self, out: Outcome, doc: Document, path: tuple, citation: m.Citation) -> None:
        """Warn when a quote is in another language than the dossier's and carries no translation."""
        if self.language is None or (citation.translation or "").strip():
            return
        source = self.dossier.sources.get(citation.source)
        language = source.language if source is not None and source.language else ""
        if language and language.split("-")[0].strip().lower() != self.language:
            out.report.add(doc.path, *doc.position(path + (citation.source,), key=True),
                           f"the quote is in `{language}` and the dossier in `{self.language}`: add your translation "
                           f"beside it (`translation: \"…\"`, aligned with `{citation.source}`)", "warning")

    def _repeated(self, citation: m.Citation, normal: NormalText) -> str:
        """The warning for a quote found at several places of its source ("" when it stands in one)."""
        places = repeated_matches(normal, citation.quote, limit=5)
        if not places:
            return ""
        source = self.dossier.sources.get(citation.source)
        text = source.text if source is not None else ""
        starts = line_starts(text)
        return repeated_message(citation.source, [position_of(starts, place.spans[0][0])[0] for place in places])

    def _suggest(self, out: Outcome, target: str, wanted: type | None = None) -> str:
        out.suggested = True
        if not self.final:
            return ""  # an early check: its problems are told again at the end
        if self._names is None:
            self._names = _name_index(self.dossier)
        pool = sorted(i for i, kind in self.kinds.items() if wanted is None or kind is wanted)
        close = difflib.get_close_matches(target, pool, n=1, cutoff=0.6)
        if not close:
            close = [i for i in self._names.get(target, []) if i in pool][:1]
        if not close:
            close = [i for i in pool if target in i.split("-") or i in target.split("-")][:1]
        return f"; did you mean `{close[0]}`?" if close else ""


def _name_index(dossier: m.Dossier) -> dict[str, list[str]]:
    """Slugs of every actor's name, alias and name part -> actor ids."""
    index: dict[str, list[str]] = {}
    for actor in dossier.actors.values():
        for name in [actor.name, *actor.aliases]:
            slug = files_slug(name)
            for key in {slug, *slug.split("-")}:
                index.setdefault(key, []).append(actor.id)
    return index


def _inconsistencies(entity: m.Entity) -> Iterable[tuple[tuple, str]]:
    """(path, message) for dates and sequences that contradict each other within one entity."""
    if isinstance(entity, m.Meeting):
        for index, target in enumerate(entity.follows):
            if target == entity.id:
                yield ("follows", index), "a meeting cannot follow itself"
    elif isinstance(entity, m.Actor):
        for index, role in enumerate(entity.roles):
            if role.from_ and role.until and role.from_.start.first_day() > role.until.end.last_day():
                yield ("roles", index, "until"), f"the role ends ({role.until.iso()}) before it starts ({role.from_.iso()})"
    elif (isinstance(entity, m.Question) and entity.opened and entity.reviewed
          and entity.opened.start.first_day() > entity.reviewed.end.last_day()):
        yield ("reviewed",), f"reviewed ({entity.reviewed.iso()}) before it was opened ({entity.opened.iso()})"


def _references(entity: m.Entity) -> Iterable[tuple[tuple, str, type[m.Entity] | None]]:
    """(path, id, wanted class) for each reference field of *entity*, as the model declares them (:class:`~generator.core.model.Ref`)."""
    for path, target, ref in m.references(entity):
        yield path, target, kind(ref.range[0]).model if ref.range else None
