"""``dossier diff``: what changed between two editions, as text, Markdown or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from editions_helper import HOSTILE_NAME, write, write_dossier

from generator.exchange.diff import diff, match
from generator.exchange.export import ExportedCitation, ExportedClaim, parse_export

from conftest import run_dossier


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("editions")
    return write_dossier(root / "v1" / "essai", 1), write_dossier(root / "v2" / "essai", 2)


EXPECTED_TEXT = f"""\
essai: edition of 2023-03-11 → edition of 2023-03-20
Questions:
  ~ question sort-de-zhao-min: status: open → answered
  + answer of question sort-de-zhao-min: "Zhao Min a été démis de ses fonctions."
  ~ hypothesis 1 of question sort-de-zhao-min: likelihood: roughly-even → almost-certain; against: − agence: «Le sort du ministre Zhao Min reste inconnu»
Entities:
  - actor ancien: "{HOSTILE_NAME}"
  + actor chen-yu: "Chen Yu"
Claims:
  - claim of actor li-wei: "Un accord commercial est signé."
  ~ claim 1 of actor li-wei: confidence: moderate → high
"""


def test_diff_of_two_folders_as_text(editions):
    old, new = editions
    result = run_dossier("diff", str(old), str(new))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == EXPECTED_TEXT


def test_diff_of_an_export_and_a_folder_is_the_same(editions, tmp_path):
    old, new = editions
    frozen = tmp_path / "2023-03-11.json"
    assert run_dossier("export", str(old), "-o", str(frozen)).returncode == 0
    assert run_dossier("diff", str(frozen), str(new)).stdout == EXPECTED_TEXT


def test_diff_as_markdown(editions):
    old, new = editions
    lines = run_dossier("diff", "--format", "markdown", str(old), str(new)).stdout.splitlines()
    assert lines[:4] == ["# Changes: Essai", "", "From the edition of 2023-03-11 to the edition of 2023-03-20.", ""]
    assert "## Claims" in lines
    assert "- **changed** claim 1 of actor `li-wei`: confidence: moderate → high" in lines
    assert "- **added** actor `chen-yu`: \"Chen Yu\"" in lines
    assert "- **changed** question `sort-de-zhao-min`: status: open → answered" in lines
    assert ("- **changed** hypothesis 1 of question `sort-de-zhao-min`: likelihood: roughly-even → almost-certain; "
            "against: − agence: «Le sort du ministre Zhao Min reste inconnu»") in lines


def test_diff_as_json(editions):
    old, new = editions
    data = json.loads(run_dossier("diff", "--format", "json", str(old), str(new)).stdout)
    assert (data["old"]["as_of"], data["new"]["as_of"]) == ("2023-03-11", "2023-03-20")
    assert data["changes"][-1] == {"group": "claims", "action": "changed", "kind": "actor", "id": "li-wei",
                                   "title": "Li Wei", "anchor": "claim-1", "field": "confidence",
                                   "old": "moderate", "new": "high",
                                   "text": "Li Wei rencontre son homologue à Genève.", "plus": [], "minus": []}
    against = data["changes"][3]
    assert (against["field"], against["plus"], against["minus"]) == (
        "against", [], ["agence: «Le sort du ministre Zhao Min reste inconnu»"])
    assert [(c["group"], c["action"], c["id"], c["field"]) for c in data["changes"]] == [
        ("questions", "changed", "sort-de-zhao-min", "status"), ("questions", "added", "sort-de-zhao-min", "answer"),
        ("questions", "changed", "sort-de-zhao-min", "likelihood"),
        ("questions", "changed", "sort-de-zhao-min", "against"), ("entities", "removed", "ancien", ""),
        ("entities", "added", "chen-yu", ""), ("claims", "removed", "li-wei", ""),
        ("claims", "changed", "li-wei", "confidence")]


def test_no_change_exits_0(editions):
    old, _ = editions
    result = run_dossier("diff", str(old), str(old))
    assert (result.returncode, result.stdout) == (0, "essai: edition of 2023-03-11 → edition of 2023-03-11\nno changes\n")


def test_a_source_added_and_a_claim_reworded(editions, tmp_path):
    old, _ = editions
    new = write_dossier(tmp_path / "essai", 1)
    write(new / "sources" / "autre.txt", "Un autre texte.\n")
    write(new / "sources" / "autre.yaml", "title: Autre dépêche\npublished: 2023-03-11\n")
    actor = new / "actors" / "li-wei.yaml"
    text = actor.read_text(encoding="utf-8")
    text = text.replace("Un accord commercial est signé.", "Un accord commercial a été signé par les deux parties.")
    text = text.replace("claims:\n", "claims:\n  - text: Li Wei est ministre.\n"
                        "    cite:\n      - agence: Le ministre Li Wei\n")
    actor.write_text(text, encoding="utf-8")
    result = run_dossier("diff", str(old), str(new))
    assert result.stdout.splitlines()[1:] == [
        "Claims:",
        "  + claim 1 of actor li-wei: \"Li Wei est ministre.\"",
        "  ~ claim 3 of actor li-wei: text: \"Un accord commercial est signé.\" → \"Un accord commercial a été signé par les deux parties.\"",
        "Sources:",
        "  + source autre: \"Autre dépêche\"",
    ]


def test_a_claim_disputed_and_a_hypothesis_recited_are_changes(editions, tmp_path):
    old, _ = editions
    new = write_dossier(tmp_path / "essai", 1)
    write(new / "sources" / "dementi.txt", "Aucun accord n'a été signé à Genève, selon le ministère.\n")
    write(new / "sources" / "dementi.yaml", "title: Démenti\npublished: 2023-03-11\n")
    actor = new / "actors" / "li-wei.yaml"
    disputed = "    disputed_by:\n      - dementi: Aucun accord n'a été signé\n"  # of the last claim, the accord's
    actor.write_text(actor.read_text(encoding="utf-8") + disputed, encoding="utf-8")
    question = new / "questions" / "sort-de-zhao-min.yaml"
    text = question.read_text(encoding="utf-8").replace("Selon l'agence, Zhao Min a été démis de ses fonctions",
                                                        "Zhao Min a été démis de ses fonctions le 10 mars 2023")
    question.write_text(text, encoding="utf-8")
    result = run_dossier("diff", str(old), str(new))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[1:] == [
        "Questions:",
        "  ~ hypothesis 1 of question sort-de-zhao-min: citations: + agence: «Zhao Min a été démis de ses fonctions le "
        "10 mars 2023», − agence: «Selon l'agence, Zhao Min a été démis de ses fonctions»",
        "Claims:",
        "  ~ claim 2 of actor li-wei: disputed_by: + dementi: «Aucun accord n'a été signé»",
        "Sources:",
        "  + source dementi: \"Démenti\"",
    ]


def test_an_answer_revised(editions, tmp_path):
    _, old = editions
    new = write_dossier(tmp_path / "essai", 2)
    question = new / "questions" / "sort-de-zhao-min.yaml"
    text = question.read_text(encoding="utf-8")
    text = text.replace("  text: Zhao Min a été démis de ses fonctions.\n",
                        "  text: Zhao Min a été démis de ses fonctions le 10 mars.\n  confidence: high\n")
    question.write_text(text, encoding="utf-8")
    assert run_dossier("diff", str(old), str(new)).stdout.splitlines() == [
        "essai: edition of 2023-03-20 → edition of 2023-03-20",
        "Questions:",
        "  ~ answer of question sort-de-zhao-min: text: \"Zhao Min a été démis de ses fonctions.\" → "
        "\"Zhao Min a été démis de ses fonctions le 10 mars.\"; confidence: none → high",
    ]


def test_invalid_inputs_exit_1_with_a_located_error(editions, tmp_path):
    old, _ = editions
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "dossier-export",\n  "version": 1,\n  oops\n}\n', encoding="utf-8")
    result = run_dossier("diff", str(broken), str(old))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == f"{broken}:3:3: error: not valid JSON: Expecting property name enclosed in double quotes"
    other = tmp_path / "other.json"
    other.write_text('{"format": "dossier-export", "version": 7}', encoding="utf-8")
    result = run_dossier("diff", str(old), str(other))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (f"{other}:1:1: error: export format version 7 is not supported "
                                             "(this tool reads version 1)")
    bad = write_dossier(tmp_path / "bad", 1)
    write(bad / "questions" / "sort-de-zhao-min.yaml", "question: Quoi ?\nstatus: ouvert\n")
    result = run_dossier("diff", str(old), str(bad))
    assert result.returncode == 1
    assert f"{bad}/questions/sort-de-zhao-min.yaml:2:9: error: `ouvert` is not a valid status" in result.stderr


def test_usage_errors_exit_2(editions, tmp_path):
    old, new = editions
    assert run_dossier("diff", str(old)).returncode == 2
    assert run_dossier("diff", str(old), str(tmp_path / "missing.json")).returncode == 2
    assert run_dossier("diff", "--format", "html", str(old), str(new)).returncode == 2


def _claim(text: str, *quotes: str) -> ExportedClaim:
    return ExportedClaim(anchor="", text=text, citations=[ExportedCitation(source="s", quote=q, spans=[]) for q in quotes])


def test_claims_are_matched_by_text_then_by_citations_and_similarity():
    old = [_claim("A met B in Geneva.", "q1"), _claim("The talks failed.", "q2"), _claim("Nothing alike.", "q3")]
    new = [_claim("Brand new fact.", "q9"), _claim("A met B in Geneva.", "q1"),
           _claim("The talks failed, both sides said.", "q2"), _claim("Entirely different words here.", "q4")]
    pairs, added, removed = match(old, new)
    assert [(o.text, n.text) for o, n in pairs] == [("A met B in Geneva.", "A met B in Geneva."),
                                                   ("The talks failed.", "The talks failed, both sides said.")]
    assert [c.text for c in added] == ["Brand new fact.", "Entirely different words here."]
    assert [c.text for c in removed] == ["Nothing alike."]


def test_diff_of_an_export_with_itself_is_empty(editions):
    old, _ = editions
    data = json.loads(run_dossier("export", str(old)).stdout)
    assert diff(parse_export(data), parse_export(data)) == []
