"""Shared helpers for the tests: where things are, and a parsed view of the built site."""

from __future__ import annotations

import hashlib
import functools
import http.server
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bs4 import BeautifulSoup

from vlm_survey.languages import registry

ROOT = Path(__file__).resolve().parent.parent
LANGS = {language.code: language.subdir for language in registry(ROOT)}  # code: folder under the site
COPY_IGNORE = shutil.ignore_patterns(".venv", "site", ".git", ".pytest_cache", "__pycache__", "node_modules")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serving(directory: Path) -> Iterator[str]:
    """`directory` over HTTP on a free loopback port, in a thread; yields the base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def run_docs(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run `python -m vlm_survey` (the same entry point as `make`) in `cwd` and capture its output."""
    return subprocess.run([sys.executable, "-m", "vlm_survey", *args], cwd=cwd,
                          capture_output=True, text=True, env=_env())


def build_site(target: Path, cwd: Path = ROOT) -> Path:
    """Build both languages of the repository at `cwd` into `target` with the strict build; assert it worked."""
    result = run_docs("build", "-d", str(target), cwd=cwd)
    assert result.returncode == 0, f"strict build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return target


def _env() -> dict[str, str]:
    import os
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def copy_repo(target: Path) -> Path:
    """A working copy of the repository (without site, venv, git) to break on purpose."""
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    return target


def html_pages(site: Path, lang: str) -> Iterator[Path]:
    """Every HTML page of one language's build (the other languages' folders excluded)."""
    base = site / LANGS[lang]
    others = {folder for code, folder in LANGS.items() if code != lang and folder}
    for path in sorted(base.rglob("*.html")):
        relative = path.relative_to(site)
        if not LANGS[lang] and relative.parts[0] in others:
            continue
        yield path


def page_path(site: Path, lang: str, page: str) -> Path:
    """The built HTML file of `page` ('index', 'vit', ...) in `lang`."""
    base = site / LANGS[lang]
    return base / "index.html" if page == "index" else base / page / "index.html"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def source_pages(lang: str) -> list[str]:
    """Page names ('index', 'vit', ...) written in docs/<lang>/."""
    return sorted(p.relative_to(ROOT / "docs" / lang).with_suffix("").as_posix()
                  for p in (ROOT / "docs" / lang).rglob("*.md"))


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Write each `relative path: text or bytes` under `root`, creating folders."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def site_digest(site: Path) -> dict[str, str]:
    """`relative path: SHA-256` of every file under `site`, to tell whether a build touched it."""
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}
