"""The link stage again after an edit: the last version's :class:`~generator.core.link.Linked` patched
where entities changed, equal to a full :func:`~generator.core.link.link` of the new version.

``dossier serve`` links a dossier whose files changed from the linked dossier
of its last rebuild. An entity is *changed* when it is not the very object the
last version held (a file read again gives a new one; an unchanged file, under
``serve``, the same: :mod:`generator.incremental.dossier_memo`), or when it was
added or removed. Every table is a union of what each entity contributes
(:class:`~generator.core.link.LinkIndex` keeps the contributions that need it),
so only the entries that a changed entity contributes to, or whose existence
it decides, are made again; the others are the last version's very objects,
which lets :func:`generator.incremental.page_reads.changes` pass over them by
identity. Each table comes out with the keys, values and order a full link
gives (``tests/test_relink.py`` compares them after random edits); the
metadata changed, or too many entities, and it is a full link.
"""

from __future__ import annotations

import bisect
from functools import partial
from itertools import chain
from operator import itemgetter

from ..incremental.page_reads import differing
from . import model as m
from .kinds import folders
from .kinds import order as kind_order
from .link import (
    RELATIONS,
    Backlink,
    Evidence,
    Linked,
    LinkIndex,
    TimelineItem,
    _evidence_list,
    _of_entity,
    add_backlinks,
    add_facts,
    cited_keys,
    concerned_ids,
    fact_order,
    link,
    owner_passages,
    quote_key,
    references_of,
    sort_passages,
    timeline_items_of,
    walk_order,
)

SHARE = 0.25
"""Beyond this share of the entities changed, a full link (no faster than patching, and simpler)."""


def relink(old: Linked, dossier: m.Dossier) -> Linked:
    """The linked *dossier*, made from *old*, the linked last version of the same dossier folder."""
    ids = _changed(old.dossier, dossier) if old._index is not None else None
    if ids is None:
        return link(dossier)
    linked = Linked(dossier, _index=LinkIndex())
    _evidence(old, linked, ids)
    _passages(old, linked, ids)
    _relations(old, linked, ids)
    _backlinks(old, linked, ids)
    _facts(old, linked, ids)
    _timeline(old, linked, ids)
    return linked


def _changed(before: m.Dossier, after: m.Dossier) -> set[str] | None:
    """The ids of the entities added, removed or not the same object; None for a full link (other metadata,
    too many changes). A quote's place is a function of its source's text and the quote: it changes only
    with a changed source, or is a citation of a changed entity (``quote_spans`` need no comparing)."""
    if before.meta is not after.meta and before.meta != after.meta:
        return None
    ids: set[str] = set()
    total = 0
    for folder in folders():
        ids.update(differing(before.table(folder), after.table(folder), equal=False))
        total += dict.__len__(after.table(folder))
    if len(ids) > max(8, SHARE * total) or any(_moved(before, after, id_) for id_ in ids):
        return None  # too many, or an id now of another kind (the evidence's order would change)
    return ids


def _moved(before: m.Dossier, after: m.Dossier, id_: str) -> bool:
    """Whether *id_* is an entity of one kind in *before* and of another in *after*."""
    def folder(dossier: m.Dossier) -> str | None:
        return next((folder for folder in folders() if dict.__contains__(dossier.table(folder), id_)), None)
    was, now = folder(before), folder(after)
    return was is not None and now is not None and was != now


def _patched(old: dict, fresh: dict, order: list | None) -> dict:
    """*old*'s entries with *fresh*'s over them: in *old*'s order (*order* None: the same keys), else in *order*
    (each key in *fresh* or *old*)."""
    if order is None:
        table = dict(dict.items(old))
        table.update(fresh)
        return table
    get = dict.__getitem__
    return {key: fresh[key] if key in fresh else get(old, key) for key in order}


def _same_keys(old: dict, fresh: dict, gone: set) -> bool:
    """Whether *old*'s keys, less *gone*, with *fresh*'s are *old*'s keys."""
    return fresh.keys() <= dict.keys(old) and gone.isdisjoint(dict.keys(old))


def _evidence(old: Linked, linked: Linked, ids: set[str]) -> None:
    dossier = linked.dossier
    fresh: dict[str, list[Evidence]] = {}
    for id_ in sorted(ids):
        entity = dossier.entity(id_)
        if entity is not None:
            fresh[id_] = _of_entity("evidence", entity, partial(_evidence_list, entity))
    same = _same_keys(old.evidence, fresh, ids - fresh.keys())
    linked.evidence = _patched(old.evidence, fresh, None if same else ["", *(e.id for e in dossier.entities())])
    linked.index.walk = old.index.walk if same else walk_order(linked.evidence)


def _passages(old: Linked, linked: Linked, ids: set[str]) -> None:
    """The passages a changed entity cites or cited made again, and every passage of a changed source."""
    index, was, dossier = linked.index, old.index, linked.dossier
    whole = {id_ for id_ in ids if id_ in dossier.sources or dict.__contains__(old.dossier.sources, id_)}
    keys = _cites(linked, was, ids)
    same = linked.index.walk is was.walk and all(index.cites.get(id_) == was.cites.get(id_) for id_ in ids)

    def wanted(key: tuple[str, str]) -> bool:
        return key in keys or key[0] in whole

    for owner in index.walk:
        if not (whole.isdisjoint(index.cited[owner]) and keys.isdisjoint(index.cites[owner])):
            owner_passages(linked, owner, wanted)
    touched = whole | {key[0] for key in keys}
    for source in touched - whole:  # its other passages are the last version's
        kept = [p for p in dict.get(old.passages, source, []) if (source, quote_key(p.quote)) not in keys]
        linked.passages[source] = kept + linked.passages.get(source, [])
    sort_passages(linked, [source for source in dossier.sources if source in touched])
    fresh, shares = linked.passages, linked.cited_share
    order = None if same else list(dict.fromkeys(chain.from_iterable(map(index.cites.__getitem__, index.walk))))
    if order == list(dict.keys(old.passage_of)):
        order = None
    linked.passage_of = _patched(old.passage_of, linked.passage_of, order)
    same_sources = list(dossier.sources) == list(dict.keys(old.cited_share))
    linked.cited_share = _patched(old.cited_share, shares, None if same_sources else list(dossier.sources))
    if order is None and same_sources:
        linked.passages = _patched(old.passages, fresh, None)
        return
    cited = dict.fromkeys(map(itemgetter(0), dict.keys(linked.passage_of)))
    linked.passages = _patched(old.passages, fresh, [*cited, *(source for source in dossier.sources if source not in cited)])


