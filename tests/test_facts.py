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
