"""Data stays data: a hostile but valid dossier (tests/hostile/) runs nothing in a reader's browser.

Every text field of ``tests/hostile/dossiers/hostile-xss`` carries a script
injection payload, and so does a source text, quoted verbatim by claims. The
dossier is valid (it passes ``dossier check``): such text can arrive from
hostile source material. The built site must show every payload as text, fire
no dialog, log no error, ask nothing of another host; the PDF must print the
payloads literally and hold no script or ``javascript:`` link.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest

from conftest import ROOT, run_dossier, serve_folder

HOSTILE = ROOT / "tests" / "hostile" / "dossiers"
DOSSIER = "hostile-xss"

# Payloads that each page must show as visible text (white space folded).
TITLE = "Titre <script>alert('title')</script> \"><svg onload=alert(4)>"
ACTOR = "\"><svg onload=alert(4)> Acteur <script>alert('name')</script>"
MEETING = "Réunion <script>alert('meeting')</script> </title><script>alert(5)</script>"
VISIBLE = {
    "": [TITLE, "DIFFUSION <img src=x onerror=alert('marking')> RESTREINTE",
         "<script>alert('summary')</script>",
         "Jugement <script>alert(1)</script> cité <img src=x onerror=alert(2)>",
         "<div onmouseover=\"alert('block')\"><script>alert('rawblock')</script></div>",
         "<iframe src=\"https://evil.example/\"></iframe>",
         "<style>body{display:none}</style>",
         "Question <script>alert('question')</script> ?"],
    "actors/acteur-hostile": [ACTOR, "<img src=x onerror=alert('alias')>", "'; alert('alias2'); '",
                              "Résumé d'acteur <script>alert('actor-summary')</script>",
                              "<p onclick=\"alert('p')\">paragraphe brut</p>",
                              "Rôle <script>alert('role')</script>",
                              "Affirmation <img src=x onerror=alert('claim')>",
                              "État <b onmouseover=alert('state')>gras</b>"],
    "actors/etat-hostile": ["État <b onmouseover=alert('state')>gras</b>",
                            "{{ config }} {% raw %} ${alert('tpl')}"],
    "meetings/reunion-hostile": [MEETING, "Lieu <img src=x onerror=alert('place')>",
                                 "rôle <script>alert('participant-role')</script>",
                                 "Sujet <svg onload=alert('topic')>",
                                 "Résumé de réunion <script>alert('meeting-summary')</script>",
                                 "Résultat <img src=x onerror=alert('outcome')>",
                                 "La réunion <script>alert('meeting-claim')</script> a eu lieu."],
    "questions/question-hostile": ["Question <script>alert('question')</script> ?",
                                   "Ce que l'on sait <img src=x onerror=alert('question-summary')>",
                                   "Hypothèse <script>alert('hypothesis')</script>",
                                   "Indicateur <svg onload=alert('indicator')>",
                                   "Affirmation de question <script>alert('question-claim')</script>"],
    "sources/source-hostile": ["Source <script>alert('source-title')</script>",
                               "Média \"><svg onload=alert('outlet')>",
                               "Plume <img src=x onerror=alert('source-author')>",
                               "Notes <script>alert('notes')</script>",
                               "<object data=\"javascript:alert('object')\"></object>",
                               # the source text, where each quoted passage is marked and numbered
                               "<script>alert(1)</script>", "<img src=x onerror=alert(2)>",
                               "\"><svg onload=alert(4)>", "[x](javascript:alert(3))",
                               "</textarea></pre></code><script>alert('close')</script>",
                               "{{ config }} {% raw %} ${alert('tpl')}"],
}
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcdoc", "background"}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The hostile dossier built, with its PDF, into a fresh folder."""
    site = tmp_path_factory.mktemp("hostile") / "site"
    result = run_dossier("build", "--dossiers", str(HOSTILE), "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def hostile_url(hostile_site) -> str:
    url, server = serve_folder(hostile_site)
    yield url
    server.shutdown()


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def dossier_pages(site: Path) -> list[str]:
    """Site-relative addresses of the site home and every page of the hostile dossier."""
    pages = [""]
    for path in sorted((site / DOSSIER).rglob("index.html")):
        pages.append(path.parent.relative_to(site).as_posix() + "/")
    return pages


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Scan(HTMLParser):
    """Elements and attributes as a browser would parse them (title and textarea hold text only)."""

    RAW_TEXT = ("title", "textarea")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts: list[tuple[dict, str, bool]] = []  # (attributes, content, inside article)
        self.article = 0
        self._raw: str | None = None
        self._script: dict | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self._raw is not None:
            return
        values = dict(attrs)
        for name, value in attrs:
            low = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>: event handler attribute")
            if name in URL_ATTRIBUTES and low.startswith(UNSAFE_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>: script URL")
        if tag in ("iframe", "object", "embed", "base", "frame", "frameset", "applet"):
            self.problems.append(f"<{tag} {values}>: element that must not come from dossier text")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.problems.append(f"<meta http-equiv=refresh {values}>")
        if tag == "article":
            self.article += 1
        if tag in self.RAW_TEXT:
            self._raw = tag
        if tag == "script":
            self._script, self._script_text = values, []

    def handle_endtag(self, tag):
        if self._raw is not None:
            if tag == self._raw:
                self._raw = None
            return
        if tag == "article":
            self.article -= 1
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text), self.article > 0))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script_text.append(data)


