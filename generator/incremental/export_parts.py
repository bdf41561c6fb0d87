"""``dossier serve``: a dossier's outputs made again only for the parts whose reads changed.

An output made of parts (:data:`generator.incremental.page_reads.Parts`: the
JSON export's entities, the FollowTheMoney lines of an entity or of an
owner's claims, the Web Annotations of an owner's citations, an entity's
preview) is made here part by part under watch
(:func:`generator.incremental.page_reads.tracked`, as a page is), each part
kept with what it read; on the next rebuild of the same folder the parts
whose reads did not change are the ones made before (:func:`remade`). Which
parts those are is found from the changes, not by testing every part: each
kept output holds an index of the parts that read each key (:class:`Made`).

The export (:mod:`generator.exchange.export`) is, besides a few fields of the
whole dossier, one object per entity, each turned into JSON as a part; the key
judgments and assumptions are parts too, and the timeline's items are those
made before where the item and its owner's title are the same
(:func:`_timeline`). The text is assembled from the parts' JSON
(:func:`fragment`, :func:`spliced`): the bytes
:func:`generator.exchange.export.export_json` writes, the same data, the same
encoder, each part's lines indented as deep as it stands in the whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, cast

import orjson

from ..core.kinds import shown
from ..exchange.export import ExportBuilder, export, export_json
from .page_reads import TITLES, Changes, Keyed, Parts, Read, Rendered, changes, dirty, tracked

Key = tuple[str, str]
_NOTHING = Changes(False, frozenset(), frozenset())


@dataclass
class Made:
    """An output's parts made at one rebuild, by key, with an index of the keys whose parts read each thing."""

    parts: dict[Key, Rendered]
    readers: dict[Read, set[Key]]
    """Read -> keys whose parts read it: every part's reads, and some a part made before read (only added to)."""
    outside: set[Key]
    """At least the keys whose parts read another dossier's tables."""


def remade(memo: Any, linked: Any, name: str, keyed: Keyed, forget: Any) -> list[Any]:
    """:data:`generator.incremental.page_reads.Parts` for ``dossier serve``'s *memo*
    (:class:`generator.incremental.dossier_memo.DossierMemo`): each part of *linked*'s output *name*, the one
    made at the last rebuild where nothing it read changed (:func:`generator.incremental.page_reads.dirty`)."""
    kept, previous, stable = memo.parts_history(linked, name)
    jobs = dict(keyed)
    if kept is None or len(jobs) != len(keyed):  # nowhere to keep them, or keys given twice: every job run
        return [job() for _, job in keyed]
    own = linked.dossier.id
    before = previous[1] if previous is not None and isinstance(previous[1], Made) else None
    found = _NOTHING if before is None or previous[0] is linked else changes(previous[0], linked)
    again = _again(before, found, own, stable) if before is not None and not found.whole else None
    old = before.parts if before is not None and again is not None else {}
    parts: dict[Key, Rendered | None] = dict(zip(jobs, map(old.get, jobs)))
    redo = [key for key, part in parts.items() if part is None] + sorted(key for key in again or () if key in jobs)
    fresh = [tracked(key, jobs[key], forget, own)() for key in redo]
    parts.update((part.key, part) for part in fresh)
    made = cast(dict[Key, Rendered], parts)
    kept.parts[name] = _index(before if again is not None else None, made, fresh)
    return [part.page for part in made.values()]


def _again(before: Made, found: Changes, own: str, stable: frozenset[str]) -> set[Key]:
    """The keys of the parts of *before* to make again after *found*: those whose reads see a change."""
    hits = found.hits
    candidates = {key for hit in hits for key in before.readers.get(hit, ())} | before.outside
    return {key for key in candidates
            if (part := before.parts.get(key)) is not None and dirty(part.reads, found, own, stable, part.others)}


def _index(before: Made | None, parts: dict[Key, Rendered], fresh: list[Rendered]) -> Made:
    readers = before.readers if before is not None else {}
    for part in fresh if before is not None else parts.values():
        for read in part.reads:
            readers.setdefault(read, set()).add(part.key)
    outside = {key for key in before.outside if key in parts} if before is not None else set()
    outside.update(part.key for part in (fresh if before is not None else parts.values()) if part.others)
    return Made(parts, readers, outside)


# -- JSON text from parts ----------------------------------------------------------

_PLACE = "\0part\0"
"""The start of the string that holds a list's place in a document's skeleton (:func:`spliced`)."""


def fragment(data: Any, depth: int) -> bytes:
    """*data* as :func:`generator.exchange.export.to_json` writes it *depth* levels deep in a document: its
    lines (JSON strings hold no line break) indented two spaces a level more."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n" + b"  " * depth)


def listed(items: list[bytes], depth: int) -> list[bytes]:
    """The list of the *items* (fragments one level deeper; or runs of them already :func:`joined`) *depth*
    levels deep, as the pieces of its text (joined once, with the rest of the document, by :func:`spliced`)."""
    if not items:
        return [b"[]"]
    pieces = [b",\n" + b"  " * (depth + 1)] * (2 * len(items) - 1)
    pieces[::2] = items
    return [b"[\n" + b"  " * (depth + 1), *pieces, b"\n" + b"  " * depth + b"]"]


def joined(items: list[bytes], depth: int) -> bytes:
    """The *items* (fragments one level deeper than *depth*) as they follow one another in a list *depth* deep."""
    return (b",\n" + b"  " * (depth + 1)).join(items)


def place(name: str) -> str:
    """The value that holds the place of the list *name* in a skeleton (:func:`spliced`)."""
    return _PLACE + name


def spliced(skeleton: Any, lists: dict[str, list[bytes]]) -> bytes | None:
    """The JSON text (as ``to_json`` writes it, in bytes) of *skeleton* with each value :func:`place` (*name*)
    written as ``lists[name]``; None if a place's text is not found exactly once (a value held the same)."""
    text = orjson.dumps(skeleton, option=orjson.OPT_INDENT_2)
    found = []
    for name, value in lists.items():
        token = orjson.dumps(place(name))
        if text.count(token) != 1:
            return None
        found.append((text.index(token), len(token), value))
    pieces: list[bytes] = []
    start = 0
    for at, length, value in sorted(found, key=lambda one: one[0]):
        pieces += [text[start:at], *value]
        start = at + length
    return b"".join([*pieces, text[start:], b"\n"])


