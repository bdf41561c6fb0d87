"""Property tests of the checker's building blocks: the YAML loader, the quote matcher and dates.

Defects these properties found (control characters, year 0, straight
quotes with French spacing) were fixed; the properties now cover them.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from generator.core import loader
from generator.core.dates import DateError, DateSpan, FuzzyDate
from generator.core.errors import Report
from generator.core.loader import Document, load_text
from generator.core.quotes import closest_passage, find_quote, nfc, normalise

SETTINGS = settings(max_examples=int(__import__("os").environ.get("HYPOTHESIS_EXAMPLES", "300")), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# -- the loader ------------------------------------------------------------------

YAML_PIECES = st.sampled_from([
    ":", ": ", "-", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "&b ", "*b", "!!", "!!python/object:os.system ",
    "!foo ", "!!str ", "? ", "|", ">", "#", "'", '"', "\t", "\n", "\n  ", "\n    ", "\r\n", "---\n", "...\n",
    "%YAML 1.1\n", "key", "title", "é", "« »", "[[wang-yi]]", "2023-09-18", "0", "1.5", "yes", "~", "null",
    " ", "  ", "\u00a0", "\ufeff", "\u2028", "\x85",
])
YAML_ISH = st.lists(YAML_PIECES, max_size=40).map("".join)
ANY_TEXT = st.one_of(st.text(), YAML_ISH, st.lists(st.one_of(YAML_PIECES, st.text(max_size=3)), max_size=30).map("".join))


def _careful(text: str) -> tuple[Document | None, list]:
    """*text* read on the careful road alone (event by event), as the reference."""
    fast = loader._fast_load
    loader._fast_load = lambda doc: False
    try:
        report = Report()
        doc = load_text("f.yaml", text, report)
    finally:
        loader._fast_load = fast
    return doc, report.diagnostics


@SETTINGS
@given(ANY_TEXT)
@example("a: &a [1]\nb: *a\n")
@example("a: !!int '12'\nb: ! 3\nc: 2023-09-18\n")
@example("a:\n- b: [x, {y: 1.5}]\n  c: ~\n")
@example("a: yes\nb: '3'\nc: !!str 3\nd: 3\ne: 1.5\nf: ~\ng: \"\"\nh:\ni: |\n  3\nj: 0o7\nk: .inf\n")
@example("- !!str 3\n- 3\n- '3'\n- true\n- 'true'\n- [null, Null, '']\n")
def test_fast_and_careful_roads_agree(text: str) -> None:
    report = Report()
    doc = load_text("f.yaml", text, report)
    reference, diagnostics = _careful(text)
    assert report.diagnostics == diagnostics
    assert (doc is None) == (reference is None)
    if doc is not None:
        assert _typed(doc.data) == _typed(reference.data)  # True == 1 == 1.0 in Python: compare types too
        assert doc.positions == reference.positions
        assert doc.key_positions == reference.key_positions


def _typed(value):
    """*value* with the type of every scalar beside it (NaN as a string: it equals nothing)."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return type(value).__name__, repr(value)


def _line_count(text: str) -> int:
    # libyaml counts \r, \r\n, \n and also U+0085, U+2028, U+2029 as line breaks (see the
    # corpus case yaml-line-separator-in-text); splitlines() counts all of those.
    return max(len(text.splitlines()), text.count("\n") + 1)


@SETTINGS
@given(ANY_TEXT)
@example("a: [" + "[" * 200)
@example("a: &a [*a]")
@example("a: 1\na: 2\n")
@example("\t- x")
@example("{a: b}: c")
def test_load_text_never_raises_and_locates_its_errors(text: str) -> None:
    report = Report()
    doc = load_text("f.yaml", text, report)
    assert (doc is None) == bool(report.diagnostics)
    if doc is not None:
        assert isinstance(doc, Document)
        assert doc.text == text
    for diagnostic in report.diagnostics:
        assert diagnostic.path == "f.yaml"
        assert diagnostic.severity == "error"
        assert diagnostic.message
        assert 1 <= diagnostic.line <= _line_count(text) + 1, (diagnostic, text)
        assert diagnostic.column >= 1, diagnostic
    if doc is not None:
        for line, column in list(doc.positions.values()) + list(doc.key_positions.values()):
            assert 1 <= line <= _line_count(text) + 1
            assert column >= 1


