"""A library's briefings typeset side by side give the bytes and the reports of one after another."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

import generator.pdf.briefing
import generator.pdf.pool
from generator.pdf.compile import PdfError
from generator.pdf.pool import typeset_all
from generator.pipeline.stages import prepare

from conftest import ROOT, run_dossier

sys.path.insert(0, str(ROOT / "benchmarks"))
from run import site_config
from synth import make_dossier

WIDE = "王毅"
"""Characters the PDF's fonts lack: each dossier whose title has them gets a font warning."""


def _library(folder: Path, sizes=(10, 11, 12), wide=(10, 12)) -> Path:
    """A project of small synthetic dossiers, those of size in *wide* with a title the fonts cannot print."""
    for n in sizes:
        make_dossier(n, folder / "dossiers")
        if n in wide:
            meta = folder / "dossiers" / f"synth-{n}" / "dossier.yaml"
            meta.write_text(meta.read_text(encoding="utf-8").replace("Dossier synthétique", f"Dossier {WIDE}", 1),
                            encoding="utf-8")
    site_config(folder)
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def test_a_library_built_with_briefings_side_by_side_is_the_one_built_one_at_a_time(tmp_path):
    project = _library(tmp_path / "project")
    env = {"SOURCE_DATE_EPOCH": "0"}
    runs = {jobs: run_dossier("build", "--no-cache", "-j", jobs, "--site-dir", str(tmp_path / f"site-{jobs}"),
                              cwd=project, env=env) for jobs in ("1", "2")}
    for result in runs.values():
        assert result.returncode == 0, result.stderr
    serial, parallel = _files(tmp_path / "site-1"), _files(tmp_path / "site-2")
    pdfs = sorted(name for name in serial if name.endswith(".pdf"))
    assert pdfs == ["synth-10/synth-10.pdf", "synth-11/synth-11.pdf", "synth-12/synth-12.pdf"]
    assert list(parallel) == list(serial)
    assert [name for name in serial if parallel[name] != serial[name]] == []
    warned = [line.split(":", 1)[0] for line in runs["1"].stderr.splitlines() if WIDE in line]
    assert warned == ["dossiers/synth-10/dossier.yaml", "dossiers/synth-12/dossier.yaml"]
    assert runs["2"].stderr == runs["1"].stderr.replace("site-1", "site-2")


def test_errors_in_two_dossiers_come_out_in_the_same_order_either_way(tmp_path):
    project = _library(tmp_path / "project", wide=())
    for n in (11, 12):
        meta = project / "dossiers" / f"synth-{n}" / "dossier.yaml"
        meta.write_text(meta.read_text(encoding="utf-8").replace("as_of: 2024-06-30", "as_of: 2024-13-30"),
                        encoding="utf-8")
    runs = [run_dossier("build", "--no-cache", "-j", jobs, cwd=project) for jobs in ("1", "2")]
    assert [result.returncode for result in runs] == [1, 1]
    errors = [line for line in runs[0].stderr.splitlines() if ": error: " in line]
    assert [line.split("dossiers/", 1)[1].split("/", 1)[0] for line in errors] == ["synth-11", "synth-12"]
    assert runs[1].stderr == runs[0].stderr
    assert not (project / "site").exists()


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    linked, report = prepare(_library(tmp_path_factory.mktemp("pool"), sizes=(10, 11, 12, 13), wide=(10, 11, 13))
                             / "dossiers")
    assert not report.errors and len(linked) == 4
    return linked


def _broken_for(monkeypatch, titles: set[str]) -> None:
    """Typst given a template it cannot compile for the dossiers of *titles* (their Typst project only)."""
    real = generator.pdf.briefing.typst_source_files

    def sources(data, network):
        files = real(data, network)
        if data.get("title") in titles:
            files["template.typ"] = b"#let briefing(data, network: none) = { unknown-function(data) }\n"
        return files

    monkeypatch.setattr(generator.pdf.briefing, "typst_source_files", sources)
    generator.pdf.briefing._LAST.clear()


