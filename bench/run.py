"""`make bench`: measure the site against its performance budgets; print a table, write bench/RESULTS.md.

    python -m bench.run                       # everything (weight and mobile alone: about 13 minutes on 2 cores)
    python -m bench.run --only build,weight   # some sections: build, scale, weight, mobile, browser, edit
    python -m bench.run --quick               # one run of each, 1x and 3x data: checks the harness
    python -m bench.run --repo ../other-checkout --output /tmp/other.md   # another checkout, to compare

Every build happens in a temporary working copy; the repository is never changed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from bench import buildcost, editloop, interact, mobile, profiling, scale, weight
from bench.common import (OUT, PYTHON, ROOT, check, chromium, copy_repo, docs_command, machine, median,
                          run_timed, serving)
from vlm_survey.engine_config import ENTRY_FOLDERS
from vlm_survey.languages import Language, registry

SECTIONS = ("build", "scale", "weight", "mobile", "browser", "edit")
NAMED_PAGES = (("home", "index"), ("chapter", "introduction"), ("model table", "architecture"))
FIRST_VISIT = 200 * 1024  # bytes: every page's first visit, the first search included (index, worker)
ZH_INDEX = 90 * 1024  # bytes, gzipped: the Chinese search index (issue 12)
LIGHTHOUSE = {"performance": 0.98, "accessibility": 1, "best-practices": 1, "seo": 1}  # lowest score, mobile
READY_ON_SLOW_4G = 3.0  # seconds from navigation until Material's scripts and search are ready (bench/mobile.py)
TEN_TIMES = 4  # the 10× data's build, against the 1× build's time
HUNDRED_TIMES = (600, 2048)  # the 100× data's build: seconds, peak MB
EDIT_LOOP = 1.5  # seconds from a data file saved to the page served again
TABLE_MS = 100  # a sort or a filter of the model table at 100× data (2,900 rows), event to next frame


@dataclass(frozen=True)
class Budget:
    measure: str
    result: str
    budget: str
    met: bool | None  # None: not measured


def kb(size: float) -> str:
    return f"{size / 1024:.1f} KB"


def md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


class Report:
    """Sections of Markdown and the budget lines, collected as the measurements finish."""

    def __init__(self) -> None:
        self.budgets: list[Budget] = []
        self.sections: list[str] = []

    def budget(self, measure: str, result: str, budget: str, met: bool | None) -> None:
        self.budgets.append(Budget(measure, result, budget, met))

    def section(self, text: str) -> None:
        self.sections.append(text)
        print(text + "\n", flush=True)

    def markdown(self, header: str) -> str:
        status = {True: "met", False: "**missed**", None: "not measured"}
        summary = md_table(["measure", "result", "budget", "status"],
                           [[b.measure, b.result, b.budget, status[b.met]] for b in self.budgets])
        return "\n\n".join([header, "## Budgets", summary, *self.sections]) + "\n"


def section_build(report: Report, workdir: Path, source: Path, runs: int) -> None:
    copy = copy_repo(workdir / "build", source)
    cost = buildcost.measure(copy, runs)
    parts = [json.loads(run_timed([PYTHON, str(ROOT / "bench" / "child.py"), "parts"], copy).output.splitlines()[-1])
             for _ in range(3)]
    part = {key: median([p[key] for p in parts]) for key in parts[0]}
    steps = {step: median(values) for step, values in cost.steps.items()}
    names = [language.name for language in registry(copy)]
    rows = [["`make build`: check-data, then every language", f"{median(cost.real):.2f}",
             f"{median(cost.real_cpu):.2f}"],
            ["bare Material, the same pages, search only", f"{median(cost.bare):.2f}", f"{median(cost.bare_cpu):.2f}"],
            ["ratio", f"{cost.ratio:.2f}", f"{cost.cpu_ratio:.2f}"]]
    split = [["start, imports and check-data (before the first language)",
              f"{median(cost.real) - sum(steps.values()):.2f}"],
             *[[f"language {step} ({names[step - 1] if step <= len(names) else step}) build",
                f"{seconds:.2f}"] for step, seconds in sorted(steps.items())],
             ["of which: data load + validate (fresh process; once per `make build`)", f"{part['catalog_load']:.2f}"],
             ["of which: jieba dictionary load (fresh process; once per `make build`)", f"{part['jieba']:.2f}"]]
    report.section("## Build cost\n\n"
                   f"Median of {runs} cold builds of each kind, interleaved; each in a fresh process, every language "
                   "in order. The bare build has every page's Markdown as the real build rendered it (staged, macros "
                   "run beforehand), the same theme and Markdown extensions, and only the search plugin.\n\n"
                   + md_table(["build", "wall s", "CPU s"], rows) + "\n\n"
                   + md_table(["split of `make build` (wall)", "s"], split)
                   + f"\n\nPeak memory of `make build`: {max(cost.peak_mb):.0f} MB.")
    report.budget("build cost: `make build` / bare Material (wall; CPU)",
                  f"{cost.ratio:.2f} (CPU {cost.cpu_ratio:.2f})", "≤ 1.15", cost.ratio <= 1.15)


def section_scale(report: Report, workdir: Path, source: Path, factors: list[int], runs: list[int],
                  timeout: float, profile_factor: int) -> tuple[dict[int, Path], Path]:
    """Time each size; profile the root language's build at `profile_factor`× and, without the per-entry pages,
    at the largest size. Returns the copies whose build finished, and the largest size's chapters-only site."""
    points, workdirs = [], {}
    for factor in factors:
        workdirs[factor], counts = scale.prepare(workdir, factor, source)
        points.append(scale.ScalePoint(factor, counts))
    # The sizes of the 10× budget are built in turns (1×, 10×, 1×, ...), then bare Material the same way: a
    # slow spell of the shared machine then slows both sides of the ratio.
    together = [(p, workdirs[p.factor], n) for p, n in zip(points, runs) if p.factor <= 10]
    for turn in range(max((n for *_, n in together), default=0)):
        for point, copy, n in together:
            if turn < n:
                scale.build_once(copy, point, timeout)
    bare = [(p, copy, n, buildcost.prepare_bare(copy, built=True)) for p, copy, n in together if p.seconds]
    for turn in range(max((n for *_, n, _ in bare), default=0)):
        for point, copy, n, configs in bare:
            if turn < n:
                scale.bare_once(copy, point, configs)
    for point, n in zip(points, runs):
        if point.factor > 10:
            for _ in range(n):
                scale.build_once(workdirs[point.factor], point, timeout)
    copies = {p.factor: workdirs[p.factor] for p in points if p.seconds}
    base = points[0].median if points[0].seconds else None
    bare_base = median(points[0].bare) if points[0].bare else None
    rows = []
    for p in points:
        shown = f"> {timeout:.0f} (stopped)" if not p.seconds else f"{p.median:.1f}"
        ratio = f"{p.median / base:.1f}" if base and p.seconds else "–"
        bare = f"{median(p.bare):.1f}" if p.bare else "–"
        bare_ratio = f"{median(p.bare) / bare_base:.1f}" if p.bare and bare_base else "–"
        rows.append([f"{p.factor}×", f"{p.counts['models']} + {p.counts['benchmarks']}", str(p.pages or "–"),
                     shown, f"{median(p.cpu):.1f}" if p.cpu else "–", ratio, bare, bare_ratio,
                     f"{max(p.peak_mb):.0f}" if p.peak_mb else "–", f"{p.table_page_kb:,.0f}" if p.pages else "–"])
    for p in points:
        if p.factor == 10 and not base:
            report.budget("scale: 10× data / 1× build time", "the 1× build was stopped", f"≤ {TEN_TIMES}", None)
        elif p.factor == 10:
            ratio = f"{p.median / base:.1f}" if p.seconds else f"> {timeout / base:.0f} (stopped)"
            if p.bare and bare_base:
                ratio += f" (bare Material on the same pages: {median(p.bare) / bare_base:.1f})"
            report.budget("scale: 10× data / 1× build time", ratio, f"≤ {TEN_TIMES}",
                          bool(p.seconds) and p.median / base <= TEN_TIMES)
        if p.factor == 100:
            shown = f"{p.median:.0f} s, {max(p.peak_mb):,.0f} MB" if p.seconds else f"> {timeout:.0f} s (stopped)"
            report.budget("scale: 100× data, build time and peak memory", shown,
                          f"≤ {HUNDRED_TIMES[0]:.0f} s, ≤ {HUNDRED_TIMES[1]:,.0f} MB",
                          bool(p.seconds) and p.median <= HUNDRED_TIMES[0] and max(p.peak_mb) <= HUNDRED_TIMES[1])
    text = ("## Scale\n\nSynthetic data: every model and benchmark copied into variants with unique ids "
            "(bench/synth.py), in a working copy. Wall seconds are medians of "
            f"{', '.join(f'{r} ({f}×)' for f, r in zip(factors, runs))} cold `make build` runs, the sizes up "
            "to 10× in turns (1×, 10×, 1×, ...); peak memory is the largest process's."
            + " *Bare*: bare Material building the same pages (as for the build cost), which shows how the "
            "engine alone grows with the data.\n\n"
            + md_table(["data", "models + benchmarks", "HTML pages", "build s", "CPU s", "× 1×", "bare s",
                        "bare × 1×", "peak MB", "model-table page KB"], rows))
    root = registry(source)[0]
    if profile_factor in copies:
        text += "\n\n" + profile_text(copies[profile_factor], root.code,
                                       f"the {root.name} build at {profile_factor}×", f"{profile_factor}x")
    largest = points[-1]
    chapters = workdirs[largest.factor]
    text += "\n\n" + profile_text(chapters, root.code,
                                   f"the {root.name} chapters at {largest.factor}×, without the per-entry pages "
                                   "(staged, then removed before MkDocs runs)",
                                   f"{largest.factor}x-chapters", site="site-chapters", chapters_only=True)
    report.section(text)
    return copies, chapters / "site-chapters"


