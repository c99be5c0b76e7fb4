"""The bad-input corpus: every kind of broken data file stops `check-data` and the build with a
message naming the file, the line and the field; hostile but legal text reaches readers as text.

Each case is checked by `scripts/docs.py check-data --github` (what `make check-data` and CI run) in
a small repository of its own: in-process (a process per case would cost seconds), except the cases
whose regression would crash or exhaust the test process (deep nesting, billion laughs, 5 MB). A sample
is also put into one copy of the whole repository, where the real script's `check-data`, its strict
build and `mkdocs build` alone must all fail with every expected message. The hostile entries are
built into a site that a real Chromium then opens and searches: no script may run.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from helpers import ROOT, copy_repo, run_docs, soup, write_files
from test_data_loader import BENCHMARK, GLOSSARY, MODEL, line_of, replace

M, B, G = "data/models/demo.yaml", "data/benchmarks/demo-bench.yaml", "data/glossary.yaml"
MESSAGE = re.compile(r"(?P<file>[\w./-]+):(?P<line>\d+):(?P<column>\d+): (?P<field>\(top level\)|[^\s:]+): "
                     r"(?P<message>.+)")
FIVE_MB = MODEL + ("# " + "x" * 1021 + "\n") * (5 * 1024)
LAUGHS = "".join(
    [f'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n']
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
]


def minimal_repo(target: Path, files: dict[str, str | bytes], with_code: bool = False) -> Path:
    """The data of a repository (schemas, templates, one valid entry of each kind, and `files`), and with
    `with_code` what `scripts/docs.py check-data` runs on."""
    if with_code:
        shutil.copytree(ROOT / "macros", target / "macros", ignore=shutil.ignore_patterns("__pycache__"))
        (target / "scripts").mkdir(parents=True)
        shutil.copy2(ROOT / "scripts" / "docs.py", target / "scripts" / "docs.py")
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


def load_docs_script() -> object:
    """scripts/docs.py as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("docs_script", ROOT / "scripts" / "docs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script loads
    spec.loader.exec_module(module)
    return module


DOCS = load_docs_script()


def check_data(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
               isolated: bool = False) -> tuple[int, str, str]:
    """`docs.py check-data --github` on `repo`: (exit status, stdout, stderr); in a child process if `isolated`."""
    if isolated:
        result = run_docs("check-data", "--github", cwd=repo)
        return result.returncode, result.stdout, result.stderr
    monkeypatch.setattr(DOCS, "ROOT", repo)
    status = DOCS.main(["check-data", "--github"])
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
    from macros.catalog import load_catalog
    from macros.yaml_source import DataErrors

    repo = minimal_repo(tmp_path / "repo", {M: FIVE_MB})
    read_bytes = Path.read_bytes

    def guarded(path: Path) -> bytes:
        assert path.name != "demo.yaml" or path.parent.name != "models", "the 5 MB file was read"
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    with pytest.raises(DataErrors) as raised:
        load_catalog(repo)
    assert [str(e) for e in raised.value.errors] == [
        f"{M}:1:1: (file): file is {len(FIVE_MB.encode()):,} bytes; a data file must be at most 262,144 bytes"]


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


# Legal but hostile: each must reach the reader as the text it is.
HOSTILE = {
    "script-in-name": '<script>window.pwned = "name"</script>Hostile-VL',
    "img-onerror-in-summary": '<img src=x onerror="window.pwned=\'summary\'">',
    "jinja-expression": "{{ config.site_name }} {{ 7 * 7 }}",
    "jinja-statement": '{% include "mkdocs.yml" %}',
    "pipe-and-newline": "left | right\nnext line",
    "markdown-link-in-name": "[click me](javascript:window.pwned='link')",
    "attribute-breakout": '" onmouseover="window.pwned=\'title\'" x="',
    "html-comment-and-table-end": "<!-- </td></tr></table> --><script>window.pwned='table'</script>",
}
HOSTILE_MODEL = {"name": f'{HOSTILE["script-in-name"]} {HOSTILE["markdown-link-in-name"]}',
                 "connector_detail": {"zh": HOSTILE["attribute-breakout"], "en": HOSTILE["attribute-breakout"]},
                 "summary": {"zh": f'{HOSTILE["jinja-expression"]} {HOSTILE["img-onerror-in-summary"]}',
                             "en": f'{HOSTILE["jinja-statement"]} {HOSTILE["pipe-and-newline"]}'}}
HOSTILE_BENCH = {"name": HOSTILE["markdown-link-in-name"] + " <b>Bench</b>",
                 "domain": {"zh": HOSTILE["pipe-and-newline"], "en": HOSTILE["html-comment-and-table-end"]},
                 "metric": HOSTILE["html-comment-and-table-end"],
                 "summary": {"zh": HOSTILE["jinja-statement"], "en": HOSTILE["img-onerror-in-summary"]}}
SECTION = """

## Hostile entries { #hostile-entries }

{{ model_table(columns=["name", "connector", "summary", "notes"], year_from=2030) }}

{{ benchmark_table(columns=["name", "domain", "metric", "summary"], year_from=2030) }}
"""


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real repository plus one hostile model and benchmark (year 2030), shown in full on a page."""
    import yaml

    repo = copy_repo(tmp_path_factory.mktemp("hostile") / "repo")
    entry = {**yaml.safe_load(MODEL), "id": "hostile-model", "year": 2030, **HOSTILE_MODEL}
    bench_entry = {**yaml.safe_load(BENCHMARK), "id": "hostile-bench", "year": 2030, **HOSTILE_BENCH}
    write_files(repo, {"data/models/hostile-model.yaml": yaml.safe_dump(entry, allow_unicode=True, sort_keys=False),
                 "data/benchmarks/hostile-bench.yaml": yaml.safe_dump(bench_entry, allow_unicode=True,
                                                                      sort_keys=False)})
    for lang in ("zh", "en"):
        page = repo / "docs" / lang / "contributing.md"
        page.write_text(page.read_text(encoding="utf-8") + SECTION, encoding="utf-8")
    site = tmp_path_factory.mktemp("hostile-site")
    result = run_docs("build", "-d", str(site), cwd=repo)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


@pytest.mark.parametrize("sub", ["", "en"], ids=["zh", "en"])
def test_hostile_text_is_shown_as_text(hostile_site: Path, sub: str) -> None:
    lang = sub or "zh"
    document = soup(hostile_site / sub / "contributing" / "index.html")
    section = document.select_one("h2#hostile-entries")
    assert section, "the hostile section was not built"
    tables = section.find_all_next("table", attrs={"data-vlm-table": True})
    assert [t["data-vlm-table"] for t in tables] == ["models", "benchmarks"]
    expected = {"model": (HOSTILE_MODEL, {"name": "name", "summary": "summary"}),
                "benchmark": (HOSTILE_BENCH, {"name": "name", "domain": "domain", "metric": "metric",
                                              "summary": "summary"})}
    for table, (kind, (values, columns)) in zip(tables, expected.items()):
        header = [th["data-col"] for th in table.select("thead th")]
        row = table.select_one(f"tr#{kind}-hostile-{kind if kind == 'model' else 'bench'}")
        assert row, f"{kind} row missing"
        assert [td["data-col"] for td in row.find_all("td", recursive=False)] == header, "the row's cells moved"
        for field, column in columns.items():
            value = values[field][lang] if isinstance(values[field], dict) else values[field]
            cell = row.select_one(f"td[data-col={column}]")
            shown = cell.select_one("a").get_text() if field == "name" else cell.get_text()
            assert shown == folded(value), f"{kind}.{field}"
        assert not row.find(["script", "img", "b", "table"]), f"{kind}: markup from data became elements"
    model_row = tables[0].select_one("tr#model-hostile-model")
    span = model_row.select_one("td[data-col=connector] span[title]")
    assert span["title"] == folded(HOSTILE["attribute-breakout"]) and len(span.attrs) == 1


def test_no_page_carries_code_from_data(hostile_site: Path) -> None:
    """Across the whole hostile site: no script from data, no event-handler attribute, no script URL."""
    showing = [p for p in sorted(hostile_site.rglob("*.html")) if "pwned" in p.read_text(encoding="utf-8")]
    assert len(showing) >= 2, "the hostile entries are on no page"
    for path in showing:
        document = soup(path)
        where = path.relative_to(hostile_site)
        assert not [s for s in document.find_all("script") if "pwned" in s.get_text()], where
        assert not [e.name for e in document.find_all(True) if any(a.startswith("on") for a in e.attrs)], where
        assert not document.select('a[href^="javascript:"], [src^="javascript:"], img[src="x"]'), where
    for sub in ("", "en"):
        index = (hostile_site / sub / "search" / "search_index.json").read_text(encoding="utf-8")
        assert "pwned" in index and "<script>window.pwned" not in index and "<img src=x" not in index


@pytest.fixture(scope="module")
def hostile_server(hostile_site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(hostile_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@pytest.mark.browser
def test_no_script_runs_in_the_browser(browser: object, hostile_site: Path, hostile_server: str) -> None:
    """Open the pages that show the hostile entries in full (tables, their own pages), hover their cells and
    search for them: nothing runs. (Every other page that mentions them is checked statically above.)"""
    pages = [p.relative_to(hostile_site).parent.as_posix() for p in sorted(hostile_site.rglob("index.html"))
             if "pwned" in p.read_text(encoding="utf-8")
             and re.search(r"(^|/)(contributing|architecture|[a-z]+/hostile-[a-z]+)/index\.html$",
                           p.relative_to(hostile_site).as_posix())]
    context = browser.new_context()
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for path in pages:
            tab.goto(f"{hostile_server}/{'' if path == '.' else path + '/'}")
            for cell in tab.locator("tr[id^=model-hostile], tr[id^=benchmark-hostile]").locator("td").all()[:12]:
                cell.hover()
            assert tab.evaluate("typeof window.pwned") == "undefined", f"a script ran on /{path}/"
        for sub, query in (("", "Hostile"), ("en/", "Hostile")):
            tab.goto(f"{hostile_server}/{sub}contributing/")
            field = tab.locator(".md-search__input")
            field.click()
            field.fill(query)
            field.press("End")
            tab.wait_for_selector(".md-search-result__item")
            assert tab.locator(".md-search-result img, .md-search-result script").count() == 0
            assert tab.evaluate("typeof window.pwned") == "undefined", f"search on /{sub} ran a script"
    finally:
        context.close()
    assert dialogs == []
    assert len(pages) >= 4  # the hostile section and the model table, in both languages
