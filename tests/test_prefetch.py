"""The second process reading files for `dossier check` (generator/core/prefetch.py).

Whatever the split between the reader and the validating process, and even
when the reader dies, every file is read exactly once and the results are
those of reading in-process. The command's output is the same with and
without the reader (the corpus in test_check_corpus.py checks this on every
bad input; here on large dossiers, where the reader is used by default).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.core.errors import Report
from generator.core.files import DossierFiles, plan_dossiers
from generator.core.prefetch import Prefetch, read_plan

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import make_dossier

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the reader process needs fork")


@pytest.fixture(scope="module")
def two_dossiers(tmp_path_factory) -> Path:
    """Two synthetic dossiers of about 240 files each, with a few defects in the second."""
    root = tmp_path_factory.mktemp("prefetch")
    make_dossier(120, root)
    folder = make_dossier(121, root)
    actors = sorted((folder / "actors").glob("*.yaml"))
    actors[3].write_text("name: [unclosed\n", encoding="utf-8")
    actors[40].write_text(actors[40].read_text(encoding="utf-8").replace("kind:", "kynd:"), encoding="utf-8")
    sources = sorted((folder / "sources").glob("*.txt"))
    sources[2].write_bytes(b"\xff\xfe not UTF-8")
    sources[5].unlink()
    (folder / "meetings" / "stray.txt").write_text("notes\n", encoding="utf-8")
    return root


def _snapshot(reads) -> list[tuple]:
    rows = []
    for read in reads:
        document = read.document
        rows.append((str(read.job.path), document.text if document else None, document.data if document else None,
                     sorted(read.problems), read.text.text if read.text else None,
                     read.text.normal if read.text else None, sorted(read.text_problems)))
    return sorted(rows, key=lambda row: row[0])


def _in_process(root: Path) -> list[list[tuple]]:
    plans = plan_dossiers(root, str(root), Report())
    return [_snapshot(read_plan(plan, None)) for plan in plans]


def test_reader_and_this_process_read_each_file_once_and_alike(two_dossiers: Path) -> None:
    plans = plan_dossiers(two_dossiers, str(two_dossiers), Report())
    prefetch = Prefetch.start(plans, jobs=2)
    assert prefetch is not None
    try:
        shared = [_snapshot(prefetch.results(plan)) for plan in plans]
    finally:
        prefetch.close()
    assert [len(rows) for rows in shared] == [len(plan.units()) for plan in plans]
    assert shared == _in_process(two_dossiers)
    assert prefetch.read_here + prefetch.from_reader >= sum(len(plan.units()) for plan in plans)


def test_a_reader_that_dies_is_made_up_for(two_dossiers: Path) -> None:
    plans = plan_dossiers(two_dossiers, str(two_dossiers), Report())
    prefetch = Prefetch.start(plans, jobs=2)
    assert prefetch is not None
    try:
        first = prefetch.results(plans[0])
        taken = [next(first) for _ in range(5)]
        os.kill(prefetch.pid, signal.SIGKILL)
        os.waitpid(prefetch.pid, 0)
        rows = [_snapshot(taken + list(first)), _snapshot(prefetch.results(plans[1]))]
    finally:
        prefetch.close()
    assert rows == _in_process(two_dossiers)


def test_jobs_1_and_small_dossiers_read_in_process(two_dossiers: Path) -> None:
    plans = plan_dossiers(two_dossiers, str(two_dossiers), Report())
    assert Prefetch.start(plans, jobs=1) is None
    one = Prefetch.start(plans[:1], jobs=None)
    assert one is not None or os.cpu_count() == 1
    if one is not None:
        one.close()
        one.close()  # closing twice is harmless
    small = plan_dossiers(ROOT / "dossiers", "dossiers", Report())
    assert Prefetch.start(small, jobs=None) is None  # 38 files: forking would cost more
    assert Prefetch.start([], jobs=2) is None  # nothing to read


def test_a_plan_the_reader_was_not_given_is_read_here(two_dossiers: Path) -> None:
    plans = plan_dossiers(two_dossiers, str(two_dossiers), Report())
    prefetch = Prefetch.start(plans[:1], jobs=2)
    assert prefetch is not None
    try:
        rows = [_snapshot(prefetch.results(plans[0])), _snapshot(prefetch.results(plans[1]))]
    finally:
        prefetch.close()
    assert rows == _in_process(two_dossiers)


def test_check_jobs_2_on_empty_folders_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "bare" / "actors").mkdir(parents=True)
    for folder, expected in (("empty", "empty:1:1: error: no dossier here: a dossier is a folder holding dossier.yaml"),
                             ("bare", "bare/dossier.yaml:1:1: error: missing dossier.yaml: every dossier needs "
                                      "its title, as_of date and summary")):
        run = subprocess.run([sys.executable, "-m", "generator", "check", "--jobs", "2", folder], cwd=tmp_path,
                             capture_output=True, text=True, timeout=60)
        assert (run.returncode, run.stdout) == (1, ""), run.stderr
        assert run.stderr.splitlines() == [expected, "1 error, 0 warnings"]


def test_a_reader_that_cannot_start_is_no_error(two_dossiers: Path, monkeypatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    plans = plan_dossiers(two_dossiers, str(two_dossiers), Report())
    assert Prefetch.start(plans, jobs=2) is None


def test_check_prints_the_same_with_and_without_the_reader(two_dossiers: Path, tmp_path: Path) -> None:
    work = tmp_path / "d"
    shutil.copytree(two_dossiers, work)
    runs = [subprocess.run([sys.executable, "-m", "generator", "check", *args, "d"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=60)
            for args in ([], ["--jobs", "1"], ["--jobs", "2"])]
    assert {(run.returncode, run.stdout, run.stderr) for run in runs} == {(runs[0].returncode, "", runs[0].stderr)}
    assert runs[0].returncode == 1
    lines = runs[0].stderr.splitlines()
    assert lines[-1] == "5 errors, 1 warning"
    assert any("synth-121/actors/" in line and "YAML syntax error" in line for line in lines)
    assert any("unknown field `kynd`" in line for line in lines)
    assert any("not valid UTF-8" in line for line in lines)
    assert any("the source's text is missing" in line for line in lines)
    assert any(line.endswith("ignored: only .yaml files belong in meetings/") for line in lines)
    assert not list(tmp_path.glob("**/dossier-prefetch*"))


def test_the_reader_does_not_outlive_the_check(two_dossiers: Path) -> None:
    plans = plan_dossiers(two_dossiers, str(two_dossiers), Report())
    prefetch = Prefetch.start(plans, jobs=2)
    assert prefetch is not None
    next(prefetch.results(plans[0]))
    prefetch.close()
    assert not Path(f"/proc/{prefetch.pid}").exists() or os.name != "posix"
    with pytest.raises(ChildProcessError):
        os.waitpid(prefetch.pid, os.WNOHANG)


def test_in_process_reading_is_the_plan_order(two_dossiers: Path) -> None:
    plan = plan_dossiers(two_dossiers, str(two_dossiers), Report())[1]
    files = DossierFiles(plan.folder)
    assert [read.job for read in read_plan(plan, None)] == plan.units()
    assert files.read(plan.units()[0]).job == plan.units()[0]


def test_without_memfd_the_results_go_through_an_unlinked_file(two_dossiers: Path, monkeypatch) -> None:
    monkeypatch.delattr(os, "memfd_create", raising=False)  # as on macOS
    plans = plan_dossiers(two_dossiers, str(two_dossiers), Report())
    prefetch = Prefetch.start(plans, jobs=2)
    assert prefetch is not None
    try:
        assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("dossier-prefetch-*"))
        shared = [_snapshot(prefetch.results(plan)) for plan in plans]
    finally:
        prefetch.close()
    assert shared == _in_process(two_dossiers)


def test_a_result_that_cannot_be_read_back_is_read_here(two_dossiers: Path, monkeypatch) -> None:
    import generator.core.prefetch as prefetch_module

    loads, calls = prefetch_module.pickle.loads, []

    def failing_loads(blob: bytes):
        calls.append(len(blob))
        if len(calls) == 4:
            raise EOFError("cut short")
        return loads(blob)

    monkeypatch.setattr(prefetch_module.pickle, "loads", failing_loads)
    plans = plan_dossiers(two_dossiers, str(two_dossiers), Report())
    prefetch = Prefetch.start(plans, jobs=2)
    assert prefetch is not None
    try:
        os.waitpid(prefetch.pid, 0)  # every result of the reader is ready: they are taken first, in order
        first = prefetch.results(plans[0])
        taken = [next(first) for _ in range(5)]
        rows = [_snapshot(taken + list(first)), _snapshot(prefetch.results(plans[1]))]
    finally:
        prefetch.close()
    assert rows == _in_process(two_dossiers)
    assert len(calls) == 4  # no result of the reader is taken after the one that failed


def test_pdf_and_export_read_ahead_and_link_the_same(two_dossiers: Path, monkeypatch) -> None:
    from generator import cli
    from generator.exchange.export import export_json

    started: list[Prefetch | None] = []
    real_start = Prefetch.start.__func__  # type: ignore[attr-defined]

    def start(cls, plans, jobs=None):
        started.append(real_start(cls, plans, jobs))
        return started[-1]

    monkeypatch.setattr(Prefetch, "start", classmethod(start))
    folder = str(two_dossiers / "synth-120")
    with_reader, _ = cli.prepare_or_exit(folder, read_ahead=True)
    assert len(started) == 1 and started[0] is not None and started[0].from_reader > 0
    in_process, _ = cli.prepare_or_exit(folder)
    assert len(started) == 2 and started[1] is None  # no reader without read_ahead
    assert export_json(with_reader[0]) == export_json(in_process[0])


def test_pdf_reports_bad_input_as_check_does(two_dossiers: Path, tmp_path: Path) -> None:
    work = tmp_path / "d"
    shutil.copytree(two_dossiers / "synth-121", work)
    check = subprocess.run([sys.executable, "-m", "generator", "check", "--jobs", "1", "d"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=60)
    pdf = subprocess.run([sys.executable, "-m", "generator", "pdf", "d", "-o", "out.pdf"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert (pdf.returncode, check.returncode) == (1, 1)
    assert pdf.stderr == check.stderr and pdf.stderr.splitlines()[-1] == "5 errors, 1 warning"
    assert not (tmp_path / "out.pdf").exists() and not list(tmp_path.glob("**/dossier-prefetch*"))
