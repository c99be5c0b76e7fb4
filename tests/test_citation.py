"""CITATION.cff and the "cite this page" block on every chapter, in both languages, agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from helpers import LANGS, LANGUAGES, ROOT, page_path, soup, source_pages
from vlm_survey import citation

CFF = citation.load_cff(ROOT)
PAGES = source_pages(LANGUAGES[0].code)
SITE_NAMES = {language.code: language.site_name for language in LANGUAGES}  # from languages.yml


def config_value(config: str, key: str) -> str:
    return re.search(rf"^{key}:\s*(.+)$", (ROOT / config).read_text(encoding="utf-8"), re.M).group(1).strip()


def bib_fields(entry: str) -> dict[str, str]:
    return dict(re.findall(r"^\s+(\w+)\s+= \{(.*)\},?$", entry, re.M))


def test_citation_cff_describes_this_site() -> None:
    assert CFF["cff-version"] == "1.2.0" and CFF["message"] and CFF["authors"]
    assert CFF["title"] == SITE_NAMES["en"]
    assert CFF["url"] == config_value("mkdocs.yml", "site_url")
    assert CFF["repository-code"] == config_value("mkdocs.yml", "repo_url")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert CFF["version"] == pyproject["project"]["version"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(CFF["date-released"]))
    assert set(CFF["license"]) == {"CC-BY-4.0", "MIT"}
    survey = CFF["references"][0]
    assert survey["doi"] in citation.SURVEY_BIBTEX[0]


@pytest.mark.parametrize("lang", LANGS)
def test_every_chapter_has_a_cite_block_consistent_with_the_cff(site: Path, lang: str) -> None:
    from test_site import local_target

    site_name = SITE_NAMES[lang]
    for page in PAGES:
        path = page_path(site, lang, page)
        document = soup(path)
        block = document.select_one("article details#cite-this-page")
        assert block is not None and block.has_attr("data-search-exclude"), f"{lang}/{page}"
        fields = bib_fields(block.select_one("pre.vlm-cite-bibtex").get_text())
        title = document.select_one("article h1").get_text().replace("¶", "").strip()
        canonical = document.select_one("link[rel=canonical]")["href"]
        assert fields["author"] == "{" + CFF["authors"][0]["name"] + "}"
        assert fields["year"] == str(CFF["date-released"])[:4]
        assert CFF["version"] in fields["note"]
        assert fields["title"] == citation.escape_bibtex(title) and fields["url"] == canonical
        assert fields["howpublished"] == site_name
        plain = block.select_one("p.vlm-cite-plain").get_text()
        assert all(part in plain for part in (title, canonical, CFF["authors"][0]["name"], CFF["version"], site_name))
        survey_link = block.select("a[href]")[-1]["href"]
        assert local_target(site, path, survey_link) == (page_path(site, lang, "references"), "cite-the-survey")


def test_cite_blocks_stay_out_of_the_search_index(site: Path) -> None:
    for lang in LANGS:
        index = (site / LANGS[lang] / "search" / "search_index.json").read_text(encoding="utf-8")
        assert "vlmsurvey-" not in index and "howpublished" not in index


def test_survey_entries_equal_the_references_page() -> None:
    for lang in LANGS:
        page = (ROOT / "docs" / lang / "references.md").read_text(encoding="utf-8")
        blocks = [re.sub(r"^    ", "", b, flags=re.M).strip() for b in re.findall(r"```bibtex\n(.*?)```", page, re.S)]
        assert blocks == list(citation.SURVEY_BIBTEX), f"{lang}/references.md and vlm_survey/citation.py differ"


def test_bibtex_values_are_escaped() -> None:
    value = citation.escape_bibtex("50% of {A} & B_c #1 $x$ \\ ~^ \n next")
    assert value == r"50\% of \{A\} \& B\_c \#1 \$x\$ \textbackslash{} \textasciitilde{}\textasciicircum{} next"
    [entry] = citation.entry_bibtex("models", {"id": "m", "name": "A}B{", "year": 2024, "organization": "O",
                                               "paper": "https://arxiv.org/pdf/2310.03744v2"}, "https://x/m/")
    fields = bib_fields(entry)
    assert entry.count("{") == entry.count("}")
    assert fields["eprint"] == "2310.03744" and fields["archivePrefix"] == "arXiv"
