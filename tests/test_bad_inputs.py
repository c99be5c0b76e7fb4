"""The bad-input corpus, data files: every kind of broken or unsafe data file stops `check-data` and
the build with a message naming the file, the line and the field. (Hostile but legal text is in
test_hostile_text.py, page files in test_page_sources.py, exports and URLs in test_exports.py and
test_hostile_urls.py, builds and the dev server in test_build_errors.py and test_serve.py.)

Each case is checked by `scripts/docs.py check-data --github` (what `make check-data` and CI run) in
a small repository of its own: in-process (a process per case would cost seconds), except the cases
whose regression would crash or exhaust the test process (deep nesting, billion laughs, 5 MB). A sample
is also put into one copy of the whole repository, where the real script's `check-data`, its strict
build and `mkdocs build` alone must all fail with every expected message.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import ROOT, copy_repo, run_docs, write_files
from vlm_survey import cli
from test_data_loader import BENCHMARK, GLOSSARY, MODEL, line_of, replace

M, B, G = "data/models/demo.yaml", "data/benchmarks/demo-bench.yaml", "data/glossary.yaml"
MESSAGE = re.compile(r"(?P<file>[\w./-]+):(?P<line>\d+):(?P<column>\d+): (?P<field>\(top level\)|[^\s:]+): "
                     r"(?P<message>.+)")
FIVE_MB = MODEL + ("# " + "x" * 1021 + "\n") * (5 * 1024)
LAUGHS = "".join(
    ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)])
DEEP = "a: " + "[" * 100_000 + "]" * 100_000 + "\n"  # 200 KB: under the size limit; crashed libyaml's composer


@dataclass(frozen=True)
class Case:
    """One bad input: the files it adds to a valid repository and the message it must produce."""

    name: str
    files: tuple[tuple[str, str | bytes], ...]
    file: str  # the file the message names
    line: str | int  # text on the line the message names (its first occurrence), or the line number
    field: str
    fragment: str  # part of the message
    isolated: bool = False  # a regression would crash or exhaust the process: check in a child process

    @property
    def expected_line(self) -> int:
        if isinstance(self.line, int):
            return self.line
        content = dict(self.files)[self.file]
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        return line_of(text, self.line)


def case(name: str, content: str | bytes, line: str | int, field: str, fragment: str, file: str = M,
         extra: dict[str, str | bytes] | None = None, isolated: bool = False) -> Case:
    return Case(name, ((file, content), *(extra or {}).items()), file, line, field, fragment, isolated)


def model(old: str, new: str) -> str:
    return replace(MODEL, old, new)


def bench(old: str, new: str) -> str:
    return replace(BENCHMARK, old, new)


def template(collection: str) -> str:
    return (ROOT / "data" / collection / "_template.yaml").read_text(encoding="utf-8")


CASES = [
    # YAML that cannot be read
    case("yaml-syntax-error", model("name: Demo-VL", "name: [Demo-VL"), "name:", "name", "YAML syntax error"),
    case("unclosed-quote", model("name: Demo-VL", 'name: "Demo-VL'), "name:", "name",
         "quoted scalar that starts here"),
    case("tab-indentation", model("  zh: 一个", "\tzh: 一个"), "\tzh", "summary.zh", "indent with spaces, not tabs"),
    case("duplicate-key", MODEL + "year: 2024\n", "year: 2024", "year",
         f"duplicate key (first defined on line {line_of(MODEL, 'year:')})"),
    case("two-documents", MODEL + "---\nid: other\n", "---", "(file)", "a second document starts here"),
    case("empty-file", "", 1, "(file)", "file is empty"),
    case("only-comments", "# yaml-language-server: $schema=../schema/model.schema.json\n", 1, "(file)",
         "file is empty"),
    case("list-instead-of-mapping", "- id: demo\n- name: Demo-VL\n", 1, "(top level)", "found a list"),
    case("text-instead-of-mapping", "Demo-VL is a model\n", 1, "(top level)", "found a str"),
    case("non-utf8-bytes", MODEL.encode().replace(b"Example Lab", b"Caf\xe9 Lab"), "organization:", "organization",
         "byte 0xe9 is not valid UTF-8"),
    case("utf16-file", MODEL.encode("utf-16"), 1, "(file)", "byte 0xff is not valid UTF-8"),
    case("byte-order-mark", b"\xef\xbb\xbf" + MODEL.encode(), 1, "(file)", "byte-order mark"),
    case("control-character", model("Example Lab", "Example\x00Lab"), "organization:", "organization",
         "U+0000 is a control character"),
    case("python-object-tag", model("name: Demo-VL", "name: !!python/object/apply:os.system ['true']"), "name:",
         "name", "is not allowed; write plain values"),
    case("custom-include-tag", model("  en: A model for tests.", "  en: !include ../../mkdocs.yml"), "  en:",
         "summary.en", "tag '!include' is not allowed"),
    case("alias", model("training_data: COCO", "training_data: *v").replace("vision_encoder: CLIP",
                                                                            "vision_encoder: &v CLIP"),
         "training_data:", "training_data", "anchors and aliases"),
    case("billion-laughs", LAUGHS, "*a", "b", "anchors and aliases", isolated=True),
    case("merge-key", MODEL + "<<: {year: 2024}\n", "<<:", "<<", "merge keys (<<) are not allowed"),
    case("five-megabyte-file", FIVE_MB, 1, "(file)", "a data file must be at most 262,144 bytes", isolated=True),
    case("deep-nesting", DEEP, 1, "a", "nested more than 20 levels deep", isolated=True),
    case("list-as-key", MODEL + "? [a, b]\n: 1\n", "? [a", "(file)", "this one is a list or mapping"),
    case("number-as-key", MODEL + "1: one\n", "1: one", "1", "this one '1' is read as int"),
    # Files in the wrong place or shape
    case("wrong-extension", MODEL, 1, "(file)", "unexpected file; data files end in .yaml", file="data/models/demo.yml",
         extra={M: MODEL}),
    case("duplicate-id-across-files", MODEL, "id:", "id", "duplicate id 'demo' (also in data/models/demo-2.yaml)",
         extra={"data/models/demo-2.yaml": MODEL}),
    case("id-not-file-name", model("id: demo", "id: other"), "id:", "id", "'other' must equal the file name 'demo'"),
    case("id-not-kebab-case", model("id: demo", "id: Demo_VL"), "id:", "id", "is not a valid id"),
    case("template-left-unchanged", template("models"), "  en: One line on what the model", "summary.en",
         "still the example text of _template.yaml", file="data/models/example-model.yaml"),
    # Values against the schema
    case("missing-required-field", model("organization: Example Lab\n", ""), "id: demo", "organization",
         "required field is missing"),
    case("missing-zh", model("  zh: 一个用于测试的模型。\n", ""), "summary:", "summary.zh", "required field is missing"),
    case("missing-en", model("  en: A model for tests.\n", ""), "summary:", "summary.en", "required field is missing"),
    case("bilingual-as-text", model("summary:\n  zh: 一个用于测试的模型。\n  en: A model for tests.", "summary: A model"),
         "summary:", "summary", "has the wrong type; expected a mapping"),
    case("unknown-language", model("  en: A model for tests.", "  en: A model for tests.\n  fr: Un modèle."),
         "  fr:", "summary.fr", "unknown field; allowed fields are: en, zh"),
    case("unknown-field", MODEL + "colour: blue\n", "colour:", "colour", "unknown field; allowed fields are:"),
    case("wrong-type", model("year: 2023", 'year: "2023"'), "year:", "year",
         "has the wrong type; expected a whole number"),
    case("year-not-whole", model("year: 2023", "year: 2023.0"), "year:", "year", "2023.0 has the wrong type"),
    case("year-too-early", model("year: 2023", "year: 1899"), "year:", "year", "1899 is less than the minimum 2012"),
    case("year-too-late", model("year: 2023", "year: 2031"), "year:", "year", "2031 is greater than the maximum 2030"),
    case("date-instead-of-text", model("name: Demo-VL", "name: 2024-01-01"), "name:", "name",
         "has the wrong type; expected text"),
    case("yes-instead-of-text", model("parameters: 7B", "parameters: yes"), "parameters:", "parameters",
         "true has the wrong type; expected text"),
    case("empty-name", model("name: Demo-VL", 'name: ""'), "name:", "name", "must not be empty"),
    case("name-too-long", model("name: Demo-VL", "name: " + "V" * 501), "name:", "name", "at most 500 allowed"),
    case("unknown-enum-value", model("connector: mlp-projector", "connector: glue"), "connector:", "connector",
         "is not allowed; expected one of:"),
    case("malformed-url", model("paper: https://arxiv.org/abs/2310.03744", "paper: arxiv 2310.03744"), "paper:",
         "paper", "is not a valid URL"),
    case("javascript-url", model("paper: https://arxiv.org/abs/2310.03744", "paper: javascript:alert(1)"), "paper:",
         "paper", "is not a valid URL"),
    case("javascript-url-or-null", model("code: null", "code: javascript:alert(1)"), "code:", "code",
         "expected an http(s) URL or null"),
    case("data-url-in-list", BENCHMARK + "project:\n  - data:text/html,<script>alert(1)</script>\n", "  - data:",
         "project[0]", "is not a valid URL", file=B),
    case("unknown-category", bench("category: hallucination", "category: vibes"), "category:", "category",
         "is not allowed; expected one of:", file=B),
    case("benchmark-without-metric", bench("metric: Yes/No\n", ""), "id: demo-bench", "metric",
         "required field is missing", file=B),
    case("size-not-positive", bench("size_k: 1.5", "size_k: 0"), "size_k:", "size_k", "must be greater than 0",
         file=B),
    case("unknown-lineage", MODEL + "based_on: [nothing-here]\n", "based_on:", "based_on[0]",
         "'nothing-here' is not the id of a model"),
    case("based-on-itself", MODEL + "based_on: [demo]\n", "based_on:", "based_on[0]",
         "a model cannot be based on itself"),
    case("duplicate-glossary-term", GLOSSARY + GLOSSARY.split("\n", 1)[1], len(GLOSSARY.splitlines()) + 1,
         "terms[1].id", "duplicate id 'vlm'", file=G),
    # Files that are not entries: reported, never skipped in silence (links, pipes, devices: focused tests below)
    case("hidden-file", MODEL, 1, "(file)", "hidden file", file="data/models/.demo-2.yaml"),
    case("underscore-file", MODEL, 1, "(file)", "only _template.yaml may start with '_'",
         file="data/models/_draft.yaml"),
    case("file-in-subfolder", MODEL, 1, "(file)", "is inside a subfolder; data files sit directly in data/models",
         file="data/models/sub/demo-2.yaml"),
    case("schema-not-json", '{"type": "object",\n "properties": }\n', 2, "(file)", "is not valid JSON",
         file="data/schema/model.schema.json"),
    case("schema-not-a-schema", '{"type": 5}\n', 1, "(file)", "is not a valid JSON Schema",
         file="data/schema/benchmark.schema.json"),
    case("schema-ref-to-nothing", '{"type": "object", "properties": {"id": {"$ref": "#/$defs/nothing"}}}\n', 1,
         "(file)", 'has "$ref": "#/$defs/nothing", which points at nothing', file="data/schema/glossary.schema.json"),
    # Rules across files
    case("based-on-cycle", MODEL + "based_on: [demo-2]\n", "based_on:", "based_on[0]",
         "'demo-2' is itself based on this model, directly or through others (the circle: demo, demo-2)",
         extra={"data/models/demo-2.yaml": model("id: demo", "id: demo-2") + "based_on: [demo]\n"}),
    case("based-on-longer-cycle", MODEL + "based_on:\n  - demo-2\n", "  - demo-2", "based_on[0]",
         "(the circle: demo, demo-2, demo-3); lineage cannot go in a circle",
         extra={"data/models/demo-2.yaml": model("id: demo", "id: demo-2") + "based_on: [demo-3]\n",
                "data/models/demo-3.yaml": model("id: demo", "id: demo-3") + "based_on: [demo]\n"}),
    case("id-shared-by-model-and-benchmark", bench("id: demo-bench", "id: demo"), "id:", "id",
         "duplicate id 'demo' (also in data/models/demo.yaml); models and benchmarks share", file="data/benchmarks/demo.yaml"),
    case("reserved-id", model("id: demo", "id: index"), "id:", "id", "'index' is reserved (models/index.md",
         file="data/models/index.yaml"),
    case("reserved-anchor-id", bench("id: demo-bench", "id: categories"), "id:", "id",
         "'categories' is reserved (#benchmark-categories", file="data/benchmarks/categories.yaml"),
    case("abbr-twice", GLOSSARY + replace(GLOSSARY.split("\n", 1)[1], "id: vlm", "id: vlm-2"),
         len(GLOSSARY.splitlines()) + line_of(GLOSSARY, "abbr:") - 1, "terms[1].abbr",
         "term 'vlm' already has this abbreviation; each abbreviation must be unique", file=G),
    case("abbr-twice-ignoring-case", GLOSSARY + replace(replace(GLOSSARY.split("\n", 1)[1], "id: vlm", "id: vlm-2"),
                                                        "abbr: VLM", "abbr: VlM"), "abbr: VlM", "terms[1].abbr",
         "term 'vlm' already has 'VLM', the same apart from case", file=G),
    case("abbr-common-word", replace(GLOSSARY, "abbr: VLM", "abbr: IT"), "abbr:", "terms[0].abbr",
         "'IT' is a common English word", file=G),
    case("abbr-one-capital", replace(GLOSSARY, "abbr: VLM", "abbr: The"), "abbr:", "terms[0].abbr",
         '"The" is not a valid abbreviation; expected ASCII letters', file=G),
    # Text that would not show as what it is
    case("name-only-spaces", model("name: Demo-VL", 'name: "   "'), "name:", "name", "has no visible character"),
    case("name-only-combining-marks", model("name: Demo-VL", "name: \u0301\u0301"), "name:", "name",
         "has no visible character"),
    case("glossary-term-only-ideographic-space", replace(GLOSSARY, "zh: 视觉语言模型", 'zh: "\u3000"'), "zh: \"",
         "terms[0].zh", "has no visible character", file=G),
    case("bidi-override-in-name", model("name: Demo-VL", "name: Demo\u202eLV-omeD"), "name:", "name",
         "contains U+202E RIGHT-TO-LEFT OVERRIDE, an invisible formatting character; delete it"),
    case("bidi-isolate-in-summary", model("  en: A model for tests.", "  en: A model \u2066for\u2069 tests."),
         "  en:", "summary.en", "contains U+2066 LEFT-TO-RIGHT ISOLATE"),
    case("zero-width-space-in-id", model("id: demo", 'id: "demo\\u200b"'), "id:", "id",
         "contains U+200B ZERO WIDTH SPACE, an invisible formatting character"),
    case("soft-hyphen-in-organization", model("Example Lab", "Exam\u00adple Lab"), "organization:", "organization",
         "contains U+00AD SOFT HYPHEN"),
    case("escaped-newline-in-name", model("name: Demo-VL", 'name: "Demo\\nVL"'), "name:", "name",
         "contains U+000A LINE FEED, a control character, which is not allowed in a one-line field"),
    case("escaped-escape-in-summary", model("  en: A model for tests.", '  en: "A model \\e[31mfor tests."'),
         "  en:", "summary.en", "contains U+001B ESCAPE, a control character"),
    case("id-trailing-newline", model("id: demo\n", "id: |\n  demo\n"), "id:", "id", "contains U+000A LINE FEED"),
    case("url-trailing-newline", model("paper: https://arxiv.org/abs/2310.03744", 'paper: "https://arxiv.org/abs/1\\n"'),
         "paper:", "paper", "contains U+000A LINE FEED"),
    case("abbr-trailing-newline", replace(GLOSSARY, "abbr: VLM", 'abbr: "VLM\\n"'), "abbr:", "terms[0].abbr",
         "contains U+000A LINE FEED", file=G),
    # Numbers and addresses
    case("size-nan", bench("size_k: 1.5", "size_k: .nan"), "size_k:", "size_k",
         ".nan is not a finite number; expected a number such as 1.5", file=B),
    case("size-infinite", bench("size_k: 1.5", "size_k: .inf"), "size_k:", "size_k", ".inf is not a finite number",
         file=B),
    case("year-minus-infinite", model("year: 2023", "year: -.inf"), "year:", "year", "-.inf is not a finite number"),
    case("url-with-password", model("paper: https://arxiv.org/abs/2310.03744", "paper: https://user:pw@arxiv.org/x"),
         "paper:", "paper", "is not a valid URL (it has a user name or password before the host"),
    case("url-non-ascii-host", model("paper: https://arxiv.org/abs/2310.03744", "paper: https://\u0430rxiv.org/abs/1"),
         "paper:", "paper", "is not a valid URL (its host name is not ASCII"),
    case("url-with-space", model("paper: https://arxiv.org/abs/2310.03744", 'paper: "https://arxiv.org/abs 1"'),
         "paper:", "paper", "is not a valid URL (it contains a space or line break)"),
    case("url-backslash-host", model("code: null", "code: https://github.com\\@evil.example/x"), "code:", "code",
         "expected an http(s) URL or null"),
    # Line numbers as editors count them: U+2028, U+2029 and U+0085 break lines for YAML only
    case("error-after-line-separator-in-value", model("  en: A model for tests.", "  en: A model\u2028    for tests.")
         + "uncertain: maybe\n", "uncertain:", "uncertain", "has the wrong type; expected true or false"),
    case("error-after-paragraph-separator-in-quotes",
         model("  zh: 一个用于测试的模型。", '  zh: "一个\u2029用于测试的模型。"') + "uncertain: maybe\n", "uncertain:",
         "uncertain", "has the wrong type"),
    case("error-after-crlf-lines", model("year: 2023", "year: 1899").replace("\n", "\r\n"), "year:", "year",
         "1899 is less than the minimum 2012"),
    case("line-separator-in-comment", MODEL + "# reviewed\u2028uncertain: true\n", "# reviewed", "(file)",
         "U+2028 LINE SEPARATOR outside a value is a line break for YAML but not for editors"),
    case("error-after-next-line-in-quotes", model("  en: A model for tests.", '  en: "A model\u0085for tests."')
         + "uncertain: maybe\n", "uncertain:", "uncertain", "has the wrong type"),
]


def minimal_repo(target: Path, files: dict[str, str | bytes], with_code: bool = False) -> Path:
    """The data of a repository (schemas, templates, one valid entry of each kind, and `files`), and with
    `with_code` what `python -m vlm_survey check-data` runs on."""
    if with_code:
        shutil.copytree(ROOT / "vlm_survey", target / "vlm_survey", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data" / "schema", target / "data" / "schema")
    for collection in ("models", "benchmarks"):
        (target / "data" / collection).mkdir()
        shutil.copy2(ROOT / "data" / collection / "_template.yaml", target / "data" / collection)
    write_files(target, {M: MODEL, B: BENCHMARK, G: GLOSSARY, **files})
    return target


def messages(output: str) -> list[dict[str, str]]:
    return [m.groupdict() for m in MESSAGE.finditer(output)]


def matching(found: list[dict[str, str]], expected: Case, file: str | None = None) -> list[dict[str, str]]:
    return [m for m in found if m["file"] == (file or expected.file) and int(m["line"]) == expected.expected_line
            and m["field"] == expected.field and expected.fragment in m["message"]]


def check_data(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
               isolated: bool = False) -> tuple[int, str, str]:
    """`check-data --github` on `repo`: (exit status, stdout, stderr); in a child process if `isolated`."""
    if isolated:
        result = run_docs("check-data", "--github", cwd=repo)
        return result.returncode, result.stdout, result.stderr
    status = cli.check_data(repo, github=True)
    out, err = capsys.readouterr()
    return status, out, err


def test_corpus_is_complete() -> None:
    assert len(CASES) >= 30 and len({c.name for c in CASES}) == len(CASES)


def test_the_base_repository_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Without a broken file the same small repository passes, so every failure below is the case's."""
    status, out, err = check_data(minimal_repo(tmp_path / "repo", {}), monkeypatch, capsys)
    assert status == 0, err
    assert out.startswith("data OK: 1 models, 1 benchmarks")