def _cites(linked: Linked, was: LinkIndex, ids: set[str]) -> set[tuple[str, str]]:
    """The changed entities' cited passages noted in the index; the (source, quote key) they cite or cited."""
    index = linked.index
    index.cites, index.cited = dict(was.cites), dict(was.cited)
    keys: set[tuple[str, str]] = set()
    for id_ in ids:
        keys.update(index.cites.pop(id_, ()))
        index.cited.pop(id_, None)
        if id_ in linked.evidence:
            own = cited_keys(linked.evidence[id_])
            index.cites[id_], index.cited[id_] = own, frozenset(key[0] for key in own)
            keys.update(own)
    return keys


def _relations(old: Linked, linked: Linked, ids: set[str]) -> None:
    """The relations a kind's entities make, made again when one of that kind changed (the values that are
    equal kept, the very objects), else the last version's."""
    for folder, (collect, names) in RELATIONS.items():
        if any(dict.__contains__(old.dossier.table(folder), id_) or id_ in linked.dossier.table(folder) for id_ in ids):
            collect(linked)
            for name in names:
                before, after = getattr(old, name), getattr(linked, name)
                setattr(linked, name, {key: kept if (kept := dict.get(before, key)) == value else value
                                       for key, value in after.items()})
        else:
            for name in names:
                setattr(linked, name, dict(dict.items(getattr(old, name))))


def _backlinks(old: Linked, linked: Linked, ids: set[str]) -> None:
    """The backlinks of what a changed entity refers or referred to, and of the changed entities."""
    dossier, was = linked.dossier, old.index.found
    targets = set(ids)
    for id_ in ids:
        for entity in (old.dossier.entity(id_), dossier.entity(id_)):
            if entity is not None:
                targets.update(target for target, _ in references_of(entity))
    found = linked.index.found = dict(was)
    for target in targets:
        kept = {link for link in was.get(target, ()) if link.owner not in ids}
        if kept:
            found[target] = kept
        else:
            found.pop(target, None)
    added: dict[str, set[Backlink]] = {}
    ranks = kind_order()
    for id_ in sorted(ids):
        entity = dossier.entity(id_)
        if entity is not None:
            add_backlinks(added, entity, ranks)
    for target, links in added.items():  # each a target, so a set of its own in *found*
        found.setdefault(target, set()).update(links)
    fresh = {target: sorted(found[target]) for target in targets if target in found and dossier.entity(target) is not None}
    linked.backlinks = _patched(old.backlinks, fresh, _sorted_keys(old.backlinks, fresh, targets))


def _sorted_keys(old: dict, fresh: dict, targets: set[str]) -> list[str] | None:
    """None when *old*'s keys stay, else the sorted keys: *old*'s, less the *targets* not in *fresh*, and *fresh*'s."""
    gone = targets - fresh.keys()
    return None if _same_keys(old, fresh, gone) else sorted((dict.keys(old) - gone) | fresh.keys())


def _facts(old: Linked, linked: Linked, ids: set[str]) -> None:
    """The facts about what a changed entity's claims concern or concerned, and about the changed entities."""
    dossier, was = linked.dossier, old.index.facts
    targets = set(ids)
    for holder, evidence in ((old.dossier, old.evidence), (dossier, linked.evidence)):
        for id_ in ids:
            for one in dict.get(evidence, id_, ()):
                if one.is_claim:
                    targets.update(concerned_ids(holder, one))
    found = linked.index.facts = dict(was)
    for target in targets:
        kept = [one for one in was.get(target, ()) if one.owner not in ids]
        if kept:
            found[target] = kept
        else:
            found.pop(target, None)
    added: dict[str, list[Evidence]] = {}
    for id_ in sorted(ids):
        add_facts(added, dossier, dict.get(linked.evidence, id_, []))
    for target, items in added.items():  # in walk order: by owner, each owner's in page order (a stable sort)
        found[target] = sorted(found.get(target, []) + items, key=lambda one: (one.owner != "", one.owner))
    fresh = {target: sorted(found[target], key=fact_order) for target in targets
             if target in found and dossier.entity(target) is not None}
    linked.facts_about = _patched(old.facts_about, fresh, _sorted_keys(old.facts_about, fresh, targets))


def _timeline(old: Linked, linked: Linked, ids: set[str]) -> None:
    """The last timeline less the changed entities' items, with their new ones in place."""
    items = [item for item in list.__iter__(old.timeline) if item.owner not in ids]
    for folder in folders():
        table = linked.dossier.table(folder)
        for id_ in sorted(ids):
            entity = table.get(id_)
            if entity is not None:
                for item in timeline_items_of(folder, entity, linked.evidence[id_]):
                    bisect.insort(items, item, key=TimelineItem.sort_key)
    linked.timeline = items
