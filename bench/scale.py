"""Scale: the real build of working copies holding N× today's models and benchmarks (bench/synth.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bench.buildcost import BARE_DIR, bare_build, real_build
from bench.common import copy_repo, median
from bench.synth import scale_data
from vlm_survey.languages import Language


@dataclass
class ScalePoint:
    """Builds of one size of the data: wall and CPU seconds, peak memory, what was built."""

    factor: int
    counts: dict[str, int]
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    pages: int = 0
    table_page_kb: float = 0.0  # the Chinese model-table page (architecture), uncompressed
    bare: list[float] = field(default_factory=list)  # bare Material building the same pages (buildcost.py)
    stopped: bool = False  # a build exceeded the timeout

    @property
    def median(self) -> float:
        return median(self.seconds)


def prepare(workdir: Path, factor: int, source: Path) -> tuple[Path, dict[str, int]]:
    """A working copy of `source` with `factor`× the data; returns it and the entry counts."""
    copy = copy_repo(workdir / f"scale-{factor}x", source)
    return copy, scale_data(copy / "data", factor)


def build_once(copy: Path, point: ScalePoint, timeout: float) -> None:
    """One cold build of `copy`, recorded in `point`; a build that exceeds `timeout` is stopped, and the point
    then keeps no times (its site is incomplete)."""
    if point.stopped:
        return
    site = copy / "site"
    run, _ = real_build(copy, site, timeout)
    if run.returncode != 0:
        point.stopped = True
        point.seconds.clear()
        point.cpu.clear()
        point.peak_mb.clear()
        return
    point.seconds.append(run.seconds)
    point.cpu.append(run.cpu)
    point.peak_mb.append(run.peak_mb)
    point.pages = sum(1 for _ in site.rglob("*.html"))
    point.table_page_kb = (site / "architecture" / "index.html").stat().st_size / 1024


def bare_once(copy: Path, point: ScalePoint, configs: list[tuple[Path, Language]]) -> None:
    """One build of the same pages by bare Material (`configs`: buildcost.prepare_bare's), into `point.bare`:
    how the engine alone scales."""
    point.bare.append(bare_build(copy, configs, copy / BARE_DIR / "site").seconds)