@pytest.mark.parametrize("item", CASES, ids=[c.name for c in CASES])
def test_check_data_names_file_line_and_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str], item: Case) -> None:
    repo = minimal_repo(tmp_path / "repo", dict(item.files), with_code=item.isolated)
    status, out, err = check_data(repo, monkeypatch, capsys, isolated=item.isolated)
    assert status == 1, f"exit {status}\n{out}\n{err}"
    assert matching(messages(err), item), (f"expected {item.file}:{item.expected_line}:*: {item.field}: "
                                           f"…{item.fragment}…, got:\n{err}")
    assert re.search(r"^\d+ problems? in data files\.$", err, re.M)
    annotation = f"::error file={item.file},line={item.expected_line},"
    assert any(line.startswith(annotation) and f"title={item.field}::" in line for line in out.splitlines()), out


def test_missing_fields_are_each_reported_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = check_data(minimal_repo(tmp_path / "repo", {M: "id: demo\n"}), monkeypatch, capsys)
    missing = [m["field"] for m in messages(err) if "required field is missing" in m["message"]]
    required = json.loads((ROOT / "data" / "schema" / "model.schema.json").read_text(encoding="utf-8"))["required"]
    assert sorted(missing) == sorted(set(required) - {"id"}), err


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vlm_survey.catalog import load_catalog
    from vlm_survey.yaml_source import MAX_BYTES, DataErrors

    repo = minimal_repo(tmp_path / "repo", {M: FIVE_MB})
    read = os.read

    def guarded(descriptor: int, size: int) -> bytes:
        assert os.fstat(descriptor).st_size <= MAX_BYTES, "the 5 MB file was read"
        return read(descriptor, size)

    monkeypatch.setattr(os, "read", guarded)
    with pytest.raises(DataErrors) as raised:
        load_catalog(repo)
    assert [str(e) for e in raised.value.errors] == [
        f"{M}:1:1: (file): file is {len(FIVE_MB.encode()):,} bytes; a data file must be at most 262,144 bytes"]


