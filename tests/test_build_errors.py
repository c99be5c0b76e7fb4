"""A failed or interrupted build leaves the previous site exactly as it was; a good one replaces it whole.

What makes a build fail, and the message it must print, is the bad-input corpus (tests/bad_inputs.py):
test_bad_inputs.py checks each case against copies of the built working copy that these tests use too.
The two builds here (one interrupted, one good) run in the background as a shared build (conftest.py),
right after the working copy's first build; the tests check what they recorded.
"""

from __future__ import annotations

import signal
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from helpers import LANGUAGES, beside, build_site, docs_command, docs_env, early_build, page_path, site_digest
from vlm_survey.build import replacing
from vlm_survey.cli import annotation
from vlm_survey.stage import stage_folder

ADDED = "A sentence added after the first build."


@dataclass(frozen=True)
class Rebuilds:
    """The working copy's site around two builds over it: one interrupted by Ctrl-C, then a good one."""

    interrupted_exit: int | None
    interrupted_at: str  # the progress line the interrupt followed
    unchanged: bool  # the site after the interrupted build is byte for byte what it was
    beside_interrupted: list[str]
    replaced: bool  # the good build's change is on the site
    beside_replaced: list[str]
    stage: str


def interrupt_last_language(repo: Path, site: Path) -> tuple[int | None, str]:
    """`python -m vlm_survey build`, interrupted by Ctrl-C once the last language starts (the others are done):
    its exit status and the line it had printed."""
    last = f"[{len(LANGUAGES)}/{len(LANGUAGES)}]"
    # As typed in a terminal: Ctrl-C is not ignored (a suite started in the background, `make test &`, would
    # pass its SIGINT-ignored state on, and the build could not be interrupted at all).
    process = subprocess.Popen(docs_command("build", "-d", str(site)), cwd=repo, env=docs_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = threading.Timer(180, process.kill)
    deadline.start()
    seen = ""
    try:
        for line in process.stdout:
            if line.startswith(last):
                seen = line.strip()
                process.send_signal(signal.SIGINT)
                break
        process.communicate(timeout=60)
    finally:
        deadline.cancel()
        process.kill()
    return process.returncode, seen


@early_build("built_copy")
def _rebuilds(early: Any, factory: pytest.TempPathFactory) -> Rebuilds:
    repo, site, _ = early.result("built_copy")
    before = site_digest(site)
    returncode, seen = interrupt_last_language(repo, site)
    unchanged, beside_interrupted = site_digest(site) == before, beside(site)
    page = repo / "docs" / "en" / "vit.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(f"{original}\n{ADDED}\n", encoding="utf-8")
    try:
        build_site(site, cwd=repo)
    finally:
        page.write_text(original, encoding="utf-8")
    replaced = ADDED in page_path(site, "en", "vit").read_text("utf-8")
    return Rebuilds(returncode, seen, unchanged, beside_interrupted, replaced, beside(site), stage_folder(site).name)


@pytest.fixture(scope="module")
def rebuilds(_early_builds: Any) -> Rebuilds:
    return _early_builds.result("rebuilds")


def test_annotation_escapes_what_github_reads_as_syntax() -> None:
    line = annotation("data/models/a,b:c.yaml", 3, 5, "summary.en", "50% done\nsecond line")
    assert line == "::error file=data/models/a%2Cb%3Ac.yaml,line=3,col=5,title=summary.en::50%25 done%0Asecond line"


def test_interrupted_build_leaves_the_site_as_it_was(rebuilds: Rebuilds) -> None:
    """Ctrl-C while the last language builds (the others are done by then)."""
    assert rebuilds.interrupted_at.startswith(f"[{len(LANGUAGES)}/{len(LANGUAGES)}]"), "never got to the last language"
    assert rebuilds.interrupted_exit != 0
    assert rebuilds.unchanged
    assert rebuilds.beside_interrupted == sorted(["site", rebuilds.stage])


def test_good_build_replaces_the_site(rebuilds: Rebuilds) -> None:
    assert rebuilds.replaced
    assert rebuilds.beside_replaced == sorted(["site", rebuilds.stage])


@pytest.mark.parametrize("failure", [RuntimeError, SystemExit, KeyboardInterrupt])
def test_replacing_keeps_the_target_when_the_block_fails(tmp_path: Path, failure: type[BaseException]) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old", encoding="utf-8")
    with pytest.raises(failure):
        with replacing(target) as new:
            new.mkdir()
            (new / "index.html").write_text("half", encoding="utf-8")
            raise failure
    assert (target / "index.html").read_text(encoding="utf-8") == "old"
    assert beside(target) == ["site"]
