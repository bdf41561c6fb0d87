"""The analytic standards of ICD 203, checked: the review rules and where they point.

Each rule (:data:`RULES`) belongs to one standard (sources, uncertainty,
assumptions, alternatives, change) and finds items of a validated dossier to
look at: a :class:`Finding` names the file and the path in it, located later
(:func:`locate`) by reading that file's YAML positions again, and only for the
files that have findings. The rules marked ``check`` are also warnings of
``dossier check`` (and of every command that checks); the others are told by
``dossier review`` alone (:mod:`generator.analysis.review_report`). A dossier turns a rule
off in ``dossier.yaml`` (``review: {off: {rule: reason}}``); the structural
problems (an unknown assumption, a rule that does not exist) are errors of
``check`` and cannot be turned off.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import model as m
from ..core.errors import Report, Severity
from ..core.link import link, quote_key
from ..core.loader import read_yaml, remembered
from ..render.labels import LIKELIHOOD_RANGES
from .sourcing import shared_origins, sourcing

if TYPE_CHECKING:
    from ..core.link import Linked
    from ..exchange.diff import Change

STANDARDS = ("sources", "uncertainty", "assumptions", "alternatives", "change")
"""The standards of ICD 203 the review covers, in the order the report tells them."""
LIKELIHOODS = tuple(LIKELIHOOD_RANGES)
"""The likelihood words, least likely first."""


@dataclass(frozen=True)
class Rule:
    """One review rule."""

    standard: str
    """The standard it belongs to (:data:`STANDARDS`)."""
    check: bool
    """Whether ``dossier check`` warns too (else only ``dossier review`` tells it)."""
    what: str
    """What it looks for, in a few words (the report and the guide say it)."""


RULES: dict[str, Rule] = {
    "high-single-source": Rule("sources", False, "a claim of high confidence on one independent source"),
    "high-weak-sources": Rule("sources", False, "a claim of high confidence on sources graded D to F only"),
    "judgment-without-confidence": Rule("uncertainty", False, "a key judgment without a confidence"),
    "hypothesis-without-likelihood": Rule("uncertainty", False, "a hypothesis without a likelihood"),
    "likelihoods-exceed": Rule("uncertainty", True, "exclusive hypotheses whose likelihoods cannot add up to 100 % or less"),
    "likelihoods-short": Rule("uncertainty", True, "exhaustive hypotheses whose likelihoods cannot reach 100 %"),
    "exhaustive-not-exclusive": Rule("uncertainty", True, "`exhaustive` without `exclusive`"),
    "assumption-unused": Rule("assumptions", True, "a key assumption nothing rests on"),
    "assumption-incomplete": Rule("assumptions", True, "a key assumption without `why` or `wrong_if`"),
    "single-hypothesis": Rule("alternatives", False, "an open question with fewer than two hypotheses"),
    "likelihood-vs-matrix": Rule("alternatives", True, "a hypothesis rated more likely than one with less evidence against it"),
    "change-without-reason": Rule("change", True, "a judgment, confidence or likelihood changed without `why_changed`"),
    "reason-without-change": Rule("change", False, "a `why_changed` where nothing changed"),
}
"""Every rule, by id, in the order of the standards."""
CHECK_RULES = frozenset(rule for rule, about in RULES.items() if about.check)


@dataclass(frozen=True)
class Finding:
    """One item to look at: a rule, the file and the path in it, what is wrong."""

    rule: str
    """The rule's id ("" for a structural error)."""
    file: str
    """The file, as named to the tool."""
    loc: tuple
    """The path of the value concerned in that file."""
    message: str
    """What is wrong, and how to settle it."""
    key: bool = False
    """Point at the key of *loc* rather than its value."""


_HOLDERS = ("key_judgments", "answer", "claims", "hypotheses")
"""Where the format puts claims (key judgments, an answer, claims) and hypotheses, in file order."""


def _rest_on(entity: m.Entity) -> Iterator[tuple[tuple, Any]]:
    """(path, item) of every claim and hypothesis of *entity*: what may rest on assumptions.

    Read from the fields directly: a walk of the whole model (:func:`generator.core.model.contents`) for each
    rule would cost ``check`` a tenth of its time on a large dossier."""
    fields = entity.__dict__
    for key in _HOLDERS:
        value = fields.get(key)
        if isinstance(value, list):
            yield from (((key, index), item) for index, item in enumerate(value))
        elif value is not None:
            yield (key,), value


def _assumes(owner: m.Entity) -> list[tuple[tuple, list[str]]]:
    """(path, names) of each claim and hypothesis of *owner* that rests on assumptions (``assumes``), in file order;
    while ``dossier serve`` checks, the list made for this very entity at the last rebuild."""
    kept = remembered(("assumes", id(owner)), lambda: (owner, [(path, item.assumes) for path, item in _rest_on(owner)
                                                               if item.assumes]))
    return kept[1] if kept[0] is owner else [(path, item.assumes) for path, item in _rest_on(owner) if item.assumes]


