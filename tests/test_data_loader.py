"""The loader accepts the real data and refuses each kind of bad file with file, line and field."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import ROOT, write_files
from vlm_survey.catalog import load_catalog
from vlm_survey.yaml_source import DataError, DataErrors

MODEL = """\
# yaml-language-server: $schema=../schema/model.schema.json
id: demo
name: Demo-VL
year: 2023
organization: Example Lab
architecture_type: decoder-only
paradigm: llm-backbone
vision_encoder: CLIP ViT-L/14
llm_backbone: Vicuna
connector: mlp-projector
parameters: 7B
training_data: COCO
open_weights: true
paper: https://arxiv.org/abs/2310.03744
code: null
summary:
  zh: 一个用于测试的模型。
  en: A model for tests.
source: tests
survey_version: v1
"""

BENCHMARK = """\
# yaml-language-server: $schema=../schema/benchmark.schema.json
id: demo-bench
name: Demo-Bench
year: 2024
kind: benchmark
category: hallucination
domain:
  zh: 幻觉
  en: Hallucination
metric: Yes/No
metric_types: [yes-no]
annotation: Human
annotation_types: [human]
size_k: 1.5
papers:
  - https://arxiv.org/abs/2305.10355
summary:
  zh: 一个用于测试的基准。
  en: A benchmark for tests.
source: tests
survey_version: v1
"""

GLOSSARY = """\
terms:
  - id: vlm
    en: Vision-language model
    zh: 视觉语言模型
    abbr: VLM
    definition:
      zh: 同时处理图像与文本的模型。
      en: A model that works on images and text together.
"""


def make_root(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """A minimal repository: the real schemas, one valid model, benchmark and glossary, plus `files`."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "data" / "schema", root / "data" / "schema")
    defaults: dict[str, str | bytes] = {"data/models/demo.yaml": MODEL,
                                        "data/benchmarks/demo-bench.yaml": BENCHMARK,
                                        "data/glossary.yaml": GLOSSARY}
    write_files(root, {**defaults, **files})
    return root


