"""One generated page per model and per benchmark, in one language (Markdown source for MkDocs).

Pure functions: an entry and the catalog in, the page's Markdown out (the front matter, then
templates/entry_page.md); staging writes them beside the chapters (vlm_survey/stage.py). Every value from data
is HTML-escaped inside raw HTML blocks (vlm_survey.render), so Markdown never interprets it. Data
text never reaches a template engine, three times over: macros render only pages that opt in
(`render_by_default: false`) and these pages opt out; their front matter must read back exactly as
written (else MkDocs would silently drop it); and the finished page must hold no template syntax at
all (`{{`, `{%`, `{#`: braces from data are written as character references). Section headings
carry fixed ASCII ids, the same in both languages.
"""

from __future__ import annotations

import functools
import heapq
import posixpath
import re
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, Sequence

import yaml
from mkdocs.utils.meta import get_data

try:  # libyaml writes the same YAML several times faster; what it writes is read back and checked either way
    from yaml import CSafeDumper as SafeDumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper  # type: ignore[assignment]

from vlm_survey import tables
from vlm_survey.citation import entry_bibtex
from vlm_survey.i18n import check_language, listed, t
from vlm_survey.render import folded, render

Entry = dict[str, Any]

CHAPTERS = {"models": "architecture.md", "benchmarks": "benchmarks.md"}
ROW_PREFIX = {"models": "model", "benchmarks": "benchmark"}
SECTIONS = ("details", "corrections", "links", "places", "bibtex", "related")
MAX_PEERS = 12
MODEL_FIELDS = ("year", "organization", "architecture_type", "paradigm", "vision_encoder", "llm_backbone",
                "connector", "parameters", "training_data", "open_weights")
