"""Load and validate every data file once, reporting all problems together.

`load_catalog(root)` reads `data/models/*.yaml`, `data/benchmarks/*.yaml` and
`data/glossary.yaml`, validates them against the JSON Schemas in `data/schema/`, checks
what a schema cannot (id equals file name, ids unique across models and benchmarks and not
reserved, `based_on` points to a model without going in a circle, abbreviations unique and not
common words, no invisible or control characters, every text visible, every number finite) and
returns a `Catalog`. Every file in the data folders is accounted for: a link, pipe, subfolder,
hidden or misnamed file is reported, never read through or skipped. Any problem raises
`DataErrors` with one `file:line:col: field: message` line per problem.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import unicodedata
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import SchemaError, ValidationError

from vlm_survey.yaml_source import (WHOLE_FILE, DataError, DataErrors, Document, char_name, display_path, file_kind,
                                not_regular, parse_document, read_bytes, read_document, tree)

COLLECTIONS = ("models", "benchmarks")
TEMPLATE = "_template.yaml"  # the file contributors copy; the only data-folder file that is not an entry
# Ids that would collide with a path or anchor the site already has: an entry's page is <collection>/<id>.md,
# and its table row is anchored #model-<id> or #benchmark-<id> on a chapter that has headings of its own.
RESERVED_IDS = {
    "index": "models/index.md or benchmarks/index.md would become the folder's index page",
    "table": "#model-table is a heading of the architecture chapter",
    "lineage": "#model-lineage is a heading of the architecture chapter",
    "categories": "#benchmark-categories is a heading of the benchmarks chapter",
    "saturation": "#benchmark-saturation is a heading of the benchmarks chapter",
    "tables": "#benchmark-tables is a heading of the benchmarks chapter",
}
# Bidi embeddings, overrides and isolates make text read differently from what it is: refused everywhere.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# An abbreviation is marked up wherever it occurs on any page (Markdown's abbr extension, case-sensitive): besides
# the schema's rule (two or more capitals or digits) it must not be a common word written in capitals.
COMMON_WORDS = frozenset("""a am an and any are as at be but by can do for go has he her his if in is it its me
    my no not of off on one or our out she so the to up us was we who you""".split())
# Fields whose text in `_template.yaml` is an example that no real entry may keep unchanged.
EXAMPLE_FIELDS = ("name", "title", "authors", "paper", "papers", "project", "summary", "connector_detail", "note",
                  "corrections")
SCHEMA_FILES = {"models": "model.schema.json", "benchmarks": "benchmark.schema.json",
                "glossary": "glossary.schema.json"}
CATALOG_FILE = "catalog.json"  # where staging writes the catalog for the in-page macros (vlm_survey/stage.py)


@dataclass(frozen=True)
class Catalog:
    """All validated data: entries keyed by collection, sorted by (year, name)."""

    models: tuple[dict[str, Any], ...]
    benchmarks: tuple[dict[str, Any], ...]
    glossary: tuple[dict[str, Any], ...]

    def entries(self, collection: str) -> tuple[dict[str, Any], ...]:
        """Return the entries of 'models', 'benchmarks' or 'glossary'."""
        if collection not in ("models", "benchmarks", "glossary"):
            raise ValueError(f"unknown collection {collection!r}; expected models, benchmarks or glossary")
        return getattr(self, collection)


def catalog_json(catalog: Catalog) -> str:
    """The catalog as JSON, read back by `read_catalog`."""
    data = {field.name: getattr(catalog, field.name) for field in fields(Catalog)}
    return json.dumps(data, ensure_ascii=False, allow_nan=False, sort_keys=True)


def read_catalog(path: Path) -> Catalog:
    """The catalog that `catalog_json` wrote to `path`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Catalog(**{field.name: tuple(data[field.name]) for field in fields(Catalog)})


