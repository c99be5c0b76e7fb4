"""The home page as a landing page (docs/<lang>/index.md), in both languages and both engines: the hero and its
two buttons, eight numbered chapter cards in reading order, three reading-path cards, live counts, the date of
the last content change, the PDF links; and in Chromium, a phone-sized page that fits and can be tapped."""

from __future__ import annotations

import datetime
import posixpath
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import CORE_CHAPTERS, LANGS, ROOT, build_site, commit_all, copy_repo, git, page_path, serving, soup
from vlm_survey import home
from vlm_survey.freshness import split_front_matter
from vlm_survey.i18n import date_text

PATHS = ["for-newcomers", "for-practitioners", "for-lecturers"]
PDFS = ["downloads/vlm-survey-zh.pdf", "downloads/vlm-survey-en.pdf"]
ENGINES = ("mkdocs", "zensical")


@pytest.fixture(params=ENGINES)
def engine_site(request: pytest.FixtureRequest) -> Path:
    """The site built by each engine."""
    return request.getfixturevalue("site" if request.param == "mkdocs" else "zensical_site")


def _home(site: Path, lang: str) -> BeautifulSoup:
    return soup(page_path(site, lang, "index"))


def _target(site: Path, lang: str, href: str) -> tuple[str, str]:
    """(path under the site root, fragment) that `href` on the home page of `lang` leads to."""
    path, _, fragment = href.partition("#")
    joined = posixpath.normpath(posixpath.join(LANGS[lang] or ".", path))
    if not posixpath.splitext(joined)[1]:
        joined = posixpath.join(joined, "index.html").removeprefix("./")
    return joined, fragment


def _data_count(collection: str) -> int:
    return len([p for p in (ROOT / "data" / collection).glob("*.yaml") if not p.name.startswith("_")])


@pytest.mark.parametrize("lang", LANGS)
def test_the_hero_says_what_the_site_is_and_leads_to_the_chapters_and_the_models(engine_site: Path,
                                                                                lang: str) -> None:
    hero = _home(engine_site, lang).select_one("article .vlm-home-hero")
    assert hero is not None and hero.select_one(".vlm-home-lead").get_text(strip=True)
    buttons = hero.select(".vlm-home-actions a.md-button")
    assert [b.get("class") for b in buttons] == [["md-button", "md-button--primary"], ["md-button"]]
    targets = [_target(engine_site, lang, b["href"]) for b in buttons]
    folder = f"{LANGS[lang]}/" if LANGS[lang] else ""
    assert targets == [(f"{folder}concepts/index.html", ""), (f"{folder}architecture/index.html", "model-table")]
    models = soup(engine_site / targets[1][0])
    assert models.find(id="model-table") and models.select_one('table[data-vlm-table="models"]')


@pytest.mark.parametrize("lang", LANGS)
def test_eight_numbered_chapter_cards_follow_the_nav(engine_site: Path, lang: str) -> None:
    page = _home(engine_site, lang)
    cards = page.select("article .grid.cards.vlm-home-chapters > ol > li")
    assert len(cards) == 8
    linked = [_target(engine_site, lang, card.select_one("a.vlm-home-card-title")["href"])[0] for card in cards]
    folder = f"{LANGS[lang]}/" if LANGS[lang] else ""
    assert linked == [f"{folder}{name}/index.html" for name in CORE_CHAPTERS]
    assert all((engine_site / path).is_file() for path in linked)
    assert all(card.get_text(" ", strip=True) != card.a.get_text(strip=True) for card in cards), "a card has no line"
    nav = [_target(engine_site, lang, a["href"])[0] for a in page.select(".md-nav--primary a.md-nav__link[href]")]
    order = [nav.index(path) for path in linked]
    assert order == sorted(order), "the cards are not in the order of the navigation"


@pytest.mark.parametrize("lang", LANGS)
def test_the_reading_paths_are_three_cards_with_their_anchors(engine_site: Path, lang: str) -> None:
    page = _home(engine_site, lang)
    cards = page.select("article .grid.vlm-home-paths > .card")
    assert [card.select_one("h3")["id"] for card in cards] == PATHS
    assert page.find(id="how-to-read") and not page.select(".mermaid, pre.mermaid, .vlm-diagram, figure")
    assert not list(ROOT.glob("docs/*/diagrams/index-*.svg")), "the old reading-order diagram is still there"


