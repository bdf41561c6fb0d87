"""The library: the dossiers of one folder, and the entities they share.

An actor, meeting or source may say which entity of another dossier it is
(``same_as: [dossier-id:entity-id]``) or carry a Wikidata item (``wikidata:
Q…``); a text may link to another dossier's entity (``[[dossier-id:id]]``).

* While each dossier is validated, :func:`record` notes where every such
  entry stands (:class:`Crossing`): the dossier alone cannot check them.
* Once every dossier is read, :func:`check_library` checks them against the
  library: the dossiers being checked, and, for a dossier checked alone, the
  dossier folders beside it, known by their file names only (their content is
  not checked). Every problem is a located error with a did-you-mean.
* After the link stage, :func:`connect` groups the entities that are one
  (``same_as`` and shared Wikidata items, symmetric and transitive: a
  union-find) into :class:`Identity` objects, and gives every linked dossier
  the :class:`Library` (its ``library`` attribute) the renderers and the
  export read.
"""

from __future__ import annotations

import difflib
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import model as m
from .errors import Report
from .files import find_dossiers, plan_dossiers
from .kinds import folders, in_folder, kind, kinds, name_of_model
from .model import LINK_RE

if TYPE_CHECKING:
    from .files import Plan
    from .link import Linked
    from .loader import Document



def identified() -> tuple[str, ...]:
    """The kinds (by folder, in library order) that may say ``same_as`` and ``wikidata``, and have library pages."""
    return tuple(one.folder for one in sorted((k for k in kinds() if k.library is not None), key=lambda k: k.library or 0))


@dataclass(frozen=True, order=True)
class Crossing:
    """One ``same_as`` entry, ``wikidata`` item or ``[[dossier-id:id]]`` link, where it stands."""

    path: str
    """The file, as named in diagnostics."""
    line: int
    column: int
    dossier: str
    """The dossier that holds it."""
    owner: str
    """The entity that holds it."""
    folder: str
    """The owner's kind, by folder (``actors`` …)."""
    field: str
    """``same_as``, ``wikidata`` or ``link``."""
    value: str
    """``dossier-id:entity-id``, or the Wikidata item."""


def record(dossier_id: str, crossings: dict[tuple[str, int, int], Crossing], doc: Document, entity: m.Entity,
           texts: list[tuple[tuple, str]]) -> None:
    """Note the crossings of *entity* (read from *doc*, in the dossier *dossier_id*) in *crossings*, by where
    each stands (a recheck adds nothing)."""
    folder = "" if isinstance(entity, m.DossierMeta) else kind(name_of_model(type(entity))).folder

    def note(mark: tuple[int, int], field_: str, value: str) -> None:
        crossings[(doc.path, *mark)] = Crossing(doc.path, *mark, dossier_id, entity.id, folder, field_, value)

    for index, value in enumerate(getattr(entity, "same_as", None) or []):
        note(doc.position(("same_as", index)), "same_as", value)
    if getattr(entity, "wikidata", None):
        note(doc.position(("wikidata",)), "wikidata", entity.wikidata)  # type: ignore[attr-defined]
    for path, text in texts:
        if "[[" not in text or ":" not in text:
            continue
        after = doc.offset(doc.position(path))
        for match in LINK_RE.finditer(text):
            raw = match.group(1)
            found = doc.text.find("[[" + raw, after)
            after = found + 2 if found >= 0 else after
            if ":" in raw:
                note(doc.mark_of(found) if found >= 0 else doc.position(path), "link", raw.strip())


def in_group(dossier_id: str, only: str) -> bool:
    """Whether a job that builds the dossiers *only* (space-separated shell patterns, "" for all) builds this one."""
    return not only.split() or any(fnmatch.fnmatchcase(dossier_id, pattern) for pattern in only.split())


def is_crossing(target: str) -> bool:
    """Whether a ``[[link]]`` target names another dossier's entity (checked by :func:`check_library`)."""
    return ":" in target


