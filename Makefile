# motcua: `make demo` starts the system with Hà Tĩnh demo data; `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: install demo serve test test-fast lint format bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

## Start motcua on SQLite with Hà Tĩnh demo data at http://127.0.0.1:8000 (a second run reuses what is there).
demo: $(STAMP)
	$(BIN)/motcua demo

serve: $(STAMP)
	$(BIN)/motcua serve

## The whole suite, on SQLite by default, on PostgreSQL when DATABASE_URL names one.
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src/motcua/*/services.py

format: $(STAMP)
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

clean:
	rm -rf $(VENV) build *.egg-info
