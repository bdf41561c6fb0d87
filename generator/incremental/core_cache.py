"""The core's outputs for the site kept between two ``dossier build`` runs, keyed by every input file's content.

On a second build of unchanged dossiers the site's cost is no longer the
theme (:mod:`generator.incremental.page_cache`) but checking, linking and rendering
every dossier again. :func:`inputs_key` hashes every file under the dossiers
folder (path and bytes), the options that change the pages and the tool's
versions; :class:`SiteParts` is what the plugin needs of the core for a
build (navigation, page dates, pages, the files for other tools, the report to show, the
PDF briefings' cache keys), kept as JSON in the build cache. Any change to
any input file misses: every dossier is then checked and rendered again (the
pages and PDFs whose bytes are unchanged are still reused from the page
cache).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from ..core.errors import Diagnostic, Report
from ..render.pages import Page
from .page_cache import DiskStore, blob_key


def inputs_key(folder: Path, **options: object) -> str:
    """Every file under *folder* (its path and bytes), *options* and the tool's versions, hashed."""
    parts = [orjson.dumps(options, option=orjson.OPT_SORT_KEYS, default=str),
             os.environ.get("SOURCE_DATE_EPOCH", "").encode()]
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            parts.append(f"{path.relative_to(folder).as_posix()}\0".encode() + path.read_bytes())
    return "core-" + blob_key(*parts)


@dataclass
class SiteParts:
    """What the plugin needs of the core for one build, whether just made or kept."""

    nav: list
    dates: dict[str, str]
    """dossier id -> its pages' date (the first day of its ``as_of``)."""
    pages: list[Page]
    exports: dict[str, str]
    """site path -> each file published for other tools (``<id>/<id>.json``, ``.ftm.jsonl``, ``.annotations.jsonld``)."""
    report: Report = field(default_factory=Report)
    pdfs: dict[str, str] = field(default_factory=dict)
    """dossier id -> the cache key of its PDF briefing."""
    pdf_bytes: dict[str, bytes] = field(default_factory=dict)
    """dossier id -> its PDF briefing, once read from the cache."""
    languages: dict[str, str] = field(default_factory=dict)
    """dossier id -> its language (its pages' ``lang``, the search's languages)."""
    previews: dict[str, str] = field(default_factory=dict)
    """dossier id -> its previews' JSON (``<id>/previews.json``)."""

    def to_json(self) -> bytes:
        return orjson.dumps({
            "nav": self.nav, "dates": self.dates, "published": self.exports, "pdfs": self.pdfs, "languages": self.languages,
            "previews": self.previews,
            "pages": [[p.src_uri, p.url, p.title, p.markdown] for p in self.pages],
            "report": [[d.path, d.line, d.column, d.severity, d.message] for d in self.report.diagnostics]})

    @classmethod
    def from_json(cls, content: bytes) -> SiteParts | None:
        """The parts in *content*, or None if it is not what :meth:`to_json` writes."""
        try:
            data = orjson.loads(content)
            pages = [Page(*(str(x) for x in row)) for row in data["pages"] if len(row) == 4]
            report = Report([Diagnostic(str(p), int(line), int(col), sev, str(msg))
                             for p, line, col, sev, msg in data["report"]])
            parts = cls(list(data["nav"]), dict(data["dates"]), pages, dict(data["published"]), report,
                        dict(data["pdfs"]), languages=dict(data["languages"]), previews=dict(data["previews"]))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None
        return parts if len(pages) == len(data["pages"]) else None


def kept_parts(store: DiskStore, key: str, pdf: bool) -> SiteParts | None:
    """The parts kept under *key*, when they (and, with *pdf*, every PDF they name, read into
    :attr:`SiteParts.pdf_bytes`) are whole."""
    content = store.blob(key)
    parts = SiteParts.from_json(content) if content is not None else None
    if parts is None or not pdf:
        return parts
    if set(parts.pdfs) != set(parts.dates):
        return None
    for id_, pdf_key in parts.pdfs.items():
        briefing = store.blob(pdf_key)
        if briefing is None:
            return None
        parts.pdf_bytes[id_] = briefing
    return parts
