"""What Lighthouse's SEO audits read, on every page that MkDocs and Zensical build, in every language, from
the built HTML (each page parsed once) and sitemaps: the document's language, title, description and one
absolute canonical address; no robots noindex; links a crawler can follow, with descriptive text; images
with alt text; and the language alternates (hreflang), absolute, the same in the page's head and in each
language's sitemap.xml (overrides/main.html, overrides/sitemap.xml). Material's script fetches a sitemap.xml
beside every <link rel="alternate"> of a page; an inline script takes `rel` off them before it looks, so a
local copy requests nothing from the published site (tests/test_page_chrome.py drives that in Chromium). scripts/lighthouse.py runs the audits themselves (make bench).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import LANGS, LANGUAGES, ROOT, html_pages
from vlm_survey.engine_config import language_url, shared

ENGINES = ("site", "zensical_site")  # the fixtures of the MkDocs and the Zensical build
SITE_URL = shared(ROOT)["site_url"]
ROOTS = {language.code: language_url(SITE_URL, language) for language in LANGUAGES}  # absolute, per language
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
# Lighthouse's link-text audit (core/audits/seo/link-text.js): link texts that say nothing, in English (it
# has no Chinese list).
VAGUE = {"click here", "click this", "go", "here", "information", "learn more", "more", "more info",
         "more information", "right here", "read more", "see more", "start", "this"}
HREF_ATTRIBUTES = ("target", "download", "ping", "rel", "hreflang", "type", "referrerpolicy")


@dataclass(frozen=True)
class Head:
    """What the SEO audits read from one built page."""

    url: str  # the page's own address on the published site
    lang: str | None
    title: str
    descriptions: list[str]
    viewport: list[str]
    canonicals: list[str]
    alternates: list[tuple[str, str]]  # (hreflang, href) of each <link rel="alternate"> of the head
    robots: list[str]
    problems: list[str]  # links and images a crawler cannot use


def page_url(site: Path, lang: str, path: Path) -> str:
    relative = path.relative_to(site / LANGS[lang]).as_posix()
    return ROOTS[lang] + relative.removesuffix("index.html")


def read(site: Path, lang: str, path: Path) -> Head:
    document = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    problems = []
    for a in document.find_all("a"):
        href = a.get("href")
        if href is None:
            if not (a.get("id") or a.get("role") or a.get("name")) and any(a.has_attr(n) for n in HREF_ATTRIBUTES):
                problems.append(f"<a> without href: {a}")
        elif href.replace(" ", "").startswith(("javascript:void", "file:")):
            problems.append(f"uncrawlable href: {a}")
        elif lang == "en" and not href.startswith(("#", "mailto:")) and a.get_text().strip().lower() in VAGUE:
            problems.append(f"vague link text: {a}")
    problems += [f"<img> without alt: {img}" for img in document.find_all("img") if not img.has_attr("alt")]
    head = document.head
    title = document.title.get_text().strip() if document.title else ""
    return Head(page_url(site, lang, path), document.html.get("lang"), title,
                [m.get("content", "") for m in head.select('meta[name="description"]')],
                [m.get("content", "") for m in head.select('meta[name="viewport"]')],
                [link.get("href", "") for link in head.select('link[rel="canonical"]')],
                [(link.get("hreflang", ""), link.get("href", "")) for link in head.select('link[rel="alternate"]')],
                [m.get("content", "") for m in document.select('meta[name="robots"]')], problems)


Built = tuple[Path, dict[Path, tuple[str, Head]]]  # a site, and each page's language and head


@pytest.fixture(scope="module", params=ENGINES)
def built(request: pytest.FixtureRequest) -> Built:
    """(site, {page: (language, what its head says)}) of one engine's build."""
    site = request.getfixturevalue(request.param)
    return site, {path: (lang, read(site, lang, path)) for lang in LANGS for path in html_pages(site, lang)}


def test_every_page_says_its_language_title_and_description(built: Built) -> None:
    site, pages = built
    wrong = []
    for path, (lang, head) in pages.items():
        where = path.relative_to(site)
        if head.lang != lang:
            wrong.append(f"{where}: <html lang={head.lang!r}>")
        if not head.title:
            wrong.append(f"{where}: empty <title>")
        if len(head.descriptions) != 1 or not head.descriptions[0].strip():
            wrong.append(f"{where}: meta descriptions {head.descriptions}")
        if len(head.viewport) != 1 or "width=device-width" not in head.viewport[0]:
            wrong.append(f"{where}: meta viewport {head.viewport}")
        if any("noindex" in content.lower() for content in head.robots):
            wrong.append(f"{where}: robots {head.robots}")
    assert not wrong, "\n".join(wrong[:20])


def test_every_page_names_its_own_absolute_canonical_address(built: Built) -> None:
    """One canonical link, the page's own published address; none on the 404 pages, which are no address."""
    site, pages = built
    wrong = [f"{path.relative_to(site)}: {head.canonicals}" for path, (_, head) in pages.items()
             if head.canonicals != ([] if path.name == "404.html" else [head.url])]
    assert not wrong, "\n".join(wrong[:20])


def test_the_heads_alternates_are_the_sitemaps(built: Built) -> None:
    """Each page's head links the same addresses per language as its entry in the sitemap (none on 404 pages)."""
    site, pages = built
    listed = {}
    for lang in LANGS:
        for entry in ET.parse(site / LANGS[lang] / "sitemap.xml").getroot().findall("s:url", SITEMAP):
            listed[entry.findtext("s:loc", namespaces=SITEMAP)] = {
                (link.get("hreflang"), link.get("href")) for link in entry.findall("xhtml:link", SITEMAP)}
    wrong = [f"{path.relative_to(site)}: {head.alternates}" for path, (_, head) in pages.items()
             if set(head.alternates) != (set() if path.name == "404.html" else listed[head.url])]
    assert not wrong, "\n".join(wrong[:20])


def test_links_and_images_are_crawlable(built: Built) -> None:
    site, pages = built
    problems = [f"{path.relative_to(site)}: {issue}" for path, (_, head) in pages.items() for issue in head.problems]
    assert not problems, "\n".join(problems[:20])


def test_sitemaps_link_every_page_in_every_language(built: Built) -> None:
    """Each language's sitemap.xml lists its pages, each with its absolute address in every language (and
    x-default, the root language's); the other languages' sitemaps say the same, and every address is built."""
    site, pages = built
    root = LANGUAGES[0].code
    urls = {lang: {head.url for path, (code, head) in pages.items() if code == lang and path.name != "404.html"}
            for lang in LANGS}
    alternates = {}
    for lang in LANGS:
        sitemap = ET.parse(site / LANGS[lang] / "sitemap.xml").getroot()
        listed = {}
        for entry in sitemap.findall("s:url", SITEMAP):
            links = {link.get("hreflang"): link.get("href") for link in entry.findall("xhtml:link", SITEMAP)}
            assert all(link.get("rel") == "alternate" for link in entry.findall("xhtml:link", SITEMAP))
            listed[entry.findtext("s:loc", namespaces=SITEMAP)] = links
        assert set(listed) == urls[lang], f"{lang}: sitemap and built pages differ"
        for loc, links in listed.items():
            assert set(links) == {*LANGS, "x-default"}, f"{lang} {loc}: {links}"
            assert links[lang] == loc and links["x-default"] == links[root], f"{lang} {loc}: {links}"
            assert all(link in urls[code] for code, link in links.items() if code != "x-default"), links
            alternates.setdefault(frozenset(links.items()), set()).add(lang)
    assert all(found == set(LANGS) for found in alternates.values()), "the sitemaps disagree on some alternates"
