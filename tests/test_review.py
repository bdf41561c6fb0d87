"""The analytic standards (ICD 203) checked: each review rule, where it points, and how a dossier turns one off.

The dossier of :mod:`tradecraft_helper` holds one item for each rule that
reads a single edition (the change rules are in test_editions.py); each
expected line below is the rule's test: without the rule, its line is missing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tradecraft_helper import ISSUE, META, write_tradecraft

from generator.analysis.sourcing import sourcing
from generator.cli import main
from generator.core import model as m
from generator.pipeline.stages import prepare, site_pages

from conftest import DOSSIER, ROOT

D = "dossiers/essai"
SOURCES = [
    f"{D}/dossier.yaml:7:17: warning: confidence `high` rests on one independent source (`agence-a`, `agence-b` "
    "share the origin `depeche`: they count once): cite a second, independent source or lower the confidence "
    "[high-single-source]",
    f"{D}/dossier.yaml:7:17: warning: confidence `high` rests only on sources graded D to F or not graded "
    "(`depeche` F), and no citation is graded credible (`credibility: 1` or `2`): lower the confidence or cite a "
    "better source [high-weak-sources]",
]
UNCERTAINTY = [
    f"{D}/dossier.yaml:22:5: warning: key judgment without a confidence: say how sure it is (`confidence: high`, "
    "`moderate` or `low`) [judgment-without-confidence]",
    f"{D}/questions/issue.yaml:3:12: warning: the hypotheses exclude each other, but their likelihoods cannot add "
    "up: the lower bounds make 135 % (H1 `very-likely` 80–95 %, H2 `likely` 55–80 %), more than 100 %; lower one "
    "of them [likelihoods-exceed]",
    f"{D}/questions/second.yaml:4:13: warning: the hypotheses cover every case, but their likelihoods cannot reach "
    "100 %: the upper bounds make 65 % (H1 `unlikely` 20–45 %, H2 `very-unlikely` 5–20 %); raise one of them, or "
    "add the case they miss [likelihoods-short]",
]
ASSUMPTIONS = [
    f"{D}/dossier.yaml:30:5: warning: key assumption `sans-suite` has no `why` and no `wrong_if`: say why it is "
    "held and what would show it wrong [assumption-incomplete]",
    f"{D}/dossier.yaml:30:9: warning: key assumption `sans-suite` is not named in any `assumes`: link the "
    "judgments that rest on it, or remove it if nothing does any more [assumption-unused]",
]
ALTERNATIVES = [
    f"{D}/questions/issue.yaml:7:17: warning: hypothesis 1 is rated `very-likely`, more likely than hypothesis 2 "
    "(`likely`), yet the evidence matrix shows more passages against it (2 against 0): revise the likelihoods, or "
    "the evidence [likelihood-vs-matrix]",
]
CHECKED = [ASSUMPTIONS[0], ASSUMPTIONS[1], UNCERTAINTY[1], ALTERNATIVES[0], UNCERTAINTY[2]]
"""What `check` warns of: the rules marked `check`, sorted by place."""


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    write_tradecraft(tmp_path / D)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def items(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if ": warning: " in line or ": error: " in line]


def test_review_tells_each_standard_with_its_figures_and_every_item(project):
    result = run("review", D)
    assert result.exit_code == 1
    assert items(result.stdout) == SOURCES + UNCERTAINTY + ASSUMPTIONS + ALTERNATIVES
    lines = result.stdout.splitlines()
    assert lines[0] == "review of essai (Essai de méthode): 8 items to look at"
    assert "Sources (describe the quality and credibility of sources): 2 items" in lines
    assert "  4 claims: 0 without a source, 3 on one source, 1 on two, 0 on three or more (independent sources)" in lines
    assert "  best source grade of each sourced claim: B 1, F 3 ('-': not graded)" in lines
    assert "  1 claim with an information grade (`credibility`) on a citation" in lines
    assert "  2 key assumptions (2 of the dossier, 0 of questions); 1 of the claims and hypotheses rest on one" in lines
    assert "Change (explain change to a judgment): 0 items" in lines
    assert "  no previous edition (`previous` in dossier.yaml): nothing to compare" in lines


def test_check_warns_of_the_check_rules_only(project):
    result = run("check", D)
    assert result.exit_code == 0
    assert items(result.stderr) == CHECKED


def test_a_rule_turned_off_is_not_told_and_the_report_says_why(project):
    reason = "Les deux dépêches sont les seules sources publiques ; la confiance vient des déclarations officielles."
    meta = META + f"review:\n  off:\n    high-single-source: \"{reason}\"\n    likelihood-vs-matrix: \"essai\"\n"
    write_tradecraft(project / D, meta=meta)
    result = run("review", D)
    assert items(result.stdout) == SOURCES[1:] + UNCERTAINTY + ASSUMPTIONS
    assert result.stdout.endswith(f"rules turned off:\n  high-single-source: {reason}\n  likelihood-vs-matrix: essai\n")
    assert items(run("check", D).stderr) == [line for line in CHECKED if line not in ALTERNATIVES]


def test_the_review_is_clean_when_nothing_is_to_look_at(project):
    meta = META.replace("confidence: high\n    cite:\n      - agence-a", "confidence: moderate\n    cite:\n      - agence-a")
    meta = meta.replace("  - text: Aucun accord n'a été signé.\n", "  - text: Aucun accord n'a été signé.\n    confidence: low\n")
    meta = meta.replace("  - id: sans-suite\n    text: Les entretiens reprendront en avril.\n", "")
    issue = ISSUE.replace("very-likely", "unlikely").replace("    likelihood: likely", "    likelihood: very-likely")
    second = "question: Un accord sera-t-il signé ?\nstatus: moot\n"
    write_tradecraft(project / D, meta=meta, issue=issue, second=second)
    result = run("review", D)
    assert (result.exit_code, items(result.stdout)) == (0, [])
    assert result.stdout.splitlines()[0] == "review of essai (Essai de méthode): 0 items to look at"


def test_markdown_for_a_pull_request_comment(project):
    meta = META + "review:\n  off:\n    single-hypothesis: \"Les questions | sont fermées\"\n"
    write_tradecraft(project / D, meta=meta)
    result = run("review", D, "--format", "markdown")
    assert result.exit_code == 1
    text = result.stdout
    assert text.startswith("## Review: Essai de méthode\n\n**8 items to look at**, 1 rule turned off (`essai`).\n\n"
                           "### Sources (2)\n\n*describe the quality and credibility of sources*\n\n* 4 claims:")
    assert ("- [ ] `dossiers/essai/questions/issue.yaml:7:17` hypothesis 1 is rated `very-likely`, more likely than "
            "hypothesis 2 (`likely`)") in text
    assert "revise the likelihoods, or the evidence (`likelihood-vs-matrix`)\n" in text
    assert text.endswith("### Rules turned off\n\n| rule | reason |\n|---|---|\n"
                         "| `single-hypothesis` | Les questions \\| sont fermées |\n")


def test_unknown_rules_reasonless_rules_and_unknown_assumptions_are_errors(project):
    meta = META.replace("    assumes: [ministere-russe]", "    assumes: [ministere-rus]") + (
        "  - id: ministere-russe\n    text: Encore.\n"
        "review:\n  off:\n    high-single-sourc: \"parce que\"\n    single-hypothesis: \"\"\n")
    write_tradecraft(project / D, meta=meta)
    result = run("check", D)
    assert result.exit_code == 1
    errors = [line for line in items(result.stderr) if ": error: " in line]
    assert errors == [
        f"{D}/dossier.yaml:19:15: error: unknown assumption `ministere-rus`; did you mean `ministere-russe`?",
        f"{D}/dossier.yaml:32:9: error: assumption id `ministere-russe` is already used in {D}/dossier.yaml",
        f"{D}/dossier.yaml:36:5: error: unknown review rule `high-single-sourc`; did you mean `high-single-source`?",
        f"{D}/dossier.yaml:37:5: error: review rule `single-hypothesis` is turned off without a reason: say why after "
        "`single-hypothesis:`",
    ]
    assert run("review", D).exit_code == 1


def test_credibility_beside_the_quote_and_its_errors(project):
    meta = META.replace("        credibility: 2\n", "        credibility: 7\n").replace(
        "      - agence-b: \"Aucun accord n'a été signé\"\n",
        "      - agence-b: \"Aucun accord n'a été signé\"\n        journal: \"Un nouvel entretien\"\n")
    write_tradecraft(project / D, meta=meta)
    result = run("check", D)
    assert [line for line in items(result.stderr) if ": error: " in line] == [
        f"{D}/dossier.yaml:15:22: error: `7` is not a valid credibility: use 1, 2, 3, 4, 5 or 6",
        f"{D}/dossier.yaml:24:9: error: a citation is one `source-id: quote` pair, found 2 keys",
    ]


def test_sources_of_one_origin_count_once_and_take_the_best_grade(project):
    dossier = m.Dossier("d", "d", m.DossierMeta.model_validate({"title": "t", "as_of": "2023", "summary": "s"}))
    for id_, grade, origin in (("a", "F", "fil"), ("b", "C", "fil"), ("c", None, None)):
        dossier.sources[id_] = m.Source.model_validate({"title": id_, "published": "2023", "reliability": grade,
                                                        "origin": origin})
    cite = [m.Citation.model_validate({source: "q", **({"credibility": 2} if source == "c" else {})})
            for source in ("a", "b", "c", "a")]
    found = sourcing(dossier, cite)
    assert (found.count, found.origins, found.grades, found.credibility, found.best) == (2, ("fil", "c"), ("C", "-"), (2,), "C")
    assert not found.weak  # graded C, and a citation graded credible
    assert sourcing(dossier, cite[:1]).weak and sourcing(dossier, cite[:1]).count == 1


def test_the_bundled_dossier_review_is_clean():
    """Every source of the bundled dossier is graded F and both relay one announcement (one `origin`): it
    rates no claim `high`, its exclusive hypotheses' words add up and agree with their matrices, and each key
    assumption has what rests on it. Nothing is turned off to get there."""
    result = run("review", f"{ROOT}/dossiers/{DOSSIER}")
    assert items(result.stdout) == [] and result.exit_code == 0, result.stdout
    assert "10 questions of exclusive hypotheses" in result.stdout
    assert "2 key assumptions (2 of the dossier, 0 of questions); 8 of the claims and hypotheses rest on one" \
        in result.stdout
    assert "rules turned off" not in result.stdout.lower()
    assert run("check", f"{ROOT}/dossiers").stderr.splitlines()[-2] == "0 errors, 0 warnings"


def test_the_english_bundled_dossier_review_is_clean_with_its_one_rule_off_justified():
    """One source (the Kremlin's readout): no claim `high`; its one question cannot have hypotheses the source
    does not offer, which the dossier itself says where it turns that rule off."""
    result = run("review", f"{ROOT}/dossiers/putin-wang-yi-2023-09-20")
    assert items(result.stdout) == [] and result.exit_code == 0, result.stdout
    assert "6 claims: 0 without a source, 6 on one source" in result.stdout
    off = result.stdout[result.stdout.lower().index("rules turned off"):]
    assert "single-hypothesis" in off and "any hypothesis would be invented" in off


def test_the_export_carries_sourcing_credibility_origin_and_assumptions(project):
    data = json.loads(run("export", D).stdout)
    first, second, third = data["key_judgments"][:3]
    assert first["sourcing"] == {"sources": 1, "origins": ["depeche"], "grades": ["F"], "credibility": []}
    assert second["sourcing"]["sources"] == 2 and second["citations"][0]["credibility"] == 2
    assert third["assumes"] == ["ministere-russe"]
    assumption = data["assumptions"][0]
    assert (assumption["id"], assumption["wrong_if"]) == ("ministere-russe", "Un communiqué chinois reprend la même phrase.")
    assert assumption["assumed_by"] == [{"id": "", "kind": "dossier", "title": "Essai de méthode", "anchor": "kj-3"}]
    assert [s["origin"] for s in data["sources"]] == ["depeche", "depeche", None]
    issue = next(q for q in data["questions"] if q["id"] == "issue")
    assert (issue["exclusive"], issue["exhaustive"]) == (True, True)


def test_alternatives_and_uncertainty_of_each_hypothesis(project):
    """An open question of one hypothesis, without a likelihood; `exhaustive` without `exclusive`."""
    second = ("question: Un accord sera-t-il signé en avril ?\nstatus: open\nexhaustive: true\nhypotheses:\n"
              "  - text: Un accord est signé en avril.\n    cite:\n"
              "      - journal: \"Un nouvel entretien est prévu en avril\"\n")
    write_tradecraft(project / D, second=second)
    found = [line for line in items(run("review", D).stdout) if "second.yaml" in line]
    assert found == [
        f"{D}/questions/second.yaml:3:13: warning: `exhaustive: true` without `exclusive: true`: the likelihoods are "
        "checked only for hypotheses that exclude each other; add `exclusive: true` or remove `exhaustive` "
        "[exhaustive-not-exclusive]",
        f"{D}/questions/second.yaml:5:5: warning: hypothesis without a likelihood: rate it in the words of ICD 203 "
        "(`likelihood: likely` …) [hypothesis-without-likelihood]",
        f"{D}/questions/second.yaml:5:3: warning: open question with one hypothesis: set at least two competing "
        "answers against the evidence [single-hypothesis]",
    ]  # standard by standard: uncertainty, then alternatives
    assert [line for line in items(run("check", D).stderr) if "second.yaml" in line] == found[:1]


def test_an_assumption_may_not_take_an_entitys_id(project):
    write_tradecraft(project / D, meta=META.replace("id: sans-suite", "id: li-wei"))
    assert f"{D}/dossier.yaml:30:9: error: assumption id `li-wei` is already the id of an entity" in items(
        run("check", D).stderr)


def test_diff_and_the_editions_section_tell_the_assumptions_changed(project):
    assert run("export", D, "-o", "old.json").exit_code == 0
    meta = META.replace("wrong_if: Un communiqué chinois reprend la même phrase.", "wrong_if: Un communiqué chinois.")
    meta = meta.replace("  - id: sans-suite\n    text: Les entretiens reprendront en avril.\n",
                        "  - id: nouveau\n    text: Le ministre reste en poste.\n    why: Rien ne dit le contraire.\n"
                        "    wrong_if: Un remaniement.\n")
    meta = meta.replace("    assumes: [ministere-russe]", "    assumes: [ministere-russe, nouveau]")
    write_tradecraft(project / D, meta=meta)
    result = run("diff", "old.json", D)
    assert result.stdout.splitlines()[-5:] == [
        '  ~ key judgment 3: assumes: ministere-russe → ministere-russe, nouveau',
        "Assumptions:",
        '  - assumption: "Les entretiens reprendront en avril."',
        '  ~ assumption ministere-russe: wrong_if: "Un communiqué chinois reprend la même phrase." → '
        '"Un communiqué chinois."',
        '  + assumption nouveau: "Le ministre reste en poste."',
    ]
    meta += "previous: ../../old.json\n"
    write_tradecraft(project / D, meta=meta)
    linked, report = prepare(project / D, D)
    assert not report.errors
    home = next(page for page in site_pages(linked, pdf=False) if page.src_uri == "essai/index.md").markdown
    assert "Retiré</span> <a href=\"./\">Essai de méthode</a> — Postulat\u00a0: «\u202fLes entretiens reprendront en avril.\u202f»" in home
    assert 'href="./#assumption-nouveau"' in home


def test_a_quote_not_found_is_located_at_its_source_even_after_credibility(project):
    meta = META.replace('      - agence-a: "à Genève le 3 mars 2023"\n',
                        '      - credibility: 1\n        agence-a: "à Genève le 4 mars 2023"\n')
    write_tradecraft(project / D, meta=meta)
    errors = [line for line in items(run("check", D).stderr) if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith(
        f"{D}/dossier.yaml:17:19: error: quote not found in source `agence-a`:"), errors


def test_an_english_dossier_words_it_all_in_english(project):
    write_tradecraft(project / D, meta=META.replace("language: fr", "language: en"))
    from generator.pdf.data import pdf_data

    (linked,), _ = prepare(project / D, D)
    home = next(page for page in site_pages([linked], pdf=False) if page.src_uri == "essai/index.md").markdown
    for words in ("## Sourcing of the facts", "## Key assumptions", ">single source<", "<strong>Wrong if: </strong>",
                  "Each count opens the list of its facts.", "<strong>3 facts</strong> — one source"):
        assert words in home, words
    issue = next(page for page in site_pages([linked], pdf=False) if page.src_uri == "essai/questions/issue.md")
    assert "The likelihoods do not follow the matrix: H1 (very likely (80–95%)) is rated more likely" in issue.markdown
    data = json.dumps(pdf_data(linked), ensure_ascii=False)
    assert '"single_source": "single source"' in data and '"heading": "By best grade of their sources"' in data
