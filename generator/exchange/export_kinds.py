"""The export's lists of the kinds of one's own (:func:`generator.core.kinds.register`), after its own fields.

The built-in kinds are fields of :class:`generator.exchange.export.Export`, typed and
documented there; a kind declared later gets its list in a subclass made once
per set of kinds, so that its export is checked, read back and described in
the schema like the others.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, Field, create_model

from ..core.kinds import shown

M = TypeVar("M", bound=BaseModel)
_MADE: dict[tuple[type, tuple[str, ...]], Any] = {}


def nothing() -> list:
    """A new empty list: the default of the export's lists."""
    return []


def with_kinds(base: type[M]) -> type[M]:
    """*base*, or its subclass with a list (``folder: [exported]``, by id) for each kind it does not have."""
    extra = [one for one in shown() if one.folder not in base.model_fields]
    if not extra:
        return base
    key = (base, tuple(one.name for one in extra))
    if key not in _MADE:
        fields: Any = {one.folder: (list.__class_getitem__(one.export[0]), Field(default_factory=nothing,
                                                               description=f"{one.folder.capitalize()}, by id."))
                       for one in extra}
        _MADE[key] = create_model(base.__name__, __base__=base, __doc__=base.__doc__, **fields)
    return _MADE[key]