# Any character but lone surrogates (which cannot be encoded), control characters included.
PRINTABLE = st.characters(blacklist_categories=("Cs",))


@SETTINGS
@given(st.one_of(st.text(PRINTABLE), YAML_ISH))
def test_load_text_messages_are_one_line(text: str) -> None:
    report = Report()
    load_text("f.yaml", text, report)
    for diagnostic in report.diagnostics:
        assert "\n" not in diagnostic.message and "\r" not in diagnostic.message, diagnostic
        assert "<unicode string>" not in diagnostic.message, diagnostic


@SETTINGS
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(PRINTABLE, max_size=10)),
                    lambda inner: st.one_of(st.lists(inner, max_size=4),
                                            st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True), inner, max_size=4)),
                    max_leaves=20))
def test_load_text_reads_back_what_yaml_dump_writes(value) -> None:
    import yaml
    text = yaml.safe_dump(value, allow_unicode=True)
    report = Report()
    doc = load_text("f.yaml", text, report)
    assert doc is not None, report.lines()
    assert doc.data == yaml.safe_load(text)


# -- quotes -----------------------------------------------------------------------

@SETTINGS
@given(st.text(), st.text())
@example("Wang Yi", "[…]")
@example("", "x")
@example("x", "")
@example("« »", "« […] »")
def test_quote_matching_never_raises(source: str, quote: str) -> None:
    normal = normalise(nfc(source))
    match = find_quote(normal, quote)
    if match is not None:
        for start, end in match.spans:
            assert 0 <= start < end <= len(nfc(source))
    passage = closest_passage(normal, quote)
    assert isinstance(passage, str) and len(passage) <= 160


def _normalise_reference(text: str) -> tuple[str, list[int]]:
    """The normal form, one character at a time: the definition the fast code must meet."""
    table = {ord(c): "'" for c in "\u2019\u2018\u02bc\u0060\u00b4\u2032"} | {ord(c): '"' for c in "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2033"}
    chars: list[str] = []
    offsets: list[int] = []
    after_quote = True
    for index, char in enumerate(text):
        folded = char.translate(table)
        if char.isspace():
            if after_quote or chars[-1] == " ":
                continue
            folded = " "
        elif folded == '"' and chars and chars[-1] == " ":
            chars.pop()
            offsets.pop()
        chars.append(folded)
        offsets.append(index)
        after_quote = folded == '"'
    if chars and chars[-1] == " ":
        chars.pop()
        offsets.pop()
    return "".join(chars), offsets


@SETTINGS
@given(st.one_of(st.text(), st.lists(st.sampled_from(["a", "é", " ", "  ", "\n", "\u00a0", "«", "»", '"', "’", "\t", "x y"]),
                                     max_size=30).map("".join)))
@example(' « a » ')
@example('a \n\n " b')
def test_normalise_meets_its_definition(text: str) -> None:
    expected, offsets = _normalise_reference(text)
    normal = normalise(text)
    assert normal.text == expected
    assert [normal.offset(i) for i in range(len(expected))] == offsets


WORD = st.text(st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                               + list("éèêàçïôùÉ,.;:!?-'’«»“”\"")), min_size=1, max_size=8)
SPACE = st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", "\u202f", " \n ", "\r\n"])
PLAIN_FORM = str.maketrans({"’": "'", "“": '"', "”": '"'})
GUILLEMETS = str.maketrans({"«": '"', "»": '"'})


@st.composite
def source_and_cut(draw):
    words = draw(st.lists(WORD, min_size=1, max_size=40))
    spaces = draw(st.lists(SPACE, min_size=len(words), max_size=len(words)))
    source = "".join(w + s for w, s in zip(words, spaces))
    start = draw(st.integers(0, len(words) - 1))
    end = draw(st.integers(start + 1, len(words)))
    quote = " ".join(words[start:end])
    if draw(st.booleans()):
        quote = quote.translate(PLAIN_FORM)  # straight apostrophes and quotation marks
        quote = quote.translate(GUILLEMETS)
    if draw(st.booleans()):
        quote = unicodedata.normalize("NFD", quote)
    if draw(st.booleans()):
        source = unicodedata.normalize("NFD", source)
    return source, quote, words[start:end]


