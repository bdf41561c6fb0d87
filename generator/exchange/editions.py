"""Editions: the previous edition a dossier names, read.

``dossier.yaml`` may name the export of the previous edition (``previous:``).
:func:`load_previous` reads it during validation, a missing or invalid file
reported at the ``previous`` value; :mod:`generator.exchange.edition_changes` words
what changed since it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import Report
from ..core.loader import Document

if TYPE_CHECKING:
    from .export import Export


def load_previous(folder: Path, value: str, doc: Document, report: Report) -> Export | None:
    """The previous edition named by ``previous: VALUE`` in *doc*; None (reported) when unusable."""
    from .export import (  # the export's fifteen pydantic models only for a dossier that names one
        ExportError,
        load_export,
    )

    line, column = doc.position(("previous",))
    try:
        previous = load_export(folder / value)
    except ExportError as exc:
        where = f" (line {exc.line}, column {exc.column})" if str(exc).startswith("not valid JSON") else ""
        report.add(doc.path, line, column, f"previous edition `{value}`: {exc}{where}")
        return None
    return previous
