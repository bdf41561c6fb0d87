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
from collections.abc import Callable, Iterable, Iterator
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


@dataclass
class Scan:
    """One walk of a dossier folder (``dossier serve``, once per rebuild): what the planning, the folder's digest
    and the reading of its files share."""

    entries: list[tuple[str, str, str]] = field(default_factory=list)
    """(relative path, type, path) of everything under the folder, sorted: ``f`` a regular file, ``d`` a folder
    (walked), ``l`` a link (never followed into a folder), ``o`` anything else or what could not be looked at."""
    files: dict[str, tuple[Signature | None, bool]] = field(default_factory=dict)
    """Each entry's path -> its signature (None unless it is or leads to a regular file) and whether it may be
    trusted (an old regular file, not a link: see :data:`RACY`)."""
    linked: bool = False
    """A link somewhere: what the planning sees depends on where it leads, not on the listing."""
    exotic: bool = False
    """A link to a folder, or a folder that could not be listed: nothing of the folder is reused."""


def scan(folder: Path) -> Scan:
    """Every entry under *folder*, with its signature (one ``lstat`` a file, links followed to their file)."""
    started = time.time_ns() - int(RACY * 1e9)
    found = Scan()
    entries, files = found.entries, found.files
    root = str(folder)
    pending = [("" if root == "." else root.rstrip("/") + "/", "")]
    while pending:
        base, prefix = pending.pop()
        try:
            with os.scandir(base or ".") as listing:
                within = list(listing)
        except OSError:
            found.exotic = True
            continue
        for entry in within:
            path, kind, signature, trusted = base + entry.name, "f", None, False
            if entry.is_symlink():
                kind, signature = "l", _linked(entry, found)
            elif entry.is_dir(follow_symlinks=False):
                kind = "d"
                pending.append((path + "/", prefix + entry.name + "/"))
            else:
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:  # gone since the listing
                    st = None
                if st is not None and stat.S_ISREG(st.st_mode):
                    signature = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
                    trusted = st.st_mtime_ns < started and st.st_ctime_ns < started
                else:
                    kind = "o"
            entries.append((prefix + entry.name, kind, path))
            files[path] = (signature, trusted)
    entries.sort()
    return found


def _linked(entry: os.DirEntry, found: Scan) -> Signature | None:
    """The signature of the file a link leads to (None: it leads to no regular file); the link marked on *found*,
    and a link to a folder marks it exotic. A link's bytes are read again each time (never trusted)."""
    found.linked = True
    try:
        st = os.stat(entry.path)
    except OSError:  # a broken link
        return None
    found.exotic = found.exotic or stat.S_ISDIR(st.st_mode)
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) if stat.S_ISREG(st.st_mode) else None


def folder_digest(folder: Path, known: dict[str, tuple[Signature, bytes, bool]] | None = None,
                  scanned: Scan | None = None) -> bytes:
    """Every file under *folder* (relative path and bytes), hashed (from its *scanned* walk when given).

    With *known* (``dossier serve``: path -> signature, the bytes' hash, and whether it may be trusted, from
    the last scan; updated in place), a file whose signature is the same and was trusted is not read again.
    """
    h = hashlib.blake2b(digest_size=20)
    scanned = scanned if scanned is not None else scan(folder)
    for rel, _kind, path in scanned.entries:
        signature, trusted = scanned.files[path]
        if signature is None:
            continue
        last = known.get(path) if known is not None else None
        if last is not None and last[0] == signature and last[2]:
            content = last[1]
        else:
            try:
                with open(path, "rb") as handle:
                    content = hashlib.blake2b(handle.read(), digest_size=20).digest()
            except OSError:
                content = b"\0unreadable"
            if known is not None:
                known[path] = (signature, content, trusted)
        for part in (rel.encode(errors="surrogateescape"), content):
            h.update(len(part).to_bytes(8, "little"))
            h.update(part)
    return h.digest()


_NONE = object()


