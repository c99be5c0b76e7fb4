"""The site's languages in one place: check the data, build both languages, serve them.

    python scripts/docs.py check-data        # validate data/ alone, print file:line:col: field: message
    python scripts/docs.py build [-d DIR]    # strict build, Chinese into DIR, English into DIR/en
    python scripts/docs.py serve [--port N]  # build both, serve on 127.0.0.1 with live reload

Chinese is built first: each build cleans its own site folder, and English lives inside Chinese's.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

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
SHARED = ("data", "macros", "overrides", "mkdocs.yml", "mkdocs.en.yml")


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
    """Strict build of every language, in order, with a progress line per step.

    One process builds them all, as `mkdocs build --strict` would each: the data is validated once
    (macros.catalog keeps it) and jieba loads its dictionary once (bench/RESULTS.md has the numbers).
    """
    from mkdocs.exceptions import MkDocsException

    if check_data(github=os.environ.get("GITHUB_ACTIONS") == "true") != 0:
        return 1
    log_like_mkdocs()
    total = len(LANGUAGES)
    for step, lang in enumerate(LANGUAGES, 1):
        target = site_dir / lang.subdir
        print(f"[{step}/{total}] {lang.name}: {lang.docs.relative_to(ROOT)} -> {target}", flush=True)
        started = time.perf_counter()
        try:
            build_language(lang, target, strict=True)
        except (MkDocsException, SystemExit) as exc:  # mkdocs-macros exits on a failing macro
            reason = exc.format_message() if isinstance(exc, MkDocsException) else f"exit {exc.code}"
            print(f"[{step}/{total}] {lang.name}: build failed ({reason})", file=sys.stderr)
            return 1
        print(f"[{step}/{total}] {lang.name}: done in {time.perf_counter() - started:.2f} s", flush=True)
    return 0


def log_like_mkdocs() -> None:
    """Print MkDocs' messages as its command line does; jieba's once (it has a handler of its own)."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    logging.getLogger("jieba").propagate = False


class Rebuilder:
    """Rebuilds in-process what changed: one language's pages (dirty), or everything."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.snapshot = self._mtimes()

    def _mtimes(self) -> dict[Path, float]:
        watched = [ROOT / name for name in SHARED] + [lang.docs for lang in LANGUAGES]
        files = [p for w in watched for p in ([w] if w.is_file() else w.rglob("*")) if p.is_file()]
        return {path: path.stat().st_mtime for path in files}

    def build(self, lang: Language, dirty: bool) -> None:
        started = time.perf_counter()
        # Not strict while serving: a dirty rebuild warns about the other language's files in its
        # folder, and a half-written page should not stop the preview. `make build` stays strict.
        build_language(lang, self.site_dir / lang.subdir, strict=False, dirty=dirty)
        print(f"{lang.name}: built{' (changed pages only)' if dirty else ''} in "
              f"{time.perf_counter() - started:.2f} s", flush=True)

    def build_all(self) -> None:
        for lang in LANGUAGES:
            self.build(lang, dirty=False)

    def __call__(self) -> None:
        current = self._mtimes()
        changed = {p for p in current.keys() | self.snapshot.keys() if current.get(p) != self.snapshot.get(p)}
        self.snapshot = current
        pages_only = [lang for lang in LANGUAGES if any(p.is_relative_to(lang.docs) for p in changed)]
        if any(not any(p.is_relative_to(lang.docs) for lang in LANGUAGES) for p in changed):
            self.build_all()
        else:
            for lang in pages_only:
                self.build(lang, dirty=True)


def serve(site_dir: Path, port: int) -> int:
    """Build both languages, then serve them on 127.0.0.1 and rebuild on every change."""
    from mkdocs.livereload import LiveReloadServer

    log_like_mkdocs()
    rebuild = Rebuilder(site_dir)
    rebuild.build_all()
    server = LiveReloadServer(builder=rebuild, host="127.0.0.1", port=port, root=str(site_dir))
    for name in SHARED:
        server.watch(str(ROOT / name))
    for lang in LANGUAGES:
        server.watch(str(lang.docs))
    print(f"Serving both languages: http://127.0.0.1:{port}/ (中文) and http://127.0.0.1:{port}/en/ (English)")
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


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
    return serve(args.site_dir.resolve(), args.port)


if __name__ == "__main__":
    sys.exit(main())
