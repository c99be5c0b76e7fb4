"""In a real Chromium: the language selector keeps the page, the section being read and a shared filter, and
marks the page's own language (aria-current and a visible tick), in both engines' builds.

The section is read when the selector is clicked: the address's fragment while its target is on
screen, otherwise the section the table of contents marks while the reader scrolls.
"""

from __future__ import annotations

import pytest

from helpers import LANGS, html_pages, soup

pytestmark = pytest.mark.browser


def switch_language(page: object, lang: str) -> None:
    page.hover(".md-header__option .md-select")
    with page.expect_navigation():
        page.click(f"a.md-select__link[hreflang={lang}]")


def scroll_to_section(page: object, anchor: str) -> None:
    """Scroll (no link followed) until the table of contents marks `anchor` as the section being read."""
    page.evaluate("id => document.getElementById(id).scrollIntoView()", anchor)
    page.wait_for_selector(f'[data-md-component="toc"] a.md-nav__link--active[href="#{anchor}"]', state="attached")


def test_the_issue_example_goes_there_and_back(page: object, server: str) -> None:
    page.goto(f"{server}/challenges/#hallucination")
    switch_language(page, "en")
    assert page.url == f"{server}/en/challenges/#hallucination"
    switch_language(page, "zh")
    assert page.url == f"{server}/challenges/#hallucination"
    assert page.console_errors == []


def test_a_clicked_section_link_is_kept(page: object, server: str) -> None:
    page.goto(f"{server}/en/training/")
    anchor = page.locator("article h2[id]").nth(1).get_attribute("id")
    page.click(f"article h2#{anchor} a.headerlink")
    # the reader switches once the page has scrolled to the section (it may scroll smoothly)
    page.wait_for_function("id => { const box = document.getElementById(id).getBoundingClientRect();"
                           " return box.top >= 0 && box.top < innerHeight / 2 }", arg=anchor)
    switch_language(page, "zh")
    assert page.url == f"{server}/training/#{anchor}"
    heading = page.locator(f"h2#{anchor}").bounding_box()
    assert 0 <= heading["y"] < page.viewport_size["height"], "the other language did not open at the section"


def test_scrolling_alone_is_enough(page: object, server: str) -> None:
    page.goto(f"{server}/architecture/")
    scroll_to_section(page, "connectors")
    assert "#" not in page.url
    switch_language(page, "en")
    assert page.url == f"{server}/en/architecture/#connectors"
    scroll_to_section(page, "trends")
    switch_language(page, "zh")
    assert page.url == f"{server}/architecture/#trends"
    assert page.console_errors == []


def test_the_section_scrolled_to_wins_over_an_old_fragment(page: object, server: str) -> None:
    page.goto(f"{server}/architecture/#paradigms")
    scroll_to_section(page, "trends")
    switch_language(page, "en")
    assert page.url == f"{server}/en/architecture/#trends"


def test_a_row_link_and_a_shared_filter_cross_over(page: object, server: str) -> None:
    page.goto(f"{server}/architecture/?models.paradigm=llm-backbone#model-llava-1-5")
    switch_language(page, "en")
    assert page.url == f"{server}/en/architecture/?models.paradigm=llm-backbone#model-llava-1-5"
    assert "vlm-target" in page.locator("tr#model-llava-1-5").get_attribute("class")
    assert page.locator('.vlm-filter select[name="paradigm"]').input_value() == "llm-backbone"
    assert page.console_errors == []


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_menu_marks_the_language_of_every_page(request: pytest.FixtureRequest, engine: str) -> None:
    site = request.getfixturevalue("site" if engine == "mkdocs" else "zensical_site")
    for lang in LANGS:
        for path in html_pages(site, lang):
            links = soup(path).select("a[data-vlm-alternate]")
            current = [link["hreflang"] for link in links if link.get("aria-current") == "true"]
            assert len(links) == len(LANGS) and current == [lang], f"{path.relative_to(site)}: {current}"


def test_the_current_language_is_marked_visibly(page: object, server: str) -> None:
    for lang in LANGS:
        page.goto(server + ("/" + LANGS[lang] if LANGS[lang] else "") + "/vit/")
        page.hover(".md-header__option .md-select")
        marks = {link.get_attribute("hreflang"): link.evaluate("a => [getComputedStyle(a, '::before').content, "
                                                               "getComputedStyle(a).fontWeight]")
                 for link in page.locator("a.md-select__link").all()}
        assert "✓" in marks[lang][0] and marks[lang][1] == "700", marks
        assert all(mark == ['""', "400"] for other, mark in marks.items() if other != lang), marks
