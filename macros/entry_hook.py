"""MkDocs hook (mkdocs.yml `hooks:`): add a generated page for every model and benchmark.

The one piece of the build that needs a hook: pages can only be added in `on_files`, which
mkdocs-macros does not offer. The site builds without it (the entry pages are an addition, and
Zensical, which runs no hooks, skips them); the pages' content comes from macros/entry_pages.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs puts only this file's folder on the path while loading it
    sys.path.insert(0, str(ROOT))

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.structure.files import File, Files, InclusionLevel  # noqa: E402

from macros.catalog import COLLECTIONS, load_catalog  # noqa: E402
from macros.entry_pages import page_markdown, src_uri  # noqa: E402
from macros.i18n import check_language  # noqa: E402
from macros.site_env import page_language, repository_root  # noqa: E402


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Append one page per entry, outside the navigation (tables, figures and search lead to them)."""
    lang = check_language(page_language(config))
    catalog = load_catalog(repository_root(config))
    for collection in COLLECTIONS:
        entries = catalog.entries(collection)
        for entry in entries:
            content = page_markdown(collection, entry, entries, lang, config.site_url or "", config.repo_url or "")
            page = File.generated(config, src_uri(collection, entry["id"]), content=content,
                                  inclusion=InclusionLevel.NOT_IN_NAV)
            files.append(page)
    return files
