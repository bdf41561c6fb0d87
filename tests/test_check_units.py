"""Focused unit tests of `dossier check`'s parts: quote normalisation, elisions, loader
positions, the report's summary line, and the command line's exit status.

Defects found while writing these tests were fixed; their tests now pass; each
reason says what is wrong. When a defect is fixed, its test passes, strict
xfail turns that into a failure, and the mark is to be removed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pydantic import ValidationError

from generator.core import model as m
from generator.core.dates import DateError, DateSpan
from generator.core.errors import Report
from generator.core.files import DossierFiles, split_citation
from generator.core.loader import load_text
from generator.core.quotes import closest_passage, find_quote, nfc, normalise, quote_parts
from generator.core.validate import _citation_loc

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
VALID = CORPUS / "accept-crlf" / "d"  # any accepted case would do; this one has every kind


def found(source: str, quote: str) -> bool:
    """Whether *quote* is found in *source*, as the checker looks for it."""
    return find_quote(normalise(nfc(source)), quote) is not None


def run_check(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "check", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=10)


# -- citations: one reading of `source-id: quote` beside reserved keys ------------

CITED = """\
claims:
  - text: Une rencontre.
    cite:
      - credibility: 2
        agence-a: "à Genève"
      - agence-a: "le 3 mars"
        agence-b: "le 4 mars"
      - credibility: 1
