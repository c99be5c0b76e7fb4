"""Citable data (issue 13): every entry names its paper's title and authors, and where the survey linked the
wrong source, the reader's link, the exports and the BibTeX use the right one while the survey's link stays
visible as a correction. Read from the built site."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from helpers import LANGS, ROOT, soup
from vlm_survey.catalog import load_catalog
from vlm_survey.citation import escape_bibtex

CATALOG = load_catalog(ROOT)
LINKS = {"models": "paper", "benchmarks": "papers"}


def link_corrections() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(collection, entry, correction) of every correction the survey's link needed."""
    return [(collection, entry, c) for collection, field in LINKS.items() for entry in CATALOG.entries(collection)
            for c in entry.get("corrections", []) if c["field"] == field]


def primary(collection: str, entry: dict[str, Any]) -> str:
    return entry["paper"] if collection == "models" else entry["papers"][0]


def test_the_survey_s_wrong_links_are_corrected() -> None:
    """GPT-4V's link was a Microsoft study, Claude 3's the claude.ai chat page: both now point at their own card."""
    fixed = {entry["id"]: primary(collection, entry) for collection, entry, _ in link_corrections()}
    assert "cdn.openai.com" in fixed.get("gpt-4v", ""), fixed
    assert "anthropic.com" in fixed.get("claude-3", ""), fixed
    for collection, entry, correction in link_corrections():
        assert correction["survey"] != primary(collection, entry), f"{entry['_file']}: the correction repeats the link"


@pytest.mark.parametrize("collection", sorted(LINKS))
def test_every_entry_has_title_and_authors(collection: str) -> None:
    missing = [e["_file"] for e in CATALOG.entries(collection) if not (e.get("title") and e.get("authors"))]
    assert not missing, f"entries without title or authors: {missing}"


@pytest.mark.parametrize("lang", list(LANGS))
def test_readers_follow_the_right_link_and_see_the_survey_s(site: Path, lang: str) -> None:
    base = site / LANGS[lang]
    for collection, entry, correction in link_corrections():
        page = soup(base / collection / entry["id"] / "index.html")
        links = [a["href"] for a in page.select(".vlm-entry-links a")]
        assert primary(collection, entry) in links and correction["survey"] not in links, (entry["id"], links)
        fixes = page.select_one("table[data-vlm-entry=corrections]")
        assert fixes is not None and correction["survey"] in fixes.get_text(), f"{entry['id']}: survey link hidden"


def bib_field(name: str, value: str) -> re.Pattern[str]:
    """A BibTeX field line as citation.bibtex writes it, whatever its padding."""
    return re.compile(rf"\n    {name} +=  ?{re.escape(value)},?\n")


def test_exports_and_bibtex_use_the_right_link(site: Path) -> None:
    bib = (site / "references.bib").read_text(encoding="utf-8")
    for collection, entry, correction in link_corrections():
        document = json.loads((site / "data" / f"{collection}.json").read_text(encoding="utf-8"))
        row = next(e for e in document["entries"] if e["id"] == entry["id"])
        assert row[LINKS[collection]] == entry[LINKS[collection]], entry["id"]
        assert bib_field("url", "{" + primary(collection, entry) + "}").search(bib), f"{entry['id']}: not in BibTeX"
        assert correction["survey"] not in bib, f"{entry['id']}: the BibTeX cites the survey's link"
    for collection in LINKS:
        for entry in CATALOG.entries(collection):
            assert bib_field("title", "{{" + escape_bibtex(entry["title"]) + "}}").search(bib), \
                f"{entry['_file']}: its title is not in references.bib"
