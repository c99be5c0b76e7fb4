"""Two builds of the same commit are byte-identical (the sitemap's dates aside)."""

from __future__ import annotations

import difflib
from pathlib import Path

from helpers import LANGS

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


def test_two_builds_are_byte_identical(site: Path, built_copy_first_site: Path) -> None:
    """The repository built where it is, and a copy of it (its git history included, which the build reads)
    built in another folder: by two processes, with another hash seed and time zone each (conftest's SEEDS)."""
    first, again = files(site), files(built_copy_first_site)
    assert sorted(first) == sorted(again), f"files differ: {sorted(set(first) ^ set(again))[:20]}"
    for sub in LANGS.values():
        assert f"{sub}/index.html".lstrip("/") in first and f"{sub}/search/search_index.json".lstrip("/") in first
    differing = [name for name in first if first[name].read_bytes() != again[name].read_bytes()]
    assert not differing, "\n\n".join(f"{name}:\n{first_difference(first[name], again[name])}"
                                      for name in differing[:5])
