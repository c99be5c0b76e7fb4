"""The PDF editions (`make pdf`, vlm_survey/pdf.py) and the print rules they share with Ctrl-P (print.css).

The session's site is printed once, in the session's Chromium, into a temporary folder; pypdf reads the
files back: outline, text, page sizes, font sizes and embedded fonts.
"""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path

import pytest
from bs4 import NavigableString, Tag
from pypdf import PdfReader

from helpers import LANGUAGES, LANGS, ROOT, page_path, soup
from vlm_survey.chapters import page_url
from vlm_survey.engine_config import language_url, nav_pages, shared
from vlm_survey.pdf import pdf_name, print_books

pytestmark = pytest.mark.browser

NAV = nav_pages(shared(ROOT)["nav"])
MIN_PT = 7  # the smallest type the printed tables may use
MODEL_TABLE_PAGES = 6


@pytest.fixture(scope="module")
def pdfs(site: Path, browser: object, tmp_path_factory: pytest.TempPathFactory) -> dict[str, PdfReader]:
    """Each language's PDF, printed from the session's site into a folder of the test's own."""
    out = tmp_path_factory.mktemp("pdf")
    written = print_books(ROOT, site, out, browser)
    assert sorted(path.name for path in written) == sorted(pdf_name(language) for language in LANGUAGES)
    return {language.code: PdfReader(out / pdf_name(language)) for language in LANGUAGES}


def page_name(src: str) -> str:
    return src.removesuffix(".md")


def chapter_title(site: Path, lang: str, src: str) -> str:
    heading = soup(page_path(site, lang, page_name(src))).select_one("article h1")
    for link in heading.select(".headerlink"):
        link.decompose()
    return " ".join(heading.get_text().split())


RADICAL = "\u25a1"  # what `plain` writes for a CJK radical (U+2E80-U+2EFF) of a PDF's text


def plain(text: str) -> str:
    """`text` NFKC-normalised, without white space: what to compare with a PDF's text, whose lines break
    anywhere. Chromium maps a CJK glyph that the font shares with a radical to the radical: NFKC turns the
    Kangxi radicals back (⼤ into 大); the other radicals (⻬ for 齐) become RADICAL (see `holds`)."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return re.sub("[\u2e80-\u2eff]", RADICAL, text)


def pattern(expected: str) -> str:
    """A regular expression finding `expected` in a `plain` text, where any CJK ideograph may stand as RADICAL."""
    return "".join(f"[{c}{RADICAL}]" if "\u4e00" <= c <= "\u9fff" else re.escape(c) for c in plain(expected))


def holds(text: str, expected: str) -> bool:
    """Whether `text` (`plain`) holds `expected`."""
    return re.search(pattern(expected), text) is not None


def leading_text(paragraph: Tag | None, length: int = 30) -> str:
    """The first words of `paragraph`, up to its first formula (whose text a PDF holds as drawn glyphs)."""
    words = []
    for node in paragraph.descendants if paragraph else ():
        if isinstance(node, Tag) and "vlm-math" in node.get("class", []):
            break
        if isinstance(node, NavigableString):
            words.append(str(node))
    return "".join(words).strip()[:length]


def texts(reader: PdfReader) -> list[str]:
    """Each page's text, `plain`."""
    return [plain(page.extract_text() or "") for page in reader.pages]


def top_outline(reader: PdfReader) -> list[str]:
    return [item.title for item in reader.outline if not isinstance(item, list)]


def model_table(site: Path, lang: str) -> tuple[str, str, list[str]]:
    """The model table's caption, the name of its last row and every row's name, as the chapter has them."""
    for src in NAV:
        table = soup(page_path(site, lang, page_name(src))).select_one('table[data-vlm-table="models"]')
        if table is not None:
            names = [row.select_one('td[data-col="name"] a').get_text(strip=True) for row in table.tbody.find_all("tr")]
            return table.caption.get_text(), names[-1], names
    raise AssertionError("no chapter holds the model table")


@pytest.mark.parametrize("lang", list(LANGS))
def test_outline_lists_every_chapter_in_nav_order(pdfs: dict[str, PdfReader], site: Path, lang: str) -> None:
    outline = top_outline(pdfs[lang])
    titles = [chapter_title(site, lang, src) for src in NAV]
    assert outline[1:] == titles, outline  # first the contents
    assert len(pdfs[lang].pages) > len(NAV) + 2


@pytest.mark.parametrize("lang", list(LANGS))
def test_chapters_start_on_pages_of_their_own_with_their_address(pdfs: dict[str, PdfReader], site: Path,
                                                                 lang: str) -> None:
    reader = pdfs[lang]
    pages = texts(reader)
    base = language_url(shared(ROOT)["site_url"], next(x for x in LANGUAGES if x.code == lang))
    starts = [reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)][1:]
    assert starts == sorted(set(starts)), "two chapters start on one page"
    for src, start in zip(NAV, starts):
        assert plain(base + page_url(src)) in pages[start], (src, start)
    first = pages[0]
    assert holds(first, next(x for x in LANGUAGES if x.code == lang).site_name) and plain(base) in first


