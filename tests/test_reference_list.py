"""The references page lists every work the chapters cite, in each language (it says so: "every work cited
across this site"). A work is known by its address: an arXiv paper by its number, whichever form of the
address (abs, pdf, a version); an IEEE paper by its article number; anything else by its address."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import CORE_CHAPTERS, LANGS, ROOT

LINK = re.compile(r"\]\((https?://[^)\s]+)\)")
ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})")
IEEE = re.compile(r"ieeexplore\.ieee\.org/(?:document/|stamp/stamp\.jsp\?.*?arnumber=)(\d+)")
NOT_WORKS = ("http://creativecommons.org/", "https://creativecommons.org/")  # the content licence


def work(url: str) -> str:
    """The work an address names."""
    for pattern, kind in ((ARXIV, "arXiv"), (IEEE, "IEEE")):
        found = pattern.search(url)
        if found:
            return f"{kind} {found.group(1)}"
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def cited(page: Path) -> set[str]:
    return {work(url) for url in LINK.findall(page.read_text(encoding="utf-8")) if not url.startswith(NOT_WORKS)}


def test_work_names_one_paper_in_each_form() -> None:
    assert work("https://arxiv.org/pdf/2304.08485v2.pdf") == work("https://arxiv.org/abs/2304.08485") == "arXiv 2304.08485"
    assert work("https://ieeexplore.ieee.org/document/10610216") == \
        work("https://ieeexplore.ieee.org/stamp/stamp.jsp?tp=&arnumber=10610216") == "IEEE 10610216"


@pytest.mark.parametrize("lang", list(LANGS))
def test_every_cited_work_is_on_the_references_page(lang: str) -> None:
    docs = ROOT / "docs" / lang
    listed = cited(docs / "references.md")
    missing = {f"{page}.md: {w}" for page in CORE_CHAPTERS for w in cited(docs / f"{page}.md") - listed}
    assert not missing, f"{lang}: works cited but not on references.md:\n" + "\n".join(sorted(missing))


def test_both_references_pages_list_the_same_works() -> None:
    works = {lang: cited(ROOT / "docs" / lang / "references.md") for lang in LANGS}
    first = next(iter(works.values()))
    for lang, listed in works.items():
        assert listed == first, f"{lang}: differs from the other language: {sorted(listed ^ first)}"
