# planlink: the two commands of the README, and their parts.
#   make run    set up and serve the shipped data on http://127.0.0.1:8000/
#   make test   set up and run the whole test suite (installs Chromium for the browser test and Virtuoso
#               for the second remote store)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STATIC := server/planlink/web/static
APT    := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)

.PHONY: run test setup setup-test assets browser stores serve lint

run: setup assets
	$(BIN)/planlink serve

test: setup-test assets browser stores
	$(BIN)/python -m pytest

setup: $(BIN)/planlink
$(BIN)/planlink: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

setup-test: setup
	$(BIN)/pip install --quiet -e ".[test]"

assets: $(STATIC)/node_modules/.package-lock.json
$(STATIC)/node_modules/.package-lock.json: $(STATIC)/package.json $(STATIC)/package-lock.json
	npm ci --prefix $(STATIC) --no-audit --no-fund

browser:
	@command -v chromium >/dev/null 2>&1 || { $(APT) update && $(APT) install -y --no-install-recommends chromium fonts-thai-tlwg; }

# Virtuoso Open Source, the second real store of the remote-store tests (tests/test_virtuoso.py starts its own);
# the Oxigraph server comes from PyPI with the test extra.
stores:
	@command -v virtuoso-t >/dev/null 2>&1 || { $(APT) update && DEBIAN_FRONTEND=noninteractive $(APT) install -y --no-install-recommends virtuoso-opensource; }

lint: setup-test
	$(BIN)/ruff check server tests bench
	$(BIN)/ruff format --check server tests bench
	$(BIN)/mypy server