def _owners(dossier: m.Dossier) -> list[m.Entity]:
    return [dossier.meta, *dossier.entities()]


def assumptions_of(dossier: m.Dossier) -> Iterator[tuple[m.Entity, int, m.Assumption]]:
    """(owner, index, assumption) of every key assumption: the dossier's, then each question's."""
    for owner in [dossier.meta, *dossier.questions.values()]:
        for index, assumption in enumerate(getattr(owner, "assumptions", [])):
            yield owner, index, assumption


# -- structural problems: errors of `check` ----------------------------------------

def structural(dossier: m.Dossier) -> list[Finding]:
    """Duplicate assumption ids, unknown ids in ``assumes``, unknown rules or reasonless ones in ``review.off``."""
    found: list[Finding] = []
    seen: dict[str, str] = {}
    for owner, index, assumption in assumptions_of(dossier):
        where = seen.get(assumption.id)
        if where is not None:
            found.append(Finding("", owner.path, ("assumptions", index, "id"),
                                 f"assumption id `{assumption.id}` is already used in {where}"))
        else:
            seen[assumption.id] = owner.path
        if dossier.entity(assumption.id) is not None:
            found.append(Finding("", owner.path, ("assumptions", index, "id"),
                                 f"assumption id `{assumption.id}` is already the id of an entity"))
    for owner in _owners(dossier):
        for path, assumes in _assumes(owner):
            for index, name in enumerate(assumes):
                if name not in seen:
                    close = difflib.get_close_matches(name, sorted(seen), n=1, cutoff=0.6)
                    hint = f"; did you mean `{close[0]}`?" if close else (
                        "; declare it under `assumptions`" if not seen else f" (assumptions: {', '.join(sorted(seen))})")
                    found.append(Finding("", owner.path, path + ("assumes", index), f"unknown assumption `{name}`{hint}"))
    found += _settings_problems(dossier.meta)
    return found


def _settings_problems(meta: m.DossierMeta) -> Iterator[Finding]:
    for rule, reason in (meta.review.off.items() if meta.review else ()):
        if rule not in RULES:
            close = difflib.get_close_matches(rule, list(RULES), n=1, cutoff=0.6)
            hint = f"; did you mean `{close[0]}`?" if close else f" (rules: {', '.join(RULES)})"
            yield Finding("", meta.path, ("review", "off", rule), f"unknown review rule `{rule}`{hint}", key=True)
        elif not reason.strip():
            yield Finding("", meta.path, ("review", "off", rule),
                          f"review rule `{rule}` is turned off without a reason: say why after `{rule}:`", key=True)


def turned_off(dossier: m.Dossier) -> dict[str, str]:
    """The rules this dossier turns off, with their reasons."""
    review = dossier.meta.review
    return {rule: reason for rule, reason in review.off.items() if rule in RULES} if review else {}


# -- the rules on the model ------------------------------------------------------

def findings(dossier: m.Dossier, rules: Iterable[str]) -> list[Finding]:
    """What the *rules* find in *dossier* (the change rules aside: :func:`change_findings`)."""
    wanted = set(rules) - set(turned_off(dossier))
    found: list[Finding] = []
    claims = bool(wanted & _CLAIM_RULES)  # else every finding of the claims would be left out below
    for owner in _owners(dossier):
        if claims:
            found += _claim_findings(dossier, owner, wanted)
        if isinstance(owner, m.Question):
            found += _question_findings(owner, wanted)
    found += _assumption_findings(dossier, wanted)
    return [f for f in found if f.rule in wanted]


_CLAIM_RULES = frozenset({"judgment-without-confidence", "high-single-source", "high-weak-sources"})
"""The rules :func:`_claim_findings` finds."""


def _claim_findings(dossier: m.Dossier, owner: m.Entity, wanted: set[str]) -> Iterator[Finding]:
    for path, claim in _rest_on(owner):
        if not isinstance(claim, m.Claim):
            continue
        if claim.confidence is None and path[0] == "key_judgments":
            yield Finding("judgment-without-confidence", owner.path, path,
                          "key judgment without a confidence: say how sure it is (`confidence: high`, `moderate` or `low`)")
        if claim.confidence != "high" or not claim.cite or not wanted & {"high-single-source", "high-weak-sources"}:
            continue
        found = sourcing(dossier, claim.cite)
        where = path + ("confidence",)
        if found.count < 2:
            shared = [f"`{'`, `'.join(ids)}` share the origin `{origin}`" for origin, ids in shared_origins(dossier, found)]
            why = f" ({'; '.join(shared)}: they count once)" if shared else f" (`{found.origins[0]}`)"
            yield Finding("high-single-source", owner.path, where,
                          f"confidence `high` rests on one independent source{why}: cite a second, independent "
                          "source or lower the confidence")
        if found.weak:
            grades = ", ".join(f"`{origin}` {grade}" for origin, grade in zip(found.origins, found.grades))
            yield Finding("high-weak-sources", owner.path, where,
                          f"confidence `high` rests only on sources graded D to F or not graded ({grades}), and no "
                          "citation is graded credible (`credibility: 1` or `2`): lower the confidence or cite a "
                          "better source")


