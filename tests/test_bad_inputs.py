"""Drives the bad-input corpus (tests/bad_inputs.py): every broken or unsafe data file, page file, file that
is not a regular file, and change only a build can find stops `check-data`, the page check or the build with
a message naming the file, the line and the field.

Each data case is checked by `check-data --github` (what `make check-data` and CI run) in a small repository
of its own: in-process (a process per case would cost seconds), except the cases whose regression would
crash or exhaust the test process (deep nesting, billion laughs, 5 MB). Each page case by the page check
the build runs first. A sample is also put into one copy of the whole repository, where `python -m vlm_survey
check-data` and `build` must fail with every expected message, and bare `mkdocs` must stop with its pointer.
The build cases each break one file of a built working copy: the build fails naming it, and the site stays.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bad_inputs import (BENCHMARK, BUILD_CASES, CASES, FIVE_MB, MODEL, PAGE_CASES, PIPE, PIPES, SPECIAL_FILES, B,
                        BuildCase, Case, M, Special, messages, minimal_repo, place)
from helpers import ROOT, beside, copy_repo, early_build, free_port, run_docs, site_digest, write_files
from vlm_survey import cli
from vlm_survey.catalog import load_catalog
from vlm_survey.macros import POINTER
from vlm_survey.page_sources import PageErrors, check_pages
from vlm_survey.stage import stage_folder
from vlm_survey.yaml_source import DataErrors


def check_data(repo: Path, capsys: pytest.CaptureFixture[str], isolated: bool = False) -> tuple[int, str, str]:
    """`check-data --github` on `repo`: (exit status, stdout, stderr); in a child process if `isolated`."""
    if isolated:
        result = run_docs("check-data", "--github", cwd=repo)
        return result.returncode, result.stdout, result.stderr
    status = cli.check_data(repo, github=True)
    out, err = capsys.readouterr()
    return status, out, err


def page_problems(repo: Path, lang: str = "en") -> list[str]:
    with pytest.raises(PageErrors) as raised:
        check_pages(repo, repo / "docs" / lang)
    return [str(error) for error in raised.value.errors]


def test_corpus_is_complete() -> None:
    names = [c.name for c in [*CASES, *PAGE_CASES]] + [s.name for s in SPECIAL_FILES] + [b.name for b in BUILD_CASES]
    assert len(CASES) >= 30 and len(PAGE_CASES) >= 5 and len(set(names)) == len(names)
    assert not [c.name for c in CASES if c.is_page] and all(c.is_page for c in PAGE_CASES)


def test_the_base_repository_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without a broken file the same small repository passes, so every failure below is the case's."""
    repo = minimal_repo(tmp_path / "repo", {})
    status, out, err = check_data(repo, capsys)
    assert status == 0, err
    assert out.startswith("data OK: 1 models, 1 benchmarks")
    for lang in ("zh", "en"):
        check_pages(repo, repo / "docs" / lang)


# --- data files ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("item", CASES, ids=[c.name for c in CASES])
def test_check_data_names_file_line_and_field(tmp_path: Path, capsys: pytest.CaptureFixture[str], item: Case) -> None:
    repo = minimal_repo(tmp_path / "repo", dict(item.files), with_code=item.isolated)
    status, out, err = check_data(repo, capsys, isolated=item.isolated)
    assert status == 1, f"exit {status}\n{out}\n{err}"
    assert item.found_in(messages(err)), f"expected {item.expected()}, got:\n{err}"
    assert re.search(r"^\d+ problems? in data files\.$", err, re.M)
    annotation = f"::error file={item.file},line={item.expected_line},"
    assert any(line.startswith(annotation) and f"title={item.field}::" in line for line in out.splitlines()), out


def test_missing_fields_are_each_reported_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = check_data(minimal_repo(tmp_path / "repo", {M: "id: demo\n"}), capsys)
    missing = [m["field"] for m in messages(err) if "required field is missing" in m["message"]]
    required = json.loads((ROOT / "data" / "schema" / "model.schema.json").read_text(encoding="utf-8"))["required"]
    assert sorted(missing) == sorted(set(required) - {"id"}), err


def data_problems(repo: Path) -> list[str]:
    with pytest.raises(DataErrors) as raised:
        load_catalog(repo)
    return [str(error) for error in raised.value.errors]


