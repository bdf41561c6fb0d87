"""Render stage on strings: pure functions from a small model to Markdown/HTML, no MkDocs."""

from __future__ import annotations

import json
import re

import pytest

from generator.pdf.data import pdf_data
from generator.pipeline.stages import prepare, site_pages
from generator.render.html import plain_self_links
from generator.render.labels import labels, language_name, quoted
from generator.render.text import Target, TextRenderer, relative_url

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


def _prepared(folder, files: dict[str, str]):
    """*files* written into *folder*, checked and linked (no error allowed)."""
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content, encoding="utf-8")
    linked, report = prepare(folder)
    assert not report.errors, report.lines()
    return linked


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return _prepared(tmp_path_factory.mktemp("d") / "small", SMALL)


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


# -- quotes, labels, source text ---------------------------------------------------



_LANGUAGE_RULE = re.compile(r"""["'] ?[:;] ["'] if [\w.]+ ?== ?["']fr["']""")
"""A punctuation rule of French spelled out in place (``" : " if lang == "fr" else ": "``)."""


def test_french_punctuation_rules_are_in_the_words_layer_only():
    """Every label's colon comes from ``words.label_colon``: a module that spells the rule (or the semicolon's)
    again drifts alone."""
    from pathlib import Path

    import generator

    package = Path(generator.__file__).parent
    found = [f"{path.relative_to(package)}:{number}: {line.strip()}"
             for path in sorted(package.rglob("*.py")) if path.name != "words.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if _LANGUAGE_RULE.search(line)]
    assert found == [], "use generator.core.words (label_colon, or put the rule there):\n" + "\n".join(found)
    assert _LANGUAGE_RULE.search('colon = " : " if self.lang == "fr" else ": "')  # the pattern finds the rule


@pytest.mark.parametrize("lang,text,expected", [
    ("fr", "plain words", "«\u202fplain words\u202f»"),
    ("fr", "« notant la futilité »", "«\u00a0notant la futilité\u00a0»"),
    ("fr", "« Les négociations », a déclaré le ministère.", "«\u00a0Les négociations\u00a0», a déclaré le ministère.\u202f»"),
    ("fr", "ont parlé, « notant la futilité »", "«\u202font parlé, «\u00a0notant la futilité\u00a0»"),
    ("en", "plain words", "\u201cplain words\u201d"),
    ("en", "\u201cAlready quoted\u201d", "\u201cAlready quoted\u201d"),
])
def test_quoted_adds_marks_only_where_the_quote_has_none(lang, text, expected):
    assert quoted(lang, text) == expected


def test_language_names_in_the_page_language():
    assert language_name("fr", "ru") == "russe" and language_name("fr", "zh-Hans") == "chinois"
    assert language_name("en", "fr") == "French" and language_name("fr", "tlh") == "tlh"


def test_labels_have_the_same_keys_in_both_languages():
    assert set(labels("fr")) == set(labels("en"))


def test_self_links_become_bold_text():
    markup = '<a class="dossier-ref" data-target="actor-a" href="./">A <em>b</em></a> and ' \
             '<a class="dossier-ref" data-target="actor-c" href="../c/">C</a>'
    assert plain_self_links(markup) == '<strong class="dossier-self">A <em>b</em></strong> and ' \
                                       '<a class="dossier-ref" data-target="actor-c" href="../c/">C</a>'


def test_claim_dates_sit_apart_without_separator(pages):
    meeting = pages["small/meetings/valletta-2023-09.md"].markdown
    assert re.search(r'</span>\u2060<span class="dossier-cites">.*?</span><span class="dossier-claim-about">'
                     r'<time datetime="2023-09" class="dossier-date">September 2023</time>', meeting)
    assert "· <time" not in meeting


CALLS = {
    "dossier.yaml": "title: Calls\nas_of: 2023-09-18\nlanguage: en\nsummary: Calls.\n",
    "sources/wire.yaml": "title: Wire\npublished: 2023-09-18\nlanguage: ru\n",
    "sources/wire.txt": "date 2023-09 Amy met Ben in Valletta. Then they left.\n",
    "actors/amy.yaml": "name: Amy\nkind: person\nclaims:\n"
                       "  - text: \"[[amy]] met Ben.\"\n    cite:\n      - wire: \"Amy met Ben in Valletta.\"\n"
                       "  - text: Ben was there.\n    cite:\n      - wire: \"Ben in Valletta\"\n"
                       "  - text: They met.\n    cite:\n      - wire: \"met Ben\"\n"
                       "  - text: Amy again.\n    cite:\n      - wire: \"Amy met Ben in Valletta.\"\n",
}


@pytest.fixture(scope="module")
def calls(tmp_path_factory):
    linked = _prepared(tmp_path_factory.mktemp("d") / "calls", CALLS)
    return {page.src_uri: page.markdown for page in site_pages(linked, pdf=False, site_lang="en")}


def test_source_calls_are_numbered_in_reading_order_before_punctuation(calls):
    source = calls["calls/sources/wire.md"]
    text = re.sub(r"<(?!/?sup)[^>]+>", "", source.split('class="dossier-source-text"', 1)[1])
    sup = '<sup class="dossier-passage-number">{}</sup>'
    assert f"met Ben{sup.format(1)} in Valletta{sup.format(2)}{sup.format(3)}. Then" in text
    assert '<p class="dossier-source-header">date 2023-09</p>' in source
    assert "Language</dt><dd>Russian</dd>" in source


def test_cited_by_names_each_item_once_and_pages_do_not_link_to_themselves(calls):
    source = calls["calls/sources/wire.md"]
    row = re.search(r'<li id="passage-2" value="2">.*?</li>', source).group(0)  # cited by two claims of Amy
    assert row.count(">Amy</a>") == 1
    actor = calls["calls/actors/amy.md"]
    assert '<strong class="dossier-self">Amy</strong> met Ben.' in actor and 'href="./"' not in actor


# -- the plain-paragraph shortcut gives what Python-Markdown gives -------------------------

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.pdf.mdast import html_to_blocks, paragraphs_to_blocks
from generator.render.text import Emphasis

_TARGETS = {"wang-yi": "Wang Yi", "x": "Ministère <des> « Affaires » & co", "y": "*étoile*", "z": "  "}
_PIECES = st.sampled_from(["Wang", " ", "  ", "é", "«", "»", "'", '"', ".", ",", ":", ";", "?", "1", "2.", "-", "=",
                           "#", "*", "_", "`", "<", ">", "&", "&amp;", "!", "|", "~", "(", ")", "{", "}", "\\", "\n",
                           "\t", "[", "]", "[[wang-yi]]", "[[x]]", "[[y]]", "[[z]]", "[[wang-yi|le ministre]]",
                           "[[x| <b> ]]", "[[inconnu]]", "http://a.b/c", "\u00a0", "\u2028"])


def _renderer() -> TextRenderer:
    return TextRenderer(lambda i: Target(f"d/actors/{i}/", _TARGETS[i], f"actor-{i}") if i in _TARGETS else None)


_SIMPLE_PIECES = st.sampled_from(["Wang", " ", "é", ".", ",", "!", "?", ")", "(", "«", "»", "'", ":", "1", "-", "_",
                                  "*", "**", "***", "\n", "\n\n", "\n\n\n", "[[wang-yi]]", "[[y]]", "[[z]]",
                                  "[[wang-yi|le *ministre*]]", "*mot*", "**mot**", "*deux mots*", "* a *", "**a*",
                                  "[[inconnu]]", "\u00a0", "18", "3.", "1)", "#", ">", "  "])
"""Pieces of texts near the shortcut's edge: emphasis, paragraphs, links, block markers."""


def _assert_shortcut_is_python_markdown(text: str) -> None:
    renderer = _renderer()
    fast = renderer._simple_html(text)
    if fast is not None:
        html = renderer._markdown().reset().convert(text)
        assert fast == html
        paragraphs = [[s if isinstance(s, (str, Emphasis)) else (s[0].anchor, s[1]) for s in segments]
                      for segments in renderer.simple_paragraphs(text)]
        assert paragraphs_to_blocks(paragraphs) == html_to_blocks(html)  # the PDF's shortcut too


_EXAMPLES = int(__import__("os").environ.get("HYPOTHESIS_EXAMPLES", "400"))


@settings(max_examples=_EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=12).map("".join))
def test_plain_paragraph_shortcut_matches_python_markdown(text: str) -> None:
    _assert_shortcut_is_python_markdown(text)


