"""`docs.py serve` survives broken data and pages: it keeps serving the last good site, answers every
request, shows the error in a box on every HTML page, and recovers once the file is fixed."""

from __future__ import annotations

import html
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pytest

from helpers import copy_repo

PAGES = ("/", "/architecture/", "/en/", "/en/architecture/", "/en/vit/")
STARTUP = 240  # seconds for the first build of both languages on a busy machine
REBUILD = 180
REQUEST = 60  # a request waits while a rebuild is under way
BOX = 'id="build-error"'


@dataclass
class Server:
    repo: Path
    url: str
    process: subprocess.Popen[bytes]

    def get(self, path: str) -> tuple[int, str]:
        """Status and body of `path`; an error status is an answer too."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=REQUEST) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def epoch(self) -> int:
        """The version of the site the server shows (from the live-reload script of a page)."""
        return int(re.search(r"livereload\((\d+),", self.get("/")[1])[1])

    def wait_for_rebuild(self, epoch: int) -> None:
        """Wait until a rebuild started after `epoch` is over, successful or not."""
        deadline = time.monotonic() + REBUILD
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the server stopped"
            with urllib.request.urlopen(f"{self.url}/livereload/{epoch}/1", timeout=REQUEST + 70) as response:
                if int(response.read()) > epoch:
                    return
        pytest.fail(f"no rebuild within {REBUILD} s")

    def edit(self, path: Path | str, text: str) -> None:
        """Write `path` (relative to the working copy, or not) and wait for the rebuild it starts."""
        epoch = self.epoch()
        (self.repo / path).write_text(text, encoding="utf-8")
        self.wait_for_rebuild(epoch)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(repo: Path, site: Path) -> Iterator[Server]:
    """`docs.py serve` of the working copy `repo`, once it answers (its first build is over); stopped after."""
    port = free_port()
    with open(site.parent / "serve.log", "wb") as log:
        process = subprocess.Popen([sys.executable, str(repo / "scripts" / "docs.py"), "serve", "--port", str(port),
                                    "-d", str(site)], cwd=repo, stdout=log, stderr=subprocess.STDOUT)
    running = Server(repo, f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + STARTUP
        while not _answers(running):
            assert process.poll() is None, (site.parent / "serve.log").read_text("utf-8", "replace")
            assert time.monotonic() < deadline, f"not serving after {STARTUP} s"
            time.sleep(0.5)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _answers(server: Server) -> bool:
    try:
        server.get("/")
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The server of a working copy, shared by the tests that break and fix it in turn."""
    base = tmp_path_factory.mktemp("serve")
    with serving(copy_repo(base / "repo"), base / "site") as running:
        yield running


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


def served(server: Server, paths: Iterable[str] = PAGES) -> dict[str, str]:
    """Each of `paths`, answered with 200."""
    pages = {}
    for path in paths:
        status, body = server.get(path)
        assert status == 200, path
        pages[path] = body
    return pages


def assert_keeps_serving(server: Server, before: dict[str, str], *expected: str) -> None:
    """Every page: the last good content, and an error box that says each of `expected`."""
    for path, page in served(server, before).items():
        assert content(page) == content(before[path]), path
        box = error_box(page)
        assert box is not None, f"no error box on {path}"
        for text in expected:
            assert text in box, (path, box)
    assert server.process.poll() is None


def assert_recovered(server: Server, paths: Iterable[str] = PAGES) -> dict[str, str]:
    """Each of `paths` without an error box, from a running server."""
    pages = served(server, paths)
    assert not [path for path, page in pages.items() if BOX in page]
    assert server.process.poll() is None
    return pages


def test_broken_data_keeps_the_last_good_site(server: Server) -> None:
    before = assert_recovered(server)
    model = sorted((server.repo / "data" / "models").glob("[!_]*.yaml"))[0]
    original = model.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("year:"))
    lines[number] = "year: 1899\n"
    relative = model.relative_to(server.repo).as_posix()
    server.edit(relative, "".join(lines))
    assert_keeps_serving(server, before, f"{relative}:{number + 1}:7: year: 1899 is less than the minimum 2012")
    server.edit(relative, original)
    assert assert_recovered(server).keys() == before.keys()


