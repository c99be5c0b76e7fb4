"""Render model, benchmark and glossary tables as HTML, in one language.

Pure functions: entries in, HTML (`Markup`) out, drawn by templates/table.html and the macros of
templates/cells.html. Every value from data is escaped there (vlm_survey.render): HTML-escaped,
its whitespace folded (a newline cannot end the HTML block, a `|` cannot split a cell) and its
braces written as character references (`{{ ... }}` stays text for any later template engine).
"""

from __future__ import annotations

import json
import re
from functools import partial
from typing import Any, Callable, Iterable, Sequence

from markupsafe import Markup

from vlm_survey.i18n import LABELS, check_language, label, listed, t
from vlm_survey.render import folded, macro, render
from vlm_survey.render import text as text  # re-exported: the one escaping of data text, as before

Entry = dict[str, Any]
# (content, sort key or None); content is Markup, or text that the template it lands in escapes.
Cell = tuple["Markup | str", "str | None"]

MODEL_COLUMNS = ("name", "year", "organization", "architecture_type", "paradigm", "vision_encoder",
                 "llm_backbone", "connector", "parameters", "training_data", "open_weights", "code",
                 "summary", "notes")
DEFAULT_MODEL_COLUMNS = ("name", "year", "organization", "architecture_type", "vision_encoder",
                         "llm_backbone", "connector", "parameters", "open_weights", "notes")
BENCHMARK_COLUMNS = ("name", "year", "kind", "category", "domain", "metric", "annotation", "size_k",
                     "project", "summary", "notes")
DEFAULT_BENCHMARK_COLUMNS = ("name", "year", "domain", "metric", "annotation", "size_k", "project", "notes")
DEFAULT_EMBODIED_COLUMNS = ("name", "year", "kind", "domain", "project", "notes")
NUMERIC_COLUMNS = {"year", "parameters", "size_k"}
FILTERS = {
    "models": {"year_from", "year_to", "paradigm", "architecture_type", "connector", "survey_version", "open_weights"},
    "benchmarks": {"year_from", "year_to", "category", "kind", "survey_version"},
}
FILTER_TYPES = {"year_from": (int, "2023"), "year_to": (int, "2024"), "open_weights": (bool, "True")}
TYPE_NAMES = {int: "a whole number", bool: "True or False", str: "text"}
# Facets offered by the filter above a table in the browser (besides free text and year).
BROWSER_FACETS = {"model": ("architecture_type", "paradigm", "open_weights"),
                  "benchmark": ("category", "kind", "metric_types", "annotation_types")}
# Facets whose field holds a list: a row carries its values separated by spaces and matches any of them.
LIST_FACETS = {"metric_types", "annotation_types"}


def check_arguments(macro: str, columns: Any, filters: dict[str, Any]) -> None:
    """Refuse macro arguments of the wrong type, naming the macro and what it expects.

    `year_from="2023"` would otherwise fail deep inside a comparison, and `columns="name"` would be
    read letter by letter.
    """
    if columns is not None and (not isinstance(columns, (list, tuple))
                                or not all(isinstance(column, str) for column in columns)):
        raise TypeError(f"{macro}(): columns={columns!r} must be a list of column names, "
                        f'e.g. columns=["name", "year"]')
    for name, value in filters.items():
        expected, example = FILTER_TYPES.get(name, (str, '"llm-backbone"'))
        if value is not None and type(value) is not expected:  # True is an int to isinstance()
            raise TypeError(f"{macro}(): {name}={value!r} must be {TYPE_NAMES[expected]}, e.g. {name}={example}")


def select(entries: Iterable[Entry], collection: str, filters: dict[str, Any]) -> list[Entry]:
    """Keep the entries matching every filter; unknown filter names raise ValueError."""
    if collection not in FILTERS:
        raise ValueError(f"unknown collection {collection!r}; expected: {', '.join(FILTERS)}")
    unknown = set(filters) - FILTERS[collection]
    if unknown:
        raise ValueError(f"unknown filter(s) {', '.join(sorted(unknown))} for {collection}; "
                         f"expected: {', '.join(sorted(FILTERS[collection]))}")
    year_from, year_to = filters.get("year_from"), filters.get("year_to")
    equals = {k: v for k, v in filters.items() if k not in ("year_from", "year_to") and v is not None}
    return [e for e in entries
            if (year_from is None or e["year"] >= year_from)
            and (year_to is None or e["year"] <= year_to)
            and all(e.get(k) == v for k, v in equals.items())]


