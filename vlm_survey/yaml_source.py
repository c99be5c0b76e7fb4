"""Read one YAML data file safely, keeping the position of every node.

Only plain data is accepted: no tags that construct Python objects, no anchors or aliases,
no duplicate or non-text keys, UTF-8 without a byte-order mark or control characters, a bounded
size and nesting depth. Only a regular file is opened (never through a symbolic link, never a pipe
or device, which could block or leak), and at most MAX_BYTES + 1 of its bytes are read. Every
refusal is a `DataError` that names the file, the line and column, and the field (`(file)` when the
problem is the whole file). Lines are counted as editors, git and GitHub count them: by "\n" only.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, NoReturn, Union

import yaml

try:  # The C loader is several times faster; the pure-Python one behaves the same.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_BYTES = 256 * 1024
MAX_DEPTH = 20  # the data nests at most 4 levels; libyaml's composer recurses and crashes near 100,000
WHOLE_FILE = "(file)"
PathPart = Union[str, int]
# Characters a YAML stream must not contain (C0/C1 controls other than tab, LF, CR, NEL; surrogates).
NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
KEY_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<dash>(?:-[ \t]+)*)(?P<key>[A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]|$)")
ITEM_LINE = re.compile(r"^(?P<indent>[ \t]*)-(?:[ \t]|$)")
# Line breaks for YAML but not for editors, git or GitHub: harmless inside a value, but elsewhere (in a
# comment, say) they would turn text every reviewer sees as one line into fields nobody sees.
HIDDEN_BREAK = re.compile("[\x85\u2028\u2029]|\r(?!\n)")
CONTROL_NAMES = {"\t": " CHARACTER TABULATION", "\n": " LINE FEED", "\r": " CARRIAGE RETURN", "\x85": " NEXT LINE",
                 "\x1b": " ESCAPE"}
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def char_name(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: a character named for a message (it may be invisible)."""
    name = f" {unicodedata.name(char)}" if unicodedata.name(char, "") else CONTROL_NAMES.get(char, "")
    return f"U+{ord(char):04X}{name}"


def printable(text: str) -> str:
    """`text` with every character that could end or rewrite a line of output (line breaks, controls,
    bidi and other invisible formatting characters, undecodable bytes) written as a Python escape."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or unicodedata.category(char) == "Zs" else repr(char)[1:-1]
                   for char in text)


@dataclass(frozen=True, order=True)
class DataError:
    """One problem in one data file, printable as `file:line:col: field: message`."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __post_init__(self) -> None:
        """A file name or key from a contributor can hold a newline or an invisible character: escape it,
        so that no problem can forge another line of output or a CI annotation."""
        for name in ("file", "field", "message"):
            object.__setattr__(self, name, printable(getattr(self, name)))

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
    text: str

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0, *(match.end() for match in re.finditer("\n", self.text))]

    def position(self, mark: yaml.Mark) -> tuple[int, int]:
        """The 1-based (line, column) of a YAML mark, lines counted by "\\n" only (YAML also breaks at
        U+2028, U+2029 and U+0085, which editors, git and GitHub do not)."""
        line = bisect_right(self._line_starts, mark.index)
        return line, mark.index - self._line_starts[line - 1] + 1

    def locate(self, path: list[PathPart]) -> tuple[int, int]:
        """Return the 1-based (line, column) of the value at `path`, or of its nearest parent."""
        node = self.root
        for part in path:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return self.position(node.start_mark)

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
                    return self.position(key_node.start_mark)
        return self.locate(path)


def _child(node: yaml.Node, part: PathPart) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == part:
                return value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None


