"""Hostile but legal text in every text field of the data reaches readers as the text it is.

Every text field of a model, a benchmark, their corrections and a glossary term holds emoji and
CJK Extension B characters (outside the Basic Multilingual Plane: a JSON-written front matter turned
them into surrogate pairs, which made MkDocs drop the whole front matter) next to Jinja's `{{ }}`,
`{% %}` and `{# #}` and a payload that would create a file if any template engine ran it. One build
of a repository copy holding them (conftest's `augmented` build, which other scenarios add to) must show
each value literally in every language: in the tables,
on the entry pages, in tooltips, in the search index and in the exports. Pages that do not opt in to
macros show template syntax as text too.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path
from urllib.parse import unquote
from typing import Any, Iterator

import pytest
import yaml
from mkdocs.utils.meta import get_data

from bad_inputs import BENCHMARK, MODEL
from helpers import LANGS, soup, write_files
from vlm_survey import entry_pages, exports, tables

TEMPLATE = "😀𠀀 {{ 7*7 }} {% if 1 %}RAN{% endif %} {# c #} {{ lipsum.__globals__.os.popen('touch PWNED') }}"
MARKUP = ('<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> [x](javascript:window.pwned=3) '
          '" onmouseover="window.pwned=4" x=" a | b <!-- </td></tr></table> -->')
SENTINEL = "{{ 6 * 7 }} stays text on a page without render_macros"


def hostile(tag: str, markup: bool = True) -> str:
    """A value that names its field (so a failure says which), with template syntax and (`markup`) HTML."""
    return f"⟪{tag}⟫ {TEMPLATE}" + (f" {MARKUP}" if markup else "")


def both(tag: str) -> dict[str, str]:
    return {"zh": hostile(f"{tag}.zh"), "en": hostile(f"{tag}.en") + "\nnext | line"}


HOSTILE_MODEL = {
    **{field: hostile(field) for field in ("name", "organization", "vision_encoder", "llm_backbone", "parameters",
                                           "training_data", "source", "title")},
    "authors": [hostile("author")],
    "id": "hostile-model", "year": 2030, "connector_detail": both("connector_detail"), "summary": both("summary"),
    "corrections": [{"field": "parameters", "survey": hostile("correction.survey"),
                     "original": hostile("correction.original"), "note": both("correction.note")},
                    {"field": hostile("correction.field"), "survey": "1", "original": "2",
                     "note": both("correction2.note")}],
}
HOSTILE_BENCH = {
    **{field: hostile(f"bench.{field}") for field in ("name", "metric", "annotation", "source", "title")},
    "authors": [hostile("bench.author")],
    "id": "hostile-bench", "year": 2030, "domain": both("bench.domain"), "summary": both("bench.summary"),
    "note": both("bench.note"),
}
HOSTILE_TERM = {"id": "hostile-term", "en": hostile("term.en", markup=False), "zh": hostile("term.zh", markup=False),
                "abbr": "HSTL",
                "definition": both("term.definition")}
SECTION = """

## Hostile entries { #hostile-entries }

HSTL

{{ model_table(columns=COLUMNS_M, year_from=2030) }}

