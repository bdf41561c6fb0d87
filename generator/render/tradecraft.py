"""The site's tradecraft pieces: sourcing summary, single-source marks, key assumptions, words against the matrix.

Pure functions of a :class:`~generator.render.pages.DossierRenderer` (passed in,
not imported, so that :mod:`.pages` can call :func:`item_marks`), returning
HTML blocks built from escaped strings. The figures come from
:mod:`generator.analysis.sourcing` and :mod:`generator.analysis.review`, the same the review
report and the PDF read.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from ..analysis.review import against_counts, assumptions_of, disagreements
from ..analysis.sourcing import COUNT_GROUPS, GRADE_ORDER, UNGRADED, owner_groups, sourcing, summary_owners
from ..core import model as m
from ..core.link import Evidence
from ..core.words import label_colon
from ..incremental.page_reads import page_parts
from .html import block, esc, md_text, tag
from .labels import facts_count, labels, likelihood_label, reliability_label
from .text import relative_url

if TYPE_CHECKING:
    from .pages import DossierRenderer


def short(text: str, limit: int = 90) -> str:
    """*text* on one line, cut at a word past *limit* characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " […]"


# -- marks beside a claim ---------------------------------------------------------

def item_marks(r: DossierRenderer, evidence: Evidence, page: str) -> str:
    """The single-source badge of a claim on one independent source, and the assumptions it rests on."""
    marks = []
    if evidence.is_claim and evidence.citations and sourcing(r.dossier, evidence.citations).count == 1:
        marks.append(tag("span", esc(r.L["single_source"]), class_="dossier-badge dossier-single-source",
                         title=r.L["single_source_tip"]))
    if evidence.assumes:
        owners = assumption_owners(r.dossier)
        links = [_assumption_link(r, name, owners.get(name, ("", None)), page) for name in evidence.assumes]
        colon = label_colon(r.lang)
        marks.append(tag("span", esc(r.L["rests_on"] + colon) + ", ".join(links), class_="dossier-rests-on"))
    return " ".join(marks)


def assumption_owners(dossier: m.Dossier) -> dict[str, tuple[str, m.Assumption]]:
    """Assumption id -> (the id of the page that states it, ``""`` for the dossier's home; the assumption)."""
    return {a.id: ("" if owner is dossier.meta else owner.id, a) for owner, _, a in assumptions_of(dossier)}


def _assumption_link(r: DossierRenderer, name: str, where: tuple[str, m.Assumption | None], page: str) -> str:
    owner, assumption = where
    if assumption is None:  # reported by check; nothing is rendered then
        return esc(name)
    label = short(r.text.plain(assumption.text), 60)
    entity = r.dossier.entity(owner) if owner else None
    url = r.entity_url(entity) if entity is not None else r.page_url(f"{r.dossier.id}/index.md")
    return tag("a", esc(label), href=relative_url(f"{url}#assumption-{name}", page))


# -- key assumptions ---------------------------------------------------------------

def assumptions_section(r: DossierRenderer, owner: m.DossierMeta | m.Question, page: str) -> str:
    """The key assumptions stated on *owner*'s page: each with why, what would show it wrong, what rests on it."""
    if not owner.assumptions:
        return ""
    resting = _resting(r)
    colon = label_colon(r.lang)
    items = []
    for assumption in owner.assumptions:
        parts = [tag("span", r.text.inline(assumption.text, page), class_="dossier-assumption-text")]
        for key, value in (("assumption_why", assumption.why), ("assumption_wrong_if", assumption.wrong_if)):
            if value:
                parts.append(tag("span", tag("strong", esc(r.L[key] + colon)) + r.text.inline(value, page),
                                 class_="dossier-assumption-detail"))
        links = [_item_link(r, owner_id, anchor, page) for owner_id, anchor in resting.get(assumption.id, [])]
        if links:
            parts.append(tag("span", tag("strong", esc(r.L["assumed_by"] + colon)) + ", ".join(links),
                             class_="dossier-assumption-detail"))
        items.append(tag("li", "<br>".join(parts), id=f"assumption-{assumption.id}", class_="dossier-assumption"))
    return f"## {md_text(r.L['assumptions'])}\n\n" + block(tag("ol", "".join(items), class_="dossier-assumptions"))


def item_number(anchor: str, lang: str) -> str:
    """``3`` for ``claim-3`` or ``kj-3``, ``H2`` for ``hypothesis-2``, ``réponse`` for ``answer``."""
    name, _, number = anchor.rpartition("-")
    if not number.isdigit():
        return labels(lang)["answer"].lower() if anchor == "answer" else anchor
    return f"H{number}" if name == "hypothesis" else number


def _item_link(r: DossierRenderer, owner: str, anchor: str, page: str) -> str:
    """A link to a claim or hypothesis: where it is (its page's title, or "key judgments") and its number."""
    entity = r.dossier.entity(owner) if owner else None
    url = r.entity_url(entity) if entity is not None else r.page_url(f"{r.dossier.id}/index.md")
    where = r.linked.title(owner) if owner else r.L["key_judgments"]
    return tag("a", esc(f"{where} {item_number(anchor, r.lang)}"), href=relative_url(f"{url}#{anchor}", page))


