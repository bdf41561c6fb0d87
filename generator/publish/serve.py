"""``dossier serve``: MkDocs' live preview, rebuilt page by page, with a bad edit shown in the browser.

MkDocs' own ``serve`` polls the watched folders every half second and builds
the whole site on every change. Here:

* the folders are watched by the system's file events (inotify on Linux,
  through watchdog), so a save is seen at once;
* each rebuild is a dirty MkDocs build in which the pages whose output
  cannot have changed are left as they are (:mod:`generator.incremental.page_cache`):
  the core's stages run again, only changed pages pass through the theme,
  deleted pages' files are removed, and the search index is written whole;
* a bad edit does not build: its located errors are printed, the last good
  site stays on disk, and every page is served with a banner that lists the
  errors (the browser reloads to show it, and again once they are fixed).
  The log says so instead of "Reloading browsers".
* the cyclic garbage collector is paused while a rebuild runs (a full
  collection walks every object the dossiers are made of: a second per
  edit at 1,500 pages). Once the preview has been idle for
  :data:`IDLE_COLLECT` seconds after a reload (the browser has its page),
  what the rebuild made is collected and the survivors are set aside
  (``gc.freeze``), so that the next such collection walks only one
  rebuild's objects; after :data:`IDLE_FULL` seconds more, everything is
  collected (what earlier rebuilds set aside and dropped since).

:class:`SiteBuilder` is the rebuild without the server, for tests and
benchmarks: the same folder after any series of edits holds the same bytes
as a first build of the same files.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import tempfile
import threading
from os.path import isfile, join
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..core.batch import collector_paused
from ..core.errors import DossierError, Report, UsageError, display_path
from ..incremental.dossier_memo import DossierMemo
from ..incremental.page_cache import MemoryStore
from ..pipeline.stages import prepare
from ..render.html import esc
from .plugin import log_report
from .serve_build import KeptBuild, serve_build

log = logging.getLogger("mkdocs.plugins.dossiers")

BANNER_ID = "dossier-serve-errors"
_READ_ONLY_EVENTS = frozenset({"opened", "closed_no_write"})
"""File events that change nothing (inotify reports every read)."""
BUILD_DELAY = 0.05
"""Seconds without a file event before a rebuild starts (MkDocs waits 0.1 s): an editor's save (a write, or a
temporary file renamed) makes its events within a few milliseconds, and a longer burst (a checkout) keeps the
wait going until it ends."""
IDLE_COLLECT = 0.5
"""Seconds without a file event after a rebuild before its garbage is collected (the browser has reloaded)."""
IDLE_FULL = 5.0
"""Seconds more without one before all of the process's garbage is."""


def banner_html(report: Report) -> str:
    """The banner shown on every served page while the dossiers have errors."""
    count = len(report.errors)
    return _banner(f"The dossiers have {count} error{'s' if count != 1 else ''}: this is the last good version, "
                   "not rebuilt. Fix the file and save it again.",
                   [diagnostic.format() for diagnostic in report.sorted() if diagnostic.severity == "error"])


def failure_banner_html(message: str) -> str:
    """The banner shown while the last rebuild failed for another reason (``mkdocs.yml``, the theme)."""
    return _banner("The site could not be rebuilt: this is the last good version.", [message])


def _banner(title: str, lines: list[str]) -> str:
    items = "".join(f"<li><code>{esc(line)}</code></li>" for line in lines)
    return (f'<div id="{BANNER_ID}" role="alert" style="position:sticky;top:0;z-index:1000;margin:0;'
            'padding:.8em 1.2em;background:#fdecea;color:#611a15;border-bottom:3px solid #b71c1c;'
            f'font:14px/1.4 sans-serif"><strong>{esc(title)}</strong>'
            f'<ul style="margin:.4em 0 0;padding-left:1.2em">{items}</ul></div>')