# -- the JSON export -----------------------------------------------------------------

_SECTIONS = ("key_judgments", "assumptions")
"""The lists of the whole dossier made as one part each (keyed ``("", name)``)."""


def _entity_part(make: Any, builder: ExportBuilder, library: bool, entity: Any) -> tuple[bytes, bytes | None]:
    data = fragment(make(builder, entity).model_dump(mode="json", by_alias=True), 2)
    identity = builder.identity(entity) if library else None
    return data, None if identity is None else fragment(identity.model_dump(mode="json", by_alias=True), 2)


def _section_part(builder: ExportBuilder, name: str) -> bytes:
    made = builder.claims("", "kj-") if name == "key_judgments" else builder.assumptions(builder.dossier.meta)
    return b"".join(listed([fragment(one.model_dump(mode="json", by_alias=True), 2) for one in made], 1))


def export_in_parts(linked: Any, parts: Parts, timeline: Any = None) -> bytes:
    """The export of *linked* as JSON text (UTF-8), each entity's data, and each list of the whole dossier, made by
    *parts* (as its kind says); the timeline's items by *timeline* (``timeline(builder)``: their fragments)."""
    builder = ExportBuilder(linked)
    tables = [(one.folder, partial(_entity_part, one.export[1], builder, one.library is not None),
               dict(dict.items(linked.dossier.table(one.folder)))) for one in shown()]
    keyed: Keyed = [(("", name), partial(_section_part, builder, name)) for name in _SECTIONS]
    keyed += [((folder, id_), partial(make, entity)) for folder, make, table in tables for id_, entity in table.items()]
    made = iter(parts("json", keyed, linked.forget))
    lists = {name: [next(made)] for name in _SECTIONS}
    identities: list[bytes] = []
    for folder, _, table in tables:
        entities = [next(made) for _ in table]
        lists[folder] = listed([data for data, _ in entities], 1)
        identities += [identity for _, identity in entities if identity is not None]
    lists["identities"] = listed(identities, 1)
    items = timeline(builder) if timeline is not None else [_item(builder, item) for item in linked.timeline]
    lists["timeline"] = listed(items, 1)
    skeleton = export(linked, entities=False, whole=False).model_dump(mode="json", by_alias=True)
    text = spliced({field: place(field) if field in lists else value for field, value in skeleton.items()}, lists)
    return text if text is not None else export_json(linked).encode("utf-8")


def _item(builder: ExportBuilder, item: Any) -> bytes:
    return fragment(builder.timeline_item(item).model_dump(mode="json", by_alias=True), 2)


def _timeline(memo: Any, linked: Any, builder: ExportBuilder) -> list[bytes]:
    """The timeline's items as fragments: where an item is the same as the last rebuild's at its place in time
    and its owner's kind and title have not changed, the fragment made then."""
    kept, previous, _ = memo.parts_history(linked, "json timeline")
    old_items, old_made = previous[1] if previous is not None else ([], [])
    found = _NOTHING if previous is None or previous[0] is linked else changes(previous[0], linked)
    if found.whole:
        old_items, old_made = [], []
    renamed = {key for table, key in found.keys if table == f"{linked.dossier.id}/{TITLES}"}
    items = list(list.__iter__(linked.timeline))
    if old_made and f"{linked.dossier.id}/linked.timeline" not in found.tables:  # the same items (changes compared)
        made = [old if item.owner not in renamed else _item(builder, item) for item, old in zip(items, old_made)] \
            if renamed else old_made
    else:
        made = _aligned(old_items, old_made, items, renamed, builder)
    if kept is not None:
        kept.parts["json timeline"] = (items, made)
    return made


def _aligned(old_items: list, old_made: list[bytes], items: list, renamed: set[str], builder: ExportBuilder) -> list[bytes]:
    """The fragments of *items*: that of the same old item (the two lists in time order) where its owner's title
    is the same, else made."""
    made, i = [], 0
    for item in items:
        same = False
        while i < len(old_items) and not (same := old_items[i] == item) and old_items[i].sort_key() < item.sort_key():
            i += 1  # an item no longer there
        made.append(old_made[i] if same and item.owner not in renamed else _item(builder, item))
        i += same
    return made


def json_export(memo: Any, linked: Any) -> bytes:
    """The JSON export of *linked* for ``dossier serve``'s *memo*: within a changed folder, only the entities
    whose reads changed are exported again."""
    return export_in_parts(linked, partial(remade, memo, linked), partial(_timeline, memo, linked))
