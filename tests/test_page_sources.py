"""Page sources are read only as regular files inside the repository, with front matter that parses, and
include text only from `snippets/`.

Every kind of bad page file (a link, a pipe, a front matter MkDocs would silently drop, a huge page) is in
the bad-input corpus (tests/bad_inputs.py), driven by test_bad_inputs.py; here are the rules around it.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config
from pymdownx.snippets import SnippetMissingError

from bad_inputs import PAGE, minimal_repo
from helpers import LANGS, ROOT, write_files
from vlm_survey.page_sources import PageErrors, check_pages
from vlm_survey.stage import stage_folder


def problems(root: Path, lang: str = "en") -> list[str]:
    with pytest.raises(PageErrors) as raised:
        check_pages(root, root / "docs" / lang)
    return [str(error) for error in raised.value.errors]


def test_good_pages_pass(tmp_path: Path) -> None:
    root = minimal_repo(tmp_path / "repo", {})
    check_pages(root, root / "docs" / "en")
    for lang in LANGS:
        check_pages(ROOT, ROOT / "docs" / lang)


def test_every_problem_is_reported_and_only_in_the_language_built(tmp_path: Path) -> None:
    root = minimal_repo(tmp_path / "repo", {})
    write_files(root, {"docs/en/a.md": "---\n[\n---\n", "docs/en/sub/b.md": "---\n- x\n---\n",
                       "docs/zh/c.md": "---\n[\n---\n", "docs/zh/index.md": PAGE})
    assert [p.split(":")[0] for p in problems(root)] == ["docs/en/a.md", "docs/en/sub/b.md"]


# pymdownx.snippets as the build runs it: from a language's staging folder (the working directory of its
# build), with the staged config. Its snippets/ holds the repository's snippets and the glossary's
# abbreviations; everything else there (the config, the staged pages, the catalog) must stay out of reach.

@pytest.fixture(scope="module", params=list(LANGS))
def staged(request: pytest.FixtureRequest, site: Path) -> tuple[Path, dict]:
    """(a language's staging folder, pymdownx.snippets' options from its config), from the session's build."""
    folder = stage_folder(site) / request.param
    return folder, load_config(config_file=str(folder / "mkdocs.yml")).mdx_configs["pymdownx.snippets"]


def include(staged: tuple[Path, dict], path: str, monkeypatch: pytest.MonkeyPatch) -> str:
    folder, options = staged
    monkeypatch.chdir(folder)
    return markdown.markdown(f'--8<-- "{path}"\n', extensions=["pymdownx.snippets"],
                             extension_configs={"pymdownx.snippets": options})


@pytest.mark.parametrize("path", ["mkdocs.yml", "data/glossary.yaml", "../mkdocs.yml", ".git/HEAD", "/etc/hostname",
                                  "../data/glossary.yaml", "../snippets_evil/x.md", "../catalog.json",
                                  "../docs/index.md", "../../../mkdocs.yml"])
def test_snippets_include_nothing_outside_their_folder(staged: tuple[Path, dict], path: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SnippetMissingError):
        include(staged, path, monkeypatch)


def test_snippets_include_from_their_folder(staged: tuple[Path, dict], monkeypatch: pytest.MonkeyPatch) -> None:
    html = include(staged, "README.md", monkeypatch)
    assert "The only folder that pages may include text from" in html
    # each definition is a block of its own (tables.abbreviations); without the abbr extension, a paragraph
    assert re.search(r"^<p>\*\[[^\]]+\]: \S", html, re.M), "the glossary's abbreviations are appended to every page"
