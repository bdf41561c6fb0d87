"""The evidence matrix of a question (Analysis of Competing Hypotheses), from a linked dossier.

One row per passage cited by any of the question's hypotheses, one column per
hypothesis; a cell says whether the passage is consistent with the hypothesis
(cited in its ``cite``), inconsistent (cited in its ``against``) or not
applicable. Hypotheses are ranked by the evidence against them: the fewest
inconsistencies first (ACH weighs disconfirming evidence, not the count of
supporting passages), ties in the order written. A pure function; the site
and the PDF draw the same matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core import model as m
from ..core.link import Linked, Passage

CONSISTENT, INCONSISTENT, NOT_APPLICABLE = "consistent", "inconsistent", "not_applicable"
"""The values of a cell (also the label keys that word them)."""


@dataclass
class Matrix:
    """The evidence matrix of one question."""

    ranking: list[int]
    """Hypothesis numbers (from 1, as written), fewest inconsistencies first: the matrix's columns."""
    inconsistencies: dict[int, int]
    """Hypothesis number -> how many passages are inconsistent with it."""
    rows: list[tuple[Passage, list[str]]]
    """Each cited passage, in order of first citation, with its cell per column (in :attr:`ranking` order)."""


def evidence_matrix(linked: Linked, question: m.Question) -> Matrix | None:
    """The matrix of *question*, or None when no hypothesis cites a passage."""
    passages: dict[str, Passage] = {}
    cells: dict[tuple[str, int], str] = {}
    for number, hypothesis in enumerate(question.hypotheses, 1):
        for value, citations in ((CONSISTENT, hypothesis.cite), (INCONSISTENT, hypothesis.against)):
            for citation in citations:
                passage = linked.passage(citation)
                passages.setdefault(passage.anchor, passage)
                if cells.get((passage.anchor, number)) != INCONSISTENT:
                    cells[(passage.anchor, number)] = value
    if not passages:
        return None
    numbers = range(1, len(question.hypotheses) + 1)
    against = {n: sum(cells.get((anchor, n)) == INCONSISTENT for anchor in passages) for n in numbers}
    ranking = sorted(numbers, key=lambda n: (against[n], n))
    rows = [(passage, [cells.get((anchor, n), NOT_APPLICABLE) for n in ranking]) for anchor, passage in passages.items()]
    return Matrix(ranking, against, rows)
