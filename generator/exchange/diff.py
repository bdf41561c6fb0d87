"""What changed between two editions of a dossier (``dossier diff``, and the editions section).

Both editions are compared as exports (:mod:`generator.exchange.export`), so a frozen
edition and a dossier folder compare alike. Changes come in five groups, in
this order: questions (status, answer, hypotheses and their likelihood),
entities added or removed, claims added, removed or changed, key assumptions
(the dossier's and each question's, matched by id) added, removed or changed,
sources added or removed. Each change names the entity it belongs to.

Claims have no id in the format, and their page anchors (``claim-2``) move when
a claim is inserted above. So the claims of one owner (an entity, or the
dossier for key judgments) are matched across editions like this:

1. a claim whose text is the same (white space aside) is the same claim;
2. the others are paired by score, best first: the similarity of their texts
   (0 to 1, :class:`difflib.SequenceMatcher`) plus half the share of their
   citations they have in common; a pair scoring under 0.6 is no match;
3. what is left is added (new edition) or removed (old edition).

A matched claim whose text, date, confidence, citations (their quotes and
translations), contradicting passages (``disputed_by``) or assumptions (``assumes``) differ is changed. Hypotheses of a question are
matched the same way; a matched one whose text, likelihood, citations or
contrary passages (``against``) differ is changed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from ..core.kinds import order, shown
from .export import (
    Export,
    ExportedAssumption,
    ExportedCitation,
    ExportedClaim,
    ExportedEntity,
    ExportedHypothesis,
    ExportedQuestion,
)

GROUPS = ("questions", "entities", "claims", "assumptions", "sources")
"""The groups of changes, in the order they are told."""
FIELD_ORDER = ("", "status", "answer", "hypothesis", "assumption", "text", "date", "confidence", "likelihood",
               "citations", "disputed_by", "against", "assumes", "why", "wrong_if")
"""The order of an item's changed fields: the order of the format's own fields."""
MATCH_THRESHOLD = 0.6
"""The lowest score at which two claims of different text are the same claim."""


@dataclass(frozen=True)
class Change:
    """One difference between two editions."""

    group: str
    """``questions``, ``entities``, ``claims`` or ``sources``."""
    action: Literal["added", "removed", "changed"]
    """What happened to the item."""
    kind: str
    """The kind of the entity the item belongs to (``dossier`` for key judgments)."""
    id: str
    """That entity's id (the dossier's id for key judgments)."""
    title: str
    """That entity's title, in the edition that has it (the new one when both do)."""
    anchor: str = ""
    """The item's anchor on the entity's page (``claim-3``, ``hypothesis-1``), in the new edition when it
    is there; empty for the entity itself."""
    field: str = ""
    """What changed: ``status``, ``answer``, ``likelihood``, ``hypothesis``, ``text``, ``date``,
    ``confidence``, ``citations``, ``disputed_by`` (a claim's), ``against`` (a hypothesis's), ``assumes``,
    ``assumption`` (one added or removed), ``why`` or ``wrong_if`` (an assumption's); empty when the whole
    item is added or removed."""
    old: str | None = None
    """The old value (or the removed item's text)."""
    new: str | None = None
    """The new value (or the added item's text)."""
    text: str | None = None
    """For a changed claim or hypothesis: its text in the new edition."""
    plus: tuple[str, ...] = ()
    """For changed citations (``citations``, ``disputed_by``, ``against``): each one added (``source: «quote»``)."""
    minus: tuple[str, ...] = ()
    """For changed citations: each one removed."""

    def sort_key(self) -> tuple:
        return (GROUPS.index(self.group), order()[self.kind], self.id, _anchor_key(self.anchor),
                ("removed", "changed", "added").index(self.action), FIELD_ORDER.index(self.field))


def _anchor_key(anchor: str) -> tuple:
    match = re.fullmatch(r"(.*?)-?(\d+)", anchor)
    return (match.group(1), int(match.group(2))) if match else (anchor, 0)


def diff(old: Export, new: Export) -> list[Change]:
    """Every change from *old* to *new*, grouped and sorted."""
    changes: list[Change] = []
    changes += _claim_changes("dossier", new.id, new.title, old.key_judgments, new.key_judgments)
    changes += _assumption_changes("dossier", new.id, new.title, old.assumptions, new.assumptions)
    for one in shown():  # an export of an edition before a kind was declared has no list of it
        kind, group = one.name, one.diff_group
        before = {e.id: e for e in getattr(old, one.folder, [])}
        after = {e.id: e for e in getattr(new, one.folder, [])}
        changes += [Change(group, "added", kind, i, after[i].title, new=after[i].title) for i in after if i not in before]
        changes += [Change(group, "removed", kind, i, before[i].title, old=before[i].title) for i in before if i not in after]
        for id_ in (i for i in after if i in before):
            changes += _entity_changes(kind, before[id_], after[id_])
    return sorted(changes, key=Change.sort_key)


