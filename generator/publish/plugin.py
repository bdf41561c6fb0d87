"""The MkDocs plugin ``dossiers``: a thin layer that feeds the core's pages into MkDocs.

* ``on_config`` runs the core's load, validate and link stages *before*
  MkDocs cleans the site folder, so a dossier with errors stops the build
  with the previous site untouched; ``mkdocs build`` then builds into a
  staging folder that replaces the site only once complete.
* ``on_files`` adds every rendered page (and each PDF) as a generated file:
  nothing is written into ``docs/``.
* ``on_page_context`` hands the search plugin a copy of each generated page
  with its inline elements unwrapped (the same sections and text, a third of
  the tags to parse: :mod:`generator.render.search_copy`), then gives the
  page its own HTML back before the theme renders it.
* ``on_serve`` watches the dossiers folder; during ``mkdocs serve`` a bad
  edit logs the located errors and the last good pages keep being served;
  the next good edit says the errors are fixed.

Diagnostics go through MkDocs' logging (``mkdocs build --strict`` fails on
a dossier's warning). Every page address comes from MkDocs' own rule for
``use_directory_urls`` (:func:`generator.render.pages.page_url`), and each
page's date (the sitemap's ``lastmod``) from its dossier's ``as_of``, without
touching the process environment; each PDF carries its own dossier's date.
"""

from __future__ import annotations

import html
import logging
import os
import shutil
from collections.abc import MutableMapping
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import CountHandler

from ..core.batch import settle, unsettle
from ..core.errors import OutputError, Report, display_path
from ..core.library import in_group, signature
from ..core.progress import Progress
from ..exchange.formats import published_files, served_files
from ..incremental.core_cache import SiteParts
from ..incremental.dossier_memo import DossierMemo
from ..incremental.export_parts import json_export, remade
from ..incremental.page_cache import DiskStore, MemoryStore, PageReuse
from ..pipeline import stages as core
from ..render.html import with_page_language
from ..render.labels import labels
from ..render.previews import PREVIEWS_NAME
from ..render.search_copy import for_search
from .plugin_content import FinishedPages
from .search_memo import known, writes_index_so
from .serve_build import only_known_plugins

log = logging.getLogger("mkdocs.plugins.dossiers")

CSS_URI = "assets/dossier/dossier.css"
_LAST_GOOD: dict[str, list] = {}
"""Dossiers folder -> the last dossiers that checked clean (``mkdocs serve`` makes a new plugin per rebuild)."""
_FAILING: set[str] = set()
"""Dossiers folders whose last check during ``mkdocs serve`` found errors (to say when they are fixed)."""

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
"""Material's search dialog as its ``partials/search.html`` writes it: the plugin names it."""
_NO_SEARCH_META = object()
"""A page without ``search`` metadata of its own."""
NOT_FOUND_HEADING = "<h1>404 - Not found</h1>"
"""Material's 404 heading as its ``404.html`` writes it: the plugin translates it."""


def _strict_warnings(config: MkDocsConfig) -> bool:
    """True when ``--strict`` (or ``strict: true``) is on and warnings were logged: MkDocs will abort."""
    if not config.strict:
        return False
    return any(isinstance(handler, CountHandler) and handler.get_counts()
               for handler in logging.getLogger("mkdocs").handlers)


def _escaped_striptags(value: object) -> str:
    return html.escape(Markup(str(value)).striptags(), quote=False)


def log_report(report: Report) -> None:
    """Each diagnostic of *report* as a MkDocs log record: errors as errors, warnings as warnings."""
    for diagnostic in report.sorted():
        (log.error if diagnostic.severity == "error" else log.warning)(diagnostic.format())


def _patch(output: str, old: str, new: str, where: str) -> str:
    """*output* with *old* replaced by *new*; a warning (an error under ``--strict``) when the theme's markup lacks it."""
    if old not in output:
        log.warning(f"{where}: the theme's markup has no `{old}`: the dossiers plugin cannot patch it "
                    "(was Material updated?)")
        return output
    return output.replace(old, new, 1)


