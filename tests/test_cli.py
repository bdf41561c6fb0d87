"""The command line: schema export, font warnings, usage errors, and start-up without MkDocs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from conftest import DOSSIER, ROOT, run_dossier


def test_schema_describes_every_kind_as_written_in_yaml():
    schemas = {kind: json.loads(run_dossier("schema", kind).stdout)
               for kind in ("actor", "dossier", "meeting", "question", "source")}
    assert sorted(schemas) == ["actor", "dossier", "meeting", "question", "source"]
    actor = schemas["actor"]
    assert actor["additionalProperties"] is False and sorted(actor["required"]) == ["kind", "name"]
    assert actor["properties"]["kind"]["enum"] == ["person", "organisation", "state", "organization"]
    citation = actor["$defs"]["Citation"]
    # the pair alone, or with any of the reserved keys beside it (`credibility`, `translation`)
    assert sorted(shape["maxProperties"] for shape in citation["oneOf"]) == [1, 2, 2, 3]
    assert citation["additionalProperties"] == {"type": "string"} and citation["properties"]["credibility"]["enum"] == [1, 2, 3, 4, 5, 6]
    assert citation["properties"]["translation"]["description"].startswith("The analyst's translation")
    assert "from" in schemas["actor"]["$defs"]["Role"]["properties"]
    # every field is described by the docstring under its declaration, for editors' tooltips
    assert actor["properties"]["aliases"]["description"].startswith("Other spellings found in sources")
    assert schemas["actor"]["$defs"]["Role"]["properties"]["from"]["description"] == "When the actor took the position."
    assert all("description" in field for kind in schemas.values() for field in kind["properties"].values())


def test_schema_of_one_kind():
    result = run_dossier("schema", "question")
    assert result.returncode == 0
    question = json.loads(result.stdout)
    assert question["properties"]["status"]["enum"] == ["open", "answered", "moot"]
    assert "almost-certain" in json.dumps(question["$defs"]["Hypothesis"])


def test_names_in_other_scripts_get_a_located_font_warning(tmp_path):
    folder = tmp_path / DOSSIER
    shutil.copytree(ROOT / "dossiers" / DOSSIER, folder)
    actor = folder / "actors" / "wang-yi.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace("aliases:\n", "aliases:\n  - 王毅\n", 1), encoding="utf-8")
    result = run_dossier("pdf", str(folder), "-o", str(tmp_path / "b.pdf"))
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if "warning:" in line)
    assert line.startswith(str(folder / "actors" / "wang-yi.yaml") + ":") or "actors/wang-yi.yaml:" in line
    assert "`王毅` has characters the PDF's fonts lack" in line
    assert result.stderr.splitlines()[-1] == f"wrote {tmp_path / 'b.pdf'}"  # the warning came first
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    quiet = run_dossier("pdf", str(folder), "-o", str(tmp_path / "c.pdf"), "--font-path", str(fonts))
    assert quiet.returncode == 0 and "warning:" not in quiet.stderr


def test_check_does_not_import_mkdocs_or_typst():
    code = ("import sys; from generator.cli import main\n"
            "try:\n    main(['check', 'dossiers'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('mkdocs', 'typst', 'material', 'weasyprint') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_usage_errors_exit_2(tmp_path):
    assert run_dossier("check", str(tmp_path / "missing")).returncode == 2
    assert run_dossier("build", "-f", str(tmp_path / "none.yml")).returncode == 2
    assert run_dossier("frobnicate").returncode == 2


def test_python_dash_m_is_the_same_command():
    result = run_dossier("check")
    assert result.returncode == 0
    entities = sum(1 for folder in (ROOT / "dossiers").iterdir() for _ in folder.glob("*/*.yaml"))
    assert result.stderr.splitlines()[-2:] == ["0 errors, 0 warnings", f"checked 2 dossiers: {entities} entities"]
