"""Stage 2: turn loaded files into a validated :class:`~generator.core.model.Dossier`.

Every problem is collected into a :class:`~generator.core.errors.Report` with the
file, line and column it comes from; nothing stops at the first one. The
folder layout and file names are checked when the files are planned
(:mod:`generator.core.files`). Then each file read (in-process, or by the reader
of :mod:`generator.core.prefetch`, in no fixed order) is validated against its
typed class (pydantic, its errors mapped back to YAML positions), a source
with its text; and each entity's ids, references of the right kind and
quotes are checked across files, as soon as the source texts are all read.
Diagnostics are sorted when printed, so the order of reading changes nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..exchange.editions import load_previous
from ..incremental.dossier_memo import DossierMemo
from . import model as m
from .batch import collector_paused
from .cutoff import check_dossier
from .errors import Report, value_kind
from .files import CITATION_KEYS, META, FileRead, Plan, plan_dossiers, quote_match, repeated_matches, split_citation
from .files import slug as files_slug
from .hints import as_list, citation_items, value_meant
from .kinds import kind, name_of_model
from .library import check_library, is_crossing, record
from .loader import PARSED, Document, line_starts, position_of
from .model import LINK_RE
from .prefetch import Prefetch, read_plan
from .quote_help import explain_miss, repeated_message
from .quotes import NormalText
from .salvage import salvage


def _article(cls: type[m.Entity]) -> str:
    """How messages call an entity of class *cls* (``an actor``), as its kind declares it."""
    return kind(name_of_model(cls)).article


def load_dossier(plan: Plan, report: Report, prefetch: Prefetch | None = None) -> m.Dossier | None:
    """Read and validate the planned files of one dossier; None when ``dossier.yaml`` is unusable."""
    return _DossierLoader(plan, report, prefetch).run()


class _DossierLoader:
    """Reads one dossier's planned files, each against its class, then checks them as a whole."""

    def __init__(self, plan: Plan, report: Report, prefetch: Prefetch | None):
        self.plan, self.report, self.prefetch = plan, report, prefetch
        self.dossier = m.Dossier(plan.id, plan.display, _placeholder_meta())
        kinds = {id_: m.model_of(folder) for id_, folder in plan.kinds.items()}
        sources = {job.id for job in plan.jobs if job.text is not None}
        self.references = _References(self.dossier, kinds, sources, report)
        self.pending: list[tuple[Document, m.Entity]] = []
        """Entities whose references are checked once every file is read."""
        self.docs: dict[str, Document] = {}
        """Each entity's id (``META`` for ``dossier.yaml``) -> its file (a mapping), for :mod:`generator.core.cutoff`."""

    def run(self) -> m.Dossier | None:
        meta = None
        for read in read_plan(self.plan, self.prefetch):  # in no fixed order: tables are sorted below
            if read.job.folder == META:
                meta = self._read_entity(read, m.DossierMeta)
                if isinstance(meta, m.DossierMeta):
                    self.references.language = meta.language
                if isinstance(meta, m.DossierMeta) and meta.previous is not None and read.document is not None:
                    self.dossier.previous = load_previous(self.plan.folder, meta.previous, read.document, self.report)
            else:
                self._read_file(read)
        if isinstance(meta, m.DossierMeta):
            self.dossier.meta = meta
        self.dossier.sort()
        self.pending.sort(key=lambda pair: pair[0].path)
        self.references.check(self.pending)
        check_dossier(self.plan, self.dossier, self.docs, self.report)
        return self.dossier if isinstance(meta, m.DossierMeta) else None

    def _read_file(self, read: FileRead) -> None:
        job = read.job
        entity = self._read_entity(read, m.model_of(job.folder))
        if job.text is not None:
            self.references.sources_to_come.discard(job.id)
        if entity is None:
            return
        if job.text is not None and isinstance(entity, m.Source):
            self.report.diagnostics.extend(read.text_problems)
            if read.text is not None:
                entity.with_text(read.text.text)
                self.references.normal[job.id] = read.text.normal
                if read.document is not None and entity.text_sha256 is not None:
                    self._check_digest(read.document, entity, read.text.sha256)
        self.dossier.table(job.folder)[job.id] = entity

    def _check_digest(self, doc: Document, source: m.Source, digest: str) -> None:
        """Report a source whose text no longer has the SHA-256 recorded when it was imported."""
        if source.text_sha256 is None or source.text_sha256 == digest:
            return
        folder = self.plan.display
        self.report.add(doc.path, *doc.position(("text_sha256",)),
                        f"the text `sources/{source.id}.txt` has changed since its SHA-256 was recorded "
                        f"({source.text_sha256[:12]}…, now {digest[:12]}…): its quotes were checked against another "
                        f"text; if the change is on purpose, accept it with `dossier add source --rehash {folder} {source.id}`")

    def _read_entity(self, read: FileRead, cls: type[m.Entity]) -> m.Entity | None:
        """The entity of a file read, validated; its references are checked now or put off."""
        entity = self._validate(read, cls)
        if entity is None:
            return None
        assert read.document is not None  # _validate gives an entity only from a document
        if not self.references.check_early(read.document, entity):
            self.pending.append((read.document, entity))
        return entity

    def _validate(self, read: FileRead, cls: type[m.Entity]) -> m.Entity | None:
        job, doc = read.job, read.document
        self.report.diagnostics.extend(read.problems)
        self.references.looked_up.update(read.quotes)
        if doc is None:
            return None
        if not isinstance(doc.data, dict):
            self.report.add(job.display, *doc.position(()), f"expected a mapping of fields (`{_first_field(cls)}: …`), found {value_kind(doc.data)}")
            return None
        self.docs[job.id if job.folder != META else META] = doc
        text = read.text.text if read.text is not None else None
        known = _validated(doc, cls, job.id, job.display, text)
        if known is not None:
            return known
        try:
            entity = cls.model_validate(doc.data)
        except ValidationError as exc:
            report_validation(doc, cls, exc, self.report)
            rest = salvage(cls, doc.data, exc.errors(include_url=False))
            if rest is not None:  # its references and quotes are checked too: every problem at once
                self.references.partial.add(id(rest))
                self.pending.append((doc, rest.locate(job.id, job.display)))
            return None
        return _keep_validated(doc, cls, job.id, job.display, text, entity.locate(job.id, job.display))


