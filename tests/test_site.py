"""The bundled dossiers built into a whole site, page by page (as pelican's test_pelican does)."""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.core.model import LINK_RE
from generator.core.typography import fix
from generator.pipeline.stages import prepare
from generator.render.html import keep_guillemets

from conftest import DOSSIER, ROOT, run_dossier


def read(site: Path, address: str) -> str:
    """The HTML of the page at *address* (a directory URL)."""
    return (site / address / "index.html").read_text(encoding="utf-8")


def text_of(markup: str) -> str:
    """Visible text, tags dropped, entities decoded, white space folded."""
    body = markup.split('<article', 1)[-1]
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_every_page_address_exists(built_site):
    d = built_site / DOSSIER
    for address in ["", "actors", "meetings", "questions", "sources", "timeline", "network",
                    "actors/wang-yi", "actors/nikolai-patrushev", "meetings/entretiens-malte-2023-09",
                    "questions/sort-de-qin-gang", "sources/wang-malte-2023-09-18", "sources/consultation-2023-09-18"]:
        assert (d / address / "index.html").is_file(), address
    assert (d / f"{DOSSIER}.pdf").read_bytes().startswith(b"%PDF-")
    assert not (ROOT / "docs" / DOSSIER).exists(), "generated pages must not be written into docs/"


def test_site_home_lists_the_dossier(built_site):
    page = text_of((built_site / "index.html").read_text(encoding="utf-8"))
    assert "Wang Yi en Russie au lendemain de Malte" in page
    assert "NON CLASSIFIÉ" in page and "18 septembre 2023" in page
    assert "24 acteurs" in page and "7 réunions" in page


def _open_questions() -> list[tuple[str, str]]:
    """(id, title with its ``[[links]]`` read as the names they show) of the bundled dossier's open questions."""
    (linked,), report = prepare(ROOT / "dossiers" / DOSSIER)
    assert not report.errors, report.lines()
    d = linked.dossier
    names = {**{a.id: a.name for a in d.actors.values()}, **{m.id: m.title for m in d.meetings.values()}}

    def shown(match: re.Match) -> str:
        return (match.group(2) or names[match.group(1).strip()]).strip()
    return sorted((q.id, LINK_RE.sub(shown, q.question)) for q in d.questions.values() if q.status == "open")


def test_dossier_home(built_site):
    markup = read(built_site, DOSSIER)
    page = text_of(markup)
    assert 'class="dossier-marking"' in markup and "NON CLASSIFIÉ" in page
    assert "Informations arrêtées au 18 septembre 2023" in page
    assert "L’essentiel" in page and "Jugements clés" in page and "Questions ouvertes" in page
    assert f'href="{DOSSIER}.pdf"' in markup
    assert re.search(r'<li id="kj-1" class="dossier-claim">.*?Confiance\u00a0: modérée', markup)
    section = markup.split('id="questions-ouvertes"', 1)[1].split("<h2", 1)[0]
    listed = re.findall(r'<a href="questions/([^"/]+)/">([^<]*)</a>', section)
    expected = [(id_, html.escape(fix(keep_guillemets(title), "fr"))) for id_, title in _open_questions()]
    assert sorted(listed) == expected, "each open question, by its title"
    assert "[[" not in page, "link markup leaked into the page"


def test_actor_page(built_site):
    markup = read(built_site, f"{DOSSIER}/actors/nikolai-patrushev")
    page = text_of(markup)
    assert "Nikolaï Patrouchev" in page and "Patrushev" in page
    assert "Secrétaire du Conseil de sécurité" in page
    assert 'href="../../meetings/consultation-securite-strategique-2023-09/"' in markup
    assert "Pages qui renvoient ici" in page
    assert 'href="../../meetings/entretiens-wang-patrouchev-2023-09-19/"' in markup


def test_meeting_page(built_site):
    markup = read(built_site, f"{DOSSIER}/meetings/entretiens-malte-2023-09")
    page = text_of(markup)
    assert "16–17 septembre 2023" in page and "Malte" in page and "Tenue" in page
    assert "Jake Sullivan — conseiller américain à la sécurité nationale" in page
    cites = [tag_ for tag_ in re.findall(r"<a [^>]+>", markup) if 'class="dossier-cite"' in tag_]
    assert cites, "claims must carry citation markers"
    href = re.search(r'href="([^"]+)"', cites[0]).group(1)
    title = re.search(r'aria-label="([^"]+)"', cites[0]).group(1)
    assert href.startswith("../../sources/") and "#q-" in href
    assert "fiabilité impossible à évaluer" in html.unescape(title)


def test_question_page(built_site):
    page = text_of(read(built_site, f"{DOSSIER}/questions/sort-de-qin-gang"))
    assert "Ouverte" in page and "Hypothèses" in page
    assert "(45–55 %)" in page, "the ICD 203 word comes with its probability range"
    assert "Indicateurs à surveiller" in page


