"""The table of every benchmark (docs/*/explorer.md) and what every data table gained with it: the sort in the
URL, a header row that stays in sight, sort buttons, a caption that counts the rows shown, the notes under
the name on a phone, "download this view" per box of buttons, and the entry pages' breadcrumb and places.
Built by both engines; driven in a real Chromium."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from helpers import ROOT, page_path, soup
from vlm_survey.catalog import load_catalog
from vlm_survey.i18n import t

PREFIX = {"zh": "", "en": "/en"}
EXPLORER = 'table[data-vlm-table="benchmarks"]'
CATALOG = load_catalog(ROOT)


def shown_ids(page: object, table: str = EXPLORER) -> list[str]:
    """The rows of the view in order (on screen or past a long table's window)."""
    return page.eval_on_selector_all(f"{table} tbody tr",
                                     "rows => rows.filter(r => !r.hidden).map(r => r.dataset.entry)")


@pytest.mark.parametrize("engine", ["site", "zensical_site"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_explorer_lists_every_benchmark_and_is_linked(request: pytest.FixtureRequest, engine: str,
                                                          lang: str) -> None:
    built = request.getfixturevalue(engine)
    html = soup(page_path(built, lang, "explorer"))
    tables = html.select("article table[data-vlm-table]")
    assert len(tables) == 1
    rows = tables[0].select("tbody tr")
    assert sorted(row["data-entry"] for row in rows) == sorted(b["id"] for b in CATALOG.benchmarks)
    if engine == "site":  # Zensical's search indexes no table (it keeps no data-search-exclude)
        assert tables[0].has_attr("data-search-exclude")
    facets = json.loads(tables[0]["data-vlm-facets"])
    assert {"category", "metric_types", "annotation_types"} <= set(facets)
    assert len(facets["metric_types"]["values"]) > 1 and facets["metric_types"]["list"] is True
    assert {th["data-col"] for th in tables[0].select("thead th")} >= {"category", "metric", "annotation", "notes"}
    architecture = soup(page_path(built, lang, "architecture"))
    nav = [a["href"] for a in architecture.select("nav.md-nav--primary a.md-nav__link[href]")]
    assert nav.index("../explorer/") == nav.index("../benchmarks/") + 1
    for chapter in ("benchmarks", "architecture"):
        article = soup(page_path(built, lang, chapter)).select_one("article")
        assert article.select('a[href="../explorer/"]'), f"{chapter} does not link to the explorer"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_list_facet_filters_and_the_caption_counts_the_rows(page: object, server: str, lang: str) -> None:
    page.goto(f"{server}{PREFIX[lang]}/explorer/")
    total = len(CATALOG.benchmarks)
    caption = page.locator(f"{EXPLORER} caption")
    assert caption.text_content() == t(lang, "caption.benchmarks", count=total)
    page.select_option(".vlm-filter select[name=metric_types]", "llm-judge")
    expected = [b["id"] for b in CATALOG.benchmarks if "llm-judge" in b.get("metric_types", [])]
    assert 1 < len(shown_ids(page)) == len(expected) < total
    assert sorted(shown_ids(page)) == sorted(expected)
    assert caption.text_content() == t(lang, "caption.benchmarks", count=len(expected))
    page.select_option(".vlm-filter select[name=annotation_types]", "human")
    both = [i for i in expected if "human" in next(b for b in CATALOG.benchmarks if b["id"] == i)["annotation_types"]]
    assert sorted(shown_ids(page)) == sorted(both)
    assert parse_qs(urlsplit(page.url).query) == {"benchmarks.metric_types": ["llm-judge"],
                                                  "benchmarks.annotation_types": ["human"]}
    page.click(".vlm-filter__reset")
    assert caption.text_content() == t(lang, "caption.benchmarks", count=total)
    assert page.console_errors == []


@pytest.mark.browser
def test_headings_are_buttons_and_the_sort_is_kept_in_the_url(page: object, server: str) -> None:
    page.goto(f"{server}/en/explorer/")
    year = page.locator(f'{EXPLORER} th[data-col="year"]')
    button = year.locator("button")
    assert button.evaluate("b => b.type") == "button" and button.text_content().strip() == t("en", "col.year")
    assert page.locator(f'{EXPLORER} th[data-col="notes"] button').count() == 0  # not sortable
    button.focus()
    page.keyboard.press("Space")
    assert year.get_attribute("aria-sort") == "ascending"
    assert parse_qs(urlsplit(page.url).query) == {"benchmarks.sort": ["year"]}
    page.keyboard.press("Enter")
    assert year.get_attribute("aria-sort") == "descending"
    assert parse_qs(urlsplit(page.url).query) == {"benchmarks.sort": ["-year"]}
    descending = shown_ids(page)
    years = page.eval_on_selector_all(f'{EXPLORER} tbody td[data-col="year"]',
                                      "cells => cells.map(c => +c.dataset.sort)")
    assert years == sorted(years, reverse=True)

    page.goto(f"{server}/en/explorer/?benchmarks.sort=-year&benchmarks.category=video")
    assert page.locator(f'{EXPLORER} th[data-col="year"]').get_attribute("aria-sort") == "descending"
    assert shown_ids(page) == [i for i in descending if i in {b["id"] for b in CATALOG.benchmarks
                                                              if b["category"] == "video"}]
    page.goto(f"{server}/en/explorer/?benchmarks.sort=-%3Cscript%3E")  # a column no heading names: ignored
    assert page.locator(f"{EXPLORER} th[aria-sort]").count() == 0
    assert page.console_errors == []


@pytest.mark.browser
def test_each_table_of_a_chapter_keeps_its_own_sort(page: object, server: str) -> None:
    video = 'table[data-vlm-table="benchmarks"]:has(tr[data-category="video"])'
    page.goto(f"{server}/benchmarks/?benchmarks.video-benchmarks.sort=-name")
    assert page.locator(f'{video} th[data-col="name"]').get_attribute("aria-sort") == "descending"
    assert page.locator('th[aria-sort]').count() == 1
    names = page.eval_on_selector_all(f'{video} tbody td[data-col="name"]', "cells => cells.map(c => c.dataset.sort)")
    assert names == sorted(names, reverse=True)
    hallucination = 'table[data-vlm-table="benchmarks"]:has(tr[data-category="hallucination"])'
    page.locator(f'{hallucination} th[data-col="year"] button').click()
    assert parse_qs(urlsplit(page.url).query) == {"benchmarks.video-benchmarks.sort": ["-name"],
                                                  "benchmarks.hallucination-benchmarks.sort": ["year"]}
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_header_row_stays_under_the_site_header(page: object, server: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{server}/explorer/")
    top = page.evaluate("document.querySelector('table[data-vlm-table]').getBoundingClientRect().top + scrollY")
    page.evaluate(f"scrollTo(0, {top} + 1500)")
    page.wait_for_timeout(200)  # the script follows the scroll once a frame
    header = page.locator(".md-header").bounding_box()
    for column in ("name", "year"):
        box = page.locator(f'{EXPLORER} th[data-col="{column}"]').bounding_box()
        assert abs(box["y"] - (header["y"] + header["height"])) <= 1, f"{column} heading is not in sight"
        hit = page.evaluate(f"document.elementFromPoint({box['x'] + 4}, {box['y'] + box['height'] / 2})"
                            f".closest('th')?.dataset.col")
        assert hit == column, "a row covers the heading"
    page.evaluate("scrollTo(0, 0)")
    page.wait_for_timeout(200)
    table = page.locator(EXPLORER).bounding_box()
    assert page.locator(f'{EXPLORER} th[data-col="name"]').bounding_box()["y"] > table["y"]  # back in its place
    page.emulate_media(media="print")
    page.evaluate(f"scrollTo(0, {top} + 1500)")
    page.wait_for_timeout(200)
    assert page.locator(f'{EXPLORER} thead th').first.evaluate("th => getComputedStyle(th).transform") == "none"
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_phone_shows_the_notes_under_the_name_and_print_in_their_column(page: object, server: str,
                                                                          lang: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}{PREFIX[lang]}/explorer/")
    assert not page.locator(f'{EXPLORER} th[data-col="notes"]').is_visible()
    noted = next(b for b in CATALOG.benchmarks if "note" in b)
    row = page.locator(f'{EXPLORER} tr[data-entry="{noted["id"]}"]')
    row.scroll_into_view_if_needed()
    assert not row.locator('td[data-col="notes"]').is_visible()
    disclosure = row.locator('td[data-col="name"] details.vlm-row-notes')
    note = disclosure.locator(".vlm-note")
    assert disclosure.locator("summary").text_content() == t(lang, "col.notes")
    assert not note.is_visible()
    disclosure.locator("summary").click()
    assert note.is_visible()
    assert note.text_content() == noted["note"][lang]
    assert note.bounding_box()["width"] >= 200, "the notes are a narrow column again"
    page.emulate_media(media="print")
    assert row.locator('td[data-col="notes"]').is_visible()
    assert not disclosure.is_visible()
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert row.locator('td[data-col="notes"]').is_visible() and not disclosure.is_visible()
    assert page.console_errors == []


def with_second_box(route: object) -> None:
    """The benchmarks chapter with a second box of download buttons, before its last table (embodied)."""
    response = route.fetch()
    html = response.text()
    start = html.index('<div class="vlm-downloads"')
    box = html[start:html.index("</div></div>", start) + len("</div></div>")]
    heading = html.index('id="embodied-benchmarks"')
    heading = html.rindex("<h3", 0, heading)
    route.fulfill(response=response, body=html[:heading] + box + html[heading:])


@pytest.mark.browser
def test_download_this_view_takes_only_the_tables_under_its_box(page: object, server: str) -> None:
    page.route(re.compile(r"/en/benchmarks/(\?.*)?$"), with_second_box)
    page.goto(f"{server}/en/benchmarks/?benchmarks.embodied-benchmarks.kind=simulator")
    embodied = 'table[data-vlm-table="benchmarks"]:has(tr[data-category="embodied"])'
    page.locator(f'{embodied} th[data-col="name"]').click()
    page.locator(f'{embodied} th[data-col="name"]').click()
    boxes = page.locator("[data-vlm-downloads=benchmarks]")
    assert boxes.count() == 2
    with page.expect_download() as info:
        boxes.nth(1).locator("button[data-format=csv]").click()
    ids = [r["id"] for r in csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8")))]
    assert ids == shown_ids(page, embodied) and len(ids) > 1
    with page.expect_download() as info:
        boxes.nth(0).locator("button[data-format=json]").click()
    ids = [e["id"] for e in json.loads(Path(info.value.path()).read_text("utf-8"))["entries"]]
    embodied_ids = {b["id"] for b in CATALOG.benchmarks if b["category"] == "embodied"}
    assert len(ids) == len(CATALOG.benchmarks) - len(embodied_ids) and not embodied_ids & set(ids)
    assert page.console_errors == []


@pytest.mark.browser
def test_download_this_view_follows_the_explorer_filter_and_sort(page: object, server: str) -> None:
    page.goto(f"{server}/explorer/?benchmarks.category=hallucination&benchmarks.sort=-year")
    view = shown_ids(page)
    assert 1 < len(view) < len(CATALOG.benchmarks)
    years = page.eval_on_selector_all(f'{EXPLORER} tbody tr:not([hidden]) td[data-col="year"]',
                                      "cells => cells.map(c => +c.dataset.sort)")
    assert years == sorted(years, reverse=True) != sorted(years), "the sort in the address was not restored"
    with page.expect_download() as info:
        page.click("[data-vlm-downloads=benchmarks] button[data-format=csv]")
    assert [r["id"] for r in csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8")))] == view
    assert page.console_errors == []


@pytest.mark.parametrize("engine", ["site", "zensical_site"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_entry_pages_lead_back_to_their_table_and_list_their_places(request: pytest.FixtureRequest, engine: str,
                                                                    lang: str) -> None:
    built = request.getfixturevalue(engine)
    page = soup(page_path(built, lang, "benchmarks/mmmu"))
    crumbs = page.select("article nav.vlm-breadcrumb li")
    title = soup(page_path(built, lang, "benchmarks")).select_one("article h1")
    chapter = "".join(title.find_all(string=True, recursive=False)).strip()  # without its permalink
    assert [li.get_text(strip=True) for li in crumbs] == [
        chapter, t(lang, "category.vqa-reasoning"), "MMMU"]
    assert crumbs[-1]["aria-current"] == "page"
    hrefs = [a["href"].replace(".././", "../") for a in page.select("article nav.vlm-breadcrumb a")]
    assert hrefs == ["../", "../#benchmark-mmmu"]
    places = {p.find("strong").get_text(): [a["href"].replace(".././", "../") for a in p.select("a")]
              for p in page.select("article p") if p.find("strong")}
    assert places[t(lang, "entry.listed_in")] == ["../#vqa-reasoning-benchmarks", "../../explorer/#all-benchmarks"]
    named = places[t(lang, "entry.named_in")]
    assert "../#benchmark-saturation" in named  # a section whose text names MMMU
    for href in named:
        target = soup(page_path(built, lang, "benchmarks"))
        section = href.split("#")[1]
        assert target.find(id=section) is not None, href
    model = soup(page_path(built, lang, "models/llava-1-5"))
    assert [a["href"].replace(".././", "../") for a in model.select("article nav.vlm-breadcrumb a")] == [
        "../../architecture/", "../../architecture/#model-llava-1-5"]
