"""Formulas drawn at build time (vlm_survey/formulas.py): TeX becomes MathML at staging, both engines keep it
as it is, no page loads a maths library, a TeX error stops the build naming its page and line; and on a
phone, in a real Chromium, a long formula scrolls inside its own box, with a shadow that says so."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import jinja2
import markdown
import pytest
from bs4 import BeautifulSoup, Tag

from helpers import LANGS, ROOT, copy_repo, html_pages, page_path, run_docs, soup, source_pages
from vlm_survey import formulas

ENGINES = ("site", "zensical_site")  # the session's builds (conftest.py): MkDocs and Zensical
# The site's Markdown extensions that could act on text between the tags of a formula, and an abbreviation
# that occurs in formulas (\text{CLIP}).
EXTENSIONS = ["abbr", "admonition", "attr_list", "footnotes", "md_in_html", "tables", "toc", "pymdownx.details",
              "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.superfences", "pymdownx.tabbed"]
ABBREVIATIONS = "\n\n*[CLIP]: Contrastive Language-Image Pre-training\n*[i]: an abbreviation as short as a variable\n"
SAMPLE = r"""---
title: "$not a formula$"
---

Inline $a_1 + b^2$ and display:

$$
\frac{1}{2}\left[x\right] * y_{\text{CLIP}}
$$

- A list item with a display formula:

    $$
    \mathbb{E}_{x}\,|x| \sim \mathcal{D}
    $$

| a | b |
| --- | --- |
| $|x|$ | $\{a\}$ |

Kept as written: `$x$` and ``a `$y$` b``, US\$5 and \$6, $5 and $6, a lone $ sign, $ x $.

```python
cost = "$x$"
```

    ~~~
    $$y$$
    ~~~
"""


def formula_tex(source: str) -> list[tuple[str, bool]]:
    """(TeX, whether display) of every formula in a page's Markdown, in order."""
    found = []
    for match in formulas.TOKENS.finditer(source):
        if match["display"] is not None or match["inline"] is not None:
            found.append(((match["display"] or match["inline"]).strip(), match["display"] is not None))
    return found


def chapters_with_formulas() -> list[tuple[str, str]]:
    """(language, page) of every chapter that has a formula."""
    return [(lang, page) for lang in LANGS for page in source_pages(lang)
            if formula_tex((ROOT / "docs" / lang / f"{page}.md").read_text(encoding="utf-8"))]


def parsed(html: str) -> list[Tag]:
    return BeautifulSoup(html, "html.parser").find_all("math")


def unmarked(math: Tag) -> str:
    """The formula's markup without the search mark, which Zensical's search takes out of the page."""
    for element in math.select("[data-search-exclude]"):
        del element["data-search-exclude"]
    return str(math)


# --- formulas.py on its own --------------------------------------------------------------------------------

def test_formulas_become_mathml_and_everything_else_stays() -> None:
    out = formulas.render(SAMPLE)
    maths = parsed(out)
    assert [m.annotation.get_text() for m in maths] == [tex for tex, _ in formula_tex(SAMPLE)]
    assert [m.get("display") for m in maths] == [None, "block", "block", None, None]
    assert [m.parent["class"] for m in maths] == [["vlm-math"], ["vlm-math-display"], ["vlm-math-display"],
                                                  ["vlm-math"], ["vlm-math"]]
    assert '\n    <span class="vlm-math-display"><math display="block">' in out, "indented like its $$"
    assert out.startswith('---\ntitle: "$not a formula$"\n---\n'), "the front matter is not Markdown"
    kept = ["`$x$`", "``a `$y$` b``", "US&#36;5 and &#36;6, $5 and $6, a lone $ sign, $ x $.",
            'cost = "$x$"', "    ~~~\n    $$y$$\n    ~~~"]
    assert all(text in out for text in kept), out


def test_formula_html_holds_no_template_table_or_markdown_syntax() -> None:
    """Tags hold no brace or `|`; every character between them is a character reference."""
    for lang, page in chapters_with_formulas():
        out = formulas.render((ROOT / "docs" / lang / f"{page}.md").read_text(encoding="utf-8"))
        spans = re.findall(r'<span class="vlm-math(?:-display)?">.*?</math></span>', out)
        assert spans
        for span in spans:
            assert not re.search(r"[{}|]", span), span
            assert re.fullmatch(r"(?:<[^<>]+>|(?:&#\d+;)+)+", span), span
            assert jinja2.Environment().from_string(span).render() == span


def test_markdown_leaves_formulas_as_they_were_written() -> None:
    """Python-Markdown (both engines use it) with the site's extensions, and an abbreviation found in a formula."""
    for lang, page in chapters_with_formulas():
        out = formulas.render((ROOT / "docs" / lang / f"{page}.md").read_text(encoding="utf-8"))
        html = markdown.markdown(out + ABBREVIATIONS, extensions=EXTENSIONS)
        assert parsed(out) and parsed(html) == parsed(out), f"{lang}/{page}"
        assert not BeautifulSoup(html, "html.parser").select("math abbr, math em, math a, math code")
    sample = BeautifulSoup(markdown.markdown(formulas.render(SAMPLE), extensions=EXTENSIONS), "html.parser")
    assert [cell.annotation.get_text() for cell in sample.select("td")] == ["|x|", r"\{a\}"], "a | split a cell"
    assert len(sample.select("li > p > .vlm-math-display > math")) == 1, "the list item lost its formula"


