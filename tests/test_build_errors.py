"""A broken data file stops `check-data` and the build with file:line:col: field: message; a failed
or interrupted build leaves the previous site exactly as it was."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable

import pytest

from helpers import build_site, copy_repo, run_docs, site_digest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


@pytest.fixture(scope="module")
def broken_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository in which one real model file has an impossible year."""
    repo = copy_repo(tmp_path_factory.mktemp("broken") / "repo")
    model = sorted((repo / "data" / "models").glob("[!_]*.yaml"))[0]
    lines = model.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("year:"))
    lines[number] = "year: 1899\n"
    model.write_text("".join(lines), encoding="utf-8")
    repo.joinpath("expected.txt").write_text(
        f"data/models/{model.name}:{number + 1}:7: year: 1899 is less than the minimum 2012", encoding="utf-8")
    return repo


def test_check_data_reports_file_line_and_field(broken_repo: Path) -> None:
    result = run_docs("check-data", cwd=broken_repo)
    assert result.returncode == 1
    assert (broken_repo / "expected.txt").read_text(encoding="utf-8") in result.stderr.splitlines()


def test_github_annotations_name_the_file_and_line(broken_repo: Path) -> None:
    result = run_docs("check-data", "--github", cwd=broken_repo)
    expected = (broken_repo / "expected.txt").read_text(encoding="utf-8")
    file, line = expected.split(":")[:2]
    assert any(out.startswith(f"::error file={file},line={line},") for out in result.stdout.splitlines())


def test_build_fails_on_bad_data(broken_repo: Path, tmp_path: Path) -> None:
    result = run_docs("build", "-d", str(tmp_path / "site"), cwd=broken_repo)
    assert result.returncode != 0
    assert (broken_repo / "expected.txt").read_text(encoding="utf-8") in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_mkdocs_alone_fails_on_bad_data_too(broken_repo: Path, tmp_path: Path) -> None:
    """`mkdocs build` without the script (as an editor plugin or Zensical would run it) also stops."""
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "s")],
                            cwd=broken_repo, capture_output=True, text=True)
    assert result.returncode != 0
    assert "year: 1899 is less than the minimum 2012" in result.stderr


def test_annotation_escapes_what_github_reads_as_syntax() -> None:
    sys.path.insert(0, str(SCRIPTS))
    from docs import annotation

    line = annotation("data/models/a,b:c.yaml", 3, 5, "summary.en", "50% done\nsecond line")
    assert line == "::error file=data/models/a%2Cb%3Ac.yaml,line=3,col=5,title=summary.en::50%25 done%0Asecond line"


# Each breaks one file of a working copy (the first match of the pattern), each in another way.
# Macro calls go into architecture.md, a page whose front matter has it rendered as a template.
BREAKAGES: dict[str, tuple[str, Callable[[str], str]]] = {
    "bad data": ("data/models/[!_]*.yaml", lambda text: re.sub(r"(?m)^year: .*$", "year: 1899", text)),
    "failing macro in an English page": (
        "docs/en/architecture.md", lambda text: text + '\n{{ model_table(columns=["nope"]) }}\n'),
    "undefined name in a Chinese page": (
        "docs/zh/architecture.md", lambda text: text + "\n{{ undefined_name }}\n"),
    "strict-mode warning in an English page": ("docs/en/vit.md", lambda text: text + "\n[gone](no-such-page.md)\n"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A working copy and its site (alone in its folder), built once."""
    base = tmp_path_factory.mktemp("atomic")
    repo, site = copy_repo(base / "repo"), base / "out" / "site"
    build_site(site, cwd=repo)
    return repo, site


def beside(site: Path) -> list[str]:
    """What the site's folder holds: the site alone once a build is over (no temporary folders)."""
    return sorted(path.name for path in site.parent.iterdir())


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_failed_build_leaves_the_site_as_it_was(built: tuple[Path, Path], breakage: str) -> None:
    repo, site = built
    before = site_digest(site)
    pattern, breaks = BREAKAGES[breakage]
    path = sorted(repo.glob(pattern))[0]
    original = path.read_text(encoding="utf-8")
    path.write_text(breaks(original), encoding="utf-8")
    try:
        result = run_docs("build", "-d", str(site), cwd=repo)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode != 0, result.stdout
    assert site_digest(site) == before
    assert beside(site) == ["site"]


def test_interrupted_build_leaves_the_site_as_it_was(built: tuple[Path, Path]) -> None:
    """Ctrl-C while the second language builds (the first one is done by then)."""
    repo, site = built
    before = site_digest(site)
    process = subprocess.Popen([sys.executable, str(repo / "scripts" / "docs.py"), "build", "-d", str(site)],
                               cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = threading.Timer(180, process.kill)
    deadline.start()
    try:
        for line in process.stdout:
            if line.startswith("[2/2]"):
                process.send_signal(signal.SIGINT)
                break
        process.communicate(timeout=60)
    finally:
        deadline.cancel()
        process.kill()
    assert process.returncode != 0
    assert site_digest(site) == before
    assert beside(site) == ["site"]


def test_good_build_replaces_the_site(built: tuple[Path, Path]) -> None:
    repo, site = built
    page = repo / "docs" / "en" / "vit.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added after the first build.\n",
                    encoding="utf-8")
    build_site(site, cwd=repo)
    assert "A sentence added after the first build." in (site / "en" / "vit" / "index.html").read_text("utf-8")
    assert beside(site) == ["site"]


@pytest.mark.parametrize("failure", [RuntimeError, SystemExit, KeyboardInterrupt])
def test_replacing_keeps_the_target_when_the_block_fails(tmp_path: Path, failure: type[BaseException]) -> None:
    sys.path.insert(0, str(SCRIPTS))
    from docs import replacing

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
