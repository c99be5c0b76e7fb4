"""Render model, benchmark and glossary tables as HTML, in one language.

Pure functions: entries in, an HTML string out. Every value from data is HTML-escaped and
its whitespace folded (a newline cannot end the HTML block, a `|` cannot split a cell, and
`{{ ... }}` stays text because the output is never rendered as a template again).
"""

from __future__ import annotations

import json
import re
from functools import partial
from typing import Any, Callable, Iterable, Sequence

from markupsafe import Markup, escape

from vlm_survey.i18n import LABELS, check_language, label, t

Entry = dict[str, Any]
Cell = tuple[str, "str | None"]  # (inner HTML, sort key or None)

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
BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
FILTER_TYPES = {"year_from": (int, "2023"), "year_to": (int, "2024"), "open_weights": (bool, "True")}
TYPE_NAMES = {int: "a whole number", bool: "True or False", str: "text"}
# Facets offered by the filter above a table in the browser (besides free text and year).
BROWSER_FACETS = {"model": ("architecture_type", "paradigm", "open_weights"), "benchmark": ("category", "kind")}


def text(value: Any, fold: bool = True) -> Markup:
    """Escape a value from data for HTML and (with `fold`) fold its whitespace onto one line.

    Braces become character references (the reader sees the same text): then no template engine
    that meets the HTML later (a macro plugin, a second engine's emulation) finds `{{`, `{%` or `{#`.
    """
    raw = re.sub(r"\s+", " ", str(value)).strip() if fold else str(value)
    return Markup(str(escape(raw)).translate(BRACES))


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


def _link(url: str, label_text: str, css: str = "") -> str:
    attrs = f' class="{css}"' if css else ""
    return f'<a href="{text(url)}"{attrs}>{label_text}</a>'


def _flag(entry: Entry, field: str, lang: str) -> str:
    """A dagger after a value the survey's table has wrong; the note column says why."""
    for correction in entry.get("corrections", []):
        if correction["field"] == field:
            title = text(f'{t(lang, "paper_says")}: {correction["original"]}')
            return f'<sup class="vlm-flag" title="{title}">†</sup>'
    return ""


def _bool_cell(value: bool | None, lang: str) -> Cell:
    key = "unknown" if value is None else ("yes" if value else "no")
    return f'<span class="vlm-{key}">{t(lang, key)}</span>', {"yes": "1", "no": "0", "unknown": None}[key]


def _name_cell(entry: Entry, prefix: str, lang: str, url: str | None, page: str | None = None) -> Cell:
    """The name links to the entry's own page when there is one (then a small link to the paper follows)."""
    name = text(entry["name"])
    shown = _link(url, str(name)) if url else str(name)
    if page:
        shown = f'{_link(page, str(name))} {_link(url, t(lang, "paper_link"), "vlm-paper-link")}'
    permalink = (f'<a class="vlm-permalink" href="#{prefix}-{entry["id"]}" '
                 f'aria-label="{text(t(lang, "row_link"))}: {name}">#</a>')
    return f"{shown} {permalink}", entry["name"].casefold()


def _notes_cell(entry: Entry, lang: str) -> Cell:
    notes = []
    for correction in entry.get("corrections", []):
        field = t(lang, f'field.{correction["field"]}', default=correction["field"])
        sentence = t(lang, "correction", field=text(field), survey=text(correction["survey"]),
                     original=text(correction["original"]), note=text(correction["note"][lang]))
        notes.append(f'<span class="vlm-correction">{sentence}</span>')
    if "note" in entry:
        notes.append(f'<span class="vlm-note">{text(entry["note"][lang])}</span>')
    if entry.get("uncertain"):
        notes.append(f'<span class="vlm-uncertain">{t(lang, "uncertain")}</span>')
    return "<br>".join(notes) or t(lang, "none"), None


def _links_cell(urls: Sequence[str], lang: str) -> Cell:
    if not urls:
        return t(lang, "none"), None
    links = [_link(url, t(lang, "project_link") + (f" {i}" if len(urls) > 1 else "")) for i, url in enumerate(urls, 1)]
    return " ".join(links), None


def model_cell(entry: Entry, column: str, lang: str, entry_href: Callable[[str], str] | None = None) -> Cell:
    """One cell of a model row; `entry_href` maps an id to the model's page."""
    value = entry.get(column)
    if column == "name":
        return _name_cell(entry, "model", lang, entry["paper"], entry_href(entry["id"]) if entry_href else None)
    if column == "year":
        return f'{value}{_flag(entry, "year", lang)}', str(value)
    if column in ("architecture_type", "paradigm"):
        return f"{label(lang, column, value)}{_flag(entry, column, lang)}", None
    if column == "connector":
        detail = entry.get("connector_detail")
        title = f' title="{text(detail[lang])}"' if detail else ""
        return f'<span{title}>{label(lang, "connector", value)}</span>', None
    if column == "llm_backbone":
        shown = text(value) if value is not None else t(lang, "from_scratch")
        return f"{shown}{_flag(entry, column, lang)}", None
    if column == "parameters":
        return f"{text(value)}{_flag(entry, column, lang)}", parameter_sort_key(value)
    if column == "open_weights":
        return _bool_cell(value, lang)
    if column == "code":
        return (_link(value, t(lang, "code_link")) if value else t(lang, "none")), None
    if column == "summary":
        return str(text(value[lang])), None
    if column == "notes":
        return _notes_cell(entry, lang)
    return f"{text(value)}{_flag(entry, column, lang)}", None


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
        return str(text(value[lang])), None
    if column in ("metric", "annotation"):
        types = entry.get(f"{column}_types", [])
        kinds = "、".join if lang == "zh" else ", ".join
        title = f' title="{text(kinds(label(lang, f"{column}_types", k) for k in types))}"' if types else ""
        return (f"<span{title}>{text(value)}</span>" if value else t(lang, "none")), None
    if column == "size_k":
        if value is None:
            return t(lang, "none"), None
        return f'{value:g}{t(lang, "size_unit")}', f"{value:g}"
    if column == "project":
        return _links_cell(entry.get("project", []), lang)
    if column == "notes":
        return _notes_cell(entry, lang)
    return str(text(value)), None


