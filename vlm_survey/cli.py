"""The site's command line: check the data, build every language, serve them.

    python -m vlm_survey check-data [--github]          validate data/ alone, print file:line:col: field: message
    python -m vlm_survey build [-d DIR] [--engine E]    strict build of every language into DIR (default site/)
    python -m vlm_survey serve [--port N]               build, serve on 127.0.0.1 with live reload
    python -m vlm_survey diagrams                       draw the chapters' Mermaid diagrams into their SVG files
    python -m vlm_survey pdf [-d DIR]                   print each language's PDF edition into DIR/downloads/ (after build)

It works on the project in the current folder (the Makefile runs it from the repository's root).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from vlm_survey.build import ENGINES, BuildError, build
from vlm_survey.catalog import load_catalog
from vlm_survey.languages import RegistryError
from vlm_survey.yaml_source import DataErrors


def annotation(file: str, line: int, column: int, title: str, message: str) -> str:
    """A GitHub Actions `::error` command, escaped as the runner expects (%, newlines; also , and : in properties)."""
    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    return f"::error file={prop(file)},line={line},col={column},title={prop(title)}::{data(message)}"


def report(exc: DataErrors, github: bool) -> None:
    """Print every problem (as a GitHub annotation too when asked), then the count."""
    for error in exc.errors:
        print(error, file=sys.stderr)
        if github:
            print(annotation(error.file, error.line, error.column, error.field or "data", error.message))
    print(exc.report().splitlines()[-1], file=sys.stderr)


def check_data(project: Path, github: bool) -> int:
    """Validate every data file."""
    try:
        catalog = load_catalog(project)
    except DataErrors as exc:
        report(exc, github)
        return 1
    print(f"data OK: {len(catalog.models)} models, {len(catalog.benchmarks)} benchmarks, "
          f"{len(catalog.glossary)} glossary terms")
    return 0


def build_command(project: Path, site_dir: Path, engine: str, github: bool) -> int:
    """`build`: all or nothing; every problem printed, the previous site kept on failure."""
    log_like_mkdocs()
    try:
        build(project, site_dir, engine)
    except DataErrors as exc:
        report(exc, github)
    except (BuildError, RegistryError) as exc:
        print(exc, file=sys.stderr)
    else:
        return 0
    print(f"build failed; {site_dir} is unchanged", file=sys.stderr)
    return 1


def log_like_mkdocs() -> None:
    """Print MkDocs' messages as its command line does; jieba's once (it has a handler of its own)."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    logging.getLogger("jieba").propagate = False


def main(argv: list[str] | None = None) -> int:
    project = Path.cwd()
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    parser = argparse.ArgumentParser(prog="python -m vlm_survey", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check-data", help="validate data/ and print every problem")
    check.add_argument("--github", action="store_true", default=github,
                       help="also print GitHub Actions annotations (default when GITHUB_ACTIONS=true)")
    build_cmd = commands.add_parser("build", help="strict build of every language")
    build_cmd.add_argument("-d", "--site-dir", type=Path, default=project / "site")
    build_cmd.add_argument("--engine", choices=ENGINES, default=os.environ.get("ENGINE") or "mkdocs")
    serve_cmd = commands.add_parser("serve", help="build every language and serve them with live reload")
    serve_cmd.add_argument("-d", "--site-dir", type=Path, default=project / "site")
    serve_cmd.add_argument("--port", type=int, default=8000)
    commands.add_parser("diagrams", help="draw the diagrams whose SVG is missing or stale (needs Chromium)")
    pdf_cmd = commands.add_parser("pdf", help="print each language's PDF edition of the built site (needs Chromium)")
    pdf_cmd.add_argument("-d", "--site-dir", type=Path, default=project / "site")
    args = parser.parse_args(argv)
    if args.command == "diagrams":
        from vlm_survey.draw_diagrams import draw

        return draw(project)
    if args.command == "pdf":
        from vlm_survey.pdf import pdf

        return pdf(project, args.site_dir.resolve())
    if args.command == "check-data":
        return check_data(project, args.github)
    if args.command == "build":
        return build_command(project, args.site_dir.resolve(), args.engine, github)
    from vlm_survey.serve import serve

    return serve(project, args.site_dir.resolve(), args.port)
