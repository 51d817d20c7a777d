# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export FACTCHECK_DATABASE_URL ?= sqlite:///factcheck.db

.PHONY: demo test lint bench model clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[postgres]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

## demo: install, check the demo articles into ./factcheck.db (not your per-user database),
## import a published fact-check archive, show the queue, write a report
demo: $(VENV)/.installed
	$(BIN)/factcheck check demo/wire.jsonl seeds/
	$(BIN)/factcheck import claimreview demo/published.jsonl
	$(BIN)/factcheck queue --limit 5
	$(BIN)/factcheck report article --path seeds/russia-iran-law-enforcement.txt --format html -o out/seed-report.html

## test: install the dev tools, then run lint, types and the whole test suite
test: $(VENV)/.installed-dev lint
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## bench: the quick benchmarks (see README for the long ones: 1M-claim queue, 1,000-article batch)
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/bench_extract.py
	$(BIN)/python bench/bench_report.py
	$(BIN)/python bench/bench_llm.py

## model: retrain the shipped spaCy pipeline (factcheck/extract/offline/model/) from ../shared/data (or SHARED=...)
model: $(VENV)/.installed-dev
	$(BIN)/python training/build.py $(if $(SHARED),--shared $(SHARED))

clean:
	rm -rf $(VENV) out factcheck.db factcheck.db-wal factcheck.db-shm .pytest_cache .mypy_cache .ruff_cache
