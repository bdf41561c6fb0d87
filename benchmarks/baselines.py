"""The floors of the site and PDF figures that do not go through the project's pages.

* :func:`write_facts_site`: plain MkDocs + Material building the dossier's
  facts as one simple Markdown page per entity (:mod:`plain_pages`), with a
  small navigation and no plugin.
* :func:`write_plain_typst`: Typst typesetting the dossier's text, as many
  characters as the briefing's data holds, as plain justified paragraphs in
  the briefing's page size, font and language: no tables, footnotes, links
  or headings.
* :func:`output_sizes`: a built site's size and its search index's.

Run by ``run.py`` in a fresh Python before the timed runs (untimed).
"""

from __future__ import annotations

import json
from pathlib import Path

PLAIN_TYPST = """#set page(paper: "a4", margin: (x: 2.3cm, top: 3.1cm, bottom: 2.7cm))
#set text(font: ("Libertinus Serif",), size: 10.5pt, lang: "fr", hyphenate: true)
#set par(justify: true, leading: 0.62em, spacing: 0.95em)
#for p in json("text.json") { p; parbreak() }
"""
"""The plain-text document: every paragraph of ``text.json`` as a string value, justified."""


def _prepared(dossier: str):
    from generator.pipeline.stages import prepare

    linked, report = prepare(Path(dossier))
    if report.errors or len(linked) != 1:
        raise SystemExit(f"{dossier}: not one dossier without errors")
    return linked[0]


def write_facts_site(dossier: str, dest: str) -> None:
    """The dossier's facts as plain Markdown pages in ``dest/docs``, with a plugin-free ``mkdocs.yml``."""
    import run
    from plain_pages import write_plain_pages

    folder = Path(dest)
    run.remove(folder)
    nav = write_plain_pages(_prepared(dossier), folder / "docs")
    run.write_config(folder, run.mkdocs_config(plugin=False, nav=nav))


def write_plain_typst(dossier: str, dest: str) -> None:
    """``main.typ`` and ``text.json`` in *dest*: the strings of the briefing's data as plain paragraphs."""
    import run

    from generator.pdf.briefing import dossier_sources

    folder = Path(dest)
    run.remove(folder)
    folder.mkdir(parents=True)
    data = json.loads(dossier_sources(_prepared(dossier))["data.json"])
    data.pop("labels", None)
    data.pop("document", None)
    paragraphs = _paragraphs(_strings(list(data.values())))
    (folder / "text.json").write_text(json.dumps(paragraphs, ensure_ascii=False), encoding="utf-8")
    (folder / "main.typ").write_text(PLAIN_TYPST, encoding="utf-8")


PARAGRAPH_CHARS = 600
"""About the length of a paragraph of the plain text (a claim and its quotes, a summary)."""


def _paragraphs(strings: list[str]) -> list[str]:
    """*strings* in order, joined into paragraphs of about :data:`PARAGRAPH_CHARS` characters.

    Paragraphs of ordinary length: one paragraph per list of the data (as an
    earlier version made) gave paragraphs of tens of thousands of characters,
    whose line breaking alone made the floor slower than the briefing.
    """
    paragraphs, current = [], ""
    for string in strings:
        current = f"{current} {string}" if current else string
        if len(current) >= PARAGRAPH_CHARS:
            paragraphs.append(current)
            current = ""
    return paragraphs + ([current] if current else [])


def _strings(value) -> list[str]:
    """Every string in *value* (a JSON value), in order, keys and anchors left out."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, v in value.items() if key not in ("anchor", "key", "source_anchor", "target", "t", "type")
                for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def output_sizes(site: Path) -> tuple[int, int]:
    """The bytes of every file of a built site, and of its search index."""
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    index = site / "search" / "search_index.json"
    return total, index.stat().st_size if index.exists() else 0


def text_length(folder: Path) -> int:
    """The characters of the plain-text document in *folder*."""
    return sum(len(p) for p in json.loads((folder / "text.json").read_text(encoding="utf-8")))
