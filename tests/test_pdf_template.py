"""The PDF briefing: the Typst template, its compilation and the HTML-to-AST step.

The sample briefing is the data of the dossier ``tests/fixtures/pdf-sample/`` (:mod:`pdf_sample`),
made by the tool as ``dossier pdf`` makes it: every part of a briefing, in the tool's own words.
"""

from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path

import pypdf
import pytest
from pdf_sample import network
from pdf_sample import sample as load_sample

from generator.core.typography import fix
from generator.pdf.compile import TEMPLATE_PATH, PdfError, compile_pdf, typst_source_files
from generator.pdf.mdast import html_to_blocks

TIMESTAMP = 1695254400  # 2023-09-21T00:00:00Z


# --------------------------------------------------------------------------- helpers


def flat(text: str) -> str:
    """Extracted text with hyphenation undone and every run of white space as one space."""
    text = re.sub(r"\xad\s*", "", text)  # soft hyphens at line ends
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def bookmark_titles(outline: list) -> list[str]:
    """Outline titles depth first, section numbers removed."""
    titles: list[str] = []
    for item in outline:
        if isinstance(item, list):
            titles += bookmark_titles(item)
        else:
            titles.append(re.sub(r"^[\d.]+\s+", "", item.title))
    return titles


def paragraph(text: str) -> list[dict]:
    return [{"type": "para", "c": [{"t": "text", "v": text}]}]


@pytest.fixture(scope="module")
def sample() -> dict:
    return load_sample()


@pytest.fixture(scope="module")
def network_svg() -> str:
    return network()


@pytest.fixture(scope="module")
def sample_pdf(sample: dict, network_svg: str) -> bytes:
    return compile_pdf(sample, network_svg, timestamp=TIMESTAMP)


@pytest.fixture(scope="module")
def sample_text(sample_pdf: bytes) -> str:
    return flat(" ".join(page_texts(sample_pdf)))


# --------------------------------------------------------------------------- the sample briefing


def test_sample_is_a_real_pdf_of_several_pages(sample_pdf: bytes) -> None:
    assert sample_pdf.startswith(b"%PDF-")
    assert len(pypdf.PdfReader(io.BytesIO(sample_pdf)).pages) > 3


def test_marking_and_page_numbers_on_every_page(sample_pdf: bytes, sample: dict) -> None:
    texts = page_texts(sample_pdf)
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert text.count(sample["marking"]) >= 2, f"page {number}: marking not at top and bottom"
        assert f"{number} / {total}" in text, f"page {number}: no page number"


def test_running_title_on_every_page_but_the_cover(sample_pdf: bytes) -> None:
    texts = [flat(t) for t in page_texts(sample_pdf)]
    running = "Wang Yi à Moscou : la relation sino-russe après Malte"
    assert all(running in text for text in texts[1:])
    assert texts[0].count("Wang Yi à Moscou") == 1  # the cover's own title, no running header


def test_bookmarks_follow_the_headings(sample_pdf: bytes, sample: dict) -> None:
    titles = bookmark_titles(pypdf.PdfReader(io.BytesIO(sample_pdf)).outline)
    L = sample["labels"]
    assert sample["changes"]["items"] and sample["disputed"]  # the sample prints every section
    expected = [L["contents"], sample["changes"]["heading"], L["summary"], L["key_judgments"], L["disputed_facts"],
                L["questions"]]
    expected += [q["title"] for q in sample["questions"]] + [L["meetings"]]
    expected += [m["title"] for m in sample["meetings"]] + [L["actors"]]
    expected += [a["title"] for a in sample["actors"]] + [L["timeline"], L["network"], L["sources"]]
    expected += [s["title"] for s in sample["sources"]]
    assert [flat(t) for t in titles] == [flat(t) for t in expected]


def test_contents_lists_sections_with_page_numbers(sample_pdf: bytes, sample: dict) -> None:
    contents = flat(page_texts(sample_pdf)[1])
    assert sample["labels"]["contents"] in contents
    for actor in sample["actors"]:
        assert re.search(re.escape(actor["title"]) + r" [ .]*\d+", contents), actor["title"]


def test_names_and_sections_are_in_the_text(sample_text: str, sample: dict) -> None:
    for name in ("Wang Yi", "Sergueï Lavrov", "Nikolaï Patrouchev", "Nikolai Patrushev"):
        assert name in sample_text
    for source in sample["sources"]:
        assert source["reliability"] in sample_text
        assert source["cited_share"].replace("\u202f", " ") in sample_text


def test_citations_are_footnotes_with_quote_and_source(sample_text: str) -> None:
    quote = "après deux jours de réunions avec le conseiller à la sécurité nationale"
    source = "Wang Yi arrive à Moscou après ses entretiens de Malte avec Jake Sullivan"
    assert f"« {quote} », {source} (B — habituellement fiable)." in sample_text


def test_a_translated_citation_shows_the_translation(sample_text: str) -> None:
    """The Kremlin's English readout is quoted as written, the analyst's French translation after it."""
    assert ("« the President of Russia will visit China in October » (Traduction de l’analyste : « le président "
            "russe se rendra en Chine en octobre »), Meeting with Wang Yi (A — totalement fiable).") in sample_text


