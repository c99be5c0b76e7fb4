"""`python -m vlm_survey pdf`: the whole survey as one PDF per language, for print, from the built site.

Each language's book is one page assembled from its built chapters' `<article>`, in the order of the
shared `nav`: a title page, a contents list, then every chapter on a new page with its web address under
its title (templates/pdf_book.html). Ids are made unique per chapter and links between chapters point
inside the book; links to anything else (entry pages, data files) point at the published site. Data
tables get numbered captions (表 4-1 / Table 4.1), like the figures. Chromium (Playwright, as the tests
use it) prints the book with the site's stylesheets, print rules included (print.css), a clickable
outline and page numbers; the site is served on 127.0.0.1 for it and nothing leaves the machine.
"""

from __future__ import annotations

import datetime
import os
import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from markupsafe import Markup

from vlm_survey.chapters import page_url
from vlm_survey.citation import load_cff
from vlm_survey.engine_config import language_url, nav_pages, shared
from vlm_survey.i18n import date_text, t
from vlm_survey.languages import Language, registry
from vlm_survey.loopback import serving
from vlm_survey.render import render

CHROMIUM = "/usr/bin/chromium"
FOLDER = "downloads"  # under the site's root
BOOK = "__vlm_book__"  # the book's address under the language's root on the local server (never a file)
# The interface text of the book (vlm_survey/i18n.py, keys "pdf.<name>").
LABELS = ("contents", "chapter", "presents", "web", "printed", "by", "table", "table.unnumbered")
# Removed from the chapters: links to headings and rows, and buttons that only work in the browser.
DROP = (".headerlink, .vlm-permalink, .vlm-figure-download, .vlm-download-views, .vlm-download-message, "
        ".md-content__button")
ID_REFS = ("for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns")
URL_REF = re.compile(r"url\(#([^)\s]+)\)")


@dataclass(frozen=True)
class Chapter:
    """One chapter of the book: its anchor there, number (None for the home page) and its label (第 4 章),
    title, web address and article (ids prefixed with the anchor)."""

    anchor: str
    number: int | None
    label: str
    title: str
    url: str
    article: Markup


def pdf_name(language: Language) -> str:
    """The file of the language's edition: vlm-survey-zh.pdf."""
    return f"vlm-survey-{language.code}.pdf"


def anchor(src: str) -> str:
    """The chapter's anchor in the book: its page name (home for index.md)."""
    stem = posixpath.splitext(src)[0].replace("/", "-")
    return "home" if stem == "index" else stem


def site_path(language: Language, src: str) -> str:
    """The chapter's path on the site, from its root: /en/vit/."""
    return "/" + (language.subdir + "/" if language.subdir else "") + page_url(src)


def chapters(project: Path, site: Path, language: Language) -> list[Chapter]:
    """Every chapter of the shared nav, in order, as the built site of `language` has it."""
    pages = nav_pages(shared(project)["nav"])
    web = language_url(shared(project)["site_url"], language)
    paths = {site_path(language, src): anchor(src) for src in pages}
    found = []
    for number, src in enumerate(pages):
        path = site_path(language, src)
        html = (site / path.lstrip("/") / "index.html").read_text(encoding="utf-8")
        article = BeautifulSoup(html, "html.parser").select_one("article.md-content__inner")
        if article is None:
            raise ValueError(f"{path}: no <article> in the built page")
        found.append(chapter(article, src, number or None, path, web + page_url(src), paths, project, language))
    return found


def chapter(article: Tag, src: str, number: int | None, path: str, url: str, paths: dict[str, str],
            project: Path, language: Language) -> Chapter:
    """The chapter's article made part of the book: ids prefixed, links rewritten, tables numbered."""
    for element in article.select(DROP):
        element.decompose()
    prefix = anchor(src) + "--"
    ids = {element["id"] for element in article.find_all(id=True)}
    for element in article.find_all(True):
        if element.has_attr("id"):
            element["id"] = prefix + element["id"]
        for name in ID_REFS:
            if element.has_attr(name):
                element[name] = " ".join(prefix + i if i in ids else i for i in str(element[name]).split())
        for name, value in list(element.attrs.items()):
            if isinstance(value, str) and "url(#" in value:
                element[name] = URL_REF.sub(lambda m: f"url(#{prefix + m[1] if m[1] in ids else m[1]})", value)
        for name in ("href", "xlink:href"):
            if element.has_attr(name):
                element[name] = link(str(element[name]), path, prefix, paths, project)
        if element.has_attr("src"):
            element["src"] = urljoin(path, str(element["src"]))
    for style in article.find_all("style"):
        style.string = re.sub(r"#([\w-]+)", lambda m: "#" + (prefix + m[1] if m[1] in ids else m[1]),
                              style.get_text())
    labels = book_labels(language.text)
    for n, caption in enumerate(article.select("table > caption"), 1):
        label = labels["table"].format(chapter=number, n=n) if number else labels["table.unnumbered"].format(n=n)
        caption.insert(0, BeautifulSoup(str(render("pdf_caption.html", number=label)), "html.parser"))
    heading = article.find("h1")
    title = " ".join(heading.get_text().split()) if heading else anchor(src)
    address = BeautifulSoup(str(render("pdf_address.html", label=labels["web"], url=url)), "html.parser")
    if heading:
        heading.insert_after(address)
    else:
        article.insert(0, address)
    inner = Markup("".join(str(child) for child in article.contents))
    label = labels["chapter"].format(n=number) if number else ""
    return Chapter(anchor(src), number, label, title, url, inner)


