# One place for the project's commands. `make test` and `make run` set up
# their own virtual environment, exactly as the README's first two lines do.
VENV ?= .venv
BIN := $(VENV)/bin
SRC := src tests benchmarks

.PHONY: venv run test check lint format typecheck contracts migrations bench clean

$(BIN)/jixiao: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

venv: $(BIN)/jixiao

run: venv
	$(BIN)/jixiao import examples --out-dir out/examples
	$(BIN)/jixiao show examples/2024-self-evaluation-tabbed.txt

test: venv
	$(BIN)/pytest

format: venv
	$(BIN)/ruff format $(SRC)
	$(BIN)/ruff check --fix $(SRC)

lint: venv
	$(BIN)/ruff format --check $(SRC)
	$(BIN)/ruff check $(SRC)

typecheck: venv
	$(BIN)/mypy

contracts: venv
	$(BIN)/pytest -q tests/test_architecture.py

migrations: venv
	$(BIN)/python -m jixiao.web.manage makemigrations --check --dry-run

check: lint typecheck contracts migrations

bench: venv
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_scoring.py
	$(BIN)/python benchmarks/bench_export.py
	$(BIN)/python benchmarks/bench_web_import.py
	$(BIN)/python benchmarks/bench_findings.py
	$(BIN)/python benchmarks/bench_web.py  # needs the local PostgreSQL

clean:
	rm -rf $(VENV) out build dist .pytest_cache .mypy_cache .ruff_cache
