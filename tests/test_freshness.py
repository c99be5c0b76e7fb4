"""Translation freshness: pages record the revision they were synced at; a page whose counterpart
changed since is reported by the check and bannered on the site; without git, the check says why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import BEHIND, LANGS, ROOT, commit_all, copy_repo, git, page_path, soup, source_pages
from vlm_survey import freshness

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
SCRIPT = ROOT / "scripts" / "translation_status.py"


def states(repo: Path) -> dict[str, str]:
    return {f"{s.lang}/{s.page}": s.state for s in freshness.statuses(repo)}


def check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with one page in both languages (and the language list), synced at its first commit."""
    root = copy_repo(tmp_path / "repo", parts=["languages.yml"])
    for lang, text in (("zh", "# 标题\n\n第一段。\n"), ("en", "# Title\n\nFirst paragraph.\n")):
        (root / "docs" / lang).mkdir(parents=True)
        (root / "docs" / lang / "page.md").write_text(text, encoding="utf-8")
    git(root, "init", "-q")
    commit_all(root, "pages")
    revision, synced, problems = freshness.sync(root, ["page"])
    assert synced == ["page.md"] and not problems
    commit_all(root, "sync")
    return root


def test_front_matter_is_written_and_read_back() -> None:
    page = "# Title\n\nBody with --- inside.\n"
    stamped = freshness.with_revision(page, "abc123")
    assert freshness.split_front_matter(stamped) == ({"synced_with": "abc123"}, "\n" + page)
    restamped = freshness.with_revision("---\ntitle: x\nsynced_with: \"old\"\n---\n" + page, "0123456789")
    assert freshness.split_front_matter(restamped) == ({"title": "x", "synced_with": "0123456789"}, page)


@needs_git
def test_a_page_is_behind_when_only_its_counterpart_changed(repo: Path) -> None:
    assert states(repo) == {"zh/page.md": "current", "en/page.md": "current"}
    en = repo / "docs" / "en" / "page.md"
    en.write_text(en.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    commit_all(repo, "Expand the English page")
    assert states(repo) == {"zh/page.md": "behind", "en/page.md": "current"}
    [zh_status] = [s for s in freshness.statuses(repo) if s.lang == "zh"]
    assert len(zh_status.commits) == 1 and zh_status.commits[0].endswith("Expand the English page")
    result = check("--root", str(repo))
    assert result.returncode == 1
    assert result.stdout.startswith("docs/zh/page.md: behind: docs/en/page.md changed since")
    zh = repo / "docs" / "zh" / "page.md"
    zh.write_text(zh.read_text(encoding="utf-8") + "\n新的一段。\n", encoding="utf-8")
    commit_all(repo, "Translate the new paragraph")
    assert states(repo) == {"zh/page.md": "both-changed", "en/page.md": "both-changed"}
    result = check("--root", str(repo), "sync", "--all")
    assert result.returncode == 0, result.stderr
    commit_all(repo, "sync")
    assert states(repo) == {"zh/page.md": "current", "en/page.md": "current"}
    assert check("--root", str(repo)).returncode == 0


@needs_git
def test_the_status_of_many_pages_takes_a_few_git_calls_and_is_kept_while_nothing_changed(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page is compared in one pass (a build asks on every build, `serve` on every rebuild): a handful of git
    processes whatever the number of pages, and none but the two that tell whether HEAD moved while neither it nor
    a page changed."""
    changes: dict[str, tuple[Path, str]] = {}
    for n in range(12):
        for lang in ("zh", "en"):
            (repo / "docs" / lang / f"p{n}.md").write_text(f"# {lang} {n}\n", encoding="utf-8")
    commit_all(repo, "more pages")
    freshness.sync(repo, [f"p{n}" for n in range(12)])
    commit_all(repo, "sync")
    for lang, added in (("en", "Changed."), ("zh", "改了。")):
        page = repo / "docs" / lang / "p3.md"
        changes[lang] = (page, page.read_text(encoding="utf-8") + f"\n{added}\n")
    changes["en"][0].write_text(changes["en"][1], encoding="utf-8")
    commit_all(repo, "Change an English page")
    calls: list[list[str]] = []
    run = subprocess.run
    monkeypatch.setattr(freshness.subprocess, "run", lambda args, **kwargs: calls.append(args) or run(args, **kwargs))
    found = states(repo)
    assert found["zh/p3.md"] == "behind" and found["zh/p4.md"] == "current" and len(found) == 26
    assert len(calls) <= 6, calls  # a work tree? HEAD; the revisions; the texts then; the log of en/p3.md
    calls.clear()
    assert states(repo) == found and len(calls) == 2, calls
    changes["zh"][0].write_text(changes["zh"][1], encoding="utf-8")  # a page's text changed: compared again
    assert states(repo)["zh/p3.md"] == "both-changed"


@needs_git
def test_sync_refuses_text_that_is_not_committed(repo: Path) -> None:
    zh = repo / "docs" / "zh" / "page.md"
    before = zh.read_text(encoding="utf-8") + "\n未提交。\n"
    zh.write_text(before, encoding="utf-8")
    _, synced, problems = freshness.sync(repo, ["page"])
    assert synced == [] and problems == ["docs/zh/page.md: has changes not committed yet; commit them, then sync"]
    assert zh.read_text(encoding="utf-8") == before


def test_without_git_or_history_the_check_says_why(tmp_path: Path) -> None:
    no_git = check(env={**os.environ, "PATH": str(tmp_path)})
    assert no_git.returncode == 2 and "git is not installed" in no_git.stderr
    if shutil.which("git"):
        no_history = check("--root", str(tmp_path))
        assert no_history.returncode == 2 and "not inside a git work tree" in no_history.stderr


def test_every_page_records_the_revision_it_was_synced_at() -> None:
    for lang in LANGS:
        for page in source_pages(lang):
            meta, _ = freshness.split_front_matter((ROOT / "docs" / lang / f"{page}.md").read_text(encoding="utf-8"))
            assert meta.get("synced_with"), f"docs/{lang}/{page}.md records no synced_with"


def test_a_translation_behind_is_bannered_on_the_site(history_copy: tuple[Path, Path]) -> None:
    """The working copy whose English ViT page changed after the last sync: the other ViT pages say so, and
    link to it; no other page has a banner."""
    from test_site import local_target

    _, site = history_copy
    lang, page = BEHIND[0], BEHIND[1].removesuffix(".md")
    for other in LANGS:
        if other == lang:
            continue
        behind = page_path(site, other, page)
        banner = soup(behind).select_one("article .vlm-translation-behind")
        assert banner is not None and banner.has_attr("data-search-exclude"), other
        assert local_target(site, behind, banner.a["href"])[0] == page_path(site, lang, page)
    for other, name in ((lang, page), *((code, name) for code in LANGS for name in ("index", "architecture"))):
        assert not soup(page_path(site, other, name)).select(".vlm-translation-behind"), f"{other}/{name}"


def test_the_site_banners_exactly_the_pages_behind(site: Path) -> None:
    try:
        behind = {(s.lang, s.page[:-3]) for s in freshness.statuses(ROOT) if s.state == "behind"}
    except freshness.GitUnavailable:
        behind = set()
    for lang in LANGS:
        for page in source_pages(lang):
            bannered = bool(soup(page_path(site, lang, page)).select(".vlm-translation-behind"))
            assert bannered == ((lang, page) in behind), f"{lang}/{page}"
