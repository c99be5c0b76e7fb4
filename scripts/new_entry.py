"""Start a new entry from its arXiv paper: title, authors, year and paper link filled in, the rest to write.

    python scripts/new_entry.py model 2304.08485 [--id llava]       # make new-model ARXIV=2304.08485
    python scripts/new_entry.py benchmark 2306.13394 [--id mme]    # make new-benchmark ARXIV=2306.13394

The paper's metadata comes from arXiv's API (Atom XML), fetched once, now; `--from-file` reads a saved
response instead (the tests do, and so can anyone offline). The new file is the collection's template
with id, year, title, authors and paper (and the name, when the title starts with one, as in
"LLaVA-NeXT: ...") filled in and every other value emptied: the entry is not valid until the
contributor fills in those fields or deletes the optional ones, and `make check-data` says which are
left. An existing entry is never overwritten.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml
from jsonschema import Draft202012Validator

from vlm_survey.yaml_source import printable

ROOT = Path(__file__).resolve().parent.parent

API = "https://export.arxiv.org/api/query?id_list="
ATOM = "{http://www.w3.org/2005/Atom}"
MAX_RESPONSE = 1024 * 1024
ARXIV_ID = re.compile(r"(?:[0-9]{4}\.[0-9]{4,5}|[a-z-]+(?:\.[A-Z]{2})?/[0-9]{7})(?:v[0-9]+)?")
COLLECTIONS = {"model": "models", "benchmark": "benchmarks"}
SCHEMAS = {"models": "model.schema.json", "benchmarks": "benchmark.schema.json"}
TOP_KEY = re.compile(r"^([a-z_]+):")
NESTED_KEY = re.compile(r"^(\s*(?:-\s+)?[A-Za-z_]+:)\s.*$")
LIST_ITEM = re.compile(r"^(\s*-)\s+\S.*$")


class EntryError(Exception):
    """A problem the contributor can act on; the message says what to do."""


@dataclass(frozen=True)
class Paper:
    """What arXiv says about one paper."""

    arxiv_id: str
    title: str
    authors: list[str]
    year: int


def fetch(arxiv_id: str) -> bytes:
    """arXiv's Atom answer for one paper (the only network access of this tool)."""
    try:
        with urllib.request.urlopen(API + urllib.parse.quote(arxiv_id, safe="/"), timeout=30) as response:
            return response.read(MAX_RESPONSE + 1)
    except (urllib.error.URLError, TimeoutError) as exc:
        raise EntryError(f"could not reach arXiv ({exc}); check the connection, or save {API}{arxiv_id} "
                         "and pass the file with --from-file") from None


def parse_atom(data: bytes, arxiv_id: str) -> Paper:
    """The paper in an Atom response; a DOCTYPE or ENTITY is refused before any parsing."""
    if len(data) > MAX_RESPONSE:
        raise EntryError(f"the arXiv response is larger than {MAX_RESPONSE:,} bytes; expected one short Atom feed")
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", data, re.IGNORECASE):
        raise EntryError("the arXiv response declares a DOCTYPE or ENTITY; refused (arXiv's Atom has none)")
    try:
        feed = ET.fromstring(data)
    except ET.ParseError as exc:
        raise EntryError(f"the arXiv response is not XML ({exc})") from None
    entry = feed.find(f"{ATOM}entry")
    if entry is None:
        raise EntryError(f"arXiv has no paper {arxiv_id}; check the number")
    found = _text(entry, "id")
    if "/api/errors" in found:
        raise EntryError(f"arXiv refused the request: {_text(entry, 'summary')}")
    if _unversioned(found.rsplit("/abs/", 1)[-1]) != _unversioned(arxiv_id):
        raise EntryError(f"arXiv answered with {found} instead of {arxiv_id}")
    published = _text(entry, "published")
    if not re.match(r"[0-9]{4}-", published):
        raise EntryError(f"the arXiv entry has no publication date (published: {published!r})")
    authors = [" ".join((author.findtext(f"{ATOM}name") or "").split()) for author in entry.findall(f"{ATOM}author")]
    return Paper(arxiv_id, _text(entry, "title"), [name for name in authors if name], int(published[:4]))


def _text(element: ET.Element, tag: str) -> str:
    """The whitespace-folded text of a child (arXiv wraps long titles over several lines)."""
    return " ".join((element.findtext(f"{ATOM}{tag}") or "").split())


def _unversioned(arxiv_id: str) -> str:
    return re.sub(r"v[0-9]+$", "", arxiv_id)


def name_from_title(title: str) -> str | None:
    """The model's or benchmark's name when the title starts with one ("MME: A Comprehensive ..."), else None."""
    match = re.match(r"([^:]{1,40}):\s", title)
    return match.group(1).strip() if match and len(match.group(1).split()) <= 3 else None


def default_id(paper: Paper) -> str:
    """An id from the name in the title, or else from the arXiv number (arxiv-2304-08485)."""
    slug = re.sub(r"[^a-z0-9]+", "-", (name_from_title(paper.title) or "").lower()).strip("-")
    return slug or "arxiv-" + re.sub(r"[^a-z0-9]+", "-", paper.arxiv_id.lower()).strip("-")