def link(href: str, path: str, prefix: str, paths: dict[str, str], project: Path) -> str:
    """`href` of the chapter at `path` as the book links it: inside the book when it names a chapter,
    else absolute on the published site (or as it is: another site, mail)."""
    if href.startswith("#"):
        return "#" + prefix + href[1:] if len(href) > 1 else "#" + prefix.rstrip("-")
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return href
    target = urlsplit(urljoin(path, href))
    if target.path in paths:
        return "#" + paths[target.path] + ("--" + target.fragment if target.fragment else "")
    return shared(project)["site_url"] + target.path.lstrip("/") + ("#" + target.fragment if target.fragment else "")


def survey(project: Path, lang: str) -> dict[str, Any]:
    """The survey the site presents (CITATION.cff's first reference): title and a one-line source."""
    paper = load_cff(project)["references"][0]
    authors = paper["authors"][0]["family-names"]
    venue = re.sub(r"^Proceedings of the ", "", paper.get("collection-title", "arXiv"))
    return {"title": paper["title"], "source": t(lang, "pdf.by").format(authors=authors, venue=venue,
                                                                        year=paper["year"])}


def book_labels(lang: str) -> dict[str, str]:
    """The book's interface text in `lang`, by name (placeholders left for the caller to fill)."""
    return {name: t(lang, f"pdf.{name}") for name in LABELS}


def today() -> datetime.date:
    """The printing date: SOURCE_DATE_EPOCH's when set (reproducible builds), else today's (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch else None
    return (moment or datetime.datetime.now(datetime.timezone.utc)).date()


def stylesheets(site: Path, language: Language) -> list[str]:
    """The site's stylesheets, as the language's home page links them (absolute paths on the server)."""
    home = site_path(language, "index.md")
    page = BeautifulSoup((site / home.lstrip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")
    return [urljoin(home, str(sheet["href"])) for sheet in page.select('link[rel="stylesheet"]')]


def book(project: Path, site: Path, language: Language) -> str:
    """The book of `language` as one HTML page."""
    labels = book_labels(language.text)
    return str(render("pdf_book.html", lang=language.code, site_name=language.site_name,
                      description=language.site_description, survey=survey(project, language.text),
                      address=language_url(shared(project)["site_url"], language),
                      printed=labels["printed"].format(date=date_text(language.text, today())),
                      labels=labels, stylesheets=stylesheets(site, language),
                      chapters=chapters(project, site, language)))


def print_books(project: Path, site: Path, out: Path, browser: Any = None) -> list[Path]:
    """Print every language's book from the built `site` into `out`, in `browser` (a Playwright Chromium;
    one is launched when none is given); the files written."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
            chromium = playwright.chromium.launch(executable_path=executable)
            try:
                return print_books(project, site, out, chromium)
            finally:
                chromium.close()
    out.mkdir(parents=True, exist_ok=True)
    footer = str(render("pdf_footer.html"))
    written = []
    with serving(site) as base:
        for language in registry(project):
            page = browser.new_page()
            url = base + site_path(language, "index.md") + BOOK
            html = book(project, site, language)
            page.route(url, lambda route: route.fulfill(body=html,  # noqa: B023 - used at once, in this turn
                                                        content_type="text/html; charset=utf-8"))
            page.goto(url, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            target = out / pdf_name(language)
            page.pdf(path=str(target), format="A4", print_background=True, outline=True, tagged=True,
                     display_header_footer=True, header_template="<span></span>", footer_template=footer,
                     prefer_css_page_size=True)
            page.close()
            written.append(target)
    return written


def pdf(project: Path, site: Path) -> int:
    """`pdf`: print every language's book into `site`/downloads/; print each file and its size."""
    if not (site / "index.html").exists():
        print(f"pdf: no built site in {site}; run make build first")
        return 1
    for path in print_books(project, site, site / FOLDER):
        print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")
    return 0
