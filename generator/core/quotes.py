"""Verifying quotes against a source's text, and finding where they stand.

The rules are the contract's: a quote is found verbatim after normalising
Unicode (NFC), runs of white space (no-break spaces included), and
typographic apostrophes and quotation marks; ``…``, ``[…]`` or ``[...]``
inside a quote marks an elision, whose parts must occur in that order.
Matching is case-sensitive: a quote is the source's own words.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

_APOSTROPHES = "\u2019\u2018\u02bc\u0060\u00b4\u2032"
_QUOTES = "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2033"
_APOSTROPHE_RE = re.compile(f"[{_APOSTROPHES}]")
_QUOTE_RE = re.compile(f"[{_QUOTES}]")


def _fold_marks(text: str) -> str:
    """Apostrophes to ``'``, quotation marks to ``"`` (one character for one: offsets stay)."""
    if text.isascii() and "`" not in text:
        return text  # the only ASCII mark to fold is the backquote
    return _QUOTE_RE.sub('"', _APOSTROPHE_RE.sub("'", text))


_ELISION = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\(\s*(?:…|\.\.\.)\s*\))\s*")


@dataclass(frozen=True)
class NormalText:
    """A text in normal form, with the way back to offsets in the original.

    Normalising keeps every character but white space, and a run of white
    space that becomes one space keeps the length of a one-character run; so
    the offsets shift only after longer or dropped runs. The shifts are kept
    as breakpoints: normalised offset ``marks[k]`` is original offset
    ``origins[k]``, and the offsets after it follow one for one.
    """

    text: str
    """The normalised text."""
    marks: tuple[int, ...] = (0,)
    """Normalised offsets where a stretch of one-for-one offsets starts (sorted)."""
    origins: tuple[int, ...] = (0,)
    """The original offset of each of :attr:`marks`."""

    def offset(self, index: int) -> int:
        """Where the normalised character *index* starts in the original."""
        k = bisect.bisect_right(self.marks, index) - 1
        return self.origins[k] + index - self.marks[k]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``(start, end)`` of the normalised slice ``[start:end]``."""
        return self.offset(start), self.offset(end - 1) + 1


# Every pattern below starts with \s, so that the regular-expression engine skips ahead to white space.
_AROUND_QUOTE = re.compile(r'\s*"\s*')
_SHIFTING_RUN = re.compile(r'\s(?:\s+|(?=")|(?<="\s)|(?<=^\s)|\Z)')
"""A run of white space after which offsets shift: longer than one character, or dropped
(next to a quotation mark, or at either end)."""
_IRREGULAR_WHITE = re.compile(r"\s(?:\s+|(?<! ))")
"""White space that is not already one plain space."""


def normalise(text: str) -> NormalText:
    """Fold *text* to the form quotes are compared in, keeping the way back to original offsets.

    Offsets refer to *text* as given (callers pass NFC text). Typographic
    apostrophes become ``'``, quotation marks ``"``, every run of white space
    one space, and white space next to a quotation mark goes (French spacing
    inside « » and straight quotes typed without it compare equal), as does
    white space at either end.
    """
    folded = _fold_marks(text)
    end = len(folded)
    marks, origins = [0], [0]
    removed = 0  # characters dropped before the current stretch
    for run in _SHIFTING_RUN.finditer(folded):
        start, stop = run.span()
        kept = start > 0 and stop < end and folded[start - 1] != '"' and folded[stop] != '"'
        removed += stop - start - kept
        marks.append(stop - removed)
        origins.append(stop)
    return NormalText(_fold_white(folded), tuple(marks), tuple(origins))


def nfc(text: str) -> str:
    """Unicode NFC, the form every source text is kept in."""
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class Match:
    """Where a quote was found: one original span per part of the quote."""

    spans: tuple[tuple[int, int], ...]
    """``(start, end)`` offsets in the source's NFC text, in order."""


def quote_parts(quote: str) -> list[str]:
    """The normalised parts of *quote* between elision marks (empty ones dropped)."""
    return list(_parts(quote))


@functools.lru_cache(maxsize=1 << 15)
def _parts(quote: str) -> tuple[str, ...]:
    """:func:`quote_parts`, memoised: a quote is looked up, then looked for again (:func:`repeated_places`)."""
    quote = nfc(quote)
    parts = _ELISION.split(quote) if "…" in quote or "..." in quote else [quote]
    return tuple(p for p in (normal_text(part).strip() for part in parts) if p)


def normal_text(text: str) -> str:
    """``normalise(text).text`` without the offsets (quotes need no offsets, and this is faster)."""
    return _fold_white(_fold_marks(text))


