"""Building: check the sources, stage every language, run the engine per language, assemble the site.

Each language is built on its own into a temporary folder (no order between languages); the exports
are written once; the site replaces the previous one only when everything succeeded, so a failed or
interrupted build leaves the last good site as it was.

Two engines build the same staged pages: MkDocs (in this process: the data is validated once and
jieba loads its dictionary once) and Zensical (its own command, one process per language).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import chdir, contextmanager
from functools import partial
from pathlib import Path
from typing import Callable, Iterator, Sequence
from urllib.parse import urljoin

from vlm_survey import assets, exports, freshness, search_index
from vlm_survey.catalog import Catalog, load_catalog
from vlm_survey.engine_config import flat_config, language_url, shared
from vlm_survey.languages import Language, registry
from vlm_survey.page_sources import PageErrors, check_pages
from vlm_survey.yaml_source import DataError, DataErrors
from vlm_survey.stage import Inputs, stage_folder, stage_language

ENGINES = ("mkdocs", "zensical")
log = logging.getLogger("mkdocs.plugins.vlm")


class BuildError(Exception):
    """A language's engine failed; the message says which and why (the engine logged the details)."""


def check_sources(project: Path, languages: Sequence[Language]) -> Catalog:
    """Every language's pages and snippets, and the data: DataErrors lists every problem of them all; then the
    sources of the style sheet and script bundles (BuildError)."""
    pages: list[DataError] = []
    for language in languages:
        try:
            check_pages(project, language.docs(project))
        except PageErrors as exc:
            pages += [error for error in exc.errors if error not in pages]  # snippets/ is checked each time
    try:
        catalog = load_catalog(project)
    except DataErrors as exc:
        raise DataErrors(pages + exc.errors) from None
    if pages:
        raise PageErrors(pages)
    try:
        assets.check(project)
    except assets.AssetError as exc:
        raise BuildError(str(exc)) from None
    return catalog


def translation_statuses(project: Path, languages: Sequence[Language]) -> dict[str, dict[str, freshness.Status]]:
    """Which pages of each language (`languages`: every language of the registry) are behind their other
    version (none without git history)."""
    try:
        found = freshness.statuses(project, every=[language.code for language in languages])
    except freshness.GitUnavailable as exc:
        log.info("no translation banners: %s", exc)
        return {language.code: {} for language in languages}
    return {language.code: {s.page: s for s in found if s.lang == language.code} for language in languages}


def build_languages(project: Path, languages: Sequence[Language], site: Path, stages: Path, *,
                    engine: str = "mkdocs", progress: bool = False) -> Catalog:
    """Stage `languages` (the registry's) under `stages` and build them strictly into their places under
    `site`; return the catalog they were built from (raises BuildError, DataErrors).

    Each language is built into a folder of its own beside `site`, then moved into place, so no build
    cleans away another's pages.
    """
    catalog = check_sources(project, languages)
    inputs, behind = Inputs.read(project, catalog), translation_statuses(project, languages)
    for step, language in enumerate(languages, 1):
        target = site.with_name(f"{site.name}.{language.code}")
        if progress:
            print(f"[{step}/{len(languages)}] {language.name}: docs/{language.code} -> {site / language.subdir}",
                  flush=True)
        started = time.perf_counter()
        staged = stage_language(project, language, languages, inputs, stages / language.code, site_dir=target,
                                behind=behind[language.code])
        run_engine(engine, project, staged.config, target, strict=True, dirty=False)
        if progress:
            print(f"[{step}/{len(languages)}] {language.name}: done in {time.perf_counter() - started:.2f} s",
                  flush=True)
    for language in sorted(languages, key=lambda language: not language.root):  # the root first
        place = site / language.subdir
        if place.exists():
            shutil.rmtree(place)
        place.parent.mkdir(parents=True, exist_ok=True)
        site.with_name(f"{site.name}.{language.code}").rename(place)
    return catalog


def run_engine(engine: str, project: Path, config: Path, target: Path, *, strict: bool, dirty: bool) -> None:
    """Build the staged config `config` into `target` with `engine`."""
    if engine == "mkdocs":
        _mkdocs(config, target, strict=strict, dirty=dirty)
        search_index.compact(target)
    elif engine == "zensical":
        _zensical(project, config, target, strict=strict)
    else:
        raise BuildError(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}")
    assets.bundle(project, target)


