"""Edit loop: from saving a file to the rebuilt page being served by `python -m vlm_survey serve`.

The server runs in a working copy on a free port (the tests' dev-server kit, tests/helpers.py). Each run
changes one value of a data file (the organization of the first model, shown in the model table) or one
page, then polls the page until the served HTML holds the new text; the live-reload server answers an
HTML request only once the rebuild it is waiting for has finished.
"""

from __future__ import annotations

import os
import re
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from bench.common import OUT
from tests.helpers import dev_server
from vlm_survey.languages import registry

ORGANIZATION = re.compile(r"^organization: .*$", re.MULTILINE)


@dataclass
class EditLoop:
    """Seconds from saving to the page served, per run, and the server's CPU seconds meanwhile."""

    data_zh: list[float] = field(default_factory=list)  # a YAML file -> the root language's model table (Chinese)
    data_en: list[float] = field(default_factory=list)  # ... -> the second language's (English), the same rebuild
    data_cpu: list[float] = field(default_factory=list)
    page_zh: list[float] = field(default_factory=list)  # a page of the root language -> that page
    page_cpu: list[float] = field(default_factory=list)


def cpu_seconds(pid: int) -> float:
    """User + system seconds a process and its descendants (the server's engine processes) have used so far
    (all their threads), from /proc; a process that ended meanwhile counts for nothing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                    for child in (task / "children").read_text().split()]
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") + sum(map(cpu_seconds, children))


def _get(url: str, timeout: float = 60) -> str:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):  # a stuck server: _wait_for says so
        return ""


def _wait_for(url: str, marker: str, started: float, limit: float = 120) -> float:
    while marker not in _get(url):
        if time.perf_counter() - started > limit:
            raise TimeoutError(f"{url} did not show {marker!r} within {limit} s")
        time.sleep(0.02)
    return time.perf_counter() - started


@contextmanager
def _server(copy: Path, second: str) -> Iterator[tuple[str, int]]:
    OUT.mkdir(parents=True, exist_ok=True)
    with dev_server(copy, copy / "site", OUT / "serve.log", startup=600) as (base, process):
        _wait_for(f"{base}/{second}", "</html>", time.perf_counter(), limit=600)  # every language built
        yield base, process.pid


def measure(copy: Path, runs: int) -> EditLoop:
    root, other = registry(copy)[:2]
    prefix = {lang.code: f"{lang.subdir}/" if lang.subdir else "" for lang in (root, other)}
    model = sorted((copy / "data" / "models").glob("[!_]*.yaml"))[0]
    page = root.docs(copy) / "introduction.md"
    original_model, original_page = model.read_text(encoding="utf-8"), page.read_text(encoding="utf-8")
    loop = EditLoop()
    with _server(copy, prefix[other.code]) as (base, pid):
        for run in range(runs):
            marker = f"BenchEdit{run}x{time.time_ns() % 10**6}"
            time.sleep(1.0)  # the server's watcher has settled
            started, cpu = time.perf_counter(), cpu_seconds(pid)
            model.write_text(ORGANIZATION.sub(f"organization: {marker}", original_model, count=1), encoding="utf-8")
            loop.data_zh.append(_wait_for(f"{base}/{prefix[root.code]}architecture/", marker, started))
            loop.data_en.append(_wait_for(f"{base}/{prefix[other.code]}architecture/", marker, started))
            loop.data_cpu.append(cpu_seconds(pid) - cpu)
            time.sleep(1.0)
            started, cpu = time.perf_counter(), cpu_seconds(pid)
            page.write_text(f"{original_page}\n\n{marker}\n", encoding="utf-8")
            loop.page_zh.append(_wait_for(f"{base}/{prefix[root.code]}introduction/", marker, started))
            loop.page_cpu.append(cpu_seconds(pid) - cpu)
    return loop