def _events(linked, jobs: int) -> list:
    """What *warn* was told, and how typeset_all ended, with *jobs* briefings at once."""
    events: list = []
    warn = lambda report: events.append(("warn", [line.split(": warning: ")[0].rsplit("/", 2)[-2]
                                                  for line in report.lines()]))
    made = lambda one, pdf: events.append(("made", one.dossier.id))
    try:
        pdfs = typeset_all(linked, (), warn, made=made, jobs=jobs)
        events.append(("pdfs", [pdf[:5] for pdf in pdfs]))
    except PdfError as exc:
        events.append(("error", str(exc).splitlines()[0]))
    return events


def test_the_first_failing_briefing_raises_after_the_warnings_before_it(library, monkeypatch):
    _broken_for(monkeypatch, {library[1].dossier.meta.title, library[2].dossier.meta.title})
    serial = _events(library, 1)
    assert serial[:3] == [("warn", ["synth-10"]), ("made", "synth-10"), ("warn", ["synth-11"])]
    assert serial[3][0] == "error" and "unknown-function" in serial[3][1]
    assert len(serial) == 4  # nothing of synth-12 (which fails too) nor of synth-13
    assert _events(library, 2) == serial
    assert _events(library, 4) == serial


def test_briefings_come_back_in_order_with_their_warnings(library):
    serial = _events(library, 1)
    assert serial[:-1] == [("warn", ["synth-10"]), ("made", "synth-10"), ("warn", ["synth-11"]), ("made", "synth-11"),
                           ("warn", []), ("made", "synth-12"), ("warn", ["synth-13"]), ("made", "synth-13")]
    assert serial[-1] == ("pdfs", [b"%PDF-"] * 4)
    assert _events(library, 2) == serial


def test_kept_briefings_are_not_typeset_again(library):
    first = typeset_all(library, (), lambda report: None, jobs=2)
    kept = {library[0].dossier.id: b"kept-0", library[2].dossier.id: b"kept-2"}
    made: list[str] = []
    again = typeset_all(library, (), lambda report: None, kept=lambda one: kept.get(one.dossier.id),
                        made=lambda one, pdf: made.append(one.dossier.id), jobs=2)
    assert again == [b"kept-0", first[1], b"kept-2", first[3]]
    assert made == [library[1].dossier.id, library[3].dossier.id]


def _overlaps(monkeypatch) -> tuple[list[int], threading.Event]:
    """How many compiles ran at once, each time one started (each waits a moment for another to join it)."""
    real, lock, running, seen = generator.pdf.pool.compile_files, threading.Lock(), [0], []
    joined = threading.Event()

    def compile_files(files, **options):
        with lock:
            running[0] += 1
            seen.append(running[0])
            if running[0] > 1:
                joined.set()
        joined.wait(0.5)
        try:
            return real(files, **options)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(generator.pdf.pool, "compile_files", compile_files)
    return seen, joined


def test_small_briefings_are_typeset_side_by_side_and_large_ones_alone(library, monkeypatch):
    seen, joined = _overlaps(monkeypatch)
    reference = typeset_all(library, (), lambda report: None, jobs=1)
    assert typeset_all(library, (), lambda report: None, jobs=2) == reference
    assert max(seen) == 2
    seen.clear()
    joined.clear()
    monkeypatch.setattr(generator.pdf.pool, "ALONE_BYTES", 0)  # every briefing counts as a large one
    assert typeset_all(library, (), lambda report: None, jobs=2) == reference
    assert seen == [1, 1, 1, 1]


def test_one_job_is_one_briefing_at_a_time_and_reports_as_it_goes(library):
    calls: list[str] = []
    assert len(typeset_all(library[:2], (), lambda report: calls.append(threading.current_thread().name),
                           jobs=1)) == 2
    assert calls == ["dossier-font-check"] * 2  # checked_pdf's own thread: the path of one after another