def test_a_file_that_grows_after_its_size_is_checked_is_read_no_further(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The size is checked on the opened file, and the read itself stops one byte past the limit."""
    from vlm_survey.yaml_source import MAX_BYTES, DataErrors, read_bytes

    path = tmp_path / "demo.yaml"
    path.write_text(FIVE_MB, encoding="utf-8")
    fstat, read, got = os.fstat, os.read, []

    def looks_small(descriptor: int) -> os.stat_result:
        info = fstat(descriptor)
        return os.stat_result((*info[:6], 100, *info[7:10]))  # index 6 is st_size

    def counted(descriptor: int, size: int) -> bytes:
        got.append(read(descriptor, size))
        return got[-1]

    with monkeypatch.context() as patch, pytest.raises(DataErrors) as raised:
        patch.setattr(os, "fstat", looks_small)
        patch.setattr(os, "read", counted)
        read_bytes(path, M)
    assert sum(map(len, got)) == MAX_BYTES + 1
    assert str(raised.value.errors[0]) == f"{M}:1:1: (file): file is more than 262,144 bytes; a data file must be " \
                                          "at most 262,144 bytes"


def place(repo: Path, relative: str, kind: str) -> None:
    """Put something that is not a regular file at `relative` (replacing what is there)."""
    path, outside = repo / relative, repo.parent / "outside"
    if kind == "link-to-folder":
        shutil.copytree(repo / "data" / "models", outside / "models")
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "link-inside":
        path.symlink_to(repo / "data" / "benchmarks" / "demo-bench.yaml")
    elif kind == "link-outside":
        outside.mkdir(exist_ok=True)
        (outside / "secret.yaml").write_text(MODEL, encoding="utf-8")
        path.symlink_to(outside / "secret.yaml")
    elif kind == "link-to-folder":
        path.symlink_to(outside / "models", target_is_directory=True)
    elif kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        import socket

        cwd = os.getcwd()
        os.chdir(path.parent)  # a socket's path is limited to about 100 bytes: bind a short relative one
        try:
            socket.socket(socket.AF_UNIX).bind(path.name)
        finally:
            os.chdir(cwd)
    elif kind == "device":
        import stat

        try:
            os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null
        except PermissionError:
            pytest.skip("creating a device needs root")


LINKED = "is a symbolic link; only regular files in the repository are read (replace the link with the file itself)"
SPECIAL_FILES = [
    ("data/models/x.yaml", "link-inside", LINKED),
    ("data/models/x.yaml", "link-outside", LINKED),
    ("data/models/x.yaml", "link-to-folder", LINKED),
    ("data/models/x.yaml", "folder", "is a folder; data files sit directly in data/models, subfolders are not read"),
    ("data/models/x.yaml", "socket", "is a socket; only regular files in the repository are read (delete it)"),
    ("data/benchmarks/x.yaml", "device", "is a device; only regular files in the repository are read (delete it)"),
    ("data/models/_template.yaml", "link-outside", LINKED),
    (G, "link-outside", LINKED),
    (G, "folder", "is a folder; only regular files in the repository are read (delete it)"),
    ("data/models", "link-to-folder", "is a symbolic link; expected a folder in the repository"),
    ("data/schema/model.schema.json", "link-inside", LINKED),
]


@pytest.mark.parametrize(("relative", "kind", "message"), SPECIAL_FILES,
                         ids=[f"{kind}-at-{relative}" for relative, kind, _ in SPECIAL_FILES])
def test_only_regular_files_are_read(tmp_path: Path, relative: str, kind: str, message: str) -> None:
    from vlm_survey.catalog import load_catalog
    from vlm_survey.yaml_source import DataErrors

    repo = minimal_repo(tmp_path / "repo", {})
    place(repo, relative, kind)
    with pytest.raises(DataErrors) as raised:
        load_catalog(repo)
    assert f"{relative}:1:1: (file): {message}" in [str(e) for e in raised.value.errors], raised.value.report()


def test_a_named_pipe_never_blocks_check_data(tmp_path: Path) -> None:
    """A FIFO would block a plain open() forever: check-data runs in a child process with a timeout, so that a
    regression fails this test instead of hanging the suite."""
    for number, pipes in enumerate([["data/models/x.yaml", "data/benchmarks/_template.yaml", G],
                                    ["data/schema/model.schema.json"]]):
        repo = minimal_repo(tmp_path / f"repo-{number}", {}, with_code=True)
        for relative in pipes:
            place(repo, relative, "fifo")
        result = subprocess.run([sys.executable, str(repo / "scripts" / "docs.py"), "check-data"], cwd=repo,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 1
        for relative in pipes:
            assert f"{relative}:1:1: (file): is a named pipe (FIFO); only regular files in the repository are read " \
                   "(delete it)" in result.stderr.splitlines(), result.stderr


FORGED = "a\n::error file=x,line=1::forged\r\x1b[2J\u202e.yaml"


def test_a_file_name_cannot_forge_a_line_of_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Newlines, escape sequences and bidi controls in a file name (or undecodable bytes) are escaped."""
    repo = minimal_repo(tmp_path / "repo", {f"data/models/{FORGED}": MODEL})
    (repo / os.fsdecode(b"data/models/caf\xe9.yaml")).write_text(MODEL, encoding="utf-8")
    status, out, err = check_data(repo, monkeypatch, capsys)
    assert status == 1
    assert out.splitlines() and all(line.startswith("::error file=data/models/") for line in out.splitlines()), out
    lines = err.splitlines()
    assert all(line.startswith("data/models/") for line in lines[:-1]) and "problems in data files" in lines[-1]
    assert not re.search("[\x1b\u202e\r]", err + out)
    assert "data/models/a\\n::error file=x,line=1::forged\\r\\x1b[2J\\u202e.yaml:2:5: id: " in err
    assert "data/models/caf\\udce9.yaml:2:5: id: 'demo' must equal the file name 'caf\\udce9'" in err


@pytest.mark.parametrize("name", ["model", "benchmark", "glossary"])
def test_a_missing_schema_is_named(tmp_path: Path, name: str) -> None:
    from vlm_survey.catalog import load_catalog
    from vlm_survey.yaml_source import DataErrors

    repo = minimal_repo(tmp_path / "repo", {})
    (repo / "data" / "schema" / f"{name}.schema.json").unlink()
    with pytest.raises(DataErrors) as raised:
        load_catalog(repo)
    assert [str(e) for e in raised.value.errors] == [f"data/schema/{name}.schema.json:1:1: (file): file is missing"]


def test_the_fingerprint_follows_no_link(tmp_path: Path) -> None:
    """What a link in data/ points at is never opened: changing it changes nothing (and a link to /dev/zero or to
    a pipe could not hang or exhaust the check)."""
    from vlm_survey.catalog import _fingerprint

    outside, data = tmp_path / "outside", tmp_path / "data"
    outside.mkdir()
    data.mkdir()
    (outside / "x.yaml").write_text("one", encoding="utf-8")
    (data / "link.yaml").symlink_to(outside / "x.yaml")
    (data / "folder").symlink_to(outside, target_is_directory=True)
    before = _fingerprint(data)
    (outside / "x.yaml").write_text("two", encoding="utf-8")
    (outside / "y.yaml").write_text("new", encoding="utf-8")
    assert _fingerprint(data) == before
    (data / "link.yaml").unlink()
    assert _fingerprint(data) != before


BUILD_SAMPLE = ("tab-indentation", "byte-order-mark", "non-utf8-bytes", "python-object-tag", "billion-laughs",
                "five-megabyte-file", "deep-nesting", "list-as-key", "javascript-url-or-null", "missing-zh",
                "year-not-whole", "unknown-category")


def renamed(item: Case, number: int) -> tuple[str, str | bytes]:
    """The case's broken file as a new entry of the real repository (its own id, same lines)."""
    content = dict(item.files)[item.file]
    old = "demo-bench" if item.file == B else "demo"
    new = f"broken-{number}"
    if isinstance(content, bytes):
        content = content.replace(f"id: {old}\n".encode(), f"id: {new}\n".encode(), 1)
    else:
        content = content.replace(f"id: {old}\n", f"id: {new}\n", 1)
    return item.file.replace(f"/{old}.yaml", f"/{new}.yaml"), content


@pytest.fixture(scope="module")
def broken_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Case]]:
    """One copy of the whole repository holding every sampled broken file at once."""
    repo = copy_repo(tmp_path_factory.mktemp("broken-all") / "repo")
    placed: dict[str, Case] = {}
    for number, item in enumerate((c for c in CASES if c.name in BUILD_SAMPLE), 1):
        path, content = renamed(item, number)
        write_files(repo, {path: content})
        placed[path] = item
    assert len(placed) == len(BUILD_SAMPLE)
    return repo, placed


