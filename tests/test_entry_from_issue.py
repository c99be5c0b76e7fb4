"""An "Add a model" / "Add a benchmark" issue becomes a validated data file, or one message per problem in
the form's own words; the workflow around it never runs the issue's text.

Bodies are written the way GitHub renders an issue form (`### <label>`, `_No response_`): two literal
fixtures, and bodies rendered from the forms for the variations.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, copy_repo

import entry_from_issue as converter

from vlm_survey.catalog import load_catalog

FIXTURES = ROOT / "tests" / "fixtures"
FORMS = {"models": "add-model.yml", "benchmarks": "add-benchmark.yml"}
MODEL = {
    "id": "issue-vl", "name": "Issue-VL", "year": "2025", "organization": "Open Course Lab",
    "architecture_type": "decoder-only", "paradigm": "llm-backbone", "vision_encoder": "SigLIP-SO400M",
    "llm_backbone": "Qwen2-7B", "connector": "mlp-projector", "parameters": "8B", "training_data": "LLaVA-665K",
    "open_weights": "true", "paper": "https://arxiv.org/abs/2501.02189", "summary_zh": "一个从 issue 表单生成的演示模型。",
    "summary_en": "A demonstration model made from an issue form.", "source": "tests (a made-up entry)",
    "survey_version": "later", "title": "Issue-VL: A Model from an Issue Form", "authors": "Grace Contributor",
}
BENCHMARK = {
    "id": "issue-bench", "name": "Issue-Bench", "year": "2024", "kind": "benchmark", "category": "vqa-reasoning",
    "domain_zh": "视觉问答", "domain_en": "Visual question answering", "metric": "Answer Matching",
    "metric_types": "answer-matching", "annotation": "Human", "annotation_types": "human",
    "papers": "https://arxiv.org/abs/2501.02189", "summary_zh": "考察模型能否回答关于图片的问题。",
    "summary_en": "Tests whether a model can answer questions about an image.", "source": "tests (a made-up entry)",
    "survey_version": "v1", "title": "Issue-Bench: A Benchmark from an Issue Form", "authors": "Ada Contributor",
}
VALID = {"models": MODEL, "benchmarks": BENCHMARK}


def form(collection: str) -> list[dict]:
    text = (ROOT / ".github" / "ISSUE_TEMPLATE" / FORMS[collection]).read_text(encoding="utf-8")
    return [item for item in yaml.safe_load(text)["body"] if "id" in item]


def label(collection: str, item_id: str) -> str:
    return next(item["attributes"]["label"] for item in form(collection) if item["id"] == item_id)


def render(collection: str, answers: dict[str, str]) -> str:
    """An issue body as GitHub renders the form: every question's heading, `_No response_` when unanswered."""
    return "\n\n".join(f"### {item['attributes']['label']}\n\n{answers.get(item['id']) or '_No response_'}"
                       for item in form(collection))


# The real entries the bodies below name (a lineage, a taken id), with what they build on. Most tests convert
# against these alone: the converter validates the whole data folder once per body, and the real one would
# cost a third of a second each time. The two fixtures and the command line are converted against all of it.
NAMED = ("models/llava-1-5", "models/blip-2", "benchmarks/mme")


def _with_lineage(named: tuple[str, ...]) -> set[str]:
    found, queue = set(), list(named)
    while queue:
        entry = queue.pop()
        if entry not in found:
            found.add(entry)
            data = yaml.safe_load((ROOT / "data" / f"{entry}.yaml").read_text(encoding="utf-8"))
            queue += [f"models/{parent}" for parent in data.get("based_on") or []]
    return found


DATA_PARTS = ["data/schema", "data/glossary.yaml", "data/models/_template.yaml", "data/benchmarks/_template.yaml",
              *sorted(f"data/{entry}.yaml" for entry in _with_lineage(NAMED))]


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """The issue forms and a small data folder (schemas, templates, glossary, the entries the bodies name), the
    two things the converter reads, in a folder of their own."""
    return copy_repo(tmp_path / "repo", parts=[*DATA_PARTS, ".github/ISSUE_TEMPLATE"])


