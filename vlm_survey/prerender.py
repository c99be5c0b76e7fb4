"""What the staging step renders in a chapter before any engine sees it: Mermaid diagrams become the
committed SVG beside their source (vlm_survey.diagrams), TeX becomes MathML (vlm_survey.formulas),
and every figure gets its number. Both engines then get the same Markdown with figures and formulas
already drawn."""

from __future__ import annotations

import re
from itertools import count
from pathlib import Path
from typing import Iterator, Sequence

from vlm_survey import diagrams, formulas
from vlm_survey.i18n import t

# The figures the macros draw from data (vlm_survey.figures), numbered with the diagrams in page order.
DATA_FIGURES = re.compile(r"\{\{\s*(evolution_timeline|model_lineage)\(\s*\)\s*\}\}")
FIGURES = re.compile(f"{diagrams.FENCE.pattern}|{DATA_FIGURES.pattern}", re.MULTILINE | re.DOTALL)


def chapter_number(name: str, nav: Sequence[str]) -> int | None:
    """The chapter's number: its place in the navigation, the home page (first) unnumbered."""
    return nav.index(name) if name in nav and nav.index(name) > 0 else None


def figure_numbers(lang: str, chapter: int | None) -> Iterator[str]:
    """图 3-1, 图 3-2, … (Figure 3.1, …); 图 1, 图 2, … outside the numbered chapters."""
    for n in count(1):
        yield t(lang, "fig.number", chapter=chapter, n=n) if chapter else t(lang, "fig.number.unnumbered", n=n)


def chapter(markdown: str, *, docs: Path, name: str, lang: str, nav: Sequence[str]) -> str:
    """The chapter `name` (a path under `docs`) with its diagrams and formulas rendered, figures numbered."""
    fences: list[str] = []  # the numbers of the diagrams, in page order
    data: list[str] = []  # and of the figures drawn from data
    for number, match in zip(figure_numbers(lang, chapter_number(name, nav)), FIGURES.finditer(markdown)):
        (fences if match["body"] is not None else data).append(number)
    numbers = iter(data)
    markdown = DATA_FIGURES.sub(lambda m: f'{{{{ {m.group(1)}(number="{next(numbers)}") }}}}', markdown)
    markdown = formulas.render(markdown, (docs / name).relative_to(docs.parent.parent).as_posix())
    return diagrams.embed(markdown, docs=docs, page=name, lang=lang, numbers=iter(fences))
