"""TeX in chapters, rendered to MathML at staging: no script and no font is downloaded to show a formula.

`$...$` is an inline formula and `$$...$$` a display one (its `$$` at the start of a line, its closing
`$$` at the end of one); neither counts inside a code span, a fenced code block or the front matter, and
`\\$` is a dollar sign. math-core converts the TeX to MathML Core, which Chromium, Firefox and Safari
draw natively. The TeX stays beside it, in an `<annotation>`, for assistive technologies and for the
search index; the drawn part is left out of the index (it would read as a jumble of letters), marked on
an `<mstyle>`: Material's search parser tells elements apart by tag name only, and math-core writes
no `<mstyle>` of its own.

What is written must come through both engines unchanged, and a chapter may be a template: every
character of the MathML's text is a numeric character reference, so no Markdown pattern, abbreviation
or template syntax (`{{`, `{%`, `{#`) can form inside a formula, and its tags hold no brace, nor a `|`
that would split a table's cell. A display formula is a `<span>` drawn as a block, on one line
(templates/formula.html), so it fits wherever a line does: in a list item, an admonition, under a
paragraph's text. A TeX error stops the build: FormulaErrors names the page, line and column, and the
formula.
"""

from __future__ import annotations

import functools
import html
import re

from markupsafe import Markup
from math_core import LatexError, LatexToMathML

from vlm_survey import render as templates
from vlm_survey.page_sources import PageErrors
from vlm_survey.yaml_source import DataError

FIELD = "formula"
CONVERTER = LatexToMathML(fancy_error=False)
TOKENS = re.compile(r"""
    (?P<front>\A---[ \t]*\n.*?\n---[ \t]*$)                                       # front matter
  | (?P<fence>^[ \t]*(?P<mark>`{3,}|~{3,}).*?(?:^[ \t]*(?P=mark)[`~]*[ \t]*$|\Z))  # fenced code, to its fence
  | (?P<code>(?P<ticks>`+)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`))           # a code span, in a paragraph
  | (?P<escape>\\[\\`$])                                                           # \\, \` and \$
  | ^(?P<indent>[ \t]*)\$\$(?P<display>.+?)\$\$[ \t]*$                             # $$ display $$
  | (?P<stray>\$\$(?:[^$\n]*\$\$)?)                                                 # $$ inside a line
  | \$(?!\s)(?P<inline>(?:\\.|(?!\n[ \t]*\n)[^\\$])+?)(?<!\s)\$(?!\d)            # $inline$, not "$5 or $6"
""", re.MULTILINE | re.DOTALL | re.VERBOSE)
STRAY = "a display formula's $$ must start a line, and its closing $$ end a line"
OFFSET = re.compile(r"(\d+): (.*)", re.DOTALL)  # math-core's message: "<offset in the TeX>: <what>"
TAG = re.compile(r"(<[^>]*>)")
IN_TAGS = str.maketrans({"{": "&#123;", "}": "&#125;", "|": "&#124;"})
# math-core 0.9 reads a row break with extra space (`\\[4pt]`) as a break followed by the text "[4pt]".
# MathML Core spaces a table's rows itself: the extra space is dropped, blanked out to keep the offsets.
ROW_SPACE = re.compile(r"(?<=\\\\)\s*\[\s*-?[\d.]+\s*(?:pt|em|ex|mu|mm|cm|in|bp|pc|dd|cc|sp)\s*\]")
MATH = re.compile(r"<math[^>]*>(.*)</math>", re.DOTALL)


class FormulaErrors(PageErrors):
    """TeX that does not convert, printed like the other page problems."""


def render(markdown: str, source: str = "(page)") -> str:
    """`markdown` with every formula drawn; raises FormulaErrors naming `source` (the page's path)."""
    errors: list[DataError] = []

    def error(at: int, message: str) -> None:
        line = markdown.count("\n", 0, at) + 1
        errors.append(DataError(source, line, at - markdown.rfind("\n", 0, at), FIELD, message))

    def replace(match: re.Match[str]) -> str:
        if match["escape"]:
            return "&#36;" if match["escape"] == "\\$" else match["escape"]
        if match["stray"]:
            error(match.start(), STRAY)
            return match[0]
        kind = "display" if match["display"] is not None else "inline" if match["inline"] is not None else ""
        if not kind:
            return match[0]  # front matter or code
        tex = match[kind].strip()
        try:
            formula = convert(tex, display=kind == "display")
        except LatexError as exc:
            offset, message = parse_error(str(exc))
            start = match.start(kind) + len(match[kind]) - len(match[kind].lstrip())
            dollars = "$$" if kind == "display" else "$"
            error(start + offset, f"{message.rstrip('.')} in {dollars}{' '.join(tex.split())}{dollars}")
            return match[0]
        return match["indent"] + formula if kind == "display" else formula

    rendered = TOKENS.sub(replace, markdown)
    if errors:
        raise FormulaErrors(errors)
    return rendered


@functools.lru_cache(maxsize=4096)  # the languages share most formulas
def convert(tex: str, display: bool) -> str:
    """The HTML of `tex` (templates/formula.html), written so that Markdown and templates leave it as it is
    (raises LatexError, whose message starts with the offset in `tex` of what is wrong)."""
    drawn = CONVERTER.convert_with_local_state(ROW_SPACE.sub(lambda m: " " * len(m[0]), tex), displaystyle=display)
    formula = templates.render("formula.html", display=display, drawing=Markup(MATH.fullmatch(drawn)[1]), tex=tex)
    return "".join(part.translate(IN_TAGS) if index % 2 else "".join(f"&#{ord(char)};" for char in html.unescape(part))
                   for index, part in enumerate(TAG.split(formula)))


def parse_error(message: str) -> tuple[int, str]:
    """(offset in the TeX, what is wrong) from a LatexError's message."""
    match = OFFSET.fullmatch(message)
    return (int(match[1]), match[2]) if match else (0, message)