def errors_for(tmp_path: Path, files: dict[str, str | bytes]) -> list[DataError]:
    with pytest.raises(DataErrors) as raised:
        load_catalog(make_root(tmp_path, files))
    return raised.value.errors


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line of `text` containing `needle`, lines counted as editors and GitHub
    count them: by "\\n" only (not at U+2028, U+2029 or U+0085, which `str.splitlines` also splits at)."""
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_real_data_is_valid() -> None:
    catalog = load_catalog(ROOT)
    assert catalog.models and catalog.benchmarks and catalog.glossary
    assert len({m["id"] for m in catalog.models}) == len(catalog.models)


def test_minimal_valid_repository_loads(tmp_path: Path) -> None:
    catalog = load_catalog(make_root(tmp_path, {}))
    assert [m["id"] for m in catalog.models] == ["demo"]
    assert catalog.models[0]["_file"] == "data/models/demo.yaml"


def test_year_below_minimum_names_file_line_column_and_field(tmp_path: Path) -> None:
    text = replace(MODEL, "year: 2023", "year: 1899")
    [error] = errors_for(tmp_path, {"data/models/demo.yaml": text})
    assert (error.file, error.line, error.column, error.field) == ("data/models/demo.yaml", line_of(text, "year:"), 7, "year")
    assert str(error) == f"data/models/demo.yaml:{line_of(text, 'year:')}:7: year: 1899 is less than the minimum 2012"


@pytest.mark.parametrize(
    ("name", "path", "content", "field", "fragment", "needle"),
    [
        ("duplicate key", "data/models/demo.yaml", MODEL + "year: 2024\n", "year", "duplicate key (first defined on line 4)", "year: 2024"),
        ("unknown field", "data/models/demo.yaml", MODEL + "colour: blue\n", "colour", "unknown field; allowed fields are:", "colour:"),
        ("wrong type", "data/models/demo.yaml", replace(MODEL, "year: 2023", 'year: "2023"'), "year", "has the wrong type; expected a whole number", "year:"),
        ("malformed URL", "data/models/demo.yaml", replace(MODEL, "paper: https://arxiv.org/abs/2310.03744", "paper: arxiv 2310.03744"), "paper", "is not a valid URL", "paper:"),
        ("javascript URL", "data/models/demo.yaml", replace(MODEL, "code: null", "code: javascript:alert(1)"), "code", "is not valid; expected an http(s) URL or null", "code:"),
        ("missing translation", "data/models/demo.yaml", replace(MODEL, "  en: A model for tests.\n", ""), "summary.en", "required field is missing", "summary:"),
        ("missing required field", "data/models/demo.yaml", replace(MODEL, "organization: Example Lab\n", ""), "organization", "required field is missing", "id:"),
        ("enum value", "data/models/demo.yaml", replace(MODEL, "connector: mlp-projector", "connector: glue"), "connector", "is not allowed; expected one of: linear-projection", "connector:"),
        ("unknown category", "data/benchmarks/demo-bench.yaml", replace(BENCHMARK, "category: hallucination", "category: vibes"), "category", "is not allowed; expected one of:", "category:"),
        ("id not matching file", "data/models/demo.yaml", replace(MODEL, "id: demo", "id: other"), "id", "'other' must equal the file name 'demo'", "id:"),
        ("bad id pattern", "data/models/demo.yaml", replace(MODEL, "id: demo", "id: Demo_VL"), "id", "is not a valid id", "id:"),
        ("benchmark needs metric", "data/benchmarks/demo-bench.yaml", replace(BENCHMARK, "metric: Yes/No\n", ""), "metric", "required field is missing", "id:"),
        ("unknown lineage", "data/models/demo.yaml", MODEL + "based_on: [nothing-here]\n", "based_on[0]", "'nothing-here' is not the id of a model", "based_on:"),
        ("python tag", "data/models/demo.yaml", replace(MODEL, "name: Demo-VL", "name: !!python/object/apply:os.system ['true']"), "name", "is not allowed; write plain values", "name:"),
    ],
)
def test_bad_field_is_reported_at_its_line(tmp_path: Path, name: str, path: str, content: str,
                                           field: str, fragment: str, needle: str) -> None:
    errors = errors_for(tmp_path, {path: content})
    matching = [e for e in errors if e.field == field and fragment in e.message]
    assert matching, f"{name}: no error for {field!r} containing {fragment!r} in {[str(e) for e in errors]}"
    error = matching[0]
    assert error.file == path
    assert error.line == line_of(content, needle), f"{name}: {error}"


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("YAML syntax error", replace(MODEL, "name: Demo-VL", "name: [Demo-VL"), "YAML syntax error"),
        ("tab indentation", replace(MODEL, "  zh: 一个", "\tzh: 一个"), "YAML syntax error"),
        ("empty file", "", "file is empty"),
        ("only comments", "# yaml-language-server: $schema=../schema/model.schema.json\n", "file is empty"),
        ("list instead of mapping", "- id: demo\n- name: x\n", "expected a mapping of fields at the top level, found a list"),
        ("non-UTF-8 bytes", MODEL.encode().replace(b"Example Lab", b"Caf\xe9 Lab"), "is not valid UTF-8"),
        ("byte-order mark", b"\xef\xbb\xbf" + MODEL.encode(), "byte-order mark"),
        ("aliases", replace(MODEL, "vision_encoder: CLIP ViT-L/14", "vision_encoder: &v CLIP ViT-L/14\ntraining_data_alias: *v"), "anchors and aliases"),
        ("too large", MODEL + "# " + "x" * (300 * 1024) + "\n", "a data file must be at most"),
    ],
)
def test_unreadable_file_is_refused_with_a_message(tmp_path: Path, name: str, content: str | bytes, fragment: str) -> None:
    errors = errors_for(tmp_path, {"data/models/demo.yaml": content})
    assert any(e.file == "data/models/demo.yaml" and fragment in e.message for e in errors), \
        f"{name}: {[str(e) for e in errors]}"


def test_error_positions_point_into_the_file(tmp_path: Path) -> None:
    bad = replace(MODEL, "name: Demo-VL", "name: [Demo-VL")
    [error] = errors_for(tmp_path, {"data/models/demo.yaml": bad})
    assert 1 <= error.line <= len(bad.splitlines()) + 1


def test_tab_indentation_hint(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, {"data/models/demo.yaml": replace(MODEL, "  zh: 一个", "\tzh: 一个")})
    assert any("tabs" in e.message for e in errors), [str(e) for e in errors]


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        prev = chr(ord("a") + level - 1)
        cur = chr(ord("a") + level)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    errors = errors_for(tmp_path, {"data/models/demo.yaml": "\n".join(lines) + "\n"})
    assert any("anchors and aliases" in e.message for e in errors)


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, {"data/models/demo-copy.yaml": MODEL})
    duplicates = {(e.file, e.message) for e in errors if e.field == "id" and "duplicate id 'demo'" in e.message}
    files = {"data/models/demo.yaml", "data/models/demo-copy.yaml"}
    assert len(duplicates) == 1, [str(e) for e in errors]
    [(file, message)] = duplicates
    assert file in files and f"(also in {(files - {file}).pop()})" in message


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    bad_model = replace(replace(MODEL, "year: 2023", "year: 1899"), "connector: mlp-projector", "connector: glue")
    bad_bench = replace(BENCHMARK, "size_k: 1.5", "size_k: -3")
    errors = errors_for(tmp_path, {"data/models/demo.yaml": bad_model, "data/benchmarks/demo-bench.yaml": bad_bench})
    assert {(e.file, e.field) for e in errors} >= {("data/models/demo.yaml", "year"),
                                                    ("data/models/demo.yaml", "connector"),
                                                    ("data/benchmarks/demo-bench.yaml", "size_k")}


def test_glossary_duplicate_term(tmp_path: Path) -> None:
    doubled = GLOSSARY + GLOSSARY.split("\n", 1)[1]
    errors = errors_for(tmp_path, {"data/glossary.yaml": doubled})
    assert any(e.file == "data/glossary.yaml" and "duplicate id 'vlm'" in e.message for e in errors)


def test_template_files_are_skipped(tmp_path: Path) -> None:
    catalog = load_catalog(make_root(tmp_path, {"data/models/_template.yaml": "id: NOT VALID\n"}))
    assert [m["id"] for m in catalog.models] == ["demo"]


def test_other_underscore_files_are_reported(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, {"data/models/_draft.yaml": MODEL})
    assert [str(e) for e in errors] == ["data/models/_draft.yaml:1:1: (file): only _template.yaml may start with '_'; "
                                        "name a data file <id>.yaml, or delete this one"]


def test_an_empty_subfolder_is_reported(tmp_path: Path) -> None:
    root = make_root(tmp_path, {})
    (root / "data" / "benchmarks" / "old").mkdir()
    with pytest.raises(DataErrors) as raised:
        load_catalog(root)
    assert [str(e) for e in raised.value.errors] == [
        "data/benchmarks/old:1:1: (file): is a folder; data files sit directly in data/benchmarks, subfolders are not read"]


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


@pytest.mark.parametrize("abbr", ["The", "and", "a", "IT", "US", "AND", "vlm", "V", "VLM\n", "V LM"])
def test_an_abbreviation_must_be_distinctive(tmp_path: Path, abbr: str) -> None:
    glossary = GLOSSARY.replace("abbr: VLM", f"abbr: {json.dumps(abbr)}")
    errors = errors_for(tmp_path, {"data/glossary.yaml": glossary})
    assert any(e.field == "terms[0].abbr" and e.line == 5 for e in errors), [str(e) for e in errors]


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
