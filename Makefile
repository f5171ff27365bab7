# Every target creates .venv and installs the project on first use, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench eval venv postgres chromium clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/talepbot run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

postgres:
	scripts/ensure-postgres.sh

# The panel's browser tests drive Debian's chromium through Playwright (never Playwright's own download).
chromium:
	scripts/ensure-chromium.sh

# The suite runs inside a throwaway PostgreSQL cluster (pg_virtualenv exports PG* variables; -t keeps
# concurrent runs apart, fsync=off because the cluster is thrown away);
# the storage tests run against it and against SQLite. Two pytest-xdist workers use both cores of the CI
# machine; the process-killing tests share one worker (xdist_group "processes"). PYTEST_ARGS="-n 0" runs
# in one process (e.g. with -s to see the crash tests' figures).
test: lint postgres chromium
	pg_virtualenv -t -o fsync=off $(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

eval: $(STAMP)
	$(BIN)/python -m benchmarks.nlu_eval

bench: $(STAMP) postgres
	pg_virtualenv -t $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
