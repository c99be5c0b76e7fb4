"""Every model and benchmark of the reference facts is in data/, with the survey's table values.

The reference (`shared/reference/paper_facts.yaml`, gathered from the survey's companion tables)
sits beside the repository in the team's workspace and in CI; a contributor's clone may not have
it, and then these tests are skipped with that reason.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import ROOT
from vlm_survey.catalog import load_catalog

REFERENCE = Path(os.environ.get("VLM_REFERENCE", ROOT.parent / "shared" / "reference" / "paper_facts.yaml"))
pytestmark = pytest.mark.skipif(not REFERENCE.is_file(), reason=f"reference facts not found at {REFERENCE}")


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    return yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog(ROOT)


def by_name(entries: tuple[dict[str, Any], ...]) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in entries}


def survey_papers(entry: dict[str, Any]) -> list[str]:
    """The papers the survey lists for an entry: a link it got wrong is corrected in `papers` and kept in a
    correction (`field: papers`, its `survey` the links as the survey gives them, joined by ", ")."""
    for correction in entry.get("corrections", []):
        if correction["field"] == "papers":
            return correction["survey"].split(", ")
    return entry["papers"]


@pytest.mark.parametrize(("section", "version"), [("models", "v1"), ("models_later_versions", "later")])
def test_every_reference_model_is_in_the_data(reference: dict[str, Any], catalog, section: str, version: str) -> None:  # type: ignore[no-untyped-def]
    models = by_name(catalog.models)
    missing = [m["name"] for m in reference[section] if m["name"] not in models]
    assert not missing, f"models of {section} missing from data/models: {missing}"
    for fact in reference[section]:
        entry = models[fact["name"]]
        backbone = None if fact["llm_backbone"].startswith("Pretrained from scratch") else fact["llm_backbone"]
        assert (entry["year"], entry["parameters"], entry["vision_encoder"], entry["llm_backbone"],
                entry["training_data"], entry["architecture_type"], entry["survey_version"]) == \
               (fact["year"], fact["parameters"], fact["vision_encoder"], backbone,
                fact["training_data"], fact["architecture_type"].lower(), version), entry["_file"]


def test_no_model_is_invented(reference: dict[str, Any], catalog) -> None:  # type: ignore[no-untyped-def]
    names = {m["name"] for section in ("models", "models_later_versions") for m in reference[section]}
    assert {m["name"] for m in catalog.models} == names


@pytest.mark.parametrize("section", ["benchmarks", "benchmarks_later_versions"])
def test_every_reference_benchmark_is_in_the_data(reference: dict[str, Any], catalog, section: str) -> None:  # type: ignore[no-untyped-def]
    benchmarks = by_name(catalog.benchmarks)
    missing = sorted({b["name"] for b in reference[section]} - benchmarks.keys())
    assert not missing, f"benchmarks of {section} missing from data/benchmarks: {missing}"
    for fact in reference[section]:
        entry = benchmarks[fact["name"]]
        assert entry["year"] == fact["year"] and entry["kind"] == "benchmark", entry["_file"]
        assert entry["category"] == fact["category"].replace("_", "-").replace("fine-grained-image-video", "fine-grained")
        assert fact["metric"] == entry["metric"] or fact["name"] == "TextVQA", entry["_file"]


def test_every_embodied_row_is_in_the_data(reference: dict[str, Any], catalog) -> None:  # type: ignore[no-untyped-def]
    embodied = {b["name"]: b for b in catalog.benchmarks if b["category"] == "embodied"}
    rows = reference["embodied_benchmarks_simulators"]
    expected = {" / ".join(row["names"]) for row in rows}
    assert set(embodied) == expected
    for row in rows:
        entry = embodied[" / ".join(row["names"])]
        assert survey_papers(entry) == row["papers"], entry["_file"]


def test_counts_match_the_reference(reference: dict[str, Any], catalog) -> None:  # type: ignore[no-untyped-def]
    counts = reference["counts"]
    survey = [b for b in catalog.benchmarks if b["category"] != "embodied"]
    assert len(catalog.models) == counts["models_v1"] + counts["models_later"]
    assert len(survey) == counts["benchmarks_v1_unique"] + counts["benchmarks_later"]
    assert len(catalog.benchmarks) - len(survey) == counts["embodied_rows"]
