"""A reader in Debian's Chromium, driven by Playwright, clicking through the built site."""

from __future__ import annotations

import re

import pytest

from conftest import DOSSIER, serious_axe_violations

PAGES = ["", f"{DOSSIER}/", f"{DOSSIER}/actors/nikolai-patrushev/", f"{DOSSIER}/meetings/entretiens-malte-2023-09/",
         f"{DOSSIER}/questions/sort-de-qin-gang/", f"{DOSSIER}/sources/consultation-2023-09-18/",
         f"{DOSSIER}/timeline/", f"{DOSSIER}/network/", f"{DOSSIER}/actors/", f"{DOSSIER}/meetings/",
         f"{DOSSIER}/sources/wang-malte-2023-09-18/", "404.html"]


def assert_clean(page) -> None:
    assert page.console_errors == [], page.console_errors
    assert page.foreign_requests == [], page.foreign_requests
    assert page.dialogs == [], page.dialogs


def test_citation_leads_to_the_highlighted_passage(page, site_url):
    page.goto(site_url + f"{DOSSIER}/")
    marker = page.locator("#kj-1 a.dossier-cite").first
    quote = re.search(r"«\u202f(.*?)\u202f»", marker.get_attribute("aria-label")).group(1)
    with page.expect_navigation():
        marker.click()
    assert "/sources/" in page.url and "#q-" in page.url
    anchor = page.url.split("#", 1)[1]
    target = page.locator(f"[id='{anchor}']")
    assert target.count() == 1
    highlighted = page.locator(f"[id='{anchor}'] , [id='{anchor}'] ~ mark").first
    assert highlighted.evaluate("e => e.tagName") in ("MARK", "SPAN")
    background = page.locator(f"mark#{anchor}, #{anchor} + mark").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(255, 202, 40)", "the passage reached is highlighted"
    assert page.locator(f"mark#{anchor}, #{anchor} + mark").first.is_visible()
    first_words = quote.split()[0]
    assert first_words in page.locator(f"mark#{anchor}, #{anchor} + mark").first.inner_text()
    assert_clean(page)


def search_result(page, words: str, href: str):
    """Type *words* in the search box until a result whose address holds *href* shows; that result."""
    result = page.locator(f".md-search-result__item > a.md-search-result__link[href*='{href}']").first
    for _ in range(4):  # the search index loads in a worker: type again until it answers
        page.locator("input.md-search__input").click()
        page.locator("input.md-search__input").fill("")
        page.locator("input.md-search__input").type(words, delay=20)
        try:
            result.wait_for(timeout=5000)
            break
        except Exception:  # noqa: BLE001, S112 - Playwright's TimeoutError; retried
            continue
    result.wait_for(timeout=5000)
    return result


def test_search_patrouchev_reaches_the_actor(page, site_url):
    page.goto(site_url + f"{DOSSIER}/")
    result = search_result(page, "Patrouchev", "actors/nikolai-patrushev")
    with page.expect_navigation():
        result.click()
    assert page.url.split("?")[0].split("#")[0].endswith("actors/nikolai-patrushev/")
    assert "Nikolaï Patrouchev" in page.locator("h1").inner_text()
    assert_clean(page)


def test_timeline_and_network_node(page, site_url):
    page.goto(site_url + f"{DOSSIER}/timeline/")
    assert page.locator("ol.dossier-timeline li").count() > 20
    assert page.locator("h2", has_text="2023").count() == 1
    page.goto(site_url + f"{DOSSIER}/network/")
    node = page.locator("figure.dossier-network svg a[href*='actors/wang-yi/']").first
    with page.expect_navigation():
        node.click()
    assert page.url.endswith("/actors/wang-yi/")
    assert page.locator("h1").inner_text().rstrip("¶").strip() == "Wang Yi"
    assert_clean(page)


def test_timeline_reads_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + f"{DOSSIER}/timeline/")
    assert tab.locator("ol.dossier-timeline time").count() > 20
    assert "août 2023" in tab.locator("article").inner_text()
    context.close()


def test_keyboard_navigation_follows_a_link(page, site_url):
    page.goto(site_url + f"{DOSSIER}/actors/")
    page.locator("table.dossier-index a", has_text="Wang Yi").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/actors/wang-yi/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement && document.activeElement.tagName")
    assert focused in ("A", "INPUT", "BUTTON", "LABEL"), focused


