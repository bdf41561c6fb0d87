"""``dossier quote``: find words in a source's text and print the citation line to paste.

The words need not match exactly: case, accents, apostrophes, quotation
marks, dashes and runs of white space are folded on both sides. What is
printed is the source's own characters, as a ``- source-id: "…"`` line in
YAML double quotes, which the checker then finds verbatim. When the words
stand at several places, each is printed with its line, and how to make the
quote unique.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from ..core.files import ID_RE
from ..core.loader import line_starts, position_of
from ..core.quote_help import explain_miss
from ..core.quotes import nfc, normalise

_ELISION = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:…|\.\.\.)\s*\)|…|\.\.\.)\s*")
_FOLD = {**{c: "'" for c in "\u2019\u2018\u02bc\u0060\u00b4\u2032"}, **{c: '"' for c in "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2033"},
         "\u2212": "-"}


class QuoteUsageError(Exception):
    """The dossier or the source cannot be read (a usage error, exit status 2)."""


def fold(text: str) -> tuple[str, list[int]]:
    """*text* folded for a tolerant search, and for each folded character the offset it comes from."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                origin.append(index)
            continue
        char = _FOLD.get(char, "-" if unicodedata.category(char) == "Pd" else char)
        plain = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)).casefold()
        out.extend(plain)
        origin.extend([index] * len(plain))
    return "".join(out), origin


def find_places(text: str, words: str) -> list[list[tuple[int, int]]]:
    """Every place of *words* in *text* (whole words; parts between elision marks in order): spans in *text*."""
    folded, origin = fold(text)
    parts = [fold(part)[0].strip() for part in _ELISION.split(words)]
    parts = [part for part in parts if part]
    places: list[list[tuple[int, int]]] = []
    start = _find(folded, parts[0], 0) if parts else -1
    while start >= 0:
        spans, position = [], start
        for part in parts:
            found = position if part is parts[0] else _find(folded, part, position)
            if found < 0:
                return places
            spans.append((origin[found], origin[found + len(part) - 1] + 1))
            position = found + len(part)
        places.append(spans)
        start = _find(folded, parts[0], start + 1)
    return places


def _find(text: str, part: str, start: int) -> int:
    found = text.find(part, start)
    while found >= 0:
        end = found + len(part)
        if not (part[0].isalnum() and found > 0 and text[found - 1].isalnum()) and \
                not (part[-1].isalnum() and end < len(text) and text[end].isalnum()):
            return found
        found = text.find(part, found + 1)
    return -1


def citation_line(source_id: str, text: str, spans: list[tuple[int, int]], translation: str | None = None) -> str:
    """``- source-id: "…"``: the source's own words (white space runs as one space), YAML-quoted.

    With a *translation* (``""`` to be filled in), the mapping form: a ``translation:``
    line under it, aligned with the source id.
    """
    quote = " […] ".join(" ".join(text[start:end].split()) for start, end in spans)
    line = f"- {source_id}: {json.dumps(quote, ensure_ascii=False)}"
    return line if translation is None else f"{line}\n  translation: {json.dumps(translation, ensure_ascii=False)}"


def needs_translation(folder: Path, source_id: str) -> bool:
    """Whether the source's ``language`` is known and is not the dossier's (then a citation wants a translation)."""
    import yaml

    def language(path: Path, default: str | None) -> str | None:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return None
        value = data.get("language", default) if isinstance(data, dict) else None
        return value.split("-")[0].strip().lower() if isinstance(value, str) else None

    spoken = language(folder / "sources" / f"{source_id}.yaml", None)
    return spoken is not None and spoken != language(folder / "dossier.yaml", "fr")


def read_source(folder: Path, source_id: str) -> str:
    """The NFC text of *source_id* in the dossier *folder*; raises :class:`QuoteUsageError`."""
    if not (folder / "dossier.yaml").is_file():
        raise QuoteUsageError(f"{folder}: not a dossier folder (no dossier.yaml)")
    path = folder / "sources" / f"{source_id}.txt"
    if not ID_RE.match(source_id) or not path.is_file():
        known = sorted(p.stem for p in (folder / "sources").glob("*.txt"))
        raise QuoteUsageError(f"no source `{source_id}` in {folder} (sources: {', '.join(known) or 'none'})")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise QuoteUsageError(f"{path}: cannot read the text: {exc}") from None
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def quote_command(folder: Path, source_id: str, words: str, echo: Callable[..., None],
                  translation: str | None = None) -> bool:
    """Print the citation line(s) for *words* (standard output) or why not found (standard error).

    The mapping form, with a ``translation:`` line, is printed when *translation* is given, or
    when the source is in another language than the dossier (``translation: ""``, to fill in).
    """
    text = read_source(folder, source_id)
    if translation is None and needs_translation(folder, source_id):
        translation = ""
    places = find_places(text, words)
    if not places:
        echo(f"error: not found in source `{source_id}`: " + "\n".join(explain_miss(normalise(text), words)), err=True)
        return False
    lines = [citation_line(source_id, text, spans, translation) for spans in places]
    if len(places) == 1:
        echo(lines[0])
        return True
    echo(f"# found at {len(places)} places: a quote is highlighted at the first; to cite another, "
         "lengthen the quote with words from around the passage you mean")
    for spans, line in zip(places, lines):
        number, column = position_of(line_starts(text), spans[0][0])
        echo(f"# line {number}, column {column}: {_context(text, spans[0][0], spans[-1][1])}")
        echo(line)
    return True


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    """The passage at ``[start:end]`` with a few words either side, on one line, marked »like this«."""
    before = " ".join(text[max(0, start - width):start].split(" ")[1:] if start > width else [text[:start]])
    after = " ".join(text[end:end + width].split(" ")[:-1] if end + width < len(text) else [text[end:]])
    shown = f"{before}»{text[start:end]}«{after}"
    return ("…" if start > width else "") + " ".join(shown.split()) + ("…" if end + width < len(text) else "")