def scan(path: Path) -> _Scan:
    parser = _Scan()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def is_materials_script(attributes: dict, content: str) -> bool:
    """Material's own scripts: its bundle, its JSON configuration, its small inline bootstraps; and the
    project's own preview script, served from the site (``assets/dossier/dossier-preview.js``)."""
    src = attributes.get("src")
    if src is not None:
        return re.search(r"(^|/)assets/(javascripts/[\w.]+|dossier/dossier-preview)\.js$", src) is not None \
            and not content.strip()
    if attributes.get("id") == "__config" and attributes.get("type") == "application/json":
        return True
    return "alert" not in content and ("__md_" in content or "document." in content or "location" in content)


# -- the input is valid -------------------------------------------------------------------------


def test_hostile_dossier_is_valid():
    result = run_dossier("check", str(HOSTILE))
    assert result.returncode == 0, result.stderr
    assert "error:" not in result.stderr and "warning:" not in result.stderr, result.stderr


# -- the HTML, statically ---------------------------------------------------------------------


def test_every_entity_has_its_page(hostile_site):
    for address in VISIBLE:
        assert (hostile_site / DOSSIER / address / "index.html").is_file(), address


def test_no_script_url_event_handler_or_embedded_element_in_any_page(hostile_site):
    problems = []
    for path in html_files(hostile_site):
        problems += [f"{path.relative_to(hostile_site)}: {p}" for p in scan(path).problems]
    assert not problems, "\n".join(problems[:40])


def test_no_script_element_but_materials_own(hostile_site):
    problems = []
    for path in html_files(hostile_site):
        for attributes, content, in_article in scan(path).scripts:
            where = path.relative_to(hostile_site)
            if in_article:
                problems.append(f"{where}: <script> inside the article: {attributes} {content[:80]!r}")
            elif not is_materials_script(attributes, content):
                problems.append(f"{where}: foreign <script>: {attributes} {content[:80]!r}")
    assert not problems, "\n".join(problems[:40])


def test_no_raw_payload_in_article_markup(hostile_site):
    """Inside the content, every ``<`` of a payload is escaped."""
    for path in html_files(hostile_site / DOSSIER):
        markup = path.read_text(encoding="utf-8")
        article = markup.split("<article", 1)[1].split("</article>", 1)[0]
        for raw in ("<script", "<svg onload", "<img src=x", "<iframe", "<object", "<style", "<b onmouseover",
                    "<div onmouseover", "<p onclick", "javascript:alert"):
            if raw == "javascript:alert":
                assert not re.search(r"""(href|src)\s*=\s*["']?\s*javascript:""", article, re.IGNORECASE), path
            else:
                assert raw not in article, f"{path.relative_to(hostile_site)}: raw {raw!r} in the article"


def test_page_title_element_holds_the_title_as_text(hostile_site):
    """``<title>`` is text: a name holding ``</title>`` must not close it."""
    for path in html_files(hostile_site / DOSSIER):
        markup = path.read_text(encoding="utf-8")
        head = markup.split("</head>", 1)[0]
        assert head.count("</title>") == 1, f"{path.relative_to(hostile_site)}: the title element is broken out of"


# -- the pages, in a browser ------------------------------------------------------------------


def test_every_page_runs_nothing_and_shows_the_payloads_as_text(hostile_site, hostile_url, page):
    failures = []
    for address in dossier_pages(hostile_site):
        page.dialogs.clear(), page.console_errors.clear(), page.foreign_requests.clear()
        response = page.goto(hostile_url + address, wait_until="load")
        assert response is not None and response.status == 200, address
        page.wait_for_timeout(150)  # let Material's scripts run
        if page.dialogs:
            failures.append(f"{address or '/'}: dialogs fired: {page.dialogs}")
        if page.console_errors:
            failures.append(f"{address or '/'}: console errors: {page.console_errors}")
        if page.foreign_requests:
            failures.append(f"{address or '/'}: requests to other hosts: {page.foreign_requests}")
        key = address.removeprefix(f"{DOSSIER}/").rstrip("/")
        if address.startswith(DOSSIER) and key in VISIBLE:
            article = page.locator("article")
            # DOM text, and the rendered text (CSS may change its case, e.g. the marking)
            text, shown = fold(article.text_content()), fold(article.inner_text()).casefold()
            # prose gets print typography: its apostrophes are curled (quotes stay verbatim)
            text, shown = text.replace("’", "'"), shown.replace("’", "'")
            for payload in VISIBLE[key]:
                if fold(payload) not in text or fold(payload).casefold() not in shown:
                    failures.append(f"{address}: payload not shown as text: {payload!r}")
    assert not failures, "\n".join(failures)


