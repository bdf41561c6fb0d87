"""A dossier's PDF briefing kept between two ``dossier build`` runs, keyed by exactly what Typst reads.

The key is the Typst project (template, data, network figure: every byte
Typst is given), the document's timestamp, the extra fonts' contents and the
tool's versions (:func:`generator.incremental.page_cache.blob_key`). A kept briefing is
reused only when all of these are the same, so it is the PDF Typst would
make again. The font warnings are found again either way (:func:`.pool.typeset_all`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..core.link import Linked
from ..incremental.page_cache import DiskStore, blob_key
from .briefing import document_timestamp, dossier_sources


def pdf_key(linked: Linked, font_paths: Iterable[str]) -> str:
    """What the briefing of *linked* is made of, hashed."""
    parts = [f"{name}\0".encode() + content for name, content in sorted(dossier_sources(linked).items())]
    parts.append(str(document_timestamp(linked)).encode())
    for folder in font_paths:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                parts.append(f"font:{path}\0".encode() + path.read_bytes())
    return "pdf-" + blob_key(*parts)


class KeptPdfs:
    """The briefings kept in *store* for the extra fonts *font_paths*, for :func:`.pool.typeset_all`'s ``kept``
    and ``made``: each dossier's key is computed once, while its Typst project is the one at hand."""

    def __init__(self, store: DiskStore, font_paths: list[str]) -> None:
        self.store, self.fonts = store, font_paths
        self.keys: dict[str, str] = {}
        """Dossier id -> the key of its briefing (kept with the core's outputs)."""

    def kept(self, linked: Linked) -> bytes | None:
        """The briefing of *linked* kept from an earlier build; None when there is none."""
        key = self.keys[linked.dossier.id] = pdf_key(linked, self.fonts)
        return self.store.blob(key)

    def keep(self, linked: Linked, pdf: bytes) -> None:
        """Keep the briefing just typeset for the next build."""
        self.store.keep_blob(self.keys[linked.dossier.id], pdf)
