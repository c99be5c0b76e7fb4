"""Page sources are read only as regular files inside the repository, with front matter that parses.

A symbolic link, a pipe or a device among the pages, a page whose front matter MkDocs would silently
drop, and an include from outside `snippets/` each stop the build with `file:line:col: field: message`,
never a traceback and never a hang.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config
from pymdownx.snippets import SnippetMissingError

from helpers import ROOT, copy_repo, run_docs, write_files
from vlm_survey.page_sources import PageErrors, check_pages

PAGE = "---\nrender_macros: true\n---\n\n# Title\n"


def problems(root: Path, lang: str = "en") -> list[str]:
    with pytest.raises(PageErrors) as raised:
        check_pages(root, root / "docs" / lang)
    return [str(error) for error in raised.value.errors]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write_files(tmp_path, {"docs/en/index.md": PAGE, "docs/zh/index.md": PAGE, "snippets/README.md": "x\n"})
    return tmp_path


def test_good_pages_pass(root: Path) -> None:
    check_pages(root, root / "docs" / "en")
    check_pages(ROOT, ROOT / "docs" / "en")
    check_pages(ROOT, ROOT / "docs" / "zh")


@pytest.mark.parametrize(("name", "target"), [("docs/en/passwd.md", "/etc/passwd"),
                                              ("docs/en/inside.md", "index.md"),
                                              ("docs/en/git", "../../.git"),
                                              ("snippets/hostname.md", "/etc/hostname")])
def test_symbolic_links_are_refused(root: Path, name: str, target: str) -> None:
    (root / name).symlink_to(target)
    assert f"{name}:1:1: (file): is a symbolic link; only regular files in the repository are read " \
        "(replace the link with the file itself)" in problems(root)


def test_a_linked_snippets_folder_is_refused(root: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (root / "snippets" / "README.md").unlink()
    (root / "snippets").rmdir()
    (root / "snippets").symlink_to(elsewhere)
    assert problems(root) == ["snippets:1:1: (file): is a symbolic link; only regular files in the repository "
                              "are read (replace the link with the file itself)"]


def test_a_pipe_is_refused_without_hanging(root: Path) -> None:
    """Run in a child process with a timeout, so that a regression cannot hang the suite."""
    os.mkfifo(root / "docs" / "en" / "pipe.md")
    code = ("import sys; from pathlib import Path; from vlm_survey.page_sources import check_pages, PageErrors\n"
            "try:\n    check_pages(Path(sys.argv[1]), Path(sys.argv[1], 'docs', 'en'))\n"
            "except PageErrors as exc:\n    print(exc.report())\n")
    result = subprocess.run([sys.executable, "-c", code, str(root)], cwd=ROOT, capture_output=True, text=True,
                            timeout=30)
    assert "docs/en/pipe.md:1:1: (file): is a named pipe (FIFO); only regular files" in result.stdout


@pytest.mark.parametrize(("content", "expected"), [
    ("---\nrender_macros: [true\ntitle: x\n---\n", "docs/en/bad.md:2:16: (front matter): is not valid YAML"),
    ("---\n- a\n- b\n---\n", "docs/en/bad.md:2:1: (front matter): must be a mapping"),
    ("---\nrender_macros: true\n\n# Title\n", "docs/en/bad.md:1:1: (front matter): front matter is never closed"),
    ('---\ntitle: x\nrender_macros: "true"\n---\n', "docs/en/bad.md:3:1: render_macros: 'true' must be true or false"),
    ("---\ntitle: !!python/name:os.system\n---\n", "docs/en/bad.md:2:8: (front matter): is not valid YAML"),
    (b"# Caf\xe9\n", "docs/en/bad.md:1:1: (file): byte 0xe9 is not valid UTF-8"),
    ("---\r\nrender_macros: [\r\n---\r\n", "docs/en/bad.md:3:1: (front matter): is not valid YAML"),
])
def test_front_matter_mkdocs_would_drop_is_refused(root: Path, content: str | bytes, expected: str) -> None:
    write_files(root, {"docs/en/bad.md": content})
    found = problems(root)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_every_problem_is_reported_and_only_in_the_language_built(root: Path) -> None:
    write_files(root, {"docs/en/a.md": "---\n[\n---\n", "docs/en/sub/b.md": "---\n- x\n---\n",
                       "docs/zh/c.md": "---\n[\n---\n"})
    assert [p.split(":")[0] for p in problems(root)] == ["docs/en/a.md", "docs/en/sub/b.md"]


def test_the_build_stops_with_the_message_and_no_traceback(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo")
    (repo / "docs" / "en" / "passwd.md").symlink_to("/etc/passwd")
    page = repo / "docs" / "zh" / "vit.md"
    page.write_text(page.read_text(encoding="utf-8").replace("---\n", "---\nrender_macros: [\n", 1), encoding="utf-8")
    for command in ([sys.executable, str(repo / "scripts" / "docs.py"), "build", "-d", str(tmp_path / "site")],
                    [sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.en.yml", "-d", str(tmp_path / "s2")]):
        result = subprocess.run(command, cwd=repo, capture_output=True, text=True, timeout=300)
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
    assert "docs/zh/vit.md:2:16: (front matter): is not valid YAML" in run_docs("build", "-d", str(tmp_path / "s3"),
                                                                              cwd=repo).stderr
    assert "docs/en/passwd.md:1:1: (file): is a symbolic link" in result.stderr


@pytest.fixture(scope="module")
def snippets_config() -> dict:
    """pymdownx.snippets' options as the site's config sets them."""
    return load_config(config_file=str(ROOT / "mkdocs.yml")).mdx_configs["pymdownx.snippets"]


@pytest.mark.parametrize("path", ["mkdocs.yml", "data/glossary.yaml", "../mkdocs.yml", ".git/HEAD", "/etc/hostname",
                                  "../data/glossary.yaml", "../snippets_evil/x.md"])
def test_snippets_include_nothing_outside_their_folder(snippets_config: dict, path: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    with pytest.raises(SnippetMissingError):
        markdown.markdown(f'--8<-- "{path}"\n', extensions=["pymdownx.snippets"],
                          extension_configs={"pymdownx.snippets": snippets_config})


def test_snippets_include_from_their_folder(snippets_config: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    html = markdown.markdown('--8<-- "README.md"\n', extensions=["pymdownx.snippets"],
                             extension_configs={"pymdownx.snippets": snippets_config})
    assert "The only folder that pages may include text from" in html


def test_a_huge_page_is_refused(root: Path) -> None:
    write_files(root, {"docs/en/huge.md": "x" * (1024 * 1024 + 1)})
    assert problems(root) == ["docs/en/huge.md:1:1: (file): file is 1,048,577 bytes; a page must be at most "
                              "1,048,576 bytes"]
