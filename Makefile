# Two commands for a fresh machine: `make serve` and `make test`. Everything else is a step of those.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT ?= 8000
# Material prints a banner about MkDocs 2 on every build; it says nothing about this site.
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup serve build check-data test test-fast browser-deps vendor clean

help:
	@echo "make serve       build both languages and serve them on http://127.0.0.1:$(PORT)/ with live reload"
	@echo "make test        set up, then run every test (data, macros, strict builds, links, browser)"
	@echo "make build       strict build: Chinese into site/, English into site/en/"
	@echo "make check-data  validate data/*.yaml and print file:line:col: field: message for each problem"
	@echo "make test-fast   the tests that need no browser"
	@echo "make vendor      refresh the vendored front-end libraries from npm (package.json)"
	@echo "make clean       remove site/, caches and .venv"

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed, found " + sys.version)'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

serve: setup
	$(PY) scripts/docs.py serve --port $(PORT)

build: setup
	$(PY) scripts/docs.py build

check-data: setup
	$(PY) scripts/docs.py check-data

browser-deps:
	bash scripts/browser-deps.sh

test: setup browser-deps
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not browser"

vendor:
	bash scripts/vendor.sh

clean:
	rm -rf site .pytest_cache .venv
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
