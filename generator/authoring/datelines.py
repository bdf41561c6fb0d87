"""What an import may read as a document's date and title, and nothing else.

A publication date comes only from where a document states it: a web
page's metadata (``<meta>`` tags such as ``article:published_time``,
microdata and JSON-LD ``datePublished``), or an unmistakable dateline at the top of its text (a
line that is a whole date, ``Friday, March 10, 2023``, ``10 mars 2023``,
``2023-03-10``, maybe after ``Published:``, ``Date :`` or ``Publié le``).
Never a date from the body, never today's. A text's header lines
(``title: …``, ``date: …``) are read as such and kept out of the title; a
title taken from a long first line is cut at a word, never inside one.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from typing import Any

PUBLISHED_META = ("article:published_time", "datepublished", "date", "dc.date", "dc.date.issued", "dcterms.issued",
                  "dcterms.created", "dcterms.date", "pubdate", "publishdate", "publish-date", "publication_date",
                  "citation_publication_date", "citation_date", "parsely-pub-date", "sailthru.date", "og:published_time")
"""``<meta name|property|itemprop>`` values (lowercase) that state when a page was published, in order of trust."""

_MONTHS = {name: number for number, names in enumerate([
    ("january", "jan", "janvier", "janv"), ("february", "feb", "février", "fevrier", "févr", "fevr", "fév"),
    ("march", "mar", "mars"), ("april", "apr", "avril", "avr"), ("may", "mai"), ("june", "jun", "juin"),
    ("july", "jul", "juillet", "juil"), ("august", "aug", "août", "aout"),
    ("september", "sep", "sept", "septembre"), ("october", "oct", "octobre"),
    ("november", "nov", "novembre"), ("december", "dec", "décembre", "decembre", "déc")], start=1)
    for name in names}
_WEEKDAY = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|"
            r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\.?,?\s+")
_LABEL = r"(?:(?:published|posted|date|publié|publiée|le)(?:\s+(?:on|le))?\s*:?\s+)?"  # not "updated": a later date
_MONTH = r"([a-zéû]+)\.?"
_TIME = r"(?:\s*(?:,|à|at|-|–)?\s*\d{1,2}(?:[:h.]\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4}|\s*GMT[+-]?\d*)?)?"
_DATELINE = [  # each a whole line: (pattern, order of the groups)
    (re.compile(rf"^{_LABEL}(\d{{4}})-(\d{{2}})-(\d{{2}}){_TIME}\.?$", re.IGNORECASE), "ymd"),
    (re.compile(rf"^{_LABEL}(?:{_WEEKDAY})?{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}}){_TIME}\.?$",
                re.IGNORECASE), "mdy"),
    (re.compile(rf"^{_LABEL}(?:{_WEEKDAY})?(\d{{1,2}})(?:er|st|nd|rd|th)?\s+{_MONTH}\s+(\d{{4}}){_TIME}\.?$",
                re.IGNORECASE), "dmy"),
]
_HEADER = re.compile(r"^(title|titre|date|published|publié|source|outlet|url|author|auteur|language|langue)\s*:\s*(.+)$",
                     re.IGNORECASE)
_HEADER_KEYS = {"title": "title", "titre": "title", "date": "published", "published": "published", "publié": "published",
                "source": "outlet", "outlet": "outlet", "url": "url", "author": "author", "auteur": "author",
                "language": "language", "langue": "language"}
_UPDATED = re.compile(r"^(?:last\s+)?(?:updated|modified|mis à jour|modifié)\b", re.IGNORECASE)
_STRAY = re.compile(r"\s+(?:date|published|publié)\s*:?\s*\d{4}(?:-\d{2}){0,2}\s*$", re.IGNORECASE)
TITLE_LIMIT = 150
"""A first line longer than this is cut, at a word, to make a title."""


def iso_date(text: str) -> str:
    """``2023-03-10`` (or ``2023-03``) from a metadata value (``2023-03-10T08:00:00+03:30``), or ""."""
    match = re.match(r"^\s*(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ]|$)", text or "")
    if not match:
        return dateline(text or "")
    year, month, day = match.groups()
    return _valid(int(year), int(month), int(day)) if day else (f"{year}-{month}" if 1 <= int(month) <= 12 else "")


def dateline(line: str) -> str:
    """The date a whole line states (``Friday, March 10, 2023`` -> ``2023-03-10``), or ""."""
    text = " ".join(line.split()).strip(" |·—–-")
    for pattern, order in _DATELINE:
        match = pattern.match(text)
        if match is None:
            continue
        parts = dict(zip(order, match.groups()))
        month = parts["m"] if parts["m"].isdigit() else _MONTHS.get(parts["m"].lower().rstrip("."))
        if month is None:
            continue
        return _valid(int(parts["y"]), int(month), int(parts["d"]))
    return ""


def _valid(year: int, month: int, day: int) -> str:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return ""


def html_published(html: str) -> str:
    """When a web page says it was published, from its metadata only (``<meta>``, then JSON-LD), or ""."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError, SyntaxError):
        return ""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key in PUBLISHED_META and key not in found:
            found[key] = iso_date(meta.get("content") or "")
    for key in PUBLISHED_META:
        if found.get(key):
            return found[key]
    for element in tree.xpath('//*[@itemprop="datePublished"]'):  # microdata, e.g. <time itemprop=… datetime=…>
        stated = iso_date(element.get("datetime") or element.get("content") or "")
        if stated:
            return stated
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json":
            for value in _json_ld_dates(script.text or ""):
                if iso_date(value):
                    return iso_date(value)
    return ""


