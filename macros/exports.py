"""Data exports built from the same validated YAML as the tables: JSON, CSV and BibTeX.

`write_exports` writes `data/models.json`, `data/benchmarks.json`, `data/models.csv`,
`data/benchmarks.csv` and `references.bib` into the site root; `downloads_block` renders the
links a table page shows, and the buttons `assets/javascripts/exports.js` brings to life to
download only the rows a filter left visible.

Fields follow the order of the JSON Schema (`data/schema/*.schema.json`), so a field added to
the schema appears in every export without touching this module. The JSON carries
`schema_version`: raise its major number when a field is renamed or removed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any, Iterable, Sequence

from markupsafe import escape

from macros.citation import SURVEY_BIBTEX, entry_bibtex
from macros.entry_pages import entry_url
from macros.i18n import t

SCHEMA_VERSION = "1.0"
COLLECTIONS = ("models", "benchmarks")
LIST_SEPARATOR = "; "
# The buttons look like the links beside them (the theme's link colour keeps its contrast in both schemes).
LINK_LOOK = "color:var(--md-typeset-a-color);text-decoration:underline;cursor:pointer"


def export_paths(collection: str) -> dict[str, str]:
    """Paths, relative to the site root, of one collection's exports by format."""
    return {"json": f"data/{collection}.json", "csv": f"data/{collection}.csv", "bibtex": "references.bib"}


def _ordered(entry: dict[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """The entry's fields in schema order; the loader's private keys (`_file`) are left out."""
    return {name: entry[name] for name in fields if name in entry}


def json_export(collection: str, entries: Iterable[dict[str, Any]], schema: dict[str, Any],
                site_urls: dict[str, str], repo_url: str) -> str:
    """The collection as JSON: a versioned envelope around every entry, plus its page in each language."""
    fields = list(schema["properties"])
    rows = [{**_ordered(entry, fields),
             "pages": {lang: entry_url(url, collection, entry["id"]) for lang, url in site_urls.items()}}
            for entry in entries]
    document = {
        "schema_version": SCHEMA_VERSION,
        "collection": collection,
        "entry_schema": f"{repo_url.rstrip('/')}/blob/main/data/schema/{schema['$id']}",
        "license": "CC-BY-4.0",
        "count": len(rows),
        "entries": rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def csv_columns(schema: dict[str, Any]) -> list[str]:
    """One column per field; a bilingual field becomes two, `<field>_zh` and `<field>_en`."""
    columns = []
    for name, rule in schema["properties"].items():
        if rule.get("$ref") == "#/$defs/bilingual":
            columns += [f"{name}_zh", f"{name}_en"]
        else:
            columns.append(name)
    return columns


def csv_cell(value: Any) -> str:
    """A value as one CSV cell: lists joined with '; ', mappings as JSON, whitespace folded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value):
        return LIST_SEPARATOR.join(csv_cell(item) for item in value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return re.sub(r"\s+", " ", str(value)).strip()


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
    written = []
    for collection in COLLECTIONS:
        schema_file = "model.schema.json" if collection == "models" else "benchmark.schema.json"
        schema = json.loads((root / "data" / "schema" / schema_file).read_text(encoding="utf-8"))
        paths = export_paths(collection)
        entries = catalog_entries[collection]
        for kind, content in (("json", json_export(collection, entries, schema, site_urls, repo_url)),
                              ("csv", csv_export(entries, schema))):
            target = site_dir / paths[kind]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
            written.append(target)
    bib = site_dir / "references.bib"
    bib.write_text(bibtex_export(catalog_entries, site_urls[lang]), encoding="utf-8")
    written.append(bib)
    return written


def downloads_block(collection: str, count: int, lang: str, root_href: str) -> str:
    """Links to the full exports, and "download this view" buttons that exports.js reveals."""
    paths = export_paths(collection)
    links = " · ".join(f'<a href="{escape(root_href + paths[kind])}" download>{label}</a>'
                       for kind, label in (("csv", "CSV"), ("json", "JSON"), ("bibtex", "BibTeX")))
    buttons = " · ".join(f'<button type="button" class="vlm-download-view" data-format="{kind}" '
                         f'style="{LINK_LOOK}">{label}</button>'
                       for kind, label in (("csv", "CSV"), ("json", "JSON"), ("bibtex", "BibTeX")))
    return (f'<div class="vlm-downloads" data-vlm-downloads="{collection}" data-vlm-root="{escape(root_href)}" '
            f'data-search-exclude>'
            f'<p><strong>{escape(t(lang, "exports.title"))}</strong> '
            f'{escape(t(lang, "exports.all", count=count))} {links}</p>'
            f'<p class="vlm-download-views" hidden>{escape(t(lang, "exports.view"))} {buttons}</p>'
            f'</div>')
