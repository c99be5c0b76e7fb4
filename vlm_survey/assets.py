"""The site's own style sheets and scripts (overrides/assets/), one style sheet and one script per page:
each source file minified, then joined in a fixed order into a bundle in the built site.

Every first visit fetches them. Their comments, which explain them in the repository, are a third of their
gzipped size; one file per kind saves a request per source and compresses better than the sources apart.
rjsmin and rcssmin (one author; the minifiers of webassets and django-compressor) remove comments and
spaces only and rename nothing, so a script reads the same in the browser's debugger.

`mkdocs.yml` lists the bundles (`extra_css`, `extra_javascript`); the engine also copies the sources,
which are removed from the built site. A source file not in a bundle is an error, not left out silently.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import rcssmin
import rjsmin

SOURCES = Path("overrides") / "assets"
# bundle: its sources, in the order they run (style sheets: the later rule wins; print's rules come last)
BUNDLES: dict[str, tuple[str, ...]] = {
    "stylesheets/site.css": ("stylesheets/extra.css", "stylesheets/home.css", "stylesheets/chrome.css",
                             "stylesheets/lecturer.css", "stylesheets/print.css"),
    "javascripts/site.js": ("javascripts/tables.js", "javascripts/extra.js", "javascripts/exports.js",
                            "javascripts/figures.js", "javascripts/chrome.js", "javascripts/lecturer.js"),
}
MINIFIERS: dict[str, Callable[[str], str]] = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}
JOINERS = {".js": ";\n", ".css": "\n"}  # a script's last statement may lack its semicolon


class AssetError(ValueError):
    """A source file that no bundle lists, or a bundle source that does not exist."""


def check(project: Path) -> None:
    """Every script and style sheet under overrides/assets/ is in exactly one bundle, and each exists."""
    source = project / SOURCES
    listed = [name for names in BUNDLES.values() for name in names]
    present = {path.relative_to(source).as_posix() for path in source.rglob("*") if path.suffix in MINIFIERS}
    missing = sorted(set(listed) - present)
    unlisted = sorted(present - set(listed))
    if missing or unlisted or len(listed) != len(set(listed)):
        raise AssetError(f"{SOURCES}: vlm_survey/assets.py BUNDLES lists {missing or 'no'} missing file(s) and "
                         f"leaves out {unlisted or 'none'}; every .js and .css there belongs to one bundle")


def bundle(project: Path, built: Path) -> None:
    """Write each bundle into one language's built site from the sources; remove the copied sources."""
    check(project)
    for name, sources in BUNDLES.items():
        suffix = Path(name).suffix
        text = JOINERS[suffix].join(MINIFIERS[suffix]((project / SOURCES / part).read_text(encoding="utf-8"))
                                    for part in sources)
        target = built / "assets" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        # a new file, not the old one rewritten: the built site may share files with a staging copy (hard link)
        fresh = target.with_name(target.name + ".new")
        fresh.write_text(text + "\n", encoding="utf-8")
        os.replace(fresh, target)
        for part in sources:
            (built / "assets" / part).unlink(missing_ok=True)
