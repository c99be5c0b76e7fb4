"""What lets a long page paint early on a phone, on every page both engines build: no script blocks the
parser (overrides/main.html defers them all), the site's own scripts and style sheets arrive minified, as
one script and one style sheet (vlm_survey/assets.py), and the search index every first visit fetches carries no word break that its
separator makes redundant (vlm_survey/search_index.py). The browser tests run the deferred scripts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import LANGS, ROOT, html_pages
from vlm_survey import assets

ENGINES = ("site", "zensical_site")
ASSETS = ROOT / "overrides" / "assets"


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
def test_own_scripts_and_style_sheets_arrive_as_one_minified_bundle_each(engine: str,
                                                                        request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(engine)
    for built_site in (site, site / "en"):
        soup = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
        linked = [tag["href"] for tag in soup.find_all("link", rel="stylesheet")] + \
                 [tag["src"] for tag in soup.find_all("script", src=True)]
        for name, sources in assets.BUNDLES.items():
            assert [link for link in linked if link.endswith("assets/" + name)], f"{built_site}: no link to {name}"
            built = (built_site / "assets" / name).read_text(encoding="utf-8")
            size = sum(len((ASSETS / part).read_text(encoding="utf-8")) for part in sources)
            assert "/*" not in built and len(built) < 0.8 * size, f"{built_site / 'assets' / name} is not minified"
            for part in sources:
                assert not (built_site / "assets" / part).exists(), f"{part} is published beside its bundle"
                assert not [link for link in linked if link.endswith(part)], f"{built_site}: a page links {part}"
        # a line of each script's code is in the bundle: none is left out
        script = (built_site / "assets" / "javascripts" / "site.js").read_text(encoding="utf-8")
        for part in assets.BUNDLES["javascripts/site.js"]:
            code = (ASSETS / part).read_text(encoding="utf-8")
            marker = re.search(r"function (\w+)|document\$\.subscribe", code)
            if marker:
                assert marker.group(0) in script, f"{part} is not in site.js"


def test_a_script_no_bundle_lists_stops_the_build(tmp_path: Path) -> None:
    sources = tmp_path / assets.SOURCES
    for name in (part for parts in assets.BUNDLES.values() for part in parts):
        (sources / name).parent.mkdir(parents=True, exist_ok=True)
        (sources / name).write_text("/* a source */\n", encoding="utf-8")
    assets.check(tmp_path)
    (sources / "javascripts" / "stray.js").write_text("var x = 1;\n", encoding="utf-8")
    with pytest.raises(assets.AssetError, match="stray.js"):
        assets.check(tmp_path)


def test_search_index_has_no_spare_word_breaks(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    assert text.count("\u200b") > 1000, "the Chinese index has lost jieba's word breaks"
    spare = re.findall("[ ，。、]\u200b|\u200b[ ，。、]", text)
    assert not spare, f"{len(spare)} word breaks beside a separator, e.g. {spare[:3]!r}"
