"""Load and validate every data file once, reporting all problems together.

`load_catalog(root)` reads `data/models/*.yaml`, `data/benchmarks/*.yaml` and
`data/glossary.yaml`, validates them against the JSON Schemas in `data/schema/`, checks
what a schema cannot (id equals file name, ids unique, `based_on` points to a model) and
returns a `Catalog`. Any problem raises `DataErrors` with one `file:line:col: field: message`
line per problem.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG
from typing import Any, Iterable

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from macros.yaml_source import MAX_BYTES, WHOLE_FILE, DataError, DataErrors, Document, read_document

COLLECTIONS = ("models", "benchmarks")
# Fields whose text in `_template.yaml` is an example that no real entry may keep unchanged.
EXAMPLE_FIELDS = ("name", "paper", "papers", "project", "summary", "connector_detail", "note", "corrections")
SCHEMA_FILES = {"models": "model.schema.json", "benchmarks": "benchmark.schema.json",
                "glossary": "glossary.schema.json"}


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


def _validator(schema_path: Path) -> Validator:
    return _compiled(schema_path.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _compiled(schema_text: str) -> Validator:
    """Keyed by the schema's text, so that a schema edited while serving takes effect."""
    schema = json.loads(schema_text)
    Draft202012Validator.check_schema(schema)
    return Validator(schema)


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
    """A digest of every file under data/: names and contents (size and time for an oversized file)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(data_dir.rglob("*")):
        try:
            info = path.stat()
            if not S_ISREG(info.st_mode):
                continue
            content = path.read_bytes() if info.st_size <= MAX_BYTES else f"{info.st_size}:{info.st_mtime_ns}".encode()
        except OSError as exc:  # the loader reports the file in its own words
            content = repr(exc).encode()
        digest.update(path.relative_to(data_dir).as_posix().encode() + b"\0" + content + b"\0")
    return digest.hexdigest()


def _read_catalog(root: Path) -> Catalog:
    """Read and validate every data file, without the cache."""
    data_dir = root / "data"
    errors: list[DataError] = []
    loaded: dict[str, list[dict[str, Any]]] = {}
    documents: dict[str, Document] = {}
    for collection in COLLECTIONS:
        validator = _validator(data_dir / "schema" / SCHEMA_FILES[collection])
        loaded[collection] = _load_collection(root, data_dir / collection, validator, errors, documents)
    glossary_validator = _validator(data_dir / "schema" / SCHEMA_FILES["glossary"])
    glossary = _load_single(root, data_dir / "glossary.yaml", glossary_validator, errors)
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


def _display(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _load_collection(root: Path, folder: Path, validator: Validator,
                     errors: list[DataError], documents: dict[str, Document]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    first_file_of_id: dict[str, str] = {}
    if not folder.is_dir():
        errors.append(DataError(_display(root, folder), 1, 1, WHOLE_FILE, "folder is missing"))
        return entries
    examples = _template_examples(folder / "_template.yaml")
    for path in sorted(folder.iterdir()):
        display = _display(root, path)
        if path.name.startswith((".", "_")) or path.is_dir():
            continue
        if path.suffix != ".yaml":
            errors.append(DataError(display, 1, 1, WHOLE_FILE, "unexpected file; data files end in .yaml"))
            continue
        document = _read(path, display, errors)
        if document is None:
            continue
        problems = list(_schema_errors(document, validator))
        entry = document.data
        entry_id = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(entry_id, str):
            line, column = document.locate(["id"])
            if entry_id != path.stem:
                problems.append(DataError(display, line, column, "id",
                                          f"'{entry_id}' must equal the file name '{path.stem}'"))
            if entry_id in first_file_of_id:
                problems.append(DataError(display, line, column, "id",
                                          f"duplicate id '{entry_id}' (also in {first_file_of_id[entry_id]})"))
            first_file_of_id.setdefault(entry_id, display)
        problems += _unchanged_examples(document, examples)
        if problems:
            errors.extend(problems)
        else:
            documents[display] = document
            entries.append({**entry, "_file": display})
    return entries


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
        document = read_document(path, path.name) if path.is_file() else None
    except DataErrors:
        return set()
    return {text for _, text in _example_texts(document.data)} if document else set()


def _unchanged_examples(document: Document, examples: set[str]) -> Iterable[DataError]:
    """A value copied from the template and never replaced would reach readers as if it were real."""
    for path, text in _example_texts(document.data):
        if text in examples:
            line, column = document.locate(path)
            yield DataError(document.path, line, column, _field_name(path),
                            "still the example text of _template.yaml; replace it with this entry's own")


def _load_single(root: Path, path: Path, validator: Validator,
                 errors: list[DataError]) -> dict[str, Any] | None:
    display = _display(root, path)
    if not path.is_file():
        errors.append(DataError(display, 1, 1, WHOLE_FILE, "file is missing"))
        return None
    document = _read(path, display, errors)
    if document is None:
        return None
    problems = list(_schema_errors(document, validator))
    terms = document.data.get("terms", []) if isinstance(document.data, dict) else []
    seen: set[str] = set()
    for index, term in enumerate(terms if isinstance(terms, list) else []):
        term_id = term.get("id") if isinstance(term, dict) else None
        if isinstance(term_id, str) and term_id in seen:
            line, column = document.locate(["terms", index, "id"])
            problems.append(DataError(display, line, column, f"terms[{index}].id", f"duplicate id '{term_id}'"))
        if isinstance(term_id, str):
            seen.add(term_id)
    errors.extend(problems)
    return None if problems else document.data


def _read(path: Path, display: str, errors: list[DataError]) -> Document | None:
    try:
        document = read_document(path, display)
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
        "pattern": lambda: _pattern_message(value, rule),
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


def _pattern_message(value: Any, rule: str) -> str:
    if rule.startswith("^https?"):
        return f"{_shown(value)} is not a valid URL; expected an address starting with http:// or https://"
    if rule.startswith("^[a-z0-9]"):
        return f"{_shown(value)} is not a valid id; expected lower-case letters, digits and single hyphens"
    return f"{_shown(value)} does not match the expected pattern {rule}"


def _check_lineage(models: list[dict[str, Any]], documents: dict[str, Document]) -> Iterable[DataError]:
    ids = {model["id"] for model in models}
    for model in models:
        for index, parent in enumerate(model.get("based_on", [])):
            problem = ("a model cannot be based on itself" if parent == model["id"]
                       else None if parent in ids else f"'{parent}' is not the id of a model in data/models")
            if problem:
                line, column = documents[model["_file"]].locate(["based_on", index])
                yield DataError(model["_file"], line, column, f"based_on[{index}]", problem)
