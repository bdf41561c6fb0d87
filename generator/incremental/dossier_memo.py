"""``dossier serve`` in a library: a dossier whose files did not change is not checked, linked or rendered again.

Each dossier's check (:func:`generator.core.validate.load_dossier`), link and
pages are functions of that dossier's folder alone (the site's home page,
made from every dossier, is always made again). :class:`DossierMemo` keeps,
from one rebuild to the next, for each dossier folder: a hash of every file
under it (path and bytes), the validated dossier with the diagnostics its
check reported, the linked dossier, its pages, its files for other tools (its JSON export…) and its previews. A folder
whose hash is unchanged gives back the very same objects (the diagnostics are
reported again); anything else is made anew. Only the last rebuild's
dossiers are kept.

A dossier whose files changed is linked from the last rebuild's linked
dossier of its folder (:mod:`generator.core.relink`, passed in by the
pipeline): only what the changed entities contribute is made again.
Within a dossier whose files changed, the pages whose reads did not change
are the ones made before (:mod:`generator.incremental.page_reads`: the linked dossier of
the last rebuild is kept for the comparison). A page that reads another
dossier's tables is made again unless that dossier is unchanged; what a page
reads outside the dossiers' watched tables is not seen: the preview's
byte-for-byte test (``tests/test_incremental.py``) edits a file and compares
with a clean build.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core import loader
from ..core.errors import Diagnostic, Report
from .page_reads import watch

RACY = 2.0
"""Seconds: a file changed this close to the last scan may change again with the same size and time
stamp (their resolution), so its bytes are read again; an older one's are trusted while its stat is the same."""
Signature = tuple[int, int, int, int]
"""A file's size, modification and change times (ns) and inode."""


def folder_digest(folder: Path, known: dict[str, tuple[Signature, bytes, bool]] | None = None) -> bytes:
    """Every file under *folder* (relative path and bytes), hashed (folders linked to are not walked).

    With *known* (``dossier serve``: path -> signature, the bytes' hash, and whether it may be trusted, from
    the last scan; updated in place), a file whose signature is the same and was trusted is not read again.
    """
    h = hashlib.blake2b(digest_size=20)
    started = time.time_ns() - int(RACY * 1e9)
    for name, path, st in _files_under(str(folder)):
        signature = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        last = known.get(path) if known is not None else None
        if last is not None and last[0] == signature and last[2]:
            content = last[1]
        else:
            try:
                with open(path, "rb") as file:
                    content = hashlib.blake2b(file.read(), digest_size=20).digest()
            except OSError:
                content = b"\0unreadable"
            if known is not None:
                known[path] = (signature, content, max(st.st_mtime_ns, st.st_ctime_ns) < started)
        for part in (name.encode(), content):
            h.update(len(part).to_bytes(8, "little"))
            h.update(part)
    return h.digest()


def _files_under(folder: str) -> list[tuple[str, str, os.stat_result]]:
    """(relative path, path, stat) of each regular file under *folder* (a link to one included), by path:
    ``os.scandir`` rather than ``Path.rglob``, a path object less per file (20 µs a file, 2,000 files a dossier)."""
    found, folders = [], [("", folder)]
    while folders:
        relative, where = folders.pop()
        try:
            entries = list(os.scandir(where))
        except OSError:
            continue
        for entry in entries:
            name = f"{relative}/{entry.name}" if relative else entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((name, entry.path))
                    continue
                st = entry.stat()
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                found.append((name, entry.path, st))
    found.sort(key=lambda item: item[0].split("/"))
    return found


_NONE = object()