def test_the_same_citation_is_one_footnote(sample: dict, sample_text: str) -> None:
    """The Malta quote is cited three times (key judgment, meeting, actor) but printed once."""
    key = sample["key_judgments"][0]["cites"][0]["key"]
    uses = json.dumps(sample).count(f'"key": "{key}"')
    assert uses >= 3
    quote = sample["key_judgments"][0]["cites"][0]["quote"]
    assert sample_text.count(quote) == 1


def test_internal_links_point_into_the_document(sample_pdf: bytes, sample: dict) -> None:
    reader = pypdf.PdfReader(io.BytesIO(sample_pdf))
    summary_label = "2 " + flat(sample["labels"]["summary"])  # after the changes, on a page of its own
    summary_page = next(page for page in reader.pages[2:] if summary_label in flat(page.extract_text()))
    links = [a.get_object() for a in summary_page.get("/Annots", []) if a.get_object()["/Subtype"] == "/Link"]
    internal = [a for a in links if "/Dest" in a or a.get("/A", {}).get("/S") == "/GoTo"]
    assert len(internal) >= 3  # Wang Yi, Lavrov, Patrouchev in the summary, plus footnotes


def test_metadata(sample_pdf: bytes, sample: dict) -> None:
    meta = pypdf.PdfReader(io.BytesIO(sample_pdf)).metadata
    assert meta.title == sample["title"]
    assert all(author in meta.author for author in sample["authors"])
    assert meta["/CreationDate"].startswith("D:20230921")


def test_same_timestamp_gives_identical_bytes(sample: dict, network_svg: str, sample_pdf: bytes) -> None:
    assert compile_pdf(copy.deepcopy(sample), network_svg, timestamp=TIMESTAMP) == sample_pdf


def test_english_quotation_marks(sample: dict) -> None:
    data = copy.deepcopy(sample)
    data["lang"] = "en"
    text = flat(" ".join(page_texts(compile_pdf(data, None, timestamp=TIMESTAMP))))
    assert "“après deux jours de réunions avec le conseiller à la sécurité nationale”" in text


# --------------------------------------------------------------------------- optional parts


def test_without_network_or_marking(sample: dict) -> None:
    data = copy.deepcopy(sample)
    data["marking"] = None
    data["authors"] = []
    pdf = compile_pdf(data, None, timestamp=TIMESTAMP)
    titles = bookmark_titles(pypdf.PdfReader(io.BytesIO(pdf)).outline)
    assert sample["labels"]["network"] not in titles
    texts = page_texts(pdf)
    assert not any(sample["marking"] in text for text in texts)
    assert all(f"{n} / {len(texts)}" in text for n, text in enumerate(texts, start=1))


def test_a_minimal_briefing_compiles(sample: dict) -> None:
    data = {key: sample[key] for key in ("lang", "labels", "title", "as_of", "as_of_iso")}
    data.update(marking=None, authors=[], summary=paragraph("Rien à signaler."))
    pdf = compile_pdf(data, None, timestamp=TIMESTAMP)
    assert "Rien à signaler." in flat(" ".join(page_texts(pdf)))


def test_optional_fields_may_be_null_or_empty(sample: dict) -> None:
    data = copy.deepcopy(sample)
    for claim in data["key_judgments"]:
        claim.update(date=None, confidence=None, cites=[])
    question = data["questions"][0]
    question.update(opened=None, reviewed=None, about=[], summary=[], indicators=[], claims=[], matrix=None,
                    disagreement=[], hypotheses_kind=None)
    question["hypotheses"][0].update(likelihood=None, against=[])
    data["sourcing"] = None  # it links to the question's claims, gone
    for entity in data["questions"] + data["meetings"] + data["actors"]:
        entity["facts_about"]["items"] = []
    for actor in data["actors"]:
        actor.update(country=None, aliases=[], summary=[])
        for role in actor["roles"]:
            role.update(of=None, dates=None)
    for meeting in data["meetings"]:
        meeting.update(place=None, topics=[], outcome=[], follows=[], followed_by=[])
        meeting["participants"][0]["role"] = None
    for source in data["sources"]:
        source.update(outlet=None, author=None, url=None, language=None, reliability=None, notes=[], retrieved=None,
                      archived=None, text_sha256=None)
    data["timeline"] = []
    pdf = compile_pdf(data, None, timestamp=TIMESTAMP)
    assert sample["labels"]["timeline"] not in bookmark_titles(pypdf.PdfReader(io.BytesIO(pdf)).outline)


def test_typst_failure_is_a_pdf_error() -> None:
    with pytest.raises(PdfError, match="Typst could not typeset the PDF briefing") as info:
        compile_pdf({"title": "sans libellés"}, None)
    assert "dossier-pdf-" not in str(info.value)  # no temporary path in the message


# --------------------------------------------------------------------------- data never becomes code