def test_a_duplicate_id_is_reported_once_naming_the_other_file(tmp_path: Path) -> None:
    problems = data_problems(minimal_repo(tmp_path / "repo", {"data/models/demo-copy.yaml": MODEL}))
    duplicates = [p for p in problems if ": id: duplicate id 'demo'" in p]
    assert len(duplicates) == 1, problems
    files = {M, "data/models/demo-copy.yaml"}
    file = duplicates[0].split(":")[0]
    assert file in files and f"(also in {(files - {file}).pop()})" in duplicates[0]


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    bad_model = MODEL.replace("year: 2023", "year: 1899").replace("connector: mlp-projector", "connector: glue")
    bad_bench = BENCHMARK.replace("size_k: 1.5", "size_k: -3")
    problems = data_problems(minimal_repo(tmp_path / "repo", {M: bad_model, B: bad_bench}))
    assert {(p.split(":")[0], p.split(": ")[1]) for p in problems} >= {(M, "year"), (M, "connector"), (B, "size_k")}


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vlm_survey.yaml_source import MAX_BYTES

    repo = minimal_repo(tmp_path / "repo", {M: FIVE_MB})
    read = os.read

    def guarded(descriptor: int, size: int) -> bytes:
        assert os.fstat(descriptor).st_size <= MAX_BYTES, "the 5 MB file was read"  # (a pipe's size is 0)
        return read(descriptor, size)

    monkeypatch.setattr(os, "read", guarded)
    assert data_problems(repo) == [
        f"{M}:1:1: (file): file is {len(FIVE_MB.encode()):,} bytes; a data file must be at most 262,144 bytes"]


