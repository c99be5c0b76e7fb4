"""languages.yml is the one list of languages: a language added there (and its pages) is built, linked
from every other language's menu and given its own labels, with no other file touched."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import copy_repo, run_docs, soup, source_pages
from vlm_survey.languages import REGISTRY, RegistryError, registry

THIRD = {
    "code": "fr",
    "name": "Français",
    "text": "en",
    "site_name": "Étude des grands modèles vision-langage",
    "site_description": "Un essai de troisième langue",
    "copyright": "Contenu CC BY 4.0, code MIT",
    "search": {"lang": "fr"},
    "collation": "fr",
    "labels": {"dark_mode": "Mode sombre", "light_mode": "Mode clair",
               "table": {"filter": "Filtrer", "search": "Chercher dans la table", "placeholder": "Nom…",
                         "yearFrom": "Depuis", "any": "Tous", "reset": "Effacer", "count": "{shown} sur {total}",
                         "empty": "Aucune ligne (sur {total})", "more": "Tout afficher", "less": "Réduire"}},
}


def add_third_language(repo: Path) -> None:
    """French, written into the copy's languages.yml, its pages copied from English (conftest builds it)."""
    entries = yaml.safe_load((repo / REGISTRY).read_text(encoding="utf-8"))
    (repo / REGISTRY).write_text(yaml.safe_dump([*entries, THIRD], allow_unicode=True), encoding="utf-8")
    shutil.copytree(repo / "docs" / "en", repo / "docs" / "fr")


def test_the_registry_lists_the_site_languages_root_first() -> None:
    from helpers import ROOT

    languages = registry(ROOT)
    assert [(lang.code, lang.subdir) for lang in languages] == [("zh", ""), ("en", "en")]
    assert all(lang.docs(ROOT).is_dir() for lang in languages)


def test_a_third_language_gets_every_page(three_languages: Path) -> None:
    for page in source_pages("en"):
        built = three_languages / "fr" / ("index.html" if page == "index" else f"{page}/index.html")
        assert built.is_file(), f"fr/{page} was not built"
        assert soup(built).html["lang"] == "fr"
    entry_pages = {p.parent.name for p in (three_languages / "fr" / "models").glob("*/index.html")}
    assert entry_pages == {p.parent.name for p in (three_languages / "en" / "models").glob("*/index.html")}
    assert entry_pages, "no entry pages in the third language"
    assert (three_languages / "fr" / "search" / "search_index.json").is_file()


def test_every_language_menu_links_the_same_page_in_all_three(three_languages: Path) -> None:
    for folder in ("", "en", "fr"):
        page = soup(three_languages / folder / "vit" / "index.html")
        links = {a["hreflang"]: a["href"] for a in page.select("a[data-vlm-alternate]")}
        assert set(links) == {"zh", "en", "fr"}, links
        for lang, href in links.items():
            target = (three_languages / folder / "vit" / href).resolve()
            expected = (three_languages / ("" if lang == "zh" else lang) / "vit").resolve()
            assert target == expected, f"{folder or 'zh'}: menu entry {lang} -> {href}"


def test_the_third_language_has_its_own_names_and_table_labels(three_languages: Path) -> None:
    page = soup(three_languages / "fr" / "architecture" / "index.html")
    assert THIRD["site_name"] in page.title.get_text()
    language = json.loads(page.select_one("script#vlm-language").get_text())
    assert language["labels"] == THIRD["labels"]["table"] and language["collation"] == "fr"
    toggles = {label.get("title") for label in page.select("label.md-header__button[for^='__palette']")}
    assert {"Mode sombre", "Mode clair"} <= toggles, toggles
    assert page.select("table[data-vlm-table] tbody tr"), "the model table is missing"


@pytest.mark.parametrize(("change", "message"), [
    (lambda entries: entries + [dict(entries[1])], "language 'en' is listed twice"),
    (lambda entries: [{**entries[0], "text": "fr"}, entries[1]], "0/text"),
    (lambda entries: [entries[0], {k: v for k, v in entries[1].items() if k != "labels"}], "'labels' is a required"),
    (lambda entries: entries + [{**entries[1], "code": "de"}], "docs/de/ does not exist"),
])
def test_a_wrong_registry_is_refused_naming_the_entry(tmp_path: Path, change, message: str) -> None:
    from helpers import ROOT

    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    for code in ("zh", "en"):
        (repo / "docs" / code).mkdir()
    entries = yaml.safe_load((ROOT / REGISTRY).read_text(encoding="utf-8"))
    (repo / REGISTRY).write_text(yaml.safe_dump(change(entries), allow_unicode=True), encoding="utf-8")
    with pytest.raises(RegistryError, match=message.replace("(", r"\(")):
        registry(repo)


def test_the_build_reports_a_wrong_registry_and_keeps_the_site(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo")
    (repo / REGISTRY).write_text("- code: zh\n", encoding="utf-8")
    result = run_docs("build", "-d", str(tmp_path / "site"), cwd=repo)
    assert result.returncode == 1
    assert f"{REGISTRY}: 0: " in result.stderr and "is a required property" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "site").exists()
