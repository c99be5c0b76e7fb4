"""`python -m vlm_survey serve`: every language on 127.0.0.1 with live reload, surviving broken pages and data.

A rebuild does only what changed. Every language is staged again (vlm_survey/stage.py rewrites only the
files whose content changed, and says which); a language whose staging changed nothing is not built; one
whose pages alone changed is built dirty (MkDocs builds again just the pages whose staged source is newer,
the navigation's titles are in the staged config, and the search index is merged into the previous one);
any other change (config, snippets, a page new or gone, the theme or the code) builds the language in
full. Each language is built by a process of its own, kept between rebuilds, so the languages build at the
same time and each process loads the engine once.

Each language's engine output stays between rebuilds in a folder of its own beside the staging folders.
The served site is assembled from them beside the site and swapped in (as `build` does): a file the
rebuild left as it was is linked to the served site's copy, any other is copied, so no engine ever writes
into a file being served. A failed rebuild leaves the last good site in place: the server keeps serving
it, prints the error and shows it in a box on every HTML page until a rebuild succeeds (live reload then
refreshes the page). After a rebuild failed once staging had started, the next one builds every language
in full.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from mkdocs.livereload import LiveReloadServer

from vlm_survey.build import BuildError, check_sources, replacing, run_engine, translation_statuses, write_exports
from vlm_survey import search_index
from vlm_survey.cli import log_like_mkdocs
from vlm_survey.languages import registry
from vlm_survey.render import macro
from vlm_survey.stage import Inputs, Renders, stage_folder, stage_language

# What a rebuild depends on: the pages (docs/<code>/) and these. Staging reads all but what the engine reads
# itself (the code and templates of the macros, the theme, the shared config that each staged one inherits): a
# change to those builds every language in full.
SHARED = ("data", "vlm_survey", "overrides", "snippets", "mkdocs.yml", "languages.yml", "CITATION.cff")
READ_BY_THE_ENGINE = ("vlm_survey", "overrides", "mkdocs.yml")
SEARCH_INDEX = search_index.INDEX.as_posix()
POLLING = 0.2  # seconds between two looks at the watched files (MkDocs' server looks every 0.5 s)
SETTLE = 0.1  # seconds between seeing a change and reading the files
Stats = dict[str, tuple[int, int, int]]  # file under a folder: (inode, size, mtime_ns)


class _Collector(logging.Handler):
    """Keeps every warning and error logged while it is attached (not MkDocs' notice that a build is
    dirty, which every page rebuild logs)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith("A 'dirty' build is being performed"):
            self.messages.append(message)


@contextmanager
def logged_problems() -> Iterator[list[str]]:
    """The warnings and errors MkDocs and its plugins (mkdocs-macros among them) log in the block."""
    collector = _Collector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)


def describe(exc: BaseException, logged: list[str]) -> str:
    """Why a build failed: what was logged (data and page problems come as file:line:col lines) and the
    final error."""
    reason = exc.report() if hasattr(exc, "report") else str(exc) or type(exc).__name__
    return "\n".join([*logged, reason])


def with_error_box(page: bytes, error: str | None) -> bytes:
    """`page` with the escaped `error` in a fixed box before </body> (unchanged without an error)."""
    if error is None:
        return page
    end = page.rfind(b"</body>")
    end = len(page) if end < 0 else end
    return page[:end] + macro("serve_error.html", "box", error=error).encode() + page[end:]


class Engines:
    """One process per language that runs that language's engine builds, kept between rebuilds: the
    languages of a rebuild build at the same time, and each process loads the engine (and the search plugin's
    dictionaries) once."""

    def __init__(self) -> None:
        self.processes: dict[str, ProcessPoolExecutor] = {}

    def build(self, project: Path, jobs: list[tuple[str, Path, Path, bool]]) -> None:
        """Run each (language code, staged config, output folder, dirty) build in its language's process, all at
        once; raise BuildError with what the first failing one logged."""
        started: list[tuple[str, Future[str | None]]] = []
        for code, config, output, dirty in jobs:
            if code not in self.processes:
                self.processes[code] = ProcessPoolExecutor(1, multiprocessing.get_context("spawn"),
                                                           initializer=_engine_process)
            started.append((code, self.processes[code].submit(_engine_build, project, config, output, dirty)))
        problems = []
        for code, future in started:
            try:
                problems.append(future.result())
            except Exception as exc:  # the process itself stopped (BrokenProcessPool): a new one next time
                self.processes.pop(code).shutdown(wait=False, cancel_futures=True)
                problems.append(f"the engine process of {code} stopped: {exc}")
        failed = [problem for problem in problems if problem is not None]
        if failed:
            raise BuildError(failed[0])

    def close(self) -> None:
        for process in self.processes.values():
            process.shutdown(wait=False, cancel_futures=True)