@settings(max_examples=_EXAMPLES * 2, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_SIMPLE_PIECES, min_size=1, max_size=14).map("".join))
def test_simple_text_shortcut_matches_python_markdown(text: str) -> None:
    _assert_shortcut_is_python_markdown(text)


def test_plain_paragraph_shortcut_takes_ordinary_claims() -> None:
    renderer = _renderer()
    text = "[[wang-yi|Le ministre]] a rencontré [[wang-yi]] le 18 septembre, « à Moscou »."
    assert renderer._simple_html(text) == renderer._markdown().reset().convert(text)
    text = "**En bref.** [[wang-yi]] *a confirmé* la visite.\n\n**Contexte.** Un *mot*, puis deux."
    assert renderer._simple_html(text) == renderer._markdown().reset().convert(text) == (
        '<p><strong>En bref.</strong> <a class="dossier-ref" data-target="actor-wang-yi" '
        'href="dossier-site:d/actors/wang-yi/">Wang Yi</a> <em>a confirmé</em> la visite.</p>\n'
        "<p><strong>Contexte.</strong> Un <em>mot</em>, puis deux.</p>")
    for text in ("Un *mot*s", "Un * mot*", "Un **mot*", "Un _mot_", "Un *[[wang-yi]]*", "- liste", "a\n\n\nb"):
        assert renderer._simple_html(text) is None, text  # Markdown: the full converter


def test_python_markdown_is_made_for_the_first_text_that_needs_it() -> None:
    renderer = _renderer()
    assert renderer.html("[[wang-yi]] a *confirmé* la visite.", "d/").startswith("<p><a ")
    assert renderer._md is None  # simple texts only so far
    assert renderer.html("- un\n- deux", "d/") == "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>"
    made = renderer._md
    assert made is not None
    renderer.html("1. un\n2. deux", "d/")
    assert renderer._md is made


def test_counts_of_one_are_singular_in_both_languages():
    from generator.render.labels import counted, facts_count

    assert [counted("fr", "meetings", n) for n in (0, 1, 2)] == ["0 réunions", "1 réunion", "2 réunions"]
    assert counted("en", "actors", 1) == "1 actor" and counted("en", "sources", 3) == "3 sources"
    assert counted("fr", "cited_passages_count", 1) == "1 passage cité"
    assert facts_count("en", 1) == "1 fact" and facts_count("fr", 2) == "2 faits"
