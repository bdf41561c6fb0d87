"""Stage 1, the files: which files a dossier folder holds, and reading each one safely.

A :class:`Plan` lists, in the order they are read, the files of one dossier:
``dossier.yaml``, then each kind's folder sorted by name, each source's
``.txt`` right after its ``.yaml``. Planning only lists folders; it reports
what the names alone show (a bad id, an id used twice, a stray file).
:class:`DossierFiles` then reads each planned file into a
:class:`~generator.core.loader.Document` or a :class:`SourceText`, refusing links
out of the dossier folder and anything that is not a regular file.

Nothing here knows the typed model (pydantic is not imported): the ``check``
command plans and starts reading the files in a second process
(:mod:`generator.core.prefetch`) while the model loads.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import Diagnostic, Report, display_path
from .kinds import folders
from .loader import Document, read_utf8, read_yaml, remembered
from .quotes import Match, NormalText, find_quote, nfc, normalise, repeated_places

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)
"""An id: lowercase ASCII letters and digits in groups joined by single hyphens."""
CITATION_EXTRAS = ("credibility", "translation")
"""Keys a citation may carry beside its ``source-id: quote`` pair (never source ids): the information's grade,
the analyst's translation."""
CITATION_KEYS = ("cite", "against", "disputed_by")
"""The fields that hold lists of ``source-id: quote`` citations."""
META = ""
"""The folder of a :class:`FileJob` for ``dossier.yaml``."""


@dataclass(frozen=True)
class FileJob:
    """One file to read, in the plan's order."""

    path: Path
    """The file."""
    display: str
    """The file as named in diagnostics."""
    folder: str
    """The kind's folder (``actors`` …), or :data:`META` for ``dossier.yaml``."""
    id: str
    """The entity's id: the file's stem (empty for ``dossier.yaml``)."""
    text: FileJob | None = None
    """A source's text file (``sources/<id>.txt``), read with it when its YAML parses (its problems
    count only if the source is valid)."""


@dataclass(frozen=True)
class SourceText:
    """A source's text, read and normalised."""

    text: str
    """The text in NFC, line breaks as ``\\n``."""
    normal: NormalText
    """The text in the form quotes are compared in (:func:`generator.core.quotes.normalise`)."""

    @cached_property
    def sha256(self) -> str:
        """The SHA-256 of the text (:func:`text_digest`), compared with the one its import recorded."""
        return text_digest(self.text)


def text_digest(text: str) -> str:
    """The SHA-256 (hexadecimal) of a source's text as the tool reads it: NFC, ``\\n`` line breaks, UTF-8.

    A text saved again with other line breaks or a byte-order mark keeps its digest;
    a changed character does not.
    """
    return hashlib.sha256(nfc(text.replace("\r\n", "\n").replace("\r", "\n")).encode("utf-8")).hexdigest()


@dataclass
class Plan:
    """Every file of one dossier folder to read, in order."""

    folder: Path
    """The dossier folder."""
    display: str
    """The folder as named in diagnostics."""
    meta: FileJob | None
    """``dossier.yaml``; None when it is missing (reported)."""
    jobs: list[FileJob] = field(default_factory=list)
    """The entity files, kind by kind (:func:`generator.core.kinds.folders` order), each sorted by name."""
    kinds: dict[str, str] = field(default_factory=dict)
    """Every id that has a file, readable or not, -> its folder: references to it are not reported twice."""

    @property
    def id(self) -> str:
        """The dossier's id: its folder's name."""
        return self.folder.resolve().name

    def units(self) -> list[FileJob]:
        """Every file to read, ``dossier.yaml`` first; a source's text goes with its metadata."""
        return ([self.meta] if self.meta is not None else []) + self.jobs


@dataclass
class FileRead:
    """One planned file, read: its document and, for a source, its text."""

    job: FileJob
    """What was read."""
    document: Document | None
    """The YAML file's values; None when it could not be read or parsed."""
    problems: list[Diagnostic]
    """What reading the YAML file found wrong."""
    text: SourceText | None = None
    """A source's text; None for other kinds, or when it could not be read."""
    text_problems: list[Diagnostic] = field(default_factory=list)
    """What reading the text found wrong: they count only if the source's metadata is valid."""
    quotes: dict[tuple[str, str], tuple[tuple[int, int], ...] | None] = field(default_factory=dict)
    """``(source id, quote)`` -> where the quote stands, for the quotes the file seems to cite
    (:meth:`DossierFiles.look_up_quotes`)."""


def find_dossiers(root: Path, report: Report, display: str) -> list[tuple[Path, str]]:
    """The dossier folders at or under *root*, sorted, with their display paths."""
    if (root / "dossier.yaml").exists() or _looks_like_dossier(root):
        return [(root, display)]
    found = []
    for child in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if (child / "dossier.yaml").exists() or _looks_like_dossier(child):
            found.append((child, os.path.join(display, child.name)))
    if not found:
        report.add(display, 1, 1, "no dossier here: a dossier is a folder holding dossier.yaml")
    return found


