"""``dossier serve`` indexes a page rendered again from the pieces of its last parse: Material's very sections.

Each test compares with Material's own parser, read from the installed package, fed the page whole (as its
search plugin does): cold (nothing remembered), warm (the same page again) and across an edit (the memo of
one version, the sections of another). CI runs this file against the newest releases too.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.incremental.page_cache import INDEX, PageReuse
from generator.pipeline.stages import prepare, site_pages
from generator.publish import search_memo
from generator.publish.search_memo import (
    SearchMemo,
    fingerprint,
    fragment,
    index_fingerprint,
    index_known,
    index_parts,
    known,
    pieces,
    sections,
    writes_index_so,
)
from generator.render.finished import HeadingStyle, finished_html
from generator.render.search_copy import for_search

from conftest import DOSSIER, ROOT, copy_project, folder_pages

STYLE = HeadingStyle(permalink=True, permalink_title="Lien permanent vers cette section")


def material(html: str) -> list:
    """Material's sections of *html*, parsed whole, as plain data."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(html)
    parser.close()
    return plain(parser.data)


def plain(data: list) -> list:
    """Each section as the index reads it (the pieces' text may be held in fewer strings: the same text)."""
    return [(s.el.tag, dict(s.el.attrs), s.is_excluded(), s.depth, s.id, bool(s.title), "".join(s.title),
             "".join(s.text)) for s in data]


def assert_same(html: str, memo: dict | None = None, where: str = "") -> dict:
    """The pieces give Material's sections of *html*, from *memo* and from nothing; this parse's memo."""
    want = material(html)
    cold, made = sections(html, {})
    assert plain(cold) == want, where
    warm, again = sections(html, made)
    assert plain(warm) == want, where
    assert again == made, where  # every piece remembered was found again
    if memo is not None:
        across, _ = sections(html, memo)
        assert plain(across) == want, where
    return made


def test_the_installed_materials_parser_is_one_the_pieces_were_compared_with():
    # Material changed its search parser: compare again (this file, against that release) and add its fingerprint.
    assert fingerprint() in search_memo.KNOWN, f"unknown Material search parser {fingerprint()}"
    assert known()


def _pages(folder: str, tmp_path: Path) -> dict[str, str]:
    """The finished HTML of each generated page of *folder*."""
    made = {}
    for page in folder_pages(folder, tmp_path):
        finished = finished_html(page.markdown, STYLE)
        if finished is not None:
            made[page.src_uri] = finished.html
    assert len(made) > 10
    return made


@pytest.mark.parametrize("folder", ["dossiers", "tests/hostile/dossiers", "synthetic"])
def test_every_generated_page_gives_materials_sections_cold_warm_and_across_an_edit(folder, tmp_path):
    pages = _pages(folder, tmp_path)
    memos = {}
    remembered = total = 0
    for src_uri, html in pages.items():
        for version in (html, for_search(html)):
            memos[src_uri] = assert_same(version, where=src_uri)
            remembered, total = remembered + len(memos[src_uri]), total + len(pieces(version))
    assert remembered > 0.8 * total  # nearly every piece is kept: not the first, nor those before a section
    # across an edit: each page's memo used for the next page's copy (other pieces, other states), then for itself
    uris = sorted(pages)
    for one, other in zip(uris, uris[1:] + uris[:1]):
        assert_same(for_search(pages[other]), memos[one], where=f"{other} from {one}")


