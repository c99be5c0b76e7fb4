"""Turn the body of an "Add a model" or "Add a benchmark" issue into a validated data file.

    python scripts/entry_from_issue.py BODY_FILE

GitHub renders an issue form as one `### <label>` section per question, in the form's order, with
`_No response_` for an empty answer (`None` for a dropdown left unselected), a multiple choice as
`a, b` and checkboxes as `- [x] a` lines. Which question fills which field is read from the forms in
.github/ISSUE_TEMPLATE/: an item's `id` is the schema field, `<field>_zh` / `<field>_en` the two
languages of a bilingual field. Answers the schema cannot take as text (corrections, anything else)
are left to the maintainer, who reads them on the issue.

The body is hostile text: it is only split into lines and compared, never evaluated or templated,
and the entry is written with yaml.safe_dump, so any answer is stored exactly as given. The entry is
checked by the site's own loader (`load_catalog` on a temporary copy of data/); only then is
data/models/<id>.yaml or data/benchmarks/<id>.yaml written and its path printed. An existing entry is
never overwritten: the workflow rebuilds the issue's branch from main on every edit, so updating a
pull request needs no overwrite. Any problem exits 1 with one `<form label>: <message>` line each.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from vlm_survey.catalog import load_catalog
from vlm_survey.yaml_source import DataError, DataErrors, char_name, printable, read_bytes

ROOT = Path(__file__).resolve().parent.parent

FORMS = {"models": "add-model.yml", "benchmarks": "add-benchmark.yml"}
SCHEMAS = {"models": "model.schema.json", "benchmarks": "benchmark.schema.json"}
# How GitHub renders an unanswered question: "_No response_"; for a dropdown left unselected, "None"
# (a value GitHub reserves, so no option can be called that).
EMPTY = {"input": ("", "_No response_"), "dropdown": ("", "_No response_", "None")}
MAX_BODY = 256 * 1024  # GitHub caps an issue body at 65,536 characters
CHECKED = re.compile(r"^- \[[xX]\] (.*)$")


@dataclass(frozen=True)
class Question:
    """One answerable item of an issue form."""

    id: str
    type: str  # input, textarea, dropdown or checkboxes
    label: str


@dataclass(frozen=True)
class Result:
    """What became of one issue body: the file written (or None), the problems, notes for the reviewer."""

    path: Path | None
    problems: list[str]
    notes: list[str]


def load_form(root: Path, collection: str) -> list[Question]:
    """The questions of a collection's issue form, in the form's order."""
    form = yaml.safe_load((root / ".github" / "ISSUE_TEMPLATE" / FORMS[collection]).read_text(encoding="utf-8"))
    return [Question(item["id"], item["type"], item["attributes"]["label"]) for item in form["body"] if "id" in item]


def load_schema(root: Path, collection: str) -> dict[str, Any]:
    return json.loads((root / "data" / "schema" / SCHEMAS[collection]).read_text(encoding="utf-8"))


def sections(body: str, questions: list[Question]) -> tuple[dict[str, str | None], list[Question]]:
    """Each question's answer (None when empty or `_No response_`) and the questions whose heading is missing.

    Headings are looked for in the form's order, each after the one before, so a `### ...` line written
    inside an answer is part of that answer unless it is the next question's own heading."""
    lines = body.replace("\r\n", "\n").split("\n")
    found: list[tuple[Question, int]] = []
    missing: list[Question] = []
    start = 0
    for question in questions:
        heading = f"### {question.label}"
        index = next((i for i in range(start, len(lines)) if lines[i].rstrip() == heading), None)
        if index is None:
            missing.append(question)
        else:
            found.append((question, index))
            start = index + 1
    answers: dict[str, str | None] = {}
    for number, (question, index) in enumerate(found):
        end = found[number + 1][1] if number + 1 < len(found) else len(lines)
        text = "\n".join(lines[index + 1:end]).strip()
        answers[question.id] = None if text in EMPTY.get(question.type, EMPTY["input"]) else text
    return answers, missing


def detect(body: str, forms: dict[str, list[Question]]) -> str | None:
    """The collection whose form has the most of its headings in `body`; None when no single one does."""
    present = {line.rstrip() for line in body.split("\n")}
    scores = {name: sum(f"### {q.label}" in present for q in questions) for name, questions in forms.items()}
    best = max(scores.values())
    winners = [name for name, score in scores.items() if score == best]
    return winners[0] if best and len(winners) == 1 else None