def _entity_changes(kind: str, old: ExportedEntity, new: ExportedEntity) -> list[Change]:
    changes = _claim_changes(kind, new.id, new.title, getattr(old, "claims", []), getattr(new, "claims", []))
    if isinstance(old, ExportedQuestion) and isinstance(new, ExportedQuestion):
        changes += _question_changes(old, new)
        changes += _assumption_changes(kind, new.id, new.title, old.assumptions, new.assumptions)
    return changes


def _assumption_changes(kind: str, id_: str, title: str, old: Sequence[ExportedAssumption],
                        new: Sequence[ExportedAssumption]) -> list[Change]:
    """Key assumptions of one owner, matched by id: added, removed, or changed in text, ``why`` or ``wrong_if``."""
    before, after = {a.id: a for a in old}, {a.id: a for a in new}

    def change(action: Any, name: str, field: str, was: str | None, now: str | None, text: str | None = None) -> Change:
        anchor = f"assumption-{name}" if action != "removed" else ""
        return Change("assumptions", action, kind, id_, title, anchor, field, was, now, text)

    changes = [change("added", a.id, "assumption", None, a.text) for a in new if a.id not in before]
    changes += [change("removed", a.id, "assumption", a.text, None) for a in old if a.id not in after]
    for name in (n for n in after if n in before):
        for field in ("text", "why", "wrong_if"):
            was, now = getattr(before[name], field), getattr(after[name], field)
            if was != now:
                changes.append(change("changed", name, field, was, now, after[name].text))
    return changes


def _question_changes(old: ExportedQuestion, new: ExportedQuestion) -> list[Change]:
    def change(action: Any, field: str, before: str | None, after: str | None, anchor: str = "") -> Change:
        return Change("questions", action, "question", new.id, new.title, anchor, field, before, after)

    changes = []
    if old.status != new.status:
        changes.append(change("changed", "status", old.status, new.status))
    if old.answer is None and new.answer is not None:
        changes.append(change("added", "answer", None, new.answer.text))
    elif old.answer is not None and new.answer is None:
        changes.append(change("removed", "answer", old.answer.text, None))
    elif old.answer is not None and new.answer is not None:
        for field, was, now, *signs in _claim_fields(old.answer, new.answer):  # the text as the answer, the rest as such
            if field == "text":
                changes.append(change("changed", "answer", was, now))
            else:
                changes.append(Change("questions", "changed", "question", new.id, new.title, "answer", field,
                                      was, now, new.answer.text, *signs))
    pairs, added, removed = match(old.hypotheses, new.hypotheses)
    for before, after in pairs:
        changes += [Change("questions", "changed", "question", new.id, new.title, after.anchor, field, was, now,
                           after.text, *signs) for field, was, now, *signs in _hypothesis_fields(before, after)]
    changes += [change("added", "hypothesis", None, h.text, h.anchor) for h in added]
    changes += [change("removed", "hypothesis", h.text, None) for h in removed]
    return changes


def _claim_changes(kind: str, id_: str, title: str, old: Sequence[ExportedClaim],
                   new: Sequence[ExportedClaim]) -> list[Change]:
    pairs, added, removed = match(old, new)
    changes = [Change("claims", "added", kind, id_, title, c.anchor, "", None, c.text) for c in added]
    changes += [Change("claims", "removed", kind, id_, title, "", "", c.text, None) for c in removed]
    for before, after in pairs:
        for field, was, now, *signs in _claim_fields(before, after):
            changes.append(Change("claims", "changed", kind, id_, title, after.anchor, field, was, now, after.text,
                                  *signs))
    return changes


Field = tuple[str, str | None, str | None, tuple[str, ...], tuple[str, ...]]
"""(field, old, new, citations added, citations removed)."""


def _claim_fields(old: ExportedClaim, new: ExportedClaim) -> Iterable[Field]:
    if old.text != new.text:
        yield "text", old.text, new.text, (), ()
    if (old.date and old.date.iso) != (new.date and new.date.iso):
        yield "date", old.date.iso if old.date else None, new.date.iso if new.date else None, (), ()
    if old.confidence != new.confidence:
        yield "confidence", old.confidence, new.confidence, (), ()
    yield from _cited_fields(old, new, "citations", "disputed_by")
    yield from _assumes_field(old, new)


