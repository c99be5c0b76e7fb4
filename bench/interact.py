"""Browser timings, measured inside the page with performance.now(): from the event to the next
frame after the page changed (the results or rows a reader sees).

- search: key-up in Material's search field to the result list changing (the index is loaded first);
- sort: a click on a column heading of the model table (tables.js sorts synchronously);
- filter: typing into the filter field above the model table, when the page has one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from bench.common import median

# Resolves with [ms to the frame after the first DOM change inside `targets` that follows `act()`, ms that
# `act()` itself ran (the synchronous script: a sort, a filter pass)], or null when nothing changed in 10 s.
_AFTER_CHANGE = """() => {
window.__benchAfterChange = (targets, act) => new Promise(resolve => {
  let start = 0, script = 0;
  const observer = new MutationObserver(() => {
    observer.disconnect();
    clearTimeout(timeout);
    requestAnimationFrame(() => setTimeout(() => resolve([performance.now() - start, script]), 0));
  });
  const timeout = setTimeout(() => { observer.disconnect(); resolve(null); }, 10000);
  targets.forEach(t => observer.observe(t, {childList: true, subtree: true, attributes: true, characterData: true}));
  start = performance.now();
  act();
  script = performance.now() - start;
});
}"""

_SEARCH = """async (query) => {
  const input = document.querySelector('.md-search__input');
  const list = document.querySelector('.md-search-result__list');
  const meta = document.querySelector('.md-search-result__meta');
  const type = value => { input.value = value; input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true})); };
  await window.__benchAfterChange([list, meta], () => type(''));  // back to an empty result list
  return window.__benchAfterChange([list, meta], () => type(query));
}"""

_SORT = """(column) => {
  const th = document.querySelector('table[data-vlm-table="models"] th[data-col="' + column + '"]');
  return window.__benchAfterChange([th.closest('table').tBodies[0]], () => th.click());
}"""

# The filter field: a text input in the few elements just before the table (or its scroll wrapper).
_FIND_FILTER = """() => {
  const table = document.querySelector('table[data-vlm-table="models"]');
  let node = table.closest('.md-typeset__scrollwrap') || table;
  for (let i = 0; i < 3 && node; i++) {
    node = node.previousElementSibling;
    const input = node && node.querySelector('input[type="search"], input[type="text"], input:not([type])');
    if (input) { window.__benchFilter = input; return true; }
  }
  window.__benchFilter = table.querySelector('input[type="search"], input[type="text"]');
  return !!window.__benchFilter;
}"""

_FILTER = """(term) => {
  const table = document.querySelector('table[data-vlm-table="models"]');
  const input = window.__benchFilter;
  return window.__benchAfterChange([table.tBodies[0]], () => {
    input.value = term;
    input.dispatchEvent(new Event('input', {bubbles: true}));
  });
}"""

SEARCH_QUERIES = ("视觉编码器", "幻觉", "对齐", "基准", "多模态", "注意力")
SORT_COLUMNS = ("name", "year")
FILTER_TERMS = ("vicuna", "2023", "openai", "")


@dataclass
class Timings:
    """Per action: ms to the frame showing the result, and ms of the script the event ran synchronously."""

    total: list[float] = field(default_factory=list)
    script: list[float] = field(default_factory=list)


def _measured(samples: Iterable[list[float] | None]) -> Timings:
    """The timings of the actions that changed the page (an unchanged page has nothing to time)."""
    timings = Timings()
    for sample in samples:
        if sample is not None:
            timings.total.append(sample[0])
            timings.script.append(sample[1])
    return timings


def _open(browser: object, url: str) -> tuple[object, object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="load")  # a long page parses for a while after the network is idle
    page.wait_for_load_state("networkidle")
    page.evaluate(_AFTER_CHANGE)
    return context, page


def search_times(browser: object, url: str, rounds: int) -> Timings:
    """Milliseconds from key-up to results, for Chinese queries, after a warm-up query."""
    context, page = _open(browser, url)
    try:
        page.click(".md-search__input")
        page.fill(".md-search__input", SEARCH_QUERIES[0])
        page.dispatch_event(".md-search__input", "keyup")
        page.wait_for_selector(".md-search-result__item", timeout=60_000)  # the worker has the index
        return _measured(page.evaluate(_SEARCH, query) for _ in range(rounds) for query in SEARCH_QUERIES)
    finally:
        context.close()


def sort_times(browser: object, url: str, rounds: int) -> Timings:
    """Milliseconds from a click on a heading of the model table to the sorted rows on screen."""
    context, page = _open(browser, url)
    try:
        return _measured(page.evaluate(_SORT, column) for _ in range(rounds) for column in SORT_COLUMNS for _ in (0, 1))
    finally:
        context.close()


def filter_times(browser: object, url: str, rounds: int) -> Timings | None:
    """Milliseconds from typing into the model table's filter to the rows shown; None without a filter."""
    context, page = _open(browser, url)
    try:
        if not page.evaluate(_FIND_FILTER):
            return None
        return _measured(page.evaluate(_FILTER, term) for _ in range(rounds) for term in FILTER_TERMS)
    finally:
        context.close()


def row_count(browser: object, url: str) -> int:
    context, page = _open(browser, url)
    try:
        # every row: tables.js keeps the rows past those on screen in a second body
        return page.evaluate("""() => document.querySelectorAll('table[data-vlm-table="models"] > tbody > tr').length""")
    finally:
        context.close()


def summary(timings: Timings | None, script: bool = True) -> str:
    """'median ms (max ms)', and the median of the synchronous script when asked."""
    if not timings or not timings.total:
        return "n/a"
    shown = f"{median(timings.total):.0f} ms (max {max(timings.total):.0f})"
    return shown + (f"; script {median(timings.script):.0f} ms" if script else "")
