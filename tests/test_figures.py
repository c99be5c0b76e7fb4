"""Figures drawn from the data: a marker per model, lineage arrows, page language, dark-mode colours,
escaping, no overlapping labels in a real browser, and a model added in a copy shows up in both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import LANGS, ROOT, build_site, copy_repo, page_path, soup
from vlm_survey import figures
from vlm_survey.catalog import load_catalog
from vlm_survey.i18n import label

CATALOG = load_catalog(ROOT)
HREF = "models/{}/".format


def model(id: str, year: int, paradigm: str = "llm-backbone", **extra: Any) -> dict[str, Any]:  # noqa: A002
    return {"id": id, "name": id.upper(), "year": year, "paradigm": paradigm, **extra}


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize("lang", LANGS)
def test_timeline_has_a_labelled_link_per_model_and_headings_in_the_language(lang: str) -> None:
    svg = parse(figures.timeline_figure(CATALOG.models, lang, HREF)).svg
    links = {a["href"]: a.find("text").get_text() for a in svg.find_all("a")}
    assert links == {HREF(m["id"]): m["name"] for m in CATALOG.models}
    headings = [t.get_text() for t in svg.find_all("text", attrs={"font-weight": "bold"})]
    assert headings == [label(lang, "paradigm", p) for p in figures.PARADIGMS]
    years = [t.get_text() for t in svg.find_all("text", attrs={"text-anchor": "end"})]
    assert years == [str(y) for y in range(min(m["year"] for m in CATALOG.models),
                                           max(m["year"] for m in CATALOG.models) + 1)]


def test_timeline_rows_stack_models_of_the_same_year_and_paradigm() -> None:
    svg = parse(figures.timeline_figure([model("a", 2023), model("b", 2023), model("c", 2024, "from-scratch")],
                                        "en", HREF)).svg
    ys = {a.find("text").get_text(): float(a.find("text")["y"]) for a in svg.find_all("a")}
    assert ys["B"] - ys["A"] == figures.LINE, "two models of one cell are on successive lines"
    assert ys["C"] > ys["B"]


def test_lineage_draws_every_based_on_relation() -> None:
    svg = parse(figures.lineage_figure(CATALOG.models, "en", HREF)).svg
    expected = {f'{child["name"]} builds on {parent["name"]}'
                for child in CATALOG.models for parent in CATALOG.models if parent["id"] in child.get("based_on", [])}
    assert expected, "the data has lineage"
    assert {g.title.get_text() for g in svg.find_all("g")} == expected
    boxes = {a["href"] for a in svg.find_all("a")}
    assert {HREF(m["id"]) for m in CATALOG.models if m.get("based_on")} <= boxes


def test_lineage_places_a_chain_left_to_right_and_survives_a_cycle() -> None:
    chain = [model("a", 2022), model("b", 2023, based_on=["a"]), model("c", 2024, based_on=["b"])]
    xs = {a.find("text").get_text().split(" ")[0]: float(a.rect["x"])
          for a in parse(figures.lineage_figure(chain, "zh", HREF)).svg.find_all("a")}
    assert xs["A"] < xs["B"] < xs["C"]
    cycle = [model("a", 2022, based_on=["b"]), model("b", 2023, based_on=["a"])]
    assert len(parse(figures.lineage_figure(cycle, "en", HREF)).svg.find_all("a")) == 2
    assert parse(figures.lineage_figure([model("a", 2022)], "en", HREF)).find("svg") is None


@pytest.mark.parametrize("draw", [figures.timeline_figure, figures.lineage_figure])
def test_labels_from_data_are_escaped_and_colours_follow_the_theme(draw: Any) -> None:
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    html = draw([model("a", 2022, name=hostile), model("b", 2023, based_on=["a"])], "en", HREF)
    figure = parse(html)
    assert not figure.find("script") and not figure.find("img")
    assert any(hostile in text.get_text() for text in figure.find_all("text"))
    assert all(text["fill"] == "currentColor" for text in figure.find_all("text")), "text follows the colour scheme"


def test_a_model_added_to_the_data_appears_in_both_figures(site: Path, tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo")
    new = yaml.safe_load((repo / "data" / "models" / "llava-1-5.yaml").read_text(encoding="utf-8"))
    new.update(id="figure-probe-vl", name="Figure<Probe>-VL", year=2025, paradigm="unified-tokens",
               based_on=["llava-1-5"])
    (repo / "data" / "models" / "figure-probe-vl.yaml").write_text(yaml.safe_dump(new, allow_unicode=True),
                                                                    encoding="utf-8")
    build_site(tmp_path / "site", cwd=repo)
    for lang in LANGS:
        before = soup(page_path(site, lang, "architecture"))
        after = soup(page_path(tmp_path / "site", lang, "architecture"))
        for kind in ("timeline", "lineage"):
            old, changed = (d.select_one(f"figure[data-vlm-figure={kind}]") for d in (before, after))
            names = [t.get_text() for t in changed.find_all("text")]
            assert any(n.startswith("Figure<Probe>-VL") for n in names), f"{lang} {kind}: new model missing"
            assert not any("Probe" in t.get_text() for t in old.find_all("text"))
            link = changed.find("a", href="../models/figure-probe-vl/")
            assert link is not None, f"{lang} {kind}: the new model does not link to its page"
        edges = [g.title.get_text() for g in after.select("figure[data-vlm-figure=lineage] g")]
        assert any("Figure<Probe>-VL" in e and "LLaVA-1.5" in e for e in edges)
        assert (tmp_path / "site" / LANGS[lang] / "models" / "figure-probe-vl" / "index.html").is_file()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_figure_labels_do_not_overlap_when_rendered(page: Any, server: str, lang: str) -> None:
    page.goto(f"{server}/{'en/' if lang == 'en' else ''}architecture/")
    problems = page.evaluate("""() => {
        const out = [];
        for (const svg of document.querySelectorAll('figure[data-vlm-figure] svg')) {
            const frame = svg.getBoundingClientRect();
            const boxes = [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBoundingClientRect()]);
            for (const [name, b] of boxes) {
                const outside = b.left < frame.left - 1 || b.right > frame.right + 1
                    || b.top < frame.top - 1 || b.bottom > frame.bottom + 1;
                if (outside) out.push(name + ' leaves the figure');
            }
            for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                const [m, a] = boxes[i], [n, b] = boxes[j];
                const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                if (dx > 1 && dy > 1) out.push(m + ' overlaps ' + n);
            }
        }
        return out;
    }""")
    assert page.locator("figure[data-vlm-figure] svg").count() == 2
    assert problems == []
