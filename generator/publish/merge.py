"""``dossier merge``: the sites that the jobs of a CI matrix built, merged into one site.

Each job builds the whole library's checks, navigation, home and library pages,
but the pages, JSON and PDF of its own group of dossiers only (the plugin's
``only`` option). The merge copies every job's files into one folder; a file
that several jobs wrote (the theme, the guide, the home, the library pages,
the pages the navigation names) must be the same in each, or the jobs were
not built from the same input. Two files are merged rather than copied:
MkDocs' and Material's search index (``search/search_index.json``: one
``config``, the union of the ``docs`` entries) and the sitemap (the union of
its ``<url>`` entries, and its gzip copy written again). The merged site is
written beside the output folder and put in its place in one rename.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import shutil
from pathlib import Path

from ..pipeline.stages import replace_directory, staging_directory

SEARCH_INDEX = "search/search_index.json"
SITEMAP, SITEMAP_GZ = "sitemap.xml", "sitemap.xml.gz"
_URL_ENTRY = re.compile(r"[ \t]*<url>.*?</url>\n?", re.DOTALL)


class MergeError(Exception):
    """The job sites cannot be merged (a usage error or mismatched jobs)."""


def merge_sites(sites: list[Path], output: Path) -> int:
    """Merge the job *sites* into *output* (replaced as a whole); the number of files written."""
    for site in sites:
        if not site.is_dir():
            raise MergeError(f"{site}: no such folder")
    if len(sites) < 2:
        raise MergeError("name two job sites or more to merge")
    files = _collect(sites)
    staged = staging_directory(output)
    try:
        for relative, source in files.items():
            target = staged / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        _merge_search(sites, staged)
        _merge_sitemap(sites, staged)
        replace_directory(staged, output)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return len(files)


def _collect(sites: list[Path]) -> dict[str, Path]:
    """Relative path -> the first job file that has it; files written by several jobs must be identical."""
    found: dict[str, Path] = {}
    merged = {SEARCH_INDEX, SITEMAP, SITEMAP_GZ}
    for site in sites:
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            relative = path.relative_to(site).as_posix()
            first = found.setdefault(relative, path)
            if first is not path and relative not in merged and first.read_bytes() != path.read_bytes():
                raise MergeError(f"{relative} differs between {_site_of(first, sites)} "
                                 f"and {site}: build every job from the same dossiers and mkdocs.yml")
    return found


def _site_of(path: Path, sites: list[Path]) -> Path:
    return next(site for site in sites if path.is_relative_to(site))


def _merge_search(sites: list[Path], staged: Path) -> None:
    """One search index: the jobs' ``config`` (which must agree) and every entry once, in the jobs' order."""
    indexes = [site / SEARCH_INDEX for site in sites if (site / SEARCH_INDEX).is_file()]
    if not indexes:
        return
    config, docs, seen = None, [], set()
    for index in indexes:
        data = json.loads(index.read_text(encoding="utf-8"))
        if config is not None and data.get("config") != config:
            raise MergeError(f"{index}: its search configuration differs from the first job's: "
                             "build every job with the same mkdocs.yml")
        config = data.get("config")
        for entry in data.get("docs", []):
            key = json.dumps(entry, sort_keys=True, ensure_ascii=False)
            if key not in seen:
                seen.add(key)
                docs.append(entry)
    text = json.dumps({"config": config, "docs": docs}, separators=(",", ":"))  # as Material writes it
    (staged / SEARCH_INDEX).write_text(text, encoding="utf-8")


def _merge_sitemap(sites: list[Path], staged: Path) -> None:
    """One sitemap: the first job's, with every job's ``<url>`` entries once; its gzip copy made again."""
    maps = [site / SITEMAP for site in sites if (site / SITEMAP).is_file()]
    if not maps:
        return
    first = maps[0].read_text(encoding="utf-8")
    entries: list[str] = []
    for sitemap in maps:
        entries += [e for e in _URL_ENTRY.findall(sitemap.read_text(encoding="utf-8")) if e not in entries]
    head, _, tail = _URL_ENTRY.sub("", first).partition("</urlset>")
    text = head + "".join(entries) + "</urlset>" + tail
    (staged / SITEMAP).write_text(text, encoding="utf-8")
    gz = staged / SITEMAP_GZ
    if gz.exists():
        mtime = int.from_bytes(gz.read_bytes()[4:8], "little")  # the jobs' build date, kept
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=mtime, filename=str(gz)) as stream:  # as MkDocs does
            stream.write(text.encode("utf-8"))
        gz.write_bytes(buffer.getvalue())
