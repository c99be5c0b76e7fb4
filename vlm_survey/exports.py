"""Data exports built from the same validated YAML as the tables: JSON, CSV and BibTeX.

`write_exports` writes `data/models.json`, `data/benchmarks.json`, `data/models.csv`,
`data/benchmarks.csv` and `references.bib` into the site root; `downloads_block` renders the
links a table page shows, and the buttons `assets/javascripts/exports.js` brings to life to
download only the rows a filter left visible.

Fields follow the order of the JSON Schema (`data/schema/*.schema.json`), so a field added to
the schema appears in every export without touching this module. The JSON carries
`schema_version`: raise its major number when a field is renamed or removed.

Every value comes from contributed YAML and is treated as hostile:

- CSV formula injection (OWASP "CSV Injection"). A spreadsheet opening the CSV runs a cell that starts
  with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(...)`, `=cmd|...`), and some also when a tab or a
  carriage return comes first. The rule (`neutralise_formula`, applied by `csv_cell` to every cell
  after whitespace is folded): a cell is prefixed with a single quote `'` when
  its first character is a tab or a carriage return, or when its first character that is not
  whitespace is `=`, `+`, `-` or `@` (leading whitespace does not make a cell safe: some spreadsheets
  trim it on import). "Whitespace" here is `FORMULA_LEAD_SPACE`, the same character class in
  exports.js. The rule applies to the whole cell as written, numbers included (our numbers are never
  negative; a text value that starts with "-", such as a vision encoder "-", reads "'-"). A cell that
  already starts with `'` is left alone, so the rule is idempotent: "download this view" (exports.js)
  applies it again, with the same rule, to every cell it cuts out of these files.
- JSON is written with `allow_nan=False`: NaN and Infinity are not JSON, and a non-finite number fails
  the build with an `ExportError` naming the collection, the entry and the field. Every export is
  rendered before the first file is written, so a failing export leaves no half-written set behind.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from functools import partial
from pathlib import Path
from typing import Any, Iterable, Sequence

from markupsafe import Markup

from vlm_survey.citation import SURVEY_BIBTEX, entry_bibtex
from vlm_survey.entry_pages import entry_url
from vlm_survey.i18n import t
from vlm_survey.render import render

SCHEMA_VERSION = "1.0"
COLLECTIONS = ("models", "benchmarks")
LIST_SEPARATOR = "; "
# Characters skipped before the first character of a cell that decides whether it could be a formula:
# control characters, spaces (Unicode ones too) and the invisible ones. Keep in step with exports.js.
FORMULA_LEAD_SPACE = r"\x00-\x20\x7f-\xa0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff"
FORMULA_CELL = re.compile(rf"[\t\r]|[{FORMULA_LEAD_SPACE}]*[=+\-@]")


class ExportError(ValueError):
    """An entry cannot be exported (e.g. a number JSON cannot carry); the message names entry and field."""


def export_paths(collection: str) -> dict[str, str]:
    """Paths, relative to the site root, of one collection's exports by format."""
    return {"json": f"data/{collection}.json", "csv": f"data/{collection}.csv", "bibtex": "references.bib"}


