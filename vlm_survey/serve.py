"""`python -m vlm_survey serve`: every language on 127.0.0.1 with live reload, surviving broken pages and data.

Every rebuild is built beside the site and swapped in (as `build` does), so a failed one
leaves the last good site in place: the server keeps serving it, prints the error and shows it in a
box on every HTML page until a rebuild succeeds (live reload then refreshes the page).
"""

from __future__ import annotations

import logging
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from mkdocs.livereload import LiveReloadServer

from vlm_survey.build import build_languages, replacing, write_exports
from vlm_survey.render import macro
from vlm_survey.cli import log_like_mkdocs
from vlm_survey.languages import registry
from vlm_survey.stage import stage_folder

# What a rebuild depends on besides the pages (docs/<code>/): a change there rebuilds every language.
SHARED = ("data", "vlm_survey", "overrides", "snippets", "mkdocs.yml", "languages.yml", "CITATION.cff")


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


class Rebuilder:
    """Rebuilds what changed (one language's pages, dirty, or everything) and keeps the last error."""

    def __init__(self, project: Path, site_dir: Path) -> None:
        self.project = project
        self.site_dir = site_dir
        self.languages = registry(project)
        self.snapshot = self._mtimes()
        self.error: str | None = None

    def watched(self) -> list[Path]:
        """The files and folders whose changes trigger a rebuild."""
        return [self.project / name for name in SHARED] + [lang.docs(self.project) for lang in self.languages]

    def _mtimes(self) -> dict[Path, float]:
        watched = self.watched()
        files = [p for w in watched for p in ([w] if w.is_file() else w.rglob("*")) if p.is_file()]
        return {path: path.stat().st_mtime for path in files}

    def rebuild(self, codes: Sequence[str] | None, dirty: bool) -> None:
        """Build the languages `codes` (None: every language) beside the site (from a copy of it when
        dirty) and swap; on failure keep the site. languages.yml is read again: it may have changed."""
        started = time.perf_counter()
        with logged_problems() as logged:
            try:
                self.languages = registry(self.project)
                langs = [lang for lang in self.languages if codes is None or lang.code in codes]
                with replacing(self.site_dir) as new_site:
                    if dirty:
                        shutil.copytree(self.site_dir, new_site, symlinks=True)
                    # Not strict while serving: a dirty rebuild warns about the other languages' files
                    # in its folder. `make build` stays strict.
                    catalog = build_languages(self.project, langs, new_site, stage_folder(self.site_dir),
                                              strict=False, dirty=dirty)
                    if not dirty:
                        write_exports(self.project, new_site, catalog, self.languages)
            except (Exception, SystemExit) as exc:  # not KeyboardInterrupt: Ctrl-C stops the server
                self.error = describe(exc, logged)
                print(f"Build failed, still serving the last good site:\n{self.error}", file=sys.stderr, flush=True)
                return
        self.error = None
        print(f"{', '.join(lang.name for lang in langs)}: built{' (changed pages only)' if dirty else ''} in "
              f"{time.perf_counter() - started:.2f} s", flush=True)

    def build_all(self) -> None:
        self.rebuild(None, dirty=False)

    def __call__(self) -> None:
        current = self._mtimes()
        changed = {p for p in current.keys() | self.snapshot.keys() if current.get(p) != self.snapshot.get(p)}
        self.snapshot = current
        docs = {lang.code: lang.docs(self.project) for lang in self.languages}
        pages_only = [code for code, folder in docs.items() if any(p.is_relative_to(folder) for p in changed)]
        shared = any(not any(p.is_relative_to(folder) for folder in docs.values()) for p in changed)
        if shared or self.error:  # after a failure only a full build tells whether all is well again
            self.build_all()
        elif pages_only:
            self.rebuild(pages_only, dirty=True)


class ErrorBoxServer(LiveReloadServer):
    """MkDocs' live-reload server that shows the last build error on every HTML page it serves."""

    def __init__(self, rebuilder: Rebuilder, host: str, port: int) -> None:
        super().__init__(builder=rebuilder, host=host, port=port, root=str(rebuilder.site_dir))
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
    return 0
