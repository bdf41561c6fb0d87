"""Generated pages reach MkDocs as finished HTML: the same HTML and headings as a Markdown pass would give."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config.defaults import MkDocsConfig

from generator.pipeline.stages import prepare, site_pages
from generator.publish.plugin_content import FinishedPages, heading_style
from generator.render.finished import HeadingStyle, _ids_scanned, attribute_ids, finished_html
from generator.render.html import block, md_text, tag

from conftest import folder_pages

ROOT = Path(__file__).resolve().parent.parent
TOC = {"permalink": True, "permalink_title": "Lien permanent vers cette section"}
STYLE = HeadingStyle(permalink=True, permalink_title=TOC["permalink_title"])


def markdown_pass(text: str, toc: dict = TOC) -> tuple[str, list]:
    """What MkDocs made of a page before: Python-Markdown with the site's extensions."""
    md = markdown.Markdown(extensions=["toc", "attr_list", "admonition", "tables"], extension_configs={"toc": toc})
    return md.convert(text), md.toc_tokens


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.fixture(scope="module")
def bundled_pages():
    linked, report = prepare(ROOT / "dossiers")
    assert not report.errors
    return site_pages(linked, pdf=True)


def test_every_bundled_page_is_finished_as_markdown_would_make_it(bundled_pages):
    assert len(bundled_pages) > 40
    for page in bundled_pages:
        finished = finished_html(page.markdown, STYLE)
        assert finished is not None, page.src_uri
        html, tokens = markdown_pass(page.markdown)
        assert squeeze(finished.html) == squeeze(html), page.src_uri
        assert finished.toc_tokens == tokens, page.src_uri


def test_headings_get_unique_ids_permalinks_and_nested_tokens():
    text = (f"# {md_text('Wang Yi & <Co> [1]')}\n\n" + block(tag("p", "x", id="a")) + "## Réunions\n\n"
            + block(tag("ul", tag("li", "y"))) + "### Détail\n\n## Réunions\n\n")
    finished = finished_html(text, STYLE)
    assert finished.html.splitlines()[0] == (
        '<h1 id="wang-yi-co-1">Wang Yi &amp; &lt;Co&gt; [1]<a class="headerlink" href="#wang-yi-co-1" '
        'title="Lien permanent vers cette section">&para;</a></h1>')
    assert [t["id"] for t in finished.toc_tokens] == ["wang-yi-co-1"]
    children = finished.toc_tokens[0]["children"]
    assert [(t["id"], t["level"]) for t in children] == [("reunions", 2), ("reunions_1", 2)]
    assert children[0]["children"][0]["name"] == "Détail"
    assert finished.ids == {"wang-yi-co-1", "a", "reunions", "detail", "reunions_1"}
    html, tokens = markdown_pass(text)
    assert squeeze(finished.html) == squeeze(html) and finished.toc_tokens == tokens


def test_without_permalink_and_with_a_shallow_toc_depth():
    text = "# Titre\n\n## Partie\n\n<p>x</p>\n"
    style = HeadingStyle(toc_bottom=1)
    finished = finished_html(text, style)
    html, tokens = markdown_pass(text, {"toc_depth": 1})
    assert finished.html == '<h1 id="titre">Titre</h1>\n<h2 id="partie">Partie</h2>\n<p>x</p>'
    assert squeeze(finished.html) == squeeze(html) and finished.toc_tokens == tokens


@pytest.mark.parametrize("text", [
    "# Titre\n\nA plain paragraph, which Markdown wraps in <p>.\n",
    "# Titre\n\n<span>inline HTML is wrapped in a paragraph too</span>\n",
    "# Titre\nno blank line: a heading then a paragraph\n",
    "#Titre\n",
])
def test_a_page_not_made_of_headings_and_html_blocks_goes_through_markdown(text):
    assert finished_html(text, STYLE) is None


def _config(toc: dict) -> MkDocsConfig:
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "markdown_extensions": [{"toc": toc}]})
    assert not config.validate()[0]
    return config


def test_heading_style_follows_the_sites_toc_options():
    style = heading_style(_config({"permalink": "#", "permalink_title": "", "toc_depth": "2-3"}))
    assert (style.permalink, style.permalink_title, style.toc_top, style.toc_bottom) == ("#", "", 2, 3)
    assert heading_style(_config({"anchorlink": True})) is None
    assert heading_style(_config({"permalink_leading": True})) is None


