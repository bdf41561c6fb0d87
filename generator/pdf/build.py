"""The PDF briefing of one linked dossier: data, network figure, Typst.

The document date is the dossier's ``as_of`` date, or ``SOURCE_DATE_EPOCH``
when set, so the same input always gives the same bytes.
"""

from __future__ import annotations

import calendar
import os
from typing import Iterable

from ..link import Linked
from ..render.graph import network_svg
from .compile import compile_pdf, typst_source_files
from .data import pdf_data


def document_timestamp(linked: Linked) -> int:
    """UNIX time of the document: ``SOURCE_DATE_EPOCH`` or noon UTC on the as-of date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return int(epoch)
    day = linked.dossier.meta.as_of.start.first_day()
    return calendar.timegm((day.year, day.month, day.day, 12, 0, 0))


def dossier_sources(linked: Linked) -> dict[str, bytes]:
    """The Typst project (main.typ, template, data, network) for *linked*."""
    return typst_source_files(pdf_data(linked), network_svg(linked, None))


def dossier_pdf(linked: Linked, font_paths: Iterable[str] = ()) -> bytes:
    """The PDF briefing of *linked*, as bytes."""
    return compile_pdf(pdf_data(linked), network_svg(linked, None), font_paths=font_paths,
                       timestamp=document_timestamp(linked))
