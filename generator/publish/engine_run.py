"""Running ProperDocs or Zensical on the staged copy: ``dossier build --engine`` and ``dossier serve --engine``.

:mod:`generator.publish.engines` stages the docs and the configuration; this module
runs the engine found on PATH on them. A build replaces the site only once
the engine has finished and every dossier page is in what it built. A
preview stages once, starts the engine's own ``serve`` (which rebuilds when
its docs change), and re-stages the pages whenever a file of the dossiers or
of ``docs/`` changes; a change with errors prints them and keeps the last
good pages.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import click

from ..core.errors import Report, UsageError
from ..core.progress import Progress
from ..pipeline import stages as core
from ..pipeline.prepared import prepared
from .engines import (
    FOLDER_PAGES,
    EngineError,
    Project,
    config_text,
    docs_files,
    engine_command,
    find_engine,
    finish_site,
    load_project,
    missing_pages,
    stage,
    staged_config,
    sync_folder,
)


def engine_env(linked: list) -> dict[str, str]:
    """The engine's environment: ours, with ``SOURCE_DATE_EPOCH`` set as the plugin sets it (reproducible builds)."""
    from ..pdf.briefing import document_timestamp  # the PDF's modules for this date only: a preview makes no PDF

    env = dict(os.environ)
    if linked and "SOURCE_DATE_EPOCH" not in env:
        env["SOURCE_DATE_EPOCH"] = str(max(document_timestamp(one) for one in linked))
    return env


def run_engine(name: str, command: list[str], work: Path, linked: list) -> None:
    """Run the engine in *work*; :class:`EngineError` (after its output) when it fails."""
    env = engine_env(linked)
    try:
        done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    except OSError as exc:
        raise EngineError(f"{name} could not be run: {exc}") from None
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise EngineError(f"{name} failed (exit status {done.returncode}): the previous site is left as it was")


def build_with(name: str, project: Project, linked: list, site: Path, *, pdf: bool, progress=None) -> None:
    """Build the site of *project* with the engine *name* into *site*, replacing it only when complete."""

    program = find_engine(name)
    work = core.staging_directory(site)
    try:
        config_file = stage(project, linked, work, pdf=pdf, folder_pages=name in FOLDER_PAGES, progress=progress)
        if progress is not None:
            progress.stage(f"building the site with {name}")
        run_engine(name, engine_command(name, program, config_file), work, linked)
        built = work / "site"
        finish_site(built, project.language, {one.dossier.id: one.dossier.meta.language for one in linked})
        missing = missing_pages(built, [one.dossier for one in linked], pdf=pdf)
        if missing:
            raise EngineError(f"{name} built a site without {len(missing)} of the dossiers' pages "
                              f"(e.g. {missing[0]}): the previous site is left as it was")
        core.replace_directory(built, site)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def engine_build(name: str, config_file: str, site_dir: str | None, dossiers: str | None, pdf: bool,
                 show: Callable[[Report], None]) -> tuple[str, int]:
    """``dossier build --engine NAME``: check, stage, run the engine, replace the site; ``(site, dossier count)``.

    *show* gets the dossiers' report. Raises :class:`~generator.core.errors.UsageError`,
    :class:`~generator.core.errors.InputError` (after *show*), :class:`EngineError` or
    :class:`OSError`: the command line turns each into its exit status.
    """
    find_engine(name)  # before any work: a missing engine is said at once
    if not Path(config_file).is_file():
        raise UsageError(f"{config_file}: no such file")
    project = load_project(Path(config_file))
    progress = Progress()
    progress.stage("checking and linking the dossiers")
    linked, _ = prepared(dossiers if dossiers is not None else str(project.dossiers), show)
    site = Path(site_dir).resolve() if site_dir else project.folder("site_dir", "site")
    build_with(name, project, linked, site, pdf=pdf, progress=progress)
    progress.finish()
    return site_dir or project.config.get("site_dir") or "site", len(linked)


# -- the live preview ---------------------------------------------------------------------------

def _snapshot(folders: list[Path]) -> tuple:
    """What changes when a file under *folders* is added, removed or edited (names, sizes, times)."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else [folder]:
            if path.is_file():
                stat = path.stat()
                found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def _restage(name: str, project: Project, work: Path, last: list, show: Callable[[Report], None]) -> list:
    """Render the dossiers again into the staged docs; on errors *show* them and keep *last*."""
    linked, report = core.prepare(project.dossiers)
    show(report)
    if report.errors:
        click.echo("error: the dossiers have errors (above); serving the last good version", err=True)
        return last
    folder_pages = name in FOLDER_PAGES
    sync_folder(work / "docs", docs_files(project, linked, pdf=False, folder_pages=folder_pages))
    text = config_text(staged_config(project, linked, folder_pages))
    config_file = work / "mkdocs.yml"
    if not config_file.is_file() or config_file.read_text(encoding="utf-8") != text:
        config_file.write_text(text, encoding="utf-8")
    return linked


def _watch(name: str, project: Project, work: Path, engine: subprocess.Popen, linked: list,
           show: Callable[[Report], None]) -> int:
    """Re-stage on every change until the engine stops (its exit status) or the user interrupts (0)."""
    folders = [project.dossiers, project.folder("docs_dir", "docs"), project.config_file.resolve()]
    seen = _snapshot(folders)
    while engine.poll() is None:
        time.sleep(0.5)
        now = _snapshot(folders)
        if now != seen:
            seen = now
            try:
                project = load_project(project.config_file)
            except EngineError as exc:
                click.echo(f"error: {exc}", err=True)
                continue
            linked = _restage(name, project, work, linked, show)
    return engine.returncode


def _stop(engine: subprocess.Popen) -> None:
    """Stop the engine's preview as Ctrl+C does (so that it removes its own temporary site), else kill it."""
    if engine.poll() is None:
        engine.send_signal(signal.SIGINT)
    try:
        engine.wait(30)
    except subprocess.TimeoutExpired:
        engine.kill()
        engine.wait()


def _terminated(*_: object) -> None:
    raise KeyboardInterrupt  # a terminated preview stops as an interrupted one does, and cleans up (status 0)


def engine_serve(name: str, config_file: str, dev_addr: str | None, show: Callable[[Report], None]) -> None:
    """``dossier serve --engine NAME``: stage without PDFs, run the engine's preview, re-stage on changes.

    *show* gets each report of the dossiers. Raises as :func:`engine_build` does;
    :class:`EngineError` too when the engine stops with a failure.
    """
    program = find_engine(name)
    if not Path(config_file).is_file():
        raise UsageError(f"{config_file}: no such file")
    project = load_project(Path(config_file))
    linked, _ = prepared(str(project.dossiers), show)
    work = Path(tempfile.mkdtemp(prefix=f"dossier-{name}-serve-"))
    signal.signal(signal.SIGTERM, _terminated)
    engine = None
    try:
        config = stage(project, linked, work, pdf=False, folder_pages=name in FOLDER_PAGES)
        engine = subprocess.Popen(engine_command(name, program, config, serve=True, dev_addr=dev_addr),
                                  cwd=work, env=engine_env(linked))
        status = _watch(name, project, work, engine, linked, show)
    except KeyboardInterrupt:
        status = 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second signal must not cut the cleaning short
        if engine is not None:
            _stop(engine)
        shutil.rmtree(work, ignore_errors=True)
    if status:
        raise EngineError(f"{name} stopped (exit status {status})")
