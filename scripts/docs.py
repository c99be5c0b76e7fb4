"""The site's languages in one place: check the data, build both languages, serve them.

    python scripts/docs.py check-data        # validate data/ alone, print file:line:col: field: message
    python scripts/docs.py build [-d DIR]    # strict build, Chinese into DIR, English into DIR/en
    python scripts/docs.py serve [--port N]  # build both, serve on 127.0.0.1 with live reload

Chinese is built first: each build cleans its own site folder, and English lives inside Chinese's.
Both are built into a temporary folder next to the site, which replaces it only when all succeeded.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.catalog import load_catalog  # noqa: E402  (needs ROOT on sys.path)
from macros.yaml_source import DataErrors  # noqa: E402


@dataclass(frozen=True)
class Language:
    """One language of the site: its config, its pages and where it lands under the site root."""

    code: str
    name: str
    config: Path
    docs: Path
    subdir: str


LANGUAGES = (
    Language("zh", "简体中文", ROOT / "mkdocs.yml", ROOT / "docs" / "zh", ""),
    Language("en", "English", ROOT / "mkdocs.en.yml", ROOT / "docs" / "en", "en"),
)
SHARED = ("data", "macros", "overrides", "snippets", "mkdocs.yml", "mkdocs.en.yml")


def annotation(file: str, line: int, column: int, title: str, message: str) -> str:
    """A GitHub Actions `::error` command, escaped as the runner expects (%, newlines; also , and : in properties)."""
    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    return f"::error file={prop(file)},line={line},col={column},title={prop(title)}::{data(message)}"


def check_data(github: bool) -> int:
    """Validate every data file; print each problem (as a GitHub annotation too when asked)."""
    try:
        catalog = load_catalog(ROOT)
    except DataErrors as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
            if github:
                print(annotation(error.file, error.line, error.column, error.field or "data", error.message))
        print(exc.report().splitlines()[-1], file=sys.stderr)
        return 1
    print(f"data OK: {len(catalog.models)} models, {len(catalog.benchmarks)} benchmarks, "
          f"{len(catalog.glossary)} glossary terms")
    return 0


def build_language(lang: Language, target: Path, *, strict: bool, dirty: bool = False) -> None:
    """Build one language in this process, with the plugin start-up and shut-down `mkdocs` runs."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(config_file=str(lang.config), site_dir=str(target), strict=strict)
    config.plugins.on_startup(command="build", dirty=dirty)
    try:
        mkdocs_build(config, dirty=dirty)
    finally:
        config.plugins.on_shutdown()


def build(site_dir: Path) -> int:
    """Strict build of every language, in order, with a progress line per step; all or nothing.

    One process builds them all, as `mkdocs build --strict` would each: the data is validated once
    (macros.catalog keeps it) and jieba loads its dictionary once (bench/RESULTS.md has the numbers).
    Everything is built next to `site_dir` and replaces it only once every language (and the exports)
    succeeded: a failed or interrupted build leaves the previous site as it was.
    """
    from mkdocs.exceptions import MkDocsException

    if check_data(github=os.environ.get("GITHUB_ACTIONS") == "true") != 0:
        return 1
    log_like_mkdocs()
    total = len(LANGUAGES)
    try:
        with replacing(site_dir) as new_site:
            for step, lang in enumerate(LANGUAGES, 1):
                print(f"[{step}/{total}] {lang.name}: {lang.docs.relative_to(ROOT)} -> {site_dir / lang.subdir}",
                      flush=True)
                started = time.perf_counter()
                build_language(lang, new_site / lang.subdir, strict=True)
                print(f"[{step}/{total}] {lang.name}: done in {time.perf_counter() - started:.2f} s", flush=True)
    except (MkDocsException, SystemExit) as exc:  # mkdocs-macros exits on a failing macro
        reason = exc.format_message() if isinstance(exc, MkDocsException) else f"exit {exc.code}"
        print(f"build failed ({reason}); {site_dir} is unchanged", file=sys.stderr)
        return 1
    return 0


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield an empty folder's path next to `target`; once the block succeeds, it becomes `target`.

    The swap is two renames on one file system (old site aside, new site in place), so a reader of
    `target` never sees a half-written tree; the temporary folder goes, whether the block succeeded,
    failed or was interrupted.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", suffix=".building", dir=target.parent))
    try:
        yield work / "new"
        if target.exists():
            target.rename(work / "old")
        (work / "new").rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def log_like_mkdocs() -> None:
    """Print MkDocs' messages as its command line does; jieba's once (it has a handler of its own)."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    logging.getLogger("jieba").propagate = False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check-data", help="validate data/ and print every problem")
    check.add_argument("--github", action="store_true", default=os.environ.get("GITHUB_ACTIONS") == "true",
                       help="also print GitHub Actions annotations (default when GITHUB_ACTIONS=true)")
    build_cmd = commands.add_parser("build", help="strict build of both languages")
    build_cmd.add_argument("-d", "--site-dir", type=Path, default=ROOT / "site")
    serve_cmd = commands.add_parser("serve", help="build both languages and serve them with live reload")
    serve_cmd.add_argument("-d", "--site-dir", type=Path, default=ROOT / "site")
    serve_cmd.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if args.command == "check-data":
        return check_data(args.github)
    if args.command == "build":
        return build(args.site_dir.resolve())
    from devserver import serve  # scripts/ is on sys.path when this file runs

    return serve(args.site_dir.resolve(), args.port)


if __name__ == "__main__":
    sys.exit(main())