def _validated(doc: Document, cls: type, *key: str | None) -> m.Entity | None:
    """``dossier serve``: the entity validated before from this very document (:data:`generator.core.loader.PARSED`)."""
    found = PARSED[0].validated((id(doc), cls, *key)) if PARSED else None
    return found[1] if found is not None and found[0] is doc else None


def _keep_validated(doc: Document, cls: type, id_: str, display: str, text: str | None, entity: m.Entity) -> m.Entity:
    if PARSED:  # never changed after this: a source's text is part of the key
        PARSED[0].keep_validated((id(doc), cls, id_, display, text), (doc, entity))
    return entity


def _placeholder_meta() -> m.DossierMeta:
    # No as_of until dossier.yaml is read: model_construct sets only the fields given, but
    # the pydantic mypy plugin's signature for it asks for every required field.
    return m.DossierMeta.model_construct(  # type: ignore[call-arg]
        title="", language="fr", summary="", key_judgments=[], authors=[])


def _first_field(cls: type[BaseModel]) -> str:
    return next(iter(cls.model_fields))


# -- pydantic errors -> located diagnostics ------------------------------------

def report_validation(doc: Document, cls: type[BaseModel], exc: ValidationError, report: Report) -> None:
    """Add one located line per error pydantic found in *doc*."""
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        if kind == "extra_forbidden":
            position = doc.position(loc, key=True)
        elif kind == "missing":
            position = doc.position(loc[:-1])
        else:
            position = doc.position(_citation_loc(doc, loc))
        report.add(doc.path, *position, _message(cls, loc, error))


def _citation_loc(doc: Document, loc: tuple) -> tuple:
    """A citation's ``quote`` or ``source`` is written ``source-id: quote``: point at that value."""
    if len(loc) < 3 or loc[-3] not in CITATION_KEYS or loc[-1] not in ("quote", "source"):
        return loc
    node: Any = doc.data
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return loc
    keys = split_citation(node)[0] if isinstance(node, dict) else []
    return loc[:-1] + (keys[0],) if len(keys) == 1 else loc


