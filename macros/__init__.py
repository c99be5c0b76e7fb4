"""mkdocs-macros entry point: registers the site's macros; rendering lives in plain modules."""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urljoin

from mkdocs.exceptions import PluginError

from macros.catalog import load_catalog
from macros.i18n import LANGUAGES, check_language
from macros.site_env import page_language, repository_root
from macros import chapters, citation, exports, figures, freshness, tables
from macros.entry_pages import page_url, relative_href
from macros.page_sources import check_pages
from macros.yaml_source import DataErrors

log = logging.getLogger("mkdocs.plugins.vlm")


class MacroError(Exception):
    """A macro called with arguments it cannot use; the message names the page and the macro."""


def define_env(env: Any) -> None:
    """Check the page files and load the data (once per build), then register the macros."""
    root = repository_root(env.conf)
    try:
        check_pages(root, Path(env.conf["docs_dir"]))
        catalog = load_catalog(root)
    except DataErrors as exc:  # the engine prints a PluginError's message alone, without a traceback
        raise PluginError(exc.report()) from None
    lang = check_language(page_language(env.conf))
    anchored: dict[str, set[str]] = {}
    alternate = env.conf["extra"]["alternate"]  # each language's root, relative to this build's root

    def _anchored() -> set[str]:
        page = env.page.url if env.page else ""  # `url`: MkDocs and Zensical pages both have it
        return anchored.setdefault(page, set())

    def _entry_href(collection: str) -> Any:
        """id -> link from the current page to that entry's generated page."""
        here = env.page.url if env.page else ""
        return lambda entry_id: relative_href(here, page_url(collection, entry_id))

    def on_page(macro: Callable[..., Any]) -> Callable[..., Any]:
        """Register `macro`; an argument it cannot use fails the build naming the page and the macro."""
        @functools.wraps(macro)
        def checked(*args: Any, **kwargs: Any) -> Any:
            try:
                return macro(*args, **kwargs)
            except (TypeError, ValueError) as exc:
                page = env.page.file.src_uri if env.page else "(no page)"
                raise MacroError(f"{page}: {exc}") from None
        return env.macro(checked)

    @on_page
    def model_table(columns: list[str] | None = None, **filters: Any) -> str:
        """All models, or those matching `filters` (year_from, paradigm, ...), as a table."""
        tables.check_arguments("model_table", columns, filters)
        return tables.model_table(catalog.models, lang, columns, _anchored(), _entry_href("models"), **filters)

    @on_page
    def benchmark_table(columns: list[str] | None = None, **filters: Any) -> str:
        """All benchmarks, or those matching `filters` (category, kind, ...), as a table."""
        tables.check_arguments("benchmark_table", columns, filters)
        return tables.benchmark_table(catalog.benchmarks, lang, columns, _anchored(), _entry_href("benchmarks"),
                                      **filters)

    @on_page
    def data_downloads(collection: str) -> str:
        """Links to the JSON/CSV/BibTeX exports (in the site root), and "download this view" buttons."""
        site_root = chapters.language_href(env.page.url, alternate, LANGUAGES[0])
        return exports.downloads_block(collection, len(catalog.entries(collection)), lang, site_root)

    @on_page
    def evolution_timeline() -> str:
        """Every model by year and paradigm, as an inline SVG figure."""
        return figures.timeline_figure(catalog.models, lang, _entry_href("models"))

    @on_page
    def model_lineage() -> str:
        """Which model builds on which (`based_on`), as an inline SVG figure."""
        return figures.lineage_figure(catalog.models, lang, _entry_href("models"))

    @on_page
    def glossary_table() -> str:
        """The glossary of terms, in the page's language."""
        return tables.glossary_table(catalog.glossary, lang)

    @on_page
    def entry_count(collection: str, **filters: Any) -> int:
        """How many models or benchmarks the data holds (optionally filtered)."""
        tables.check_arguments("entry_count", None, filters)
        return len(tables.select(catalog.entries(collection), collection, filters))

    env.variables["vlm_abbreviations"] = tables.abbreviations(catalog.glossary, lang)

    cff = citation.load_cff(root)
    try:
        behind = {s.page: s for s in freshness.statuses(root, (lang,))}
    except freshness.GitUnavailable as exc:
        log.info("no translation banners: %s", exc)
        behind = {}

    def chapter_extras(page: Any, markdown: str) -> str:
        return chapters.decorate(markdown, lang=lang, page=page, site_name=env.conf["site_name"],
                                 alternate=alternate, cff=cff, status=behind.get(page.file.src_uri))

    def write_exports() -> None:
        site_urls = {a["lang"]: urljoin(env.conf["site_url"], a["link"]) for a in alternate}
        exports.write_exports(Path(env.conf["site_dir"]), root, {c: catalog.entries(c) for c in exports.COLLECTIONS},
                              site_urls, lang, env.conf["repo_url"])

    env.variables["vlm_chapter_extras"] = chapter_extras
    env.variables["vlm_write_exports"] = write_exports if lang == LANGUAGES[0] else None


def on_post_page_macros(env: Any) -> None:
    """Chapters get the translation banner and the cite block; every page gets the glossary's
    abbreviations as tooltips. Entry pages (generated by macros/entry_hook.py) are not chapters."""
    if env.page.file.generated_by is None:
        env.markdown = env.variables["vlm_chapter_extras"](env.page, env.markdown)
    env.markdown += "\n\n" + env.variables["vlm_abbreviations"] + "\n"


def on_post_build(env: Any) -> None:
    """The exports are written once, by the build of the site root's language (Chinese)."""
    if env.variables["vlm_write_exports"]:
        env.variables["vlm_write_exports"]()