def test_a_tex_error_names_the_line_column_and_formula() -> None:
    page = "# Title\n\nFine $x$, broken $\\frac{1}{$ here.\n\n$$\n\\foo + 1\n$$\n\nAnd $$x$$ inside a line.\n"
    with pytest.raises(formulas.FormulaErrors) as raised:
        formulas.render(page, "docs/en/x.md")
    assert [str(error) for error in raised.value.errors] == [
        'docs/en/x.md:3:28: formula: Expected closing token "}", but reached end of input in $\\frac{1}{$',
        'docs/en/x.md:6:1: formula: Unknown command "\\foo" in $$\\foo + 1$$',
        f"docs/en/x.md:9:5: formula: {formulas.STRAY}",
    ]


def test_a_row_break_with_extra_space_is_a_row_break() -> None:
    (math,) = parsed(formulas.render("$$\\begin{aligned} a &= b \\\\[4pt] c &= d \\end{aligned}$$"))
    assert len(math.select("mtr")) == 2 and "pt" not in math.mstyle.get_text()
    assert math.annotation.get_text() == "\\begin{aligned} a &= b \\\\[4pt] c &= d \\end{aligned}"


# --- the built site, both engines ----------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ENGINES)
def test_every_formula_is_drawn_as_mathml(engine: str, request: pytest.FixtureRequest) -> None:
    """Each formula of each language's chapters is on its page, as formulas.py wrote it, and no `$` is left."""
    site = request.getfixturevalue(engine)
    pages = chapters_with_formulas()
    assert {lang for lang, _ in pages} == set(LANGS) and len(pages) >= 2 * 5
    for lang, page in pages:
        expected = formula_tex((ROOT / "docs" / lang / f"{page}.md").read_text(encoding="utf-8"))
        article = soup(page_path(site, lang, page)).select_one("article")
        maths = article.find_all("math")
        assert [(m.annotation.get_text(), m.get("display") == "block") for m in maths] == expected, f"{lang}/{page}"
        drawn = [unmarked(parsed(formulas.convert(tex, display))[0]) for tex, display in expected]
        assert [unmarked(math) for math in maths] == drawn, f"{lang}/{page}"
        for element in article.select("code, pre, math"):
            element.decompose()
        assert "$" not in article.get_text(), f"{lang}/{page}: a $ outside code and formulas"


@pytest.mark.parametrize("engine", ENGINES)
def test_no_page_loads_a_maths_library(engine: str, request: pytest.FixtureRequest) -> None:
    site = request.getfixturevalue(engine)
    assert not [p for p in site.rglob("*") if "katex" in p.name.lower() or "mathjax" in p.name.lower()]
    for lang in LANGS:
        for path in html_pages(site, lang):
            document = soup(path)
            loads = [element.get("src") or element.get("href") or "" for element in document.select("script, link")]
            assert not [url for url in loads if re.search("katex|mathjax", url, re.IGNORECASE)], path
            assert not document.select(".arithmatex, .katex"), path


@pytest.mark.parametrize("engine", ENGINES)
def test_the_search_index_holds_the_tex_not_the_drawing(engine: str, request: pytest.FixtureRequest) -> None:
    site = request.getfixturevalue(engine)
    for lang, folder in LANGS.items():
        base = site / folder
        index = base / "search" / "search_index.json" if engine == "site" else base / "search.json"
        data = json.loads(index.read_text(encoding="utf-8"))
        text = {entry["location"]: entry["text"] for entry in data.get("docs") or data["items"]}
        clip = next(value for location, value in text.items() if location.startswith("training/#contrastive"))
        assert r"\mathcal{L}_{\text{CLIP}} = -\frac{1}{2N}" in clip, clip
        drawn = [location for location, value in text.items()
                 if re.search("[\U0001D400-\U0001D7FF\u2061-\u2064]|&#|<m[a-z]+", value)]
        assert not drawn, f"{lang}: the drawn formula (or its markup) is in the index: {drawn[:5]}"


