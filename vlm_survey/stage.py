"""Staging: everything a language's build derives, written as plain files before the engine runs.

One folder per language, next to the site (`.site.stage/<code>/` for `site/`):

    mkdocs.yml        the language's engine config (vlm_survey/engine_config.py)
    catalog.json      the validated data, which the in-page macros read (vlm_survey/macros.py)
    docs/             the language's pages with their cite block and translation banner, and one
                      page per model and benchmark (vlm_survey/entry_pages.py); each with its page chrome
                      in the front matter (`chrome`: last update from git, edit and error-report links),
                      which overrides/partials/source-file.html shows under both engines
    snippets/         the shared snippets, and abbreviations.md: the glossary's abbreviations, which
                      pymdownx.snippets appends to every page after the macros ran

Files are rewritten only when their content changed, and files no longer produced are removed, so the
engine's own change detection (MkDocs' dirty builds) keeps working across rebuilds; a page whose macros
read a part of catalog.json that changed is marked changed too (its time stamp). Staging says what it
changed (`Staged`), and in a long-running process (`serve`) it renders again only the chapters and entry
pages whose inputs changed.
"""

from __future__ import annotations

import functools
import datetime
import hashlib
import json
import os
import re
import urllib.parse
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Sequence

from mkdocs.utils.meta import get_data

from vlm_survey import chapters, citation, freshness, prerender, tables
from vlm_survey.catalog import CATALOG_FILE, COLLECTIONS, Catalog, catalog_json
from vlm_survey.engine_config import (alternate, config_text, engine_config, language_url, nav_pages, nav_title,
                                      shared)
from vlm_survey.entry_pages import Related, page_markdown, page_url, src_uri
from vlm_survey.i18n import date_text, t
from vlm_survey.languages import Language
from vlm_survey.macros import collections_read
from vlm_survey.page_sources import SNIPPETS

ABBREVIATIONS = "abbreviations.md"
PACKAGE = Path(__file__).parent  # the code and templates that render the pages
RENDERED = ".rendered.json"  # in a staging folder: the entry pages it holds, and the digest of what each shows
RENDERING_LIBRARIES = ("jinja2", "markupsafe", "PyYAML")
REPORT_FORM = "report-error.yml"  # .github/ISSUE_TEMPLATE/: the "report an error" link's issue form
ENTRY_PAGE = re.compile(rf"(?:{'|'.join(COLLECTIONS)})/[^/\\]+\.md")  # a name in RENDERED: models/<id>.md

# The pages a language's stagings rendered: page -> (digest of what it was rendered from, Markdown).
Renders = dict[str, tuple[str, str]]


def stage_folder(site_dir: Path) -> Path:
    """Where the languages building `site_dir` are staged: beside it, never inside the published site."""
    return site_dir.parent / f".{site_dir.name}.stage"


@dataclass(frozen=True)
class Inputs:
    """What the staging of every language reads: the validated data and what derives from it alone, read
    once per build."""

    catalog: Catalog
    catalog_json: str
    cff: dict[str, Any]
    related: dict[str, Related]
    renderer: str  # a digest of what renders pages: this package's code and templates, and their libraries
    dates: dict[str, str]  # each page source's last commit date (YYYY-MM-DD), by path; {} without git history

    @classmethod
    def read(cls, project: Path, catalog: Catalog) -> Inputs:
        templates = sorted((p.name, p.read_bytes()) for p in (PACKAGE / "templates").iterdir() if p.is_file())
        return cls(catalog, catalog_json(catalog), _cff(project, _stamp(project / "CITATION.cff")),
                   {collection: Related(collection, catalog.entries(collection)) for collection in COLLECTIONS},
                   _digest(_code(), templates), _dates(project))


@dataclass(frozen=True)
class Staged:
    """A language's staging folder once staged: its config, and what this staging changed in it."""

    config: Path
    written: frozenset[str]  # files new or changed, and the pages whose macros read changed data
    came_or_went: frozenset[str]  # files new, and files removed
    titled: bool  # the config names every page of the navigation with its title

    @property
    def pages_only(self) -> bool:
        """Whether only pages changed (and the data their macros read), none came or went, and the engine knows
        every title of the navigation: an engine that builds just the changed pages again then builds what it
        builds from nothing."""
        return self.titled and not self.came_or_went and all(
            name.startswith("docs/") or name in (CATALOG_FILE, RENDERED) for name in self.written)


