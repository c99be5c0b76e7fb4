"""Check the links of the built site, both languages: nothing a reader can click or load is missing.

    python scripts/check_links.py [SITE]             # internal: pages, #anchors, language switch, assets
    python scripts/check_links.py --external [SITE]  # external http(s) links (network; the weekly workflow)

Internal mode reads every HTML page and stylesheet under SITE (default `site/`) and checks every link
and asset URL that stays on the site: the target file exists, the `#anchor` exists on the target page,
the language selector leads to the same page in the other language, root-absolute and canonical URLs
(under `site_url`) land inside the site. Each broken link is printed with the page it is on; the exit
status is 1 if there is any. External mode requests every other http(s) URL once and reports those
that fail; it is never part of `make test`.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator, Mapping
from urllib.parse import unquote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent

LINK_ATTRIBUTES = {"a": ("href",), "link": ("href",), "script": ("src",), "img": ("src", "srcset"),
                   "source": ("src", "srcset"), "iframe": ("src",), "video": ("src", "poster"),
                   "audio": ("src",), "track": ("src",), "embed": ("src",), "object": ("data",)}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
FONT_FACE_SRC = re.compile(r"@font-face\s*{[^}]*?\bsrc\s*:([^;}]*)", re.S)
USER_AGENT = "vlm-survey-link-check/1.0 (+https://github.com/vlm-survey/vlm-survey)"


@dataclass
class Page:
    """What one HTML page offers (ids) and points to (links, language switch)."""

    lang: str = ""
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)
    switch: list[tuple[str, str]] = field(default_factory=list)  # (hreflang, url) of the language selector


# The site is generated HTML, so a tokenizer of tags and attributes reads it as an HTML parser does
# (on every page of this site it finds exactly what html.parser finds, at a fifth of the cost):
# comments and the bodies of <script> and <style> are skipped, quoted values may contain ">".
TAG = re.compile(r"""<!--.*?-->|<(script|style)\b([^>]*)>.*?</\1\s*>"""
                 r"""|<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*/?>""",
                 re.S | re.I)
ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


def parse_html(text: str) -> Page:
    """The ids, links and language-selector links of one HTML document."""
    return page_from_tags(_tags(text))


def _tags(text: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(tag name, {attribute: unescaped value}) of every start tag, in document order."""
    for match in TAG.finditer(text):
        if match.group(0).startswith("<!--"):
            continue
        tag = (match.group(1) or match.group(3)).lower()
        yield tag, {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
                    for m in ATTRIBUTE.finditer((match.group(2) if match.group(1) else match.group(4)) or "")}


def page_from_tags(tags: Iterable[tuple[str, Mapping[str, str]]]) -> Page:
    """What a page offers and points to, from its start tags (tag name, attributes), however parsed:
    this script's tokenizer, or an HTML parser (tests/test_site_contract.py)."""
    page = Page()
    for tag, values in tags:
        if tag == "html":
            page.lang = values.get("lang", "")
        if "id" in values:
            page.ids.add(values["id"])
        if tag == "a" and "name" in values:
            page.ids.add(values["name"])
        for name in LINK_ATTRIBUTES.get(tag, ()):
            if name in values:
                urls = ([part.split()[0] for part in values[name].split(",") if part.strip()] if name == "srcset"
                        else [values[name]])
                page.links += [(tag, url.strip()) for url in urls]
        if tag == "a" and "hreflang" in values and "md-select__link" in values.get("class", "").split():
            page.switch.append((values["hreflang"], values.get("href", "")))
    return page


def parse_page(path: Path) -> Page:
    return parse_html(path.read_text(encoding="utf-8"))


def site_url() -> str:
    """The published address of the site root (mkdocs.yml's `site_url`), with a trailing slash."""
    match = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    return match.group(1).rstrip("/") + "/" if match else ""