def _json_ld_dates(text: str) -> Iterator[str]:
    try:
        data = json.loads(text)
    except ValueError:
        return
    stack: list[Any] = [data]
    while stack:
        node = stack.pop(0)
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if isinstance(node.get("datePublished"), str):
                yield node["datePublished"]
            stack.extend(value for value in node.values() if isinstance(value, (dict, list)))


def top_dateline(text: str) -> tuple[str, list[str]]:
    """The date of a dateline among the first three lines of *text*, with its note; ``("", [])`` when none."""
    for line in [line.strip() for line in text.splitlines() if line.strip()][:3]:
        date = dateline(line)
        if date:
            return date, [f"published: {date}, read from the dateline at the top (“{line}”); check it"]
    return "", []


def read_top(text: str) -> tuple[dict[str, str], list[str], str]:
    """A plain text's header: ``(metadata, notes, title)``.

    Reads the header lines at the top (``date: 2023-03``, ``source: Mehr``)
    and a dateline among the first three lines; the title is the first other
    line, without a stray header token (``… date 2023-03``), cut at a word
    when long. Each guess is named in a note.
    """
    metadata: dict[str, str] = {}
    notes: list[str] = []
    title = title_note = ""
    for index, line in enumerate(line.strip() for line in text.splitlines() if line.strip()):
        header = _HEADER.match(line)
        value = _header_value(header) if header else ""
        if header and value:  # a header line, wherever the top lines are headers
            metadata.setdefault(_HEADER_KEYS[header.group(1).lower()], value)
            continue
        if index >= 3:
            break
        if _UPDATED.match(line):
            continue  # when it was changed, not published: neither the date nor the title
        date = dateline(line)
        if date:
            if "published" not in metadata:
                metadata["published"] = date
                notes.append(f"published: {date}, read from the dateline at the top (“{line}”); check it")
        elif not title:
            title, title_note, stray = _title(line)
            if stray and "published" not in metadata and iso_date(stray.split()[-1]):
                metadata["published"] = iso_date(stray.split()[-1])
                notes.append(f"published: {metadata['published']}, read from “{stray.strip()}” at the end of the "
                             "first line (left out of the title); check it")
    if metadata.keys() - {"published"} or ("published" in metadata and not notes):
        notes.insert(0, f"read from the header lines at the top: {', '.join(sorted(metadata))}; check them")
    if "title" in metadata:
        return metadata, notes, metadata.pop("title")
    return metadata, notes + ([title_note] if title_note else []), title


def _header_value(header: re.Match[str]) -> str:
    """The value of a header line, or "" when it is not one such a header holds (``Language: a barrier``)."""
    key, value = _HEADER_KEYS[header.group(1).lower()], header.group(2).strip()
    if key == "published":
        return iso_date(value)
    if key == "language":
        return value.lower() if re.fullmatch(r"[A-Za-z]{2,3}", value) else ""
    if key == "url":
        return value if re.fullmatch(r"https?://\S+", value) else ""
    prose = value.endswith((".", "!", "?", "…")) or len(value.split()) > (20 if key == "title" else 8)
    return "" if prose else value  # `Source: officials say the talks went well.` is a sentence


def _title(line: str) -> tuple[str, str, str]:
    """``(title, note, stray token left out)`` from a first line."""
    stray = _STRAY.search(line)
    token = stray.group(0) if stray else ""
    if stray:
        line = line[:stray.start()].rstrip()
    if len(line) <= TITLE_LIMIT:
        return line, "title: taken from the first line of the text; check it", token
    cut = line[:TITLE_LIMIT + 1].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return cut + " …", f"title: the first line is long: cut after {len(cut.split())} words; check it", token
