"""Each language's engine config: the shared mkdocs.yml plus that language's part of languages.yml.

The written config starts with `INHERIT:` the shared file, so everything language-neutral (theme, Markdown
extensions, navigation) is said once; MkDocs and Zensical both read it. INHERIT replaces lists instead of
merging them, so the lists that differ per language (palette, plugins, extra.alternate) are written whole,
from the shared file's own lists.
"""

from __future__ import annotations

import copy
import functools
import json
import posixpath
import re
from pathlib import Path
from typing import Any, Sequence

import yaml

from vlm_survey.languages import Language

try:  # libyaml reads and writes the same YAML several times faster
    from yaml import CSafeDumper as SafeDumper, CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper, SafeLoader  # type: ignore[assignment]

SHARED_CONFIG = "mkdocs.yml"
ENTRY_FOLDERS = ("models", "benchmarks")  # generated pages, reached from tables, figures and search


class _SharedLoader(SafeLoader):
    """Reads mkdocs.yml for its plain values; `!!python/...` tags (slugify, fence formats) read as None."""


_SharedLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


# The first line of a page's Markdown when it is an `# ` heading, with the attribute list and closing hashes
# that Python-Markdown (and its attr_list extension) take off the heading's text.
_HEADING = re.compile(r"#(?!#)[ \t]*(?P<text>.*?)(?: +\{:? *[^}\n ][^}\n]* *\})?[ \t]*#*[ \t]*")
# Characters that Markdown or an extension of the shared config could turn into something else in a heading
# (emphasis, code, links, HTML and entities, attribute lists, math, footnotes, closing hashes), and their kin.
_MARKUP = re.compile(r"[\\`*_\[\]<>&{}!|~^$#=]")


def shared(project: Path) -> dict[str, Any]:
    """The shared config's values (tags left out: this module never writes them back). Read-only: the same
    mapping is returned while the file stays the same."""
    return _parsed((project / SHARED_CONFIG).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=4)
def _parsed(text: str) -> dict[str, Any]:
    return yaml.load(text, Loader=_SharedLoader)


def nav_title(body: str, meta: dict[str, Any]) -> str | None:
    """The title MkDocs gives a page (`body` and `meta`: its Markdown and front matter, as MkDocs splits them),
    when staging can tell it for sure: the text of an `# ` heading that opens the page and holds plain text
    only. None when it cannot (MkDocs then renders the heading to find it)."""
    if "title" in meta:  # MkDocs takes it before the heading
        return None
    first = next((line for line in body.split("\n") if line.strip()), "")
    match = _HEADING.fullmatch(first)
    if not match or _MARKUP.search(match["text"]):
        return None
    return " ".join(match["text"].split()) or None


def nav_pages(nav: Any) -> list[str]:
    """Every page the shared `nav` lists (paths under docs/), in order."""
    if isinstance(nav, list):
        return [page for item in nav for page in nav_pages(item)]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in nav_pages(value)]
    return [nav] if isinstance(nav, str) and not nav.startswith(("http://", "https://")) else []


def titled_nav(nav: Any, titles: dict[str, str]) -> Any:
    """The shared `nav` with each page that has a known title written as `{title: page}`: then the engine
    knows every title of the navigation without reading the pages (a dirty build reads only the changed ones)."""
    if isinstance(nav, list):
        return [titled_nav(item, titles) for item in nav]
    if isinstance(nav, dict):
        return {key: titled_nav(value, titles) for key, value in nav.items()}
    return {titles[nav]: nav} if isinstance(nav, str) and nav in titles else nav


def alternate(language: Language, languages: Sequence[Language]) -> list[dict[str, str]]:
    """The language menu: each language's root, relative to `language`'s root."""
    here = language.subdir or "."
    return [{"name": other.name, "lang": other.code,
             "link": _folder(posixpath.relpath(other.subdir or ".", here))} for other in languages]


def _folder(path: str) -> str:
    return "./" if path == "." else path + "/"


def language_url(site_url: str, language: Language) -> str:
    """The absolute address of the language's root."""
    return site_url + (language.subdir + "/" if language.subdir else "")


