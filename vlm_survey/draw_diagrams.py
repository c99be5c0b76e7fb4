"""`python -m vlm_survey diagrams`: draw every chapter's Mermaid diagram into the SVG committed beside it.

Drawn in Chromium (Playwright, as the tests use it) by the Mermaid vendored in vendor/mermaid/: only
the fences whose SVG is missing or stale, and files no fence draws any more are removed. Labels are
SVG text (no HTML inside the SVG), so the file opens in slide and drawing programs too. Building the
site never draws: it reads the committed SVG (vlm_survey.diagrams).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from xml.dom import minidom

from vlm_survey import diagrams
from vlm_survey.languages import registry

MERMAID = Path("vendor/mermaid/mermaid.min.js")
CHROMIUM = "/usr/bin/chromium"
# Changing these changes every drawing: bump diagrams.STYLE with them.
OPTIONS = {
    "startOnLoad": False, "securityLevel": "strict", "theme": "neutral", "htmlLabels": False,
    "markdownAutoWrap": False, "fontSize": diagrams.FONT,
    "fontFamily": "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Noto Sans CJK SC', 'PingFang SC', "
                  "'Microsoft YaHei', Helvetica, Arial, sans-serif",
    "flowchart": {"htmlLabels": False, "useMaxWidth": False, "wrappingWidth": 400, "padding": 12,
                  "nodeSpacing": 28, "rankSpacing": 36},
}
SCRIPT_ONLY = {"data-points", "data-look", "data-et", "data-edge", "data-id"}  # read by Mermaid's scripts only
DRAW = """async ([source, id, options]) => {
  mermaid.initialize(options);
  return (await mermaid.render(id, source)).svg;
}"""


def tidy(svg: str, fingerprint: str) -> str:
    """Mermaid's SVG without what a static file does not use (edge geometry for its scripts, markers no
    path points at), with its fingerprint recorded on the root element."""
    document = minidom.parseString(svg)
    root = document.documentElement
    for element in root.getElementsByTagName("*"):
        for name in SCRIPT_ONLY & set(element.attributes.keys()):
            element.removeAttribute(name)
    used = set(re.findall(r"url\(#([^)]+)\)", svg))
    for marker in root.getElementsByTagName("marker"):
        if marker.getAttribute("id") not in used:
            marker.parentNode.removeChild(marker)
    root.setAttribute("data-vlm-source", fingerprint)
    return root.toxml() + "\n"


def draw(project: Path) -> int:
    """Draw what is stale, remove what is left over; print each file."""
    from playwright.sync_api import sync_playwright

    every = {docs: diagrams.every(docs) for docs in (language.docs(project) for language in registry(project))}
    for path in [svg for docs, drawn in every.items() for svg in diagrams.leftovers(docs, drawn)]:
        path.unlink()
        print(f"removed {path.relative_to(project)}")
    todo = [(docs, d) for docs, drawn in every.items() for d in drawn if diagrams.state(docs, d) != "drawn"]
    if not todo:
        print("diagrams: every SVG is up to date")
        return 0
    with sync_playwright() as playwright:
        executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
        browser = playwright.chromium.launch(executable_path=executable)
        page = browser.new_page()
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(path=str(project / MERMAID))
        for docs, diagram in todo:
            svg = page.evaluate(DRAW, [diagram.source, diagram.element_id, OPTIONS])
            target = docs / diagram.name
            target.parent.mkdir(exist_ok=True)
            target.write_text(tidy(svg, diagram.fingerprint), encoding="utf-8")
            print(f"drew {target.relative_to(project)}")
        browser.close()
    return 0
