"""The pipeline, stage by stage: load and validate, link, render; and the atomic writes.

This module is the core's entry point for the command line and the MkDocs
plugin alike. It knows neither MkDocs nor Typst: the site pages it returns
are Markdown strings, and writing is done by the callers through
:func:`replace_directory` and :func:`write_file`, which never leave a
half-written result.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ..core.batch import collector_paused
from ..core.errors import Report
from ..core.kinds import folders
from ..core.library import connect, in_group, signature
from ..core.link import Linked, link
from ..core.relink import relink
from ..core.validate import check
from ..incremental.export_parts import remade
from ..incremental.page_reads import Rendered, plan
from ..render.graph import network_svg
from .parallel import in_two

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..core.files import Plan
    from ..core.prefetch import Prefetch
    from ..exchange.export import Export
    from ..incremental.dossier_memo import DossierMemo
    from ..render.pages import DossierRenderer, Page

__all__ = [
    "PREVIEW_SCRIPT_URI",
    "dossier_previews",
    "overwrite_file",
    "prepare",
    "preview_files",
    "preview_script",
    "read_edition",
    "replace_directory",
    "served_previews",
    "site_nav",
    "site_pages",
    "staging_directory",
    "write_file",
]


def prepare(path: Path, display: str | None = None, *, plans: list[Plan] | None = None,
            report: Report | None = None, prefetch: Prefetch | None = None,
            memo: DossierMemo | None = None) -> tuple[list[Linked], Report]:
    """Load, validate and link every dossier at or under *path*; nothing when there are errors.

    A command line that started a reader (:mod:`generator.core.prefetch`) passes the
    *plans* it made, the *report* they went to and the reader, as ``check`` does;
    ``dossier serve`` its *memo* of the unchanged dossiers (:mod:`generator.incremental.dossier_memo`).
    """
    dossiers, report = check(path, display if display is not None else str(path), plans, report, prefetch, memo)
    if report.errors:
        return [], report
    with collector_paused():
        linked = [link(dossier) if memo is None else memo.link(dossier, link, relink) for dossier in dossiers]
        connect(linked)  # the entities the dossiers share (:mod:`generator.core.library`)
        return linked, report


def _network(renderer: DossierRenderer, page: str) -> str:
    return network_svg(renderer.linked, page, renderer.directory_urls)


def site_pages(linked: list[Linked], *, pdf: bool = True, site_lang: str = "fr",
               directory_urls: bool = True, jobs: int | None = None, memo: DossierMemo | None = None,
               only: str = "") -> list[Page]:
    """Every page of the site, rendered; addresses in MkDocs' ``use_directory_urls`` style or not.

    On two cores, half of them in a second process (:mod:`generator.pipeline.parallel`; *jobs* 1 or 2 forces it).
    With a *memo* (``dossier serve``), the pages of a dossier linked before are the ones made then, while
    what they show of the library (:func:`generator.core.library.signature`) is the same.
    *only*: the dossiers whose entity pages a job of a split build renders (see :mod:`generator.publish.merge`).
    """
    from ..render.site import render_site  # here: ``dossier pdf`` and ``export`` need no site renderers

    def options(one: Linked) -> tuple:
        return (pdf, directory_urls, in_group(one.dossier.id, only), signature(one))

    if memo is not None:
        return _watched_pages(linked, memo, options, (pdf, directory_urls, site_lang, only), jobs)
    size = sum(len(one.dossier.table(folder)) for one in linked for folder in folders())
    with collector_paused():
        return in_two(lambda part: render_site(linked, _network, pdf=pdf, site_lang=site_lang,
                                               directory_urls=directory_urls, part=part, only=only), size, jobs)


def _watched_pages(linked: list[Linked], memo: DossierMemo, options: Callable[[Linked], tuple],
                   site: tuple[bool, bool, str, str], jobs: int | None) -> list[Page]:
    """``dossier serve``: each dossier's pages made again only where what they read changed (:mod:`generator.incremental.page_reads`);
    *options* keys a dossier's pages (a change of what they show of the library renders them all again)."""
    from ..render.pages import DossierRenderer  # here: ``dossier pdf`` and ``export`` need no site renderers
    from ..render.site import keyed_jobs, render_site  # the same

    pdf, directory_urls, site_lang, only = site
    previous = {id(one): memo.previous_pages(one, options(one)) for one in linked}
    stable = frozenset(one.dossier.id for one in linked if (previous[id(one)] or (None,))[0] is one)
    planned, size = {}, 0
    for one in linked:
        renderer = DossierRenderer(one, _network, directory_urls)
        keyed = keyed_jobs(renderer, pdf=pdf, entities=in_group(one.dossier.id, only))
        planned[id(one)], fresh = plan(previous[id(one)], one, keyed, renderer.forget, stable)
        size += fresh
    memo.rendered = size
    with collector_paused():
        made = in_two(lambda part: render_site(linked, _network, pdf=pdf, site_lang=site_lang,
                                               directory_urls=directory_urls, part=part, only=only,
                                               plan=lambda one: planned[id(one)]), size, jobs)
    by_dossier: dict[str, list[Rendered]] = {}
    for item in made:
        if isinstance(item, Rendered):
            by_dossier.setdefault(item.page.src_uri.partition("/")[0], []).append(item)
    for one in linked:
        memo.keep_pages(one, options(one), by_dossier.get(one.dossier.id, []))
    return [item.page if isinstance(item, Rendered) else item for item in made]


PREVIEW_SCRIPT_URI = "assets/dossier/dossier-preview.js"
"""Where the site serves the preview script (beside ``dossier.css``)."""
PREVIEW_INDEX_URI = "assets/dossier/previews.json"
"""The ids of the dossiers that have previews: the script asks no other folder for one."""


