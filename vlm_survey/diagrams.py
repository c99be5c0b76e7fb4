"""Mermaid diagrams, written in the chapters, shown as the SVG committed beside them.

A chapter keeps each diagram as a ```mermaid fence whose first lines are `accTitle:` (the caption)
and `accDescr:` (the text alternative). `python -m vlm_survey diagrams` (vlm_survey.draw_diagrams)
draws every fence in Chromium with the vendored Mermaid into `docs/<lang>/diagrams/<page>-<n>.svg`
and records a fingerprint of the fence in the file. The build checks the fingerprints (`check`, a
page error naming the fence's line and the command to run) and, at staging, replaces each fence with
a numbered figure holding the SVG inline (`embed`), so readers load no diagram script.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from markupsafe import Markup

from vlm_survey.i18n import t
from vlm_survey.render import render
from vlm_survey.yaml_source import WHOLE_FILE, DataError, display_path

FOLDER = "diagrams"
COMMAND = "make diagrams"
MERMAID_VERSION = "12.3.0"  # package.json; a new Mermaid redraws every diagram
STYLE = "1"  # the drawing options of vlm_survey.draw_diagrams; change it when they change
FONT = 16  # px, Mermaid's text size
MIN_FONT = 11  # px: a figure is never shown smaller than this text size allows
FENCE = re.compile(r"^(?P<indent>[ \t]*)```mermaid[ \t]*\n(?P<body>.*?)^[ \t]*```[ \t]*$", re.MULTILINE | re.DOTALL)
FINGERPRINT = re.compile(r'data-vlm-source="([0-9a-f]{64})"')
SVG_OPEN = re.compile(r"<svg\b[^>]*>")
VIEWBOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')


@dataclass(frozen=True)
class Diagram:
    """One ```mermaid fence of a page: where it is, what it says, and where its SVG lives."""

    page: str  # the page's path under the language's docs folder, e.g. "vit.md"
    number: int  # 1-based, in the order of the page
    line: int  # the fence's first line in the page
    indent: str
    source: str
    caption: str
    description: str

    @property
    def name(self) -> str:
        """The SVG's path under the docs folder: diagrams/vit-2.svg."""
        stem = posixpath.splitext(self.page)[0].replace("/", "-")
        return f"{FOLDER}/{stem}-{self.number}.svg"

    @property
    def element_id(self) -> str:
        """The id of the drawn SVG (Mermaid scopes its styles and markers by it)."""
        return "diagram-" + posixpath.splitext(posixpath.basename(self.name))[0]

    @property
    def fingerprint(self) -> str:
        """What the SVG was drawn from: the fence, the Mermaid version and the drawing options."""
        return hashlib.sha256(f"{MERMAID_VERSION}\n{STYLE}\n{self.element_id}\n{self.source}".encode()).hexdigest()


def find(markdown: str, page: str) -> list[Diagram]:
    """Every ```mermaid fence of the page, in order."""
    diagrams = []
    for number, match in enumerate(FENCE.finditer(markdown), start=1):
        source = match["body"]
        fields = dict(re.findall(r"^[ \t]*(accTitle|accDescr)[ \t]*:[ \t]*(.*?)[ \t]*$", source, re.MULTILINE))
        diagrams.append(Diagram(page, number, markdown.count("\n", 0, match.start()) + 1, match["indent"], source,
                                fields.get("accTitle", ""), fields.get("accDescr", "")))
    return diagrams


def pages(docs: Path) -> Iterator[tuple[str, str]]:
    """(path under docs, Markdown) of every page of a language."""
    for path in sorted(docs.rglob("*.md")):
        yield path.relative_to(docs).as_posix(), path.read_text(encoding="utf-8")


def fingerprint_of(svg: str) -> str | None:
    """The fingerprint recorded in a drawn SVG, if any."""
    match = FINGERPRINT.search(svg)
    return match.group(1) if match else None


def state(docs: Path, diagram: Diagram) -> str:
    """"missing", "stale" (drawn from another version of its fence) or "drawn"."""
    svg = docs / diagram.name
    if not svg.is_file():
        return "missing"
    return "drawn" if fingerprint_of(svg.read_text(encoding="utf-8")) == diagram.fingerprint else "stale"


def every(docs: Path) -> list[Diagram]:
    """Every diagram of a language's pages."""
    return [diagram for page, markdown in pages(docs) for diagram in find(markdown, page)]