def test_payload_is_found_as_text_by_the_browser(hostile_url, page):
    page.goto(hostile_url + f"{DOSSIER}/sources/source-hostile/", wait_until="load")
    assert page.locator("article").get_by_text("<script>alert(1)</script>", exact=False).count() >= 1
    assert page.locator("article").get_by_text("<img src=x onerror=alert(2)>", exact=False).count() >= 1
    assert page.locator("script:has-text('alert(1)')").count() == 0
    assert page.locator("img[src='x']").count() == 0 and page.locator("svg[onload]").count() == 0


def test_previews_show_the_payloads_as_text(hostile_url, page):
    """The previews' data (``previews.json``) and the citations they copy are written as text, never run."""
    page.goto(hostile_url + f"{DOSSIER}/", wait_until="load")
    links = page.locator(".md-content a.dossier-ref, .md-content a.dossier-cite")
    assert links.count() > 0
    for index in range(min(links.count(), 12)):
        links.nth(index).hover()
        page.wait_for_timeout(200)
    page.wait_for_selector("#dossier-preview:not([hidden])", timeout=5000)
    assert page.dialogs == [] and page.console_errors == []
    assert page.locator("#dossier-preview script, #dossier-preview img, #dossier-preview svg[onload]").count() == 0


def test_header_and_navigation_show_titles_as_text(hostile_url, page):
    """Titles outside the article (navigation, header, tab title) are text too, shown as written."""
    page.goto(hostile_url + f"{DOSSIER}/meetings/reunion-hostile/", wait_until="load")
    failures = []
    if page.title() != f"{MEETING} - Dossiers":
        failures.append(f"tab title is {page.title()!r}")
    topic = fold(page.locator(".md-header__topic").last.text_content())
    if topic != MEETING:
        failures.append(f"header shows {topic!r}")
    nav = fold(page.locator("nav.md-nav--primary").text_content())
    if TITLE not in nav:
        failures.append(f"navigation does not show the dossier title as text: {nav[:200]!r}")
    assert not failures, "\n".join(failures)


def test_header_title_is_the_page_heading(hostile_site):
    """The title in Material's header reads as the page's heading (no ``&#x27;`` shown to the reader)."""
    wrong = []
    for path in html_files(hostile_site / DOSSIER):
        markup = path.read_text(encoding="utf-8")
        topic = re.search(r'data-md-component="header-topic">\s*<span class="md-ellipsis">(.*?)</span>', markup, re.DOTALL)
        heading = re.search(r"<h1[^>]*>(.*?)<a class=\"headerlink\"", markup, re.DOTALL)
        if topic is None or heading is None:
            continue
        shown = fold(html.unescape(re.sub(r"<[^>]+>", "", topic.group(1))))
        expected = fold(html.unescape(re.sub(r"<[^>]+>", "", heading.group(1))))
        if shown != expected:
            wrong.append(f"{path.relative_to(hostile_site)}: header {shown!r} != heading {expected!r}")
    assert not wrong, "\n".join(wrong)


def test_search_results_run_nothing(hostile_url, page):
    page.goto(hostile_url + f"{DOSSIER}/", wait_until="load")
    page.wait_for_timeout(150)
    page.dialogs.clear(), page.console_errors.clear(), page.foreign_requests.clear()
    page.locator("input.md-search__input").click()
    page.keyboard.type("alert")
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    page.wait_for_timeout(300)
    assert page.dialogs == [], page.dialogs
    assert page.console_errors == [], page.console_errors
    assert page.foreign_requests == [], page.foreign_requests
    assert "<script>" in page.locator(".md-search-result").inner_text()


# -- the PDF ----------------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    """The PDF's text, hyphenation undone, all white space removed (line breaks fall anywhere).

    Typst maps its hyphen glyph to U+00AD SOFT HYPHEN in the font's ToUnicode table once it
    has hyphenated a word (typst/typst#6799; the real text is in /ActualText, which pypdf
    does not read), so a soft hyphen reads as a hyphen here.
    """
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)
    text = re.sub(r"\xad\s*\n", "", text).replace("\xad", "-")
    return re.sub(r"\s+", "", text.replace("\u2019", "'"))


def test_pdf_prints_the_payloads_literally(hostile_site):
    text = pdf_text(hostile_site / DOSSIER / f"{DOSSIER}.pdf")
    missing = []
    for payloads in VISIBLE.values():
        for payload in payloads:
            if re.sub(r"\s+", "", payload) not in text:
                missing.append(payload)
    assert "<script>alert(1)</script>" in text
    assert not missing, f"not printed literally: {missing}"


def test_pdf_has_no_script_and_no_script_link(hostile_site):
    reader = pypdf.PdfReader(str(hostile_site / DOSSIER / f"{DOSSIER}.pdf"))
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root or "/JS" not in str(root["/OpenAction"].get_object())
    assert "/JavaScript" not in str(root.get("/Names", {}))
    for number, pdf_page in enumerate(reader.pages, 1):
        for annotation in pdf_page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is None:
                continue
            action = action.get_object()
            assert action.get("/S") in ("/URI", "/GoTo"), (number, action)
            uri = str(action.get("/URI", ""))
            assert not uri.lower().startswith(UNSAFE_SCHEMES), (number, uri)
