"""Text for the network SVG: XML-safe strings, coordinates, estimated widths, wrapping.

There is no font at build time, so widths are estimated per character for a
generic sans-serif font (erring on the wide side) and labels are wrapped and
ellipsised against those estimates.
"""

from __future__ import annotations

import re

from ..html import esc as html_esc

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
_MAX_DISPLAY_CHARS = 300
_CLOSING = frozenset("»”)]!?;:.,…")
_OPENING = frozenset("«“([")


def xml_text(value: str) -> str:
    """Replace the characters XML 1.0 forbids (controls, lone surrogates) by U+FFFD."""
    return _INVALID_XML.sub("\ufffd", value)


def one_line(value: str) -> str:
    """Normalise a display string: legal XML characters, whitespace collapsed."""
    return _SPACES.sub(" ", xml_text(value)).strip()


def esc(value: str) -> str:
    """Escape a string for XML text or a double- or single-quoted attribute."""
    return html_esc(xml_text(value))


def fmt(value: float) -> str:
    """Format a coordinate rounded to one decimal, without a useless ``.0``."""
    text = f"{round(value, 1) + 0.0:.1f}"
    if text == "-0.0":
        return "0"
    return text.removesuffix(".0")


def char_width(char: str) -> float:
    """Rough advance width of a character in em for a generic sans-serif font."""
    if char in " iljtfrI.,;:'!|()[]":
        return 0.33
    if char in "mwMW@%…—":
        return 0.9
    if ord(char) >= 0x2E80:
        return 1.0
    if char.isupper():
        return 0.7
    if char.isdigit():
        return 0.62
    return 0.58


def text_width(text: str, size: float) -> float:
    """Estimated width of ``text`` in px at font size ``size`` (errs on the wide side)."""
    return sum(char_width(char) for char in text) * size


def fit(text: str, max_width: float, size: float, *, force_ellipsis: bool = False) -> str:
    """Cut ``text`` so that it fits ``max_width``, ending it with an ellipsis if cut."""
    if not force_ellipsis and text_width(text, size) <= max_width:
        return text
    budget = max_width - char_width("…") * size
    used, end = 0.0, 0
    for end, char in enumerate(text):
        used += char_width(char) * size
        if used > budget:
            break
    else:
        end = len(text)
    return text[:end].rstrip(" ,;:-–—") + "…"


def _words(text: str) -> list[str]:
    """The units a line may break between: words, with a lone closing mark (``»``, ``:``)
    kept with the word before it and a lone opening mark (``«``) with the word after it."""
    words: list[str] = []
    pending = ""
    for word in text.split(" "):
        if pending:
            word, pending = f"{pending} {word}", ""
        if words and set(word) <= _CLOSING:
            words[-1] = f"{words[-1]} {word}"
        elif set(word) <= _OPENING:
            pending = word
        else:
            words.append(word)
    if pending and words:
        words[-1] = f"{words[-1]} {pending}"
    elif pending:
        words.append(pending)
    return words


def wrap(text: str, max_width: float, size: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines, ellipsising what is left over."""
    text = one_line(text)[:_MAX_DISPLAY_CHARS]
    if not text:
        return []
    space = char_width(" ") * size
    lines: list[str] = []
    current, width = "", 0.0
    for word in _words(text):
        word_width = text_width(word, size)
        if current and width + space + word_width <= max_width:
            current, width = f"{current} {word}", width + space + word_width
            continue
        if current:
            lines.append(current)
        current, width = word, word_width
    lines.append(current)
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        kept[-1] = fit(kept[-1], max_width, size, force_ellipsis=True)
        lines = kept
    return [fit(line, max_width, size) for line in lines]
