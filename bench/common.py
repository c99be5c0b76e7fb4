"""What every benchmark needs: working copies, timed child processes, medians. The working copies, local
servers and Chromium are the tests' kit (tests/helpers.py), so the bench and the tests copy, serve and
browse the same way."""

from __future__ import annotations

import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Sequence

from tests.helpers import CHROMIUM, chromium, docs_command, docs_env, free_port, serving  # noqa: F401 - the kit
from tests.helpers import copy_repo as _copy_repo

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
OUT = ROOT / "bench" / "out"  # profiles and logs of the last run (git-ignored)


def env(cwd: Path | None = None) -> dict[str, str]:
    """The environment of every child: as the tests run `python -m vlm_survey`, and with `cwd` first on the
    import path, so that a child run in a working copy imports that copy's vlm_survey (`--repo` compares
    another checkout's code, not this one's)."""
    return docs_env(**({"PYTHONPATH": str(cwd)} if cwd else {}))


def copy_repo(target: Path, source: Path = ROOT) -> Path:
    """A working copy of a checkout (with its git history, which the build reads for the translation banners;
    no site, venv or bench) to build and change freely."""
    return _copy_repo(target, source, git=True)


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
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env(cwd), stdout=sink, stderr=subprocess.STDOUT,
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
