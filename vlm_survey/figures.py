"""Figures drawn from the data at build time, as inline SVG: no JavaScript, no image files.

`timeline_figure` places every model by year (rows) and paradigm (columns), one labelled
marker per model; `lineage_figure` draws the `based_on` relations as boxes and arrows. Both
take the page language and a function giving each model's page address (markers are links).

Layout is by construction free of overlaps: every label gets its own line, and column widths
come from a conservative estimate of the label widths. Text uses `currentColor` and lines use
`currentColor` with opacity, so both figures follow the light and dark colour schemes; the
three paradigm colours are mid-tones readable on either, and each paradigm also has its own
marker shape. Every text from data is escaped, braces included (vlm_survey.tables.text).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from typing import Any, Callable, Iterable, Sequence

from vlm_survey.i18n import check_language, label, t
from vlm_survey.tables import text as escape_text

Entry = dict[str, Any]
Href = Callable[[str], str]  # model id -> address of its page

PARADIGMS = ("from-scratch", "llm-backbone", "unified-tokens")
COLORS = {"from-scratch": "#e8710a", "llm-backbone": "#4f7df0", "unified-tokens": "#14a37f"}
FONT = 12  # px
LINE = 20  # px between two labels
AXIS = 52  # px for the year axis
HEADER = 40  # px for the paradigm headings
MARKER = 12  # px from a column's left edge to the marker's centre


def text_width(text: str, size: float = FONT) -> float:
    """A generous estimate of rendered width: full-width characters 1em, others 0.64em."""
    return sum(size * (1.0 if unicodedata.east_asian_width(c) in "WF" else 0.64) for c in text)


def _marker(paradigm: str, x: float, y: float) -> str:
    color = COLORS[paradigm]
    if paradigm == "from-scratch":
        return f'<circle cx="{x:g}" cy="{y:g}" r="5" fill="{color}"/>'
    if paradigm == "llm-backbone":
        return f'<rect x="{x - 4.5:g}" y="{y - 4.5:g}" width="9" height="9" fill="{color}"/>'
    points = f"{x:g},{y - 6:g} {x + 6:g},{y:g} {x:g},{y + 6:g} {x - 6:g},{y:g}"
    return f'<polygon points="{points}" fill="{color}"/>'


def _svg(width: float, height: float, aria: str, body: Iterable[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="vlm-svg" viewBox="0 0 {width:g} {height:g}" '
            f'width="{width:g}" role="group" aria-label="{escape_text(aria)}" '
            f'style="max-width:100%;height:auto;font-size:{FONT}px;font-family:inherit">{"".join(body)}</svg>')


def _figure(kind: str, svg: str, caption: str) -> str:
    return (f'<figure class="vlm-figure" data-vlm-figure="{kind}" data-search-exclude>{svg}'
            f'<figcaption>{escape_text(caption)}</figcaption></figure>')


def timeline_figure(models: Sequence[Entry], lang: str, href: Href) -> str:
    """Year × paradigm: one marker and name per model, each a link to the model's page."""
    check_language(lang)
    cells: dict[tuple[int, str], list[Entry]] = defaultdict(list)
    for model in models:
        cells[model["year"], model["paradigm"]].append(model)
    for entries in cells.values():
        entries.sort(key=lambda m: m["name"].casefold())
    years = range(min(m["year"] for m in models), max(m["year"] for m in models) + 1)
    headings = {p: label(lang, "paradigm", p) for p in PARADIGMS}
    widths = {p: MARKER + 12 + max([text_width(headings[p])]
                                   + [text_width(m["name"]) for m in models if m["paradigm"] == p]) + 16
              for p in PARADIGMS}
    lefts, x = {}, AXIS
    for p in PARADIGMS:
        lefts[p], x = x, x + widths[p]
    heights = {y: max([len(cells[y, p]) for p in PARADIGMS] + [1]) * LINE + 10 for y in years}
    width, height = x, HEADER + sum(heights.values())
    body = []
    for p in PARADIGMS:
        cx = lefts[p] + MARKER
        body.append(_marker(p, cx, 16))
        body.append(f'<text x="{cx + 12:g}" y="20" fill="currentColor" font-weight="bold">{escape_text(headings[p])}</text>')
        body.append(f'<line x1="{cx:g}" y1="{HEADER - 6}" x2="{cx:g}" y2="{height:g}" stroke="{COLORS[p]}" '
                    f'stroke-opacity="0.35" stroke-width="2"/>')
    top = HEADER
    for year in years:
        body.append(f'<line x1="0" y1="{top:g}" x2="{width:g}" y2="{top:g}" stroke="currentColor" '
                    f'stroke-opacity="0.15"/>')
        body.append(f'<text x="{AXIS - 10}" y="{top + 19:g}" fill="currentColor" text-anchor="end">{year}</text>')
        for p in PARADIGMS:
            for row, model in enumerate(cells[year, p]):
                cy = top + 15 + row * LINE
                tip = f'{model["name"]} ({model["year"]}) · {headings[p]}'
                body.append(f'<a href="{escape_text(href(model["id"]))}"><title>{escape_text(tip)}</title>'
                            f'{_marker(p, lefts[p] + MARKER, cy)}'
                            f'<text x="{lefts[p] + MARKER + 12:g}" y="{cy + 4:g}" fill="currentColor">'
                            f'{escape_text(model["name"])}</text></a>')
        top += heights[year]
    aria = t(lang, "fig.timeline.aria", count=len(models), start=years[0], end=years[-1])
    return _figure("timeline", _svg(width, height, aria, body), t(lang, "fig.timeline.caption"))