def _ordered(entry: dict[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """The entry's fields in schema order; the loader's private keys (`_file`) are left out."""
    return {name: entry[name] for name in fields if name in entry}


def _non_finite(value: Any, path: str) -> Iterable[str]:
    """Where (field.path[index]) a value holds a float JSON cannot carry: NaN, Infinity, -Infinity."""
    if isinstance(value, float) and not math.isfinite(value):
        yield f"{path} = {value!r}"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _non_finite(item, f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _non_finite(item, f"{path}[{index}]")


def json_export(collection: str, entries: Iterable[dict[str, Any]], schema: dict[str, Any],
                site_urls: dict[str, str], repo_url: str) -> str:
    """The collection as JSON: a versioned envelope around every entry, plus its page in each language.

    Strict JSON: a NaN or an infinity raises ExportError naming the entry and the field."""
    fields = list(schema["properties"])
    rows = [{**_ordered(entry, fields),
             "pages": {lang: entry_url(url, collection, entry["id"]) for lang, url in site_urls.items()}}
            for entry in entries]
    for row in rows:
        for name, value in row.items():
            for where in _non_finite(value, name):
                raise ExportError(f"data/{collection}: entry {row.get('id')!r}, field {where}: "
                                  "JSON has no NaN or Infinity; write a finite number or null")
    document = {
        "schema_version": SCHEMA_VERSION,
        "collection": collection,
        "entry_schema": f"{repo_url.rstrip('/')}/blob/main/data/schema/{schema['$id']}",
        "license": "CC-BY-4.0",
        "count": len(rows),
        "entries": rows,
    }
    try:
        return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    except ValueError as exc:  # a non-finite number outside the entries (the checks above cover them)
        raise ExportError(f"data/{collection}: {exc}") from exc


def csv_columns(schema: dict[str, Any]) -> list[str]:
    """One column per field; a bilingual field becomes two, `<field>_zh` and `<field>_en`."""
    columns = []
    for name, rule in schema["properties"].items():
        if rule.get("$ref") == "#/$defs/bilingual":
            columns += [f"{name}_zh", f"{name}_en"]
        else:
            columns.append(name)
    return columns


def csv_text(value: Any) -> str:
    """A value as text: lists joined with '; ', mappings as JSON, whitespace folded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value):
        return LIST_SEPARATOR.join(csv_text(item) for item in value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return re.sub(r"\s+", " ", str(value)).strip()


def neutralise_formula(text: str) -> str:
    """`text` with a `'` in front if a spreadsheet could run it as a formula (the rule: module docstring)."""
    return "'" + text if FORMULA_CELL.match(text) else text


def csv_cell(value: Any) -> str:
    """A value as one CSV cell: `csv_text`, then neutralised against formula injection."""
    return neutralise_formula(csv_text(value))


def csv_export(entries: Iterable[dict[str, Any]], schema: dict[str, Any]) -> str:
    """The collection as CSV (UTF-8, header row, one line per entry: whitespace is folded)."""
    columns = csv_columns(schema)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for entry in entries:
        row = []
        for column in columns:
            name, _, lang = column.rpartition("_")
            if lang in ("zh", "en") and isinstance(entry.get(name), dict):
                row.append(csv_cell(entry[name][lang]))
            else:
                row.append(csv_cell(entry.get(column)))
        writer.writerow(row)
    return buffer.getvalue()


def bibtex_export(catalog_entries: dict[str, Sequence[dict[str, Any]]], site_url: str) -> str:
    """references.bib: the survey, then every model's and every benchmark's paper(s)."""
    parts = ["% Generated from data/ by the VLM Survey site at build time; edit the YAML, not this file.",
             "% The survey:", *SURVEY_BIBTEX]
    keys: set[str] = set()
    for collection in COLLECTIONS:
        parts.append(f"% {collection.capitalize()} (key = id; a further paper of the same entry: id_2, id_3, ...):")
        for entry in catalog_entries[collection]:
            for text in entry_bibtex(collection, entry, entry_url(site_url, collection, entry["id"])):
                key = text[text.index("{") + 1:text.index(",")]
                if key in keys:
                    raise ValueError(f"BibTeX key {key!r} is used twice: a model and a benchmark share the id")
                keys.add(key)
                parts.append(text)
    return "\n\n".join(parts) + "\n"


def write_exports(site_dir: Path, root: Path, catalog_entries: dict[str, Sequence[dict[str, Any]]],
                  site_urls: dict[str, str], lang: str, repo_url: str) -> list[Path]:
    """Write every export into `site_dir` (the site root, built in `lang`) and return the files written."""
    contents: dict[str, str] = {}  # every export is rendered before any is written
    for collection in COLLECTIONS:
        schema_file = "model.schema.json" if collection == "models" else "benchmark.schema.json"
        schema = json.loads((root / "data" / "schema" / schema_file).read_text(encoding="utf-8"))
        paths = export_paths(collection)
        entries = catalog_entries[collection]
        contents[paths["json"]] = json_export(collection, entries, schema, site_urls, repo_url)
        contents[paths["csv"]] = csv_export(entries, schema)
    contents["references.bib"] = bibtex_export(catalog_entries, site_urls[lang])
    written = []
    for path, content in contents.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        written.append(target)
    return written


def downloads_block(collection: str, count: int, lang: str, root_href: str) -> Markup:
    """Links to the full exports, and "download this view" buttons that exports.js reveals
    (templates/downloads.html)."""
    return render("downloads.html", t=partial(t, lang), collection=collection, count=count, root=root_href,
                  paths=export_paths(collection))
