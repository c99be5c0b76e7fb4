"""The contributor's path works as written: copy the template, fill it, `check-data`, build, see the row (in
conftest's `augmented` working copy and build, which other scenarios add to as well).

Also keeps what a contributor reads in step with what the checks enforce: the templates list every
schema field with its allowed values, the issue forms ask for the same fields, every `make` command
the guides name exists, and the pull-request checklist is the guide's.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import LANGS, ROOT, page_path, run_docs, soup

COLLECTIONS = {"models": "model.schema.json", "benchmarks": "benchmark.schema.json"}
FORMS = {"models": "add-model.yml", "benchmarks": "add-benchmark.yml"}
NEW_ID = "contributor-vl"
NEW_NAME = "Contributor-VL"


def schema(collection: str) -> dict:
    return json.loads((ROOT / "data" / "schema" / COLLECTIONS[collection]).read_text(encoding="utf-8"))


def conditionally_required(spec: dict) -> set[str]:
    return {name for rule in spec.get("allOf", []) for name in rule.get("then", {}).get("required", [])}


def enum_of(prop: dict) -> list[str] | None:
    if "enum" in prop:
        return prop["enum"]
    return prop.get("items", {}).get("enum")


def fill_template(text: str, values: dict[str, str], blocks: dict[str, str], drop: set[str]) -> str:
    """Edit the template the way a contributor does: replace values, replace or delete whole fields."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    skipping = False
    for line in lines:
        key = re.match(r"^([a-z_]+):", line)
        if key:
            skipping = False
            name = key.group(1)
            if name in drop:
                skipping = True
                continue
            if name in values:
                out.append(f"{name}: {values[name]}\n")
                continue
            if name in blocks:
                out.append(f"{name}:\n{blocks[name]}")
                skipping = True
                continue
        elif skipping and line.startswith((" ", "-")):
            continue
        else:
            skipping = False
        out.append(line)
    return "".join(out)


def augment(repo: Path) -> None:
    """Steps 1 and 2 in the working copy: copy the model template, fill it as a contributor would."""
    template = (repo / "data" / "models" / "_template.yaml").read_text(encoding="utf-8")
    target = repo / "data" / "models" / f"{NEW_ID}.yaml"
    shutil.copyfile(repo / "data" / "models" / "_template.yaml", target)  # step 1: copy
    assert (repo / "data" / "models" / "llava-1-5.yaml").is_file(), "the lineage example needs llava-1-5"
    target.write_text(fill_template(template, values={  # step 2: fill
        "id": NEW_ID, "name": NEW_NAME, "year": "2025", "organization": "Open Course Lab",
        "architecture_type": "decoder-only", "paradigm": "llm-backbone", "vision_encoder": "SigLIP-SO400M",
        "llm_backbone": "Qwen2-7B", "connector": "mlp-projector", "parameters": "8B",
        "training_data": "LLaVA-665K", "open_weights": "true", "paper": "https://arxiv.org/abs/2501.02189",
        "code": "https://github.com/example-org/contributor-vl", "survey_version": "later",
        "title": '"Contributor-VL: A Model Added from the Template"',
        "source": "tests/test_contributor_path.py (a made-up entry)"},
        blocks={"summary": "  zh: 一个按模板新增的演示模型。\n  en: A demonstration model added from the template.\n",
                "connector_detail": "  zh: 两层 MLP 连接视觉与语言。\n  en: A two-layer MLP joins vision and language.\n",
                "authors": "  - Grace Contributor\n  - Linus Contributor\n"},
        drop={"corrections", "uncertain"}), encoding="utf-8")


@pytest.fixture(scope="module")
def contributed(augmented: tuple[Path, Path]) -> tuple[Path, Path, str]:
    """The working copy with the model added from the template; returns (repo, site, check output). Step 4, the
    build `make serve` previews, is the shared build of the augmented copy."""
    repo, site = augmented
    check = run_docs("check-data", cwd=repo)  # step 3: check
    assert check.returncode == 0, check.stderr
    return repo, site, check.stdout


def test_filled_template_passes_the_check(contributed: tuple[Path, Path, str]) -> None:
    repo, _, output = contributed
    entries = {p.name for p in (repo / "data" / "models").glob("[!_]*.yaml")}
    real = {p.name for p in (ROOT / "data" / "models").glob("[!_]*.yaml")}
    assert f"{NEW_ID}.yaml" in entries - real and real <= entries
    assert output.startswith(f"data OK: {len(entries)} models")  # the new model (and the other additions) counted
    data = yaml.safe_load((repo / "data" / "models" / f"{NEW_ID}.yaml").read_text(encoding="utf-8"))
    assert data["based_on"] == ["llava-1-5"] and "corrections" not in data  # kept and dropped as intended


@pytest.mark.parametrize("lang", LANGS)
def test_new_model_appears_in_the_model_table(contributed: tuple[Path, Path, str], lang: str) -> None:
    _, site, _ = contributed
    document = soup(page_path(site, lang, "architecture"))
    full = [t for t in document.select('table[data-vlm-table="models"]') if t.select_one(f"tr#model-{NEW_ID}")]
    assert full, f"{lang}: no model table lists {NEW_ID}"
    row = full[0].select_one(f"tr#model-{NEW_ID}")
    assert row.select_one("td[data-col=name] a").get_text() == NEW_NAME
    assert row.select_one("td[data-col=year]").get_text().startswith("2025")


