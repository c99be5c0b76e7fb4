"""The page chrome of every built page, both engines: the head's language alternates (absolute, this page in each
language) and OpenGraph / Twitter tags, the last-updated date (the source's last commit), the edit link (a file
of the repository) and the error report (a prefilled issue form naming the page, and in the browser the
section); a missed address under /en/ gets the root 404.html in English; a local page asks no other host."""

from __future__ import annotations

import functools
import http.server
import subprocess
import urllib.parse
from pathlib import Path
from typing import Iterator

import pytest

from helpers import LANGS, LANGUAGES, ROOT, html_pages, page_path, serving, soup
from vlm_survey.engine_config import language_url, shared

ENGINES = ("site", "zensical_site")
BASE = shared(ROOT)
SITE_URL, REPO = BASE["site_url"], BASE["repo_url"].rstrip("/")
ROOTS = {language.code: language_url(SITE_URL, language) for language in LANGUAGES}
LOCALES = {"zh": "zh_CN", "en": "en_US"}


def published(site: Path, lang: str, path: Path) -> str:
    return ROOTS[lang] + path.relative_to(site / LANGS[lang]).as_posix().removesuffix("index.html")


def built_file(site: Path, url: str) -> Path:
    """The built file of a published address."""
    return site / url.removeprefix(SITE_URL) / "index.html"


def pages(site: Path) -> Iterator[tuple[str, Path]]:
    for lang in LANGS:
        for path in html_pages(site, lang):
            if path.name != "404.html":
                yield lang, path


def source(url: str) -> str:
    """The repository path an edit link points at."""
    return url.removeprefix(f"{REPO}/{BASE['edit_uri']}")


@pytest.mark.parametrize("engine", ENGINES)
def test_head_links_this_page_in_each_language_and_says_it_to_social_cards(engine: str,
                                                                           request: pytest.FixtureRequest) -> None:
    site, wrong = request.getfixturevalue(engine), []
    for lang, path in pages(site):
        document, url = soup(path), published(site, lang, path)
        head, where = document.head, path.relative_to(site)
        links = {link["hreflang"]: link["href"] for link in head.select('link[rel="alternate"][hreflang]')}
        other = next(code for code in LANGS if code != lang)
        if set(links) != {*LANGS, "x-default"} or links[lang] != url or links["x-default"] != links["zh"]:
            wrong.append(f"{where}: alternates {links}")
        elif not all(link.startswith(SITE_URL) and built_file(site, link).is_file() for link in links.values()):
            wrong.append(f"{where}: an alternate is not a built page {links}")
        elif links[other].removeprefix(ROOTS[other]) != url.removeprefix(ROOTS[lang]):
            wrong.append(f"{where}: {links[other]} is not this page")
        meta = {tag.get("property") or tag.get("name"): tag.get("content") for tag in
                head.select('meta[property^="og:"], meta[name^="twitter:"]')}
        description = head.select_one('meta[name="description"]')["content"]
        expected = {"og:url": url, "og:locale": LOCALES[lang], "og:locale:alternate": LOCALES[other],
                    "og:description": description, "twitter:description": description, "twitter:card": "summary",
                    "og:site_name": next(x.site_name for x in LANGUAGES if x.code == lang)}
        bad = {key: meta.get(key) for key, value in expected.items() if meta.get(key) != value}
        if bad or not meta.get("og:title") or meta.get("og:title") != meta.get("twitter:title") \
                or meta.get("og:type") not in ("website", "article"):
            wrong.append(f"{where}: {bad or meta}")
    assert not wrong, "\n".join(wrong[:20])


def test_every_chapter_but_the_home_has_its_own_description(site: Path) -> None:
    """Each chapter's description is its own (front matter), not the site's."""
    seen: dict[str, Path] = {language.site_description: Path("the site") for language in LANGUAGES}
    for lang in LANGS:
        for name in (p.stem for p in (ROOT / "docs" / lang).glob("*.md") if p.stem != "index"):
            content = soup(page_path(site, lang, name)).head.select_one('meta[name="description"]')["content"]
            assert content not in seen, f"{lang}/{name}: same description as {seen.get(content)}"
            seen[content] = Path(lang, name)


@pytest.mark.parametrize("engine", ENGINES)
def test_dates_are_the_sources_last_commit_and_edit_links_their_files(engine: str,
                                                                      request: pytest.FixtureRequest) -> None:
    site, wrong, dated = request.getfixturevalue(engine), [], 0
    edits = {}
    for lang, path in pages(site):
        edit = soup(path).select_one("a[data-vlm-edit]")
        if edit is None:
            wrong.append(f"{path.relative_to(site)}: no edit link")
            continue
        edits[path] = (lang, source(edit["href"]))
        if not (ROOT / edits[path][1]).is_file() or not edit["href"].startswith(REPO):
            wrong.append(f"{path.relative_to(site)}: edit link {edit['href']}")
    # every chapter, and a few entry pages of each language (one git process each)
    chosen = [p for p, (_, s) in edits.items() if s.startswith("docs/")]
    chosen += [p for lang in LANGS for p in [p for p, (code, s) in edits.items() if code == lang
                                             and s.startswith("data/")][:3]]
    for path in chosen:
        lang, file = edits[path]
        expected = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%cs", "--", file],
                                  capture_output=True, text=True).stdout.strip()
        time = soup(path).select_one("time[data-vlm-updated]")
        found = time["datetime"] if time else None
        if found != (expected or None):
            wrong.append(f"{path.relative_to(site)}: updated {found}, git says {expected} ({file})")
        elif time is not None:
            year, month, day = (int(x) for x in expected.split("-"))
            text = time.get_text()
            shown = f"{year}年{month}月{day}日" if lang == "zh" else f"{day} "
            dated += 1
            if not text.startswith(shown) or str(year) not in text:
                wrong.append(f"{path.relative_to(site)}: date shown as {text!r}")
    assert not wrong, "\n".join(wrong[:20])
    assert dated >= len(chosen) // 2, "hardly any page has a date: no git history?"


