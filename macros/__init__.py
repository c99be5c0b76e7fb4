"""mkdocs-macros entry point: registers the site's macros; rendering lives in plain modules."""

from __future__ import annotations

from typing import Any

from macros.catalog import load_catalog
from macros.i18n import check_language
from macros.site_env import page_language, repository_root
from macros import tables


def define_env(env: Any) -> None:
    """Load and validate all data once per build, then register the macros."""
    root = repository_root(env.conf)
    catalog = load_catalog(root)
    lang = check_language(page_language(env.conf))
    anchored: dict[str, set[str]] = {}

    def _anchored() -> set[str]:
        page = env.page.file.src_uri if env.page else ""
        return anchored.setdefault(page, set())

    @env.macro
    def model_table(columns: list[str] | None = None, **filters: Any) -> str:
        """All models, or those matching `filters` (year_from, paradigm, ...), as a table."""
        return tables.model_table(catalog.models, lang, columns, _anchored(), **filters)

    @env.macro
    def benchmark_table(columns: list[str] | None = None, **filters: Any) -> str:
        """All benchmarks, or those matching `filters` (category, kind, ...), as a table."""
        return tables.benchmark_table(catalog.benchmarks, lang, columns, _anchored(), **filters)

    @env.macro
    def glossary_table() -> str:
        """The glossary of terms, in the page's language."""
        return tables.glossary_table(catalog.glossary, lang)

    @env.macro
    def entry_count(collection: str, **filters: Any) -> int:
        """How many models or benchmarks the data holds (optionally filtered)."""
        return len(tables.select(catalog.entries(collection), collection, filters))

    env.variables["vlm_abbreviations"] = tables.abbreviations(catalog.glossary, lang)


def on_post_page_macros(env: Any) -> None:
    """Append the glossary's abbreviations so every page shows them as tooltips."""
    env.markdown += "\n\n" + env.variables["vlm_abbreviations"] + "\n"