# JSON Schema counts 2023.0 as an integer; YAML data must write a whole number as one (2023).
StrictValidator = validators.extend(Draft202012Validator, type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
    "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)))


class Validator:
    """A schema's validator that answers valid data fast and explains invalid data in full.

    jsonschema resolves every `$ref` each time it meets one, which is most of the validation time:
    a copy of the schema with the local `$ref`s written out says whether an entry is valid; only an
    invalid entry goes through the original, whose errors name the `$defs` they come from.
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        self.full = StrictValidator(schema)
        self.quick = StrictValidator(_inline_refs(schema, schema.get("$defs", {}), ()))

    def iter_errors(self, instance: Any) -> Iterable[ValidationError]:
        return () if self.quick.is_valid(instance) else self.full.iter_errors(instance)


def _inline_refs(node: Any, defs: dict[str, Any], seen: tuple[str, ...]) -> Any:
    """`node` with each `{"$ref": "#/$defs/x", ...}` replaced by x and its neighbours (not recursively)."""
    if isinstance(node, list):
        return [_inline_refs(item, defs, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref", "")
    name = ref.removeprefix("#/$defs/")
    if not ref.startswith("#/$defs/") or name not in defs or name in seen:
        return {key: _inline_refs(value, defs, seen) for key, value in node.items()}
    target = _inline_refs(defs[name], defs, (*seen, name))
    rest = {key: _inline_refs(value, defs, seen) for key, value in node.items() if key != "$ref"}
    return {**target, **rest} if not set(target) & set(rest) else {**rest, "allOf": [target]}


def _validator(schema_path: Path, display: str | None = None) -> Validator:
    """The validator of a schema file; DataErrors naming the file if it is missing, not JSON or not a schema."""
    return _compiled(read_bytes(schema_path, display or schema_path.name), display or schema_path.name)


@lru_cache(maxsize=None)
def _compiled(schema_bytes: bytes, display: str) -> Validator:
    """Keyed by the schema's content, so that a schema edited while serving takes effect."""
    def fail(line: int, column: int, message: str) -> DataErrors:
        return DataErrors([DataError(display, line, column, WHOLE_FILE, message)])

    try:
        schema = json.loads(schema_bytes.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise fail(1, 1, f"is not UTF-8 text ({exc.reason}); a schema is a JSON file") from None
    except json.JSONDecodeError as exc:
        raise fail(exc.lineno, exc.colno, f"is not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise fail(1, 1, "is nested too deeply to be a schema") from None
    try:
        Draft202012Validator.check_schema(schema)
    except RecursionError:
        raise fail(1, 1, "is nested too deeply to be a schema") from None
    except SchemaError as exc:
        where = "/".join(map(str, exc.absolute_path)) or "the top level"
        raise fail(1, 1, f"is not a valid JSON Schema (draft 2020-12): {exc.message} (at {where})") from None
    if not isinstance(schema, dict):
        raise fail(1, 1, "is not a JSON object; a schema here is an object with type, properties and $defs")
    defs = schema.get("$defs", {})
    broken = [ref for ref in _refs(schema) if ref != "#" and not (ref.startswith("#/$defs/") and ref[8:] in defs)]
    if broken:
        raise fail(1, 1, f"has \"$ref\": {json.dumps(broken[0])}, which points at nothing; "
                         "a reference must be #/$defs/<name> of this file")
    return Validator(schema)


def _refs(node: Any) -> Iterable[str]:
    """Every `$ref` in a schema (a schema that passes the meta-schema can still point at nothing)."""
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


_loaded: dict[Path, tuple[str, Catalog]] = {}


def load_catalog(root: Path) -> Catalog:
    """Validate all data under `root` (the repository) and return it, or raise DataErrors.

    A build asks several times (the check, each language's macros and hook) and `serve` asks on every
    rebuild: while no file under data/ changed, the catalog validated before is returned (read-only).
    """
    key, fingerprint = root.resolve(), _fingerprint(root / "data")
    if key in _loaded and _loaded[key][0] == fingerprint:
        return _loaded[key][1]
    catalog = _read_catalog(root)
    _loaded[key] = (fingerprint, catalog)
    return catalog


def _fingerprint(data_dir: Path) -> str:
    """A digest of everything under data/: names, kinds and contents. Like the loader, it opens only regular
    files, never through a link (a link, pipe or device counts by its kind), and reads none past the size limit."""
    digest = hashlib.blake2b(digest_size=16)
    for path in tree(data_dir):
        try:
            kind = file_kind(os.lstat(path).st_mode)
            content = kind.encode() if kind else read_bytes(path, "")
        except (OSError, DataErrors) as exc:  # the loader reports the file in its own words
            content = str(exc).encode()
        name = path.relative_to(data_dir).as_posix().encode("utf-8", "surrogateescape")
        digest.update(name + b"\0" + content + b"\0")
    return digest.hexdigest()


def _read_catalog(root: Path) -> Catalog:
    """Read and validate every data file, without the cache."""
    data_dir = root / "data"
    errors: list[DataError] = []
    loaded: dict[str, list[dict[str, Any]]] = {collection: [] for collection in COLLECTIONS}
    documents: dict[str, Document] = {}
    glossary = None
    if _folder_ok(root, data_dir, errors) and _folder_ok(root, data_dir / "schema", errors):
        first_file_of_id: dict[str, str] = {}
        for collection in COLLECTIONS:
            validator = _schema(root, collection, errors)
            if validator and _folder_ok(root, data_dir / collection, errors):
                loaded[collection] = _load_collection(root, data_dir / collection, validator, errors, documents,
                                                      first_file_of_id)
        validator = _schema(root, "glossary", errors)
        glossary = _load_single(root, data_dir / "glossary.yaml", validator, errors) if validator else None
    errors.extend(_check_lineage(loaded["models"], documents))
    if errors:
        raise DataErrors(errors)
    return Catalog(
        models=tuple(sorted(loaded["models"], key=_order)),
        benchmarks=tuple(sorted(loaded["benchmarks"], key=_order)),
        glossary=tuple(sorted(glossary.get("terms", []), key=lambda term: term["id"])) if glossary else (),
    )


def _order(entry: dict[str, Any]) -> tuple[int, str]:
    return entry["year"], entry["name"].casefold()


def _folder_ok(root: Path, folder: Path, errors: list[DataError]) -> bool:
    """Whether `folder` is a real folder (not a link to one elsewhere); if not, say so in `errors`."""
    try:
        kind = file_kind(os.lstat(folder).st_mode)
    except OSError:
        kind = "missing"
    if kind == "a folder":
        return True
    problem = "folder is missing" if kind == "missing" else f"is {kind}; expected a folder in the repository"
    errors.append(DataError(display_path(root, folder), 1, 1, WHOLE_FILE, problem))
    return False


def _schema(root: Path, name: str, errors: list[DataError]) -> Validator | None:
    path = root / "data" / "schema" / SCHEMA_FILES[name]
    try:
        return _validator(path, display_path(root, path))
    except DataErrors as exc:
        errors.extend(exc.errors)
        return None


def _load_collection(root: Path, folder: Path, validator: Validator, errors: list[DataError],
                     documents: dict[str, Document], first_file_of_id: dict[str, str]) -> list[dict[str, Any]]:
    """Every entry of one data folder; every other thing in the folder is reported, none skipped in silence."""
    entries: list[dict[str, Any]] = []
    examples = _template_examples(folder / TEMPLATE)
    with os.scandir(folder) as listing:
        found = sorted(listing, key=lambda item: item.name)
    for item in found:
        path, display = Path(item.path), display_path(root, Path(item.path))
        if item.is_dir(follow_symlinks=False):
            errors.extend(_nested(root, path, display_path(root, folder)))
            continue
        problem = _listing_problem(item)
        if problem:
            errors.append(DataError(display, 1, 1, WHOLE_FILE, problem))
            continue
        if item.name == TEMPLATE:
            continue
        document, problems = _check_file(root, path, display, validator)
        if document is None:
            errors.extend(problems)
            continue
        entry_id = document.data.get("id")
        if isinstance(entry_id, str):
            problems += _id_problems(document, entry_id, path.stem, first_file_of_id)
        problems += _unchanged_examples(document, examples)
        if problems:
            errors.extend(problems)
        else:
            documents[display] = document
            entries.append({**document.data, "_file": display})
    return entries


def _listing_problem(item: os.DirEntry[str]) -> str | None:
    """Why a file in a data folder is not an entry to read (None if it is one, or the template)."""
    kind = file_kind(item.stat(follow_symlinks=False).st_mode)
    if kind:
        return not_regular(kind)
    if item.name.startswith("."):
        return "hidden file; a data file is named <id>.yaml, without a leading dot"
    if item.name.startswith("_") and item.name != TEMPLATE:
        return f"only {TEMPLATE} may start with '_'; name a data file <id>.yaml, or delete this one"
    if not item.name.endswith(".yaml"):
        return "unexpected file; data files end in .yaml"
    return None


def _nested(root: Path, folder: Path, parent: str) -> Iterable[DataError]:
    """A subfolder is not read: report each file in it (or the folder itself when it holds none)."""
    paths = tree(folder)
    files = [path for path in paths if file_kind(os.lstat(path).st_mode) != "a folder"]
    where = f"data files sit directly in {parent}, subfolders are not read"
    for path in files:
        yield DataError(display_path(root, path), 1, 1, WHOLE_FILE, f"is inside a subfolder; {where}")
    if not files:
        yield DataError(display_path(root, folder), 1, 1, WHOLE_FILE, f"is a folder; {where}")


def _id_problems(document: Document, entry_id: str, stem: str, first_file_of_id: dict[str, str]) -> list[DataError]:
    """The id must be the file name, unique across models and benchmarks, and not reserved."""
    problems = []
    if entry_id != stem:
        problems.append(f"'{entry_id}' must equal the file name '{stem}'")
    if entry_id in first_file_of_id:
        problems.append(f"duplicate id '{entry_id}' (also in {first_file_of_id[entry_id]}); models and benchmarks "
                        "share page anchors and BibTeX keys, so every id must be unique across both")
    if entry_id in RESERVED_IDS:
        problems.append(f"'{entry_id}' is reserved ({RESERVED_IDS[entry_id]}); choose another id")
    first_file_of_id.setdefault(entry_id, document.path)
    return [DataError(document.path, *document.locate(["id"]), "id", problem) for problem in problems]


def _example_texts(entry: Any) -> Iterable[tuple[list[Any], str]]:
    """(path, text) of every example text of an entry: EXAMPLE_FIELDS, and of corrections only the notes."""
    def walk(value: Any, path: list[Any]) -> Iterable[tuple[list[Any], str]]:
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, [*path, key])
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, [*path, index])

    for name in EXAMPLE_FIELDS:
        value = entry.get(name) if isinstance(entry, dict) else None
        if name == "corrections" and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield from walk(item.get("note"), [name, index, "note"])
        else:
            yield from walk(value, [name])


def _template_examples(path: Path) -> set[str]:
    """The example texts of a folder's `_template.yaml` (none if it is missing or unreadable)."""
    try:
        document = read_document(path, path.name)
    except DataErrors:
        return set()
    return {text for _, text in _example_texts(document.data)}


def _unchanged_examples(document: Document, examples: set[str]) -> Iterable[DataError]:
    """A value copied from the template and never replaced would reach readers as if it were real."""
    for path, text in _example_texts(document.data):
        if text in examples:
            line, column = document.locate(path)
            yield DataError(document.path, line, column, _field_name(path),
                            "still the example text of _template.yaml; replace it with this entry's own")


def _load_single(root: Path, path: Path, validator: Validator,
                 errors: list[DataError]) -> dict[str, Any] | None:
    document, problems = _check_file(root, path, display_path(root, path), validator)
    if document is None:
        errors.extend(problems)
        return None
    terms = document.data.get("terms", [])
    if isinstance(terms, list):
        problems += _glossary_problems(document, terms)
    errors.extend(problems)
    return None if problems else document.data


def _glossary_problems(document: Document, terms: list[Any]) -> list[DataError]:
    """Term ids unique; abbreviations unique (also ignoring case) and not common words."""
    problems: list[DataError] = []
    ids: set[str] = set()
    abbreviations: dict[str, tuple[str, str]] = {}  # casefolded -> (as written, term id)
    for index, term in enumerate(terms):
        if not isinstance(term, dict):
            continue
        term_id, abbr = term.get("id"), term.get("abbr")
        if isinstance(term_id, str) and term_id in ids:
            line, column = document.locate(["terms", index, "id"])
            problems.append(DataError(document.path, line, column, f"terms[{index}].id", f"duplicate id '{term_id}'"))
        if isinstance(term_id, str):
            ids.add(term_id)
        if not isinstance(abbr, str):
            continue
        problem = _abbreviation_problem(abbr, abbreviations)
        if problem:
            line, column = document.locate(["terms", index, "abbr"])
            problems.append(DataError(document.path, line, column, f"terms[{index}].abbr", problem))
        abbreviations.setdefault(abbr.casefold(), (abbr, str(term_id)))
    return problems


def _abbreviation_problem(abbr: str, earlier: dict[str, tuple[str, str]]) -> str | None:
    """Each abbreviation is marked up wherever it occurs on any page: it must be unique and no common word."""
    if abbr.casefold() in COMMON_WORDS:
        return (f"'{abbr}' is a common English word; as an abbreviation it would be marked up in every sentence "
                "that uses it")
    if abbr.casefold() in earlier:
        written, term_id = earlier[abbr.casefold()]
        same = "this abbreviation" if written == abbr else f"'{written}', the same apart from case"
        return f"term '{term_id}' already has {same}; each abbreviation must be unique, ignoring case"
    return None


# The data files checked before in this process (`serve` loads the data on every change): (root, file) -> (its
# bytes, the validator, its document or None, the problems of reading it or of its values). A file is parsed and
# validated again only when its bytes or its schema changed.
_checked: dict[tuple[Path, str], tuple[bytes, Validator, Document | None, list[DataError]]] = {}


def _check_file(root: Path, path: Path, display: str, validator: Validator) -> tuple[Document | None, list[DataError]]:
    """A data file's document (None when it cannot be read as a mapping of fields) and its problems: those of
    reading it, else those of its values."""
    try:
        raw = read_bytes(path, display)
    except DataErrors as exc:
        return None, list(exc.errors)
    known = _checked.get((root, display))
    if not known or known[0] != raw or known[1] is not validator:
        errors: list[DataError] = []
        document = _read(raw, display, errors)
        known = (raw, validator, document, errors if document is None else _problems(document, validator))
        _checked[(root, display)] = known
    return known[2], list(known[3])


def _read(raw: bytes, display: str, errors: list[DataError]) -> Document | None:
    try:
        document = parse_document(raw, display)
    except DataErrors as exc:
        errors.extend(exc.errors)
        return None
    if not isinstance(document.data, dict):
        kind = "a list" if isinstance(document.data, list) else f"a {type(document.data).__name__}"
        line, column = document.locate([])
        errors.append(DataError(display, line, column, "(top level)",
                                f"expected a mapping of fields at the top level, found {kind}"))
        return None
    return document


def _problems(document: Document, validator: Validator) -> list[DataError]:
    """What is wrong with the values of one file: the value rules first; the schema's errors where they say
    nothing more (a `.nan` is also 'not greater than 0', an id ending in a newline also 'not an id')."""
    problems = list(_value_problems(document))
    places = {(problem.field, problem.line, problem.column) for problem in problems}
    problems += [error for error in _schema_errors(document, validator)
                 if (error.field, error.line, error.column) not in places]
    return problems


def _value_problems(document: Document) -> Iterable[DataError]:
    """Text and numbers a schema cannot judge: invisible, control or bidi characters, text with nothing
    visible, numbers that are not finite."""
    pending: list[tuple[list[Any], Any]] = [([], document.data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, dict):
            pending.extend(([*path, key], item) for key, item in value.items())
        elif isinstance(value, list):
            pending.extend(([*path, index], item) for index, item in enumerate(value))
        else:
            problem = (_text_problem(value, _is_prose(path)) if isinstance(value, str)
                       else _number_problem(value) if isinstance(value, float) else None)
            if problem:
                line, column = document.locate(path)
                yield DataError(document.path, line, column, _field_name(path) or "(top level)", problem)


def _is_prose(path: list[Any]) -> bool:
    """The zh or en of a bilingual field (summary.en, corrections[0].note.zh) is prose that may hold line breaks;
    every other text (name, id, organization, a glossary term's en and zh...) is one line of plain text."""
    return len(path) >= 2 and isinstance(path[-2], str) and path[-1] in ("zh", "en")


def _text_problem(text: str, prose: bool) -> str | None:
    """Why `text` cannot be shown as it is: prose may hold line breaks; other text is one plain line."""
    if not text.isprintable():  # only then can it hold a control, format or line-separator character
        for char in text:
            category = unicodedata.category(char)
            if char in BIDI_CONTROLS or (category == "Cf" and not prose):
                return f"contains {char_name(char)}, an invisible formatting character; delete it"
            if category == "Cc" and not (prose and char == "\n"):
                where = "in text" if prose else "in a one-line field"
                return f"contains {char_name(char)}, a control character, which is not allowed {where}; delete it"
            if category in ("Zl", "Zp") and not prose:
                return f"contains {char_name(char)}; this field is one line of plain text, delete it"
    if text and not any(unicodedata.category(char)[0] not in "CMZ" for char in text):
        return "has no visible character (only spaces, invisible or combining characters); expected text"
    return None


def _number_problem(number: float) -> str | None:
    if math.isfinite(number):
        return None
    written = ".nan" if math.isnan(number) else ".inf" if number > 0 else "-.inf"
    return f"{written} is not a finite number; expected a number such as 1.5"


def _schema_errors(document: Document, validator: Validator) -> Iterable[DataError]:
    """Each problem once (jsonschema raises one `required` error per missing field, each listing all)."""
    seen: set[DataError] = set()
    for error in validator.iter_errors(document.data):
        for problem in _describe(document, error):
            if problem not in seen:
                seen.add(problem)
                yield problem


def _field_name(path: Iterable[Any]) -> str:
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def _describe(document: Document, error: ValidationError) -> Iterable[DataError]:
    """Turn one jsonschema error into messages a contributor can act on."""
    path = list(error.absolute_path)
    field = _field_name(path)
    validator = error.validator
    if validator == "required":
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        line, column = document.locate_key(path[:-1], path[-1]) if path else document.locate(path)
        for name in missing:
            yield DataError(document.path, line, column, _field_name([*path, name]),
                            f"required field is missing{_expected_hint(error.schema, name)}")
        return
    if validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        for name in sorted(set(error.instance) - set(allowed)):
            line, column = document.locate_key(path, name)
            yield DataError(document.path, line, column, _field_name([*path, name]),
                            f"unknown field; allowed fields are: {', '.join(allowed)}")
        return
    line, column = document.locate(path)
    yield DataError(document.path, line, column, field or "(top level)", _message(error))


def _expected_hint(schema: dict[str, Any], name: str) -> str:
    prop = schema.get("properties", {}).get(name, {})
    description = prop.get("description")
    return f" ({description})" if description else ""


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _message(error: ValidationError) -> str:
    value, rule = error.instance, error.validator_value
    messages = {
        "type": lambda: f"{_shown(value)} has the wrong type; expected {_type_names(rule)}",
        "enum": lambda: f"{_shown(value)} is not allowed; expected one of: {', '.join(map(str, rule))}",
        "const": lambda: f"{_shown(value)} must be {_shown(rule)}",
        "minimum": lambda: f"{_shown(value)} is less than the minimum {rule}",
        "maximum": lambda: f"{_shown(value)} is greater than the maximum {rule}",
        "exclusiveMinimum": lambda: f"{_shown(value)} must be greater than {rule}",
        "minLength": lambda: "must not be empty" if rule == 1 else f"must be at least {rule} characters",
        "maxLength": lambda: f"is {len(value)} characters long; at most {rule} allowed",
        "minItems": lambda: f"needs at least {rule} item{'s' if rule != 1 else ''}",
        "uniqueItems": lambda: f"{_shown(value)} lists an item twice",
        "pattern": lambda: _pattern_message(value, error.schema),
    }
    if error.validator == "anyOf":
        options = [sub for sub in error.validator_value]
        return f"{_shown(value)} is not valid; expected {' or '.join(_describe_option(o, error) for o in options)}"
    build = messages.get(str(error.validator))
    return build() if build else error.message


def _type_names(rule: Any) -> str:
    names = {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
             "null": "null", "array": "a list", "object": "a mapping"}
    rules = rule if isinstance(rule, list) else [rule]
    return " or ".join(names.get(r, r) for r in rules)


def _describe_option(option: dict[str, Any], error: ValidationError) -> str:
    if "$ref" in option:
        ref = option["$ref"].rsplit("/", 1)[-1]
        return {"url": "an http(s) URL", "text": "text", "bilingual": "a mapping with zh and en"}.get(ref, ref)
    return _type_names(option.get("type", "a value"))


def _pattern_message(value: Any, schema: dict[str, Any]) -> str:
    """'... is not a valid id; expected ...': the schema's title and description name the rule."""
    title, expected = schema.get("title"), schema.get("description")
    if not title or not expected:
        return f"{_shown(value)} does not match the expected pattern {schema['pattern']}"
    reason = _url_reason(value) if title == "URL" and isinstance(value, str) else ""
    return f"{_shown(value)} is not a valid {title}{reason}; expected {expected}"


def _url_reason(url: str) -> str:
    """What makes an address refused, when it is more than a wrong scheme."""
    host = url.partition("://")[2].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if "@" in host:
        return " (it has a user name or password before the host, which can make it look like another site)"
    if not host.isascii():
        return " (its host name is not ASCII: letters that look alike can pose as another site; use the xn-- form)"
    if any(char.isspace() for char in url):
        return " (it contains a space or line break)"
    return ""


def _check_lineage(models: list[dict[str, Any]], documents: dict[str, Document]) -> Iterable[DataError]:
    """`based_on` names other models (not itself), and lineage never goes in a circle."""
    ids = {model["id"] for model in models}
    circles = _circles({model["id"]: [p for p in model.get("based_on", []) if p in ids] for model in models})
    for model in models:
        for index, parent in enumerate(model.get("based_on", [])):
            if parent == model["id"]:
                problem = "a model cannot be based on itself"
            elif parent not in ids:
                problem = f"'{parent}' is not the id of a model in data/models"
            elif circles.get(parent) is not None and circles.get(parent) is circles.get(model["id"]):
                problem = (f"'{parent}' is itself based on this model, directly or through others (the circle: "
                           f"{', '.join(circles[parent])}); lineage cannot go in a circle")
            else:
                continue
            line, column = documents[model["_file"]].locate(["based_on", index])
            yield DataError(model["_file"], line, column, f"based_on[{index}]", problem)


def _circles(parents: dict[str, list[str]]) -> dict[str, list[str]]:
    """For each model on a circle of `based_on` links, the (sorted) models of its circle: the strongly
    connected components of more than one model (Tarjan's algorithm, iterative, linear)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: dict[str, list[str]] = {}
    for start in parents:
        if start in order:
            continue
        work = [(start, iter(parents[start]))]
        order[start] = low[start] = len(order)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == order[node]:
                    members = [stack.pop()]
                    while members[-1] != node:
                        members.append(stack.pop())
                    on_stack.difference_update(members)
                    if len(members) > 1:
                        circle = sorted(members)
                        circles.update((member, circle) for member in members)
            elif child not in order:
                order[child] = low[child] = len(order)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(parents[child])))
            elif child in on_stack:
                low[node] = min(low[node], order[child])
    return circles
