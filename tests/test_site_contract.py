"""The site contract, for both engines: MkDocs and Zensical build the same site from the same staged pages.

Each engine builds the whole site once per session (both at the same time, into temporary folders),
each page is parsed once with an HTML parser, and every test reads those parsed pages:

- every page written in docs/<lang>/ is built in every language, with the same section ids;
- the data tables have the same rows in every language; every model and benchmark has its page;
- chapters end with their cite block; abbreviations become <abbr>; the figures are there;
- the exports exist and parse;
- every internal link, #anchor, asset and language-menu target resolves (scripts/check_links.py);
- both engines write the same page paths, the same exports byte for byte, and the same content
  structure (ids, table rows, abbreviations, where each internal link leads).

What may differ between the engines: each engine's own theme assets and search (README, "Zensical").
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import check_links
from helpers import LANGS, ROOT, page_path, source_pages
from test_links import without_pdfs

ENGINES = ("mkdocs", "zensical")
EXPORTS = ("data/models.json", "data/benchmarks.json", "data/models.csv", "data/benchmarks.csv", "references.bib")
COLLECTIONS = {"models": "model", "benchmarks": "benchmark"}  # folder: table row id prefix
CHAPTERS = sorted(set(source_pages("zh")) | set(source_pages("en")))


def data_ids(collection: str) -> list[str]:
    """The ids of data/<collection>/*.yaml (the file name is the id; _template.yaml is not an entry)."""
    return sorted(path.stem for path in (ROOT / "data" / collection).glob("*.yaml") if not path.name.startswith("_"))


@dataclass
class Built:
    """One engine's site: its folder, every HTML page parsed once, and the link checker's view of it."""

    engine: str
    root: Path
    soups: dict[str, BeautifulSoup] = field(default_factory=dict)  # path relative to the site -> parsed page
    links: check_links.Site | None = None

    def page(self, lang: str, name: str) -> BeautifulSoup:
        return self.soups[page_path(self.root, lang, name).relative_to(self.root).as_posix()]

    def article(self, lang: str, name: str) -> BeautifulSoup:
        article = self.page(lang, name).select_one("article")
        assert article is not None, f"{self.engine}: {lang}/{name} has no <article>"
        return article


def _parse(built: Built) -> Built:
    site = check_links.Site(built.root, check_links.site_url())
    for path in sorted(built.root.rglob("*.html")):
        document = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        built.soups[path.relative_to(built.root).as_posix()] = document
        # The link checker reads the same parse: (tag, attributes) of every element, in document order.
        site.pages[site.root / path.relative_to(built.root)] = check_links.page_from_tags(
            (tag.name, {name: " ".join(value) if isinstance(value, list) else value
                        for name, value in tag.attrs.items()})
            for tag in document.find_all(True))
    built.links = site
    return built


@pytest.fixture(scope="session")
def sites(site: Path, zensical_site: Path) -> dict[str, Built]:
    """Both engines' builds of the repository (the session's shared builds), each page parsed once."""
    return {engine: _parse(Built(engine, root)) for engine, root in (("mkdocs", site), ("zensical", zensical_site))}


@pytest.fixture(params=ENGINES)
def built(request: pytest.FixtureRequest, sites: dict[str, Built]) -> Built:
    return sites[request.param]


def test_every_page_is_built_in_every_language(built: Built) -> None:
    assert source_pages("zh") == source_pages("en"), "docs/zh and docs/en hold different pages"
    missing = [f"{lang}/{name}" for lang in LANGS for name in CHAPTERS
               if page_path(built.root, lang, name).relative_to(built.root).as_posix() not in built.soups]
    assert not missing, f"{built.engine}: not built: {missing}"
    for lang in LANGS:
        for name in CHAPTERS:
            assert built.page(lang, name).html.get("lang", "").startswith(lang), f"{built.engine}: {lang}/{name}"


def test_section_ids_are_the_same_in_every_language(built: Built) -> None:
    for name in CHAPTERS:
        ids = {lang: [h.get("id") for h in built.article(lang, name).select("h2, h3")] for lang in LANGS}
        assert all(None not in found for found in ids.values()), f"{built.engine}: {name}: a heading has no id"
        reference = ids[next(iter(LANGS))]
        for lang, found in ids.items():
            assert found == reference, f"{built.engine}: {name}: section ids of {lang} differ"


def _tables(built: Built, lang: str) -> dict[str, list[tuple[str, list[str]]]]:
    """page -> [(data-vlm-table, [row ids])] for every page with a data table."""
    found = {}
    for name in CHAPTERS:
        tables = [(table["data-vlm-table"], [row.get("id", "") for row in table.select("tbody tr")])
                  for table in built.article(lang, name).select("table[data-vlm-table]")]
        if tables:
            found[name] = tables
    return found


def test_data_tables_have_the_same_rows_in_every_language(built: Built) -> None:
    tables = {lang: _tables(built, lang) for lang in LANGS}
    reference = tables[next(iter(LANGS))]
    assert reference, f"{built.engine}: no data table anywhere"
    for lang, found in tables.items():
        assert found == reference, f"{built.engine}: the data tables of {lang} differ"
    for folder, prefix in COLLECTIONS.items():
        rows = {row for page in reference.values() for kind, rows in page if kind == folder for row in rows}
        assert rows == {f"{prefix}-{entry}" for entry in data_ids(folder)}, \
            f"{built.engine}: the {folder} tables do not list exactly data/{folder}/"


def test_every_model_and_benchmark_has_its_page_in_every_language(built: Built) -> None:
    for folder in COLLECTIONS:
        ids = data_ids(folder)
        assert ids
        for lang in LANGS:
            base = built.root / LANGS[lang] / folder
            missing = [entry for entry in ids if (base / entry / "index.html").relative_to(built.root).as_posix()
                       not in built.soups]
            assert not missing, f"{built.engine}: no {lang} page for {folder}: {missing}"
            h1 = built.soups[(base / ids[0] / "index.html").relative_to(built.root).as_posix()].select_one("h1")
            assert h1 is not None and h1.get_text(strip=True)


def test_chapters_have_their_cite_block_abbreviations_and_figures(built: Built) -> None:
    for lang in LANGS:
        for name in CHAPTERS:
            cite = built.article(lang, name).select("details#cite-this-page")
            assert len(cite) == 1, f"{built.engine}: {lang}/{name} has {len(cite)} cite blocks"
            assert cite[0].select_one("pre code").get_text().lstrip().startswith("@")
        abbreviations = [a for name in CHAPTERS for a in built.article(lang, name).select("abbr[title]")]
        assert len(abbreviations) > 20, f"{built.engine}: {lang}: {len(abbreviations)} <abbr> in all chapters"
        figures = built.article(lang, "architecture").select("figure[data-vlm-figure]")
        assert {figure["data-vlm-figure"] for figure in figures} == {"timeline", "lineage"}
        assert all(figure.select("svg a[href]") for figure in figures), f"{built.engine}: a figure links nothing"


def test_the_exports_exist_and_parse(built: Built) -> None:
    for folder in COLLECTIONS:
        data = json.loads((built.root / "data" / f"{folder}.json").read_text(encoding="utf-8"))
        text = json.dumps(data)
        assert all(entry in text for entry in data_ids(folder))
        rows = list(csv.DictReader(io.StringIO((built.root / "data" / f"{folder}.csv").read_text(encoding="utf-8"))))
        assert sorted(row["id"] for row in rows) == data_ids(folder)
    bib = (built.root / "references.bib").read_text(encoding="utf-8")
    assert bib.count("\n@") + bib.startswith("@") > len(data_ids("models")), "references.bib lacks entries"


def test_every_internal_link_resolves(built: Built) -> None:
    """Every same-site href/src (relative or root-relative), #anchor, stylesheet url() and language-menu
    target, as scripts/check_links.py checks them, on the pages parsed above."""
    broken, pages, checked = check_links.check_site(built.links)
    broken = without_pdfs(broken)  # the PDFs that `make pdf` adds later (test_links.py)
    assert broken == [], f"{built.engine}: {len(broken)} broken:\n" + "\n".join(broken[:40])
    assert pages == len(built.soups) and checked > 10 * pages


def test_every_page_offers_every_language(built: Built) -> None:
    """The language menu of every page lists each language once (check_site checks where they lead)."""
    for path, page in built.links.pages.items():
        if path.name != "404.html":
            assert sorted(lang for lang, _ in page.switch) == sorted(LANGS), f"{built.engine}: {path}"


def _structure(built: Built, relative: str) -> dict[str, object]:
    """What a reader gets from a page's article, engine-neutral: ids, table rows, abbreviations, and
    where each internal link leads (as a path in the site and a fragment, however the link is written)."""
    article = built.soups[relative].select_one("article")
    if article is None:
        return {}
    source = built.root / relative
    targets = []
    for element in article.find_all(href=True):
        target, fragment, problem = built.links.local(source, element["href"])
        targets.append(element["href"] if target is None or problem
                       else f"{target.relative_to(built.root).as_posix()}#{fragment}")
    return {
        # Ids the theme uses for itself start with "__" (Zensical's article holds its skip-link target, #__skip).
        "ids": [element["id"] for element in article.find_all(id=True) if not element["id"].startswith("__")],
        "headings": [(h.name, " ".join(h.get_text().split())) for h in article.select("h1, h2, h3")],
        "tables": [[row.get("id", "") for row in table.select("tr")] for table in article.select("table")],
        "abbr": [(a.get_text(), a.get("title")) for a in article.select("abbr")],
        "links": targets,
    }


def test_both_engines_build_the_same_site(sites: dict[str, Built]) -> None:
    mkdocs, zensical = (sites[engine] for engine in ENGINES)
    assert sorted(mkdocs.soups) == sorted(zensical.soups), "the engines built different pages"
    for name in EXPORTS:
        assert (mkdocs.root / name).read_bytes() == (zensical.root / name).read_bytes(), f"{name} differs"
    differ = [relative for relative in mkdocs.soups if _structure(mkdocs, relative) != _structure(zensical, relative)]
    assert not differ, f"{len(differ)} pages differ in content between the engines, e.g. {differ[:5]}"


def _chrome(document: BeautifulSoup) -> dict[str, object]:
    """The page around the article: title, navigation, table of contents, palette toggles, language menu."""
    def labels(selector: str) -> list[str]:
        return [" ".join(a.get_text().split()) for a in document.select(selector)]
    return {"title": document.title.get_text() if document.title else None,
            "lang": document.html.get("lang"), "nav": labels("nav.md-nav--primary a"),
            "toc": labels("nav.md-nav--secondary a"), "languages": labels("a.md-select__link"),
            "palette": [(i.get("id"), i.get("aria-label")) for i in document.select("form[data-md-component=palette] input")]}


def test_both_engines_put_the_same_chrome_around_each_page(sites: dict[str, Built]) -> None:
    mkdocs, zensical = (sites[engine] for engine in ENGINES)
    differ = [(relative, key, mine, theirs) for relative in mkdocs.soups
              for (key, mine), theirs in zip(_chrome(mkdocs.soups[relative]).items(),
                                             _chrome(zensical.soups[relative]).values()) if mine != theirs]
    assert not differ, differ[:5]


def test_zensical_keeps_what_raw_html_links_mean() -> None:
    """vlm_survey/zensical_links.py undoes Zensical's rewrite: on a page that is not an index page,
    Zensical puts ../ before each relative URL (it reads them from the source file's folder)."""
    from vlm_survey.zensical_links import rebase, rebase_html

    cases = ["../references/#cite-the-survey", "./#cite-the-survey", "mmlu/", "../../data/models.csv", "../",
             "x.png?v=1", "#top", "https://arxiv.org/abs/1", "/vlm-survey/", "mailto:a@example.org", "?q=1"]
    for page_url, source_folder in (("vit/", ""), ("models/blip-2/", "models"), ("a/b/", "a")):
        for url in cases:
            written = rebase(url, page_url, source_folder)
            relative = not check_links.urlsplit(url).scheme and not url.startswith(("/", "#", "?"))
            final = "../" + written if relative else written
            base = "https://site.invalid/root/" + page_url
            assert check_links.urljoin(base, final) == check_links.urljoin(base, url), (page_url, url, written)
    html = ('<p title="a src=b"><a href="../x/" data-href="../y/">t href="../z/"</a><img srcset="a.png 1x, b.png 2x">'
            '<script src="s.js">var u = "<a href=\'../q/\'>";</script><!-- <a href="../c/"> --></p>')
    assert rebase_html(html, "vit/", "") == html.replace('href="../x/"', 'href="x/"').replace(
        "a.png 1x, b.png 2x", "vit/a.png 1x, vit/b.png 2x").replace('src="s.js"', 'src="vit/s.js"')
