"""Print typography of the PDF data's strings, applied before the data reaches Typst.

A string transformation of the whole data, done once in Python (doing it in
the template walked every string in Typst, about a fifth of the typesetting
time). Code spans, addresses, anchors and quotes (evidence is printed exactly
as the source has it) are left untouched.

The rules are the site's too: :func:`generator.core.typography.fix`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.typography import fix

VERBATIM_KEYS = frozenset({"anchor", "target", "url", "key", "source_anchor", "quote", "t", "type", "lang",
                           "as_of_iso", "document", "label", "value"})
"""Keys whose values are printed (or used) exactly as given."""


def typography(value: Any, lang: str, finish: Callable[[dict], None] | None = None) -> Any:
    """A copy of the data *value* with :func:`fix` applied to every string but the verbatim ones.

    Each distinct string is fixed once (labels, titles and dates recur
    throughout the data of a large dossier), and numbers, booleans and None are
    not visited. *finish*, when given, is called on each copied dictionary
    (code spans and verbatim values are not copied): another change made on
    the same walk through the data.
    """
    fixed: dict[str, str] = {}

    def walk(item: Any) -> Any:
        kind = type(item)
        if kind is str:
            result = fixed.get(item)
            if result is None:
                result = fixed[item] = fix(item, lang)
            return result
        if kind is list:
            return [walk(x) if type(x) in _CONTAINERS else x for x in item]
        if kind is not dict or item.get("t") == "code":
            return item
        copy = {key: x if key in VERBATIM_KEYS or type(x) not in _CONTAINERS else walk(x) for key, x in item.items()}
        if finish is not None:
            finish(copy)
        return copy

    return walk(value)


_CONTAINERS = frozenset({str, list, dict})
"""The types :func:`typography` looks into (JSON data has no subclasses of them)."""