@pytest.mark.parametrize("call, says", [
    ('{{ model_table(columns=["nope"]) }}', "unknown column(s) nope"),
    ("{{ undefined_name }}", "'undefined_name' is undefined"),
    ('{{ model_table(columns=["<img src=x onerror=alert(1)>"]) }}', "unknown column(s) <img src=x onerror=alert(1)>"),
])
def test_broken_macro_call_keeps_the_last_good_site(server: Server, call: str, says: str) -> None:
    before = assert_recovered(server)
    page = "docs/en/architecture.md"  # its front matter has it rendered as a template
    original = (server.repo / page).read_text(encoding="utf-8")
    server.edit(page, f"{original}\n{call}\n")
    assert_keeps_serving(server, before, "architecture.md", says)
    server.edit(page, original)
    assert_recovered(server)


def test_failed_full_rebuild_changes_nothing(server: Server) -> None:
    """A data change that the Chinese build takes, in the same rebuild as an English config that
    fails: the Chinese site stays as it was too (all languages are swapped in together, or none)."""
    model = sorted((server.repo / "data" / "models").glob("[!_]*.yaml"))[0]
    entry_page = f"/models/{model.stem}/"
    before = assert_recovered(server, (*PAGES, entry_page))
    config = server.repo / "mkdocs.en.yml"
    originals = {path: path.read_text(encoding="utf-8") for path in (config, model)}
    epoch = server.epoch()
    config.write_text(originals[config] + "\nnot yaml: [\n", encoding="utf-8")
    model.write_text(re.sub(r"(?m)^(  zh: )", r"\1改过的摘要。", originals[model], count=1), encoding="utf-8")
    server.wait_for_rebuild(epoch)
    time.sleep(2)  # the second file may start a second rebuild; requests wait for it
    assert_keeps_serving(server, before, "mkdocs.en.yml")
    server.edit(config, originals[config])
    assert "改过的摘要。" in assert_recovered(server, (entry_page,))[entry_page]
    server.edit(model, originals[model])
    assert_recovered(server)


def test_bad_front_matter_does_not_stop_the_server(server: Server) -> None:
    page = "docs/zh/vit.md"
    original = (server.repo / page).read_text(encoding="utf-8")
    server.edit(page, "---\ntitle: [unclosed\n---\n" + original)
    served(server)
    assert server.process.poll() is None
    server.edit(page, original)
    assert_recovered(server)



def test_error_stays_until_everything_builds(server: Server) -> None:
    """A good edit of one language's page does not hide the other language's broken page."""
    broken, edited = server.repo / "docs" / "zh" / "architecture.md", server.repo / "docs" / "en" / "vit.md"
    originals = {path: path.read_text(encoding="utf-8") for path in (broken, edited)}
    before = assert_recovered(server)
    server.edit(broken, originals[broken] + "\n{{ undefined_name }}\n")
    server.edit(edited, originals[edited] + "\nA sentence added while the Chinese page is broken.\n")
    assert_keeps_serving(server, before, "architecture.md", "'undefined_name' is undefined")
    server.edit(broken, originals[broken])
    assert "A sentence added while the Chinese page is broken." in assert_recovered(server)["/en/vit/"]
    server.edit(edited, originals[edited])
    assert_recovered(server)


def test_broken_data_at_start_is_shown_until_fixed(tmp_path: Path) -> None:
    """With no good site yet, every page is missing, and says why."""
    repo = copy_repo(tmp_path / "repo")
    model = sorted((repo / "data" / "models").glob("[!_]*.yaml"))[0]
    original = model.read_text(encoding="utf-8")
    model.write_text(re.sub(r"(?m)^year: .*$", "year: 1899", original), encoding="utf-8")
    with serving(repo, tmp_path / "site") as server:
        for path in PAGES:
            status, page = server.get(path)
            assert status == 404
            assert f"data/models/{model.name}:" in error_box(page)
        server.edit(model, original)
        assert_recovered(server)
