"""The briefing's runs of pages: which parts start one, and the same pages whatever the cut."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pdf_sample import network, sample

from generator.pdf.compile import TEMPLATE_PATH, compile_files, typst_source_files
from generator.pdf.runs import LONG_CANDIDATES, PARTS, parts_present, run_starts, weights

TIMESTAMP = 1695254400


def test_every_part_of_a_full_briefing() -> None:
    parts = list(PARTS)
    sizes = {"questions": 100, "meetings": 400, "actors": 1200, "timeline": 100, "sources": 10}
    # The actors in the middle of eight runs: cover and contents make one.
    assert run_starts(parts, sizes) == ["cover", "summary", "questions", "meetings", "actors", "timeline",
                                        "network", "sources"]


def test_the_template_prints_every_part_and_no_other() -> None:
    """``briefing`` prints the parts ``data.json`` lists, a branch for each: a part of :data:`PARTS` it has no
    branch for would be left out without a word."""
    briefing = TEMPLATE_PATH.read_text(encoding="utf-8").split("#let briefing(", 1)[1]
    entities = re.search(r"let entities = \((.*?)\)", briefing)
    assert entities is not None and "for part in data.parts" in briefing
    branches = set(re.findall(r'part == "(\w+)"', briefing)) | set(re.findall(r"(\w+): \w+", entities.group(1)))
    assert branches == set(PARTS)


def test_the_longest_part_is_chosen_by_size() -> None:
    parts = [part for part in PARTS if part != "changes"]
    # The meetings: four runs before them, four after, each part its own.
    assert run_starts(parts, {"questions": 5, "meetings": 900, "actors": 300, "timeline": 9}) == parts
    # The questions: the front parts are three runs; so are the parts after them.
    assert run_starts(parts, {"questions": 900, "meetings": 5, "actors": 300, "timeline": 9}) == [
        "cover", "contents", "summary", "questions", "meetings", "network", "sources"]


def test_without_network_and_with_the_longest_last() -> None:
    assert run_starts(["cover", "contents", "summary", "questions", "meetings", "actors"],
                      {"questions": 1, "meetings": 2, "actors": 3}) == ["cover", "actors"]


def test_a_briefing_without_entities_keeps_a_run_per_part() -> None:
    assert run_starts(["cover", "contents", "summary"], {}) == ["cover", "contents", "summary"]


def test_parts_present() -> None:
    data = {"changes": None, "questions": [], "meetings": [{"x": 1}], "actors": [{"x": 1}], "timeline": [],
            "sources": [{"x": 1}]}
    assert parts_present(data, network=True) == ["cover", "contents", "summary", "meetings", "actors", "network",
                                                 "sources"]
    assert parts_present(dict(data, changes={"items": []}), network=False) == [
        "cover", "contents", "changes", "summary", "meetings", "actors", "sources"]
    data = {"actors": [{"a": "bc"}], "meetings": [], "title": "x"}
    assert weights(data, {"actors": b'[{"a":"bc"}]', "meetings": b"[]", "title": b'"x"'}) == {
        "actors": len('[{"a":"bc"}]')}


@st.composite
def briefings(draw: st.DrawFn) -> tuple[list[str], dict[str, int]]:
    optional = draw(st.sets(st.sampled_from(["changes", *LONG_CANDIDATES, "network"])))
    parts = [part for part in PARTS if part in {"cover", "contents", "summary", *optional}]
    sizes = {part: draw(st.integers(1, 10**6)) for part in parts if part in LONG_CANDIDATES}
    return parts, sizes


@given(briefings())
def test_the_longest_part_is_the_middle_run(briefing: tuple[list[str], dict[str, int]]) -> None:
    """Typst's first two workers start with runs 0 and N // 2: the longest part is the latter."""
    parts, sizes = briefing
    starts = run_starts(parts, sizes)
    assert starts[0] == "cover" and all(part in parts for part in starts)
    assert starts == [part for part in parts if part in starts]  # in document order
    if not sizes:
        assert starts == parts
        return
    longest = max(sizes.values())
    at = next(index for index, part in enumerate(parts) if sizes.get(part) == longest)
    after = parts[at + 1:]
    assert parts[at] in starts and (not after or after[0] in starts)
    if "network" in after:  # a landscape figure is a run of its own, whatever the part says
        network = after.index("network")
        assert all(part in starts for part in after[network:network + 2])
    if "network" not in parts[:at]:
        assert starts.index(parts[at]) == len(starts) // 2


