"""What every chapter gets besides its own text: a banner when its translation is behind, and a
"cite this page" block. Pure functions on the page's Markdown (after macros have run)."""

from __future__ import annotations

import posixpath
import re
from functools import partial
from typing import Any, Sequence

from markupsafe import Markup

from vlm_survey.citation import cite_block
from vlm_survey.entry_pages import relative_href
from vlm_survey.freshness import Status
from vlm_survey.i18n import t
from vlm_survey.render import render


def language_href(page_url: str, alternate: Sequence[dict[str, str]], code: str) -> str:
    """Link from the page at `page_url` to the root of language `code`.

    `alternate` is the config's `extra.alternate`, whose links are relative to this build's root.
    """
    link = next(a["link"] for a in alternate if a["lang"] == code)
    joined = posixpath.normpath(posixpath.join(relative_href(page_url, ""), link))
    return "./" if joined == "." else joined + "/"


def page_title(markdown: str, fallback: str) -> str:
    """The text of the page's `# ` heading (without an attribute list), else `fallback`."""
    match = re.search(r"^# +(.+?)(?:\s*\{[^}]*\})?\s*$", markdown, flags=re.MULTILINE)
    return match.group(1) if match else fallback


def banner(status: Status, lang: str, counterpart_href: str) -> Markup:
    """A small warning that the other language's page changed since this one was last synced."""
    since = t(lang, "translation.commits", count=len(status.commits)) if status.commits else ""
    return render("banner.html", t=partial(t, lang), other=t(lang, f"lang.{status.other}"), code=status.other,
                  revision=status.revision, since=since, href=counterpart_href)


def decorate(markdown: str, *, lang: str, src_uri: str, site_url: str, site_name: str,
             alternate: Sequence[dict[str, str]], cff: dict[str, Any], status: Status | None) -> str:
    """The chapter's Markdown with the banner under its title (when behind) and the cite block at the end.

    What is added holds no template syntax (vlm_survey.render writes braces as character references): a
    chapter that opts in to macros is a template, and the cite block quotes BibTeX.
    """
    url = page_url(src_uri)
    key = posixpath.splitext(src_uri)[0]
    title = page_title(markdown, posixpath.basename(key))
    cite = cite_block(cff, lang, key.replace("/", "-"), title, site_name, site_url + url,
                      relative_href(url, "references/#cite-the-survey"))
    if status is not None and status.state == "behind":
        notice = banner(status, lang, language_href(url, alternate, status.other) + url)
        lines = markdown.split("\n")
        at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
        markdown = "\n".join(lines[:at] + ["", notice, ""] + lines[at:])
    return f"{markdown}\n\n{cite}\n"


def page_url(src_uri: str) -> str:
    """The page's address relative to its language's root (directory URLs): vit.md -> vit/, index.md -> ''."""
    stem = posixpath.splitext(src_uri)[0]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")].rstrip("/")
    return stem + "/" if stem else ""
