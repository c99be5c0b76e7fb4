"""`make new-model ARXIV=...` starts an entry from arXiv's answer; the BibTeX uses the paper's title and authors.

No test touches the network: arXiv's answer is the recorded response in tests/fixtures/, handed in
as the fetch function or with --from-file, and urllib is made to fail should anything still ask.
"""

from __future__ import annotations

import re
import subprocess
import urllib.request
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, copy_repo

import new_entry

from vlm_survey.catalog import load_catalog
from vlm_survey.citation import entry_bibtex
from vlm_survey.yaml_source import DataErrors

ATOM = ROOT / "tests" / "fixtures" / "arxiv-2304.08485.xml"
AUTHORS = ["Haotian Liu", "Chunyuan Li", "Qingyang Wu", "Yong Jae Lee"]


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a test asked the network")
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return copy_repo(tmp_path, parts=["data"])


def recorded(arxiv_id: str) -> bytes:
    assert arxiv_id == "2304.08485"
    return ATOM.read_bytes()


def atom(title: str = "Visual Instruction Tuning", entry_id: str = "2304.08485v2", extra: str = "") -> bytes:
    """The recorded response with another title or id (arXiv's format, as in the fixture)."""
    text = ATOM.read_text(encoding="utf-8")
    text = text.replace("<title>Visual Instruction Tuning</title>", f"<title>{title}</title>")
    return text.replace("http://arxiv.org/abs/2304.08485v2</id>", f"http://arxiv.org/abs/{entry_id}</id>") \
        .replace("<feed", extra + "<feed").encode("utf-8")


def test_the_recorded_response_is_read() -> None:
    paper = new_entry.parse_atom(ATOM.read_bytes(), "2304.08485")
    assert paper == new_entry.Paper("2304.08485", "Visual Instruction Tuning", AUTHORS, 2023)


