"""The shared kit of the tests (and of bench/): where things are, working copies of the repository, builds,
local servers (a static one, the dev server), Chromium, and a parsed view of the built site.

Every test and benchmark that copies the repository, serves a folder, runs `python -m vlm_survey serve` or
launches Chromium does it through this module; conftest.py turns the common cases into fixtures.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from bs4 import BeautifulSoup

from vlm_survey.languages import registry
from vlm_survey.loopback import serving  # noqa: F401 - the tests import it from here

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = registry(ROOT)
LANGS = {language.code: language.subdir for language in LANGUAGES}  # code: folder under the site
# The survey's eight core chapters, in reading order (the home page's cards, the teaching blocks).
CORE_CHAPTERS = ("concepts", "vit", "introduction", "architecture", "training", "benchmarks", "applications",
                 "challenges")

# --- working copies ---------------------------------------------------------------------------------------

# Never copied, at any depth: what tools leave behind.
_ANYWHERE = shutil.ignore_patterns(".venv", ".pytest_cache", "__pycache__", "node_modules", "*.egg-info")
# Never copied from the top of the checkout: built sites and what builds leave beside them (staging folders,
# `.site-*.building`), the bench's output, screenshots.
_AT_TOP = shutil.ignore_patterns("site", ".*.stage", ".*.building", "bench", "screenshots")


def copy_repo(target: Path, source: Path = ROOT, *, git: bool = False, parts: Iterable[str] | None = None) -> Path:
    """A working copy of the checkout at `source` in `target`, to break or build on purpose.

    Without a built site, a virtual environment or caches; with its git history only when `git` (the build
    reads it for the translation banners). `parts` copies only those paths (files or folders, relative to
    `source`), e.g. `("data", "languages.yml")`.
    """
    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = set(_ANYWHERE(folder, names))
        if Path(folder) == source:
            skipped |= set(_AT_TOP(folder, names)) | ({".git"} if not git else set())
        return skipped

    if parts is None:
        shutil.copytree(source, target, ignore=ignore, symlinks=True)
        return target
    target.mkdir(parents=True, exist_ok=True)
    for part in parts:
        origin, copy = source / part, target / part
        copy.parent.mkdir(parents=True, exist_ok=True)
        if origin.is_dir():
            shutil.copytree(origin, copy, ignore=_ANYWHERE, symlinks=True)
        else:
            shutil.copy2(origin, copy)
    return target


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Write each `relative path: text or bytes` under `root`, creating folders."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` as a test user (no signing, no user config needed); its output."""
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org",
                           "-c", "commit.gpgsign=false", *args], check=True, capture_output=True, text=True).stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


BEHIND = ("en", "vit.md")  # the page conftest's `history_copy` changes after the sync: its other versions are behind


# --- shared builds started early ---------------------------------------------------------------------

# name: (function(early, tmp_path_factory), the shared builds it reads, whether it runs on a thread of its own).
# conftest.py starts the ones the collected tests use (a fixture of that name) in the background as soon as
# the session starts; a builder gets the builds it needs with `early.result(name)`.
EARLY_BUILDS: dict[str, tuple[Callable[..., Any], tuple[str, ...], bool]] = {}


def early_build(*needs: str, alone: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a shared build (named after the function, without leading underscores) whose result a fixture
    of the same name hands out: it runs in the background, after the builds it `needs`; `alone` on a thread of
    its own from the start (a long scenario that mostly waits), the others one after the other."""
    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        EARLY_BUILDS[function.__name__.lstrip("_")] = (function, needs, alone)
        return function
    return register


# --- the command line -------------------------------------------------------------------------------------

def docs_env(**extra: str) -> dict[str, str]:
    """The environment of every `python -m vlm_survey` child: Material's MkDocs-2 banner off, output unbuffered."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1", **extra}


def docs_command(*args: str) -> list[str]:
    """`python -m vlm_survey ARGS`: run in a project's folder, it uses that project's vlm_survey."""
    return [sys.executable, "-m", "vlm_survey", *args]


def run_docs(*args: str, cwd: Path = ROOT, timeout: float = 600, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m vlm_survey` (the same entry point as `make`) in `cwd` and capture its output."""
    return subprocess.run(docs_command(*args), cwd=cwd, capture_output=True, text=True, env=docs_env(**env),
                          timeout=timeout)


def build_site(target: Path, cwd: Path = ROOT, engine: str = "mkdocs", **env: str) -> Path:
    """Build every language of the repository at `cwd` into `target` with the strict build of `engine`; assert
    it worked."""
    result = run_docs("build", "-d", str(target), "--engine", engine, cwd=cwd, **env)
    assert result.returncode == 0, f"strict build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return target


def beside(site: Path) -> list[str]:
    """What the site's folder holds: after a build is over, the site and its staging folder, nothing temporary."""
    return sorted(path.name for path in site.parent.iterdir())


def site_digest(site: Path) -> dict[str, str]:
    """`relative path: SHA-256` of every file under `site`, to tell whether a build touched it."""
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


# --- local servers ----------------------------------------------------------------------------------------

def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Requests of the kit go through an opener of their own: a test may replace urllib.request.urlopen (to refuse
# the network) while a shared build runs in the background.
OPENER = urllib.request.build_opener()


def answers(url: str, timeout: float = 60) -> bool:
    """Whether anything answers `url` (an error status is an answer too)."""
    try:
        with OPENER.open(url, timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@contextmanager
def dev_server(repo: Path, site: Path, log: Path, startup: float = 240) -> Iterator[tuple[str, subprocess.Popen]]:
    """`python -m vlm_survey serve` of the project at `repo` into `site` on a free port, once it answers (its
    first build is over); yields (base URL, process). Stopped as Ctrl-C stops it, killed if it does not stop."""
    port = free_port()
    with open(log, "wb") as sink:
        process = subprocess.Popen(docs_command("serve", "--port", str(port), "-d", str(site)), cwd=repo,
                                   env=docs_env(), stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup
        while not answers(url + "/"):
            assert process.poll() is None, log.read_text("utf-8", "replace")
            assert time.monotonic() < deadline, f"not serving after {startup} s"
            time.sleep(0.2)
        yield url, process
    finally:
        stop(process)


def stop(process: subprocess.Popen, grace: float = 15) -> None:
    """Interrupt a child started in a session of its own, then kill its whole group if it is still there."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait(timeout=grace)


# --- Chromium ---------------------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (Playwright's own Chromium where Debian's is absent)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        executable = CHROMIUM if Path(CHROMIUM).exists() else None
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# --- the built site ---------------------------------------------------------------------------------------

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
