"""Profile one language's build with cProfile and say where the time goes.

cProfile slows pure-Python code more than C code, so the shares are indicative; the wall-clock
numbers in the other tables are measured without it.
"""

from __future__ import annotations

import pstats
import re
from dataclasses import dataclass
from pathlib import Path

from bench.common import PYTHON, ROOT, check, run_timed

# (label, file suffix, function): the build's parts, by cumulative time of the function that does each.
PARTS = (
    ("page checks (every page and snippet)", "vlm_survey/page_sources.py", "check_pages"),
    ("data load + validate", "vlm_survey/catalog.py", "load_catalog"),
    ("translation banners: git history", "vlm_survey/freshness.py", "statuses"),
    ("staging: pages, cite blocks, entry pages, snippets", "vlm_survey/stage.py", "stage_language"),
    ("of which: per-entry pages (generate)", "vlm_survey/entry_pages.py", "page_markdown"),
    ("our macros: set up (define_env)", "vlm_survey/macros.py", "define_env"),
    ("jieba dictionary load", "jieba/__init__.py", "initialize"),
    ("search index: parse pages, jieba segmentation", "material/plugins/search/plugin.py", "on_page_context"),
    ("mkdocs-macros (render every page as a template)", "mkdocs_macros/plugin.py", "on_page_markdown"),
    ("Markdown to HTML", "mkdocs/structure/pages.py", "render"),
    ("theme templates (Jinja)", "mkdocs/commands/build.py", "_build_template"),
    ("copy theme and static files", "mkdocs/structure/files.py", "copy_static_files"),
    ("whole build (MkDocs)", "mkdocs/commands/build.py", "build"),
)
SITE_PACKAGES = re.compile(r"site-packages/([^/]+)")


@dataclass(frozen=True)
class Part:
    label: str
    seconds: float
    calls: int


@dataclass(frozen=True)
class Profile:
    """Where one profiled build spent its time."""

    wall: float
    total: float
    parts: list[Part]
    packages: list[tuple[str, float]]  # own time grouped by package, largest first
    functions: list[tuple[str, int, float, float]]  # (function, calls, own s, cumulative s), by own time


def profile_build(copy: Path, code: str, site: Path, out: Path, chapters: bool = False) -> Profile:
    """Build language `code` of the working copy once under cProfile (in its own process, through the same steps
    as `make build`: checks, staging, MkDocs; `chapters`: without the per-entry pages) and summarize the profile."""
    command = [PYTHON, "-m", "cProfile", "-o", str(out), str(ROOT / "bench" / "child.py"), "language", code, str(site)]
    run = check(run_timed([*command, *(["chapters"] if chapters else [])], copy), f"profiled build of {code}")
    return summarize(pstats.Stats(str(out)), run.seconds)


def summarize(stats: pstats.Stats, wall: float) -> Profile:
    table = stats.stats  # type: ignore[attr-defined]
    parts = []
    for label, suffix, name in PARTS:
        found = [(calls, cumulative) for (file, _, function), (_, calls, _, cumulative, _) in table.items()
                 if file.endswith(suffix) and function == name]
        parts.append(Part(label, sum(c for _, c in found), sum(n for n, _ in found)))
    packages: dict[str, float] = {}
    for (file, _, _), (_, _, own, _, _) in table.items():
        packages[_package(file)] = packages.get(_package(file), 0.0) + own
    functions = sorted(((f"{_package(file)}: {function} ({Path(file).name}:{line})", calls, own, cumulative)
                        for (file, line, function), (_, calls, own, cumulative, _) in table.items()),
                       key=lambda row: row[2], reverse=True)
    return Profile(wall, stats.total_tt, parts,  # type: ignore[attr-defined]
                   sorted(packages.items(), key=lambda item: item[1], reverse=True), functions[:12])


def _package(file: str) -> str:
    match = SITE_PACKAGES.search(file)
    if match:
        return match.group(1).removesuffix(".py")
    if "/vlm_survey/" in file:
        return "vlm_survey (this site)"
    if file.startswith("~") or file.startswith("<"):
        return "builtins (C)"
    return "Python standard library"