def test_templates_show_every_field_and_its_allowed_values() -> None:
    for collection in COLLECTIONS:
        spec = schema(collection)
        text = (ROOT / "data" / collection / "_template.yaml").read_text(encoding="utf-8")
        comments = template_comments(text)
        assert set(comments) == set(spec["properties"]), f"{collection}: template fields differ from the schema"
        for name, prop in spec["properties"].items():
            comment = comments[name]
            required = name in spec["required"] or name in conditionally_required(spec)
            assert comment.startswith("Required") == required, f"{collection}.{name}: {comment[:60]}"
            assert comment.startswith(("Required", "Optional")), f"{collection}.{name}: say whether it is required"
            allowed = enum_of(prop)
            if allowed:
                listed = re.search(r"Allowed: (.*)", comment)
                assert listed, f"{collection}.{name}: the comment does not list the allowed values"
                values = [re.match(r"\s*([a-z0-9-]+)", part).group(1) for part in listed.group(1).split("|")]
                assert values == allowed, f"{collection}.{name}: {values} != {allowed}"


def template_comments(text: str) -> dict[str, str]:
    """Each top-level field of a template with the comment block just above it, joined into one line."""
    found: dict[str, str] = {}
    block: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            block.append(line.lstrip("# ").strip())
        elif re.match(r"^[a-z_]+:", line):
            found[line.split(":")[0]] = " ".join(block)
            block = []
        elif not line.strip():
            block = []
    return found


def test_issue_forms_ask_for_every_field() -> None:
    for collection, form_name in FORMS.items():
        spec = schema(collection)
        form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / form_name).read_text(encoding="utf-8"))
        items = {item["id"]: item for item in form["body"] if "id" in item}
        for name, prop in spec["properties"].items():
            bilingual = prop.get("$ref") == "#/$defs/bilingual"
            ids = [f"{name}_zh", f"{name}_en"] if bilingual else [name]
            for item_id in ids:
                assert item_id in items, f"{form_name}: no field {item_id}"
                item = items[item_id]
                required = item.get("validations", {}).get("required", False)
                assert required == (name in spec["required"]), f"{form_name}: {item_id} required={required}"
            allowed = enum_of(prop)
            if allowed and not bilingual:
                assert items[name]["type"] == "dropdown", f"{form_name}: {name} should offer its values"
                assert items[name]["attributes"]["options"] == allowed, f"{form_name}: {name} options"
                assert items[name]["attributes"].get("multiple", False) == (prop.get("type") == "array")
        assert not set(items) - {"anything_else"} - {i for n, p in spec["properties"].items()
                                 for i in ([f"{n}_zh", f"{n}_en"] if p.get("$ref") == "#/$defs/bilingual" else [n])}


def test_every_make_command_in_the_guides_exists() -> None:
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    guides = [ROOT / "CONTRIBUTING.md", ROOT / "README.md", ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md",
              ROOT / "docs" / "zh" / "contributing.md", ROOT / "docs" / "en" / "contributing.md"]
    for guide in guides:
        named = set(re.findall(r"`make ([a-z][a-z-]*)", guide.read_text(encoding="utf-8")))
        assert named, f"{guide.name} names no make command"
        assert named <= targets, f"{guide.relative_to(ROOT)} names missing targets: {sorted(named - targets)}"


def checklist(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"^- \[ \] (.+(?:\n {2,}.+)*)", text, re.M)]


def test_pull_request_checklist_is_the_guides() -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide.split("## Review checklist", 1)[1].split("\n## ", 1)[0]
    template = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert checklist(section) and checklist(section) == checklist(template)
    pages = {lang: (ROOT / "docs" / lang / "contributing.md").read_text(encoding="utf-8")
             .split("{ #review-checklist }", 1)[1].split("\n## ", 1)[0] for lang in ("zh", "en")}
    assert checklist(pages["en"]) == checklist(section)
    assert len(checklist(pages["zh"])) == len(checklist(section))


def test_pre_commit_hooks_are_local() -> None:
    """Nothing to download: every hook runs from this repository with tools already here."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = {hook["id"]: hook for hook in config["repos"][0]["hooks"]}
    assert hooks["check-data"]["entry"] == "make check-data" and hooks["check-data"]["pass_filenames"] is False
    assert {hook["language"] for hook in hooks.values()} <= {"system", "pygrep", "fail"}


@pytest.mark.parametrize(("hook", "bad", "good"), [
    ("trailing-whitespace", "text \n", "text\n"),
    ("tabs-in-yaml", "summary:\n\tzh: x\n", "summary:\n  zh: x\n"),
    ("merge-conflict-markers", "<<<<<<< HEAD\n", "<< not a marker\n"),
    ("jinja-comment-in-pages", "## Idea {#idea}\n", "## Idea { #idea }\n"),
])
def test_pre_commit_pattern_hooks_catch_what_they_name(hook: str, bad: str, good: str) -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [spec] = [h for h in config["repos"][0]["hooks"] if h["id"] == hook]
    assert spec["language"] == "pygrep"
    flags = re.M | (re.I if "--ignore-case" in spec.get("args", []) else 0)
    pattern = re.compile(spec["entry"], flags)
    assert pattern.search(bad) and not pattern.search(good)