NASTY = [
    '#read("/etc/passwd")',
    "$x$",
    "*b*",
    "_i_",
    "[x]",
    "@ref",
    "<lbl>",
    "a\\b",
    "// pas un commentaire",
    "/* ni ceci",
    '#eval("1 + 1")',
    "= pas un titre",
    "- pas une liste",
]
HOSTILE = " ".join(NASTY)


def hostile_data(sample: dict) -> dict:
    """A briefing whose every text is full of Typst and Markdown syntax."""
    cite = {"key": "src#1", "quote": HOSTILE, "source_title": HOSTILE, "source_anchor": "source-x", "reliability": HOSTILE}
    claim = {"text": paragraph(HOSTILE), "date": HOSTILE, "confidence": HOSTILE, "cites": [cite]}
    text = [{"t": "text", "v": HOSTILE}, {"t": "code", "v": '#read("/etc/hostname")'}]
    return {
        "lang": "fr", "labels": sample["labels"], "title": HOSTILE, "as_of": HOSTILE, "as_of_iso": "2023-09-18",
        "marking": "<marking> #marking", "authors": [HOSTILE], "summary": paragraph(HOSTILE),
        "key_judgments": [claim],
        "questions": [{"anchor": "question-x", "title": HOSTILE, "status": HOSTILE, "opened": None, "reviewed": None,
                       "about": [text], "summary": paragraph(HOSTILE), "indicators": [paragraph(HOSTILE)],
                       "hypotheses": [{"text": paragraph(HOSTILE), "likelihood": HOSTILE, "cites": [cite]}],
                       "answer": claim, "claims": [claim]}],
        "meetings": [{"anchor": "meeting-x", "title": HOSTILE, "date": HOSTILE, "place": HOSTILE, "status": HOSTILE,
                      "participants": [{"name": text, "role": HOSTILE}], "topics": [HOSTILE],
                      "summary": paragraph(HOSTILE), "outcome": paragraph(HOSTILE), "follows": [text],
                      "followed_by": [], "claims": [claim]}],
        "actors": [{"anchor": "actor-x", "title": HOSTILE, "kind": HOSTILE, "aliases": [HOSTILE], "country": text,
                    "roles": [{"title": HOSTILE, "of": text, "dates": HOSTILE, "cites": [cite]}],
                    "summary": paragraph(HOSTILE), "claims": [claim]}],
        "timeline": [{"date": HOSTILE, "kind": HOSTILE, "text": text}],
        "sources": [{"anchor": "source-x", "title": HOSTILE, "outlet": HOSTILE, "author": HOSTILE,
                     "published": HOSTILE, "url": "https://example.org/#read", "language": HOSTILE,
                     "reliability": HOSTILE, "notes": paragraph(HOSTILE), "cited_share": HOSTILE}],
    }


def test_markup_in_data_is_printed_literally(sample: dict) -> None:
    pdf = compile_pdf(hostile_data(sample), None, timestamp=TIMESTAMP)
    # The fonts' hyphen is one glyph for "-" and the soft hyphen: the text extracted may give either. A soft
    # hyphen before a space is the hyphen (hyphenation breaks the line there).
    texts = [flat(re.sub("\xad(?= )", "-", t)) for t in page_texts(pdf)]
    whole = " ".join(texts)
    for snippet in NASTY:
        assert snippet in whole, snippet
    # the full string in many places: unchanged in quotes, with print typography (the spaced hyphen
    # made an en dash) in prose
    assert whole.count(HOSTILE) + whole.count(fix(HOSTILE, "fr")) >= 20 and HOSTILE in whole
    assert '#read("/etc/hostname")' in whole
    assert "root:" not in whole  # nothing was read
    assert all("<marking> #marking" in t for t in texts)
    assert pypdf.PdfReader(io.BytesIO(pdf)).metadata.title == HOSTILE


def test_source_files_hold_data_only_as_json(sample: dict, network_svg: str) -> None:
    files = typst_source_files(sample, network_svg)
    assert set(files) == {"main.typ", "template.typ", "data.json", "network.svg"}
    loaded = json.loads(files["data.json"])
    assert loaded["document"] == {"title": sample["title"], "authors": sample["authors"]}
    # the rest is the sample itself, but for print typography and the marks of first citations
    assert _untypeset(loaded) == _untypeset(sample)
    assert files["network.svg"] == network_svg.encode("utf-8")
    other = typst_source_files(hostile_data(sample), network_svg)
    assert other["main.typ"] == files["main.typ"] and other["template.typ"] == files["template.typ"]
    assert b"network.svg" not in typst_source_files(sample, None)["main.typ"]
    assert "network.svg" not in typst_source_files(sample, None)


def _untypeset(value):
    """*value* without the tool's additions: print spaces and apostrophes undone, no `first`, `n`, `quoted`,
    `document`, `parts` or `page_runs`. Every link target is kept: the sample links only to labels the template
    places once (see test_references_are_settled_before_typst)."""
    if isinstance(value, str):
        return value.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    if isinstance(value, list):
        return [_untypeset(item) for item in value]
    if isinstance(value, dict):
        return {k: _untypeset(v) for k, v in value.items()
                if k not in ("first", "n", "quoted", "document", "parts", "page_runs")}
    return value


