"""Render HTML (and the entry pages' Markdown) from the templates in `vlm_survey/templates/`.

Escaping is not opt-in: every value a template prints that is not already `Markup` goes through
`text()`: HTML-escaped, its whitespace folded onto one line (a newline from data cannot end an
HTML block inside Markdown) and its braces written as character references (no template engine
that meets the page later, such as mkdocs-macros, finds `{{`, `{%` or `{#` from data). Markup
reaches a template only as the result of another template or macro.

Most fragments must come out on one line (Markdown ends an HTML block at a blank line, and a table
cell must not break): their templates break a source line only next to a tag that trims the
whitespace beside it (`{%-`, `-%}`, `{{-`, `-}}`, or the empty comment `{#- #}` that starts a line).
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
WHITESPACE = re.compile(r"\s+")


def folded(value: Any) -> str:
    """`value` as text on one line: each run of whitespace becomes one space, none at either end."""
    return WHITESPACE.sub(" ", str(value)).strip()


def text(value: Any, fold: bool = True) -> Markup:
    """Escape a value from data for HTML and (with `fold`) fold its whitespace onto one line.

    Braces become character references (the reader sees the same text): then no template engine
    that meets the HTML later (a macro plugin, a second engine's emulation) finds `{{`, `{%` or `{#`.
    """
    return Markup(str(escape(folded(value) if fold else str(value))).translate(BRACES))


def _finalize(value: Any) -> Any:
    """What a template prints for `value`: markup as it is, anything else through `text()`."""
    return value if isinstance(value, Markup) else text(value)


def _number(value: float) -> str:
    """A coordinate as the figures write it: `format(value, "g")` (12, 40.5)."""
    return format(value, "g")


ENV = Environment(loader=PackageLoader("vlm_survey", "templates"), autoescape=True, undefined=StrictUndefined,
                  finalize=_finalize, trim_blocks=True, lstrip_blocks=True)
ENV.filters.update(text=text, g=_number)


def render(template: str, /, **values: Any) -> Markup:
    """The template `template` (a file in vlm_survey/templates/) rendered with `values`."""
    return Markup(ENV.get_template(template).render(**values))


def macro(template: str, name: str, /, **values: Any) -> Markup:
    """The macro `name` of `template` called with `values` (by keyword), e.g. macro("cells.html", "link", ...)."""
    return getattr(ENV.get_template(template).module, name)(**values)