def stage_language(project: Path, language: Language, languages: Sequence[Language], inputs: Inputs,
                   folder: Path, site_dir: Path, behind: dict[str, freshness.Status],
                   renders: Renders | None = None) -> Staged:
    """Write `language`'s staging folder (to build into `site_dir`).

    `renders`: the pages this language's earlier stagings in this process rendered, kept by the caller (`serve`);
    a chapter or entry page is then rendered again only when what it is rendered from changed (the chapters'
    diagrams and formulas, the entry pages' data). Without them, the entry pages that the folder holds from the
    last staging are taken as they are while what they show (and the code rendering them) is the same."""
    renders = {} if renders is None else renders
    if not renders:
        renders.update(_recorded(folder))
    base, text, docs = shared(project), language.text, language.docs(project)
    site_url, others = language_url(base["site_url"], language), alternate(language, languages)
    nav = shared(project)["nav"]
    sources = sorted(p for p in docs.rglob("*") if p.is_file())
    files: dict[str, str | bytes] = {f"docs/{p.relative_to(docs).as_posix()}": p.read_bytes()
                                     for p in sources if p.suffix != ".md"}
    assets = _digest(sorted(files.items()))
    titles, macro_pages = {}, {}
    for path in (p for p in sources if p.suffix == ".md"):
        name = path.relative_to(docs).as_posix()
        digest = _digest(path.read_text(encoding="utf-8"), text, nav, assets, inputs.renderer)
        if renders.get(name, ("",))[0] != digest:  # its diagrams and formulas, when its sources changed
            markdown = prerender.chapter(path.read_text(encoding="utf-8"), docs=docs, name=name, lang=text,
                                          nav=nav)
            renders[name] = (digest, markdown)
        markdown = renders[name][1]
        staged = chapters.decorate(
            markdown, lang=text, src_uri=name, site_url=site_url,
            site_name=language.site_name, alternate=others, cff=inputs.cff, status=behind.get(name))
        source = f"docs/{language.code}/{name}"
        staged = with_meta(staged, chrome(language, base, source, site_url + chapters.page_url(name),
                                          chapters.page_title(markdown, name), inputs.dates.get(source)))
        files[f"docs/{name}"] = staged
        body, meta = get_data(staged)
        title = nav_title(body, meta)
        if title:
            titles[name] = title
        if meta.get("render_macros") is True:
            macro_pages[f"docs/{name}"] = collections_read(body)
    files.update(_entry_pages(renders, inputs, language, site_url, base))
    for path in sorted((project / SNIPPETS).rglob("*")):
        if path.is_file():
            files[f"snippets/{path.relative_to(project / SNIPPETS).as_posix()}"] = path.read_bytes()
    # Appended after the macros ran (a snippet is never a template), so its text may hold any character.
    files[f"snippets/{ABBREVIATIONS}"] = "\n" + tables.abbreviations(inputs.catalog.glossary, text) + "\n"
    files["mkdocs.yml"] = config_text(engine_config(project, language, languages, site_dir, titles))
    files[CATALOG_FILE] = inputs.catalog_json
    before = (folder / CATALOG_FILE).read_text(encoding="utf-8") if (folder / CATALOG_FILE).is_file() else "{}"
    written, added, removed = write_tree(folder, files)
    if CATALOG_FILE in written:  # the pages whose macros read what changed in the data are built from it too
        old, new = json.loads(before), json.loads(inputs.catalog_json)
        changed = {collection for collection in new if old.get(collection) != new[collection]}
        readers = {name for name, reads in macro_pages.items() if reads & changed} - written
        for name in readers:
            os.utime(folder / name)
        written |= readers
    for name in [name for name in renders if f"docs/{name}" not in files]:
        del renders[name]
    return Staged(folder / "mkdocs.yml", frozenset(written), frozenset(added | removed),
                  titled=all(page in titles for page in nav_pages(nav)))


def _entry_pages(renders: Renders, inputs: Inputs, language: Language, site_url: str,
                 base: dict[str, Any]) -> dict[str, str]:
    """Each entry's page (vlm_survey.entry_pages), rendered again only when what it shows changed, with its page
    chrome (`chrome`: the chrome changes with the history, not with what the page shows), and the record of what
    each shows (RENDERED)."""
    lang, repo_url = language.text, base.get("repo_url", "")
    files, record = {}, {}
    for collection in COLLECTIONS:
        related = inputs.related[collection]
        for entry in inputs.catalog.entries(collection):
            name = src_uri(collection, entry["id"])
            digest = _digest(collection, entry, related.groups(entry), lang, site_url, repo_url, inputs.renderer)
            if renders.get(name, ("",))[0] != digest:
                renders[name] = (digest, page_markdown(collection, entry, related, lang, site_url, repo_url))
            source = f"data/{collection}/{entry['id']}.yaml"
            meta = chrome(language, base, source, site_url + page_url(collection, entry["id"]), str(entry["name"]),
                          inputs.dates.get(source))
            files[f"docs/{name}"], record[name] = with_meta(renders[name][1], meta), digest
    files[RENDERED] = json.dumps(record, indent=0, sort_keys=True)
    return files


def _dates(project: Path) -> dict[str, str]:
    """The last commit date of every page source (docs/<code>/*.md, data/<collection>/<id>.yaml), from one git
    log; {} without git or history."""
    sources = [p.relative_to(project).as_posix() for p in sorted((project / "docs").glob("*/**/*.md"))]
    sources += [p.relative_to(project).as_posix()
                for collection in COLLECTIONS for p in sorted((project / "data" / collection).glob("*.yaml"))]
    try:
        return freshness.Git(project).last_changed(sources)
    except freshness.GitUnavailable:
        return {}