@pytest.mark.parametrize("lang", list(LANGS))
def test_exercises_print_with_their_answers(pdfs: dict[str, PdfReader], site: Path, lang: str) -> None:
    """A handout holds the answers: the folded ones of every chapter's exercises are printed open."""
    pages = "".join(texts(pdfs[lang]))
    for src in ("introduction.md", "challenges.md"):
        article = soup(page_path(site, lang, page_name(src))).select_one("article")
        answers = [leading_text(q.find("p", recursive=False)) for q in article.select("details.question")]
        checked = [words for words in answers if len(words) >= 8]  # not those that open with a formula
        assert len(checked) >= 2, f"{lang} {src}: too few answers to check: {answers}"
        for words in checked:
            assert holds(pages, words), f"{lang} {src}: an answer is not in the PDF: {words!r}"


@pytest.mark.parametrize("lang", list(LANGS))
def test_every_page_is_numbered(pdfs: dict[str, PdfReader], lang: str) -> None:
    pages = texts(pdfs[lang])
    missing = [n for n, text in enumerate(pages, 1) if not text.endswith(f"{n}/{len(pages)}")]
    assert not missing, missing


@pytest.mark.parametrize("lang", list(LANGS))
def test_figures_and_tables_carry_numbers(pdfs: dict[str, PdfReader], site: Path, lang: str) -> None:
    text = "".join(texts(pdfs[lang]))
    figures = [caption.select_one(".vlm-figure-number").get_text()
               for src in NAV for caption in soup(page_path(site, lang, page_name(src))).select("figure figcaption")]
    assert figures and all(holds(text, number) for number in figures), figures
    table = {"zh": r"表\d+-\d+", "en": r"Table\d+\.\d+"}[next(x.text for x in LANGUAGES if x.code == lang)]
    caption = model_table(site, lang)[0]
    assert re.search(table + pattern(caption), text), caption


def font_sizes(page: object) -> list[float]:
    """The size in points of every piece of text on the page (font size times the text and page matrices)."""
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            sizes.append(size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]))

    page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize("lang", list(LANGS))
def test_model_table_fits_few_pages_in_legible_type(pdfs: dict[str, PdfReader], site: Path, lang: str) -> None:
    reader = pdfs[lang]
    pages = texts(reader)
    caption, last, names = model_table(site, lang)
    first = next(n for n, text in enumerate(pages) if holds(text, caption))
    end = next(n for n in range(first, len(pages)) if holds(pages[n], last))
    assert end - first + 1 <= MODEL_TABLE_PAGES, (first, end)
    table_text = "".join(pages[first:end + 1])
    assert all(holds(table_text, name) for name in names)
    for n in range(first, end + 1):
        assert min(font_sizes(reader.pages[n])) >= MIN_PT - 0.05, n + 1
        box = reader.pages[n].mediabox
        assert box.width > box.height, f"page {n + 1} is not landscape"


def test_chinese_text_is_extractable_from_embedded_fonts(pdfs: dict[str, PdfReader], site: Path) -> None:
    reader = pdfs["zh"]
    text = "".join(texts(reader))
    for src in NAV:
        assert holds(text, chapter_title(site, "zh", src)), src
    for page in reader.pages[:8]:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font["/Subtype"] == "/Type3":  # glyphs drawn in the PDF itself
                continue
            descriptor = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            files = descriptor["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(files), font["/BaseFont"]


def test_chapter_print_hides_controls_and_shows_every_row(page: object, server: str, site: Path) -> None:
    """Ctrl-P of the model table's chapter: no filter, button or window; rows waiting in the second body print."""
    src = next(src for src in NAV
               if soup(page_path(site, "zh", page_name(src))).select_one('[data-vlm-table="models"]'))
    page.goto(f"{server}/{page_url(src)}")
    page.wait_for_selector(".vlm-filter__fields")
    moved = page.evaluate("""() => {
      const table = document.querySelector('table[data-vlm-table="models"]');
      const rest = table.querySelector('tbody.vlm-rest');
      const rows = [...table.tBodies[0].rows].slice(-3);
      rows.forEach(row => rest.appendChild(row));
      return rows.map(row => row.id);
    }""")
    assert moved and all(not page.locator(f"#{row}").is_visible() for row in moved)  # on screen: waiting
    page.emulate_media(media="print")
    for row in moved:
        assert page.locator(f"#{row}").is_visible(), row
    for selector in (".vlm-filter__fields", ".vlm-filter__reset", ".vlm-window", ".vlm-fold__toggle", ".md-clipboard",
                     ".vlm-download-views", ".md-header", ".md-sidebar", ".vlm-permalink", ".vlm-figure-download"):
        assert page.locator(selector).evaluate_all("els => els.filter(e => e.checkVisibility()).length") == 0, selector
    headings = page.locator('table[data-vlm-table="models"] thead th').evaluate_all(
        "ths => ths.map(th => th.innerText.trim())")
    assert headings and all(headings), headings  # the sort buttons holding them are not controls on paper
    style = page.locator('table[data-vlm-table="models"]').evaluate(
        "t => [getComputedStyle(t).page, parseFloat(getComputedStyle(t.querySelector('td')).fontSize)]")
    assert style[0] == "vlm-wide"
    assert style[1] * 72 / 96 >= MIN_PT


def test_zensical_site_prints_the_same_book(pdfs: dict[str, PdfReader], zensical_site: Path, browser: object,
                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    """The site Zensical built prints with the same chapters, in the same order, as MkDocs's."""
    out = tmp_path_factory.mktemp("pdf-zensical")
    print_books(ROOT, zensical_site, out, browser)
    for language in LANGUAGES:
        reader = PdfReader(out / pdf_name(language))
        assert top_outline(reader) == top_outline(pdfs[language.code])
        assert abs(len(reader.pages) - len(pdfs[language.code].pages)) <= 2