@pytest.mark.parametrize("address", PAGES)
def test_no_serious_accessibility_violation(page, site_url, address):
    page.goto(site_url + address)
    violations = serious_axe_violations(page)
    assert violations == [], violations
    assert_clean(page)


def test_dates_read_as_running_text(page, site_url):
    page.goto(site_url + f"{DOSSIER}/meetings/entretiens-wang-lavrov-2023-09/")
    for time in page.locator("article time.dossier-date").all():
        before = time.evaluate("e => getComputedStyle(e, '::before').content")
        assert before in ("none", "normal"), before
    sizes = page.locator(".dossier-meta dd time").first.evaluate(
        "e => [getComputedStyle(e).fontSize, getComputedStyle(e.parentElement).fontSize]")
    assert sizes[0] == sizes[1], "a date is not smaller than the text around it"
    assert_clean(page)


def test_index_tables_look_like_materials(page, site_url):
    page.goto(site_url + f"{DOSSIER}/actors/")
    header = page.locator("table.dossier-index th").first
    assert header.evaluate("e => getComputedStyle(e).textAlign") in ("left", "start")
    cell = page.locator("table.dossier-index tbody td").nth(4)
    style = cell.evaluate("e => [getComputedStyle(e).borderTopWidth, getComputedStyle(e).paddingLeft]")
    assert style[0] != "0px" and style[1] != "0px", style
    lines = page.locator("table.dossier-index tbody td:nth-child(3) a").evaluate_all(
        "links => links.map(a => a.getClientRects().length)")
    assert lines and set(lines) == {1}, "a country name never breaks inside a word"
    assert_clean(page)


def test_network_keeps_readable_text_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    tab = context.new_page()
    tab.goto(site_url + f"{DOSSIER}/network/")
    figure = tab.locator("figure.dossier-network")
    scale, scrolls = figure.evaluate("""f => {
        const svg = f.querySelector('svg');
        return [svg.getBoundingClientRect().width / svg.viewBox.baseVal.width, f.scrollWidth > f.clientWidth];
    }""")
    smallest = min(float(size) for size in tab.locator("figure.dossier-network svg [font-size]").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('font-size'))"))
    assert smallest * scale >= 10, (smallest, scale)
    assert scrolls, "the drawing scrolls sideways instead of shrinking"
    context.close()


def test_the_home_cards_have_no_list_bullet(page, site_url):
    page.goto(site_url)
    card = page.locator("ul.dossier-cards > li.dossier-card").first
    assert card.evaluate("e => getComputedStyle(e).listStyleType") == "none"
    left = card.evaluate("e => e.getBoundingClientRect().left - e.parentElement.getBoundingClientRect().left")
    assert left == 0, "the card starts where the list does: no room kept for a bullet"


def test_on_a_phone_the_network_is_one_tap_from_the_same_network_as_lists(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    tab = context.new_page()
    tab.goto(site_url + f"{DOSSIER}/network/")
    hint = tab.locator("p.dossier-network-hint a")
    assert hint.is_visible() and "lisez le réseau en listes" in hint.inner_text()
    hint.click()
    tab.wait_for_function("() => location.hash === '#network-lists'")
    lists = tab.locator("#network-lists ~ ul")
    meetings, ties = lists.nth(0), lists.nth(1)
    assert meetings.locator("li").count() == 7 and meetings.is_visible()
    assert "Wang Yi — Chine" in ties.inner_text() and ties.locator("a[href*='actors/chine/']").count() >= 1
    assert tab.evaluate("() => document.documentElement.scrollWidth") <= 390, "only the drawing scrolls sideways"
    context.close()
    wide = browser.new_context(viewport={"width": 1300, "height": 900})
    tab = wide.new_page()
    tab.goto(site_url + f"{DOSSIER}/network/")
    assert not tab.locator("p.dossier-network-hint").is_visible(), "the drawing fits: no hint"
    wide.close()


def test_source_notes_leave_no_gap_beside_the_text(page, site_url):
    page.goto(site_url + f"{DOSSIER}/sources/consultation-2023-09-18/")
    gaps = page.locator(".dossier-para").evaluate_all(
        "rows => rows.map(r => r.getBoundingClientRect().height - r.querySelector('p').getBoundingClientRect().height)")
    assert gaps and max(gaps) < 40, gaps
    note = page.locator("details.dossier-note").first
    note.locator("summary").click()
    assert note.locator("li").first.is_visible() and "Cité par" in note.inner_text()
    assert_clean(page)
