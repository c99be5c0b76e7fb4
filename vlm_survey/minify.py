"""The site's own scripts and style sheet (overrides/assets/), minified in the built site: every first visit
fetches them, and their comments, which explain them in the repository, are a third of their gzipped size.

rjsmin and rcssmin (one author, the minifiers of webassets and django-compressor) remove comments and
spaces only; they rename nothing, so a script reads the same in the browser's debugger.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import rcssmin
import rjsmin

ASSETS = Path("overrides") / "assets"
MINIFIERS: dict[str, Callable[[str], str]] = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}


def minify(project: Path, built: Path) -> None:
    """Rewrite, in one language's built site, each script and style sheet that overrides/assets/ provides."""
    source = project / ASSETS
    for path in sorted(source.rglob("*")):
        minifier = MINIFIERS.get(path.suffix)
        target = built / "assets" / path.relative_to(source)
        if minifier is None or not target.is_file():
            continue
        text = minifier(target.read_text(encoding="utf-8"))
        # a new file, not the old one rewritten: the built site may share it with a staging copy (hard link)
        fresh = target.with_name(target.name + ".min")
        fresh.write_text(text, encoding="utf-8")
        os.replace(fresh, target)
