"""What a reader sees of the tradecraft: single-source marks, the sourcing summary, key assumptions, likelihoods
against the matrix, on the site and in the PDF (the dossier of :mod:`tradecraft_helper`)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from tradecraft_helper import write_tradecraft

from conftest import run_dossier


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tradecraft")
    write_tradecraft(root / "dossiers" / "essai")
    site = root / "site"
    result = run_dossier("build", "--site-dir", str(site), "--dossiers", str(root / "dossiers"))
    assert result.returncode == 0, result.stderr
    return site


class _Page(HTMLParser):
    """Every element's id, and each link's address and text, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"])
        if tag == "a":
            self._href, self._text = found.get("href"), ""

    def handle_data(self, data):
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href.removeprefix("./"), " ".join(self._text.split())))
            self._href = None


def _read(site: Path, page: str) -> tuple[str, _Page]:
    html = (site / "essai" / page).read_text(encoding="utf-8")
    parsed = _Page()
    parsed.feed(html)
    return html, parsed


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u202f", " ").replace("\u00a0", " ")


def test_single_source_claims_are_marked(site):
    html, _ = _read(site, "index.html")
    judgments = html[html.index('id="jugements-cles"'):html.index('id="postulats-cles"')]
    marked = re.findall(r'<li id="(kj-\d)"(?:(?!</li>).)*dossier-single-source', judgments, re.DOTALL)
    assert marked == ["kj-1", "kj-3", "kj-4"]  # kj-2 has two independent sources


def test_the_home_page_sums_up_the_sourcing_each_count_opening_its_claims(site):
    html, page = _read(site, "index.html")
    section = _text(html[html.index('id="etayage-des-faits"'):html.index('id="passages-cites"')])
    for group in ("3 faits — une seule source", "1 fait — deux sources", "1 fait — B — habituellement fiable",
                  "3 faits — F — fiabilité impossible à évaluer"):
        assert group in section
    one = html[html.index('id="sourcing-one"'):]
    one = one[:one.index("</details>")]
    assert re.findall(r'href="(?:\./)?#(kj-\d)"', one) == ["kj-1", "kj-3", "kj-4"]
    assert {"kj-1", "kj-3", "kj-4", "sourcing-one", "sourcing-two", "sourcing-grade-b", "sourcing-grade-f"} <= page.ids


def test_key_assumptions_link_both_ways(site):
    html, page = _read(site, "index.html")
    assert "assumption-ministere-russe" in page.ids
    assert ("#kj-3", "Jugements clés 3") in page.links
    rests = [text for href, text in page.links if href == "#assumption-ministere-russe"]
    assert rests == ["« Le ministère » de la dépêche est le ministère russe des […]"]
    text = _text(html)
    assert "Serait démenti si : Un communiqué chinois reprend la même phrase." in text


def test_the_question_page_says_the_words_and_the_matrix_disagree(site):
    html, _ = _read(site, "questions/issue/index.html")
    start = html.index('<div class="dossier-matrix-disagreement" role="note">')
    note = _text(html[start:html.index("</div>", start)]).strip()
    assert note == ("Les probabilités ne suivent pas la matrice : H1 (très probable (80–95 %)) est jugée plus probable "
                    "que H2 (probable (55–80 %)), alors que la matrice montre plus d’éléments contraires (2 contre 0).")
    second, _ = _read(site, "questions/second/index.html")
    assert "dossier-matrix-disagreement" not in second


def test_the_pdf_carries_the_sourcing_summary_the_marks_and_the_assumptions(site):
    reader = pypdf.PdfReader(str(site / "essai" / "essai.pdf"))
    text = " ".join(re.sub(r"\s+", " ", p.extract_text()).replace("\u202f", " ").replace("\u00a0", " ")
                    for p in reader.pages)
    assert text.count("source unique") == 3
    for expected in ("Étayage des faits", "3 faits — une seule source", "1 fait — deux sources",
                     "Jugements clés 1, 3, 4", "Postulats clés", "Reposent sur lui : Jugements clés 3",
                     "Les probabilités ne suivent pas la matrice : H1 (très probable (80–95 %))"):
        assert expected in text, expected
    page = next(p for p in reader.pages if "Jugements clés" in p.extract_text() and "Postulats clés" in p.extract_text())
    found = re.sub(r"\s+", " ", page.extract_text())
    assert found.index("Jugements clés") < found.index("Postulats clés") < found.index("Étayage des faits")


def test_the_question_says_its_hypotheses_exclude_each_other_and_cover_every_case(site):
    html, _ = _read(site, "questions/issue/index.html")
    assert "<dt>Hypothèses</dt><dd>mutuellement exclusives et exhaustives</dd>" in html
    reader = pypdf.PdfReader(str(site / "essai" / "essai.pdf"))
    assert any("Hypothèses mutuellement exclusives et exhaustives" in re.sub(r"\s+", " ", p.extract_text())
               for p in reader.pages)