@pytest.fixture()
def full_repo(tmp_path: Path) -> Path:
    """The issue forms and the whole real data folder."""
    return copy_repo(tmp_path / "repo", parts=["data", ".github/ISSUE_TEMPLATE"])


def run(repo: Path, body: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, list[str]]:
    """Convert `body` through the command line entry point: (exit code, stdout, stderr lines)."""
    path = repo / "body.md"
    path.write_bytes(body.encode("utf-8"))
    code = converter.main([str(path)], root=repo)
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


def data_files(repo: Path) -> set[str]:
    return {p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file() and p.name != "body.md"}


# --- valid issues ------------------------------------------------------------------------------------


def test_model_issue_becomes_a_valid_entry(full_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = full_repo
    code, out, err = run(repo, (FIXTURES / "issue-add-model.md").read_text(encoding="utf-8"), capsys)
    assert (code, out, err) == (0, "data/models/issue-vl.yaml\n", [])
    text = (repo / "data" / "models" / "issue-vl.yaml").read_text(encoding="utf-8")
    assert text.split("\n", 1)[0] == "# yaml-language-server: $schema=../schema/model.schema.json"
    assert yaml.safe_load(text) == {
        "id": "issue-vl", "name": "Issue-VL", "year": 2025, "organization": "Open Course Lab",
        "architecture_type": "decoder-only", "paradigm": "llm-backbone", "vision_encoder": "SigLIP-SO400M",
        "llm_backbone": "Qwen2-7B", "connector": "mlp-projector",
        "connector_detail": {"zh": "两层 MLP 连接视觉与语言。", "en": "A two-layer MLP joins vision and language."},
        "parameters": "8B", "training_data": "LLaVA-665K", "open_weights": True,
        "paper": "https://arxiv.org/abs/2501.02189", "title": "Issue-VL: Contributing Without Git",
        "authors": ["Grace Contributor", "Linus Contributor"], "based_on": ["llava-1-5", "blip-2"],
        "summary": {"zh": "一个从 issue 表单生成的演示模型。", "en": "A demonstration model made from an issue form."},
        "source": "tests/fixtures/issue-add-model.md (a made-up entry)", "survey_version": "later"}
    assert list(yaml.safe_load(text)) == [f for f in converter.load_schema(repo, "models")["properties"]
                                          if f in yaml.safe_load(text)], "fields in schema order"
    assert any(m["id"] == "issue-vl" for m in load_catalog(repo).models)


def test_benchmark_issue_becomes_a_valid_entry(full_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = full_repo
    code, out, err = run(repo, (FIXTURES / "issue-add-benchmark.md").read_text(encoding="utf-8"), capsys)
    assert (code, out) == (0, "data/benchmarks/issue-bench.yaml\n")
    assert err == [f"{label('benchmarks', 'anything_else')}: not converted; a maintainer reads this answer on the issue"]
    data = yaml.safe_load((repo / "data" / "benchmarks" / "issue-bench.yaml").read_text(encoding="utf-8"))
    assert data == {
        "id": "issue-bench", "name": "Issue-Bench / Issue-Bench 2", "year": 2024, "kind": "benchmark",
        "category": "vqa-reasoning", "domain": {"zh": "视觉问答", "en": "Visual question answering"},
        "metric": "Answer Matching ; Multiple Choice", "metric_types": ["answer-matching", "multiple-choice"],
        "annotation": "CrowdSource/Synthetic", "annotation_types": ["crowdsourced", "synthetic"], "size_k": 22000,
        "papers": ["https://arxiv.org/abs/2501.02189", "https://arxiv.org/abs/2501.02190"],
        "project": ["https://github.com/example-org/issue-bench"],
        "summary": {"zh": "考察模型能否回答关于图片的问题。", "en": "Tests whether a model can answer questions about an image."},
        "source": "tests/fixtures/issue-add-benchmark.md (a made-up entry)", "survey_version": "v1",
        "uncertain": True, "title": "Issue-Bench: A Benchmark Proposed in an Issue",
        "authors": ["Ada Contributor", "Alan Contributor"]}
    assert any(b["id"] == "issue-bench" for b in load_catalog(repo).benchmarks)


@pytest.mark.parametrize(("answer", "value"), [("22,000", 22000), ("23K", 23), ("1.5", 1.5), ("2.8k", 2.8)])
def test_sizes_are_read_as_the_form_says(repo: Path, answer: str, value: float) -> None:
    result = converter.convert(render("benchmarks", {**BENCHMARK, "size_k": answer}), repo)
    assert result.problems == [] and yaml.safe_load(result.path.read_text(encoding="utf-8"))["size_k"] == value


@pytest.mark.parametrize(("answers", "expected"), [
    ({"llm_backbone": "null", "open_weights": "null"}, {"llm_backbone": None, "open_weights": None}),
    ({"open_weights": "false", "uncertain": "false"}, {"open_weights": False}),
    ({"uncertain": "true", "code": "https://github.com/example-org/issue-vl"},
     {"uncertain": True, "code": "https://github.com/example-org/issue-vl"}),
])
def test_dropdown_and_null_answers_become_values(repo: Path, answers: dict[str, str], expected: dict) -> None:
    result = converter.convert(render("models", {**MODEL, **answers}), repo)
    data = yaml.safe_load(result.path.read_text(encoding="utf-8"))
    assert {key: data.get(key) for key in expected} == expected
    assert ("uncertain" in data) == (answers.get("uncertain") == "true"), "an optional flag left false is omitted"


def test_windows_line_breaks_and_an_unselected_dropdown(repo: Path) -> None:
    body = render("models", {**MODEL, "summary_en": "Line one.\nLine two."}).replace("\n", "\r\n")
    body = body.replace("### Uncertain / 存疑\r\n\r\n_No response_", "### Uncertain / 存疑\r\n\r\nNone")
    data = yaml.safe_load(converter.convert(body, repo).path.read_text(encoding="utf-8"))
    assert data["summary"]["en"] == "Line one.\nLine two." and "uncertain" not in data


def test_checked_boxes_are_the_list() -> None:
    boxes = converter.Question("annotation_types", "checkboxes", "Annotation types")
    assert converter.items("- [x] human\n- [ ] web\n- [X] expert\n", boxes) == ["human", "expert"]


# --- problems, in the form's words ---------------------------------------------------------------------


def required_questions(collection: str) -> list[tuple[str, str]]:
    return [(collection, item["id"]) for item in form(collection) if item.get("validations", {}).get("required")]


FOR_KIND_BENCHMARK = [("benchmarks", name) for name in ("metric", "metric_types", "annotation", "annotation_types")]


@pytest.mark.parametrize(("collection", "item_id"),
                         required_questions("models") + required_questions("benchmarks") + FOR_KIND_BENCHMARK)
def test_each_required_answer_missing_is_named(repo: Path, capsys: pytest.CaptureFixture[str], collection: str,
                                               item_id: str) -> None:
    answers = {**VALID[collection], item_id: ""}
    code, out, err = run(repo, render(collection, answers), capsys)
    assert (code, out) == (1, "")
    assert any(line.startswith(f"{label(collection, item_id)}: required field is missing") for line in err), err
    assert not (repo / "data" / collection / f"{VALID[collection]['id']}.yaml").exists()


@pytest.mark.parametrize(("collection", "answers", "expected"), [
    ("models", {"year": "twenty"}, 'Year / 年份: "twenty" has the wrong type; expected a whole number'),
    ("models", {"year": "1899"}, "Year / 年份: 1899 is less than the minimum 2012"),
    ("models", {"year": "2023.5"}, 'Year / 年份: "2023.5" has the wrong type; expected a whole number'),
    ("models", {"paper": "javascript:alert(1)"}, 'Paper URL / 论文链接: "javascript:alert(1)" is not a valid URL'),
    ("models", {"code": "github.com/x"}, 'Code URL / 代码链接: "github.com/x" is not valid; expected an http(s) URL'),
    ("models", {"open_weights": "maybe"}, 'Open weights / 是否开放权重: "maybe" has the wrong type'),
    ("models", {"architecture_type": "transformer"}, 'Architecture type / 架构类型: "transformer" is not allowed'),
    ("models", {"based_on": "llava-1-5, no-such-model"},
     "Based on / 基于 (item 2): 'no-such-model' is not the id of a model in data/models"),
    ("models", {"id": "Bad Id"}, 'Id / 标识: "Bad Id" is not a valid id; expected lower-case letters'),
    ("models", {"id": "index"}, "Id / 标识: 'index' is reserved"),
    ("models", {"id": "llava-1-5"}, "Id / 标识: data/models/llava-1-5.yaml already exists; choose another id"),
    ("models", {"id": "mme"}, "Id / 标识: data/benchmarks/mme.yaml already exists; choose another id"),
    ("models", {"name": "Demo\u202eLV"}, "Name / 名称: contains U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("models", {"name": "Demo\x85VL"}, "Name / 名称: contains a character YAML would not store as written "
                                       "(U+0085 NEXT LINE)"),
    ("models", {"summary_zh": "{{ config }}\u200b" * 200}, "Summary (中文) / 简介（中文）: is 2600 characters long"),
    ("benchmarks", {"papers": "https://arxiv.org/abs/1\nftp://example.org/paper"},
     'Paper URLs / 论文链接 (item 2): "ftp://example.org/paper" is not a valid URL'),
    ("benchmarks", {"size_k": "lots"}, 'Size (thousands of samples) / 规模（千条）: "lots" has the wrong type'),
    ("benchmarks", {"size_k": "0"}, "Size (thousands of samples) / 规模（千条）: 0 must be greater than 0"),
    ("benchmarks", {"metric_types": "answer-matching, guessing"},
     'Metric types / 指标类型 (item 2): "guessing" is not allowed'),
])
def test_bad_answers_are_named_by_their_label(repo: Path, capsys: pytest.CaptureFixture[str], collection: str,
                                              answers: dict[str, str], expected: str) -> None:
    before = data_files(repo)
    code, out, err = run(repo, render(collection, {**VALID[collection], **answers}), capsys)
    assert (code, out) == (1, "")
    assert any(line.startswith(expected) for line in err), err
    assert data_files(repo) == before, "nothing is written when an answer is wrong"


def test_every_problem_is_listed_at_once(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(repo, render("models", {**MODEL, "year": "twenty", "organization": "",
                                               "paper": "nowhere", "summary_en": ""}), capsys)
    assert code == 1 and [line.split(":", 1)[0] for line in err] == [
        "Year / 年份", "Organization / 机构", "Paper URL / 论文链接", "Summary (English) / 简介（英文）"]


def test_a_body_that_is_no_form_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(repo, "Please add LLaVA, thanks!\n### Id / 标识\n\nllava\n", capsys)
    assert (code, out) == (1, "") and err[0].startswith("Issue: this is not the body of an 'Add a model'")


def test_a_removed_heading_is_named(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = render("models", MODEL).replace("### Source / 出处\n\n", "")
    code, _, err = run(repo, body, capsys)
    assert code == 1 and "Source / 出处: the heading '### Source / 出处' is missing; edit the issue without " \
                         "removing the form's headings" in err


# --- hostile text ---------------------------------------------------------------------------------------

HOSTILE = {
    "name": "{{ config.__class__ }}{% raw %}<script>alert(1)</script>🦙",
    "organization": "Lab: 'quoted' \"double\" # not a comment &anchor *alias !!python/object",
    "summary_zh": "{% for x in range(9) %}{{ x }}{% endfor %}\n<img src=x onerror=alert(1)>\n### Year / 年份\n👩‍🔬 中文",
    "summary_en": "---\nid: evil\n...\n- [x] item\n${{ github.token }} $(rm -rf /) `id`",
    "training_data": "null",
    "parameters": "2023",
    "vision_encoder": "yes",
}


def test_hostile_text_is_stored_exactly_as_written(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(repo, render("models", {**MODEL, **HOSTILE}), capsys)
    assert (code, out, err) == (0, "data/models/issue-vl.yaml\n", [])
    data = yaml.safe_load((repo / "data" / "models" / "issue-vl.yaml").read_text(encoding="utf-8"))
    assert data["name"] == HOSTILE["name"] and data["organization"] == HOSTILE["organization"]
    assert data["summary"] == {"zh": HOSTILE["summary_zh"], "en": HOSTILE["summary_en"]}
    assert (data["training_data"], data["parameters"], data["vision_encoder"]) == ("null", "2023", "yes"), \
        "text fields keep text that YAML would otherwise read as null, a number or a boolean"
    assert data["year"] == 2025, "a ### line inside an answer does not start another question"
    load_catalog(repo)


@pytest.mark.parametrize("entry_id", ["demo\nvl", "../../../evil", "models/evil", "evil/../../x", "..", "/tmp/evil",
                                      "evil.yaml", "evil\\..\\x", "ｅｖｉｌ", " "])
def test_an_id_that_is_no_file_name_is_refused(repo: Path, capsys: pytest.CaptureFixture[str], entry_id: str) -> None:
    before = set(os.listdir(repo.parent)), data_files(repo)
    body = render("models", MODEL).replace("### Id / 标识\n\nissue-vl\n", f"### Id / 标识\n\n{entry_id}\n")
    code, out, err = run(repo, body, capsys)
    assert (code, out) == (1, "")
    assert [line for line in err if line.startswith("Id / 标识: ")], err
    assert all("\n" not in line for line in err)
    assert (set(os.listdir(repo.parent)), data_files(repo)) == before


@pytest.mark.parametrize(("collection", "entry_id", "existing"), [
    ("models", "llava-1-5", "data/models/llava-1-5.yaml"), ("models", "mme", "data/benchmarks/mme.yaml"),
    ("benchmarks", "llava-1-5", "data/models/llava-1-5.yaml"), ("benchmarks", "mme", "data/benchmarks/mme.yaml"),
])
def test_a_taken_id_is_the_only_problem(repo: Path, capsys: pytest.CaptureFixture[str], collection: str,
                                        entry_id: str, existing: str) -> None:
    """Said once, about the answer: no duplicate-id echo from the other file, nothing else disturbed."""
    code, _, err = run(repo, render(collection, {**VALID[collection], "id": entry_id}), capsys)
    assert code == 1 and err == [f"Id / 标识: {existing} already exists; choose another id, or report a change to "
                                 "that entry with the 'Report an error' form"]


def test_an_existing_entry_is_never_overwritten(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = render("models", MODEL)
    assert run(repo, body, capsys)[0] == 0
    written = (repo / "data" / "models" / "issue-vl.yaml").read_bytes()
    code, _, err = run(repo, body.replace("Open Course Lab", "Someone Else"), capsys)
    assert code == 1 and err == ["Id / 标识: data/models/issue-vl.yaml already exists; choose another id, or "
                                 "report a change to that entry with the 'Report an error' form"]
    assert (repo / "data" / "models" / "issue-vl.yaml").read_bytes() == written


def test_the_command_line(tmp_path: Path) -> None:
    """The script as the workflow runs it: the path on stdout and exit 0, or problems on stderr and exit 1."""
    root = copy_repo(tmp_path / "repo", parts=["data", "vlm_survey", ".github/ISSUE_TEMPLATE",
                                               "scripts/entry_from_issue.py"])
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text(render("models", MODEL), encoding="utf-8")
    bad.write_text(render("models", {**MODEL, "year": "twenty"}), encoding="utf-8")
    script = [sys.executable, str(root / "scripts" / "entry_from_issue.py")]
    ok = subprocess.run([*script, str(good)], capture_output=True, text=True, cwd=tmp_path)
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "data/models/issue-vl.yaml\n", "")
    assert (root / "data" / "models" / "issue-vl.yaml").is_file()
    (root / "data" / "models" / "issue-vl.yaml").unlink()
    report = tmp_path / "report.txt"
    failed = subprocess.run([*script, str(bad), "--report", str(report)], capture_output=True, text=True, cwd=tmp_path)
    assert (failed.returncode, failed.stdout) == (1, "")
    assert failed.stderr == report.read_text(encoding="utf-8") == \
        'Year / 年份: "twenty" has the wrong type; expected a whole number\n'
    report.unlink()
    missing = subprocess.run([*script, str(tmp_path / "no-body.md"), "--report", str(report)], capture_output=True,
                             text=True, cwd=tmp_path)
    assert missing.returncode == 1 and not report.exists(), "no report unless the answers were checked"


# --- the form is the mapping ------------------------------------------------------------------------------


@pytest.mark.parametrize("collection", FORMS)
def test_every_question_maps_to_a_field_or_is_left_to_the_maintainer(repo: Path, collection: str) -> None:
    """Each question of the form is read into its schema field, except the ones named for the maintainer."""
    questions = converter.load_form(repo, collection)
    schema = converter.load_schema(repo, collection)
    answered = {q.id: "x" for q in questions}
    _, left_out = converter.build_entry(answered, questions, schema)
    assert set(left_out) == {q.label for q in questions if q.id in ("corrections", "anything_else")}
    labels = converter.field_labels(questions, schema)
    fields = {name for name, rule in schema["properties"].items() if rule.get("$ref") != "#/$defs/bilingual"}
    fields |= {f"{name}.{lang}" for name, rule in schema["properties"].items()
               if rule.get("$ref") == "#/$defs/bilingual" for lang in ("zh", "en")}
    assert fields <= set(labels), "a schema field the form does not ask for"


# --- the workflow -----------------------------------------------------------------------------------------

WORKFLOW = ROOT / ".github" / "workflows" / "issue-to-pr.yml"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_no_run_step_interpolates_the_issue() -> None:
    steps = [step for job in workflow()["jobs"].values() for step in job["steps"]]
    scripts = [step["run"] for step in steps if "run" in step]
    assert scripts and not [script for script in scripts if "${{" in script and "github.event" in script]
    assert not [script for script in scripts if "${{" in script], "values reach scripts as environment variables"
    [writer] = [step for step in steps if "BODY" in step.get("env", {})]
    assert writer["env"]["BODY"] == "${{ github.event.issue.body }}"
    assert writer["run"] == """printf '%s' "$BODY" > "$RUNNER_TEMP/body.md\""""


def test_the_workflow_asks_for_no_more_than_it_needs() -> None:
    spec = workflow()
    assert spec.get("on", spec.get(True)) == {"issues": {"types": ["opened", "edited", "labeled"]}}
    assert spec["permissions"] == {"contents": "read"}
    [job] = spec["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    assert "contains(github.event.issue.labels.*.name, 'data')" in job["if"]
    assert job["env"]["BRANCH"] == "data/issue-${{ github.event.issue.number }}", "the branch comes from the number"
    [checkout] = [step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["persist-credentials"] is False
    [convert] = [step for step in job["steps"] if step.get("id") == "convert"]
    assert "--report" in convert["run"], "only a finished check is posted; a crash fails the job instead"
    tokens = [step for step in job["steps"] if "GH_TOKEN" in step.get("env", {})]
    assert all("python" not in step["run"] for step in tokens), "the token is not there while Python runs"
    assert all(step["uses"].split("@")[1] in ("v4", "v5") for step in job["steps"] if "uses" in step)