def test_a_model_starts_from_the_paper(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = new_entry.main(["model", "2304.08485", "--id", "llava-demo", "--from-file", str(ATOM)], root=repo)
    out = capsys.readouterr().out.splitlines()
    assert code == 0 and out[0] == "data/models/llava-demo.yaml"
    text = (repo / "data" / "models" / "llava-demo.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert {key: data[key] for key in ("id", "year", "paper", "title", "authors")} == {
        "id": "llava-demo", "year": 2023, "paper": "https://arxiv.org/abs/2304.08485",
        "title": "Visual Instruction Tuning", "authors": AUTHORS}
    assert data["name"] is None and data["organization"] is None and data["summary"] == {"zh": None, "en": None}
    assert text.startswith("# yaml-language-server: $schema=../schema/model.schema.json\n")
    assert "# Required. Lab or company that built the model" in text, "the template's guidance stays"
    assert "Still to write (required): name, organization, architecture_type" in "\n".join(out)
    assert "Fill in or delete (optional): connector_detail, code, based_on, corrections, uncertain" in out
    with pytest.raises(DataErrors) as failed:  # not valid until the contributor completes it
        load_catalog(repo)
    assert {error.field for error in failed.value.errors} >= {"name", "organization", "summary.zh", "source"}


def test_once_completed_the_entry_is_valid(repo: Path) -> None:
    path, required, optional = new_entry.new_entry(repo, "model", "2304.08485", "llava-demo", recorded)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update({"name": "LLaVA-Demo", "organization": "UW-Madison", "architecture_type": "decoder-only",
                 "paradigm": "llm-backbone", "vision_encoder": "CLIP ViT-L/14", "llm_backbone": "Vicuna",
                 "connector": "linear-projection", "parameters": "13B", "training_data": "LLaVA-Instruct-158K",
                 "open_weights": True, "summary": {"zh": "视觉指令微调。", "en": "Visual instruction tuning."},
                 "source": "tests/test_new_entry.py", "survey_version": "later"})
    assert set(required) <= set(data) and all(data[name] is not None for name in required)
    for name in optional:
        del data[name]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    [entry] = [model for model in load_catalog(repo).models if model["id"] == "llava-demo"]
    assert entry["authors"] == AUTHORS and entry["title"] == "Visual Instruction Tuning"


def test_a_benchmark_gets_papers_and_a_default_id(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new_entry.main(["benchmark", "2304.08485", "--from-file", str(ATOM)], root=repo) == 0
    assert capsys.readouterr().out.startswith("data/benchmarks/arxiv-2304-08485.yaml\n")
    data = yaml.safe_load((repo / "data" / "benchmarks" / "arxiv-2304-08485.yaml").read_text(encoding="utf-8"))
    assert data["papers"] == ["https://arxiv.org/abs/2304.08485"] and data["authors"] == AUTHORS
    assert data["metric_types"] == [None], "the list is emptied for the contributor"


def test_a_name_in_the_title_becomes_name_and_id(repo: Path) -> None:
    answer = atom("Demo-Bench 2: A Comprehensive Evaluation\n      Benchmark for Multimodal  Large Language Models")
    path, required, _ = new_entry.new_entry(repo, "benchmark", "2304.08485", None, lambda _: answer)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert path.name == "demo-bench-2.yaml" and data["id"] == "demo-bench-2"
    assert data["title"] == "Demo-Bench 2: A Comprehensive Evaluation Benchmark for Multimodal Large Language Models"
    assert data["name"] == "Demo-Bench 2" and "name" not in required


def test_an_existing_id_is_refused(repo: Path) -> None:
    """mme is a benchmark already: neither collection may get it again, and nothing is overwritten."""
    before = (repo / "data" / "benchmarks" / "mme.yaml").read_bytes()
    for kind in ("model", "benchmark"):
        with pytest.raises(new_entry.EntryError, match=r"data/benchmarks/mme.yaml already exists"):
            new_entry.new_entry(repo, kind, "2304.08485", "mme", recorded)
    assert (repo / "data" / "benchmarks" / "mme.yaml").read_bytes() == before


@pytest.mark.parametrize("arxiv_id", ["", "2304.08485; rm -rf /", "../2304.08485", "2304.08485&max_results=9",
                                      "2304.08485\n"])
def test_only_an_arxiv_number_is_looked_up(repo: Path, arxiv_id: str) -> None:
    def unreachable(_: str) -> bytes:
        raise AssertionError("looked up")
    with pytest.raises(new_entry.EntryError, match="is not an arXiv number"):
        new_entry.new_entry(repo, "model", arxiv_id, None, unreachable)


@pytest.mark.parametrize("entry_id", ["LLaVA", "../evil", "a\nb", "a--b"])
def test_a_bad_id_is_refused(repo: Path, entry_id: str) -> None:
    with pytest.raises(new_entry.EntryError, match="is not a valid id; expected lower-case letters"):
        new_entry.new_entry(repo, "model", "2304.08485", entry_id, recorded)


@pytest.mark.parametrize(("answer", "message"), [
    (atom(extra='<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n'),
     "declares a DOCTYPE or ENTITY; refused"),
    (atom(title="&lol2;", extra='<!doctype feed [<!entity lol2 "x">]>'), "declares a DOCTYPE or ENTITY"),
    (b"<html>Service unavailable", "is not XML"),
    (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>ArXiv Query</title></feed>', "arXiv has no paper 2304.08485"),
    (atom(entry_id="2304.99999v1"), "arXiv answered with http://arxiv.org/abs/2304.99999v1 instead of 2304.08485"),
    (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#incorrect_id_format</id>'
     b"<title>Error</title><summary>incorrect id format for 2304.08485</summary></entry></feed>",
     "arXiv refused the request: incorrect id format"),
])
def test_a_strange_answer_is_refused(repo: Path, answer: bytes, message: str) -> None:
    with pytest.raises(new_entry.EntryError, match=re.escape(message)):
        new_entry.new_entry(repo, "model", "2304.08485", "llava-demo", lambda _: answer)
    assert not (repo / "data" / "models" / "llava-demo.yaml").exists()


def test_the_make_targets_run_the_tool() -> None:
    for kind in ("model", "benchmark"):
        dry = subprocess.run(["make", "-n", f"new-{kind}", "ARXIV=2304.08485", "ID=llava-demo"], cwd=ROOT,
                             capture_output=True, text=True)
        assert dry.returncode == 0, dry.stderr
        assert f'scripts/new_entry.py {kind} "2304.08485" --id "llava-demo"' in dry.stdout


# --- BibTeX from title and authors ------------------------------------------------------------------------

MODEL = {"id": "llava", "name": "LLaVA", "year": 2023, "organization": "UW-Madison",
         "paper": "https://arxiv.org/abs/2304.08485"}


def test_bibtex_uses_the_papers_title_and_authors() -> None:
    [entry] = entry_bibtex("models", {**MODEL, "title": "Visual Instruction Tuning", "authors": AUTHORS}, "https://x/")
    assert re.search(r"\n    author +=  ?\{Haotian Liu and Chunyuan Li and Qingyang Wu and Yong Jae Lee\},\n", entry)
    assert re.search(r"\n    title +=  ?\{\{Visual Instruction Tuning\}\},\n", entry)


def test_bibtex_without_them_is_as_before() -> None:
    [entry] = entry_bibtex("models", MODEL, "https://x/")
    assert "author" not in entry and re.search(r"\n    title += \{\{LLaVA\}\},\n", entry)


def test_bibtex_of_a_benchmark_gives_them_to_the_first_paper_only() -> None:
    bench = {"id": "b", "name": "B-Bench", "year": 2024, "papers": ["https://arxiv.org/abs/1", "https://x.org/2"],
             "title": "A {Bench} & 100% $ure", "authors": ["Barnes and Noble Lab", "Ana Author"]}
    first, second = entry_bibtex("benchmarks", bench, "https://x/")
    assert "author = {{Barnes and Noble Lab} and Ana Author}," in first
    assert r"title  = {{A \{Bench\} \& 100\% \$ure}}," in first
    assert "author" not in second and "{{B-Bench}}" in second