class _Generations:
    """What the last rebuild made (kept) and what this one used or made (fresh), by key: only the fresh is kept
    for the next rebuild (a rebuild that stops short, on errors, keeps both).

    Each key used or made while a dossier is loaded is noted in *touched*'s last list: the dossier keeps them
    while it is reused whole and gives them back (:meth:`restore`) when its files change and it is loaded again.
    """

    def __init__(self, touched: list[list[tuple[_Generations, Any]]]) -> None:
        self.kept: dict[Any, Any] = {}
        self.fresh: dict[Any, Any] = {}
        self.touched = touched

    def start(self) -> None:
        self.kept, self.fresh = {**self.kept, **self.fresh}, {}

    def finish(self) -> None:
        self.kept, self.fresh = self.fresh, {}

    def get(self, key: Any, default: Any = None) -> Any:
        """What was made for *key* (*default*: nothing), kept for the next rebuild too."""
        found = self.fresh.get(key, _NONE)
        if found is _NONE:
            found = self.kept.get(key, _NONE)
            if found is _NONE:
                return default
            self.fresh[key] = found
        if self.touched:
            self.touched[-1].append((self, key))
        return found

    def put(self, key: Any, value: Any) -> None:
        self.fresh[key] = value
        if self.touched:
            self.touched[-1].append((self, key))

    def carry(self, key: Any) -> None:
        """Keep what the last rebuild made for *key* for the next one too."""
        found = self.kept.get(key, _NONE)
        if found is not _NONE:
            self.fresh.setdefault(key, found)
            if self.touched:
                self.touched[-1].append((self, key))

    def restore(self, made: dict[Any, Any]) -> None:
        """What a dossier's last load made of this store (key -> value) made available again (the keys neither
        this rebuild nor the last made or used keep their values): a dossier reused whole, rebuild after rebuild,
        keeps what its load made with it, not in the stores, and gives it back when it is loaded again."""
        kept, fresh = self.kept, self.fresh
        for key, value in made.items():
            if key not in kept and key not in fresh:
                kept[key] = value

    def made(self, keys: list[Any]) -> dict[Any, Any]:
        """Key -> value of this rebuild for each of *keys* that this store holds."""
        fresh = self.fresh
        return {key: fresh[key] for key in keys if key in fresh}


def _by_store(touched: list[tuple[_Generations, Any]]) -> list[tuple[_Generations, dict[Any, Any]]]:
    """What a load used and made (each store and key, in order), as each store's keys with their values."""
    keys: dict[int, tuple[_Generations, list[Any]]] = {}
    for store, key in touched:
        keys.setdefault(id(store), (store, []))[1].append(key)
    return [(store, store.made(listed)) for store, listed in keys.values()]


def _folder_key(folder: Path, display: str) -> str:
    return f"{folder.resolve()}\0{display}"


def _trusted(signatures: tuple) -> bool:
    """Whether a file read (its YAML file, and a source's text, absent or not) may be taken as read before."""
    return signatures[0] is not None and signatures[0][1] and (signatures[1] is None or signatures[1][1])


