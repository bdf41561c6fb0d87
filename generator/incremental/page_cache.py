"""A generated page's themed HTML reused when nothing it is made of changed (``dossier serve``, ``dossier build``).

MkDocs renders every page through the theme on every build: three quarters
of a site build. A generated page's output (its HTML file and its search
index entries) is a function of

* the page: its address (``src_uri``), title, Markdown and date;
* the site: the tool's and the theme's versions, ``mkdocs.yml``, the pages
  of ``docs/``, the navigation as built (titles, addresses, order: it is
  drawn on every page, with the previous and next links) and the options the
  command line changed (``site_url`` under ``serve``, ``use_directory_urls``).

:func:`site_key` hashes the second, :func:`page_key` adds the first. A page
whose key was built before is not rendered again: the plugin marks its file
unchanged for MkDocs' ``dirty`` build (``is_modified``), the store puts the
HTML in place, and the search index is written whole from every page's
entries, kept per page, in the pages' order. Pages of ``docs/`` are always
rendered (their titles feed the navigation).

Two stores: :class:`MemoryStore` for ``dossier serve`` (the HTML is the
served folder's own file, the entries are kept in memory) and
:class:`DiskStore` for ``dossier build`` (``.cache/dossier/`` beside
``mkdocs.yml``: each page's HTML by key with its hash, and a manifest). A
cache that cannot be read, of another version or whose file does not match
its hash is a miss, never a wrong page.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import orjson

from ..pipeline.stages import overwrite_file, write_file
from ..publish.search_memo import SearchMemo, fragment, index_parts

FORMAT = 1
INDEX = "search/search_index.json"
"""Where Material's search plugin writes the index, under the site folder."""
"""The disk cache's layout; another number is a miss."""
VERSIONED = ("dossier", "mkdocs", "mkdocs-material", "jinja2", "markdown", "pymdown-extensions", "typst")
"""The packages whose versions a page's output depends on."""


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


@functools.cache
def tool_versions() -> str:
    """The versions of the tool and of what renders its pages, as one string (those of the modules this
    process imported: read once)."""
    return ",".join(f"{name}={_version(name)}" for name in VERSIONED)


def _digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def _nav_outline(items: list[Any]) -> list:
    """The navigation as plain data: each item's kind, title, address and children."""
    outline: list = []
    for item in items:
        children = getattr(item, "children", None)
        outline.append([type(item).__name__, str(getattr(item, "title", "") or ""),
                        str(getattr(item, "url", "") or ""),
                        _nav_outline(children) if children else []])
    return outline


def _docs_digest(config: Any, files: Any) -> str:
    """The contents of the pages of ``docs/`` and of the theme's custom folder (its templates)."""
    parts = [f"{file.src_uri}\0".encode() + _read(file.abs_src_path)
             for file in sorted((file for file in files.documentation_pages()
                                 if file.generated_by is None and file.abs_src_path is not None), key=lambda f: f.src_uri)]
    custom = config.theme.custom_dir
    if custom:
        parts += [f"theme:{path}\0".encode() + _read(str(path)) for path in sorted(Path(custom).rglob("*")) if path.is_file()]
    return _digest(*parts)


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        return b"\0unreadable"


def site_key(config: Any, files: Any, nav: Any, plugin_options: dict) -> str:
    """What every page's output depends on besides the page itself."""
    options = {"site_url": config.site_url, "use_directory_urls": config.use_directory_urls,
               "extra_css": list(config.extra_css), "extra_javascript": [str(s) for s in config.extra_javascript],
               "theme": config.theme.name, "language": config.theme.get("language"), "plugin": plugin_options,
               "plugins": _plugin_versions(config), "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH")}
    return _digest(tool_versions().encode(), _config_digest(config).encode(), orjson.dumps(options, default=str),
                   orjson.dumps(_nav_outline(nav.items)), _docs_digest(config, files).encode())


