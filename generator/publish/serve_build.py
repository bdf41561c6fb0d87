"""``dossier serve``'s MkDocs build: MkDocs 1.6's dirty build, step by step, keeping what rebuilds share.

MkDocs makes everything again on every build. Between two rebuilds of the
preview, two of its steps give the same result unless what they read changed:

* **the theme's static files** (``Files.add_files_from_theme``): listing the
  theme's folders (Material: 14,500 names, most of them icons) and matching
  each against MkDocs' patterns, 0.1 s a build. The list is kept by the
  theme's folders, its static templates, MkDocs' Markdown extensions and the
  names in the theme's custom folder (walked every time, a small folder: a
  template added there is seen); the pages of ``docs/`` still win over a
  theme file of the same name, as in MkDocs.
* **the static templates** (``sitemap.xml`` with its gzip copy, ``404.html``):
  drawn from the site (``mkdocs.yml``, the navigation, ``docs/``, the
  versions: the page cache's site key) and from each page's address and date.
  When both are those of the last build, and the files are in place, they are
  not drawn again; only with the plugins whose template events are known (the
  dossiers and Material's search), any other plugin's events being free to
  change them.

Everything else is MkDocs' own code, in its order, with every plugin event
(``mkdocs.commands.build.build`` of MkDocs 1.6, which this mirrors); under
another MkDocs, :func:`serve_build` is MkDocs' own dirty build
(:func:`generator.incremental.page_cache.cached_build`).
"""

from __future__ import annotations

import functools
import logging
import os
import time
from copy import copy
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from ..incremental.page_cache import cached_build

log = logging.getLogger("mkdocs.commands.build")

MIRRORED = "1.6."
"""The MkDocs releases whose ``build`` :func:`serve_build` follows."""
KNOWN_PLUGINS = {"dossiers": "generator.", "search": "material.plugins.search.", "material/search": "material.plugins.search."}
"""The plugins whose template events draw the static templates from the site and the pages alone, and that leave the
search entries as Material made them (name -> module)."""


def only_known_plugins(config: Any) -> bool:
    """Whether every plugin of *config* is one of :data:`KNOWN_PLUGINS`."""
    return all(type(one).__module__.startswith(KNOWN_PLUGINS.get(name, "\0")) for name, one in config.plugins.items())


@dataclass
class KeptBuild:
    """What one rebuild takes from the last: the theme's static files, the static templates' inputs."""

    templates: Any = None
    """A Jinja bytecode cache given to every environment of the theme (None: none)."""
    theme_files: dict[tuple, list[tuple[str, str | None]]] = field(default_factory=dict)
    """The theme's inputs -> its static files (path, the theme folder it comes from), in MkDocs' order."""
    templates_key: tuple | None = None
    """What the static templates of the last build were drawn from (None: draw them)."""
    pages_key: tuple | None = None
    """What MkDocs makes a page outside the navigation from besides its file (the site's address, the edit
    links' settings, the build date), as of :attr:`pages`."""
    pages: dict[int, tuple[Any, type, dict, tuple[str, ...]]] = field(default_factory=dict)
    """id of a kept ``File`` -> (that file, its page's class, the page's attributes as MkDocs made them, the names
    of those that are lists, dicts or sets)."""

    def forget(self) -> None:
        """A build failed half-way: draw the static templates again next time, make every page anew."""
        self.templates_key = None
        self.pages.clear()


def serve_build(config: Any, kept: KeptBuild, *, serve_url: str | None = None) -> None:
    """MkDocs' dirty build of *config* (the pages the plugin's store holds left as they are), *kept* used and updated."""
    import mkdocs  # as in page_cache.cached_build: MkDocs only when a site is built

    if not mkdocs.__version__.startswith(MIRRORED):
        cached_build(config, serve_url=serve_url)
        return
    from mkdocs import utils
    from mkdocs.exceptions import Abort, BuildError

    warnings = utils.CountHandler()
    warnings.setLevel(logging.WARNING)
    if config.strict:
        logging.getLogger("mkdocs").addHandler(warnings)
    _theme_code(config.theme, kept.templates)
    try:
        start = time.monotonic()
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        _build(config, kept, serve_url)
        config.plugins.on_post_build(config=config)
        if counts := warnings.get_counts():
            raise Abort(f"Aborted with {', '.join(f'{v} {k.lower()}s' for k, v in counts)} in strict mode!")
        log.info(f"Documentation built in {time.monotonic() - start:.2f} seconds")
    except Exception as error:
        kept.forget()
        config.plugins.on_build_error(error=error)
        if isinstance(error, BuildError):
            log.error(str(error))
            raise Abort("Aborted with a BuildError!") from None
        raise
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)


