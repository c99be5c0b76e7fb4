"""What the build-cost benchmark runs in a child process, inside the working copy.

    python bench/child.py capture CONFIG OUT_DIR SITE_DIR   # the real build, keeping each page's Markdown
    python bench/child.py bare CONFIG SITE_DIR [CONFIG SITE_DIR ...]   # bare builds, in one process
    python bench/child.py parts                             # seconds of the fixed costs, as JSON

`capture` pre-renders one language for the bare build: it runs the real build and writes every
page's Markdown as it stands after the macros (and any hook) ran, generated pages included. `bare`
builds those pages the way scripts/docs.py builds the real ones (one process, in order), so that
the two builds differ only by our data and macro machinery.
"""

from __future__ import annotations

import json
import logging
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
    config = load_config(config_file=config_file, site_dir=site_dir)
    config.plugins["bench-capture"] = Capture(Path(out))
    build(config)


def bare(*configs_and_sites: str) -> None:
    """Build each config into the site folder that follows it, in order."""
    for config_file, site_dir in zip(configs_and_sites[::2], configs_and_sites[1::2]):
        build(load_config(config_file=config_file, site_dir=site_dir))


def parts() -> None:
    """Seconds of the two fixed costs of a build, in this fresh process: data, jieba's dictionary."""
    started = time.perf_counter()
    sys.path.insert(0, str(Path.cwd()))
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
    {"capture": capture, "bare": bare, "parts": parts}[command](*args)
