"""`dossier check` over the corpus of bad (and good) inputs in tests/bad_inputs/.

Each case is a folder holding a small dossier `d/` (a valid base with one
defect introduced), `expected.txt` (the exact diagnostic lines on standard
error, without the summary) and `expected_exit`. Optional files:

- `symlinks.txt`: lines `LINK -> TARGET` of symbolic links made at run time
  (git may not keep them); TARGET `{outside}` is a file outside the copy.
- `xfail`: the tool is wrong on this case today; the file holds the reason.
  `expected.txt` holds the correct output, not the current one.

The case is copied to a temporary folder and checked there with
`python -m generator check d` (timeout 10 s): exit status, the exact lines,
the summary's counts, no traceback, under two seconds, and the input left
byte for byte as it was, with no file created. It is checked again with
`--jobs 2`, a second process reading the files: the output must be the same. The selected cases run up
front, a few processes at a time, to keep the suite fast.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
SUMMARY = re.compile(r"^(\d+) errors?, (\d+) warnings?$")
CHECKED = re.compile(r"^checked \d+ dossiers?: \d+ entit(y|ies)$")
OUTSIDE_TEXT = "Wang Yi est arrivé lundi à Moscou pour une visite de quatre jours.\n"


def _cases() -> list:
    params = []
    for case in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        marks = []
        if (case / "xfail").exists():
            reason = (case / "xfail").read_text(encoding="utf-8").strip()
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


def _make_links(case: Path, outside: Path) -> None:
    spec = case / "symlinks.txt"
    if not spec.exists():
        return
    for line in spec.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        link, target = (part.strip() for part in line.split(" -> "))
        if target == "{outside}":
            outside.write_text(OUTSIDE_TEXT, encoding="utf-8")
            target = str(outside)
        (case / link).symlink_to(target)


def _snapshot(root: Path) -> dict[str, bytes | str]:
    """Every entry under *root*: a file's bytes, a link's target, a folder's marker."""
    found: dict[str, bytes | str] = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            path = Path(folder) / name
            rel = str(path.relative_to(root))
            if path.is_symlink():
                found[rel] = "link -> " + os.readlink(path)
            elif path.is_dir():
                found[rel] = "folder"
            else:
                found[rel] = path.read_bytes()
    return found


def test_corpus_is_large_enough():
    assert len(_cases()) >= 35


@dataclass
class Outcome:
    """What one run of `dossier check d` did to one copied case."""

    returncode: int
    stdout: str
    stderr: str
    elapsed: float
    before: dict
    after: dict
    with_reader: tuple[int, str, str] = (0, "", "")
    """Exit status, standard output and error of `dossier check --jobs 2 d` (a second process reading)."""


def _run_case(source: Path, work: Path) -> Outcome:
    case = work / "case"
    shutil.copytree(source, case, symlinks=True)
    _make_links(case, work / "outside.txt")
    before = _snapshot(case)
    started = time.monotonic()
    try:
        result = subprocess.run([sys.executable, "-m", "generator", "check", "d"], cwd=case,
                                capture_output=True, timeout=10)
    except subprocess.TimeoutExpired:
        return Outcome(-1, "", "TIMEOUT: check ran for more than 10 s", 10.0, before, _snapshot(case))
    elapsed = time.monotonic() - started
    reader = subprocess.run([sys.executable, "-m", "generator", "check", "--jobs", "2", "d"], cwd=case,
                            capture_output=True, timeout=10)
    return Outcome(result.returncode, result.stdout.decode("utf-8", errors="replace"),
                   result.stderr.decode("utf-8", errors="replace"), elapsed, before, _snapshot(case),
                   (reader.returncode, reader.stdout.decode("utf-8", errors="replace"),
                    reader.stderr.decode("utf-8", errors="replace")))


@pytest.fixture(scope="module")
def outcomes(request, tmp_path_factory) -> dict[str, Outcome]:
    """Every selected case, checked up front, a few at a time (one process per case)."""
    names = sorted({item.callspec.params["source"].name for item in request.session.items
                    if item.originalname == "test_check_case" and hasattr(item, "callspec")})
    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {name: pool.submit(_run_case, CORPUS / name, tmp_path_factory.mktemp(name)) for name in names}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("source", _cases())
def test_check_case(source: Path, outcomes: dict[str, Outcome], tmp_path: Path) -> None:
    outcome = outcomes[source.name]
    expected = (source / "expected.txt").read_text(encoding="utf-8").splitlines()
    expected_exit = int((source / "expected_exit").read_text().strip())
    stderr = outcome.stderr

    assert "Traceback" not in stderr + outcome.stdout, stderr
    assert outcome.stdout == "", "check writes its report on standard error only"
    lines = stderr.splitlines()
    checked_line = bool(lines) and CHECKED.match(lines[-1]) is not None
    if checked_line:  # `checked 1 dossier: 7 entities`, after the summary of a clean run
        lines = lines[:-1]
    assert lines and SUMMARY.match(lines[-1]), f"no summary line last:\n{stderr}"
    diagnostics, summary = lines[:-1], lines[-1]
    assert diagnostics == expected, stderr
    errors = sum(": error: " in line for line in expected)
    warnings = sum(": warning: " in line for line in expected)
    assert SUMMARY.match(summary).groups() == (str(errors), str(warnings)), summary
    assert outcome.returncode == expected_exit, stderr
    assert checked_line == (expected_exit == 0), stderr
    if outcome.elapsed >= 2.0:
        # The cases run two at a time on a possibly busy machine: time a second run, alone.
        again = _run_case(source, tmp_path)
        assert (again.returncode, again.stderr) == (outcome.returncode, outcome.stderr)
        assert again.elapsed < 2.0, f"check took {outcome.elapsed:.2f} s, then {again.elapsed:.2f} s alone"
    assert outcome.after == outcome.before, "check changed, created or removed a file"
    # The same with a second process reading the files (by default only for large dossiers):
    assert outcome.with_reader == (outcome.returncode, outcome.stdout, outcome.stderr)
