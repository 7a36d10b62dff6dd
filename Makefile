# Two commands on a fresh clone (Python 3.11+ and make):
#   make run    virtualenv + install + `licgraph serve --demo` on the embedded SQLite file
#   make test   virtualenv + dev install + every check and the whole test suite
# Python packages come from the lock files in requirements/ (exact versions and hashes);
# `make lock` refreshes them after a change to pyproject.toml, `make lock-upgrade` moves
# every pin to the newest release (README: "Upgrading dependencies").
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK     := requirements/main.txt
LOCK_DEV := requirements/dev.txt
# Universal locks (every platform, Python 3.11+), so the Docker image and CI install the
# same versions as a laptop; dev.txt is held to main.txt's pins.
COMPILE  := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
            --generate-hashes --quiet

.PHONY: run test check lint typecheck layers graphql pytest schema app screenshots bench lock lock-upgrade clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "licgraph needs Python 3.11+: run make with PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: $(LOCK_DEV) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK_DEV)
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/licgraph serve --demo

test: check graphql pytest

check: lint typecheck layers

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

layers: $(VENV)/.installed-dev
	$(BIN)/lint-imports

# The Node gates on schema.graphql and examples/ (tools/README.md); skipped without Node
# unless LICGRAPH_TEST_REQUIRE_NODE=1 (CI).
graphql:
	tools/check-graphql

pytest: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

schema: $(VENV)/.installed
	$(BIN)/licgraph export-schema > schema.graphql

# The Manage licenses app: rebuild static/app/ from frontend/ (commit the result), and
# photograph its screens into docs/screenshots/ (needs Debian's chromium).
app:
	frontend/install
	cd frontend && node build.mjs

screenshots: $(VENV)/.installed
	frontend/take-screenshots

# The Save beside its floors on SQLite and PostgreSQL; bench/README.md lists every benchmark.
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/save_bench.py

# Keep every pin, add what pyproject.toml gained; UPGRADE=pkg moves that package alone.
lock: $(VENV)/.installed-dev
	$(COMPILE) $(if $(UPGRADE),--upgrade-package $(UPGRADE)) -o $(LOCK)
	$(COMPILE) $(if $(UPGRADE),--upgrade-package $(UPGRADE)) --extra dev -c $(LOCK) -o $(LOCK_DEV)

lock-upgrade: $(VENV)/.installed-dev
	$(COMPILE) --upgrade -o $(LOCK)
	$(COMPILE) --upgrade --extra dev -c $(LOCK) -o $(LOCK_DEV)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache \
		tools/node_modules tools/generated tools/dist frontend/node_modules