def _question_findings(question: m.Question, wanted: set[str]) -> Iterator[Finding]:
    hypotheses = question.hypotheses
    if question.status == "open" and len(hypotheses) < 2:
        yield Finding("single-hypothesis", question.path, ("hypotheses",) if hypotheses else ("question",),
                      f"open question with {'one hypothesis' if hypotheses else 'no hypothesis'}: set at least two "
                      "competing answers against the evidence")
    for index, hypothesis in enumerate(hypotheses):
        if hypothesis.likelihood is None:
            yield Finding("hypothesis-without-likelihood", question.path, ("hypotheses", index),
                          "hypothesis without a likelihood: rate it in the words of ICD 203 (`likelihood: likely` …)")
    if question.exhaustive and not question.exclusive:
        yield Finding("exhaustive-not-exclusive", question.path, ("exhaustive",),
                      "`exhaustive: true` without `exclusive: true`: the likelihoods are checked only for hypotheses "
                      "that exclude each other; add `exclusive: true` or remove `exhaustive`")
    if question.exclusive:
        yield from _sums(question)
    yield from _against_matrix(question)


def _sums(question: m.Question) -> Iterator[Finding]:
    rated = [(n, h.likelihood) for n, h in enumerate(question.hypotheses, 1) if h.likelihood]
    listed = ", ".join(f"H{n} `{word}` {LIKELIHOOD_RANGES[word][0]}–{LIKELIHOOD_RANGES[word][1]} %" for n, word in rated)
    low = sum(LIKELIHOOD_RANGES[word][0] for _, word in rated)
    if low > 100:
        yield Finding("likelihoods-exceed", question.path, ("exclusive",),
                      f"the hypotheses exclude each other, but their likelihoods cannot add up: the lower bounds "
                      f"make {low} % ({listed}), more than 100 %; lower one of them")
    unrated = len(rated) < len(question.hypotheses)
    high = sum(LIKELIHOOD_RANGES[word][1] for _, word in rated)
    if question.exhaustive and not unrated and high < 100:
        yield Finding("likelihoods-short", question.path, ("exhaustive",),
                      f"the hypotheses cover every case, but their likelihoods cannot reach 100 %: the upper bounds "
                      f"make {high} % ({listed}); raise one of them, or add the case they miss")


def against_counts(question: m.Question) -> dict[int, int]:
    """Hypothesis number (from 1) -> how many distinct passages argue against it (as the evidence matrix counts)."""
    return {n: len({(c.source, quote_key(c.quote)) for c in h.against}) for n, h in enumerate(question.hypotheses, 1)}


def disagreements(question: m.Question) -> list[tuple[int, int]]:
    """(a, b): hypothesis *a* is rated more likely than *b*, yet has more evidence against it; the *b* with the
    least evidence against for each *a*. Nothing when no hypothesis has a passage for or against it."""
    if not any(h.cite or h.against for h in question.hypotheses):
        return []
    against, found = against_counts(question), []
    rank = {n: LIKELIHOODS.index(h.likelihood) for n, h in enumerate(question.hypotheses, 1) if h.likelihood}
    for a, level in rank.items():
        lower = [b for b in rank if rank[b] < level and against[b] < against[a]]
        if lower:
            found.append((a, min(lower, key=lambda b: (against[b], b))))
    return found


def _against_matrix(question: m.Question) -> Iterator[Finding]:
    against = against_counts(question)
    for a, b in disagreements(question):
        ha, hb = question.hypotheses[a - 1], question.hypotheses[b - 1]
        yield Finding("likelihood-vs-matrix", question.path, ("hypotheses", a - 1, "likelihood"),
                      f"hypothesis {a} is rated `{ha.likelihood}`, more likely than hypothesis {b} (`{hb.likelihood}`), "
                      f"yet the evidence matrix shows more passages against it ({against[a]} against {against[b]}): "
                      "revise the likelihoods, or the evidence")