def test_citations_are_marked_and_numbered_in_document_order(sample: dict) -> None:
    data = json.loads(typst_source_files(sample, None)["data.json"])
    by_part = _cites_by_part(data)
    order = [c for part in data["parts"] for c in by_part.get(part, [])]
    assert {"against", "matrix", "disputed_by", "answer"} <= _kinds_of_cites(data)  # every place a CITE can be
    keys = [c["key"] for c in order]
    assert len(set(keys)) < len(keys)  # the sample cites some passages more than once
    assert [c["first"] for c in order] == [key not in keys[:i] for i, key in enumerate(keys)]
    firsts = list(dict.fromkeys(keys))
    assert [c["n"] for c in order] == [firsts.index(key) + 1 for key in keys]


def _claim_cites(claims: list[dict]) -> list[dict]:
    """The CITEs of *claims*, in print order: each claim's own, then those that dispute it."""
    return [c for claim in claims for c in claim["cites"] + claim.get("disputed_by", [])]


def _cites_by_part(data: dict) -> dict[str, list[dict]]:
    """The CITEs each part prints, in its order (as the reader sees them)."""
    found: dict[str, list[dict]] = {"summary": _claim_cites(data["key_judgments"])}
    found["questions"] = []
    for question in data["questions"]:
        found["questions"] += [c for h in question["hypotheses"] for c in h["cites"] + h.get("against", [])]
        found["questions"] += [row["cite"] for row in (question.get("matrix") or {}).get("rows", [])]
        found["questions"] += _claim_cites([question["answer"]] if question["answer"] else [])
        found["questions"] += _claim_cites(question["claims"])
    found["meetings"] = [c for meeting in data["meetings"] for c in _claim_cites(meeting["claims"])]
    found["actors"] = []
    for actor in data["actors"]:
        found["actors"] += [c for role in actor["roles"] for c in role["cites"]] + _claim_cites(actor["claims"])
    return found


def _kinds_of_cites(data: dict) -> set[str]:
    """Where *data* has CITEs besides claims' own: hypotheses' ``against``, the matrix, ``disputed_by``, answers."""
    claims = [c for part in ("meetings", "actors", "questions") for item in data[part] for c in item["claims"]]
    questions = data["questions"]
    found = {"against"} if any(h["against"] for q in questions for h in q["hypotheses"]) else set()
    found |= {"matrix"} if any(q["matrix"] for q in questions) else set()
    found |= {"answer"} if any(q["answer"] and q["answer"]["cites"] for q in questions) else set()
    return found | ({"disputed_by"} if any(c["disputed_by"] for c in claims + data["key_judgments"]) else set())


def test_the_print_order_is_declared_once_for_the_pages_and_the_footnotes(sample: dict, monkeypatch) -> None:
    """``runs.PARTS`` orders both the parts the template prints and the footnotes' numbers: with the
    actors moved before the questions, the bookmarks and the numbers follow."""
    from generator.pdf import runs

    order = [part for part in runs.PARTS if part != "actors"]
    order.insert(order.index("questions"), "actors")
    monkeypatch.setattr(runs, "PARTS", tuple(order))
    data = json.loads(typst_source_files(sample, None)["data.json"])
    assert data["parts"] == ["cover", "contents", "changes", "summary", "actors", "questions", "meetings", "timeline",
                             "sources"]
    by_part = _cites_by_part(data)
    cites = [c for part in data["parts"] for c in by_part.get(part, [])]
    keys = [c["key"] for c in cites]
    firsts = list(dict.fromkeys(keys))
    assert [c["n"] for c in cites] == [firsts.index(key) + 1 for key in keys]
    after_summary = [c for part in data["parts"] if part != "summary" for c in by_part.get(part, []) if c["first"]]
    assert after_summary[0] is next(c for c in by_part["actors"] if c["first"])  # the next new footnote is an actor's
    titles = bookmark_titles(pypdf.PdfReader(io.BytesIO(compile_pdf(sample, None, timestamp=TIMESTAMP))).outline)
    L = sample["labels"]
    assert [title for title in titles if title in (L["questions"], L["meetings"], L["actors"])] == [
        L["actors"], L["questions"], L["meetings"]]


def test_a_citation_without_key_is_a_footnote_of_its_own(sample: dict) -> None:
    data = copy.deepcopy(sample)
    cite = data["key_judgments"][0]["cites"][0]
    data["key_judgments"][0]["cites"] = [dict(cite, key=""), dict(cite, key=""), cite, cite]
    cites = json.loads(typst_source_files(data, None)["data.json"])["key_judgments"][0]["cites"]
    assert [(c["first"], c["n"]) for c in cites] == [(True, 1), (True, 2), (True, 3), (False, 3)]


