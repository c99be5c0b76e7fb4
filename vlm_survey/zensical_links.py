"""A Markdown extension for Zensical builds only: relative URLs in raw HTML keep MkDocs' meaning.

The site writes every generated link (tables, figures, entry pages, cite blocks, banners) as raw HTML,
relative to the page's URL (`vit/` for vit.md): that is what MkDocs leaves in the page. Zensical (0.0.73)
rewrites every relative `href`, `src` and `srcset` of a page as if it were relative to the page's source
file, as Markdown links are: on a page that is not an index page it puts `../` in front of each, so
`../references/` written on vit.md ends up at `../../references/`. Before the raw HTML goes back into
the page, this extension rebases its relative URLs from the page's URL folder to its source folder,
which Zensical's rewrite then turns back into what was written. Markdown links (`[x](vit.md)`) are not
raw HTML and are left alone: both engines resolve them from the source file.

Loaded by the config that `vlm_survey.build._zensical` writes; MkDocs never loads it.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

# A start tag and its attributes (comments, and the bodies of <script> and <style>, are left as they are).
TAG = re.compile(r"""<!--.*?-->|<(script|style)\b([^>]*)>.*?</\1\s*>"""
                 r"""|<[a-zA-Z][\w:-]*((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*/?>""",
                 re.S | re.I)
ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
URL_ATTRIBUTES = {"href", "src", "srcset"}  # what Zensical rewrites, on any element
NOT_RELATIVE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\?|$)")  # scheme:, /root, //host, #, ?, empty


def rebase(url: str, page_folder: str, source_folder: str) -> str:
    """`url`, relative to the folder `page_folder`, made relative to `source_folder` (both relative to
    the docs root, '' for the root itself)."""
    if NOT_RELATIVE.match(url):
        return url
    end = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    path, rest = url[:end], url[end:]
    target = posixpath.normpath(posixpath.join(page_folder or ".", path or "."))
    moved = posixpath.relpath(target, source_folder or ".")
    if path.endswith("/") or path in ("", ".", ".."):
        moved = "./" if moved == "." else moved + "/"
    return moved + rest


def rebase_html(html: str, page_folder: str, source_folder: str) -> str:
    """Every relative href, src and srcset in the tags of `html`, rebased (see `rebase`)."""
    def value(name: str, url: str) -> str:
        if name != "srcset":
            return rebase(url, page_folder, source_folder)
        return ", ".join(" ".join([rebase(part.split()[0], page_folder, source_folder), *part.split()[1:]])
                         for part in url.split(",") if part.strip())

    def attributes(text: str) -> str:
        out, at = [], 0
        for match in ATTRIBUTE.finditer(text):  # in order, so a quoted value is never read as attributes
            group = next((g for g in (2, 3, 4) if match.group(g) is not None), None)
            name = match.group(1).lower()
            if group is None or name not in URL_ATTRIBUTES:
                continue
            out += [text[at:match.start(group)], value(name, match.group(group))]
            at = match.end(group)
        return "".join(out) + text[at:]

    def tag(match: re.Match[str]) -> str:
        whole = match.group(0)
        group = 2 if match.group(1) else 3  # <script>/<style>: the start tag's attributes, never the body
        if whole.startswith("<!--") or match.group(group) is None:
            return whole
        start, end = match.start(group) - match.start(0), match.end(group) - match.start(0)
        return whole[:start] + attributes(whole[start:end]) + whole[end:]

    return TAG.sub(tag, html)


class RebaseRawHtml(Postprocessor):
    """Runs before the raw HTML is put back into the page (`raw_html`, priority 30).

    Postprocessors also run on pieces of a page (toc runs them on every heading), so each stashed
    block is rebased once: `done` counts the blocks of the stash `seen` already rebased (the stash only
    grows; resetting it makes a new list).
    """

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.seen: list[Any] | None = None
        self.done = 0

    def run(self, text: str) -> str:
        from zensical.extensions.context import ContextPreprocessor  # only ever loaded by Zensical

        context = ContextPreprocessor.from_markdown(self.md)
        if context is None:
            return text
        page_folder = context.page.url  # vit/ for vit.md, models/x/ for models/x.md, '' for index.md
        source_folder = posixpath.dirname(context.page.path)
        if page_folder.rstrip("/") == source_folder:  # an index page: both readings agree
            return text
        blocks = self.md.htmlStash.rawHtmlBlocks
        if blocks is not self.seen:  # a new document
            self.seen, self.done = blocks, 0
        for index in range(self.done, len(blocks)):
            if isinstance(blocks[index], str):
                blocks[index] = rebase_html(blocks[index], page_folder, source_folder)
        self.done = len(blocks)
        return text


class ZensicalLinksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.postprocessors.register(RebaseRawHtml(md), "vlm_rebase_raw_html", 35)


def makeExtension(**kwargs: Any) -> ZensicalLinksExtension:  # noqa: N802 - Python-Markdown's name
    return ZensicalLinksExtension(**kwargs)
