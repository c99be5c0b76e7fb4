"""Page weight: the bytes a reader's browser fetches for one page, gzipped as a server would send them.

Chromium loads the page from a local server and every response is recorded (fonts only when a glyph
needs them, workers included). Text (HTML, CSS, JS, JSON, SVG) counts gzipped at level 6; fonts and
images count as they are, being compressed already. The search index is reported on its own: the
site fetches it, with the search worker's script and the scripts the worker loads, when the reader first
reaches for search (overrides/partials/search-on-demand.html), so a page load that does not search
leaves them out, and a reader who searches adds them once (`first_search`).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from bench.mobile import SEARCH_READY, WATCH_SEARCH

KINDS = ("html", "css", "js", "font", "other")
TEXT_KINDS = {"html", "css", "js"}
TEXT_SUFFIXES = (".json", ".svg", ".xml", ".txt", ".map")


@dataclass(frozen=True)
class Resource:
    url: str
    resource_type: str  # Playwright's request.resource_type: document, stylesheet, script, font, fetch, ...
    body: bytes


@dataclass
class Weight:
    """Bytes on the wire by kind; the search index apart."""

    by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    search_index: int = 0
    urls: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def fetched(self) -> int:
        """Everything the browser fetched for the page with an empty cache (the search index only if fetched)."""
        return self.total + self.search_index


def kind_of(resource: Resource) -> str:
    kinds = {"document": "html", "stylesheet": "css", "script": "js", "font": "font"}
    kind = kinds.get(resource.resource_type, "other")
    if kind == "other" and resource.url.split("?")[0].endswith((".js", ".mjs")):
        kind = "js"  # a worker's script
    return kind


def wire_bytes(resource: Resource, kind: str) -> int:
    """Gzipped size of text, raw size of what is compressed already (fonts, images)."""
    path = resource.url.split("?")[0]
    if kind in TEXT_KINDS or path.endswith(TEXT_SUFFIXES):
        return len(gzip.compress(resource.body, compresslevel=6, mtime=0))
    return len(resource.body)


def weigh(resources: Iterable[Resource]) -> Weight:
    """Sum what one page load fetched, by kind."""
    weight = Weight()
    for resource in resources:
        kind = kind_of(resource)
        size = wire_bytes(resource, kind)
        if resource.url.split("?")[0].endswith("search_index.json"):
            weight.search_index += size
            continue
        weight.by_kind[kind] += size
        weight.urls.append(resource.url)
    return weight


def _resources(responses: Iterable[object]) -> list[Resource]:
    resources = []
    for response in responses:
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            continue
        resources.append(Resource(response.url, response.request.resource_type, body))
    return resources


def _open(browser: object, url: str, responses: list[object], init_script: str = "") -> tuple[object, object]:
    """A fresh context recording every response into `responses`, with `url` loaded (after `init_script`, if
    any, has run in it) and the network idle."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.on("response", lambda response: responses.append(response))
    page = context.new_page()
    if init_script:
        page.add_init_script(init_script)
    page.goto(url, wait_until="load")  # every script has run
    page.wait_for_load_state("networkidle")  # and what they fetched has arrived
    return context, page


def load_page(browser: object, url: str) -> Weight:
    """Open `url` in a fresh context, wait until the network is idle, weigh everything fetched."""
    responses: list[object] = []
    context, _ = _open(browser, url, responses)
    try:
        return weigh(_resources(responses))
    finally:
        context.close()


def first_search(browser: object, url: str) -> Weight:
    """What the first search on `url` fetches after the page load (the index, the worker's script, the
    scripts the worker loads): from a click in the search field until search is ready (bench/mobile.py's
    watch: the worker has loaded those scripts and built the index)."""
    responses: list[object] = []
    context, page = _open(browser, url, responses, WATCH_SEARCH)
    try:
        loaded = len(responses)
        page.click(".md-search__input")
        page.wait_for_function(SEARCH_READY, timeout=60_000)
        return weigh(_resources(responses[loaded:]))
    finally:
        context.close()


def search_index_size(site: Path) -> tuple[int, int]:
    """Raw and gzipped bytes of one language's search index."""
    raw = (site / "search" / "search_index.json").read_bytes()
    json.loads(raw)  # a broken index would make the numbers meaningless
    return len(raw), len(gzip.compress(raw, compresslevel=6, mtime=0))