def _replace_definition(template: str, name: str, definition: str) -> str:
    """*template* with the definition of *name* (up to its closing brace at line start) replaced."""
    pattern = re.compile(r"^#let " + re.escape(name) + r"\(.*?^\}\n", re.DOTALL | re.MULTILINE)
    assert len(pattern.findall(template)) == 1, name
    return pattern.sub(lambda _: definition + "\n", template)


def typst_own_template() -> str:
    """The template as it was before it settled footnote numbers and layouts in advance.

    Typst numbers the footnotes with its own counter, a citation used again
    refers to its footnote by a label, and no section body is left out of the
    first layout (`gate`).
    """
    template = TEMPLATE_PATH.read_text(encoding="utf-8")
    rules = re.compile(r"^  show footnote: it => .*?\n  \}\n", re.DOTALL | re.MULTILINE)
    assert len(rules.findall(template)) == 1
    template = rules.sub("", template)
    template = _replace_definition(template, "cite-marks", """#let cite-marks(cs) = {
  if type(cs) != array or cs.len() == 0 { return none }
  cs.map(c => {
    let tr = c.at("translation", default: none)
    let note = { c.at("quoted"); if tr != none { " (" + tr + ")" }
                 source-note(c.at("source_anchor"), c.at("source_title"), c.at("reliability")) }
    let key = str(c.at("key", default: ""))
    if key == "" { return footnote(note) }
    let name = label("cite:" + key)
    if c.at("first", default: true) [#footnote(note)#name] else { footnote(name) }
  }).join(super(","))
}""")
    return _replace_definition(template, "gate", "#let gate(body, first: none) = {\n  body\n}")


def test_footnote_numbers_and_gated_layout_are_typst_own(sample: dict, network_svg: str, sample_pdf: bytes,
                                                           tmp_path: Path) -> None:
    """Typst's own footnote counter and a full first layout give the very same pages."""
    import typst

    files = typst_source_files(sample, network_svg)
    files["template.typ"] = typst_own_template().encode("utf-8")
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    pdf = typst.compile(str(tmp_path / "main.typ"), root=str(tmp_path), ignore_system_fonts=True, timestamp=TIMESTAMP)
    own, ours = page_texts(pdf), page_texts(sample_pdf)
    assert len(own) == len(ours)
    for number, (a, b) in enumerate(zip(own, ours), start=1):
        assert a == b, f"page {number}"
    numbers = re.findall(r'"n":(\d+)', files["data.json"].decode("utf-8"))
    assert len(set(numbers)) >= 5 and len(numbers) > len(set(numbers))  # several footnotes, some cited again


def test_print_typography() -> None:
    from generator.pdf.data_typography import fix, typography

    assert fix("l'équipe « Malte » : oui ; non ! vraiment ?", "fr") == (
        "l’équipe «\u00a0Malte\u00a0» :".replace(" :", "\u00a0:") + " oui\u202f; non\u202f! vraiment\u202f?")
    assert fix("it's « x » : y", "en") == "it’s « x » : y"
    data = {"title": "l'été", "quote": "l'été", "url": "http://x/'a'", "c": [{"t": "code", "v": "a ; b"}]}
    assert typography(data, "fr") == {"title": "l’été", "quote": "l'été", "url": "http://x/'a'",
                                      "c": [{"t": "code", "v": "a ; b"}]}


# --------------------------------------------------------------------------- mdast


def text(v: str) -> dict:
    return {"t": "text", "v": v}


def test_mdast_inline_markup() -> None:
    html = '<p>Un <em>mot</em>, du <strong>gras</strong>, <code>a &lt; b</code> et <a href="https://ex.org/?a=1&amp;b=2">un lien</a>.</p>'
    assert html_to_blocks(html) == [{"type": "para", "c": [
        text("Un "), {"t": "em", "c": [text("mot")]}, text(", du "), {"t": "strong", "c": [text("gras")]},
        text(", "), {"t": "code", "v": "a < b"}, text(" et "),
        {"t": "link", "url": "https://ex.org/?a=1&b=2", "c": [text("un lien")]}, text("."),
    ]}]


def test_mdast_internal_references_and_unsafe_links() -> None:
    html = ('<p><a class="dossier-ref" href="../actors/wang-yi/" data-target="actor-wang-yi">Wang Yi</a> '
            '<a href="javascript:alert(1)">piège</a> <a href="../relatif/">relatif</a></p>')
    assert html_to_blocks(html) == [{"type": "para", "c": [
        {"t": "ref", "target": "actor-wang-yi", "c": [text("Wang Yi")]}, text(" piège relatif"),
    ]}]


def test_mdast_blocks() -> None:
    html = ("<p>a\nb<br />\nc</p>\n<ul>\n<li>un</li>\n<li>\n<p>deux</p>\n<ol><li>sous</li></ol>\n</li>\n</ul>\n"
            "<blockquote>\n<p>cité</p>\n</blockquote>")
    assert html_to_blocks(html) == [
        {"type": "para", "c": [text("a b"), {"t": "br"}, text("c")]},
        {"type": "list", "ordered": False, "items": [
            [{"type": "para", "c": [text("un")]}],
            [{"type": "para", "c": [text("deux")]},
             {"type": "list", "ordered": True, "items": [[{"type": "para", "c": [text("sous")]}]]}],
        ]},
        {"type": "quote", "c": [{"type": "para", "c": [text("cité")]}]},
    ]


