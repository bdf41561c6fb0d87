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


def _python(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=120,
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
    result = _python(str(BENCH / "run.py"), "--quick", "--sizes", "20", "--work", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "| figure | N | entities | project, s | baseline, s | ratio | target | result |" in out
    for figure in ("check vs PyYAML C compose", "site vs MkDocs + Material", "growth: build at N vs at 20",
                   "pdf vs Typst alone"):
        assert figure in out
    assert "FAIL" not in out, out