{{ benchmark_table(columns=COLUMNS_B, year_from=2030) }}
""".replace("COLUMNS_M", json.dumps(tables.MODEL_COLUMNS)).replace("COLUMNS_B", json.dumps(tables.BENCHMARK_COLUMNS))


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def values_in(entry: dict[str, Any], lang: str) -> Iterator[tuple[str, str]]:
    """(tag, value) of every hostile text of an entry that a reader of `lang` sees."""
    def walk(value: Any) -> Iterator[str]:
        if isinstance(value, dict):
            yield from walk(value[lang]) if set(value) == {"zh", "en"} else (v for x in value.values() for v in walk(x))
        elif isinstance(value, list):
            yield from (v for item in value for v in walk(item))
        elif isinstance(value, str) and TEMPLATE in value:
            yield value
    for text in walk(entry):
        yield text[1:text.index("⟫")], text


def augment(repo: Path) -> None:
    """Add the hostile entries and glossary term to the working copy, the section that lists them to each
    language's contributing page, and the sentinel to each introduction (conftest's `augmented` build)."""
    model = {**yaml.safe_load(MODEL), **HOSTILE_MODEL}
    bench = {**yaml.safe_load(BENCHMARK), **HOSTILE_BENCH}
    glossary = yaml.safe_load((repo / "data" / "glossary.yaml").read_text(encoding="utf-8"))
    glossary["terms"].append(HOSTILE_TERM)
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    write_files(repo, {"data/models/hostile-model.yaml": dump(model), "data/benchmarks/hostile-bench.yaml": dump(bench),
                       "data/glossary.yaml": dump(glossary)})
    for lang in LANGS:
        page = repo / "docs" / lang / "contributing.md"
        page.write_text("---\nrender_macros: true\n" + page.read_text(encoding="utf-8").removeprefix("---\n")
                        + SECTION, encoding="utf-8")
        intro = repo / "docs" / lang / "introduction.md"
        intro.write_text(intro.read_text(encoding="utf-8") + f"\n\n{SENTINEL}\n", encoding="utf-8")


# Where each engine writes a language's search index, and the list of documents in it.
SEARCH_INDEX = {"mkdocs": ("search/search_index.json", "docs"), "zensical": ("search.json", "items")}


@pytest.fixture(scope="module", params=SEARCH_INDEX)
def hostile_build(request: pytest.FixtureRequest) -> tuple[Path, Path]:
    """(repository copy, site): the real data plus the hostile entries (and the other scenarios' additions),
    built by the strict build of each engine: Zensical's macro emulation must not run data either."""
    return request.getfixturevalue("augmented" if request.param == "mkdocs" else "augmented_zensical")


def search_index(site: Path, sub: str) -> tuple[str, list[dict[str, Any]]]:
    """(the raw text, the documents) of the search index of the language in `sub`, whichever engine built it."""
    for path, key in SEARCH_INDEX.values():
        if (site / sub / path).is_file():
            raw = (site / sub / path).read_text(encoding="utf-8")
            return raw, json.loads(raw)[key]
    raise AssertionError(f"no search index in {site / sub}")


def test_no_template_engine_ran_data(hostile_build: tuple[Path, Path]) -> None:
    repo, site = hostile_build
    assert not (repo / "PWNED").exists() and not Path("PWNED").exists()
    # Shown as text, RAN follows the `%}` of its `{% if 1 %}` (in a link's query, `%25%7D`: the "report an error"
    # link names the entry); rendered, the `{% if %}` would be gone.
    ran = [p for p in site.rglob("*.html")
           if re.search(r"(?<!\})RAN", unquote(html.unescape(p.read_text(encoding="utf-8"))))]
    assert not ran, "a {% if %} from data was rendered"


@pytest.mark.parametrize("lang", LANGS)
def test_tables_show_every_value_as_text(hostile_build: tuple[Path, Path], lang: str) -> None:
    _, site = hostile_build
    section = soup(site / LANGS[lang] / "contributing" / "index.html").select_one("h2#hostile-entries")
    model_table, bench_table = section.find_all_next("table", attrs={"data-vlm-table": True})[:2]
    for table, entry, kind in ((model_table, HOSTILE_MODEL, "model"), (bench_table, HOSTILE_BENCH, "benchmark")):
        row = table.select_one(f"tr#{kind}-{entry['id']}")
        header = [th["data-col"] for th in table.select("thead th")]
        assert [td["data-col"] for td in row.find_all("td", recursive=False)] == header, "the row's cells moved"
        shown = folded(row.get_text(" "))
        tooltips = " ".join(folded(e["title"]) for e in row.select("[title]"))
        for tag, value in values_in(entry, lang):
            if tag.endswith(("source", "title", "author")):
                continue  # the source and the paper's title and authors are on the entry page, not in the table
            # In Chinese a metric or annotation shows its kinds in Chinese, the survey's wording on hover
            in_title = tag.startswith(("connector_detail", "correction.original")) or \
                (lang == "zh" and tag in ("bench.metric", "bench.annotation"))
            where = tooltips if in_title else shown
            assert folded(value) in where, f"{lang} {kind} table: {tag}"
        assert not row.find(["script", "img", "table"])
        assert row.select_one("td[data-col=summary]").get_text() == folded(entry["summary"][lang])
    connector = model_table.select_one(f"tr#model-{HOSTILE_MODEL['id']} td[data-col=connector] span[title]")
    assert connector["title"] == folded(HOSTILE_MODEL["connector_detail"][lang]) and len(connector.attrs) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_entry_pages_show_every_value_as_text(hostile_build: tuple[Path, Path], lang: str) -> None:
    _, site = hostile_build
    for collection, entry in (("models", HOSTILE_MODEL), ("benchmarks", HOSTILE_BENCH)):
        document = soup(site / LANGS[lang] / collection / entry["id"] / "index.html")
        article = folded(document.select_one("article").get_text(" "))
        for tag, value in values_in(entry, lang):
            assert folded(value) in article, f"{lang} {collection} page: {tag}"
        assert document.select_one("h1").get_text() == folded(entry["name"])
        assert document.select_one('meta[name="description"]')["content"] == folded(entry["summary"][lang])
        assert document.title.get_text().startswith(folded(entry["name"]))


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_tooltips_and_table_show_the_term_as_text(hostile_build: tuple[Path, Path], lang: str) -> None:
    _, site = hostile_build
    abbr = soup(site / LANGS[lang] / "contributing" / "index.html").select_one("h2#hostile-entries").find_next("abbr")
    full = f'{HOSTILE_TERM["zh"]}（{HOSTILE_TERM["en"]}）' if lang == "zh" else HOSTILE_TERM["en"]
    assert abbr.get_text() == "HSTL" and abbr["title"] == folded(full)
    row = soup(site / LANGS[lang] / "glossary" / "index.html").select_one("tr#term-hostile-term")
    for key in ("zh", "en"):
        assert folded(HOSTILE_TERM[key]) in folded(row.get_text(" "))
    assert folded(HOSTILE_TERM["definition"][lang]) in folded(row.get_text(" "))


@pytest.mark.parametrize("lang", LANGS)
def test_search_index_holds_every_value_as_text(hostile_build: tuple[Path, Path], lang: str) -> None:
    _, site = hostile_build
    _, documents = search_index(site, LANGS[lang])
    for collection, entry in (("models", HOSTILE_MODEL), ("benchmarks", HOSTILE_BENCH)):
        docs = [d for d in documents if d["location"].startswith(f"{collection}/{entry['id']}/")]
        assert docs, f"{lang} search: no document of {collection}/{entry['id']}"
        # The index holds HTML (the theme shows it as such); the Chinese one marks words with U+200B.
        text = " ".join(d["title"] + " " + re.sub(r"<[^>]+>", " ", d["text"]) for d in docs)
        text = folded(html.unescape(text).replace("\u200b", ""))
        # The data source, and the section of corrections and notes, are left out of the index
        # (templates/entry_page.md).
        indexed = {field: value for field, value in entry.items() if field not in ("corrections", "note", "source")}
        for tag, value in values_in(indexed, lang):
            assert folded(value) in text, f"{lang} search: {tag}"


def test_exports_hold_every_value_as_written(hostile_build: tuple[Path, Path]) -> None:
    _, site = hostile_build
    for collection, entry in (("models", HOSTILE_MODEL), ("benchmarks", HOSTILE_BENCH)):
        exported = json.loads((site / "data" / f"{collection}.json").read_text(encoding="utf-8"))["entries"]
        [row] = [e for e in exported if e["id"] == entry["id"]]
        for key, value in entry.items():
            assert row[key] == value, f"{collection}.json: {key}"
        [line] = [r for r in csv.DictReader(io.StringIO((site / "data" / f"{collection}.csv").read_text(
            encoding="utf-8"))) if r["id"] == entry["id"]]
        for key, value in entry.items():
            if isinstance(value, dict):
                assert [line[f"{key}_{lang}"] for lang in LANGS] == [folded(value[lang]) for lang in LANGS], key
            elif isinstance(value, list) and all(isinstance(item, str) for item in value):
                assert line[key] == exports.LIST_SEPARATOR.join(folded(item) for item in value), key
            elif isinstance(value, list):
                assert json.loads(line[key]) == value, key
            elif isinstance(value, str):
                assert line[key] == folded(value), key


@pytest.mark.parametrize("lang", LANGS)
def test_a_page_without_render_macros_is_not_a_template(hostile_build: tuple[Path, Path], lang: str) -> None:
    _, site = hostile_build
    article = soup(site / LANGS[lang] / "introduction" / "index.html").select_one("article").get_text(" ")
    assert SENTINEL in article and "42 stays text" not in article


def test_entry_front_matter_reads_back_with_characters_outside_the_bmp() -> None:
    """MkDocs must read the generated front matter back exactly: a JSON-written one came back empty."""
    entry = {**yaml.safe_load(MODEL), **HOSTILE_MODEL, "_file": "data/models/hostile-model.yaml"}
    for lang in LANGS:
        page = entry_pages.page_markdown("models", entry, [entry], lang, "https://example.org/", "https://example.org/r")
        _, meta = get_data(page)
        assert meta == {"title": str(tables.text(entry["name"])),
                        "description": str(tables.text(entry["summary"][lang])), "render_macros": False}
        assert "😀" in meta["title"] and "𠀀" in meta["description"]


def test_front_matter_that_does_not_read_back_fails() -> None:
    with pytest.raises(ValueError, match="models/x.md: its front matter does not read back"):
        entry_pages.front_matter({"title": "a", "score": float("nan")}, "models/x.md")


def test_a_generated_page_with_template_syntax_fails() -> None:
    with pytest.raises(ValueError, match=r"models/x.md, line 2: holds template syntax '\{\{'"):
        entry_pages.inert("ok\n<p>{{ 7 * 7 }}</p>\n", "models/x.md")
    assert entry_pages.inert("## Details { #details }\n", "models/x.md")  # an attribute list is not Jinja


@pytest.mark.parametrize(("call", "message"), [
    ({"columns": "name"}, "model_table(): columns='name' must be a list of column names"),
    ({"columns": ["name", 3]}, "model_table(): columns=['name', 3] must be a list of column names"),
    ({"year_from": "2023"}, "model_table(): year_from='2023' must be a whole number, e.g. year_from=2023"),
    ({"year_to": True}, "model_table(): year_to=True must be a whole number"),
    ({"open_weights": "yes"}, "model_table(): open_weights='yes' must be True or False"),
    ({"paradigm": 3}, "model_table(): paradigm=3 must be text"),
])
def test_macro_arguments_of_the_wrong_type_are_refused(call: dict[str, Any], message: str) -> None:
    columns = call.pop("columns", None)
    with pytest.raises(TypeError) as raised:
        tables.check_arguments("model_table", columns, call)
    assert str(raised.value).startswith(message)


def test_no_page_carries_code_from_data(hostile_build: tuple[Path, Path]) -> None:
    """Across the whole site: no script from data, no event-handler attribute, no script URL."""
    _, site = hostile_build
    showing = [p for p in sorted(site.rglob("*.html")) if "pwned" in p.read_text(encoding="utf-8")]
    assert len(showing) >= 8, "the hostile entries are on too few pages"
    for path in showing:
        document = soup(path)
        where = path.relative_to(site)
        assert not [s for s in document.find_all("script") if "pwned" in s.get_text()], where
        assert not [e.name for e in document.find_all(True) if any(a.startswith("on") for a in e.attrs)], where
        assert not document.select('a[href^="javascript:"], [src^="javascript:"], img[src="x"]'), where
    for sub in LANGS.values():
        index, _ = search_index(site, sub)
        assert "pwned" in index and "<script>window.pwned" not in index and "<img src=x" not in index


@pytest.mark.browser
def test_nothing_runs_in_the_browser(browser: Any, augmented_server: str) -> None:
    """Open the pages that show the hostile entries in full, hover their cells and tooltips, and search for
    them in both languages: no script runs, and search results show the text as it is."""
    pages = [f"{sub}/{path}" if sub else path for sub in LANGS.values()
             for path in ("contributing", "glossary", "models/hostile-model", "benchmarks/hostile-bench")]
    context = browser.new_context()
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for path in pages:
            tab.goto(f"{augmented_server}/{path}/")
            for cell in tab.locator("article tr[id*=hostile] td, article abbr, article tr[id*=hostile] [title]").all()[:40]:
                if cell.is_visible():
                    cell.hover()
                    if cell.evaluate("e => e.tagName") == "ABBR":
                        cell.click()  # a tap shows the expansion (extra.js)
            assert tab.evaluate("typeof window.pwned") == "undefined", f"a script ran on /{path}/"
        for sub in LANGS.values():
            tab.goto(f"{augmented_server}/{sub + '/' if sub else ''}contributing/")
            field = tab.locator(".md-search__input")
            field.click()
            field.fill("lipsum")
            field.press("End")
            tab.wait_for_selector(".md-search-result__item")
            assert tab.locator(".md-search-result img, .md-search-result script").count() == 0
            titles = tab.locator(".md-search-result__item h1").all_inner_texts()
            assert any("{{ 7*7 }}" in title for title in titles), titles
            assert tab.evaluate("typeof window.pwned") == "undefined", f"search on /{sub} ran a script"
    finally:
        context.close()
    assert dialogs == []