def _fold_white(folded: str) -> str:
    """White space of an already folded text: none next to a quotation mark or at the ends, else one space."""
    if '"' in folded:
        folded = _AROUND_QUOTE.sub('"', folded)
    return _IRREGULAR_WHITE.sub(" ", folded).strip(" ")


def find_quote(source: NormalText, quote: str) -> Match | None:
    """The spans of *quote* in *source*, or None when it is not there."""
    parts = quote_parts(quote)
    if not parts:
        return None
    first = find_words(source.text, parts[0], 0)
    founds = _place(source.text, tuple(parts), first) if first >= 0 else None
    return None if founds is None else _match(source, tuple(parts), founds)


def _place(text: str, parts: tuple[str, ...], first: int) -> list[int] | None:
    """Where each part of a quote stands when its first part is at *first*, or None.

    Each next part is taken at its first place after the one before; then, from
    the end back, each earlier part is moved to its last place before the next,
    so that an elided quote marks the tightest passage (``Wang Yi […] se rendra``
    names the ``Wang Yi`` just before ``se rendra``, not one paragraphs above).
    """
    founds, position = [first], first + len(parts[0])
    for part in parts[1:]:
        found = find_words(text, part, position)
        if found < 0:
            return None
        founds.append(found)
        position = found + len(part)
    for index in range(len(parts) - 2, -1, -1):
        founds[index] = _last_words(text, parts[index], founds[index], founds[index + 1])
    return founds


def _last_words(text: str, part: str, low: int, end: int) -> int:
    """The last place of *part* from *low* that ends by *end* and cuts no word (*low* itself does)."""
    found = text.rfind(part, low, end)
    while found > low and find_words(text, part, found) != found:
        found = text.rfind(part, low, found + len(part) - 1)
    return max(found, low)


def _match(source: NormalText, parts: tuple[str, ...], founds: list[int]) -> Match:
    return Match(tuple(source.span(found, found + len(part)) for part, found in zip(parts, founds)))


def repeated_places(source: NormalText, quote: str, limit: int = 10) -> list[Match]:
    """Every place of *quote* in *source* (at most *limit*), in text order, when there are two or more; else [].

    A quote should stand at one place. Most do, and a first part that the text
    holds at most once tells so at the cost of two searches.
    """
    parts = _parts(quote)
    text = source.text
    if not parts or text.find(parts[0], text.find(parts[0]) + 1) < 0:
        return []
    places = _all_places(source, parts, limit)
    return places if len(places) > 1 else []


def _all_places(source: NormalText, parts: tuple[str, ...], limit: int) -> list[Match]:
    """Every distinct passage of the quote: elided quotes whose parts meet at one place count once."""
    places: dict[tuple[int, ...], Match] = {}
    first = find_words(source.text, parts[0], 0) if parts else -1
    while first >= 0 and len(places) < limit:
        founds = _place(source.text, parts, first)
        if founds is None:
            break
        places.setdefault(tuple(founds), _match(source, parts, founds))
        first = find_words(source.text, parts[0], first + 1)
    return list(places.values())


def find_words(text: str, part: str, start: int) -> int:
    """The first place of *part* in *text* from *start* that does not cut a word in two."""
    found = text.find(part, start)
    while found >= 0:
        end = found + len(part)
        cuts_before = part[0].isalnum() and found > 0 and text[found - 1].isalnum()
        cuts_after = part[-1].isalnum() and end < len(text) and text[end].isalnum()
        if not (cuts_before or cuts_after):
            return found
        found = text.find(part, found + 1)
    return -1


def closest_passage(source: NormalText, quote: str, limit: int = 160) -> str:
    """The passage of *source* that looks most like *quote*, for an error message."""
    parts = quote_parts(quote)
    if not parts or not source.text:
        return ""
    part = max(parts, key=len)[:400]
    text = source.text
    matcher = difflib.SequenceMatcher(None, text, part, autojunk=False)
    block = matcher.find_longest_match(0, len(text), 0, len(part))
    start = max(block.a - block.b, 0)
    end = min(start + len(part), len(text))
    start, end = _widen_to_words(text, start, end)
    passage = text[start:end]
    return passage if len(passage) <= limit else passage[: limit - 1] + "…"


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def covered_share(length: int, spans: list[tuple[int, int]]) -> float:
    """The share of a text of *length* characters that *spans* cover (overlaps once)."""
    if length <= 0:
        return 0.0
    total, last = 0, 0
    for start, end in sorted(spans):
        start = max(start, last)
        if end > start:
            total += end - start
            last = end
    return total / length
