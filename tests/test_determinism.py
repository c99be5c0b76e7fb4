"""Two builds of the same commit are byte-identical (the sitemap's dates aside)."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import ROOT, copy_repo

# The sitemap records the build date (<lastmod>), so it may change from one day to the next.
DATED = {"sitemap.xml", "sitemap.xml.gz"}


def files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file() and p.name not in DATED}


def first_difference(a: Path, b: Path) -> str:
    try:
        left, right = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return "binary files differ"
    diff = difflib.unified_diff(left.splitlines(), right.splitlines(), lineterm="", n=0)
    return "\n".join(line[:300] for line in list(diff)[2:8])


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    """One snapshot of the working tree (with its git history, which the build reads), copied to a second
    folder; each copy built by its own process with another hash seed and time zone, at the same time."""
    first_repo = copy_repo(tmp_path / "a" / "repo")
    shutil.copytree(ROOT / ".git", first_repo / ".git")
    second_repo = shutil.copytree(first_repo, tmp_path / "b" / "elsewhere")
    builds = []
    for repo, seed, zone in ((first_repo, "1", "UTC"), (second_repo, "4242", "Pacific/Kiritimati")):
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": seed, "TZ": zone}
        builds.append(subprocess.Popen([sys.executable, str(repo / "scripts" / "docs.py"), "build", "-d",
                                        str(repo.parent / "site")], cwd=repo, env=env, text=True,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    for build in builds:
        _, errors = build.communicate()
        assert build.returncode == 0, errors[-3000:]
    first, again = files(first_repo.parent / "site"), files(second_repo.parent / "site")
    assert sorted(first) == sorted(again), f"files differ: {sorted(set(first) ^ set(again))[:20]}"
    assert "index.html" in first and "en/index.html" in first and "search/search_index.json" in first
    differing = [name for name in first if first[name].read_bytes() != again[name].read_bytes()]
    assert not differing, "\n\n".join(f"{name}:\n{first_difference(first[name], again[name])}"
                                      for name in differing[:5])