def test_mdast_unknown_tags_keep_their_text() -> None:
    html = "<h2>Titre</h2><p>avant <span>milieu</span> <mark>après</mark></p><div>libre</div><table><tr><td>x</td></tr></table>"
    assert html_to_blocks(html) == [
        {"type": "para", "c": [text("Titre")]},
        {"type": "para", "c": [text("avant milieu après")]},
        {"type": "para", "c": [text("libre")]},
        {"type": "para", "c": [text("x")]},
    ]


def test_mdast_escaped_html_stays_text_and_whitespace_is_tidy() -> None:
    assert html_to_blocks("<p>&lt;b&gt;brut&lt;/b&gt; &amp; «&#160;ok&#160;»</p>") == [
        {"type": "para", "c": [text("<b>brut</b> & «\u00a0ok\u00a0»")]}
    ]
    assert html_to_blocks("<p> a <em> b </em> c</p>") == [
        {"type": "para", "c": [text("a "), {"t": "em", "c": [text("b ")]}, text("c")]}
    ]
    assert html_to_blocks("") == [] and html_to_blocks("<p>  </p>\n") == []


def test_mdast_of_python_markdown_output() -> None:
    markdown = pytest.importorskip("markdown")
    blocks = html_to_blocks(markdown.markdown("Texte *important*.\n\n1. un\n2. deux\n\n> citation"))
    assert [b["type"] for b in blocks] == ["para", "list", "quote"]
    assert blocks[1]["ordered"] is True and len(blocks[1]["items"]) == 2


def _printed(data: dict) -> dict:
    """The data as ``data.json`` gives it to the template."""
    return json.loads(typst_source_files(data, None)["data.json"])


def test_references_are_settled_before_typst(sample: dict) -> None:
    """Links to anchors not held by exactly one entity lose their target; quotes come in quotation marks."""
    data = copy.deepcopy(sample)
    data["actors"][0]["summary"] = [{"type": "para", "c": [
        {"t": "ref", "target": "nowhere", "c": [{"t": "text", "v": "absent"}]},
        {"t": "ref", "target": data["meetings"][0]["anchor"], "c": [{"t": "text", "v": "present"}]}]}]
    malta = next(s for s in data["sources"] if s["anchor"] == "source-wang-malte-2023-09-18")
    data["sources"].append(dict(malta))  # the anchor of the Malta readout twice: no link to it
    unsettled = data
    data = _printed(data)
    first, second = data["actors"][0]["summary"][0]["c"]
    assert first["target"] == "" and second["target"] == data["meetings"][0]["anchor"]
    cites = [c for claim in data["key_judgments"] for c in claim["cites"]]
    assert cites and all(c["quoted"] == f"«\u202f{c['quote']}\u202f»" for c in cites)
    before = [c for claim in sample["key_judgments"] for c in claim["cites"]]
    twice = "source-wang-malte-2023-09-18"
    assert any(c["source_anchor"] == twice for c in before)
    assert [c["source_anchor"] for c in cites] == ["" if c["source_anchor"] == twice else c["source_anchor"] for c in before]
    english = _printed(copy.deepcopy(sample) | {"lang": "en"})
    assert english["key_judgments"][0]["cites"][0]["quoted"] == f"“{english['key_judgments'][0]['cites'][0]['quote']}”"
    text = flat(" ".join(page_texts(compile_pdf(unsettled, None, timestamp=TIMESTAMP))))
    assert "absent" in text and "present" in text


def _plain(node) -> str:
    """The text of INLINES or BLOCKS."""
    if isinstance(node, list):
        return "".join(_plain(item) for item in node)
    return node.get("v", "") + _plain(node.get("c", [])) if isinstance(node, dict) else ""


def _part_pages(reader: pypdf.PdfReader, title: str) -> range:
    """The pages (from 0) of the level-1 section *title*: from its bookmark to the next one's."""
    starts = [(re.sub(r"^[\d.]+\s+", "", item.title), reader.get_destination_page_number(item))
              for item in reader.outline if not isinstance(item, list)]
    index = [name for name, _ in starts].index(title)
    return range(starts[index][1], starts[index + 1][1] if index + 1 < len(starts) else len(reader.pages))


def _link_names(reader: pypdf.PdfReader, pages) -> set[str]:
    """The named destinations the internal links of *pages* (from 0) jump to (not a page and place)."""
    dests = [annotation.get_object().get("/Dest") for number in pages
             for annotation in reader.pages[number].get("/Annots") or ()]
    return {str(dest) for dest in dests if isinstance(dest, str)}