CHROME_KEYS = ("vlm_edit", "vlm_report", "vlm_labels", "vlm_updated", "vlm_updated_text")  # chrome's front matter


def chrome(language: Language, base: dict[str, Any], source: str, url: str, title: str,
           date: str | None) -> dict[str, Any]:
    """What the theme shows at the foot of a page (overrides/partials/source-file.html), as front matter: its
    last update (`date`, YYYY-MM-DD, localised; left out without one), the link to edit its `source` (a path in
    the repository) and a prefilled error report naming the page (`url`; overrides/assets/javascripts/chrome.js
    adds the section)."""
    lang, repo = language.text, base["repo_url"].rstrip("/")
    query = {"template": REPORT_FORM, "title": t(lang, "chrome.report_title", title=title), "where": url}
    if source.startswith("data/"):
        query["entry"] = source
    meta: dict[str, Any] = {
        "vlm_edit": f"{repo}/{base['edit_uri']}{source}",
        "vlm_report": f"{repo}/issues/new?{urllib.parse.urlencode(query, quote_via=urllib.parse.quote)}",
        "vlm_labels": {key: t(lang, f"chrome.{key}") for key in ("updated", "edit", "report")},
    }
    if date:
        meta["vlm_updated"] = date
        meta["vlm_updated_text"] = date_text(lang, datetime.date.fromisoformat(date))
    return meta


def without_meta(markdown: str, keys: Sequence[str]) -> str:
    """The page as it was before `with_meta` added `keys` to it: their lines at the top of its front matter
    taken off."""
    head, _, rest = markdown.partition("\n")
    lines, added = rest.split("\n"), tuple(f"{key}: " for key in keys)
    start = next((n for n, line in enumerate(lines) if not line.startswith(added)), len(lines))
    return "\n".join([head, *lines[start:]])


def with_meta(markdown: str, meta: dict[str, Any]) -> str:
    """The page with `meta` added at the top of its front matter (created if it has none); values are written as
    JSON, which YAML reads back as written."""
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
    if re.match(r"---[ \t]*\n", markdown):
        head, rest = markdown.split("\n", 1)
        return f"{head}\n{lines}{rest}"
    return f"---\n{lines}---\n\n{markdown}"


@functools.lru_cache(maxsize=2)
def _cff(project: Path, stamp: tuple[int, int]) -> dict[str, Any]:
    """CITATION.cff, read again when it changed (its `_stamp`; `serve` stages on every change). Read-only."""
    return citation.load_cff(project)


def _stamp(path: Path) -> tuple[int, int]:
    """(time stamp, size) of a file, (0, 0) when there is none."""
    try:
        info = path.stat()
    except OSError:
        return 0, 0
    return info.st_mtime_ns, info.st_size


def _recorded(folder: Path) -> Renders:
    """The entry pages the staging folder holds, with the digest of what each was rendered from (RENDERED)."""
    try:
        digests = json.loads((folder / RENDERED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    names = [name for name in digests if ENTRY_PAGE.fullmatch(name)] if isinstance(digests, dict) else []
    pages = {name: folder / "docs" / name for name in names}
    return {name: (str(digests[name]), without_meta(path.read_bytes().decode("utf-8"), CHROME_KEYS))
            for name, path in pages.items() if path.is_file()}


@functools.lru_cache(maxsize=1)
def _code() -> str:
    """A digest of the code this process runs (read once: the code does not change under it) and of the
    libraries that render pages with it."""
    sources = sorted((p.relative_to(PACKAGE).as_posix(), p.read_bytes()) for p in PACKAGE.rglob("*.py"))
    return _digest(sources, [(name, metadata.version(name)) for name in RENDERING_LIBRARIES])


def _digest(*values: object) -> str:
    return hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


def write_tree(folder: Path, files: dict[str, str | bytes]) -> tuple[set[str], set[str], set[str]]:
    """Make `folder` hold exactly `files` (relative path: content), touching only what differs; return the
    names written (new or changed), the names new among them, and the names removed."""
    wanted = {folder / name: content.encode("utf-8") if isinstance(content, str) else content
              for name, content in files.items()}
    written, added, removed = set(), set(), set()
    if folder.exists():
        for path in sorted(folder.rglob("*"), reverse=True):  # files before their folders
            if path.is_file() and path not in wanted:
                path.unlink()
                removed.add(path.relative_to(folder).as_posix())
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for path, content in wanted.items():
        exists = path.is_file()
        if exists and path.read_bytes() == content:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.new")
        temporary.write_bytes(content)
        os.replace(temporary, path)
        written.add(path.relative_to(folder).as_posix())
        if not exists:
            added.add(path.relative_to(folder).as_posix())
    return written, added, removed