@dataclass
class _Kept:
    digest: bytes
    dossier: Any
    diagnostics: list[Diagnostic]
    linked: Any = None
    pages: dict[tuple, list] = field(default_factory=dict)
    export: dict[tuple, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    parts: dict[str, Any] = field(default_factory=dict)
    """The parts of each output made in parts (its JSON export, its FtM lines …), by the output's name."""


class DossierMemo:
    """What the last rebuild made of each dossier folder, reused while the folder's files are the same."""

    def __init__(self) -> None:
        self.kept: dict[str, _Kept] = {}
        self.fresh: dict[str, _Kept] = {}
        self.reused = 0
        self.rendered = 0
        self.parsed_kept: dict[tuple[str, str], Any] = {}
        self.parsed_fresh: dict[tuple[str, str], Any] = {}
        self.validated_kept: dict[tuple, Any] = {}
        self.validated_fresh: dict[tuple, Any] = {}
        """(document, entity) by (id of the document, class, id, path, source text); the caller checks the document."""
        self.stats: dict[str, tuple[Signature, bytes, bool]] = {}
        """Each file of the dossiers at the last scan (:func:`folder_digest`)."""
        self.remembered_kept: dict[tuple, Any] = {}
        self.remembered_fresh: dict[tuple, Any] = {}
        """What pure functions of their key gave (:func:`generator.loader.remembered`)."""
        """How many of the dossiers' pages the last rebuild rendered (the others were the pages made before)."""

    def start(self) -> None:
        """A new rebuild: what the last one made is what may be reused."""
        self.kept, self.fresh, self.reused = {**self.kept, **self.fresh}, {}, 0
        self.parsed_kept, self.parsed_fresh = {**self.parsed_kept, **self.parsed_fresh}, {}
        self.validated_kept, self.validated_fresh = {**self.validated_kept, **self.validated_fresh}, {}
        self.remembered_kept, self.remembered_fresh = {**self.remembered_kept, **self.remembered_fresh}, {}

    @contextmanager
    def parsing(self) -> Iterator[None]:
        """For the ``with`` block, a YAML file whose name and text are unchanged is not parsed again."""
        loader.PARSED[:] = [self]
        try:
            yield
        finally:
            loader.PARSED.clear()

    def parsed(self, key: tuple[str, str]) -> Any:
        """The document parsed before from this name and text (:data:`generator.core.loader.PARSED`), or None."""
        document = self.parsed_kept.get(key) or self.parsed_fresh.get(key)
        if document is not None:
            self.parsed_fresh[key] = document
        return document

    def keep_parsed(self, key: tuple[str, str], document: Any) -> None:
        self.parsed_fresh[key] = document

    def validated(self, key: tuple) -> Any:
        """The entity validated before from the same document object (kept above), class, id, path and text."""
        entity = self.validated_kept.get(key) or self.validated_fresh.get(key)
        if entity is not None:
            self.validated_fresh[key] = entity
        return entity

    def keep_validated(self, key: tuple, entity: Any) -> None:
        self.validated_fresh[key] = entity

    def remembered(self, key: tuple, make: Callable[[], Any]) -> Any:
        """``make()``, or what it gave for *key* at the last rebuild or this one."""
        found = self.remembered_fresh.get(key, _NONE)
        if found is _NONE:
            found = self.remembered_kept.get(key, _NONE)
            self.remembered_fresh[key] = found = make() if found is _NONE else found
        return found

    def finish(self) -> None:
        """The rebuild is done: keep only its dossiers and documents."""
        self.kept, self.fresh = self.fresh, {}
        self.parsed_kept, self.parsed_fresh = self.parsed_fresh, {}
        self.validated_kept, self.validated_fresh = self.validated_fresh, {}
        self.remembered_kept, self.remembered_fresh = self.remembered_fresh, {}

    def load(self, plan: Any, report: Report, load: Callable[[], Any]) -> Any:
        """The validated dossier of *plan*: the last one when its folder is unchanged, else ``load()``."""
        key = f"{plan.folder.resolve()}\0{plan.display}"
        digest = folder_digest(plan.folder, self.stats)
        kept = self.kept.get(key)
        if kept is not None and kept.digest == digest:
            report.diagnostics.extend(kept.diagnostics)
            self.fresh[key] = kept
            self.reused += 1
            return kept.dossier
        before = len(report.diagnostics)
        dossier = load()
        self.fresh[key] = _Kept(digest, dossier, list(report.diagnostics[before:]))
        return dossier

    def _of(self, obj: Any, attribute: str) -> _Kept | None:
        return next((kept for kept in self.fresh.values() if getattr(kept, attribute) is obj), None)

    def link(self, dossier: Any, link: Callable[[Any], Any], relink: Callable[[Any, Any], Any] | None = None) -> Any:
        """The linked *dossier*: the one made before for this very object; else, with *relink*, made from the
        last rebuild's linked dossier of the same folder (``relink(last, dossier)``), or by ``link(dossier)``."""
        kept = self._of(dossier, "dossier")
        if kept is None:
            return link(dossier)
        if kept.linked is None:
            key = next(key for key, one in self.fresh.items() if one is kept)
            last = self.kept.get(key)
            before = last.linked if last is not None and last is not kept else None
            kept.linked = watch(relink(before, dossier) if relink is not None and before is not None else link(dossier))
        return kept.linked

    def previous_pages(self, linked: Any, options: tuple) -> tuple[Any, list] | None:
        """The pages made last with the same *options* for *linked*'s folder, with the linked dossier they
        were made from (this very one when the folder is unchanged), or None."""
        key = next((key for key, kept in self.fresh.items() if kept.linked is linked), None)
        if key is None:
            return None
        for kept in (self.fresh[key], self.kept.get(key)):
            if kept is not None and kept.linked is not None and options in kept.pages:
                return kept.linked, kept.pages[options]
        return None

    def keep_pages(self, linked: Any, options: tuple, pages: list) -> None:
        """The pages (:class:`generator.incremental.page_reads.Rendered`) made for *linked*."""
        kept = self._of(linked, "linked")
        if kept is not None:
            kept.pages = {options: pages}

    def export(self, linked: Any, make: Callable[[Any], Any], options: tuple = ()) -> Any:
        """What *linked* publishes for other tools (``make(linked)``: its JSON export and the rest), made once
        per linked dossier and *options* (the site's address and URL style, which the files name)."""
        kept = self._of(linked, "linked")
        if kept is None:
            return make(linked)
        if options not in kept.export:
            kept.export = {options: make(linked)}
        return kept.export[options]

    def parts_history(self, linked: Any, name: str) -> tuple[Any, tuple[Any, list] | None, frozenset[str]]:
        """For :func:`generator.incremental.export_parts.remade`: where *linked*'s parts are kept (None: nowhere), the last
        rebuild's linked dossier of its folder with its parts of the output *name*, and the dossiers unchanged since."""
        kept = self._of(linked, "linked")
        if kept is None:
            return None, None, frozenset()
        key = next(key for key, one in self.fresh.items() if one is kept)
        old = self.kept.get(key)
        previous = (old.linked, old.parts[name]) if old is not None and name in old.parts else None
        stable = frozenset(one.linked.dossier.id for one in self.fresh.values()
                           if one.linked is not None and any(one is k for k in self.kept.values()))
        return kept, previous, stable

    def output(self, linked: Any, name: str, make: Callable[[Any], Any]) -> Any:
        """Another text made of *linked* (its previews' JSON …), by *name*: made once per linked dossier."""
        kept = self._of(linked, "linked")
        if kept is None:
            return make(linked)
        if name not in kept.outputs:
            kept.outputs[name] = make(linked)
        return kept.outputs[name]
