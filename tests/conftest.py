"""Fixtures: the builds the tests share, local servers and a browser. The kit behind them is tests/helpers.py.

Shared builds (each once per session, and only when a collected test needs it):

    site            the repository as it is: what `make build` makes of it
    built_copy      a working copy (with its git history) and its site, for the tests that break a file and
                    check that the build fails and leaves the site as it was, or rebuild it
    augmented       a working copy with every scenario's additions (hostile text, formula cells, a
                    contributor's new model) and a git history of its own in which a translation is behind
                    (`history_copy`), built once for all of them

They start as soon as the session does, one after the other on a thread of their own, in the order the
tests first need them: each build is a child process, so it runs on the second core while the tests that
need no build run on the first (a long scenario that mostly waits, the dev server's, runs on a thread of
its own). A fixture waits for its build; an error in it fails the tests that need it.
Modules that need no shared build run first (pytest_collection_modifyitems), so the builds are done when
their tests come. A module may add a shared build of its own with helpers.early_build (the failing builds of
test_bad_inputs.py, the rebuilds of test_build_errors.py, the dev-server scenario of test_serve.py).

The builds share the process with the tests that run meanwhile: they use absolute paths only (a test may
change the working directory), and nothing a test may patch (urllib.request.urlopen: helpers.OPENER).
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterator

import pytest

from helpers import (BEHIND, EARLY_BUILDS, ROOT, build_site, chromium, commit_all, copy_repo, early_build, git,
                     serving)

# --- starting them early --------------------------------------------------------------------------------

def build_order(items: list[pytest.Item]) -> list[str]:
    """The shared builds `items` use, in the order they first need them, each after the builds it needs."""
    order: list[str] = []

    def add(name: str) -> None:
        if name not in order:
            for need in EARLY_BUILDS[name][1]:
                add(need)
            order.append(name)

    for item in items:
        for name in item.fixturenames:
            if name in EARLY_BUILDS:
                add(name)
    return order


@pytest.hookimpl(trylast=True)  # after `-m` and `-k` deselected what will not run
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the modules that need no shared build first, then the others by how late their builds start, so that
    the builds are done (in the background) by the time their tests come. Each module stays in one piece."""
    order = build_order(items)
    modules: dict[str, int] = {}
    for item in items:
        used = [order.index(name) for name in item.fixturenames if name in EARLY_BUILDS]
        modules[item.nodeid.split("::")[0]] = max([modules.get(item.nodeid.split("::")[0], -1), *used])
    items.sort(key=lambda item: modules[item.nodeid.split("::")[0]])


class _Early:
    """The shared builds (helpers.EARLY_BUILDS) the collected tests use, started in the background in the order
    those tests first need them, each after the builds it needs: one at a time on one thread (two cores: one
    for the tests, one for the builds), except those that run alone, each on a thread of its own."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.pools: list[ThreadPoolExecutor] = []
        self.started: dict[str, Future] = {}

    def start(self, items: list[pytest.Item]) -> None:
        shared: ThreadPoolExecutor | None = None
        for name in build_order(items):
            function, _, alone = EARLY_BUILDS[name]
            if alone or shared is None:
                pool = ThreadPoolExecutor(max_workers=1 if alone else 2, thread_name_prefix=f"build-{name}")
                self.pools.append(pool)
                if not alone:
                    shared = pool
            self.started[name] = (pool if alone else shared).submit(function, self, self.factory)

    def result(self, name: str, factory: pytest.TempPathFactory | None = None) -> Any:
        """The build's result, once it is over (built here and now if nothing started it)."""
        future = self.started.get(name)
        return future.result() if future else EARLY_BUILDS[name][0](self, factory or self.factory)

    def stop(self) -> None:
        for pool in self.pools:
            pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="session", autouse=True)
def _early_builds(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Early]:
    tmp_path_factory.getbasetemp()  # made once, here: two threads making it at once would make two
    early = _Early(tmp_path_factory)
    early.start(request.session.items)
    yield early
    early.stop()


# --- what each shared build is --------------------------------------------------------------------------

# Tests that need the site of a repository with entries or page sections added share one working copy and
# one build. Each scenario's module has an `augment(repo)` that only adds: files of its own, or text
# appended to a page, so that no scenario changes what another one checks. The translation banners' scenario
# adds a git history (below), in which one page changes after every page was synced.
AUGMENTATIONS = ("test_hostile_text", "test_exports", "test_contributor_path")
# The session's site and the working copy's are built by two processes with another hash seed and time zone
# each, in two folders: test_determinism compares them.
SEEDS = {"site": {"PYTHONHASHSEED": "1", "TZ": "UTC"},
         "built_copy": {"PYTHONHASHSEED": "4242", "TZ": "Pacific/Kiritimati"}}


@early_build()
def _site(early: _Early, factory: pytest.TempPathFactory) -> Path:
    return build_site(factory.mktemp("site") / "site", **SEEDS["site"])


