"""In a real Chromium: the data tables sort, filter (state in the URL), fold long notes, and link rows."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from helpers import page_path, soup
from vlm_survey import tables
from vlm_survey.i18n import t
from test_tables import model

PREFIX = {"zh": "", "en": "/en"}

# Each row's sort key as tablesort reads it (data-sort, else the cell text), for the visible rows.
COLUMN_KEYS = """([table, index]) => [...document.querySelectorAll(table + " tbody tr")]
  .filter(row => !row.hidden)
  .map(row => row.cells[index])
  .map(cell => cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim())"""

IN_LANGUAGE_ORDER = """([keys, lang]) => {
  const order = new Intl.Collator(lang === "zh" ? "zh-Hans-CN" : "en", {numeric: true, sensitivity: "base"});
  return keys.every((key, i) => i === 0 || order.compare(keys[i - 1], key) <= 0);
}"""


def visible_ids(page: object, table: str) -> list[str]:
    return page.eval_on_selector_all(f"{table} tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.id)")


def built_rows(site: Path, lang: str, page: str, index: int = 0) -> list[dict[str, str]]:
    """The rows of the index-th data table of a built page, read from the HTML without a browser."""
    table = soup(page_path(site, lang, page)).select("table[data-vlm-table]")[index]
    return [{**row.attrs, "text": row.get_text(" ")} for row in table.select("tbody tr")]


def query(page: object) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_facet_labels_name_only_values_present_in_the_rows() -> None:
    entries = [model(id="a", paradigm="llm-backbone"), model(id="b", paradigm="from-scratch")]
    html = tables.model_table(entries, "zh")
    facets = json.loads(BeautifulSoup(html, "html.parser").table["data-vlm-facets"])
    assert facets["paradigm"]["label"] == t("zh", "col.paradigm")
    assert facets["paradigm"]["values"] == {"from-scratch": t("zh", "paradigm.from-scratch"),
                                            "llm-backbone": t("zh", "paradigm.llm-backbone")}
    assert facets["architecture_type"]["values"] == {"decoder-only": t("zh", "architecture_type.decoder-only")}
    assert facets["open_weights"]["values"] == {"true": t("zh", "yes")}
    assert "&#34;" in html and "{\"" not in html  # the JSON is escaped inside the attribute


def in_order(page: object, keys: list[str], method: str | None, lang: str) -> bool:
    """Whether keys ascend: as numbers (an absent size counts as 0, as in tablesort) or in the page language."""
    if method == "number":
        numbers = [float(k) if k.replace(".", "", 1).isdigit() else 0.0 for k in keys]
        return numbers == sorted(numbers)
    return page.evaluate(IN_LANGUAGE_ORDER, [keys, lang])


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_model_table_sorts_by_every_column(page: object, server: str, lang: str) -> None:
    page.goto(f"{server}{PREFIX[lang]}/architecture/")
    table = 'table[data-vlm-table="models"]'
    headers = page.locator(f"{table} thead th")
    sortable = 0
    for index in range(headers.count()):
        header = headers.nth(index)
        method = header.get_attribute("data-sort-method")
        if method == "none":
            continue
        sortable += 1
        header.click()
        assert header.get_attribute("aria-sort") == "ascending"
        ascending = page.evaluate(COLUMN_KEYS, [table, index])
        assert in_order(page, ascending, method, lang), f"column {index} does not ascend: {ascending}"
        header.press("Enter")  # the header is a keyboard control too
        assert header.get_attribute("aria-sort") == "descending"
        descending = page.evaluate(COLUMN_KEYS, [table, index])
        assert in_order(page, descending[::-1], method, lang), f"column {index} does not descend: {descending}"
        assert descending != ascending or len(set(ascending)) == 1
    assert sortable >= 8
    assert page.console_errors == []


@pytest.mark.browser
def test_sizes_sort_by_their_largest_number_not_as_text(page: object, server: str) -> None:
    page.goto(f"{server}/architecture/")
    header = page.locator('table[data-vlm-table="models"] th[data-col="parameters"]')
    header.click()
    cells = page.eval_on_selector_all('table[data-vlm-table="models"] tbody td[data-col="parameters"][data-sort]',
                                      "cells => cells.map(c => [c.textContent.trim(), c.dataset.sort])")
    numbers = [float(key) for _, key in cells]
    assert numbers == sorted(numbers)
    assert [text for text, _ in cells] != sorted(text for text, _ in cells), "the data cannot tell text from numbers"
    ranges = [text for text, _ in cells if "-" in text]
    assert ranges, "no size range such as 7B-72B in the data"
    header.click()
    years = page.locator('table[data-vlm-table="models"] th[data-col="year"]')
    years.click()
    keys = page.evaluate(COLUMN_KEYS, ['table[data-vlm-table="models"]', 1])
    assert keys == sorted(keys, key=int)


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_shared_filter_url_opens_the_filtered_table(page: object, server: str, site: Path, lang: str) -> None:
    page.goto(f"{server}{PREFIX[lang]}/architecture/?models.year_from=2023&models.paradigm=llm-backbone")
    expected = [r["id"] for r in built_rows(site, lang, "architecture")
                if int(r["data-year"]) >= 2023 and r["data-paradigm"] == "llm-backbone"]
    assert 0 < len(expected) < len(built_rows(site, lang, "architecture"))
    table = 'table[data-vlm-table="models"]'
    assert visible_ids(page, table) == expected
    controls = page.locator(".vlm-filter").first
    assert controls.get_by_label(t(lang, "col.paradigm"), exact=True).input_value() == "llm-backbone"
    status = page.locator(".vlm-filter__status").first
    assert str(len(expected)) in status.inner_text()
    assert status.get_attribute("role") == "status"
    box = page.locator(".vlm-filter").first.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"], "the shared view does not open at its table"
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "labels"), [
    ("zh", {"search": "在表中搜索", "year": "起始年份", "reset": "清除筛选"}),
    ("en", {"search": "Search this table", "year": "Year from", "reset": "Clear filters"}),
])
def test_filter_by_keyboard_updates_rows_and_url(page: object, server: str, site: Path, lang: str,
                                                  labels: dict[str, str]) -> None:
    page.goto(f"{server}{PREFIX[lang]}/architecture/")
    table = 'table[data-vlm-table="models"]'
    rows = built_rows(site, lang, "architecture")
    controls = page.locator(".vlm-filter").first
    search = controls.get_by_label(labels["search"], exact=True)
    search.fill("qwen")
    search.press("End")
    assert visible_ids(page, table) == [r["id"] for r in rows if "qwen" in r["text"].lower()]
    assert query(page)["models.q"] == ["qwen"]

    search.fill("")
    page.keyboard.press("Tab")  # the next control: year from
    year = controls.get_by_label(labels["year"], exact=True)
    assert year.evaluate("el => el === document.activeElement")
    year.select_option("2024")
    weights = controls.get_by_label(t(lang, "col.open_weights"), exact=True)
    weights.select_option(label=t(lang, "yes"))
    expected = [r["id"] for r in rows if int(r["data-year"]) >= 2024 and r["data-open-weights"] == "true"]
    assert 0 < len(expected) and visible_ids(page, table) == expected
    assert query(page) == {"models.year_from": ["2024"], "models.open_weights": ["true"]}

    page.reload()
    assert visible_ids(page, table) == expected, "the URL does not restore the filter"
    reset = controls.get_by_role("button", name=labels["reset"])
    reset.focus()
    page.keyboard.press("Enter")
    assert len(visible_ids(page, table)) == len(rows)
    assert query(page) == {}
    assert page.console_errors == []


@pytest.mark.browser
def test_each_table_of_a_page_filters_on_its_own(page: object, server: str, site: Path) -> None:
    page.goto(f"{server}/en/benchmarks/?benchmarks.embodied-benchmarks.kind=simulator")
    embodied = 'table[data-vlm-table="benchmarks"]:has(tr[data-category="embodied"])'
    hallucination = 'table[data-vlm-table="benchmarks"]:has(tr[data-category="hallucination"])'
    tables_on_page = soup(page_path(site, "en", "benchmarks")).select("table[data-vlm-table]")
    kinds = {tr["data-kind"] for tr in tables_on_page[-1].select("tbody tr")}
    assert len(kinds) > 1
    expected = [tr["id"] for tr in tables_on_page[-1].select("tbody tr") if tr["data-kind"] == "simulator"]
    assert visible_ids(page, embodied) == expected
    hallucination_rows = page.locator(f"{hallucination} tbody tr")
    assert len(visible_ids(page, hallucination)) == hallucination_rows.count() > 3

    search = page.locator(".vlm-filter:has(+ .md-typeset__scrollwrap " + hallucination + ") input[type=search]")
    search.fill("pope")
    search.press("End")
    shown = visible_ids(page, hallucination)
    assert shown and len(shown) < hallucination_rows.count()
    assert visible_ids(page, embodied) == expected, "filtering one table changed another"
    assert query(page) == {"benchmarks.embodied-benchmarks.kind": ["simulator"],
                           "benchmarks.hallucination-benchmarks.q": ["pope"]}
    # a facet is offered only where its values differ: kind in the embodied table, category nowhere here
    assert page.locator(".vlm-filter select[name=kind]").count() == 1
    assert page.locator(".vlm-filter select[name=category]").count() == 0
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_row_anchor_scrolls_to_and_marks_the_row(page: object, server: str, lang: str) -> None:
    page.goto(f"{server}{PREFIX[lang]}/architecture/#model-llava-1-5")
    row = page.locator("tr#model-llava-1-5")
    assert "vlm-target" in row.get_attribute("class")
    header = page.locator(".md-header").bounding_box()
    box = row.bounding_box()
    assert header["height"] - 2 <= box["y"] < page.viewport_size["height"] - box["height"]
    marker = row.locator("td").first.evaluate("td => getComputedStyle(td).boxShadow")
    assert "inset" in marker, "the highlight is colour only"

    page.locator("tr#model-clip a.vlm-permalink").click()
    assert page.url.endswith("#model-clip")
    # The row is marked by the hashchange handler, which runs after the click returns: wait for it.
    page.wait_for_function("() => document.querySelector('tr#model-clip').classList.contains('vlm-target')",
                           timeout=5_000)
    assert "vlm-target" not in (row.get_attribute("class") or "")
    assert page.console_errors == []


@pytest.mark.browser
def test_long_notes_fold_behind_a_button(page: object, server: str) -> None:
    page.goto(f"{server}/en/architecture/")
    cell = page.locator('td[data-col="notes"]:has(.vlm-fold__toggle)').first
    box, button = cell.locator(".vlm-fold"), cell.locator(".vlm-fold__toggle")
    assert button.get_attribute("aria-expanded") == "false"
    assert box.evaluate("b => b.scrollHeight > b.clientHeight + 1"), "the folded note shows everything"
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert box.evaluate("b => b.scrollHeight <= b.clientHeight + 1")
    assert page.console_errors == []