BENCHMARK_FIELDS = ("year", "kind", "category", "domain", "metric", "annotation", "size_k")
TEMPLATE_SYNTAX = re.compile(r"\{[{%#]")  # what opens a Jinja expression, statement or comment
DOCS = Path(__file__).resolve().parent.parent / "docs"  # the checkout's pages, one folder per language
# Sections of these pages name no entry in running text: the home page's tour, the bibliography, the guide
# for contributors, the explorer of the data.
NOT_MENTIONING = {"index.md", "references.md", "contributing.md", "explorer.md"}
TABLE_SECTION = {"models": lambda entry: "model-table", "benchmarks": lambda entry: f'{entry["category"]}-benchmarks'}
EXPLORER = {"benchmarks": ("explorer.md", "all-benchmarks")}
_HEADING = re.compile(r"^(#{1,3}) +(.*?)(?: +\{ *#([\w-]+)[^}]*\})? *$", re.MULTILINE)
_WORD = re.compile(r"[A-Za-z0-9]+")
_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|[`*_]")


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


def _survey_words(bench: Entry, field: str, lang: str) -> str:
    """A benchmark's metric or annotation: in Chinese its kinds, then the survey's English wording; in
    English the survey's wording, then its kinds."""
    kinds, wording = tables.kinds_text(lang, f"{field}_types", bench), folded(bench[field])
    if lang == "zh":
        return f'{kinds}（{t(lang, "survey_wording", value=wording)}）' if kinds else wording
    return f"{wording} ({kinds})" if kinds else wording


def _publication(entry: Entry, lang: str) -> tuple[str, str]:
    """The row naming the (first) paper: its title, then its authors as a reader of `lang` cites them."""
    authors = [a for a in entry["authors"] if a != "others"]
    names = listed(lang, authors)
    if len(authors) < len(entry["authors"]):
        names = t(lang, "entry.and_others", names=names)
    return t(lang, "entry.publication"), t(lang, "entry.publication_text", title=folded(entry["title"]), authors=names)


def _model_rows(model: Entry, lang: str) -> list[tuple[str, Any]]:
    rows = [(t(lang, f"col.{f}"), tables.model_cell(model, f, lang)[0]) for f in MODEL_FIELDS]
    if "connector_detail" in model:
        index = MODEL_FIELDS.index("connector") + 1
        rows.insert(index, (t(lang, "col.connector_detail"), model["connector_detail"][lang]))
    return [_publication(model, lang), *rows]


def _benchmark_rows(bench: Entry, lang: str) -> list[tuple[str, Any]]:
    rows = [_publication(bench, lang)]
    for field in BENCHMARK_FIELDS:
        value = tables.benchmark_cell(bench, field, lang)[0]
        if field in ("metric", "annotation") and bench.get(field):
            value = _survey_words(bench, field, lang)
        rows.append((t(lang, f"col.{field}"), value))
    return rows


def _links(collection: str, entry: Entry, lang: str, repo_url: str) -> list[tuple[str, str]]:
    """(address, label) of the entry's papers, code, projects and data file."""
    links = []
    papers = [entry["paper"]] if collection == "models" else entry["papers"]
    for n, paper in enumerate(papers, 1):
        links.append((paper, t(lang, "paper_link") + (f" {n}" if len(papers) > 1 else "")))
    if collection == "models" and entry.get("code"):
        links.append((entry["code"], t(lang, "code_link")))
    projects = entry.get("project", [])
    for n, project in enumerate(projects, 1):
        links.append((project, t(lang, "project_link") + (f" {n}" if len(projects) > 1 else "")))
    links.append((f'{repo_url.rstrip("/")}/blob/main/{entry["_file"]}', t(lang, "entry.data_file")))
    return links


def _name_key(entry: Entry) -> str:
    return entry["name"].casefold()


class Related:
    """The related entries of every entry of one collection, indexed once: a page's lists are then found
    in time bounded by MAX_PEERS and the number of years, not by the size of the collection.

    Peers are grouped by what relates them (the connector of a model, the category of a benchmark) and,
    inside a group, by year in catalog order, so that the nearest peers need no sorting of the whole group.
    """

    def __init__(self, collection: str, entries: Sequence[Entry]) -> None:
        self.collection = collection
        self.by_id = {e["id"]: e for e in entries}
        self.successors: dict[str, list[Entry]] = {}
        self.years: dict[Any, dict[int, list[Entry]]] = {}  # group -> year -> entries by name (stable)
        self._named: tuple[Any, dict[str, list[Section]]] = (None, {})  # sections -> entry name -> naming them
        for e in entries:
            for parent in dict.fromkeys(e.get("based_on", [])) if collection == "models" else ():
                self.successors.setdefault(parent, []).append(e)
            self.years.setdefault(self._group(e), {}).setdefault(e["year"], []).append(e)
        for years in self.years.values():
            for year, same in years.items():
                years[year] = sorted(same, key=_name_key)

    def named_in(self, entry: Entry, sections: tuple[Section, ...]) -> list[Section]:
        """The `sections` whose text names the entry; worked out for every entry at once, once per `sections`."""
        if self._named[0] is not sections:
            self._named = (sections, mentions(sections, [e["name"] for e in self.by_id.values()]))
        return self._named[1].get(entry["name"], [])

    def _group(self, entry: Entry) -> Any:
        return entry["connector"] if self.collection == "models" else entry["category"]

    def nearest(self, entry: Entry) -> list[Entry]:
        """At most MAX_PEERS other entries of the entry's group, closest in year first, then by name (without a
        bound every page lists every peer, and the site's size grows with the square of the data)."""
        years, year = self.years.get(self._group(entry), {}), entry["year"]
        found: list[Entry] = []
        for distance in range(max((abs(other - year) for other in years), default=-1) + 1):
            rings = ([years.get(year - distance, []), years.get(year + distance, [])] if distance
                     else [years.get(year, [])])
            # On a tie in name, the earlier year first (heapq.merge takes the first iterable's item first).
            for peer in heapq.merge(*rings, key=_name_key):
                if len(found) == MAX_PEERS:
                    return found
                if peer["id"] != entry["id"]:
                    found.append(peer)
        return found

    def groups(self, entry: Entry) -> list[tuple[str, list[tuple[str, str]]]]:
        """(label key, [(address, name)]) of each non-empty group of entries related to `entry`."""
        if self.collection == "models":
            groups = [("entry.based_on", [self.by_id[p] for p in entry.get("based_on", []) if p in self.by_id]),
                      ("entry.successors", [e for e in self.successors.get(entry["id"], []) if e["id"] != entry["id"]]),
                      ("entry.same_connector", self.nearest(entry))]
        else:
            groups = [("entry.same_category", self.nearest(entry))]
        return [(key, [(f'../{e["id"]}/', e["name"]) for e in entries]) for key, entries in groups if entries]


class Section(NamedTuple):
    """A chapter's section: its page (e.g. benchmarks.md), heading id ("" for the page's top), the chapter's
    title and the section's, as written (Markdown links and emphasis taken off)."""
    page: str
    id: str
    chapter: str
    title: str
    text: str


def chapter_sections(folder: Path) -> tuple[Section, ...]:
    """Every section (h2, h3 with an id, and the text before them) of the language's pages in `folder`;
    read again when a page changed."""
    return _sections(folder, max((p.stat().st_mtime_ns for p in folder.glob("*.md")), default=0))


@functools.lru_cache(maxsize=4)
def _sections(folder: Path, stamp: int) -> tuple[Section, ...]:
    found = []
    for path in sorted(folder.glob("*.md")):
        markdown = path.read_text(encoding="utf-8")
        headings = list(_HEADING.finditer(markdown))
        chapter = next((_MARKUP.sub(r"\1", h.group(2)) for h in headings if h.group(1) == "#"), path.stem)
        starts = [(0, "", chapter)] + [(h.end(), h.group(3), _MARKUP.sub(r"\1", h.group(2)))
                                       for h in headings if h.group(3)]
        for (start, section_id, title), end in zip(starts, [s for s, _, _ in starts[1:]] + [len(markdown)]):
            found.append(Section(path.name, section_id, chapter, title, markdown[start:end]))
    return tuple(found)


def _names(text: str, names: dict[str, list[str]]) -> set[str]:
    """Which of `names` (by first word) `text` holds as a whole name: LLaVA is not named by LLaVA-1.5.
    One pass over the text's words, however many names."""
    found = set()
    for word in _WORD.finditer(text):
        for name in names.get(word.group(), ()):
            end = word.start() + len(name)
            after = text[end:end + 2]
            if (text.startswith(name, word.start()) and not (word.start() and text[word.start() - 1].isalnum())
                    and not (after[:1].isalnum() or (after[:1] in "-." and after[1:2].isalnum()))):
                found.add(name)
    return found


def mentions(sections: Sequence[Section], names: Sequence[str]) -> dict[str, list[Section]]:
    """The `sections` whose text names each of `names`, in page order."""
    by_word: dict[str, list[str]] = {}
    for name in names:
        first = _WORD.match(name)
        if first:
            by_word.setdefault(first.group(), []).append(name)
    found: dict[str, list[Section]] = {}
    for section in sections:
        if section.page not in NOT_MENTIONING:
            for name in _names(section.text, by_word):
                found.setdefault(name, []).append(section)
    return found


def _connections(collection: str, entry: Entry, lang: str, related: Related) -> dict[str, Any]:
    """The page's breadcrumb (chapter, table, as (address, title)) and what it connects to: the tables that
    list it and the sections whose text names it, as (address, chapter, section)."""
    here = page_url(collection, entry["id"])
    sections = chapter_sections(DOCS / lang)
    by_place = {(s.page, s.id): s for s in sections}

    def href(page: str, section_id: str) -> str:
        return relative_href(here, f'{page.removesuffix(".md")}/' + (f"#{section_id}" if section_id else ""))

    chapter, table_id = CHAPTERS[collection], TABLE_SECTION[collection](entry)
    table = by_place.get((chapter, table_id))
    top = by_place.get((chapter, ""))
    crumbs = [(href(chapter, ""), top.chapter if top else chapter),
              (href(chapter, f'{ROW_PREFIX[collection]}-{entry["id"]}'), table.title if table else table_id)]
    listed = [place for place in ((chapter, table_id), EXPLORER.get(collection)) if place in by_place]
    named = [(s.page, s.id) for s in related.named_in(entry, sections)]
    places = list(dict.fromkeys(listed + named))
    return {"crumbs": crumbs,
            "listed_in": [(href(*p), by_place[p].chapter, by_place[p].title) for p in places if p in listed],
            "named_in": [(href(*p), by_place[p].chapter, by_place[p].title) for p in places if p not in listed]}


def page_markdown(collection: str, entry: Entry, catalog: Sequence[Entry] | Related, lang: str,
                  site_url: str, repo_url: str) -> str:
    """The Markdown source of one entry's page in `lang` (`catalog`: the entry's whole collection, or its
    `Related` index, which a caller building every page makes once)."""
    check_language(lang)
    related = catalog if isinstance(catalog, Related) else Related(collection, catalog)
    bib = "\n".join(entry_bibtex(collection, entry, entry_url(site_url, collection, entry["id"])))
    # The theme prints `title` and `description` unescaped, so they are escaped here.
    meta = {"title": str(tables.text(entry["name"])), "description": str(tables.text(entry["summary"][lang])),
            "render_macros": False}
    fields = _model_rows(entry, lang) if collection == "models" else _benchmark_rows(entry, lang)
    fields.append((t(lang, "col.survey_version"), t(lang, f'survey_version.{entry["survey_version"]}')))
    corrections = [(t(lang, "field." + c["field"], default=c["field"]), c["survey"], c["original"], c["note"][lang])
                   for c in entry.get("corrections", [])]
    body = render("entry_page.md", t=partial(t, lang), lang=lang, collection=collection, name=entry["name"],
                  kind=t(lang, f"entry.kind.{collection}"), year=entry["year"], summary=entry["summary"][lang],
                  fields=fields, source=entry["source"], corrections=corrections,
                  note=entry["note"][lang] if "note" in entry else None, uncertain=bool(entry.get("uncertain")),
                  links=_links(collection, entry, lang, repo_url),
                  table_href=f'../{CHAPTERS[collection]}#{ROW_PREFIX[collection]}-{entry["id"]}',
                  bibtex=bib, related=related.groups(entry), **_connections(collection, entry, lang, related))
    return inert("\n\n".join([front_matter(meta, src_uri(collection, entry["id"])), body]),
                 src_uri(collection, entry["id"]))


def front_matter(meta: dict[str, Any], where: str) -> str:
    """`meta` as a YAML front matter block that MkDocs reads back exactly, or ValueError.

    MkDocs drops a front matter it cannot parse without a word (`render_macros: false` with it).
    """
    block = yaml.dump(meta, Dumper=SafeDumper, allow_unicode=True, sort_keys=False, width=1_000_000)
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
                         "every value from data must go through a template of vlm_survey.render")
    return markdown