def _check_columns(columns: Sequence[str], allowed: Sequence[str], what: str) -> None:
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        raise ValueError(f"unknown column(s) {', '.join(unknown)} for {what}; expected: {', '.join(allowed)}")


def _table(kind: str, rows: list[Entry], columns: Sequence[str], lang: str,
           cell: Callable[[Entry, str, str], Cell], anchored: set[str], caption: str) -> str:
    """Assemble one table; a row gets an id only the first time it appears on a page."""
    head = "".join(
        f'<th data-col="{c}"' + (' data-sort-method="number"' if c in NUMERIC_COLUMNS else "")
        + (' data-sort-method="none"' if c in ("notes", "code", "project") else "")
        + f'>{t(lang, "col." + c)}</th>' for c in columns)
    body = []
    for entry in rows:
        anchor = f"{kind}-{entry['id']}"
        row_id = f' id="{anchor}"' if anchor not in anchored else ""
        anchored.add(anchor)
        cells = []
        for column in columns:
            inner, sort_key = cell(entry, column, lang)
            sort_attr = f' data-sort="{text(sort_key)}"' if sort_key is not None else ""
            cells.append(f'<td data-col="{column}"{sort_attr}>{inner}</td>')
        attrs = "".join(f' data-{k.replace("_", "-")}="{text(v)}"' for k, v in _facets(kind, entry).items())
        body.append(f'<tr{row_id}{attrs}>{"".join(cells)}</tr>')
    return (f'<table data-vlm-table="{kind}s" data-vlm-facets="{escape(_facet_labels(kind, rows, lang))}">'
            f'<caption>{text(caption)}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def _facet_labels(kind: str, rows: list[Entry], lang: str) -> str:
    """JSON naming each browser facet and labelling its values present in `rows`, in `lang`.

    The filter in the browser reads it: a facet such as paradigm need not be a column of the table.
    Values are keyed like the rows' data-* attributes and keep the order of macros/i18n.py.
    """
    facets = {}
    for facet in BROWSER_FACETS[kind]:
        present = {str(row.get(facet)).lower() for row in rows}
        if facet == "open_weights":
            values = {"true": t(lang, "yes"), "false": t(lang, "no"), "none": t(lang, "unknown")}
        else:
            values = {key.split(".", 1)[1]: name for key, name in LABELS[lang].items() if key.startswith(f"{facet}.")}
        facets[facet] = {"label": t(lang, f"col.{facet}"),
                         "values": {value: name for value, name in values.items() if value in present}}
    return json.dumps(facets, ensure_ascii=False, separators=(",", ":"))


def _facets(kind: str, entry: Entry) -> dict[str, Any]:
    """Row attributes that a filter in the browser can read without parsing cell text."""
    names = (("year", "paradigm", "architecture_type", "open_weights", "survey_version") if kind == "model"
             else ("year", "category", "kind", "survey_version"))
    return {"entry": entry["id"], **{name: str(entry.get(name)).lower() for name in names}}


def model_table(models: Iterable[Entry], lang: str, columns: Sequence[str] | None = None,
                anchored: set[str] | None = None, entry_href: Callable[[str], str] | None = None,
                **filters: Any) -> str:
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
                    **filters: Any) -> str:
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


def glossary_table(terms: Iterable[Entry], lang: str) -> str:
    """Render the glossary: both terms, the abbreviation and the definition in `lang`."""
    check_language(lang)
    terms = list(terms)
    order = ("term_zh", "term_en") if lang == "zh" else ("term_en", "term_zh")
    columns = (*order, "abbr", "definition")
    head = "".join(f'<th data-col="{c}">{t(lang, "col." + c)}</th>' for c in columns)
    body = []
    for term in terms:
        values = {"term_zh": text(term["zh"]), "term_en": text(term["en"]),
                  "abbr": text(term.get("abbr", "")) or t(lang, "none"), "definition": text(term["definition"][lang])}
        cells = "".join(f'<td data-col="{c}">{values[c]}</td>' for c in columns)
        body.append(f'<tr id="term-{term["id"]}">{cells}</tr>')
    caption = t(lang, "caption.glossary", count=len(terms))
    return (f'<table data-vlm-table="glossary"><caption>{text(caption)}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def abbreviations(terms: Iterable[Entry], lang: str) -> str:
    """Markdown `abbr` definitions (`*[VLM]: ...`) for every term that has an abbreviation."""
    check_language(lang)
    lines = []
    for term in terms:
        if "abbr" in term:
            full = f'{term["zh"]}（{term["en"]}）' if lang == "zh" else term["en"]
            lines.append(f'*[{term["abbr"]}]: ' + re.sub(r"\s+", " ", full).strip())
    return "\n".join(lines)
