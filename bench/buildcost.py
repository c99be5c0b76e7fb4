"""Build cost: cold `make build` of every language against the same pages built by bare Material.

The bare build inherits each language's staged config (written by the real build from languages.yml and
mkdocs.yml) but keeps the search plugin only; its pages are the real build's Markdown captured after the
macros ran (bench/child.py), and it runs the same way (every language in one process, in the registry's
order), so the ratio is the cost of our data, staging and macro machinery.
"""

from __future__ import annotations

import re
import shutil
import signal
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load

from bench.common import PYTHON, ROOT, Run, check, docs_command, median, run_timed
from vlm_survey.languages import Language, registry
from vlm_survey.stage import stage_folder

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
    """`python -m vlm_survey build` as `make build` runs it, and the seconds of each language step.

    Killed after `timeout` seconds (its exit code is then -9); any other failure stops the benchmark.
    """
    run = run_timed(docs_command("build", "-d", str(site)), copy, timeout)
    if run.returncode != -signal.SIGKILL:
        check(run, "real build")
    return run, {int(step): float(seconds) for step, seconds in STEP_DONE.findall(run.output)}


def prepare_bare(copy: Path, built: bool = False) -> list[tuple[Path, Language]]:
    """Capture every page of each language and write the bare configs; return them in build order.

    A real build stages each language (config, pages, snippets, catalog) beside its site; `capture` builds
    that staged config once more, keeping each page's Markdown after the macros ran. The bare folder of a
    language holds those pages, the staged snippets (included when the Markdown is rendered) and a config
    that inherits the staged one with the search plugin only. `built`: the copy's site/ was just built
    from its current sources, so its staging is used as it is.
    """
    site = copy / "site"
    if not built:
        real_build(copy, site)
    configs = []
    for language in registry(copy):
        stage = stage_folder(site) / language.code
        bare = copy / BARE_DIR / language.code
        if bare.exists():
            shutil.rmtree(bare)
        shutil.copytree(stage / "docs", bare / "docs")  # images and other files; the Markdown is overwritten
        shutil.copytree(stage / "snippets", bare / "snippets")
        shutil.copy2(stage / "mkdocs.yml", bare / "staged.yml")
        check(run_timed([PYTHON, str(ROOT / "bench" / "child.py"), "capture", str(stage / "mkdocs.yml"),
                         str(bare / "docs"), str(copy / BARE_DIR / "capture-site" / language.code)], stage),
              f"capturing {language.code}")
        config = bare / "mkdocs.yml"
        # Not strict: captured generated pages are plain files here, outside the nav, which MkDocs notes.
        config.write_text(yaml.safe_dump({"INHERIT": "staged.yml", "docs_dir": "docs",
                                          "plugins": _search_only(bare / "staged.yml"), "strict": False,
                                          "validation": {"nav": {"omitted_files": "info"}}},
                                         allow_unicode=True, sort_keys=False), encoding="utf-8")
        configs.append((config, language))
    return configs


def _search_only(config: Path) -> list[object]:
    """The config's plugin list (its INHERIT resolved) without every plugin but search."""
    with config.open(encoding="utf-8") as stream:
        plugins = yaml_load(stream).get("plugins", [])
    return [p for p in plugins if (p if isinstance(p, str) else next(iter(p))) == "search"]


def bare_build(copy: Path, configs: list[tuple[Path, Language]], site: Path) -> Run:
    """Every language with the bare configs, in one process and in order like the real build."""
    pairs = [arg for config, language in configs for arg in (str(config), str(site / language.subdir))]
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