def profile_text(copy: Path, code: str, what: str, name: str, site: str = "site-profile",
                 chapters_only: bool = False) -> str:
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / f"profile-{name}.prof"
    prof = profiling.profile_build(copy, code, copy / site, out, chapters=chapters_only)
    parts = md_table(["part (cumulative)", "calls", "s", "share"],
                     [[p.label, str(p.calls), f"{p.seconds:.1f}", f"{p.seconds / prof.total:.0%}"] for p in prof.parts])
    packages = md_table(["package (own time)", "s", "share"],
                        [[name, f"{s:.1f}", f"{s / prof.total:.0%}"] for name, s in prof.packages[:10]])
    functions = md_table(["function", "calls", "own s", "cumulative s"],
                         [[f"`{name}`", f"{calls:,}", f"{own:.2f}", f"{cum:.2f}"]
                          for name, calls, own, cum in prof.functions])
    return (f"### Profile: {what}\n\ncProfile, {prof.wall:.0f} s with the profiler; saved as "
            f"`{out.relative_to(ROOT)}` (`python -m pstats` reads it). Parts overlap (one can run inside "
            "another).\n\n" + parts + "\n\n" + packages + "\n\n" + functions)


def chapter_pages(site: Path, language: Language, languages: Sequence[Language]) -> list[str]:
    """The pages of the navigation of one language's build ('index', 'vit', ...), the named ones first."""
    names = [page for _, page in NAMED_PAGES]
    folders = {other.subdir for other in languages if other.subdir}  # benchmarks/ is a chapter and a folder
    pages = {p.parent.name for p in (site / language.subdir).glob("*/index.html")} - folders | {"index"}
    return sorted(pages, key=lambda p: (p not in names, p))


