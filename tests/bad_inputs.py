"""The bad-input corpus: every kind of broken or unsafe input, with the file, line, field and message it
must produce. tests/test_bad_inputs.py drives all of it; the build and the dev server tests
(test_build_errors.py, test_serve.py) take their breakages from here too.

    CASES          data files: `check-data` (and the loader) name file:line:col: field: message
    PAGE_CASES     page files under docs/<lang>/ and snippets/: the page check before the build, same format
    SPECIAL_FILES  what is not a regular file (links, folders, pipes, sockets, devices) among data and pages
    BUILD_CASES    what only a build finds (a failing macro, an undefined name, a strict-mode warning), and
                   bad data in a real entry: the build fails naming the file and the problem

Hostile but legal text is in test_hostile_text.py; exports and URLs in test_exports.py and
test_hostile_urls.py.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from helpers import ROOT, copy_repo, write_files

# --- a small valid repository ------------------------------------------------------------------------------

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
title: A Paper for Tests
authors: [Ada Tester]
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
title: A Paper for Tests
authors: [Ada Tester]
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

PAGE = "---\nrender_macros: true\n---\n\n# Title\n"
M, B, G = "data/models/demo.yaml", "data/benchmarks/demo-bench.yaml", "data/glossary.yaml"
P = "docs/en/bad.md"  # a page of the language the page check is run on


def minimal_repo(target: Path, files: dict[str, str | bytes], with_code: bool = False) -> Path:
    """A repository with the real schemas and templates, one valid model, benchmark and glossary term, a page in
    each language and a snippet, plus `files`; with `with_code` also what `python -m vlm_survey` runs on (its
    code, languages.yml and mkdocs.yml: enough for `check-data`, and for `build` up to the page and data checks)."""
    parts = ["data/schema", "data/models/_template.yaml", "data/benchmarks/_template.yaml"]
    copy_repo(target, parts=[*parts, "vlm_survey", "languages.yml", "mkdocs.yml"] if with_code else parts)
    write_files(target, {M: MODEL, B: BENCHMARK, G: GLOSSARY, "docs/en/index.md": PAGE, "docs/zh/index.md": PAGE,
                         "snippets/README.md": "x\n", **files})
    return target


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line of `text` containing `needle`, lines counted as editors and GitHub
    count them: by "\\n" only (not at U+2028, U+2029 or U+0085, which `str.splitlines` also splits at)."""
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# --- reading the messages ------------------------------------------------------------------------------------

MESSAGE = re.compile(r"(?P<file>[\w./-]+):(?P<line>\d+):(?P<column>\d+): "
                     r"(?P<field>\(top level\)|\(front matter\)|[^\s:]+): (?P<message>.+)")


def messages(output: str) -> list[dict[str, str]]:
    """Every `file:line:col: field: message` in `output`."""
    return [m.groupdict() for m in MESSAGE.finditer(output)]


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
    column: int | None = None  # the column too, where it matters

    @property
    def expected_line(self) -> int:
        if isinstance(self.line, int):
            return self.line
        content = dict(self.files)[self.file]
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        return line_of(text, self.line)

    @property
    def is_page(self) -> bool:
        return self.file.split("/")[0] in ("docs", "snippets")

    def found_in(self, found: list[dict[str, str]], file: str | None = None) -> list[dict[str, str]]:
        """The messages of `found` that are this case's (at `file` when it was placed elsewhere)."""
        return [m for m in found if m["file"] == (file or self.file) and int(m["line"]) == self.expected_line
                and (self.column is None or int(m["column"]) == self.column)
                and m["field"] == self.field and self.fragment in m["message"]]

    def expected(self) -> str:
        return (f"{self.file}:{self.expected_line}:{self.column or '*'}: {self.field}: …{self.fragment}…")


def case(name: str, content: str | bytes, line: str | int, field: str, fragment: str, file: str = M,
         extra: dict[str, str | bytes] | None = None, isolated: bool = False, column: int | None = None) -> Case:
    return Case(name, ((file, content), *(extra or {}).items()), file, line, field, fragment, isolated, column)


def model(old: str, new: str) -> str:
    return replace(MODEL, old, new)


def bench(old: str, new: str) -> str:
    return replace(BENCHMARK, old, new)


def template(collection: str) -> str:
    return (ROOT / "data" / collection / "_template.yaml").read_text(encoding="utf-8")


FIVE_MB = MODEL + ("# " + "x" * 1021 + "\n") * (5 * 1024)
LAUGHS = "".join(
    ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)])
