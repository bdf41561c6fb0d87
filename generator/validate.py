"""Stage 2: turn loaded files into a validated :class:`~generator.model.Dossier`.

Every problem is collected into a :class:`~generator.errors.Report` with the
file, line and column it comes from; nothing stops at the first one. The
checks are, in order: the folder layout and file names; each file against its
typed class (pydantic, its errors mapped back to YAML positions); the source
texts; then, across files, ids, references of the right kind and quotes.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from . import model as m
from .batch import collector_paused
from .errors import Report, display_path
from .loader import Document, decode_utf8, read_yaml
from .quotes import closest_passage, find_quote, nfc, normalise

LINK_RE = re.compile(r"\[\[([^\]|\n]*)(?:\|([^\]]*))?\]\]")
"""``[[id]]`` or ``[[id|label]]`` in a Markdown text."""

KIND_NAMES = {m.Source: "a source", m.Actor: "an actor", m.Meeting: "a meeting", m.Question: "a question"}


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
    return any((folder / kind).is_dir() for kind in m.KINDS)


def load_dossier(folder: Path, display: str, report: Report) -> m.Dossier | None:
    """Read and validate one dossier folder; None when ``dossier.yaml`` is unusable."""
    loader = _DossierLoader(folder, display, report)
    return loader.run()


class _DossierLoader:
    """Reads one dossier folder, file by file, then checks it as a whole."""

    def __init__(self, folder: Path, display: str, report: Report):
        self.folder, self.display, self.report = folder, display, report
        self.root = folder.resolve()
        self.id = self.root.name
        self.documents: dict[str, Document] = {}
        self.first_file: dict[str, str] = {}
        self.kinds: dict[str, type[m.Entity]] = {}
        self.folders_inside: dict[Path, bool] = {}

    def run(self) -> m.Dossier | None:
        meta_path = os.path.join(self.display, "dossier.yaml")
        self._check_id(self.id, meta_path, "the dossier's folder name")
        meta = self._read_meta(meta_path)
        dossier = m.Dossier(self.id, self.display, meta or _placeholder_meta())
        for folder, cls in m.KINDS.items():
            self._read_kind(dossier, folder, cls)
        dossier.sort()
        _References(dossier, self.documents, self.kinds, self.report).check()
        return dossier if meta is not None else None

    def _read_meta(self, display: str) -> m.DossierMeta | None:
        path = self.folder / "dossier.yaml"
        if not path.exists():
            self.report.add(display, 1, 1, "missing dossier.yaml: every dossier needs its title, as_of date and summary")
            return None
        meta = self._read_entity(path, display, m.DossierMeta, "")
        return meta if isinstance(meta, m.DossierMeta) else None

    def _read_kind(self, dossier: m.Dossier, folder: str, cls: type[m.Entity]) -> None:
        directory = self.folder / folder
        if not directory.is_dir():
            return
        for path in sorted(directory.iterdir()):
            display = os.path.join(self.display, folder, path.name)
            if path.name.startswith("."):
                continue  # editor lock and backup files
            if path.suffix in (".yaml", ".yml"):
                self._read_file(dossier, path, display, folder, cls)
            elif not (folder == "sources" and path.suffix == ".txt") and not path.name.startswith("."):
                self.report.add(display, 1, 1, f"ignored: only .yaml files belong in {folder}/", "warning")
            elif path.suffix == ".txt" and not (path.with_suffix(".yaml").exists()):
                self.report.add(display, 1, 1, f"source text without metadata: add sources/{path.stem}.yaml", "warning")

    def _read_file(self, dossier: m.Dossier, path: Path, display: str, folder: str, cls: type[m.Entity]) -> None:
        id_ = path.stem
        if path.suffix == ".yml":
            self.report.add(display, 1, 1, f"rename the file to {id_}.yaml: dossier files end in .yaml")
            if m.ID_RE.match(id_) and id_ not in self.kinds:
                self.kinds[id_] = cls  # known, so references to it are not reported too
            return
        if not self._check_id(id_, display, "the file name") or not self._unique(id_, display):
            return
        self.kinds[id_] = cls
        entity = self._read_entity(path, display, cls, id_)
        if entity is None:
            return
        if isinstance(entity, m.Source):
            self._attach_text(entity, path.with_suffix(".txt"), display[:-5] + ".txt")
        dossier.table(folder)[id_] = entity

    def _read_entity(self, path: Path, display: str, cls: type[m.Entity], id_: str) -> m.Entity | None:
        if not self._inside(path, display):
            return None
        doc = read_yaml(path, self.report, display)
        if doc is None:
            return None
        if not isinstance(doc.data, dict):
            self.report.add(display, *doc.position(()), f"expected a mapping of fields (`{_first_field(cls)}: …`), found {m._kind(doc.data)}")
            return None
        try:
            entity = cls.model_validate(doc.data)
        except ValidationError as exc:
            report_validation(doc, cls, exc, self.report)
            return None
        self.documents[id_] = doc
        return entity.locate(id_, display)

    def _attach_text(self, source: m.Source, path: Path, display: str) -> None:
        if not path.exists() and not path.is_symlink():
            self.report.add(source.path, 1, 1, f"the source's text is missing: write it to {display_path(display)}")
            return
        if not self._inside(path, display):
            return
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self.report.add(display, 1, 1, f"cannot read the file: {exc.strerror or exc}")
            return
        text = decode_utf8(display, raw, self.report)
        if text is None:
            return
        text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
        if not text.strip():
            self.report.add(display, 1, 1, "the source's text is empty")
            return
        source.with_text(text)

    def _inside(self, path: Path, display: str) -> bool:
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
            self.report.add(display, 1, 1, f"cannot read the file: {reason}")
            return False
        if resolved != self.root and self.root not in resolved.parents:
            self.report.add(display, 1, 1, "the file is a link to outside the dossier folder: copy the file in instead")
            return False
        if not resolved.is_file():
            self.report.add(display, 1, 1, "not a regular file")
            return False
        return True

    def _folder_inside(self, folder: Path) -> bool:
        """True when *folder* resolves to the dossier folder or one inside it (worked out once per folder)."""
        inside = self.folders_inside.get(folder)
        if inside is None:
            resolved = folder.resolve()
            inside = self.folders_inside[folder] = resolved == self.root or self.root in resolved.parents
        return inside

    def _check_id(self, id_: str, display: str, what: str) -> bool:
        if m.ID_RE.match(id_):
            return True
        self.report.add(display, 1, 1, f"{what} `{id_}` is not an id: use lowercase ASCII letters and digits "
                        f"in groups joined by single hyphens (e.g. `{_slug(id_) or 'wang-yi'}`)")
        return False

    def _unique(self, id_: str, display: str) -> bool:
        if id_ in self.first_file:
            self.report.add(display, 1, 1, f"the id `{id_}` is already used by {display_path(self.first_file[id_])}: ids are unique across all kinds")
            return False
        self.first_file[id_] = display
        return True


def _placeholder_meta() -> m.DossierMeta:
    return m.DossierMeta.model_construct(title="", language="fr", summary="", key_judgments=[], authors=[])


def _first_field(cls: type[BaseModel]) -> str:
    return next(iter(cls.model_fields))


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


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
    if len(loc) < 3 or loc[-3] != "cite" or loc[-1] not in ("quote", "source"):
        return loc
    node: Any = doc.data
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return loc
    return loc[:-1] + tuple(node)[:1] if isinstance(node, dict) and len(node) == 1 else loc


def _message(cls: type[BaseModel], loc: tuple, error: dict[str, Any]) -> str:
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
        return f"`{shown}` is not a valid {name}: use {_or(allowed)}" + _did_you_mean(shown, allowed)
    if kind == "string_type":
        hint = "; a text that starts with `[[` must be quoted in YAML, or YAML reads a list" if isinstance(value, list) else ""
        return f"expected a text, found {m._kind(value)}{hint}"
    if kind == "list_type":
        return f"expected a list, found {m._kind(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of fields, found {m._kind(value)}"
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
        current = _inner_model(field.annotation)
        if current is None:
            return None
    return current


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _did_you_mean(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


# -- references and quotes -----------------------------------------------------

class _References:
    """Checks every reference and quote of a dossier, across its files."""

    def __init__(self, dossier: m.Dossier, documents: dict[str, Document], kinds: dict[str, type[m.Entity]],
                 report: Report):
        self.dossier, self.documents, self.report = dossier, documents, report
        self.kinds = kinds
        """Every id that has a file, valid or not, with its kind: no cascade of errors."""
        self.normal = {sid: normalise(s.text) for sid, s in dossier.sources.items() if s.text}
        self.names = _name_index(dossier)

    def check(self) -> None:
        owners: list[tuple[str, m.Entity]] = [("", self.dossier.meta)]
        owners += [(e.id, e) for e in self.dossier.entities()]
        for key, entity in owners:
            doc = self.documents.get(key)
            if doc is None:
                continue
            self._check_links(doc, entity)
            self._check_fields(doc, entity)
            self._check_citations(doc, entity)
            for path, message in _inconsistencies(entity):
                self.report.add(doc.path, *doc.position(path), message)

    def _check_links(self, doc: Document, entity: m.Entity) -> None:
        for path, text in m.iter_markdown(entity):
            if "[[" not in text:
                continue
            targets = [match.group(1) for match in LINK_RE.finditer(text)]
            if all(target.strip() in self.kinds for target in targets):
                continue
            self._report_links(doc, path, targets)

    def _report_links(self, doc: Document, path: tuple, targets: list[str]) -> None:
        """Locate each unknown ``[[target]]`` of the text at *path* in the file (links found in order)."""
        after = doc.offset(doc.position(path))
        for raw in targets:
            target = raw.strip()
            found = doc.text.find("[[" + raw, after)
            after = found + 2 if found >= 0 else after
            if target not in self.kinds:
                position = doc.mark_of(found) if found >= 0 else doc.position(path)
                self.report.add(doc.path, *position, f"unknown id `{target}` in `[[…]]` link" + self._suggest(target))

    def _check_fields(self, doc: Document, entity: m.Entity) -> None:
        for path, target, wanted in _references(entity):
            found = self.kinds.get(target)
            if found is None:
                self.report.add(doc.path, *doc.position(path), f"unknown id `{target}`" + self._suggest(target, wanted))
            elif wanted is not None and found is not wanted:
                self.report.add(doc.path, *doc.position(path),
                                f"`{target}` is {KIND_NAMES[found]}, not {KIND_NAMES[wanted]}")

    def _check_citations(self, doc: Document, entity: m.Entity) -> None:
        for path, claim in m.iter_claims(entity):
            if not claim.cite:
                self.report.add(doc.path, *doc.position(path), "claim without citation: quote the source that supports it", "warning")
        for path, citation in m.iter_citations(entity):
            self._check_quote(doc, path, citation)

    def _check_quote(self, doc: Document, path: tuple, citation: m.Citation) -> None:
        found = self.kinds.get(citation.source)
        if found is not m.Source:
            message = (f"`{citation.source}` is {KIND_NAMES[found]}, not a source" if found
                       else f"unknown source `{citation.source}`" + self._suggest(citation.source, m.Source))
            self.report.add(doc.path, *doc.position(path + (citation.source,), key=True), message)
            return
        normal = self.normal.get(citation.source)
        if normal is None:
            return  # the missing or unreadable text was reported already
        match = find_quote(normal, citation.quote)
        if match is None:
            closest = closest_passage(normal, citation.quote)
            hint = f"; closest passage: «{closest}»" if closest else ""
            self.report.add(doc.path, *doc.position(path + (citation.source,)), f"quote not found in source `{citation.source}`{hint}")
            return
        citation.found_at(match.spans)

    def _suggest(self, target: str, wanted: type | None = None) -> str:
        pool = sorted(i for i, kind in self.kinds.items() if wanted is None or kind is wanted)
        close = difflib.get_close_matches(target, pool, n=1, cutoff=0.6)
        if not close:
            close = [i for i in self.names.get(target, []) if i in pool][:1]
        if not close:
            close = [i for i in pool if target in i.split("-") or i in target.split("-")][:1]
        return f"; did you mean `{close[0]}`?" if close else ""


def _name_index(dossier: m.Dossier) -> dict[str, list[str]]:
    """Slugs of every actor's name, alias and name part -> actor ids."""
    index: dict[str, list[str]] = {}
    for actor in dossier.actors.values():
        for name in [actor.name, *actor.aliases]:
            slug = _slug(name)
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
    elif isinstance(entity, m.Question):
        if entity.opened and entity.reviewed and entity.opened.start.first_day() > entity.reviewed.end.last_day():
            yield ("reviewed",), f"reviewed ({entity.reviewed.iso()}) before it was opened ({entity.opened.iso()})"


def _references(entity: m.Entity) -> Iterable[tuple[tuple, str, type | None]]:
    """(path, id, wanted class) for each reference field of *entity*."""
    if isinstance(entity, m.Actor):
        if entity.country:
            yield ("country",), entity.country, m.Actor
        for index, role in enumerate(entity.roles):
            if role.of:
                yield ("roles", index, "of"), role.of, m.Actor
    elif isinstance(entity, m.Meeting):
        for index, participant in enumerate(entity.participants):
            yield ("participants", index) + (("actor",) if participant.role is not None else ()), participant.actor, m.Actor
        for index, target in enumerate(entity.follows):
            yield ("follows", index), target, m.Meeting
    elif isinstance(entity, m.Question):
        for index, target in enumerate(entity.about):
            yield ("about", index), target, None


def check(root: Path, display: str) -> tuple[list[m.Dossier], Report]:
    """Validate every dossier at or under *root*: the dossiers and every problem found."""
    report = Report()
    dossiers = []
    with collector_paused():
        for folder, shown in find_dossiers(root, report, display):
            dossier = load_dossier(folder, shown, report)
            if dossier is not None:
                dossiers.append(dossier)
    return dossiers, report