def test_source_page_highlights_every_cited_passage(built_site):
    markup = read(built_site, f"{DOSSIER}/sources/consultation-2023-09-18")
    marks = re.findall(r'<mark id="(q-[0-9a-f]+)" class="dossier-passage"', markup)
    marks += re.findall(r'<span id="(q-[0-9a-f]+)" class="dossier-anchor"></span>', markup)
    listed = re.findall(r'<li id="passage-\d+" value="\d+"><a href="#(q-[0-9a-f]+)"', markup)
    assert marks and sorted(set(listed)) == sorted(set(marks))
    page = text_of(markup)
    assert "Part du texte citée" in page and "Cité par" in page
    assert "La Chine et la Russie tiennent depuis le 18 septembre" in page


def test_citations_point_to_passages_that_exist(built_site):
    markup = read(built_site, f"{DOSSIER}/actors/wang-yi")
    cites = [tag_ for tag_ in re.findall(r"<a [^>]+>", markup) if 'class="dossier-cite"' in tag_]
    assert len(cites) > 5
    for href in (re.search(r'href="([^"]+)"', tag_).group(1) for tag_ in cites):
        path, anchor = href.split("#")
        target = (built_site / f"{DOSSIER}/actors/wang-yi" / path / "index.html").resolve()
        text = target.read_text(encoding="utf-8")
        assert f'<mark id="{anchor}"' in text or f'<span id="{anchor}" class="dossier-anchor">' in text, href


def test_timeline_in_order_at_own_precision(built_site):
    markup = read(built_site, f"{DOSSIER}/timeline")
    dates = re.findall(r'<time datetime="([0-9-]+)"', markup)
    assert len(dates) > 10
    first_days = [dt.date.fromisoformat(d + "-01-01"[len(d) - 4:]) for d in dates]
    assert first_days == sorted(first_days), "items in the order of the first day their date allows"
    page = text_of(markup)
    assert "août 2023" in page and "octobre 2023" in page, "month-only dates read as the month"
    assert "<script" not in markup.split("<article", 1)[1].split("</article>")[0]


def test_network_is_inline_svg_with_links(built_site):
    markup = read(built_site, f"{DOSSIER}/network")
    assert "<svg" in markup and 'role="group"' in markup and 'aria-labelledby="net-title"' in markup
    assert 'href="../actors/wang-yi/"' in markup and 'href="../meetings/entretiens-malte-2023-09/"' in markup


def test_index_pages_are_tables(built_site):
    page = text_of(read(built_site, f"{DOSSIER}/actors"))
    assert "Sergueï Lavrov" in page or "Serguei Lavrov" in page
    assert "Personne" in page and "Organisation" in page and "État" in page
    sources = read(built_site, f"{DOSSIER}/sources")
    assert "F — fiabilité impossible à évaluer" in text_of(sources)


def test_nav_stays_small(built_site):
    markup = read(built_site, f"{DOSSIER}/actors/wang-yi")
    nav = markup.split('class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    assert nav.count("md-nav__link") < 40, "one nav entry per entity makes MkDocs quadratic"


def test_no_request_to_other_hosts(built_site):
    for path in built_site.rglob("*.html"):
        markup = path.read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', markup):
            assert "<link" not in url
        assert "fonts.googleapis" not in markup and "fonts.gstatic" not in markup, path
        for tag_ in re.findall(r"<(?:script|link|img)[^>]+(?:src|href)=\"https?://[^\"]+\"", markup):
            pytest.fail(f"{path}: loads from another host: {tag_}")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if "id" in values:
            self.ids.add(values["id"])
        if tag in ("a", "link") and values.get("href"):
            self.hrefs.append(values["href"])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_and_anchor_resolves(built_site):
    pages = {path: _parse(path) for path in built_site.rglob("*.html")}
    broken = []
    for path, parsed in pages.items():
        for href in parsed.hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            base = built_site if parts.path.startswith("/") else path.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(built_site)}: {href}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{path.relative_to(built_site)}: {href} (no such anchor)")
    assert not broken, "\n".join(broken[:20])


def test_mkdocs_build_gives_the_same_site(tmp_path, built_site):
    import subprocess
    import sys

    site = tmp_path / "mk"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for relative in ["index.html", f"{DOSSIER}/actors/wang-yi/index.html", f"{DOSSIER}/timeline/index.html",
                     f"{DOSSIER}/{DOSSIER}.pdf"]:
        assert (site / relative).read_bytes() == (built_site / relative).read_bytes(), relative


def test_two_builds_are_byte_identical(tmp_path, built_site):
    again = tmp_path / "again"
    result = run_dossier("build", "--site-dir", str(again))
    assert result.returncode == 0, result.stderr
    first = sorted(p.relative_to(built_site) for p in built_site.rglob("*") if p.is_file())
    second = sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert first == second
    different = [str(p) for p in first if (built_site / p).read_bytes() != (again / p).read_bytes()]
    assert not different, different[:10]