@early_build()
def _built_copy(early: _Early, factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    base = factory.mktemp("built-copy")
    repo = copy_repo(base / "repo", git=True)
    site = build_site(base / "out" / "site", cwd=repo, **SEEDS["built_copy"])
    first = base / "first-build"  # the site as this build made it, whatever later tests rebuild (hard links:
    shutil.copytree(site, first, copy_function=os.link)  # a build writes a new folder, never into these files)
    return repo, site, first


@early_build()
def _augmented(early: _Early, factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Every scenario's additions, committed with a git history of its own: every page synced with the
    translation script, then the English ViT page changed (so the other languages' ViT pages are behind)."""
    base = factory.mktemp("augmented")
    repo = copy_repo(base / "repo")
    for name in AUGMENTATIONS:
        importlib.import_module(name).augment(repo)
    if shutil.which("git"):
        git(repo, "init", "-q")
        commit_all(repo, "copy")
        synced = subprocess.run([sys.executable, str(ROOT / "scripts" / "translation_status.py"), "--root",
                                 str(repo), "sync", "--all"], capture_output=True, text=True)
        assert synced.returncode == 0, synced.stderr
        commit_all(repo, "sync")
        lang, page = BEHIND
        changed = repo / "docs" / lang / page
        changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
        commit_all(repo, "Change the English ViT page")
    return repo, build_site(base / "site", cwd=repo)


@early_build()
def _zensical_site(early: _Early, factory: pytest.TempPathFactory) -> Path:
    return build_site(factory.mktemp("zensical") / "site", engine="zensical")


@early_build("augmented")
def _augmented_zensical(early: _Early, factory: pytest.TempPathFactory) -> Path:
    """The augmented working copy built by Zensical: the hostile-data corpus runs under both engines."""
    repo, _ = early.result("augmented")
    return build_site(factory.mktemp("augmented-zensical") / "site", cwd=repo, engine="zensical")


@early_build()
def _three_languages(early: _Early, factory: pytest.TempPathFactory) -> Path:
    """A working copy with a third language in languages.yml (its pages copied from English), built."""
    from test_language_registry import add_third_language

    repo = copy_repo(factory.mktemp("three") / "repo")
    add_third_language(repo)
    return build_site(repo / "site", cwd=repo)


# --- the shared builds -------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def zensical_site(_early_builds: _Early) -> Path:
    """Every language of the repository, built by Zensical (`make build ENGINE=zensical`)."""
    return _early_builds.result("zensical_site")


@pytest.fixture(scope="session")
def augmented_zensical(augmented: tuple[Path, Path], _early_builds: _Early) -> tuple[Path, Path]:
    """(working copy, its site built by Zensical): the augmented copy of `augmented`."""
    return augmented[0], _early_builds.result("augmented_zensical")


@pytest.fixture(scope="session")
def three_languages(_early_builds: _Early) -> Path:
    """The site of a working copy with a throwaway third language."""
    return _early_builds.result("three_languages")


@pytest.fixture(scope="session")
def site(_early_builds: _Early) -> Path:
    """Every language of the repository, built with the strict build that `make build` runs."""
    return _early_builds.result("site")


@pytest.fixture(scope="session")
def built_copy(_early_builds: _Early) -> tuple[Path, Path]:
    """(working copy, its site): the repository as it is (with its git history), built once into a folder of its
    own, where the staging folder sits beside it. The tests that break a file or rebuild restore what they
    changed."""
    repo, site, _ = _early_builds.result("built_copy")
    return repo, site


@pytest.fixture(scope="session")
def built_copy_first_site(built_copy: tuple[Path, Path], _early_builds: _Early) -> Path:
    """The working copy's site as its first build made it (later tests may rebuild it)."""
    return _early_builds.result("built_copy")[2]


@pytest.fixture(scope="session")
def augmented(_early_builds: _Early) -> tuple[Path, Path]:
    """(working copy, its site): the repository plus every scenario's additions, built once (strict)."""
    return _early_builds.result("augmented")


@pytest.fixture(scope="session")
def history_copy(augmented: tuple[Path, Path]) -> tuple[Path, Path]:
    """(working copy with a git history of its own, its site): the augmented copy, whose history makes the
    other languages' version of BEHIND a translation behind (skipped without git)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    return augmented


# --- servers and the browser ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The built site over HTTP on a free loopback port; yields its base URL."""
    with serving(site) as url:
        yield url


@pytest.fixture(scope="session")
def augmented_server(augmented: tuple[Path, Path]) -> Iterator[str]:
    with serving(augmented[1]) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (Playwright's own Chromium where Debian's is absent)."""
    with chromium() as instance:
        yield instance


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser page that records console errors and failed requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda msg: tab.console_errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: tab.console_errors.append(str(exc)))
    yield tab
    context.close()
