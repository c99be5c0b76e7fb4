"""The templates' environment (vlm_survey.render): it escapes every value, brace-encodes it and folds its
whitespace; the templates ship with the package; and no module builds HTML in f-strings any more."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest
from jinja2 import UndefinedError
from markupsafe import Markup

from helpers import ROOT
from vlm_survey import render

HOSTILE = '<script>alert(1)</script> "quoted" & {{ 7*7 }} {% if 1 %}RAN{% endif %} {# c #}\n\nnext line'
# An f-string whose literal text opens (or closes) an element builds HTML; `<id>.yaml` in a message does not.
TAG = re.compile(r"<(?:!doctype|/?(?:a|abbr|b|br|button|caption|circle|code|details|div|em|figcaption|figure|g|"
                 r"h[1-6]|i|img|li|line|ol|p|path|polygon|pre|rect|script|span|strong|summary|sup|svg|table|"
                 r"tbody|td|text|th|thead|title|tr|ul))(?=[\s/>])", re.IGNORECASE)
# Modules that still build HTML in an f-string, and why; an entry that no longer applies fails the test.
def html_fstrings(source: str) -> list[int]:
    """Line numbers of the f-strings in `source` whose literal text holds an HTML tag."""
    return sorted({node.lineno for node in ast.walk(ast.parse(source)) if isinstance(node, ast.JoinedStr)
                   and any(isinstance(part, ast.Constant) and TAG.search(part.value) for part in node.values)})


def test_values_are_escaped_folded_and_brace_encoded() -> None:
    out = render.ENV.from_string('<p title="{{ value }}">{{ value }}</p>').render(value=HOSTILE)
    assert "<script>" not in out and '"quoted"' not in out and "&amp;" in out
    assert not re.search(r"\{[{%#]", out), "template syntax from a value survives"
    assert "&#123;&#123; 7*7 &#125;&#125;" in out
    assert "\n" not in out and "&#123;# c #&#125; next line" in out, "whitespace is folded onto one line"


def test_markup_is_kept_and_the_text_filter_can_keep_newlines() -> None:
    template = render.ENV.from_string("{{ markup }}|{{ value|text(fold=false) }}")
    out = template.render(markup=Markup("<b>kept</b>"), value="a {{ b }}\n\nc <i>")
    assert out == "<b>kept</b>|a &#123;&#123; b &#125;&#125;\n\nc &lt;i&gt;"


def test_text_is_the_same_escaping_outside_templates() -> None:
    assert render.text(" a\n{b}  <c> ") == Markup("a &#123;b&#125; &lt;c&gt;")
    assert render.text("a\n\nb", fold=False) == Markup("a\n\nb")


def test_a_missing_value_fails_instead_of_printing_nothing() -> None:
    with pytest.raises(UndefinedError):
        render.ENV.from_string("<p>{{ missing }}</p>").render()


def test_every_template_loads_and_ships_with_the_package() -> None:
    folder = Path(render.__file__).parent / "templates"
    names = sorted(p.name for p in folder.iterdir())
    assert names and render.ENV.list_templates() == names
    for name in names:
        render.ENV.get_template(name)
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "templates/*" in package_data["package-data"]["vlm_survey"], "pip install would leave the templates out"


def test_the_html_check_flags_html_built_in_an_f_string() -> None:
    sample = 'cell = f\'<td data-col="{c}">{v}</td>\'\nrow = "<tr>" + cell\nhelp = f"name it <id>.yaml, {n}"\n'
    assert html_fstrings(sample) == [1]
    assert html_fstrings('x = (f"{a}"\n     "<br>")\n') == [1], "implicit concatenation is one f-string"


def test_no_module_builds_html_in_an_f_string() -> None:
    found = {path.name: html_fstrings(path.read_text(encoding="utf-8"))
             for path in sorted((ROOT / "vlm_survey").glob("*.py"))}
    offenders = {name: lines for name, lines in found.items() if lines}
    assert not offenders, f"HTML in f-strings (move it into vlm_survey/templates/): {offenders}"
