"""In a real Chromium: the language selector lands on the same page, and the same section."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import soup

pytestmark = pytest.mark.browser


def switch_language(page: object, lang: str) -> None:
    page.hover(".md-header__option .md-select")
    page.click(f"a.md-select__link[hreflang={lang}]")
    page.wait_for_load_state("load")


@pytest.mark.parametrize("path", ["", "vit/", "architecture/"])
def test_switch_to_english_and_back_lands_on_the_same_page(page: object, server: str, path: str) -> None:
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
    page.goto(f"{server}/vit/")
    page.click(f"article h2#{first_h2} a.headerlink")
    assert page.url.endswith(f"#{first_h2}")
    switch_language(page, "en")
    assert page.url == f"{server}/en/vit/#{first_h2}"
