"""The kinds of entity a dossier holds, each declared once (after followthemoney's schema: one declaration per kind).

A :class:`Kind` names everything the stages need to know of one kind: its
folder, how messages call one of it, where it stands in the indexes, the nav,
the export and the PDF, and the functions and classes that each stage uses
for it. Every per-kind list of the package (the folders read, the pages made,
the export's fields, the PDF's parts …) is derived from :func:`kinds` and
:func:`shown`.

This module sits at the bottom of the import layers and imports nothing of the
package. The four built-in kinds are declared here with their data; the parts
that live in higher layers are attached by those layers when they load
(:func:`attach`: the model classes by :mod:`generator.core.model`, the pages by
:mod:`generator.render.site` …), so that no import goes upwards. A kind of
one's own is one :func:`register` call that gives every part at once (see
``docs/guide/extending.md``); a declaration that lacks one is refused, naming
the kind and the part.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

REQUIRED = {
    "model": "its pydantic model class (generator.core.model.Entity's subclass)",
    "page": "its page function (renderer, entity) -> Page",
    "index": "its index table: (column label keys, row function (renderer, entity, url) -> cells)",
    "export": "its export: (exported class, function (builder, entity) -> exported)",
    "pdf": "its PDF section: function (builder, its entities by id) -> the entries the template's `entry` prints",
    "template": "its `dossier add` template: (head comment by language, fields as generator.authoring.templates.Field, has claims)",
}
"""The parts a kind must have, each set by the layer that owns it, and what each is."""

LANGUAGES = ("fr", "en")
"""The languages a kind of one's own gives its labels in."""


@dataclass
class Kind:
    """One kind of entity: its names, its place in every list, and its parts in each stage."""

    name: str
    """Its name (``actor``): the ``kind`` of the export, ``dossier add KIND``, label keys ``kind_<name>``."""
    folder: str
    """The folder of its files (``actors``), also its index's address and label key."""
    article: str
    """How messages call one of it (``an actor``)."""
    shown: float
    """Its rank in the indexes, the nav, the export and the PDF (lowest first: questions 1 … sources 4)."""
    library: int | None = None
    """Its rank in the library (lowest first) when it may say ``same_as`` and ``wikidata`` and has library pages."""
    appendix: bool = False
    """The PDF prints it after the timeline and the network (the sources)."""
    diff_group: str = "entities"
    """The group of ``dossier diff`` its changes are listed in."""
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    """Words of its own, by language (``{"en": {"events": "Events", …}}``), added to :mod:`generator.render.labels`."""
    # The parts of :data:`REQUIRED`; a built-in kind's are attached by the layers that own them.
    model: Any = None
    page: Any = None
    index: Any = None
    export: Any = None
    pdf: Any = None
    template: Any = None
    preview: Any = None
    """The lines of its preview on hover (renderer, entity) -> [str]; optional."""

    def missing(self) -> list[str]:
        """The parts (of :data:`REQUIRED`) it does not have yet."""
        return [part for part in REQUIRED if getattr(self, part) is None]


class KindError(ValueError):
    """A kind declared wrongly: a part missing, a name or folder taken."""


_BUILT_IN = (  # in the order the files are read and checked: sources first, the others cite them
    Kind("source", "sources", "a source", shown=4, library=3, appendix=True, diff_group="sources"),
    Kind("actor", "actors", "an actor", shown=3, library=1),
    Kind("meeting", "meetings", "a meeting", shown=2, library=2),
    Kind("question", "questions", "a question", shown=1),
)
_KINDS: dict[str, Kind] = {kind.name: kind for kind in _BUILT_IN}
_BY_FOLDER: dict[str, Kind] = {kind.folder: kind for kind in _BUILT_IN}
_LISTENERS: list[Callable[[], None]] = []
_LISTS: dict[str, Any] = {}  # the cache of :func:`shown`, :func:`folders`, :func:`shown_folders`, :func:`order`
_BY_MODEL: dict[Any, str] = {}  # the cache of :func:`name_of_model`


def kinds() -> tuple[Kind, ...]:
    """Every kind, in the order a dossier's files are read and checked."""
    return tuple(_KINDS.values())


