"""``dossier review``: the report per analytic standard, as text for a terminal or Markdown for a pull request.

For each standard of ICD 203 the tool checks (:data:`generator.analysis.review.STANDARDS`)
the report gives the figures it rests on (claims by number of sources and by
grade, judgments with a confidence, assumptions and what rests on them,
hypotheses and matrices, changes since the previous edition), then every item
to look at, located as ``PATH:LINE:COL``. The rules a dossier turns off are
listed with their reasons. Pure functions from a linked dossier to strings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..core.errors import Diagnostic
from ..core.link import Linked
from .review import RULES, STANDARDS, assumptions_of, change_findings, findings, locate, needs_reason, turned_off
from .sourcing import COUNT_GROUPS, GRADES, UNGRADED, count_group, sourcing

HEADINGS = {"sources": "Sources", "uncertainty": "Uncertainty", "assumptions": "Assumptions",
            "alternatives": "Alternatives", "change": "Change"}
"""The standards as the report names them."""
ICD = {"sources": "describe the quality and credibility of sources",
       "uncertainty": "express and explain the uncertainties of judgments",
       "assumptions": "tell assumptions apart from information and judgments",
       "alternatives": "analyse alternatives",
       "change": "explain change to a judgment"}
"""What ICD 203 asks under each standard."""


@dataclass
class Section:
    """One standard of the report."""

    standard: str
    figures: list[str] = field(default_factory=list)
    """The counts it rests on, one line each."""
    items: list[Diagnostic] = field(default_factory=list)
    """Every item to look at, sorted."""


@dataclass
class Review:
    """The review of one dossier."""

    id: str
    title: str
    sections: list[Section]
    off: dict[str, str]
    """Rules turned off -> the reason given."""

    @property
    def count(self) -> int:
        """How many items to look at."""
        return sum(len(s.items) for s in self.sections)


def review(linked: Linked) -> Review:
    """The review of *linked* against every rule it does not turn off."""
    dossier = linked.dossier
    found = findings(dossier, RULES) + change_findings(linked, RULES)
    by_rule: dict[str, list[Diagnostic]] = {}
    for finding, diagnostic in zip(found, locate(found).diagnostics):
        by_rule.setdefault(finding.rule, []).append(diagnostic)
    sections = []
    for standard in STANDARDS:
        items = [d for rule, about in RULES.items() if about.standard == standard for d in by_rule.get(rule, [])]
        sections.append(Section(standard, _FIGURES[standard](linked), sorted(set(items))))
    return Review(dossier.id, dossier.meta.title, sections, turned_off(dossier))


def _claims(linked: Linked) -> list:
    return [e for items in linked.evidence.values() for e in items if e.is_claim]


def _sources_figures(linked: Linked) -> list[str]:
    claims = _claims(linked)
    found = [sourcing(linked.dossier, e.citations) for e in claims]
    groups = Counter(count_group(one) for one in found)
    words = {"none": "without a source", "one": "on one source", "two": "on two", "more": "on three or more"}
    grades = Counter(one.best for one in found if one.count)
    graded = ", ".join(f"{grade} {grades[grade]}" for grade in (*GRADES, UNGRADED) if grades[grade])
    lines = [f"{_n(len(claims), 'claim')}: " + ", ".join(f"{groups[g]} {words[g]}" for g in COUNT_GROUPS) + " (independent sources)"]
    lines.append(f"best source grade of each sourced claim: {graded or 'none'} ('-': not graded)")
    credible = sum(1 for one in found if one.credibility)
    lines.append(f"{_n(credible, 'claim')} with an information grade (`credibility`) on a citation")
    return lines


def _uncertainty_figures(linked: Linked) -> list[str]:
    meta, d = linked.dossier.meta, linked.dossier
    judged = sum(1 for c in meta.key_judgments if c.confidence)
    hypotheses = [h for q in d.questions.values() for h in q.hypotheses]
    rated = sum(1 for h in hypotheses if h.likelihood)
    exclusive = sum(1 for q in d.questions.values() if q.exclusive)
    return [f"{_n(len(meta.key_judgments), 'key judgment')}, {judged} with a confidence",
            f"{_n(len(hypotheses), 'hypothesis', 'hypotheses')}, {rated} with a likelihood; "
            f"{_n(exclusive, 'question')} of exclusive hypotheses"]


def _assumption_figures(linked: Linked) -> list[str]:
    d = linked.dossier
    owned = Counter("dossier" if owner is d.meta else "question" for owner, _, _ in assumptions_of(d))
    resting = sum(1 for items in linked.evidence.values() for e in items if e.assumes)
    return [f"{_n(sum(owned.values()), 'key assumption')} ({owned['dossier']} of the dossier, {owned['question']} of "
            f"questions); {resting} of the claims and hypotheses rest on one"]


def _alternative_figures(linked: Linked) -> list[str]:
    questions = list(linked.dossier.questions.values())
    open_ = sum(1 for q in questions if q.status == "open")
    matrices = sum(1 for q in questions if any(h.cite or h.against for h in q.hypotheses))
    hypotheses = sum(len(q.hypotheses) for q in questions)
    return [f"{_n(len(questions), 'question')} ({open_} open), {_n(hypotheses, 'hypothesis', 'hypotheses')}, "
            f"{_n(matrices, 'evidence matrix', 'evidence matrices')}"]


def _change_figures(linked: Linked) -> list[str]:
    previous = linked.dossier.previous
    if previous is None:
        return ["no previous edition (`previous` in dossier.yaml): nothing to compare"]
    from ..exchange.diff import (
        diff,  # the comparison's and the export's models only for a dossier with a previous edition
    )
    from ..exchange.export import export

    changes = diff(previous, export(linked))
    needed = sum(1 for c in changes if needs_reason(c))
    return [f"since the edition of {previous.as_of.iso}: {_n(len(changes), 'change')}, {needed} of a judgment, "
            "confidence or likelihood (each needs `why_changed`)"]


_FIGURES = {"sources": _sources_figures, "uncertainty": _uncertainty_figures, "assumptions": _assumption_figures,
            "alternatives": _alternative_figures, "change": _change_figures}


def _n(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def _items(n: int) -> str:
    return _n(n, "item")


def report_text(reviews: list[Review]) -> str:
    """The report as plain text: per dossier, per standard, figures then located items."""
    lines: list[str] = []
    for one in reviews:
        lines.append(f"review of {one.id} ({one.title}): {_items(one.count)} to look at")
        for section in one.sections:
            lines.append(f"{HEADINGS[section.standard]} ({ICD[section.standard]}): {_items(len(section.items))}")
            lines += [f"  {figure}" for figure in section.figures]
            lines += [f"  {item.format()}" for item in section.items]
        lines += ["rules turned off:"] + [f"  {rule}: {reason}" for rule, reason in one.off.items()] if one.off else []
    return "\n".join(lines) + "\n"


def report_markdown(reviews: list[Review]) -> str:
    """The report in Markdown, for a pull request comment."""
    parts: list[str] = []
    for one in reviews:
        parts.append(f"## Review: {_md(one.title)}")
        off = f", {len(one.off)} rule{'s' if len(one.off) != 1 else ''} turned off" if one.off else ""
        parts.append(f"**{_items(one.count)} to look at**{off} (`{one.id}`).")
        for section in one.sections:
            body = [f"### {HEADINGS[section.standard]} ({len(section.items)})", f"*{ICD[section.standard]}*",
                    "\n".join(f"* {_md(figure)}" for figure in section.figures)]  # `*`: a list apart from the tasks
            if section.items:
                body.append("\n".join(f"- [ ] `{_location(item)}` {_md(_rule_as_code(item.message))}"
                                       for item in section.items))
            parts.append("\n\n".join(body))
        if one.off:
            rows = "\n".join(f"| `{rule}` | {_md(reason)} |" for rule, reason in one.off.items())
            parts.append(f"### Rules turned off\n\n| rule | reason |\n|---|---|\n{rows}")
    return "\n\n".join(parts) + "\n"


def _rule_as_code(message: str) -> str:
    """``… [rule-id]`` as ``… (`rule-id`)``: brackets would read as a link in Markdown."""
    head, _, rule = message.rpartition(" [")
    return f"{head} (`{rule[:-1]}`)" if head and rule.endswith("]") else message


def _location(item: Diagnostic) -> str:
    return item.format().split(f": {item.severity}: ", 1)[0]


def _md(text: str) -> str:
    """A text on one Markdown line: pipes and line breaks made harmless (backticks are kept: code spans)."""
    return " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;")
