"""Render stage on strings: pure functions from a small model to Markdown/HTML, no MkDocs."""

from __future__ import annotations

import json

import pytest

from generator.build import prepare, site_pages
from generator.pdf.data import pdf_data
from generator.render.text import TextRenderer, Target, relative_url

SMALL = {
    "dossier.yaml": 'title: "Talks <b>&</b> *visits*"\nas_of: 2023-09-18\nlanguage: en\nmarking: UNCLASSIFIED\n'
                    'summary: "[[amy]] met [[ben|Mr Ben]] <script>alert(1)</script> [bad](javascript:alert(2)) '
                    '[good](https://example.org/a?b=1&c=2)"\n'
                    'key_judgments:\n  - text: Amy met Ben.\n    confidence: moderate\n    cite:\n'
                    '      - src: "Amy met Ben in Valletta"\n',
    "sources/src.yaml": "title: A wire\npublished: 2023-09-18\nreliability: B\nurl: https://example.org/wire\n",
    "sources/src.txt": "On Saturday, Amy met Ben in Valletta. They talked for two days.\n\nNothing was said.\n",
    "actors/amy.yaml": "name: Amy <Q>\nkind: person\nroles:\n  - title: Envoy\n    of: state\n    from: 2023-07\n"
                       "    cite:\n      - src: \"Amy met Ben\"\n",
    "actors/ben.yaml": "name: Ben\nkind: person\n",
    "actors/state.yaml": "name: A State\nkind: state\n",
    "meetings/valletta-2023-09.yaml": "title: Valletta talks\ndate: 2023-09-16/2023-09-17\nplace: Valletta\n"
                                       "participants: [amy, {actor: ben, role: host}]\n"
                                       "claims:\n  - text: They talked for two days.\n    date: 2023-09\n"
                                       "    cite:\n      - src: \"They talked for two days\"\n",
    "questions/what-was-said.yaml": "question: What did [[amy]] say?\nstatus: open\nabout: [amy]\n"
                                     "hypotheses:\n  - text: Nothing of note.\n    likelihood: unlikely\n"
                                     "    cite:\n      - src: Nothing was said\n",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("d") / "small"
    for name, content in SMALL.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content, encoding="utf-8")
    linked, report = prepare(folder)
    assert not report.errors, report.lines()
    return linked


@pytest.fixture(scope="module")
def pages(small):
    return {page.src_uri: page for page in site_pages(small, pdf=True, site_lang="en")}


def test_page_addresses(pages):
    assert sorted(pages) == sorted([
        "index.md", "small/index.md", "small/timeline.md", "small/network.md",
        "small/questions/index.md", "small/questions/what-was-said.md", "small/meetings/index.md",
        "small/meetings/valletta-2023-09.md", "small/actors/index.md", "small/actors/amy.md", "small/actors/ben.md",
        "small/actors/state.md", "small/sources/index.md", "small/sources/src.md"])
    assert pages["small/actors/amy.md"].url == "small/actors/amy/"


def test_english_labels(pages):
    home = pages["small/index.md"].markdown
    assert "## Key judgments" in home and "## Bottom line" in home and "Information as of" in home
    assert "Confidence: moderate" in home
    question = pages["small/questions/what-was-said.md"].markdown
    assert "unlikely (20–45%)" in question and "## Hypotheses" in question
    assert "B — usually reliable" in pages["small/sources/index.md"].markdown


def test_data_is_escaped_and_raw_html_is_text(pages):
    home = pages["small/index.md"].markdown
    assert "<script>" not in home and "&lt;script&gt;alert(1)&lt;/script&gt;" in home
    assert "javascript:" not in home
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">good</a>' in home
    assert home.startswith("# Talks &lt;b&gt;&amp;&lt;/b&gt; \\*visits\\*\n"), "titles are literal Markdown"
    assert "Amy &lt;Q&gt;" in pages["small/actors/amy.md"].markdown


def test_wiki_links_are_relative_and_labelled(pages):
    home = pages["small/index.md"].markdown
    assert '<a class="dossier-ref" data-target="actor-amy" href="actors/amy/">Amy &lt;Q&gt;</a>' in home
    assert '>Mr Ben</a>' in home
    assert pages["small/questions/what-was-said.md"].title == "What did Amy <Q> say?"


def test_citations_marker_and_source_highlight(pages):
    meeting = pages["small/meetings/valletta-2023-09.md"].markdown
    assert 'href="../../sources/src/#q-' in meeting and 'class="dossier-cite"' in meeting
    source = pages["small/sources/src.md"].markdown
    assert 'class="dossier-passage"' in source and "Amy met Ben in Valletta" in source
    assert "Share of the text cited" in source


def test_timeline_dates_at_their_precision(pages):
    timeline = pages["small/timeline.md"].markdown
    assert ">July 2023<" in timeline and ">September 2023<" in timeline and ">16–17 September 2023<" in timeline
    assert timeline.index(">July 2023<") < timeline.index(">16–17 September 2023<")


def test_marking_on_every_dossier_page(pages):
    for uri, page in pages.items():
        if uri.startswith("small/"):
            assert "UNCLASSIFIED" in page.markdown, uri


def test_render_is_deterministic(small):
    first = [(p.src_uri, p.markdown) for p in site_pages(small)]
    second = [(p.src_uri, p.markdown) for p in site_pages(small)]
    assert first == second


def test_pdf_data_keeps_strings_as_data(small):
    data = pdf_data(small[0])
    text = json.dumps(data, ensure_ascii=False)
    assert data["lang"] == "en" and data["labels"]["key_judgments"] == "Key judgments"
    assert data["title"] == "Talks <b>&</b> *visits*"
    assert "javascript:" not in text
    summary = data["summary"][0]["c"]
    assert {"t": "ref", "target": "actor-amy", "c": [{"t": "text", "v": "Amy <Q>"}]} in summary
    assert data["key_judgments"][0]["cites"][0]["quote"] == "Amy met Ben in Valletta"


@pytest.mark.parametrize("target,page,expected", [
    ("d/actors/x/", "d/meetings/m/", "../../actors/x/"),
    ("d/actors/x/#claim-1", "d/", "actors/x/#claim-1"),
    ("d/", "", "d/"),
    ("d/sources/s/#q-1", "d/sources/s/", "./#q-1"),
])
def test_relative_url(target, page, expected):
    assert relative_url(target, page) == expected


def test_text_renderer_unknown_link_shows_its_text():
    renderer = TextRenderer(lambda _id: None)
    assert renderer.inline("see [[nobody|the label]]", "d/") == "see the label"
    known = TextRenderer(lambda i: Target(f"d/actors/{i}/", "Name", f"actor-{i}"))
    assert known.plain("*a* [[x]] and [[x|y]]") == "a Name and y"
