"""The table renderer: localized, escaped, filterable, one anchor per row per page (no MkDocs)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from bs4 import BeautifulSoup

from vlm_survey import tables
from vlm_survey.i18n import LABELS, t


def model(**overrides: Any) -> dict[str, Any]:
    entry = {
        "id": "demo", "name": "Demo-VL", "year": 2023, "organization": "Example Lab",
        "architecture_type": "decoder-only", "paradigm": "llm-backbone", "vision_encoder": "CLIP ViT-L/14",
        "llm_backbone": "Vicuna", "connector": "mlp-projector", "parameters": "7B-13B", "training_data": "COCO",
        "open_weights": True, "paper": "https://arxiv.org/abs/2310.03744", "code": None,
        "summary": {"zh": "测试模型", "en": "A test model"}, "source": "tests", "survey_version": "v1",
    }
    return {**entry, **overrides}


def benchmark(**overrides: Any) -> dict[str, Any]:
    entry = {
        "id": "demo-bench", "name": "Demo-Bench", "year": 2024, "kind": "benchmark", "category": "hallucination",
        "domain": {"zh": "幻觉", "en": "Hallucination"}, "metric": "Yes/No", "metric_types": ["yes-no"],
        "annotation": "Human", "annotation_types": ["human"], "size_k": 1.5,
        "papers": ["https://arxiv.org/abs/2305.10355"], "project": [], "summary": {"zh": "测试", "en": "Test"},
        "source": "tests", "survey_version": "v1",
    }
    return {**entry, **overrides}


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_headers_are_in_the_page_language(lang: str) -> None:
    table = parse(tables.model_table([model()], lang))
    headers = [th.get_text() for th in table.select("thead th")]
    assert headers == [t(lang, f"col.{c}") for c in tables.DEFAULT_MODEL_COLUMNS]


def test_the_two_languages_differ_and_have_the_same_keys() -> None:
    assert LABELS["zh"].keys() == LABELS["en"].keys()
    zh = parse(tables.model_table([model()], "zh")).select_one("td[data-col=architecture_type]").get_text()
    en = parse(tables.model_table([model()], "en")).select_one("td[data-col=architecture_type]").get_text()
    assert zh != en and zh == LABELS["zh"]["architecture_type.decoder-only"]


def test_html_in_data_is_text() -> None:
    hostile = model(name='<script>alert(1)</script><img src=x onerror="alert(2)">',
                    summary={"zh": "<b>粗</b>", "en": "<b>bold</b>"})
    html = tables.model_table([hostile], "en", columns=["name", "summary"])
    soup = parse(html)
    assert not soup.find("script") and not soup.find("img") and not soup.find("b")
    assert "<script>alert(1)</script>" in soup.select_one("td[data-col=name]").get_text()


def test_jinja_in_data_stays_literal() -> None:
    entry = model(summary={"zh": "{{ config }}", "en": "{% include 'x' %}"})
    for lang, literal in (("zh", "{{ config }}"), ("en", "{% include 'x' %}")):
        cell = parse(tables.model_table([entry], lang, columns=["summary"])).select_one("td[data-col=summary]")
        assert cell.get_text() == literal


def test_pipes_and_newlines_keep_the_table_intact() -> None:
    entry = model(name="A | B\n\nC", training_data="x\ny | z")
    html = tables.model_table([entry], "en", columns=["name", "training_data", "year"])
    assert "\n" not in html
    rows = parse(html).select("tbody tr")
    assert len(rows) == 1 and len(rows[0].find_all("td")) == 3
    assert rows[0].select_one("td[data-col=training_data]").get_text() == "x y | z"


def test_markdown_link_syntax_in_a_name_is_not_a_link() -> None:
    entry = model(name="[click](javascript:alert(1))")
    cell = parse(tables.model_table([entry], "en", columns=["name"])).select_one("td[data-col=name]")
    assert [a["href"] for a in cell.find_all("a")] == ["https://arxiv.org/abs/2310.03744", "#model-demo"]


def test_filters_select_rows() -> None:
    rows = [model(id="a", year=2021, paradigm="from-scratch"), model(id="b", year=2023), model(id="c", year=2024)]
    html = tables.model_table(rows, "en", year_from=2023, paradigm="llm-backbone")
    assert [tr["id"] for tr in parse(html).select("tbody tr")] == ["model-b", "model-c"]


@pytest.mark.parametrize("call", [
    lambda: tables.model_table([model()], "en", year_form=2020),
    lambda: tables.model_table([model()], "en", columns=["nmae"]),
    lambda: tables.model_table([model()], "en", year_from=2030),
    lambda: tables.benchmark_table([benchmark()], "en", category="video"),
    lambda: tables.model_table([model()], "fr"),
])
def test_mistakes_in_a_page_fail_loudly(call: Any) -> None:
    with pytest.raises(ValueError):
        call()


def test_a_row_is_anchored_once_per_page() -> None:
    anchored: set[str] = set()
    first = parse(tables.model_table([model()], "en", anchored=anchored))
    second = parse(tables.model_table([model()], "en", anchored=anchored))
    assert first.select_one("tbody tr")["id"] == "model-demo"
    assert not second.select_one("tbody tr").has_attr("id")


@pytest.mark.parametrize(("text", "expected"), [
    ("13B", "13"), ("7B-72B", "72"), ("250M & 500M", "0.5"), ("3B/7B/72B", "72"), ("63M-355M", "0.355"),
    ("Undisclosed", None), ("1.5T", "1500"),
])
def test_parameter_sizes_sort_as_numbers(text: str, expected: str | None) -> None:
    assert tables.parameter_sort_key(text) == expected


def test_numeric_columns_carry_sort_keys() -> None:
    table = parse(tables.model_table([model()], "en", columns=["year", "parameters"]))
    assert [th.get("data-sort-method") for th in table.select("th")] == ["number", "number"]
    assert [td["data-sort"] for td in table.select("td")] == ["2023", "13"]


def test_corrections_show_both_values() -> None:
    entry = model(corrections=[{"field": "vision_encoder", "survey": "CLIP ViT-L/14", "original": "EVA2-CLIP-E",
                                "note": {"zh": "原论文用 EVA2-CLIP-E。", "en": "The paper uses EVA2-CLIP-E."}}])
    for lang in ("zh", "en"):
        table = parse(tables.model_table([entry], lang))
        notes = table.select_one("td[data-col=notes]").get_text()
        assert "CLIP ViT-L/14" in notes and "EVA2-CLIP-E" in notes and entry["corrections"][0]["note"][lang] in notes
        assert table.select_one("td[data-col=vision_encoder] sup.vlm-flag")


def test_embodied_tables_use_their_own_columns() -> None:
    sim = benchmark(id="sim", kind="simulator", category="embodied")
    for key in ("metric", "metric_types", "annotation", "annotation_types", "size_k"):
        sim.pop(key)
    headers = [th["data-col"] for th in parse(tables.benchmark_table([sim], "en")).select("th")]
    assert headers == list(tables.DEFAULT_EMBODIED_COLUMNS)


def test_glossary_and_abbreviations() -> None:
    terms = [{"id": "vlm", "en": "Vision-language model", "zh": "视觉语言模型", "abbr": "VLM",
              "definition": {"zh": "图文模型。", "en": "Image and text model."}},
             {"id": "patch", "en": "Patch", "zh": "图像块", "definition": {"zh": "小块。", "en": "A tile."}}]
    zh = parse(tables.glossary_table(terms, "zh"))
    assert [th["data-col"] for th in zh.select("th")][:2] == ["term_zh", "term_en"]
    assert [tr["id"] for tr in zh.select("tbody tr")] == ["term-vlm", "term-patch"]
    assert tables.abbreviations(terms, "zh").splitlines() == ["*[VLM]: 视觉语言模型（Vision-language model）"]
    assert tables.abbreviations(terms, "en").splitlines() == ["*[VLM]: Vision-language model"]


def test_names_link_to_the_entry_page_and_still_to_the_paper() -> None:
    for render, entry, prefix in ((tables.model_table, model(), "model"),
                                  (tables.benchmark_table, benchmark(), "benchmark")):
        table = parse(render([entry], "zh", entry_href="pages/{}/".format))
        links = [a["href"] for a in table.select_one("td[data-col=name]").find_all("a")]
        paper = entry["paper"] if prefix == "model" else entry["papers"][0]
        assert links == [f"pages/{entry['id']}/", paper, f"#{prefix}-{entry['id']}"]
        assert table.select_one("tbody tr")["data-entry"] == entry["id"]


def test_list_facets_mark_every_value_a_row_holds() -> None:
    rows = [benchmark(id="a", metric_types=["yes-no", "llm-judge"], annotation_types=["human", "synthetic"]),
            benchmark(id="b", metric_types=["multiple-choice"], annotation_types=[])]
    table = parse(tables.benchmark_table(rows, "en"))
    facets = json.loads(table.table["data-vlm-facets"])
    assert facets["metric_types"]["list"] is True and facets["category"]["list"] is False
    assert list(facets["metric_types"]["values"]) == ["multiple-choice", "yes-no", "llm-judge"]  # i18n order
    assert facets["annotation_types"]["label"] == t("en", "col.annotation_types")
    first, second = table.select("tbody tr")
    assert first["data-metric-types"] == "yes-no llm-judge" and first["data-annotation-types"] == "human synthetic"
    assert second["data-annotation-types"] == ""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_caption_carries_its_count_as_a_template(lang: str) -> None:
    caption = parse(tables.benchmark_table([benchmark(id="a"), benchmark(id="b")], lang)).caption
    assert caption.get_text() == t(lang, "caption.benchmarks", count=2)
    assert caption["data-vlm-counted"] == t(lang, "caption.benchmarks", count="{count}")


def test_a_disclosure_for_the_notes_under_the_name_only_where_there_are_some() -> None:
    """The disclosure is empty: tables.js fills it from the notes cell, so the page carries the notes once."""
    hostile = benchmark(id="a", note={"zh": "注", "en": "<img src=x onerror=alert(1)> {{ 7*7 }}"})
    html = tables.benchmark_table([hostile, benchmark(id="b")], "en")
    noted, plain = parse(html).select("tbody tr")
    disclosure = noted.select_one('td[data-col="name"] details.vlm-row-notes')
    assert disclosure.summary.get_text() == t("en", "col.notes")
    assert [child.name for child in disclosure.find_all(recursive=False)] == ["summary"]
    assert len(parse(html).select(".vlm-note")) == 1
    assert not parse(html).find("img") and "{{" not in html
    assert plain.select_one("details") is None
    assert parse(tables.benchmark_table([hostile], "en", columns=["name", "year"])).select_one("details") is None