class SiteBuilder:
    """Builds the site of ``mkdocs.yml`` into one folder again and again, each time only what changed."""

    def __init__(self, config_file: str, site_dir: str, serve_url: str | None = None, **options: Any):
        self.config_file = config_file
        self.site_dir = site_dir
        self.serve_url = serve_url
        self.options = options
        self.store = MemoryStore()
        self.memo = DossierMemo()
        self.kept = KeptBuild(templates=self.store.templates)
        """What MkDocs' build makes the same on every rebuild (:mod:`generator.publish.serve_build`)."""
        self.failing: Report | None = None
        """The report of the last rebuild when the dossiers had errors (the site is then the last good one)."""
        self.defer_collection = False
        """True under the server: the collector stays paused after a rebuild until :meth:`collect` (when idle),
        so that no collection of what the rebuild made stalls the browser's reload."""
        self.installed: tuple[dict, dict] | None = None
        """MkDocs' installed themes and plugins (name -> entry point), as listed at the first build."""
        self.events: set[str] | None = None
        """Under the server: the paths its file events named since the last rebuild began (None: no events
        are seen, every dossier folder is walked on each rebuild)."""
        self.events_lock = threading.Lock()
        self.built = 0
        self.rendered = 0
        """How many generated pages the last rebuild passed through the theme."""

    def noted(self, *paths: str) -> None:
        """File events at *paths* (the server's watcher): the next rebuild walks the folders they are in."""
        with self.events_lock:
            if self.events is not None:
                self.events.update(paths)

    def take_events(self) -> set[str] | None:
        """The paths noted since the last call (None when not watching), the note emptied for the next rebuild."""
        with self.events_lock:
            taken = self.events
            if taken is not None:
                self.events = set()
            return taken

    def load_config(self):
        """``mkdocs.yml`` read again (it may have changed), the serve address applied; the installed themes and
        plugins listed once for the builder's life (MkDocs reads every installed package's entry points for them
        on each load: 50 ms a rebuild)."""
        from mkdocs import plugins, utils
        from mkdocs.config import load_config

        if self.installed is None:
            self.installed = (utils.get_themes(), plugins.get_plugins())
        themes, found = self.installed
        listed = {(utils, "get_themes"): _listing(themes), (plugins, "get_plugins"): _listing(found)}
        saved = {place: getattr(*place) for place in listed}
        try:
            for (module, name), listing in listed.items():
                setattr(module, name, listing)
            config = load_config(config_file=self.config_file, site_dir=self.site_dir, **self.options)
        finally:
            for (module, name), original in saved.items():
                setattr(module, name, original)
        if self.serve_url is not None:
            config.site_url = self.serve_url
        return config

    def build(self, config=None) -> bool:
        """Check the dossiers and, when they are good, rebuild what changed; False (nothing built) on errors.

        The garbage collector is paused meanwhile and, with :attr:`defer_collection`, until :meth:`collect`."""
        if self.defer_collection:
            gc.disable()
            return self._build(config)
        with collector_paused():
            return self._build(config)

    def collect(self, full: bool = False) -> None:
        """The reference cycles left since the last collection (*full*: all of them, also among the objects
        set aside) collected, what survives set aside; the collector running again by itself."""
        if full:
            gc.unfreeze()
        gc.collect()
        self.set_aside()

    @staticmethod
    def set_aside() -> None:
        """Every object alive now out of the collections' sight (after a first build: no walk through it all)."""
        gc.freeze()
        gc.enable()

    def _build(self, config=None) -> bool:
        config = config if config is not None else self.load_config()
        plugin = config.plugins.get("dossiers")
        if plugin is None:
            raise UsageError(f"{self.config_file}: the `dossiers` plugin is not enabled under `plugins:`")
        folder = plugin.dossiers_path(config)
        self.memo.start(self.take_events())
        with self.memo.parsing():
            linked, report = prepare(folder, display_path(str(folder)), memo=self.memo)
        log_report(report)
        if report.errors:
            if not self.built:
                raise DossierError(f"the dossiers have errors: {report.summary()}")
            self.failing = report
            return False
        if self.failing is not None:
            log.info("the dossiers' errors are fixed: serving the new version")
            self.failing = None
        plugin.preloaded = (linked, report)
        plugin.page_store, plugin.dossier_memo = self.store, self.memo
        config.plugins.on_startup(command="serve", dirty=False)
        try:
            serve_build(config, self.kept, serve_url=self.serve_url)
        finally:
            plugin.page_store, plugin.dossier_memo = None, None
        self.memo.finish()
        self.rendered = len(self.store.pages) - (plugin.reuse.reused if plugin.reuse is not None else 0)
        self.built += 1
        return True


def _listing(found: dict) -> Any:
    """A stand-in for MkDocs' ``get_themes`` (an ``lru_cache`` MkDocs empties after each theme it loads) or
    ``get_plugins``: a copy of *found* each call."""
    def listing() -> dict:
        return dict(found)

    listing.cache_clear = lambda: None  # type: ignore[attr-defined]
    return listing


