"""Print typography of the PDF data's strings, applied before the data reaches Typst.

A string transformation of the whole data, done once in Python (doing it in
the template walked every string in Typst, about a fifth of the typesetting
time). Code spans, addresses, anchors and quotes (evidence is printed exactly
as the source has it) are left untouched.

The rules are the site's too: :func:`generator.typography.fix`.
"""

from __future__ import annotations

from typing import Any

from ..typography import fix

VERBATIM_KEYS = frozenset({"anchor", "target", "url", "key", "source_anchor", "quote", "t", "type", "lang",
                           "as_of_iso", "document", "label", "value"})
"""Keys whose values are printed (or used) exactly as given."""


def typography(value: Any, lang: str) -> Any:
    """A copy of the data *value* with :func:`fix` applied to every string but the verbatim ones."""
    if isinstance(value, str):
        return fix(value, lang)
    if isinstance(value, list):
        return [typography(item, lang) for item in value]
    if not isinstance(value, dict) or value.get("t") == "code":
        return value
    return {key: item if key in VERBATIM_KEYS else typography(item, lang) for key, item in value.items()}