"""


def test_one_reading_of_a_citation_for_the_model_the_look_up_and_the_messages(tmp_path: Path) -> None:
    doc = load_text("d.yaml", CITED, Report())
    assert doc is not None
    graded, two, alone = doc.data["claims"][0]["cite"]
    assert split_citation(graded) == (["agence-a"], {"credibility": 2})
    assert split_citation(two) == (["agence-a", "agence-b"], {})
    citation = m.Citation.model_validate(graded)
    assert (citation.source, citation.quote, citation.credibility) == ("agence-a", "à Genève", 2)
    with pytest.raises(ValidationError, match="pair, found 2 keys \\["):
        m.Citation.model_validate(two)
    with pytest.raises(ValidationError, match="pair, found 0 keys beside `credibility` \\["):
        m.Citation.model_validate(alone)
    files = DossierFiles(tmp_path)
    files.normal["agence-a"] = normalise(nfc("Réunion à Genève, le 3 mars."))
    assert list(files.look_up_quotes(doc.data)) == [("agence-a", "à Genève")]  # the pair of two keys is not read
    # A located message points at the source key, wherever the reserved key stands.
    assert _citation_loc(doc, ("claims", 0, "cite", 0, "quote")) == ("claims", 0, "cite", 0, "agence-a")
    assert _citation_loc(doc, ("claims", 0, "cite", 1, "quote")) == ("claims", 0, "cite", 1, "quote")


# -- quote normalisation -----------------------------------------------------------

COMPOSED = "\u00e9"           # é as one character
DECOMPOSED = "e\u0301"        # e + combining acute accent


@pytest.mark.parametrize("source, quote", [
    (f"Wang Yi est arriv{COMPOSED} lundi", f"Wang Yi est arriv{DECOMPOSED} lundi"),
    (f"Wang Yi est arriv{DECOMPOSED} lundi", f"Wang Yi est arriv{COMPOSED} lundi"),
], ids=["decomposed-quote", "decomposed-source"])
def test_nfc_composed_and_decomposed_letters_match(source: str, quote: str) -> None:
    assert unicodedata.normalize("NFC", quote) != quote or unicodedata.normalize("NFC", source) != source
    assert found(source, quote)


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\t", "\n", "  ", " \r\n "], ids=["nbsp", "narrow-nbsp", "tab", "newline", "two-spaces", "crlf"])
def test_white_space_runs_and_no_break_spaces_match_one_space(space: str) -> None:
    assert found(f"quatre{space}jours", "quatre jours")
    assert found("quatre jours", f"quatre{space}jours")


def test_no_break_spaces_inside_guillemets() -> None:
    source = "«\u00a0Les relations sont au plus haut\u202f», a déclaré le ministre."
    assert found(source, "« Les relations sont au plus haut », a déclaré")
    assert found(source, "«Les relations sont au plus haut», a déclaré")
    assert found(source, '"Les relations sont au plus haut", a déclaré')


def test_straight_quotes_with_french_spacing_match_guillemets() -> None:
    assert found("«\u00a0Les relations sont au plus haut\u00a0»", '" Les relations sont au plus haut "')


@pytest.mark.parametrize("typed, stored", [
    ("l'Ukraine", "l’Ukraine"), ("l’Ukraine", "l'Ukraine"), ("l'Ukraine", "l‘Ukraine"), ("l'Ukraine", "lʼUkraine"),
], ids=["straight-vs-right", "right-vs-straight", "left-single", "modifier-letter"])
def test_apostrophes_are_one(typed: str, stored: str) -> None:
    assert found(f"Il parle de {stored} depuis lundi.", f"parle de {typed} depuis")


@pytest.mark.parametrize("typed, stored", [
    ('"sans limites"', "«sans limites»"), ("«sans limites»", '"sans limites"'), ('"sans limites"', "“sans limites”"),
    ("« sans limites »", "«\u00a0sans limites\u00a0»"), ("“sans limites”", "« sans limites »"),
], ids=["straight-vs-guillemets", "guillemets-vs-straight", "straight-vs-english", "spaced-guillemets", "english-vs-guillemets"])
def test_quotation_marks_are_one(typed: str, stored: str) -> None:
    assert found(f"un partenariat {stored} entre eux", f"partenariat {typed} entre")


def test_quote_and_source_are_case_sensitive() -> None:
    source = "Après deux jours de réunions à Malte"
    assert found(source, "Après deux jours")
    assert not found(source, "après deux jours")
    assert not found(source, "APRÈS DEUX JOURS")


def test_accents_and_dashes_are_not_folded() -> None:
    assert not found("les Etats-Unis", "les États-Unis")
    assert not found("Chine-Russie", "Chine–Russie")


# -- elisions ------------------------------------------------------------------------

SOURCE = "Wang Yi est arrivé lundi à Moscou pour une visite de quatre jours. Il verra Sergueï Lavrov."


@pytest.mark.parametrize("mark", ["[…]", "[...]", "…", "(…)", "(...)", "[ … ]"])
def test_elision_marks(mark: str) -> None:
    quote = f"Wang Yi est arrivé {mark} pour une visite"
    assert quote_parts(quote) == ["Wang Yi est arrivé", "pour une visite"]
    match = find_quote(normalise(nfc(SOURCE)), quote)
    assert match is not None and len(match.spans) == 2
    (a, b), (c, d) = match.spans
    assert SOURCE[a:b] == "Wang Yi est arrivé" and SOURCE[c:d] == "pour une visite"
    assert b <= c


def test_elision_parts_out_of_order_are_not_found() -> None:
    assert found(SOURCE, "Wang Yi […] Moscou […] Lavrov")
    assert not found(SOURCE, "Moscou […] Wang Yi")
    assert not found(SOURCE, "Lavrov […] Moscou […] Wang Yi")
    assert not found(SOURCE, "Wang Yi […] Lavrov […] Moscou")


def test_elision_parts_do_not_overlap() -> None:
    assert not found("une visite de quatre jours", "une visite […] visite de quatre")


def test_three_plain_dots_are_not_an_elision() -> None:
    # docs/guide/writing.md: "Three plain dots `...` do not mark an elision".
    assert not found(SOURCE, "Wang Yi ... Moscou")
    assert found("Il hésite... puis part.", "Il hésite... puis")


def test_a_quote_made_of_elisions_only_is_not_found() -> None:
    assert quote_parts("[…]") == []
    assert not found(SOURCE, "[…]")
    assert not found(SOURCE, "")


def test_closest_passage_shows_the_nearest_words() -> None:
    passage = closest_passage(normalise(nfc(SOURCE)), "Wang Yi est arrivé mardi à Moscou")
    assert "Wang Yi est arrivé" in passage
    assert closest_passage(normalise(""), "x") == ""


# -- loader positions ----------------------------------------------------------------

NESTED = """\
name: Wang Yi
kind: person
roles:
  - title: ministre
    of: chine
    cite:
      - depeche: "Wang Yi, ministre"
  - {title: directeur, of: bureau}
summary: |
  Ligne une
