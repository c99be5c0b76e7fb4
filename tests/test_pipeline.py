"""The build derives everything before the engine runs: no hooks, no post-page or post-build generation,
no path tricks; the engine gets plain staged files."""

from __future__ import annotations

import ast
import dataclasses
from contextlib import chdir
from pathlib import Path

import pytest
import yaml

import vlm_survey.macros
from helpers import LANGUAGES, ROOT, LANGS
from vlm_survey import stage
from vlm_survey.catalog import load_catalog
from vlm_survey.engine_config import nav_pages, nav_title, shared
from vlm_survey.macros import EVERYTHING, collections_read
from vlm_survey.stage import CATALOG_FILE, Inputs, stage_folder, stage_language

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


HEADINGS = ["# Plain title", "# With an id { #some-id }", "# Closing hashes ##", "#No space", "# Spaced   out  words",
            "# Code `x`", "# Some *emphasis*", "# A & B", "# Vision Transformer (ViT)", "# Braces {}",
            "# C#", "A paragraph first\n# Then a heading", "---\ntitle: From the front matter\n---\n# Heading",
            "## Second level", "# [A link](x.md)", "# Math $x^2$", "# 视觉 Transformer（ViT）：概念"]


def test_staged_titles_are_the_titles_mkdocs_finds(site: Path, tmp_path: Path) -> None:
    """Staging names every page of the navigation with its title (a dirty rebuild reads only the changed pages,
    and the others' titles come from there): each title it gives, for the real chapters and for headings that
    Markdown changes or not, is the one MkDocs finds by rendering the page."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page
    from mkdocs.utils.meta import get_data

    for code in LANGS:
        stage = stage_folder(site) / code
        staged = yaml.safe_load((stage / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "!python"))
        titles = {page: title for item in staged["nav"] if isinstance(item, dict) for title, page in item.items()}
        assert sorted(titles) == sorted(nav_pages(shared(ROOT)["nav"])), f"{code}: a page of the nav has no title"
        samples = {f"{code}/{page}": (stage / "docs" / page).read_text(encoding="utf-8") for page in titles}
        samples.update({f"{code}/heading-{n}.md": text for n, text in enumerate(HEADINGS)})
        with chdir(stage):  # pymdownx.snippets reads snippets/ from here
            config = load_config(config_file=str(stage / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
            for name, text in samples.items():
                (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
                (tmp_path / name).write_text(text, encoding="utf-8")
                source = File(name.split("/", 1)[1], str(tmp_path / code), str(tmp_path / "site"), True)
                page = Page(None, source, config)
                page.read_source(config)
                page.render(config, Files([page.file]))
                expected = titles.get(name.split("/", 1)[1], nav_title(*get_data(text)))
                assert expected is None or expected == page.title, (name, expected, page.title)
        assert sum(nav_title(*get_data(text)) is not None for text in HEADINGS) >= 6, "the samples test little"


def test_staging_renders_again_only_the_entry_pages_whose_inputs_changed(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A staging folder records what each entry page was rendered from; the next staging (in another process:
    no pages kept in memory) renders again only the pages whose entry, related entries or code changed."""
    rendered: list[str] = []
    render = stage.page_markdown
    monkeypatch.setattr(stage, "page_markdown", lambda *args: rendered.append(args[1]["id"]) or render(*args))
    catalog, language = load_catalog(ROOT), LANGUAGES[0]
    folder = tmp_path / language.code

    def staged(catalog: vlm_survey.catalog.Catalog, renderer: str | None = None) -> set[str]:
        rendered.clear()
        inputs = Inputs.read(ROOT, catalog)
        inputs = dataclasses.replace(inputs, renderer=renderer) if renderer else inputs
        stage_language(ROOT, language, LANGUAGES, inputs, folder, tmp_path / "site", {})
        return set(rendered)

    def pages() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted((folder / "docs").glob("*/*.md"))}

    every = {entry["id"] for entry in catalog.models + catalog.benchmarks}
    assert staged(catalog) == every
    first = pages()
    assert staged(catalog) == set() and pages() == first, "a page taken from the last staging was written anew"
    at = next(n for n, m in enumerate(catalog.models) if any(m["id"] in o.get("based_on", []) for o in catalog.models))
    model = catalog.models[at]  # a model others are based on: their pages list it

    def changed(**values: str) -> vlm_survey.catalog.Catalog:
        models = (*catalog.models[:at], {**model, **values}, *catalog.models[at + 1:])
        return dataclasses.replace(catalog, models=models)

    assert staged(changed(organization="A Lab Elsewhere")) == {model["id"]}
    assert "A Lab Elsewhere" in (folder / "docs" / "models" / f"{model['id']}.md").read_text(encoding="utf-8")
    renamed = changed(name="Renamed")
    again = staged(renamed)
    assert model["id"] in again and len(again) > 1, "the pages that list it as related show its new name"
    assert staged(renamed) == set()
    assert staged(catalog, renderer="other code") == every


def test_a_page_s_macros_say_which_data_they_read() -> None:
    """Staging marks a page changed when a part of the data its macros read changed (serve then builds it
    again); a call it cannot tell reads everything."""
    page = '{{ model_table(paradigm="llm-backbone") }} and {{ entry_count("benchmarks") }}'
    assert collections_read(page) == {"models", "benchmarks"}
    assert collections_read("{% set n = glossary_table() %}{{ n }}") == {"glossary"}
    assert collections_read("{{ entry_count(kind) }}") == collections_read("{{ anything(1) }}") == EVERYTHING
    assert collections_read("No template code; {{ config.site_name }} calls nothing.") == set()