def filled_values(collection: str, paper: Paper, entry_id: str) -> dict[str, Any]:
    """The fields arXiv answers, in the template's names."""
    link = f"https://arxiv.org/abs/{paper.arxiv_id}"
    values: dict[str, Any] = {"id": entry_id, "year": paper.year,
                              **({"paper": link} if collection == "models" else {"papers": [link]})}
    if paper.title:
        values["title"] = paper.title
    if paper.authors:
        values["authors"] = paper.authors
    name = name_from_title(paper.title)
    if name:
        values["name"] = name
    return values


def prefill(template: str, values: dict[str, Any], arxiv_id: str) -> str:
    """The template with `values` written in (yaml.safe_dump) and every other value emptied, comments kept."""
    header, _, body = template.partition("\n\n")
    out = [header.split("\n", 1)[0],
           f"# Pre-filled from arXiv {arxiv_id} by scripts/new_entry.py. Fill in every empty value (the comment",
           "# above each field says what it takes), delete the optional fields that do not apply, then run",
           "# make check-data. Quote text YAML would read as a number, date or boolean (e.g. \"0.5\", \"yes\").", ""]
    field = None
    for line in body.split("\n"):
        key = TOP_KEY.match(line)
        if key:
            field = key.group(1)
            if field in values:
                out.append(yaml.safe_dump({field: values[field]}, allow_unicode=True, sort_keys=False,
                                          width=4096).rstrip("\n"))
                continue
        if line.startswith("#") or not line.strip():
            out.append(line)
        elif field not in values:
            blank = NESTED_KEY.match(line) or LIST_ITEM.match(line)
            if not (blank and blank.group(1) == out[-1]):  # one empty item stands for the template's several
                out.append(blank.group(1) if blank else line)
    return "\n".join(out)


def remaining(schema: dict[str, Any], values: dict[str, Any], template: str) -> tuple[list[str], list[str]]:
    """The template's fields left to the contributor: (required, optional)."""
    required = set(schema["required"]) | {name for rule in schema.get("allOf", [])
                                          for name in rule.get("then", {}).get("required", [])}
    fields = [key.group(1) for line in template.split("\n") if (key := TOP_KEY.match(line))]
    left = [name for name in fields if name not in values]
    return [name for name in left if name in required], [name for name in left if name not in required]


def new_entry(root: Path, kind: str, arxiv_id: str, entry_id: str | None,
              get: Callable[[str], bytes] = fetch) -> tuple[Path, list[str], list[str]]:
    """Write data/<collection>/<id>.yaml from the paper; return it with the (required, optional) fields left."""
    if not ARXIV_ID.fullmatch(arxiv_id):
        raise EntryError(f"{printable(arxiv_id)!r} is not an arXiv number; expected e.g. 2304.08485 or "
                         "hep-th/9901001 (optionally with a version, v2)")
    collection = COLLECTIONS[kind]
    schema = json.loads((root / "data" / "schema" / SCHEMAS[collection]).read_text(encoding="utf-8"))
    paper = parse_atom(get(arxiv_id), arxiv_id)
    entry_id = entry_id or default_id(paper)
    id_rule = schema["$defs"]["id"]
    if not Draft202012Validator(id_rule).is_valid(entry_id):
        raise EntryError(f"{printable(entry_id)!r} is not a valid id; expected {id_rule['description']}")
    for other in COLLECTIONS.values():
        existing = root / "data" / other / f"{entry_id}.yaml"
        if existing.exists() or existing.is_symlink():
            raise EntryError(f"data/{other}/{entry_id}.yaml already exists; pick another id with ID=<id>")
    template = (root / "data" / collection / "_template.yaml").read_text(encoding="utf-8")
    values = filled_values(collection, paper, entry_id)
    target = root / "data" / collection / f"{entry_id}.yaml"
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(prefill(template, values, arxiv_id))
    return (target, *remaining(schema, values, template))


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("kind", choices=sorted(COLLECTIONS), help="model or benchmark")
    parser.add_argument("arxiv_id", help="the paper's arXiv number, e.g. 2304.08485")
    parser.add_argument("--id", dest="entry_id", help="the entry's id (default: from the title or the number)")
    parser.add_argument("--from-file", type=Path, help="a saved arXiv API response instead of asking arXiv")
    args = parser.parse_args(argv)
    get = (lambda _id: args.from_file.read_bytes()) if args.from_file else fetch
    try:
        path, required, optional = new_entry(root, args.kind, args.arxiv_id, args.entry_id, get)
    except (EntryError, OSError) as exc:
        print(f"new {args.kind}: {exc}", file=sys.stderr)
        return 1
    print(path.relative_to(root).as_posix())
    print(f"Filled from arXiv {args.arxiv_id}: title, authors, year, paper link"
          f"{' and name' if 'name' not in required else ''}.")
    print(f"Still to write (required): {', '.join(required)}")
    print(f"Fill in or delete (optional): {', '.join(optional)}")
    print("The entry is not valid until then: `make check-data` lists what is left.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