class Site:
    """The built site on disk, addressed the way a browser addresses the published copy."""

    def __init__(self, root: Path, published: str) -> None:
        self.root = root.resolve()
        self.published = published or "https://site.invalid/"
        self.own = urlsplit(self.published)[:2]  # (scheme, host) of the published site
        self.prefix = urlsplit(self.published).path or "/"  # e.g. /vlm-survey/
        self.pages: dict[Path, Page] = {}
        self._urls: dict[Path, str] = {}
        self._files: dict[str, tuple[Path | None, str]] = {}  # URL path -> (file, problem)
        self._exists: dict[Path, bool] = {}
        self._languages: dict[str, PurePosixPath] | None = None

    @property
    def languages(self) -> dict[str, PurePosixPath]:
        """Each language's folder in the site, read from the home page's language selector."""
        if self._languages is None:
            home = self.root / "index.html"
            targets = {lang: self.local(home, url)[0] for lang, url in self.page(home).switch}
            self._languages = {lang: PurePosixPath(t.relative_to(self.root).parent.as_posix())
                               for lang, t in targets.items() if t is not None and self.exists(t)}
        return self._languages

    def url_of(self, path: Path) -> str:
        """The published URL of a file of the site."""
        if path not in self._urls:
            self._urls[path] = urljoin(self.published, path.relative_to(self.root).as_posix())
        return self._urls[path]

    def local(self, source: Path, url: str) -> tuple[Path | None, str, str]:
        """Resolve `url` found on `source`: (file or None, fragment, problem); file None means external."""
        scheme, host, path, _, fragment = urlsplit(urljoin(self.url_of(source), url))
        if scheme == "javascript":
            return None, "", "script URL (javascript:) in a link"
        if (scheme, host) != self.own:
            return None, "", ""  # another site, or mailto: and the like
        if path not in self._files:
            self._files[path] = self._file(path)
        target, problem = self._files[path]
        if problem and urlsplit(url).netloc:
            return None, "", ""  # a full address elsewhere on the same host is another site
        return target, unquote(fragment), problem

    def _file(self, url_path: str) -> tuple[Path | None, str]:
        path = re.sub(r"/{2,}", "/", unquote(url_path))  # browsers and servers read // as /
        if not (path + "/").startswith(self.prefix):
            return None, f"outside the site (not under {self.prefix})"
        relative = PurePosixPath(path[len(self.prefix):])
        if ".." in relative.parts:  # only a percent-encoded %2e%2e gets this far
            return None, "climbs above the site root"
        target = self.root / relative
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target, ""

    def exists(self, path: Path) -> bool:
        if path not in self._exists:
            self._exists[path] = path.is_file()
        return self._exists[path]

    def page(self, path: Path) -> Page:
        if path not in self.pages:
            self.pages[path] = parse_page(path)
        return self.pages[path]


def language_root(site: Site, path: Path) -> tuple[str, PurePosixPath]:
    """The language a page of the site belongs to (the deepest language folder holding it) and its
    path inside that folder."""
    relative = PurePosixPath(path.relative_to(site.root).as_posix())
    owners = [(len(folder.parts), lang, folder) for lang, folder in site.languages.items()
              if relative.is_relative_to(folder)]
    if not owners:
        return "", relative
    _, lang, folder = max(owners)
    return lang, relative.relative_to(folder)


def check_internal(root: Path, published: str | None = None) -> tuple[list[str], int, int]:
    """Every broken same-site link as 'page: url -> problem'; also the numbers of pages and links checked."""
    return check_site(Site(root, published or site_url()))


def check_site(site: Site) -> tuple[list[str], int, int]:
    """`check_internal` on a Site whose pages may already be parsed (`site.pages`)."""
    broken: list[str] = []
    pages = sorted(site.root.rglob("*.html"))
    checked = 0
    for path in pages:
        page = site.page(path)
        where = path.relative_to(site.root).as_posix()
        for tag, url in page.links:
            checked += 1
            problem = _problem(site, path, url, tag)
            if problem:
                broken.append(f"{where}: {url} -> {problem}")
        broken += [f"{where}: {problem}" for problem in _switch_problems(site, path, page)]
    for css in sorted(site.root.rglob("*.css")):
        for url in _css_urls(css.read_text(encoding="utf-8")):
            checked += 1
            problem = _problem(site, css, url, "css")
            if problem:
                broken.append(f"{css.relative_to(site.root).as_posix()}: {url} -> {problem}")
    return broken, len(pages), checked


