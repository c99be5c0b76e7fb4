"""The site's languages, read from `languages.yml` (the one place that lists them).

The first language is the site's root; every other one lives under `/<code>/`. The build writes each
language's engine config from its entry (vlm_survey/engine_config.py), the tables' script gets its labels
from there, and the tests and the bench read the same list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

REGISTRY = "languages.yml"
TEXT_LANGUAGES = ("zh", "en")  # the languages data files and vlm_survey/i18n.py are written in

_TEXT = {"type": "string", "minLength": 1}
SCHEMA: dict[str, Any] = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["code", "name", "text", "site_name", "site_description", "copyright", "search", "collation",
                     "labels"],
        "properties": {
            "code": {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z]{2,4})?$"},
            "name": _TEXT, "site_name": _TEXT, "site_description": _TEXT, "copyright": _TEXT, "collation": _TEXT,
            "text": {"enum": list(TEXT_LANGUAGES)},
            "search": {"type": "object", "required": ["lang"], "properties": {"lang": _TEXT}},
            "labels": {
                "type": "object",
                "required": ["dark_mode", "light_mode", "table"],
                "properties": {"dark_mode": _TEXT, "light_mode": _TEXT,
                               "table": {"type": "object", "additionalProperties": {"type": "string"}}},
            },
        },
    },
}


class RegistryError(ValueError):
    """languages.yml is missing or says something the build cannot use; the message names the entry."""


@dataclass(frozen=True)
class Language:
    """One language of the site, as languages.yml describes it."""

    code: str
    name: str
    text: str
    site_name: str
    site_description: str
    copyright: str
    search: dict[str, Any]
    collation: str
    labels: dict[str, Any]
    root: bool

    @property
    def subdir(self) -> str:
        """Where the language lands in the site: '' for the root language, else its code."""
        return "" if self.root else self.code

    def docs(self, project: Path) -> Path:
        """The folder of the language's pages."""
        return project / "docs" / self.code


def registry(project: Path) -> tuple[Language, ...]:
    """Every language of the project at `project`, root language first; RegistryError if the file is wrong."""
    path = project / REGISTRY
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryError(f"{REGISTRY}: cannot be read: {exc}") from None
    problems = sorted(Draft202012Validator(SCHEMA).iter_errors(entries), key=lambda e: list(e.path))
    if problems:
        where = "/".join(str(part) for part in problems[0].path) or "(file)"
        raise RegistryError(f"{REGISTRY}: {where}: {problems[0].message}")
    codes = [entry["code"] for entry in entries]
    duplicate = next((code for code in codes if codes.count(code) > 1), None)
    if duplicate:
        raise RegistryError(f"{REGISTRY}: language {duplicate!r} is listed twice")
    languages = tuple(Language(root=index == 0, **entry) for index, entry in enumerate(entries))
    for language in languages:
        if not language.docs(project).is_dir():
            raise RegistryError(f"{REGISTRY}: {language.code}: its pages folder docs/{language.code}/ does not exist")
    return languages


def codes(project: Path) -> tuple[str, ...]:
    """The language codes, root language first."""
    return tuple(language.code for language in registry(project))
