"""What the macros need to know about the build: the repository root and the page language."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping


def repository_root(conf: Mapping[str, Any]) -> Path:
    """The folder of the config file that started the build (both configs live at the root).

    Zensical's config has no `config_file_path`; its `root_dir` is that same folder.
    """
    config_file = conf.get("config_file_path") or Path(conf["root_dir"], "mkdocs.yml")
    return Path(config_file).resolve().parent


def page_language(conf: Mapping[str, Any]) -> str:
    """The build's language, read from the resolved config (`theme.language`), not a variable."""
    theme = conf["theme"]
    language = theme["language"] if "language" in theme else None
    if not language:
        raise ValueError("theme.language is not set in the MkDocs config; expected 'zh' or 'en'")
    return str(language)
