"""Lighthouse scores of the built site: the home page, a chapter and the model-table page, both languages.

A measurement, not a test. Lighthouse comes from npm into a cache directory on first use and drives
Debian's Chromium. The site is served on 127.0.0.1 with gzip, as GitHub Pages serves it.

    make lighthouse                          (after make build)
    .venv/bin/python scripts/lighthouse.py glossary vit
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from vlm_survey.languages import registry

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
VERSION = "12.8.2"  # the last major that runs on Node 20 (Lighthouse 13 needs Node 22.19)
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "vlm-survey" / f"lighthouse-{VERSION}"
PAGES = ["index", "vit", "architecture"]  # home, a chapter, the model table
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


def scores(binary: Path, url: str, report: Path) -> dict[str, float]:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run([str(binary), url, "--quiet", "--output=json", f"--output-path={report}",
                    f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    categories = json.loads(report.read_text(encoding="utf-8"))["categories"]
    return {name: categories[name]["score"] for name in CATEGORIES}


def main(pages: list[str]) -> None:
    if not (SITE / "index.html").exists():
        sys.exit("lighthouse: no built site in site/; run make build first")
    binary = lighthouse()
    handler = functools.partial(GzipHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    print(f"{'page':<24}" + "".join(f"{name:>16}" for name in CATEGORIES))
    with tempfile.TemporaryDirectory() as work:
        for page in pages:
            for prefix in LANGS.values():
                path = prefix + ("" if page == "index" else f"{page}/")
                result = scores(binary, base + path, Path(work) / "report.json")
                print(f"{path:<24}" + "".join(f"{result[name]:>16.2f}" for name in CATEGORIES), flush=True)
    httpd.shutdown()


if __name__ == "__main__":
    main(sys.argv[1:] or PAGES)
