"""What every benchmark needs: a working copy of the repository, timed child processes, medians."""

from __future__ import annotations

import functools
import http.server
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Iterator, Sequence

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
OUT = ROOT / "bench" / "out"  # profiles and logs of the last run (git-ignored)
# .git stays: the build reads the history (translation banners, macros/freshness.py).
COPY_IGNORE = shutil.ignore_patterns(".venv", "site", ".pytest_cache", "__pycache__", "node_modules", "bench",
                                     "screenshots")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def env() -> dict[str, str]:
    """The environment of every child: Material's MkDocs-2 banner off, output unbuffered."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}


def copy_repo(target: Path, source: Path = ROOT) -> Path:
    """A working copy of a checkout (with its git history; no site, venv or bench) to build and change freely."""
    shutil.copytree(source, target, ignore=COPY_IGNORE)
    return target


@dataclass(frozen=True)
class Run:
    """One finished child process: wall and CPU seconds, peak memory of its largest process, exit code, output."""

    seconds: float
    cpu: float  # user + system, the child and every descendant it waited for: steadier than wall time
    peak_mb: float
    returncode: int
    output: str


def run_timed(cmd: Sequence[str], cwd: Path, timeout: float | None = None) -> Run:
    """Run `cmd` and measure it; its whole process group is killed after `timeout` seconds."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as sink:
        started = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env(), stdout=sink, stderr=subprocess.STDOUT,
                                start_new_session=True)
        timer = threading.Timer(timeout, kill_group, (proc.pid,)) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)  # rusage of the child and every descendant it waited for
        seconds = time.perf_counter() - started
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        sink.seek(0)
        output = sink.read()
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, output)


def kill_group(pid: int, sig: int = signal.SIGKILL) -> None:
    """Signal the process group this harness started for `pid` (it may have ended already)."""
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass


def check(run: Run, what: str) -> Run:
    """Stop the benchmark when a child failed: a timing of a failed build means nothing."""
    if run.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {run.returncode}):\n{run.output[-3000:]}")
    return run


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve_static(folder: Path) -> Iterator[str]:
    """Serve `folder` over HTTP on a free loopback port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium driven by Playwright, with the flags the tests use."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        executable = CHROMIUM if Path(CHROMIUM).exists() else None
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def machine() -> dict[str, str]:
    """Date, cores, CPU and the versions that decide the numbers."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                 if line.startswith("model name")]
        cpu = names[0] if names else cpu
    versions = {name: _version(name) for name in ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin",
                                                   "jieba", "PyYAML", "jsonschema", "playwright")}
    return {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "cores": str(os.cpu_count()), "cpu": cpu,
            "python": platform.python_version(), **versions, "chromium": _chromium_version()}


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _chromium_version() -> str:
    if not Path(CHROMIUM).exists():
        return "Playwright's own"
    result = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30)
    return result.stdout.strip() or "unknown"
