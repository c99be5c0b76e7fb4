"""Staging: everything a language's build derives, written as plain files before the engine runs.

One folder per language, next to the site (`.site.stage/<code>/` for `site/`):

    mkdocs.yml        the language's engine config (vlm_survey/engine_config.py)
    catalog.json      the validated data, which the in-page macros read (vlm_survey/macros.py)
    docs/             the language's pages with their cite block and translation banner, and one
                      page per model and benchmark (vlm_survey/entry_pages.py)
    snippets/         the shared snippets, and abbreviations.md: the glossary's abbreviations, which
                      pymdownx.snippets appends to every page after the macros ran

Files are rewritten only when their content changed, and files no longer produced are removed, so the
engine's own change detection (MkDocs' dirty builds) keeps working across rebuilds.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Sequence

from vlm_survey import chapters, citation, freshness, tables
from vlm_survey.catalog import COLLECTIONS, Catalog
from vlm_survey.engine_config import config_text, engine_config, shared
from vlm_survey.entry_pages import page_markdown, src_uri
from vlm_survey.languages import Language
from vlm_survey.page_sources import SNIPPETS

CATALOG_FILE = "catalog.json"
ABBREVIATIONS = "abbreviations.md"


def stage_folder(site_dir: Path) -> Path:
    """Where the languages building `site_dir` are staged: beside it, never inside the published site."""
    return site_dir.parent / f".{site_dir.name}.stage"


def stage_language(project: Path, language: Language, languages: Sequence[Language], catalog: Catalog,
                   folder: Path, site_dir: Path, behind: dict[str, freshness.Status]) -> Path:
    """Write `language`'s staging folder (to build into `site_dir`); return its config file."""
    config = engine_config(project, language, languages, site_dir)
    text = language.text
    site_url = config["site_url"]
    files: dict[str, str | bytes] = {"mkdocs.yml": config_text(config), CATALOG_FILE: catalog_json(catalog)}
    cff = citation.load_cff(project)
    docs = language.docs(project)
    for path in sorted(p for p in docs.rglob("*") if p.is_file()):
        name = path.relative_to(docs).as_posix()
        if path.suffix != ".md":
            files[f"docs/{name}"] = path.read_bytes()
            continue
        files[f"docs/{name}"] = chapters.decorate(
            path.read_text(encoding="utf-8"), lang=text, src_uri=name, site_url=site_url,
            site_name=language.site_name, alternate=config["extra"]["alternate"], cff=cff, status=behind.get(name))
    repo_url = shared(project).get("repo_url", "")
    for collection in COLLECTIONS:
        entries = catalog.entries(collection)
        for entry in entries:
            name = src_uri(collection, entry["id"])
            files[f"docs/{name}"] = page_markdown(collection, entry, entries, text, site_url, repo_url)
    for path in sorted((project / SNIPPETS).rglob("*")):
        if path.is_file():
            files[f"snippets/{path.relative_to(project / SNIPPETS).as_posix()}"] = path.read_bytes()
    # Appended after the macros ran (a snippet is never a template), so its text may hold any character.
    files[f"snippets/{ABBREVIATIONS}"] = "\n" + tables.abbreviations(catalog.glossary, text) + "\n"
    write_tree(folder, files)
    return folder / "mkdocs.yml"


def catalog_json(catalog: Catalog) -> str:
    """The catalog as JSON, read back by `read_catalog`."""
    return json.dumps(dataclasses.asdict(catalog), ensure_ascii=False, allow_nan=False, sort_keys=True)


def read_catalog(path: Path) -> Catalog:
    """The catalog that staging wrote to `path`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Catalog(**{field.name: tuple(data[field.name]) for field in dataclasses.fields(Catalog)})


def write_tree(folder: Path, files: dict[str, str | bytes]) -> None:
    """Make `folder` hold exactly `files` (relative path: content), touching only what differs."""
    wanted = {folder / name: content.encode("utf-8") if isinstance(content, str) else content
              for name, content in files.items()}
    if folder.exists():
        for path in sorted(folder.rglob("*"), reverse=True):  # files before their folders
            if path.is_file() and path not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for path, content in wanted.items():
        if path.is_file() and path.read_bytes() == content:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.new")
        temporary.write_bytes(content)
        os.replace(temporary, path)
