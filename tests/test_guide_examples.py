"""The user guide's YAML examples say what the bundled dossier and the checker say.

Every ```yaml block of the format reference and of the writing guide is
checked one of three ways:

- the walk-through of ``writing.md`` ("A small dossier, step by step") is
  assembled into the dossier it builds, which must check clean with the number
  of entities the guide prints;
- any other block is either *quoted* from the bundled dossier (its fields
  are found, with the same values, in one of the bundled files: a Markdown
  text may be an excerpt) or, when it is not, *valid*: dropped into a copy of
  the bundled dossier, it checks without a single error or warning;
- a block that reproduces a bundled file (same title, name or question), and
  any hypothesis shown anywhere in the guide, must be quoted, never merely
  valid: that is what keeps the guide from drifting from the real files.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.core.validate import check

from conftest import DOSSIER, ROOT

GUIDE = ROOT / "docs" / "guide"
BUNDLED = ROOT / "dossiers" / DOSSIER
PAGES = ("reference.md", "writing.md")
WALK_THROUGH = "## A small dossier, step by step"
PATH_IN_TEXT = re.compile(r"`((?:sources|actors|meetings|questions)/[a-z0-9-]+\.yaml|dossier\.yaml)`")
BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.DOTALL | re.MULTILINE)
IDENTITY = ("question", "name", "title")
FIELDS = {
    "dossier": {"title", "as_of", "language", "marking", "authors", "summary", "key_judgments", "previous",
                "assumptions", "review"},
    "sources": {"title", "outlet", "author", "published", "language", "url", "retrieved", "archived", "text_sha256",
                "file_sha256", "reliability", "origin", "notes"},
    "actors": {"name", "kind", "aliases", "country", "summary", "roles", "claims"},
    "meetings": {"title", "date", "place", "status", "participants", "topics", "summary", "outcome", "follows",
                 "claims"},
    "questions": {"question", "status", "opened", "reviewed", "about", "summary", "hypotheses", "exclusive",
                  "exhaustive", "assumptions", "indicators", "answer", "claims"},
}
CLAIM = {"text", "date", "confidence", "cite", "disputed_by", "assumes", "why_changed"}


class Example:
    """One ```yaml block of the guide: where it is, its data, and the file the text says it belongs to."""

    def __init__(self, page: str, line: int, text: str, path: str | None, walk_through: bool):
        self.page, self.line, self.text, self.path, self.walk_through = page, line, text, path, walk_through
        self.data = yaml.safe_load(text)

    def __repr__(self) -> str:
        return f"{self.page}:{self.line}"


def guide_examples() -> list[Example]:
    """Every YAML example of the pages checked, with the file path named in the text just before it."""
    examples = []
    for page in PAGES:
        markdown = (GUIDE / page).read_text(encoding="utf-8")
        start = markdown.find(WALK_THROUGH)
        end = markdown.find("\n## ", start + 1) if start >= 0 else -1
        previous = 0
        for block in BLOCK.finditer(markdown):
            named = PATH_IN_TEXT.findall(markdown[previous:block.start()])
            line = markdown.count("\n", 0, block.start()) + 1
            inside = page == "writing.md" and start <= block.start() < end
            examples.append(Example(page, line, block.group(1), named[-1] if named else None, inside))
            previous = block.end()
    return examples


def _normal(text: str) -> str:
    return " ".join(text.split())


def contained(example, real) -> bool:
    """Is *example* found in *real*: every key with a contained value, list items in order, texts equal
    (a Markdown block, written with `|`, may be an excerpt of the real text)?"""
    if isinstance(example, dict):
        return isinstance(real, dict) and all(k in real and contained(v, real[k]) for k, v in example.items())
    if isinstance(example, list):
        if not isinstance(real, list):
            return False
        position = 0
        for item in example:
            while position < len(real) and not contained(item, real[position]):
                position += 1
            if position == len(real):
                return False
            position += 1
        return True
    if isinstance(example, str) and isinstance(real, str):
        return _normal(example) == _normal(real) or (example.endswith("\n") and _normal(example) in _normal(real))
    return example == real


def bundled_files() -> dict[str, dict]:
    """The bundled dossier's YAML files by path (``actors/wang-yi.yaml``, ``dossier.yaml``)."""
    return {str(p.relative_to(BUNDLED)): yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted(BUNDLED.rglob("*.yaml"))}


def _nodes(data):
    yield data
    children = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
    for child in children:
        yield from _nodes(child)


def quoted(example, files: dict[str, dict]) -> bool:
    """Is *example* found in any bundled file, at any depth?"""
    return any(contained(example, node) for data in files.values() for node in _nodes(data))


def _kind(data) -> str:
    """The kind of file a block is written for, from its keys."""
    if isinstance(data, list) or set(data) <= CLAIM:
        return "claim"
    keys = set(data)
    for kind, marks in (("questions", {"question", "hypotheses", "answer", "indicators", "about"}),
                        ("meetings", {"date", "participants", "topics", "follows", "place", "outcome"}),
                        ("sources", {"published", "outlet", "url", "reliability", "author", "notes"}),
                        ("dossier", {"as_of", "key_judgments", "marking", "authors"})):
        if keys & marks and keys <= FIELDS[kind]:
            return kind
    assert keys <= FIELDS["actors"], f"no kind of file has all of {sorted(keys)}"
    return "actors"


def _as_file(data, files: dict[str, dict]) -> tuple[str, dict]:
    """Where *data* goes in a copy of the bundled dossier, completed into a whole file."""
    kind = _kind(data)
    if kind == "claim":
        claims = data if isinstance(data, list) else [dict({"text": "Exemple."}, **data)]
        return "actors/exemple-guide.yaml", {"name": "Exemple", "kind": "person", "claims": claims}
    if kind == "dossier":
        return "dossier.yaml", dict(files["dossier.yaml"], **data)
    if kind == "sources":
        return "sources/consultation-2023-09-18.yaml", dict(files["sources/consultation-2023-09-18.yaml"], **data)
    required = {"actors": {"name": "Exemple", "kind": "person"}, "meetings": {"title": "Exemple", "date": "2023-09"},
                "questions": {"question": "Exemple ?", "status": "open"}}[kind]
    return f"{kind}/exemple-guide.yaml", dict(required, **data)


def diagnostics_in_bundled_copy(example: Example, tmp_path: Path) -> list[str]:
    """The checker's lines for the bundled dossier with *example* written into it."""
    copy = tmp_path / "dossiers" / DOSSIER
    shutil.copytree(BUNDLED, copy)
    path, data = _as_file(example.data, bundled_files())
    (copy / path).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return check(copy, str(copy))[1].lines()


def _reproduces(example: Example, files: dict[str, dict]) -> str | None:
    """The bundled file a whole-file example claims to be: the file the text names just before it, or the
    one with the same title, name or question."""
    if not isinstance(example.data, dict):
        return None
    if example.path in files and _kind(example.data) == example.path.split("/")[0].removesuffix(".yaml"):
        return example.path
    for path, data in files.items():
        if any(key in example.data and example.data[key] == data.get(key) for key in IDENTITY):
            return path
    return None


EXAMPLES = guide_examples()
OUTSIDE = [e for e in EXAMPLES if not e.walk_through]


def test_the_guide_has_examples_to_check():
    assert {e.page for e in EXAMPLES} == set(PAGES)
    assert len(OUTSIDE) >= 15
    assert sum(e.walk_through for e in EXAMPLES) >= 6


@pytest.mark.parametrize("example", OUTSIDE, ids=repr)
def test_an_example_is_quoted_from_the_bundled_dossier_or_valid(example, tmp_path):
    files = bundled_files()
    same = _reproduces(example, files)
    if same:
        assert contained(example.data, files[same]), f"{example} drifts from {same}"
    elif not quoted(example.data, files):
        assert diagnostics_in_bundled_copy(example, tmp_path) == []


@pytest.mark.parametrize("example", EXAMPLES, ids=repr)
def test_a_hypothesis_in_the_guide_is_one_of_the_bundled_dossier(example):
    shown = [node for node in _nodes(example.data) if isinstance(node, dict) and "hypotheses" in node]
    questions = [data for path, data in bundled_files().items() if path.startswith("questions/")]
    for node in shown:
        for hypothesis in node["hypotheses"]:
            assert any(contained(hypothesis, real) for q in questions for real in q.get("hypotheses") or []), \
                f"{example}: {hypothesis['text']}"


def test_the_walk_through_builds_a_dossier_that_checks_clean(tmp_path):
    folder = tmp_path / "dossiers" / "wang-yi-malte"
    files: dict[str, dict] = {}
    for example in (e for e in EXAMPLES if e.walk_through):
        assert example.path, f"{example}: the text before the block names no file"
        files.setdefault(example.path, {}).update(example.data)
    # Named in a sentence, not in a block: `actors/etats-unis.yaml` (`name: États-Unis`, `kind: state`).
    files["actors/etats-unis.yaml"] = {"name": "États-Unis", "kind": "state"}
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for source in files:
        if source.startswith("sources/"):
            text = (BUNDLED / source).with_suffix(".txt")
            shutil.copy(text, (folder / source).with_suffix(".txt"))
    dossiers, report = check(folder, str(folder))
    assert report.lines() == []
    writing = (GUIDE / "writing.md").read_text(encoding="utf-8")
    walk = writing[writing.find(WALK_THROUGH):]
    stated = re.findall(r"checked 1 dossier: (\d+) entities", walk[:walk.find("\n## ", 1)])
    assert stated and len(list(dossiers[0].entities())) == int(stated[-1])


def test_a_drifted_example_is_not_quoted():
    files = bundled_files()
    source = files["sources/consultation-2023-09-18.yaml"]
    drifted = dict(source, notes="futur, donc avant le mardi 19\net autre chose")
    assert contained(source, source) and not contained(drifted, source)
    assert not quoted({"text": "La guerre en Ukraine a occupé une part importante des entretiens."}, files)


def test_an_invalid_example_is_not_valid(tmp_path):
    wrong = Example("reference.md", 0, 'cite:\n  - wang-malte-2023-09-18: "Wang a discuté du commerce"\n', None, False)
    lines = diagnostics_in_bundled_copy(wrong, tmp_path)
    assert len(lines) == 1 and "quote not found in source `wang-malte-2023-09-18`" in lines[0]