def test_a_tex_error_fails_the_build_naming_the_page_and_line(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo")
    page = repo / "docs" / "zh" / "vit.md"  # the first language: staging stops before any engine runs
    lines = page.read_text(encoding="utf-8").split("\n")
    at = next(number for number, line in enumerate(lines) if "$" in line and "$$" not in line)
    lines.insert(at, "A broken formula: $\\frac{1}{2$.")
    page.write_text("\n".join(lines), encoding="utf-8")
    result = run_docs("build", "-d", str(tmp_path / "site"), cwd=repo, timeout=300)
    assert result.returncode == 1
    assert (f'docs/zh/vit.md:{at + 1}:30: formula: Expected closing token "}}", but reached end of input '
            "in $\\frac{1}{2$") in result.stderr, result.stderr[-2000:]
    assert not (tmp_path / "site").exists()


# --- in Chromium, on a phone ----------------------------------------------------------------------------------

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DARK = ("localStorage.setItem('/.__palette', JSON.stringify({index: 1, color: {media: '(prefers-color-scheme: dark)',"
        " scheme: 'slate', primary: 'indigo', accent: 'indigo'}}))")
# How far a strip of the page is from its background, at the most (0-255 per channel), from a screenshot.
FARTHEST = """async ([data, background]) => {
  const image = new Image();
  image.src = "data:image/png;base64," + data;
  await image.decode();
  const canvas = Object.assign(document.createElement("canvas"), {width: image.width, height: image.height});
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, image.width, image.height).data;
  let most = 0;
  for (let i = 0; i < pixels.length; i += 4)
    for (let c = 0; c < 3; c++) most = Math.max(most, Math.abs(pixels[i + c] - background[c]));
  return most;
}"""


def rgb(css: str, background: tuple[float, ...] = (0, 0, 0)) -> tuple[float, ...]:
    """A computed CSS colour (`rgb(…)` or `rgba(…)`) as drawn over `background`."""
    *color, alpha = [float(n) for n in re.findall(r"[\d.]+", css)] + ([1.0] if css.startswith("rgb(") else [])
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(color, background))


def contrast(one: tuple[float, ...], other: tuple[float, ...]) -> float:
    """The WCAG contrast ratio of two sRGB colours."""
    def luminance(color: tuple[float, ...]) -> float:
        linear = [c / 255 / 12.92 if c <= 10.31 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in color]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def edges(tab: Any, box: Any, background: tuple[float, ...]) -> tuple[int, int]:
    """How far the left and the right end of a formula's box are from the page's background, at half its
    height, with the formula itself drawn transparent: what is left there is the box's own shadows."""
    box.evaluate("box => { box.querySelector('math').style.color = 'transparent'; }")
    rect = box.bounding_box()
    middle = rect["y"] + rect["height"] / 2 - 2
    strips = [{"x": rect["x"] + 1, "y": middle, "width": 4, "height": 4},
              {"x": rect["x"] + rect["width"] - 5, "y": middle, "width": 4, "height": 4}]
    found = tuple(tab.evaluate(FARTHEST, [base64.b64encode(tab.screenshot(clip=strip)).decode(), background])
                  for strip in strips)
    box.evaluate("box => { box.querySelector('math').style.color = ''; }")
    return found


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_on_a_phone_a_long_formula_scrolls_in_its_box_with_a_cue(browser: Any, server: str, prefix: str,
                                                                  scheme: str) -> None:
    context = browser.new_context(**PHONE)
    if scheme == "slate":
        context.add_init_script(DARK)
    tab = context.new_page()
    try:
        for page in sorted({page for _, page in chapters_with_formulas()}):
            tab.goto(f"{server}{prefix}/{page}/")
            width = tab.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert width[0] == width[1] == 390, f"{page}: the page is wider than the phone: {width}"
        tab.goto(f"{server}{prefix}/training/")
        assert tab.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
        boxes = tab.locator(".vlm-math-display")
        widths = boxes.evaluate_all("boxes => boxes.map(box => [box.scrollWidth, box.clientWidth])")
        widest = boxes.nth(max(range(len(widths)), key=lambda i: widths[i][0]))
        fits = boxes.nth(next(i for i, (content, shown) in enumerate(widths) if content <= shown))
        widest.scroll_into_view_if_needed()
        facts = widest.evaluate("""box => ({overflowX: getComputedStyle(box).overflowX, tabIndex: box.tabIndex,
            role: box.getAttribute("role"), label: box.getAttribute("aria-label"),
            right: box.getBoundingClientRect().right, tex: box.querySelector("annotation").textContent,
            color: getComputedStyle(box.querySelector("math")).color,
            background: getComputedStyle(document.body).backgroundColor})""")
        assert facts["overflowX"] == "auto" and facts["right"] <= 390, facts
        assert (facts["tabIndex"], facts["role"], facts["label"]) == (0, "region", facts["tex"]), facts
        assert fits.evaluate("box => [box.tabIndex, box.getAttribute('role')]") == [-1, None], "a box to no purpose"
        background = rgb(facts["background"])
        assert contrast(rgb(facts["color"], background), background) >= 7, f"formula text hard to read: {facts}"
        left, right = edges(tab, widest, background)
        assert left < 8 and right >= 24, f"no shadow where the formula is cut off: {left}, {right}"
        widest.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
        assert widest.evaluate("box => box.scrollLeft") > 0, "the formula does not scroll in its box"
        assert tab.evaluate("window.scrollX") == 0
        left, right = edges(tab, widest, background)
        assert left >= 24 and right < 8, f"the shadows do not follow the scrolling: {left}, {right}"
        fits.scroll_into_view_if_needed()
        assert max(edges(tab, fits, background)) < 8, "a shadow on a formula that is not cut off"
    finally:
        context.close()
