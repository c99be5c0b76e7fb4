"""The link checker (scripts/check_links.py): the built site has no broken link in either language,
and every kind of break is reported with the page it is on."""

from __future__ import annotations

import http.server
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

from helpers import LANGS, ROOT, free_port, html_pages, serving, source_pages


def _load() -> object:
    spec = importlib.util.spec_from_file_location("check_links", ROOT / "scripts" / "check_links.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


check_links = _load()

# What `make pdf` adds to the site root after `make build`, and the home pages link: a plain build has not got them.
PDFS = ("downloads/vlm-survey-zh.pdf", "downloads/vlm-survey-en.pdf")


def without_pdfs(broken: list[str]) -> list[str]:
    """The broken links of a plain build ('page: url -> problem') less those to exactly the PDFs of `make pdf`."""
    return [line for line in broken if line.rpartition(" -> ")[2] not in {f"missing {pdf}" for pdf in PDFS}]


def run_checker(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "check_links.py"), *args],
                          capture_output=True, text=True)


def test_the_built_site_has_no_broken_link(site: Path) -> None:
    broken, pages, links = check_links.check_internal(site)
    assert without_pdfs(broken) == [], "\n".join(broken[:40])
    built = [p for lang in LANGS for p in html_pages(site, lang)]
    assert pages == len(built) >= 2 * len(source_pages("zh"))  # every page of both languages was read
    assert links > 10 * pages


def test_only_the_pdfs_of_make_pdf_may_be_missing(site: Path) -> None:
    """Both home pages link both PDFs, which a plain build lacks; any other missing PDF is still a break."""
    broken, _, _ = check_links.check_internal(site)
    assert sorted(set(broken) - set(without_pdfs(broken))) == sorted(
        f"{home}: {prefix}{pdf} -> missing {pdf}" for home, prefix in (("index.html", "./"), ("en/index.html", "../"))
        for pdf in PDFS)
    near = [f"index.html: x -> {problem}" for problem in (
        "missing downloads/vlm-survey-fr.pdf", "missing en/downloads/vlm-survey-en.pdf",
        "missing downloads/vlm-survey-zh.pdf.html", "no id #p on downloads/vlm-survey-zh.pdf")]
    assert without_pdfs(near) == near


def test_languages_are_read_from_the_home_page(site: Path) -> None:
    languages = check_links.Site(site, check_links.site_url()).languages
    assert {lang: folder.as_posix() for lang, folder in languages.items()} == {
        lang: sub or "." for lang, sub in LANGS.items()}


TRICKY = """<!DOCTYPE html><HTML lang="zh-Hans"><body>
<!-- <a href="commented.html">not a link</a> <p id="commented"> -->
<a href="a.html?x=1&amp;y=2" title="a > b" id='one'>x</a>
<A HREF=b.html ID=two>y</A>
<img srcset="small.png 1x, big.png 2x" src="img.png">
<script src="app.js">var s = '<a href="in-script.html">';</script>
<style>.x { background: url(in-style.png) } /* <a href="in-style.html"> */</style>
<a name="old-anchor"></a><p data-id="not-an-id">t</p>
<a class="md-select__link" hreflang="en" href="en/">English</a>
<pre><code>&lt;a href="escaped.html"&gt;</code></pre>
</body></HTML>"""


def test_the_tokenizer_reads_tags_as_a_browser_does() -> None:
    page = check_links.parse_html(TRICKY)
    assert page.lang == "zh-Hans"
    assert page.ids == {"one", "two", "old-anchor"}
    assert page.links == [("a", "a.html?x=1&y=2"), ("a", "b.html"), ("img", "img.png"), ("img", "small.png"),
                          ("img", "big.png"), ("script", "app.js"), ("a", "en/")]
    assert page.switch == [("en", "en/")]


INJECTED = {
    "../concepts/#no-such-anchor": "no id #no-such-anchor on concepts/index.html",
    "#missing-here": "no id #missing-here on vit/index.html",
    "../no-such-page/": "missing no-such-page/index.html",
    "../assets/no-such.png": "missing assets/no-such.png",
    "/elsewhere/": "outside the site (not under /vlm-survey/)",
    "../../../../../etc/passwd": "outside the site (not under /vlm-survey/)",
    "%2e%2e/%2e%2e/%2e%2e/etc/passwd": "climbs above the site root",
    "javascript:alert(1)": "script URL (javascript:) in a link",
}


