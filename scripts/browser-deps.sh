#!/usr/bin/env bash
# Make sure the browser tests have a Chromium: Debian's /usr/bin/chromium (installed with apt when
# running as root), otherwise Playwright's own build. CJK, colour-emoji and maths fonts come along so
# Chinese pages, the emoji in the chapters and the formulas (MathML, drawn with DejaVu Math) render.
set -euo pipefail
fonts=$(fc-list 2>/dev/null || true)
if [ -x /usr/bin/chromium ] && grep -qi "noto sans cjk" <<<"$fonts" && grep -qi "noto color emoji" <<<"$fonts" \
    && grep -qi "dejavu math" <<<"$fonts"; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "browser-deps: installing Debian's chromium, fonts-noto-cjk, fonts-noto-color-emoji and fonts-dejavu-extra"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-noto-color-emoji \
    fonts-dejavu-extra >/dev/null
elif [ ! -x /usr/bin/chromium ]; then
  echo "browser-deps: /usr/bin/chromium is missing and this is not root; using Playwright's Chromium"
  "$(dirname "$0")/../.venv/bin/python" -m playwright install chromium
fi