def _build(config: Any, kept: KeptBuild, serve_url: str | None) -> None:
    """The body of MkDocs' build between ``pre_build`` and ``post_build``."""
    from mkdocs.commands.build import _build_extra_template, _build_page
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation

    inclusion = InclusionLevel.is_in_serve if serve_url else InclusionLevel.is_included
    if not serve_url:
        log.info(f"Building documentation to directory: {config.site_dir}")
    files = get_files(config)
    env = config.theme.get_env()
    _add_theme_files(files, env, config, kept)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    files = _listed_once(files) if only_known_plugins(config) else files
    documentation = files.documentation_pages()
    made = _kept_pages(documentation, config, kept)
    nav = get_navigation(files, config)
    _keep_pages(documentation, kept, made)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    _read_pages(files, config, serve_url, inclusion)
    env = config.plugins.on_env(env, config=config, files=files)
    files.copy_static_files(dirty=True, inclusion=inclusion)
    _static_templates(env, files, config, nav, kept)
    for template in config.extra_templates:
        _build_extra_template(template, files, config, nav)
    doc_files = files.documentation_pages(inclusion=inclusion)
    for file in doc_files:
        _build_page(file.page, config, doc_files, nav, env, True, excluded=file.inclusion.is_excluded())
    for file in doc_files:
        file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)


def _listed_once(files: Any) -> Any:
    """*files* (MkDocs' ``Files``), its list of pages made once for each inclusion rule while no file is added or
    removed: MkDocs and the plugins ask for it eight times a build (10,000 pages: 80 ms). The files' inclusion
    is settled here (``set_exclusions``, after ``on_files``); MkDocs' own events and the known plugins'
    (:data:`KNOWN_PLUGINS`) change it no more."""
    from mkdocs.structure.files import Files

    if type(files) is not Files:
        return files
    files.__class__ = _make_listed_once()
    return files


@functools.cache
def _make_listed_once() -> type:
    from mkdocs.structure.files import Files

    class ListedOnce(Files):
        _listed: dict[Any, list] | None = None

        def append(self, file: Any) -> None:
            self._listed = None
            super().append(file)

        def remove(self, file: Any) -> None:
            self._listed = None
            super().remove(file)

        def documentation_pages(self, *, inclusion: Any = None) -> list:
            listed = self._listed if self._listed is not None else {}
            self._listed = listed
            if inclusion not in listed:
                listed[inclusion] = list(super().documentation_pages(**({} if inclusion is None else
                                                                        {"inclusion": inclusion})))
            return list(listed[inclusion])

    return ListedOnce


def _pages_key(config: Any) -> tuple:
    from mkdocs.utils import get_build_date

    return (config.get("site_url"), config.get("repo_url"), config.get("edit_uri"), config.get("edit_uri_template"),
            get_build_date())


def _kept_pages(documentation: list, config: Any, kept: KeptBuild) -> set[int]:
    """MkDocs' ``Page(None, file, config)`` for each page file kept from the last build (the plugin's
    :class:`generator.incremental.page_cache.PageReuse` keeps them), made as a copy of the page MkDocs made
    for it then: 10,000 pages in 20 ms, not 0.3 s of working out addresses again. The ids of those not made."""
    key = _pages_key(config)
    if key != kept.pages_key:
        kept.pages.clear()
        kept.pages_key = key
    missing = set()
    for file in documentation:
        if file.page is not None:
            continue
        entry = kept.pages.get(id(file))
        if entry is None or entry[0] is not file:
            missing.add(id(file))
            continue
        page: Any = object.__new__(entry[1])
        state = page.__dict__
        state.update(entry[2])
        for name in entry[3]:  # its own lists (``toc``) and dicts (``meta``), empty as MkDocs made them
            state[name] = copy(state[name])
        file.page = page
    return missing