# -- checking ------------------------------------------------------------------

class _Known:
    """The ids of every dossier of the library, by dossier: those checked, and siblings read on demand."""

    def __init__(self, root: Path, plans: list[Plan]):
        self.kinds: dict[str, dict[str, str]] = {plan.id: plan.kinds for plan in plans}
        alone = len(plans) == 1 and plans[0].folder.resolve() == root.resolve()
        self.beside = root.resolve().parent if alone else None
        """The folder of a dossier checked alone: its siblings are the rest of the library."""
        self._siblings: list[str] | None = None

    def dossier(self, id_: str) -> dict[str, str] | None:
        if id_ not in self.kinds and self.beside is not None and id_ in self.siblings():
            try:
                plans = plan_dossiers(self.beside / id_, id_, Report())  # names only: its problems are its own
            except OSError:  # an unreadable sibling is one the library does not have
                plans = []
            if plans:
                self.kinds[id_] = plans[0].kinds
        return self.kinds.get(id_)

    def siblings(self) -> list[str]:
        if self._siblings is None:
            try:
                found = find_dossiers(self.beside, Report(), "") if self.beside is not None else []
            except OSError:  # a folder that cannot be listed has no dossiers to offer
                found = []
            self._siblings = sorted(folder.name for folder, _ in found)
        return self._siblings

    def names(self) -> list[str]:
        return sorted(set(self.kinds) | set(self.siblings()))


def check_library(root: Path, plans: list[Plan], dossiers: list[m.Dossier], report: Report) -> None:
    """Check every crossing of *dossiers* against the library (see the module's notes)."""
    known = _Known(root, plans)
    crossings = sorted(c for d in dossiers for c in d.crossings.values())
    for crossing in crossings:
        if crossing.field != "wikidata":
            _check_target(crossing, known, report)
    _check_identities(crossings, report)


def _check_target(c: Crossing, known: _Known, report: Report) -> None:
    where = "`same_as`" if c.field == "same_as" else "`[[…]]` link"
    other, _, id_ = c.value.partition(":")
    if c.field == "same_as" and other == c.dossier:
        report.add(c.path, c.line, c.column, f"`same_as` names `{c.value}`, of this entity's own dossier: "
                   "a dossier has one file per entity (link to it with `[[" + id_ + "]]`)")
        return
    kinds = known.dossier(other)
    if kinds is None:
        report.add(c.path, c.line, c.column, f"unknown dossier `{other}` in {where}" + _suggest(other, known.names()))
        return
    found = kinds.get(id_)
    wanted = c.folder if c.field == "same_as" else None
    if found is None:
        pool = [i for i, folder in kinds.items() if wanted is None or folder == wanted]
        report.add(c.path, c.line, c.column, f"unknown id `{id_}` in dossier `{other}`" + _suggest(id_, pool, other))
    elif wanted is not None and found != wanted:
        report.add(c.path, c.line, c.column, f"`{c.value}` is {in_folder(found).article}, not {in_folder(wanted).article}")


def _suggest(name: str, pool: list[str], dossier: str = "") -> str:
    close = difflib.get_close_matches(name, sorted(pool), n=1, cutoff=0.6)
    if not close:
        close = [i for i in sorted(pool) if name in i.split("-") or i in name.split("-")][:1]
    return f"; did you mean `{dossier + ':' if dossier else ''}{close[0]}`?" if close else ""


def _check_identities(crossings: list[Crossing], report: Report) -> None:
    """Two entities of one dossier made one, or one entity given two Wikidata items: a located error each."""
    groups = _Groups()
    items: dict[tuple[str, str], Crossing] = {}
    for c in crossings:
        node = (c.dossier, c.owner)
        if c.field == "wikidata":
            first = items.setdefault((c.folder, c.value), c)
            conflict = groups.join(node, (first.dossier, first.owner), c.value)
        elif c.field == "same_as" and not c.value.startswith(c.dossier + ":"):  # its own dossier: told already
            other, _, other_id = c.value.partition(":")
            conflict = groups.join(node, (other, other_id))
        else:
            continue
        if conflict:
            report.add(c.path, c.line, c.column, conflict)


