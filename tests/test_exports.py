"""The data exports: written once into the site root, equal to the YAML, linked from the table pages,
and "download this view" in a real browser gives exactly the rows a filter left visible."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from helpers import LANGS, ROOT, page_path, soup
from macros import exports
from macros.catalog import load_catalog

CATALOG = load_catalog(ROOT)
SCHEMAS = {c: json.loads((ROOT / "data" / "schema" / f"{c[:-1]}.schema.json").read_text(encoding="utf-8"))
           for c in exports.COLLECTIONS}
TABLE_PAGES = {"models": "architecture", "benchmarks": "benchmarks"}
SITE_URL = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)


def expected(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry as the export should carry it: every field from YAML, nothing private."""
    return {key: value for key, value in entry.items() if not key.startswith("_")}


def folded(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip()


def bib_entries(text: str) -> dict[str, str]:
    """key -> whole entry, for every @type{key, ...} in a .bib file."""
    return {m.group(1): m.group(0) for m in re.finditer(r"^@\w+\{([^,\s]+),.*?^\}", text, re.M | re.S)}


@pytest.mark.parametrize("collection", exports.COLLECTIONS)
def test_json_export_equals_the_data(site: Path, collection: str) -> None:
    document = json.loads((site / "data" / f"{collection}.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d+\.\d+", document["schema_version"])
    assert document["collection"] == collection and document["license"] == "CC-BY-4.0"
    entries = CATALOG.entries(collection)
    assert document["count"] == len(entries) == len(document["entries"])
    for exported, entry in zip(document["entries"], entries):
        pages = exported.pop("pages")
        assert exported == expected(entry)
        assert list(exported) == [f for f in SCHEMAS[collection]["properties"] if f in exported], "schema order"
        for lang, url in pages.items():
            assert url.endswith(f"/{collection}/{entry['id']}/")
            assert url.startswith(SITE_URL)
            assert (site / url[len(SITE_URL):] / "index.html").is_file(), f"{lang}: {url} is not a page of the site"


@pytest.mark.parametrize("collection", exports.COLLECTIONS)
def test_csv_export_equals_the_data(site: Path, collection: str) -> None:
    text = (site / "data" / f"{collection}.csv").read_text(encoding="utf-8")
    entries = CATALOG.entries(collection)
    assert len(text.splitlines()) == len(entries) + 1, "one line per entry (the view download relies on it)"
    rows = list(csv.DictReader(io.StringIO(text)))
    properties = SCHEMAS[collection]["properties"]
    assert next(iter(rows[0])) == "id"
    for row, entry in zip(rows, entries, strict=True):
        for field, rule in properties.items():
            value = entry.get(field)
            if rule.get("$ref") == "#/$defs/bilingual":
                for lang in LANGS:
                    assert row[f"{field}_{lang}"] == (folded(value[lang]) if value else ""), (entry["id"], field)
            elif value is None:
                assert row[field] == "", (entry["id"], field)
            elif isinstance(value, bool):
                assert row[field] == str(value).lower()
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                assert json.loads(row[field]) == value
            elif isinstance(value, list):
                assert row[field].split("; ") == [str(v) for v in value], (entry["id"], field)
            elif isinstance(value, float):
                assert float(row[field]) == value
            else:
                assert row[field] == folded(value), (entry["id"], field)


def test_bibtex_export_has_the_survey_and_every_paper(site: Path) -> None:
    text = (site / "references.bib").read_text(encoding="utf-8")
    entries = bib_entries(text)
    for lang in LANGS:
        page = (ROOT / "docs" / lang / "references.md").read_text(encoding="utf-8")
        for block in re.findall(r"```bibtex\n(.*?)```", page, re.S):
            assert folded(block) in folded(text), f"{lang}/references.md entry missing from references.bib"
    papers = {**{m["id"]: m["paper"] for m in CATALOG.models},
              **{b["id"] if n == 0 else f'{b["id"]}_{n + 1}': url
                 for b in CATALOG.benchmarks for n, url in enumerate(b["papers"])}}
    assert set(papers) <= set(entries)
    assert len(entries) == len(papers) + 3, "the survey's three entries, then one per paper"
    for key, url in papers.items():
        entry = entries[key]
        assert re.search(r"^\s+url\s+= \{" + re.escape(url) + r"\},$", entry, re.M), f"{key}: no url {url}"
        assert entry.count("{") == entry.count("}"), f"{key}: unbalanced braces"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("collection", exports.COLLECTIONS)
def test_table_pages_link_the_exports(site: Path, lang: str, collection: str) -> None:
    from test_site import local_target

    path = page_path(site, lang, TABLE_PAGES[collection])
    box = soup(path).select_one(f"[data-vlm-downloads={collection}]")
    assert box is not None, f"{lang}: no download links on the {collection} page"
    targets = {local_target(site, path, a["href"])[0] for a in box.select("a[href]")}
    assert targets == {site / "data" / f"{collection}.csv", site / "data" / f"{collection}.json",
                       site / "references.bib"}
    assert [b["data-format"] for b in box.select("button[data-format]")] == ["csv", "json", "bibtex"]


def download(page: Any, selector: str) -> str:
    with page.expect_download() as info:
        page.click(selector)
    return Path(info.value.path()).read_text(encoding="utf-8")


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_download_this_view_gives_the_visible_rows(page: Any, server: str, lang: str) -> None:
    """Hide rows the way a filter does (`hidden`, display: none), then download each format."""
    page.goto(f"{server}/{'en/' if lang == 'en' else ''}architecture/")
    shown = page.evaluate("""() => {
        const rows = [...document.querySelectorAll('table[data-vlm-table=models] tbody tr[data-entry]')];
        rows.forEach((row, i) => {
            if (row.dataset.paradigm !== 'llm-backbone') row.hidden = true;
            else if (i % 3 === 0) row.style.display = 'none';
        });
        return rows.filter(r => !r.hidden && r.style.display !== 'none').map(r => r.dataset.entry);
    }""")
    assert 3 < len(shown) < len(CATALOG.models)
    box = "[data-vlm-downloads=models]"
    as_json = json.loads(download(page, f"{box} button[data-format=json]"))
    assert [e["id"] for e in as_json["entries"]] == shown and as_json["count"] == len(shown)
    assert as_json["schema_version"] == exports.SCHEMA_VERSION
    as_csv = list(csv.DictReader(io.StringIO(download(page, f"{box} button[data-format=csv]"))))
    assert [row["id"] for row in as_csv] == shown
    as_bib = bib_entries(download(page, f"{box} button[data-format=bibtex]"))
    assert list(as_bib) == shown
    assert page.console_errors == []
