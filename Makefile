# Two commands for a fresh machine: `make serve` and `make test`. Everything else is a step of those.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt pyproject.toml | cksum | cut -d' ' -f1)
ENGINE ?= mkdocs
PORT ?= 8000
# Material prints a banner about MkDocs 2 on every build; it says nothing about this site.
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup serve build pdf check-data diagrams test test-fast browser-deps vendor clean

help:
	@echo "make serve       build both languages and serve them on http://127.0.0.1:$(PORT)/ with live reload"
	@echo "make test        set up, then run every test (data, macros, strict builds, links, browser)"
	@echo "make build       strict build of every language (languages.yml): Chinese into site/, English into site/en/"
	@echo "make build ENGINE=zensical   the same site, built by Zensical instead of MkDocs"
	@echo "make pdf         after make build: each language's PDF edition into site/downloads/vlm-survey-<code>.pdf"
	@echo "make diagrams    draw the chapters' Mermaid diagrams into docs/<lang>/diagrams/*.svg (after editing one)"
	@echo "make check-data  validate data/*.yaml and print file:line:col: field: message for each problem"
	@echo "make new-model ARXIV=2304.08485      start data/models/<id>.yaml from an arXiv paper (ID=<id> names it)"
	@echo "make new-benchmark ARXIV=2306.13394  start data/benchmarks/<id>.yaml from an arXiv paper"
	@echo "make test-fast   the tests that need no browser"
	@echo "make links       build, then check every internal link, anchor and asset of both languages"
	@echo "make vendor      refresh the vendored front-end libraries from npm (package.json)"
	@echo "make bench       measure build time, scale, page weight, Lighthouse, slow 4G, browser and edit loop; write bench/RESULTS.md"
	@echo "make clean       remove site/, caches and .venv"
	@echo "make screenshots light, dark, phone and print screenshots of a chapter, both languages, into screenshots/"
	@echo "make lighthouse  Lighthouse mobile scores of the home, diagram, math, model-table and entry pages, both languages"
	@echo "make translation-status          list pages whose other-language version changed since their last sync"
	@echo "make translation-sync PAGES=vit  record that a committed page matches in both languages (all pages if no PAGES)"

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed, found " + sys.version)'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps --editable .
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

serve: setup
	$(PY) -m vlm_survey serve --port $(PORT)

build: setup
	$(PY) -m vlm_survey build --engine $(ENGINE)

# The PDF editions of the built site (vlm_survey/pdf.py), printed by Chromium: run `make build` first.
pdf: setup browser-deps
	$(PY) -m vlm_survey pdf

check-data: setup
	$(PY) -m vlm_survey check-data

# Draw the chapters' Mermaid diagrams whose committed SVG is missing or stale (in Chromium: browser-deps).
diagrams: setup browser-deps
	$(PY) -m vlm_survey diagrams

browser-deps:
	bash scripts/browser-deps.sh

# Three pytest runs side by side (scripts/run-tests.sh): the browser tests mostly wait, so they overlap with
# the others on two cores. Any failure, or a run finding no test (pytest's exit 5), fails `make test`.
test: setup browser-deps
	bash scripts/run-tests.sh $(PY)

test-fast: setup
	$(PY) -m pytest -m "not browser"

vendor:
	bash scripts/vendor.sh

clean:
	rm -rf site .pytest_cache .venv
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# Translation freshness (scripts/translation_status.py): which pages lag behind the other language,
# and, once a page says the same in both languages and is committed, record that (then commit).
.PHONY: translation-status translation-sync
translation-status: setup
	$(PY) scripts/translation_status.py

translation-sync: setup
	$(PY) scripts/translation_status.py sync $(if $(PAGES),$(PAGES),--all)

# Links of the built site: every internal link, #anchor, language-switch target and asset of both
# languages (fast, part of `make test` too); links to other sites only on demand and in the weekly
# workflow (.github/workflows/links.yml), never in `make test`.
.PHONY: links links-external
links: build
	$(PY) scripts/check_links.py site

links-external: build
	$(PY) scripts/check_links.py --external site

# Performance against the budgets of bench/README.md, in temporary working copies (about 25 minutes
# on 2 cores): prints a table and writes bench/RESULTS.md. BENCH="--only build --runs 3" picks parts.
.PHONY: bench
bench: setup browser-deps
	$(PY) -m bench.run $(BENCH)

# Reader experience, for review rather than tests: screenshots of a chapter (light, dark, phone, print;
# both languages) into screenshots/, and Lighthouse scores of the home page, a chapter and the
# model-table page (Lighthouse from npm into ~/.cache on first use). PAGES="vit training" picks pages.
.PHONY: screenshots lighthouse
screenshots: build browser-deps
	$(PY) scripts/screenshots.py $(PAGES)

lighthouse: build browser-deps
	$(PY) scripts/lighthouse.py $(PAGES)

# A new entry from its arXiv paper (scripts/new_entry.py): title, authors, year and paper link come from
# arXiv's API, the only network access, at that moment; every other field is left empty for the
# contributor. ID=<id> picks the id (default: the name the title starts with, or arxiv-<number>).
.PHONY: new-model new-benchmark
new-model: setup
	$(PY) scripts/new_entry.py model "$(ARXIV)" $(if $(ID),--id "$(ID)")

new-benchmark: setup
	$(PY) scripts/new_entry.py benchmark "$(ARXIV)" $(if $(ID),--id "$(ID)")