# -- polish: what a reader sees -------------------------------------------------

def article(markup: str) -> str:
    """The page's article markup (the generated content, no theme)."""
    return markup.split("<article", 1)[1].split("</article>", 1)[0]


def test_dates_carry_no_generated_separator(built_site):
    css = (built_site / "assets/dossier/dossier.css").read_text(encoding="utf-8")
    assert ".dossier-date::before" not in css and "font-size" not in css.split(".dossier-date {", 1)[1].split("}")[0]
    page = text_of(read(built_site, f"{DOSSIER}/meetings/entretiens-wang-patrouchev-2023-09-19"))
    assert "Discussions trilatérales avec des responsables mongols — 19–21 septembre 2023" in page
    assert "Réunions qui y font suite" in page and "Suivie de" not in page


def test_quotes_are_never_doubled(built_site):
    for address in (DOSSIER, f"{DOSSIER}/meetings/entretiens-wang-lavrov-2023-09",
                    f"{DOSSIER}/sources/consultation-2023-09-18"):
        markup = article(read(built_site, address))
        quotes = [html.unescape(q) for q in re.findall(r'<span class="dossier-quote">(.*?)</span>', markup)]
        assert quotes, address
        for quote in quotes:
            assert quote.startswith("«") and quote.endswith("»"), quote
            assert not re.search(r"«\s*«|»\s*»", quote), quote
            assert quote[1] in "\u202f\u00a0 " and quote[-2] in "\u202f\u00a0 ", "French spacing inside « »"
        assert "<q>" not in markup, "the browser would add its own quotation marks"
    home = article(read(built_site, DOSSIER))
    assert "«\u00a0notant la futilité" in html.unescape(home) and "««" not in html.unescape(home)


def test_source_calls_read_in_order_and_stand_together(built_site):
    for source in ("consultation-2023-09-18", "wang-malte-2023-09-18"):
        markup = article(read(built_site, f"{DOSSIER}/sources/{source}"))
        text = markup.split('class="dossier-source-text"', 1)[1]
        calls = [int(n) for n in re.findall(r'<sup class="dossier-passage-number"><a href="#passage-(\d+)">', text)]
        assert calls == sorted(calls) == list(range(1, len(calls) + 1)), source
        without_tags = re.sub(r"<(?!/?sup)[^>]+>", "", text)
        assert not re.search(r"</sup>[.,;:!?»\s\u00a0\u202f]+<sup", without_tags), "calls split by punctuation"


def test_source_cited_by_names_each_item_once(built_site):
    markup = article(read(built_site, f"{DOSSIER}/sources/wang-malte-2023-09-18"))
    for row in re.findall(r"Cité par (.*?)</li>", markup):
        names = re.findall(r">([^<]+)</a>", row)
        assert len(names) == len(set(names)), names


def test_source_text_header_and_notes(built_site):
    markup = article(read(built_site, f"{DOSSIER}/sources/wang-malte-2023-09-18"))
    assert '<p class="dossier-source-header">date 2023-09</p>' in markup
    first = re.search(r'<div class="dossier-para"><p>(.*?)</p>', markup).group(1)
    assert re.sub(r"<[^>]+>", "", first).startswith("Le plus haut responsable chinois")
    assert "<aside" not in markup, "notes beside the text are not landmarks"
    assert '<details class="dossier-note"><summary>Passages 1–3</summary>' in markup
    assert "Langue français" in text_of(markup)


def test_meetings_index_is_chronological_and_tables_are_materials(built_site):
    markup = article(read(built_site, f"{DOSSIER}/meetings"))
    dates = re.findall(r'<time datetime="([0-9-]+)"', markup)
    assert len(dates) == 7 and dates == sorted(dates)
    for folder in ("actors", "meetings", "questions", "sources"):
        assert '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="dossier-index">' \
            in read(built_site, f"{DOSSIER}/{folder}"), folder


def test_french_site_has_no_english_or_raw_labels(built_site):
    for path in built_site.rglob("*.html"):
        markup = path.read_text(encoding="utf-8")
        assert "Made with" not in markup and "Permanent link" not in markup, path
    not_found = (built_site / "404.html").read_text(encoding="utf-8")
    assert "<h1>Page introuvable</h1>" in not_found and "Not found" not in not_found
    assert 'role="dialog" aria-label="Rechercher"' in not_found


def test_actor_page_does_not_link_to_itself(built_site):
    markup = article(read(built_site, f"{DOSSIER}/actors/wang-yi"))
    assert '<strong class="dossier-self">Wang Yi</strong>' in markup
    assert 'href="./"' not in markup


def test_links_never_break_inside_guillemets(built_site):
    page = html.unescape(article(read(built_site, f"{DOSSIER}/meetings")))
    assert "Patrouchev sur la «\u00a0sécurité stratégique\u00a0»</a>" in page