def _assumes_field(old: Item, new: Item) -> Iterable[Field]:
    if sorted(old.assumes) != sorted(new.assumes):
        yield "assumes", ", ".join(old.assumes) or None, ", ".join(new.assumes) or None, (), ()


def _hypothesis_fields(old: ExportedHypothesis, new: ExportedHypothesis) -> Iterable[Field]:
    if old.text != new.text:
        yield "text", old.text, new.text, (), ()
    if old.likelihood != new.likelihood:
        yield "likelihood", old.likelihood, new.likelihood, (), ()
    yield from _cited_fields(old, new, "citations", "against")
    yield from _assumes_field(old, new)


Item = ExportedClaim | ExportedHypothesis


def _cited_fields(old: Item, new: Item, *fields: str) -> Iterable[Field]:
    """Each list of citations of *fields* that differs (as a set of source, quote and translation) between
    *old* and *new*, with the citations added and removed: a revised translation is a revised citation."""
    for field in fields:
        before, after = getattr(old, field), getattr(new, field)
        was, now = _translated_set(before), _translated_set(after)
        if was != now:
            plus = tuple(_citations_text([c]) or "" for c in after if _translated_key(c) not in was)
            minus = tuple(_citations_text([c]) or "" for c in before if _translated_key(c) not in now)
            yield field, _citations_text(before), _citations_text(after), plus, minus


def _cited(item: Item) -> set[tuple[str, str]]:
    return _cited_set(item.citations)


def _cited_set(citations: Sequence[ExportedCitation]) -> set[tuple[str, str]]:
    return {(c.source, _norm(c.quote)) for c in citations}


def _translated_key(citation: ExportedCitation) -> tuple[str, str, str]:
    return citation.source, _norm(citation.quote), _norm(citation.translation or "")


def _translated_set(citations: Sequence[ExportedCitation]) -> set[tuple[str, str, str]]:
    return {_translated_key(c) for c in citations}


def _citations_text(citations: Sequence[ExportedCitation]) -> str | None:
    """The citations on one line (``source: «quote» (translation: «…»); …``), or None for none."""
    return "; ".join(f"{c.source}: «{c.quote}»" + (f" (translation: «{c.translation}»)" if c.translation else "")
                     for c in citations) or None


def _norm(text: str) -> str:
    return " ".join(text.split())


def match(old: Sequence[Item], new: Sequence[Item]) -> tuple[list[tuple[Any, Any]], list[Any], list[Any]]:
    """Pair the claims (or hypotheses) of one owner across editions (see the module's docstring).

    Returns the matched pairs in the new edition's order, the new items left
    (added) and the old items left (removed), each in its edition's order.
    """
    pairs: dict[int, int] = {}
    by_text: dict[str, list[int]] = {}
    for index, item in enumerate(old):
        by_text.setdefault(_norm(item.text), []).append(index)
    for index, item in enumerate(new):
        same = by_text.get(_norm(item.text))
        if same:
            pairs[index] = same.pop(0)
    taken = set(pairs.values())
    scored = []
    for j, after in enumerate(new):
        for i, before in enumerate(old):
            if j not in pairs and i not in taken:
                score = _score(before, after)
                if score >= MATCH_THRESHOLD:
                    scored.append((-score, i, j))
    for _, i, j in sorted(scored):
        if j not in pairs and i not in taken:
            pairs[j] = i
            taken.add(i)
    matched = [(old[pairs[j]], new[j]) for j in sorted(pairs)]
    return matched, [n for j, n in enumerate(new) if j not in pairs], [o for i, o in enumerate(old) if i not in taken]


def _score(old: Item, new: Item) -> float:
    text = difflib.SequenceMatcher(None, _norm(old.text), _norm(new.text), autojunk=False).ratio()
    a, b = _cited(old), _cited(new)
    shared = len(a & b) / len(a | b) if a | b else 0.0
    return text + shared / 2


def changes_json(old: Export, new: Export, changes: list[Change]) -> dict[str, Any]:
    """The changes as the JSON ``dossier diff --format json`` prints."""
    return {"format": "dossier-diff", "version": 1,
            "old": {"id": old.id, "title": old.title, "as_of": old.as_of.iso},
            "new": {"id": new.id, "title": new.title, "as_of": new.as_of.iso},
            "changes": [asdict(change) for change in changes]}


# -- the report, as text or Markdown ---------------------------------------------

SYMBOLS = {"added": "+", "removed": "-", "changed": "~"}
HEADINGS = {"questions": "Questions", "entities": "Entities", "claims": "Claims", "assumptions": "Assumptions",
            "sources": "Sources"}