def parameter_sort_key(parameters: str) -> str | None:
    """Largest size in billions, e.g. '7B-72B' -> '72', '250M & 500M' -> '0.5'; None if undisclosed."""
    scale = {"M": 1e-3, "B": 1.0, "T": 1e3}
    sizes = [float(number) * scale[unit.upper()]
             for number, unit in re.findall(r"(\d+(?:\.\d+)?)\s*([MBTmbt])\b", parameters)]
    return f"{max(sizes):g}" if sizes else None


def _cell(name: str, /, **values: Any) -> Markup:
    """The macro `name` of templates/cells.html, called with `values`."""
    return macro("cells.html", name, **values)


def _flag(entry: Entry, field: str, lang: str) -> str | None:
    """The tooltip of a dagger after a value the survey's table has wrong (the note column says why)."""
    for correction in entry.get("corrections", []):
        if correction["field"] == field:
            return f'{t(lang, "paper_says")}: {correction["original"]}'
    return None


def _flagged(value: Any, entry: Entry, field: str, lang: str) -> Markup:
    """`value`, with a dagger when the survey's table has the entry's `field` wrong."""
    return _cell("flagged", value=value, flag=_flag(entry, field, lang))


def survey_value(lang: str, value: Any) -> Any:
    """A value of the survey's table as a reader of `lang` reads it: its fixed words translated
    ("Undisclosed" is 未公开 in Chinese), anything else as the survey wrote it."""
    return t(lang, f"survey_value.{value}", default=value) if isinstance(value, str) else value


def kinds_text(lang: str, field: str, entry: Entry) -> str | None:
    """The labels of an entry's normalised `field` (metric_types, annotation_types), joined; None without any."""
    types = entry.get(field, [])
    return listed(lang, (label(lang, field, k) for k in types)) if types else None


def _bool_cell(value: bool | None, lang: str) -> Cell:
    key = "unknown" if value is None else ("yes" if value else "no")
    return _cell("state", key=key, label=t(lang, key)), {"yes": "1", "no": "0", "unknown": None}[key]


def _name_cell(entry: Entry, prefix: str, lang: str, url: str | None, page: str | None = None) -> Cell:
    """The name links to the entry's own page when there is one (then a small link to the paper follows)."""
    return (_cell("name", name=entry["name"], url=url, page=page, paper=t(lang, "paper_link"),
                  anchor=f'{prefix}-{entry["id"]}', row_link=t(lang, "row_link")),
            entry["name"].casefold())


def _notes_cell(entry: Entry, lang: str) -> Cell:
    notes = []
    for correction in entry.get("corrections", []):
        field = t(lang, f'field.{correction["field"]}', default=correction["field"])
        notes.append(("vlm-correction", t(lang, "correction", field=folded(field), survey=folded(correction["survey"]),
                                          original=folded(correction["original"]),
                                          note=folded(correction["note"][lang]))))
    if "note" in entry:
        notes.append(("vlm-note", entry["note"][lang]))
    if entry.get("uncertain"):
        notes.append(("vlm-uncertain", t(lang, "uncertain")))
    return _cell("notes", items=notes, empty=t(lang, "none")), None


def _links_cell(urls: Sequence[str], lang: str) -> Cell:
    links = [(url, t(lang, "project_link") + (f" {i}" if len(urls) > 1 else "")) for i, url in enumerate(urls, 1)]
    return _cell("links", items=links, empty=t(lang, "none")), None


def model_cell(entry: Entry, column: str, lang: str, entry_href: Callable[[str], str] | None = None) -> Cell:
    """One cell of a model row; `entry_href` maps an id to the model's page."""
    value = entry.get(column)
    if column == "name":
        return _name_cell(entry, "model", lang, entry["paper"], entry_href(entry["id"]) if entry_href else None)
    if column == "year":
        return _flagged(value, entry, "year", lang), str(value)
    if column in ("architecture_type", "paradigm"):
        return _flagged(label(lang, column, value), entry, column, lang), None
    if column == "connector":
        detail = entry.get("connector_detail")
        return _cell("titled", text=label(lang, "connector", value), title=detail[lang] if detail else None), None
    if column == "llm_backbone":
        shown = survey_value(lang, value) if value is not None else t(lang, "from_scratch")
        return _flagged(shown, entry, column, lang), None
    if column == "parameters":
        return _flagged(survey_value(lang, value), entry, column, lang), parameter_sort_key(value)
    if column == "open_weights":
        return _bool_cell(value, lang)
    if column == "code":
        return (_cell("link", url=value, label=t(lang, "code_link")) if value else t(lang, "none")), None
    if column == "summary":
        return value[lang], None
    if column == "notes":
        return _notes_cell(entry, lang)
    return _flagged(survey_value(lang, value), entry, column, lang), None


