"""``dossier serve`` within one dossier: a page is rendered again only when what it read has changed.

While ``dossier serve`` renders a page, every table of the linked dossier it
looks into is watched: the dossier's entity tables (``actors`` …, and every
other dict or list the :class:`~generator.core.model.Dossier` holds) and the
linker's (``backlinks``, ``evidence``, ``timeline`` …, every dict or list of
:class:`~generator.core.link.Linked`). :class:`ReadDict` and :class:`ReadList`
note each key looked up (present or not) and, for anything that walks a
whole table (iterating, ``len``, ``items()`` …), the table itself. An entity
page also reads its own entity. The renderers' memos (titles, link parts,
converted texts) are emptied before each page, so what a page takes from them
is read again, and noted, on that page.

On the next rebuild of the same dossier folder, the old and new linked
dossiers are compared table by table (:func:`changes`): which keys differ
(added, removed, or a value not equal), which tables differ at all (a key,
a value, or their order). A value that is the very object of the last
rebuild (an unchanged entity, what :mod:`generator.core.relink` kept) is
passed over without comparing it, and a title is read again only for an
entity that changed or whose title holds a ``[[link]]``. Anything else either holds (the metadata, the
previous edition, any attribute that is not a table) that differs, or a
different set of tables, renders every page again. Otherwise a page is
rendered again only if one of its reads is among the changes
(:func:`dirty`); the others are the pages made before, which a render from
the new dossier would give byte for byte, since a page is a pure function of
what it reads (``tests/test_incremental.py`` compares with a clean build after
every kind of edit, and each incremental render with a full one).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain, compress, count
from operator import is_not, ne
from typing import Any

from ..core.kinds import folders

ALL = "\0all"
"""The key noted when a page reads a whole table (walks it, counts it, copies it)."""
Read = tuple[str, Any]
"""(table name, key): a table is named by its dossier and attribute (``d/actors``, the linker's ``d/linked.backlinks``)."""

_current: set[Read] | None = None
"""What the page being rendered has read (None: no page is being tracked)."""


def _note(name: str, key: Any) -> None:
    if _current is not None:
        _current.add((name, key))


TITLES = "titles"
"""The table name (after the dossier's id) of the reads of an entity's kind and title only (:func:`title_read`)."""


def title_read(dossier_id: str, id_: str, make: Callable[[], Any]) -> Any:
    """``make()``, which reads only the kind and the title of the entity *id_* (a link to it, its name):
    noted as that, not as a read of the entity (whose other fields it does not show). A title's
    ``[[links]]`` to another dossier's entities are read from that dossier: those reads are kept."""
    global _current
    if _current is None:
        return make()
    outer, _current = _current, set()
    try:
        return make()
    finally:
        inner, _current = _current, outer
        outer.add((f"{dossier_id}/{TITLES}", id_))
        own = f"{dossier_id}/"  # what it read of other dossiers stays a read (:func:`dirty`)
        outer.update(read for read in inner if not read[0].startswith(own))


class ReadDict(dict):
    """A table that notes which keys a tracked page looks up, and when it walks the whole table."""

    __slots__ = ("name",)

    def __init__(self, name: str, content: dict):
        super().__init__(content)
        self.name = name

    def __getitem__(self, key):
        _note(self.name, key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        _note(self.name, key)
        return dict.get(self, key, default)

    def __contains__(self, key):
        _note(self.name, key)
        return dict.__contains__(self, key)

    def _whole(self) -> None:
        _note(self.name, ALL)

    def __iter__(self):
        self._whole()
        return dict.__iter__(self)

    def __len__(self):
        self._whole()
        return dict.__len__(self)

    def __reversed__(self):
        self._whole()
        return dict.__reversed__(self)

    def keys(self):
        self._whole()
        return dict.keys(self)

    def values(self):
        self._whole()
        return dict.values(self)

    def items(self):
        self._whole()
        return dict.items(self)

    def copy(self):
        self._whole()
        return dict(dict.items(self))

    def __eq__(self, other):
        self._whole()
        return dict.__eq__(self, other)

    def __ne__(self, other):
        self._whole()
        return dict.__ne__(self, other)

    def __or__(self, other):
        self._whole()
        return dict(dict.items(self)) | other

    def __reduce__(self):  # pickled (a forked render's pages never carry one, but be plain about it)
        return (dict, (dict(dict.items(self)),))

    __hash__ = None


class ReadList(list):
    """A list (the timeline) that notes when a tracked page reads it: any read is of the whole."""

    __slots__ = ("name",)

    def __init__(self, name: str, content: Iterable):
        super().__init__(content)
        self.name = name

    def _whole(self) -> None:
        _note(self.name, ALL)

    def __getitem__(self, index):
        self._whole()
        return list.__getitem__(self, index)

    def __iter__(self):
        self._whole()
        return list.__iter__(self)

    def __len__(self):
        self._whole()
        return list.__len__(self)

    def __contains__(self, value):
        self._whole()
        return list.__contains__(self, value)

    def __reversed__(self):
        self._whole()
        return list.__reversed__(self)

    def __eq__(self, other):
        self._whole()
        return list.__eq__(self, other)

    def __ne__(self, other):
        self._whole()
        return list.__ne__(self, other)

    def __add__(self, other):
        self._whole()
        return list(list.__iter__(self)) + other

    def copy(self):
        self._whole()
        return list(list.__iter__(self))

    def index(self, *args):
        self._whole()
        return list.index(self, *args)

    def count(self, value):
        self._whole()
        return list.count(self, value)

    def __reduce__(self):
        return (list, (list(list.__iter__(self)),))

    __hash__ = None


def _holders(linked: Any) -> list[tuple[str, Any]]:
    prefix = f"{linked.dossier.id}/"
    return [(prefix, linked.dossier), (prefix + "linked.", linked)]


UNWATCHED = frozenset({"library"})
"""Attributes left out: the library a linked dossier belongs to. What a dossier's pages show of it is
:func:`generator.core.library.signature`, part of the key of the pages kept (:meth:`DossierMemo.previous_pages`)."""


def _attributes(linked: Any) -> Iterable[tuple[str, Any, str, Any]]:
    """(table name, holder, attribute, value) of every public attribute of the dossier and the linked dossier."""
    for prefix, holder in _holders(linked):
        for attribute, value in vars(holder).items():
            if not attribute.startswith("_") and attribute not in UNWATCHED and value is not linked.dossier:
                yield prefix + attribute, holder, attribute, value


def watch(linked: Any) -> Any:
    """*linked* with every table of it and of its dossier watched (in place; once)."""
    for name, holder, attribute, value in list(_attributes(linked)):
        if type(value) is dict:
            setattr(holder, attribute, ReadDict(name, value))
        elif type(value) is list:
            setattr(holder, attribute, ReadList(name, value))
    return linked


@dataclass(frozen=True)
class Changes:
    """What differs between two linked versions of one dossier, as pages read it."""

    whole: bool
    """Something that is not a table differs: every page is rendered again."""
    keys: frozenset[Read]
    """(table, key) whose value differs, or which is in one version only."""
    tables: frozenset[str]
    """The tables that differ at all (a key, a value or their order)."""

    @functools.cached_property
    def hits(self) -> frozenset[Read]:
        """The reads that see a change: a changed key, or the whole of a changed table."""
        return self.keys | {(name, ALL) for name in self.tables}


def _split(linked: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    tables: dict[str, Any] = {}
    rest: dict[str, Any] = {}
    for name, _, _, value in _attributes(linked):
        (tables if isinstance(value, (ReadDict, ReadList)) else rest)[name] = value
    return tables, rest


_last: list[Any] = []
"""The last comparison made: (old, new, its changes); the pages and the export ask for the same."""


def changes(old: Any, new: Any) -> Changes:
    """What a page could see differ between the linked dossiers *old* and *new* (both :func:`watch`-ed)."""
    if _last and _last[0] is old and _last[1] is new:
        return _last[2]
    found = _changes(old, new)
    _last[:] = [old, new, found]
    return found


def _changes(old: Any, new: Any) -> Changes:
    old_tables, old_rest = _split(old)
    new_tables, new_rest = _split(new)
    if old_rest.keys() != new_rest.keys() or old_tables.keys() != new_tables.keys() or \
            any(old_rest[name] != new_rest[name] for name in old_rest):
        return Changes(True, frozenset(), frozenset())
    keys: set[Read] = set()
    tables: set[str] = set()
    titles = f"{new.dossier.id}/{TITLES}"
    keys.update((titles, id_) for id_ in _title_changes(old, new))
    for name, before in old_tables.items():
        after = new_tables[name]
        if type(before) is not type(after):
            return Changes(True, frozenset(), frozenset())
        if isinstance(before, ReadList):
            if not list.__eq__(before, after):
                tables.add(name)
            continue
        found = differing(before, after)
        keys.update((name, key) for key in found)
        if found or list(dict.keys(before)) != list(dict.keys(after)):
            tables.add(name)
    return Changes(False, frozenset(keys), frozenset(tables))


def differing(before: dict, after: dict, equal: bool = True) -> list:
    """The keys in one table only, or whose values differ (are not the same object, if not *equal*).

    Values that are the very same object (an entity not read again, what the linker kept:
    :mod:`generator.core.relink`) are passed over without a Python step: the keys that stand at the same
    place in both (all but a few, where some were added or removed) are compared by position."""
    old_keys, new_keys = list(dict.keys(before)), list(dict.keys(after))
    old_values, new_values = list(dict.values(before)), list(dict.values(after))
    found: list = []
    if old_keys == new_keys:
        head = tail = len(old_keys)
    else:
        shorter = min(len(old_keys), len(new_keys))
        head = next(compress(count(), map(ne, old_keys, new_keys)), shorter)
        back = next(compress(count(), map(ne, reversed(old_keys), reversed(new_keys))), shorter)
        back = min(back, shorter - head)
        middle = dict.fromkeys(old_keys[head:len(old_keys) - back]) | dict.fromkeys(new_keys[head:len(new_keys) - back])
        for key in middle:
            was, now = dict.get(before, key, _MISSING), dict.get(after, key, _MISSING)
            if was is not now and (not equal or was != now):
                found.append(key)
        tail = len(old_keys) - back
    aligned = chain(compress(old_keys[:head], map(is_not, old_values[:head], new_values[:head])),
                    compress(old_keys[tail:], map(is_not, old_values[tail:], new_values[len(new_values) - len(old_keys) + tail:])))
    found += (key for key in aligned if not equal or dict.__getitem__(before, key) != dict.__getitem__(after, key))
    return found


_MISSING = object()


def _title_changes(old: Any, new: Any) -> list[str]:
    """The ids whose (table, title) differ, as :func:`title_read` reads them: an entity that is the same object
    has the same title unless its title holds a ``[[link]]`` (``linking_titles``), which shows other entities."""
    global _current
    outer, _current = _current, None
    try:
        found = []
        linking = old.linking_titles() | new.linking_titles()
        for folder in folders():
            before, after = getattr(old.dossier, folder), getattr(new.dossier, folder)
            candidates = differing(before, after, equal=False)
            for id_ in linking.union(candidates):
                if _title(old, folder, id_) != _title(new, folder, id_):
                    found.append(id_)
        return found
    finally:
        _current = outer


def _title(linked: Any, folder: str, id_: str) -> tuple[str, str] | None:
    return (folder, linked.title(id_)) if dict.__contains__(getattr(linked.dossier, folder), id_) else None


def dirty(reads: frozenset[Read], found: Changes, own: str, stable: frozenset[str],
          others: frozenset[str] | None = None) -> bool:
    """Whether a page of the dossier *own* that made *reads* may render differently after *found*.

    A read of another dossier's table counts as a change unless that dossier is in *stable* (the very
    objects of the last rebuild); *others*, when given, are those dossiers (:attr:`Rendered.others`).
    """
    if found.whole or not reads.isdisjoint(found.hits):
        return True
    return not (others if others is not None else _others(reads, own)) <= stable


def _others(reads: frozenset[Read], own: str) -> frozenset[str]:
    """The dossiers besides *own* whose tables *reads* name."""
    prefix = f"{own}/"
    return frozenset(name.split("/", 1)[0] for name, _ in reads if not name.startswith(prefix))


@dataclass(frozen=True)
class Rendered:
    """A page rendered under watch, with what it read; *key* is its job's (``("actors", id)``, ``("", "timeline")``)."""

    key: tuple[str, Any]
    page: Any
    reads: frozenset[Read]
    others: frozenset[str] = frozenset()
    """The other dossiers whose tables it read."""
    parts: dict[str, list[Rendered]] | None = None
    """The parts it was assembled from (:func:`page_parts`), by the name its renderer gave them; their reads are among its own."""


@dataclass
class _Making:
    """A page being rendered under watch: the parts it was made of last time, what changed since, the parts made."""

    before: dict[str, list[Rendered]]
    found: Changes | None
    own: str
    stable: frozenset[str]
    made: dict[str, list[Rendered]]


_making: list[_Making | None] = []
"""The pages (and parts: None) being rendered under watch, the innermost last."""
History = tuple[dict[str, list[Rendered]], Changes, frozenset[str]]
"""A page's parts made at the last rebuild, the changes since, the dossiers unchanged since (:func:`tracked`)."""


def tracked(key: tuple[str, Any], job: Callable[[], Any], forget: Callable[[], None], own: str,
            history: History | None = None) -> Callable[[], Rendered]:
    """*job* (of a page of the dossier *own*) rendered with its reads noted, the renderers' memos emptied first;
    the parts it is made of (:func:`page_parts`) are those of *history* where nothing they read changed."""

    def run() -> Rendered:
        global _current
        forget()
        _current = {(f"{own}/{key[0]}", key[1])} if key[0] else set()
        before, found, stable = history if history is not None else ({}, None, frozenset())
        _making.append(_Making(before, found, own, stable, {}))
        try:
            page = job()
        finally:
            reads, _current = _current, None
            making = _making.pop()
        found_reads = frozenset(reads)
        return Rendered(key, page, found_reads, _others(found_reads, own), making.made if making and making.made else None)

    return run


def watching() -> bool:
    """Whether a page is being rendered under watch (``dossier serve``), where :func:`page_parts` keeps parts."""
    return _current is not None and bool(_making) and _making[-1] is not None


def page_parts(name: str, keyed: Sequence[tuple[tuple[str, Any], Callable[[], Any]]],
               forget: Callable[[], None]) -> list[Any]:
    """:data:`Parts` for a page's renderer: each part made by its job. Under watch (``dossier serve``), each part's
    reads are noted on their own (and among the page's), and a part the same page made at the last rebuild is
    taken again where nothing it read changed: the same text, a part being a pure function of what it read and
    of its key (which holds whatever its job is given besides the watched tables)."""
    making = _making[-1] if _current is not None and _making else None
    if making is None:
        return [job() for _, job in keyed]
    before = {part.key: part for part in making.before.get(name, ())} if making.found is not None else {}
    made: list[Rendered] = []
    found = making.found
    for key, job in keyed:
        kept = before.get(key)
        # a part that read nothing (a typeset chunk) changes only with everything (dirty's answer, without asking)
        if kept is None or found is None or \
                (kept.reads or found.whole) and dirty(kept.reads, found, making.own, making.stable, kept.others):
            kept = _part(key, job, forget, making.own)
        if kept.reads:
            reads = _current  # the page's (each part's own restored it)
            assert reads is not None
            reads.update(kept.reads)
        made.append(kept)
    making.made.setdefault(name, []).extend(made)  # a name given twice on a page: one pool of parts
    return [part.page for part in made]


def _part(key: tuple[str, Any], job: Callable[[], Any], forget: Callable[[], None], own: str) -> Rendered:
    """*job* made under watch within the page being made: its reads noted apart (then added to the page's)."""
    global _current
    outer, _current = _current, {(f"{own}/{key[0]}", key[1])} if key[0] else set()
    _making.append(None)
    try:
        forget()
        made = job()
    finally:
        reads, _current = _current, outer
        _making.pop()
    found = frozenset(reads)
    return Rendered(key, made, found, _others(found, own))


def _same(rendered: Rendered) -> Rendered:
    return rendered


def plan(previous: tuple[Any, list[Rendered]] | None, linked: Any, keyed: list[tuple[tuple[str, str], Callable]],
         forget: Callable[[], None], stable: frozenset[str] = frozenset()) -> tuple[list[Callable[[], Rendered]], int]:
    """The jobs for *linked*'s pages, and how many of them render: the page made before where nothing it read
    changed, else a tracked render (made of the parts made before where nothing they read changed: :func:`page_parts`).
    *previous* is the last rebuild's linked dossier of the same folder with its pages, or None (every page renders);
    *stable* the dossiers whose linked objects are the last rebuild's.
    """
    own = linked.dossier.id
    if previous is None:
        return [tracked(key, job, forget, own) for key, job in keyed], len(keyed)
    old_linked, old_pages = previous
    by_key = {rendered.key: rendered for rendered in old_pages}
    found = Changes(False, frozenset(), frozenset()) if old_linked is linked else changes(old_linked, linked)
    jobs: list[Callable[[], Rendered]] = []
    rendering = 0
    for key, job in keyed:  # a tracked job made only for a page that renders
        kept = by_key.get(key)
        if kept is None or dirty(kept.reads, found, own, stable, kept.others):
            jobs.append(tracked(key, job, forget, own, (kept.parts or {}, found, stable) if kept is not None else None))
            rendering += 1
        else:
            jobs.append(partial(_same, kept))
    return jobs, rendering


Keyed = list[tuple[tuple[str, Any], Callable[[], Any]]]
"""Jobs that each make one part of an output (a page, an entity's lines of a file), keyed as :class:`Rendered` is."""
Parts = Callable[[str, Keyed, Callable[[], None]], list[Any]]
"""``parts(name, keyed, forget)``: what each job makes, in order. ``dossier serve`` passes one that gives back
the part made last for the same output *name* where nothing the job read changed
(:func:`generator.incremental.export_parts.remade`); the renderers' memos are emptied by *forget* before a job runs."""


def every_part(name: str, keyed: Keyed, forget: Callable[[], None]) -> list[Any]:
    """:data:`Parts` without a memory: every job run."""
    return [job() for _, job in keyed]