@pytest.fixture(scope="module")
def broken_site(site: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A copy of the built site with one break of each kind; returns it and the asset deleted from it."""
    copy = tmp_path_factory.mktemp("broken-site") / "site"
    shutil.copytree(site, copy)
    page = copy / "vit" / "index.html"
    links = "".join(f'<a href="{url}">x</a>' if not url.endswith(".png") else f'<img src="{url}">'
                    for url in INJECTED)
    html = page.read_text(encoding="utf-8")
    assert "</article>" in html
    page.write_text(html.replace("</article>", links + "</article>", 1), encoding="utf-8")
    english = copy / "en" / "vit" / "index.html"
    html = english.read_text(encoding="utf-8")
    switch = re.search(r'<a href="([^"]+)" hreflang="zh"', html)
    assert switch, "no language selector link to zh on en/vit/"
    english.write_text(html.replace(switch.group(0), '<a href="../../concepts/" hreflang="zh"', 1), encoding="utf-8")
    asset = re.search(r'<script (?:defer )?src="(assets/[^"]+\.js)"', (copy / "index.html").read_text(encoding="utf-8"))
    assert asset, "the home page loads no local script"
    (copy / asset.group(1)).unlink()
    css = sorted(copy.glob("assets/stylesheets/*.css"))[0]
    css.write_text(css.read_text(encoding="utf-8") + '@font-face{font-family:t;src:url(missing-first.woff2) '
                   'format("woff2"),url(missing-fallback.woff) format("woff")}.t{background:url(../x/none.svg)}',
                   encoding="utf-8")
    return copy, asset.group(1)


def test_every_kind_of_break_is_reported_with_its_page(broken_site: tuple[Path, str]) -> None:
    copy, asset = broken_site
    result = run_checker(str(copy))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    for url, problem in INJECTED.items():
        assert f"vit/index.html: {url} -> {problem}" in lines, f"{url}: {result.stdout[-2000:]}"
    assert "en/vit/index.html: language switch to zh: ../../concepts/ -> concepts/index.html, not the same page " \
           "in zh" in lines
    assert f"index.html: {asset} -> missing {asset}" in lines
    assert f"en/index.html: {asset} -> missing en/{asset}" not in lines  # English has its own copy
    css = sorted(copy.glob("assets/stylesheets/*.css"))[0].relative_to(copy).as_posix()
    assert f"{css}: missing-first.woff2 -> missing assets/stylesheets/missing-first.woff2" in lines
    assert f"{css}: ../x/none.svg -> missing assets/x/none.svg" in lines
    assert not [line for line in lines if "missing-fallback" in line]  # a browser never asks for it
    count = int(re.search(r"^(\d+) broken links;", lines[-1]).group(1))
    assert count == len(lines) - 1


def test_font_fallbacks_are_not_required() -> None:
    css = ('@font-face{font-family:K;src:url(fonts/K.woff2) format("woff2"),url(fonts/K.woff) format("woff"),'
           'url(fonts/K.ttf) format("truetype")}.a{background:url("img/a.svg")}.b{background:url(data:image/png;x)}')
    assert check_links._css_urls(css) == ["fonts/K.woff2", "img/a.svg"]


class _Handler(http.server.BaseHTTPRequestHandler):
    """/ok answers; /no-head refuses HEAD but answers GET; /moved redirects to /ok; anything else is 404."""

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self._answer(head=True)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._answer(head=False)

    def _answer(self, head: bool) -> None:
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/ok" or (self.path == "/no-head" and not head):
            self.send_response(200)
        else:
            self.send_response(405 if self.path == "/no-head" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="module")
def remote() -> Iterator[str]:
    """A stand-in for other sites, on the loopback interface."""
    with serving(handler=_Handler) as url:
        yield url


def test_external_check_reports_only_failures(remote: str) -> None:
    dead = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    urls = [f"{remote}/ok", f"{remote}/no-head", f"{remote}/moved", f"{remote}/gone", dead]
    failures = check_links.check_external(urls, timeout=5)
    assert set(failures) == {f"{remote}/gone", dead}
    assert failures[f"{remote}/gone"] == "HTTP 404"
    assert failures[dead].startswith("unreachable")


def test_external_urls_are_other_sites_only(site: Path) -> None:
    found = check_links.external_urls(site)
    published = check_links.site_url()
    assert any(url.startswith("https://arxiv.org/") for url in found)
    assert not [url for url in found if url.startswith(published) or "#" in url]
    assert not [url for url in found if urlsplit(url).hostname in ("127.0.0.1", "localhost")], \
        "a link to a local address can never pass the weekly check; write it as code instead"
    assert all(pages for pages in found.values())


def test_external_mode_cli(remote: str, tmp_path: Path) -> None:
    """`--external` on a site linking to a page that answers and one that does not: exit 1, page named."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text(f'<html lang="zh"><a href="{remote}/ok">ok</a></html>', encoding="utf-8")
    (site / "a" / "index.html").write_text(f'<html lang="zh"><a href="{remote}/gone#x">gone</a></html>',
                                           encoding="utf-8")
    result = run_checker("--external", str(site))
    assert result.returncode == 1
    assert f"{remote}/gone -> HTTP 404 (on a/index.html)" in result.stdout
    assert result.stdout.strip().endswith("1 broken of 2 external links.")