def _assumption_findings(dossier: m.Dossier, wanted: set[str]) -> Iterator[Finding]:
    used = {name for owner in _owners(dossier) for _, assumes in _assumes(owner) for name in assumes}
    for owner, index, assumption in assumptions_of(dossier):
        if assumption.id not in used:
            yield Finding("assumption-unused", owner.path, ("assumptions", index, "id"),
                          f"key assumption `{assumption.id}` is not named in any `assumes`: link the judgments that "
                          "rest on it, or remove it if nothing does any more")
        missing = [key for key in ("why", "wrong_if") if not getattr(assumption, key)]
        if missing:
            yield Finding("assumption-incomplete", owner.path, ("assumptions", index),
                          f"key assumption `{assumption.id}` has no `{'` and no `'.join(missing)}`: say why it is "
                          "held and what would show it wrong")


# -- change since the previous edition ---------------------------------------------

NEEDS_REASON = ("confidence", "likelihood")
"""The fields whose change needs a reason wherever they are; a key judgment's text needs one too."""


def needs_reason(change: Change) -> bool:
    """Whether *change* is a judgment, confidence or likelihood changed, which ``why_changed`` must explain."""
    if change.action != "changed":
        return False
    return change.field in NEEDS_REASON or (change.kind == "dossier" and change.field == "text")


def changed_item(dossier: m.Dossier, change: Change) -> tuple[m.Entity, tuple, Any] | None:
    """(owner, path in its file, the claim or hypothesis) that *change* concerns in this edition."""
    owner: m.Entity | None = dossier.meta if change.kind == "dossier" else dossier.entity(change.id)
    anchor = change.anchor or ("answer" if change.field == "answer" else "")  # an answer's own changes have none
    if owner is None or not anchor:
        return None
    name, _, number = anchor.rpartition("-")
    table = {"kj": "key_judgments", "claim": "claims", "hypothesis": "hypotheses"}.get(name)
    if anchor == "answer":
        item = getattr(owner, "answer", None)
        return (owner, ("answer",), item) if item is not None else None
    items = getattr(owner, table, None) if table else None
    if not items or not number.isdigit() or not 0 < int(number) <= len(items):
        return None
    return owner, (table, int(number) - 1), items[int(number) - 1]


def change_findings(linked: Linked, rules: Iterable[str]) -> list[Finding]:
    """What the change rules find, comparing *linked* with its previous edition (nothing without one)."""
    dossier = linked.dossier
    wanted = set(rules) - set(turned_off(dossier))
    if dossier.previous is None or not wanted & {"change-without-reason", "reason-without-change"}:
        return []
    from ..exchange.diff import (
        diff,  # the comparison's and the export's models only for a dossier with a previous edition
    )
    from ..exchange.export import export

    found, explained = [], set()
    for change in diff(dossier.previous, export(linked)):
        where = changed_item(dossier, change) if change.action in ("changed", "added") else None
        if where is None:
            continue
        owner, path, item = where
        explained.add(id(item))
        if needs_reason(change) and not item.why_changed:
            what = {"text": "key judgment", "confidence": "confidence", "likelihood": "likelihood"}[change.field]
            found.append(Finding("change-without-reason", owner.path, path + (change.field,),
                                 f"the {what} changed since the previous edition ({_was(change)}) without a reason: "
                                 "say why in `why_changed`"))
    for owner in _owners(dossier):
        for path, item in _rest_on(owner):
            if item.why_changed and id(item) not in explained:
                found.append(Finding("reason-without-change", owner.path, path + ("why_changed",),
                                     "`why_changed` where nothing changed since the previous edition: remove it"))
    return [f for f in found if f.rule in wanted]


def _was(change: Change) -> str:
    if change.field == "text":
        return "text revised"
    return f"{change.old or 'none'} → {change.new or 'none'}"


# -- locating --------------------------------------------------------------------

def locate(found: Iterable[Finding], severity: Severity = "warning", root: Path | None = None) -> Report:
    """The findings as located diagnostics: each file's YAML read again for its positions."""
    report, docs = Report(), {}
    for finding in found:
        if finding.file not in docs:
            docs[finding.file] = read_yaml(Path(finding.file), Report(), display=finding.file)
        doc = docs[finding.file]
        line, column = doc.position(finding.loc, key=finding.key) if doc is not None else (1, 1)
        suffix = f" [{finding.rule}]" if finding.rule else ""
        report.add(finding.file, line, column, finding.message + suffix, severity if finding.rule else "error")
    return report


def check_problems(dossier: m.Dossier, has_errors: bool) -> Report:
    """What ``check`` reports of the standards: the structural errors, and the warnings of :data:`CHECK_RULES`."""
    found = structural(dossier) + findings(dossier, CHECK_RULES)
    if dossier.previous is not None and not has_errors:
        found += change_findings(link(dossier), CHECK_RULES)
    return locate(found)


def every_rule() -> Iterator[str]:
    """Every rule id, standard by standard."""
    return itertools.chain.from_iterable(
        (rule for rule, about in RULES.items() if about.standard == standard) for standard in STANDARDS)
