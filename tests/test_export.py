"""``dossier export``: the linked dossier as JSON, valid against its own schema, stable byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from editions_helper import SOURCE_TEXT, write_dossier
from hypothesis import given
from hypothesis import strategies as st

from generator.core import model as m
from generator.core.kinds import folders
from generator.exchange.export import export, export_json, to_json
from generator.pipeline.stages import prepare

from conftest import DOSSIER, ROOT, run_dossier

HOSTILE = ROOT / "tests" / "hostile" / "dossiers" / "hostile-xss"


def export_of(folder: Path, tmp_path: Path, name: str = "export.json") -> tuple[bytes, dict]:
    out = tmp_path / name
    result = run_dossier("export", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"wrote {out}\n"
    data = out.read_bytes()
    return data, json.loads(data)


def schema() -> dict:
    result = run_dossier("export", "--schema")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_schema_is_a_valid_json_schema_documenting_every_field():
    found = schema()
    jsonschema.Draft202012Validator.check_schema(found)
    assert found["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert found["properties"]["version"]["description"] == "The version of this format."
    citation = found["$defs"]["ExportedCitation"]["properties"]
    assert set(citation) == {"source", "quote", "translation", "spans", "credibility"}
    assert "character offsets" in citation["spans"]["description"]
    for name, field in (("ExportedClaim", "disputed_by"), ("ExportedHypothesis", "against")):
        part = found["$defs"][name]["properties"][field]
        assert part["items"] == {"$ref": "#/$defs/ExportedCitation"} and f"``{field}``" in part["description"]
    for name, part in found["$defs"].items():
        for key, field in part.get("properties", {}).items():
            assert field.get("description"), f"{name}.{key} has no description"


def test_export_of_the_bundled_dossier_validates_and_holds_every_id_and_quote(tmp_path):
    folder = ROOT / "dossiers" / DOSSIER
    _, data = export_of(folder, tmp_path)
    validator = jsonschema.Draft202012Validator(schema())
    validator.validate(data)
    for broken in ({**data, "version": 2}, {**data, "unknown": 1}, {k: v for k, v in data.items() if k != "id"},
                   {**data, "actors": [{**data["actors"][0], "actor_kind": "robot"}]}):
        assert not validator.is_valid(broken)
    (linked,), _ = prepare(folder)
    dossier = linked.dossier
    assert (data["format"], data["version"], data["id"]) == ("dossier-export", 1, DOSSIER)
    for folder_name in folders():
        assert [e["id"] for e in data[folder_name]] == list(dossier.table(folder_name))
    exported = {(c["source"], c["quote"]): [tuple(s) for s in c["spans"]] for c in _citations(data)}
    written = [c for entity in [dossier.meta, *dossier.entities()] for _, c in m.contents(entity).citations]
    assert written and {(c.source, c.quote) for c in written} == set(exported)
    for key, spans in exported.items():
        assert spans == list(dossier.quote_spans[key]) and spans
    refs = list(_refs(data))
    assert refs and all(ref["title"] == linked.title(ref["id"]) for ref in refs)
    assert len(data["timeline"]) == len(linked.timeline)
    assert [item["date"]["first_day"] for item in data["timeline"]] == sorted(i["date"]["first_day"] for i in data["timeline"])


def _citations(value):
    if isinstance(value, dict):
        if {"source", "quote", "spans"} <= set(value) <= {"source", "quote", "translation", "spans", "credibility"}:
            yield value
        for item in value.values():
            yield from _citations(item)
    elif isinstance(value, list):
        for item in value:
            yield from _citations(item)


def _refs(value):
    if isinstance(value, dict):
        if set(value) == {"id", "kind", "title"}:
            yield value
        for item in value.values():
            yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def test_export_is_byte_identical_twice_and_resolves_references(tmp_path):
    folder = write_dossier(tmp_path / "dossiers" / "essai", 1)
    first, data = export_of(folder, tmp_path, "a.json")
    second, _ = export_of(folder, tmp_path, "b.json")
    assert first == second
    assert run_dossier("export", str(folder)).stdout.encode("utf-8") == first
    li_wei = next(a for a in data["actors"] if a["id"] == "li-wei")
    claim = li_wei["claims"][0]
    assert claim["date"] == {"iso": "2023-03-03", "precision": "day", "end_precision": None,
                             "first_day": "2023-03-03", "last_day": "2023-03-03"}
    (citation,) = claim["citations"]
    (start, end), = citation["spans"]
    assert SOURCE_TEXT[start:end] == citation["quote"] == "Le ministre Li Wei a rencontré son homologue à Genève le 3 mars 2023"
    question = data["questions"][0]
    (hypothesis,) = question["hypotheses"]
    assert [c["quote"] for c in hypothesis["citations"]] == ["Selon l'agence, Zhao Min a été démis de ses fonctions"]
    (against,) = hypothesis["against"]
    (start, end), = against["spans"]
    assert SOURCE_TEXT[start:end] == against["quote"] == "Le sort du ministre Zhao Min reste inconnu"
    assert claim["disputed_by"] == []
    assert question["about"] == [{"id": "zhao-min", "kind": "actor", "title": "Zhao Min"}]
    assert question["title"] == "Qu'est-il arrivé à Zhao Min ?"
    zhao = next(a for a in data["actors"] if a["id"] == "zhao-min")
    assert zhao["backlinks"] == [{"id": "sort-de-zhao-min", "kind": "question", "title": "Qu'est-il arrivé à Zhao Min ?",
                                  "relations": ["about", "link"]}]
    assert li_wei["backlinks"][0] == {"id": "", "kind": "dossier", "title": "Essai", "relations": ["link"]}
    assert list(data)[:4] == ["format", "version", "id", "title"]


def test_export_of_hostile_text_is_valid_json_that_keeps_every_payload(tmp_path):
    raw, data = export_of(HOSTILE, tmp_path)
    jsonschema.Draft202012Validator(schema()).validate(data)
    (linked,), _ = prepare(HOSTILE)
    assert data["title"] == linked.dossier.meta.title and "<script>" in data["title"]
    for actor in data["actors"]:
        assert actor["title"] == linked.dossier.actors[actor["id"]].name
    assert raw.decode("utf-8").count("\n") > 10 and json.loads(raw) == data


def test_export_usage_and_input_errors(tmp_path):
    assert run_dossier("export").returncode == 2
    assert run_dossier("export", str(tmp_path / "missing")).returncode == 2
    folder = write_dossier(tmp_path / "essai", 1)
    (folder / "actors" / "zhao-min.yaml").write_text("name: Zhao Min\nkind: personne\n", encoding="utf-8")
    result = run_dossier("export", str(folder), "-o", str(tmp_path / "out.json"))
    assert result.returncode == 1
    assert f"{folder}/actors/zhao-min.yaml:2:7: error: `personne` is not a valid kind" in result.stderr
    assert not (tmp_path / "out.json").exists()


_JSON_TEXT = st.text(st.characters(blacklist_categories=("Cs",)))
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | _JSON_TEXT
    | st.floats(min_value=0, max_value=1).map(lambda x: round(x, 4)),
    lambda children: st.lists(children) | st.dictionaries(_JSON_TEXT, children),
    max_leaves=30)


@given(_JSON_VALUES)
def test_json_text_is_the_standard_librarys(value):
    """orjson writes what ``json.dumps(ensure_ascii=False, indent=2)`` wrote, for the values an export holds."""
    assert to_json(value) == json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def test_exports_are_the_standard_librarys_json(tmp_path):
    for folder in (ROOT / "dossiers" / DOSSIER, HOSTILE):
        (linked,), _ = prepare(folder)
        data = export(linked).model_dump(mode="json", by_alias=True)
        assert export_json(linked) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