def _name_search_dialog(output: str, config: MkDocsConfig, where: str) -> str:
    """*output* with Material's search dialog named (axe-core: aria-dialog-name)."""
    if 'data-md-component="search"' not in output and SEARCH_DIALOG not in output:
        return output  # a page without the search dialog (another theme, or search turned off)
    label = labels(config.theme.get("language") or "fr")["search"]
    return _patch(output, SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{label}">', where)


def _search_plugin(config: MkDocsConfig):
    """The site's search plugin (None without one)."""
    return next((plugin for name, plugin in config.plugins.items() if name == "search" or name.endswith("/search")),
                None)


def _search_index(config: MkDocsConfig):
    """Material's search index of this build (None without a search plugin)."""
    return getattr(_search_plugin(config), "search_index", None)


def _search_known(config: MkDocsConfig) -> bool:
    """Whether the site's search plugin (if any) keeps its entries where :class:`PageReuse` can set them: Material's."""
    return all(type(plugin).__module__.startswith("material.plugins.search")
               for name, plugin in config.plugins.items() if name == "search" or name.endswith("/search"))
def _search_languages(config: MkDocsConfig, languages: dict[str, str]) -> None:
    """The search plugin told every language the dossiers are written in (``lang: [fr, en]`` for a
    library that mixes French and English dossiers): each page's words are then stemmed in its language."""
    wanted = sorted(set(languages.values()))
    for name, plugin in config.plugins.items():
        if (name == "search" or name.endswith("/search")) and isinstance(getattr(plugin, "config", None), MutableMapping):
            current = plugin.config.get("lang")  # a list once the search plugin's on_config has run
            if isinstance(current, list):  # extended in place: Material's index holds this very list
                current.extend(lang for lang in wanted if lang not in current)


class DossiersPluginConfig(Config):
    """Options of the plugin in ``mkdocs.yml``."""

    dossiers = c.Type(str, default="dossiers")
    """The folder holding the dossiers, relative to ``mkdocs.yml``."""
    pdf = c.Type(bool, default=True)
    """Whether to typeset each dossier's PDF briefing into the site."""
    atomic = c.Type(bool, default=True)
    """Build into a staging folder and replace the site only when complete."""
    fonts = c.ListOfItems(c.Type(str), default=[])
    """Folders of extra fonts for the PDF (relative to ``mkdocs.yml``), e.g. for names in other scripts."""
    jobs = c.Type(int, default=0)
    """How many PDF briefings are typeset at once (and 1: the pages rendered in one process too); 0: as many
    as the cores (see ``dossier build --jobs``)."""
    only = c.Type(str, default="")
    """For one job of a build split across machines: the dossiers (space-separated shell patterns of
    their ids) whose pages, JSON and PDF this job writes; "" for all (see ``dossier merge``)."""


class DossiersPlugin(BasePlugin[DossiersPluginConfig]):
    """Adds the dossiers' pages to an MkDocs site."""

    def __init__(self) -> None:
        self.command = "build"
        self.linked: list = []
        self.preloaded: tuple[list, Report] | None = None
        self.final_site: Path | None = None
        self.staged: Path | None = None
        self.titles: dict[str, str] = {}
        self.languages: dict[str, str] = {}
        """Dossier id -> its language, for the ``lang`` of its pages."""
        self.progress = Progress()
        self.pages = 0
        self.finished: FinishedPages | None = None
        self.search = False
        self.full_content: dict[str, str] = {}
        self.search_excluded: dict[str, object] = {}
        """src_uri -> the page's own ``search`` metadata, while the search plugin is told to leave it out."""
        self.index_written: Any = None
        """The search plugin whose pass this build skipped, its index written from the pages' fragments (under serve)."""
        self.page_store: MemoryStore | DiskStore | None = None
        """Set by ``dossier serve`` and ``dossier build``: where the pages built before are (:mod:`generator.incremental.page_cache`)."""
        self.reuse: PageReuse | None = None
        self.dossier_memo: DossierMemo | None = None
        """Set by ``dossier serve``: the dossiers checked, linked and rendered before (:mod:`generator.incremental.dossier_memo`)."""
        self.files: Files | None = None
        self.kept: SiteParts | None = None
        """The core's outputs kept by the last ``dossier build`` of the same inputs (:mod:`generator.incremental.core_cache`)."""
        self.made: SiteParts | None = None
        """The core's outputs of this build, for ``dossier build`` to keep."""
        self.dates: dict[str, str] = {}
        self.dossier_nav: list = []
        self.pdf_keys: dict[str, str] = {}
        self.pdf_report = Report()
        """The PDF briefings' warnings of this build."""

    def dossiers_path(self, config: MkDocsConfig) -> Path:
        """The dossiers folder, resolved against ``mkdocs.yml``'s folder."""
        base = Path(config.config_file_path or ".").parent
        return (base / self.config.dossiers).resolve()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        site_lang = config.theme.get("language") or "fr"
        if self.kept is not None:  # ``dossier build`` found the core's outputs for these very inputs
            self.linked, dossier_nav, self.dates = [], self.kept.nav, self.kept.dates
            self.languages = dict(self.kept.languages)
        else:
            linked = self._load(config)
            self.linked = linked
            _LAST_GOOD[str(self.dossiers_path(config))] = linked
            dossier_nav = core.site_nav(linked, site_lang)
            self.dates = {one.dossier.id: one.dossier.meta.as_of.start.first_day().isoformat() for one in linked}
            self.languages = {one.dossier.id: one.dossier.meta.language for one in linked}
        self.dossier_nav = dossier_nav
        config.nav = dossier_nav + list(config.nav or [])
        if config.validation.nav.omitted_files == logging.INFO:
            # The nav leaves every entity page out on purpose (a flat nav makes a build quadratic):
            # MkDocs' list of pages not in the nav would name them all on every build.
            config.validation.nav.omitted_files = logging.DEBUG
        self.search = any(name == "search" or name.endswith("/search") for name in config.plugins)
        _search_languages(config, self.languages)
        if CSS_URI not in config.extra_css:
            config.extra_css.insert(0, CSS_URI)
        if core.PREVIEW_SCRIPT_URI not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(core.PREVIEW_SCRIPT_URI)
        if self.command == "build" and self.config.atomic:
            self.final_site = Path(config.site_dir)
            self.staged = core.staging_directory(self.final_site)
            config.site_dir = str(self.staged)
        store = self.page_store
        self.reuse = PageReuse(store, config) if store is not None and _search_known(config) else None
        return config

    def _load(self, config: MkDocsConfig) -> list:
        if self.preloaded is not None:
            linked, report = self.preloaded
            self.preloaded = None
        else:
            path = self.dossiers_path(config)
            linked, report = core.prepare(path, display_path(str(path)))
            log_report(report)
        folder = str(self.dossiers_path(config))
        if report.errors:
            last_good = self.linked or _LAST_GOOD.get(folder)
            if self.command == "serve" and last_good:
                _FAILING.add(folder)
                log.error("the dossiers have errors (above); serving the last good version")
                return last_good
            raise PluginError(f"the dossiers have errors: {report.summary()}")
        if self.command == "serve" and folder in _FAILING:
            _FAILING.discard(folder)
            log.info("the dossiers' errors are fixed: serving the new version")
        return linked

    def _page_date(self, src_uri: str) -> str | None:
        """The date of the page *src_uri* (its dossier's ``as_of``; the latest one for other pages),
        or None to leave MkDocs' own (``SOURCE_DATE_EPOCH``, when the user set it, or the build day)."""
        if "SOURCE_DATE_EPOCH" in os.environ or not self.dates:
            return None
        return self.dates.get(src_uri.split("/", 1)[0], max(self.dates.values()))

    @event_priority(-100)
    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        # After every other plugin's: the navigation each page draws is final.
        if self.reuse is not None:
            options = {name: value for name, value in self.config.items() if name != "jobs"}  # no output changes with it
            self.reuse.decide(config, files, nav, options)
            self.progress.start("converting pages", self.pages - self.reuse.reused)
        return nav

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        if isinstance(self.page_store, MemoryStore):  # ``dossier serve``: the templates compiled once
            env.bytecode_cache = self.page_store.templates
        if self.reuse is not None and self._page_date("") is not None:  # a page not rendered again still
            latest, known = max(self.dates.values()), files.src_uris       # needs its date, for the sitemap
            for src_uri in self.titles:
                file = known.get(src_uri)
                if file is not None and file.page is not None and file.inclusion.is_included():
                    file.page.update_date = self.dates.get(src_uri.split("/", 1)[0], latest)
        # Themes put `title | striptags` in <title>; striptags also unescapes entities, which would
        # turn a title's escaped `&lt;/title&gt;` back into markup. Escape what it returns.
        env.filters["striptags"] = _escaped_striptags
        self.progress.start("writing pages", self.pages - (self.reuse.reused if self.reuse else 0))
        return env

    def on_page_markdown(self, markdown: str, *, page, config: MkDocsConfig, files: Files) -> str:
        date = self._page_date(page.file.src_uri)
        if date is not None:
            page.update_date = date  # the sitemap's lastmod: the same bytes on every build
        title = self.titles.get(page.file.src_uri)
        if title is not None:
            page.meta["title"] = html.escape(title)  # themes print page titles as HTML
            if self.finished is not None:
                return self.finished.markdown(markdown, page)  # its HTML is final: no Markdown pass
        return markdown

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        pdf = self.config.pdf and self.command != "serve"
        self.titles, self.pdf_keys = {}, {}
        self.finished = FinishedPages(config)
        self.progress.stage("rendering the dossiers' pages")
        pages = self.kept.pages if self.kept is not None else \
            core.site_pages(self.linked, pdf=pdf, site_lang=config.theme.get("language") or "fr",
                            directory_urls=config.use_directory_urls, memo=self.dossier_memo, only=self.config.only,
                            jobs=1 if self.config.jobs == 1 else None)
        known = files.src_uris  # MkDocs' own mapping (a page's src_uri is posix already: no normalising)
        for page in pages:
            self.titles[page.src_uri] = page.title
            existing = known.get(page.src_uri)
            if existing is not None:
                files.remove(existing)
            if self.reuse is None:
                files.append(File.generated(config, page.src_uri, content=page.markdown))
                continue
            file = self.reuse.page_file(config, page.src_uri, page.markdown)
            self.reuse.add(file, page.title, page.markdown, self._page_date(page.src_uri))
            files.append(file)
        css = resources.files("generator").joinpath("assets/dossier.css").read_text(encoding="utf-8")
        files.append(self._generated(config, CSS_URI, css))
        # Each dossier's files for other tools (its JSON export, FtM entities, Web Annotations);
        # its identities read the library.
        exports = self.kept.exports if self.kept is not None else {
            path: content for one in self._own() for path, content in self._published(one, config).items()}
        for path, content in exports.items():
            files.append(self._generated(config, path, content))
        previews = self.kept.previews if self.kept is not None else self._previews(config)
        for id_, text in previews.items():  # what each entity link's preview says (dossier-preview.js)
            files.append(self._generated(config, f"{id_}/{PREVIEWS_NAME}", text))
        files.append(self._generated(config, core.PREVIEW_SCRIPT_URI, core.preview_script()))
        files.append(self._generated(config, core.PREVIEW_INDEX_URI, core.preview_index(previews)))
        if pdf:
            self._add_pdfs(files, config)
        if isinstance(self.page_store, DiskStore) and self.kept is None:
            self.made = SiteParts(self.dossier_nav, self.dates, pages, exports, previews=previews,
                                  pdfs=dict(self.pdf_keys), languages=dict(self.languages))
        documentation = files.documentation_pages()
        self.pages = len(documentation)
        self.files = files
        if self.page_store is not None:  # a dirty build: the pages of docs/ are built every time (their titles make the nav)
            for file in documentation:
                if file.generated_by is None:
                    file.is_modified = lambda: True  # type: ignore[method-assign]
        self.progress.start("converting pages", self.pages)
        settle()  # the dossiers' models and pages stay out of MkDocs' garbage collections
        return files

    def _generated(self, config: MkDocsConfig, path: str, content: str | bytes) -> File:
        """A generated file other than a page (under ``dossier serve``: not written again when unchanged)."""
        return self.reuse.static_file(config, path, content) if self.reuse is not None else \
            File.generated(config, path, content=content)

    def _previews(self, config: MkDocsConfig) -> Any:
        """Dossier id -> its previews' JSON: under ``dossier serve``, in UTF-8 and made in parts."""
        if self.dossier_memo is None:
            return core.dossier_previews(self.linked, config.use_directory_urls)
        return core.served_previews(self.linked, config.use_directory_urls, self.dossier_memo)

    def _published(self, one, config: MkDocsConfig) -> dict[str, Any]:
        """Site path -> text of each file published for *one* (:func:`generator.exchange.formats.published_files`;
        under ``dossier serve``, in UTF-8 and made in parts: :func:`generator.exchange.formats.served_files`)."""
        options = (config.site_url, config.use_directory_urls)
        make = lambda linked: published_files(linked, *options)
        if self.dossier_memo is None or any(signature(one)):  # one that reads the library is made again; ((), ()): none
            return make(one)
        memo = self.dossier_memo
        return memo.export(one, lambda linked: served_files(linked, *options, partial(json_export, memo),
                                                            partial(remade, memo, linked)), options)

    def _add_pdfs(self, files: Files, config: MkDocsConfig) -> None:
        from ..pdf.kept import KeptPdfs  # a site built with `pdf: false` never loads the PDF's modules
        from ..pdf.pool import typeset_all

        base = Path(config.config_file_path or ".").parent
        fonts = [str((base / folder).resolve()) for folder in self.config.fonts]
        if self.kept is not None and isinstance(self.page_store, DiskStore):
            for id_, content in self.kept.pdf_bytes.items():
                files.append(File.generated(config, f"{id_}/{id_}.pdf", content=content))
            return
        own = self._own()
        cache = KeptPdfs(self.page_store, fonts) if isinstance(self.page_store, DiskStore) else None
        starting = lambda one: self.progress.stage(f"typesetting the PDF briefing of {one.dossier.id}")
        try:
            pdfs = typeset_all(own, fonts, self._pdf_warnings, kept=cache.kept if cache else None,
                               made=cache.keep if cache else None, starting=starting, jobs=self.config.jobs or None)
        except OutputError as exc:
            raise PluginError(str(exc)) from None
        if cache is not None:
            self.pdf_keys.update(cache.keys)
        for one, pdf in zip(own, pdfs):
            files.append(File.generated(config, f"{one.dossier.id}/{one.dossier.id}.pdf", content=pdf))

    def _pdf_warnings(self, report: Report) -> None:
        """A briefing's font warnings: logged, and kept with the core's outputs for a cached build to show."""
        log_report(report)
        self.pdf_report.extend(report)
    def _own(self) -> list:
        """The dossiers whose pages, JSON and PDF this build writes (the plugin's ``only``)."""
        return [one for one in self.linked if in_group(one.dossier.id, self.config.only)]

    def on_page_content(self, html: str, *, page, config: MkDocsConfig, files: Files) -> str:
        self.progress.advance()
        return self.finished.content(html, page) if self.finished is not None else html

    @event_priority(100)
    def _search_copy(self, context, *, page, config: MkDocsConfig, nav):
        if self.reuse is not None and self.search:
            self.reuse.before_search(_search_index(config))
        # Before the search plugin indexes a generated page: the same text with fewer tags to parse.
        if self.search and page.file.src_uri in self.titles:
            self.full_content[page.file.src_uri] = page.content
            page.content = for_search(page.content)
            self._index_by_pieces(page, config)
        return context

    def _index_by_pieces(self, page, config: MkDocsConfig) -> None:
        """``dossier serve``: the page's entries made here from the pieces of its last parse (Material's very
        sections: :mod:`generator.publish.search_memo`), the page then excluded from Material's own pass."""
        plugin, store = _search_plugin(config), self.page_store
        if (self.reuse is None or not isinstance(store, MemoryStore) or not known()
                or not getattr(getattr(plugin, "config", None), "enabled", False)
                or getattr(plugin, "search_index", None) is None):
            return
        store.search.index(plugin.search_index, page)
        self.search_excluded[page.file.src_uri] = page.meta.get("search", _NO_SEARCH_META)
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}

    @event_priority(-100)
    def _full_copy(self, context, *, page, config: MkDocsConfig, nav):
        # After it, before the theme renders the page: the page's own HTML again.
        if self.reuse is not None and self.search:
            self.reuse.after_search(page.file.src_uri, _search_index(config))
        full = self.full_content.pop(page.file.src_uri, None)
        if full is not None:
            page.content = full
        search = self.search_excluded.pop(page.file.src_uri, None)
        if search is _NO_SEARCH_META:
            del page.meta["search"]
        elif search is not None:
            page.meta["search"] = search
        return context

    on_page_context = CombinedEvent(_search_copy, _full_copy)

    def on_post_page(self, output: str, *, page, config: MkDocsConfig) -> str:
        self.progress.advance()
        return _name_search_dialog(self._page_language(output, page, config), config, page.file.src_uri)

    def _page_language(self, output: str, page, config: MkDocsConfig) -> str:
        """*output* with ``<html lang>`` set to its dossier's language, when that is not the site's."""
        site = config.theme.get("language") or "fr"
        return with_page_language(output, site, self.languages.get(page.file.src_uri.split("/", 1)[0], site))

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        # The 404 page is a theme template, not a page: its search dialog needs a name too, its title a language.
        if template_name != "404.html":
            return output_content
        title = html.escape(labels(config.theme.get("language") or "fr")["not_found"])
        output = _name_search_dialog(output_content, config, template_name)
        if config.theme.name != "material":
            return output
        return _patch(output, NOT_FOUND_HEADING, f"<h1>{title}</h1>", template_name)

    @event_priority(50)
    def _whole_index(self, *, config: MkDocsConfig) -> None:
        # Before the search plugin writes its index: the entries of the pages not rendered again too.
        if self.reuse is None or not self.search or self.files is None:
            return
        plugin = _search_plugin(config)
        if (writes_index_so(plugin) and only_known_plugins(config)
                and self.reuse.write_index(plugin.search_index, self.files, config.site_dir)):
            # ``dossier serve``: the index written from the pages' kept fragments; Material's pass skipped.
            plugin.config["enabled"] = False
            self.index_written = plugin
            return
        self.reuse.whole_index(_search_index(config), self.files)

    @event_priority(-100)
    def _search_enabled(self, *, config: MkDocsConfig) -> None:
        self._enable_search()

    def _enable_search(self) -> None:
        # After the search plugin's pass: enabled again (a build on the same configuration indexes its pages).
        if self.index_written is not None:
            self.index_written.config["enabled"] = True
            self.index_written = None

    def _finish(self, *, config: MkDocsConfig) -> None:
        self.progress.finish()
        if self.command == "serve":
            count = len(self.linked)
            reused = f" ({self.reuse.reused} unchanged)" if self.reuse is not None else ""
            log.info(f"dossiers: {count} dossier{'s' if count != 1 else ''}, {self.pages} pages built{reused}")
        unsettle()
        if _strict_warnings(config):
            return  # MkDocs aborts the build next: on_build_error drops the staged site, the old one stays
        if self.reuse is not None and self.files is not None:
            self.reuse.finish(config.site_dir, self.files)
        if self.staged is not None and self.final_site is not None:
            core.replace_directory(self.staged, self.final_site)
            config.site_dir = str(self.final_site)
            self.staged = None

    on_post_build = CombinedEvent(_whole_index, _finish, _search_enabled)

    def on_build_error(self, *, error: Exception) -> None:
        self._enable_search()
        if isinstance(self.page_store, MemoryStore):
            self.page_store.forget()  # the served folder may be half-written: render every page next time
        if self.staged is not None:
            shutil.rmtree(self.staged, ignore_errors=True)
            self.staged = None

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        server.watch(str(self.dossiers_path(config)))
        return server
