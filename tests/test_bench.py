"""The benchmark harness's pieces work on small input (bench/). Nothing here asserts a time."""

from __future__ import annotations

import cProfile
import gzip
import json
import pstats
from pathlib import Path

import pytest
import yaml

from bench import interact, profiling, synth, weight
from bench.buildcost import _search_only
from helpers import LANGUAGES, ROOT, copy_repo, serving
from vlm_survey.catalog import _validator, load_catalog
from vlm_survey.engine_config import config_text, engine_config


def test_synthetic_data_is_valid_with_unique_ids(tmp_path: Path) -> None:
    copy_repo(tmp_path, parts=["data"])
    real = load_catalog(ROOT)
    counts = synth.scale_data(tmp_path / "data", 3)
    catalog = load_catalog(tmp_path)  # raises DataErrors if a variant breaks a schema or a rule
    assert counts == {"models": 3 * len(real.models), "benchmarks": 3 * len(real.benchmarks)}
    assert (len(catalog.models), len(catalog.benchmarks)) == (counts["models"], counts["benchmarks"])
    for entries in (catalog.models, catalog.benchmarks):
        assert len({e["id"] for e in entries}) == len(entries)
        assert len({e["name"] for e in entries}) == len(entries)
    first = real.models[0]
    variant = next(m for m in catalog.models if m["id"] == f"{first['id']}-s2")
    assert variant["summary"]["en"].startswith(first["summary"]["en"])
    assert variant["year"] == first["year"] and variant["paper"] == first["paper"]


@pytest.mark.parametrize("collection", ["models", "benchmarks"])
def test_quick_validation_agrees_with_the_full_schema(collection: str) -> None:
    """The $ref-free copy that validates fast (vlm_survey/catalog.py) accepts exactly what the schema accepts."""
    schema = {"models": "model", "benchmarks": "benchmark"}[collection]
    validator = _validator(ROOT / "data" / "schema" / f"{schema}.schema.json")
    assert "$ref" not in json.dumps({k: v for k, v in validator.quick.schema.items() if k != "$defs"})
    outcomes = set()
    for path in sorted((ROOT / "data" / collection).glob("[!_]*.yaml")):
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        variants = [entry]
        for key in entry:
            variants.append({k: v for k, v in entry.items() if k != key})
            variants += [{**entry, key: bad} for bad in (None, "", 7, "x" * 1001, {"zh": "z"}, ["not-an-id!"])]
        for variant in variants:
            valid = validator.full.is_valid(variant)
            assert validator.quick.is_valid(variant) == valid, (path.name, variant)
            outcomes.add(valid)
    assert outcomes == {True, False}


def test_bare_config_keeps_only_search(tmp_path: Path) -> None:
    """The bare build inherits each language's staged config: its search options (languages.yml), nothing else."""
    assert _search_only(ROOT / "mkdocs.yml") == ["search"]
    for language in LANGUAGES:
        config = tmp_path / language.code / "mkdocs.yml"
        config.parent.mkdir()
        config.write_text(config_text(engine_config(ROOT, language, LANGUAGES, tmp_path / "site", {})),
                          encoding="utf-8")
        assert _search_only(config) == [{"search": language.search}], language.code


def test_profile_summary_finds_the_data_load(tmp_path: Path) -> None:
    copy_repo(tmp_path, parts=["data"])  # a new root: nothing cached for it yet
    profiler = cProfile.Profile()
    profiler.runcall(load_catalog, tmp_path)
    summary = profiling.summarize(pstats.Stats(profiler), wall=0.0)
    parts = {part.label: part for part in summary.parts}
    assert parts["data load + validate"].calls == 1 and parts["data load + validate"].seconds > 0
    assert parts["whole build (MkDocs)"].calls == 0
    packages = dict(summary.packages)
    assert packages["jsonschema"] > 0 and packages["vlm_survey (this site)"] > 0


PAGE = """<!doctype html><html><head><link rel="stylesheet" href="style.css"></head>
<body><p class="used">{text}</p><script src="app.js"></script></body></html>"""
STYLE = """@font-face {{ font-family: Used; src: url(used.woff2) format("woff2"); }}
@font-face {{ font-family: Unused; src: url(unused.woff2) format("woff2"); }}
.used {{ font-family: Used; }} {rules}"""
APP = "fetch('search/search_index.json').then(r => r.json()).then(d => { document.title = d.docs.length; });"


@pytest.mark.browser
def test_page_weight_counts_what_the_page_fetched(browser: object, tmp_path: Path) -> None:
    """A known page: HTML, CSS, JS and the search index gzipped, the used font raw, the unused one not at all."""
    files = {"index.html": PAGE.format(text="模型 " * 2000).encode(),
             "style.css": STYLE.format(rules=" ".join(f".c{i} {{ margin: {i}px; }}" for i in range(500))).encode(),
             "app.js": APP.encode(),
             "used.woff2": bytes(range(256)) * 8,
             "unused.woff2": b"\0" * 4096,
             "search/search_index.json": b'{"docs": [' + b",".join([b'{"title": "x"}'] * 300) + b"]}"}
    for name, body in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(body)
    gz = {name: len(gzip.compress(body, compresslevel=6, mtime=0)) for name, body in files.items()}
    with serving(tmp_path) as base:
        measured = weight.load_page(browser, f"{base}/")
    assert measured.by_kind["html"] == gz["index.html"]
    assert measured.by_kind["css"] == gz["style.css"]
    assert measured.by_kind["js"] == gz["app.js"]
    assert measured.by_kind["font"] == len(files["used.woff2"])
    assert measured.search_index == gz["search/search_index.json"]
    assert not any(url.endswith("unused.woff2") for url in measured.urls)


@pytest.mark.browser
def test_browser_timings_run_on_the_real_site(browser: object, server: str) -> None:
    """Search, sort and filter find their elements on the built site and come back with one sample each."""
    search = interact.search_times(browser, f"{server}/", rounds=1)
    sort = interact.sort_times(browser, f"{server}/architecture/", rounds=1)
    filtering = interact.filter_times(browser, f"{server}/architecture/", rounds=1)
    assert len(search.total) == len(interact.SEARCH_QUERIES)
    assert len(sort.total) == 2 * len(interact.SORT_COLUMNS)
    assert filtering is not None and len(filtering.total) == len(interact.FILTER_TERMS)
    for timings in (search, sort, filtering):
        assert all(total >= script >= 0 for total, script in zip(timings.total, timings.script))


@pytest.mark.browser
def test_the_first_search_weighs_the_index_and_the_worker(browser: object, server: str, site: Path) -> None:
    """What the first search fetches: the index (as search_index_size weighs it) and the worker's script,
    which the page load leaves for then (overrides/partials/search-on-demand.html)."""
    loaded = weight.load_page(browser, f"{server}/")
    searched = weight.first_search(browser, f"{server}/")
    worker = next((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    assert searched.search_index == weight.search_index_size(site)[1]
    assert [url for url in searched.urls if "/workers/search." in url]
    assert searched.by_kind["js"] >= len(gzip.compress(worker.read_bytes(), compresslevel=6, mtime=0))
    assert not [url for url in loaded.urls if "/workers/search." in url] and loaded.search_index == 0
