"""One generated page per model and per benchmark, in one language (Markdown source for MkDocs).

Pure functions: an entry and the catalog in, the page's Markdown out; `macros/entry_hook.py`
adds the pages to the build. Every value from data is HTML-escaped inside raw HTML blocks, so
Markdown never interprets it. Data text never reaches a template engine, three times over: macros
render only pages that opt in (`render_by_default: false`) and these pages opt out; their front
matter must read back exactly as written (else MkDocs would silently drop it); and the finished
page must hold no template syntax at all (`{{`, `{%`, `{#`: braces from data are written as
character references). Section headings carry fixed ASCII ids, the same in both languages.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any, Sequence

import yaml
from mkdocs.utils.meta import get_data

from vlm_survey import tables
from vlm_survey.citation import entry_bibtex
from vlm_survey.i18n import check_language, label, t

Entry = dict[str, Any]

CHAPTERS = {"models": "architecture.md", "benchmarks": "benchmarks.md"}
ROW_PREFIX = {"models": "model", "benchmarks": "benchmark"}
SECTIONS = ("details", "corrections", "links", "bibtex", "related")
MAX_PEERS = 12
MODEL_FIELDS = ("year", "organization", "architecture_type", "paradigm", "vision_encoder", "llm_backbone",
                "connector", "parameters", "training_data", "open_weights")
BENCHMARK_FIELDS = ("year", "kind", "category", "domain", "metric", "annotation", "size_k")
BREAK_ANYWHERE = "overflow-wrap:anywhere"  # a long address wraps instead of making the table scroll
TEMPLATE_SYNTAX = re.compile(r"\{[{%#]")  # what opens a Jinja expression, statement or comment


def src_uri(collection: str, entry_id: str) -> str:
    """Where the generated page sits among the docs: models/<id>.md or benchmarks/<id>.md."""
    return f"{collection}/{entry_id}.md"


def page_url(collection: str, entry_id: str) -> str:
    """The page's URL relative to the language's root (directory URLs)."""
    return f"{collection}/{entry_id}/"


def entry_url(site_url: str, collection: str, entry_id: str) -> str:
    """The page's absolute address under one language's `site_url`."""
    return f"{site_url.rstrip('/')}/{page_url(collection, entry_id)}"


def relative_href(from_url: str, to_url: str) -> str:
    """Link from the page at `from_url` to `to_url`, both directory URLs relative to the same root."""
    target, _, fragment = to_url.partition("#")
    path = posixpath.relpath(target.rstrip("/") or ".", from_url.rstrip("/") or ".")
    path = "./" if path == "." else path + "/"
    return path + (f"#{fragment}" if fragment else "")


def _heading(lang: str, key: str, section: str) -> str:
    return f"## {t(lang, key)} {{ #{section} }}"


def _fields_table(rows: Sequence[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows)
    return f'<table data-vlm-entry="fields" style="{BREAK_ANYWHERE}"><tbody>{cells}</tbody></table>'


def _kinds(lang: str, field: str, values: Sequence[str]) -> str:
    joined = ("、" if lang == "zh" else ", ").join(label(lang, field, v) for v in values)
    return f"（{joined}）" if lang == "zh" else f" ({joined})"


def _model_rows(model: Entry, lang: str) -> list[tuple[str, str]]:
    rows = [(t(lang, f"col.{f}"), tables.model_cell(model, f, lang)[0]) for f in MODEL_FIELDS]
    if "connector_detail" in model:
        index = MODEL_FIELDS.index("connector") + 1
        rows.insert(index, (t(lang, "col.connector_detail"), str(tables.text(model["connector_detail"][lang]))))
    return rows


def _benchmark_rows(bench: Entry, lang: str) -> list[tuple[str, str]]:
    rows = []
    for field in BENCHMARK_FIELDS:
        value = tables.benchmark_cell(bench, field, lang)[0]
        if field in ("metric", "annotation") and bench.get(field):
            value = str(tables.text(bench[field])) + _kinds(lang, f"{field}_types", bench[f"{field}_types"])
        rows.append((t(lang, f"col.{field}"), value))
    return rows


def _details(collection: str, entry: Entry, lang: str) -> str:
    rows = _model_rows(entry, lang) if collection == "models" else _benchmark_rows(entry, lang)
    rows += [(t(lang, "col.survey_version"), t(lang, f'survey_version.{entry["survey_version"]}')),
             (t(lang, "col.source"), f'<code>{tables.text(entry["source"])}</code>')]
    return _fields_table(rows)


def _corrections(entry: Entry, lang: str) -> str:
    parts = []
    corrections = entry.get("corrections", [])
    if corrections:
        head = "".join(f"<th>{t(lang, key)}</th>" for key in
                       ("entry.field", "entry.survey_value", "entry.original_value", "entry.why"))
        body = "".join(
            f'<tr><td>{tables.text(t(lang, "field." + c["field"], default=c["field"]))}</td>'
            f'<td>{tables.text(c["survey"])}</td><td>{tables.text(c["original"])}</td>'
            f'<td>{tables.text(c["note"][lang])}</td></tr>' for c in corrections)
        parts.append(f'<table data-vlm-entry="corrections" style="{BREAK_ANYWHERE}">'
                     f'<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
    if "note" in entry:
        parts.append(f'<p class="vlm-note">{tables.text(entry["note"][lang])}</p>')
    if entry.get("uncertain"):
        parts.append(f'<p class="vlm-uncertain">{t(lang, "uncertain")}</p>')
    return "\n\n".join(parts) or f'<p>{t(lang, "entry.no_corrections")}</p>'


def _external(url: str, text: str) -> str:
    return f'<li><a href="{tables.text(url)}">{tables.text(text)}</a></li>'


def _links(collection: str, entry: Entry, lang: str, repo_url: str) -> str:
    items = []
    papers = [entry["paper"]] if collection == "models" else entry["papers"]
    for n, paper in enumerate(papers, 1):
        items.append(_external(paper, t(lang, "paper_link") + (f" {n}" if len(papers) > 1 else "")))
    if collection == "models" and entry.get("code"):
        items.append(_external(entry["code"], t(lang, "code_link")))
    projects = entry.get("project", [])
    for n, project in enumerate(projects, 1):
        items.append(_external(project, t(lang, "project_link") + (f" {n}" if len(projects) > 1 else "")))
    items.append(_external(f'{repo_url.rstrip("/")}/blob/main/{entry["_file"]}', t(lang, "entry.data_file")))
    chapter = f'../{CHAPTERS[collection]}#{ROW_PREFIX[collection]}-{entry["id"]}'
    in_table = t(lang, f"entry.in_table.{collection}")
    return f'<ul class="vlm-entry-links">{"".join(items)}</ul>\n\n[{in_table}]({chapter})'


def _link_list(lang: str, key: str, entries: Sequence[Entry]) -> str:
    links = " · ".join(f'<a href="../{e["id"]}/">{tables.text(e["name"])}</a>' for e in entries)
    colon = "：" if lang == "zh" else ": "
    return f'<p><strong>{t(lang, key)}</strong>{colon}{links}</p>' if entries else ""


def nearest_peers(entry: Entry, peers: Sequence[Entry]) -> list[Entry]:
    """At most MAX_PEERS peers, closest in year first: without a bound every page lists every
    peer, and the site's size grows with the square of the data (measured in bench/)."""
    ranked = sorted(peers, key=lambda e: (abs(e["year"] - entry["year"]), e["name"].casefold()))
    return ranked[:MAX_PEERS]


