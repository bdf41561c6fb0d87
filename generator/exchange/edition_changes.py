"""The changes since the previous edition, worded: told on the dossier's home page and in the PDF.

:func:`since_previous` compares the previous edition (read by
:mod:`generator.exchange.editions`) with the current one (:mod:`generator.exchange.diff`) and
words each change in the dossier's language, as plain text: the site escapes
it, the PDF places it as a value, so nothing of it ever becomes markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..analysis.review import changed_item, needs_reason
from ..core import model as m
from ..core.dates import DateError, DateSpan
from ..core.link import Linked, plain_links
from ..core.words import label_colon, label_semicolon
from ..render.labels import labels, likelihood_label, quoted, word

if TYPE_CHECKING:
    from .diff import Change

# Imports inside functions: the comparison's and the export's modules (fifteen pydantic models)
# only for a dossier that names a previous edition; the site and the PDF of one that does not
# never need them.


@dataclass(frozen=True)
class ChangeItem:
    """One change as a reader sees it: a badge, the entity it concerns, what changed."""

    action: str
    """``added``, ``removed`` or ``changed`` (for styling)."""
    badge: str
    """The action, worded."""
    target: str | None
    """The entity's id in this edition (``""``: the dossier's home), or None when it is gone."""
    anchor: str
    """Where on the entity's page (``claim-3``), or empty."""
    kind: str
    """The entity's kind (``dossier`` for key judgments)."""
    title: str
    """The entity's title."""
    detail: str
    """What changed, worded (plain text)."""
    reason: str = ""
    """Why it changed (``why_changed``, its links as labels), or, for a judgment, confidence or likelihood
    changed without one, that the reason is missing; empty when none is asked."""
    reason_missing: bool = False
    """True when a reason is asked and none is given."""


@dataclass(frozen=True)
class ChangesSection:
    """The section "Since the edition of …"."""

    heading: str
    """``Depuis l'édition du 18 septembre 2023``."""
    items: list[ChangeItem]
    """Every change, in :func:`generator.exchange.diff.diff`'s order."""
    empty: str
    """What to say when there is no change."""


def since_previous(linked: Linked) -> ChangesSection | None:
    """What changed since the previous edition, worded; None when the dossier names none."""
    previous = linked.dossier.previous
    if previous is None:
        return None
    # the comparison's and the export's models only for a dossier with a previous edition
    from .diff import diff, merged
    from .export import export

    lang = linked.dossier.meta.language
    L = labels(lang)
    current = export(linked)
    words = _Words(linked.dossier)
    items = [words.item(changes) for changes in merged(diff(previous, current))]  # one line per item
    heading = L["since_edition"].format(date=words.date(previous.as_of.iso))
    return ChangesSection(heading, items, L["no_changes"])


