"""Facts told once and shown wherever they belong (issue 12): `against` and `disputed_by`
citations checked like `cite`, claims shown in full on every page they concern, the
evidence matrix of competing hypotheses, disputed facts listed, and site typography."""

from __future__ import annotations

from pathlib import Path

from generator.validate import check

BASE = {
    "dossier.yaml": "title: Talks\nas_of: 2023-09-20\nlanguage: en\nsummary: Amy met Ben.\n",
    "sources/wire.yaml": "title: A wire\npublished: 2023-09-18\n",
    "sources/wire.txt": "On Saturday, Amy met Ben in Valletta. They talked for two days.\n\n"
                        "Nothing was said. Ben denied any meeting.\n",
    "actors/amy.yaml": "name: Amy\nkind: person\n",
    "actors/ben.yaml": "name: Ben\nkind: person\n",
}


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def check_lines(folder: Path) -> list[str]:
    _, report = check(folder, folder.name)
    return [line.replace(str(folder) + "/", "") for line in report.lines()]


def test_against_and_disputed_by_quotes_are_checked(tmp_path):
    folder = write(tmp_path / "d", {**BASE,
        "actors/amy.yaml": "name: Amy\nkind: person\nclaims:\n  - text: Amy met [[ben]].\n    cite:\n"
                           "      - wire: Amy met Ben\n    disputed_by:\n      - wire: Ben denied a meeting\n",
        "questions/why.yaml": "question: Why?\nstatus: open\nhypotheses:\n  - text: Chance.\n    cite:\n"
                              "      - wire: They talked\n    against:\n      - wire: Nothing was sad\n"})
    lines = check_lines(folder)
    assert any(line.startswith("d/actors/amy.yaml:8:15: error: quote not found in source `wire`") for line in lines), lines
    assert any(line.startswith("d/questions/why.yaml:8:15: error: quote not found in source `wire`") for line in lines), lines
    fixed = write(folder, {"actors/amy.yaml": (folder / "actors/amy.yaml").read_text().replace("denied a", "denied any"),
                           "questions/why.yaml": (folder / "questions/why.yaml").read_text().replace("sad", "said")})
    assert [line for line in check_lines(fixed) if "error" in line] == []


# -- each relation declared once (issue 17) ------------------------------------------

def declared_relations():
    from generator import model as m
    for cls in m._model_classes():
        for name, info in getattr(cls, "model_fields", {}).items():
            ref = m.ref_of(info)
            if ref is not None:
                yield cls.__name__, info.alias or name, ref


def test_every_relation_is_declared_once_with_labels_in_both_languages():
    from generator.render.labels import labels
    found = {(owner, key): (ref.range, ref.reverse, ref.edge) for owner, key, ref in declared_relations()}
    assert found == {("Role", "of"): (("actor",), "of", "out"), ("Participant", "actor"): (("actor",), "participant", "in"),
                     ("Actor", "country"): (("actor",), "country", "out"),
                     ("Meeting", "follows"): (("meeting",), "follows", "in"), ("Question", "about"): ((), "about", None)}
    for _, _, reverse, in [(o, k, r.reverse) for o, k, r in declared_relations()]:
        assert labels("fr")[f"rel_{reverse}"] and labels("en")[f"rel_{reverse}"]


def test_references_drive_validation_backlinks_and_edges(tmp_path):
    from generator.build import prepare
    from generator.render.graph import network_graph
    folder = write(tmp_path / "d", {**BASE,
        "actors/amy.yaml": "name: Amy\nkind: person\ncountry: malta\nroles:\n  - title: Envoy\n    of: ben\n",
        "actors/malta.yaml": "name: Malta\nkind: state\n",
        "meetings/talks.yaml": "title: Talks\ndate: 2023-09-16\nparticipants: [amy, {actor: ben, role: host}]\n",
        "meetings/later.yaml": "title: Later\ndate: 2023-09-20\nfollows: [talks]\n",
        "questions/why.yaml": "question: Why?\nstatus: open\nabout: [talks, amy]\n"})
    (linked,), report = prepare(folder)
    assert not report.errors, report.lines()
    relations = {(b.owner, b.relation) for b in linked.backlinks["amy"]}
    assert relations == {("talks", "participant"), ("why", "about")}
    assert {(b.owner, b.relation) for b in linked.backlinks["malta"]} == {("amy", "country")}
    assert {(b.owner, b.relation) for b in linked.backlinks["talks"]} == {("later", "follows"), ("why", "about")}
    _, edges = network_graph(linked, None)
    assert edges == sorted([("amy", "talks"), ("ben", "talks"), ("amy", "ben"), ("amy", "malta"), ("talks", "later")])
    write(folder, {"meetings/later.yaml": "title: Later\ndate: 2023-09-20\nfollows: [amy]\n"})
    assert "d/meetings/later.yaml:3:11: error: `amy` is an actor, not a meeting" in check_lines(folder)
