"""In a real Chromium: dark mode that sticks, tables that scroll in their own box on a phone, print."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SCHEME = "document.body.getAttribute('data-md-color-scheme')"


def test_dark_mode_persists_across_reload_navigation_and_language(page: object, server: str) -> None:
    page.goto(f"{server}/vit/")
    assert page.evaluate(SCHEME) == "default"
    page.locator("label[for='__palette_1']").click()
    assert page.evaluate(SCHEME) == "slate"
    page.reload()
    assert page.evaluate(SCHEME) == "slate"
    page.locator(".md-nav--primary a.md-nav__link[href$='architecture/']").first.click()
    page.wait_for_url("**/architecture/")
    assert page.evaluate(SCHEME) == "slate"
    page.hover(".md-header__option .md-select")
    with page.expect_navigation():
        page.click("a.md-select__link[hreflang=en]")
    assert page.url == f"{server}/en/architecture/"
    assert page.evaluate(SCHEME) == "slate", "the other language forgot dark mode"
    page.locator("label[for='__palette_0']").click()
    page.goto(f"{server}/vit/")
    assert page.evaluate(SCHEME) == "default", "switching back to light did not stick"
    assert page.console_errors == []


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_phone_tables_scroll_inside_their_own_box(browser: object, server: str, prefix: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.goto(f"{server}{prefix}/architecture/")
    layout = tab.evaluate("""() => {
      const box = document.querySelector('table[data-vlm-table="models"]').closest(".md-typeset__scrollwrap");
      box.scrollLeft = 400;
      const name = box.querySelector("tbody tr td").getBoundingClientRect().left;
      return {page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth,
              boxRight: box.getBoundingClientRect().right, overflowX: getComputedStyle(box).overflowX,
              content: box.scrollWidth, shown: box.clientWidth, scrolled: box.scrollLeft, name,
              boxLeft: box.getBoundingClientRect().left};
    }""")
    context.close()
    assert layout["page"] <= layout["viewport"], layout
    assert layout["boxRight"] <= layout["viewport"] and layout["overflowX"] == "auto", layout
    assert layout["content"] > layout["shown"] and layout["scrolled"] > 0, "the table does not scroll in its box"
    assert layout["name"] >= layout["boxLeft"] - 1, "the name column does not stay in view while scrolling"


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_print_hides_navigation_and_keeps_tables_whole(page: object, server: str, prefix: str) -> None:
    page.set_viewport_size({"width": 720, "height": 1000})  # an A4 page's printable width at 96 dpi
    page.goto(f"{server}{prefix}/architecture/")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
        ".vlm-filter__fields", ".vlm-fold__toggle", ".headerlink"]
      .filter(s => [...document.querySelectorAll(s)].some(el => el.getClientRects().length > 0))""")
    assert hidden == [], f"still shown in print: {hidden}"
    table = page.evaluate("""() => {
      const table = document.querySelector('table[data-vlm-table="models"]');
      const column = document.querySelector("article").getBoundingClientRect();
      const cells = [...table.querySelectorAll("td, th")];
      return {right: table.getBoundingClientRect().right, columnRight: column.right,
              clipped: cells.filter(c => c.scrollWidth > c.clientWidth + 1).length,
              folded: [...table.querySelectorAll(".vlm-fold")].filter(b => b.scrollHeight > b.clientHeight + 1).length,
              font: parseFloat(getComputedStyle(table).fontSize)};
    }""")
    assert table["right"] <= table["columnRight"] + 1, f"the table is wider than the printed page: {table}"
    assert table["clipped"] == 0 and table["folded"] == 0, f"table text is cut off in print: {table}"
    assert table["font"] >= 9, f"print text too small to read: {table}"
    assert page.console_errors == []
