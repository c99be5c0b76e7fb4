"""In a real Chromium: an address is hostile too. A malformed #fragment or query value (one that does
not percent-decode, markup, selector syntax, a NUL, a very long one) never throws, never runs, never
stops the page's scripts: the tables still sort and filter, a row link still works, the language
selector still carries the fragment across."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

PREFIX = {"zh": "", "en": "/en"}
FRAGMENTS = [
    "#%E0%A4%A",                              # a truncated UTF-8 sequence: decodeURIComponent throws
    "#%",                                     # a lone percent sign: so does this
    '#"><img src=x onerror=alert(1)>',        # markup
    "#a]b",                                   # selector syntax
    "#x'],a[href*='",                         # selector injection
    "#model-llava-1-5%00",                    # a real id with a NUL after it
    "#%FF%FE%00%D8",                          # bytes that are no UTF-8 at all
    "#" + "a%" * 10_000,                      # very long, and undecodable
]
QUERIES = [
    "?models.year_from=%E0",
    "?models.year_from=%",
    "?models.q=%E0%A4%A",
    "?models.paradigm=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    "?models.year_from=__proto__&models.open_weights=constructor",
    "?%=%&%E0=%E0",
    "?h=%E0%A4%A",                            # Material's search highlight reads `h`
    "?models.q=" + "%E0" * 5_000,
]
PAGES = ["architecture", "vit"]  # a table page and a chapter (with maths)


def watch(page: Any) -> list[str]:
    """Record every dialog (and dismiss it): no value from the address may ever open one."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def scripts_ran(page: Any, name: str) -> None:
    """extra.js got past the fragment (it names the search dialog after reading it); on a table page the
    table sorts and filters."""
    page.wait_for_selector('.md-search[role="dialog"][aria-label]', state="attached", timeout=5_000)
    assert page.locator('img[src="x"]').count() == 0, "markup from the address reached the page"
    if name == "vit":  # no table: the search dialog's name shows that extra.js ran
        return
    table = 'table[data-vlm-table="models"]'
    assert page.locator(f"{table}[data-vlm-ready]").count() == 1
    rows = page.locator(f"{table} tbody tr")
    search = page.locator(".vlm-filter input[type=search]").first
    search.fill("llava")
    shown = page.eval_on_selector_all(f"{table} tbody tr", "rows => rows.filter(r => !r.hidden).length")
    assert 0 < shown < rows.count(), "the filter does not filter"
    search.fill("")
    header = page.locator(f'{table} th[data-col="year"]')
    header.click()
    assert header.get_attribute("aria-sort") == "ascending", "the table does not sort"


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_malformed_fragment_never_throws(page: Any, server: str, lang: str, name: str) -> None:
    dialogs = watch(page)
    for fragment in FRAGMENTS:
        page.goto("about:blank")
        page.goto(f"{server}{PREFIX[lang]}/{name}/{fragment}")
        assert page.console_errors == [] and dialogs == [], (fragment[:40], page.console_errors, dialogs)
        scripts_ran(page, name)
    # the same fragments set while the page is open (hashchange)
    for fragment in FRAGMENTS:
        page.evaluate("hash => { location.hash = hash; }", fragment)
        page.wait_for_timeout(50)
        assert page.console_errors == [] and dialogs == [], (fragment[:40], page.console_errors, dialogs)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_malformed_query_never_throws(page: Any, server: str, lang: str, name: str) -> None:
    dialogs = watch(page)
    for query in QUERIES:
        page.goto(f"{server}{PREFIX[lang]}/{name}/{query}")
        if name == "architecture":
            year = page.locator('.vlm-filter select[name="year_from"]').first
            assert year.input_value() == "", f"{query[:40]}: a value that is no year was taken"
        scripts_ran(page, name)
        assert page.console_errors == [] and dialogs == [], (query[:40], page.console_errors, dialogs)


@pytest.mark.parametrize("fragment", ["#%E0%A4%A", "#%", '#"><img src=x onerror=alert(1)>', "#a]b"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_language_selector_carries_a_malformed_fragment(page: Any, server: str, lang: str,
                                                            fragment: str) -> None:
    """The selector reads the fragment at click time: a malformed one is carried as it is, no error."""
    dialogs = watch(page)
    other = "en" if lang == "zh" else "zh"
    page.goto(f"{server}{PREFIX[lang]}/architecture/?models.year_from=%E0{fragment}")
    page.hover(".md-header__option .md-select")
    with page.expect_navigation():
        page.click(f"a.md-select__link[hreflang={other}]")
    assert page.url.startswith(f"{server}{PREFIX[other]}/architecture/"), page.url
    assert "#" in page.url, "the fragment was dropped"
    scripts_ran(page, "architecture")
    assert page.console_errors == [] and dialogs == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_row_link_still_works_percent_encoded(page: Any, server: str, lang: str) -> None:
    """The safe decoding still decodes: a row id written percent-encoded marks its row."""
    page.goto(f"{server}{PREFIX[lang]}/architecture/#%6Dodel-llava-1-5")
    assert "vlm-target" in (page.locator("tr#model-llava-1-5").get_attribute("class") or "")
    assert page.console_errors == []