class _Groups:
    """Union-find of (dossier id, entity id), with each group's members by dossier and its Wikidata item."""

    def __init__(self) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}
        self.members: dict[tuple[str, str], dict[str, str]] = {}
        self.item: dict[tuple[str, str], str] = {}

    def find(self, node: tuple[str, str]) -> tuple[str, str]:
        if node not in self.parent:
            self.parent[node], self.members[node] = node, {node[0]: node[1]}
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def join(self, a: tuple[str, str], b: tuple[str, str], item: str = "") -> str:
        """Make *a* and *b* one (*item*: the Wikidata item that says so); why they cannot be, or ""."""
        ra, rb = self.find(a), self.find(b)
        items = {i for i in (self.item.get(ra), self.item.get(rb), item) if i}
        if len(items) > 1:
            shown = " and ".join(f"`{i}`" for i in sorted(items))
            return f"this makes Wikidata's {shown} one entity: an entity has one Wikidata item"
        if ra != rb:
            both = [d for d in sorted(self.members[ra]) if self.members[rb].get(d, self.members[ra][d]) != self.members[ra][d]]
            if both:
                d = both[0]
                first, second = sorted((self.members[ra][d], self.members[rb][d]))
                return (f"this makes `{d}:{first}` and `{d}:{second}` one entity "
                        "(through `same_as` or `wikidata`): a dossier has one file per entity")
            self.parent[rb] = ra
            self.members[ra].update(self.members.pop(rb))
            self.item.pop(rb, None)
        if items:
            self.item[ra] = items.pop()
        return ""


# -- the library, once linked ----------------------------------------------------

@dataclass
class Identity:
    """One entity known in several dossiers of the library."""

    key: str
    """Its library page's id (``library/actors/<key>/``)."""
    folder: str
    """Its kind, by folder (``actors`` …)."""
    members: list[tuple[str, str]]
    """(dossier id, entity id) in each dossier, the newest dossier (``as_of``) first."""
    wikidata: str | None = None
    """Its Wikidata item, when one of the dossiers gives it."""

    @property
    def src(self) -> str:
        """Its library page's Markdown source path (``library/actors/wang-yi.md``)."""
        return f"library/{self.folder}/{self.key}.md"


@dataclass
class Library:
    """Every dossier of the site and the identities they share."""

    dossiers: dict[str, Linked]
    """Dossier id -> the linked dossier, in the site's order."""
    identities: list[Identity] = field(default_factory=list)
    """Entities known in two dossiers or more, kind by kind, by key."""
    of: dict[tuple[str, str], Identity] = field(default_factory=dict)
    """(dossier id, entity id) -> its identity, for entities known elsewhere too."""
    elsewhere: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    """(dossier id, entity id) -> its ``same_as`` entries that name dossiers this library was not given
    (a dossier built or exported alone): the export names them, no page can."""

    def entity(self, cross_id: str) -> tuple[Linked, m.Entity] | None:
        """The linked dossier and the entity that ``dossier-id:entity-id`` names, when the library holds them."""
        dossier, _, id_ = cross_id.partition(":")
        linked = self.dossiers.get(dossier)
        entity = linked.dossier.entity(id_) if linked is not None else None
        return (linked, entity) if linked is not None and entity is not None else None

    def same_as(self, dossier: str, id_: str) -> list[str]:
        """Every entity of other dossiers that is this one (``dossier-id:entity-id``): those of the library,
        the newest dossier first, then those of dossiers it was not given, in alphabetical order."""
        identity = self.of.get((dossier, id_))
        members = identity.members if identity is not None else [(dossier, id_)]
        inside = [f"{d}:{i}" for d, i in members if d != dossier]
        outside = sorted({value for member in members for value in self.elsewhere.get(member, [])})
        return inside + outside

    def newest_first(self) -> list[Linked]:
        """The dossiers, the newest (``as_of``) first, then by id."""
        return sorted(self.dossiers.values(),
                      key=lambda one: (-one.dossier.meta.as_of.start.first_day().toordinal(), one.dossier.id))