def _server_class():
    """MkDocs' live-reload server, with file events, the error banner and honest messages."""
    import watchdog.events
    import watchdog.observers
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.livereload import log as reload_log

    class DossierServer(LiveReloadServer):
        def __init__(self, site: SiteBuilder, **kwargs: Any):
            super().__init__(builder=self._rebuild, **kwargs)
            self.build_delay = BUILD_DELAY
            self.site = site
            site.defer_collection = True
            site.events = set()
            self.observer = watchdog.observers.Observer(timeout=self.shutdown_delay)  # type: ignore[assignment] # events, not polling
            self.banner = b""
            self.built_ok = True

        def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
            # MkDocs' watch, on file events that change something: the system also reports every file
            # opened and closed unwritten, which the rebuild's own reading would turn into a rebuild loop.
            path = os.path.abspath(path)
            if path in self._watched_paths:
                self._watched_paths[path] += 1
                return
            self._watched_paths[path] = 1

            def callback(event) -> None:
                if event.event_type in _READ_ONLY_EVENTS:
                    return
                self.site.noted(*(os.fsdecode(path) for path in (event.src_path, getattr(event, "dest_path", ""))
                                  if path))
                if event.is_directory:
                    return
                with self._rebuild_cond:
                    self._want_rebuild = True
                    self._rebuild_cond.notify_all()

            handler = watchdog.events.FileSystemEventHandler()
            handler.on_any_event = callback  # type: ignore[method-assign]
            self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive,
                                                            event_filter=_changing_events(watchdog.events))

        def _rebuild(self) -> None:
            self.built_ok = self.site.build()
            self.banner = banner_html(self.site.failing).encode() if self.site.failing is not None else b""

        def _build_loop(self) -> None:
            # MkDocs' loop (mkdocs 1.6 livereload), saying what happened: a failed check builds nothing;
            # the garbage collected once idle after a rebuild.
            while True:
                if self._idle(IDLE_COLLECT):
                    self.site.collect()
                    if self._idle(IDLE_FULL):
                        self.site.collect(full=True)
                with self._rebuild_cond:
                    while not self._rebuild_cond.wait_for(lambda: self._want_rebuild or self._shutdown,
                                                          timeout=self.shutdown_delay):
                        pass
                    if self._shutdown:
                        break
                    reload_log.info("Detected file changes")
                    while self._rebuild_cond.wait(timeout=self.build_delay):
                        pass
                    self._wanted_epoch = _timestamp()
                    self._want_rebuild = False
                failure = ""
                try:
                    self.builder()
                except Exception as exc:  # noqa: BLE001 - the server goes on; the next save tries again
                    failure = str(exc) or type(exc).__name__
                    self.site.store.forget()
                    self.built_ok = False
                    self.banner = failure_banner_html(failure).encode()
                with self._epoch_cond:
                    if self.built_ok:
                        reload_log.info("Reloading browsers")
                    elif failure:
                        log.error(f"the rebuild failed: {failure}; the browser shows it over the last good version")
                    else:
                        log.error("the dossiers have errors (above): nothing was rebuilt; the browser shows "
                                  "them over the last good version")
                    self._visible_epoch = self._wanted_epoch
                    self._epoch_cond.notify_all()

        def _idle(self, seconds: float) -> bool:
            """Whether *seconds* pass with no file change (nor shutdown)."""
            with self._rebuild_cond:
                return not self._rebuild_cond.wait_for(lambda: self._want_rebuild or self._shutdown, timeout=seconds)

        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            content = super()._inject_js_into_html(content, epoch)
            banner = self.banner
            if not banner:
                return content
            start = content.find(b"<body")
            end = content.find(b">", start) + 1 if start >= 0 else 0
            return content[:end] + banner + content[end:]

    return DossierServer


def _changing_events(events: Any) -> list:
    """The file events (of watchdog's *events*) that may change something: inotify then reports no read at
    all (a rebuild reads every file of the dossiers: thousands of events, each taking the lock from it)."""
    return [events.FileCreatedEvent, events.DirCreatedEvent, events.FileDeletedEvent, events.DirDeletedEvent,
            events.FileModifiedEvent, events.DirModifiedEvent, events.FileMovedEvent, events.DirMovedEvent,
            events.FileClosedEvent]


def _timestamp() -> int:
    from mkdocs.livereload import _timestamp as mkdocs_timestamp

    return mkdocs_timestamp()


def serve(config_file: str, dev_addr: str | None = None, *, ready: threading.Event | None = None) -> None:
    """Serve the site of *config_file* with live reload until interrupted."""
    from mkdocs.livereload import _serve_url

    options: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    site_dir = tempfile.mkdtemp(prefix="dossier_serve_")
    try:
        site = SiteBuilder(config_file, site_dir, **options)
        config = site.load_config()
        host, port = config.dev_addr
        mount_path = urlsplit(config.site_url or "/").path
        site.serve_url = config.site_url = _serve_url(host, port, mount_path)
        server = _server_class()(site, host=host, port=port, root=site_dir, mount_path=mount_path)
        server.error_handler = lambda code: _error_page(site_dir, code)
        try:
            site.build(config)
            site.set_aside()
            server.watch(config.docs_dir)
            if config.config_file_path:
                server.watch(config.config_file_path)
            config.plugins.on_serve(server, config=config, builder=server.builder)
            for item in config.watch:
                server.watch(item)
            if ready is not None:
                ready.set()
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
            config.plugins.on_shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def _error_page(site_dir: str, code: int) -> bytes | None:
    page = join(site_dir, f"{code}.html")
    if code in (404, 500) and isfile(page):
        return Path(page).read_bytes()
    return None
