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
from collections.abc import Iterable, Iterator
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
from .files import CITATION_KEYS, META, DossierFiles, FileRead, Plan, find_dossiers, plan_dossier, split_citation
from .hints import as_list, citation_items, value_meant
from .library import check_library
from .loader import PARSED, Document
from .prefetch import Prefetch, read_plan
from .references import References
from .salvage import salvage


def load_dossier(plan: Plan, report: Report, prefetch: Prefetch | None = None,
                 memo: DossierMemo | None = None) -> m.Dossier | None:
    """Read and validate the planned files of one dossier; None when ``dossier.yaml`` is unusable.

    With ``dossier serve``'s *memo*, a file whose bytes did not change since the last rebuild is not read
    again, and its entity, the same object, is not checked again while what its check looked up is the same.
    """
    return _DossierLoader(plan, report, prefetch, memo).run()


class _DossierLoader:
    """Reads one dossier's planned files, each against its class, then checks them as a whole."""

    def __init__(self, plan: Plan, report: Report, prefetch: Prefetch | None, memo: DossierMemo | None = None):
        self.plan, self.report, self.prefetch, self.memo = plan, report, prefetch, memo
        self.dossier = m.Dossier(plan.id, plan.display, _placeholder_meta())
        kinds = {id_: m.model_of(folder) for id_, folder in plan.kinds.items()}
        sources = {job.id for job in plan.jobs if job.text is not None}
        self.references = References(self.dossier, kinds, sources, report, memo)
        self.pending: list[tuple[Document, m.Entity]] = []
        """Entities whose references are checked once every file is read."""
        self.docs: dict[str, Document] = {}
        """Each entity's id (``META`` for ``dossier.yaml``) -> its file (a mapping), for :mod:`generator.core.cutoff`."""

    def run(self) -> m.Dossier | None:
        meta = None
        for read, again in self._reads():  # in no fixed order with a reader: tables are sorted below
            if read.job.folder == META:
                meta = self._read_entity(read, m.DossierMeta, again)
                if isinstance(meta, m.DossierMeta):
                    self.references.language = meta.language
                if isinstance(meta, m.DossierMeta) and meta.previous is not None and read.document is not None:
                    self.dossier.previous = load_previous(self.plan.folder, meta.previous, read.document, self.report)
            else:
                self._read_file(read, again)
        if isinstance(meta, m.DossierMeta):
            self.dossier.meta = meta
        self.dossier.sort()
        self.pending.sort(key=lambda pair: pair[0].path)
        self.references.check(self.pending)
        check_dossier(self.plan, self.dossier, self.docs, self.report)
        return self.dossier if isinstance(meta, m.DossierMeta) else None

    def _reads(self) -> Iterator[tuple[FileRead, bool]]:
        """Every planned file read, and whether it is the read of the last rebuild (``dossier serve``)."""
        if self.memo is None or self.prefetch is not None:
            return ((read, False) for read in read_plan(self.plan, self.prefetch))
        return self.memo.reads(self.plan, DossierFiles(self.plan.folder).read)

    def _read_file(self, read: FileRead, again: bool) -> None:
        job = read.job
        entity = self._read_entity(read, m.model_of(job.folder), again)
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

    def _read_entity(self, read: FileRead, cls: type[m.Entity], again: bool) -> m.Entity | None:
        """The entity of a file read, validated; its references are checked now or put off."""
        entity = self._validate(read, cls, again)
        if entity is None:
            return None
        assert read.document is not None  # _validate gives an entity only from a document
        if not self.references.check_early(read.document, entity):
            self.pending.append((read.document, entity))
        return entity

    def _validate(self, read: FileRead, cls: type[m.Entity], again: bool) -> m.Entity | None:
        job, doc = read.job, read.document
        self.report.diagnostics.extend(read.problems)
        if not again:  # a read of the last rebuild looked its quotes up in the sources of then
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


def check(root: Path, display: str, plans: list[Plan] | None = None, report: Report | None = None,
          prefetch: Prefetch | None = None, memo: DossierMemo | None = None) -> tuple[list[m.Dossier], Report]:
    """Validate every dossier at or under *root*: the dossiers and every problem found.

    The ``check`` command passes the *plans* it made and the *report* they
    went to, with the reader it started (:mod:`generator.core.prefetch`); ``dossier serve``
    passes its *memo* of the dossiers it checked before (:mod:`generator.incremental.dossier_memo`).
    """
    report = report if report is not None else Report()
    dossiers = []
    if plans is None:
        found = find_dossiers(root, report, display)
        plans = [plan_dossier(folder, shown, report) if memo is None else memo.plan(folder, shown, report, plan_dossier)
                 for folder, shown in found]
    with collector_paused():
        for plan in plans:
            dossier = load_dossier(plan, report, prefetch) if memo is None else \
                memo.load(plan, report, partial(load_dossier, plan, report, prefetch, memo))
            if dossier is not None:
                from ..analysis.review import check_problems  # the analytic standards' checks (ICD 203)

                errors = bool(report.errors)
                report.extend(check_problems(dossier, errors) if memo is None else
                              memo.reviewed(dossier, errors, check_problems))
                dossiers.append(dossier)
        check_library(root, plans, dossiers, report)  # same_as and [[dossier-id:id]] across the dossiers
    return dossiers, report