def _config_digest(config: Any) -> str:
    """``mkdocs.yml``, the file it inherits from (``INHERIT``) and its hooks, read as they are."""
    paths = [config.config_file_path] if config.config_file_path else []
    if paths:
        text = _read(paths[0]).decode("utf-8", "replace")
        inherit = next((line.split(":", 1)[1].strip().strip("'\"") for line in text.splitlines()
                        if line.startswith("INHERIT:")), None)
        if inherit:
            paths.append(str(Path(paths[0]).parent / inherit))
    hooks = config.get("hooks") or {}  # MkDocs: hook name -> its loaded module
    paths += [str(getattr(module, "__file__", "") or module) for module in
              (hooks.values() if isinstance(hooks, dict) else hooks)]
    return _digest(*(f"{path}\0".encode() + _read(path) for path in paths))


@functools.cache
def _distributions() -> Mapping[str, list[str]]:
    """Top-level module -> the installed packages providing it (read once per process: 0.2 s)."""
    return metadata.packages_distributions()


def _plugin_versions(config: Any) -> list[str]:
    """Each plugin's module and the version of the package it comes from."""
    names = []
    distributions = _distributions()
    for name, plugin in config.plugins.items():
        top = type(plugin).__module__.split(".", 1)[0]
        names.append(f"{name}:{type(plugin).__module__}:" + ",".join(
            _version(package) for package in distributions.get(top, [])))
    return names


def blob_key(*parts: bytes) -> str:
    """The key of an output made from *parts* alone (with the tool's versions)."""
    return _digest(tool_versions().encode(), *parts)


def page_key(site: str, src_uri: str, title: str, markdown: str, date: str | None) -> str:
    """The key of one generated page's output."""
    return _digest(site.encode(), src_uri.encode(), title.encode(), markdown.encode(), (date or "").encode())


@dataclass
class Built:
    """One page's output as the store keeps it."""

    key: str
    entries: list
    """Its search index entries, in order."""
    fragment: bytes | None = None
    """``dossier serve``: the entries as the index's JSON writes them (:func:`generator.publish.search_memo.fragment`)."""


