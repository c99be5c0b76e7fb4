"""The real built site, both languages: parity, ids, search, links, anchors, no third parties."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from helpers import LANGS, ROOT, html_pages, page_path, soup, source_pages

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PAGES = source_pages("zh")


@functools.lru_cache(maxsize=4 * len(PAGES))
def chapter(path: Path) -> BeautifulSoup:
    """A chapter page, parsed once for the checks below (read only: none of them changes it)."""
    return soup(path)


def headings(path: Path) -> list[tuple[str, str]]:
    article = chapter(path).select_one("article")
    return [(h.name, h.get("id", "")) for h in article.select("h2, h3")]


def test_both_languages_have_the_same_pages() -> None:
    assert PAGES == source_pages("en")
    assert "index" in PAGES and len(PAGES) >= 12


@pytest.mark.parametrize("page", PAGES)
def test_page_is_built_with_a_title_in_both_languages(site: Path, page: str) -> None:
    titles = {}
    for lang in LANGS:
        document = chapter(page_path(site, lang, page))
        assert document.html["lang"].startswith(lang)
        h1 = document.select_one("article h1")
        assert h1 and h1.get_text(strip=True), f"{lang}/{page} has no h1"
        titles[lang] = document.title.get_text(strip=True)
    assert titles["zh"] != titles["en"], f"{page}: the English title is the Chinese one"


@pytest.mark.parametrize("page", PAGES)
def test_headings_have_explicit_ascii_ids_equal_in_both_languages(site: Path, page: str) -> None:
    zh, en = (headings(page_path(site, lang, page)) for lang in LANGS)
    for level, anchor in zh + en:
        assert SLUG.match(anchor), f"{page}: {level} id {anchor!r} is not an explicit kebab-case id"
    assert zh == en, f"{page}: h2/h3 ids differ between zh and en"


@pytest.mark.parametrize("page", PAGES)
def test_tables_match_between_languages(site: Path, page: str) -> None:
    shapes = {}
    for lang in LANGS:
        document = chapter(page_path(site, lang, page))
        shapes[lang] = [(t["data-vlm-table"], [tr.get("id") for tr in t.select("tbody tr")])
                        for t in document.select("table[data-vlm-table]")]
    assert shapes["zh"] == shapes["en"]


def test_chinese_search_index_is_segmented(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["zh"]
    assert "\\u200b" in index["config"]["separator"]
    text = " ".join(doc["text"] for doc in index["docs"])
    separator = re.compile(index["config"]["separator"])
    han = [token for token in separator.split(text) if re.fullmatch(r"[\u4e00-\u9fff]+", token)]
    assert len(han) > 200, "too few Chinese tokens: is jieba installed?"
    average = sum(map(len, han)) / len(han)
    assert average < 4, f"Chinese tokens average {average:.1f} characters: text is not segmented"


def test_english_search_index_is_its_own(site: Path) -> None:
    index = json.loads((site / "en" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["en"]
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {f"{p}/" for p in PAGES if p != "index"} <= locations
    assert not any(re.search(r"[\u4e00-\u9fff]{6,}", doc["title"]) for doc in index["docs"])


def local_target(site: Path, page: Path, url: str) -> tuple[Path, str] | None:
    """The file and fragment a same-site URL points to, or None for another site."""
    base = "file://" + page.as_posix()
    resolved = urlsplit(urljoin(base, url))
    if resolved.scheme != "file":
        return None
    target = Path(unquote(resolved.path))
    if target.is_dir() or resolved.path.endswith("/"):
        target = target / "index.html"
    return target, unquote(resolved.fragment)


def all_pages(site: Path) -> list[Path]:
    return [p for lang in LANGS for p in html_pages(site, lang) if p.name != "404.html"]


@dataclass(frozen=True)
class Page:
    """What the whole-site checks below read from one built page (each page is parsed once for all of them)."""

    lang: str
    foreign: tuple[str, ...]  # what the page would load from another site
    scripts: str  # every script's src
    row_ids: frozenset[str]


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[Path, Page]:
    """Every HTML page of every language (404 pages included), read once."""
    found = {}
    for lang in LANGS:
        for path in html_pages(site, lang):
            document = soup(path)
            foreign = []
            for element in document.find_all(["script", "link", "img", "iframe", "source", "video", "audio"]):
                loads = element.name != "link" or not {"canonical", "alternate"} & set(element.get("rel", []))
                url = element.get("src") or (element.get("href") if element.name == "link" else None)
                if url and loads and urlsplit(url).netloc:
                    foreign.append(f"{path.relative_to(site)}: <{element.name}> {url}")
            for style in document.find_all("style"):
                foreign += [f"{path.relative_to(site)}: @import {u}"
                            for u in re.findall(r"url\((https?:[^)]+)\)", style.text)]
            found[path] = Page(lang, tuple(foreign), " ".join(s.get("src", "") for s in document.find_all("script")),
                               frozenset(tr["id"] for tr in document.select("tr[id]")))
    return found


def test_language_selector_links_the_same_page(site: Path) -> None:
    for lang, other in (("zh", "en"), ("en", "zh")):
        for page in PAGES:
            path = page_path(site, lang, page)
            links = chapter(path).select("a.md-select__link[hreflang]")
            by_lang = {a["hreflang"]: a["href"] for a in links}
            assert set(by_lang) == {"zh", "en"}, f"{lang}/{page}: selector has {by_lang}"
            target, _ = local_target(site, path, by_lang[other])
            assert target == page_path(site, other, page), f"{lang}/{page} -> {target}"
            own, _ = local_target(site, path, by_lang[lang])
            assert own == path


def test_no_third_party_requests_in_markup(site: Path, pages: dict[Path, Page]) -> None:
    """Scripts, styles, fonts and images all come from the site itself (canonical links load nothing)."""
    foreign = [line for page in all_pages(site) for line in pages[page].foreign]
    assert not foreign, "\n".join(foreign[:20])


def test_theme_uses_system_fonts(site: Path) -> None:
    for path in (site / "index.html", site / "en" / "index.html"):
        html = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_no_page_loads_a_math_or_diagram_library(site: Path, pages: dict[Path, Page]) -> None:
    """Formulas and diagrams are drawn at build time (vlm_survey/formulas.py, vlm_survey/diagrams.py)."""
    for page in all_pages(site):
        scripts = pages[page].scripts
        assert "katex" not in scripts and "mermaid" not in scripts, page


def test_every_model_and_benchmark_is_rendered_somewhere(pages: dict[Path, Page]) -> None:
    from vlm_survey.catalog import load_catalog

    catalog = load_catalog(ROOT)
    for lang in LANGS:
        row_ids = {row for facts in pages.values() if facts.lang == lang for row in facts.row_ids}
        expected = {f"model-{m['id']}" for m in catalog.models} | {f"benchmark-{b['id']}" for b in catalog.benchmarks}
        assert expected <= row_ids, f"{lang}: not rendered: {sorted(expected - row_ids)[:10]}"