def file_kind(mode: int) -> str | None:
    """What a file of this mode is, if it is not a regular file ("a symbolic link", "a folder"...)."""
    kinds = ((stat.S_ISREG, None), (stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"),
             (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))
    return next((kind for test, kind in kinds if test(mode)), "not a regular file")


def tree(folder: Path) -> list[Path]:
    """Every path under `folder`, sorted, without entering a linked folder."""
    paths: list[Path] = []
    pending = [folder]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    paths.append(Path(entry.path))
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(Path(entry.path))
        except OSError:
            continue  # not a folder, or unreadable: the loader says which
    return sorted(paths)


def display_path(root: Path, path: Path) -> str:
    """`path` as messages show it: relative to the repository `root` when inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_bytes(path: Path, display: str, limit: int = MAX_BYTES, what: str = "a data file") -> bytes:
    """The bytes of the regular file at `path`: never through a symbolic link, never blocking on a pipe,
    never more than `limit` + 1 bytes (the size is checked on the opened file, so it cannot be swapped)."""
    try:
        kind = file_kind(os.lstat(path).st_mode)  # a device or pipe is not even opened
        if kind:
            _refuse_kind(display, kind)
        descriptor = os.open(path, OPEN_FLAGS)
    except FileNotFoundError:
        _fail(display, 1, 1, WHOLE_FILE, "file is missing")
    except OSError as exc:
        _fail(display, 1, 1, WHOLE_FILE, f"cannot be read ({exc.strerror}); expected a regular file")
    try:
        info = os.fstat(descriptor)
        kind = file_kind(info.st_mode)
        if kind:
            _refuse_kind(display, kind)
        if info.st_size > limit:
            _too_big(display, f"{info.st_size:,} bytes", limit, what)
        chunks, size = [], 0
        while chunk := os.read(descriptor, limit + 1 - size):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                _too_big(display, f"more than {limit:,} bytes", limit, what)
        return b"".join(chunks)
    except OSError as exc:
        _fail(display, 1, 1, WHOLE_FILE, f"cannot be read ({exc.strerror}); expected a regular file")
    finally:
        os.close(descriptor)


def not_regular(kind: str) -> str:
    """The message for a data path that is `kind` ("a symbolic link"...) instead of a regular file."""
    remedy = "replace the link with the file itself" if kind == "a symbolic link" else "delete it"
    return f"is {kind}; only regular files in the repository are read ({remedy})"


def _refuse_kind(display: str, kind: str) -> NoReturn:
    _fail(display, 1, 1, WHOLE_FILE, not_regular(kind))


def _too_big(display: str, size: str, limit: int, what: str) -> NoReturn:
    _fail(display, 1, 1, WHOLE_FILE, f"file is {size}; {what} must be at most {limit:,} bytes")


def read_document(path: Path, display: str) -> Document:
    """Parse `path` into a Document; raise DataErrors naming `display` on any refusal."""
    return parse_document(read_bytes(path, display), display)


def parse_document(raw: bytes, display: str) -> Document:
    """Parse the bytes `raw` of the file `display` into a Document; raise DataErrors naming it on any refusal."""
    if raw.startswith(b"\xef\xbb\xbf"):
        _fail(display, 1, 1, WHOLE_FILE, "file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        _fail(display, line, column, _field_at(raw.decode("utf-8", "replace"), line),
              f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8")
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in _lines(text)):
        _fail(display, 1, 1, WHOLE_FILE,
              "file is empty; expected a mapping of fields (see the _template.yaml beside it)")
    bad = NOT_PRINTABLE.search(text)
    if bad:
        line, column = _where(text, bad.start())
        _fail(display, line, column, _field_at(text, line),
              f"character U+{ord(bad.group()):04X} is a control character, which YAML does not allow; delete it")
    _check_events(text, display)
    root = _compose(text, display)
    _check_tree(root, text, display)
    _check_hidden_breaks(root, text, display)
    data = _construct(root, text, display)
    return Document(display, data, root, text)


def _lines(text: str) -> list[str]:
    """The lines of `text` as editors and git see them: split at "\n" only (a CR before it dropped)."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def _where(text: str, place: yaml.Mark | int) -> tuple[int, int]:
    """The 1-based (line, column) of a mark or character index, lines counted by "\n" only."""
    index = place if isinstance(place, int) else place.index
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _field_at(text: str, line: int) -> str:
    """The field a line belongs to, read from block-style indentation (for text YAML cannot parse)."""
    parts: list[str] = []
    limit: int | None = None  # column of the innermost key found so far
    item: int | None = None  # column of the "-" of the list item being counted
    index = 0
    for raw in reversed(_lines(text)[:line]):
        match = KEY_LINE.match(raw)
        if item is not None:
            dash = ITEM_LINE.match(raw)
            if dash and len(dash["indent"]) == item:
                index += 1
            elif match and not match["dash"] and len(match["indent"]) < item:
                parts.append(f'{match["key"]}[{index}]')
                limit, item = len(match["indent"]), None
            continue
        if not match:
            continue
        column = len(match["indent"]) + len(match["dash"])
        if limit is None or column < limit:
            parts.append(match["key"])
            limit = column
        if match["dash"] and column <= limit:
            item, index = len(match["indent"]), 0
    return ".".join(reversed(parts)) or WHOLE_FILE


def _check_events(text: str, display: str) -> None:
    """Before building anything: refuse aliases (a billion-laughs file never expands) and nesting
    deeper than MAX_DEPTH (the C composer recurses once per level and crashes on very deep input)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                line, column = _where(text, event.start_mark)
                _fail(display, line, column, _field_at(text, line),
                      "YAML anchors and aliases (&name / *name) are not allowed in data files")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line, column = _where(text, event.start_mark)
                    _fail(display, line, column, _field_at(text, line),
                          f"values are nested more than {MAX_DEPTH} levels deep; data files need at most a few")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return  # _compose reports syntax errors with their position


def _compose(text: str, display: str) -> yaml.Node:
    loader = SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        problem, mark, opened = f"YAML syntax error: {exc.problem or exc}", exc.problem_mark, exc.context_mark
        if exc.problem == "but found another document":
            problem = "a data file holds one entry; a second document starts here"
        elif (opened and mark and opened.line != mark.line and exc.context
              and exc.context.startswith(("while scanning", "while parsing a flow"))):
            # A quote, bracket or key left open: point at where it starts, not where YAML gave up.
            construct = exc.context.split(" ", 2)[2].removeprefix("a ").removeprefix("an ")
            problem = (f"YAML syntax error in the {construct} that starts here: {exc.problem} "
                       f"(line {_where(text, mark)[0]})")
            mark = opened
        line, column = _where(text, mark) if mark else (1, 1)
        if "\t" in _line_text(text, line):
            problem += " (this line contains a tab: indent with spaces, not tabs)"
        field = WHOLE_FILE if exc.problem == "but found another document" else _field_at(text, line)
        _fail(display, line, column, field, problem)
    except yaml.YAMLError as exc:
        _fail(display, 1, 1, WHOLE_FILE, f"YAML error: {exc}")
    finally:
        loader.dispose()
    if root is None:
        _fail(display, 1, 1, WHOLE_FILE, "file is empty; expected a mapping of fields")
    return root


def _line_text(text: str, line: int) -> str:
    lines = _lines(text)
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _check_tree(root: yaml.Node, text: str, display: str) -> None:
    """Refuse duplicate keys, keys that are not text, merge keys and non-standard tags."""
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, field = stack.pop()
        if not node.tag.startswith("tag:yaml.org,2002:") or node.tag.startswith("tag:yaml.org,2002:python/"):
            _fail(display, *_where(text, node.start_mark), field or WHOLE_FILE,
                  f"tag {node.tag!r} is not allowed; write plain values")
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, yaml.Node] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (
                        "tag:yaml.org,2002:str", "tag:yaml.org,2002:merge"):
                    scalar = isinstance(key_node, yaml.ScalarNode)
                    shown = (f"{key_node.value!r} is read as {key_node.tag.rsplit(':', 1)[-1]}" if scalar
                             else "is a list or mapping")
                    where = ".".join(filter(None, [field, str(key_node.value) if scalar else ""])) or WHOLE_FILE
                    _fail(display, *_where(text, key_node.start_mark), where,
                          f"a field name must be a plain word such as name or year; this one {shown}")
                name = f"{field}.{key_node.value}" if field else str(key_node.value)
                if key_node.tag == "tag:yaml.org,2002:merge":
                    _fail(display, *_where(text, key_node.start_mark), name,
                          "merge keys (<<) are not allowed in data files")
                if key_node.value in keys:
                    first = _where(text, keys[key_node.value].start_mark)[0]
                    _fail(display, *_where(text, key_node.start_mark), name,
                          f"duplicate key (first defined on line {first})")
                keys[key_node.value] = key_node
                stack.append((value_node, name))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{field}[{index}]") for index, item in enumerate(node.value))


def _check_hidden_breaks(root: yaml.Node, text: str, display: str) -> None:
    """Refuse a line break that only YAML sees (U+2028, U+2029, U+0085, a lone CR) outside any value:
    in a comment it would end the comment, and what follows on the same visible line would be read as data."""
    first = HIDDEN_BREAK.search(text)
    if not first:
        return
    spans = sorted(_scalar_spans(root))
    starts = [start for start, _ in spans]
    for match in HIDDEN_BREAK.finditer(text, first.start()):
        inside = bisect_right(starts, match.start()) - 1
        if inside < 0 or match.start() >= spans[inside][1]:
            _fail(display, *_where(text, match.start()), WHOLE_FILE,
                  f"{char_name(match.group()[0])} outside a value is a line break for YAML but not for editors "
                  "or GitHub; delete it or write a real line break")


def _scalar_spans(root: yaml.Node) -> list[tuple[int, int]]:
    """The (start, end) character indexes of every scalar, keys included."""
    spans: list[tuple[int, int]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            spans.append((node.start_mark.index, node.end_mark.index))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        else:
            stack.extend(node.value)
    return spans


def _construct(root: yaml.Node, text: str, display: str) -> Any:
    constructor = yaml.constructor.SafeConstructor()
    try:
        return constructor.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = _where(text, mark) if mark else (1, 1)
        _fail(display, line, column, _field_at(text, line), f"cannot read value: {exc.problem}")


def _fail(display: str, line: int, column: int, field: str, message: str) -> NoReturn:
    raise DataErrors([DataError(display, line, column, field, message)])