class TemplateCode(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in memory from one build to the next (Jinja checks each against
    its template's source: a changed template is compiled again)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


class MemoryStore:
    """``dossier serve``: the outputs of the last build, the HTML being the served folder's own files."""

    def __init__(self) -> None:
        self.pages: dict[str, Built] = {}
        """src_uri -> the page's key and entries at the last build."""
        self.outputs: set[str] = set()
        """Every file the last build wrote (its path under the site folder)."""
        self.templates = TemplateCode()
        """The theme's templates compiled by the last builds (each build makes a new Jinja environment)."""
        self.made_keys: dict[str, tuple[tuple[str, str, str, str | None], str]] = {}
        """src_uri -> what the page's key was last made of, and the key (a page kept is not hashed again)."""
        self.files: dict[str, Any] = {}
        """src_uri -> the MkDocs ``File`` of each generated page of the last build (given to the next one)."""
        self.written: dict[str, str | bytes | tuple[bytes, ...]] = {}
        """Path -> the content of each other generated file the last build put in the folder (the search index:
        the parts it was written from, each page's the page's :attr:`Built.fragment`)."""
        self.files_key: tuple | None = None
        """What :attr:`files` and :attr:`written` hold for: the folder, the addresses' form, ``mkdocs.yml``."""
        self.search = SearchMemo()
        """What each piece of each generated page's last search parse gave (a page rendered again is parsed anew
        only where it changed)."""

    def page_key(self, site: str, src_uri: str, title: str, markdown: str, date: str | None) -> str:
        """:func:`page_key`, made again only when one of its parts differs from the last build's."""
        parts = (site, title, markdown, date)
        last = self.made_keys.get(src_uri)
        if last is not None and last[0] == parts:
            return last[1]
        key = page_key(site, src_uri, title, markdown, date)
        self.made_keys[src_uri] = (parts, key)
        return key

    def restore(self, src_uri: str, key: str, dest: str) -> list | None:
        """The page's entries when its output at *dest* is that of *key*; None to render it."""
        built = self.pages.get(src_uri)
        if built is None or built.key != key or not os.path.isfile(dest):
            return None
        return built.entries

    def fragment(self, src_uri: str) -> bytes:
        """The kept page's entries as the index's JSON (made once)."""
        built = self.pages[src_uri]
        if built.fragment is None:
            built.fragment = fragment(built.entries)
        return built.fragment

    def save(self, pages: dict[str, Built], site_dir: Path, dests: dict[str, str]) -> None:
        """Remember this build's pages; remove what the last build wrote and this one did not."""
        outputs = set(dests.values())
        for stale in sorted(self.outputs - outputs):
            _remove_output(site_dir, stale)
        self.pages, self.outputs = pages, outputs
        self.made_keys = {src_uri: made for src_uri, made in self.made_keys.items() if src_uri in pages}
        self.search.keep(set(pages))

    def forget(self) -> None:
        """A build failed half-way: trust nothing of the folder any more."""
        self.pages = {}
        self.made_keys = {}
        self.files, self.written, self.files_key = {}, {}, None


def _remove_output(site_dir: Path, relative: str) -> None:
    """Delete *relative* under *site_dir*, then its parent folders left empty."""
    path = site_dir / relative
    try:
        path.unlink()
    except OSError:
        return
    parent = path.parent
    while parent != site_dir and parent.is_relative_to(site_dir):
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


@dataclass
class DiskStore:
    """``dossier build``: each page's HTML by key under *folder*, with its hash and entries in a manifest."""

    folder: Path
    known: dict[str, dict] = field(default_factory=dict)
    """key -> {"hash": …, "entries": […]}, as the manifest says."""
    blobs: dict[str, str] = field(default_factory=dict)
    """key -> hash of the other outputs kept (each PDF briefing, by its Typst sources)."""
    used_blobs: dict[str, str] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0

    @property
    def manifest(self) -> Path:
        return self.folder / "manifest.json"

    def load(self) -> None:
        """Read the manifest; anything unexpected leaves the cache empty."""
        self.known = {}
        try:
            data = orjson.loads(self.manifest.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("tool") != tool_versions():
            return
        blobs = data.get("blobs")
        if isinstance(blobs, dict):
            self.blobs = {k: v for k, v in blobs.items() if isinstance(v, str)}
        pages = data.get("pages")
        if isinstance(pages, dict):
            self.known = {k: v for k, v in pages.items()
                          if isinstance(v, dict) and isinstance(v.get("entries"), list) and isinstance(v.get("hash"), str)}

    @staticmethod
    def page_key(site: str, src_uri: str, title: str, markdown: str, date: str | None) -> str:
        return page_key(site, src_uri, title, markdown, date)

    def _path(self, key: str) -> Path:
        return self.folder / "pages" / f"{key}.html"

    def _blob_path(self, key: str) -> Path:
        return self.folder / "blobs" / key

    def blob(self, key: str) -> bytes | None:
        """The output kept under *key* (whole, or None)."""
        expected = self.blobs.get(key)
        try:
            content = self._blob_path(key).read_bytes() if expected else None
        except OSError:
            content = None
        if content is None or _digest(content) != expected:
            return None
        self.used_blobs[key] = expected
        return content

    def keep_blob(self, key: str, content: bytes) -> None:
        """Keep *content* under *key* for the next build."""
        write_file(self._blob_path(key), content)
        self.used_blobs[key] = _digest(content)

    def restore(self, src_uri: str, key: str, dest: str) -> list | None:
        """Write the cached HTML of *key* to *dest* and return its entries; None (a miss) if it is not whole."""
        known = self.known.get(key)
        if known is None:
            self.misses += 1
            return None
        try:
            content = self._path(key).read_bytes()
        except OSError:
            content = None
        if content is None or _digest(content) != known["hash"]:
            self.misses += 1
            return None
        path = Path(dest)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        self.hits += 1
        return known["entries"]

    def save(self, pages: dict[str, Built], site_dir: Path, dests: dict[str, str]) -> None:
        """Keep this build's pages (and only them): HTML copied from *site_dir*, then the manifest."""
        (self.folder / "pages").mkdir(parents=True, exist_ok=True)
        kept: dict[str, dict] = {}
        for src_uri, built in pages.items():
            known = self.known.get(built.key)
            if known is not None and self._path(built.key).is_file():
                kept[built.key] = known
                continue
            try:
                content = (site_dir / dests[src_uri]).read_bytes()
            except (OSError, KeyError):
                continue
            write_file(self._path(built.key), content)
            kept[built.key] = {"hash": _digest(content), "entries": built.entries}
        for old in (self.folder / "pages").iterdir():
            if old.suffix == ".html" and old.stem not in kept:
                old.unlink(missing_ok=True)
        self.known = kept
        self.save_manifest()

    def save_manifest(self) -> None:
        """Write the manifest of the pages and outputs this build used; remove the outputs it did not."""
        if (self.folder / "blobs").is_dir():
            for old in (self.folder / "blobs").iterdir():
                if old.name not in self.used_blobs:
                    old.unlink(missing_ok=True)
        data = {"format": FORMAT, "tool": tool_versions(), "pages": dict(sorted(self.known.items())),
                "blobs": dict(sorted(self.used_blobs.items()))}
        write_file(self.manifest, orjson.dumps(data))


class ReusableFile:
    """Mixed into MkDocs' ``File`` by :func:`reusable_file`: unchanged (for a dirty build) once its output is in place."""

    reused = False

    def is_modified(self) -> bool:
        return not self.reused


class WrittenFile:
    """Mixed into MkDocs' ``File`` by :meth:`PageReuse.static_file`: unchanged (for a dirty build) while its
    file in the folder holds the very content the last build wrote there."""

    unchanged = False
    abs_dest_path: str

    def is_modified(self) -> bool:
        return not (self.unchanged and os.path.isfile(self.abs_dest_path))


class _NoDirtyWarning(logging.Filter):
    """MkDocs warns of a ``dirty`` build's stale navigation: the page cache's keys include the navigation."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def cached_build(config, *, serve_url: str | None = None) -> None:
    """MkDocs' build of *config*, the pages found in the plugin's store left as they are (a ``dirty`` build)."""
    from mkdocs.commands.build import build as mkdocs_build  # as in reusable_file: MkDocs only when a site is built

    quiet = _NoDirtyWarning()
    logger = logging.getLogger("mkdocs.commands.build")
    logger.addFilter(quiet)
    try:
        mkdocs_build(config, serve_url=serve_url, dirty=True)
    finally:
        logger.removeFilter(quiet)


def reusable_file(config: Any, src_uri: str, content: str | bytes, mixin: type = ReusableFile) -> Any:
    """A generated page file that :class:`PageReuse` can mark as already built (*mixin*: another kind of file)."""
    from mkdocs.structure.files import File

    cls = _FILE_CLASSES.get((mixin, File))
    if cls is None:
        cls = _FILE_CLASSES[mixin, File] = type("Generated" + mixin.__name__, (mixin, File), {})
    return cls.generated(config, src_uri, content=content)  # type: ignore[attr-defined]


_FILE_CLASSES: dict[tuple[type, type], type] = {}


def files_key(config: Any) -> tuple:
    """What a generated ``File`` is made from besides its path and content (the folder, the addresses'
    form, the inclusion rules of ``mkdocs.yml``)."""
    return (config.site_dir, config.use_directory_urls, _config_digest(config))


class PageReuse:
    """The plugin's side of the cache during one build: which pages to skip, and every page's search entries."""

    def __init__(self, store: MemoryStore | DiskStore, config: Any = None):
        self.store = store
        self.site: str | None = None
        """The site's key of this build, once the navigation is known."""
        self.files_key = files_key(config) if isinstance(store, MemoryStore) else None
        same = isinstance(store, MemoryStore) and store.files_key == self.files_key
        self.kept_files: dict[str, Any] = store.files if same else {}  # type: ignore[union-attr]
        self.kept_written: dict[str, str | bytes | tuple[bytes, ...]] = store.written if same else {}  # type: ignore[union-attr]
        self.files: dict[str, Any] = {}
        self.written: dict[str, str | bytes | tuple[bytes, ...]] = {}
        self.pending: dict[str, tuple[Any, str, str, str | None]] = {}
        """src_uri -> (file, title, markdown, date) of the generated pages, until the navigation is known."""
        self.keys: dict[str, str] = {}
        self.entries: dict[str, list] = {}
        """src_uri -> the page's search entries, reused or just made."""
        self.fragments: dict[str, bytes] | None = {} if isinstance(store, MemoryStore) else None
        """``dossier serve``: src_uri -> the page's entries as the index's JSON, reused or just made."""
        self.reused = 0
        self._start = 0

    def page_file(self, config: Any, src_uri: str, markdown: str) -> Any:
        """The ``File`` of a generated page: the last build's (its path, address and inclusion worked out
        already) with its new Markdown and no page yet, or a new one."""
        file = self.kept_files.get(src_uri)
        if file is None:
            file = reusable_file(config, src_uri, markdown)
        else:
            file.page, file.reused, file._content = None, False, markdown
        if self.files_key is not None:
            self.files[src_uri] = file
        return file

    def static_file(self, config: Any, path: str, content: str | bytes) -> Any:
        """The ``File`` of another generated file (an export, the previews): not written again while the
        folder holds what the last build wrote there."""
        file = reusable_file(config, path, content, WrittenFile)
        last = self.kept_written.get(path)
        file.unchanged = last is not None and (last is content or last == content)
        if self.files_key is not None:
            self.written[path] = content
        return file

    def add(self, file: Any, title: str, markdown: str, date: str | None) -> None:
        """A generated page of this build (``on_files``)."""
        self.pending[file.src_uri] = (file, title, markdown, date)

    def decide(self, config: Any, files: Any, nav: Any, plugin_options: dict) -> None:
        """Once the navigation is built (``on_nav``): put in place each page whose output is known."""
        site = self.site = site_key(config, files, nav, plugin_options)
        for src_uri, (file, title, markdown, date) in self.pending.items():
            key = self.keys[src_uri] = self.store.page_key(site, src_uri, title, markdown, date)
            entries = self.store.restore(src_uri, key, file.abs_dest_path)
            if entries is not None:
                file.reused = True
                self.entries[src_uri] = entries
                if self.fragments is not None:
                    self.fragments[src_uri] = self.store.fragment(src_uri)  # type: ignore[union-attr]
                self.reused += 1
        self.pending.clear()

    def before_search(self, search_index: Any) -> None:
        self._start = len(search_index.entries)

    def after_search(self, src_uri: str, search_index: Any) -> None:
        """The entries the search plugin just made for *src_uri*."""
        entries = self.entries[src_uri] = search_index.entries[self._start:]
        if self.fragments is not None:
            self.fragments[src_uri] = fragment(entries)

    def whole_index(self, search_index: Any, files: Any) -> None:
        """Before the search plugin writes its index: every page's entries, in the pages' order."""
        search_index.entries = [entry for file in files.documentation_pages()
                                for entry in self.entries.get(file.src_uri, ())]

    def write_index(self, search_index: Any, files: Any, site_dir: str) -> bool:
        """``dossier serve``: Material's index written from every page's fragment, in the pages' order, unless
        the folder holds those very bytes already; False (nothing done) when that cannot be its text."""
        if self.fragments is None:
            return False
        fragments = []
        for file in files.documentation_pages():
            part = self.fragments.get(file.src_uri)
            if part is None and self.entries.get(file.src_uri):
                return False
            fragments.append(part or b"")
        parts = index_parts(search_index, fragments)
        if parts is None:
            return False
        path = Path(site_dir) / INDEX
        if not (self.kept_written.get(INDEX) == parts and path.is_file()):  # the kept pages' parts: the same objects
            overwrite_file(path, parts)
        self.written[INDEX] = parts
        return True

    def finish(self, site_dir: str, files: Any) -> None:
        """The build is complete: the store keeps its pages (and forgets what it wrote no more)."""
        pages = {src_uri: Built(key, self.entries.get(src_uri, []), None if self.fragments is None else
                                self.fragments.get(src_uri)) for src_uri, key in self.keys.items()}
        dests = {file.src_uri: file.dest_uri for file in files}
        self.store.save(pages, Path(site_dir), dests)
        if isinstance(self.store, MemoryStore):
            self.store.files, self.store.written, self.store.files_key = self.files, self.written, self.files_key