def _looks_like_dossier(folder: Path) -> bool:
    return any((folder / kind).is_dir() for kind in folders())


def plan_dossiers(root: Path, display: str, report: Report) -> list[Plan]:
    """The plan of every dossier at or under *root*; what the names show goes to *report*."""
    return [plan_dossier(folder, shown, report) for folder, shown in find_dossiers(root, report, display)]


def plan_dossier(folder: Path, display: str, report: Report) -> Plan:
    """The plan of the dossier *folder*, named *display*; what the names show goes to *report*."""
    return _Planner(folder, display, report).plan()


class _Planner:
    """Lists one dossier folder into a :class:`Plan`."""

    def __init__(self, folder: Path, display: str, report: Report):
        self.folder, self.display, self.report = folder, display, report
        self.first_file: dict[str, str] = {}

    def plan(self) -> Plan:
        meta_display = os.path.join(self.display, "dossier.yaml")
        self._check_id(self.folder.resolve().name, meta_display, "the dossier's folder name")
        meta = None
        if (self.folder / "dossier.yaml").exists():
            meta = FileJob(self.folder / "dossier.yaml", meta_display, META, "")
        else:
            self.report.add(meta_display, 1, 1, "missing dossier.yaml: every dossier needs its title, as_of date and summary")
        plan = Plan(self.folder, self.display, meta)
        for folder in folders():
            self._list_kind(plan, folder)
        return plan

    def _list_kind(self, plan: Plan, folder: str) -> None:
        directory = self.folder / folder
        if not directory.is_dir():
            return
        for path in sorted(directory.iterdir(), key=_name):  # as Paths sort, children of one folder: by name
            display = os.path.join(self.display, folder, path.name)
            if path.name.startswith("."):
                continue  # editor lock and backup files
            if path.suffix in (".yaml", ".yml"):
                self._list_file(plan, path, display, folder)
            elif not (folder == "sources" and path.suffix == ".txt"):
                self.report.add(display, 1, 1, f"ignored: only .yaml files belong in {folder}/", "warning")
            elif not path.with_suffix(".yaml").exists():
                self.report.add(display, 1, 1, f"source text without metadata: add sources/{path.stem}.yaml", "warning")

    def _list_file(self, plan: Plan, path: Path, display: str, folder: str) -> None:
        id_ = path.stem
        if path.suffix == ".yml":
            self.report.add(display, 1, 1, f"rename the file to {id_}.yaml: dossier files end in .yaml")
            if ID_RE.match(id_) and id_ not in plan.kinds:
                plan.kinds[id_] = folder  # known, so references to it are not reported too
            return
        if not ID_RE.match(id_):
            meant = slug(id_)
            rename = f"rename the file to `{meant}.yaml` (ids are" if meant else "use"
            self.report.add(display, 1, 1, f"the file name `{id_}` is not an id: {rename} lowercase ASCII letters "
                            f"and digits in groups joined by single hyphens{')' if meant else ''}")
            if meant and meant not in plan.kinds:
                plan.kinds[meant] = folder  # what it will be named: references to it are not reported too
            return
        if not self._unique(id_, display):
            return
        plan.kinds[id_] = folder
        text = None
        if folder == "sources":
            text = FileJob(path.with_suffix(".txt"), display[:-5] + ".txt", folder, id_)
        plan.jobs.append(FileJob(path, display, folder, id_, text))

    def _check_id(self, id_: str, display: str, what: str) -> bool:
        if ID_RE.match(id_):
            return True
        self.report.add(display, 1, 1, f"{what} `{id_}` is not an id: use lowercase ASCII letters and digits "
                        f"in groups joined by single hyphens (e.g. `{slug(id_) or 'wang-yi'}`)")
        return False

    def _unique(self, id_: str, display: str) -> bool:
        if id_ in self.first_file:
            self.report.add(display, 1, 1, f"the id `{id_}` is already used by {display_path(self.first_file[id_])}: ids are unique across all kinds")
            return False
        self.first_file[id_] = display
        return True


def _name(path: Path) -> str:
    return path.name