class _Words:
    """Words one change in one language."""

    def __init__(self, dossier: m.Dossier):
        self.dossier, self.lang = dossier, dossier.meta.language
        self.L = labels(self.lang)

    def quote(self, text: str | None) -> str:
        """A claim's text, its ``[[links]]`` shown as their labels, shortened, between quotation marks."""
        from .diff import short  # as in since_previous: the comparison's module only for a previous edition

        return quoted(self.lang, short(plain_links(text or "", self.dossier), 160))

    def date(self, iso: str | None) -> str:
        if iso is None:
            return "—"
        try:
            return DateSpan.parse(iso).display(self.lang)
        except DateError:
            return iso

    def value(self, field: str, value: str | None) -> str:
        if value is None:
            return "—"
        if field == "date":
            return self.date(value)
        if field == "likelihood":
            return likelihood_label(self.lang, value)
        return word(self.lang, value)

    def item(self, changes: list[Change]) -> ChangeItem:
        """One item changed (all its fields: :func:`generator.exchange.diff.merged`), worded."""
        change = changes[0]
        badge = self.L[f"ch_{change.action}"]
        target: str | None = "" if change.kind == "dossier" else change.id
        if change.group in ("entities", "sources") and change.action == "removed":
            target = None
        anchor = "answer" if change.field == "answer" and change.action != "removed" else change.anchor
        reason, missing = self.reason(changes)
        return ChangeItem(change.action, badge, target, anchor, change.kind, change.title, self.detail(changes),
                          reason, missing)

    def reason(self, changes: list[Change]) -> tuple[str, bool]:
        """The item's stated reason (worded), or that it is missing where one is asked (see :mod:`generator.analysis.review`)."""
        change = changes[0]
        where = changed_item(self.dossier, change) if change.action == "changed" else None
        why = getattr(where[2], "why_changed", None) if where is not None else None
        colon = label_colon(self.lang)
        if why:
            return self.L["why_changed"] + colon + plain_links(" ".join(why.split()), self.dossier), False
        return (self.L["why_missing"], True) if any(needs_reason(c) for c in changes) else ("", False)

    def detail(self, changes: list[Change]) -> str:
        L, colon = self.L, label_colon(self.lang)
        change = changes[0]
        field = change.field
        if change.group in ("entities", "sources"):
            return L[f"kind_{change.kind}"]
        owner = self.owner(change)
        if change.action != "changed":  # a claim, an answer or a hypothesis added or removed
            return owner + colon + self.quote(change.new if change.action == "added" else change.old)
        if field == "status":
            return f"{L['status']}{colon}{self.value(field, change.old)} → {self.value(field, change.new)}"
        head = f"{owner} {self.quote(change.new if field == 'answer' else change.text)}"
        return head + colon + label_semicolon(self.lang).join(self.part(c) for c in changes)

    def owner(self, change: Change) -> str:
        """``Jugement clé 2``, ``Hypothèse 1``, ``Fait 3``, ``Réponse``, ``Postulat``: the item as a reader names it."""
        number = change.anchor.rsplit("-", 1)[-1] if change.anchor[-1:].isdigit() else ""
        if change.group == "assumptions":
            return self.L["ch_assumption"]
        if change.field == "answer" or change.anchor == "answer":
            return self.L["ch_answer"]
        if change.field == "hypothesis" or change.anchor.startswith("hypothesis-"):
            key = "ch_hypothesis"
        else:
            key = "ch_key_judgment" if change.kind == "dossier" else "ch_claim"
        return f"{self.L[key]} {number}".strip()

    def part(self, change: Change) -> str:
        """What one field of the item became."""
        L, colon, field = self.L, label_colon(self.lang), change.field
        if field in ("text", "answer"):
            return L["ch_text_revised"]
        if field in ("citations", "disputed_by", "against"):  # each passage added (+) or removed (−)
            signs = [f"+ {self.citation(c)}" for c in change.plus] + [f"− {self.citation(c)}" for c in change.minus]
            return L[f"ch_{field}"] + colon + ", ".join(signs)
        if field in ("assumes", "why", "wrong_if"):  # an assumption's texts: revised, not listed
            return L[f"ch_{field}_revised"]
        label = "" if field == "likelihood" else f"{L[field].lower()} "  # a likelihood's words say what they are
        return f"{label}{self.value(field, change.old)} → {self.value(field, change.new)}"

    def citation(self, text: str) -> str:
        """``source: «quote» (translation: «…»)`` (as :mod:`generator.exchange.diff` writes it) as ``« quote »
        (Traduction de l'analyste : « … ») (the source's title)``, the translation worded as in the footnotes."""
        from .diff import short  # as in since_previous: the comparison's module only for a previous edition

        source_id, _, quote = text.partition(": «")
        quote, marked, translation = quote.removesuffix("»").partition("» (translation: «")
        source = self.dossier.sources.get(source_id)
        worded = quoted(self.lang, short(quote, 160))
        if marked:
            translation = quoted(self.lang, short(translation.removesuffix("»)"), 160))
            worded += f" ({self.L['translation']}{label_colon(self.lang)}{translation})"
        return f"{worded} ({source.title if source else source_id})"
