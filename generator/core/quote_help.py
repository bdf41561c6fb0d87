"""Why a quote was not found, or found more than once: messages that show the fix.

A quote that differs from its source by one character (an en dash typed as a
hyphen, a capital letter) looks identical in a short message; so the message
names the first character that differs, both sides, and points at it with a
caret under the two texts aligned. ``...`` typed as an elision, a word cut in
two and the parts of an elided quote out of order are told as such.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from .quotes import NormalText, find_quote, find_words, quote_parts

ELISION_FORMS = "`…`, `[…]` or `[...]`"
"""The elision marks the format accepts, as named in messages."""
_BARE_DOTS = re.compile(r"(?<![\[(.])\s*\.\.\.\s*(?![\])])")
_CONTEXT = 30
"""Characters shown before the difference."""


def char_name(char: str) -> str:
    """``EN DASH (U+2013)``; ``end of text`` for the empty string."""
    if not char:
        return "the end of the text"
    return f"{unicodedata.name(char, 'a character')} (U+{ord(char):04X})"


def explain_miss(source: NormalText, quote: str) -> list[str]:
    """Why *quote* is not in *source*: the message's first line, then lines that show the difference."""
    if _BARE_DOTS.search(quote):
        fixed = _BARE_DOTS.sub(" […] ", quote)
        found = " (written so, the quote is found)" if find_quote(source, fixed) else ""
        return [f"`...` is not an elision mark: write {ELISION_FORMS} where words are left out{found}"]
    parts = quote_parts(quote)
    position = 0
    for index, part in enumerate(parts):
        start = find_words(source.text, part, position)
        if start >= 0:
            position = start + len(part)
            continue
        return _why_part(source.text, part, position, index, len(parts))
    return ["the quote is not in the source"]  # not reached: every part was found


def _why_part(text: str, part: str, position: int, index: int, count: int) -> list[str]:
    """Why one *part* of a quote is not found from *position* of *text*."""
    what = "the quote" if count == 1 else f"part {index + 1} of the quote (after an elision mark)" if index else "the first part of the quote"
    if count > 1 and index and find_words(text, part, 0) >= 0:
        return [f"{what} is in the source, but before the part that precedes it: "
                "the parts of an elided quote must be in the source's order"]
    cut = text.find(part, position)
    if cut >= 0:
        return [_cut_word(text, part, cut, what)]
    return _first_difference(text, part, what)


def _cut_word(text: str, part: str, found: int, what: str) -> str:
    end = found + len(part)
    if part[0].isalnum() and found > 0 and text[found - 1].isalnum():
        start = found
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        word, side = text[start:_word_end(text, found)], "starts"
    else:
        start = end - 1
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        word, side = text[start:_word_end(text, end)], "ends"
    return f"{what} {side} in the middle of the word `{word}`: quote whole words"


def _word_end(text: str, index: int) -> int:
    while index < len(text) and text[index].isalnum():
        index += 1
    return index


def _first_difference(text: str, part: str, what: str) -> list[str]:
    """The closest passage of *text*, aligned with *part*, and the first character that differs."""
    block = difflib.SequenceMatcher(None, text, part, autojunk=False).find_longest_match(0, len(text), 0, len(part))
    if block.size < min(6, len(part)):
        return [f"{what} is not in the source, nor anything close to it"]
    origin = _aligned_start(text, part, block.a - block.b)
    differs = next((i for i in range(len(part)) if origin + i >= len(text) or part[i] != text[origin + i]), len(part))
    theirs = text[origin + differs] if origin + differs < len(text) else ""
    first = (f"{what} differs from the closest passage at its character {differs + 1}: "
             f"{char_name(part[differs])} in the quote, {char_name(theirs)} in the source")
    if part.lower() == text[origin:origin + len(part)].lower():
        first += " (a quote keeps the source's capitals)"
    return [first, *_caret_lines(part, text[origin:], differs)]


def _aligned_start(text: str, part: str, guess: int) -> int:
    """Where in *text* the closest passage starts: the first words of *part* that match near *guess*.

    The longest common stretch gives *guess*, but a comma the quote left out
    earlier shifts it; the first stretch of four characters or more that
    matches sets the start instead.
    """
    low = max(0, guess - 20)
    window = text[low:max(guess, 0) + len(part) + 20]
    blocks = difflib.SequenceMatcher(None, part, window, autojunk=False).get_matching_blocks()
    first = next((b for b in blocks if b.size >= min(4, len(part))), None)
    start = low + first.b - first.a if first is not None else guess
    return min(max(start, 0), len(text))


def _caret_lines(part: str, passage: str, differs: int) -> list[str]:
    begin = max(0, differs - _CONTEXT)
    lead = "…" if begin else ""
    end = min(differs + _CONTEXT, len(part))
    quote_shown = lead + part[begin:end] + ("…" if end < len(part) else "")
    source_shown = lead + passage[begin:end] + ("…" if end < len(passage) else "")
    return [f"    quote:  {quote_shown}", f"    source: {source_shown}",
            "            " + " " * (len(lead) + differs - begin) + "^"]


def repeated_message(source_id: str, lines: list[int]) -> str:
    """The warning for a quote found at several *lines* of its source's text."""
    where = ", ".join(str(line) for line in lines[:-1]) + f" and {lines[-1]}"
    return (f"quote found {len(lines)} times in source `{source_id}` (lines {where} of its text): the first is "
            "highlighted; add words from around the passage you mean to make the quote unique")