def slug(text: str) -> str:
    """The lowercase ASCII letters and digits of *text*, in groups joined by hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def split_citation(item: dict) -> tuple[list[Any], dict[str, Any]]:
    """A citation mapping's keys that are not reserved (its source id, when there is exactly one), and its
    reserved keys with their values (in the order of :data:`CITATION_EXTRAS`).

    The one reading of the ``source-id: quote`` form beside reserved keys: the typed model
    (:class:`generator.core.model.Citation`), the quote look-up below and the located messages use it.
    """
    return [key for key in item if key not in CITATION_EXTRAS], {key: item[key] for key in CITATION_EXTRAS if key in item}


def _raw_citations(data: Any) -> Iterator[tuple[str, str]]:
    """Each ``source: quote`` pair of *data* (plain values) where the format puts citations.

    That is a ``cite:`` list in a mapping one or two levels down: a claim, a
    role, a hypothesis, an answer. A pair missed here is simply looked up by
    the validation itself.
    """
    if type(data) is not dict:
        return
    for value in data.values():
        for holder in value if type(value) is list else (value,):
            cites = holder.get("cite") if type(holder) is dict else None
            if type(cites) is not list:
                continue
            for item in cites:
                if type(item) is not dict:
                    continue
                keys = split_citation(item)[0]
                if len(keys) == 1 and type(keys[0]) is str and type(item[keys[0]]) is str:
                    yield keys[0], item[keys[0]]


def quote_match(normal: NormalText, quote: str) -> Match | None:
    """:func:`generator.quotes.find_quote`, remembered while ``dossier serve`` checks (a source's text read
    again unchanged gives back the same normal form: :func:`generator.loader.remembered`)."""
    kept = remembered(("quote", id(normal), quote), lambda: (normal, find_quote(normal, quote)))
    return kept[1] if kept[0] is normal else find_quote(normal, quote)


def repeated_matches(normal: NormalText, quote: str, limit: int) -> list[Match]:
    """:func:`generator.quotes.repeated_places`, remembered as :func:`quote_match` is."""
    kept = remembered(("repeated", id(normal), quote, limit), lambda: (normal, repeated_places(normal, quote, limit)))
    return kept[1] if kept[0] is normal else repeated_places(normal, quote, limit)


class DossierFiles:
    """Reads the planned files of one dossier folder, each with the problems reading it found."""

    def __init__(self, folder: Path):
        self.root = folder.resolve()
        self.folders_inside: dict[Path, bool] = {}
        self.normal: dict[str, NormalText] = {}
        """Source id -> its normalised text, for the sources read so far by this object."""

    def read(self, job: FileJob) -> FileRead:
        """The file of *job* read, with a source's text, or the quotes it cites looked up."""
        report = Report()
        document = self.read_document(job, report)
        read = FileRead(job, document, report.diagnostics)
        if job.text is not None and document is not None:
            text_report = Report()
            read.text, read.text_problems = self.read_text(job.text, job.display, text_report), text_report.diagnostics
            if read.text is not None:
                self.normal[job.id] = read.text.normal
        elif document is not None:
            read.quotes = self.look_up_quotes(document.data)
        return read

    def look_up_quotes(self, data: Any) -> dict[tuple[str, str], tuple[tuple[int, int], ...] | None]:
        """Where each ``source: quote`` pair under a ``cite:`` key of *data* stands in its source's text.

        Only for sources read so far; None for a quote not found. The
        validation uses these for the citations it validates, so that the
        reader process does this work too (:mod:`generator.core.prefetch`).
        """
        found: dict[tuple[str, str], tuple[tuple[int, int], ...] | None] = {}
        for source, quote in _raw_citations(data):
            normal = self.normal.get(source)
            if normal is not None and (source, quote) not in found:
                match = quote_match(normal, quote)
                found[source, quote] = match.spans if match else None
        return found

    def read_document(self, job: FileJob, report: Report) -> Document | None:
        """The YAML file of *job*, parsed; None when it cannot be (reported)."""
        if not self._inside(job.path, job.display, report):
            return None
        return read_yaml(job.path, report, job.display)

    def read_text(self, job: FileJob, owner: str, report: Report) -> SourceText | None:
        """The source text of *job*, in NFC and normalised; *owner* is the source's YAML file."""
        path, display = job.path, job.display
        if not path.exists() and not path.is_symlink():
            report.add(owner, 1, 1, f"the source's text is missing: write it to {display_path(display)}")
            return None
        if not self._inside(path, display, report):
            return None
        text = read_utf8(path, display, report)
        if text is None:
            return None
        text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
        if not text.strip():
            report.add(display, 1, 1, "the source's text is empty")
            return None
        return SourceText(text, remembered(("normal", text), lambda: normalise(text)))

    def _inside(self, path: Path, display: str, report: Report) -> bool:
        """True when *path* is a regular file inside the dossier folder (links followed)."""
        try:
            if stat.S_ISREG(path.lstat().st_mode) and self._folder_inside(path.parent):
                return True  # no link to follow: inside, as its folder is
        except OSError:
            pass  # reported below, with the reason
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            reason = "Too many levels of symbolic links" if isinstance(exc, RuntimeError) else (exc.strerror or str(exc))
            report.add(display, 1, 1, f"cannot read the file: {reason}")
            return False
        if resolved != self.root and self.root not in resolved.parents:
            report.add(display, 1, 1, "the file is a link to outside the dossier folder: copy the file in instead")
            return False
        if not resolved.is_file():
            report.add(display, 1, 1, "not a regular file")
            return False
        return True

    def _folder_inside(self, folder: Path) -> bool:
        """True when *folder* resolves to the dossier folder or one inside it (worked out once per folder)."""
        inside = self.folders_inside.get(folder)
        if inside is None:
            resolved = folder.resolve()
            inside = self.folders_inside[folder] = resolved == self.root or self.root in resolved.parents
        return inside
