"""Search, for both engines. In a real Chromium: each language's search box finds that language's pages, an
English plural finds what its singular finds (languages.yml: the English separator), and a table's entry is
found through its own page, not through the table; the index is fetched only when the reader reaches for
search. In the built indexes: the model and benchmark tables and the diagrams stay out. (The index's size is a
budget, measured by `make bench`.)"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from helpers import LANGS, html_pages, page_path, serving

ENGINES = ("site", "zensical_site")  # the fixtures of the MkDocs and the Zensical build
INDEX = {"site": ("search/search_index.json", "docs"), "zensical_site": ("search.json", "items")}
# True once an element's text matches a pattern and has not changed for half a second.
SETTLED = """([element, pattern]) => {
  const text = element.textContent, now = performance.now(), seen = element.__seen
  if (!seen || seen.text !== text) { element.__seen = {text, since: now}; return false }
  return new RegExp(pattern).test(text) && now - seen.since > 500
}"""


def material_results(page: object, url: str, query: str) -> tuple[int, list[str]]:
    """(how many pages Material's search says it found, the result links' paths) for `query` on `url`."""
    page.goto(url)
    meta = page.locator(".md-search-result__meta")  # "Initializing search", the prompt, then the count
    waiting = [meta.inner_text().strip(), page.evaluate(
        "JSON.parse(document.querySelector('#__config').textContent).translations['search.result.placeholder']")]
    field = page.locator(".md-search__input")
    field.click()
    field.fill(query)
    field.press("End")  # Material searches on key-up; fill() of CJK text sends no key
    page.wait_for_function("([line, waiting]) => !waiting.includes(line.textContent.trim())",
                           arg=[meta.element_handle(), waiting])
    count = re.search(r"\d+", meta.inner_text())
    return (int(count.group()) if count else 0,
            [urlsplit(a.get_attribute("href")).path for a in page.locator("a.md-search-result__link").all()])


def zensical_results(page: object, url: str, query: str) -> tuple[int, list[str]]:
    """The same with Zensical's search, which draws its dialog in an open shadow root (Playwright reaches in)."""
    page.goto(url)
    page.locator(".md-search__button").click()
    page.locator("dialog input[role=combobox]").fill(query)
    status = page.locator("dialog [role=status]")  # "No results" for a moment, then the count: wait until it holds
    page.wait_for_function(SETTLED, arg=[status.element_handle(), r"\d+ results?|No results"], polling=100)
    count = re.search(r"\d+", status.inner_text())
    return (int(count.group()) if count else 0,
            [urlsplit(a.get_attribute("href")).path for a in page.locator("dialog ol[role=listbox] a[href]").all()])


@pytest.fixture(scope="module")
def zensical_server(zensical_site: Path) -> Iterator[str]:
    with serving(zensical_site) as url:
        yield url


@pytest.fixture(params=ENGINES)
def searching(request: pytest.FixtureRequest) -> tuple[str, object]:
    """(base URL of the engine's site, its search function)."""
    if request.param == "site":
        return request.getfixturevalue("server"), material_results
    return request.getfixturevalue("zensical_server"), zensical_results


@pytest.mark.browser
@pytest.mark.parametrize(("query", "expected"), [("幻觉", "/challenges/"), ("视觉编码器", "/architecture/")])
def test_chinese_query_finds_chinese_pages(page: object, server: str, query: str, expected: str) -> None:
    paths = material_results(page, f"{server}/vit/", query)[1]
    assert expected in paths, f"{query}: {paths}"
    assert not [p for p in paths if p.startswith("/en/")], f"{query} found English pages: {paths}"
    shown = page.locator(".md-search-result").inner_text().replace("\u200b", "")  # the index's word breaks
    assert query in shown
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize(("query", "expected"), [("hallucination", "/en/challenges/"),
                                                 ("vision encoder", "/en/architecture/")])
