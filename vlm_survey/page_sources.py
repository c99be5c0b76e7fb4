"""Check the page sources before the engine reads them: regular files only, front matter that parses.

MkDocs follows symbolic links in `docs/` and, when a page's front matter is not valid YAML (or not a
mapping), silently drops all of it: `render_macros`, `title` and the rest. Both are refused here,
for every file under a language's docs folder and under `snippets/` (the one folder pages may
include from), with `file:line:col: field: message` lines like the data's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import yaml
from mkdocs.utils.meta import YAML_RE

from vlm_survey import diagrams
from vlm_survey.yaml_source import (WHOLE_FILE, DataError, DataErrors, display_path, file_kind, not_regular, read_bytes,
                                tree)

MAX_PAGE_BYTES = 1024 * 1024
FRONT_MATTER = "(front matter)"
SNIPPETS = "snippets"


def check_pages(root: Path, docs_dir: Path) -> None:
    """Raise DataErrors naming every unusable file under `docs_dir` and `root/snippets`."""
    errors: list[DataError] = []
    for folder in (docs_dir, root / SNIPPETS):
        if folder.is_symlink():
            errors.append(DataError(display_path(root, folder), 1, 1, WHOLE_FILE, not_regular("a symbolic link")))
        elif folder.is_dir():
            errors.extend(_check_folder(root, folder))
    if not errors:  # the diagrams are read from pages that are known to be regular UTF-8 files
        errors.extend(diagrams.check(root, docs_dir))
    if errors:
        raise PageErrors(errors)


class PageErrors(DataErrors):
    """Problems in page files, printed like the data's."""

    def report(self) -> str:
        count = len(self.errors)
        return "\n".join([*map(str, self.errors), f"{count} problem{'s' if count != 1 else ''} in page files."])


def _check_folder(root: Path, folder: Path) -> Iterable[DataError]:
    for path in tree(folder):
        shown = display_path(root, path)
        kind = file_kind(path.lstat().st_mode)
        if kind and kind != "a folder":
            yield DataError(shown, 1, 1, WHOLE_FILE, not_regular(kind))
        elif not kind and path.suffix == ".md":
            yield from _check_page(path, shown)


def _check_page(path: Path, shown: str) -> Iterable[DataError]:
    """A page that can be read as UTF-8 and whose front matter, if any, is a YAML mapping."""
    try:
        raw = read_bytes(path, shown, MAX_PAGE_BYTES, "a page")
    except DataErrors as exc:
        yield from exc.errors
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        yield DataError(shown, line, 1, WHOLE_FILE,
                        f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the page as UTF-8")
        return
    text = text.replace("\r\n", "\n")
    match = YAML_RE.match(text)
    if match is None:
        if text.startswith("---") and text.split("\n", 1)[0].strip() == "---":
            yield DataError(shown, 1, 1, FRONT_MATTER, "front matter is never closed; end it with a line '---'")
        return
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        # Where the construct left open starts (a bracket, a quote), else where YAML gave up.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line, column = (mark.line + 2, mark.column + 1) if mark else (2, 1)
        problem = getattr(exc, "problem", None) or str(exc)
        yield DataError(shown, line, column, FRONT_MATTER,
                        f"is not valid YAML ({problem}); MkDocs would silently ignore all of it")
        return
    if not isinstance(meta, dict):
        yield DataError(shown, 2, 1, FRONT_MATTER, "must be a mapping of keys such as 'render_macros: true'")
    elif "render_macros" in meta and not isinstance(meta["render_macros"], bool):
        yield DataError(shown, _key_line(match.group(1), "render_macros"), 1, "render_macros",
                        f"{meta['render_macros']!r} must be true or false")


def _key_line(block: str, key: str) -> int:
    """The file line of `key:` in a front matter block (the block starts on line 2)."""
    lines = block.split("\n")
    return next((i + 2 for i, line in enumerate(lines) if line.startswith(f"{key}:")), 2)
