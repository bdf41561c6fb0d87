"""`dossier check` over the corpus of bad (and good) inputs in tests/bad_inputs/.

Each case is a folder holding a small dossier `d/` (a valid base with one
defect introduced), `expected.txt` (the exact diagnostic lines on standard
error, without the summary) and `expected_exit`. Optional files:

- `symlinks.txt`: lines `LINK -> TARGET` of symbolic links made at run time
  (git may not keep them); TARGET `{outside}` is a file outside the copy.
- `xfail`: the tool is wrong on this case today; the file holds the reason.
  `expected.txt` holds the correct output, not the current one.

The case is copied to a temporary folder and checked there with
`dossier check d`, in the test process (click's test runner): exit status,
the exact lines, the summary's counts, no traceback, under two seconds, and
the input left byte for byte as it was, with no file created. A few cases
(:data:`SMOKE`) are also run as separate processes, `python -m generator
check d` and `--jobs 2` (a second process reading the files): their output
must be the same, and the whole command, interpreter start included, must
take under two seconds.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

import generator.core.validate  # noqa: F401 - imported up front, so that no case's time counts the imports
from generator.cli import main
from generator.core.batch import unsettle

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


SMOKE = ("accept-crlf", "accept-symlink-inside", "source-text-not-utf8", "source-text-symlink-outside",
         "ten-mistakes", "yaml-alias-bomb", "yaml-not-utf8")
"""Cases also run as separate processes, with one and with two processes reading the files."""


@dataclass
class Run:
    """What one `dossier check d` printed and returned."""

    returncode: int
    stdout: str
    stderr: str
    elapsed: float
    """Seconds the check took (with a separate process: interpreter start included)."""


@dataclass
class Outcome:
    """What `dossier check d` did to one copied case."""

    run: Run
    """The check run in the test process."""
    before: dict
    after: dict
    processes: tuple[Run, ...] = ()
    """For :data:`SMOKE` cases: `python -m generator check d`, then the same with `--jobs 2`."""


def _copy(source: Path, work: Path) -> Path:
    case = work / "case"
    shutil.copytree(source, case, symlinks=True)
    _make_links(case, work / "outside.txt")
    return case


def _runner() -> CliRunner:
    """A test runner keeping standard error apart (click before 8.2 needs asking)."""
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()


def _in_process(case: Path) -> Run:
    """`dossier check d` run in this process, from the case's folder."""
    previous = os.getcwd()
    os.chdir(case)
    try:
        started = time.monotonic()
        result = _runner().invoke(main, ["check", "d"], prog_name="dossier")
        elapsed = time.monotonic() - started
    finally:
        os.chdir(previous)
        unsettle()  # `check` sets what it built aside for the process's exit; this process goes on
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))  # type: ignore[misc]
    return Run(result.exit_code, result.stdout, stderr, elapsed)


def _in_subprocess(case: Path, *options: str) -> Run:
    """`python -m generator check OPTIONS d` run from the case's folder."""
    started = time.monotonic()
    try:
        result = subprocess.run([sys.executable, "-m", "generator", "check", *options, "d"], cwd=case,
                                capture_output=True, timeout=10, check=False)
    except subprocess.TimeoutExpired:
        return Run(-1, "", "TIMEOUT: check ran for more than 10 s", 10.0)
    return Run(result.returncode, result.stdout.decode("utf-8", errors="replace"),
               result.stderr.decode("utf-8", errors="replace"), time.monotonic() - started)


def _run_case(source: Path, work: Path) -> Outcome:
    case = _copy(source, work)
    before = _snapshot(case)
    run = _in_process(case)
    return Outcome(run, before, _snapshot(case))


def _run_processes(source: Path, work: Path) -> tuple[tuple[Run, ...], dict, dict]:
    case = _copy(source, work)
    before = _snapshot(case)
    runs = (_in_subprocess(case), _in_subprocess(case, "--jobs", "2"))
    return runs, before, _snapshot(case)


@pytest.fixture(scope="module")
def outcomes(request, tmp_path_factory) -> dict[str, Outcome]:
    """Every selected case checked up front: in this process one after the other (the check
    runs from the case's folder), while the smoke cases' processes run beside, two at a time."""
    names = sorted({item.callspec.params["source"].name for item in request.session.items
                    if item.originalname == "test_check_case" and hasattr(item, "callspec")})
    with ThreadPoolExecutor(max_workers=2) as pool:
        smoke = {name: pool.submit(_run_processes, CORPUS / name, tmp_path_factory.mktemp(f"{name}-processes"))
                 for name in names if name in SMOKE}
        found = {name: _run_case(CORPUS / name, tmp_path_factory.mktemp(name)) for name in names}
        for name, future in smoke.items():
            runs, before, after = future.result()
            assert after == before, f"{name}: check as a separate process changed, created or removed a file"
            found[name].processes = runs
    return found