def _lineage_layout(models: Sequence[Entry]) -> tuple[dict[str, int], dict[str, int], list[tuple[str, str]]]:
    """Columns (generation) and rows of every model in a `based_on` relation, and the edges."""
    by_id = {m["id"]: m for m in models}
    edges = [(parent, m["id"]) for m in models for parent in m.get("based_on", []) if parent in by_id]
    nodes = {n for edge in edges for n in edge}
    parents: dict[str, list[str]] = defaultdict(list)
    children: dict[str, list[str]] = defaultdict(list)
    for parent, child in edges:
        parents[child].append(parent)
        children[parent].append(child)
    order = sorted(nodes, key=lambda n: (by_id[n]["year"], by_id[n]["name"].casefold()))
    column: dict[str, int] = {}

    def generation(node: str, seen: frozenset[str]) -> int:
        if node not in column:  # a cycle in the data (a -> b -> a) is cut where it closes
            column[node] = max([generation(p, seen | {node}) + 1 for p in parents[node] if p not in seen] + [0])
        return column[node]

    for node in order:
        generation(node, frozenset())
    row: dict[str, int] = {}
    next_row = 0

    def place(node: str, at: int) -> None:
        nonlocal next_row
        row[node] = at
        next_row = max(next_row, at + 1)
        first = True
        for child in sorted(children[node], key=order.index):
            if child not in row:
                place(child, at if first else next_row)
                first = False

    roots = [n for n in order if not parents[n]]
    for node in roots + order:  # `order` places what only a cycle leads to
        if node not in row:
            place(node, next_row)
    return column, row, edges


def lineage_figure(models: Sequence[Entry], lang: str, href: Href) -> str:
    """Boxes for the models in a `based_on` relation, an arrow from each model to its successors."""
    check_language(lang)
    column, row, edges = _lineage_layout(models)
    if not edges:
        return f'<p class="vlm-figure-empty">{escape_text(t(lang, "fig.lineage.empty"))}</p>'
    by_id = {m["id"]: m for m in models}
    labels = {n: f'{by_id[n]["name"]} · {by_id[n]["year"]}' for n in column}
    box_w, box_h, gap, pitch = max(text_width(s) for s in labels.values()) + 24, 26, 44, 38
    width = (max(column.values()) + 1) * (box_w + gap) - gap + 2
    height = (max(row.values()) + 1) * pitch + 2

    def left(n: str) -> float:
        return 1 + column[n] * (box_w + gap)

    def middle(n: str) -> float:
        return 1 + row[n] * pitch + box_h / 2

    body = []
    for parent, child in edges:
        x1, y1, x2, y2 = left(parent) + box_w, middle(parent), left(child), middle(child)
        bend = x1 + gap / 2
        tip = t(lang, "fig.lineage.edge", child=by_id[child]["name"], parent=by_id[parent]["name"])
        body.append(f'<g><title>{escape_text(tip)}</title>'
                    f'<path d="M{x1:g} {y1:g}H{bend:g}V{y2:g}H{x2 - 6:g}" fill="none" stroke="currentColor" '
                    f'stroke-opacity="0.6" stroke-width="1.5"/>'
                    f'<polygon points="{x2:g},{y2:g} {x2 - 7:g},{y2 - 4:g} {x2 - 7:g},{y2 + 4:g}" '
                    f'fill="currentColor" fill-opacity="0.6"/></g>')
    for node in sorted(column, key=lambda n: (row[n], column[n])):
        model, x, y = by_id[node], left(node), middle(node) - box_h / 2
        paradigm = model["paradigm"]
        tip = f'{model["name"]} ({model["year"]}) · {label(lang, "paradigm", paradigm)}'
        body.append(f'<a href="{escape_text(href(node))}"><title>{escape_text(tip)}</title>'
                    f'<rect x="{x:g}" y="{y:g}" width="{box_w:g}" height="{box_h}" rx="4" fill="none" '
                    f'stroke="{COLORS[paradigm]}" stroke-width="1.5"/>'
                    f'{_marker(paradigm, x + MARKER, y + box_h / 2)}'
                    f'<text x="{x + MARKER + 11:g}" y="{y + box_h / 2 + 4:g}" fill="currentColor">'
                    f'{escape_text(labels[node])}</text></a>')
    aria = t(lang, "fig.lineage.aria", count=len(column), edges=len(edges))
    return _figure("lineage", _svg(width, height, aria, body), t(lang, "fig.lineage.caption"))
