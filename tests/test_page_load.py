"""What lets a long page paint early on a phone, on every page both engines build: no script blocks the
parser (overrides/main.html defers them all), the site's own scripts and style sheet arrive minified
(vlm_survey/minify.py), and the search index every first visit fetches carries no word break that its
separator makes redundant (vlm_survey/search_index.py). The browser tests run the deferred scripts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import LANGS, ROOT, html_pages

ENGINES = ("site", "zensical_site")
ASSETS = ROOT / "overrides" / "assets"
OWN = sorted(path.relative_to(ASSETS) for path in ASSETS.rglob("*") if path.suffix in (".js", ".css"))


@pytest.mark.parametrize("engine", ENGINES)
def test_no_page_has_a_parser_blocking_script(engine: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(engine)
    blocking = []
    for page in (page for lang in LANGS for page in html_pages(site, lang)):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script", src=True):
            if not (script.has_attr("defer") or script.has_attr("async")):
                blocking.append(f"{page.relative_to(site)}: {script['src']}")
    assert not blocking, f"{len(blocking)} scripts block the parser, e.g. {blocking[:3]}"


@pytest.mark.parametrize("engine", ENGINES)
def test_own_scripts_and_style_sheet_are_minified(engine: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(engine)
    assert OWN, f"no scripts or style sheets in {ASSETS}"
    for built_site in (site, site / "en"):
        for name in OWN:
            source = (ASSETS / name).read_text(encoding="utf-8")
            built = (built_site / "assets" / name).read_text(encoding="utf-8")
            assert "/*" in source, f"{name} has no comment to remove: pick a file that shows the minifier"
            assert "/*" not in built and len(built) < 0.8 * len(source), f"{built_site / 'assets' / name} is not minified"


def test_search_index_has_no_spare_word_breaks(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    assert text.count("\u200b") > 1000, "the Chinese index has lost jieba's word breaks"
    spare = re.findall("[ ，。、]\u200b|\u200b[ ，。、]", text)
    assert not spare, f"{len(spare)} word breaks beside a separator, e.g. {spare[:3]!r}"
