"""In a real Chromium: the search box of each language finds that language's pages."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def search(page: object, url: str, query: str) -> list[str]:
    """Type `query` into Material's search on `url`; return the paths of the result links."""
    page.goto(url)
    field = page.locator(".md-search__input")
    field.click()
    field.fill(query)
    field.press("End")  # Material searches on key-up; fill() of CJK text sends no key
    page.wait_for_selector(".md-search-result__item a.md-search-result__link")
    return [urlsplit(link.get_attribute("href")).path for link in page.locator("a.md-search-result__link").all()]


@pytest.mark.parametrize(("query", "expected"), [("幻觉", "/challenges/"), ("视觉编码器", "/architecture/")])
def test_chinese_query_finds_chinese_pages(page: object, server: str, query: str, expected: str) -> None:
    paths = search(page, f"{server}/vit/", query)
    assert expected in paths, f"{query}: {paths}"
    assert not [p for p in paths if p.startswith("/en/")], f"{query} found English pages: {paths}"
    shown = page.locator(".md-search-result").inner_text().replace("\u200b", "")  # the index's word breaks
    assert query in shown
    assert page.console_errors == []


@pytest.mark.parametrize(("query", "expected"), [("hallucination", "/en/challenges/"),
                                                 ("vision encoder", "/en/architecture/")])
def test_english_query_finds_english_pages(page: object, server: str, query: str, expected: str) -> None:
    paths = search(page, f"{server}/en/vit/", query)
    assert expected in paths, f"{query}: {paths}"
    assert all(p.startswith("/en/") for p in paths), f"{query} found Chinese pages: {paths}"
    assert page.console_errors == []
