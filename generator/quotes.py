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
import re
import unicodedata
from dataclasses import dataclass

_APOSTROPHES = "\u2019\u2018\u02bc\u0060\u00b4\u2032"
_QUOTES = "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2033"
_TRANSLATE = {ord(c): "'" for c in _APOSTROPHES} | {ord(c): '"' for c in _QUOTES}
_WHITE_RUN = re.compile(r"\s+")
"""A run of white space: ``\\s`` matches exactly the characters ``str.isspace`` accepts."""
_ELISION = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\(\s*(?:…|\.\.\.)\s*\))\s*")


@dataclass(frozen=True)
class NormalText:
    """A text in normal form, with the offset in the original of each character."""

    text: str
    """The normalised text."""
    offsets: tuple[int, ...]
    """``offsets[i]`` is where normalised character ``i`` starts in the original;
    one extra entry holds the original's length."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``(start, end)`` of the normalised slice ``[start:end]``."""
        return self.offsets[start], self.offsets[end - 1] + 1


def normalise(text: str) -> NormalText:
    """Fold *text* to the form quotes are compared in, keeping original offsets.

    Offsets refer to *text* as given (callers pass NFC text). Typographic
    apostrophes become ``'``, quotation marks ``"``, every run of white space
    one space, and white space next to a quotation mark goes (French spacing
    inside « » and straight quotes typed without it compare equal).

    Folding maps one character to one, so the text is folded at once; only the
    runs of white space are walked (a run becomes one space at its first
    character, or nothing at either end of the text or next to a quotation mark).
    """
    folded = text.translate(_TRANSLATE)
    pieces: list[str] = []
    offsets: list[int] = []
    end = len(text)
    kept = 0  # start of the text not yet copied
    for run in _WHITE_RUN.finditer(text):
        start, stop = run.span()
        pieces.append(folded[kept:start])
        offsets.extend(range(kept, start))
        if start > 0 and stop < end and folded[start - 1] != '"' and folded[stop] != '"':
            pieces.append(" ")
            offsets.append(start)
        kept = stop
    pieces.append(folded[kept:])
    offsets.extend(range(kept, end))
    offsets.append(end)
    return NormalText("".join(pieces), tuple(offsets))


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
    parts = _ELISION.split(nfc(quote))
    return [p for p in (normal_text(part).strip() for part in parts) if p]


def normal_text(text: str) -> str:
    """``normalise(text).text`` without the offsets (quotes need no offsets, and this is faster)."""
    return _WHITE_RUN.sub(_run_replacement, text.translate(_TRANSLATE))


def _run_replacement(run: re.Match) -> str:
    """One space for a run of white space, or nothing at either end or next to a quotation mark."""
    folded, (start, stop) = run.string, run.span()
    return " " if start > 0 and stop < len(folded) and folded[start - 1] != '"' and folded[stop] != '"' else ""


def find_quote(source: NormalText, quote: str) -> Match | None:
    """The spans of *quote* in *source*, or None when it is not there."""
    parts = quote_parts(quote)
    if not parts:
        return None
    spans: list[tuple[int, int]] = []
    position = 0
    for part in parts:
        found = _find_words(source.text, part, position)
        if found < 0:
            return None
        spans.append(source.span(found, found + len(part)))
        position = found + len(part)
    return Match(tuple(spans))


def _find_words(text: str, part: str, start: int) -> int:
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


def line_column(text: str, offset: int, line_starts: list[int] | None = None) -> tuple[int, int]:
    """1-based line and column of *offset* in *text*."""
    starts = line_starts if line_starts is not None else [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1