def test_report_link_names_the_page_and_after_a_click_the_section(site: Path, server: str, page: object) -> None:
    path = page_path(site, "en", "vit")
    report = soup(path).select_one("a[data-vlm-report]")
    url = urllib.parse.urlsplit(report["href"])
    query = urllib.parse.parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{REPO}/issues/new"
    assert query["template"] == ["report-error.yml"] and (ROOT / ".github/ISSUE_TEMPLATE/report-error.yml").is_file()
    assert query["where"] == [ROOTS["en"] + "vit/"] and "Vision Transformer" in query["title"][0]
    asked: list[str] = []
    page.route("https://github.com/**", lambda route: (asked.append(route.request.url), route.abort()))
    page.goto(f"{server}/en/vit/")
    page.evaluate("document.getElementById('core-idea').scrollIntoView()")
    page.wait_for_timeout(300)  # the script follows the scroll on the next frame
    page.locator("a[data-vlm-report]").click()  # scrolls the foot into view: still the section read
    page.wait_for_timeout(500)
    assert asked, "the report link was not followed"
    where = urllib.parse.parse_qs(urllib.parse.urlsplit(asked[0]).query)["where"]
    assert where == [ROOTS["en"] + "vit/#core-idea"], asked[0]


class _Pages(http.server.SimpleHTTPRequestHandler):
    """A folder served as GitHub Pages serves the site: under the site's path, the root 404.html for a miss."""

    prefix = urllib.parse.urlsplit(SITE_URL).path
    missing = {f"{prefix}en/vit/"}  # as if the English ViT chapter were not written yet

    def send_head(self) -> object:
        if self.path in self.missing:
            return self.send_error(404)
        return super().send_head()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path.removeprefix(self.prefix))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("missed, lang, heading, other", [("en/nowhere/", "en", "Page not found", None),
                                                          ("nowhere/", "zh", "找不到这个页面", None),
                                                          ("en/vit/", "en", "Page not found", "vit/")])
def test_a_miss_gets_the_404_page_in_the_language_of_its_address(engine: str, request: pytest.FixtureRequest,
                                                                  browser: object, missed: str, lang: str,
                                                                  heading: str, other: str | None) -> None:
    """In the missed address's language: text, home link, a search of that language's pages, and the page in
    the other language if it exists."""
    site = request.getfixturevalue(engine)
    with serving(handler=functools.partial(_Pages, directory=str(site))) as url:
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(f"{url}{_Pages.prefix}{missed}")
        shown = tab.locator("[data-vlm-404-lang]:visible")
        assert shown.count() == 1 and shown.get_attribute("lang") == lang
        assert shown.locator("h1").inner_text() == heading
        assert tab.evaluate("document.documentElement.lang") == lang
        home = shown.locator("a").first.get_attribute("href")
        assert home == _Pages.prefix + ("en/" if lang == "en" else "")
        assert shown.locator("form input[name=q]").count() == 1
        tab.wait_for_load_state("networkidle")  # the other language's page is asked for
        note = shown.locator("[data-vlm-404-other]")
        assert note.is_visible() == bool(other)
        if other:
            assert note.locator("a").get_attribute("href") == _Pages.prefix + other
        shown.locator("input[name=q]").fill("hallucination")
        shown.locator("input[name=q]").press("Enter")
        tab.wait_for_url(f"{url}{home}?q=hallucination")
        assert tab.evaluate("document.documentElement.lang") == lang  # that language's home
        if engine == "site":  # Material opens its search with ?q= (Zensical 0.0.x reads no such parameter)
            assert tab.locator("input.md-search__input").input_value() == "hallucination"
        context.close()


def test_a_local_page_asks_no_other_host(server: str, page: object) -> None:
    """Material fetches a sitemap.xml beside each <link rel="alternate">: the head's absolute alternates must not
    make it ask the published site."""
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    for address in ("/vit/", "/en/vit/", "/en/models/blip/"):
        page.goto(server + address, wait_until="networkidle")
    host = urllib.parse.urlsplit(server).netloc
    elsewhere = [url for url in asked if urllib.parse.urlsplit(url).netloc not in (host, "")
                 and not url.startswith("data:")]
    assert asked and not elsewhere, elsewhere
    # nor, on the published site, its own <page>/sitemap.xml (a 404) for each alternate
    beside = [url for url in asked if urllib.parse.urlsplit(url).path.endswith("/sitemap.xml")
              and urllib.parse.urlsplit(url).path not in ("/sitemap.xml", "/en/sitemap.xml")]
    assert not beside, beside
