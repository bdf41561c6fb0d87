"""A dossier's PDF briefing kept between two ``dossier build`` runs, keyed by exactly what Typst reads.

The key is the Typst project (template, data, network figure: every byte
Typst is given), the document's timestamp, the extra fonts' contents and the
tool's versions (:func:`generator.incremental.page_cache.blob_key`). A kept briefing is
reused only when all of these are the same, so it is the PDF Typst would
make again. The font warnings are found again either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..core.link import Linked
from ..incremental.page_cache import DiskStore, blob_key
from .briefing import document_timestamp, dossier_sources, font_warnings


def pdf_key(linked: Linked, font_paths: Iterable[str]) -> str:
    """What the briefing of *linked* is made of, hashed."""
    parts = [f"{name}\0".encode() + content for name, content in sorted(dossier_sources(linked).items())]
    parts.append(str(document_timestamp(linked)).encode())
    for folder in font_paths:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                parts.append(f"font:{path}\0".encode() + path.read_bytes())
    return "pdf-" + blob_key(*parts)


def kept_pdf(linked: Linked, font_paths: list[str], store: DiskStore, warn=None) -> bytes | None:
    """The briefing kept from an earlier build, after its font warnings; None when there is none."""
    pdf = store.blob(pdf_key(linked, font_paths))
    if pdf is not None and warn is not None:
        warn(font_warnings(linked, font_paths))
    return pdf


def keep_pdf(linked: Linked, font_paths: list[str], store: DiskStore, pdf: bytes) -> None:
    """Keep the briefing just typeset for the next build."""
    store.keep_blob(pdf_key(linked, font_paths), pdf)