def _engine_process() -> None:
    """How a language's process starts: MkDocs' messages printed as the server prints them; Ctrl-C is the
    server's to handle (it stops the processes)."""
    log_like_mkdocs()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _engine_build(project: Path, config: Path, output: Path, dirty: bool) -> str | None:
    """In a language's process: one MkDocs build (not strict while serving: a dirty build warns about the pages
    it did not read; `make build` is strict). None when it succeeded, else what it logged and why it failed."""
    with logged_problems() as logged:
        try:
            run_engine("mkdocs", project, config, output, strict=False, dirty=dirty)
        except (Exception, SystemExit) as exc:
            return describe(exc, logged)
    return None


class Rebuilder:
    """Rebuilds what changed (see the module's docstring) and keeps the last error."""

    def __init__(self, project: Path, site_dir: Path) -> None:
        self.project = project
        self.site_dir = site_dir
        self.stages = stage_folder(site_dir)
        self.built = self.stages / ".built"  # each language's engine output, kept between rebuilds
        self.languages = registry(project)
        self.snapshot = self._mtimes()
        self.error: str | None = None
        self.engines = Engines()
        self.renders: dict[str, Renders] = {}  # each language's rendered pages (vlm_survey.stage)
        self.exported = ""  # the catalog the exports were last written from
        self.trusted = False  # whether the engine outputs hold what the site holds (no rebuild failed since)

    def watched(self) -> list[Path]:
        """The files and folders whose changes trigger a rebuild."""
        return [self.project / name for name in SHARED] + [lang.docs(self.project) for lang in self.languages]

    def _mtimes(self) -> dict[Path, float]:
        watched = self.watched()
        files = [p for w in watched for p in ([w] if w.is_file() else w.rglob("*")) if p.is_file()]
        return {path: path.stat().st_mtime for path in files}

    def rebuild(self, full: bool) -> None:
        """Rebuild what changed (every language in full with `full`) beside the site and swap; on failure keep
        the site. languages.yml is read again: it may have changed."""
        started = time.perf_counter()
        with logged_problems() as logged:
            try:
                done = self._rebuild(full)
            except (Exception, SystemExit) as exc:  # not KeyboardInterrupt: Ctrl-C stops the server
                self.error = describe(exc, logged)
                print(f"Build failed, still serving the last good site:\n{self.error}", file=sys.stderr, flush=True)
                return
        self.error = None
        print(f"{', '.join(done) or 'nothing changed'}: built in {time.perf_counter() - started:.2f} s", flush=True)

    def _rebuild(self, full: bool) -> list[str]:
        """Check, stage, build what changed and swap the site; return what was built, as printed."""
        self.languages = languages = registry(self.project)
        catalog = check_sources(self.project, languages)
        full, self.trusted = full or not self.trusted, False  # trusted again once this rebuild is in place
        inputs, behind = Inputs.read(self.project, catalog), translation_statuses(self.project, languages)
        jobs, before, indexes = [], {}, {}
        for language in languages:
            output = self.built / language.code
            staged = stage_language(self.project, language, languages, inputs, self.stages / language.code,
                                    output, behind[language.code], self.renders.setdefault(language.code, {}))
            dirty = not full and staged.pages_only and output.is_dir()
            before[language.code] = _stats(output)
            if dirty and staged.written:
                indexes[language.code] = (output / SEARCH_INDEX).read_bytes()
            if not dirty or staged.written:
                jobs.append((language.code, staged.config, output, dirty))
        self.engines.build(self.project, jobs)
        outputs: list[tuple[Path, str, set[str]]] = []  # (engine output, its place in the site, files it rewrote)
        done, built = [], {code for code, *_ in jobs}
        for language in languages:
            output = self.built / language.code
            rewritten = {name for name, stat in _stats(output).items() if before[language.code].get(name) != stat}
            if language.code in indexes:  # a dirty build's index holds only the pages it built
                pages = {_page_url(name) for name in rewritten}
                index = merged_index(indexes[language.code], (output / SEARCH_INDEX).read_bytes(), pages)
                (output / SEARCH_INDEX).write_bytes(index)
                search_index.compact(output)  # written as every build writes it
                done.append(f"{language.name} ({len(pages - {None})} changed pages)")
            elif language.code in built:
                done.append(language.name)
            outputs.append((output, language.subdir, rewritten))
        exports = self.built / ".exports"
        before = _stats(exports)
        if full or inputs.catalog_json != self.exported:
            shutil.rmtree(exports, ignore_errors=True)
            write_exports(self.project, exports, catalog, languages)
            self.exported = inputs.catalog_json
        outputs.append((exports, "", {n for n, stat in _stats(exports).items() if before.get(n) != stat}))
        with replacing(self.site_dir, discard=_in_background) as new_site:
            assemble(new_site, self.site_dir, outputs)
        self.trusted = True
        return done

    def build_all(self) -> None:
        self.rebuild(full=True)

    def __call__(self) -> None:
        current = self._mtimes()
        if current != self.snapshot:  # a file seen while it is being saved (truncated, not yet written): let it finish
            time.sleep(SETTLE)
            current = self._mtimes()
        changed = {p for p in current.keys() | self.snapshot.keys() if current.get(p) != self.snapshot.get(p)}
        self.snapshot = current
        if changed or self.error:
            engine_read = [self.project / name for name in READ_BY_THE_ENGINE]
            self.rebuild(full=any(path.is_relative_to(folder) for path in changed for folder in engine_read))