def benchmark_cell(entry: Entry, column: str, lang: str, entry_href: Callable[[str], str] | None = None) -> Cell:
    """One cell of a benchmark row; `entry_href` maps an id to the benchmark's page."""
    value = entry.get(column)
    if column == "name":
        return _name_cell(entry, "benchmark", lang, entry["papers"][0], entry_href(entry["id"]) if entry_href else None)
    if column == "year":
        return str(value), str(value)
    if column in ("kind", "category"):
        return label(lang, column, value), None
    if column in ("domain", "summary"):
        return value[lang], None
    if column in ("metric", "annotation"):
        if not value:
            return t(lang, "none"), None
        kinds = kinds_text(lang, f"{column}_types", entry)
        if lang == "zh" and kinds:  # the survey's English wording stays one hover away
            return _cell("titled", text=kinds, title=t(lang, "survey_wording", value=folded(value))), None
        return _cell("titled", text=value, title=kinds), None
    if column == "size_k":
        if value is None:
            return t(lang, "none"), None
        return f'{value:g}{t(lang, "size_unit")}', f"{value:g}"
    if column == "project":
        return _links_cell(entry.get("project", []), lang)
    if column == "notes":
        return _notes_cell(entry, lang)
    return value, None


def _check_columns(columns: Sequence[str], allowed: Sequence[str], what: str) -> None:
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        raise ValueError(f"unknown column(s) {', '.join(unknown)} for {what}; expected: {', '.join(allowed)}")


def _sort_method(column: str) -> str | None:
    """How the browser sorts a column: as numbers, not at all, or (None) as text."""
    return "number" if column in NUMERIC_COLUMNS else "none" if column in ("notes", "code", "project") else None


def _table(kind: str, rows: list[Entry], columns: Sequence[str], lang: str,
           cell: Callable[[Entry, str, str], Cell], anchored: set[str], caption: str) -> Markup:
    """Assemble one table; a row gets an id only the first time it appears on a page."""
    head = [(c, t(lang, "col." + c), _sort_method(c)) for c in columns]
    body = []
    for entry in rows:
        anchor = f"{kind}-{entry['id']}"
        cells = [(column, *cell(entry, column, lang)) for column in columns]
        body.append({"id": anchor if anchor not in anchored else None,
                     "data": {k.replace("_", "-"): v for k, v in _facets(kind, entry).items()},
                     "cells": cells, "notes": "notes" in columns and _has_notes(entry)})
        anchored.add(anchor)
    return render("table.html", name=f"{kind}s", facets=_facet_labels(kind, rows, lang), caption=caption,
                  counted=t(lang, f"caption.{kind}s", count="{count}"), notes_label=t(lang, "col.notes"),
                  head=head, rows=body)


def _has_notes(entry: Entry) -> bool:
    """Whether the notes column of the entry's row says anything (then a phone shows it under the name)."""
    return bool(entry.get("corrections") or "note" in entry or entry.get("uncertain"))


def _facet_labels(kind: str, rows: list[Entry], lang: str) -> str:
    """JSON naming each browser facet and labelling its values present in `rows`, in `lang`.

    The filter in the browser reads it: a facet such as paradigm need not be a column of the table.
    Values are keyed like the rows' data-* attributes and keep the order of macros/i18n.py.
    """
    facets = {}
    for facet in BROWSER_FACETS[kind]:
        present = ({value for row in rows for value in row.get(facet, [])} if facet in LIST_FACETS
                   else {str(row.get(facet)).lower() for row in rows})
        if facet == "open_weights":
            values = {"true": t(lang, "yes"), "false": t(lang, "no"), "none": t(lang, "unknown")}
        else:
            values = {key.split(".", 1)[1]: name for key, name in LABELS[lang].items() if key.startswith(f"{facet}.")}
        facets[facet] = {"label": t(lang, f"col.{facet}"), "list": facet in LIST_FACETS,
                         "values": {value: name for value, name in values.items() if value in present}}
    return json.dumps(facets, ensure_ascii=False, separators=(",", ":"))


