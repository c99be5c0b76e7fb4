"""In a real Chromium: the language selector lands on the same page, and the same section."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from helpers import soup

pytestmark = pytest.mark.browser


def arm_material_language_lookup(page: object, server: str) -> None:
    """Hold back the Chinese sitemap so the English one arrives first, every time.

    Material's own click handler looks the page up in whichever language's sitemap it loaded
    first; with the English one first it used to send a reader on a Chinese page to the English
    home page (its sitemap URLs carry site_url's path). Without this delay the order, and so the
    test, was a coin toss.
    """
    def late(route: object) -> None:
        time.sleep(0.5)
        route.continue_()

    page.route(f"{server}/sitemap.xml", late)


def switch_language(page: object, lang: str) -> None:
    page.wait_for_load_state("networkidle")
    page.hover(".md-header__option .md-select")
    page.click(f"a.md-select__link[hreflang={lang}]")
    page.wait_for_load_state("load")


@pytest.mark.parametrize("path", ["", "vit/", "architecture/"])
def test_switch_to_english_and_back_lands_on_the_same_page(page: object, server: str, path: str) -> None:
    arm_material_language_lookup(page, server)
    page.goto(f"{server}/{path}")
    assert page.locator("html").get_attribute("lang").startswith("zh")
    switch_language(page, "en")
    assert page.url == f"{server}/en/{path}"
    assert page.locator("html").get_attribute("lang") == "en"
    switch_language(page, "zh")
    assert page.url == f"{server}/{path}"
    assert page.console_errors == []


def test_switch_keeps_the_section(page: object, server: str, site: Path) -> None:
    first_h2 = soup(site / "vit" / "index.html").select_one("article h2[id]")["id"]
    arm_material_language_lookup(page, server)
    page.goto(f"{server}/vit/")
    page.click(f"article h2#{first_h2} a.headerlink")
    assert page.url.endswith(f"#{first_h2}")
    switch_language(page, "en")
    assert page.url == f"{server}/en/vit/#{first_h2}"
