"""The library: entities known across dossiers (``same_as``, ``wikidata``, ``[[dossier-id:id]]``),
checked across the dossiers, and the pages, links and export that come of them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.exchange.diff import diff
from generator.exchange.export import export, export_json, parse_export
from generator.pipeline.stages import prepare, site_pages

from conftest import DOSSIER, ROOT

EN = "putin-wang-yi-2023-09-20"
"""The second bundled dossier, in English, which declares its identities with the French one."""


def check_lines(path: Path, cwd: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", str(path.relative_to(cwd))], catch_exceptions=False)
    return result.exit_code, result.stderr.splitlines()


@pytest.fixture
def library(tmp_path, monkeypatch) -> Path:
    """A copy of the bundled dossiers, in a folder of its own; the working directory is its parent."""
    folder = tmp_path / "lib"
    shutil.copytree(ROOT / "dossiers", folder)
    monkeypatch.chdir(tmp_path)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_cross_dossier_errors_are_located_with_a_suggestion(library):
    en = library / EN
    edit(en / "actors/vladimir-putin.yaml", f"{DOSSIER}:vladimir-putin", "wang-yi-russie-2023-9:vladimir-putin")
    edit(en / "actors/wang-yi.yaml", f"{DOSSIER}:wang-yi", f"{DOSSIER}:wang-yl")
    edit(en / "actors/china.yaml", f"{DOSSIER}:chine", f"{DOSSIER}:entretiens-malte-2023-09")
    edit(en / "actors/russia.yaml", f"{DOSSIER}:russie", f"{EN}:china")
    edit(en / "dossier.yaml", f"[[{DOSSIER}:consultation-", f"[[{DOSSIER}:consultaton-")
    code, lines = check_lines(library, library.parent)
    assert code == 1
    assert lines == [
        f"lib/{EN}/actors/china.yaml:6:5: error: `{DOSSIER}:entretiens-malte-2023-09` is a meeting, not an actor",
        f"lib/{EN}/actors/russia.yaml:4:5: error: `same_as` names `{EN}:china`, of this entity's own dossier: "
        "a dossier has one file per entity (link to it with `[[china]]`)",
        f"lib/{EN}/actors/vladimir-putin.yaml:5:5: error: unknown dossier `wang-yi-russie-2023-9` in `same_as`; "
        f"did you mean `{DOSSIER}`?",
        f"lib/{EN}/actors/wang-yi.yaml:5:5: error: unknown id `wang-yl` in dossier `{DOSSIER}`; "
        f"did you mean `{DOSSIER}:wang-yi`?",
        f"lib/{EN}/dossier.yaml:17:18: error: unknown id `consultaton-securite-strategique-2023-09` in dossier "
        f"`{DOSSIER}`; did you mean `{DOSSIER}:consultation-securite-strategique-2023-09`?",
        "5 errors, 0 warnings",
    ]
    assert (en / "dossier.yaml").read_text(encoding="utf-8").splitlines()[16][17:].startswith(f"[[{DOSSIER}:consultaton")


def test_a_dossier_checked_alone_resolves_against_the_dossiers_beside_it(library):
    code, lines = check_lines(library / EN, library.parent)
    assert (code, lines[-2:]) == (0, ["0 errors, 0 warnings", "checked 1 dossier: 12 entities"])
    edit(library / EN / "actors/wang-yi.yaml", f"{DOSSIER}:wang-yi", f"{DOSSIER}:wang-yl")
    _, lines = check_lines(library / EN, library.parent)
    assert lines[0] == (f"lib/{EN}/actors/wang-yi.yaml:5:5: error: unknown id `wang-yl` in dossier `{DOSSIER}`; "
                        f"did you mean `{DOSSIER}:wang-yi`?")
    # Only file names of the sibling are read: its content is not checked, and its problems are not told.
    edit(library / DOSSIER / "actors/wang-yi.yaml", "name: Wang Yi", "name: [")
    code, lines = check_lines(library / EN, library.parent)
    assert code == 1 and len(lines) == 2 and "wang-yl" in lines[0]
    shutil.move(library / DOSSIER, library.parent / DOSSIER)  # no longer beside it
    _, lines = check_lines(library / EN, library.parent)
    assert f"lib/{EN}/actors/wang-yi.yaml:5:5: error: unknown dossier `{DOSSIER}` in `same_as`; did you mean `{EN}`?" in lines


def test_one_dossier_cannot_hold_an_entity_twice_nor_one_entity_two_wikidata_items(library):
    edit(library / EN / "actors/xi-jinping.yaml", f"{DOSSIER}:xi-jinping", f"{DOSSIER}:wang-yi")
    (library / EN / "actors/russia.yaml").write_text(
        (library / EN / "actors/russia.yaml").read_text(encoding="utf-8") + "wikidata: Q159\n", encoding="utf-8")
    edit(library / DOSSIER / "actors/russie.yaml", "kind: state\n", "kind: state\nwikidata: Q148\n")
    code, lines = check_lines(library, library.parent)
    assert code == 1
    assert lines == [
        f"lib/{EN}/actors/xi-jinping.yaml:5:5: error: this makes `{EN}:wang-yi` and `{EN}:xi-jinping` one entity "
        "(through `same_as` or `wikidata`): a dossier has one file per entity",
        f"lib/{DOSSIER}/actors/russie.yaml:3:11: error: this makes Wikidata's `Q148` and `Q159` one entity: "
        "an entity has one Wikidata item",
        "2 errors, 0 warnings",
    ]


def test_malformed_identities_are_field_errors(library):
    edit(library / EN / "actors/china.yaml", f"  - {DOSSIER}:chine", "  - chine")
    edit(library / EN / "actors/russia.yaml", "kind: state\n", "kind: state\nwikidata: 159\n")
    code, lines = check_lines(library, library.parent)
    assert code == 1
    assert lines == [
        f"lib/{EN}/actors/china.yaml:6:5: error: `chine` is not `dossier-id:entity-id` (e.g. `wang-yi-russie-2023-09:wang-yi`)",
        f"lib/{EN}/actors/russia.yaml:3:11: error: expected a Wikidata identifier (`Q` and digits, e.g. `Q22710`), "
        "found a number",
        "2 errors, 0 warnings",
    ]


def _three_dossiers(tmp_path: Path) -> Path:
    """a says same_as b, c says same_as b: one actor in three dossiers; d shares a Wikidata item with c."""
    root = tmp_path / "three"
    for name, as_of, extra in [("a", "2023-01-01", "same_as: [b:x]\n"), ("b", "2023-02-01", ""),
                               ("c", "2023-03-01", "same_as: [b:x]\nwikidata: Q42\n"), ("d", "2022-12-01", "wikidata: Q42\n")]:
        (root / name / "actors").mkdir(parents=True)
        (root / name / "dossier.yaml").write_text(f"title: Dossier {name.upper()}\nas_of: {as_of}\nlanguage: en\n"
                                                  f"summary: About [[x]]. Second sentence.\n", encoding="utf-8")
        (root / name / "actors/x.yaml").write_text(f"name: X of {name}\nkind: person\n{extra}", encoding="utf-8")
    return root


def test_identity_is_symmetric_and_transitive(tmp_path):
    linked, report = prepare(_three_dossiers(tmp_path))
    assert report.lines() == []
    library = linked[0].library
    assert [(i.folder, i.key, i.members, i.wikidata) for i in library.identities] == [
        ("actors", "x", [("c", "x"), ("b", "x"), ("a", "x"), ("d", "x")], "Q42")]
    assert all(one.library is library for one in linked)
    page = next(p for p in site_pages(linked, pdf=False, site_lang="en") if p.src_uri == "library/actors/x.md")
    assert page.title == "X of c"  # the newest dossier's name
    assert ('<dt>Names</dt><dd>X of c, X of b, X of a, X of d</dd><dt>Wikidata</dt><dd><a '
            'href="https://www.wikidata.org/wiki/Q42" rel="noopener noreferrer">Q42</a></dd>') in page.markdown
    data = export(linked[1])  # b declares nothing: the others' declarations name it
    assert [(i.entity.id, i.same_as, i.wikidata, i.library_page) for i in data.identities] == [
        ("x", ["c:x", "a:x", "d:x"], "Q42", "library/actors/x.md")]


def test_a_library_of_one_dossier_has_no_library_pages(tmp_path):
    root = _three_dossiers(tmp_path)
    linked, _ = prepare(root / "b")
    pages = site_pages(linked, pdf=False)
    assert [p.src_uri for p in pages if p.src_uri.startswith("library/")] == []
    assert "dossier-also-in" not in next(p for p in pages if p.src_uri == "b/actors/x.md").markdown
    assert export(linked[0]).identities == []


@pytest.fixture(scope="module")
def bundled():
    linked, report = prepare(ROOT / "dossiers")
    assert report.lines() == []
    return linked, {page.src_uri: page for page in site_pages(linked, pdf=True)}


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_library_page_gathers_each_dossier_newest_first(bundled):
    _, pages = bundled
    page = pages["library/actors/wang-yi.md"]
    assert page.url == "library/actors/wang-yi/" and page.title == "Wang Yi"
    headings = re.findall(r"^## (.+)$", page.markdown, re.MULTILINE)
    assert headings == [r"Putin receives Wang Yi in St Petersburg \(20 September 2023\)",
                        r"Wang Yi en Russie au lendemain de Malte \(18–21 septembre 2023\)"]
    english, french = page.markdown.split("\n## ")[1:]
    assert '<div lang="en" class="dossier-library-entry">' in english
    assert '<div lang="fr" class="dossier-library-entry">' in french
    assert f'href="../../../{EN}/actors/wang-yi/"' in english and f'href="../../../{DOSSIER}/actors/wang-yi/"' in french
    assert "Foreign Minister of" in _text(english) and "Ministre des Affaires étrangères de la" in _text(french)
    assert "<h3>Roles</h3>" in english and "<h3>Fonctions</h3>" in french
    assert "Director of the Office of the Foreign Affairs Commission of the CPC Central Committee" in english
    assert "had then come to Russia to prepare the visit of" in _text(english)  # a claim on the actor
    assert "had a conversation with" in _text(english)  # a fact about it recorded elsewhere (a key judgment)
    assert "<h3>Open questions</h3>" in english and f'href="../../../{EN}/questions/rest-of-conversation/"' in english
    assert "<h3>Questions ouvertes</h3>" in french and "sort-de-qin-gang" in french
    assert "Noms</dt><dd>Wang Yi, Wang</dd>" in page.markdown
    ids = re.findall(r' id="([^"]+)"', page.markdown)
    assert len(ids) == len(set(ids)), "one part per dossier, no id twice"


def test_the_library_index_and_nav(bundled):
    linked, pages = bundled
    index = pages["library/index.md"]
    assert index.title == "Bibliothèque"
    assert '<li><a href="actors/china/">China</a> — <a href="../putin-wang-yi-2023-09-20/actors/china/" hreflang="en">' in index.markdown
    names = re.findall(r'<li><a href="[^"]+">([^<]+)</a> — ', index.markdown)
    assert names == ["China", "Communist Party of China", "Security Council of Russia", "Nikolai Patrushev",
                     "Russia", "Vladimir Putin", "Wang Yi", "Xi Jinping"]
    from generator.pipeline.stages import site_nav

    assert site_nav(linked)[-1] == {"Bibliothèque": "library/index.md"}


def test_also_in_links_both_ways(bundled):
    _, pages = bundled
    french = pages[f"{DOSSIER}/actors/nikolai-patrushev.md"].markdown
    assert (f'<p class="dossier-also-in">Aussi dans\u00a0: <a href="../../../{EN}/actors/nikolai-patrushev/" hreflang="en">'
            "Putin receives Wang Yi in St Petersburg (20 September 2023)</a> · "
            '<a href="../../../library/actors/nikolai-patrushev/">page de la bibliothèque</a></p>') in french
    english = pages[f"{EN}/actors/china.md"].markdown
    assert (f'<p class="dossier-also-in">Also in: <a href="../../../{DOSSIER}/actors/chine/" hreflang="fr">'
            "Wang Yi en Russie au lendemain de Malte (18–21 septembre 2023)</a> · "
            '<a href="../../../library/actors/china/">library page</a></p>') in english
    assert "dossier-also-in" not in pages[f"{EN}/actors/zhang-hanhui.md"].markdown  # known in one dossier only


def test_a_cross_dossier_link_leads_to_the_other_dossiers_page(bundled):
    _, pages = bundled
    home = pages[f"{EN}/index.md"].markdown
    assert (f'<a class="dossier-ref" data-target="" href="../{DOSSIER}/meetings/consultation-securite-strategique-2023-09/">'
            "on the strategic security consultation</a>") in home


def test_the_home_lists_every_dossier_newest_first(bundled):
    linked, pages = bundled
    french_open = sum(q.status == "open" for one in linked if one.dossier.id == DOSSIER
                      for q in one.dossier.questions.values())
    home = pages["index.md"].markdown
    cards = re.findall(r'<li class="dossier-card">(.*?)</li>', home)
    assert len(cards) == 2
    english, french = (_text(card) for card in cards)
    assert english.startswith("Putin receives Wang Yi in St Petersburg (20 September 2023) UNCLASSIFIED "
                              "Informations arrêtées au 20 septembre 2023 · 1 question ouverte · "
                              "1 réunion, 9 acteurs, 1 source ")  # one of a kind is singular
    assert english.endswith("On 20 September 2023 Vladimir Putin had a conversation with Wang Yi at the Constantine "
                            "Palace in St Petersburg (Putin’s conversation with Wang Yi in St Petersburg), with "
                            "Nikolai Patrushev and the Chinese ambassador Zhang Hanhui attending.")
    assert french.startswith("Wang Yi en Russie au lendemain de Malte (18–21 septembre 2023) NON CLASSIFIÉ "
                             f"Informations arrêtées au 18 septembre 2023 · {french_open} questions ouvertes · ")
    assert french.endswith("à l’invitation de Nikolaï Patrouchev, secrétaire du Conseil de sécurité russe.")
    assert 'class="dossier-card-summary" lang="en"' in cards[0]
    assert '<a href="library/">Bibliothèque</a> — 8 entités connues de plusieurs dossiers' in home


def test_the_pdf_shows_a_cross_dossier_link_as_the_entitys_name(bundled):
    from generator.pdf.data import pdf_data

    linked, _ = bundled
    data = json.dumps(pdf_data(next(one for one in linked if one.dossier.id == EN)), ensure_ascii=False)
    assert "on the strategic security consultation" in data
    assert f"{DOSSIER}:consultation" not in data


def test_the_export_names_identities_and_old_exports_still_load(bundled):
    linked, _ = bundled
    french = next(one for one in linked if one.dossier.id == DOSSIER)
    data = json.loads(export_json(french))
    assert [(i["entity"]["id"], i["same_as"], i["library_page"]) for i in data["identities"]][:3] == [
        ("chine", [f"{EN}:china"], "library/actors/china.md"),
        ("conseil-securite-russie", [f"{EN}:security-council-of-russia"], "library/actors/conseil-securite-russie.md"),
        ("nikolai-patrushev", [f"{EN}:nikolai-patrushev"], "library/actors/nikolai-patrushev.md")]
    old = dict(data)
    del old["identities"]  # an export written before identities existed
    before = parse_export(old)
    assert before.identities == [] and diff(before, parse_export(data)) == []


def test_a_title_with_a_cross_dossier_link_shows_the_other_entitys_name(library):
    question = library / EN / "questions/rest-of-conversation.yaml"
    edit(question, "and [[wang-yi]] say", f"and [[{DOSSIER}:wang-yi]] say")
    linked, report = prepare(library)
    assert report.lines() == []
    english = next(one for one in linked if one.dossier.id == EN)
    assert english.title("rest-of-conversation") == "What did Vladimir Putin and Wang Yi say in the rest of their conversation?"
    pages = {page.src_uri: page for page in site_pages(linked, pdf=False)}
    assert pages[f"{EN}/questions/rest-of-conversation.md"].title.startswith("What did Vladimir Putin and Wang Yi say")


def test_meetings_and_sources_have_library_pages_too(tmp_path):
    root = tmp_path / "two"
    for name, extra in [("a", "same_as: [b:talks]\n"), ("b", "")]:
        for folder in ("meetings", "sources"):
            (root / name / folder).mkdir(parents=True)
        (root / name / "dossier.yaml").write_text(f"title: Dossier {name}\nas_of: 2023-0{ord(name) - 96}-01\n"
                                                  "language: en\nsummary: Talks.\n", encoding="utf-8")
        (root / name / "meetings/talks.yaml").write_text(f"title: Talks in {name}\ndate: 2023-01-01\n{extra}"
                                                         "summary: Held ; not in Paris.\n", encoding="utf-8")
        (root / name / "sources/readout.yaml").write_text(
            f"title: Readout\npublished: 2023-01-01\n{extra.replace('talks', 'readout')}", encoding="utf-8")
        (root / name / "sources/readout.txt").write_text("The talks were held.\n", encoding="utf-8")
    linked, report = prepare(root)
    assert report.lines() == []
    pages = {page.src_uri: page for page in site_pages(linked, pdf=False, site_lang="fr")}
    meeting = pages["library/meetings/talks.md"]
    assert meeting.title == "Talks in b"  # the newest dossier's name
    assert re.findall(r"^## (.+)$", meeting.markdown, re.MULTILINE) == ["Dossier b", "Dossier a"]
    assert meeting.markdown.count("Held ; not in Paris.") == 2  # English typography on a French site's page
    assert "library/sources/readout.md" in pages
    assert '<a href="../../../library/meetings/talks/">library page</a>' in pages["a/meetings/talks.md"].markdown
    assert '<a href="../../../library/sources/readout/">library page</a>' in pages["b/sources/readout.md"].markdown
    index = pages["library/index.md"].markdown
    assert index.index("## Réunions") < index.index("## Sources")


def test_a_dossier_alone_in_an_unreadable_folder_reports_unknown_dossiers(tmp_path, monkeypatch):
    from generator.core import library

    root = _three_dossiers(tmp_path)

    def refuse(*args, **kwargs):
        raise PermissionError("no listing here")

    monkeypatch.setattr(library, "find_dossiers", refuse)
    linked, report = prepare(root / "a")
    assert linked == [] and report.lines() == [
        f"{root / 'a'}/actors/x.yaml:3:11: error: unknown dossier `b` in `same_as`"]


def test_a_dossier_exported_alone_names_what_it_declares(tmp_path):
    result = CliRunner().invoke(main, ["export", str(ROOT / "dossiers" / EN)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    identities = json.loads(result.stdout)["identities"]
    assert [(i["entity"]["id"], i["same_as"], i["library_page"]) for i in identities][:2] == [
        ("china", [f"{DOSSIER}:chine"], None), ("communist-party-of-china", [f"{DOSSIER}:parti-communiste-chinois"], None)]
    assert "zhang-hanhui" not in {i["entity"]["id"] for i in identities}
    french = CliRunner().invoke(main, ["export", str(ROOT / "dossiers" / DOSSIER)], catch_exceptions=False)
    assert json.loads(french.stdout)["identities"] == []  # it declares nothing: only the library knows


def test_an_entity_known_only_by_its_wikidata_item_is_exported_with_it(tmp_path):
    root = _three_dossiers(tmp_path)
    linked, _ = prepare(root / "d")
    assert [(i.entity.id, i.same_as, i.wikidata, i.library_page) for i in export(linked[0]).identities] == [
        ("x", [], "Q42", None)]


def test_another_engine_is_told_every_language_of_the_library(bundled):
    from generator.publish.engines import search_languages

    linked, _ = bundled
    assert search_languages(["search", "tags"], linked, "fr") == [{"search": {"lang": ["fr", "en"]}}, "tags"]
    assert search_languages([{"search": {"lang": "fr", "separator": " "}}], linked, "fr") == [
        {"search": {"lang": ["fr", "en"], "separator": " "}}]
    assert search_languages({"search": {"lang": ["en", "fr"]}}, linked, "fr") == {"search": {"lang": ["en", "fr"]}}
    assert search_languages(["search"], linked[1:], "fr") == ["search"]  # one French dossier: nothing to add


def test_what_a_dossier_shows_of_the_library_changes_with_the_other_dossiers(library):
    from generator.core.library import signature

    def english() -> tuple:
        linked, report = prepare(library)
        assert report.lines() == []
        return signature(next(one for one in linked if one.dossier.id == EN))

    before = english()
    edit(library / DOSSIER / "actors/wang-yi.yaml", "name: Wang Yi", "name: Wang Yi (modifié)")
    renamed = english()
    assert renamed != before  # serve's memo renders the English pages again
    edit(library / DOSSIER / "dossier.yaml", "title: Wang Yi en Russie", "title: Wang Yi à Moscou")
    assert english() != renamed
