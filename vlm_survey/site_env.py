"""What the macros need to know about the build they run in."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping


def config_folder(conf: Mapping[str, Any]) -> Path:
    """The folder of the config file that started the build (a language's staging folder).

    Zensical's config has no `config_file_path`; its `root_dir` is that same folder.
    """
    config_file = conf.get("config_file_path") or Path(conf["root_dir"], "mkdocs.yml")
    return Path(config_file).resolve().parent
