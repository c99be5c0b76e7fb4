"""In a real Chromium, both engines, both languages: the lecturer's helpers and the small things readers hit.

A heading's or a row's permalink copies its absolute address and says so (role="status"); each h2 has a button
that copies the section's citation in the page's language; without a clipboard the text to copy is shown,
selected, and the link still goes to its anchor. Abbreviations show their expansion on a tap. A heading or a
row reached by its #anchor stops below the sticky header and the "back to top" button.
"""

from __future__ import annotations

import datetime
import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from helpers import LANGS, LANGUAGES, page_path, serving, soup

pytestmark = pytest.mark.browser

ENGINES = ("mkdocs", "zensical")
COPY = {language.code: language.labels["copy"] for language in LANGUAGES}
SITE_NAME = {language.code: language.site_name for language in LANGUAGES}


@pytest.fixture(scope="module", params=ENGINES)
def built(request: pytest.FixtureRequest) -> Iterator[tuple[Path, str]]:
    """(site, its base URL over HTTP) of each engine's build."""
    site = request.getfixturevalue("site" if request.param == "mkdocs" else "zensical_site")
    with serving(site) as url:
        yield site, url


@contextmanager
def tab(browser: object, width: int = 1280, clipboard: bool = True, touch: bool = False) -> Iterator[object]:
    """A page `width` px wide, allowed to use the clipboard or not, on a touch screen or not."""
    context = browser.new_context(viewport={"width": width, "height": 800}, has_touch=touch, is_mobile=touch,
                                  permissions=["clipboard-read", "clipboard-write"] if clipboard else [])
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()


def url_of(lang: str, page: str) -> str:
    return ("/" + LANGS[lang] if LANGS[lang] else "") + f"/{page}/"


def canonical(site: Path, lang: str, page: str) -> str:
    return soup(page_path(site, lang, page)).select_one('link[rel="canonical"]')["href"]


def clipboard(page: object) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def confirmation(page: object) -> str:
    status = page.locator('[role="status"].vlm-copied')
    status.wait_for(state="visible")
    return status.inner_text().strip()


@pytest.mark.parametrize("lang", LANGS)
def test_a_heading_or_row_link_copies_its_absolute_address(built: tuple[Path, str], browser: object,
                                                           lang: str) -> None:
    site, server = built
    with tab(browser) as page:
        page.goto(server + url_of(lang, "challenges"))
        page.hover("h2#hallucination")
        page.click("h2#hallucination > a.headerlink")
        assert clipboard(page) == canonical(site, lang, "challenges") + "#hallucination"
        assert confirmation(page) == COPY[lang]["copied"]
        assert page.url.endswith("#hallucination"), "the permalink no longer goes to its heading"

        page.evaluate("navigator.clipboard.writeText('')")
        page.focus("h3#hallucination-causes > a.headerlink")  # from the keyboard
        page.keyboard.press("Enter")
        page.wait_for_function("() => navigator.clipboard.readText().then(text => text !== '')")
        assert clipboard(page) == canonical(site, lang, "challenges") + "#hallucination-causes"

        page.goto(server + url_of(lang, "architecture"))
        row = page.locator("tr#model-llava-1-5")
        row.scroll_into_view_if_needed()
        row.locator("a.vlm-permalink").click()
        assert clipboard(page) == canonical(site, lang, "architecture") + "#model-llava-1-5"
        assert confirmation(page) == COPY[lang]["copied"]
        assert page.console_errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_section_copies_its_citation_in_the_page_language(built: tuple[Path, str], browser: object,
                                                                lang: str) -> None:
    site, server = built
    address = canonical(site, lang, "challenges") + "#hallucination"
    title = {"zh": "幻觉", "en": "Hallucination"}[lang]
    with tab(browser) as page:
        page.goto(server + url_of(lang, "challenges"))
        assert page.locator("article h2[id] button.vlm-cite-section").count() == page.locator("article h2[id]").count()
        assert page.locator("article h3 button.vlm-cite-section").count() == 0, "citations are for sections (h2)"
        page.hover("h2#hallucination")
        page.click("h2#hallucination button.vlm-cite-section")
        today = datetime.date.today().isoformat()  # the browser runs in the same time zone
        expected = {"zh": f"幻觉[EB/OL]//{SITE_NAME['zh']}. [{today}]. {address}.",
                    "en": f"“Hallucination”, in {SITE_NAME['en']}, {address}, accessed {today}."}[lang]
        assert clipboard(page) == expected
        assert confirmation(page) == COPY[lang]["cited"]
        name = page.get_attribute("h2#hallucination button.vlm-cite-section", "aria-label")
        assert name == f"{COPY[lang]['cite']}: {title}"
        assert page.console_errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_section_buttons_leave_the_cite_this_page_block_alone(built: tuple[Path, str], browser: object,
                                                                  lang: str) -> None:
    """The sections' citation buttons once shared their class with the page's "cite this page" block, which
    their 0.8em box squashed to 10 px while its summary spilled over the page's foot and its links."""
    _, server = built
    with tab(browser, width=390, touch=True) as page:
        page.goto(server + url_of(lang, "vit"))
        block, summary = page.evaluate("""() => { const d = document.getElementById("cite-this-page");
            return [d.getBoundingClientRect().height, d.querySelector("summary").getBoundingClientRect().height] }""")
        assert block >= summary > 0
        link = page.locator("a[data-vlm-report]")
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        on_top = page.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('a[data-vlm-report]')",
                               [box["x"] + box["width"] / 2, box["y"] + 3])
        assert on_top, "something covers the page's report link"


