"""The build derives everything before the engine runs: no hooks, no post-page or post-build generation,
no path tricks; the engine gets plain staged files."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

import vlm_survey.macros
from helpers import ROOT, LANGS
from vlm_survey.engine_config import shared
from vlm_survey.stage import CATALOG_FILE, stage_folder

ENGINE_CALLBACKS = ("on_pre_page_macros", "on_post_page_macros", "on_post_build")


def test_the_shared_config_has_no_hooks_and_no_language() -> None:
    config = shared(ROOT)
    assert "hooks" not in config and "INHERIT" not in config
    assert "language" not in config["theme"], "the language parts come from languages.yml"
    assert not list(ROOT.glob("mkdocs.*.yml")), "one shared config; each language's is written by the build"


def test_the_macros_module_only_registers_macros() -> None:
    assert not [name for name in ENGINE_CALLBACKS if hasattr(vlm_survey.macros, name)]
    plugins = {next(iter(p)) if isinstance(p, dict) else p: p for p in shared(ROOT)["plugins"]}
    assert plugins["macros"]["macros"]["modules"] == ["vlm_survey.macros"]


def _path_edits(source: str) -> list[int]:
    """Lines that change sys.path (insert, append, assignment, extend)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        target = node.func.value if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) else None
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            target = next((t for t in targets if isinstance(t, ast.Attribute)), None)
        if isinstance(target, ast.Attribute) and target.attr == "path" and getattr(target.value, "id", "") == "sys":
            lines.append(node.lineno)
    return sorted(lines)


def test_no_module_edits_sys_path() -> None:
    assert _path_edits("import sys\nsys.path.insert(0, 'x')\nsys.path += ['y']\nsys.path.sort()\n") == [2, 3, 4]
    found = {str(path.relative_to(ROOT)): lines
             for folder in ("vlm_survey", "scripts", "tests", "bench") for path in sorted((ROOT / folder).rglob("*.py"))
             if (lines := _path_edits(path.read_text(encoding="utf-8")))}
    assert not found, f"sys.path edits (install the package instead): {found}"


def test_each_language_is_staged_as_plain_files(site: Path) -> None:
    stages = stage_folder(site)
    for code in LANGS:
        stage = stages / code
        config = yaml.safe_load((stage / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "!python"))
        assert config["theme"]["language"] == code and config["docs_dir"] == "docs"
        assert (stage / CATALOG_FILE).is_file() and (stage / "snippets" / "abbreviations.md").is_file()
        for model in sorted((ROOT / "data" / "models").glob("[!_]*.yaml"))[:5]:
            page = (stage / "docs" / "models" / f"{model.stem}.md").read_text(encoding="utf-8")
            assert page.startswith("---\n") and "render_macros: false" in page.split("\n---\n", 1)[0]
        chapter = (stage / "docs" / "vit.md").read_text(encoding="utf-8")
        assert 'id="cite-this-page"' in chapter, "the cite block is staged with the chapter"