DEEP = "a: " + "[" * 100_000 + "]" * 100_000 + "\n"  # 200 KB: under the size limit; crashed libyaml's composer
INVALID_ABBR = ("is not a valid abbreviation; expected ASCII letters, digits and . + / -, starting with a letter or "
                "digit, with at least two capitals or digits")
COMMON_WORD = "is a common English word; as an abbreviation it would be marked up in every sentence that uses it"


def abbr(value: str) -> str:
    return replace(GLOSSARY, "abbr: VLM", f"abbr: {value}")


# --- data files -----------------------------------------------------------------------------------------------

CASES: list[Case] = [
    # YAML that cannot be read
    case("yaml-syntax-error", model("name: Demo-VL", "name: [Demo-VL"), "name:", "name", "YAML syntax error"),
    case("unclosed-quote", model("name: Demo-VL", 'name: "Demo-VL'), "name:", "name",
         "quoted scalar that starts here"),
    case("tab-indentation", model("  zh: 一个", "\tzh: 一个"), "\tzh", "summary.zh",
         "YAML syntax error: found character that cannot start any token (this line contains a tab: indent with "
         "spaces, not tabs)"),
    case("duplicate-key", MODEL + "year: 2024\n", "year: 2024", "year",
         f"duplicate key (first defined on line {line_of(MODEL, 'year:')})"),
    case("two-documents", MODEL + "---\nid: other\n", "---", "(file)", "a second document starts here"),
    case("empty-file", "", 1, "(file)", "file is empty"),
    case("only-comments", "# yaml-language-server: $schema=../schema/model.schema.json\n", 1, "(file)",
         "file is empty"),
    case("list-instead-of-mapping", "- id: demo\n- name: Demo-VL\n", 1, "(top level)",
         "expected a mapping of fields at the top level, found a list"),
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
    case("alias-to-a-new-key", model("vision_encoder: CLIP ViT-L/14", "vision_encoder: &v CLIP ViT-L/14\n"
                                                                      "training_data_alias: *v"),
         "training_data_alias:", "training_data_alias", "YAML anchors and aliases (&name / *name) are not allowed",
         column=22),
    case("billion-laughs", LAUGHS, "*a", "b", "anchors and aliases", isolated=True),
    case("merge-key", MODEL + "<<: {year: 2024}\n", "<<:", "<<", "merge keys (<<) are not allowed"),
    case("too-large-file", MODEL + "# " + "x" * (300 * 1024) + "\n", 1, "(file)",
         f"file is {len(MODEL.encode()) + 300 * 1024 + 3:,} bytes; a data file must be at most 262,144 bytes",
         column=1),
    case("five-megabyte-file", FIVE_MB, 1, "(file)", "a data file must be at most 262,144 bytes", isolated=True),
    case("deep-nesting", DEEP, 1, "a", "nested more than 20 levels deep", isolated=True),
    case("list-as-key", MODEL + "? [a, b]\n: 1\n", "? [a", "(file)", "this one is a list or mapping"),
    case("number-as-key", MODEL + "1: one\n", "1: one", "1", "this one '1' is read as int"),
    # Files in the wrong place or shape
    case("wrong-extension", MODEL, 1, "(file)", "unexpected file; data files end in .yaml", file="data/models/demo.yml",
         extra={M: MODEL}),
    case("duplicate-id-across-files", MODEL, "id:", "id", "duplicate id 'demo' (also in data/models/demo-2.yaml)",
         extra={"data/models/demo-2.yaml": MODEL}),
    case("id-not-file-name", model("id: demo", "id: other"), "id:", "id", "'other' must equal the file name 'demo'",
         column=5),
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
    case("year-too-early", model("year: 2023", "year: 1899"), "year:", "year", "1899 is less than the minimum 2012",
         column=7),
    case("year-too-late", model("year: 2023", "year: 2031"), "year:", "year", "2031 is greater than the maximum 2030"),
    case("date-instead-of-text", model("name: Demo-VL", "name: 2024-01-01"), "name:", "name",
         "has the wrong type; expected text"),
    case("yes-instead-of-text", model("parameters: 7B", "parameters: yes"), "parameters:", "parameters",
         "true has the wrong type; expected text"),
    case("empty-name", model("name: Demo-VL", 'name: ""'), "name:", "name", "must not be empty"),
    case("name-too-long", model("name: Demo-VL", "name: " + "V" * 501), "name:", "name", "at most 500 allowed"),
    case("unknown-enum-value", model("connector: mlp-projector", "connector: glue"), "connector:", "connector",
         '"glue" is not allowed; expected one of: linear-projection, mlp-projector,', column=12),
    case("malformed-url", model("paper: https://arxiv.org/abs/2310.03744", "paper: arxiv 2310.03744"), "paper:",
         "paper", "is not a valid URL"),
    case("javascript-url", model("paper: https://arxiv.org/abs/2310.03744", "paper: javascript:alert(1)"), "paper:",
         "paper", "is not a valid URL"),
    case("javascript-url-or-null", model("code: null", "code: javascript:alert(1)"), "code:", "code",
         '"javascript:alert(1)" is not valid; expected an http(s) URL or null'),
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
    case("underscore-file", MODEL, 1, "(file)",
         "only _template.yaml may start with '_'; name a data file <id>.yaml, or delete this one",
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
    *(case(f"abbr-common-word-{word}", abbr(word), "abbr:", "terms[0].abbr", f"'{word}' {COMMON_WORD}", file=G,
           column=11) for word in ("IT", "US", "AND", "and", "a", "The")),
    *(case(f"abbr-not-an-abbreviation-{value.replace(' ', '-')}", abbr(f'"{value}"'), "abbr:", "terms[0].abbr",
           f'"{value}" {INVALID_ABBR}', file=G, column=11) for value in ("The", "and", "a", "vlm", "V", "V LM")),
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

# --- page files -----------------------------------------------------------------------------------------------
# What MkDocs would silently drop (a front matter that does not parse: `render_macros` and `title` with it) or
# cannot read. Checked on the English pages of the small repository.

PAGE_CASES: list[Case] = [
    case("front-matter-not-yaml", "---\nrender_macros: [true\ntitle: x\n---\n", 2, "(front matter)",
         "is not valid YAML", file=P, column=16),
    case("front-matter-a-list", "---\n- a\n- b\n---\n", 2, "(front matter)",
         "must be a mapping of keys such as 'render_macros: true'", file=P, column=1),
    case("front-matter-never-closed", "---\nrender_macros: true\n\n# Title\n", 1, "(front matter)",
         "front matter is never closed; end it with a line '---'", file=P, column=1),
    case("render-macros-as-text", '---\ntitle: x\nrender_macros: "true"\n---\n', 3, "render_macros",
         "'true' must be true or false", file=P, column=1),
    case("front-matter-python-tag", "---\ntitle: !!python/name:os.system\n---\n", 2, "(front matter)",
         "is not valid YAML", file=P, column=8),
    case("page-not-utf8", b"# Caf\xe9\n", 1, "(file)", "byte 0xe9 is not valid UTF-8; save the page as UTF-8", file=P,
         column=1),
    case("front-matter-crlf", "---\r\nrender_macros: [\r\n---\r\n", 3, "(front matter)", "is not valid YAML", file=P,
         column=1),
    case("huge-page", "x" * (1024 * 1024 + 1), 1, "(file)",
         "file is 1,048,577 bytes; a page must be at most 1,048,576 bytes", file="docs/en/huge.md", column=1),
]


# --- what is not a regular file -------------------------------------------------------------------------------

LINKED = "is a symbolic link; only regular files in the repository are read (replace the link with the file itself)"


@dataclass(frozen=True)
class Special:
    """Something that is not a regular file, put at `path` (replacing what is there), and the message it gives."""

    path: str
    kind: str  # link-inside, link-outside, link-to-folder, link:<target>, folder, fifo, socket, device
    message: str

    @property
    def name(self) -> str:
        return f"{self.kind}-at-{self.path}"

    @property
    def is_page(self) -> bool:
        return self.path.split("/")[0] in ("docs", "snippets")

    def expected(self) -> str:
        return f"{self.path}:1:1: (file): {self.message}"


SPECIAL_FILES = [
    Special("data/models/x.yaml", "link-inside", LINKED),
    Special("data/models/x.yaml", "link-outside", LINKED),
    Special("data/models/x.yaml", "link-to-folder", LINKED),
    Special("data/models/x.yaml", "folder",
            "is a folder; data files sit directly in data/models, subfolders are not read"),
    Special("data/benchmarks/old", "folder",
            "is a folder; data files sit directly in data/benchmarks, subfolders are not read"),
    Special("data/models/x.yaml", "socket", "is a socket; only regular files in the repository are read (delete it)"),
    Special("data/benchmarks/x.yaml", "device",
            "is a device; only regular files in the repository are read (delete it)"),
    Special("data/models/_template.yaml", "link-outside", LINKED),
    Special(G, "link-outside", LINKED),
    Special(G, "folder", "is a folder; only regular files in the repository are read (delete it)"),
    Special("data/models", "link-to-folder", "is a symbolic link; expected a folder in the repository"),
    Special("data/schema/model.schema.json", "link-inside", LINKED),
    Special("docs/en/passwd.md", "link:/etc/passwd", LINKED),
    Special("docs/en/inside.md", "link:index.md", LINKED),
    Special("docs/en/git", "link:../../.git", LINKED),
    Special("snippets/hostname.md", "link:/etc/hostname", LINKED),
    Special("snippets", "link-to-folder", LINKED),
    Special("docs/en/socket.md", "socket", "is a socket; only regular files in the repository are read (delete it)"),
]
# A named pipe would block a plain open() forever: those are checked in a child process with a timeout.
PIPE = "is a named pipe (FIFO); only regular files in the repository are read (delete it)"
# The build checks one language's pages (and the snippets) at a time, the root language first.
PIPES = [["data/models/x.yaml", "data/benchmarks/_template.yaml", G], ["data/schema/model.schema.json"],
         ["docs/zh/pipe.md", "snippets/pipe.md"], ["docs/en/pipe.md"]]


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
    elif kind.startswith("link:"):
        path.symlink_to(kind.removeprefix("link:"))
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
    else:
        raise ValueError(kind)


# --- what only a build finds ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class BuildCase:
    """A change to one file of a working copy of the whole repository (the first match of `pattern`) that the
    build refuses, and what its output must then say (each of `says`; `{file}` is the changed file's path)."""

    name: str
    pattern: str
    change: Callable[[str], str]
    says: tuple[str, ...]
    strict_only: bool = False  # only the strict build refuses it (`make build`; the dev server builds leniently)

    def path(self, repo: Path) -> Path:
        return sorted(repo.glob(self.pattern))[0]

    def expected(self, repo: Path) -> list[str]:
        path = self.path(repo)
        changed = self.change(path.read_text(encoding="utf-8"))
        file = path.relative_to(repo).as_posix()
        line = next((n for n, text in enumerate(changed.split("\n"), 1) if text.startswith("year: 1899")), 0)
        return [text.format(file=file, line=line) for text in self.says]


def _year_1899(text: str) -> str:
    return re.sub(r"(?m)^year: .*$", "year: 1899", text, count=1)


def _appended(addition: str) -> Callable[[str], str]:
    return lambda text: f"{text}\n{addition}\n"


# Macro calls go into architecture.md, a page whose front matter has it rendered as a template. The root
# language (Chinese) is built first: a break there fails sooner, and one English case is enough to show that
# a language failing after another one was built leaves the site as it was.
BUILD_CASES = [
    BuildCase("bad data in a real entry", "data/models/[!_]*.yaml", _year_1899,
              ("{file}:{line}:7: year: 1899 is less than the minimum 2012",)),
    BuildCase("unknown column in an English page", "docs/en/architecture.md",
              _appended('{{ model_table(columns=["nope"]) }}'), ("architecture.md", "unknown column(s) nope")),
    BuildCase("undefined name in a Chinese page", "docs/zh/architecture.md", _appended("{{ undefined_name }}"),
              ("architecture.md", "'undefined_name' is undefined")),
    BuildCase("markup in a macro argument in a Chinese page", "docs/zh/architecture.md",
              _appended('{{ model_table(columns=["<img src=x onerror=alert(1)>"]) }}'),
              ("architecture.md", "unknown column(s) <img src=x onerror=alert(1)>")),
    BuildCase("an argument of the wrong type in a Chinese page", "docs/zh/architecture.md",
              _appended('{{ model_table(year_from="2023") }}'),
              ("architecture.md: model_table(): year_from='2023' must be a whole number, e.g. year_from=2023",)),
    BuildCase("front matter that does not parse in a Chinese page", "docs/zh/architecture.md",
              lambda text: text.replace("---\n", "---\nrender_macros: [\n", 1),
              ("docs/zh/architecture.md:2:16: (front matter): is not valid YAML",)),
    BuildCase("strict-mode warning in a Chinese page", "docs/zh/vit.md", _appended("[gone](no-such-page.md)"),
              ("vit.md", "no-such-page.md"), strict_only=True),
]
BUILD = {item.name: item for item in BUILD_CASES}