def _keep_pages(documentation: list, kept: KeptBuild, made: set[int]) -> None:
    """The pages MkDocs just made outside the navigation for the files of *made*, as they are now (before any
    event), kept with those made from the last ones; the files of no page any more forgotten."""
    last, kept.pages = kept.pages, {}
    for file in documentation:
        page, entry = file.page, last.get(id(file))
        if id(file) not in made:
            if entry is not None:
                kept.pages[id(file)] = entry
        elif page is not None and "title" not in page.__dict__ and page.parent is None \
                and page.previous_page is None and page.next_page is None:
            state = dict(page.__dict__)
            kept.pages[id(file)] = (file, type(page), state,
                                    tuple(name for name, value in state.items() if isinstance(value, (list, dict, set))))


def _read_pages(files: Any, config: Any, serve_url: str | None, inclusion: Any) -> None:
    """Each page's Markdown read and converted (MkDocs skips those whose file is unchanged)."""
    from mkdocs.commands.build import _populate_page
    from mkdocs.structure.pages import Page

    excluded = []
    for file in files.documentation_pages(inclusion=inclusion):
        if file.page is None and file.inclusion.is_not_in_nav():
            if serve_url and file.inclusion.is_excluded():
                excluded.append(urljoin(serve_url, file.url))
            Page(None, file, config)
        _populate_page(file.page, config, files, True)
    if excluded:
        log.info("The following pages are being built only for the preview but will be excluded from "
                 "`mkdocs build` per `draft_docs` config:\n  - " + "\n  - ".join(excluded))


def _theme_code(theme: Any, templates: Any) -> None:
    """Every Jinja environment of *theme* (the build's, and the ones Material's search plugin makes to read
    its translations: 25 ms a build) given the compiled templates of the last builds."""
    if templates is None:
        return
    make = type(theme).get_env

    def get_env() -> Any:
        env = make(theme)
        env.bytecode_cache = templates
        return env

    theme.get_env = get_env


def _theme_key(config: Any) -> tuple:
    """What the theme's static files depend on: its folders, static templates, the custom folder's names."""
    from mkdocs import utils

    custom = config.theme.custom_dir
    names: list[str] = []
    if custom:
        for folder, dirs, found in os.walk(custom, followlinks=True):
            dirs.sort()
            names += sorted(os.path.relpath(os.path.join(folder, name), custom) for name in found)
    return (tuple(config.theme.dirs), tuple(sorted(config.theme.static_templates)),
            tuple(utils.markdown_extensions), custom, tuple(names))


def _add_theme_files(files: Any, env: Any, config: Any, kept: KeptBuild) -> None:
    """MkDocs' ``files.add_files_from_theme(env, config)``, its list of the theme's files kept."""
    from mkdocs.structure.files import File, Files

    key = _theme_key(config)
    listed = kept.theme_files.get(key)
    if listed is None:
        probe = Files([])
        probe.add_files_from_theme(env, config)
        listed = kept.theme_files[key] = [(file.src_uri, file.src_dir) for file in probe]
    for path, folder in listed:  # each from a theme folder: never None
        if files.get_file_from_path(path) is None:  # the pages of docs/ win over the theme's files
            files.append(File(path, folder, config.site_dir, config.use_directory_urls))


def _static_templates(env: Any, files: Any, config: Any, nav: Any, kept: KeptBuild) -> None:
    """MkDocs' static templates, drawn again only when what they are drawn from changed."""
    from mkdocs.commands.build import _build_theme_template

    key = _templates_key(files, config)
    if key is not None and key == kept.templates_key and all(
            os.path.isfile(os.path.join(config.site_dir, name)) for name in config.theme.static_templates):
        return
    kept.templates_key = None
    for template in config.theme.static_templates:
        _build_theme_template(template, env, files, config, nav)
    kept.templates_key = key


def _templates_key(files: Any, config: Any) -> tuple | None:
    """The site's key and every page's address and date, in order; None when another plugin may draw them."""
    plugin = config.plugins.get("dossiers")
    reuse = getattr(plugin, "reuse", None)
    if reuse is None or reuse.site is None or not only_known_plugins(config):
        return None
    pages = tuple((page.is_link, page.abs_url, page.canonical_url, page.update_date)
                  for page in (file.page for file in files.documentation_pages()) if page is not None)
    return (reuse.site, tuple(sorted(config.theme.static_templates)), tuple(config.extra_templates), pages)
