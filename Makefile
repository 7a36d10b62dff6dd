# Two commands on a fresh clone (Python 3.11+ and make):
#   make run    virtualenv + install + `licgraph serve --demo` on the embedded SQLite file
#   make test   virtualenv + dev install + every check and the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test check lint typecheck layers pytest schema bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "licgraph needs Python 3.11+: run make with PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/licgraph serve --demo

test: check pytest

check: lint typecheck layers

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

layers: $(VENV)/.installed-dev
	$(BIN)/lint-imports

pytest: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

schema: $(VENV)/.installed
	$(BIN)/licgraph export-schema > schema.graphql

# The Save beside its floors on SQLite and PostgreSQL; bench/README.md lists every benchmark.
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/save_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
