"""A claim's sourcing, computed: how many independent sources stand behind it, their grades, the credibility given.

Sources that share an ``origin`` (one wire story relayed by two outlets, one
outlet copying another) count as one independent source. The grade of such a
group is the best of its members'. Pure functions of the validated model: the
review rules (:mod:`generator.analysis.review`), the site and the PDF read the same
figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core import model as m

if TYPE_CHECKING:
    from ..core.link import Evidence, Linked

GRADES = ("A", "B", "C", "D", "E", "F")
"""Admiralty source grades, best first."""
WEAK_GRADES = ("D", "E", "F")
"""Grades that cannot carry a ``high`` confidence on their own."""
STRONG_CREDIBILITY = (1, 2)
"""Information grades (confirmed, probably true) that can."""
UNGRADED = "-"
"""The grade of a source without ``reliability``, in :attr:`Sourcing.grades`."""


@dataclass(frozen=True)
class Sourcing:
    """The sources behind one claim."""

    origins: tuple[str, ...]
    """The independent sources: each source's ``origin``, or its id when it has none, in citation order."""
    sources: tuple[str, ...]
    """The ids of the sources cited, in citation order, each once."""
    grades: tuple[str, ...]
    """The grade of each independent source (the best of a shared origin's; ``-`` when not graded)."""
    credibility: tuple[int, ...]
    """The information grades given to its citations (``credibility``), in citation order."""

    @property
    def count(self) -> int:
        """How many independent sources."""
        return len(self.origins)

    @property
    def best(self) -> str:
        """The best grade among them (``-`` when none is graded or nothing is cited)."""
        graded = [grade for grade in self.grades if grade != UNGRADED]
        return min(graded) if graded else UNGRADED

    @property
    def weak(self) -> bool:
        """Every source is graded D to F or not at all, and no citation is graded credible (1 or 2)."""
        return all(grade in WEAK_GRADES or grade == UNGRADED for grade in self.grades) and not any(
            value in STRONG_CREDIBILITY for value in self.credibility)


def origin_of(dossier: m.Dossier, source_id: str) -> str:
    """The independent source *source_id* belongs to: its ``origin``, or itself."""
    source = dossier.sources.get(source_id)
    return source.origin if source is not None and source.origin else source_id


def sourcing(dossier: m.Dossier, citations: Iterable[m.Citation]) -> Sourcing:
    """The sourcing of a claim that cites *citations*."""
    citations = list(citations)
    sources = tuple(dict.fromkeys(c.source for c in citations))
    grades: dict[str, str] = {}
    for source_id in sources:
        origin = origin_of(dossier, source_id)
        source = dossier.sources.get(source_id)
        grade = source.reliability if source is not None and source.reliability else UNGRADED
        known = grades.get(origin)
        grades[origin] = grade if known is None else _better(known, grade)
    credibility = tuple(c.credibility for c in citations if c.credibility is not None)
    return Sourcing(tuple(grades), sources, tuple(grades.values()), credibility)


def _better(one: str, other: str) -> str:
    if one == UNGRADED:
        return other
    return one if other == UNGRADED else min(one, other)


def shared_origins(dossier: m.Dossier, found: Sourcing) -> Iterator[tuple[str, list[str]]]:
    """Each origin that stands for several of the sources cited, with them."""
    by_origin: dict[str, list[str]] = {}
    for source_id in found.sources:
        by_origin.setdefault(origin_of(dossier, source_id), []).append(source_id)
    for origin, members in by_origin.items():
        if len(members) > 1:
            yield origin, members


COUNT_GROUPS = ("none", "one", "two", "more")
"""The groups of the sourcing summary by number of independent sources: 0, 1, 2, 3 or more."""


def count_group(found: Sourcing) -> str:
    """Which of :data:`COUNT_GROUPS` a claim falls in."""
    return COUNT_GROUPS[min(found.count, 3)]


def summary_owners(linked: Linked) -> list[str]:
    """The owners of claims in the summary's order: the key judgments (``""``) first, then by id."""
    return sorted(linked.evidence, key=lambda o: (o != "", o))


def owner_groups(linked: Linked, owner: str) -> tuple[dict[str, list[Evidence]], dict[str, list[Evidence]]]:
    """The claims of *owner* (in page order) by :data:`COUNT_GROUPS`, and those with sources by their best grade."""
    by_count: dict[str, list[Evidence]] = {}
    by_grade: dict[str, list[Evidence]] = {}
    for evidence in linked.evidence[owner]:
        if not evidence.is_claim:
            continue
        found = sourcing(linked.dossier, evidence.citations)
        by_count.setdefault(count_group(found), []).append(evidence)
        if found.count:
            by_grade.setdefault(found.best, []).append(evidence)
    return by_count, by_grade


def summary_groups(linked: Linked) -> tuple[list[tuple[str, list[Evidence]]], list[tuple[str, list[Evidence]]]]:
    """Every claim of *linked* (key judgments first, then by owner, in page order), grouped twice: by
    :data:`COUNT_GROUPS`, and by the best grade of its sources (``-`` last; unsourced claims left out)."""
    by_count: dict[str, list[Evidence]] = {}
    by_grade: dict[str, list[Evidence]] = {}
    for owner in summary_owners(linked):
        counts, grades = owner_groups(linked, owner)
        for merged, groups in ((by_count, counts), (by_grade, grades)):
            for group, items in groups.items():
                merged.setdefault(group, []).extend(items)
    return ([(group, by_count[group]) for group in COUNT_GROUPS if group in by_count],
            [(grade, by_grade[grade]) for grade in GRADE_ORDER if grade in by_grade])


GRADE_ORDER = (*GRADES, UNGRADED)
"""The groups of the sourcing summary by best grade, in order."""