def _stats(folder: Path) -> Stats:
    """Each file under `folder` (relative path) with what tells a rewritten file from the same one."""
    found = {}
    for parent, _, names in os.walk(folder):
        for name in names:
            info = os.stat(os.path.join(parent, name), follow_symlinks=False)
            found[Path(parent, name).relative_to(folder).as_posix()] = (info.st_ino, info.st_size, info.st_mtime_ns)
    return found


def _page_url(name: str) -> str | None:
    """The URL of the page MkDocs writes to `name` (directory URLs): models/x/index.html -> models/x/."""
    if name == "index.html":
        return ""
    return name.removesuffix("index.html") if name.endswith("/index.html") else None


def merged_index(previous: bytes, built: bytes, pages: set[str | None]) -> bytes:
    """The search index of a dirty build (`built`: the entries of the pages it built again, `pages`) merged
    into the previous one: a page's new entries take the place of its old ones, a new page's come last."""
    old, new = json.loads(previous), json.loads(built)
    fresh: dict[str, list[dict[str, object]]] = {}
    for doc in new["docs"]:
        fresh.setdefault(doc["location"].split("#", 1)[0], []).append(doc)
    docs: list[dict[str, object]] = []
    for doc in old["docs"]:
        page = doc["location"].split("#", 1)[0]
        if page not in pages:
            docs.append(doc)
        elif page in fresh:
            docs += fresh.pop(page)
    docs += [doc for entries in fresh.values() for doc in entries]
    return json.dumps({**new, "docs": docs}).encode("utf-8")


def assemble(site: Path, previous: Path, outputs: list[tuple[Path, str, set[str]]]) -> None:
    """Make `site` from the engine outputs, each placed at its subfolder: a file the last builds rewrote is
    copied, any other is linked to the previous site's copy (the same bytes; no engine writes there)."""
    for output, subdir, rewritten in outputs:
        for parent, _, names in os.walk(output):
            folder = Path(parent).relative_to(output)
            (site / subdir / folder).mkdir(parents=True, exist_ok=True)
            for name in names:
                relative = (folder / name).as_posix()
                if relative not in rewritten:
                    try:
                        os.link(previous / subdir / relative, site / subdir / relative)
                        continue
                    except OSError:  # the previous site does not have it, or this file system has no hard links
                        pass
                shutil.copyfile(Path(parent, name), site / subdir / relative)


def _in_background(folder: Path) -> None:
    """Remove `folder` (the previous site) without making the new one wait for it."""
    threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, daemon=True).start()


class ErrorBoxServer(LiveReloadServer):
    """MkDocs' live-reload server that shows the last build error on every HTML page it serves."""

    def __init__(self, rebuilder: Rebuilder, host: str, port: int) -> None:
        super().__init__(builder=rebuilder, host=host, port=port, root=str(rebuilder.site_dir),
                         polling_interval=POLLING)
        self.rebuilder = rebuilder
        self.error_handler = self._error_page

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        return with_error_box(super()._inject_js_into_html(content, epoch), self.rebuilder.error)

    def _error_page(self, code: int) -> bytes | None:
        """While a build is failing, a missing page (none built yet) shows the error as well."""
        if self.rebuilder.error is None:
            return None
        return self._inject_js_into_html(macro("serve_error.html", "page", code=code).encode(),
                                         self._visible_epoch)


def serve(project: Path, site_dir: Path, port: int) -> int:
    """Build every language, then serve them on 127.0.0.1 and rebuild on every change."""
    log_like_mkdocs()
    rebuild = Rebuilder(project, site_dir)
    rebuild.build_all()
    server = ErrorBoxServer(rebuild, host="127.0.0.1", port=port)
    for path in rebuild.watched():
        if path.exists():
            server.watch(str(path))
    addresses = ", ".join(f"http://127.0.0.1:{port}/{lang.subdir + '/' if lang.subdir else ''} ({lang.name})"
                          for lang in rebuild.languages)
    print(f"Serving {addresses}")
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        rebuild.engines.close()
    return 0
