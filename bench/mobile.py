"""What a phone on a slow network gets: Lighthouse's mobile scores (scripts/lighthouse.py), and on slow 4G the
time until a page's scripts are ready.

Slow 4G is Chromium's network throttling through CDP: 1.6 Mbps down, 750 kbps up, 150 ms round trip, an
empty cache (a fresh browser context per page), the site served with gzip as GitHub Pages serves it.
A page is *ready* once both have happened, in the page's clock (milliseconds from the start of the
navigation):

- Material's `document$` has emitted and everything subscribed to it has run (its components and the
  site's scripts: tables, exports, figures): the end of the DOMContentLoaded handlers, where Material emits it;
- and, since the search index and the search worker are fetched when the reader reaches for search
  (overrides/partials/search-on-demand.html), nothing more: the page works without them.

Then the reader taps search: *search ready* is the time from that tap until Material's search worker has
started and reported the index loaded and built (the line under the search field leaves "Initializing search" for
the prompt to type), over the same slow 4G.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from bench.common import chromium
from scripts import lighthouse

SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
# Before any script of the page: when the search line first changes, in the page's clock.
WATCH_SEARCH = """
addEventListener("DOMContentLoaded", () => {
  const line = document.querySelector(".md-search-result__meta"), first = line.textContent
  new MutationObserver((_, observer) => {
    if (line.textContent !== first) { window.__searchReady = performance.now(); observer.disconnect() }
  }).observe(line, {childList: true, characterData: true, subtree: true})
})
"""
DOCUMENT_READY = "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
SEARCH_READY = "window.__searchReady !== undefined"


def scores(site: Path) -> list[lighthouse.Result]:
    """Lighthouse on the pages scripts/lighthouse.py audits, in every language."""
    return list(lighthouse.audit(site))


def ready_times(site: Path, paths: Sequence[str]) -> dict[str, tuple[float, float]]:
    """(ms to ready, ms from the search tap to search ready) on slow 4G of each path ('/', '/en/vit/') of
    `site`, served with gzip."""
    with lighthouse.serving_gzip(site) as base, chromium() as browser:
        return {path: ready_ms(browser, base + path) for path in paths}


def ready_ms(browser: object, url: str, timeout_ms: float = 60_000) -> tuple[float, float]:
    """Milliseconds from navigation to ready, and from the tap on search to search ready (see the module's
    docstring), on slow 4G with an empty cache."""
    context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.add_init_script(WATCH_SEARCH)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        page.goto(url, wait_until="commit")
        page.wait_for_function(f"{DOCUMENT_READY} > 0", timeout=timeout_ms)
        ready = page.evaluate(DOCUMENT_READY)
        tapped = page.evaluate("performance.now()")
        page.locator("label.md-header__button[for=__search]").click()
        page.wait_for_function(SEARCH_READY, timeout=timeout_ms)
        return ready, page.evaluate("window.__searchReady") - tapped
    finally:
        context.close()