def engine_config(project: Path, language: Language, languages: Sequence[Language], site_dir: Path,
                  titles: dict[str, str]) -> dict[str, Any]:
    """The config of one language's build, to be written into its staging folder (next to docs/).

    `titles` are the pages' titles (`nav_title`) written into the navigation. `extra.vlm` tells the site's
    macros (vlm_survey/macros.py) that the pages were staged, and where.
    """
    base = shared(project)
    palette = copy.deepcopy(base["theme"]["palette"])
    for scheme, name in zip(palette, (language.labels["dark_mode"], language.labels["light_mode"])):
        scheme["toggle"]["name"] = name
    plugins = []
    for plugin in base["plugins"]:
        name, options = next(iter(plugin.items())) if isinstance(plugin, dict) else (plugin, {})
        if name == "search":
            options = {**(options or {}), **language.search}
        plugins.append({name: options})
    return {
        "INHERIT": str((project / SHARED_CONFIG).resolve()),
        "site_name": language.site_name,
        "site_description": language.site_description,
        "site_url": language_url(base["site_url"], language),
        "copyright": language.copyright,
        "edit_uri": f"{base['edit_uri']}docs/{language.code}/",
        "docs_dir": "docs",
        "site_dir": str(site_dir),
        "nav": titled_nav(base["nav"], titles),
        "not_in_nav": "\n".join(f"/{folder}/" for folder in ENTRY_FOLDERS),
        "theme": {"language": language.code, "custom_dir": str((project / base["theme"]["custom_dir"]).resolve()),
                  "palette": palette},
        "plugins": plugins,
        "extra": {
            "alternate": alternate(language, languages),
            "vlm": {"text": language.text, "collation": language.collation, "labels": language.labels["table"],
                    "site_name": language.site_name, "copy": language.labels.get("copy")},
        },
    }


def config_text(config: dict[str, Any]) -> str:
    """The config as YAML, with a first line saying where it comes from."""
    return _config_text(json.dumps(config, ensure_ascii=False))


@functools.lru_cache(maxsize=8)
def _config_text(config: str) -> str:
    header = "# Written by the build (vlm_survey/engine_config.py) from mkdocs.yml and languages.yml: edit those.\n"
    return header + yaml.dump(json.loads(config), Dumper=SafeDumper, allow_unicode=True, sort_keys=False, width=120)


def flat_config(config_file: Path, overrides: dict[str, Any], extensions: Sequence[str] = ()) -> str:
    """`config_file` with its INHERIT chain resolved as MkDocs does it (mappings merge, everything else,
    lists included, is replaced by the child's), `overrides` merged in and `extensions` added to the
    Markdown extensions; YAML tags (`!!python/...`) are kept as written: the nodes are never constructed."""
    def load(path: Path) -> yaml.MappingNode:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        if not isinstance(node, yaml.MappingNode):
            raise ValueError(f"{path}: not a YAML mapping")
        parents = [value for key, value in node.value if key.value == "INHERIT"]
        node.value = [(key, value) for key, value in node.value if key.value != "INHERIT"]
        return _merge(load(path.parent / parents[0].value), node) if parents else node

    override = yaml.compose(yaml.safe_dump(overrides), Loader=yaml.SafeLoader)
    config = _merge(load(config_file), override)
    for key, value in config.value:
        if key.value == "markdown_extensions":
            value.value += yaml.compose(yaml.safe_dump(list(extensions)), Loader=yaml.SafeLoader).value
    header = f"# Written by the build (vlm_survey/engine_config.py) for Zensical from {config_file.name}, INHERIT resolved.\n"
    return header + yaml.serialize(config, allow_unicode=True, width=120)


def _merge(parent: yaml.Node, child: yaml.Node) -> yaml.Node:
    if not (isinstance(parent, yaml.MappingNode) and isinstance(child, yaml.MappingNode)):
        return child
    merged = list(parent.value)
    where = {key.value: index for index, (key, _) in enumerate(merged)}
    for key, value in child.value:
        if key.value in where:
            merged[where[key.value]] = (key, _merge(merged[where[key.value]][1], value))
        else:
            where[key.value] = len(merged)
            merged.append((key, value))
    return yaml.MappingNode(parent.tag, merged)
