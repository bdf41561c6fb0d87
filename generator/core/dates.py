"""Dates at year, month or day precision, and intervals of them.

A dossier rarely knows more than a source says: "le mois dernier" is a month,
not a day. :class:`FuzzyDate` keeps the precision it was written with, and
:class:`DateSpan` is either one such date or an interval ``start/end``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .errors import value_kind
from .words import day_number, month_name

_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$", re.ASCII)


class DateError(ValueError):
    """A text that is not an ISO 8601 date of year, month or day precision."""


@dataclass(frozen=True, order=True)
class FuzzyDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    """Four-digit year."""
    month: int = 0
    """1-12, or 0 when only the year is known."""
    day: int = 0
    """1-31, or 0 when only the year or month is known."""

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise :class:`DateError`."""
        match = _DATE.match(text.strip())
        if not match:
            raise DateError(f"`{text}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else 0 for g in match.groups())
        if year < 1:
            raise DateError(f"`{text}` is not a date: there is no year 0")
        if match.group(2) and not 1 <= month <= 12:
            raise DateError(f"`{text}` is not a date: there is no month {month}")
        if match.group(3) and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise DateError(f"`{text}` is not a date: {calendar.month_name[month]} {year} has no day {day}")
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        """``year``, ``month`` or ``day``."""
        return "day" if self.day else "month" if self.month else "year"

    def first_day(self) -> date:
        """The earliest calendar day this date may stand for."""
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """The latest calendar day this date may stand for."""
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        """The date as written: ``2023``, ``2023-09`` or ``2023-09-18``."""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    def display(self, lang: str = "fr") -> str:
        """Human form at its own precision: ``septembre 2023``, ``18 septembre 2023``."""
        if not self.month:
            return str(self.year)
        if not self.day:
            return f"{month_name(lang, self.month)} {self.year}"
        return f"{day_number(lang, self.day)} {month_name(lang, self.month)} {self.year}"

    def __str__(self) -> str:
        return self.iso()


PLACEHOLDERS = {"fr": "AAAA-MM-JJ", "en": "YYYY-MM-DD"}
"""The date a template leaves for the author to write (a meeting's ``date``, a source's ``published``)."""
_PARSED: dict[str, DateSpan] = {}
"""Date text -> its span, for :meth:`DateSpan.parse` (valid texts only: an error is raised again each time)."""


@dataclass(frozen=True, order=True)
class DateSpan:
    """A date or an interval ``start/end`` (start <= end)."""

    start: FuzzyDate
    """The date, or the start of the interval."""
    end: FuzzyDate
    """The same as *start* for a single date, else the end of the interval."""

    @classmethod
    def parse(cls, value: Any) -> DateSpan:
        """Read a date or an interval; raise :class:`DateError`.

        Spans are immutable, and a dossier repeats the same few dates in many
        places: a text read once is not read again.
        """
        if isinstance(value, DateSpan):
            return value
        if type(value) is str:
            span = _PARSED.get(value)
            if span is None:
                span = _PARSED[value] = cls._read(value)
            return span
        return cls._read(value)

    @classmethod
    def _read(cls, value: Any) -> DateSpan:
        if isinstance(value, str) and value.strip() in PLACEHOLDERS.values():
            raise DateError(f"`{value.strip()}` is the template's placeholder: write the date (YYYY-MM-DD, "
                            "or YYYY-MM, YYYY when only the month or year is known)")
        try:
            return cls._read_iso(value)
        except DateError as exc:
            fixed = suggest_date(value) if isinstance(value, str) else None
            if fixed is None and isinstance(value, str) and re.search(r"[^\W\d_]{3}", value):
                from ..authoring.datelines import dateline  # a date in words: `10 mars 2023`, `March 10, 2023`

                fixed = dateline(value) or None
            message = str(exc) if f"`{str(value).strip()}`" in str(exc) or "/" not in str(value) else f"in `{value}`, {exc}"
            if fixed:
                raise DateError(f"{message}; did you mean `{fixed}`?") from None
            both = _day_or_month_first(value) if isinstance(value, str) else None
            if both:  # 06/04/2023: either reading is a date; the author knows which
                raise DateError(f"{message}; did you mean `{both[0]}` (day first) or `{both[1]}` (month first)?") from None
            raise DateError(message) from None

    @classmethod
    def _read_iso(cls, value: Any) -> DateSpan:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise DateError(f"expected a date (YYYY, YYYY-MM, YYYY-MM-DD or START/END), found {value_kind(value)}")
        text = str(value).strip()
        if text.count("/") > 1:
            raise DateError(f"`{text}` is not a date: write YYYY-MM-DD, or START/END for an interval")
        if "/" not in text:
            one = FuzzyDate.parse(text)
            return cls(one, one)
        start, end = (FuzzyDate.parse(part) for part in text.split("/"))
        if start.first_day() > end.last_day():
            raise DateError(f"the interval `{text}` ends before it starts")
        return cls(start, end)

    @property
    def is_interval(self) -> bool:
        """True when start and end differ."""
        return self.start != self.end

    def iso(self) -> str:
        """As written: ``2023-09-16`` or ``2023-09-16/2023-09-17``."""
        return self.start.iso() if not self.is_interval else f"{self.start.iso()}/{self.end.iso()}"

    def sort_key(self) -> tuple[date, date, int]:
        """Orders spans by first possible day, then last, coarser precision first."""
        return (self.start.first_day(), self.end.last_day(), len(self.start.iso()))

    def display(self, lang: str = "fr") -> str:
        """``16–17 septembre 2023``, ``septembre 2023``, ``2022–2023`` …"""
        if not self.is_interval:
            return self.start.display(lang)
        start, end = self.start, self.end
        if start.precision == end.precision == "day" and (start.year, start.month) == (end.year, end.month):
            return f"{day_number(lang, start.day)}–{end.display(lang)}"
        return f"{start.display(lang)} – {end.display(lang)}"

    def __str__(self) -> str:
        return self.iso()


_LOOSE_DAY = re.compile(r"^(\d{4})[-./ ](\d{1,2})(?:[-./ ](\d{1,2}))?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-./ ](\d{1,2})[-./ ](\d{4})$")


_INTERVAL_WORDS = re.compile(r"\s+(?:-|–|—|to|au|à|until|jusqu'au)\s+|\s*(?:–|—|\.\.)\s*")
"""How an interval is written in prose (``2023-03-06 - 2023-03-10``, ``6 – 10``): read as START/END."""


def suggest_date(text: str) -> str | None:
    """The ISO form of a date written otherwise (``2023/09/17``, ``2023-9-17``, ``2023-09-16/17``,
    ``17.09.2023``, ``2023-03-06 - 2023-03-10``), or None when there is no single reading of it."""
    text = written = text.strip()
    if "/" not in text and len(_INTERVAL_WORDS.split(text)) == 2:
        text = "/".join(part.strip() for part in _INTERVAL_WORDS.split(text))
        if _one_date(text.split("/")[0]) is None:
            return None
    parts = text.split("/")
    if len(parts) == 3 or len(parts) == 1:
        fixed = _one_date(text.replace("/", "-"))
    elif len(parts) == 2:
        start = _one_date(parts[0])
        end = _end_of(start, parts[1].strip()) if start else None
        fixed = f"{start}/{end}" if start and end else None
        if fixed and fixed == written:  # well formed: the interval ends before it starts
            fixed = f"{end}/{start}"
    else:
        return None
    try:
        return DateSpan._read_iso(fixed).iso() if fixed and fixed != written else None
    except DateError:
        return None


def _one_date(text: str) -> str | None:
    match = _LOOSE_DAY.match(text.strip())
    if match:
        year, month, day = match.groups()
        return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    match = _DAY_FIRST.match(text.strip())
    if match:
        first, second, year = (int(group) for group in match.groups())
        if first > 12 >= second or first == second:  # day first, as in 17/09/2023
            return f"{year}-{second:02d}-{first:02d}"
        if second > 12 >= first:  # month first, as in 09/17/2023
            return f"{year}-{first:02d}-{second:02d}"
    return None


def _day_or_month_first(text: str) -> tuple[str, str] | None:
    """``06/04/2023`` -> (``2023-04-06``, ``2023-06-04``): both readings, when both are dates and differ."""
    match = _DAY_FIRST.match(text.strip())
    if not match:
        return None
    first, second, year = (int(group) for group in match.groups())
    if first == second or first > 12 or second > 12 or not (first and second):
        return None
    return f"{year}-{second:02d}-{first:02d}", f"{year}-{first:02d}-{second:02d}"


def _end_of(start: str, end: str) -> str | None:
    """The end of an interval, completed from its start (``2023-09-16/17``: the 17th)."""
    if re.fullmatch(r"\d{1,2}", end) and len(start) == 10:
        return f"{start[:8]}{int(end):02d}"
    if re.fullmatch(r"\d{1,2}-\d{1,2}", end) and len(start) >= 7:
        month, day = end.split("-")
        return f"{start[:5]}{int(month):02d}-{int(day):02d}"
    return _one_date(end)

