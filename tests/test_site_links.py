"""Every internal link and anchor of the built site resolves, with both of MkDocs' URL styles.

The bundled site is built with ``use_directory_urls: true`` (the session's
``built_site``) and ``false`` (pages as ``x.html``, as for a site opened
from disk). Every HTML file is parsed; each relative ``href``/``src`` is
resolved against the file's folder (against the site's root when it starts
with ``/``, as on the 404 page): the file must exist and, for
``#anchor``, hold an element with that ``id`` (or ``name``).
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import DOSSIER, ROOT, run_dossier


class _Links(HTMLParser):
    """The ids of one HTML file and the relative addresses it links to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag in ("a", "input") else ("id",):
            if values.get(name):
                self.ids.add(values[name])
        for name in ("href", "src", "xlink:href"):
            value = values.get(name)
            if value is not None and not urlsplit(value).scheme and not value.startswith("//"):
                self.links.append(value)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path) -> tuple[list[str], int]:
    """``page -> link (why)`` for every internal link of *site* that leads nowhere; and the count of links."""
    parsed = {path.relative_to(site).as_posix(): _parse(path) for path in sorted(site.rglob("*.html"))}
    broken, count = [], 0
    for page, links in parsed.items():
        for link in links.links:
            count += 1
            parts = urlsplit(link)
            target = page
            if parts.path:
                base = "" if parts.path.startswith("/") else posixpath.dirname(page)  # 404.html: from the site's root
                target = posixpath.normpath(posixpath.join(base, unquote(parts.path).lstrip("/")))
                if target.startswith("../"):
                    broken.append(f"{page} -> {link} (outside the site)")
                    continue
                if (site / target).is_dir():
                    target = posixpath.join(target, "index.html")
                if not (site / target).is_file():
                    broken.append(f"{page} -> {link} (no such file)")
                    continue
            fragment = unquote(parts.fragment)
            if fragment and target in parsed and fragment not in parsed[target].ids:
                broken.append(f"{page} -> {link} (no #{fragment} there)")
    return broken, count


def _check(site: Path, page_of: str) -> None:
    broken, count = broken_links(site)
    assert count > 3000, count  # the bundled site has some 3,300 internal links
    assert not broken, f"{len(broken)} of {count} links are broken:\n" + "\n".join(broken[:40])
    # The dossier's pages are where this URL style puts them, with their links and the PDF.
    page = (site / page_of).read_text(encoding="utf-8")
    assert 'class="dossier-cite"' in page and "dossier-ref" in page
    assert (site / DOSSIER / f"{DOSSIER}.pdf").is_file()


def test_directory_urls_every_link_and_anchor_resolves(built_site: Path) -> None:
    _check(built_site, f"{DOSSIER}/actors/wang-yi/index.html")


def test_file_urls_every_link_and_anchor_resolves(tmp_path: Path) -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(use_directory_urls=False, docs_dir=str(ROOT / "docs"), site_dir=str(tmp_path / "site"))
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = run_dossier("build", "-f", str(tmp_path / "mkdocs.yml"), "--dossiers", str(ROOT / "dossiers"))
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert not (site / DOSSIER / "actors" / "wang-yi").exists()
    _check(site, f"{DOSSIER}/actors/wang-yi.html")
    home = (site / DOSSIER / "index.html").read_text(encoding="utf-8")
    assert 'href="actors/wang-yi.html"' in home or 'href="actors/index.html"' in home


@pytest.mark.parametrize("page", ["actors/wang-yi.html", "index.html"])
def test_the_link_check_finds_a_broken_link_and_anchor(tmp_path: Path, page: str) -> None:
    """The check itself can fail: a missing file and a missing anchor are both reported."""
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "wang-yi.html").write_text('<h1 id="top">x</h1><a href="../index.html#nope">h</a>',
                                                      encoding="utf-8")
    (tmp_path / "index.html").write_text('<a href="actors/wang-yi/">a</a><a href="actors/wang-yi.html#top">b</a>',
                                         encoding="utf-8")
    broken, count = broken_links(tmp_path)
    assert count == 3
    assert broken == ["actors/wang-yi.html -> ../index.html#nope (no #nope there)",
                      "index.html -> actors/wang-yi/ (no such file)"]


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("src_uri", ["index.md", f"{DOSSIER}/index.md", f"{DOSSIER}/actors/index.md",
                                     f"{DOSSIER}/actors/wang-yi.md", f"{DOSSIER}/timeline.md"])
def test_page_url_is_mkdocs_own_rule(src_uri: str, directory_urls: bool) -> None:
    """The core computes addresses without MkDocs; they are the ones MkDocs gives the same pages."""
    from mkdocs.structure.files import File

    from generator.render.pages import page_url

    mkdocs_url = File(src_uri, "docs", "site", directory_urls).url
    assert page_url(src_uri, directory_urls) == ("" if mkdocs_url == "./" else mkdocs_url)
