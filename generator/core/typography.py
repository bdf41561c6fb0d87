"""Print typography of prose, shared by the site and the PDF (:func:`fix`).

- every language: a typewriter apostrophe between letters becomes ’, and a
  hyphen or two typed between spaces (`` - ``, `` -- ``) becomes an en dash;
- French: the space a writer typed before ``:`` or ``»`` and after ``«``
  becomes a no-break space, and before ``;``, ``!`` or ``?`` a narrow
  no-break space, so the sign never starts a line.

Verbatim text keeps the source's own characters: the PDF leaves its quote
fields alone (:mod:`generator.pdf.data_typography`), the site the quotes, source
texts, code and drawings of a page (:func:`typeset_html`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_APOSTROPHE = re.compile(r"\b'\b")
_DASH = re.compile(r"(?<= )--?(?= )")
_NARROW = re.compile(r" ([;!?])")
_NBSP = re.compile(r" ([:»])")


def fix(text: str, lang: str) -> str:
    """*text* with the typography of *lang*."""
    if "'" in text:
        text = _APOSTROPHE.sub("’", text)
    if " -" in text:
        text = _DASH.sub("–", text)
    if lang != "fr" or " " not in text:
        return text
    # A substring test first: most strings have none of these signs, and a
    # regular expression costs more than three `in` (the PDF data of a large
    # dossier holds hundreds of thousands of strings).
    if " ;" in text or " !" in text or " ?" in text:
        text = _NARROW.sub("\u202f\\1", text)
    if " :" in text or " »" in text:
        text = _NBSP.sub("\u00a0\\1", text)
    return text.replace("« ", "«\u00a0") if "« " in text else text


_PARTS = re.compile(r"(<[^>]*>)")
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)([^>]*)>")
_VERBATIM_TAGS = frozenset({"code", "pre", "script", "style", "svg", "kbd", "samp"})
_VERBATIM_CLASS = re.compile(r"""class="[^"]*\b(dossier-quote|dossier-source-text|dossier-source-header)\b""")
"""Elements whose text is verbatim: quotes, a source's full text, code, drawings."""


def typeset_html(text: str, lang: str) -> str:
    """*text* (HTML, or Markdown with HTML blocks) with :func:`fix` applied to its text, outside tags
    and verbatim elements; attribute values are left as they are."""
    return typeset_alone(text, lang)[0]


def typeset_in_chunks(text: str, lang: str, typeset: Callable[[list[str]], list[tuple[str, bool]]]) -> str:
    """:func:`typeset_html` of *text*, made of its chunks (:func:`chunks`) each typeset alone by *typeset* (``dossier
    serve`` takes again those typeset for the same page last time): the same text, since a chunk that ends outside
    verbatim elements is followed by one that starts outside them; from a chunk that ends inside one (a source's
    text across blank lines), the chunks are typeset one after the other, the state carried, until one ends outside."""
    pieces = chunks(text)
    made = typeset(pieces)
    out: list[str] = []
    index = 0
    while index < len(pieces):
        done, closed = made[index]
        index += 1
        if not closed:
            state = ("", 0)
            done, state = _typeset(pieces[index - 1], lang, state)
            while state[0] and index < len(pieces):
                more, state = _typeset(pieces[index], lang, state)
                done += more
                index += 1
        out.append(done)
    return "".join(out)


_ITEMS = ("</li><", "</tr><")
"""Between two list items or table rows (an empty text node between two tags): where a block may be cut."""


def chunks(text: str) -> list[str]:
    """*text* cut into chunks :func:`fix` sees the same alone: after each blank line (which no sign it changes
    straddles) that is not inside a tag (after a ``<`` not closed), and between two list items or table rows."""
    out: list[str] = []
    blocks = text.split("\n\n")
    pending = ""
    for index, block in enumerate(blocks):
        piece = pending + block + ("\n\n" if index + 1 < len(blocks) else "")
        if index + 1 < len(blocks) and piece.rfind("<") > piece.rfind(">"):
            pending = piece
            continue
        pending = ""
        pieces = [piece]
        for sep in _ITEMS:
            pieces = [cut for one in pieces for cut in _cut(one, sep)]
        out.extend(pieces)
    return out


def _cut(piece: str, sep: str) -> list[str]:
    """*piece* cut between the two tags of each *sep* (``</li><``)."""
    if sep not in piece:
        return [piece]
    parts = piece.split(sep)
    close, last = sep[:-1], len(parts) - 1
    return [("<" if index else "") + part + (close if index < last else "") for index, part in enumerate(parts)]


def typeset_alone(text: str, lang: str) -> tuple[str, bool]:
    """:func:`typeset_html` of *text*, and whether it ends outside verbatim elements."""
    done, state = _typeset(text, lang, ("", 0))
    return text if done == text else done, not state[0]  # the text itself when unchanged: kept once, not twice


def _typeset(text: str, lang: str, state: tuple[str, int]) -> tuple[str, tuple[str, int]]:
    """*text* typeset from *state* (the verbatim element it starts in, ``""`` for none, and how deep), and the state
    at its end."""
    out, (skipping, depth) = [], state
    parts = _PARTS.split(text)
    for index, part in enumerate(parts):
        if index % 2 == 0:
            out.append(_fix_node(part, parts[index + 2] if index + 2 < len(parts) else "", lang)
                       if part and not skipping else part)
            continue
        out.append(part)
        match = _TAG.match(part)
        if match is None or part.endswith("/>"):
            continue
        closing, name, rest = match.group(1), match.group(2).lower(), match.group(3)
        if not skipping:
            if not closing and (name in _VERBATIM_TAGS or _VERBATIM_CLASS.search(rest)):
                skipping, depth = name, 1
        elif name == skipping:
            depth += -1 if closing else 1
            skipping = skipping if depth else ""
    return "".join(out), (skipping, depth)


def _fix_node(text: str, following: str, lang: str) -> str:
    """:func:`fix` on one text node; an apostrophe that ends it before a link's letter (``l'<a>Ukraine``) is curled too."""
    text = fix(text.replace("&#x27;", "'"), lang)
    if text.endswith("'") and text[-2:-1].isalpha() and following[:1].isalpha():
        text = text[:-1] + "’"
    return text
