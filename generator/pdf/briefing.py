"""The PDF briefing of one linked dossier: data, network figure, Typst.

The document date is the dossier's ``as_of`` date, or ``SOURCE_DATE_EPOCH``
when set, so the same input always gives the same bytes.
"""

from __future__ import annotations

import calendar
import os
import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from ..core.errors import Report
from ..core.link import Linked
from ..core.loader import line_starts, position_of
from ..render.graph import network_svg
from .compile import compile_files, typst_source_files
from .data import pdf_data
from .shape import PdfData


def document_timestamp(linked: Linked) -> int:
    """UNIX time of the document: ``SOURCE_DATE_EPOCH`` or noon UTC on the as-of date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return int(epoch)
    day = linked.dossier.meta.as_of.start.first_day()
    return calendar.timegm((day.year, day.month, day.day, 12, 0, 0))


_COVERED = [(0x0000, 0x052F), (0x1E00, 0x1FFF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x22FF),
            (0x2300, 0x23FF), (0x25A0, 0x25FF), (0xFB00, 0xFB06), (0xFE00, 0xFE0F)]
"""Code points the fonts Typst embeds (Libertinus, New Computer Modern, DejaVu Sans Mono) cover:
Latin, Greek, Cyrillic, punctuation and common symbols."""


_UNCOVERED = re.compile("[^" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in _COVERED) + "]")
"""A character outside :data:`_COVERED` (one regular-expression search per text, not a test per character)."""


def missing_glyphs(data: object) -> list[str]:
    """Every text in the PDF data with characters the embedded fonts lack (e.g. 王毅), sorted."""
    found: set[str] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _UNCOVERED.search(item):
                found.add(item if len(item) <= 60 else item[:59] + "…")
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return sorted(found)


def font_warnings(linked: Linked, font_paths: Iterable[str] = ()) -> Report:
    """Located warnings for texts the PDF cannot show without an extra font (none when fonts are given)."""
    report = Report()
    if list(font_paths):
        return report
    # The printed data has every character of the PDF data and only covered ones besides:
    # one search through it usually settles the matter.
    if not _UNCOVERED.search(_sources(linked)["data.json"].decode("utf-8")):
        return report
    files = sorted(Path(linked.dossier.folder).rglob("*.yaml"))
    for text in missing_glyphs(_pdf_data(linked)):
        path, line, column = _locate(files, text.rstrip("…"), Path(linked.dossier.folder) / "dossier.yaml")
        report.add(str(path), line, column, f"`{text}` has characters the PDF's fonts lack and will print as "
                   "boxes: give a folder with a font that has them (--font-path, or the plugin's `fonts`)", "warning")
    return report


def _locate(files: list[Path], text: str, default: Path) -> tuple[Path, int, int]:
    for path in files:
        content = path.read_text(encoding="utf-8-sig", errors="replace")
        offset = content.find(text[:30])
        if offset >= 0:
            return (path, *position_of(line_starts(content), offset))
    return default, 1, 1


_LAST: list[tuple[Linked, PdfData, dict[str, bytes] | None]] = []
"""The last dossier's PDF data and Typst project: :func:`font_warnings` then :func:`dossier_pdf`
on the same dossier compute them once."""


def _pdf_data(linked: Linked) -> PdfData:
    """``pdf_data(linked)``, reused when the previous call was for this very object."""
    if not _LAST or _LAST[0][0] is not linked:
        _LAST[:] = [(linked, pdf_data(linked), None)]
    return _LAST[0][1]


def _sources(linked: Linked) -> dict[str, bytes]:
    """The Typst project of *linked*, reused like :func:`_pdf_data`."""
    data = _pdf_data(linked)
    files = _LAST[0][2]
    if files is None:
        files = typst_source_files(data, network_svg(linked, None))
        _LAST[0] = (linked, data, files)
    return files


def dossier_sources(linked: Linked) -> dict[str, bytes]:
    """The Typst project (main.typ, template, data, network) for *linked*."""
    return dict(_sources(linked))


def dossier_pdf(linked: Linked, font_paths: Iterable[str] = ()) -> bytes:
    """The PDF briefing of *linked*, as bytes."""
    return compile_files(_sources(linked), font_paths=font_paths, timestamp=document_timestamp(linked))


def checked_pdf(linked: Linked, font_paths: Iterable[str], warn: Callable[[Report], object]) -> bytes:
    """:func:`dossier_pdf`, with :func:`font_warnings` found while Typst typesets.

    Typst releases the interpreter while it works, so the font check (a search
    through the whole ``data.json``: about 0.2 s at 2,000 entities)
    runs beside it on another thread instead of before it. *warn* is given the
    warnings as soon as they are found, and always before this function returns
    or raises.
    """
    fonts = list(font_paths)
    _sources(linked)  # made here, before the check's thread reads them
    failed: list[Exception] = []

    def check() -> None:
        try:
            warn(font_warnings(linked, fonts))
        except Exception as exc:  # noqa: BLE001 - raised again below, in the caller's thread
            failed.append(exc)

    checker = threading.Thread(target=check, name="dossier-font-check")
    checker.start()
    try:
        pdf = dossier_pdf(linked, font_paths=fonts)
    finally:
        checker.join()
    if failed:
        raise failed[0]
    return pdf