def test_the_page_json_carries_the_copy_labels(built: tuple[Path, str]) -> None:
    """The script's labels and the site name a citation names come from languages.yml, through the page."""
    site, _ = built
    for lang in LANGS:
        language = json.loads(soup(page_path(site, lang, "vit")).select_one("script#vlm-language").get_text())
        assert language["copy"] == COPY[lang] and language["site_name"] == SITE_NAME[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_without_a_clipboard_the_text_is_shown_selected_and_the_link_still_goes(
        built: tuple[Path, str], browser: object, lang: str) -> None:
    site, server = built
    with tab(browser, clipboard=False) as page:
        page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")  # http, old
        page.goto(server + url_of(lang, "challenges"))
        page.hover("h2#safety")
        page.click("h2#safety > a.headerlink")
        address = canonical(site, lang, "challenges") + "#safety"
        shown = confirmation(page)
        assert shown.startswith(COPY[lang]["failed"]) and shown.endswith(address)
        assert page.evaluate("getSelection().toString()") == address
        assert page.url.endswith("#safety")
        assert page.console_errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_an_abbreviation_shows_its_expansion_on_a_tap(built: tuple[Path, str], browser: object, lang: str) -> None:
    _, server = built
    with tab(browser, width=390, touch=True) as page:
        page.goto(server + url_of(lang, "challenges"))
        abbr = page.locator("article abbr[title]").first
        expansion = abbr.get_attribute("title")
        abbr.tap()
        page.wait_for_timeout(600)  # past a tap: a tooltip shown only while the finger is down is gone
        tooltip = page.locator(".vlm-abbr-tip")
        assert tooltip.count() == 1 and tooltip.inner_text().strip() == expansion
        assert tooltip.is_visible()


# A row (in a table that may be long) and headings, each reached on load, by a click and by a hashchange.
TARGETS = [("architecture", "model-llava-1-5"), ("challenges", "fairness"), ("architecture", "trends")]
BELOW = """id => {
  const target = document.getElementById(id).getBoundingClientRect().top;
  const header = document.querySelector(".md-header").getBoundingClientRect().bottom;
  const top = document.querySelector(".md-top").getBoundingClientRect().bottom;  /* shown or about to be */
  return {target: target, covered: Math.max(header, top)};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_a_deep_link_target_is_not_under_the_header_or_back_to_top(built: tuple[Path, str], browser: object,
                                                                    width: int) -> None:
    _, server = built
    with tab(browser, width=width) as page:
        for lang in LANGS:
            for name, anchor in TARGETS:
                page.goto(server + url_of(lang, name) + "#" + anchor)
                page.wait_for_timeout(300)
                where = page.evaluate(BELOW, anchor)
                assert where["target"] >= where["covered"], f"{lang} {name}#{anchor} on load: {where}"

                page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                page.mouse.wheel(0, -300)  # scrolling up shows "back to top"
                page.wait_for_timeout(300)
                page.evaluate("""id => { const a = document.createElement("a"); a.href = "#" + id;
                                 document.querySelector("article").append(a); a.click(); }""", anchor)
                page.wait_for_timeout(600)
                where = page.evaluate(BELOW, anchor)
                assert where["target"] >= where["covered"], f"{lang} {name}#{anchor} by a click: {where}"

                page.evaluate("window.scrollTo(0, 0)")
                page.evaluate("id => { location.hash = ''; location.hash = id; }", anchor)
                page.wait_for_timeout(600)
                where = page.evaluate(BELOW, anchor)
                assert where["target"] >= where["covered"], f"{lang} {name}#{anchor} by hashchange: {where}"
        assert page.console_errors == []