def _resting(r: DossierRenderer) -> dict[str, list[tuple[str, str]]]:
    """Assumption id -> (owner id, anchor) of each claim and hypothesis that names it, in page order."""
    found: dict[str, list[tuple[str, str]]] = {}
    for owner in sorted(r.linked.evidence, key=lambda o: (o != "", o)):
        for evidence in r.linked.evidence[owner]:
            for name in evidence.assumes:
                found.setdefault(name, []).append((owner, evidence.anchor))
    return found


# -- the sourcing summary of the dossier's home -----------------------------------------

def sourcing_section(r: DossierRenderer, page: str) -> str:
    """Claims by number of independent sources and by best grade, each count opening the list of its claims.

    Made of one part per owner of claims (:func:`generator.incremental.page_reads.page_parts`): its line in each
    group it has claims in; ``dossier serve`` makes again only the owners whose claims, sources or title changed."""
    owners = summary_owners(r.linked)
    made = page_parts("sourcing", [(("", ("sourcing", owner)), partial(_owner_lines, r, owner, page)) for owner in owners],
                      r.forget)
    groups: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for lines in made:
        for group, line in lines.items():
            groups.setdefault(group, []).append(line)
    if not any(axis == "count" for axis, _ in groups):
        return ""
    counts = [(r.L[f"src_{group}"], groups[("count", group)], f"sourcing-{group}") for group in COUNT_GROUPS
              if ("count", group) in groups]
    grades = [(grade_label(r.lang, grade), groups[("grade", grade)],
               f"sourcing-grade-{grade.lower() if grade != UNGRADED else 'none'}")
              for grade in GRADE_ORDER if ("grade", grade) in groups]
    body = block(tag("p", esc(r.L["sourcing_intro"] + " " + r.L["sourcing_open"])))
    for heading, rows in ((r.L["by_count"], counts), (r.L["by_grade"], grades)):
        html = "".join(_group(r, label, lines, anchor) for label, lines, anchor in rows)
        body += block(tag("div", tag("p", esc(heading), class_="dossier-sourcing-heading") + html,
                          class_="dossier-sourcing"))
    return f"## {md_text(r.L['sourcing'])}\n\n{body}"


def _owner_lines(r: DossierRenderer, owner: str, page: str) -> dict[tuple[str, str], tuple[int, str]]:
    """(``count`` or ``grade``, its group) -> how many of *owner*'s claims are in it, and *owner*'s line there:
    its page, each claim by its number there (as the PDF gives them)."""
    by_count, by_grade = owner_groups(r.linked, owner)
    if not by_count:
        return {}
    entity = r.dossier.entity(owner) if owner else None
    url = relative_url(r.entity_url(entity) if entity is not None else r.page_url(f"{r.dossier.id}/index.md"), page)
    where = esc(r.linked.title(owner) if owner else r.L["key_judgments"]) + esc(label_colon(r.lang))

    def line(claims: list[Evidence]) -> tuple[int, str]:
        numbers = ", ".join(tag("a", esc(item_number(e.anchor, r.lang)), href=f"{url}#{e.anchor}") for e in claims)
        return len(claims), tag("li", where + numbers)
    return {**{("count", group): line(claims) for group, claims in by_count.items()},
            **{("grade", grade): line(claims) for grade, claims in by_grade.items()}}


def _group(r: DossierRenderer, label: str, lines: list[tuple[int, str]], anchor: str) -> str:
    """One count, opening the list of its claims by page (which keeps the home page of a dossier of thousands
    of claims light)."""
    summary = tag("summary", tag("strong", esc(facts_count(r.lang, sum(count for count, _ in lines)))) + " — " + esc(label))
    return tag("details", summary + tag("ul", "".join(line for _, line in lines)), id=anchor, class_="dossier-sourcing-group")


# -- words against the matrix -------------------------------------------------------

def hypotheses_kind(lang: str, question: m.Question) -> str:
    """``mutuellement exclusives (et exhaustives)`` for a question that says so, else nothing."""
    if not question.exclusive:
        return ""
    return labels(lang)["exhaustive" if question.exhaustive else "exclusive"]


def grade_label(lang: str, grade: str) -> str:
    """``F — fiabilité impossible à évaluer``, or ``non cotée`` for the sources not graded."""
    return reliability_label(lang, grade) if grade != UNGRADED else labels(lang)["ungraded"]


def disagreement_words(lang: str, question: m.Question) -> list[str]:
    """For each hypothesis rated above one with less evidence against it, the sentence that says so."""
    against, notes = against_counts(question), []
    for a, b in disagreements(question):
        ha, hb = question.hypotheses[a - 1], question.hypotheses[b - 1]
        assert ha.likelihood is not None and hb.likelihood is not None  # only rated hypotheses are compared
        notes.append(labels(lang)["matrix_disagrees"].format(
            a=f"H{a}", b=f"H{b}", la=likelihood_label(lang, ha.likelihood), lb=likelihood_label(lang, hb.likelihood),
            na=against[a], nb=against[b]))
    return notes


def disagreement_note(r: DossierRenderer, question: m.Question) -> str:
    """A note under the evidence matrix for each hypothesis rated above one with less evidence against it."""
    notes = disagreement_words(r.lang, question)
    if not notes:
        return ""
    return block(tag("div", "".join(tag("p", esc(note)) for note in notes), class_="dossier-matrix-disagreement",
                     role="note"))