"""


def test_loader_positions_of_nested_values() -> None:
    report = Report()
    doc = load_text("a.yaml", NESTED, report)
    assert doc is not None and not report.diagnostics
    assert doc.positions[()] == (1, 1)
    assert doc.positions[("name",)] == (1, 7)
    assert doc.key_positions[("roles",)] == (3, 1)
    assert doc.positions[("roles",)] == (4, 3)
    assert doc.positions[("roles", 0)] == (4, 5)
    assert doc.key_positions[("roles", 0, "of")] == (5, 5)
    assert doc.positions[("roles", 0, "of")] == (5, 9)
    assert doc.key_positions[("roles", 0, "cite", 0, "depeche")] == (7, 9)
    assert doc.positions[("roles", 0, "cite", 0, "depeche")] == (7, 18)
    assert doc.positions[("roles", 1)] == (8, 5)
    assert doc.key_positions[("roles", 1, "of")] == (8, 24)
    assert doc.positions[("roles", 1, "of")] == (8, 28)
    assert doc.positions[("summary",)] == (9, 10)
    # A path without a position of its own takes its closest ancestor's.
    assert doc.position(("roles", 0, "cite", 0, "quote")) == (7, 9)
    assert doc.position(("roles", 0, "until"), key=True) == (4, 5)


def test_loader_positions_count_characters_not_bytes() -> None:
    report = Report()
    doc = load_text("a.yaml", "name: Sergueï Lavrov\naliases: [Лавров, 拉夫罗夫, 😀]\n", report)
    assert doc is not None
    assert doc.positions[("aliases", 1)] == (2, 19)
    assert doc.positions[("aliases", 2)] == (2, 25)


def test_loader_keeps_dates_as_text_and_reports_duplicates_with_both_lines() -> None:
    report = Report()
    doc = load_text("a.yaml", "date: 2023-09-18\npublished: 2023-09\n", report)
    assert doc.data == {"date": "2023-09-18", "published": "2023-09"}
    doc = load_text("a.yaml", "name: a\nkind: b\nname: c\n", report)
    assert doc is None
    assert report.lines(cwd=".") == ["a.yaml:3:1: error: duplicate key `name` (first at line 1)"]


@pytest.mark.parametrize("text, line, column", [
    ("a: [1, 2\n", 2, 1),
    ("a: b\n\tc: d\n", 2, 1),
    ("a: b\nc: !!python/object:os.system x\n", 2, 4),
    ("a:\n  - b\n - c\n", 3, 2),
])
def test_loader_syntax_errors_are_located(text: str, line: int, column: int) -> None:
    report = Report()
    assert load_text("a.yaml", text, report) is None
    (diagnostic,) = report.diagnostics
    assert (diagnostic.line, diagnostic.column) == (line, column), diagnostic


def test_a_long_file_without_aliases_is_not_an_alias_bomb() -> None:
    report = Report()
    doc = load_text("a.yaml", "topics:\n" + "- a\n" * 70_000, report)
    assert doc is not None, report.lines(cwd=".")


@pytest.mark.parametrize("text, mark", [
    ("topics: " + "[" * 1500 + "]" * 1500 + "\n", "1:72"),  # past libyaml 0.2.6's own limit (1,000)
    ("topics: " + "[" * 70 + "]" * 70 + "\n", "1:72"),  # within its 1,024-character look-ahead
    ("topics: " + "[" * 5000 + "\n", "1:72"),  # unclosed: our limit comes before the syntax error
    ("a:\n" + "".join(" " * i + "- \n" for i in range(1, 100)), "65:65"),
    ("a: " + "[{b: " * 700 + "\n", "1:160"),
])
def test_the_depth_limit_is_ours_whatever_the_yaml_library(text: str, mark: str) -> None:
    report = Report()
    assert load_text("a.yaml", text, report) is None
    assert report.lines(cwd=".") == [f"a.yaml:{mark}: error: nesting deeper than 64 levels"]


@pytest.mark.parametrize("text, hinted", [
    ("a: b\nsummary: [[wang-yi]] se rend à Moscou.\n", True),
    ("a: b\nlist:\n  - [[wang-yi]] arrive.\n", True),
    ("a: b\nsummary: [[1, 2], 3\n", False),  # a real list, left open: nothing to quote
    ("a: b\nsummary: x [[wang-yi]]: y\n  z\n", False),
])
def test_the_quoting_hint_only_for_a_text_that_starts_with_a_link(text: str, hinted: bool) -> None:
    report = Report()
    assert load_text("a.yaml", text, report) is None
    assert ("starts with `[[` must be quoted" in report.diagnostics[0].message) is hinted, report.lines(cwd=".")


def test_an_alias_bomb_is_refused_fast() -> None:
    text = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
    for name, prev in zip("bcdefghij", "abcdefghi"):
        text += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]\n"
    report = Report()
    assert load_text("a.yaml", text, report) is None
    assert "alias bomb" in report.diagnostics[0].message


# -- dates ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["0000", "0000-01-01", "0000/2023"])
def test_year_zero_is_a_date_error(text: str) -> None:
    with pytest.raises(DateError):
        DateSpan.parse(text)


@pytest.mark.parametrize("text, message", [
    ("2023-02-30", "February 2023 has no day 30"),
    ("2023-13", "there is no month 13"),
    ("2023-09-21/2023-09-18", "ends before it starts"),
    ("2023-9-18", "write YYYY, YYYY-MM or YYYY-MM-DD"),
    ("2023/2024/2025", "is not a date"),
    ("18/09/2023", "is not a date"),
])
def test_bad_dates(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        DateSpan.parse(text)


def test_dates_at_each_precision_and_intervals() -> None:
    assert DateSpan.parse("2024-02-29").iso() == "2024-02-29"
    assert DateSpan.parse(2022).iso() == "2022"
    assert DateSpan.parse("2023-08/2023-09-18").is_interval
    assert DateSpan.parse("2023-09/2023-09-30").is_interval  # a month, then a day in it: allowed
    for value in (None, True, 2023.5, [2023], {"a": 1}):
        with pytest.raises(DateError):
            DateSpan.parse(value)


@pytest.mark.parametrize("text, french, english", [
    ("2023", "2023", "2023"),
    ("2023-08", "août 2023", "August 2023"),
    ("2023-09-18", "18 septembre 2023", "18 September 2023"),
    ("2023-12-01", "1er décembre 2023", "1 December 2023"),
    ("2023-09-16/2023-09-17", "16–17 septembre 2023", "16–17 September 2023"),
    ("2023-02-01/2023-02-03", "1er–3 février 2023", "1–3 February 2023"),
    ("2023-08/2023-09-18", "août 2023 – 18 septembre 2023", "August 2023 – 18 September 2023"),
    ("2022/2023", "2022 – 2023", "2022 – 2023"),
])
def test_date_display_in_french_and_english(text: str, french: str, english: str) -> None:
    span = DateSpan.parse(text)
    assert (span.display("fr"), span.display("en"), span.display("de")) == (french, english, english)


# -- the report and its summary line -------------------------------------------------

@pytest.mark.parametrize("errors, warnings, summary", [
    (0, 0, "0 errors, 0 warnings"), (1, 0, "1 error, 0 warnings"), (0, 1, "0 errors, 1 warning"),
    (2, 1, "2 errors, 1 warning"), (1, 3, "1 error, 3 warnings"),
])
def test_summary_line(errors: int, warnings: int, summary: str) -> None:
    report = Report()
    for index in range(errors):
        report.add("a.yaml", index + 1, 1, f"problem {index}")
    for index in range(warnings):
        report.add("a.yaml", index + 1, 2, f"note {index}", "warning")
    assert report.summary() == summary


def test_report_lines_are_sorted_unique_and_one_based() -> None:
    report = Report()
    report.add("b.yaml", 1, 1, "z")
    report.add("a.yaml", 10, 2, "y")
    report.add("a.yaml", 2, 30, "x")
    report.add("a.yaml", 2, 30, "x")
    report.add("a.yaml", 0, 0, "whole file", "warning")
    assert report.lines(cwd=".") == [
        "a.yaml:1:1: warning: whole file",
        "a.yaml:2:30: error: x",
        "a.yaml:10:2: error: y",
        "b.yaml:1:1: error: z",
    ]
    assert report.summary() == "3 errors, 1 warning"


# -- the command line ----------------------------------------------------------------

def test_exit_2_for_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    result = run_check("nowhere", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "nowhere" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_exit_2_for_the_default_folder_when_missing(tmp_path: Path) -> None:
    result = run_check(cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "dossiers" in result.stderr


def test_exit_2_for_a_file_that_is_not_a_dossier_file(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x\n", encoding="utf-8")
    result = run_check("notes.txt", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr


def test_one_file_is_checked_with_its_dossier_and_only_its_problems_told(tmp_path: Path) -> None:
    folder = tmp_path / "malte"
    (folder / "actors").mkdir(parents=True)
    (folder / "dossier.yaml").write_text("title: x\n", encoding="utf-8")
    (folder / "actors" / "wang-yi.yaml").write_text("name: Wang Yi\nkind: persn\n", encoding="utf-8")
    result = run_check("malte/dossier.yaml", cwd=tmp_path)
    assert result.stderr.splitlines() == ["malte/dossier.yaml:1:1: error: missing required field `as_of`",
                                          "malte/dossier.yaml:1:1: error: missing required field `summary`",
                                          "2 errors, 0 warnings"]
    assert result.returncode == 1


def test_exit_2_for_an_unknown_option(tmp_path: Path) -> None:
    assert run_check("--frobnicate", cwd=tmp_path).returncode == 2


def test_a_valid_dossier_is_clean(tmp_path: Path) -> None:
    shutil.copytree(VALID, tmp_path / "d")
    result = run_check("d", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == ["0 errors, 0 warnings", "checked 1 dossier: 7 entities"]


def test_every_dossier_under_a_folder_is_checked(tmp_path: Path) -> None:
    shutil.copytree(VALID, tmp_path / "dossiers" / "bon")
    shutil.copytree(CORPUS / "enum-actor-kind" / "d", tmp_path / "dossiers" / "mauvais")
    (tmp_path / "dossiers" / "notes").mkdir()  # not a dossier: ignored
    result = run_check("dossiers", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        "dossiers/mauvais/actors/sergei-lavrov.yaml:2:7: error: `persn` is not a valid kind: "
        "use person, organisation or state; did you mean `person`?",
        "1 error, 0 warnings",
    ]
    result = run_check(cwd=tmp_path)  # the default is dossiers/
    assert result.returncode == 1 and result.stderr.startswith("dossiers/mauvais/")


def test_paths_are_relative_to_the_working_directory(tmp_path: Path) -> None:
    shutil.copytree(CORPUS / "enum-actor-kind" / "d", tmp_path / "d")
    for argument, cwd in [(str(tmp_path / "d"), tmp_path), ("./d/", tmp_path), ("../../d", tmp_path / "d" / "actors")]:
        result = run_check(argument, cwd=cwd)
        expected = os.path.relpath(tmp_path / "d" / "actors" / "sergei-lavrov.yaml", cwd)
        assert result.stderr.splitlines()[0].startswith(expected + ":2:7: error:"), (argument, result.stderr)


def test_check_dot_from_inside_a_dossier(tmp_path: Path) -> None:
    shutil.copytree(VALID, tmp_path / "d")
    result = run_check(".", cwd=tmp_path / "d")
    assert result.returncode == 0, result.stderr
    result = run_check("..", cwd=tmp_path / "d" / "actors")
    assert result.returncode == 0, result.stderr


def test_paths_inside_messages_are_relative_too(tmp_path: Path) -> None:
    shutil.copytree(CORPUS / "id-same-in-two-kinds" / "d", tmp_path / "d")
    result = run_check(str(tmp_path / "d"), cwd=tmp_path)
    assert result.stderr.splitlines()[0] == (
        "d/questions/chine.yaml:1:1: error: the id `chine` is already used by d/actors/chine.yaml: "
        "ids are unique across all kinds")


def test_an_elided_quote_marks_the_tightest_passage_and_counts_once():
    from generator.core.quotes import find_quote, normalise, repeated_places

    text = "Wang Yi est à Malte.\nPuis Wang Yi, ministre, se rendra en Russie.\nWang Yi […] rien.\n"
    source = normalise(text)
    quote = "Wang Yi […] se rendra en Russie"
    (first, second) = find_quote(source, quote).spans
    assert text[first[0]:first[1]] == "Wang Yi" and first[0] == text.index("Puis") + 5
    assert text[second[0]:second[1]] == "se rendra en Russie"
    assert repeated_places(source, quote) == []
    twice = normalise("la Chine et la Russie ; la Chine puis la Russie")
    assert [m.spans for m in repeated_places(twice, "la Chine […] la Russie")] == [((0, 8), (12, 21)), ((24, 32), (38, 47))]