def connect(linked: list[Linked]) -> Library:
    """The library of *linked*, given to each of them (``Linked.library``)."""
    library = Library({one.dossier.id: one for one in linked})
    groups = _Groups()
    items: dict[tuple[str, str], tuple[str, str]] = {}
    for one in linked:
        for folder in identified():
            for entity in one.dossier.table(folder).values():
                node = (one.dossier.id, entity.id)
                groups.find(node)
                for value in getattr(entity, "same_as", []):
                    other, _, other_id = value.partition(":")
                    if library.entity(value) is not None:
                        groups.join(node, (other, other_id))
                    elif other not in library.dossiers:
                        library.elsewhere.setdefault(node, []).append(value)
                item = getattr(entity, "wikidata", None)
                if item:
                    groups.join(node, items.setdefault((folder, item), node), item)
    _identities(library, groups)
    for one in linked:
        one.library = library
        one._titles.clear()  # a title may name another dossier's entity (``[[dossier-id:id]]``)
    return library


def signature(linked: Linked) -> tuple:
    """What the pages and export of *linked* show of the other dossiers: for each of its entities known
    elsewhere, the other dossiers' titles and entities' names; for each link to another dossier, its
    target's name. Pages made for the same signature (``dossier serve``'s memo) are the same pages."""
    library = linked.library
    if library is None:
        return ()
    d = linked.dossier
    shared = []
    for (dossier, id_), identity in sorted(library.of.items()):
        if dossier == d.id:
            others = [(o, i, library.dossiers[o].dossier.meta.title, library.dossiers[o].dossier.meta.language,
                       library.dossiers[o].title(i)) for o, i in identity.members if o != d.id]
            shared.append((id_, identity.key, identity.wikidata, tuple(others), tuple(library.same_as(dossier, id_))))
    links = []
    for crossing in sorted(d.crossings.values()):
        found = library.entity(crossing.value) if crossing.field == "link" else None
        links.append((crossing.value, found[0].title(found[1].id) if found is not None else None))
    return tuple(shared), tuple(links)


def library_of(linked: list[Linked]) -> Library:
    """The library *linked* belong to (connected now when they were linked one by one)."""
    if linked and linked[0].library is not None:
        return linked[0].library
    return connect(linked)


def _identities(library: Library, groups: _Groups) -> None:
    order = {one.dossier.id: index for index, one in enumerate(library.newest_first())}
    taken: set[tuple[str, str]] = set()
    found = []
    for root, members in groups.members.items():
        if len(members) < 2:
            continue
        pairs = sorted(members.items(), key=lambda pair: order[pair[0]])
        linked = library.dossiers[pairs[0][0]]
        folder = next(f for f in identified() if pairs[0][1] in linked.dossier.table(f))
        found.append((folder, _key(pairs), pairs, groups.item.get(root)))
    for folder, key, pairs, item in sorted(found, key=lambda one: (folders().index(one[0]), one[1], one[2])):
        unique, number = key, 1
        while (folder, unique) in taken:
            number += 1
            unique = f"{key}-{number}"
        taken.add((folder, unique))
        identity = Identity(unique, folder, pairs, item)
        library.identities.append(identity)
        for pair in pairs:
            library.of[pair] = identity


def _key(pairs: list[tuple[str, str]]) -> str:
    """The id the most members share; on a tie, the first in alphabetical order."""
    counts: dict[str, int] = {}
    for _, id_ in pairs:
        counts[id_] = counts.get(id_, 0) + 1
    return min(counts, key=lambda id_: (-counts[id_], id_))
