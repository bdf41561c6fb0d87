"""What is left of a file that failed validation, so that its other problems are told too.

One invalid value must not hide the rest of a file's problems: an unknown
``status`` and an unknown id in ``participants`` are both reported in one
run. The invalid values are taken out of a copy of the file's data (an
optional field dropped, a required one given a neutral placeholder), and
what is left is validated again; its references and quotes are then checked
like any entity's. List items are never removed, so every path still points
at the same place in the file.
"""

from __future__ import annotations

import copy
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from . import model as m
from .dates import DateSpan

_ROUNDS = 4
"""Validations tried before giving up (each may uncover a required field emptied)."""


def salvage(cls: type[m.Entity], data: dict, errors: list[ErrorDetails]) -> m.Entity | None:
    """An entity of *cls* from *data* without its invalid values, or None when too little is left."""
    data = copy.deepcopy(data)
    for _ in range(_ROUNDS):
        for error in errors:
            if not _repair(cls, data, tuple(error["loc"]), error["type"] == "missing"):
                return None
        try:
            return cls.model_validate(data)
        except ValidationError as again:
            errors = again.errors(include_url=False)
    return None


def _repair(cls: type[BaseModel], data: dict, loc: tuple, missing: bool) -> bool:
    """Take the invalid value at *loc* out of *data* (or fill the missing field); False if it cannot be."""
    if missing:
        holder, owner = _node(data, loc[:-1]), _owner(cls, loc[:-1])
        value = _placeholder(owner, str(loc[-1])) if owner is not None else None
        if isinstance(holder, dict) and value is not None:
            holder[loc[-1]] = value
            return True
        return _repair(cls, data, loc[:-1], False) if len(loc) > 1 else False
    for depth in range(len(loc), 0, -1):  # the deepest mapping key on the way to the value
        holder, key = _node(data, loc[:depth - 1]), loc[depth - 1]
        if isinstance(holder, dict) and key in holder:
            owner = _owner(cls, loc[:depth - 1])
            field = _field(owner, str(key)) if owner is not None else None
            if field is None or not field.is_required():
                del holder[key]
                return True
            value = _placeholder(owner, str(key))
            if value is None:
                return depth > 1 and _repair(cls, data, loc[:depth - 1], False)
            holder[key] = value
            return True
    return False


def _node(data: Any, loc: tuple) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _owner(cls: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    current: type[BaseModel] | None = cls
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = _field(current, part)
        current = m.model_in(field.annotation) if field is not None else None
    return current


def _field(owner: type[BaseModel] | None, key: str) -> Any:
    if owner is None:
        return None
    return next((f for name, f in owner.model_fields.items() if (f.alias or name) == key), None)


def _placeholder(owner: type[BaseModel] | None, key: str) -> Any:
    """A neutral valid value for a required field: a text, a date or the first choice; None for an id."""
    field = _field(owner, key)
    if field is None:
        return None
    annotation = field.annotation
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)[0]
    if annotation is DateSpan:
        return "2000"
    if annotation is str and not any(hasattr(item, "func") for item in field.metadata):
        return ""
    return None