_QUOTED = {"text", "answer", "hypothesis", "citations", "disputed_by", "against", "assumption", "why", "wrong_if", ""}
"""Fields whose values are texts: shown in quotes, shortened."""


def short(text: str, limit: int = 100) -> str:
    """*text* on one line, cut with an ellipsis past *limit* characters."""
    text = _norm(text)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _value(field: str, value: str | None) -> str:
    if value is None:
        return "none"
    return f'"{short(value)}"' if field in _QUOTED else value


CITATION_FIELDS = ("citations", "disputed_by", "against")


def merged(changes: list[Change]) -> list[list[Change]]:
    """The changes one item at a time (a claim whose text and citations changed is one item), in order.

    Only changes of the same item follow each other in :func:`diff`'s order; an
    answer's text (told as the question's ``answer``) goes with its other fields.
    """
    items: list[list[Change]] = []
    for change in changes:
        if items and change.action == "changed" and _item(items[-1][0]) == _item(change):
            items[-1].append(change)
        else:
            items.append([change])
    return items


def _item(change: Change) -> tuple:
    answer = change.field == "answer" or change.anchor == "answer"
    return (change.group, change.action, change.kind, change.id, "answer" if answer else change.anchor,
            change.field == "status")


def item_name(change: Change, code: bool = False) -> str:
    """The item as a reader names it: ``key judgment 2``, ``hypothesis 1 of question x``, ``claim 3 of actor y``,
    ``assumption y`` (*code*: ids between backticks, for Markdown)."""
    number = re.fullmatch(r"(?:kj|claim|hypothesis)-(\d+)", change.anchor)
    n = f" {number.group(1)}" if number else ""
    owner = f"{change.kind} `{change.id}`" if code else f"{change.kind} {change.id}"
    if change.group in ("entities", "sources") or change.field == "status":
        return owner
    if change.group == "assumptions":
        name = change.anchor.removeprefix("assumption-")
        assumption = f"assumption `{name}`" if code and name else f"assumption {name}".rstrip()
        return assumption if change.kind == "dossier" else f"{assumption} of {owner}"
    if change.field == "answer" or change.anchor == "answer":
        return f"answer of {owner}"
    if change.field == "hypothesis" or change.anchor.startswith("hypothesis-"):
        return f"hypothesis{n} of {owner}"
    return f"key judgment{n}" if change.kind == "dossier" else f"claim{n} of {owner}"


def describe(change: Change) -> str:
    """What changed, after the item's name: ``status: open → answered``, ``citations: + a: «…», − b: «…»``."""
    if not change.field or (change.action != "changed" and change.field in ("answer", "hypothesis", "assumption")):
        return _value("", change.new if change.action == "added" else change.old)
    name = "text" if change.field == "answer" else change.field
    if change.field in CITATION_FIELDS:  # each citation added or removed, whole: a cut one could hide the change
        return f"{name}: " + ", ".join([f"+ {c}" for c in change.plus] + [f"− {c}" for c in change.minus])
    if change.action == "changed":
        return f"{name}: {_value(change.field, change.old)} → {_value(change.field, change.new)}"
    value = change.new if change.action == "added" else change.old
    return f"{name}: {_value(change.field, value)}"


def report_text(old: Export, new: Export, changes: list[Change]) -> str:
    """The plain-text report: a heading line, then each group with one line per item changed."""
    lines = [f"{new.id}: edition of {old.as_of.iso} → edition of {new.as_of.iso}"]
    if not changes:
        lines.append("no changes")
    for group in GROUPS:
        items = [item for item in merged(changes) if item[0].group == group]
        if items:
            lines.append(f"{HEADINGS[group]}:")
            lines += [f"  {SYMBOLS[item[0].action]} {item_name(item[0])}: {'; '.join(map(describe, item))}"
                      for item in items]
    return "\n".join(lines) + "\n"


def report_markdown(old: Export, new: Export, changes: list[Change]) -> str:
    """The report in Markdown: a heading, then a section per group with one bullet per item changed."""
    parts = [f"# Changes: {new.title}", f"From the edition of {old.as_of.iso} to the edition of {new.as_of.iso}."]
    if not changes:
        parts.append("No changes.")
    for group in GROUPS:
        items = [item for item in merged(changes) if item[0].group == group]
        if items:
            bullets = [f"- **{item[0].action}** {item_name(item[0], code=True)}: {'; '.join(map(describe, item))}"
                       for item in items]
            parts.append(f"## {HEADINGS[group]}\n\n" + "\n".join(bullets))
    return "\n\n".join(parts) + "\n"
