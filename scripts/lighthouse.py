"""Lighthouse scores of the built site, mobile (Lighthouse's default: a phone on slow 4G): the home page, a
chapter with diagrams (vit), one with formulas (training), the model table (architecture) and a model's page,
in every language; with the audits that lost points and any request to another host.

A measurement, not a test (`make bench` holds it against its budgets). Lighthouse comes from npm into a cache
directory on first use and drives Debian's Chromium. The site is served on 127.0.0.1 with gzip, as GitHub
Pages serves it.

    make lighthouse                          (after make build)
    .venv/bin/python scripts/lighthouse.py glossary vit
    .venv/bin/python scripts/lighthouse.py --site /tmp/site models/blip-2
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import ContextManager, Iterator, Sequence
from urllib.parse import urlsplit

from vlm_survey.languages import registry
from vlm_survey.loopback import serving

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
VERSION = "12.8.2"  # the last major that runs on Node 20 (Lighthouse 13 needs Node 22.19)
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "vlm-survey" / f"lighthouse-{VERSION}"
PAGES = ["index", "vit", "training", "architecture", "models/llava-1-5"]  # home, diagrams, formulas, table, entry
LANGS = {lang.code: f"/{lang.subdir}/" if lang.subdir else "/" for lang in registry(ROOT)}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".bib", ".csv"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it (text types only), like GitHub Pages."""

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if (path.suffix not in COMPRESSED or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Body(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


class _Body:
    """The file-like object SimpleHTTPRequestHandler copies to the socket."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def serving_gzip(site: Path) -> ContextManager[str]:
    """`site` over HTTP with gzip on a free loopback port, in a thread; yields the base URL."""
    return serving(site, GzipHandler)


def lighthouse() -> Path:
    """The Lighthouse CLI, installed from npm into the cache on first use."""
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        if not shutil.which("npm"):
            sys.exit("lighthouse: npm is needed (apt-get install npm)")
        print(f"lighthouse: installing lighthouse@{VERSION} into {CACHE}", file=sys.stderr)
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", "--loglevel=error",
                        f"lighthouse@{VERSION}"], check=True, stdout=subprocess.DEVNULL)
    return binary


@dataclass(frozen=True)
class Result:
    path: str  # the page's path on the site, /en/vit/
    scores: dict[str, float]  # category: 0 to 1
    lost: list[str]  # "category: audit (value)" of every weighted audit that scored below 1
    foreign: list[str]  # URLs of requests to another host


def report(binary: Path, base: str, path: str, out: Path) -> Result:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run([str(binary), base + path, "--quiet", "--output=json", f"--output-path={out}",
                    f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    data = json.loads(out.read_text(encoding="utf-8"))
    audits, categories = data["audits"], data["categories"]
    lost = []
    for name in CATEGORIES:
        for ref in categories[name]["auditRefs"]:
            found = audits[ref["id"]]
            if ref["weight"] and found["score"] is not None and found["score"] < 1:
                lost.append(f"{name}: {ref['id']} ({found.get('displayValue') or found['score']})")
    here = urlsplit(base).netloc
    foreign = [request["url"] for request in audits["network-requests"]["details"]["items"]
               if urlsplit(request["url"]).scheme in ("http", "https") and urlsplit(request["url"]).netloc != here]
    return Result(path, {name: categories[name]["score"] for name in CATEGORIES}, lost, foreign)


def audit(site: Path, pages: Sequence[str] = PAGES) -> Iterator[Result]:
    """Lighthouse on each page of `pages` ('index', 'vit', 'models/blip-2'), in every language."""
    binary = lighthouse()
    with serving_gzip(site) as base, tempfile.TemporaryDirectory() as work:
        for page in pages:
            for prefix in LANGS.values():
                yield report(binary, base, prefix + ("" if page == "index" else f"{page}/"), Path(work) / "report.json")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="*", default=PAGES, help="'index', a chapter or 'models/<id>'")
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (default: site/)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        sys.exit(f"lighthouse: no built site in {args.site}; run make build first")
    print(f"{'page':<28}" + "".join(f"{name:>16}" for name in CATEGORIES))
    for result in audit(args.site, args.pages):
        print(f"{result.path:<28}" + "".join(f"{result.scores[name]:>16.2f}" for name in CATEGORIES), flush=True)
        for line in result.lost:
            print("    " + line)
        for url in result.foreign:
            print("    request to another host: " + url)


if __name__ == "__main__":
    main()