@SETTINGS
@given(source_and_cut())
def test_a_quote_cut_from_the_source_is_found(case) -> None:
    source, quote, _words = case
    text = nfc(source)
    match = find_quote(normalise(text), quote)
    assert match is not None, (source, quote)
    (start, end), = match.spans
    assert 0 <= start < end <= len(text)
    assert normalise(text[start:end]).text == normalise(nfc(quote)).text, (text[start:end], quote)


@st.composite
def source_and_elided_quote(draw):
    words = draw(st.lists(WORD, min_size=3, max_size=40))
    spaces = draw(st.lists(SPACE, min_size=len(words), max_size=len(words)))
    source = "".join(w + s for w, s in zip(words, spaces))
    # two cuts, in order, with at least one word left out between them
    cut = sorted(draw(st.lists(st.integers(0, len(words)), min_size=4, max_size=4, unique=True)))
    mark = draw(st.sampled_from(["[…]", "[...]", "…", "(…)", "(...)", " […] "]))
    quote = f"{' '.join(words[cut[0]:cut[1]])} {mark} {' '.join(words[cut[2]:cut[3]])}"
    return source, quote


@SETTINGS
@given(source_and_elided_quote())
def test_two_cuts_in_order_with_an_elision_are_found(case) -> None:
    source, quote = case
    match = find_quote(normalise(nfc(source)), quote)
    assert match is not None, (source, quote)
    assert len(match.spans) == 2 and match.spans[0][1] <= match.spans[1][0]


# -- dates -----------------------------------------------------------------------

DATE_ISH = st.lists(st.sampled_from(list("0123456789-/ T:") + ["2023", "-09", "-18", "0000", "/", "-02-29", "-13"]),
                    max_size=12).map("".join)


@SETTINGS
@given(st.one_of(st.text(), DATE_ISH, st.integers(), st.floats(), st.booleans(), st.none(),
                 st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2)))
@example("2023-02-29")
@example("2024-02-29")
@example("2023-09-18/2023-09-17")
@example("2023/2023-01")
@example("/")
@example("2023//2024")
def test_date_parse_gives_a_span_or_a_date_error(value) -> None:
    try:
        span = DateSpan.parse(value)
    except DateError:
        return
    assert isinstance(span, DateSpan)
    assert span.start.first_day() <= span.end.last_day()
    assert DateSpan.parse(span.iso()) == span


def _fuzzy(day: date, precision: str) -> str:
    return {"year": f"{day.year:04d}", "month": f"{day.year:04d}-{day.month:02d}", "day": day.isoformat()}[precision]


PRECISION = st.sampled_from(["year", "month", "day"])


@SETTINGS
@given(st.dates(min_value=date(1, 1, 1)), PRECISION)
def test_date_round_trip(day: date, precision: str) -> None:
    text = _fuzzy(day, precision)
    span = DateSpan.parse(text)
    assert span.iso() == text
    assert not span.is_interval
    assert FuzzyDate.parse(text).iso() == text


@SETTINGS
@given(st.dates(min_value=date(1, 1, 1)), st.dates(min_value=date(1, 1, 1)), PRECISION, PRECISION)
def test_interval_round_trip(first: date, second: date, p1: str, p2: str) -> None:
    first, second = min(first, second), max(first, second)
    start, end = _fuzzy(first, p1), _fuzzy(second, p2)
    assume(start != end)
    text = f"{start}/{end}"
    span = DateSpan.parse(text)
    assert span.iso() == text
    assert span.is_interval
    assert span.start.first_day() <= span.end.last_day()


# -- print typography -------------------------------------------------------------

def _fix_reference(text: str, lang: str) -> str:
    """:func:`generator.core.typography.fix` as first written: every rule's expression applied to every text."""
    import re
    text = re.sub(r"\b'\b", "’", text)
    text = re.sub(r"(?<= )--?(?= )", "–", text)
    if lang != "fr":
        return text
    text = re.sub(r" ([;!?])", "\u202f\\1", text)
    text = re.sub(r" ([:»])", "\u00a0\\1", text)
    return text.replace("« ", "«\u00a0")