@dataclass
class _Kept:
    digest: bytes
    dossier: Any
    diagnostics: list[Diagnostic]
    touched: list[tuple[_Generations, dict[Any, Any]]] = field(default_factory=list)
    """What loading it used and made of each of the memo's stores (key -> value): kept here while it is reused
    whole, given back to the stores when it is loaded again (:meth:`_Generations.restore`)."""
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
        """How many of the dossiers' pages the last rebuild rendered (the others were the pages made before)."""
        self.touched: list[list[tuple[_Generations, Any]]] = []
        """While a dossier is loaded: what it used of the stores below (:class:`_Generations`)."""
        self.documents = _Generations(self.touched)
        """Documents by (name, text) (:data:`generator.core.loader.PARSED`)."""
        self.entities = _Generations(self.touched)
        """(document, entity) by (id of the document, class, id, path, source text); the caller checks the document."""
        self.pure = _Generations(self.touched)
        """What pure functions of their key gave (:func:`generator.loader.remembered`)."""
        self.stats: dict[str, tuple[Signature, bytes, bool]] = {}
        """Each file of the dossiers at the last scan (:func:`folder_digest`)."""
        self.scans: dict[str, Scan] = {}
        """This rebuild's walk of each dossier folder, by folder (:func:`scan`)."""
        self.last_scans: dict[str, Scan] = {}
        """The last rebuild's walks, by folder."""
        self.digests: dict[str, tuple[Scan, bytes]] = {}
        """Folder -> a walk of it and the folder's digest from that walk."""
        self.changed: list[str] | None = None
        """``dossier serve``: the paths (resolved) of the file events since the last rebuild; a folder under none
        of them is as the last rebuild walked it. None: anything may have changed (every folder is walked)."""
        self.plans = _Generations(self.touched)
        """Folder -> (its entries, its plan, the planning's diagnostics)."""
        self.files_read = _Generations(self.touched)
        """A planned file's path -> (its job, its files' signatures, what reading it gave)."""
        self.checks = _Generations(self.touched)
        """``id()`` of an entity -> (the entity, (its file, what checking it gave, the token of the last check
        of its dossier that made it or found it still true))."""
        self.stamps = _Generations(self.touched)
        """A dossier -> (the token of its last check, its language, what each id was then: :meth:`changes`)."""

    def _stores(self) -> tuple[_Generations, ...]:
        return (self.documents, self.entities, self.pure, self.plans, self.files_read, self.checks, self.stamps)

    def start(self, changed: Iterable[str] | None = None) -> None:
        """A new rebuild: what the last one made is what may be reused. *changed*: the paths the system's file
        events named since the last rebuild (None: not known, every folder is walked again)."""
        self.kept, self.fresh, self.reused = {**self.kept, **self.fresh}, {}, 0
        self.last_scans, self.scans = {**self.last_scans, **self.scans}, {}
        self.changed = None if changed is None else sorted({os.path.realpath(path) for path in changed})
        for store in self._stores():
            store.start()

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
        return self.documents.get(key)

    def keep_parsed(self, key: tuple[str, str], document: Any) -> None:
        self.documents.put(key, document)

    def validated(self, key: tuple) -> Any:
        """The entity validated before from the same document object (kept above), class, id, path and text."""
        return self.entities.get(key)

    def keep_validated(self, key: tuple, entity: Any) -> None:
        self.entities.put(key, entity)

    def remembered(self, key: tuple, make: Callable[[], Any]) -> Any:
        """``make()``, or what it gave for *key* at the last rebuild or this one."""
        found = self.pure.get(key, _NONE)
        if found is _NONE:
            found = make()
            self.pure.put(key, found)
        return found

    def reviewed(self, dossier: Any, errors: bool, review: Callable[[Any, bool], Any]) -> Any:
        """``review(dossier, errors)`` (the analytic standards' checks: a function of the dossier alone), made
        once for this very dossier object while it is reused."""
        found = self.remembered(("review", id(dossier), errors), lambda: (dossier, review(dossier, errors)))
        if found[0] is not dossier:
            found = (dossier, review(dossier, errors))
            self.pure.put(("review", id(dossier), errors), found)
        return found[1]

    def finish(self) -> None:
        """The rebuild is done: keep only its dossiers, documents and walks."""
        self.kept, self.fresh = self.fresh, {}
        self.last_scans, self.scans = self.scans, {}
        self.digests = {key: made for key, made in self.digests.items() if key in self.last_scans}
        for store in self._stores():
            store.finish()

    def plan(self, folder: Path, display: str, report: Report, make: Callable[[Path, str, Report], Any]) -> Any:
        """The plan of the dossier *folder* (``make(folder, display, report)``), walking the folder once for this
        rebuild: the last plan, its diagnostics told again, when the folder lists the same entries (no link)."""
        key = _folder_key(folder, display)
        scanned = self.scans[key] = self._walk(folder, key)
        kept = self.plans.get(key)
        if kept is not None and not (scanned.linked or scanned.exotic) and (kept[0] is scanned.entries or
                                                                            kept[0] == scanned.entries):
            report.diagnostics.extend(kept[2])
            return kept[1]
        before = len(report.diagnostics)
        plan = make(folder, display, report)
        self.plans.put(key, (scanned.entries, plan, report.diagnostics[before:]))
        return plan

    def _scan(self, plan: Any) -> Scan:
        key = _folder_key(plan.folder, plan.display)
        scanned = self.scans.get(key)
        if scanned is None:
            scanned = self.scans[key] = self._walk(plan.folder, key)
        return scanned

    def _walk(self, folder: Path, key: str) -> Scan:
        """The folder walked (:func:`scan`), or its last walk when no file event since was at, under or above
        it (and it holds no link, whose target the events may not see)."""
        last = self.last_scans.get(key)
        if last is None or self.changed is None or last.linked or last.exotic:
            return scan(folder)
        root = os.path.realpath(folder)
        inside = root + os.sep
        if any(path == root or path.startswith(inside) or inside.startswith(path + os.sep) for path in self.changed):
            return scan(folder)
        return last

    def _digest(self, plan: Any, key: str, scanned: Scan) -> bytes:
        """The folder's digest (:func:`folder_digest`), the last one when made from this very walk."""
        last = self.digests.get(key)
        if last is not None and last[0] is scanned:
            return last[1]
        digest = folder_digest(plan.folder, self.stats, scanned)
        self.digests[key] = (scanned, digest)
        return digest

    def reads(self, plan: Any, read: Callable[[Any], Any]) -> Iterator[tuple[Any, bool]]:
        """Each planned file of *plan* read (``read(job)``), in order, and whether it is the very read of the last
        rebuild: it is when the signatures of its files (a source's text too) are the same and were trusted."""
        scanned, files = self._scan(plan), self.files_read
        for job in plan.units():
            signatures = (scanned.files.get(str(job.path)), scanned.files.get(str(job.text.path)) if job.text else None)
            kept = files.get(str(job.path))
            if kept is not None and not scanned.exotic and kept[1] == signatures and _trusted(signatures) and kept[0] == job:
                self._carry_read(kept[2])
                yield kept[2], True
                continue
            made = read(job)
            files.put(str(job.path), (job, signatures, made))
            yield made, False

    def _carry_read(self, read: Any) -> None:
        """Keep the document and a source's normal form that *read*, reused, holds: the same bytes read again
        later (a file saved unchanged) give back the same objects, and so the same entity."""
        if read.document is not None:
            self.documents.carry((read.document.path, read.document.text))
        if read.text is not None:
            self.pure.carry(("normal", read.text.text))

    def checked(self, entity: Any) -> Any:
        """What checking this very *entity* gave at the last rebuild or this one (:meth:`keep_checked`), or None."""
        found = self.checks.get(id(entity))
        return found[1] if found is not None and found[0] is entity else None

    def keep_checked(self, entity: Any, made: Any) -> None:
        self.checks.put(id(entity), (entity, made))

    def changes(self, key: Any, language: Any, stamps: dict[str, tuple]) -> tuple[object | None, set[str] | None, object]:
        """For the check of the dossier *key*: the token of its last check (None: none), the ids whose stamp
        (what an id is: its kind, source text …) is not the same as then (None: anything may differ, the
        *language* did), and the token of this check, whose *stamps* are kept for the next one."""
        now = object()
        last = self.stamps.get(key)
        self.stamps.put(key, (now, language, stamps))
        if last is None:
            return None, None, now
        token, was, before = last
        if was != language:
            return token, None, now
        changed = {id_ for id_, stamp in stamps.items() if before.get(id_) != stamp}
        return token, changed | (before.keys() - stamps.keys()), now

    def load(self, plan: Any, report: Report, load: Callable[[], Any]) -> Any:
        """The validated dossier of *plan*: the last one when its folder is unchanged, else ``load()``."""
        key = _folder_key(plan.folder, plan.display)
        scanned = self._scan(plan)
        digest = self._digest(plan, key, scanned)
        kept = self.kept.get(key)
        if kept is not None and kept.digest == digest and not scanned.exotic:
            report.diagnostics.extend(kept.diagnostics)
            self.fresh[key] = kept
            self.reused += 1
            return kept.dossier
        if kept is not None:
            for store, made in kept.touched:
                store.restore(made)
        before = len(report.diagnostics)
        self.touched.append([])
        try:
            dossier = load()
        finally:
            touched = self.touched.pop()
        self.fresh[key] = _Kept(digest, dossier, list(report.diagnostics[before:]), _by_store(touched))
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
