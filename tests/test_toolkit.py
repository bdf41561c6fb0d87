"""The analyst's toolkit: new, add (and import), quote, every error of a file with its fix, schemas."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

import pytest
import yaml

from conftest import run_dossier

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
TODAY = datetime.date.today().isoformat()


def _new(tmp_path: Path, *args: str, summary: str | None = "Talks were held in Malta.") -> Path:
    """A new dossier, its summary written (as an analyst does first) unless *summary* is None."""
    result = run_dossier("new", "malta-talks", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    meta = tmp_path / "malta-talks" / "dossier.yaml"
    if summary is not None:
        text = meta.read_text(encoding="utf-8")
        for placeholder in ("To write: the bottom line in a few sentences.", "À rédiger : l'essentiel en quelques phrases."):
            text = text.replace(placeholder, summary)
        meta.write_text(text, encoding="utf-8")
    return tmp_path / "malta-talks"


def _check(folder: Path, *args: str):
    return run_dossier("check", *args, cwd=folder)


def test_new_dossier_and_added_files_check_clean_once_their_placeholders_are_written(tmp_path):
    folder = _new(tmp_path, "--language", "en", "--title", "Malta talks: what we know", summary=None)
    assert run_dossier("new", "other", cwd=tmp_path).stderr == (
        "created other/dossier.yaml: write its summary there (`dossier check other` lists what is left to write); "
        "add files with `dossier add actor|meeting|question|source other ID`\n")
    meta = (folder / "dossier.yaml").read_text(encoding="utf-8")
    assert meta.startswith("# yaml-language-server: $schema=.schemas/dossier.schema.json\n")
    assert "title: 'Malta talks: what we know'\n" in meta and f"as_of: {TODAY}\n" in meta and "language: en\n" in meta
    assert "# the bottom line up front (Markdown; [[id]] links to an entity) (required)\n" in meta
    for kind in ("actor", "meeting", "question", "source"):
        result = run_dossier("add", kind, "malta-talks", f"new-{kind}", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    actor = (folder / "actors" / "new-actor.yaml").read_text(encoding="utf-8")
    assert actor.splitlines()[:4] == ["# yaml-language-server: $schema=../.schemas/actor.schema.json",
                                      "# A person, an organisation or a state.",
                                      "# the name the dossier uses (required)", "name: New Actor"]
    assert sorted(p.name for p in (folder / ".schemas").iterdir()) == [
        "actor.schema.json", "dossier.schema.json", "meeting.schema.json", "question.schema.json", "source.schema.json"]
    result = run_dossier("check", "malta-talks", cwd=tmp_path)
    date = ("error: `YYYY-MM-DD` is the template's placeholder: write the date (YYYY-MM-DD, or YYYY-MM, YYYY when "
            "only the month or year is known)")
    assert result.stderr.splitlines() == [  # what is left to write, and only that
        "malta-talks/dossier.yaml:14:10: warning: `summary` still holds the template's placeholder (“To write: the "
        "bottom line in a few …”): replace it with your own text",
        f"malta-talks/meetings/new-meeting.yaml:6:7: {date}",
        f"malta-talks/sources/new-source.yaml:10:12: {date}",
        "2 errors, 1 warning"]
    for path, old, new in [("dossier.yaml", "To write: the bottom line in a few sentences.", "They met in Malta."),
                           ("meetings/new-meeting.yaml", "YYYY-MM-DD", "2023-09-16"),
                           ("sources/new-source.yaml", "YYYY-MM-DD", "2023-09-17")]:
        (folder / path).write_text((folder / path).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = run_dossier("check", "malta-talks", cwd=tmp_path)
    assert result.stderr.splitlines() == [
        "malta-talks/sources/new-source.txt:1:1: error: the source's text is still the template's placeholder: paste "
        "the document's full text here (or import it: `dossier add source … --from FILE`)", "1 error, 0 warnings"]
    (folder / "sources" / "new-source.txt").write_text("They met in Malta.\n", encoding="utf-8")
    result = run_dossier("check", "malta-talks", cwd=tmp_path)
    assert result.stderr.splitlines() == ["0 errors, 0 warnings", "checked 1 dossier: 4 entities"]


def test_french_templates_and_nothing_is_ever_overwritten(tmp_path):
    folder = _new(tmp_path)
    assert "# date d'arrêt de l'information, AAAA-MM-JJ (obligatoire)\n" in (folder / "dossier.yaml").read_text("utf-8")
    assert run_dossier("add", "actor", "malta-talks", "wang-yi", cwd=tmp_path).returncode == 0
    assert "# nom retenu par le dossier (obligatoire)\nname: Wang Yi\n" in (folder / "actors/wang-yi.yaml").read_text("utf-8")
    (folder / "actors" / "wang-yi.yaml").write_text("name: Wang Yi\nkind: person\n", encoding="utf-8")
    again = run_dossier("add", "meeting", "malta-talks", "wang-yi", cwd=tmp_path)
    assert again.returncode == 1
    assert again.stderr == ("error: malta-talks/actors/wang-yi.yaml: already exists (ids are unique across all kinds); "
                            "nothing was changed\n")
    assert (folder / "actors" / "wang-yi.yaml").read_text(encoding="utf-8") == "name: Wang Yi\nkind: person\n"
    assert not (folder / "meetings" / "wang-yi.yaml").exists()
    renew = run_dossier("new", "malta-talks", cwd=tmp_path)
    assert renew.returncode == 1 and "already exists; nothing was changed" in renew.stderr


def test_import_a_saved_web_page_keeps_the_main_text_and_fills_the_metadata(tmp_path):
    folder = _new(tmp_path, "--language", "en")
    page = FIXTURES / "malta-readout.html"
    result = run_dossier("add", "source", "malta-talks", "readout", "--from", str(page), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{page}: note: not found in the document: author; fill it in by hand" in result.stderr.splitlines()
    text = (folder / "sources" / "readout.txt").read_text(encoding="utf-8")
    for dropped in ("NAVIGATION-MUST-GO", "SCRIPT-TEXT-MUST-GO", "FOOTER-MUST-GO", "font-family", "Administration"):
        assert dropped not in text
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 4 and paragraphs[1].startswith("National Security Advisor Jake Sullivan met with Wang Yi")
    data = yaml.safe_load((folder / "sources" / "readout.yaml").read_text(encoding="utf-8"))
    assert data == {"title": "Readout of National Security Advisor Jake Sullivan’s Meeting with Wang Yi",
                    "outlet": "The White House", "published": datetime.date(2023, 9, 17), "language": "en",
                    "url": "https://www.whitehouse.gov/briefing-room/statements-releases/2023/09/17/readout-malta/",
                    "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    "file_sha256": hashlib.sha256(page.read_bytes()).hexdigest()}
    assert run_dossier("check", "malta-talks", cwd=tmp_path).returncode == 0
    again = run_dossier("add", "source", "malta-talks", "readout", "--from", str(page), cwd=tmp_path)
    assert again.returncode == 1 and "readout.yaml: already exists" in again.stderr
    assert (folder / "sources" / "readout.txt").read_text(encoding="utf-8") == text


def test_import_a_pdf_reads_its_text_layer(tmp_path):
    import typst

    source = tmp_path / "talks.typ"
    source.write_text('#set document(title: "Wang Yi in Moscow", author: "Desk", '
                      "date: datetime(year: 2023, month: 9, day: 18))\n#set text(lang: \"en\")\n"
                      "Wang Yi arrived in Moscow on Monday.\n\nHe met Sergei Lavrov the same day.\n", encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "talks.pdf"))
    _new(tmp_path, "--language", "en")
    result = run_dossier("add", "source", "malta-talks", "moscow", "--from", str(tmp_path / "talks.pdf"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "malta-talks" / "sources"
    assert "Wang Yi arrived in Moscow on Monday." in (folder / "moscow.txt").read_text(encoding="utf-8")
    data = yaml.safe_load((folder / "moscow.yaml").read_text(encoding="utf-8"))
    assert data["title"] == "Wang Yi in Moscow" and data["author"] == "Desk"
    assert data["published"] == datetime.date(2023, 9, 18)
    assert "published: 2023-09-18 is the PDF's creation date; check it against the document" in result.stderr
    assert "not found in the document: outlet, url" in result.stderr
    assert run_dossier("check", "malta-talks", cwd=tmp_path).returncode == 0


def test_a_pdf_made_today_gives_no_date(tmp_path):
    """A page saved or printed as PDF today carries today's date: when it was made, not published."""
    import typst

    source = tmp_path / "printed.typ"
    source.write_text("Wang Yi arrived in Moscow on Monday, 18 September 2023.\n", encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "printed.pdf"))
    _new(tmp_path, "--language", "en")
    result = run_dossier("add", "source", "malta-talks", "printed", "--from", str(tmp_path / "printed.pdf"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "note: the PDF was made today (saved or printed, not published): its date is not taken" in result.stderr
    data = yaml.safe_load((tmp_path / "malta-talks" / "sources" / "printed.yaml").read_text(encoding="utf-8"))
    assert data["published"] == "YYYY-MM-DD"


@pytest.fixture()
def readout(tmp_path) -> Path:
    folder = _new(tmp_path, "--language", "en")
    page = FIXTURES / "malta-readout.html"
    assert run_dossier("add", "source", "malta-talks", "readout", "--from", str(page), cwd=tmp_path).returncode == 0
    return folder


def test_quote_prints_the_exact_citation_line_to_paste(readout):
    result = run_dossier("quote", ".", "readout", "malta", "on", "september", "16-17", cwd=readout)
    assert (result.returncode, result.stdout) == (0, '- readout: "Malta on September 16–17"\n')
    several = run_dossier("quote", ".", "readout", "Wang", "Yi", cwd=readout)
    assert several.returncode == 0
    assert several.stdout.splitlines() == [
        "# found at 2 places: a quote is highlighted at the first; to cite another, lengthen the quote with words "
        "from around the passage you mean",
        "# line 1, column 67: …Jake Sullivan’s Meeting with »Wang Yi« National Security Advisor…",
        '- readout: "Wang Yi"',
        "# line 3, column 50: …Jake Sullivan met with »Wang Yi«, Director of the Office of…",
        '- readout: "Wang Yi"']
    missing = run_dossier("quote", ".", "readout", "Sullivan", "met", "Wang", "Yi", cwd=readout)
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.startswith("error: not found in source `readout`: the quote differs from the closest passage")
    assert run_dossier("quote", ".", "nope", "x", cwd=readout).returncode == 2


def _claims(folder: Path, quotes: list[str]) -> None:
    cites = "".join(f"      - readout: {json.dumps(q, ensure_ascii=False)}\n" for q in quotes)
    (folder / "meetings" / "malta.yaml").write_text(
        f"title: Malta talks\ndate: 2023-09-16/2023-09-17\nclaims:\n  - text: They met.\n    cite:\n{cites}", encoding="utf-8")


def test_quote_errors_pinpoint_the_difference(readout):
    _claims(readout, ["in Malta on September 16-17, 2023", "Wang Yi ... in Malta", "met with Wang Yi, Dir",
                      "Wang Yi"])
    result = _check(readout)
    assert result.stderr.splitlines() == [
        "meetings/malta.yaml:6:18: error: quote not found in source `readout`: the quote differs from the closest "
        "passage at its character 25: HYPHEN-MINUS (U+002D) in the quote, EN DASH (U+2013) in the source",
        "    quote:  in Malta on September 16-17, 2023",
        "    source: in Malta on September 16–17, 2023…",
        "                                    ^",
        "meetings/malta.yaml:7:18: error: quote not found in source `readout`: `...` is not an elision mark: write "
        "`…`, `[…]` or `[...]` where words are left out (written so, the quote is found)",
        "meetings/malta.yaml:8:18: error: quote not found in source `readout`: the quote ends in the middle of the "
        "word `Director`: quote whole words",
        "meetings/malta.yaml:9:18: warning: quote found 2 times in source `readout` (lines 1 and 3 of its text): the "
        "first is highlighted; add words from around the passage you mean to make the quote unique",
        "3 errors, 1 warning"]


def test_every_error_of_a_file_at_once_each_with_its_fix(readout):
    (readout / "actors" / "wang-yi.yaml").write_text("name: Wang Yi\nkind: person\n", encoding="utf-8")
    # `organization`, the usual English spelling, is accepted:
    (readout / "actors" / "white-house.yaml").write_text("name: White House\nkind: organization\n", encoding="utf-8")
    (readout / "meetings" / "malta.yaml").write_text(
        "title: Malta talks\ndate: 2023-09-16/17\nstatus: completed\nparticipants:\n  - wang-yl\n"
        "claims:\n  - text: \"[[wang-y]] met [[white-house]].\"\n    date: 2023/09/17\n    confidence: medium\n"
        "    cite:\n      - readout: \"Sullivan met with Wang Yi\"\n", encoding="utf-8")
    (readout / "questions" / "next.yaml").write_text(
        "question: What next?\nstatus: open\nopened: 2023-9-17\nabout: joe-biden\nhypotheses:\n"
        "  - text: More talks.\n    likelihood: probable\n", encoding="utf-8")
    assert _check(readout).stderr.splitlines() == [
        "meetings/malta.yaml:2:7: error: in `2023-09-16/17`, `17` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; "
        "did you mean `2023-09-16/2023-09-17`?",
        "meetings/malta.yaml:3:9: error: `completed` is not a valid status: use held, planned or cancelled; "
        "did you mean `held`?",
        "meetings/malta.yaml:5:5: error: unknown id `wang-yl`; did you mean `wang-yi`?",
        "meetings/malta.yaml:7:12: error: unknown id `wang-y` in `[[…]]` link; did you mean `wang-yi`?",
        "meetings/malta.yaml:8:11: error: `2023/09/17` is not a date: write YYYY-MM-DD, or START/END for an interval; "
        "did you mean `2023-09-17`?",
        "meetings/malta.yaml:9:17: error: `medium` is not a valid confidence: use high, moderate or low; "
        "did you mean `moderate`?",
        "questions/next.yaml:3:9: error: `2023-9-17` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; "
        "did you mean `2023-09-17`?",
        "questions/next.yaml:4:8: error: expected a list, found a text: write `about: [joe-biden]`",
        "questions/next.yaml:6:5: warning: hypothesis without evidence: quote a passage for it (`cite`) or against it (`against`)",
        "questions/next.yaml:7:17: error: `probable` is not a valid likelihood: use almost-no-chance, very-unlikely, "
        "unlikely, roughly-even, likely, very-likely or almost-certain; did you mean `likely`?",
        "9 errors, 1 warning"]
    # one file alone, from inside the dossier's folders
    alone = run_dossier("check", "next.yaml", cwd=readout / "questions")
    assert alone.returncode == 1 and alone.stderr.splitlines()[0].startswith("next.yaml:3:9: error: `2023-9-17`")
    assert len(alone.stderr.splitlines()) == 5  # three errors and one warning of next.yaml, and the summary


def test_check_without_a_path_inside_a_dossier(readout):
    result = run_dossier("check", cwd=readout / "sources")
    assert result.stderr.splitlines() == ["0 errors, 0 warnings", "checked 1 dossier: 1 entity"]
    outside = run_dossier("check", cwd=readout.parent)
    assert outside.returncode == 2 and "this folder is not inside a dossier" in outside.stderr


@pytest.mark.parametrize(("written", "meant"), [
    ("2023/09/17", "2023-09-17"), ("2023-9-17", "2023-09-17"), ("2023-09-16/17", "2023-09-16/2023-09-17"),
    ("17/09/2023", "2023-09-17"), ("17.09.2023", "2023-09-17"), ("2023-09-21/2023-09-18", "2023-09-18/2023-09-21"),
    ("09/10/2023", None), ("2023-02-30", None), ("2023-13", None), ("next week", None)])
def test_a_date_gets_its_corrected_form_only_when_there_is_one_reading(written, meant):
    from generator.core.dates import suggest_date

    assert suggest_date(written) == meant


@pytest.mark.parametrize(("value", "allowed", "meant"), [
    ("probable", ["almost-no-chance", "unlikely", "roughly-even", "likely", "very-likely"], "likely"),
    ("Highly likely", ["unlikely", "likely", "very-likely"], "very-likely"),
    ("medium", ["high", "moderate", "low"], "moderate"),
    ("closed", ["open", "answered", "moot"], "answered"),
    ("persn", ["person", "organisation", "state"], "person"),
    ("zzz", ["open", "answered", "moot"], None)])
def test_an_enumerated_value_gets_the_value_meant(value, allowed, meant):
    from generator.core.hints import value_meant

    assert value_meant(value, allowed) == meant


def test_add_with_an_invalid_id_suggests_the_id_meant(tmp_path):
    _new(tmp_path)
    result = run_dossier("add", "actor", "malta-talks", "Foo_Bar", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "error: `Foo_Bar` is not an id: use lowercase ASCII letters and "
                                                     "digits in groups joined by single hyphens; did you mean `foo-bar`?\n")
    assert not (tmp_path / "malta-talks" / "actors" / "foo-bar.yaml").exists()