def preview_index(previews: Mapping[str, object]) -> str:
    """The file at :data:`PREVIEW_INDEX_URI` for these dossiers' previews."""
    import json

    return json.dumps({"dossiers": sorted(previews)}) + "\n"


def preview_script() -> bytes:
    """The site's preview script (``generator/assets/dossier-preview.js``)."""
    from importlib import resources

    return resources.files("generator").joinpath("assets/dossier-preview.js").read_bytes()


def dossier_previews(linked: list[Linked], directory_urls: bool = True) -> dict[str, str]:
    """Dossier id -> its previews' JSON (:mod:`generator.render.previews`)."""
    from ..render.pages import DossierRenderer  # as in site_pages: the site's renderers only for a site
    from ..render.previews import previews_json

    return {one.dossier.id: previews_json(DossierRenderer(one, directory_urls=directory_urls)) for one in linked}


def served_previews(linked: list[Linked], directory_urls: bool, memo: DossierMemo) -> dict[str, bytes]:
    """:func:`dossier_previews` in UTF-8 for ``dossier serve``'s *memo*: those of an unchanged dossier given back,
    and in a changed one each entity's made again only when what it read changed."""
    from ..render.pages import DossierRenderer  # as in site_pages: the site's renderers only for a site
    from ..render.previews import previews_bytes

    def make(one: Linked) -> bytes:
        return previews_bytes(DossierRenderer(one, directory_urls=directory_urls), partial(remade, memo, one))

    return {one.dossier.id: memo.output(one, f"previews-{directory_urls}", make) for one in linked}


def preview_files(linked: list[Linked], directory_urls: bool = True) -> dict[str, bytes]:
    """The preview script, the index of the dossiers with previews and each one's ``<id>/previews.json``, by path."""
    from ..render.previews import PREVIEWS_NAME  # as in site_pages: the site's renderers only for a site

    previews = dossier_previews(linked, directory_urls)
    files = {PREVIEW_SCRIPT_URI: preview_script(), PREVIEW_INDEX_URI: preview_index(previews).encode("utf-8")}
    for id_, text in previews.items():
        files[f"{id_}/{PREVIEWS_NAME}"] = text.encode("utf-8")
    return files


def site_nav(linked: list[Linked], site_lang: str = "fr") -> list:
    """The site's navigation for the dossiers."""
    from ..render.site import nav  # as in site_pages: the site's renderers only for a site

    return nav(linked, site_lang)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def staging_directory(final: Path) -> Path:
    """A new empty folder beside *final* to build into (same file system: renames are atomic)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{final.name}.new-", dir=final.parent))
    staged.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a site is for a web server to read
    return staged


def replace_directory(staged: Path, final: Path) -> None:
    """Put the complete folder *staged* in the place of *final*, as one rename where possible."""
    backup = None
    if final.exists():
        backup = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
        os.rmdir(backup)
        os.replace(final, backup)
    try:
        os.replace(staged, final)
    except OSError:
        if backup is not None:
            os.replace(backup, final)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


def write_file(path: Path, content: bytes | Sequence[bytes]) -> None:
    """Write *content* to *path* through a temporary file and a rename: never half a file. *content* may be
    a sequence of parts, written one after another as their concatenation, without joining them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(content, (bytes, bytearray, memoryview)):
                stream.write(content)
            else:
                _write_parts(stream, content)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def overwrite_file(path: Path, parts: Sequence[bytes]) -> None:
    """``dossier serve``: *path* made to hold the concatenation of *parts*, written over its own bytes when it is
    a plain file of its own (no new file and no rename: a 150 MB search index in 20 ms instead of 0.4 s, the disk
    keeping its blocks); else as :func:`write_file`. A reader meanwhile may see a mix, as it would of MkDocs'
    own writing; the preview's reload comes after."""
    try:
        handle = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        write_file(path, parts)
        return
    status = os.fstat(handle)
    if not stat.S_ISREG(status.st_mode) or status.st_nlink != 1:
        os.close(handle)
        write_file(path, parts)
        return
    with os.fdopen(handle, "wb") as stream:
        _write_parts(stream, parts)
        stream.flush()
        os.ftruncate(handle, sum(map(len, parts)))


_IOV_MAX = 1024
"""The parts handed to one ``writev`` (Linux's limit)."""


def _write_parts(stream: BinaryIO, parts: Sequence[bytes]) -> None:
    """*parts* written to *stream* in order: with one ``writev`` per thousand where the system has it (the
    site's 23 MB search index from 1,500 pages' parts: no copy joining them), what it left written plainly."""
    writev = getattr(os, "writev", None)
    for start in range(0, len(parts), _IOV_MAX):
        chunk = parts[start:start + _IOV_MAX]
        done = 0
        if writev is not None:
            stream.flush()
            done = writev(stream.fileno(), chunk)
        if done < sum(map(len, chunk)):
            stream.write(b"".join(chunk)[done:])


def read_edition(path: Path, display: str, report: Report) -> list[Export]:
    """The editions at *path*: a dossier folder (checked, linked, exported) or an export file.

    Problems go to *report* as located diagnostics; nothing is returned for a
    path with errors. Here, above the stages, and not in :mod:`generator.exchange.editions`
    (which validation uses): a folder goes through the whole pipeline.
    """
    from ..exchange.export import (  # only `dossier diff` reads editions: a build needs no export
        ExportError,
        export,
        load_export,
    )

    if path.is_dir():
        linked, found = prepare(path, display)
        report.extend(found)
        return [export(one) for one in linked]
    try:
        return [load_export(path)]
    except ExportError as exc:
        report.add(display, exc.line, exc.column, str(exc))
        return []