def _problem(site: Site, source: Path, url: str, tag: str) -> str:
    if not url:
        return "empty URL" if tag != "a" else ""
    target, fragment, problem = site.local(source, url)
    if problem or target is None:
        return problem
    if not site.exists(target):
        return f"missing {target.relative_to(site.root).as_posix()}"
    if fragment and target.suffix == ".html" and fragment not in site.page(target).ids:
        return f"no id #{fragment} on {target.relative_to(site.root).as_posix()}"
    return ""


def _switch_problems(site: Site, path: Path, page: Page) -> list[str]:
    """The language selector must offer every language, each leading to this same page in it."""
    if not page.switch or path.name == "404.html":
        return []
    problems = []
    offered = {lang for lang, _ in page.switch}
    if offered != set(site.languages):
        problems.append(f"language selector offers {sorted(offered)}")
    _, inner = language_root(site, path)
    for lang, url in page.switch:
        target, _, problem = site.local(path, url)
        if problem or target is None or not site.exists(target):
            continue  # reported as a broken link already
        target_lang, target_inner = language_root(site, target)
        if target_lang != lang or not site.page(target).lang.startswith(lang) or target_inner != inner:
            problems.append(f"language switch to {lang}: {url} -> {target.relative_to(site.root).as_posix()}, "
                            f"not the same page in {lang}")
    return problems


def _css_urls(css: str) -> list[str]:
    """Local url()s a browser loads: in an @font-face `src` list only the first source is requested
    (the rest are fallbacks for browsers without that format)."""
    fallbacks = set()
    for source_list in FONT_FACE_SRC.findall(css):
        fallbacks.update(url for _, url in CSS_URL.findall(source_list)[1:])
    return [url for _, url in CSS_URL.findall(css) if url not in fallbacks and not url.startswith(("data:", "#"))]


def external_urls(root: Path, published: str | None = None) -> dict[str, list[str]]:
    """Every http(s) URL of another site that a page links to or loads, with the pages it is on."""
    site = Site(root, published or site_url())
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(site.root.rglob("*.html")):
        for tag, url in site.page(path).links:
            target, _, _ = site.local(path, url)
            if target is None and urlsplit(url).scheme in ("http", "https") and tag != "link":
                found[url.split("#")[0]].append(path.relative_to(site.root).as_posix())
    return dict(found)


def check_external(urls: list[str], timeout: float = 20.0, per_host: int = 2,
                   workers: int = 8) -> dict[str, str]:
    """Request each URL (HEAD, then GET where HEAD is refused); return {url: problem} for failures."""
    locks: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(per_host))
    guard = threading.Lock()

    def one(url: str) -> tuple[str, str]:
        with guard:
            host_lock = locks[urlsplit(url).netloc]
        with host_lock:
            return url, _request(url, timeout)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = dict(pool.map(one, urls))
    return {url: problem for url, problem in results.items() if problem}


def _request(url: str, timeout: float) -> str:
    """HEAD, then GET (some servers refuse HEAD), then GET once more after a server error or 429."""
    problem = ""
    for method in ("HEAD", "GET", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return ""
        except urllib.error.HTTPError as exc:
            problem = f"HTTP {exc.code}"
            if exc.code == 429:
                retry_after = exc.headers.get("Retry-After", "") if exc.headers else ""
                time.sleep(min(float(retry_after) if retry_after.isdigit() else 5.0, 30.0))
            elif method == "GET" and exc.code < 500:
                return problem
        except (urllib.error.URLError, OSError, ValueError) as exc:
            problem = f"unreachable ({getattr(exc, 'reason', exc)})"
    if problem == "HTTP 429":
        print(f"warning: {url} kept answering 429 (too many requests); not counted as broken", file=sys.stderr)
        return ""
    return problem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    parser.add_argument("--external", action="store_true", help="check links to other sites instead (network)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no built site here; run `make build` first", file=sys.stderr)
        return 2
    if args.external:
        found = external_urls(args.site)
        failures = check_external(sorted(found))
        for url, problem in sorted(failures.items()):
            pages = found[url]
            print(f"{url} -> {problem} (on {', '.join(pages[:3])}{' ...' if len(pages) > 3 else ''})")
        print(f"{len(failures)} broken of {len(found)} external links.")
        return 1 if failures else 0
    broken, pages, links = check_internal(args.site)
    for line in broken:
        print(line)
    print(f"{len(broken)} broken links; checked {links} links on {pages} pages.")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