@pytest.mark.parametrize("lang", LANGS)
def test_the_counts_and_the_last_update_are_the_data_and_the_history(engine_site: Path, lang: str) -> None:
    facts = _home(engine_site, lang).select_one("article .vlm-home-facts")
    assert [int(s.get_text()) for s in facts.select("strong")] == [_data_count("models"), _data_count("benchmarks")]
    newest = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%cs", "--", "docs", "data"],
                            capture_output=True, text=True).stdout.strip()
    time = facts.select_one("time")
    assert time["datetime"] == newest
    assert time.get_text() == date_text(lang, datetime.date.fromisoformat(newest))


def test_without_git_history_the_date_is_left_out(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A copy without .git (a tarball) builds, with the counts and without the date."""
    repo = copy_repo(tmp_path_factory.mktemp("tarball") / "repo")
    assert not (repo / ".git").exists()
    site = build_site(repo / "site", cwd=repo)
    for lang in LANGS:
        facts = _home(site, lang).select_one("article .vlm-home-facts")
        assert len(facts.select("strong")) == 2 and facts.select_one("time") is None


@pytest.mark.parametrize("lang", LANGS)
def test_both_home_pages_link_both_pdfs_at_the_site_root(engine_site: Path, lang: str) -> None:
    links = _home(engine_site, lang).select("article .vlm-home-pdf a[href]")
    assert sorted(_target(engine_site, lang, a["href"])[0] for a in links) == sorted(PDFS)


@pytest.mark.parametrize("lang", LANGS)
def test_the_home_page_has_its_own_description(site: Path, lang: str) -> None:
    meta, _ = split_front_matter((ROOT / "docs" / lang / "index.md").read_text(encoding="utf-8"))
    shown = _home(site, lang).select_one('meta[name="description"]')["content"]
    assert meta["description"] and shown == meta["description"]
    assert shown != soup(page_path(site, lang, "vit")).select_one('meta[name="description"]')["content"]


def test_dates_are_written_as_each_language_writes_them() -> None:
    assert date_text("zh", datetime.date(2026, 12, 1)) == "2026年12月1日"
    assert date_text("en", datetime.date(2026, 12, 1)) == "1 December 2026"


def test_the_date_is_the_last_content_commit_and_none_without_history(tmp_path: Path) -> None:
    assert home.content_date(tmp_path) is None  # a tarball: no history, no line
    for path, when in (("docs/zh/index.md", "2026-03-04T10:00:00+08:00"), ("README.md", "2026-05-06T10:00:00+00:00")):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(when, encoding="utf-8")
        if path == "docs/zh/index.md":
            git(tmp_path, "init", "-q")
        with pytest.MonkeyPatch.context() as env:
            env.setenv("GIT_COMMITTER_DATE", when)
            commit_all(tmp_path, f"change {path}")
    assert home.content_date(tmp_path) == datetime.date(2026, 3, 4)  # README.md is not content


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("engine", ENGINES)
def test_on_a_phone_nothing_overflows_and_everything_can_be_tapped(browser: object, engine: str,
                                                                   scheme: str,
                                                                   request: pytest.FixtureRequest) -> None:
    site = request.getfixturevalue("site" if engine == "mkdocs" else "zensical_site")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  color_scheme=scheme)
    try:
        tab = context.new_page()
        with serving(site) as url:
            for lang, folder in LANGS.items():
                tab.goto(f"{url}/{folder}/" if folder else f"{url}/")
                layout = tab.evaluate("""() => {
                  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.height]; };
                  const all = (s) => Array.prototype.map.call(document.querySelectorAll(s), box);
                  const card = document.querySelector('.vlm-home-chapters li');
                  return {width: document.documentElement.scrollWidth, view: document.documentElement.clientWidth,
                          scheme: document.body.getAttribute('data-md-color-scheme'),
                          buttons: all('.vlm-home-actions .md-button'), pdf: all('.vlm-home-pdf a'),
                          cards: all('.vlm-home-chapters li'), paths: all('.vlm-home-paths > .card'),
                          number: getComputedStyle(card, '::before').content};
                }""")
                assert layout["width"] <= layout["view"] == 390, f"{engine} {lang}: the page scrolls sideways"
                assert layout["scheme"] == ("slate" if scheme == "dark" else "default")
                assert len(layout["buttons"]) == 2 and len(layout["pdf"]) == 2
                assert len(layout["cards"]) == 8 and len(layout["paths"]) == 3
                for left, right, height in layout["buttons"] + layout["pdf"] + layout["cards"] + layout["paths"]:
                    assert 0 <= left and right <= 390, f"{engine} {lang}: something sticks out"
                    assert height >= 24, f"{engine} {lang}: a tap target is {height} px high"
                assert "vlm-chapter" in layout["number"], f"{engine} {lang}: the chapter cards are not numbered"
    finally:
        context.close()
