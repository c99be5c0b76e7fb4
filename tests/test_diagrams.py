"""Diagrams are drawn before the build: the committed SVG matches its Mermaid fence (else the test and the
build name `make diagrams`), pages carry the SVG inline with a numbered caption and a download link,
no page loads a diagram script, and on a 390 px phone every figure's text is at least 11 px, under
both engines and in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import LANGS, ROOT, copy_repo, html_pages, page_path, run_docs, soup
from vlm_survey import diagrams
from vlm_survey.build import check_sources
from vlm_survey.i18n import t
from vlm_survey.languages import registry
from vlm_survey.yaml_source import DataErrors

DOCS = {lang: ROOT / "docs" / lang for lang in LANGS}
FIGURE_PAGES = ("concepts", "vit", "architecture", "training", "applications", "challenges")


def fences(lang: str) -> dict[str, list[diagrams.Diagram]]:
    """Each page's diagrams, by page name ('vit', ...)."""
    found: dict[str, list[diagrams.Diagram]] = {}
    for diagram in diagrams.every(DOCS[lang]):
        found.setdefault(diagram.page.removesuffix(".md"), []).append(diagram)
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_every_committed_svg_is_drawn_from_its_fence(lang: str) -> None:
    """The test that fails when a diagram was edited and not redrawn: it says which and what to run."""
    problems = diagrams.check(ROOT, DOCS[lang])
    assert not problems, "\n".join(map(str, problems))


def test_both_languages_draw_the_same_diagrams() -> None:
    names = {lang: [d.name for d in diagrams.every(DOCS[lang])] for lang in LANGS}
    assert len(set(map(tuple, names.values()))) == 1, names
    assert len(names["zh"]) >= 10