def _types(rule: dict[str, Any], defs: dict[str, Any]) -> set[str]:
    """The JSON types a schema rule accepts ($ref and anyOf followed; an enum of text is a string)."""
    if "$ref" in rule:
        return _types(defs[rule["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in rule:
        return set().union(*(_types(option, defs) for option in rule["anyOf"]))
    if "enum" in rule:
        return {"string"}
    kind = rule.get("type", [])
    return {kind} if isinstance(kind, str) else set(kind)


def scalar(text: str, types: set[str]) -> Any:
    """An answer as the value the field takes; text that fits no other type stays text for the schema to judge."""
    if "null" in types and text == "null":
        return None
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    if "integer" in types and re.fullmatch(r"[0-9]+", text):
        return int(text)
    number = re.fullmatch(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(\.[0-9]+)?[ ]?[kK]?", text)
    if "number" in types and number:
        whole, fraction = number.group(1).replace(",", ""), number.group(2)
        return float(whole + fraction) if fraction else int(whole)
    return text


def items(text: str, question: Question) -> list[str]:
    """A list answer: checked boxes, a multiple dropdown or input (comma-separated), a textarea (one per line)."""
    if question.type == "checkboxes":
        return [match.group(1).strip() for line in text.split("\n") if (match := CHECKED.match(line.strip()))]
    parts = text.split("\n") if question.type == "textarea" else text.split(",")
    return [part.strip() for part in parts if part.strip()]


def build_entry(answers: dict[str, str | None], questions: list[Question],
                schema: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The entry the answers describe, in schema order, and the labels of answers it cannot hold."""
    properties, defs = schema["properties"], schema.get("$defs", {})
    entry: dict[str, Any] = {name: {} for name, rule in properties.items()
                             if rule.get("$ref") == "#/$defs/bilingual" and name in schema["required"]}
    left_out = []
    for question in questions:
        text = answers.get(question.id)
        if text is None:
            continue
        name, _, lang = question.id.rpartition("_")
        if lang in ("zh", "en") and properties.get(name, {}).get("$ref") == "#/$defs/bilingual":
            entry.setdefault(name, {})[lang] = text
            continue
        rule = properties.get(question.id)
        types = _types(rule, defs) if rule else set()
        if "array" in types and "object" not in _types(rule.get("items", {}), defs):
            listed = [scalar(item, _types(rule["items"], defs)) for item in items(text, question)]
            if listed:  # no box checked: no answer
                entry[question.id] = listed
        elif types and not types & {"array", "object"}:
            value = scalar(text, types)
            if value is not False or question.id in schema["required"]:  # an optional flag left false is omitted
                entry[question.id] = value
        else:
            left_out.append(question.label)
    return {name: entry[name] for name in properties if name in entry}, left_out


def field_labels(questions: list[Question], schema: dict[str, Any]) -> dict[str, str]:
    """Schema field paths (`year`, `summary.zh`) to the labels the form shows for them."""
    labels = {}
    for question in questions:
        name, _, lang = question.id.rpartition("_")
        bilingual = lang in ("zh", "en") and schema["properties"].get(name, {}).get("$ref") == "#/$defs/bilingual"
        labels[f"{name}.{lang}" if bilingual else question.id] = question.label
    return labels


def form_field(field: str, labels: dict[str, str]) -> tuple[str, int] | None:
    """The question a loader field path belongs to and the list item (from 1; 0 for none):
    `summary.zh` -> ('summary.zh', 0), `papers[1]` -> ('papers', 2); None when no question asks for it."""
    match = re.fullmatch(r"([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z]+))?", field)
    if not match:
        return None
    name, index, part = match.groups()
    key = f"{name}.{part}" if f"{name}.{part}" in labels else name
    return (key, int(index) + 1 if index else 0) if key in labels else None


def describe(error: DataError, labels: dict[str, str], display: str) -> str:
    """A loader problem in the form's words: `Year / 年份: 1899 is less than the minimum 2012`."""
    found = form_field(error.field, labels) if error.file == display else None
    if found is None:
        return str(error)
    key, item = found
    return f"{labels[key]}{f' (item {item})' if item else ''}: {error.message}"


def form_order(error: DataError, labels: dict[str, str]) -> tuple[int, int]:
    """Sort key: problems in the order of the form's questions, others last."""
    found = form_field(error.field, labels)
    return (list(labels).index(found[0]), found[1]) if found else (len(labels), 0)


def usable_id(entry_id: Any, schema: dict[str, Any]) -> bool:
    """Whether `entry_id` is an id by the schema's own rule, and so a safe file name (no separator, no newline)."""
    return isinstance(entry_id, str) and Draft202012Validator(schema["$defs"]["id"]).is_valid(entry_id)


def taken(root: Path, entry_id: str) -> str | None:
    """The data file that already uses `entry_id`, in either collection (ids are unique across both)."""
    for collection in FORMS:
        path = root / "data" / collection / f"{entry_id}.yaml"
        if path.exists() or path.is_symlink():
            return f"data/{collection}/{entry_id}.yaml"
    return None


def free_id(root: Path) -> str:
    """An id no data file uses, to check an entry under while its own id cannot name the file."""
    return next(name for n in range(1, 1000) if not taken(root, name := f"issue-entry-{n}"))


def yaml_text(root: Path, collection: str, entry: dict[str, Any]) -> str:
    """The entry as a data file: the template's first line (the schema hint for editors), then plain YAML."""
    header = (root / "data" / collection / "_template.yaml").read_text(encoding="utf-8").split("\n", 1)[0]
    return header + "\n" + yaml.safe_dump(entry, allow_unicode=True, sort_keys=False, width=4096)


def not_kept(entry: dict[str, Any], text: str, labels: dict[str, str]) -> list[str]:
    """A problem for each answer YAML would read back differently from what was written (PyYAML turns a
    U+0085 NEXT LINE into a space): the file must hold exactly what the contributor wrote."""
    written = yaml.safe_load(text)
    problems = []
    for field, given, back in _leaves(entry, written):
        if back != given:
            odd = sorted({char_name(char) for char in str(given) if not char.isprintable()})
            problems.append(f"{labels.get(field, field)}: contains a character YAML would not store as written "
                            f"({', '.join(odd)}); delete it")
    return problems


def _leaves(entry: dict[str, Any], written: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field path, value given, value read back) per field, and per language of a bilingual field."""
    leaves = []
    for name, value in entry.items():
        if isinstance(value, dict):
            back = written.get(name) or {}
            leaves += [(f"{name}.{lang}", answer, back.get(lang)) for lang, answer in value.items()]
        else:
            leaves.append((name, value, written.get(name)))
    return leaves


def loader_errors(root: Path, collection: str, stem: str, text: str) -> list[DataError]:
    """The loader's problems with `text` as data/<collection>/<stem>.yaml, checked beside a copy of all data."""
    with tempfile.TemporaryDirectory(prefix="entry-from-issue-") as folder:
        copy = Path(folder)
        shutil.copytree(root / "data", copy / "data", symlinks=True)
        (copy / "data" / collection / f"{stem}.yaml").write_text(text, encoding="utf-8")
        try:
            load_catalog(copy)
        except DataErrors as exc:
            return exc.errors
    return []


def convert(body: str, root: Path) -> Result:
    """Check the answers of one issue body; write the entry only when they are all valid."""
    forms = {collection: load_form(root, collection) for collection in FORMS}
    collection = detect(body, forms)
    if collection is None:
        return Result(None, ["Issue: this is not the body of an 'Add a model' or 'Add a benchmark' issue form; "
                             "open the issue from one of those forms and keep its ### headings"], [])
    questions, schema = forms[collection], load_schema(root, collection)
    answers, missing = sections(body, questions)
    entry, left_out = build_entry(answers, questions, schema)
    problems = [f"{q.label}: the heading '### {q.label}' is missing; edit the issue without removing the "
                "form's headings" for q in missing]
    problems += check(root, collection, entry, schema, field_labels(questions, schema))
    notes = [f"{label}: not converted; a maintainer reads this answer on the issue" for label in left_out]
    if problems:
        return Result(None, problems, notes)
    target = root / "data" / collection / f"{entry['id']}.yaml"
    with open(target, "x", encoding="utf-8") as handle:  # "x": never replaces a file that appeared meanwhile
        handle.write(yaml_text(root, collection, entry))
    return Result(target, [], notes)


def check(root: Path, collection: str, entry: dict[str, Any], schema: dict[str, Any],
          labels: dict[str, str]) -> list[str]:
    """Every problem of the entry, in the form's words: a taken id, text YAML would change, the loader's problems.

    An entry whose id cannot name its file is checked under a free name: with its own id when that is
    unusable (the loader says why), with the free name as id when the id is taken (reported here)."""
    problems = []
    usable = usable_id(entry.get("id"), schema)
    existing = taken(root, entry["id"]) if usable else None
    if existing:
        problems.append(f"{labels['id']}: {existing} already exists; choose another id, or report a change to "
                        "that entry with the 'Report an error' form")
    text = yaml_text(root, collection, entry)
    problems += not_kept(entry, text, labels)
    stem = entry["id"] if usable and not existing else free_id(root)
    checked = yaml_text(root, collection, {**entry, "id": stem}) if existing else text
    display = f"data/{collection}/{stem}.yaml"
    errors = [error for error in loader_errors(root, collection, stem, checked)
              if not (stem != entry.get("id") and error.field == "id" and f"'{stem}'" in error.message)]
    problems += [describe(error, labels, display) for error in sorted(errors, key=lambda e: form_order(e, labels))]
    return problems


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("body_file", type=Path, help="the issue body, as GitHub renders the form")
    parser.add_argument("--report", type=Path, help="also write the problem and note lines here once the "
                        "answers are checked (the workflow posts them; a crash leaves no report)")
    args = parser.parse_args(argv)
    try:
        body = read_bytes(args.body_file, str(args.body_file), MAX_BODY, "an issue body").decode("utf-8")
    except DataErrors as exc:
        print("\n".join(str(error) for error in exc.errors), file=sys.stderr)
        return 1
    except UnicodeDecodeError:
        print(f"{args.body_file}: is not UTF-8 text", file=sys.stderr)
        return 1
    result = convert(body, root)
    lines = [printable(line) for line in result.problems + result.notes]
    print("\n".join(lines), file=sys.stderr, end="\n" if lines else "")
    if args.report:
        args.report.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    if result.path is None:
        return 1
    print(result.path.relative_to(root).as_posix())
    return 0


if __name__ == "__main__":
    sys.exit(main())
