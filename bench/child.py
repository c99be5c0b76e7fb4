"""What the benchmarks run in a child process, inside a working copy (which is first on its import path:
bench/common.py's `run_timed` puts it there, so the copy's own vlm_survey is measured).

    python bench/child.py capture CONFIG OUT_DIR SITE_DIR   # a staged language's build, keeping each page's Markdown
    python bench/child.py bare CONFIG SITE_DIR [CONFIG SITE_DIR ...]   # bare builds, in one process
    python bench/child.py language CODE SITE_DIR [chapters]  # one language as `make build` builds it (profiled)
    python bench/child.py parts                             # seconds of the fixed costs, as JSON

`capture` pre-renders one language for the bare build: it builds the config that the real build staged and
writes every page's Markdown as it stands after the macros ran, generated pages included. `bare` builds
those pages the way `python -m vlm_survey build` builds the real ones (one process, in order, each from its
own folder), so that the two builds differ only by our data, staging and macro machinery. `language` runs
the real pipeline for one language (page and data checks, staging, MkDocs); with `chapters`, without the
page per model and benchmark (not strict then: the tables link to those pages).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin, event_priority


class Capture(BasePlugin):
    """Writes each page's final Markdown to `out/<src_uri>`."""

    def __init__(self, out: Path) -> None:
        super().__init__()
        self.out = out

    @event_priority(-100)  # after mkdocs-macros and every other plugin
    def on_page_markdown(self, markdown: str, page: object, **_: object) -> str:
        target = self.out / page.file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
        return markdown


def capture(config_file: str, out: str, site_dir: str) -> None:
    """Run from the staging folder: pymdownx.snippets reads snippets/ from the working directory."""
    config = load_config(config_file=config_file, site_dir=site_dir)
    config.plugins["bench-capture"] = Capture(Path(out))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def bare(*configs_and_sites: str) -> None:
    """Build each config into the site folder that follows it, in order, each from its own folder."""
    for config_file, site_dir in zip(configs_and_sites[::2], configs_and_sites[1::2]):
        os.chdir(Path(config_file).parent)
        build(load_config(config_file=config_file, site_dir=site_dir))


def language(code: str, site_dir: str, chapters: str = "") -> None:
    """One language of the project in the working directory, through vlm_survey's own steps."""
    from vlm_survey.build import check_sources, run_engine, translation_statuses
    from vlm_survey.engine_config import ENTRY_FOLDERS
    from vlm_survey.languages import registry
    from vlm_survey.stage import Inputs, stage_folder, stage_language

    project, site = Path.cwd(), Path(site_dir).resolve()
    languages = registry(project)
    [chosen] = [lang for lang in languages if lang.code == code]
    catalog = check_sources(project, [chosen])
    folder = stage_folder(site) / code
    staged = stage_language(project, chosen, languages, Inputs.read(project, catalog), folder, site_dir=site,
                            behind=translation_statuses(project, languages)[code])
    if chapters:
        for name in ENTRY_FOLDERS:
            shutil.rmtree(folder / "docs" / name, ignore_errors=True)
    run_engine("mkdocs", project, staged.config, site, strict=not chapters, dirty=False)


def parts() -> None:
    """Seconds of the two fixed costs of a build, in this fresh process: data, jieba's dictionary."""
    started = time.perf_counter()
    from vlm_survey.catalog import load_catalog

    imported = time.perf_counter()
    load_catalog(Path.cwd())
    loaded = time.perf_counter()
    import jieba

    jieba.initialize()
    print(json.dumps({"catalog_import": imported - started, "catalog_load": loaded - imported,
                      "jieba": time.perf_counter() - loaded}))


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("jieba").propagate = False  # it prints through a handler of its own
    command, *args = sys.argv[1:]
    {"capture": capture, "bare": bare, "language": language, "parts": parts}[command](*args)
