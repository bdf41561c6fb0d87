"""Dates held to the dossier's cut-off (``as_of``), and the templates' placeholders left in files (generator/core/cutoff.py)."""

from __future__ import annotations

from pathlib import Path

from conftest import run_dossier

CUT = "the dossier's cut-off (`as_of: 2023-04-07`)"


def _dossier(root: Path, files: dict[str, str]) -> Path:
    folder = root / "beijing"
    base = {"dossier.yaml": "title: Beijing talks\nas_of: 2023-04-07\nlanguage: en\nsummary: Talks in Beijing.\n",
            "sources/mehr.txt": "The talks began in Beijing on March 6. They ended on March 10.\n",
            "sources/mehr.yaml": "title: Talks\npublished: 2023-03-11\n"}
    for name, text in {**base, **files}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _lines(folder: Path) -> list[str]:
    return run_dossier("check", ".", cwd=folder).stderr.splitlines()


def test_sources_claims_held_meetings_and_answers_after_the_cut_off_are_located_warnings(tmp_path):
    folder = _dossier(tmp_path, {
        "sources/later.txt": "A year on, the embassies had reopened.\n",
        "sources/later.yaml": "title: A year on\npublished: 2024-01\n",
        "meetings/riyadh.yaml": "title: Riyadh follow-up\ndate: 2023-11-02\nstatus: held\n",
        "meetings/next.yaml": ("title: Next round\ndate: 2023-11\nstatus: planned\nclaims:\n  - text: A round is due.\n"
                               "    date: 2023-11\n    cite:\n      - mehr: \"They ended on March 10.\"\n"),
        "questions/reopen.yaml": ("question: Will the embassies reopen?\nstatus: answered\nanswer:\n"
                                  "  text: They reopened.\n  date: 2023-06\n  cite:\n"
                                  "    - later: \"the embassies had reopened\"\n"),
    })
    assert _lines(folder) == [
        f"meetings/riyadh.yaml:2:7: warning: a meeting held 2023-11-02, after {CUT}: if it is still to come, write "
        "`status: planned`; else move `as_of`",
        f"questions/reopen.yaml:5:9: warning: dated 2023-06, after {CUT}: move `as_of`, or check the date",
        f"sources/later.yaml:2:12: warning: published 2024-01, after {CUT}: the dossier cannot have read it then; "
        "move `as_of`, or check the date",
        "0 errors, 3 warnings", "checked 1 dossier: 5 entities"]


def test_a_source_published_before_the_event_it_alone_reports_is_a_warning(tmp_path):
    folder = _dossier(tmp_path, {
        "sources/early.txt": "Delegations are expected in Beijing next week.\n",
        "sources/early.yaml": "title: Ahead of the talks\npublished: 2023-03-01\n",
        "meetings/talks.yaml": ("title: Beijing talks\ndate: 2023-03-06/2023-03-10\nclaims:\n"
                                "  - text: The talks began.\n    date: 2023-03-06\n    cite:\n"
                                "      - early: \"Delegations are expected in Beijing\"\n"
                                "  - text: They ended on March 10.\n    date: 2023-03-10\n    cite:\n"
                                "      - early: \"Delegations are expected in Beijing\"\n"
                                "      - mehr: \"They ended on March 10.\"\n"),
    })
    assert _lines(folder) == [
        "meetings/talks.yaml:5:11: warning: the only source cited, `early` (published 2023-03-01), was published "
        "before the event the claim dates (2023-03-06): it can only have announced it; cite a later source, or "
        "check the dates",
        "0 errors, 1 warning", "checked 1 dossier: 3 entities"]
    # a held meeting whose undated claims (they tell of the meeting) cite only what came out before it
    meeting = folder / "meetings" / "talks.yaml"
    meeting.write_text("title: Beijing talks\ndate: 2023-03-06/2023-03-10\nclaims:\n  - text: Delegations came.\n"
                       "    cite:\n      - early: \"Delegations are expected\"\n", encoding="utf-8")
    assert _lines(folder) == [
        "meetings/talks.yaml:2:7: warning: the only source cited, `early` (published 2023-03-01), was published "
        "before the meeting (2023-03-06/2023-03-10): nothing cited shows it was held; cite a report published "
        "after it, or write `status: planned`",
        "0 errors, 1 warning", "checked 1 dossier: 3 entities"]
    meeting.write_text(meeting.read_text(encoding="utf-8") + "status: planned\n", encoding="utf-8")
    assert _lines(folder) == ["0 errors, 0 warnings", "checked 1 dossier: 3 entities"]


def test_template_placeholders_left_in_files_are_reported(tmp_path):
    folder = _dossier(tmp_path, {
        "dossier.yaml": ("title: Beijing talks\nas_of: 2023-04-07\nlanguage: en\n"
                         "summary: |\n  To write: the bottom line in a few sentences.\n"),
        "meetings/talks.yaml": "title: Talks\ndate: YYYY-MM-DD\ntopics:\n  - \"À rédiger : les sujets.\"\n",
        "sources/notes.txt": "Paste the full text of the source here.\n",
        "sources/notes.yaml": "title: Notes\npublished: 2023-03-11\n",
    })
    assert _lines(folder) == [
        "dossier.yaml:4:10: warning: `summary` still holds the template's placeholder (“To write: the bottom line in a "
        "few …”): replace it with your own text",
        "meetings/talks.yaml:2:7: error: `YYYY-MM-DD` is the template's placeholder: write the date (YYYY-MM-DD, or "
        "YYYY-MM, YYYY when only the month or year is known)",
        "meetings/talks.yaml:4:5: warning: `topics` still holds the template's placeholder (“À rédiger : les sujets.”): "
        "replace it with your own text",
        "sources/notes.txt:1:1: error: the source's text is still the template's placeholder: paste the document's "
        "full text here (or import it: `dossier add source … --from FILE`)",
        "2 errors, 2 warnings"]


def test_the_bundled_dossier_keeps_its_dates_within_its_cut_off():
    result = run_dossier("check", "dossiers")
    assert [line for line in result.stderr.splitlines() if "cut-off" in line or "placeholder" in line] == []
