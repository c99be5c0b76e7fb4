"""Read one YAML data file safely, keeping the position of every node.

Only plain data is accepted: no tags that construct Python objects, no anchors or aliases,
no duplicate keys, UTF-8 without a byte-order mark, a bounded size. Every refusal is a
`DataError` that names the file, the line and column, and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import yaml

try:  # The C loader is several times faster; the pure-Python one behaves the same.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_BYTES = 256 * 1024
PathPart = Union[str, int]


@dataclass(frozen=True, order=True)
class DataError:
    """One problem in one data file, printable as `file:line:col: field: message`."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class DataErrors(Exception):
    """Raised when data files have problems; carries all of them, sorted."""

    def __init__(self, errors: list[DataError]) -> None:
        self.errors = sorted(errors)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.errors)
        lines = [str(error) for error in self.errors]
        lines.append(f"{count} problem{'s' if count != 1 else ''} in data files.")
        return "\n".join(lines)


@dataclass
class Document:
    """A parsed YAML file: its plain data and the node tree that remembers positions."""

    path: str
    data: Any
    root: yaml.Node

    def locate(self, path: list[PathPart]) -> tuple[int, int]:
        """Return the 1-based (line, column) of the value at `path`, or of its nearest parent."""
        node = self.root
        for part in path:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1, node.start_mark.column + 1

    def locate_key(self, path: list[PathPart], key: str) -> tuple[int, int]:
        """Return the position of the key `key` in the mapping at `path` (for unknown fields)."""
        node = self.root
        for part in path:
            child = _child(node, part)
            if child is None:
                return self.locate(path)
            node = child
        if isinstance(node, yaml.MappingNode):
            for key_node, _ in node.value:
                if key_node.value == key:
                    return key_node.start_mark.line + 1, key_node.start_mark.column + 1
        return self.locate(path)


def _child(node: yaml.Node, part: PathPart) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == part:
                return value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None


def read_document(path: Path, display: str) -> Document:
    """Parse `path` into a Document; raise DataErrors naming `display` on any refusal."""
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        _fail(display, 1, 1, "", f"file is {len(raw):,} bytes; a data file must be at most {MAX_BYTES:,} bytes")
    if raw.startswith(b"\xef\xbb\xbf"):
        _fail(display, 1, 1, "", "file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        _fail(display, line, column, "", f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8")
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        _fail(display, 1, 1, "", "file is empty; expected a mapping of fields (see the _template.yaml beside it)")
    root = _compose(text, display)
    _check_tree(root, display)
    data = _construct(root, display)
    return Document(display, data, root)


def _compose(text: str, display: str) -> yaml.Node:
    loader = SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or str(exc)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "\t" in _line_text(text, line):
            problem += " (this line contains a tab: indent with spaces, not tabs)"
        _fail(display, line, column, "", f"YAML syntax error: {problem}")
    except yaml.YAMLError as exc:
        _fail(display, 1, 1, "", f"YAML error: {exc}")
    finally:
        loader.dispose()
    if root is None:
        _fail(display, 1, 1, "", "file is empty; expected a mapping of fields")
    return root


def _line_text(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _check_tree(root: yaml.Node, display: str) -> None:
    """Refuse aliases (the same node reached twice), duplicate keys and non-standard tags."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, field = stack.pop()
        if id(node) in seen:
            _fail(display, node.start_mark.line + 1, node.start_mark.column + 1, field,
                  "YAML anchors and aliases (&name / *name) are not allowed in data files")
        seen.add(id(node))
        if not node.tag.startswith("tag:yaml.org,2002:") or node.tag.startswith("tag:yaml.org,2002:python/"):
            _fail(display, node.start_mark.line + 1, node.start_mark.column + 1, field,
                  f"tag {node.tag!r} is not allowed; write plain values")
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, yaml.Node] = {}
            for key_node, value_node in node.value:
                name = f"{field}.{key_node.value}" if field else str(key_node.value)
                if key_node.tag == "tag:yaml.org,2002:merge":
                    _fail(display, key_node.start_mark.line + 1, key_node.start_mark.column + 1, name,
                          "merge keys (<<) are not allowed in data files")
                if key_node.value in keys:
                    first = keys[key_node.value].start_mark.line + 1
                    _fail(display, key_node.start_mark.line + 1, key_node.start_mark.column + 1, name,
                          f"duplicate key (first defined on line {first})")
                keys[key_node.value] = key_node
                stack.append((value_node, name))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{field}[{index}]") for index, item in enumerate(node.value))


def _construct(root: yaml.Node, display: str) -> Any:
    constructor = yaml.constructor.SafeConstructor()
    try:
        return constructor.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        _fail(display, line, column, "", f"cannot read value: {exc.problem}")


def _fail(display: str, line: int, column: int, field: str, message: str) -> None:
    raise DataErrors([DataError(display, line, column, field, message)])
