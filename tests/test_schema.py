"""The JSON Schemas for editors agree with the checker, both ways, on YAML read as editors read it."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from pydantic import ValidationError

from generator.authoring.schema import classes

from conftest import DOSSIER, ROOT, run_dossier

KINDS = {"actors": "actor", "meetings": "meeting", "questions": "question", "sources": "source"}


class EditorLoader(yaml.SafeLoader):
    """YAML as VS Code's YAML extension reads it: `2023-09-18` stays a text (no timestamps)."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _schemas(tmp_path) -> dict[str, dict]:
    result = run_dossier("schema", "--write", str(tmp_path / "schemas"))
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert files == ["actor.schema.json", "dossier.schema.json", "meeting.schema.json", "question.schema.json",
                     "source.schema.json"]
    return {kind: json.loads((tmp_path / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")) for kind in classes()}


def _checker_accepts(kind: str, data) -> bool:
    try:
        classes()[kind].model_validate(data)
    except (ValidationError, ValueError):
        return False
    return True


def test_one_kind_has_schema_and_id():
    result = run_dossier("schema", "meeting")
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:dossier:schema:meeting"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert run_dossier("schema").returncode == 2


def test_the_bundled_dossier_is_valid_for_editors(tmp_path):
    schemas = _schemas(tmp_path)
    folder = ROOT / "dossiers" / DOSSIER
    files = [(folder / "dossier.yaml", "dossier")] + [
        (path, kind) for sub, kind in KINDS.items() for path in sorted((folder / sub).glob("*.yaml"))]
    assert len(files) > 10
    for path, kind in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=EditorLoader)
        errors = [e.message for e in jsonschema.Draft202012Validator(schemas[kind]).iter_errors(data)]
        assert errors == [], (path.name, errors)


ACCEPTED = [
    ("meeting", "title: T\ndate: 2022\n"),
    ("meeting", "title: T\ndate: 2023-09-16/2023-09-17\nparticipants: [wang-yi, {actor: lavrov, role: host}]\n"),
    ("actor", "name: White House\nkind: organization\n"),
    ("dossier", "title: T\nas_of: 2023-09\nsummary: S\nauthors: One Name\n"),
    ("source", "title: T\npublished: 2023-09-18\nurl: https://example.org/a\nreliability: B\n"),
    ("question", "question: Q?\nstatus: open\nhypotheses:\n  - text: H\n    likelihood: likely\n    cite:\n      - src: \"q\"\n"),
]
REJECTED = [
    ("meeting", "title: T\ndate: 2023/09/17\n"),
    ("meeting", "title: T\ndate: 2023-9-17\n"),
    ("meeting", "title: T\ndate: 2023-09-17\nstatus: completed\n"),
    ("meeting", "title: T\ndate: 2023-09-17\nparticipants: [Wang_Yi]\n"),
    ("question", "question: Q?\nstatus: open\nabout: joe-biden\n"),
    ("question", "question: Q?\nstatus: open\nhypotheses:\n  - text: H\n    likelihood: probable\n"),
    ("question", "question: Q?\n"),
    ("actor", "name: X\nkind: persn\n"),
    ("actor", "name: 42\nkind: person\n"),
    ("actor", "name: X\nkind: person\nclaims:\n  - text: C\n    cite:\n      - {a: q, b: r}\n"),
    ("source", "title: T\npublished: 2023-09-18\nurl: javascript:alert(1)\n"),
    ("source", "title: T\npublished: 2023-09-18\nreliability: G\n"),
    ("dossier", "title: T\nas_of: 2023-09-18\nsummary: S\nlanguage: de\n"),
    ("dossier", "title: T\nas_of: 2023-09-18\nsummary: S\nsumary: typo\n"),
]


@pytest.mark.parametrize(("kind", "text", "valid"), [(*case, True) for case in ACCEPTED] + [(*case, False) for case in REJECTED])
def test_schema_and_checker_agree(tmp_path, kind, text, valid):
    schema = json.loads(run_dossier("schema", kind).stdout)
    data = yaml.load(text, Loader=EditorLoader)
    assert _checker_accepts(kind, data) is valid
    assert jsonschema.Draft202012Validator(schema).is_valid(data) is valid