def _facets(kind: str, entry: Entry) -> dict[str, Any]:
    """Row attributes that a filter in the browser can read without parsing cell text."""
    names = (("year", "paradigm", "architecture_type", "open_weights", "survey_version") if kind == "model"
             else ("year", "category", "kind", "survey_version"))
    lists = {name: " ".join(entry.get(name, [])) for name in BROWSER_FACETS[kind] if name in LIST_FACETS}
    return {"entry": entry["id"], **{name: str(entry.get(name)).lower() for name in names}, **lists}


def model_table(models: Iterable[Entry], lang: str, columns: Sequence[str] | None = None,
                anchored: set[str] | None = None, entry_href: Callable[[str], str] | None = None,
                **filters: Any) -> Markup:
    """Render the models matching `filters` as an HTML table in `lang` (names link to `entry_href(id)`)."""
    check_language(lang)
    columns = tuple(columns or DEFAULT_MODEL_COLUMNS)
    _check_columns(columns, MODEL_COLUMNS, "model_table")
    rows = select(models, "models", filters)
    if not rows:
        raise ValueError(f"model_table({filters}) selects no models")
    caption = t(lang, "caption.models", count=len(rows))
    return _table("model", rows, columns, lang, partial(model_cell, entry_href=entry_href),
                  anchored if anchored is not None else set(), caption)


def benchmark_table(benchmarks: Iterable[Entry], lang: str, columns: Sequence[str] | None = None,
                    anchored: set[str] | None = None, entry_href: Callable[[str], str] | None = None,
                    **filters: Any) -> Markup:
    """Render the benchmarks matching `filters` as an HTML table in `lang` (names link to `entry_href(id)`)."""
    check_language(lang)
    rows = select(benchmarks, "benchmarks", filters)
    if not rows:
        raise ValueError(f"benchmark_table({filters}) selects no benchmarks")
    default = DEFAULT_EMBODIED_COLUMNS if all(r["category"] == "embodied" for r in rows) else DEFAULT_BENCHMARK_COLUMNS
    columns = tuple(columns or default)
    _check_columns(columns, BENCHMARK_COLUMNS, "benchmark_table")
    caption = t(lang, "caption.benchmarks", count=len(rows))
    return _table("benchmark", rows, columns, lang, partial(benchmark_cell, entry_href=entry_href),
                  anchored if anchored is not None else set(), caption)


def glossary_table(terms: Iterable[Entry], lang: str) -> Markup:
    """Render the glossary: both terms, the abbreviation and the definition in `lang`."""
    check_language(lang)
    terms = list(terms)
    order = ("term_zh", "term_en") if lang == "zh" else ("term_en", "term_zh")
    columns = (*order, "abbr", "definition")
    rows = []
    for term in terms:
        definition, avoid = term["definition"][lang], term.get("avoid", {}).get(lang)
        if avoid:
            definition += t(lang, "glossary.avoid", variants=listed(lang, avoid))
        values = {"term_zh": term["zh"], "term_en": term["en"],
                  "abbr": folded(term.get("abbr", "")) or t(lang, "none"), "definition": definition}
        rows.append({"id": f'term-{term["id"]}', "data": {}, "cells": [(c, values[c], None) for c in columns],
                     "notes": None})
    return render("table.html", name="glossary", facets=None, caption=t(lang, "caption.glossary", count=len(terms)),
                  counted=t(lang, "caption.glossary", count="{count}"), notes_label=None,
                  head=[(c, t(lang, "col." + c), None) for c in columns], rows=rows)


def abbreviations(terms: Iterable[Entry], lang: str) -> str:
    """Markdown `abbr` definitions (`*[VLM]: ...`) for every term that has an abbreviation, each a block of its
    own: Python-Markdown takes one definition off a block per pass and tries every block processor on the
    rest again, so n definitions in one block cost every page time in n² (they are appended to every page)."""
    check_language(lang)
    lines = []
    for term in terms:
        if "abbr" in term:
            full = f'{term["zh"]}（{term["en"]}）' if lang == "zh" else term["en"]
            lines.append(f'*[{term["abbr"]}]: ' + folded(full))
    return "\n\n".join(lines)
