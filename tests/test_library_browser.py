"""A reader in Debian's Chromium on the library: its pages, the links across dossiers, and search across
French and English dossiers (the bundled site, built once: conftest's ``site_url``)."""

from __future__ import annotations

import pytest
from test_browser import assert_clean, search_result

from conftest import DOSSIER, serious_axe_violations

EN = "putin-wang-yi-2023-09-20"


def test_the_home_leads_to_the_library_page_and_on_to_each_dossier(page, site_url):
    page.goto(site_url)
    assert page.locator("li.dossier-card").count() == 2
    assert page.locator("li.dossier-card a.dossier-card-title").first.inner_text().startswith("Putin receives Wang Yi")
    with page.expect_navigation():
        page.locator("p.dossier-library-link a").click()
    with page.expect_navigation():
        page.locator("ul.dossier-library-list a", has_text="Nikolai Patrushev").first.click()
    assert page.url.endswith("/library/actors/nikolai-patrushev/")
    parts = page.locator("div.dossier-library-entry")
    assert parts.count() == 2
    assert [parts.nth(i).get_attribute("lang") for i in range(2)] == ["en", "fr"]
    assert "Secretary of the Security Council" in parts.nth(0).inner_text()
    assert "Secrétaire du Conseil de sécurité" in parts.nth(1).inner_text()
    with page.expect_navigation():
        parts.nth(1).locator("p.dossier-asof a").click()
    assert page.url.endswith(f"/{DOSSIER}/actors/nikolai-patrushev/")
    assert page.locator("h1").inner_text().rstrip("¶").strip() == "Nikolaï Patrouchev"
    assert page.evaluate("document.documentElement.lang") == "fr"
    with page.expect_navigation():  # "Aussi dans : …": the same actor in the English dossier
        page.locator("p.dossier-also-in a[hreflang='en']").click()
    assert page.url.endswith(f"/{EN}/actors/nikolai-patrushev/")
    assert page.locator("h1").inner_text().rstrip("¶").strip() == "Nikolai Patrushev"
    assert page.evaluate("document.documentElement.lang") == "en"  # an English dossier's page, in a French site
    assert_clean(page)


def test_a_cross_dossier_link_opens_the_other_dossiers_page(page, site_url):
    page.goto(site_url + f"{EN}/")
    with page.expect_navigation():
        page.locator("a.dossier-ref", has_text="on the strategic security consultation").click()
    assert page.url.endswith(f"/{DOSSIER}/meetings/consultation-securite-strategique-2023-09/")
    assert "Consultations de sécurité stratégique" in page.locator("h1").inner_text()
    assert_clean(page)


@pytest.mark.parametrize(("words", "href"), [
    ("Patrouchev", f"{DOSSIER}/actors/nikolai-patrushev"),  # a French spelling, in the French dossier
    ("Hanhui", f"{EN}/actors/zhang-hanhui"),  # a name only the English dossier knows
    ("Constantine", f"{EN}/?h="),  # an English word: the English dossier's home comes first
    ("ministre", f"{DOSSIER}/questions/sort-de-qin-gang/"),  # a French word
    ("Patrushev", "library/actors/nikolai-patrushev"),  # an alias, found on the library page too
])
def test_search_finds_words_of_both_languages(page, site_url, words, href):
    page.goto(site_url)
    result = search_result(page, words, href)
    with page.expect_navigation():
        result.click()
    assert href.removesuffix("?h=") in page.url
    assert_clean(page)


@pytest.mark.parametrize("address", ["library/", "library/actors/wang-yi/", f"{EN}/", f"{EN}/actors/wang-yi/"])
def test_no_serious_accessibility_violation_on_library_pages(page, site_url, address):
    page.goto(site_url + address)
    violations = serious_axe_violations(page)
    assert violations == [], violations
    assert_clean(page)