def leftovers(docs: Path, drawn: list[Diagram]) -> list[Path]:
    """Files in the language's diagrams folder that none of its diagrams (`drawn`, from `every`) draws."""
    names = {diagram.name for diagram in drawn}
    return [svg for svg in sorted((docs / FOLDER).glob("*")) if f"{FOLDER}/{svg.name}" not in names]


def check(root: Path, docs: Path) -> list[DataError]:
    """Problems of the language's diagrams: a fence without caption or text alternative, an SVG missing,
    drawn from another version of its fence, or left over from a fence that is gone."""
    errors, drawn = [], every(docs)
    for diagram in drawn:
        shown = display_path(root, docs / diagram.page)
        if diagram.indent:
            errors.append(DataError(shown, diagram.line, 1, "mermaid",
                                    "a diagram's fence must start at the beginning of its line"))
        for field, role in (("accTitle", "its caption"), ("accDescr", "its text alternative")):
            if not getattr(diagram, "caption" if field == "accTitle" else "description"):
                errors.append(DataError(shown, diagram.line, 1, "mermaid", f"the diagram needs an `{field}:` line ({role})"))
        problem = {"missing": f"{diagram.name} is not drawn yet",
                   "stale": f"the diagram changed since {diagram.name} was drawn"}.get(state(docs, diagram))
        if problem:
            errors.append(DataError(shown, diagram.line, 1, "mermaid", f"{problem}: run `{COMMAND}`"))
    errors += [DataError(display_path(root, svg), 1, 1, WHOLE_FILE,
                         f"no diagram of the pages draws this file: run `{COMMAND}` to remove it")
               for svg in leftovers(docs, drawn)]
    return errors


def inline_svg(svg: str) -> str:
    """The drawn SVG ready to sit in a page: its own colours (a style sheet for the standalone file) left
    to the site's style sheet, sized so that its text never shrinks below MIN_FONT, braces encoded."""
    svg = re.sub(r"<style>.*?</style>", "", svg, count=1, flags=re.DOTALL)
    width = float(VIEWBOX.search(svg).group(1))
    sized = f'style="max-width:100%;height:auto;min-width:{width * MIN_FONT / FONT:.0f}px"'
    svg = SVG_OPEN.sub(lambda m: re.sub(r'\sstyle="[^"]*"', "", m.group(0))[:-1] + f" {sized}>", svg, count=1)
    svg = re.sub(r"\s*\n\s*", " ", svg)  # one line: a blank line would end the HTML block in Markdown
    return svg.replace("{", "&#123;").replace("}", "&#125;")


def embed(markdown: str, *, docs: Path, page: str, lang: str, numbers: Iterator[str]) -> str:
    """The page with each fence replaced by its figure; `numbers` gives each figure's label (图 3-2)."""
    diagrams = iter(find(markdown, page))

    def figure(match: re.Match[str]) -> str:
        diagram = next(diagrams)
        svg = (docs / diagram.name).read_text(encoding="utf-8")
        href = posixpath.relpath(diagram.name, posixpath.dirname(page_path(page)) or ".")
        return render("diagram.html", id=diagram.element_id.replace("diagram-", "figure-", 1), svg=Markup(inline_svg(svg)),
                      number=next(numbers), caption=diagram.caption, href=href,
                      download=t(lang, "fig.download"), filename=posixpath.basename(diagram.name)).strip()

    return FENCE.sub(figure, markdown)


def page_path(page: str) -> str:
    """Where the page is served relative to its language's root, as a file path: vit.md -> vit/index.html."""
    stem = posixpath.splitext(page)[0]
    return f"{stem}.html" if stem == "index" or stem.endswith("/index") else f"{stem}/index.html"