@pytest.fixture(scope="module")
def sample_files() -> dict[str, bytes]:
    return typst_source_files(sample(), network())


@pytest.fixture(scope="module")
def every_part_a_run(sample_files: dict[str, bytes]) -> bytes:
    """The sample's PDF with a page break before every part, as before the tool chose the runs."""
    return compile_files(_with_runs(sample_files, list(PARTS)), timestamp=TIMESTAMP)


def _with_runs(files: dict[str, bytes], runs: list[str] | None) -> dict[str, bytes]:
    data = json.loads(files["data.json"])
    if runs is None:
        del data["page_runs"]
    else:
        data["page_runs"] = runs
    return dict(files, **{"data.json": json.dumps(data, ensure_ascii=False).encode("utf-8")})


@pytest.mark.parametrize("runs", [["cover"], ["cover", "summary", "actors", "network"], ["cover", "meetings"], None])
def test_the_pages_are_the_same_whatever_the_runs(sample_files: dict[str, bytes], every_part_a_run: bytes,
                                                  runs: list[str] | None) -> None:
    """A part that does not start a run starts with a column break: the very same PDF, byte for byte.

    ``["cover"]``: the whole briefing one run; ``None``: data without the list (every part starts a run).
    """
    assert compile_files(_with_runs(sample_files, runs), timestamp=TIMESTAMP) == every_part_a_run


def test_the_planned_runs_give_the_same_pages(sample_files: dict[str, bytes], every_part_a_run: bytes) -> None:
    data = sample()
    text = json.dumps(data["actors"], ensure_ascii=False)
    for n in (2, 3):  # two more copies, their anchors and their claims' labels their own
        copies = json.loads(text.replace('"actor-', f'"actor{n}-'))
        for claim in (claim for actor in copies for claim in actor["claims"]):
            claim["label"] = claim["label"].replace("fact-", f"fact{n}-")
        data["actors"] += copies
    # the actors are the longest part now: cover, contents and changes make one run
    files = typst_source_files(data, network())
    runs = json.loads(files["data.json"])["page_runs"]
    assert runs == ["cover", "summary", "questions", "meetings", "actors", "timeline", "network", "sources"]
    assert compile_files(files, timestamp=TIMESTAMP) == compile_files(_with_runs(files, list(PARTS)),
                                                                      timestamp=TIMESTAMP)


def test_the_template_breaks_columns_where_no_run_starts(sample_files: dict[str, bytes]) -> None:
    """With a visible mark after each column break, the marks stand at the parts that start no run."""
    import io

    import pypdf

    template = sample_files["template.typ"].decode("utf-8")
    marked = template.replace("{ colbreak(weak: true) }", "{ colbreak(weak: true); [COLBREAK] }") \
        .replace("{ colbreak() }", "{ colbreak(); [COLBREAK] }")
    assert marked.count("COLBREAK") == 2
    files = dict(_with_runs(sample_files, ["cover", "summary", "actors", "network"]),
                 **{"template.typ": marked.encode("utf-8")})
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(compile_files(files))).pages]
    marks = [number for number, text in enumerate(pages) if "COLBREAK" in text]
    # contents, changes, questions, meetings, timeline and sources: each begins a page after a column break
    assert len(marks) == 6 and all(pages[number].count("COLBREAK") == 1 for number in marks)
    labels = json.loads(sample_files["data.json"])["labels"]
    assert f"COLBREAK\n{labels['contents']}" in pages[marks[0]]
