"""The PDF's tradecraft data: sourcing summary, single-source tags, key assumptions, words against the matrix.

The same figures as the site's (:mod:`generator.render.tradecraft`), as the
JSON values ``template.typ`` places: strings stay strings, links are the
labels of claims (``fact-…``) and entity headings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..analysis.sourcing import sourcing, summary_groups
from ..core import model as m
from ..core.link import Evidence
from ..core.words import label_colon
from ..render.labels import facts_count
from ..render.tradecraft import assumption_owners, disagreement_words, grade_label, item_number, short
from . import shape as t

if TYPE_CHECKING:
    from .data import PdfDataBuilder


def fact_label(owner: str, anchor_: str) -> str:
    """The label of a claim in the PDF (``fact-wang-yi-claim-2``, ``fact-dossier-kj-1``)."""
    return f"fact-{owner or 'dossier'}-{anchor_}"


def claim_marks(b: PdfDataBuilder, evidence: Evidence) -> t.ClaimMarks:
    """The single-source tag and the assumptions a claim (or hypothesis) rests on."""
    single = evidence.is_claim and evidence.citations and sourcing(b.dossier, evidence.citations).count == 1
    owners = assumption_owners(b.dossier) if evidence.assumes else {}
    rests = [short(b.text.plain(owners[name][1].text), 60) for name in evidence.assumes if name in owners]
    colon = label_colon(b.lang)
    return {"single_source": b.L["single_source"] if single else None,
            "rests_on": b.L["rests_on"] + colon + " ; ".join(rests) if rests else None}


def assumptions(b: PdfDataBuilder, owner: m.DossierMeta | m.Question) -> list[t.Assumption]:
    """The key assumptions stated on *owner*: text, why, what would show it wrong, what rests on it."""
    resting: dict[str, list[t.Resting]] = {}
    for key in sorted(b.linked.evidence, key=lambda o: (o != "", o)):
        for e in b.linked.evidence[key]:
            for name in e.assumes:
                target = fact_label(key, e.anchor) if e.is_claim else f"question-{key}"
                where = b.linked.title(key) if key else b.L["key_judgments"]
                resting.setdefault(name, []).append({"target": target, "text": where + " " + item_number(e.anchor, b.lang)})
    colon = label_colon(b.lang)
    return [{"text": b.blocks(a.text), "why": b.blocks(a.why), "wrong_if": b.blocks(a.wrong_if),
             "why_label": b.L["assumption_why"] + colon, "wrong_if_label": b.L["assumption_wrong_if"] + colon,
             "assumed_by_label": b.L["assumed_by"] + colon, "assumed_by": resting.get(a.id, [])}
            for a in owner.assumptions]


def sourcing_summary(b: PdfDataBuilder) -> t.Sourcing | None:
    """Claims by number of independent sources and by best grade; each group lists its claims, linked."""
    by_count, by_grade = summary_groups(b.linked)
    if not by_count:
        return None
    counts = [_row(b, b.L[f"src_{group}"], items) for group, items in by_count]
    grades = [_row(b, grade_label(b.lang, grade), items) for grade, items in by_grade]
    return {"heading": b.L["sourcing"], "intro": b.L["sourcing_intro"] + " " + b.L["sourcing_numbers"],
            "groups": [{"heading": b.L["by_count"], "rows": counts}, {"heading": b.L["by_grade"], "rows": grades}]}


def _row(b: PdfDataBuilder, label: str, items: list[Evidence]) -> t.SourcingRow:
    owners: dict[str, list[t.SourcingItem]] = {}
    for evidence in items:
        owner = evidence.owner
        owners.setdefault(owner, []).append({"target": fact_label(owner, evidence.anchor), "text": item_number(evidence.anchor, b.lang)})
    return {"count": facts_count(b.lang, len(items)), "label": label,
            "owners": [{"title": b.linked.title(o) if o else b.L["key_judgments"], "items": refs}
                       for o, refs in owners.items()]}


def disagreement(b: PdfDataBuilder, question: m.Question) -> list[str]:
    """What the question page says where the likelihoods and the matrix disagree."""
    return disagreement_words(b.lang, question)