def test_smoke_cases_exist():
    assert set(SMOKE) <= {case.name for case in CORPUS.iterdir()}


@pytest.mark.parametrize("source", _cases())
def test_check_case(source: Path, outcomes: dict[str, Outcome], tmp_path: Path) -> None:
    outcome = outcomes[source.name]
    run = outcome.run
    expected = (source / "expected.txt").read_text(encoding="utf-8").splitlines()
    expected_exit = int((source / "expected_exit").read_text().strip())
    stderr = run.stderr

    assert "Traceback" not in stderr + run.stdout, stderr
    assert run.stdout == "", "check writes its report on standard error only"
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
    assert run.returncode == expected_exit, stderr
    assert checked_line == (expected_exit == 0), stderr
    assert run.elapsed < 2.0, f"check took {run.elapsed:.2f} s"
    assert outcome.after == outcome.before, "check changed, created or removed a file"
    for process in outcome.processes:  # the smoke cases: the same as separate processes, one or two reading
        assert (process.returncode, process.stdout, process.stderr) == (run.returncode, run.stdout, run.stderr)
    if outcome.processes and outcome.processes[0].elapsed >= 2.0:
        # The processes ran beside other work on a possibly busy machine: time a second run, alone.
        again = _in_subprocess(_copy(source, tmp_path))
        assert again.elapsed < 2.0, f"check took {outcome.processes[0].elapsed:.2f} s, then {again.elapsed:.2f} s alone"


_PURE_PYTHON_CHECK = r'''
import json, os, shutil, sys, tempfile
sys.modules["yaml._yaml"] = None  # as on a machine whose PyYAML was built without libyaml
import yaml
from click.testing import CliRunner
from generator.core import loader
from generator.core.batch import unsettle
from generator.cli import main
assert not yaml.__with_libyaml__ and loader._Loader is yaml.SafeLoader, "libyaml was not blocked"
sys.path.insert(0, os.path.dirname(sys.argv[1]))
from test_check_corpus import _copy, _runner
results = {}
for name in sys.argv[2:]:
    with tempfile.TemporaryDirectory() as work:
        case = _copy(os.path.join(sys.argv[1], name), __import__("pathlib").Path(work))
        os.chdir(case)
        result = _runner().invoke(main, ["check", "d"], prog_name="dossier")
        os.chdir(work)
        unsettle()
        results[name] = [result.exit_code, result.stderr, repr(result.exception) if result.exception
                         and not isinstance(result.exception, SystemExit) else ""]
print(json.dumps(results))
'''


_SYNTAX_ERROR = re.compile(r"^(.+?:\d+):\d+: error: YAML syntax error: (?!control character).*?((?:; (?:a tab|a text) .*)?)$")
"""A YAML syntax error as the parser words it (the tool words a control character's itself): its
file and line, and the tool's hint."""


def _parser_neutral(line: str) -> str:
    return _SYNTAX_ERROR.sub(r"\1: error: YAML syntax error\2", line)


def test_pyyaml_without_libyaml_reads_every_case_alike() -> None:
    """A PyYAML without libyaml (``CSafeLoader`` missing): the pure-Python parser gives every case's
    exact lines and exit status too, but for how it words a YAML syntax error (file, line and the
    tool's hint stay; the column may differ by the token each parser stops at)."""
    names = [case.name for case in sorted(CORPUS.iterdir()) if case.is_dir() and not (case / "xfail").exists()]
    result = subprocess.run([sys.executable, "-c", _PURE_PYTHON_CHECK, str(CORPUS), *names],
                            capture_output=True, text=True, timeout=300, cwd=CORPUS.parent.parent)
    assert result.returncode == 0, result.stderr
    outcomes = json.loads(result.stdout.splitlines()[-1])
    assert sorted(outcomes) == names
    for name, (exit_code, stderr, exception) in outcomes.items():
        expected = (CORPUS / name / "expected.txt").read_text(encoding="utf-8").splitlines()
        lines = [_parser_neutral(line) for line in stderr.splitlines() if not CHECKED.match(line)]
        expected_exit = int((CORPUS / name / "expected_exit").read_text())
        assert (exception, lines[:-1], exit_code) == ("", [_parser_neutral(x) for x in expected], expected_exit), name
        counts = (str(sum(": error: " in x for x in expected)), str(sum(": warning: " in x for x in expected)))
        assert SUMMARY.match(lines[-1]) and SUMMARY.match(lines[-1]).groups() == counts, name
