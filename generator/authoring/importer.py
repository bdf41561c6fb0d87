"""Importing a source document: a saved web page, a PDF or a text file.

``dossier add source DOSSIER ID --from FILE`` keeps the document's main text
(for a web page, trafilatura's extraction: no navigation, scripts, footer or
comments; for a PDF, pypdf's text layer) with its paragraphs, and fills the
source's ``title``, ``outlet``, ``published``, ``url`` and ``language`` from the
document's metadata where it has them. What it could not find is said, so
the analyst knows what to fill in by hand; what it guessed is named in a
note. A date comes only from where the document states it
(:mod:`generator.authoring.datelines`): never from its body, never today's.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.quotes import nfc
from .datelines import html_published, read_top, top_dateline

FIELDS = ("title", "outlet", "author", "published", "url", "language")
"""The metadata an import may fill."""


class ImportError_(Exception):
    """The file cannot be imported (unreadable, no text); the message says why."""


@dataclass
class Imported:
    """A document's text and the metadata found in it."""

    text: str
    """The main text, paragraphs separated by a blank line, ending with a newline."""
    metadata: dict[str, str] = field(default_factory=dict)
    """Field -> value found (``title``, ``outlet``, ``author``, ``published``, ``url``, ``language``), and
    ``file_sha256``: the SHA-256 of the file read."""
    notes: list[str] = field(default_factory=list)
    """What could not be found or was guessed, for the analyst."""


def import_document(path: Path) -> Imported:
    """Read *path* by its kind (``.html``/``.htm``, ``.pdf``, anything else as UTF-8 text)."""
    suffix = path.suffix.lower()
    reader = _read_html if suffix in (".html", ".htm", ".xhtml") else _read_pdf if suffix == ".pdf" else _read_text
    imported = reader(path)
    imported.text = _paragraphs(imported.text)
    if not imported.text.strip():
        raise ImportError_("no text found in the file" + (" (a scanned PDF has no text layer: run OCR first)"
                                                          if suffix == ".pdf" else ""))
    imported.metadata = {key: " ".join(value.split()) for key, value in imported.metadata.items() if value and value.strip()}
    missing = [key for key in FIELDS if key not in imported.metadata]
    if missing:
        imported.notes.append(f"not found in the document: {', '.join(missing)}; fill "
                              f"{'it' if len(missing) == 1 else 'them'} in by hand")
    if "published" in missing:
        imported.notes.append("published: left as the placeholder YYYY-MM-DD (never a date from the body, never "
                              "today's): `dossier check` rejects it until you write the date")
    imported.metadata["file_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return imported


def _paragraphs(text: str) -> str:
    """NFC text, one blank line between paragraphs, no trailing spaces."""
    lines = [line.rstrip() for line in nfc(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")]
    blocks = re.split(r"\n\s*\n", "\n".join(lines).strip())
    return "\n\n".join(block.strip() for block in blocks if block.strip()) + "\n"


def _read_html(path: Path) -> Imported:
    import trafilatura  # about 0.3 s of modules, only for an HTML page

    html = _decode(path.read_bytes())
    text = trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=True,
                               include_links=False, include_images=False, deduplicate=False)
    found = trafilatura.extract_metadata(html)
    meta = found.as_dict() if found is not None else {}
    # trafilatura writes one paragraph a line: a blank line between paragraphs, as the format's texts have
    text = (text or "").replace("\n", "\n\n")
    lang = re.search(r"<html[^>]*\slang\s*=\s*[\"']?([A-Za-z]{2,3})", html, re.IGNORECASE)
    # the date only from the page's metadata or a dateline at the top: trafilatura's own guess may come from the body
    published = html_published(html)
    notes: list[str] = []
    if not published:
        published, notes = top_dateline(text)
    metadata = {"title": meta.get("title") or "", "outlet": meta.get("sitename") or "", "author": meta.get("author") or "",
                "published": published, "url": _http(meta.get("url")),
                "language": (lang.group(1).lower() if lang else meta.get("language") or "")}
    return Imported(text, metadata, notes)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _http(url: str | None) -> str:
    return url if url and re.match(r"^https?://\S+$", url, re.IGNORECASE) else ""


def _read_pdf(path: Path) -> Imported:
    from pypdf import PdfReader  # only for a PDF
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        pages = [page.extract_text() or "" for page in reader.pages]
        info: dict[str, Any] = reader.metadata or {}
        root = reader.trailer["/Root"]
        lang = str(root.get("/Lang", "")) if hasattr(root, "get") else ""
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise ImportError_(f"cannot read the PDF: {exc}") from None
    notes = []
    published = ""
    created = getattr(info, "creation_date", None)
    if isinstance(created, datetime.datetime) and created.date() >= datetime.date.today():
        notes.append("the PDF was made today (saved or printed, not published): its date is not taken")
    elif isinstance(created, datetime.datetime):
        published = created.date().isoformat()
        notes.append(f"published: {published} is the PDF's creation date; check it against the document")
    metadata = {"title": str(info.get("/Title", "") or ""), "author": str(info.get("/Author", "") or ""),
                "published": published, "language": lang.split("-")[0].lower()}
    return Imported("\n\n".join(pages), metadata, notes)


def _read_text(path: Path) -> Imported:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportError_("not UTF-8 text: save the file as UTF-8 (or give the HTML page or the PDF)") from None
    metadata, notes, title = read_top(text)
    return Imported(text, {**metadata, "title": title}, notes)