def _mkdocs(config_file: Path, target: Path, *, strict: bool, dirty: bool) -> None:
    """One MkDocs build, with the plugin start-up and shut-down that `mkdocs build` runs. A dirty build
    (`target` holds the previous build; only the pages whose source is newer are built again) starts the
    plugins as a clean one: MkDocs keeps a plugin between the builds of one process, and a plugin told of a
    dirty build keeps state from the last one (the search index), which may be another language's."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with chdir(config_file.parent):  # pymdownx.snippets reads snippets/ from here
        try:
            config = load_config(config_file=str(config_file), site_dir=str(target), strict=strict)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build(config, dirty=dirty)
            finally:
                config.plugins.on_shutdown()
        except MkDocsException as exc:
            raise BuildError(exc.format_message()) from None
        except SystemExit as exc:  # mkdocs-macros exits on a failing macro, after logging why
            raise BuildError(f"a macro failed (exit {exc.code})") from None


ZENSICAL_SITE = ".zensical-site"  # inside the staging folder, where Zensical may write


def _zensical(project: Path, config_file: Path, target: Path, *, strict: bool) -> None:
    """One Zensical build, as its command line runs it; its output goes to this process's output.

    Zensical (0.0.73) differs from MkDocs in four ways that matter here: it writes only inside the
    config's folder (`site_dir must be within project root`); it merges an INHERITed config by appending
    lists (the palette would hold four toggles) where MkDocs replaces them; its default look is its own
    "modern" variant; and it reads relative URLs in raw HTML from the page's source file, not from its
    URL. So it builds from `zensical.yml`, written beside the staged config with the INHERIT chain
    resolved as MkDocs resolves it, Material's look (`theme.variant: classic`), the Markdown extension
    vlm_survey/zensical_links.py (raw HTML links keep MkDocs' meaning), `extra.engine: zensical` (for the
    templates that differ: overrides/partials/search-on-demand.html) and a site folder inside the staging
    folder, which is then moved to `target`.
    """
    stage = config_file.parent
    built = stage / ZENSICAL_SITE
    flat = stage / "zensical.yml"
    flat.write_text(flat_config(config_file, {"site_dir": ZENSICAL_SITE, "theme": {"variant": "classic"},
                                              "extra": {"engine": "zensical"}},
                                 extensions=["vlm_survey.zensical_links"]), encoding="utf-8")
    shutil.rmtree(built, ignore_errors=True)
    command = [str(Path(sys.executable).with_name("zensical")), "build", "--clean", "-f", str(flat)]
    if strict:
        command.append("--strict")
    environment = {**os.environ, "PYTHONPATH": str(project)}  # the macros of this project, not another copy's
    result = subprocess.run(command, cwd=stage, env=environment)
    if result.returncode != 0:
        raise BuildError(f"zensical build -f {flat} exited with {result.returncode}")
    if not (built / "index.html").is_file():
        raise BuildError(f"zensical build -f {flat} wrote no {built / 'index.html'}")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(built, target)  # a folder of its own: Zensical never builds over a site (no dirty builds)


def write_exports(project: Path, site: Path, catalog: Catalog, languages: Sequence[Language]) -> None:
    """The JSON, CSV and BibTeX exports, once, at the site's root."""
    base = shared(project)
    site_urls = {language.code: language_url(base["site_url"], language) for language in languages}
    exports.write_exports(site, project, {c: catalog.entries(c) for c in exports.COLLECTIONS}, site_urls,
                          languages[0].code, urljoin(base["repo_url"], ""))


def build(project: Path, site_dir: Path, engine: str = "mkdocs") -> None:
    """Strict build of every language with `engine`, all or nothing (raises BuildError, DataErrors)."""
    languages = registry(project)
    with replacing(site_dir) as new_site:
        catalog = build_languages(project, languages, new_site, stage_folder(site_dir), engine=engine, progress=True)
        write_exports(project, new_site, catalog, languages)


@contextmanager
def replacing(target: Path, discard: Callable[[Path], None] = partial(shutil.rmtree, ignore_errors=True)
              ) -> Iterator[Path]:
    """Yield an empty folder's path next to `target`; once the block succeeds, it becomes `target`.

    The swap is two renames on one file system (old site aside, new site in place), so a reader of
    `target` never sees a half-written tree; the temporary folder (the old site, or what a failed block
    left) is then handed to `discard`, whether the block succeeded, failed or was interrupted.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", suffix=".building", dir=target.parent))
    try:
        yield work / "new"
        if target.exists():
            target.rename(work / "old")
        (work / "new").rename(target)
    finally:
        discard(work)
