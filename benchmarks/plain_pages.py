"""The facts of a dossier as plain Markdown pages: the site benchmark's floor.

One simple page per entity (its fields as a list, its texts as paragraphs,
its claims, roles and hypotheses as list items each followed by the quotes it
cites; a source page ends with the source's text) and one index page per
kind, under a small navigation: what plain MkDocs + Material would build for
the same facts, with none of the project's work (checking, linking, evidence
pages, citations numbered per page, backlinks, timeline, network).
``[[links]]`` become ordinary Markdown links between the pages.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.core import model as m
from generator.core.kinds import shown_folders
from generator.core.link import Linked, entity_title, kind_of
from generator.core.model import LINK_PATTERN

_LINK = re.compile(LINK_PATTERN)
_SKIP = {"id", "name", "title", "question", "cite"}


def write_plain_pages(linked: Linked, docs: Path) -> list:
    """Write the dossier's plain pages under *docs*; the navigation (home and one index per kind)."""
    d = linked.dossier
    pages = {"index.md": _home(linked)}
    for folder in shown_folders():
        entities = list(d.table(folder).values())
        pages[f"{folder}/index.md"] = f"# {folder}\n\n" + "".join(
            f"- [{_title(e, d)}]({e.id}.md)\n" for e in entities)
        for entity in entities:
            pages[f"{folder}/{entity.id}.md"] = entity_page(entity, d)
    for path, text in pages.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return [{"Accueil": "index.md"}] + [{folder: f"{folder}/index.md"} for folder in shown_folders()]


def _home(linked: Linked) -> str:
    meta = linked.dossier.meta
    body = f"# {meta.title}\n\n{_text(meta.summary, '', linked.dossier)}\n\n"
    claims = "".join(_claim(c, "", linked.dossier) for c in meta.key_judgments)
    return body + (f"## key_judgments\n\n{claims}\n" if claims else "")


def _title(entity: m.Entity, d: m.Dossier) -> str:
    return entity_title(entity, d).replace("[", "(").replace("]", ")")


def entity_page(entity: m.Entity, d: m.Dossier) -> str:
    """One entity as a simple Markdown page: title, fields, texts, lists of claims with their quotes."""
    here = f"{kind_of(entity)}s"
    fields, sections = [], []
    for key in type(entity).model_fields:
        value = getattr(entity, key)
        if key in _SKIP or value in (None, [], ""):
            continue
        if isinstance(value, list) and isinstance(value[0], m.Model):
            items = "".join(_claim(item, here, d) for item in value)
            sections.append(f"## {key}\n\n{items}")
        elif isinstance(value, str) and ("\n" in value.strip() or len(value) > 120):
            sections.append(f"## {key}\n\n{_text(value, here, d)}\n")
        elif isinstance(value, m.Model):
            sections.append(f"## {key}\n\n{_claim(value, here, d)}")
        else:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            fields.append(f"- **{key}**: {_text(shown, here, d)}\n")
    text = getattr(entity, "text", "") if isinstance(entity, m.Source) else ""
    if text:
        sections.append("## text\n\n" + text.strip() + "\n")
    return f"# {_title(entity, d)}\n\n" + "".join(fields) + "\n" + "\n".join(sections)


def _claim(item: m.Model, here: str, d: m.Dossier) -> str:
    """A claim (role, hypothesis, participant) as a list item, its quotes as sub-items."""
    parts = [str(getattr(item, key)) for key in type(item).model_fields
             if key != "cite" and getattr(item, key) not in (None, [], "")]
    line = _text(" — ".join(parts), here, d).replace("\n", " ")
    quotes = "".join(f"    - « {c.quote} » ({_link(c.source, here, d)})\n" for c in getattr(item, "cite", []))
    return f"- {line}\n{quotes}"


def _text(text: str, here: str, d: m.Dossier) -> str:
    """Markdown text with ``[[links]]`` made Markdown links to the entities' pages."""
    return _LINK.sub(lambda match: _link(match.group(1).strip(), here, d, match.group(2)), str(text))


def _link(id_: str, here: str, d: m.Dossier, label: str | None = None) -> str:
    entity = d.entity(id_)
    if entity is None:
        return label or id_
    prefix = "" if f"{kind_of(entity)}s" == here else f"../{kind_of(entity)}s/" if here else f"{kind_of(entity)}s/"
    return f"[{(label or _title(entity, d)).strip()}]({prefix}{id_}.md)"