def test_english_query_finds_english_pages(page: object, server: str, query: str, expected: str) -> None:
    paths = material_results(page, f"{server}/en/vit/", query)[1]
    assert expected in paths, f"{query}: {paths}"
    assert all(p.startswith("/en/") for p in paths), f"{query} found Chinese pages: {paths}"
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize(("singular", "plural"), [("hallucination", "hallucinations"), ("encoder", "encoders")])
def test_english_plural_finds_what_the_singular_finds(page: object, searching: tuple[str, object], singular: str,
                                                      plural: str) -> None:
    base, results = searching
    found = results(page, f"{base}/en/vit/", singular)[0]
    assert found > 0 and results(page, f"{base}/en/vit/", plural)[0] == found
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_a_table_entry_is_found_through_its_own_page(page: object, searching: tuple[str, object], site: Path,
                                                     lang: str) -> None:
    """THUDM (CogVLM's organisation) is written in the model table and on CogVLM's page, nowhere else."""
    table = BeautifulSoup(page_path(site, lang, "architecture").read_text(encoding="utf-8"), "html.parser")
    assert "THUDM" in table.select_one("table[data-vlm-table=models]").get_text()
    base, results = searching
    prefix = f"/{LANGS[lang]}/" if LANGS[lang] else "/"
    paths = results(page, f"{base}{prefix}vit/", "THUDM")[1]
    assert f"{prefix}models/cogvlm/" in paths and f"{prefix}architecture/" not in paths, paths
    assert page.console_errors == []


def index_text(site: Path, engine: str, lang: str) -> dict[str, str]:
    """Each page's indexed text (all its sections), by page path ('', 'vit/'): tags, word breaks (U+200B)
    and white space removed, as the built pages' text is compared below."""
    path, key = INDEX[engine]
    pages: dict[str, str] = {}
    for entry in json.loads((site / LANGS[lang] / path).read_text(encoding="utf-8"))[key]:
        text = BeautifulSoup(entry["title"] + entry["text"], "html.parser").get_text()
        location = entry["location"].split("#")[0]
        pages[location] = pages.get(location, "") + plain(text)
    return pages


def plain(text: str) -> str:
    return re.sub(r"[\s\u200b]+", "", text)


@pytest.mark.parametrize("engine", ENGINES)
def test_tables_and_diagrams_stay_out_of_the_index(request: pytest.FixtureRequest, engine: str) -> None:
    """No model or benchmark table (caption or row) and no diagram (an SVG's labels, a Mermaid source) of a
    page is in that page's indexed text; their pages are (the entries have pages of their own)."""
    site = request.getfixturevalue(engine)
    found = []
    for lang in LANGS:
        indexed = index_text(site, engine, lang)
        for path in html_pages(site, lang):
            location = path.relative_to(site / LANGS[lang]).as_posix().removesuffix("index.html")
            if location not in indexed:
                continue
            article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article")
            parts = [part for table in article.select("table[data-vlm-table=models], table[data-vlm-table=benchmarks]")
                     for part in (table.caption, *table.select("tbody tr"))]
            parts += [svg for svg in article.select("svg") if svg.select("text")] + article.select(".mermaid")
            found += [f"{lang} {location}: {part.name} {part.get_text(' ')[:80]!r}" for part in parts
                      if plain(part.get_text()) in indexed[location]]
        assert indexed, f"{lang}: empty index"
    assert not found, "\n".join(found[:20])


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_index_is_fetched_when_the_reader_reaches_for_search(page: object, server: str, width: int) -> None:
    """A page load fetches neither the search index nor the search worker's script
    (overrides/partials/search-on-demand.html); the first touch of search fetches both, and the search then
    finds pages. On a phone, search opens from the header's button."""
    fetched: list[str] = []
    wanted = (INDEX["site"][0], "/workers/search.")
    page.on("request", lambda request: fetched.append(request.url) if any(w in request.url for w in wanted) else None)
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{server}/architecture/")
    page.wait_for_load_state("networkidle")
    assert not fetched, f"the page load fetched {fetched}"
    if width < 600:
        page.locator("label.md-header__button[for=__search]").click()
    else:
        page.locator(".md-search__input").click()
    page.wait_for_function("() => performance.getEntriesByType('resource').some(e => e.name.includes('search_index'))")
    page.wait_for_function("() => performance.getEntriesByType('resource').some(e => e.name.includes('/workers/search.'))")
    field = page.locator(".md-search__input")
    field.fill("幻觉")
    field.press("End")  # Material searches on key-up
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function("(line) => /\\d+/.test(line.textContent)", arg=meta.element_handle())
    paths = [urlsplit(a.get_attribute("href")).path for a in page.locator("a.md-search-result__link").all()]
    assert "/challenges/" in paths, paths
    assert page.console_errors == []


@pytest.mark.browser
def test_an_address_that_opens_search_fetches_the_index_at_once(page: object, server: str) -> None:
    """A shared search link (?q=) shows its results without a touch."""
    page.goto(f"{server}/en/?q=hallucination")
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function("(line) => /\\d+/.test(line.textContent)", arg=meta.element_handle())
    assert int(re.search(r"\d+", meta.inner_text()).group()) > 0