def _message(cls: type[BaseModel], loc: tuple, error: ErrorDetails) -> str:
    kind, value, name = error["type"], error.get("input"), str(loc[-1]) if loc else ""
    owner = _model_at(cls, loc[:-1])
    if kind == "missing":
        return f"missing required field `{name}`"
    if kind == "extra_forbidden":
        known = [f.alias or n for n, f in owner.model_fields.items()] if owner else []
        return f"unknown field `{name}`" + _did_you_mean(name, known) + (f" (fields: {', '.join(known)})" if owner and not _did_you_mean(name, known) else "")
    if kind == "literal_error":
        allowed = [str(a) for a in error.get("ctx", {}).get("expected", "").replace("'", "").replace(" or ", ", ").split(", ") if a]
        if value is None:
            return f"`{name}` has no value: use {_or(allowed)}"
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        meant = value_meant(shown, allowed)
        return f"`{shown}` is not a valid {name}: use {_or(allowed)}" + (f"; did you mean `{meant}`?" if meant else "")
    if kind == "string_type":
        hint = "; a text that starts with `[[` must be quoted in YAML, or YAML reads a list" if isinstance(value, list) else ""
        if type(value) in (int, float) and loc and isinstance(loc[-1], str) and name != "quote":
            hint = f": write `{name}: \"{value}\"` (quoted, it is a text)"
        return f"expected a text, found {value_kind(value)}{hint}"
    if kind == "list_type":
        if name in CITATION_KEYS and isinstance(value, dict) and value:
            return f"expected a list, found a mapping: {citation_items(value)}"
        fix = f": write `{as_list(name, value)}`" if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
        return f"expected a list, found {value_kind(value)}{fix}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of fields, found {value_kind(value)}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return str(error["msg"])