def test_the_timeline_links_each_claim_to_the_page_that_prints_it(sample: dict, sample_pdf: bytes) -> None:
    """A claim in the timeline is printed in its section: the timeline's entry links to it there."""
    data = _printed(sample)
    rows = [x for row in data["timeline"] for x in row["text"]
            if x.get("t") == "ref" and x["target"].startswith("fact-")]
    assert len(rows) >= 3  # the sample's timeline has several claims
    claims = [*data["key_judgments"], *(c for part in ("questions", "meetings", "actors") for e in data[part]
                                        for c in e["claims"] + ([e["answer"]] if e.get("answer") else []))]
    texts = {claim["label"]: flat(_plain(claim["text"])) for claim in claims}
    reader = pypdf.PdfReader(io.BytesIO(sample_pdf))
    timeline = _part_pages(reader, sample["labels"]["timeline"])
    assert {x["target"] for x in rows} <= _link_names(reader, timeline)
    pages = [flat(text) for text in page_texts(sample_pdf)]
    for x in rows:
        page = reader.get_destination_page_number(reader.named_destinations[x["target"]])
        assert page not in timeline and flat(_plain(x["c"])) == texts[x["target"]]
        assert texts[x["target"]][:40] in pages[page] + " " + pages[page + 1], (x["target"], page + 1)


def test_links_to_labels_not_placed_once_are_settled(sample: dict) -> None:
    """Every kind of link (an INLINES ref, a change, a fact about, a disputed fact, a sourcing or an assumption's
    item) to a label the template does not place exactly once (none, in a part not printed, or twice), or to
    the template's own, prints its text without a link: Typst does not fail on it."""
    data = copy.deepcopy(sample)
    data["parts"] = [part for part in _printed(sample)["parts"] if part != "actors"]
    actor_claim = next(c["label"] for a in data["actors"] for c in a["claims"])  # in a part not printed
    meetings = data["meetings"]
    meetings[1]["anchor"] = meetings[0]["anchor"]  # an entity anchor twice
    meetings[0]["claims"].append(copy.deepcopy(meetings[0]["claims"][0]))  # a claim's label twice
    twice = meetings[0]["claims"][0]["label"]
    kept = data["key_judgments"][0]["label"]
    data["timeline"] = [{"date": "2023", "kind": "Fait", "text": [
        {"t": "ref", "target": target, "c": [{"t": "text", "v": f"entry {number}"}]}]}
        for number, target in enumerate(["fact-nowhere", actor_claim, twice, "briefing-end", kept])]
    data["changes"]["items"][0]["target"] = meetings[0]["anchor"]
    meetings[1]["facts_about"]["items"] = [dict(data["disputed"][0], target=actor_claim)]
    data["disputed"][0]["target"] = twice
    data["sourcing"]["groups"][0]["rows"][0]["owners"][0]["items"][0]["target"] = "fact-nowhere"
    data["assumptions"][0]["assumed_by"] = [{"target": twice, "text": "resting"}]
    printed = _printed(data)
    assert [row["text"][0]["target"] for row in printed["timeline"]] == ["", "", "", "", kept]
    assert printed["changes"]["items"][0]["target"] == ""
    assert printed["meetings"][1]["facts_about"]["items"][0]["target"] == ""
    assert printed["disputed"][0]["target"] == ""
    assert printed["sourcing"]["groups"][0]["rows"][0]["owners"][0]["items"][0]["target"] == ""
    assert printed["assumptions"][0]["assumed_by"] == [{"target": "", "text": "resting"}]
    pdf = compile_pdf(data, None, timestamp=TIMESTAMP)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = flat(" ".join(page_texts(pdf)))
    assert all(f"entry {number}" in text for number in range(5))
    names = _link_names(reader, range(2, len(reader.pages)))  # (the contents, page 2, link to every heading)
    assert kept in names and not {"fact-nowhere", actor_claim, twice, "briefing-end", meetings[0]["anchor"]} & names


# --------------------------------------------------------------------------- section numbers and claim layout


def numbered_bookmarks(outline: list) -> list[str]:
    """Outline titles depth first, as printed (section numbers kept)."""
    titles: list[str] = []
    for item in outline:
        titles += numbered_bookmarks(item) if isinstance(item, list) else [flat(item.title)]
    return titles


def expected_numbers(data: dict, network: bool) -> list[str]:
    """The numbered headings of *data*'s briefing, in order, as "3.1 Title"."""
    L, n, out = data["labels"], 0, []
    sections = [(data.get("changes") or {}).get("heading") if data.get("changes") else None, L["summary"],
                L["key_judgments"] if data.get("key_judgments") else None,
                L["disputed_facts"] if data.get("disputed") else None]
    for title in filter(None, sections):
        n += 1
        out.append(f"{n} {title}")
    for key in ("questions", "meetings", "actors"):
        n += 1
        out.append(f"{n} {L[key]}")
        out += [f"{n}.{i} {item['title']}" for i, item in enumerate(data[key], start=1)]
    for title in (L["timeline"], L["network"] if network else None):
        if title:
            n += 1
            out.append(f"{n} {title}")
    n += 1
    return out + [f"{n} {L['sources']}"] + [f"{n}.{i} {s['title']}" for i, s in enumerate(data["sources"], start=1)]


