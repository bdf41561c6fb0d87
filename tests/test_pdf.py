"""The bundled dossier's PDF briefing, read back with pypdf."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
import yaml

from conftest import DOSSIER, ROOT, run_dossier

FOLDER = ROOT / "dossiers" / DOSSIER


@pytest.fixture(scope="module")
def pdf_path(built_site) -> Path:
    return built_site / DOSSIER / f"{DOSSIER}.pdf"


@pytest.fixture(scope="module")
def reader(pdf_path) -> pypdf.PdfReader:
    return pypdf.PdfReader(str(pdf_path))


@pytest.fixture(scope="module")
def full_text(reader) -> str:
    text = "\n".join(page.extract_text() for page in reader.pages)
    text = re.sub(r"-\n", "", text)  # words hyphenated at line ends
    return _fold(text)


def _fold(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u202f", " ").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text)


def _outline(reader, items=None, depth=0):
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            yield from _outline(reader, item, depth + 1)
        else:
            yield depth, item.title, reader.get_destination_page_number(item) + 1


def test_sections_in_order_as_bookmarks(reader):
    top = [title for depth, title, _ in _outline(reader) if depth == 0]
    wanted = ["L’essentiel", "Jugements clés", "Questions ouvertes", "Réunions", "Acteurs", "Chronologie", "Réseau", "Sources"]
    stripped = [re.sub(r"^\d+\s+", "", title) for title in top]
    assert [t for t in stripped if t in wanted] == wanted
    pages = [page for depth, _, page in _outline(reader) if depth == 0]
    assert pages == sorted(pages)
    actors = [title for depth, title, _ in _outline(reader) if depth == 1]
    assert any("Nikolaï Patrouchev" in t for t in actors)


def test_the_contents_leave_no_page_nearly_empty(reader):
    """The bundled contents fit on page 2 (their last entry once took page 3 alone), and the briefing
    starts right after them."""
    contents, first = reader.pages[1].extract_text(), reader.pages[2].extract_text()
    assert "Sommaire" in contents and "8.2 Le plus haut responsable chinois" in contents
    assert "1 L’essentiel\nEn bref." in first and "Sommaire" not in first


def test_marking_and_page_numbers_on_every_page(reader):
    total = len(reader.pages)
    assert total >= 15
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text()
        assert text.count("NON CLASSIFIÉ") >= 2, f"page {number}: marking at top and bottom"
        assert f"{number} / {total}" in text, f"page {number}: n / N"


def test_cover_and_metadata(reader):
    cover = reader.pages[0].extract_text()
    assert "Wang Yi en Russie au lendemain de" in cover and "18 septembre 2023" in cover
    meta = reader.metadata
    assert meta.title.startswith("Wang Yi en Russie")
    assert meta.author == "Équipe dossier"
    assert reader.trailer["/Root"].get("/Lang") in ("fr", "fr-FR")


def test_every_actor_is_named(full_text):
    for path in sorted((FOLDER / "actors").glob("*.yaml")):
        name = yaml.safe_load(path.read_text(encoding="utf-8"))["name"]
        assert _fold(name) in full_text, name


def test_footnotes_carry_the_quotes(full_text):
    for quote in ["sans confirmer si Vladimir Poutine y participera",
                  "On ne sait pas exactement ce qui est arrivé à Qin",
                  "n'a pas non plus été revu depuis environ trois semaines"]:
        assert _fold(quote) in full_text, quote
    assert "fiabilité impossible à évaluer" in full_text


def test_internal_links_jump_to_sections(reader):
    internal = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object()
            if action.get("/Subtype") == "/Link" and ("/Dest" in action or action.get("/A", {}).get("/S") == "/GoTo"):
                internal += 1
    assert internal > 50


def _claims_by_label(data: dict) -> dict[str, str]:
    """The plain text of every claim of the PDF data, by its label."""
    claims = list(data["key_judgments"])
    for kind in ("questions", "meetings", "actors"):
        for entity in data[kind]:
            claims += entity["claims"] + ([entity["answer"]] if entity.get("answer") else [])

    def plain(node) -> str:
        if isinstance(node, list):
            return "".join(plain(item) for item in node)
        return node.get("v", "") + plain(node.get("c", [])) if isinstance(node, dict) else ""

    return {claim["label"]: _fold(plain(claim["text"])) for claim in claims}


def test_links_to_claims_jump_to_the_claim_and_name_its_section(reader):
    """A fact printed elsewhere links to the claim itself: its page, and a name that says where it stands."""
    from generator.pdf.data import pdf_data
    from generator.pipeline.stages import prepare

    (linked,), _ = prepare(FOLDER)
    data = pdf_data(linked)
    claims = _claims_by_label(data)
    targets = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    texts = [_fold(re.sub(r"-\n", "", page.extract_text())) for page in reader.pages]
    links = [annotation.get_object() for page in reader.pages for annotation in page.get("/Annots") or []]
    to_claims = [link for link in links if str(link.get("/Dest", "")).startswith("fact-")]
    assert len(to_claims) > 20
    for link in to_claims:
        name = str(link["/Dest"])
        start = claims[name][:40]
        page = targets[name]
        assert start in texts[page] or start in texts[page + 1], (name, page + 1)
        assert re.fullmatch(r"Fait \d+(\.\d+)?", str(link["/Contents"])), link["/Contents"]
    # the timeline's claims among them, linked from the timeline's pages
    timeline = {x["target"] for row in data["timeline"] for x in row["text"]
                if x.get("t") == "ref" and x["target"].startswith("fact-")}
    tops = [(title, page) for depth, title, page in _outline(reader) if depth == 0]
    at = next(index for index, (title, _) in enumerate(tops) if title.endswith("Chronologie"))
    on_timeline = {str(annotation.get_object().get("/Dest")) for number in range(tops[at][1] - 1, tops[at + 1][1] - 1)
                   for annotation in reader.pages[number].get("/Annots") or []}
    assert len(timeline) > 10 and timeline <= on_timeline


def test_text_is_selectable_french(full_text):
    assert "Informations arrêtées au 18 septembre 2023" in full_text
    assert "Sommaire" in full_text
    assert "confiance élevée" in full_text and "confiance faible" in full_text  # a tag says what it grades
    assert "Langue français" in full_text.replace("\u00a0", " ")  # the sources annex names the language


def test_pdf_command_matches_the_site_pdf(tmp_path, pdf_path):
    out = tmp_path / "briefing.pdf"
    result = run_dossier("pdf", f"dossiers/{DOSSIER}", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == pdf_path.read_bytes(), "same model, same bytes"
    again = tmp_path / "again.pdf"
    assert run_dossier("pdf", f"dossiers/{DOSSIER}", "-o", str(again)).returncode == 0
    assert again.read_bytes() == out.read_bytes()


def _with_chinese_alias(tmp_path: Path) -> Path:
    folder = tmp_path / DOSSIER
    shutil.copytree(FOLDER, folder)
    actor = folder / "actors" / "wang-yi.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace("aliases:\n", "aliases:\n  - 王毅\n", 1), encoding="utf-8")
    return folder


def test_the_font_check_runs_beside_typst_and_reports_first(tmp_path):
    """checked_pdf looks for characters the fonts lack on a thread of its own while Typst typesets
    (Typst releases the interpreter), and hands the warnings over before it returns the PDF."""
    import threading

    from generator.pdf.briefing import checked_pdf, dossier_pdf
    from generator.pipeline.stages import prepare

    (linked,), _ = prepare(_with_chinese_alias(tmp_path))
    calls = []
    pdf = checked_pdf(linked, (), lambda report: calls.append((threading.current_thread().name, report.lines())))
    assert len(calls) == 1
    thread, lines = calls[0]
    assert thread == "dossier-font-check"
    assert len(lines) == 1 and "actors/wang-yi.yaml:" in lines[0] and "`王毅` has characters the PDF's fonts lack" in lines[0]
    assert pdf == dossier_pdf(linked)  # the same PDF as without the check


def test_a_failing_font_check_fails_the_pdf(tmp_path, monkeypatch):
    from generator.pdf import briefing as build
    from generator.pipeline.stages import prepare

    (linked,), _ = prepare(FOLDER)

    def broken(*args):
        raise OSError("disk gone")

    monkeypatch.setattr(build, "font_warnings", broken)
    with pytest.raises(OSError, match="disk gone"):
        build.checked_pdf(linked, (), lambda report: None)


def test_pdf_command_usage_errors(tmp_path):
    result = run_dossier("pdf", "no-such-folder", "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 2 and "no such folder" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.skipif(shutil.which("pdftoppm") is None and os.environ.get("CI") != "true",
                    reason="poppler-utils is not installed (CI installs it)")
def test_pages_render_to_images(tmp_path, pdf_path):
    subprocess.run(["pdftoppm", "-r", "20", "-png", "-f", "1", "-l", "3", str(pdf_path), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == 3 and all(image.stat().st_size > 1000 for image in images)


def test_timeline_columns_are_all_labelled(reader):
    pages = [page.extract_text() for page in reader.pages]
    timeline = next(text for text in pages if "Chronologie\nDate" in text or "\n6 Chronologie\n" in text)
    assert "Date Type Événement" in timeline  # the third column (what happened) has its heading too


def _timeline_dossier(folder: Path, facts: int) -> Path:
    """A dossier whose timeline takes two pages and a few rows, before the network's landscape page."""
    for name, text in {
        "dossier.yaml": "title: Many facts\nas_of: 2023-12-31\nlanguage: en\nsummary: Many dated facts.\n",
        "sources/wire.txt": "Amy met Ben in Valletta. They talked for two days.\n",
        "sources/wire.yaml": "title: Wire\npublished: 2023-01-01\n",
        "actors/amy.yaml": "name: Amy\nkind: person\nclaims:\n" + "".join(
            f"  - text: Amy met Ben, item {i}, and they talked for two days about many things of interest.\n"
            f"    date: 2023-01-{i % 28 + 1:02d}\n    cite:\n      - wire: Amy met Ben\n" for i in range(facts)),
        "actors/ben.yaml": "name: Ben\nkind: person\n",
        "actors/cy.yaml": "name: Cy Long-Named Organisation of Things\nkind: organisation\n",
        "meetings/talks.yaml": "title: Valletta talks\ndate: 2022-12-01\nparticipants: [amy, ben, cy]\n",
    }.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_timeline_leaves_no_page_of_a_few_rows_before_the_network(tmp_path):
    """44 facts once filled two pages and put three rows alone on a third, before the landscape network page:
    the timeline is then set a little tighter, on two pages."""
    folder = _timeline_dossier(tmp_path / "timeline", 44)
    result = run_dossier("pdf", str(folder), "-o", str(tmp_path / "t.pdf"))
    assert result.returncode == 0, result.stderr
    pages = pypdf.PdfReader(str(tmp_path / "t.pdf")).pages
    rows = [len(re.findall(r"Amy met Ben, item \d+, and", " ".join((p.extract_text() or "").split()))) for p in pages]
    landscape = [i for i, p in enumerate(pages) if float(p.mediabox.width) > float(p.mediabox.height)]
    assert len(landscape) == 1, "the network has its landscape page"
    timeline = [i for i in range(landscape[0]) if rows[i] and "Timeline" in (pages[i].extract_text() or "")]
    assert [rows[i] for i in timeline][-1] > 10 and sum(rows[i] for i in timeline) == 44, rows
    assert len(timeline) == 2, (timeline, rows)