def test_the_plugin_hands_markdown_an_empty_body_and_sets_the_toc(bundled_pages):
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page as MkPage

    config = _config(TOC)
    pages = FinishedPages(config)
    source = next(p for p in bundled_pages if p.src_uri == "wang-yi-russie-2023-09/actors/wang-yi.md")
    page = MkPage(None, File(source.src_uri, src_dir=None, dest_dir="site", use_directory_urls=True), config)
    assert pages.markdown(source.markdown, page) == ""
    content = pages.content("", page)
    assert content.startswith('<h1 id="wang-yi">Wang Yi<a class="headerlink"')
    assert [item.id for item in page.toc] == ["wang-yi"]
    assert "passages-cites" in [child.id for child in page.toc.items[0].children]
    assert "wang-yi" in page.present_anchor_ids and "role-1" in page.present_anchor_ids
    plain = "# Titre\n\nUn paragraphe.\n"
    assert pages.markdown(plain, page) == plain and pages.content("<p>x</p>", page) == "<p>x</p>"


def _sections(html: str) -> list[tuple[str, str, str | None]]:
    """What Material's search plugin makes of *html*: each section's title, text and id."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(html)
    parser.close()
    return [("".join(s.title), "".join(s.text), s.id) for s in parser.data]


@pytest.mark.parametrize("folder", ["dossiers", "tests/hostile/dossiers", "synthetic"])
def test_the_search_copy_gives_material_the_same_sections_with_fewer_tags(folder, bundled_pages, tmp_path):
    from generator.render.search_copy import for_search

    pages = bundled_pages if folder == "dossiers" else folder_pages(folder, tmp_path)
    style = HeadingStyle(permalink=True)
    tags = light_tags = 0
    for page in pages:
        finished = finished_html(page.markdown, style)
        html = finished.html if finished is not None else markdown_pass(page.markdown)[0]
        light = for_search(html)
        assert _sections(light) == _sections(html), page.src_uri
        tags, light_tags = tags + html.count("<"), light_tags + light.count("<")
    assert light_tags < 0.7 * tags


def test_the_search_plugin_indexes_the_copy_and_the_theme_gets_the_page(bundled_pages):
    """The plugin hands the search plugin (on_page_context, at the default priority) the search copy of a
    generated page, and the page's own HTML back before the theme renders it."""
    from mkdocs.plugins import BasePlugin, PluginCollection
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page as MkPage

    from generator.publish.plugin import DossiersPlugin
    from generator.render.search_copy import for_search

    class Indexer(BasePlugin):
        def __init__(self) -> None:
            self.seen: list[str] = []

        def on_page_context(self, context, *, page, config, nav):
            self.seen.append(page.content)
            return context

    config = _config(TOC)
    plugin, indexer = DossiersPlugin(), Indexer()
    plugin.finished, plugin.search = FinishedPages(config), True
    plugin.titles = {p.src_uri: p.title for p in bundled_pages}
    plugins = PluginCollection()
    plugins["dossiers"], plugins["search"] = plugin, indexer
    source = next(p for p in bundled_pages if p.src_uri == "wang-yi-russie-2023-09/actors/wang-yi.md")
    page = MkPage(None, File(source.src_uri, src_dir=None, dest_dir="site", use_directory_urls=True), config)
    assert plugin.finished.markdown(source.markdown, page) == ""
    page.content = plugins.on_page_content("", page=page, config=config, files=None)
    full = page.content
    assert 'aria-label="Citation' in full
    plugins.on_page_context({}, page=page, config=config, nav=None)
    assert indexer.seen == [for_search(full)] and 'aria-label="Citation' not in indexer.seen[0]
    assert page.content == full and not plugin.full_content


_OLD_ID = re.compile(r'\bid="([^"]*)"')
_FRAGMENTS = ['id="', 'data-id="', '_id="', 'xid="', "Éid=\"", '²id="', '"', "id", "=", "a", "é", "٣", "-", "_",
              " ", "\n", "<p ", ">", "ж"]


@given(st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=3), max_size=40).map("".join))
@settings(max_examples=1500, deadline=None)
def test_attribute_ids_are_the_regexs_on_any_text(text: str) -> None:
    """The ids are found without the regex, with exactly what it found: `\\b` after `-`, not after a letter
    (non-ASCII ones and `_` included), scanning on after each closing quote."""
    assert attribute_ids(text) == _OLD_ID.findall(text) == _ids_scanned(text), "either way"


def test_attribute_ids_examples() -> None:
    text = 'id="a" <p data-id="b" xid="c"> _id="d" éid="e" id="f id="g" id="h'
    assert attribute_ids(text) == ["a", "b", "f id="] == _OLD_ID.findall(text)
    plain = '<p id="a"><a data-id="b">x</a></p> id="c'
    assert attribute_ids(plain) == ["a", "b"] == _OLD_ID.findall(plain), "the plain pattern's way"
