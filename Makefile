# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export FACTCHECK_DATABASE_URL ?= sqlite:///factcheck.db

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[postgres]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

## demo: install, then run factcheck on seeds/ into a local SQLite database
demo: $(VENV)/.installed
	$(BIN)/factcheck db upgrade
	$(BIN)/factcheck articles add seeds/*.txt
	$(BIN)/factcheck articles list

## test: install the dev tools, then run lint, types and the whole test suite
test: $(VENV)/.installed-dev lint
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) factcheck.db factcheck.db-wal factcheck.db-shm .pytest_cache .mypy_cache .ruff_cache
