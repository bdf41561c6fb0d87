"""Print typography of the PDF data's strings, applied before the data reaches Typst.

A string transformation of the whole data, done once in Python (doing it in
the template walked every string in Typst, about a fifth of the typesetting
time). Code spans, addresses, anchors and quotes (evidence is printed exactly
as the source has it) are left untouched.

- every language: a typewriter apostrophe between letters becomes ’;
- French: the space a writer typed before ``:`` or ``»`` and after ``«``
  becomes a no-break space, and before ``;``, ``!`` or ``?`` a narrow
  no-break space, so the sign never starts a line.
"""

from __future__ import annotations

import re
from typing import Any

VERBATIM_KEYS = frozenset({"anchor", "target", "url", "key", "source_anchor", "quote", "t", "type", "lang",
                           "as_of_iso", "document", "label", "value"})
"""Keys whose values are printed (or used) exactly as given."""

_APOSTROPHE = re.compile(r"\b'\b")
_NARROW = re.compile(r" ([;!?])")
_NBSP = re.compile(r" ([:»])")


def fix(text: str, lang: str) -> str:
    """*text* with the typography of *lang*."""
    if "'" in text:
        text = _APOSTROPHE.sub("’", text)
    if lang != "fr" or " " not in text:
        return text
    text = _NARROW.sub("\u202f\\1", text)
    text = _NBSP.sub("\u00a0\\1", text)
    return text.replace("« ", "«\u00a0")


def typography(value: Any, lang: str) -> Any:
    """A copy of the data *value* with :func:`fix` applied to every string but the verbatim ones."""
    if isinstance(value, str):
        return fix(value, lang)
    if isinstance(value, list):
        return [typography(item, lang) for item in value]
    if not isinstance(value, dict) or value.get("t") == "code":
        return value
    return {key: item if key in VERBATIM_KEYS else typography(item, lang) for key, item in value.items()}
