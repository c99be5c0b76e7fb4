"""In a real Chromium: the data tables sort, filter (state in the URL), fold long notes, and link rows; a long
table shows a window of its rows, yet its links, print and "download this view" reach every row."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from bench import synth
from helpers import LANGUAGES, ROOT, build_site, copy_repo, early_build, page_path, serving, soup
from vlm_survey import tables
from vlm_survey.i18n import t
from test_tables import model

PREFIX = {"zh": "", "en": "/en"}
LABELS = {language.code: language.labels["table"] for language in LANGUAGES}
SCRIPT = (ROOT / "overrides" / "assets" / "javascripts" / "tables.js").read_text(encoding="utf-8")
WINDOW = int(re.search(r"PAGE_ROWS = (\d+);", SCRIPT).group(1))  # rows on screen in a long table
MODELS = 'table[data-vlm-table="models"]'

# The rows past a long table's window are put in the view's order when print or "download this view" reads
# them (tables.js); the helpers below that read every row of the view ask for that order as exports.js does.
READ_ROWS = 'document.dispatchEvent(new Event("vlm:read-rows"))'

# Each row's sort key as tables.js reads it (data-sort, else the cell text), for the rows of the view.
COLUMN_KEYS = """([table, index]) => (""" + READ_ROWS + """, [...document.querySelectorAll(table + " tbody tr")])
  .filter(row => !row.hidden)
  .map(row => row.cells[index])
  .map(cell => cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim())"""

IN_LANGUAGE_ORDER = """([keys, lang]) => {
  const order = new Intl.Collator(lang === "zh" ? "zh-Hans-CN" : "en", {numeric: true, sensitivity: "base"});
  return keys.every((key, i) => i === 0 || order.compare(keys[i - 1], key) <= 0);
}"""


def visible_ids(page: object, table: str) -> list[str]:
    """The rows of the view in order: those a filter left, on screen or past the window."""
    page.evaluate(READ_ROWS)
    return page.eval_on_selector_all(f"{table} tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.id)")


def on_screen(page: object, table: str) -> list[str]:
    """The rows a reader sees (laid out, in the current media), in order."""
    return page.eval_on_selector_all(f"{table} tbody tr", "rows => rows.filter(r => r.checkVisibility()).map(r => r.id)")


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
    """Whether keys ascend: as numbers (an absent size counts as 0, as in tables.js) or in the page language."""
    if method == "number":
        numbers = [float(k) if k.replace(".", "", 1).isdigit() else 0.0 for k in keys]
        return numbers == sorted(numbers)
    return page.evaluate(IN_LANGUAGE_ORDER, [keys, lang])


@pytest.mark.browser
@pytest.mark.parametrize("served", ["server", "long_server"])  # the long table: the rows past the window sort too
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_model_table_sorts_by_every_column(page: object, request: pytest.FixtureRequest, served: str,
                                           lang: str) -> None:
    page.goto(f"{request.getfixturevalue(served)}{PREFIX[lang]}/architecture/")
    table = MODELS
    rows = page.locator(f"{table} tbody tr").count()
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
        assert len(ascending) == rows and in_order(page, ascending, method, lang), f"column {index} does not ascend"
        assert on_screen(page, table) == visible_ids(page, table)[:WINDOW]
        header.locator("button").press("Enter")  # the heading holds a button: a keyboard control too
        assert header.get_attribute("aria-sort") == "descending"
        descending = page.evaluate(COLUMN_KEYS, [table, index])
        assert in_order(page, descending[::-1], method, lang), f"column {index} does not descend: {descending}"
        assert descending != ascending or len(set(ascending)) == 1
        assert on_screen(page, table) == visible_ids(page, table)[:WINDOW]
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


# --- A long table: a window of its rows on screen, every row within reach -----------------------------------

LONG_FACTOR = 4  # 29 models become 116: more than two windows, so the table shows one, and a row can stay past it


@early_build()
def _long_tables(early: object, factory: pytest.TempPathFactory) -> Path:
    """A working copy with every model copied into variants (bench/synth.py; the benchmarks as they are), built."""
    repo = copy_repo(factory.mktemp("long-tables") / "repo")
    models = factory.mktemp("long-tables-data")
    shutil.copytree(repo / "data" / "models", models / "models")
    synth.scale_data(models, LONG_FACTOR)
    shutil.copytree(models / "models", repo / "data" / "models", dirs_exist_ok=True)
    return build_site(repo / "site", cwd=repo)


@pytest.fixture(scope="module")
def long_tables(_early_builds: object) -> Path:
    return _early_builds.result("long_tables")


@pytest.fixture(scope="module")
def long_server(long_tables: Path) -> Iterator[str]:
    with serving(long_tables) as url:
        yield url


def window_text(page: object) -> str | None:
    """What the line under the model table says, or None when it is not shown."""
    line = page.locator(".vlm-window").first
    return line.locator(".vlm-window__count").inner_text() if line.is_visible() else None


def count(lang: str, shown: int, total: int) -> str:
    return LABELS[lang]["count"].format(shown=shown, total=total)


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_table_shows_a_window_of_its_rows(page: object, long_server: str, long_tables: Path,
                                                 lang: str) -> None:
    page.goto(f"{long_server}{PREFIX[lang]}/architecture/")
    ids = [r["id"] for r in built_rows(long_tables, lang, "architecture")]
    assert len(ids) == 29 * LONG_FACTOR > 2 * WINDOW
    assert on_screen(page, MODELS) == ids[:WINDOW]
    assert visible_ids(page, MODELS) == ids, "rows past the window left the page or the view"
    assert page.locator(".vlm-filter__status").first.inner_text() == count(lang, len(ids), len(ids))
    assert window_text(page) == count(lang, WINDOW, len(ids))

    page.locator(".vlm-window__all").first.press("Enter")  # a keyboard reader goes on where the rows do
    assert on_screen(page, MODELS) == ids
    assert window_text(page) is None
    assert page.evaluate("document.activeElement.closest('tr').id") == ids[WINDOW]
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_table_of_up_to_two_windows_shows_every_row(page: object, server: str, site: Path, lang: str) -> None:
    """A window would leave out too few rows to be worth a button: the glossary shows every row, sorted or not."""
    page.goto(f"{server}{PREFIX[lang]}/glossary/")
    ids = [r["id"] for r in built_rows(site, lang, "glossary")]
    assert WINDOW < len(ids) <= 2 * WINDOW, "the glossary is no longer between one and two windows long"
    glossary = 'table[data-vlm-table="glossary"]'
    page.locator(f"{glossary} thead th").first.click()
    assert sorted(on_screen(page, glossary)) == sorted(ids)
    assert window_text(page) is None
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_table_sorts_and_filters_every_row(page: object, long_server: str, long_tables: Path,
                                                  lang: str) -> None:
    page.goto(f"{long_server}{PREFIX[lang]}/architecture/")
    rows = built_rows(long_tables, lang, "architecture")
    name = page.locator(f'{MODELS} th[data-col="name"]')
    name.locator("button").focus()  # the heading's button: a keyboard control
    page.keyboard.press("Space")
    assert name.get_attribute("aria-sort") == "ascending"
    keys = page.evaluate(COLUMN_KEYS, [MODELS, 0])
    assert len(keys) == len(rows) and in_order(page, keys, None, lang), "the rows past the window are not sorted"
    ascending = visible_ids(page, MODELS)
    assert on_screen(page, MODELS) == ascending[:WINDOW]
    assert ascending != [r["id"] for r in rows]

    year = page.locator(f'{MODELS} th[data-col="year"]')
    year.click()
    year.click()
    assert year.get_attribute("aria-sort") == "descending" and name.get_attribute("aria-sort") is None
    by_year = sorted(rows, key=lambda r: -int(r["data-year"]))  # stable: equal years keep the page's order
    assert visible_ids(page, MODELS) == [r["id"] for r in by_year]
    assert on_screen(page, MODELS) == [r["id"] for r in by_year][:WINDOW]

    search = page.locator(".vlm-filter input[type=search]").first
    search.fill("qwen")
    expected = [r["id"] for r in by_year if "qwen" in r["text"].lower()]
    assert 0 < len(expected) < WINDOW
    assert visible_ids(page, MODELS) == on_screen(page, MODELS) == expected
    assert page.locator(".vlm-filter__status").first.inner_text() == count(lang, len(expected), len(rows))
    assert window_text(page) is None
    search.fill("")
    assert on_screen(page, MODELS) == [r["id"] for r in by_year][:WINDOW]
    assert window_text(page) == count(lang, WINDOW, len(rows))
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_link_to_a_row_past_the_window_shows_it(page: object, long_server: str, long_tables: Path,
                                                  lang: str) -> None:
    ids = [r["id"] for r in built_rows(long_tables, lang, "architecture")]
    page.goto(f"{long_server}{PREFIX[lang]}/architecture/#{ids[-1]}")
    row = page.locator(f"tr#{ids[-1]}")
    assert row.evaluate("row => row.checkVisibility()"), "the linked row stays off screen"
    assert "vlm-target" in row.get_attribute("class")
    box = row.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"] - box["height"], "the page does not open at the row"
    assert on_screen(page, MODELS) == ids

    page.goto(f"{long_server}{PREFIX[lang]}/architecture/")
    page.evaluate(f"location.hash = '{ids[WINDOW + 1]}'")  # a link followed within the page
    page.wait_for_function(f"() => document.getElementById('{ids[WINDOW + 1]}').checkVisibility()", timeout=5_000)
    box = page.locator(f"tr#{ids[WINDOW + 1]}").bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"] - box["height"]
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_print_shows_every_row_of_the_view(page: object, long_server: str, long_tables: Path, lang: str) -> None:
    page.goto(f"{long_server}{PREFIX[lang]}/architecture/")
    page.locator(f'{MODELS} th[data-col="name"]').click()
    rows = built_rows(long_tables, lang, "architecture")
    assert len(on_screen(page, MODELS)) == WINDOW < len(rows)
    page.pdf()  # printing, as Ctrl-P does: the page hears beforeprint first
    page.emulate_media(media="print")
    printed = on_screen(page, MODELS)
    keys = page.evaluate('ids => ids.map(id => document.getElementById(id).cells[0].getAttribute("data-sort"))',
                         printed)
    assert sorted(printed) == sorted(r["id"] for r in rows), "print leaves out rows past the window"
    assert in_order(page, keys, None, lang), "print shows the rows past the window out of order"
    assert not page.locator(".vlm-window").first.is_visible()

    page.emulate_media(media="screen")
    page.goto(f"{long_server}{PREFIX[lang]}/architecture/?models.year_from=2022")
    rows = built_rows(long_tables, lang, "architecture")
    expected = [r["id"] for r in rows if int(r["data-year"]) >= 2022]
    assert WINDOW < len(expected) < len(rows)
    page.emulate_media(media="print")
    assert on_screen(page, MODELS) == expected, "print shows rows the filter left out"
    assert page.console_errors == []


@pytest.mark.browser
def test_download_this_view_gets_the_rows_past_the_window(page: object, long_server: str) -> None:
    page.goto(f"{long_server}/en/architecture/")
    page.locator(f'{MODELS} th[data-col="name"]').click()
    page.locator(f'{MODELS} th[data-col="name"]').click()
    with page.expect_download() as info:  # before anything else reads the rows past the window
        page.click("[data-vlm-downloads=models] button[data-format=csv]")
    ids = [record["id"] for record in csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8")))]
    view = [row_id.removeprefix("model-") for row_id in visible_ids(page, MODELS)]
    assert len(on_screen(page, MODELS)) < len(view)
    assert ids == view
    assert page.console_errors == []
