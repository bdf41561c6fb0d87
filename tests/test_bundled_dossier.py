"""The bundled dossier as an analyst's product: each fact told once, every open question weighed.

These tests read the real files under ``dossiers/``: they pin properties of the
content (no fact repeated, competing hypotheses with evidence), not its wording.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.core.files import split_citation
from generator.core.quotes import find_quote, nfc, normalise
from generator.core.validate import check

from conftest import DOSSIER, ROOT

FOLDER = ROOT / "dossiers" / DOSSIER
KINDS = ("actors", "meetings", "questions")
MAX_REPEATED = 5


def _files(kind: str) -> list[Path]:
    return sorted((FOLDER / kind).glob("*.yaml"))


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _entity_claims() -> list[tuple[str, dict]]:
    """Every claim of an actor, meeting or question (and a question's answer), with its file."""
    claims = []
    for kind in KINDS:
        for path in _files(kind):
            data = _load(path)
            found = list(data.get("claims") or []) + ([data["answer"]] if data.get("answer") else [])
            claims += [(f"{kind}/{path.stem}", claim) for claim in found]
    return claims


def _sources() -> dict:
    return {path.stem: normalise(nfc(path.read_text(encoding="utf-8"))) for path in (FOLDER / "sources").glob("*.txt")}


def _passages(claim: dict, sources: dict) -> set[tuple[str, int, int]]:
    """The source spans a claim cites (one per part of an elided quote)."""
    spans = set()
    for citation in claim.get("cite") or []:
        (source,), _ = split_citation(citation)
        quote = citation[source]
        match = find_quote(sources[source], quote)
        assert match is not None, (source, quote)
        spans |= {(source, start, end) for start, end in match.spans}
    return spans


def _overlap(a: set, b: set) -> bool:
    return any(s == t and start < stop2 and start2 < stop for s, start, stop in a for t, start2, stop2 in b)


def repeated_claims(claims: list[tuple[str, dict]], sources: dict) -> list[str]:
    """The claims that cite a passage (an overlapping span) another claim also cites."""
    spans = [_passages(claim, sources) for _, claim in claims]
    repeated = []
    for i, (where, claim) in enumerate(claims):
        if any(_overlap(spans[i], spans[j]) for j in range(len(claims)) if j != i):
            repeated.append(f"{where}: {claim['text'][:70]}")
    return repeated


def test_the_overlap_count_sees_a_repeated_passage():
    sources = _sources()
    claims = _entity_claims()
    twice = claims + [("copy", claims[0][1])]
    assert repeated_claims(twice, sources)[-1].startswith("copy: ")
    assert len(repeated_claims(twice, sources)) >= 2


def test_each_fact_is_told_once():
    claims = _entity_claims()
    assert len(claims) >= 30, "the dossier's facts are its claims"
    repeated = repeated_claims(claims, _sources())
    assert len(repeated) <= MAX_REPEATED, "\n".join(repeated)


def test_every_open_question_weighs_competing_hypotheses():
    questions = [(path.stem, _load(path)) for path in _files("questions")]
    open_questions = [(name, data) for name, data in questions if data["status"] == "open"]
    assert len(open_questions) >= 6
    for name, data in open_questions:
        hypotheses = data.get("hypotheses") or []
        assert len(hypotheses) >= 2, name
        for hypothesis in hypotheses:
            assert hypothesis.get("likelihood"), (name, hypothesis["text"])
            assert hypothesis.get("cite") or hypothesis.get("against"), (name, hypothesis["text"])
        assert any(h.get("against") for h in hypotheses), f"{name}: no evidence against any hypothesis"


def test_the_bundled_dossier_checks_clean():
    dossiers, report = check(ROOT / "dossiers", "dossiers")
    assert [d.id for d in dossiers] == ["putin-wang-yi-2023-09-20", DOSSIER]
    assert report.lines() == []
