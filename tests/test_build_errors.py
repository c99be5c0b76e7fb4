"""A broken data file stops `check-data` and the build with file:line:col: field: message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import copy_repo, run_docs, soup


@pytest.fixture(scope="module")
def broken_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository in which one real model file has an impossible year."""
    repo = copy_repo(tmp_path_factory.mktemp("broken") / "repo")
    model = sorted((repo / "data" / "models").glob("[!_]*.yaml"))[0]
    lines = model.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("year:"))
    lines[number] = "year: 1899\n"
    model.write_text("".join(lines), encoding="utf-8")
    repo.joinpath("expected.txt").write_text(
        f"data/models/{model.name}:{number + 1}:7: year: 1899 is less than the minimum 2012", encoding="utf-8")
    return repo


def test_check_data_reports_file_line_and_field(broken_repo: Path) -> None:
    result = run_docs("check-data", cwd=broken_repo)
    assert result.returncode == 1
    assert (broken_repo / "expected.txt").read_text(encoding="utf-8") in result.stderr.splitlines()


def test_github_annotations_name_the_file_and_line(broken_repo: Path) -> None:
    result = run_docs("check-data", "--github", cwd=broken_repo)
    expected = (broken_repo / "expected.txt").read_text(encoding="utf-8")
    file, line = expected.split(":")[:2]
    assert any(out.startswith(f"::error file={file},line={line},") for out in result.stdout.splitlines())


def test_build_fails_on_bad_data(broken_repo: Path, tmp_path: Path) -> None:
    result = run_docs("build", "-d", str(tmp_path / "site"), cwd=broken_repo)
    assert result.returncode != 0
    assert (broken_repo / "expected.txt").read_text(encoding="utf-8") in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_mkdocs_alone_fails_on_bad_data_too(broken_repo: Path, tmp_path: Path) -> None:
    """`mkdocs build` without the script (as an editor plugin or Zensical would run it) also stops."""
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "s")],
                            cwd=broken_repo, capture_output=True, text=True)
    assert result.returncode != 0
    assert "year: 1899 is less than the minimum 2012" in result.stderr


def test_hostile_data_renders_as_text(tmp_path: Path) -> None:
    """Script tags, Jinja and Markdown in data reach the reader as text, never as code."""
    repo = copy_repo(tmp_path / "repo")
    model = sorted((repo / "data" / "models").glob("[!_]*.yaml"))[0]
    data = yaml.safe_load(model.read_text(encoding="utf-8"))
    hostile_name = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> [x](javascript:alert(1))'
    data["name"] = hostile_name
    data["summary"] = {"zh": "{{ config.site_name }} {% include 'x' %}", "en": "{{ 7 * 7 }} | a\nb"}
    model.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for lang in ("zh", "en"):
        page = repo / "docs" / lang / "architecture.md"
        page.write_text(page.read_text(encoding="utf-8")
                        + '\n\n## Hostile { #hostile }\n\n{{ model_table(columns=["name", "summary"]) }}\n',
                        encoding="utf-8")
    result = run_docs("build", "-d", str(tmp_path / "site"), cwd=repo)
    assert result.returncode == 0, result.stderr
    for sub, literal in (("", "{{ config.site_name }} {% include 'x' %}"), ("en", "{{ 7 * 7 }} | a b")):
        table = soup(tmp_path / "site" / sub / "architecture" / "index.html").select("table[data-vlm-table]")[-1]
        [row] = [tr for tr in table.select("tbody tr") if data["name"] in tr.get_text()]
        assert not row.find("script") and not row.find("img")
        assert row.select_one("td[data-col=summary]").get_text() == literal


def test_annotation_escapes_what_github_reads_as_syntax() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from docs import annotation

    line = annotation("data/models/a,b:c.yaml", 3, 5, "summary.en", "50% done\nsecond line")
    assert line == "::error file=data/models/a%2Cb%3Ac.yaml,line=3,col=5,title=summary.en::50%25 done%0Asecond line"
