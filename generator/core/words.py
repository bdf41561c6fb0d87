"""The words layer's base: generated words and typographic rules that modules below the renderers need.

Dates are values of the typed model (:mod:`generator.core.dates`), yet they are shown
in words: their month names and the French ordinal of the first day live here,
with the other rules of one language that the site, the PDF and the editions all
apply (the colon, the semicolon, quotation marks). Nothing here imports anything of the
project, so that every layer may use it; every other generated word is in
:mod:`generator.render.labels`, which builds on this module.
"""

from __future__ import annotations

_MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}

QUOTE_MARKS = {"fr": ("«\u202f", "\u202f»"), "en": ("\u201c", "\u201d")}
"""The opening and closing quotation marks of each language (French guillemets keep a narrow no-break space)."""


def month_name(lang: str, month: int) -> str:
    """The name of *month* (1-12) in *lang* (English for an unknown language): ``septembre``, ``September``."""
    return _MONTHS.get(lang, _MONTHS["en"])[month - 1]


def day_number(lang: str, day: int) -> str:
    """A day of the month as a date shows it: ``1er`` (French ordinal of the first), else the number."""
    return "1er" if lang == "fr" and day == 1 else str(day)


def label_colon(lang: str) -> str:
    """The colon after a label, with its spaces: `` : `` in French, ``: `` in English (and an unknown language)."""
    return " : " if lang == "fr" else ": "


def label_semicolon(lang: str) -> str:
    """The semicolon between the parts of one line, with its spaces: `` ; `` in French, ``; `` in English."""
    return " ; " if lang == "fr" else "; "


def quote_marks(lang: str) -> tuple[str, str]:
    """The quotation marks of *lang* (English ones for an unknown language)."""
    return QUOTE_MARKS.get(lang, QUOTE_MARKS["en"])
