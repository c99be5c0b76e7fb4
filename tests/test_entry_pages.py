"""A generated page per model and benchmark, in both languages: its fields, corrections, links, BibTeX
and related entries; reached from its table row; in the sitemap and the search index; escaped."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from bs4 import BeautifulSoup

from helpers import LANGS, ROOT, page_path, soup
from vlm_survey import entry_pages
from vlm_survey.catalog import load_catalog
from vlm_survey.freshness import split_front_matter
from vlm_survey.i18n import t

CATALOG = load_catalog(ROOT)
ENTRIES = [(c, e) for c in ("models", "benchmarks") for e in CATALOG.entries(c)]
TABLE_PAGES = {"models": "architecture", "benchmarks": "benchmarks"}
SITE_URL = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)


def entry_page(site: Path, lang: str, collection: str, entry_id: str) -> Path:
    return site / LANGS[lang] / collection / entry_id / "index.html"


def test_every_entry_has_a_page_in_both_languages(site: Path) -> None:
    for collection, entry in ENTRIES:
        sections = {}
        for lang in LANGS:
            document = soup(entry_page(site, lang, collection, entry["id"]))
            article = document.select_one("article")
            assert document.html["lang"].startswith(lang)
            assert article.h1.get_text() == entry["name"]
            assert entry["summary"][lang].split()[0] in article.get_text()
            sections[lang] = [h["id"] for h in article.select("h2")]
            bib = article.select_one("pre.vlm-entry-bibtex").get_text()
            assert bib.startswith(f"@misc{{{entry['id']},")
            paper = entry["paper"] if collection == "models" else entry["papers"][0]
            assert paper in bib and paper in {a["href"] for a in article.select("a[href]")}
        assert sections["zh"] == sections["en"] == list(entry_pages.SECTIONS), entry["id"]


def test_corrections_show_the_survey_value_and_the_paper_value(site: Path) -> None:
    corrected = [(c, e) for c, e in ENTRIES if e.get("corrections")]
    assert corrected
    for collection, entry in corrected:
        for lang in LANGS:
            table = soup(entry_page(site, lang, collection, entry["id"])).select_one("table[data-vlm-entry=corrections]")
            text = table.get_text()
            for correction in entry["corrections"]:
                assert correction["survey"] in text and correction["original"] in text
                assert correction["note"][lang] in text


@pytest.mark.parametrize("lang", LANGS)
def test_table_rows_link_to_the_entry_pages(site: Path, lang: str) -> None:
    from test_site import local_target

    for collection, page in TABLE_PAGES.items():
        path = page_path(site, lang, page)
        linked = {}
        for row in soup(path).select(f"table[data-vlm-table={collection}] tbody tr[data-entry]"):
            target, _ = local_target(site, path, row.select_one("td[data-col=name] a")["href"])
            linked[row["data-entry"]] = target
        assert linked == {e["id"]: entry_page(site, lang, collection, e["id"]) for e in CATALOG.entries(collection)}


def test_entry_pages_are_in_the_sitemap_and_the_search_index(site: Path) -> None:
    for lang in LANGS:
        base = site / LANGS[lang]
        sitemap = (base / "sitemap.xml").read_text(encoding="utf-8")
        index = json.loads((base / "search" / "search_index.json").read_text(encoding="utf-8"))
        locations = {doc["location"].split("#")[0] for doc in index["docs"]}
        prefix = SITE_URL + ("en/" if lang == "en" else "")
        for collection, entry in ENTRIES:
            url = f"{collection}/{entry['id']}/"
            assert f"<loc>{prefix}{url}</loc>" in sitemap, f"{lang}: {url} not in sitemap"
            assert url in locations, f"{lang}: {url} not in the search index"


def test_related_entries_follow_the_data(site: Path) -> None:
    children = {m["id"]: [c["name"] for c in CATALOG.models if m["id"] in c.get("based_on", [])] for m in CATALOG.models}
    for model in CATALOG.models:
        related = soup(entry_page(site, "en", "models", model["id"])).select_one("h2#related").find_next_siblings("p")
        text = " ".join(p.get_text() for p in related)
        for parent in model.get("based_on", []):
            assert next(m["name"] for m in CATALOG.models if m["id"] == parent) in text
        assert all(name in text for name in children[model["id"]])
    embodied = [b for b in CATALOG.benchmarks if b["category"] == "embodied"]
    assert len(embodied) - 1 > entry_pages.MAX_PEERS, "the sample needs more peers than a page lists"
    sample = embodied[0]
    page = soup(entry_page(site, "zh", "benchmarks", sample["id"]))
    peers = [a["href"] for a in page.select_one("h2#related").find_next_sibling("p").select("a")]
    years = {f"../{b['id']}/": abs(b["year"] - sample["year"]) for b in embodied if b is not sample}
    assert len(peers) == entry_pages.MAX_PEERS and set(peers) <= set(years)
    assert max(years[p] for p in peers) <= min(years[p] for p in set(years) - set(peers)), "not the nearest in year"


def _related_by_scanning(collection: str, entry: dict[str, Any], catalog: list[dict[str, Any]]) -> list[Any]:
    """The related lists as the definition says, read off the whole collection for one entry (quadratic)."""
    others = [e for e in catalog if e["id"] != entry["id"]]
    group = "connector" if collection == "models" else "category"
    nearest = sorted((e for e in others if e[group] == entry[group]),
                     key=lambda e: (abs(e["year"] - entry["year"]), e["name"].casefold()))[:entry_pages.MAX_PEERS]
    groups = [("entry.same_connector" if collection == "models" else "entry.same_category", nearest)]
    if collection == "models":
        parents = [next(e for e in catalog if e["id"] == p) for p in entry.get("based_on", [])]
        groups[:0] = [("entry.based_on", parents),
                      ("entry.successors", [e for e in others if entry["id"] in e.get("based_on", [])])]
    return [(key, [(f'../{e["id"]}/', e["name"]) for e in found]) for key, found in groups if found]


@pytest.mark.parametrize("collection", ["models", "benchmarks"])
def test_the_related_index_finds_what_scanning_finds(collection: str) -> None:
    """`Related` reads each page's lists off an index (bench/: the site grows linearly with the data); on a
    collection with many ties in year, group and name (in catalog order), it finds what a scan of every entry
    finds."""
    rng = random.Random(12)
    catalog = []
    for n in range(80):  # a few per year and group: the nearest peers come from several years
        entry = {"id": f"e{n}", "name": rng.choice(["Alpha", "alpha", "Beta"]),
                 "year": rng.choice([2019, 2020, 2021, 2022, 2023, 2025]), "connector": rng.choice("ab"),
                 "category": rng.choice("xy")}
        if n and rng.random() < 0.3:
            entry["based_on"] = [f"e{rng.randrange(n)}"]
        catalog.append(entry)
    catalog.sort(key=lambda e: (e["year"], e["name"].casefold()))
    related = entry_pages.Related(collection, catalog)
    for entry in catalog:
        assert related.groups(entry) == _related_by_scanning(collection, entry, catalog), entry["id"]


def hostile_entry() -> dict[str, Any]:
    entry = dict(CATALOG.models[0])
    entry.update(name='<script>alert(1)</script>{{ config }} [x](javascript:alert(2)) *em*',
                 summary={"zh": '"><img src=x onerror=alert(3)>', "en": "{% include 'x' %} $x$ | a"},
                 organization="A & B <b>")
    return entry


@pytest.mark.parametrize("lang", LANGS)
def test_data_in_an_entry_page_is_text(lang: str) -> None:
    entry = hostile_entry()
    source = entry_pages.page_markdown("models", entry, [entry], lang, SITE_URL, "https://github.com/x/y")
    meta, body = split_front_matter(source)
    assert meta["render_macros"] is False, "Jinja in data must not run"
    assert "<script>" not in meta["title"] and "<img" not in meta["description"], "the theme prints these raw"
    html = markdown.markdown(body, extensions=["attr_list", "md_in_html", "tables", "pymdownx.arithmatex"],
                             extension_configs={"pymdownx.arithmatex": {"generic": True}})
    document = BeautifulSoup(html, "html.parser")
    assert not document.find(["script", "img", "b", "em"]) and not document.select(".arithmatex")
    assert not [a for a in document.find_all("a") if a["href"].startswith("javascript")]
    assert document.h1.get_text() == entry["name"]
    assert document.select_one("p.vlm-entry-summary").get_text() == entry["summary"][lang]
    assert t(lang, "entry.details") in document.get_text()