def test_sections_are_numbered_in_document_order(sample_pdf: bytes, sample: dict) -> None:
    titles = numbered_bookmarks(pypdf.PdfReader(io.BytesIO(sample_pdf)).outline)
    assert titles[0] == flat(sample["labels"]["contents"])  # the contents are not numbered
    assert titles[1:] == [flat(t) for t in expected_numbers(sample, network=True)]
    L = sample["labels"]
    assert titles[1:6] == [flat(f"1 {sample['changes']['heading']}"), flat(f"2 {L['summary']}"),
                           flat(f"3 {L['key_judgments']}"), flat(f"4 {L['disputed_facts']}"), flat(f"5 {L['questions']}")]


def test_section_numbers_follow_the_sections_present(sample: dict) -> None:
    """Without the changes section and the disputed facts, the numbers shift back; no network, one number less."""
    data = copy.deepcopy(sample)
    data["changes"], data["disputed"] = None, []
    pdf = compile_pdf(data, None, timestamp=TIMESTAMP)
    titles = numbered_bookmarks(pypdf.PdfReader(io.BytesIO(pdf)).outline)
    assert titles[1:] == [flat(t) for t in expected_numbers(data, network=False)]
    assert titles[1:4] == [flat(f"1 {data['labels']['summary']}"), flat(f"2 {data['labels']['key_judgments']}"),
                           flat(f"3 {data['labels']['questions']}")]
    contents = flat(page_texts(pdf)[1])
    assert re.search(r"3\.1 " + re.escape(flat(data["questions"][0]["title"])) + r" [ .]*\d+", contents)


def text_runs(page: pypdf.PageObject) -> list[tuple[float, float, str]]:
    """Each text run of *page* with the x and y (points) where it starts."""
    runs: list[tuple[float, float, str]] = []
    page.extract_text(visitor_text=lambda text, cm, tm, *_: runs.append(
        (tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text)))
    return runs


def test_a_long_claim_hangs_under_its_first_line(sample: dict) -> None:
    """A claim is a bulleted paragraph: the bullet at the margin, every line of text starting at the same x."""
    data = copy.deepcopy(sample)
    next(actor for actor in data["actors"] if actor["claims"])["claims"][0]["text"] = paragraph(
        " ".join(f"mot{i}" for i in range(1, 90)))
    reader = pypdf.PdfReader(io.BytesIO(compile_pdf(data, None, timestamp=TIMESTAMP)))
    for page in reader.pages:
        runs = text_runs(page)
        lines = [(x, y) for x, y, text in runs if re.match(r"\s*mot\d", text)]
        if lines:
            break
    bullet = [(x, y) for x, y, text in runs if text.strip() == "•" and abs(y - lines[0][1]) < 0.5]
    assert len(lines) >= 4  # the claim wraps
    assert bullet and abs(bullet[0][0] - 65.2) < 0.5  # at the left margin (2.3 cm)
    assert all(abs(x - lines[0][0]) < 0.5 for x, _ in lines), lines
    assert 7 < lines[0][0] - bullet[0][0] < 11  # the bullet's indent, as in a list


def test_a_long_hypotheses_table_breaks_across_pages(sample: dict) -> None:
    """Only a short table is kept whole: a longer one than a page is split, none of it cut off."""
    data = copy.deepcopy(sample)
    hypotheses = data["questions"][0]["hypotheses"]
    template = hypotheses[0]
    data["questions"][0]["hypotheses"] = [
        dict(template, text=paragraph(" ".join(f"h{i}mot{j}" for j in range(160)) + f" fin{i}"))
        for i in range(1, 7)]
    data["questions"][0]["matrix"] = None
    pages = [flat(text) for text in page_texts(compile_pdf(data, None, timestamp=TIMESTAMP))]
    first = next(n for n, text in enumerate(pages) if "h1mot0 " in text)
    last = next(n for n, text in enumerate(pages) if "h6mot159 fin6" in text)
    assert last > first  # split: kept whole, it would run off the bottom of one page
    text = " ".join(pages)
    assert all(f"h{i}mot0 " in text and f"h{i}mot159 fin{i}" in text for i in range(1, 7))


def test_the_printed_data_shows_every_character_the_fonts_lack(sample: dict) -> None:
    """font_warnings looks for such characters in data.json first: typography may add characters, never drop one."""
    from generator.pdf.briefing import _UNCOVERED, missing_glyphs

    data = copy.deepcopy(sample)
    assert missing_glyphs(data) == [] and not _UNCOVERED.search(typst_source_files(data, None)["data.json"].decode())
    data["title"] += " 王毅"
    data["key_judgments"][0]["cites"][0]["quote"] = "Il a dit « 中国 »"  # quotes are printed verbatim
    data["actors"][0]["aliases"] = ["Ван И", "𝔸 l'été -- ici"]  # Cyrillic is covered
    lacking = set(_UNCOVERED.findall(" ".join(missing_glyphs(data))))
    assert lacking == set("王毅中国𝔸")
    assert set(_UNCOVERED.findall(typst_source_files(data, None)["data.json"].decode())) == lacking
