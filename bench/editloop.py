"""Edit loop: from saving a file to the rebuilt page being served by `scripts/docs.py serve`.

The server runs in a working copy on a free port. Each run changes one value of a data file (the
organization of the first model, shown in the model table) or one page, then polls the page until
the served HTML holds the new text; the live-reload server answers an HTML request only once the
rebuild it is waiting for has finished.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from bench.common import OUT, PYTHON, env, free_port, kill_group

ORGANIZATION = re.compile(r"^organization: .*$", re.MULTILINE)


@dataclass
class EditLoop:
    """Seconds from saving to the page served, per run, and the server's CPU seconds meanwhile."""

    data_zh: list[float] = field(default_factory=list)  # a YAML file -> the Chinese model table
    data_en: list[float] = field(default_factory=list)  # ... -> the English one (built second)
    data_cpu: list[float] = field(default_factory=list)
    page_zh: list[float] = field(default_factory=list)  # a Chinese page -> that page
    page_cpu: list[float] = field(default_factory=list)


def cpu_seconds(pid: int) -> float:
    """User + system seconds a process has used so far (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _get(url: str, timeout: float = 60) -> str:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError):
        return ""


def _wait_for(url: str, marker: str, started: float, limit: float = 120) -> float:
    while marker not in _get(url):
        if time.perf_counter() - started > limit:
            raise TimeoutError(f"{url} did not show {marker!r} within {limit} s")
        time.sleep(0.02)
    return time.perf_counter() - started


@contextmanager
def _server(copy: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    OUT.mkdir(parents=True, exist_ok=True)
    log = (OUT / "serve.log").open("w", encoding="utf-8")
    proc = subprocess.Popen([PYTHON, str(copy / "scripts" / "docs.py"), "serve", "--port", str(port)], cwd=copy,
                            env=env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/en/", "</html>", time.perf_counter(), limit=600)  # both languages built
        yield base, proc.pid
    finally:
        kill_group(proc.pid, 2)  # SIGINT: the server shuts down cleanly
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kill_group(proc.pid)
            proc.wait()
        log.close()


def measure(copy: Path, runs: int) -> EditLoop:
    model = sorted((copy / "data" / "models").glob("[!_]*.yaml"))[0]
    page = copy / "docs" / "zh" / "introduction.md"
    original_model, original_page = model.read_text(encoding="utf-8"), page.read_text(encoding="utf-8")
    loop = EditLoop()
    with _server(copy) as (base, pid):
        for run in range(runs):
            marker = f"BenchEdit{run}x{time.time_ns() % 10**6}"
            time.sleep(1.0)  # the server's watcher has settled
            started, cpu = time.perf_counter(), cpu_seconds(pid)
            model.write_text(ORGANIZATION.sub(f"organization: {marker}", original_model, count=1), encoding="utf-8")
            loop.data_zh.append(_wait_for(f"{base}/architecture/", marker, started))
            loop.data_en.append(_wait_for(f"{base}/en/architecture/", marker, started))
            loop.data_cpu.append(cpu_seconds(pid) - cpu)
            time.sleep(1.0)
            started, cpu = time.perf_counter(), cpu_seconds(pid)
            page.write_text(f"{original_page}\n\n{marker}\n", encoding="utf-8")
            loop.page_zh.append(_wait_for(f"{base}/introduction/", marker, started))
            loop.page_cpu.append(cpu_seconds(pid) - cpu)
    return loop
