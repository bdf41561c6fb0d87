"""Atomic output: a run with errors changes nothing; a good build replaces the site whole.

A copy of the project is built once (``dossier build``, ``mkdocs build`` with the
plugin, ``dossier pdf``), every output file's bytes, mtime and mode recorded;
then a dossier is broken three ways (YAML syntax, unknown id, quote missing from
its source) and every command must exit 1 with a located ``PATH:LINE:COL:
error:`` line, leave the previous site and PDF exactly as they were, leave no
staging folder beside them and change no input file.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DOSSIER, copy_project

ACTOR = f"dossiers/{DOSSIER}/actors/wang-yi.yaml"
PDF_NAME = "briefing.pdf"


def command(name: str, cwd: Path) -> list[str]:
    """The command line of one of the three ways to build, run in *cwd*."""
    return {
        "dossier build": [sys.executable, "-m", "generator", "build", "--site-dir", "site"],
        "mkdocs build": [sys.executable, "-m", "mkdocs", "build", "-d", "site2"],
        "dossier pdf": [sys.executable, "-m", "generator", "pdf", f"dossiers/{DOSSIER}", "-o", PDF_NAME],
    }[name]


COMMANDS = ("dossier build", "mkdocs build", "dossier pdf")


def run_all(cwd: Path, names=COMMANDS, timeout: float = 180) -> dict[str, subprocess.CompletedProcess]:
    """Run the named commands side by side in *cwd* (they write to different places)."""
    env = dict(os.environ, NO_COLOR="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    running = {name: subprocess.Popen(command(name, cwd), cwd=cwd, env=env, text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE) for name in names}
    results = {}
    for name, process in running.items():
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
            pytest.fail(f"{name} did not finish in {timeout} s: {err[-2000:]}")
        results[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return results


def snapshot(path: Path) -> dict[str, tuple[str, int, int]]:
    """Every file and folder under *path* (or the file *path*): digest, mtime (ns) and mode."""
    entries = {}
    items = [path] if path.is_file() else sorted(path.rglob("*"))
    for item in items:
        stat = item.lstat()
        digest = hashlib.sha256(item.read_bytes()).hexdigest() if item.is_file() else "dir"
        entries[item.relative_to(path).as_posix() if item != path else "."] = (digest, stat.st_mtime_ns, stat.st_mode)
    return entries


def inputs(project: Path) -> dict[str, bytes]:
    """The bytes of every input file of *project*."""
    files = [project / "mkdocs.yml", *sorted((project / "docs").rglob("*")), *sorted((project / "dossiers").rglob("*"))]
    return {f.relative_to(project).as_posix(): f.read_bytes() for f in files if f.is_file()}


def stray(project: Path) -> list[str]:
    """Staging or backup leftovers beside the outputs (``.site.new-*``, ``.site.old-*``, ``.briefing.pdf.*``);
    not ``dossier build``'s cache (``.cache/``, beside ``mkdocs.yml``)."""
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".") and p.name != ".cache")


