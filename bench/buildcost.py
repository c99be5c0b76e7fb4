"""Build cost: cold `make build` of both languages against the same pages built by bare Material.

The bare build inherits each language's config but keeps the search plugin only (and no hooks);
its pages are the real build's Markdown captured after the macros ran (bench/child.py), and it runs
the same way (both languages in one process), so the ratio is the cost of our data and macro machinery.
"""

from __future__ import annotations

import re
import shutil
import signal
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load

from bench.common import PYTHON, ROOT, Run, check, median, run_timed

# (config, docs folder, folder under the site root), in the order scripts/docs.py builds them.
LANGUAGES = (("mkdocs.yml", "docs/zh", ""), ("mkdocs.en.yml", "docs/en", "en"))
BARE_DIR = ".bench-bare"
STEP_DONE = re.compile(r"^\[(\d+)/\d+\] .+: done in ([\d.]+) s$", re.MULTILINE)


@dataclass
class BuildCost:
    """Wall and CPU seconds of each cold build, real and bare, and of each language step of the real one."""

    real: list[float] = field(default_factory=list)
    real_cpu: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    bare_cpu: list[float] = field(default_factory=list)
    steps: dict[int, list[float]] = field(default_factory=dict)
    peak_mb: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return median(self.real) / median(self.bare)

    @property
    def cpu_ratio(self) -> float:
        return median(self.real_cpu) / median(self.bare_cpu)


def real_build(copy: Path, site: Path, timeout: float | None = None) -> tuple[Run, dict[int, float]]:
    """`scripts/docs.py build` as `make build` runs it, and the seconds of each language step.

    Killed after `timeout` seconds (its exit code is then -9); any other failure stops the benchmark.
    """
    run = run_timed([PYTHON, str(copy / "scripts" / "docs.py"), "build", "-d", str(site)], copy, timeout)
    if run.returncode != -signal.SIGKILL:
        check(run, "real build")
    return run, {int(step): float(seconds) for step, seconds in STEP_DONE.findall(run.output)}


def prepare_bare(copy: Path) -> list[Path]:
    """Capture every page of each language and write the bare configs; return them in build order."""
    configs = []
    for config, docs, _ in LANGUAGES:
        pages = copy / BARE_DIR / Path(docs).name
        shutil.copytree(copy / docs, pages)  # images and other files; the Markdown is overwritten
        check(run_timed([PYTHON, str(ROOT / "bench" / "child.py"), "capture", config, str(pages),
                         str(copy / BARE_DIR / "site")], copy), f"capturing {config}")
        bare = copy / f"bench-bare.{Path(docs).name}.yml"
        # Not strict: captured generated pages are plain files here, outside the nav, which MkDocs notes.
        bare.write_text(yaml.safe_dump({"INHERIT": config, "docs_dir": str(pages.relative_to(copy)),
                                        "plugins": _search_only(copy / config), "hooks": [], "strict": False,
                                        "validation": {"nav": {"omitted_files": "info"}}},
                                       allow_unicode=True, sort_keys=False), encoding="utf-8")
        configs.append(bare)
    return configs


def _search_only(config: Path) -> list[object]:
    """The config's plugin list (its INHERIT resolved) without every plugin but search."""
    with config.open(encoding="utf-8") as stream:
        plugins = yaml_load(stream).get("plugins", [])
    return [p for p in plugins if (p if isinstance(p, str) else next(iter(p))) == "search"]


def bare_build(copy: Path, configs: list[Path], site: Path) -> Run:
    """Both languages with the bare configs, in one process and in order like the real build."""
    pairs = [arg for bare, (_, _, subdir) in zip(configs, LANGUAGES) for arg in (str(bare), str(site / subdir))]
    return check(run_timed([PYTHON, str(ROOT / "bench" / "child.py"), "bare", *pairs], copy), "bare build")


def measure(copy: Path, runs: int) -> BuildCost:
    """`runs` cold builds of each kind, interleaved so that a slow spell of the machine hits both."""
    configs = prepare_bare(copy)
    cost = BuildCost()
    for _ in range(runs):
        run, steps = real_build(copy, copy / "site")
        cost.real.append(run.seconds)
        cost.real_cpu.append(run.cpu)
        cost.peak_mb.append(run.peak_mb)
        for step, value in steps.items():
            cost.steps.setdefault(step, []).append(value)
        bare = bare_build(copy, configs, copy / BARE_DIR / "site")
        cost.bare.append(bare.seconds)
        cost.bare_cpu.append(bare.cpu)
    return cost
