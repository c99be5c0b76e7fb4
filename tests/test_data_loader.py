"""The loader accepts the real data and what the schemas allow, and counts lines as editors do. Every kind of
bad file it refuses, with file, line and field, is in the bad-input corpus (tests/bad_inputs.py), driven by
test_bad_inputs.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from bad_inputs import BENCHMARK, GLOSSARY, MODEL, line_of, minimal_repo, replace
from helpers import ROOT
from vlm_survey.catalog import load_catalog
from vlm_survey.yaml_source import DataErrors


def make_root(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """The corpus's small repository: the real schemas, one valid model, benchmark and glossary, plus `files`."""
    return minimal_repo(tmp_path / "repo", files)


def errors_for(tmp_path: Path, files: dict[str, str | bytes]) -> list:
    with pytest.raises(DataErrors) as raised:
        load_catalog(make_root(tmp_path, files))
    return raised.value.errors


def test_real_data_is_valid() -> None:
    catalog = load_catalog(ROOT)
    assert catalog.models and catalog.benchmarks and catalog.glossary
    assert len({m["id"] for m in catalog.models}) == len(catalog.models)


def test_minimal_valid_repository_loads(tmp_path: Path) -> None:
    catalog = load_catalog(make_root(tmp_path, {}))
    assert [m["id"] for m in catalog.models] == ["demo"]
    assert catalog.models[0]["_file"] == "data/models/demo.yaml"


def test_template_files_are_skipped(tmp_path: Path) -> None:
    catalog = load_catalog(make_root(tmp_path, {"data/models/_template.yaml": "id: NOT VALID\n"}))
    assert [m["id"] for m in catalog.models] == ["demo"]


SCHEMA_PATTERNS = [
    ("model", MODEL, ["id"], "demo"),
    ("model", MODEL, ["paper"], "https://arxiv.org/abs/2310.03744"),
    ("model", MODEL + "based_on: [blip]\n", ["based_on", 0], "blip"),
    ("benchmark", BENCHMARK, ["papers", 0], "https://arxiv.org/abs/2305.10355"),
    ("glossary", GLOSSARY, ["terms", 0, "id"], "vlm"),
    ("glossary", GLOSSARY, ["terms", 0, "abbr"], "VLM"),
]


@pytest.mark.parametrize(("schema", "text", "path", "value"), SCHEMA_PATTERNS,
                         ids=[f"{s}-{'.'.join(map(str, p))}" for s, _, p, _ in SCHEMA_PATTERNS])
def test_schema_patterns_refuse_a_trailing_newline(schema: str, text: str, path: list[str | int], value: str) -> None:
    """Python's `$` matches before a final newline too, and jsonschema searches: the schema alone must refuse it."""
    import yaml

    from vlm_survey.catalog import _validator

    validator = _validator(ROOT / "data" / "schema" / f"{schema}.schema.json")
    entry = yaml.safe_load(text)
    parent = entry
    for part in path[:-1]:
        parent = parent[part]
    assert parent[path[-1]] == value and validator.full.is_valid(entry)
    parent[path[-1]] = value + "\n"
    assert not validator.full.is_valid(entry) and not validator.quick.is_valid(entry)


def test_every_schema_pattern_ends_at_the_end_of_the_value() -> None:
    import json
    import re

    patterns = re.findall(r'"pattern": ("(?:[^"\\]|\\.)*")', "".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "schema").glob("*.json"))))
    assert len(patterns) >= 5 and all(json.loads(p).endswith("$(?!\\n)") for p in patterns), patterns


REAL_ABBREVIATIONS = ("ANLS BLEU CIDEr CLIP DPO GRPO ITC ITM LLM LoRA MLM MoE MLLM OCR PPO Q-Former QLoRA RLAIF RLHF "
                      "SFT VLA VLM ViT VQA VQ").split()


def test_every_abbreviation_of_the_real_glossary_is_accepted(tmp_path: Path) -> None:
    terms = "".join(f"  - id: term-{n}\n    en: Term {n}\n    zh: 术语 {n}\n    abbr: {abbr}\n"
                    f"    definition: {{zh: 定义, en: Definition}}\n" for n, abbr in enumerate(REAL_ABBREVIATIONS))
    catalog = load_catalog(make_root(tmp_path, {"data/glossary.yaml": "terms:\n" + terms}))
    assert sorted(term["abbr"] for term in catalog.glossary) == sorted(REAL_ABBREVIATIONS)


@pytest.mark.parametrize("loader", ["C", "pure Python"])
def test_lines_are_counted_as_editors_count_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loader: str) -> None:
    """YAML also breaks lines at U+2028, U+2029 and U+0085; editors, git and GitHub only at "\\n". Both loaders
    give a mark's index in characters (not bytes), from which the line is counted."""
    import yaml

    from vlm_survey import yaml_source

    if loader != "C":
        monkeypatch.setattr(yaml_source, "SafeLoader", yaml.SafeLoader)
    text = (replace(replace(MODEL, "  en: A model for tests.", '  en: "A model\u2028for\u2029tests\u0085."'),
                    "name: Demo-VL", "name: Démo-VL 😀").replace("\n", "\r\n") + "uncertain: maybe\r\n")
    errors = errors_for(tmp_path, {"data/models/demo.yaml": text})
    assert [(e.line, e.column, e.field) for e in errors] == [(line_of(text, "uncertain:"), 12, "uncertain")]