TYPO_TEXT = st.lists(st.sampled_from([" ", "a", "é", "'", "-", "--", ";", "!", "?", ":", "»", "«", "« ", " »",
                                      " :", " ;", "\u00a0", "l'", "x"]), max_size=30).map("".join)


@SETTINGS
@given(st.one_of(TYPO_TEXT, st.text(max_size=40)), st.sampled_from(["fr", "en"]))
def test_typography_shortcuts_change_nothing(text: str, lang: str) -> None:
    """The substring tests that skip a rule's expression give the same text as applying it always."""
    from generator.core.typography import fix
    assert fix(text, lang) == _fix_reference(text, lang)


HTML_TEXT = st.lists(st.sampled_from(["\n\n", "\n", "<li>", "</li>", "<tr>", "</tr>", "<ol>", "</ol>", "<code>", "</code>",
                                      '<span class="dossier-quote">', "</span>", "<a href='x'>", "</a>", "<", ">", "<br/>",
                                      "&#x27;", " ", "a", "l'", "'", " -", "- ", " :", " ;", "« ", " »", "x"]),
                     max_size=40).map("".join)


def _remembering(lang: str, memo: dict[str, tuple[str, bool]]):
    """A typesetter of chunks as ``dossier serve``'s: those in *memo* not typeset again; *memo* holds this page's after."""
    from generator.core.typography import typeset_alone

    def typeset(chunks: list[str]) -> list[tuple[str, bool]]:
        made = [memo[chunk] if chunk in memo else typeset_alone(chunk, lang) for chunk in chunks]
        memo.clear()
        memo.update(zip(chunks, made))
        return made
    return typeset


@SETTINGS
@given(HTML_TEXT, HTML_TEXT, st.sampled_from(["fr", "en"]))
def test_typesetting_in_chunks_gives_the_text_typeset_whole(before: str, after: str, lang: str) -> None:
    """``dossier serve`` typesets a large page in chunks, those seen last time not again: the same text, whatever
    is cut where (a verbatim element or a tag across a blank line included), and after the page changed."""
    from generator.core.typography import chunks, typeset_html, typeset_in_chunks
    memo: dict[str, tuple[str, bool]] = {}
    assert "".join(chunks(before)) == before
    for text in (before, after + before, before + after):
        assert typeset_in_chunks(text, lang, _remembering(lang, memo)) == typeset_html(text, lang)


def test_typesetting_in_chunks_cuts_between_items_and_blocks_only_outside_tags_and_verbatim() -> None:
    from generator.core.typography import chunks, typeset_in_chunks
    assert chunks("<ol><li>l'a</li><li>b</li></ol>\n\n## x\n\n<p a='\n\n'>y</p>") == [
        "<ol><li>l'a</li>", "<li>b</li>", "</ol>\n\n", "## x\n\n", "<p a='\n\n'>y</p>"]
    memo: dict[str, tuple[str, bool]] = {}
    page = "<p>l'<a>Ukraine</a></p>\n\n<pre>a - b\n\nc'd</pre>\n\n<p>e - f</p>"
    assert typeset_in_chunks(page, "fr", _remembering("fr", memo)) == \
        "<p>l’<a>Ukraine</a></p>\n\n<pre>a - b\n\nc'd</pre>\n\n<p>e – f</p>", "a verbatim element across chunks"
    assert memo["<pre>a - b\n\n"] == ("<pre>a - b\n\n", False)
    page = "<ol><li>l'a</li><li>b - c</li></ol>"
    assert typeset_in_chunks(page, "fr", _remembering("fr", memo)) == "<ol><li>l’a</li><li>b – c</li></ol>"
    assert memo == {"<ol><li>l'a</li>": ("<ol><li>l’a</li>", True), "<li>b - c</li>": ("<li>b – c</li>", True),
                    "</ol>": ("</ol>", True)}
    memo["<ol><li>l'a</li>"] = ("remembered", True)
    assert typeset_in_chunks(page, "fr", _remembering("fr", memo)) == "remembered<li>b – c</li></ol>", \
        "a chunk typeset before is not typeset again"
