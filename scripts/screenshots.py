"""Screenshots of a chapter for review: light, dark, phone and print, in both languages.

Serves the built site on 127.0.0.1 and drives Debian's Chromium (Playwright's own where it is absent);
writes screenshots/<lang>-<page>-<view>.png (the folder is gitignored).

    make screenshots                                   (after make build)
    .venv/bin/python scripts/screenshots.py vit training
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from vlm_survey.languages import registry

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
OUT = ROOT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
PAGES = ["architecture"]
LANGS = {lang.code: lang.subdir + "/" if lang.subdir else "" for lang in registry(ROOT)}
VIEWS = {  # name: browser context options, media
    "light": ({"viewport": {"width": 1280, "height": 900}, "color_scheme": "light"}, "screen"),
    "dark": ({"viewport": {"width": 1280, "height": 900}, "color_scheme": "dark"}, "screen"),
    "mobile": ({"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True,
                "has_touch": True}, "screen"),
    "print": ({"viewport": {"width": 720, "height": 1000}}, "print"),
}


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def settle(page: Page) -> None:
    """Wait until the fonts are in, so the picture shows the finished page."""
    page.evaluate("() => document.fonts.ready.then(() => true)")


def main(pages: list[str]) -> None:
    if not (SITE / "index.html").exists():
        sys.exit("screenshots: no built site in site/; run make build first")
    OUT.mkdir(exist_ok=True)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else None,
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
        for name, (options, media) in VIEWS.items():
            context = browser.new_context(**options)
            tab = context.new_page()
            tab.emulate_media(media=media)
            for lang, prefix in LANGS.items():
                for page in pages:
                    tab.goto(base + prefix + ("" if page == "index" else f"{page}/"))
                    settle(tab)
                    target = OUT / f"{lang}-{page}-{name}.png"
                    tab.screenshot(path=target, full_page=True)
                    print(target.relative_to(ROOT))
            context.close()
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main(sys.argv[1:] or PAGES)