def test_a_file_that_grows_after_its_size_is_checked_is_read_no_further(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The size is checked on the opened file, and the read itself stops one byte past the limit."""
    from vlm_survey.yaml_source import MAX_BYTES, read_bytes

    path = tmp_path / "demo.yaml"
    path.write_text(FIVE_MB, encoding="utf-8")
    fstat, read, got = os.fstat, os.read, []
    inode = path.stat().st_ino  # only this file's reads: the shared builds run in the background meanwhile

    def looks_small(descriptor: int) -> os.stat_result:
        info = fstat(descriptor)
        return os.stat_result((*info[:6], 100, *info[7:10])) if info.st_ino == inode else info  # 6: st_size

    def counted(descriptor: int, size: int) -> bytes:
        data = read(descriptor, size)
        if fstat(descriptor).st_ino == inode:
            got.append(data)
        return data

    with monkeypatch.context() as patch, pytest.raises(DataErrors) as raised:
        patch.setattr(os, "fstat", looks_small)
        patch.setattr(os, "read", counted)
        read_bytes(path, M)
    assert sum(map(len, got)) == MAX_BYTES + 1
    assert str(raised.value.errors[0]) == f"{M}:1:1: (file): file is more than 262,144 bytes; a data file must be " \
                                          "at most 262,144 bytes"


FORGED = "a\n::error file=x,line=1::forged\r\x1b[2J\u202e.yaml"


def test_a_file_name_cannot_forge_a_line_of_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Newlines, escape sequences and bidi controls in a file name (or undecodable bytes) are escaped."""
    repo = minimal_repo(tmp_path / "repo", {f"data/models/{FORGED}": MODEL})
    (repo / os.fsdecode(b"data/models/caf\xe9.yaml")).write_text(MODEL, encoding="utf-8")
    status, out, err = check_data(repo, capsys)
    assert status == 1
    assert out.splitlines() and all(line.startswith("::error file=data/models/") for line in out.splitlines()), out
    lines = err.splitlines()
    assert all(line.startswith("data/models/") for line in lines[:-1]) and "problems in data files" in lines[-1]
    assert not re.search("[\x1b\u202e\r]", err + out)
    assert "data/models/a\\n::error file=x,line=1::forged\\r\\x1b[2J\\u202e.yaml:2:5: id: " in err
    assert "data/models/caf\\udce9.yaml:2:5: id: 'demo' must equal the file name 'caf\\udce9'" in err


@pytest.mark.parametrize("name", ["model", "benchmark", "glossary"])
def test_a_missing_schema_is_named(tmp_path: Path, name: str) -> None:
    repo = minimal_repo(tmp_path / "repo", {})
    (repo / "data" / "schema" / f"{name}.schema.json").unlink()
    assert data_problems(repo) == [f"data/schema/{name}.schema.json:1:1: (file): file is missing"]


def test_the_fingerprint_follows_no_link(tmp_path: Path) -> None:
    """What a link in data/ points at is never opened: changing it changes nothing (and a link to /dev/zero or to
    a pipe could not hang or exhaust the check)."""
    from vlm_survey.catalog import _fingerprint

    outside, data = tmp_path / "outside", tmp_path / "data"
    outside.mkdir()
    data.mkdir()
    (outside / "x.yaml").write_text("one", encoding="utf-8")
    (data / "link.yaml").symlink_to(outside / "x.yaml")
    (data / "folder").symlink_to(outside, target_is_directory=True)
    before = _fingerprint(data)
    (outside / "x.yaml").write_text("two", encoding="utf-8")
    (outside / "y.yaml").write_text("new", encoding="utf-8")
    assert _fingerprint(data) == before
    (data / "link.yaml").unlink()
    assert _fingerprint(data) != before


# --- page files ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("item", PAGE_CASES, ids=[c.name for c in PAGE_CASES])
def test_the_page_check_names_file_line_and_field(tmp_path: Path, item: Case) -> None:
    found = page_problems(minimal_repo(tmp_path / "repo", dict(item.files)))
    assert len(found) == 1 and item.found_in(messages(found[0])), f"expected {item.expected()}, got {found}"


# --- what is not a regular file ------------------------------------------------------------------------------

@pytest.mark.parametrize("special", SPECIAL_FILES, ids=[s.name for s in SPECIAL_FILES])
def test_only_regular_files_are_read(tmp_path: Path, special: Special) -> None:
    repo = minimal_repo(tmp_path / "repo", {})
    place(repo, special.path, special.kind)
    found = page_problems(repo) if special.is_page else data_problems(repo)
    assert special.expected() in found, found


def test_a_named_pipe_never_blocks_the_checks(tmp_path: Path) -> None:
    """A FIFO would block a plain open() forever: `check-data` (data) and `build` (pages, checked before anything
    is built) run in a child process with a timeout, so that a regression fails this test instead of hanging
    the suite."""
    for number, pipes in enumerate(PIPES):
        repo = minimal_repo(tmp_path / f"repo-{number}", {}, with_code=True)
        for relative in pipes:
            place(repo, relative, "fifo")
        pages = all(relative.startswith(("docs/", "snippets/")) for relative in pipes)
        command = ("build", "-d", str(tmp_path / f"site-{number}")) if pages else ("check-data",)
        result = run_docs(*command, cwd=repo, timeout=60)
        assert result.returncode == 1
        for relative in pipes:
            assert f"{relative}:1:1: (file): {PIPE}" in result.stderr.splitlines(), result.stderr


# --- a sample in a copy of the whole repository ------------------------------------------------------------

BUILD_SAMPLE = ("tab-indentation", "byte-order-mark", "non-utf8-bytes", "python-object-tag", "billion-laughs",
                "five-megabyte-file", "deep-nesting", "list-as-key", "javascript-url-or-null", "missing-zh",
                "year-not-whole", "unknown-category")


def renamed(item: Case, number: int) -> tuple[str, str | bytes]:
    """The case's broken file as a new entry of the real repository (its own id, same lines)."""
    content = dict(item.files)[item.file]
    old = "demo-bench" if item.file == B else "demo"
    new = f"broken-{number}"
    if isinstance(content, bytes):
        content = content.replace(f"id: {old}\n".encode(), f"id: {new}\n".encode(), 1)
    else:
        content = content.replace(f"id: {old}\n", f"id: {new}\n", 1)
    return item.file.replace(f"/{old}.yaml", f"/{new}.yaml"), content


@pytest.fixture(scope="module")
def broken_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Case]]:
    """One copy of the whole repository holding every sampled broken file at once."""
    repo = copy_repo(tmp_path_factory.mktemp("broken-all") / "repo")
    placed: dict[str, Case] = {}
    for number, item in enumerate((c for c in CASES if c.name in BUILD_SAMPLE), 1):
        path, content = renamed(item, number)
        write_files(repo, {path: content})
        placed[path] = item
    assert len(placed) == len(BUILD_SAMPLE)
    return repo, placed


def assert_every_message(output: str, placed: dict[str, Case]) -> None:
    found = messages(output)
    for path, item in placed.items():
        assert item.found_in(found, file=path), f"{item.name}: no {path}:{item.expected_line} {item.field}"


def test_check_data_exits_1_with_every_message(broken_repo: tuple[Path, dict[str, Case]]) -> None:
    """The real command, as CI runs it: GITHUB_ACTIONS=true turns every problem into an annotation too."""
    repo, placed = broken_repo
    result = run_docs("check-data", cwd=repo, GITHUB_ACTIONS="true")
    assert result.returncode == 1
    assert_every_message(result.stderr, placed)
    for path, item in placed.items():
        assert f"::error file={path},line={item.expected_line}," in result.stdout, path
    assert f"{len(placed)} problems in data files." in result.stderr


def test_build_stops_with_every_message(broken_repo: tuple[Path, dict[str, Case]], tmp_path: Path) -> None:
    repo, placed = broken_repo
    result = run_docs("build", "-d", str(tmp_path / "site"), cwd=repo)
    assert result.returncode != 0
    assert_every_message(result.stderr, placed)
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def mkdocs_command(*args: str) -> list[str]:
    """Bare `mkdocs` as a contributor would type it (the venv's script; the module where there is none)."""
    script = Path(sys.executable).with_name("mkdocs")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "mkdocs", *args]