def test_a_renamed_actor_changes_few_pieces_and_the_rest_is_not_parsed_again(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth import make_dossier

    folder = make_dossier(30, tmp_path)
    before = {p.src_uri: for_search(finished_html(p.markdown, STYLE).html) for p in _linked_pages(tmp_path)}
    actor = sorted((folder / "actors").glob("*.yaml"))[3]
    text = actor.read_text(encoding="utf-8")
    assert 'name: "' in text
    actor.write_text(text.replace('name: "', 'name: "Renommé <b>&amp; ', 1), encoding="utf-8")
    after = {p.src_uri: for_search(finished_html(p.markdown, STYLE).html) for p in _linked_pages(tmp_path)}
    changed = [uri for uri in after if uri in before and after[uri] != before[uri]]
    assert len(changed) >= 3
    fed: list[str] = []
    parser = search_memo._parser_class()
    original = parser.feed
    monkeypatch.setattr(parser, "feed", lambda self, data: (fed.append(data), original(self, data))[1])
    for uri in changed:
        memo = sections(before[uri], {})[1]
        fed.clear()
        got, _ = sections(after[uri], memo)
        assert plain(got) == material(after[uri]), uri
        assert sum(map(len, fed)) < 0.5 * len(after[uri]) or len(after[uri]) < 4000, uri  # the changed pieces only
        assert any("Renommé" in piece for piece in fed), uri


def _linked_pages(path: Path) -> list:
    linked, report = prepare(path)
    assert not report.errors
    return [page for page in site_pages(linked, pdf=False) if finished_html(page.markdown, STYLE) is not None]


TRICKY = {
    "markup in titles": '<h1 id="t">A <code>b</code> &amp; <em>c</em><a class="headerlink" href="#t">&para;</a></h1>'
                        '<p>x</p><h2 id="u"><span>S</span> <sup>2</sup></h2><p>y</p>',
    "entities": '<h1 id="e">E</h1><p>&lt;p&gt; &amp;amp; &#x27;q&#x27; &nbsp; &eacute;&#233; &copy AT&T</p><li>&</li>',
    "code": '<h1 id="c">C</h1><pre><code>  a\n\n  b  &lt;x&gt;\n</code></pre><p><code> </code>z</p>',
    "headings without ids": '<h1>One</h1><p>a</p><h2>Two</h2><p>b</p><h2 id="x">Three</h2><h3>Four</h3><p>c</p>',
    "no h1 first": '<p>before</p><h2 id="a">A</h2><p>a</p><h2 id="b">B</h2><li>b</li>',
    "nested headings": '<h1 id="a">A</h1><div><h2 id="b">B</h2><p>in</p></div><p>out</p>'
                       '<div><div><h3 id="c">C</h3><li>deep</li></div><p>mid</p></div><p>end</p>',
    "excluded": '<h1 id="a">A</h1><div data-search-exclude><p>hidden</p><div><p>also</p></div></div><p>shown</p>'
                '<h2 id="b" data-search-exclude>B</h2><p>gone</p><h2 id="c">C</h2><p>back</p>',
    "line numbers": '<h1 id="a">A</h1><table><tr><td class="linenodiv"><pre>1\n2</pre></td><td><pre>x\ny</pre></td></tr></table>',
    "empty elements": '<h1 id="a">A</h1><p></p><p> </p><ul><li></li><li> </li><li>x</li></ul><p>\n</p><p>y</p><p> </p>',
    "empty first of its kind": '<h1 id="a">A</h1><ol>\n<li> </li>\n<li>\n</li></ol><p> <p>q</p>',
    "script and style": '<h1 id="a">A</h1><script>var p = "<p>no</p>";</script><style>p{}</style><p>yes</p>'
                        '<object><p>obj</p></object><p>after</p>',
    "comments": '<h1 id="a">A</h1><!-- <p>not a tag</p> --><p>x</p><!--<h2 id="z">-->',
    "attributes": '<h1 id="a" title="x<p y">A</h1><p title="<li>" data-x=\'a>b\'>x</p><li class="a <p b">y</li>',
    "unclosed and stray": '<h1 id="a">A</h1><p>one<p>two</li></ul><li>three<div>four</p></div><p>five',
    "cdata and declarations": '<h1 id="a">A</h1><![CDATA[<p>x</p>]]><!DOCTYPE html><?pi <p>?><p>y</p>',
    "uppercase": '<H1 ID="a">A</H1><P>x</P><LI>y</LI><Table><TR><TD>z</TD></TR></Table>',
    "white space": '<h1 id="a">A</h1>\n\n  <p>\n a \n b </p>\n\n<ul>\n<li>\n x</li>\n \n<li>y\n</li>\n</ul>\n ',
    "permalinks around": '<h1 id="a">A</h1><a class="headerlink"><h2 id="b">B<a class="headerlink">¶</a></h2><p>x</p></a>'
                         '<h2 id="c">C</h2><p>y</p>',
    "same heading inside": '<h1 id="a">A</h1><div><h1>inner <p>par</p></h1></div><p>after</p><h2 id="b">B</h2>'
                           '<li><h2>in li</h2></li><p>z</p>',
    "void and self-closing": '<h1 id="a">A<br>b</h1><p>x<br/>y<img src="a<p>"></p><svg><g><title>T</title><rect/></g>'
                             '<g><title>U</title></g></svg><hr><p>z</p>',
    "empty": "",
    "text only": "just text &amp; more",
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_pages_give_materials_sections(name):
    html = TRICKY[name]
    made = assert_same(html, where=name)
    for other in TRICKY.values():  # another page's memo: other states, some of the same pieces
        assert_same(html, sections(other, {})[1], where=f"{name} from another page")
    # the page edited, in each piece: the memo of the old version is used for the new one
    for index, piece in enumerate(pieces(html)):
        edited = pieces(html)
        edited[index] = piece.replace(">", "> x ", 1) if ">" in piece else piece + " x"
        assert_same(edited[0] + "".join("<" + p for p in edited[1:]), made, where=f"{name}, piece {index} edited")


def test_a_cut_inside_a_script_or_a_tag_parses_the_page_whole(monkeypatch):
    whole = []
    original = search_memo._whole
    monkeypatch.setattr(search_memo, "_whole", lambda html: (whole.append(html), original(html))[1])
    html = '<h1 id="a">A</h1><script>if (a <p && b) {}</script><p>x</p>'
    assert_same(html)
    assert whole == [html, html]  # cold and warm: the cut inside the script is seen and the page parsed whole
    whole.clear()
    assert_same('<h1 id="a">A</h1><p>x</p>')
    assert whole == []


class _Page:
    def __init__(self, html: str, meta: dict | None = None, url: str = "p/") -> None:
        from mkdocs.structure.files import File
        from mkdocs.structure.toc import get_toc

        self.content, self.meta, self.url, self.title = html, meta or {}, url, "P"
        self.file = File("p.md", src_dir=None, dest_dir="site", use_directory_urls=True)
        self.toc = get_toc([])


def test_search_memo_adds_the_entries_materials_index_would_add():
    from material.plugins.search.plugin import SearchIndex

    html = TRICKY["markup in titles"] + TRICKY["excluded"]
    memo = SearchMemo()
    for meta in ({}, {"search": {"boost": 2}, "tags": ["a", 3, None]}, {"search": {"exclude": True}}):
        ours, theirs = SearchIndex(), SearchIndex()
        theirs.add_entry_from_context(_Page(html, meta))
        memo.index(ours, _Page(html, meta))
        memo.index(ours, _Page(html, meta))  # the second time from the pieces
        assert ours.entries == theirs.entries + theirs.entries
    assert set(memo.pages) == {"p.md"}
    memo.keep(set())
    assert memo.pages == {}


def _materials_build(project: Path, folder: Path, monkeypatch) -> Path:
    """A first build of *project* into *folder* in which Material indexes every page and writes the index itself."""
    from test_incremental import SERVE_URL

    from generator.publish import plugin as plugin_module
    from generator.publish.serve import SiteBuilder

    with monkeypatch.context() as patched:
        patched.setattr(plugin_module, "known", lambda: False)
        patched.setattr(plugin_module, "writes_index_so", lambda plugin: False)
        clean = SiteBuilder(str(project / "mkdocs.yml"), str(folder), SERVE_URL)
        assert clean.build()
        assert not clean.store.search.pages and INDEX not in clean.store.written
    return folder / INDEX


@pytest.fixture
def index_writes(monkeypatch) -> list:
    """What each :meth:`PageReuse.write_index` gave (True: the index written from the fragments)."""
    calls: list = []
    original = PageReuse.write_index
    monkeypatch.setattr(PageReuse, "write_index", lambda self, *args: calls.append(original(self, *args)) or calls[-1])
    return calls


def test_served_search_index_is_materials_after_each_edit(tmp_path, monkeypatch, index_writes):
    """The served index, its rendered-again pages indexed by pieces and the index written from the pages' kept
    fragments, equals the index Material makes itself; an index of the same bytes is not written again."""
    from test_incremental import EDITS, SERVE_URL

    from generator.publish.serve import SiteBuilder

    project = copy_project(tmp_path / "project")
    served = tmp_path / "served"
    builder = SiteBuilder(str(project / "mkdocs.yml"), str(served), SERVE_URL)
    assert builder.build()
    assert len(builder.store.search.pages) > 40
    for step, (kind, apply) in enumerate(EDITS):
        apply(project)
        assert builder.build(), kind
        written = (served / INDEX).stat()
        assert (served / INDEX).read_bytes() == _materials_build(project, tmp_path / f"clean-{step}", monkeypatch).read_bytes(), kind
    assert f"{DOSSIER}/actors/wang-yi.md" in builder.store.search.pages
    config = builder.load_config()
    assert builder.build(config)  # nothing changed: the same bytes, the file left as it is
    assert ((served / INDEX).stat().st_ino, (served / INDEX).stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    assert config.plugins["material/search"].config.enabled is True  # Material's pass skipped for this build only
    assert index_writes == [True] * (len(EDITS) + 2)


def test_a_build_failed_after_writing_the_index_leaves_nothing_trusted(tmp_path, monkeypatch):
    """The index written by a build that failed later is written again by the next one, even when its bytes are
    those of the build before (kept as written then)."""
    from test_incremental import ACTOR, SERVE_URL, edit

    from generator.publish.serve import SiteBuilder

    project = copy_project(tmp_path / "project")
    served = tmp_path / "served"
    builder = SiteBuilder(str(project / "mkdocs.yml"), str(served), SERVE_URL)
    assert builder.build()
    first = (served / INDEX).read_bytes()
    edit(project, ACTOR, "name: Wang Yi\n", "name: Wang Yi (modifié)\n")
    with monkeypatch.context() as patched:
        patched.setattr(PageReuse, "finish", lambda *args: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            builder.build()
    assert (served / INDEX).read_bytes() != first
    edit(project, ACTOR, "name: Wang Yi (modifié)\n", "name: Wang Yi\n")
    assert builder.build()
    assert (served / INDEX).read_bytes() == first == _materials_build(project, tmp_path / "clean", monkeypatch).read_bytes()


def test_another_plugin_leaves_the_index_to_material(tmp_path, monkeypatch, index_writes):
    """A plugin the index's writer does not know (it might change the entries): Material writes the index."""
    from test_incremental import ACTOR, SERVE_URL, edit

    from generator.publish.serve import SiteBuilder

    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n  - tags\n", 1), encoding="utf-8")
    builder = SiteBuilder(str(config), str(tmp_path / "served"), SERVE_URL)
    assert builder.build()
    edit(project, ACTOR, "name: Wang Yi\n", "name: Wang Yi (modifié)\n")
    assert builder.build()
    assert index_writes == []
    assert INDEX not in builder.store.written
    assert (tmp_path / "served" / INDEX).read_bytes() == _materials_build(project, tmp_path / "clean", monkeypatch).read_bytes()


def test_the_installed_materials_index_writer_is_one_the_fragments_were_compared_with():
    # Material changed how it writes its index: compare again (this file, against that release) and add its fingerprint.
    assert index_fingerprint() in search_memo.INDEX_KNOWN, f"unknown Material index writer {index_fingerprint()}"
    assert index_known()


def _material_index(per_page: list[list]) -> Any:
    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex(lang=["fr", "en"], separator=r"[\s\-]+", pipeline=["stemmer"], fields={"title": {"boost": 1e3}})
    index.entries = [entry for entries in per_page for entry in entries]
    return index


def assert_index_from_fragments(per_page: list[list]) -> None:
    """Each page's fragment joined give ``json.dumps`` of the entries, and the parts Material's index text."""
    index = _material_index(per_page)
    entries = list(index.entries)
    want = index.generate_search_index(None).encode("utf-8")  # as Material's on_post_build writes it
    fragments = [fragment(page) for page in per_page]
    joined = b"[" + b",".join(part for part in fragments if part) + b"]"
    assert joined == json.dumps(entries, separators=(",", ":"), default=str).encode("utf-8")
    parts = index_parts(index, fragments)
    assert parts is not None and b"".join(parts) == want
    assert index.entries == entries


@pytest.mark.parametrize("folder", ["dossiers", "synthetic"])
def test_the_pages_fragments_give_materials_index_text(folder, tmp_path):
    from material.plugins.search.plugin import SearchIndex

    per_page = []
    for number, (src_uri, html) in enumerate(sorted(_pages(folder, tmp_path).items())):
        meta = ({"tags": ["é", 2, None], "search": {"boost": 1.5}} if number % 3 == 1 else
                {"search": {"exclude": True}} if number % 7 == 2 else {})
        one = SearchIndex()
        one.add_entry_from_context(_Page(for_search(html), meta, src_uri.removesuffix(".md") + "/"))
        per_page.append(one.entries)
    assert sum(1 for page in per_page if not page) > 2 and sum(map(len, per_page)) > 100
    assert_index_from_fragments(per_page)


@pytest.mark.parametrize("per_page", [
    [], [[]], [[], []],
    [[{"location": "a/", "title": "Zhōu — « x »", "text": "\ud800 \u2028 \x00 \"q\" \\ </script>"}], [],
     [{"location": "b/#c", "title": "", "text": "", "boost": date(2024, 1, 2), "tags": []}, {"n": [1.0, 1e300, -0.0]}], []],
], ids=["no page", "one empty page", "empty pages", "odd values"])
def test_fragments_of_odd_and_empty_pages_give_materials_index_text(per_page):
    assert_index_from_fragments(per_page)


def test_the_index_is_left_to_material_when_its_shape_is_not_the_known_one(monkeypatch):
    from material.plugins.search.plugin import SearchIndex, SearchPlugin

    plugin = SearchPlugin()
    plugin.load_config({"lang": ["fr"]})
    plugin.on_startup(command="serve", dirty=False)
    plugin.search_index = _material_index([])
    assert writes_index_so(plugin)
    plugin.is_dirty = True  # ``mkdocs serve --dirty``: Material merges with the last build's index
    assert not writes_index_so(plugin)
    plugin.is_dirty, plugin.search_index_prev = False, _material_index([])
    assert not writes_index_so(plugin)
    plugin.search_index_prev, plugin.config["enabled"] = None, False
    assert not writes_index_so(plugin)
    plugin.config["enabled"] = True
    monkeypatch.setattr(search_memo, "index_known", lambda: False)  # another Material release
    assert not writes_index_so(plugin)
    monkeypatch.undo()
    assert writes_index_so(plugin) and not writes_index_so(object())

    class DocsFirst(SearchIndex):
        def generate_search_index(self, prev):
            return json.dumps({"docs": self.entries, "config": {}})

    assert index_parts(DocsFirst(), [b'{"location":"a/"}']) is None


@pytest.mark.parametrize("writev", ["system", "short", "absent"])
def test_the_index_parts_are_written_as_their_concatenation(tmp_path, monkeypatch, writev):
    import os

    from generator.pipeline import stages

    parts = tuple(f"part {n},".encode() * (n % 5) for n in range(2500))  # more than one writev's worth, empty ones too
    if writev == "short":  # a system call that writes less than it was given: the rest written plainly
        monkeypatch.setattr(os, "writev", lambda fd, chunk: os.write(fd, b"".join(chunk)[:7]))
    elif writev == "absent":
        monkeypatch.delattr(os, "writev")
    stages.write_file(tmp_path / "index.json", parts)
    assert (tmp_path / "index.json").read_bytes() == b"".join(parts)


@pytest.mark.parametrize("before", ["longer", "shorter", "absent", "linked", "symlink"])
def test_the_index_is_written_over_its_last_bytes_in_place(tmp_path, before):
    """``dossier serve`` writes the index over the file it wrote last (same inode, truncated to the new length);
    a file that is not its own (a hard link, a symbolic link) or none at all is made anew, never written through."""
    import os

    from generator.pipeline import stages

    path, other = tmp_path / "index.json", tmp_path / "other.json"
    parts = tuple(f"entry {n},".encode() for n in range(2500))
    whole = b"".join(parts)
    if before in ("longer", "shorter"):
        path.write_bytes(whole * 2 if before == "longer" else whole[:100])
    elif before == "linked":
        other.write_bytes(b"kept")
        os.link(other, path)
    elif before == "symlink":
        other.write_bytes(b"kept")
        path.symlink_to(other)
    inode = path.lstat().st_ino if path.exists() or path.is_symlink() else None
    stages.overwrite_file(path, parts)
    assert path.read_bytes() == whole
    assert not path.is_symlink()
    if before in ("longer", "shorter"):
        assert path.stat().st_ino == inode
    elif before in ("linked", "symlink"):
        assert path.stat().st_ino != inode and other.read_bytes() == b"kept"
