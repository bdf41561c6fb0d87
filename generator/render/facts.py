"""Site sections that show facts where they belong: the facts about an entity recorded on
other pages, the evidence matrix of a question, and the dossier's disputed facts."""

from __future__ import annotations

from functools import partial

from ..analysis.ach import CONSISTENT, INCONSISTENT, evidence_matrix
from ..core import model as m
from ..core.link import Evidence
from .html import block, esc, md_text, tag
from .pages import Citations, DossierRenderer

SYMBOLS = {CONSISTENT: "✓", INCONSISTENT: "✗", "not_applicable": "–"}
"""The sign of each cell of the evidence matrix (always with its word for screen readers and print)."""


def facts_section(r: DossierRenderer, id_: str, cites: Citations, page: str) -> str:
    """The claims recorded on other pages that concern *id_*, each in full, with where it is recorded."""
    items = r.evidence_parts("facts", ("facts_about", id_), list(range(len(r.linked.facts_about.get(id_, [])))),
                             cites, page, partial(fact_item, r))
    if not items:
        return ""
    heading = r.L["facts_about"].format(name=r.linked.title(id_))
    return f"## {md_text(heading)}\n\n" + block(tag("ol", "".join(items), class_="dossier-claims dossier-facts-about"))


def fact_item(r: DossierRenderer, evidence: Evidence, cites: Citations, page: str, prefix: str = "about") -> str:
    """A claim printed on another page, with where it is recorded (the “facts about” lists, here and in the library)."""
    where = tag("span", f"{esc(r.L['recorded_in'])} {r.link(evidence.owner, page, evidence.anchor)}", class_="dossier-recorded-in")
    extra = " ".join(p for p in (r.confidence(evidence.confidence), where) if p)
    return r.evidence_item(evidence, cites, page, extra, anchor=f"{prefix}-{evidence.owner or 'dossier'}-{evidence.anchor}")


def matrix_section(r: DossierRenderer, question: m.Question, cites: Citations, page: str) -> str:
    """The question's evidence matrix: passages in rows, hypotheses in columns, ranked by the evidence against them."""
    matrix = evidence_matrix(r.linked, question)
    if matrix is None:
        return ""
    L = r.L
    head = tag("th", esc(L["passage"]), scope="col") + "".join(
        tag("th", _hypothesis_head(r, question, n), scope="col", class_="dossier-matrix-head") for n in matrix.ranking)
    rows = []
    for passage, cells in matrix.rows:
        citation = m.Citation.model_construct(source=passage.source, quote=passage.quote)
        label = tag("th", tag("span", esc(_short(passage.quote)), class_="dossier-quote") + "\u2060" + cites.markers([citation]), scope="row")
        rows.append(tag("tr", label + "".join(_cell(r, value) for value in cells)))
    total = tag("th", esc(L["inconsistencies"]), scope="row") + "".join(
        tag("td", esc(str(matrix.inconsistencies[n]))) for n in matrix.ranking)
    table = tag("table", tag("thead", tag("tr", head)) + tag("tbody", "".join(rows)) + tag("tfoot", tag("tr", total)),
                class_="dossier-matrix")
    wrapped = tag("div", tag("div", table, class_="md-typeset__table"), class_="md-typeset__scrollwrap")
    return f"## {md_text(L['evidence_matrix'])}\n\n" + block(tag("p", esc(L["matrix_intro"]))) + block(wrapped)


def _hypothesis_head(r: DossierRenderer, question: m.Question, n: int) -> str:
    """A column's head: ``H2`` and the hypothesis's words (cut at a word), linking to it; the whole text as its title."""
    text = r.text.plain(question.hypotheses[n - 1].text)
    words = tag("span", esc(_short(text, 90)), class_="dossier-matrix-hypothesis")
    return tag("a", tag("span", esc(f"H{n}"), class_="dossier-matrix-number") + " " + words,
               href=f"#hypothesis-{n}", title=text)


def _cell(r: DossierRenderer, value: str) -> str:
    sign = tag("span", SYMBOLS[value], aria_hidden="true", class_="dossier-matrix-sign")
    return tag("td", sign + " " + tag("span", esc(r.L[value]), class_="dossier-matrix-word"),
               class_=f"dossier-matrix-{value.replace('_', '-')}")


def _short(quote: str, limit: int = 140) -> str:
    """A quote cut at a word boundary for a table row (the full quote is in the list of passages)."""
    if len(quote) <= limit:
        return quote
    return quote[:limit].rsplit(" ", 1)[0] + " […]"


def disputed_section(r: DossierRenderer, cites: Citations, page: str) -> str:
    """Every disputed claim of the dossier, in full, with the passages that contradict it."""
    items = []
    for evidence_list in r.linked.evidence.values():
        for evidence in evidence_list:
            if evidence.disputed_by:
                items.append(fact_item(r, evidence, cites, page, "disputed"))
    if not items:
        return ""
    return f"## {md_text(r.L['disputed_facts'])}\n\n" + block(tag("ol", "".join(items), class_="dossier-claims dossier-disputed-facts"))
