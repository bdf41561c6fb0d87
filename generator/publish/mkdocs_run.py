"""MkDocs orchestration for the command line: ``dossier build`` and ``dossier serve`` call one function each.

The CLI knows nothing of MkDocs or the plugin: :func:`build_site` loads
``mkdocs.yml``, checks and links the dossiers once (the plugin reuses that
work instead of doing it again), builds the site, and says what it built;
:func:`serve_site` runs MkDocs' live preview. Problems come back as
:class:`~generator.core.errors.UsageError` (a missing or wrong ``mkdocs.yml``),
:class:`~generator.core.errors.InputError` (the dossiers have errors: the report
says where) or :class:`BuildError` (MkDocs or Typst failed).

MkDocs reports through :mod:`logging`; :func:`show_mkdocs_log` prints what
it logs on standard error, the dossiers' own ``PATH:LINE:COL:`` lines as they are.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from ..core.errors import DossierError, InputError, Report, UsageError
from ..incremental.page_cache import DiskStore, cached_build


class BuildError(DossierError):
    """MkDocs (or Typst, through the plugin) could not build the site."""


class _Plain(logging.Formatter):
    """The dossiers' diagnostics as they are (``PATH:LINE:COL: error: …``); MkDocs' warnings and errors
    with their level, its news (``Serving on …``, ``Documentation built …``) as they are."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name.startswith("mkdocs.plugins.dossiers") or record.levelno < logging.WARNING:
            return message
        return f"{record.levelname.lower()}: {message}"


def show_mkdocs_log(level: int = logging.WARNING) -> None:
    """Print MkDocs' log records of *level* and above on standard error (once per process)."""
    logger = logging.getLogger("mkdocs")
    if not any(isinstance(handler.formatter, _Plain) for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_Plain())
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(level)


def _load(config_file: str, site_dir: str | None, dossiers: str | None, pdf: bool, jobs: int | None = None):
    """The MkDocs configuration and the ``dossiers`` plugin, with the command line's options applied."""
    from mkdocs.config import load_config  # MkDocs' modules when a command runs it, not when this module is imported
    from mkdocs.exceptions import ConfigurationError

    if not Path(config_file).is_file():
        raise UsageError(f"{config_file}: no such file")
    try:
        config = load_config(config_file=config_file, site_dir=site_dir)
    except ConfigurationError as exc:
        raise UsageError(f"{config_file}: {exc}") from None
    plugin = config.plugins.get("dossiers")
    if plugin is None:
        raise UsageError(f"{config_file}: the `dossiers` plugin is not enabled under `plugins:`")
    if dossiers is not None:
        plugin.config.dossiers = str(Path(dossiers).resolve())
    plugin.config.pdf = pdf
    if jobs is not None:
        plugin.config.jobs = jobs
    return config, plugin


CACHE_FOLDER = ".cache/dossier"
"""Where ``dossier build`` keeps the pages it built, beside ``mkdocs.yml`` (:mod:`generator.incremental.page_cache`)."""


def _cache(config_file: str, config, plugin, folder: Path, pdf: bool):
    """The build cache beside *config_file* and the key of these inputs; (None, "") when it cannot serve."""
    if not plugin.config.atomic:  # a dirty build needs the empty staging folder
        return None, ""
    from ..incremental.core_cache import (
        inputs_key,  # the core's cache (it knows the renderers' pages) only for a cached build
    )

    store = DiskStore(Path(config_file).resolve().parent / CACHE_FOLDER)
    store.load()
    key = inputs_key(folder.resolve(), pdf=pdf, language=config.theme.get("language") or "fr",
                     directory_urls=config.use_directory_urls, fonts=plugin.config.fonts, only=plugin.config.only,
                     site_url=config.site_url)  # the files for other tools name the site's pages
    return store, key


def build_site(config_file: str, *, site_dir: str | None = None, dossiers: str | None = None,
               pdf: bool = True, show: Callable[[Report], None] = lambda report: None,
               cache: bool = True, jobs: int | None = None) -> tuple[str, int]:
    """Check the dossiers, then build the site (and each PDF when *pdf*); ``(site folder, dossier count)``.

    *show* gets the dossiers' report (errors and warnings) once they are
    checked, before anything is built; with errors nothing is built and
    :class:`InputError` is raised. With *cache*, the pages (and PDFs) whose
    inputs did not change since the last build are taken from
    ``.cache/dossier/`` beside ``mkdocs.yml`` instead of being made again. *jobs*: the plugin's ``jobs``
    for this build (the PDF briefings typeset at once; 1, everything in one process).
    """
    from mkdocs.commands.build import build as mkdocs_build  # as in _load
    from mkdocs.exceptions import MkDocsException

    from ..incremental.core_cache import kept_parts  # as the stages: only once the configuration is read
    from ..pipeline.stages import (
        prepare,  # the stages once the configuration is read: a bad mkdocs.yml is said without them
    )

    config, plugin = _load(config_file, site_dir, dossiers, pdf, jobs)
    show_mkdocs_log()
    plugin.progress.stage("checking and linking the dossiers")
    folder = dossiers if dossiers is not None else str(plugin.dossiers_path(config))
    if not Path(folder).is_dir():
        raise UsageError(f"{folder}: no such folder")
    store, key = _cache(config_file, config, plugin, Path(folder), pdf) if cache else (None, "")
    plugin.kept = kept_parts(store, key, pdf) if store is not None else None
    linked: list = []
    if plugin.kept is not None:
        report = plugin.kept.report
    else:
        linked, report = prepare(Path(folder), folder.rstrip("/") or folder)
    show(report)
    if report.errors:
        raise InputError(report)
    plugin.preloaded = (linked, report)
    plugin.page_store = store
    plugin.pdf_report = Report()
    config.plugins.on_startup(command="build", dirty=False)
    try:
        cached_build(config) if store is not None else mkdocs_build(config)
        if store is not None and plugin.made is not None:
            plugin.made.report = Report(report.diagnostics + plugin.pdf_report.diagnostics)
            store.keep_blob(key, plugin.made.to_json())
            store.save_manifest()
    except MkDocsException as exc:
        raise BuildError(str(exc)) from None
    finally:
        plugin.page_store, plugin.kept, plugin.made = None, None, None
        config.plugins.on_shutdown()
    count = len(plugin.dates)
    from .engines import engine_warnings  # the other engines' staging only once the site is built

    show(engine_warnings(Path(folder), [one.dossier for one in linked], Path(config_file), engine="mkdocs"))
    return config.site_dir, count


def serve_site(config_file: str, dev_addr: str | None = None) -> None:
    """The live preview of the site (:mod:`generator.publish.serve`): prints its address, a line per rebuild, and every diagnostic."""
    from mkdocs.exceptions import MkDocsException  # as in _load

    from .serve import serve  # the preview's server and watcher only for serve

    if not Path(config_file).is_file():
        raise UsageError(f"{config_file}: no such file")
    show_mkdocs_log(logging.INFO)
    try:
        serve(config_file, dev_addr)
    except (MkDocsException, OSError) as exc:
        raise BuildError(str(exc)) from None
