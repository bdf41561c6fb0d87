"""Previews in a real browser (issue 27): a citation mark and an entity link open their preview on
hover, on keyboard focus and on a tap; Escape closes it; without JavaScript the links still lead to
the passage; Material's instant navigation keeps them working; no serious axe-core finding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_evidence import EN
from test_facts import write

from conftest import run_dossier, serious_axe_violations, serve_folder

CONFIG = """site_name: Previews
site_url: {site_url}
docs_dir: docs
theme:
  name: material
  language: en
  font: false
  features: [content.tooltips{features}]
plugins:
  - search
  - dossiers:
      dossiers: dossiers
"""
PREVIEW = "#dossier-preview"


def _serve_site(folder: Path, features: str = ""):
    """The English test dossier built into *folder*/site and served; (address, server).

    The server starts first: Material's instant navigation follows only the links
    its sitemap lists, whose addresses come from ``site_url``, port included."""
    (folder / "site").mkdir(parents=True)
    url, server = serve_folder(folder / "site")
    write(folder / "dossiers" / "d", EN)
    (folder / "docs").mkdir()
    (folder / "mkdocs.yml").write_text(CONFIG.format(features=features, site_url=url), encoding="utf-8")
    built = run_dossier("build", "--no-pdf", "--site-dir", str(folder / "site"), cwd=folder)
    assert built.returncode == 0, built.stderr
    return url, server


@pytest.fixture(scope="module")
def previews_url(tmp_path_factory):
    url, server = _serve_site(tmp_path_factory.mktemp("previews"))
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def instant_url(tmp_path_factory):
    url, server = _serve_site(tmp_path_factory.mktemp("instant"), ", navigation.instant")
    yield url
    server.shutdown()


def shown(page) -> str:
    page.wait_for_selector(f"{PREVIEW}:not([hidden])", timeout=5000)
    return re.sub(r"\s+", " ", page.locator(PREVIEW).inner_text())


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element *selector* has the focus (the keyboard's way there)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


CITE = "#kj-1 a.dossier-cite[data-cite='1']"
AMY = ".md-content .dossier-text a.dossier-ref[href$='actors/amy/']"


def assert_citation_preview(text: str) -> None:
    assert "“Amy a rencontré Ben […] à La Valette”" in text
    assert "Analyst’s translation: “Amy met Ben […] in Valletta”" in text
    assert "Une dépêche de l’agence (B — usually reliable), Agence d’essai, 18 September 2023" in text
    assert "the passage in the original" in text


def test_a_citation_preview_opens_on_hover_and_on_keyboard_focus(page, previews_url):
    page.goto(previews_url + "d/")
    page.hover(CITE)
    assert_citation_preview(shown(page))
    original = page.locator(f"{PREVIEW} a.dossier-original")
    assert original.get_attribute("href").startswith("https://example.org/depeche#:~:text=Amy%20a%20rencontr")
    assert original.get_attribute("rel") == "external noopener noreferrer"
    page.mouse.move(5, 890)
    page.wait_for_selector(f"{PREVIEW}[hidden]", state="attached", timeout=5000)
    page.hover("#kj-1 a.dossier-cite[data-cite='2']")  # this citation's own grade of the information
    assert shown(page).endswith("A wire, 18 September 2023 Credibility: 2 — probably true")
    page.mouse.move(5, 890)

    page.goto(previews_url + "d/")
    tab_to(page, CITE)
    assert_citation_preview(shown(page))
    assert page.locator(CITE).get_attribute("aria-describedby") == "dossier-preview"
    assert serious_axe_violations(page) == []
    page.keyboard.press("Escape")
    page.wait_for_selector(f"{PREVIEW}[hidden]", state="attached", timeout=5000)
    assert page.evaluate("s => document.activeElement.matches(s)", CITE), "Escape leaves the focus where it was"
    assert page.console_errors == [] and page.foreign_requests == []


def test_an_entity_preview_opens_on_hover_and_on_keyboard_focus(page, previews_url):
    page.goto(previews_url + "d/")
    page.hover(AMY)
    assert shown(page) == "ACTOR Amy Person An envoy of Malta."
    page.keyboard.press("Escape")
    page.wait_for_selector(f"{PREVIEW}[hidden]", state="attached", timeout=5000)
    page.goto(previews_url + "d/questions/")
    tab_to(page, ".md-content table.dossier-index a[href='next/']")
    assert shown(page) == ("QUESTION Will they meet again? Status: Open "
                           "Leading hypothesis: They meet again this year. — likely (55–80%)")
    assert serious_axe_violations(page) == []
    page.goto(previews_url + "d/network/")
    page.hover("#net-n-amy")  # a node of the network's SVG is a link too
    assert shown(page) == "ACTOR Amy Person An envoy of Malta."
    assert page.console_errors == [] and page.foreign_requests == []


def test_a_link_focused_before_the_previews_are_read_opens_its_preview_once_they_are(page, previews_url):
    """On a slow network the keyboard can reach a link before the list of dossiers with previews has
    arrived: the preview waits for it instead of never opening (seen on a loaded CI machine)."""
    released = []

    def slow(route):
        page.wait_for_timeout(800)
        released.append(route.request.url)
        route.continue_()

    page.route("**/assets/dossier/previews.json", slow)
    page.goto(previews_url + "d/questions/", wait_until="commit")
    page.wait_for_selector(".md-content table.dossier-index a[href='next/']")
    page.keyboard.press("Tab")  # the keyboard's way in, then the link, before the list is read
    page.focus(".md-content table.dossier-index a[href='next/']")
    assert released == []
    assert shown(page).startswith("QUESTION Will they meet again? Status: Open")
    assert released and released[0].endswith("/assets/dossier/previews.json")


def test_a_tap_on_a_phone_opens_the_preview_and_a_second_tap_follows_the_link(browser, previews_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(previews_url + "d/")
    page.wait_for_function("() => performance.getEntriesByType('resource').some(r => r.name.endsWith('previews.json'))")
    page.tap(AMY)
    assert "An envoy of Malta." in shown(page) and page.url == previews_url + "d/"
    box = page.locator(PREVIEW).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, "the preview fits the phone's screen"
    page.tap(CITE)
    assert_citation_preview(shown(page))
    with page.expect_navigation():
        page.tap(CITE)
    assert "/d/sources/depeche/#q-" in page.url
    context.close()


def test_without_javascript_a_citation_mark_still_leads_to_the_passage(browser, previews_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(previews_url + "d/")
    assert page.locator(PREVIEW).count() == 0
    with page.expect_navigation():
        page.click(CITE)
    assert "/d/sources/depeche/#q-" in page.url
    assert page.locator("li.dossier-citation, ol.dossier-passages li").first.is_visible()
    context.close()


def test_previews_work_after_material_instant_navigation(page, instant_url):
    page.goto(instant_url + "d/")
    page.wait_for_function("() => performance.getEntriesByType('resource').some(r => r.name.endsWith('sitemap.xml'))")
    page.wait_for_timeout(300)  # the sitemap read, instant navigation takes over the links
    page.evaluate("() => { window.__sameDocument = true; }")
    page.click(".md-content .dossier-text a.dossier-ref[href$='actors/ben/']")
    page.wait_for_url(re.compile(r".*/d/actors/ben/$"))
    page.wait_for_selector("a.dossier-cite")
    assert page.evaluate("() => window.__sameDocument === true"), "instant navigation: no new document"
    page.hover("#claim-1 a.dossier-cite")
    text = shown(page)
    assert "“Ben a nié toute rencontre”" in text and "Analyst’s translation: “Ben denied any meeting”" in text
    assert page.console_errors == [] and page.foreign_requests == []