def shown() -> tuple[Kind, ...]:
    """Every kind, in the order the pages, the nav, the export and the PDF present them (questions first)."""
    return _cached("shown", lambda: tuple(sorted(_KINDS.values(), key=lambda kind: kind.shown)))


def folders() -> tuple[str, ...]:
    """The folders of a dossier, one per kind, in reading order."""
    return _cached("folders", lambda: tuple(_BY_FOLDER))


def shown_folders() -> tuple[str, ...]:
    """The folders in :func:`shown` order."""
    return _cached("shown_folders", lambda: tuple(kind.folder for kind in shown()))


def names() -> tuple[str, ...]:
    """``dossier``, then every kind's name in reading order: what a reference's ``kind`` may be."""
    return _cached("names", lambda: ("dossier", *_KINDS))


def _cached(key: str, make: Callable[[], Any]) -> Any:
    """What *make* returns, made once until the kinds change (the stages ask for these lists often)."""
    found = _LISTS.get(key)
    if found is None:
        found = _LISTS[key] = make()
    return found


def kind(name: str) -> Kind:
    """The kind called *name* (``actor``)."""
    return _KINDS[name]


def in_folder(folder: str) -> Kind:
    """The kind whose files are in *folder* (``actors``)."""
    return _BY_FOLDER[folder]


def name_of_model(cls: type) -> str:
    """The name of the kind whose model class is *cls* (``Actor`` -> ``actor``)."""
    if not _BY_MODEL:
        _BY_MODEL.update({one.model: one.name for one in _KINDS.values()})
    return _BY_MODEL[cls]


def order() -> dict[str, int]:
    """Kind name -> rank wherever several kinds are listed together, the dossier first."""
    return _cached("order", lambda: {"dossier": 0, **{one.name: rank for rank, one in enumerate(shown(), 1)}})


def attach(name: str, **parts: Any) -> None:
    """Give the built-in kind *name* parts that live in a higher layer (called by that layer on import)."""
    one = _KINDS[name]
    for part, value in parts.items():
        if not hasattr(one, part):
            raise KindError(f"kind `{name}`: no part `{part}`")
        setattr(one, part, value)
    _BY_MODEL.clear()


def register(new: Kind) -> Kind:
    """Add a kind of one's own: refused (:class:`KindError`) when a part is missing or a name is taken."""
    if new.name in _KINDS or new.name == "dossier":
        raise KindError(f"kind `{new.name}` is declared already")
    if new.folder in _BY_FOLDER:
        raise KindError(f"kind `{new.name}`: folder `{new.folder}/` is the folder of kind `{_BY_FOLDER[new.folder].name}`")
    missing = new.missing()
    if missing:
        raise KindError(f"kind `{new.name}` has no {', no '.join(f'{p} ({REQUIRED[p]})' for p in missing)}")
    for lang in LANGUAGES:
        wanted = [new.folder, f"{new.folder}_one", f"kind_{new.name}"]
        lacking = [key for key in wanted if key not in new.labels.get(lang, {})]
        if lacking:
            raise KindError(f"kind `{new.name}` has no label {', '.join(f'`{key}`' for key in lacking)} in `{lang}`")
    _KINDS[new.name], _BY_FOLDER[new.folder] = new, new
    _changed()
    return new


def unregister(name: str) -> None:
    """Take back a kind added by :func:`register` (the built-in kinds stay)."""
    if any(one.name == name for one in _BUILT_IN):
        raise KindError(f"kind `{name}` is built in")
    del _BY_FOLDER[_KINDS.pop(name).folder]
    _changed()


@contextmanager
def registered(new: Kind) -> Iterator[Kind]:
    """:func:`register` *new* for the time of a ``with`` block."""
    register(new)
    try:
        yield new
    finally:
        unregister(new.name)


def on_change(listener: Callable[[], None]) -> None:
    """Call *listener* whenever a kind is added or taken back (layers that derive tables from the kinds)."""
    _LISTENERS.append(listener)


def _changed() -> None:
    _LISTS.clear()
    _BY_MODEL.clear()
    for listener in _LISTENERS:
        listener()