def test_check_data_script_exits_1_with_every_message(broken_repo: tuple[Path, dict[str, Case]]) -> None:
    """The real script, as CI runs it: GITHUB_ACTIONS=true turns every problem into an annotation too."""
    repo, placed = broken_repo
    result = subprocess.run([sys.executable, str(repo / "scripts" / "docs.py"), "check-data"], cwd=repo,
                            capture_output=True, text=True, env={**os.environ, "GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    found = messages(result.stderr)
    for path, item in placed.items():
        assert matching(found, item, file=path), f"{item.name}: no {path}:{item.expected_line} {item.field}"
        assert f"::error file={path},line={item.expected_line}," in result.stdout, path
    assert f"{len(placed)} problems in data files." in result.stderr


def test_build_stops_with_every_message(broken_repo: tuple[Path, dict[str, Case]], tmp_path: Path) -> None:
    repo, placed = broken_repo
    result = run_docs("build", "-d", str(tmp_path / "site"), cwd=repo)
    assert result.returncode != 0
    found = messages(result.stderr)
    for path, item in placed.items():
        assert matching(found, item, file=path), f"{item.name}: no {path}:{item.expected_line} {item.field}"
    assert not (tmp_path / "site" / "index.html").exists()


def test_mkdocs_alone_stops_with_every_message(broken_repo: tuple[Path, dict[str, Case]], tmp_path: Path) -> None:
    """The data is validated inside the build too: `mkdocs build` without the script fails the same way."""
    repo, placed = broken_repo
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "s")],
                            cwd=repo, capture_output=True, text=True)
    assert result.returncode != 0
    found = messages(result.stderr)
    for path, item in placed.items():
        assert matching(found, item, file=path), f"{item.name}: no {path}:{item.expected_line} {item.field}"