def located(stderr: str, path: str) -> bool:
    """A ``PATH:LINE:COL: error:`` line; under ``mkdocs build`` after MkDocs' level (``ERROR   -  ``)."""
    return re.search(rf"^(ERROR +- +)?{re.escape(path)}:\d+:\d+: error: \S", stderr, re.MULTILINE) is not None


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project built the three ways; the outputs are recorded in ``project.before``."""
    root = copy_project(tmp_path_factory.mktemp("atomic") / "project")
    results = run_all(root)
    for name, result in results.items():
        assert result.returncode == 0, f"{name}: {result.stderr[-3000:]}"
    assert (root / "site" / DOSSIER / f"{DOSSIER}.pdf").is_file()
    assert (root / "site2" / DOSSIER / f"{DOSSIER}.pdf").is_file()
    assert (root / PDF_NAME).read_bytes().startswith(b"%PDF-")
    return root


def outputs(project: Path) -> dict[str, dict]:
    return {name: snapshot(project / name) for name in ("site", "site2", PDF_NAME)}


def yaml_syntax_error(text: str) -> str:
    return "name: [Wang Yi\nkind: person\n"


def unknown_id(text: str) -> str:
    assert "[[qin-gang]]" in text
    return text.replace("[[qin-gang]]", "[[qin-gangg]]", 1)


def quote_not_in_source(text: str) -> str:
    old = '"a été rappelé en tant que ministre des Affaires étrangères en juillet"'
    assert old in text
    return text.replace(old, '"a été rappelé en tant que ministre des Affaires étrangères en août"', 1)


@pytest.mark.parametrize("breakage", [yaml_syntax_error, unknown_id, quote_not_in_source])
def test_a_run_with_errors_changes_nothing(project, breakage):
    before = outputs(project)
    assert stray(project) == []
    actor = project / ACTOR
    good = actor.read_bytes()
    actor.write_text(breakage(good.decode("utf-8")), encoding="utf-8")
    try:
        broken_inputs = inputs(project)
        results = run_all(project)
        for name, result in results.items():
            assert result.returncode == 1, f"{name} exited {result.returncode}: {result.stderr[-3000:]}"
            assert located(result.stderr, ACTOR), f"{name}: no located `{ACTOR}:LINE:COL: error:` line:\n{result.stderr[-3000:]}"
            assert "Traceback" not in result.stderr, f"{name}: {result.stderr[-3000:]}"
        after = outputs(project)
        for name in before:
            assert sorted(after[name]) == sorted(before[name]), f"{name}: the file list changed"
            changed = [path for path in before[name] if before[name][path] != after[name][path]]
            assert not changed, f"{name}: changed by a failed run: {changed[:10]}"
        assert stray(project) == [], "staging or backup folders left beside the outputs"
        assert inputs(project) == broken_inputs, "a failed run changed an input file"
    finally:
        actor.write_bytes(good)


def test_good_runs_left_no_staging_folder(project):
    assert stray(project) == []


def test_output_permissions_follow_the_umask(project):
    """A published site must be readable by the web server: no private 0700 folders or 0600 files."""
    umask = os.umask(0)
    os.umask(umask)
    wrong = []
    for name in ("site", "site2", PDF_NAME):
        for item in [project / name, *sorted((project / name).rglob("*"))]:
            expected = (0o777 if item.is_dir() else 0o666) & ~umask
            mode = item.stat().st_mode & 0o777
            if mode & expected != expected:
                wrong.append(f"{item.relative_to(project)}: {oct(mode)}, expected {oct(expected)} (umask {oct(umask)})")
    assert not wrong, "\n".join(wrong[:10])


@pytest.mark.parametrize("name", ["dossier build", "mkdocs build"])
def test_a_good_build_replaces_the_site_whole(tmp_path, name):
    root = copy_project(tmp_path / "project")
    extra = root / "dossiers" / DOSSIER / "actors" / "acteur-temporaire.yaml"
    extra.write_text("name: Acteur temporaire\nkind: person\n", encoding="utf-8")
    config = root / "mkdocs.yml"  # the site alone is enough here (and faster)
    text = config.read_text(encoding="utf-8")
    assert "      dossiers: dossiers\n" in text
    config.write_text(text.replace("      dossiers: dossiers\n", "      dossiers: dossiers\n      pdf: false\n"), encoding="utf-8")
    site = root / ("site" if name == "dossier build" else "site2")
    build = command(name, root) + (["--no-pdf"] if name == "dossier build" else [])
    first = subprocess.run(build, cwd=root, capture_output=True, text=True, timeout=180)
    assert first.returncode == 0, first.stderr[-3000:]
    page = site / DOSSIER / "actors" / "acteur-temporaire" / "index.html"
    assert page.is_file()
    (site / "left-over.txt").write_text("not part of the site\n", encoding="utf-8")

    extra.unlink()
    second = subprocess.run(build, cwd=root, capture_output=True, text=True, timeout=180)
    assert second.returncode == 0, second.stderr[-3000:]
    assert not page.exists() and not page.parent.exists(), "the removed actor's page survived the rebuild"
    assert not (site / "left-over.txt").exists(), "a file that is not part of the new site survived"
    index = (site / DOSSIER / "actors" / "index.html").read_text(encoding="utf-8")
    assert "acteur-temporaire" not in index and "Acteur temporaire" not in index
    assert (site / DOSSIER / "actors" / "wang-yi" / "index.html").is_file()
    assert stray(root) == []


def test_pdf_with_errors_leaves_the_previous_file_untouched(tmp_path):
    root = copy_project(tmp_path / "project")
    out = root / "out" / "brief.pdf"
    out.parent.mkdir()
    out.write_bytes(b"%PDF-1.7 previous briefing\n")
    before = snapshot(out)
    (root / ACTOR).write_text(yaml_syntax_error(""), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "pdf", f"dossiers/{DOSSIER}", "-o", "out/brief.pdf"],
                            cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert located(result.stderr, ACTOR), result.stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["brief.pdf"], "a temporary file was left beside the PDF"
