"""Smoke test of the benchmarks: the synthetic dossier is valid, and run.py runs end to end.

Nothing here is timed: the figures themselves are measured by
``python benchmarks/run.py`` (see docs/guide/performance.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"


def _python(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="true"))


def test_synth_makes_a_valid_dossier_without_warnings(tmp_path):
    made = _python(str(BENCH / "synth.py"), "20", "--out", str(tmp_path), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    folder = Path(made.stdout.strip())
    assert folder == tmp_path / "synth-20"
    assert len(list((folder / "actors").glob("*.yaml"))) == 20
    assert len(list((folder / "meetings").glob("*.yaml"))) == 10
    assert len(list((folder / "sources").glob("*.txt"))) == 4
    checked = _python("-m", "generator", "check", str(folder), cwd=ROOT)
    assert checked.returncode == 0, checked.stderr
    assert "0 errors, 0 warnings" in checked.stderr
    assert "warning" not in checked.stderr.replace("0 warnings", "")


def test_synth_is_deterministic(tmp_path):
    sys.path.insert(0, str(BENCH))
    try:
        from synth import make_dossier
    finally:
        sys.path.remove(str(BENCH))
    first = make_dossier(12, tmp_path / "a")
    second = make_dossier(12, tmp_path / "b")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_run_quick_prints_the_table(tmp_path):
    # nine builds and compiles, one run each: minutes on a loaded machine
    result = _python(str(BENCH / "run.py"), "--quick", "--sizes", "20", "--work", str(tmp_path), cwd=tmp_path, timeout=900)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "| figure | N | entities | project, s | baseline, s | ratio | target | result |" in out
    for figure in ("check vs PyYAML C compose", "site vs MkDocs + Material", "site vs plain pages of the same facts",
                   "growth: build at N vs at 20", "pdf vs Typst alone", "pdf vs Typst on plain text"):
        assert figure in out
    assert "search index" in out and "MB/page" in out and "plain text:" in out
    assert "FAIL" not in out, out


def test_plain_baselines_hold_the_dossiers_facts(tmp_path):
    """The facts site has a page per entity citing its quotes; the plain Typst text is the briefing's strings."""
    import json

    made = _python(str(BENCH / "synth.py"), "20", "--out", str(tmp_path), cwd=tmp_path)
    folder = Path(made.stdout.strip())
    for function in ("write_facts_site", "write_plain_typst"):
        code = f"import sys; sys.path.insert(0, {str(BENCH)!r}); import baselines; baselines.{function}(sys.argv[1], sys.argv[2])"
        done = _python("-c", code, str(folder), str(tmp_path / function), cwd=ROOT)
        assert done.returncode == 0, done.stderr
    docs = tmp_path / "write_facts_site" / "docs"
    assert len(list((docs / "actors").glob("*.md"))) == 21  # 20 actors and the index
    actor = next(p for p in sorted((docs / "actors").glob("*.md")) if p.name != "index.md").read_text(encoding="utf-8")
    assert actor.startswith("# ") and "## claims" in actor and "    - « " in actor
    source = next(p for p in sorted((docs / "sources").glob("*.md")) if p.name != "index.md").read_text(encoding="utf-8")
    assert "## text" in source
    paragraphs = json.loads((tmp_path / "write_plain_typst" / "text.json").read_text(encoding="utf-8"))
    assert sum(map(len, paragraphs)) > 50_000
