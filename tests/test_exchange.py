"""``dossier export --format ftm|annotations``, the files the site publishes beside the JSON, and
``dossier add actor --from-ftm``: FollowTheMoney entities checked by the ``followthemoney`` package and its
``ftm`` command, W3C Web Annotations checked against the model's documented shape and against the texts."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from followthemoney import model as ftm_model
from followthemoney.proxy import EntityProxy

from generator.pipeline.stages import prepare

from conftest import DOSSIER, ROOT, run_dossier

FTM = Path(sys.executable).parent / "ftm"
BUNDLED = ROOT / "dossiers" / DOSSIER

WIRE = ("On Saturday, Amy Hart met Ben Cole in Valletta. They talked for two days about the grain deal.\n\n"
        "The ministry said nothing. A later report said the talks had failed.\n")
READOUT = "Amy Hart, envoy of the United States, thanked Malta for hosting the talks.\n"
TALKS = {
    "dossier.yaml": "title: Valletta talks\nas_of: 2023-09-18\nlanguage: en\nauthors: [Desk]\n"
                    "summary: \"[[amy-hart]] met [[ben-cole]].\"\n"
                    "key_judgments:\n  - text: \"[[amy-hart]] and [[ben-cole]] met in Valletta.\"\n"
                    "    confidence: high\n    cite:\n      - wire: \"Amy Hart met Ben Cole in Valletta\"\n",
    "sources/wire.yaml": "title: A wire\noutlet: Wire Agency\nauthor: A. Writer\npublished: 2023-09-18\n"
                         "language: en\nreliability: B\nurl: https://example.org/wire\n",
    "sources/wire.txt": WIRE,
    "sources/readout.yaml": "title: Readout\npublished: 2023-09-17\nlanguage: en\n",
    "sources/readout.txt": READOUT,
    "actors/amy-hart.yaml": "name: Amy Hart\nkind: person\naliases: [A. Hart]\ncountry: united-states\n"
                            "summary: Envoy of [[united-states|the United States]].\n"
                            "roles:\n  - title: Envoy\n    of: united-states\n    from: 2023-07\n"
                            "    cite:\n      - readout: \"Amy Hart, envoy of the United States\"\n"
                            "  - title: Board member\n    of: grain-council\n    from: 2021\n    until: 2022\n",
    "actors/ben-cole.yaml": "name: Ben Cole\nkind: person\ncountry: malta\n",
    "actors/united-states.yaml": "name: United States\nkind: state\naliases: [USA]\nwikidata: Q30\n",
    "actors/malta.yaml": "name: Malta\nkind: state\nroles:\n  - title: Host\n    of: grain-council\n",
    "actors/grain-council.yaml": "name: Grain Council\nkind: organisation\ncountry: malta\n",
    "meetings/valletta-2023-09.yaml": "title: Valletta talks\ndate: 2023-09-16/2023-09-17\nplace: Valletta\n"
                                       "participants: [amy-hart, {actor: ben-cole, role: host}]\n"
                                       "claims:\n  - text: They talked for two days [[malta|in Malta]].\n"
                                       "    date: 2023-09\n    cite:\n"
                                       "      - wire: \"They talked for two days […] the grain deal\"\n"
                                       "    disputed_by:\n      - wire: \"the talks had failed\"\n"
                                       "        credibility: 4\n",
    "questions/what-was-said.yaml": "question: What did [[amy-hart]] say?\nstatus: open\nabout: [amy-hart]\n"
                                     "hypotheses:\n  - text: Nothing of note.\n    likelihood: unlikely\n"
                                     "    cite:\n      - wire: The ministry said nothing\n"
                                     "    against:\n      - readout: thanked Malta for hosting the talks\n",
}


def write_talks(folder: Path) -> Path:
    for name, content in TALKS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def talks(tmp_path_factory) -> Path:
    return write_talks(tmp_path_factory.mktemp("en") / "valletta-talks")


def exported(folder: Path, out: Path, format_: str, *extra: str) -> bytes:
    result = run_dossier("export", "--format", format_, str(folder), "-o", str(out), *extra)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"wrote {out}\n"
    return out.read_bytes()


def entities(raw: bytes) -> dict[str, dict]:
    lines = raw.decode("utf-8").splitlines()
    found = {data["id"]: data for data in map(json.loads, lines)}
    assert len(found) == len(lines), "entity ids are unique"
    return found


# -- FollowTheMoney ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["bundled", "english"])
def test_every_ftm_entity_validates_with_the_package_and_the_ftm_command(which, talks, tmp_path):
    folder = BUNDLED if which == "bundled" else talks
    raw = exported(folder, tmp_path / "a.ftm.jsonl", "ftm")
    assert raw == exported(folder, tmp_path / "b.ftm.jsonl", "ftm"), "byte-stable"
    found = entities(raw)
    for line in raw.decode("utf-8").splitlines():
        assert list(json.loads(line)) == ["id", "properties", "schema"]  # keys sorted, one entity a line
    for data in found.values():
        schema = ftm_model.get(data["schema"])
        assert schema is not None and not schema.abstract, data
        assert schema.validate(data) is None, data
        entity = EntityProxy.from_dict(data, cleaned=False)
        for prop, values in data["properties"].items():  # every value is one the schema's type accepts as is
            ftm_type = schema.properties[prop].type
            assert [ftm_type.clean(v) for v in values] == values, (data["id"], prop, values)
        for prop in entity.schema.properties.values():  # every reference points at an entity of the file
            if prop.type.name == "entity":
                assert all(target in found for target in entity.get(prop)), (data["id"], prop.name)
    result = subprocess.run([str(FTM), "validate", "-i", str(tmp_path / "a.ftm.jsonl"), "-o", str(tmp_path / "v.jsonl")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    validated = entities((tmp_path / "v.jsonl").read_bytes())
    assert {i: (d["schema"], d["properties"]) for i, d in validated.items()} == \
           {i: (d["schema"], d["properties"]) for i, d in found.items()}, "ftm validate keeps every value"


def test_ftm_entities_map_the_dossier(talks, tmp_path):
    found = entities(exported(talks, tmp_path / "t.ftm.jsonl", "ftm"))
    p = "valletta-talks."
    wire = found[p + "wire"]
    assert wire["schema"] == "Document"
    assert wire["properties"] == {
        "title": ["A wire"], "publisher": ["Wire Agency"], "author": ["A. Writer"], "publishedAt": ["2023-09-18"],
        "language": ["eng"], "sourceUrl": ["https://example.org/wire"], "fileName": ["wire.txt"],
        "mimeType": ["text/plain"], "contentHash": [hashlib.sha1(WIRE.encode("utf-8")).hexdigest()]}
    amy = found[p + "amy-hart"]
    assert (amy["schema"], amy["properties"]) == ("Person", {
        "name": ["Amy Hart"], "alias": ["A. Hart"], "country": ["us"], "notes": ["Envoy of the United States."]})
    assert found[p + "united-states"]["schema"] == "PublicBody"
    assert found[p + "united-states"]["properties"]["country"] == ["us"]
    assert found[p + "united-states"]["properties"]["wikidataId"] == ["Q30"]  # issue 26's wikidata
    assert found[p + "grain-council"]["properties"] == {"name": ["Grain Council"], "country": ["mt"]}
    envoy = found[p + "amy-hart.role-1"]
    assert envoy["schema"] == "Occupancy"
    assert envoy["properties"]["holder"] == [p + "amy-hart"] and envoy["properties"]["proof"] == [p + "readout"]
    assert envoy["properties"]["startDate"] == ["2023-07"] and "endDate" not in envoy["properties"]
    post = found[envoy["properties"]["post"][0]]
    assert (post["schema"], post["properties"]) == ("Position", {
        "name": ["Envoy"], "country": ["us"], "organization": [p + "united-states"]})
    board = found[p + "amy-hart.role-2"]["properties"]
    assert (board["startDate"], board["endDate"], board["status"]) == (["2021"], ["2022"], ["ended"])
    host = found[p + "malta.role-1"]
    assert (host["schema"], host["properties"]) == ("Membership", {
        "member": [p + "malta"], "organization": [p + "grain-council"], "role": ["Host"]})
    event = found[p + "valletta-2023-09"]
    assert (event["schema"], event["properties"]) == ("Event", {
        "name": ["Valletta talks"], "startDate": ["2023-09-16"], "endDate": ["2023-09-17"], "location": ["Valletta"],
        "keywords": ["held"], "involved": [p + "amy-hart", p + "ben-cole"]})
    note = found[p + "valletta-2023-09.claim-1"]
    assert note["properties"] == {"description": ["They talked for two days in Malta."], "proof": [p + "wire"],
                                  "entity": [p + "valletta-2023-09", p + "malta", p + "amy-hart", p + "ben-cole"]}
    docs = [d for d in found.values() if d["schema"] == "Documentation" and d["properties"]["entity"] == [note["id"]]]
    assert [(d["properties"]["role"], d["properties"]["summary"], d["properties"].get("status")) for d in docs] == [
        (["cite"], ["They talked for two days […] the grain deal"], None),
        (["disputed_by"], ["the talks had failed"], ["Credibility 4 — doubtful"])]
    assert found[p + "dossier.kj-1"]["properties"]["entity"] == [p + "amy-hart", p + "ben-cole"]
    role_quote = [d for d in found.values() if d["id"].startswith(p + "amy-hart.role-1.cite.readout.")]
    assert [d["properties"]["entity"] for d in role_quote] == [[p + "amy-hart"]]
    assert not any(d["schema"] == "Note" and "hypothesis" in d["id"] for d in found.values())


def test_hostile_text_keeps_every_payload_in_both_formats(tmp_path):
    hostile = ROOT / "tests" / "hostile" / "dossiers" / "hostile-xss"
    found = entities(exported(hostile, tmp_path / "h.ftm.jsonl", "ftm"))
    (linked,), _ = prepare(hostile)
    for actor in linked.dossier.actors.values():
        assert found[f"hostile-xss.{actor.id}"]["properties"]["name"] == [actor.name]
    assert any("<script>" in name for a in found.values() for name in a["properties"].get("name", []))
    data = json.loads(exported(hostile, tmp_path / "h.jsonld", "annotations"))
    jsonschema.Draft202012Validator(COLLECTION).validate(data)
    assert data["label"] == linked.dossier.meta.title and "<script>" in data["label"]


def test_a_value_ftm_would_drop_stops_the_export_instead(talks):
    from generator.exchange.addresses import Addresses
    from generator.exchange.ftm import _Builder

    (linked,), _ = prepare(talks)
    builder = _Builder(linked, Addresses(linked.dossier.id))
    with pytest.raises(ValueError, match=r"^x\.a: Person:country does not accept 'atlantis'$"):
        builder.make("Person", "x.a", name="A", country="atlantis")
    assert builder.make("Person", "x.a", name="A", alias="\x00").get("alias") == []  # an empty text is left out


def test_ftm_links_to_the_site_only_with_its_address(talks, tmp_path):
    plain = entities(exported(talks, tmp_path / "a.jsonl", "ftm"))
    assert not any("sourceUrl" in d["properties"] for d in plain.values() if d["schema"] != "Document")
    linked = entities(exported(talks, tmp_path / "b.jsonl", "ftm", "--site-url", "https://desk.example/site"))
    assert linked["valletta-talks.amy-hart"]["properties"]["sourceUrl"] == [
        "https://desk.example/site/valletta-talks/actors/amy-hart/"]
    assert set(linked) == set(plain), "ids do not depend on the site's address"


# -- W3C Web Annotations -----------------------------------------------------------------------------------

MOTIVATIONS = ["assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
               "identifying", "linking", "moderating", "questioning", "replying", "tagging"]
"""The motivations the W3C Web Annotation Vocabulary defines (§3.3.5 of the data model)."""
IRI = {"type": "string", "minLength": 1, "pattern": r"^\S+$"}
SELECTOR = {"oneOf": [
    {"type": "object", "required": ["type", "exact"], "properties": {  # §4.2.4 Text Quote Selector
        "type": {"const": "TextQuoteSelector"}, "exact": {"type": "string", "minLength": 1},
        "prefix": {"type": "string"}, "suffix": {"type": "string"}}},
    {"type": "object", "required": ["type", "start", "end"], "properties": {  # §4.2.5 Text Position Selector
        "type": {"const": "TextPositionSelector"}, "start": {"type": "integer", "minimum": 0},
        "end": {"type": "integer", "minimum": 0}}}]}
TARGET = {"type": "object", "required": ["source", "selector"], "properties": {  # §4.1 Specific Resources
    "type": {"const": "SpecificResource"}, "source": IRI,
    "selector": {"type": "array", "minItems": 1, "items": SELECTOR}}}
BODY = {"oneOf": [
    {"type": "object", "required": ["type", "value"], "properties": {  # §3.2.4 Embedded Textual Body
        "type": {"const": "TextualBody"}, "value": {"type": "string", "minLength": 1}, "format": {"type": "string"},
        "language": {"type": "string"}, "purpose": {"enum": MOTIVATIONS}}},
    {"type": "object", "required": ["id"], "not": {"required": ["value"]}, "properties": {  # §3.2.2 External body
        "id": IRI, "type": {"enum": ["Dataset", "Image", "Video", "Sound", "Text"]}, "format": {"type": "string"},
        "language": {"type": "string"}, "purpose": {"enum": MOTIVATIONS}}}]}
ANNOTATION = {"type": "object", "required": ["id", "type", "target"], "not": {"required": ["@context"]}, "properties": {
    "id": IRI, "type": {"const": "Annotation"}, "motivation": {"enum": MOTIVATIONS},  # §3.1, §3.3.5
    "body": {"oneOf": [BODY, {"type": "array", "minItems": 1, "items": BODY}]},
    "target": {"oneOf": [TARGET, {"type": "array", "minItems": 1, "items": TARGET}]}}}
COLLECTION = {  # §5.1 Annotation Collection, §5.2 Annotation Page; the context is given once, as a string (§3.1)
    "type": "object", "required": ["@context", "id", "type", "first"], "properties": {
        "@context": {"const": "http://www.w3.org/ns/anno.jsonld"}, "id": IRI, "type": {"const": "AnnotationCollection"},
        "label": {"type": "string"}, "total": {"type": "integer", "minimum": 0}, "last": IRI,
        "first": {"type": "object", "required": ["id", "type", "items"], "properties": {
            "id": IRI, "type": {"const": "AnnotationPage"}, "startIndex": {"const": 0},
            "items": {"type": "array", "items": ANNOTATION}}}}}


def targets(annotation: dict) -> list[dict]:
    return annotation["target"] if isinstance(annotation["target"], list) else [annotation["target"]]


@pytest.mark.parametrize("which", ["bundled", "english"])
def test_annotations_have_the_w3c_shape_and_every_exact_stands_at_its_offsets(which, talks, tmp_path):
    folder = BUNDLED if which == "bundled" else talks
    raw = exported(folder, tmp_path / "a.jsonld", "annotations")
    assert raw == exported(folder, tmp_path / "b.jsonld", "annotations"), "byte-stable"
    data = json.loads(raw)
    jsonschema.Draft202012Validator(COLLECTION).validate(data)
    items = data["first"]["items"]
    (linked,), _ = prepare(folder)
    dossier = linked.dossier
    written = [c for ev in linked.evidence.values() for e in ev for c in e.all_citations()]
    assert data["total"] == len(items) == len(written) > 0, "one annotation per citation"
    assert len({a["id"] for a in items}) == len(items)
    pages = {s.url or f"sources/{s.id}/": s for s in dossier.sources.values()}
    for annotation in items:
        for target in targets(annotation):
            source = pages[target["source"]]
            quote, position = target["selector"]
            start, end = position["start"], position["end"]
            assert source.text[start:end] == quote["exact"], annotation["id"]
            assert source.text[:start].endswith(quote["prefix"]) and source.text[end:].startswith(quote["suffix"])
            assert len(quote["prefix"]) == min(32, start) and len(quote["suffix"]) == min(32, len(source.text) - end)


def test_annotations_say_what_the_citation_does_and_link_to_the_claim(talks, tmp_path):
    data = json.loads(exported(talks, tmp_path / "t.jsonld", "annotations"))
    by_id = {a["id"].split("#", 1)[1]: a for a in data["first"]["items"]}
    assert data["id"] == "valletta-talks.annotations.jsonld" and data["label"] == "Valletta talks"
    kj = next(a for i, a in by_id.items() if i.startswith("dossier.kj-1.cite.wire.q-"))
    assert kj["motivation"] == "commenting"
    assert kj["body"] == [
        {"type": "TextualBody", "value": "Amy Hart and Ben Cole met in Valletta.", "format": "text/markdown",
         "language": "en", "purpose": "commenting"},
        {"id": "./#kj-1", "type": "Text", "format": "text/html", "language": "en", "purpose": "linking"}]
    assert kj["target"]["source"] == "https://example.org/wire"
    claim = [a for i, a in by_id.items() if i.startswith("valletta-2023-09.claim-1.")]
    assert [a["motivation"] for a in claim] == ["commenting", "questioning"]
    assert [[s["selector"][0]["exact"] for s in targets(a)] for a in claim] == [
        ["They talked for two days", "the grain deal"], ["the talks had failed"]]  # an elision: two targets
    assert len(claim[0]["body"]) == 2 and claim[1]["body"][2] == {
        "type": "TextualBody", "value": "Credibility 4 — doubtful", "format": "text/plain", "language": "en",
        "purpose": "assessing"}
    hypothesis = [a for i, a in by_id.items() if i.startswith("what-was-said.hypothesis-1.")]
    assert [(a["motivation"], a["target"]["source"]) for a in hypothesis] == [
        ("commenting", "https://example.org/wire"), ("questioning", "sources/readout/")]
    assert hypothesis[1]["body"][1]["id"] == "questions/what-was-said/#hypothesis-1"
    role = next(a for i, a in by_id.items() if i.startswith("amy-hart.role-1.cite.readout."))
    assert role["body"][0]["value"] == "Envoy" and role["body"][1]["id"] == "actors/amy-hart/#role-1"
    absolute = json.loads(exported(talks, tmp_path / "u.jsonld", "annotations", "--site-url", "https://d.example",
                                   "--no-directory-urls"))
    first = absolute["first"]["items"][0]
    assert first["id"].startswith("https://d.example/valletta-talks/valletta-talks.annotations.jsonld#dossier.kj-1.")
    assert first["body"][1]["id"] == "https://d.example/valletta-talks/index.html#kj-1"


# -- the site ------------------------------------------------------------------------------------------------

def test_the_site_publishes_both_files_beside_the_json_and_links_them_from_the_home(talks, tmp_path):
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    write_talks(project / "dossiers" / "valletta-talks")
    (project / "mkdocs.yml").write_text("site_name: T\nsite_url: https://desk.example/\ntheme:\n  name: material\n"
                                        "  language: en\nplugins:\n  - dossiers\n", encoding="utf-8")
    result = run_dossier("build", "--no-pdf", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "site" / "valletta-talks"
    for format_, name in (("json", "valletta-talks.json"), ("ftm", "valletta-talks.ftm.jsonl"),
                          ("annotations", "valletta-talks.annotations.jsonld")):
        cli = exported(project / "dossiers" / "valletta-talks", tmp_path / name, format_,
                       *(() if format_ == "json" else ("--site-url", "https://desk.example/")))
        assert (folder / name).read_bytes() == cli, name
    home = (folder / "index.html").read_text(encoding="utf-8")
    assert ('<a href="valletta-talks.ftm.jsonl" class="dossier-ftm">FollowTheMoney entities</a> · '
            '<a href="valletta-talks.annotations.jsonld" class="dossier-annotations">Citations as W3C annotations</a>'
            ) in home
    annotations = json.loads((folder / "valletta-talks.annotations.jsonld").read_text(encoding="utf-8"))
    for annotation in annotations["first"]["items"]:  # every link lands on an element of a built page
        link = annotation["body"][1]["id"].removeprefix("https://desk.example/")
        page, anchor = link.split("#")
        html = (tmp_path / "site" / page / "index.html").read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html, link
    published = {name: (folder / name).read_bytes() for name in ("valletta-talks.ftm.jsonl",
                                                                  "valletta-talks.annotations.jsonld")}
    again = run_dossier("build", "--no-pdf", "--site-dir", str(tmp_path / "site"), cwd=project)  # from the cache
    assert again.returncode == 0, again.stderr
    assert {name: (folder / name).read_bytes() for name in published} == published
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.replace("https://desk.example/", "https://other.example/"), "utf-8")
    moved = run_dossier("build", "--no-pdf", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert moved.returncode == 0, moved.stderr
    annotations = json.loads((folder / "valletta-talks.annotations.jsonld").read_text(encoding="utf-8"))
    assert annotations["id"] == "https://other.example/valletta-talks/valletta-talks.annotations.jsonld"


# -- dossier add actor --from-ftm ----------------------------------------------------------------------------

def test_actors_come_back_from_ftm_into_files_that_check_clean(talks, tmp_path):
    ftm_file = tmp_path / "talks.ftm.jsonl"
    exported(talks, ftm_file, "ftm")
    other = tmp_path / "other"
    assert run_dossier("new", str(other), "--language", "en").returncode == 0
    (other / "dossier.yaml").write_text("title: Other\nas_of: 2023-09-18\nlanguage: en\nsummary: Another dossier.\n",
                                        encoding="utf-8")  # the new dossier's placeholders written
    made = run_dossier("add", "actor", str(other), "united-states", "--from-ftm", str(ftm_file))
    assert made.returncode == 0 and made.stderr == f"created {other}/actors/united-states.yaml\n", made.stderr
    made = run_dossier("add", "actor", str(other), "amy", "--from-ftm", str(ftm_file), "--ftm-id", "valletta-talks.amy-hart")
    assert made.returncode == 0, made.stderr
    amy = (other / "actors" / "amy.yaml").read_text(encoding="utf-8")
    assert "# From FollowTheMoney: Person `valletta-talks.amy-hart` in talks.ftm.jsonl\n" in amy
    assert "\nname: Amy Hart\n" in amy and "\nkind: person\n" in amy and "\naliases:\n  - A. Hart\n" in amy
    assert "\ncountry: united-states\n" in amy and "\nsummary: |\n  Envoy of the United States.\n" in amy
    made = run_dossier("add", "actor", str(other), "grain-council", "--from-ftm", str(ftm_file))
    assert made.returncode == 0
    assert made.stderr.splitlines()[0] == (
        f"{ftm_file}: note: country `mt` (Malta): no state of the dossier has that name; "
        f"add it (`dossier add actor {other} ID`, kind: state) and write its id as `country`")
    assert "\nkind: organisation\n" in (other / "actors" / "grain-council.yaml").read_text(encoding="utf-8")
    assert "\nkind: state\n" in (other / "actors" / "united-states.yaml").read_text(encoding="utf-8")
    checked = run_dossier("check", str(other))
    assert checked.returncode == 0 and checked.stderr.startswith("0 errors, 0 warnings\n"), checked.stderr
    assert "3 entities" in checked.stderr


def test_ftm_import_errors_are_located(talks, tmp_path):
    ftm_file = tmp_path / "talks.ftm.jsonl"
    exported(talks, ftm_file, "ftm")
    other = tmp_path / "other"
    assert run_dossier("new", str(other), "--language", "en").returncode == 0

    def add(*args: str) -> tuple[int, str]:
        result = run_dossier("add", "actor", str(other), *args)
        return result.returncode, result.stderr

    assert add("amy-hurt", "--from-ftm", str(ftm_file)) == (1, (
        f"{ftm_file}: error: no entity `amy-hurt` (nor one whose id ends in `.amy-hurt`); name it with --ftm-id\n"))
    assert add("amy", "--from-ftm", str(ftm_file), "--ftm-id", "valletta-talks.amy-hurt") == (1, (
        f"{ftm_file}: error: no entity `valletta-talks.amy-hurt`; did you mean `valletta-talks.amy-hart`?\n"))
    line = next(n for n, text in enumerate(ftm_file.read_text(encoding="utf-8").splitlines(), 1)
                if '"id":"valletta-talks.valletta-2023-09"' in text)
    assert add("valletta-2023-09", "--from-ftm", str(ftm_file)) == (1, (
        f"{ftm_file}:{line}:1: error: entity `valletta-talks.valletta-2023-09` has the schema Event: only a Person or an "
        "Organization (a Company, a PublicBody) can become an actor\n"))
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "schema": "Person", "properties": {"name": ["A"]}}\n{"id": "b",\n', encoding="utf-8")
    assert add("b", "--from-ftm", str(broken)) == (1, f"{broken}:2:12: error: not valid JSON: Expecting property name "
                                                      "enclosed in double quotes\n")
    nameless = tmp_path / "nameless.jsonl"
    nameless.write_text('{"id": "x.ann", "schema": "Person", "properties": {"country": ["fr"]}}\n', encoding="utf-8")
    assert add("ann", "--from-ftm", str(nameless)) == (1, f"{nameless}:1:1: error: entity `x.ann` has no name\n")
    fragments = tmp_path / "fragments.jsonl"  # one entity in two lines, as FtM files may give it: merged
    fragments.write_text('{"id": "os.x1", "schema": "Person", "properties": {"name": ["Li Wei"]}}\n'
                         '{"id": "os.x2", "schema": "Person", "properties": {"name": ["Other"]}}\n'
                         '{"id": "os.x1", "schema": "Person", "properties": {"alias": ["Li W."]}}\n'
                         '{"id": "os.x1", "schema": "Company", "properties": {"name": ["Li Wei Ltd"]}}\n', encoding="utf-8")
    assert add("li-wei", "--from-ftm", str(fragments), "--ftm-id", "os.x1")[1].startswith(
        f"{fragments}:4:1: error: entity `os.x1` is not a valid FollowTheMoney entity: ")
    fragments.write_text("".join(fragments.read_text(encoding="utf-8").splitlines(keepends=True)[:3]), encoding="utf-8")
    assert add("li-wei", "--from-ftm", str(fragments), "--ftm-id", "os.x1") == (
        0, f"created {other}/actors/li-wei.yaml\n")
    li_wei = (other / "actors" / "li-wei.yaml").read_text(encoding="utf-8")
    assert "\nname: Li Wei\n" in li_wei and "\naliases:\n  - Li W.\n" in li_wei
    (other / "actors" / "li-wei.yaml").unlink()
    odd = tmp_path / "odd.jsonl"
    odd.write_text('{"id": "x.robot", "schema": "Robot", "properties": {}}\n', encoding="utf-8")
    assert add("robot", "--from-ftm", str(odd)) == (
        1, f"{odd}:1:1: error: entity `x.robot` is not a valid FollowTheMoney entity: No schema for entity.\n")
    odd.write_bytes(b"\xff\xfe")
    assert add("robot", "--from-ftm", str(odd)) == (1, f"{odd}: error: cannot be read: 'utf-8' codec can't decode "
                                                       "byte 0xff in position 0: invalid start byte\n")
    assert list((other / "actors").glob("*.yaml")) == [], "no file is written when the import fails"
    usage = run_dossier("add", "meeting", str(other), "m", "--from-ftm", str(ftm_file))
    assert usage.returncode == 2 and "--from-ftm imports an actor" in usage.stderr
    usage = run_dossier("export", "--format", "ftm", "--schema")
    assert usage.returncode == 2 and "--schema describes the JSON export" in usage.stderr


def test_the_guide_names_every_new_message():
    errors = (ROOT / "docs" / "guide" / "errors.md").read_text(encoding="utf-8")
    for message in ("no entity `…` (nor one whose id ends in `.…`); name it with --ftm-id",
                    "entity `…` has the schema …: only a Person or an Organization (a Company, a PublicBody) can become an actor",
                    "entity `…` has no name", "entity `…` is not a valid FollowTheMoney entity: …",
                    "no state of the dossier has that name"):
        assert message in errors, message
    assert re.search(r"ftm validate -i \S+\.ftm\.jsonl", (ROOT / "docs" / "guide" / "exchange.md").read_text("utf-8"))
