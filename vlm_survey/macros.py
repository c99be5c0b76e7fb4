"""The in-page macros (mkdocs-macros, and Zensical's emulation of it): `model_table()`, figures...

Loaded through the config's `plugins: - macros: modules: [vlm_survey.macros]`. It only registers macros
that read what staging wrote (vlm_survey/stage.py); everything else is derived before the engine runs.
Zensical calls `define_env` once per page, so it must stay cheap: the catalog is read once per process.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Callable

from mkdocs.exceptions import PluginError

from vlm_survey import chapters, exports, figures, home, tables
from vlm_survey.catalog import CATALOG_FILE, Catalog, read_catalog
from vlm_survey.entry_pages import page_url, relative_href
from vlm_survey.i18n import check_language, date_text
from vlm_survey.render import render
from vlm_survey.site_env import config_folder

# What of the catalog each macro reads (staging builds a page again when that changed; vlm_survey/stage.py). The
# macros of BY_ARGUMENT read the collection their first argument names.
READS = {"model_table": {"models"}, "benchmark_table": {"benchmarks"}, "glossary_table": {"glossary"},
         "evolution_timeline": {"models"}, "model_lineage": {"models"}}
BY_ARGUMENT = ("entry_count", "data_downloads")
EVERYTHING = {"models", "benchmarks", "glossary"}
_TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_CALL = re.compile(r"(\w+)\s*\(\s*(?:([\"'])(\w+)\2)?")
PROJECT = Path(__file__).resolve().parent.parent  # the checkout being built (build.py imports its own copy)
POINTER = "build this site with `make serve` or `make build` (README.md): they stage the pages before MkDocs runs"


def collections_read(page: str) -> set[str]:
    """The collections of the catalog that the macros called in `page` (Markdown with template code) read:
    every collection when a call is not one of the macros above, or its collection is not written out."""
    found: set[str] = set()
    for code in _TEMPLATE_CODE.findall(page):
        for name, _, argument in _CALL.findall(code):
            if name in READS:
                found |= READS[name]
            elif name in BY_ARGUMENT and argument in EVERYTHING:
                found.add(argument)
            else:
                return set(EVERYTHING)
    return found


class MacroError(Exception):
    """A macro called with arguments it cannot use; the message names the page and the macro."""


@functools.lru_cache(maxsize=4)
def _catalog(path: Path, mtime_ns: int) -> Catalog:
    return read_catalog(path)


def staged_catalog(conf: Any) -> Catalog:
    """The catalog staged beside the config, or PluginError pointing at `make serve`."""
    extra = conf["extra"] if "extra" in conf else None
    path = config_folder(conf) / CATALOG_FILE
    if not extra or "vlm" not in extra or not path.is_file():
        raise PluginError(POINTER)
    return _catalog(path, path.stat().st_mtime_ns)


def _source(page: Any) -> str:
    """The page's source path: MkDocs' `page.file.src_uri`, Zensical's `page.path`."""
    if page is None:
        return "(no page)"
    return page.file.src_uri if hasattr(page, "file") else str(page.path)


def define_env(env: Any) -> None:
    """Register the macros, on the catalog that staging wrote."""
    catalog = staged_catalog(env.conf)
    lang = check_language(env.conf["extra"]["vlm"]["text"])
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
                page = _source(env.page)
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

    def _site_root() -> str:
        """Link from the current page to the site's root, where the exports and the PDFs are."""
        return chapters.language_href(env.page.url, alternate, alternate[0]["lang"])

    @on_page
    def site_root() -> str:
        """Link from the current page to the site's root (`downloads/...pdf` follows it)."""
        return _site_root()

    @on_page
    def data_downloads(collection: str) -> str:
        """Links to the JSON/CSV/BibTeX exports (in the site root), and "download this view" buttons."""
        return exports.downloads_block(collection, len(catalog.entries(collection)), lang, _site_root())

    @on_page
    def last_update() -> str:
        """When docs/ or data/ last changed in git, as a <time> in the page's language; '' without history."""
        date = home.content_date(PROJECT)
        return render("home_updated.html", iso=date.isoformat(), shown=date_text(lang, date)) if date else ""

    @on_page
    def evolution_timeline(number: str = "") -> str:
        """Every model by year and paradigm, as an inline SVG figure numbered `number` (staging gives it)."""
        return figures.timeline_figure(catalog.models, lang, _entry_href("models"), number)

    @on_page
    def model_lineage(number: str = "") -> str:
        """Which model builds on which (`based_on`), as an inline SVG figure numbered `number`."""
        return figures.lineage_figure(catalog.models, lang, _entry_href("models"), number)

    @on_page
    def glossary_table() -> str:
        """The glossary of terms, in the page's language."""
        return tables.glossary_table(catalog.glossary, lang)

    @on_page
    def entry_count(collection: str, **filters: Any) -> int:
        """How many models or benchmarks the data holds (optionally filtered)."""
        tables.check_arguments("entry_count", None, filters)
        return len(tables.select(catalog.entries(collection), collection, filters))
