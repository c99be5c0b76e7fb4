"""Figures drawn from the data at build time, as inline SVG: no JavaScript, no image files.

`timeline_figure` places every model by year (rows) and paradigm (columns), one labelled
marker per model; `lineage_figure` draws the `based_on` relations as boxes and arrows. Both
take the page language and a function giving each model's page address (markers are links).

Layout is by construction free of overlaps: every label gets its own line, and column widths
come from a conservative estimate of the label widths. Text uses `currentColor` and lines use
`currentColor` with opacity, so both figures follow the light and dark colour schemes; the
three paradigm colours are mid-tones readable on either, and each paradigm also has its own
marker shape. Python lays the figures out; templates/timeline.html and templates/lineage.html draw
them, escaping every text from data, braces included (vlm_survey.render).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from typing import Any, Callable, Sequence

from markupsafe import Markup

from vlm_survey.i18n import check_language, label, t
from vlm_survey.render import render

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


def timeline_figure(models: Sequence[Entry], lang: str, href: Href, number: str = "") -> Markup:
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
    rows = []
    top = HEADER
    for year in years:
        marks = [(href(model["id"]), f'{model["name"]} ({model["year"]}) · {headings[p]}', p,
                  lefts[p] + MARKER, top + 15 + row * LINE, model["name"])
                 for p in PARADIGMS for row, model in enumerate(cells[year, p])]
        rows.append({"year": year, "top": top, "marks": marks})
        top += heights[year]
    return render("timeline.html", width=width, height=height, font=FONT, colors=COLORS, header=HEADER, axis=AXIS,
                  headings=[(p, lefts[p] + MARKER, headings[p]) for p in PARADIGMS], years=rows,
                  aria=t(lang, "fig.timeline.aria", count=len(models), start=years[0], end=years[-1]),
                  caption=t(lang, "fig.timeline.caption"), number=number,
                  download=t(lang, "fig.download"))


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


def lineage_figure(models: Sequence[Entry], lang: str, href: Href, number: str = "") -> Markup:
    """Boxes for the models in a `based_on` relation, an arrow from each model to its successors."""
    check_language(lang)
    column, row, edges = _lineage_layout(models)
    if not edges:
        return render("lineage.html", edges=[], empty=t(lang, "fig.lineage.empty"))
    by_id = {m["id"]: m for m in models}
    labels = {n: f'{by_id[n]["name"]} · {by_id[n]["year"]}' for n in column}
    box_w, box_h, gap, pitch = max(text_width(s) for s in labels.values()) + 24, 26, 44, 38
    width = (max(column.values()) + 1) * (box_w + gap) - gap + 2
    height = (max(row.values()) + 1) * pitch + 2

    def left(n: str) -> float:
        return 1 + column[n] * (box_w + gap)

    def middle(n: str) -> float:
        return 1 + row[n] * pitch + box_h / 2

    arrows = [(t(lang, "fig.lineage.edge", child=by_id[child]["name"], parent=by_id[parent]["name"]),
               left(parent) + box_w, middle(parent), left(parent) + box_w + gap / 2, left(child), middle(child))
              for parent, child in edges]
    nodes = [(href(n), f'{by_id[n]["name"]} ({by_id[n]["year"]}) · {label(lang, "paradigm", by_id[n]["paradigm"])}',
              by_id[n]["paradigm"], left(n), middle(n) - box_h / 2, labels[n])
             for n in sorted(column, key=lambda n: (row[n], column[n]))]
    return render("lineage.html", edges=arrows, nodes=nodes, width=width, height=height, font=FONT, colors=COLORS,
                  box_w=box_w, box_h=box_h, marker_at=MARKER,
                  aria=t(lang, "fig.lineage.aria", count=len(column), edges=len(edges)),
                  caption=t(lang, "fig.lineage.caption"), number=number,
                  download=t(lang, "fig.download"))