def _related(collection: str, entry: Entry, catalog: Sequence[Entry], lang: str) -> str:
    others = [e for e in catalog if e["id"] != entry["id"]]
    if collection == "models":
        by_id = {e["id"]: e for e in catalog}
        groups = [("entry.based_on", [by_id[p] for p in entry.get("based_on", []) if p in by_id]),
                  ("entry.successors", [e for e in others if entry["id"] in e.get("based_on", [])]),
                  ("entry.same_connector",
                   nearest_peers(entry, [e for e in others if e["connector"] == entry["connector"]]))]
    else:
        groups = [("entry.same_category",
                   nearest_peers(entry, [e for e in others if e["category"] == entry["category"]]))]
    parts = [_link_list(lang, key, entries) for key, entries in groups]
    return "\n\n".join(p for p in parts if p) or f'<p>{t(lang, "entry.no_related")}</p>'


def page_markdown(collection: str, entry: Entry, catalog: Sequence[Entry], lang: str,
                  site_url: str, repo_url: str) -> str:
    """The Markdown source of one entry's page in `lang` (`catalog`: the entry's whole collection)."""
    check_language(lang)
    bib = "\n".join(entry_bibtex(collection, entry, entry_url(site_url, collection, entry["id"])))
    # The theme prints `title` and `description` unescaped, so they are escaped here.
    meta = {"title": str(tables.text(entry["name"])), "description": str(tables.text(entry["summary"][lang])),
            "render_macros": False}
    kind = t(lang, f"entry.kind.{collection}")
    blocks = [
        front_matter(meta, src_uri(collection, entry["id"])),
        f'<h1>{tables.text(entry["name"])}</h1>',
        f'<p class="vlm-entry-kind">{kind} · {entry["year"]}</p>',
        f'<p class="vlm-entry-summary">{tables.text(entry["summary"][lang])}</p>',
        _heading(lang, "entry.details", "details"), _details(collection, entry, lang),
        _heading(lang, "col.notes", "corrections"), _corrections(entry, lang),
        _heading(lang, "entry.links", "links"), _links(collection, entry, lang, repo_url),
        _heading(lang, "entry.bibtex", "bibtex"),
        f'<pre class="vlm-entry-bibtex"><code>{tables.text(bib, fold=False)}</code></pre>',
        _heading(lang, "entry.related", "related"), _related(collection, entry, catalog, lang),
    ]
    return inert("\n\n".join(blocks) + "\n", src_uri(collection, entry["id"]))


def front_matter(meta: dict[str, Any], where: str) -> str:
    """`meta` as a YAML front matter block that MkDocs reads back exactly, or ValueError.

    MkDocs drops a front matter it cannot parse without a word (`render_macros: false` with it).
    """
    block = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1_000_000)
    text = f"---\n{block}---\n"
    _, parsed = get_data(text + "\n")
    if parsed != meta:
        raise ValueError(f"generated page {where}: its front matter does not read back as written "
                         f"({parsed!r} instead of {meta!r})")
    return text.rstrip("\n")


def inert(markdown: str, where: str) -> str:
    """`markdown`, after checking that no template engine would find anything to run in it."""
    found = TEMPLATE_SYNTAX.search(markdown)
    if found:
        line = markdown.count("\n", 0, found.start()) + 1
        raise ValueError(f"generated page {where}, line {line}: holds template syntax {found.group()!r}; "
                         "every value from data must go through vlm_survey.tables.text()")
    return markdown