def test_an_edited_diagram_fails_the_build_naming_line_and_command(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo", parts=("docs", "data", "snippets", "overrides", "languages.yml", "mkdocs.yml"))
    page = repo / "docs" / "en" / "vit.md"
    text = page.read_text(encoding="utf-8")
    line = text[: text.index("```mermaid")].count("\n") + 1
    page.write_text(text.replace('["Image"]', '["A photograph"]', 1), encoding="utf-8")
    (repo / "docs" / "zh" / "diagrams" / "vit-3.svg").unlink()
    (repo / "docs" / "zh" / "diagrams" / "old-1.svg").write_text("<svg/>", encoding="utf-8")
    with pytest.raises(DataErrors) as caught:
        check_sources(repo, registry(repo))
    shown = [str(error) for error in caught.value.errors]
    assert any(s.startswith(f"docs/en/vit.md:{line}:1: mermaid:") and "changed since diagrams/vit-1.svg was drawn: "
               "run `make diagrams`" in s for s in shown), shown
    assert any(s.startswith("docs/zh/vit.md:") and "diagrams/vit-3.svg is not drawn yet: run `make diagrams`" in s
               for s in shown), shown
    assert any(s.startswith("docs/zh/diagrams/old-1.svg:1:1:") for s in shown), shown
    assert len(shown) == 3, shown


def test_a_diagram_without_caption_or_text_alternative_is_refused(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "diagrams").mkdir(parents=True)
    (docs / "page.md").write_text("# P\n\n```mermaid\nflowchart TD\n    A --> B\n```\n", encoding="utf-8")
    shown = [str(e) for e in diagrams.check(tmp_path, docs)]
    assert "docs/page.md:3:1: mermaid: the diagram needs an `accTitle:` line (its caption)" in shown
    assert "docs/page.md:3:1: mermaid: the diagram needs an `accDescr:` line (its text alternative)" in shown


def test_a_failed_check_leaves_the_site_untouched(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo")
    site = repo / "site"
    site.mkdir()
    (site / "marker").write_text("last good site", encoding="utf-8")
    page = repo / "docs" / "zh" / "training.md"
    page.write_text(page.read_text(encoding="utf-8").replace("flowchart TD", "flowchart LR", 1), encoding="utf-8")
    result = run_docs("build", cwd=repo)
    assert result.returncode == 1
    assert "docs/zh/training.md:" in result.stderr and "run `make diagrams`" in result.stderr
    assert (site / "marker").read_text(encoding="utf-8") == "last good site"


def url(base: str, lang: str, page: str) -> str:
    """The address of `page` ('index', 'vit', ...) in `lang` on the server at `base`."""
    parts = [LANGS[lang], "" if page == "index" else page]
    return base.rstrip("/") + "/" + "".join(f"{part}/" for part in parts if part)


def figures_of(site: Path, lang: str, page: str) -> list:
    return soup(page_path(site, lang, page)).select("article figure.vlm-figure")


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_pages_show_each_diagram_inline_numbered_with_its_file(engine: str, request: pytest.FixtureRequest) -> None:
    site = request.getfixturevalue("site" if engine == "mkdocs" else "zensical_site")
    nav = [name.removesuffix(".md") for name in diagrams_nav()]
    for lang in LANGS:
        for page, drawn in fences(lang).items():
            path = page_path(site, lang, page)
            document = soup(path)
            shown = document.select("figure.vlm-diagram")
            assert len(shown) == len(drawn), f"{engine} {lang}/{page}"
            chapter = nav.index(page)
            for n, (figure, diagram) in enumerate(zip(shown, drawn), start=1):
                where = f"{engine} {lang}/{page} figure {n}"
                assert figure["id"] == f"figure-{page}-{n}", where
                assert figure.parent.name != "p", f"{where}: the figure was not kept as an HTML block"
                svg = figure.find("svg")
                assert svg is not None and svg.find("title").get_text() == diagram.caption, where
                assert svg.find("desc").get_text() == diagram.description, where
                assert not svg.find(["abbr", "a", "script", "foreignobject"]), f"{where}: HTML inside the SVG"
                expected = (t(lang, "fig.number", chapter=chapter, n=n) if chapter
                            else t(lang, "fig.number.unnumbered", n=n))
                caption = figure.find("figcaption")
                assert caption.select_one(".vlm-figure-number").get_text() == expected, where
                assert diagram.caption in caption.get_text(" "), where
                link = caption.select_one("a.vlm-figure-download")
                target = (path.parent / link["href"]).resolve()
                assert target.is_file() and target.read_bytes() == (DOCS[lang] / diagram.name).read_bytes(), where


def diagrams_nav() -> list[str]:
    from vlm_survey.engine_config import shared

    return shared(ROOT)["nav"]


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_figures_of_a_chapter_share_one_sequence(engine: str, request: pytest.FixtureRequest) -> None:
    """The diagrams and the figures drawn from data are numbered together, in page order."""
    site = request.getfixturevalue("site" if engine == "mkdocs" else "zensical_site")
    for lang in LANGS:
        numbers = [f.select_one(".vlm-figure-number").get_text() for f in figures_of(site, lang, "architecture")]
        chapter = [name.removesuffix(".md") for name in diagrams_nav()].index("architecture")
        assert numbers == [t(lang, "fig.number", chapter=chapter, n=n) for n in range(1, len(numbers) + 1)], numbers
        kinds = [f.get("data-vlm-figure") or "diagram" for f in figures_of(site, lang, "architecture")]
        assert kinds.count("timeline") == 1 and kinds.count("lineage") == 1 and kinds.count("diagram") == 2


def test_no_page_loads_a_diagram_script(site: Path, zensical_site: Path) -> None:
    for built in (site, zensical_site):
        for lang in LANGS:
            for path in html_pages(built, lang):
                document = soup(path)
                assert not document.select(".mermaid, pre.mermaid"), path
                assert not [s for s in document.find_all("script") if "mermaid" in s.get("src", "")], path
        assert not list(built.rglob("mermaid*.js")), built


@pytest.mark.browser
def test_figure_text_is_legible_on_a_phone_in_both_schemes(browser: object, server: str) -> None:
    """390 px wide: no figure text under 11 CSS px, the page itself never scrolls sideways, and a figure
    wider than the page scrolls inside its own box."""
    measure = """() => [...document.querySelectorAll('article figure.vlm-figure')].map(f => {
        const box = f.querySelector('.vlm-figure-scroll');
        const sizes = [...f.querySelectorAll('svg text')].filter(t => t.getBBox().width > 0)
          .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
        return {id: f.id, smallest: Math.min(...sizes), count: sizes.length,
                scrolls: box.scrollWidth > box.clientWidth, overflow: getComputedStyle(box).overflowX};
    })"""
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
        tab = context.new_page()
        for lang in LANGS:
            for page in FIGURE_PAGES:
                tab.goto(url(server, lang, page))
                found = tab.evaluate(measure)
                assert found, f"{lang}/{page}: no figure"
                for figure in found:
                    where = f"{scheme} {lang}/{page} {figure['id']}"
                    assert figure["count"] > 0, where
                    assert figure["smallest"] >= 11 - 0.05, f"{where}: text at {figure['smallest']:.1f} px"
                    assert figure["overflow"] == "auto", where
                assert tab.evaluate("document.documentElement.scrollWidth") <= 390, f"{lang}/{page}"
        context.close()


@pytest.mark.browser
def test_a_figure_drawn_from_data_downloads_as_svg(page: object, server: str, tmp_path: Path) -> None:
    page.goto(url(server, "en", "architecture"))
    with page.expect_download() as caught:
        page.locator("#figure-timeline a.vlm-figure-download").click()
    saved = tmp_path / "timeline.svg"
    caught.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert caught.value.suggested_filename == "vlm-survey-timeline.svg"
    assert text.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in text
    assert re.search(r'href="http://127\.0\.0\.1:\d+/en/models/llava-1-5/"', text), "links made absolute"


def test_the_fingerprint_names_the_vendored_mermaid() -> None:
    """A new Mermaid (make vendor) must redraw every diagram: its version is part of each fingerprint."""
    import json

    assert json.loads((ROOT / "package.json").read_text())["dependencies"]["mermaid"] == diagrams.MERMAID_VERSION
    bundle = (ROOT / "vendor" / "mermaid" / "mermaid.min.js").read_text(encoding="utf-8")
    assert f'version:"{diagrams.MERMAID_VERSION}"' in bundle
