"""Every page of both languages in a real Chromium: requests, console, permalinks, phone width, axe.

One walk over the built site (a module fixture) records what each page does; each test then judges
one promise, so a failure names the promise and the pages that break it.

axe-core runs on every written chapter of both languages, light and dark. Of the pages generated
from data (one template per collection, a hundred or more pages) it runs on the few that together
contain every heading, element and class any of them contains: the same markup, checked once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpers import LANGS, ROOT, html_pages, source_pages

pytestmark = pytest.mark.browser

AXE = (ROOT / "tests" / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# Every rule runs; only the report is trimmed, and axe does not re-fetch the stylesheets.
AXE_OPTIONS = {"resultTypes": ["violations"], "preload": False}
TABS = 2
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

# axe starts in one call and is collected in another, so the tabs run it side by side.
START_AXE = """(options) => {
  window.vlmAxe = axe.run(document, options).then(result => result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")}`));
}"""
AXE_RESULT = "() => window.vlmAxe"
# Tables and figures off screen are laid out only near the screen (content-visibility: auto, extra.css); axe
# reads the colours of what is drawn, so it sees the whole page drawn, as a reader scrolling through it does.
DRAW_ALL = """() => {
  const style = document.createElement("style");
  style.textContent = "table[data-vlm-table], .vlm-figure { content-visibility: visible !important; }";
  document.head.append(style);
}"""

# Material's palette toggle sets this attribute; transitions are stopped so colours are final at once.
DARK = """() => {
  const style = document.createElement("style");
  style.textContent = "*, *::before, *::after { transition: none !important; }";
  document.head.append(style);
  document.body.setAttribute("data-md-color-scheme", "slate");
}"""

HEADINGS_WITHOUT_VISIBLE_PERMALINK = """() =>
  [...document.querySelectorAll("article h2, article h3")].filter(h => {
    const link = h.querySelector("a.headerlink");
    if (!h.id || !link || link.getAttribute("href") !== "#" + h.id) return true;
    const style = getComputedStyle(link), box = link.getBoundingClientRect();
    return style.display === "none" || style.visibility === "hidden" || Number(style.opacity) < 0.9
      || box.width === 0 || box.height === 0;
  }).map(h => h.id || h.textContent.trim())"""

# Elements sticking out to the right of the viewport, unless they scroll inside a box of their own
# that fits (tables, code, wide maths) or are not shown (visually hidden text, closed drawers).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrollsInOwnBox = el => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if ((overflow === "auto" || overflow === "scroll") && box.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const notShown = el => {
    for (let box = el; box; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.visibility === "hidden" || style.opacity === "0") return true;
      const rect = box.getBoundingClientRect();
      if (style.overflow === "hidden" && (rect.width <= 1 || rect.height <= 1)) return true;
    }
    return false;
  };
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || rect.right <= width + 1) continue;
    if (scrollsInOwnBox(el) || notShown(el)) continue;
    found.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ends at ${Math.round(rect.right)}px`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, found: found.slice(0, 5)};
}"""


@dataclass
class Visit:
    """What one page did and what the checks found on it."""
    axe: bool = False
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    axe_light: list[str] = field(default_factory=list)
    axe_dark: list[str] = field(default_factory=list)
    permalinks: list[str] = field(default_factory=list)
    phone: dict = field(default_factory=dict)


def site_paths(site: Path) -> list[str]:
    """URL paths of every page of both languages (404.html links absolute /vlm-survey/ paths: deploy only)."""
    paths = []
    for lang in LANGS:
        for path in html_pages(site, lang):
            relative = path.relative_to(site)
            if relative.name != "404.html":
                paths.append("/" + "".join(f"{part}/" for part in relative.parent.parts))
    return paths


def chapter_paths(lang: str) -> set[str]:
    """URL paths of the chapters written in docs/<lang>/."""
    prefix = f"/{LANGS[lang]}/" if LANGS[lang] else "/"
    return {prefix + ("" if page == "index" else f"{page}/") for page in source_pages(lang)}


def markup_features(html: str) -> set[str]:
    """Heading ids, element names and classes inside a page's article."""
    article = html[html.find("<article"):html.find("</article>")]
    return ({f"#{i}" for i in re.findall(r'<h[23] id="([^"]+)"', article)}
            | {f"<{tag}" for tag in re.findall(r"<([a-z][a-z0-9-]*)", article)}
            | {f".{name}" for names in re.findall(r'class="([^"]*)"', article) for name in names.split()})


def axe_paths(site: Path, paths: list[str]) -> set[str]:
    """Every chapter, and per language and collection of generated pages a covering few (greedy)."""
    chapters = set().union(*(chapter_paths(lang) for lang in LANGS))
    groups: dict[str, dict[str, set[str]]] = {}
    for path in set(paths) - chapters:
        group = path.rsplit("/", 2)[0]  # /en/models, /benchmarks, ...
        html = (site / path.strip("/") / "index.html").read_text(encoding="utf-8")
        groups.setdefault(group, {})[path] = markup_features(html)
    chosen = set(chapters) & set(paths)
    for pages in groups.values():
        missing = set().union(*pages.values())
        while missing:
            best = max(sorted(pages), key=lambda path: len(pages[path] & missing))
            chosen.add(best)
            missing -= pages[best]
    return chosen


@pytest.fixture(scope="module")
def visits(browser: object, server: str, site: Path) -> dict[str, Visit]:
    """Open every page once at phone width, recording requests and console errors and checking layout
    and permalinks; widen the pages axe audits to the desktop layout for it.

    TABS pages load side by side, and axe runs side by side (each step is started in every tab,
    then collected), which keeps the walk over a few hundred pages short.
    """
    local = urlsplit(server).netloc
    context = browser.new_context(viewport=PHONE)
    tabs = [context.new_page() for _ in range(TABS)]
    report: dict[str, Visit] = {}
    current: dict[object, Visit] = {}
    unattributed = Visit()

    def request(req: object) -> None:
        url = urlsplit(req.url)
        if url.scheme in ("data", "blob", "about") or url.netloc == local:
            return
        try:
            visit = current[req.frame.page]
        except Exception:  # a worker's request has no frame
            visit = unattributed
        visit.foreign.append(req.url)

    context.on("request", request)
    for tab in tabs:
        tab.on("response", lambda resp, tab=tab: current[tab].errors.append(f"HTTP {resp.status} {resp.url}")
               if resp.status >= 400 else None)
        tab.on("console", lambda msg, tab=tab: current[tab].errors.append(msg.text) if msg.type == "error" else None)
        tab.on("pageerror", lambda exc, tab=tab: current[tab].errors.append(str(exc)))
    paths = site_paths(site)
    audited = axe_paths(site, paths)
    for first in range(0, len(paths), TABS):
        batch = list(zip(tabs, paths[first:first + TABS]))
        for tab, path in batch:
            current[tab] = report[path] = Visit(axe=path in audited)
            if tab.viewport_size != PHONE:
                tab.set_viewport_size(PHONE)
            tab.goto(server + path, wait_until="commit")
        for tab, path in batch:
            visit = report[path]
            tab.wait_for_url(server + path, wait_until="load")
            visit.phone = tab.evaluate(OVERFLOWING)
            visit.permalinks = tab.evaluate(HEADINGS_WITHOUT_VISIBLE_PERMALINK)
            if visit.axe:
                tab.set_viewport_size(DESKTOP)
                tab.evaluate(DRAW_ALL)
                tab.add_script_tag(content=AXE)
                tab.evaluate(START_AXE, AXE_OPTIONS)
        for tab, path in batch:
            if report[path].axe:
                report[path].axe_light = tab.evaluate(AXE_RESULT)
                tab.evaluate(DARK)
                tab.evaluate(START_AXE, {**AXE_OPTIONS, "runOnly": ["color-contrast", "link-in-text-block"]})
        for tab, path in batch:
            if report[path].axe:
                report[path].axe_dark = tab.evaluate(AXE_RESULT)
    context.close()
    if unattributed.foreign:
        report["(a worker)"] = unattributed
    return report


def failures(visits: dict[str, Visit], attribute: str) -> str:
    return "\n".join(f"{path}: {getattr(v, attribute)}" for path, v in visits.items() if getattr(v, attribute))


def test_every_page_of_both_languages_is_visited(visits: dict[str, Visit]) -> None:
    pages = [path for path in visits if path.startswith("/")]
    english = [path for path in pages if path.startswith("/en/")]
    assert len(english) >= len(source_pages("en")) and len(pages) == 2 * len(english)
    audited = {path for path in pages if visits[path].axe}
    for lang in LANGS:
        assert chapter_paths(lang) <= audited, f"axe skipped chapters: {chapter_paths(lang) - audited}"
    generated = {path.rsplit("/", 2)[0] for path in pages} - {""}
    assert all(any(path.startswith(group + "/") for path in audited) for group in generated)


def test_no_request_leaves_the_local_server(visits: dict[str, Visit]) -> None:
    assert not failures(visits, "foreign"), "third-party requests:\n" + failures(visits, "foreign")


def test_no_console_errors_or_failed_requests(visits: dict[str, Visit]) -> None:
    assert not failures(visits, "errors"), failures(visits, "errors")


def test_axe_finds_no_serious_or_critical_violations(visits: dict[str, Visit]) -> None:
    assert not failures(visits, "axe_light"), failures(visits, "axe_light")


def test_dark_scheme_keeps_contrast_and_links_distinct(visits: dict[str, Visit]) -> None:
    assert not failures(visits, "axe_dark"), failures(visits, "axe_dark")


def test_every_h2_and_h3_shows_its_permalink(visits: dict[str, Visit]) -> None:
    assert not failures(visits, "permalinks"), "headings without a visible permalink:\n" + failures(visits, "permalinks")


def test_phone_width_has_no_horizontal_scroll_outside_scroll_boxes(visits: dict[str, Visit]) -> None:
    wide = {path: v.phone for path, v in visits.items()
            if v.phone["found"] or v.phone["scrollWidth"] > v.phone["width"]}
    assert not wide, "\n".join(f"{path}: {phone}" for path, phone in wide.items())
