"""Every core chapter teaches the same way in both languages (issue 13), read from the built HTML:

- a box that maps the survey's sections to the page, before the first section, linking sections of the page;
- "Key takeaways", then "Exercises": 3-6 questions, each folded with its answer inside;
- the worked examples where a student needs them, each with its arithmetic (a formula or a table);
- the survey's conclusion, at the end of the challenges chapter.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from helpers import CORE_CHAPTERS, LANGS, page_path, soup

WORKED = {
    "architecture": ["worked-example-llava-tokens"],
    "training": ["worked-example-clip-infonce", "worked-example-grpo"],
    "benchmarks": ["worked-example-pope", "worked-example-vqa-accuracy"],
}


def article(site: Path, lang: str, page: str) -> Tag:
    found = soup(page_path(site, lang, page)).find("article")
    assert isinstance(found, Tag), f"{lang}/{page}: no article"
    return found


def section(heading: Tag) -> list[Tag]:
    """The elements after `heading` up to the next heading of its level or above."""
    level, parts = int(heading.name[1]), []
    for sibling in heading.find_next_siblings():
        if sibling.name in {f"h{n}" for n in range(1, level + 1)}:
            break
        parts.append(sibling)
    return parts


def exercises(page: Tag) -> list[Tag]:
    heading = page.find("h2", id="exercises")
    assert heading, "no h2#exercises"
    folded = [d for part in section(heading) for d in ([part] if part.name == "details" else part.find_all("details"))]
    return [d for d in folded if "vlm-cite" not in d.get("class", [])]  # the page's "cite this page" block follows


@pytest.mark.parametrize("page", CORE_CHAPTERS)
@pytest.mark.parametrize("lang", list(LANGS))
def test_the_survey_map_opens_the_chapter(site: Path, lang: str, page: str) -> None:
    body = article(site, lang, page)
    boxes = body.select("div.admonition.abstract")
    assert len(boxes) == 1, f"{lang}/{page}: {len(boxes)} survey-map boxes, expected 1"
    first_h2 = body.find("h2")
    assert first_h2 is not None and boxes[0] in first_h2.find_all_previous("div"), \
        f"{lang}/{page}: the survey map comes after the first section"
    anchors = [a["href"] for a in boxes[0].select("li a[href^='#']")]
    assert anchors, f"{lang}/{page}: the survey map links no section of the page"
    missing = [href for href in anchors if not body.find(id=href[1:])]
    assert not missing, f"{lang}/{page}: the survey map links sections that do not exist: {missing}"


@pytest.mark.parametrize("page", CORE_CHAPTERS)
@pytest.mark.parametrize("lang", list(LANGS))
def test_takeaways_then_exercises_with_folded_answers(site: Path, lang: str, page: str) -> None:
    body = article(site, lang, page)
    takeaways = body.find("h2", id="key-takeaways")
    assert takeaways, f"{lang}/{page}: no h2#key-takeaways"
    points = [li for part in section(takeaways) for li in part.find_all("li")]
    assert 4 <= len(points) <= 6, f"{lang}/{page}: {len(points)} key takeaways, expected 4-6"
    heading = body.find("h2", id="exercises")
    assert heading and heading in takeaways.find_all_next("h2"), f"{lang}/{page}: no exercises after the takeaways"
    questions = exercises(body)
    assert 3 <= len(questions) <= 6, f"{lang}/{page}: {len(questions)} exercises, expected 3-6"
    for question in questions:
        assert "question" in question.get("class", []) and not question.has_attr("open"), \
            f"{lang}/{page}: an exercise is not a folded question: {question.summary}"
        summary = question.find("summary")
        answer = question.get_text(" ", strip=True).replace(summary.get_text(" ", strip=True), "", 1) if summary else ""
        assert summary and summary.get_text(strip=True) and len(answer) > 20, \
            f"{lang}/{page}: the exercise {summary} has no answer inside"


@pytest.mark.parametrize("page", CORE_CHAPTERS)
def test_both_languages_ask_the_same_number_of_questions(site: Path, page: str) -> None:
    counts = {lang: len(exercises(article(site, lang, page))) for lang in LANGS}
    assert len(set(counts.values())) == 1, f"{page}: exercises per language differ: {counts}"


@pytest.mark.parametrize(("page", "ids"), sorted(WORKED.items()))
@pytest.mark.parametrize("lang", list(LANGS))
def test_worked_examples_show_their_arithmetic(site: Path, lang: str, page: str, ids: list[str]) -> None:
    body = article(site, lang, page)
    for id_ in ids:
        heading = body.find("h3", id=id_)
        assert heading, f"{lang}/{page}: no worked example #{id_}"
        parts = BeautifulSoup("".join(map(str, section(heading))), "html.parser")
        assert parts.select(".arithmatex, table, .katex"), f"{lang}/{page}#{id_}: no formula or table"


@pytest.mark.parametrize("lang", list(LANGS))
def test_the_conclusion_ends_the_challenges(site: Path, lang: str) -> None:
    body = article(site, lang, "challenges")
    conclusion = body.find("h2", id="conclusion")
    assert conclusion, f"{lang}: the challenges chapter has no h2#conclusion"
    later = [h["id"] for h in conclusion.find_all_next("h2")]
    assert later == ["key-takeaways", "exercises"], f"{lang}: after the conclusion come {later}"
    assert sum(len(p.get_text(strip=True)) for p in section(conclusion) if p.name == "p") > 200
