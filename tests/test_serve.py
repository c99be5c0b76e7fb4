"""`python -m vlm_survey serve` survives broken data and pages: it keeps serving the last good site, answers
every request, shows the error in a box on every HTML page, and recovers once the file is fixed.

One server, of one working copy, goes through one scenario: it starts with broken data (no good site yet),
then files break and are fixed in turn. The scenario is a shared build (conftest.py): it runs in the
background as soon as the session starts, and records what the server answered after each step; the tests
below check those answers. What breaks a build, and what the box must then say, comes from the bad-input
corpus (tests/bad_inputs.py).
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import time
import urllib.error
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import pytest
import yaml

from bad_inputs import BUILD, BUILD_CASES
from helpers import LANGUAGES, OPENER, build_site, copy_repo, dev_server, early_build, site_digest
from vlm_survey.serve import Rebuilder, merged_index

PREFIXES = [f"/{language.subdir}/" if language.subdir else "/" for language in LANGUAGES]
PAGES = tuple(f"{prefix}{page}" for prefix in PREFIXES for page in ("", "architecture/", "vit/"))
REBUILD = 180
REQUEST = 60  # a request waits while a rebuild is under way
POLL = 3  # seconds of one long poll for the next rebuild
BOX = 'id="build-error"'
STUCK = "An error happened during the rebuild"  # MkDocs' live-reload server: the rebuild itself raised
BAD_DATA = BUILD["bad data in a real entry"]
AFTER_ANOTHER = BUILD["unknown column in an English page"]  # fails after the root language was built
ROOT_PAGE = BUILD["undefined name in a Chinese page"]
# The corpus's breakages of that page (which the lenient dev-server build refuses too), applied in turn.
ROOT_PAGE_CASES = [item for item in BUILD_CASES if item.pattern == ROOT_PAGE.pattern and not item.strict_only]
CHANGED_SUMMARY = "改过的摘要。"
ADDED_SENTENCE = "A sentence added while the other page is broken."
RENAMED = "A Renamed Survey"

Answers = dict[str, tuple[int, str]]  # path: (status, body)


@dataclass
class Server:
    repo: Path
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def get(self, path: str) -> tuple[int, str]:
        """Status and body of `path`; an error status is an answer too."""
        try:
            with OPENER.open(self.url + path, timeout=REQUEST) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def answers(self, paths: Iterable[str] = PAGES) -> Answers:
        return {path: self.get(path) for path in paths}

    def epoch(self) -> int:
        """The version of the site the server shows (from the live-reload script of a page)."""
        return int(re.search(r"livereload\((\d+),", self.get("/")[1])[1])

    def wait_for_rebuild(self, epoch: int) -> None:
        """Wait until a rebuild started after `epoch` is over, successful or not (the live-reload script's long
        poll, asked again every few seconds so that a server that stopped or got stuck is noticed at once)."""
        deadline = time.monotonic() + REBUILD
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the server stopped:\n" + self.log_tail()
            assert STUCK not in self.log.read_text("utf-8", "replace"), "a rebuild raised:\n" + self.log_tail()
            try:
                with OPENER.open(f"{self.url}/livereload/{epoch}/1", timeout=POLL) as response:
                    if int(response.read()) > epoch:
                        return
            except (TimeoutError, urllib.error.URLError) as exc:
                if not isinstance(getattr(exc, "reason", exc), TimeoutError):
                    raise
        raise AssertionError(f"no rebuild within {REBUILD} s:\n{self.log_tail()}")

    def edit(self, path: Path, text: str) -> None:
        """Write `path` and wait for the rebuild it starts."""
        epoch = self.epoch()
        path.write_text(text, encoding="utf-8")
        self.wait_for_rebuild(epoch)

    def log_tail(self) -> str:
        return self.log.read_text("utf-8", "replace")[-4000:]


@dataclass
class Scenario:
    """What the server answered at each step (`seen`), what each step expected the error box to say, whether the
    server was still running, and the error that stopped the scenario early, if one did."""

    seen: dict[str, Answers] = field(default_factory=dict)
    says: dict[str, list[str]] = field(default_factory=dict)
    running: dict[str, bool] = field(default_factory=dict)
    entry_page: str = ""
    stopped: str | None = None

    def __getitem__(self, step: str) -> Answers:
        if step not in self.seen:
            pytest.fail(f"the scenario stopped before step {step!r}: {self.stopped}")
        return self.seen[step]


def _break_and_fix(server: Server, record: Callable[..., None]) -> None:
    """Every step after the start, in order; `record(step, paths, says)` keeps what the server answers."""
    repo = server.repo
    model, other_page = BAD_DATA.path(repo), AFTER_ANOTHER.path(repo)
    entry_page = f"/models/{model.stem}/"
    with_entry = (*PAGES, entry_page)
    originals = {path: path.read_text(encoding="utf-8") for path in (model, other_page)}

    # Broken data, then in one rebuild the data fixed (with a change) while another language's page fails.
    record("good", with_entry)  # as at "fixed", with the entry page
    server.edit(model, BAD_DATA.change(originals[model]))
    record("data broken", with_entry, BAD_DATA.expected(repo))
    epoch = server.epoch()
    other_page.write_text(AFTER_ANOTHER.change(originals[other_page]), encoding="utf-8")
    model.write_text(re.sub(r"(?m)^(  zh: )", rf"\g<1>{CHANGED_SUMMARY}", originals[model], count=1), encoding="utf-8")
    server.wait_for_rebuild(epoch)
    time.sleep(2)  # the second file may start a second rebuild; requests wait for it
    record("data fixed, another language's page broken", with_entry, AFTER_ANOTHER.expected(repo))
    server.edit(other_page, originals[other_page])
    record("that page fixed", with_entry)  # the changed summary stays

    # Each breakage of a root-language page in turn; a good edit of another language's page meanwhile.
    page, edited = ROOT_PAGE.path(repo), LANGUAGES[-1].docs(repo) / "vit.md"
    page_text, edited_text = page.read_text(encoding="utf-8"), edited.read_text(encoding="utf-8")
    record("before the pages break")
    for number, item in enumerate(ROOT_PAGE_CASES):
        server.edit(page, item.change(page_text))
        record(f"page broken: {item.name}", says=item.expected(repo))
        if number == 0:
            server.edit(edited, f"{edited_text}\n{ADDED_SENTENCE}\n")
            record("another language's page edited meanwhile", says=item.expected(repo))
    # The page fixed, and in the same rebuild a language's entry in languages.yml changed (not restored).
    registry = repo / "languages.yml"
    entries = yaml.safe_load(registry.read_text(encoding="utf-8"))
    entries[-1]["site_name"] = RENAMED
    epoch = server.epoch()
    registry.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")
    page.write_text(page_text, encoding="utf-8")
    server.wait_for_rebuild(epoch)
    time.sleep(2)  # the second file may start a second rebuild; requests wait for it
    record("page fixed, a language renamed")
    server.edit(edited, edited_text)
    record("other page restored")


@early_build(alone=True)
def _serve_scenario(early: Any, factory: pytest.TempPathFactory) -> Scenario:
    """The server of a working copy, started with a broken data file, taken through every step."""
    base = factory.mktemp("serve")
    repo = copy_repo(base / "repo")
    model = BAD_DATA.path(repo)
    original, expected = model.read_text(encoding="utf-8"), BAD_DATA.expected(repo)
    model.write_text(BAD_DATA.change(original), encoding="utf-8")
    scenario = Scenario(entry_page=f"/models/{model.stem}/")
    log = base / "serve.log"
    try:
        with dev_server(repo, base / "site", log) as (url, process):
            server = Server(repo, url, process, log)

            def record(step: str, paths: Iterable[str] = PAGES, says: list[str] | None = None) -> None:
                scenario.seen[step] = server.answers(paths)
                scenario.says[step] = says or []
                scenario.running[step] = process.poll() is None

            record("at start", says=expected)
            server.edit(model, original)
            record("fixed")
            _break_and_fix(server, record)
    except Exception as exc:  # noqa: BLE001 - every test of a step not reached reports it
        scenario.stopped = f"{type(exc).__name__}: {exc}"
    return scenario


@pytest.fixture(scope="module")
def serve_scenario(_early_builds: Any) -> Scenario:
    return _early_builds.result("serve_scenario")


def content(page: str) -> str:
    """A served page without what the server adds (live-reload script, error box)."""
    return page.split("<script>\nvar livereload", 1)[0]


def error_box(page: str) -> str | None:
    """The text of the error box of a served page, if it has one (escaped: no markup but its title)."""
    found = re.search(r'<pre id="build-error"[^>]*>(.*?)</pre>', page, re.S)
    if not found:
        return None
    assert re.findall(r"<[^>]*>", found[1]) == ["<strong>", "</strong>"], found[1]
    return html.unescape(found[1])


def served(scenario: Scenario, step: str) -> dict[str, str]:
    """Every page of `step`, each answered with 200, from a running server."""
    answers = scenario[step]
    assert scenario.running[step], f"{step}: the server stopped"
    assert {path: status for path, (status, _) in answers.items() if status != 200} == {}, step
    return {path: body for path, (_, body) in answers.items()}


def assert_keeps_serving(scenario: Scenario, step: str, good: str) -> None:
    """Every page of `step`: the content of step `good`, and an error box that says what the step expected."""
    before = served(scenario, good)
    for path, page in served(scenario, step).items():
        assert content(page) == content(before[path]), (step, path)
        box = error_box(page)
        assert box is not None, f"{step}: no error box on {path}"
        for text in scenario.says[step]:
            assert text in box, (step, path, box)


def assert_recovered(scenario: Scenario, step: str) -> dict[str, str]:
    """Every page of `step`, without an error box."""
    pages = served(scenario, step)
    assert not [path for path, page in pages.items() if BOX in page], step
    return pages


def test_broken_data_at_start_is_shown_until_fixed(serve_scenario: Scenario) -> None:
    """With no good site yet, every page is missing, and says why; once the file is fixed, every page is there."""
    at_start = serve_scenario["at start"]
    assert at_start.keys() == set(PAGES)
    for path, (status, page) in at_start.items():
        assert status == 404, path
        box = error_box(page)
        assert box is not None, f"no error box on {path}"
        for text in serve_scenario.says["at start"]:
            assert text in box, (path, box)
    assert_recovered(serve_scenario, "fixed")


def test_broken_data_and_a_failed_full_rebuild_keep_the_last_good_site(serve_scenario: Scenario) -> None:
    """A data file breaks: the last good site, the problem in the box. Then, in one rebuild, the data is fixed
    (with a change the root language's build takes) while another language's page fails: nothing changes, not
    even the root language's pages (every language is swapped in together, or none). Once that page is fixed,
    the data change is served."""
    entry_page = serve_scenario.entry_page
    good = assert_recovered(serve_scenario, "good")
    assert CHANGED_SUMMARY not in good[entry_page]
    assert_keeps_serving(serve_scenario, "data broken", "good")
    assert_keeps_serving(serve_scenario, "data fixed, another language's page broken", "good")
    assert CHANGED_SUMMARY in assert_recovered(serve_scenario, "that page fixed")[entry_page]


def test_broken_pages_keep_the_last_good_site_until_everything_builds(serve_scenario: Scenario) -> None:
    """Each breakage of a root-language page in turn (a name that is not defined, markup in a macro argument, an
    argument of the wrong type, a front matter that does not parse): the last good site, the problem in the
    box. A good edit of another language's page meanwhile does not hide it; once the page is fixed, both
    changes are served."""
    assert ROOT_PAGE_CASES[0] == ROOT_PAGE and len(ROOT_PAGE_CASES) >= 4
    assert_recovered(serve_scenario, "before the pages break")
    for item in ROOT_PAGE_CASES:
        assert_keeps_serving(serve_scenario, f"page broken: {item.name}", "before the pages break")
    assert_keeps_serving(serve_scenario, "another language's page edited meanwhile", "before the pages break")
    assert ADDED_SENTENCE in assert_recovered(serve_scenario, "page fixed, a language renamed")[f"{PREFIXES[-1]}vit/"]
    restored = assert_recovered(serve_scenario, "other page restored")
    assert ADDED_SENTENCE not in restored[f"{PREFIXES[-1]}vit/"]


def test_a_changed_language_entry_is_built(serve_scenario: Scenario) -> None:
    """languages.yml is watched: a change to a language's entry (its site name) reaches that language's pages."""
    for step in ("page fixed, a language renamed", "other page restored"):
        page = assert_recovered(serve_scenario, step)[PREFIXES[-1]]
        assert RENAMED in page.split("</title>", 1)[0], step


def test_a_rebuild_builds_what_a_build_from_nothing_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """After a model's data file and a page of the root language changed, the server builds only the pages they
    change (in every language: the model's page, the pages whose macros read models, the page's other-language
    version when its banner changes), yet serves byte for byte the site a build of the same files makes (the
    sitemap's dates aside): the other pages' navigation, and the search index, stay whole."""
    repo = copy_repo(tmp_path / "repo", git=True)
    model = sorted((repo / "data" / "models").glob("[!_]*.yaml"))[0]
    page = LANGUAGES[0].docs(repo) / "introduction.md"
    rebuild = Rebuilder(repo, tmp_path / "site")
    try:
        rebuild.build_all()
        assert rebuild.error is None
        capsys.readouterr()
        model.write_text(re.sub(r"(?m)^organization: .*$", "organization: A Renamed Lab", model.read_text("utf-8"),
                                count=1), encoding="utf-8")
        page.write_text(page.read_text("utf-8") + f"\n{ADDED_SENTENCE}\n", encoding="utf-8")
        rebuild()
        assert rebuild.error is None, rebuild.error
    finally:
        rebuild.engines.close()
    printed = capsys.readouterr().out
    assert all(f"{language.name} (" in printed for language in LANGUAGES), f"not built page by page: {printed}"
    served, clean = site_digest(tmp_path / "site"), site_digest(build_site(tmp_path / "clean", cwd=repo))
    dated = {name for name in clean if name.rsplit("/", 1)[-1].startswith("sitemap.xml")}
    assert served.keys() == clean.keys()
    assert [name for name in clean if name not in dated and served[name] != clean[name]] == []
    assert "A Renamed Lab" in (tmp_path / "site" / "architecture" / "index.html").read_text("utf-8")


def test_a_dirty_build_s_search_entries_replace_the_page_s_old_ones() -> None:
    def index(*docs: tuple[str, str]) -> bytes:
        return json.dumps({"config": {"lang": ["en"]}, "docs": [{"location": l, "text": t} for l, t in docs]}).encode()

    previous = index(("", "home"), ("a/", "a"), ("a/#x", "a x"), ("b/", "b"), ("c/", "c"))
    built = index(("a/", "a2"), ("new/", "new"))
    merged = json.loads(merged_index(previous, built, {"a/", "c/", "new/", None}))
    assert [(doc["location"], doc["text"]) for doc in merged["docs"]] == [
        ("", "home"), ("a/", "a2"), ("b/", "b"), ("new/", "new")]  # c/ was built again and has no entry now