def _model_at(cls: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    current: Any = cls
    for part in loc:
        if isinstance(part, int):
            continue
        field = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return None
        current = m.model_in(field.annotation)
        if current is None:
            return None
    return current


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _did_you_mean(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


# -- references and quotes -----------------------------------------------------

class _References:
    """Checks every reference and quote of a dossier, across its files.

    An entity can be checked as soon as it is validated (:meth:`check_early`)
    when the texts of the sources it cites have been read: then the
    validation of one file overlaps the reading of the next. An entity that
    is not ready, or has a problem, is checked again at the end
    (:meth:`check`), when every name is known for the suggestions.
    """

    def __init__(self, dossier: m.Dossier, kinds: dict[str, type[m.Entity]], sources: set[str], report: Report):
        self.dossier, self.report = dossier, report
        self.kinds = kinds
        """Every id that has a file, valid or not, with its kind: no cascade of errors."""
        self.normal: dict[str, NormalText] = {}
        """Source id -> its text in normal form, for each source whose text was read."""
        self.sources_to_come = set(sources)
        """The planned source files still to be read."""
        self.looked_up: dict[tuple[str, str], tuple[tuple[int, int], ...] | None] = {}
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

    def check_early(self, doc: Document, entity: m.Entity) -> bool:
        """Check *entity* now if it can be; False when it must be checked at the end (:meth:`check`)."""
        if self.sources_to_come or self.language is None:
            return False  # the text of a source it cites, or the dossier's language, may be still to come
        before = len(self.report.diagnostics)
        self.check_entity(doc, entity)
        if len(self.report.diagnostics) == before:
            return True
        del self.report.diagnostics[before:]  # told at the end, with suggestions from every name
        return False

    def check(self, pending: list[tuple[Document, m.Entity]]) -> None:
        """Check the *pending* entities, once every file has been read."""
        self.final = True
        for doc, entity in pending:
            self.check_entity(doc, entity)

    def check_entity(self, doc: Document, entity: m.Entity) -> None:
        """Check the links, references and quotes of *entity*, read from *doc*."""
        found = m.contents(entity)
        record(self.dossier, doc, entity, found.texts)  # checked against the library (:mod:`generator.core.library`)
        self._check_links(doc, found)
        self._check_fields(doc, entity)
        self._check_citations(doc, found, id(entity) not in self.partial)
        for path, message in _inconsistencies(entity):
            self.report.add(doc.path, *doc.position(path), message)
        for index, hypothesis in enumerate(getattr(entity, "hypotheses", [])):
            if not hypothesis.cite and not hypothesis.against:
                self.report.add(doc.path, *doc.position(("hypotheses", index)),
                                "hypothesis without evidence: quote a passage for it (`cite`) or against it (`against`)", "warning")

    def _check_links(self, doc: Document, found: m.Contents) -> None:
        for path, text in found.texts:
            if "[[" not in text:
                continue
            targets = [match.group(1) for match in LINK_RE.finditer(text)]
            if all(target.strip() in self.kinds or is_crossing(target) for target in targets):
                continue
            self._report_links(doc, path, targets)

    def _report_links(self, doc: Document, path: tuple, targets: list[str]) -> None:
        """Locate each unknown ``[[target]]`` of the text at *path* in the file (links found in order)."""
        after = doc.offset(doc.position(path))
        for raw in targets:
            target = raw.strip()
            found = doc.text.find("[[" + raw, after)
            after = found + 2 if found >= 0 else after
            if target not in self.kinds and not is_crossing(target):
                position = doc.mark_of(found) if found >= 0 else doc.position(path)
                self.report.add(doc.path, *position, f"unknown id `{target}` in `[[…]]` link" + self._suggest(target))

    def _check_fields(self, doc: Document, entity: m.Entity) -> None:
        for path, target, wanted in _references(entity):
            found = self.kinds.get(target)
            if found is None:
                self.report.add(doc.path, *doc.position(path), f"unknown id `{target}`" + self._suggest(target, wanted))
            elif wanted is not None and found is not wanted:
                self.report.add(doc.path, *doc.position(path),
                                f"`{target}` is {_article(found)}, not {_article(wanted)}")

    def _check_citations(self, doc: Document, found: m.Contents, whole: bool = True) -> None:
        for path, claim in found.claims:
            if whole and not claim.cite:
                self.report.add(doc.path, *doc.position(path), "claim without citation: quote the source that supports it", "warning")
        for path, citation in found.citations:
            self._check_quote(doc, path, citation)

    def _check_quote(self, doc: Document, path: tuple, citation: m.Citation) -> None:
        found = self.kinds.get(citation.source)
        if found is not m.Source:
            message = (f"`{citation.source}` is {_article(found)}, not a source" if found
                       else f"unknown source `{citation.source}`" + self._suggest(citation.source, m.Source))
            self.report.add(doc.path, *doc.position(path + (citation.source,), key=True), message)
            return
        self._check_translation(doc, path, citation)
        key = (citation.source, citation.quote)
        if key not in self.dossier.quote_spans:  # else the same quote of the same source, verified already
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
                self.report.add(doc.path, *doc.position(path + (citation.source,)),
                                f"quote not found in source `{citation.source}`: {why}")
                return
            self.dossier.quote_spans[key] = spans
            self.repeated[key] = self._repeated(citation, normal)
        if self.repeated.get(key):
            self.report.add(doc.path, *doc.position(path + (citation.source,)), self.repeated[key], "warning")

    def _check_translation(self, doc: Document, path: tuple, citation: m.Citation) -> None:
        """Warn when a quote is in another language than the dossier's and carries no translation."""
        if self.language is None or (citation.translation or "").strip():
            return
        source = self.dossier.sources.get(citation.source)
        language = source.language if source is not None and source.language else ""
        if language and language.split("-")[0].strip().lower() != self.language:
            self.report.add(doc.path, *doc.position(path + (citation.source,), key=True),
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

    def _suggest(self, target: str, wanted: type | None = None) -> str:
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


def check(root: Path, display: str, plans: list[Plan] | None = None, report: Report | None = None,
          prefetch: Prefetch | None = None, memo: DossierMemo | None = None) -> tuple[list[m.Dossier], Report]:
    """Validate every dossier at or under *root*: the dossiers and every problem found.

    The ``check`` command passes the *plans* it made and the *report* they
    went to, with the reader it started (:mod:`generator.core.prefetch`); ``dossier serve``
    passes its *memo* of the dossiers it checked before (:mod:`generator.incremental.dossier_memo`).
    """
    report = report if report is not None else Report()
    dossiers = []
    plans = plans if plans is not None else plan_dossiers(root, display, report)
    with collector_paused():
        for plan in plans:
            dossier = load_dossier(plan, report, prefetch) if memo is None else \
                memo.load(plan, report, partial(load_dossier, plan, report, prefetch))
            if dossier is not None:
                from ..analysis.review import check_problems  # the analytic standards' checks (ICD 203)

                report.extend(check_problems(dossier, bool(report.errors)))
                dossiers.append(dossier)
        check_library(root, plans, dossiers, report)  # same_as and [[dossier-id:id]] across the dossiers
    return dossiers, report
