"""A generated page's HTML as a search indexer reads it: the same text, far fewer tags.

Material's search plugin parses every page's HTML in Python, with a call per
tag: on the pages of a large dossier (citation markers, links, badges and
dates by the tens of thousands) that parse was more than a third of the
site's build. The index it makes keeps the text, a few block tags
(paragraphs, lists, code) and the headings that cut a page into sections;
inline elements (links, emphasis, badges, dates, citation markers) only
carry their text to it. :func:`for_search` unwraps those elements, outside
headings (where the permalink's anchor tells the indexer to leave its mark
out of the section's title): the sections and their text are the same
(tests compare them on whole dossiers), parsed in a third of the time.
"""

from __future__ import annotations

import re

__all__ = ["for_search"]

_HEADINGS = re.compile(r"(<h[1-6][\s>].*?</h[1-6]>)", re.DOTALL | re.IGNORECASE)
_INLINE = re.compile(r"</?(?:a|abbr|b|bdi|cite|em|i|mark|q|small|span|strong|time|u)(?:\s[^>]*)?>", re.IGNORECASE)
"""Inline elements that carry nothing but their text to the index (``code``, ``sub`` and ``sup`` it keeps)."""
_EXCLUDED = "data-search-exclude"
"""The attribute by which an element asks to be left out of the index: a page holding one is handed over whole."""


def for_search(html: str) -> str:
    """*html* with its inline elements unwrapped outside headings, for a search indexer."""
    if _EXCLUDED in html:
        return html
    parts = _HEADINGS.split(html)
    return "".join(part if index % 2 else _INLINE.sub("", part) for index, part in enumerate(parts))