@pytest.mark.parametrize("args", [("build",), ("build", "--strict"), ("build", "-f", "mkdocs.yml", "-d", "{tmp}/s"),
                                  ("serve", "-a", "127.0.0.1:{port}")],
                         ids=["build", "build-strict", "build-f-mkdocs.yml", "serve"])
def test_mkdocs_alone_stops_with_the_pointer(broken_repo: tuple[Path, dict[str, Case]], tmp_path: Path,
                                             args: tuple[str, ...]) -> None:
    """Plain MkDocs at the project's root builds nothing: it stops at once with one line saying how to build
    (`make build`, `make serve`), never a traceback, never a half-built site."""
    repo, _ = broken_repo
    command = mkdocs_command(*(arg.format(tmp=tmp_path, port=free_port()) for arg in args))
    started = time.monotonic()
    result = subprocess.run(command, cwd=repo, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode != 0
    assert time.monotonic() - started < 30
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and errors[0].endswith(POINTER), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (repo / "site").exists() and not (tmp_path / "s").exists()


def test_a_broken_page_stops_the_build_without_a_traceback(tmp_path: Path) -> None:
    """The page check runs before anything is built, over every language at once: a Chinese page whose front
    matter does not parse and a linked English page are both reported by the same build."""
    repo = copy_repo(tmp_path / "repo")
    (repo / "docs" / "en" / "passwd.md").symlink_to("/etc/passwd")
    page = repo / "docs" / "zh" / "vit.md"
    page.write_text(page.read_text(encoding="utf-8").replace("---\n", "---\nrender_macros: [\n", 1), encoding="utf-8")
    result = run_docs("build", "-d", str(tmp_path / "site"), cwd=repo)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for message in ("docs/zh/vit.md:2:16: (front matter): is not valid YAML",
                    "docs/en/passwd.md:1:1: (file): is a symbolic link"):
        assert message in result.stderr, result.stderr
    assert re.search(r"^2 problems in page files\.$", result.stderr, re.M), result.stderr
    assert not (tmp_path / "site").exists()


# --- what only a build finds ---------------------------------------------------------------------------

@dataclass(frozen=True)
class FailedBuild:
    """How `python -m vlm_survey build` over a good site went, after one build case broke its working copy."""

    returncode: int
    output: str
    expected: list[str]  # what the output must say
    unchanged: bool  # the site is byte for byte what it was
    beside: list[str]  # what the site's folder holds afterwards
    stage: str  # the name of the staging folder, which sits beside the site once a language was staged


@early_build("built_copy")
def _failed_builds(early: Any, factory: pytest.TempPathFactory) -> dict[str, FailedBuild]:
    """Each build case in a copy of the built working copy (its site copied too), built over that site: one after
    the other, in the background, as soon as the working copy is built (see conftest.py)."""
    repo, _, first = early.result("built_copy")
    outcomes = {}
    for number, item in enumerate(BUILD_CASES):
        base = factory.mktemp(f"failed-build-{number}")
        copy, site = copy_repo(base / "repo", repo, git=True), base / "out" / "site"
        shutil.copytree(first, site)
        before = site_digest(site)
        path, expected = item.path(copy), item.expected(copy)
        path.write_text(item.change(path.read_text(encoding="utf-8")), encoding="utf-8")
        result = run_docs("build", "-d", str(site), cwd=copy)
        outcomes[item.name] = FailedBuild(result.returncode, result.stdout + result.stderr, expected,
                                          site_digest(site) == before, beside(site), stage_folder(site).name)
    return outcomes


@pytest.fixture(scope="module")
def failed_builds(_early_builds: Any) -> dict[str, FailedBuild]:
    return _early_builds.result("failed_builds")


@pytest.mark.parametrize("item", BUILD_CASES, ids=[b.name for b in BUILD_CASES])
def test_a_failed_build_names_the_problem_and_leaves_the_site_as_it_was(failed_builds: dict[str, FailedBuild],
                                                                         item: BuildCase) -> None:
    outcome = failed_builds[item.name]
    assert outcome.returncode != 0, outcome.output[-3000:]
    for text in outcome.expected:
        assert text in outcome.output, f"{item.name}: no {text!r} in\n{outcome.output[-3000:]}"
    assert outcome.unchanged, "the failed build changed the site"
    assert "site" in outcome.beside and set(outcome.beside) <= {"site", outcome.stage}, "temporary folders left"