def page_url(language: Language, page: str) -> str:
    """The path of a page ('index', 'vit', 'models/blip-2') on the site: /en/vit/."""
    return "/" + "".join(f"{part}/" for part in (language.subdir, "" if page == "index" else page) if part)


def section_weight(report: Report, site: Path, languages: Sequence[Language]) -> None:
    rows, index_rows, entry_rows, chapters, visits, fetched, indexes = [], [], [], {}, {}, {}, {}
    names = {page: label for label, page in NAMED_PAGES}
    with serving(site) as base, chromium() as browser:
        for language in languages:
            lang = language.code
            raw, indexes[lang] = weight.search_index_size(site / language.subdir)
            search = weight.first_search(browser, base + page_url(language, "index"))
            index_rows.append([lang, kb(raw), kb(indexes[lang]), kb(search.fetched)])
            entries = sorted(p.parent.relative_to(site / language.subdir).as_posix() for folder in ENTRY_FOLDERS
                             for p in (site / language.subdir / folder).glob("*/index.html"))
            for page in [*chapter_pages(site, language, languages), *entries]:
                w = weight.load_page(browser, base + page_url(language, page))
                visits[(lang, page)], fetched[(lang, page)] = w.total + search.fetched, w.fetched
                if page in entries:
                    continue
                label = f"{page} ({names[page]})" if page in names else page
                rows.append([lang, label, *(kb(w.by_kind[k]) for k in weight.KINDS), f"**{kb(w.total)}**",
                             kb(w.fetched), kb(visits[(lang, page)])])
                if page != "index":
                    chapters[(lang, page)] = w.total
            sizes = sorted(visits[(lang, page)] for page in entries)
            entry_rows.append([lang, str(len(sizes)), kb(sizes[len(sizes) // 2]), kb(sizes[-1])])
    report.section("## Page weight\n\nWhat Chromium fetched for each page of the navigation, per language (the "
                   "named ones first): text gzipped at level 6 as a server would send it, fonts and images as they "
                   "are. *Fetched*: what the page load fetched, with an empty cache; the search index is fetched "
                   "only when the reader reaches for search (overrides/partials/search-on-demand.html), with the "
                   "search worker's script and the scripts the worker loads, so they are not in it. *With the "
                   "index*: the total plus what the first search fetches, the first visit of a reader who "
                   "searches.\n\n"
                   + md_table(["lang", "page", *weight.KINDS, "total", "fetched", "with the index"], rows)
                   + "\n\nThe model and benchmark pages, loaded one by one the same way (first visit):\n\n"
                   + md_table(["lang", "pages", "median", "heaviest"], entry_rows)
                   + "\n\nThe search index, and everything the first search fetches (the index, the worker's "
                   "script, the scripts it loads; measured on the home page):\n\n"
                   + md_table(["lang", "index raw", "index gzipped", "first search fetches"], index_rows))
    codes = [language.code for language in languages]
    plain = [chapters[(lang, "introduction")] for lang in codes if (lang, "introduction") in chapters]
    if plain:
        report.budget(f"page weight: a chapter (introduction), {' / '.join(codes)}",
                      " / ".join(kb(size) for size in plain), "≤ 120 KB", max(plain) <= 120 * 1024)
    if chapters:
        (lang, page), size = max(chapters.items(), key=lambda item: item[1])
        report.budget(f"page weight: the heaviest chapter ({lang} {page})", kb(size), "≤ 120 KB", size <= 120 * 1024)
    worst = [max(((page, size) for (code, page), size in visits.items() if code == lang), key=lambda item: item[1])
             for lang in codes]
    over = [sum(size > FIRST_VISIT for (code, _), size in visits.items() if code == lang) for lang in codes]
    report.budget(f"first visit, the first search included: the heaviest page of each language ({' / '.join(codes)}); "
                  "pages over budget", " / ".join(f"{kb(size)} ({page})" for page, size in worst)
                  + f"; {' / '.join(map(str, over))} of {len(visits) // len(codes)}", f"≤ {kb(FIRST_VISIT)}",
                  not any(over))
    heaviest = max(fetched.items(), key=lambda item: item[1])
    report.budget("first visit as fetched, the search index left for the first search: the heaviest page",
                  f"{kb(heaviest[1])} ({' '.join(heaviest[0])})", f"≤ {kb(FIRST_VISIT)}", heaviest[1] <= FIRST_VISIT)
    if "zh" in indexes:
        report.budget("search index, Chinese, gzipped", kb(indexes["zh"]), f"≤ {kb(ZH_INDEX)}", indexes["zh"] <= ZH_INDEX)


def section_mobile(report: Report, site: Path, languages: Sequence[Language]) -> None:
    """Lighthouse (mobile) on scripts/lighthouse.py's pages; slow 4G until ready on every chapter (bench/mobile.py)."""
    results = mobile.scores(site)
    ready = mobile.ready_times(site, [page_url(language, page) for language in languages
                                      for page in chapter_pages(site, language, languages)])
    rows = [[r.path, *(f"{r.scores[c]:.2f}" for c in LIGHTHOUSE), str(len(r.foreign)), "; ".join(r.lost) or "–"]
            for r in results]
    report.section("## Mobile\n\nLighthouse (scripts/lighthouse.py, mobile: a simulated phone on slow 4G), the site "
                   "served locally with gzip. *Other hosts*: requests to anything but the local server; *lost*: "
                   "the weighted audits that scored below 1.\n\n"
                   + md_table(["page", *LIGHTHOUSE, "other hosts", "lost"], rows)
                   + "\n\nSlow 4G (1.6 Mbps, 150 ms; bench/mobile.py says what *ready* and *search ready* mean), "
                   "every page of the navigation, an empty cache:\n\n"
                   + md_table(["page", "ready", "search ready, from the tap"],
                              [[path, f"{ms / 1000:.2f} s", f"{search / 1000:.2f} s"]
                               for path, (ms, search) in ready.items()]))
    for category, budget in LIGHTHOUSE.items():
        low = min(results, key=lambda r: r.scores[category])
        report.budget(f"Lighthouse mobile {category}: the lowest of {len(results)} pages",
                      f"{low.scores[category]:.2f} ({low.path})", f"≥ {budget:.2f}", low.scores[category] >= budget)
    foreign = sum(len(r.foreign) for r in results)
    report.budget("Lighthouse: requests to another host, served locally", str(foreign), "0", not foreign)
    over = [path for path, (ms, _) in ready.items() if ms > READY_ON_SLOW_4G * 1000]
    slowest = max(ready, key=lambda path: ready[path][0])
    report.budget(f"slow 4G: ready on every page of the navigation ({len(ready)})",
                  f"slowest {ready[slowest][0] / 1000:.2f} s ({slowest}); {len(over)} over", f"≤ {READY_ON_SLOW_4G:g} s",
                  not over)
    searches = sorted(search for _, search in ready.values())
    report.section(f"First search on slow 4G, from the tap to search ready (the index fetched and built): median "
                   f"{searches[len(searches) // 2] / 1000:.2f} s, slowest {searches[-1] / 1000:.2f} s.")


def section_browser(report: Report, sites: dict[str, Path], rounds: int) -> None:
    """Search on every site; the budgets: search on the first (1×), sort and filter on the last (largest)."""
    rows = []
    with chromium() as browser:
        for index, (label, site) in enumerate(sites.items()):
            with serving(site) as base:
                rows_count = interact.row_count(browser, f"{base}/architecture/")
                search = interact.search_times(browser, f"{base}/", rounds)
                sort = interact.sort_times(browser, f"{base}/architecture/", rounds)
                filtering = interact.filter_times(browser, f"{base}/architecture/", rounds)
            shown_filter = interact.summary(filtering) if filtering is not None else "pending: no filter field found"
            rows += [[label, "search: key-up to results (Chinese queries)", interact.summary(search, script=False),
                      str(len(search.total))],
                     [label, f"sort the model table ({rows_count} rows)", interact.summary(sort), str(len(sort.total))],
                     [label, f"filter the model table ({rows_count} rows)", shown_filter,
                      str(len(filtering.total) if filtering else 0)]]
            if index == 0:
                report.budget(f"search: key-up to results, Chinese query ({label})",
                              interact.summary(search, script=False), "< 200 ms", median(search.total) < 200)
            if index == len(sites) - 1:
                report.budget(f"sort the model table ({label}, {rows_count} rows)", interact.summary(sort),
                              f"≤ {TABLE_MS} ms", median(sort.total) <= TABLE_MS)
                report.budget(f"filter the model table ({label}, {rows_count} rows)", shown_filter, f"≤ {TABLE_MS} ms",
                              median(filtering.total) <= TABLE_MS if filtering else None)
    report.section("## Browser\n\nChromium headless, 1280×900. Each time runs inside the page from the event "
                   "(key-up in Material's search field, a click on a heading, input in the filter field) to the "
                   "frame after the page changed; median (max) of the samples. *script*: the part the event's "
                   "own script ran (the sort, the filter's pass); the rest is style, layout and paint.\n\n"
                   + md_table(["site", "measure", "median (max)", "samples"], rows))


def section_edit(report: Report, workdir: Path, source: Path, runs: int) -> None:
    copy = copy_repo(workdir / "edit", source)
    loop = editloop.measure(copy, runs)
    root, other = registry(copy)[:2]
    rows = [["a model's YAML file", f"{root.name} model table (architecture)", f"{median(loop.data_zh):.2f}",
             f"{median(loop.data_cpu):.2f}"],
            ["a model's YAML file", f"{other.name} model table", f"{median(loop.data_en):.2f}", "(the same rebuild)"],
            [f"a {root.name} page (introduction.md)", "that page", f"{median(loop.page_zh):.2f}",
             f"{median(loop.page_cpu):.2f}"]]
    report.section("## Edit loop\n\n`python -m vlm_survey serve` in a working copy; each run saves a file and polls "
                   "the page until it shows the change (the server answers a page only once the rebuild under "
                   "way has finished, so every language comes together). CPU: the seconds of the server and of its "
                   "engine processes (one per language) meanwhile. "
                   f"Median of {runs} runs.\n\n"
                   + md_table(["file saved", "page polled", "s to served", "server CPU s"], rows))
    report.budget(f"edit loop: YAML saved to the page served ({root.code} / {other.code})",
                  f"{median(loop.data_zh):.2f} s / {median(loop.data_en):.2f} s", f"≤ {EDIT_LOOP} s",
                  max(median(loop.data_zh), median(loop.data_en)) <= EDIT_LOOP)


def header(source: Path) -> str:
    info = machine()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    command = "make bench" + (f" ({' '.join(sys.argv[1:])})" if sys.argv[1:] else "")
    return ("# Benchmark results\n\n"
            f"`{command}` on {info['date']}, checkout `{source}`: {info['cores']} cores ({info['cpu']}), load average "
            f"{load} at the start. Python {info['python']}, MkDocs {info['mkdocs']}, Material "
            f"{info['mkdocs-material']}, mkdocs-macros {info['mkdocs-macros-plugin']}, jieba {info['jieba']}, "
            f"PyYAML {info['PyYAML']}, jsonschema {info['jsonschema']}, Playwright {info['playwright']}, "
            f"{info['chromium']}.\n\n"
            "Wall times are medians; the machine is shared, so compare ratios taken in one run, and the CPU "
            "seconds (user + system of the build's processes), which a busy machine disturbs less. "
            "Re-run with `make bench`; bench/README.md says what each number means.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections to run")
    parser.add_argument("--quick", action="store_true", help="one run each, 1× and 3× data")
    parser.add_argument("--repo", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--runs", type=int, default=5, help="cold builds of each kind for the build cost")
    parser.add_argument("--factors", default="1,10,100", help="data sizes for the scale section")
    parser.add_argument("--scale-runs", default="3,2,1", help="builds at each size")
    parser.add_argument("--scale-timeout", type=float, default=HUNDRED_TIMES[0],
                        help="seconds before a scale build is stopped (default: the 100× budget)")
    parser.add_argument("--profile-factor", type=int, default=1,
                        help="data size whose full build of the root language is profiled")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    factors, scale_runs = [int(f) for f in args.factors.split(",")], [int(r) for r in args.scale_runs.split(",")]
    runs, rounds, edits = args.runs, 3, 3
    if args.quick:
        factors, scale_runs, runs, rounds, edits = [1, 3], [1, 1], 1, 1, 1
    source = args.repo.resolve()
    report = Report()
    with tempfile.TemporaryDirectory(prefix="vlm-bench-") as tmp:
        workdir = Path(tmp)
        copies: dict[int, Path] = {}
        sites: dict[str, Path] = {}
        steps: list[tuple[str, Callable[[], None]]] = []

        def scale_step() -> None:
            built, chapters = section_scale(report, workdir, source, factors, scale_runs, args.scale_timeout,
                                            args.profile_factor)
            copies.update(built)
            if factors[0] in built:  # not when even the smallest build was stopped
                sites[f"{factors[0]}×"] = built[factors[0]] / "site"
            sites[f"{factors[-1]}× (chapters only)"] = chapters

        def sites_step() -> None:  # what weight and browser measure, built once without timing
            copy, _ = scale.prepare(workdir, factors[0], source)
            check(run_timed(docs_command("build", "-d", str(copy / "site")), copy), "build")
            copies[factors[0]] = copy
            sites[f"{factors[0]}×"] = copy / "site"
            if "browser" in only and factors[-1] != factors[0]:
                big, _ = scale.prepare(workdir, factors[-1], source)
                check(run_timed([PYTHON, str(ROOT / "bench" / "child.py"), "language", registry(big)[0].code,
                                 str(big / "site-chapters"), "chapters"], big), "chapters-only build")
                sites[f"{factors[-1]}× (chapters only)"] = big / "site-chapters"

        if "build" in only:
            steps.append(("build", lambda: section_build(report, workdir, source, runs)))
        if "scale" in only:
            steps.append(("scale", scale_step))
        elif only & {"weight", "mobile", "browser"}:
            steps.append(("sites", sites_step))
        if "weight" in only:
            steps.append(("weight", lambda: section_weight(report, copies[factors[0]] / "site", registry(source))
                          if factors[0] in copies
                          else report.section("## Page weight\n\nNot measured: the smallest build was stopped.")))
        if "mobile" in only:
            steps.append(("mobile", lambda: section_mobile(report, copies[factors[0]] / "site", registry(source))
                          if factors[0] in copies
                          else report.section("## Mobile\n\nNot measured: the smallest build was stopped.")))
        if "browser" in only:
            steps.append(("browser", lambda: section_browser(report, sites, rounds)))
        if "edit" in only:
            steps.append(("edit", lambda: section_edit(report, workdir, source, edits)))
        for name, step in steps:
            print(f"--- {name} ---", file=sys.stderr, flush=True)
            step()
    text = report.markdown(header(source))
    args.output.write_text(text, encoding="utf-8")
    print(text.split("## Budgets", 1)[1].split("\n## ", 1)[0].strip())
    print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
