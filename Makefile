# motcua: `make demo` starts the system with Hà Tĩnh demo data; `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: install demo serve test test-fast test-browser screenshots messages lint format bench clean

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
## The browser tests (tests/browser) run too when Chromium is at /usr/bin/chromium, else are skipped.
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Only the browser tests (Playwright driving the system's Chromium; see docs/web.md).
test-browser: $(STAMP)
	MOTCUA_REQUIRE_BROWSER=1 $(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

## The screenshots of the web faces in docs/screenshots/, taken by the browser tests.
screenshots: $(STAMP)
	MOTCUA_REQUIRE_BROWSER=1 MOTCUA_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest tests/browser -q

## Refresh the English catalog from the source strings (needs GNU gettext), then compile it.
messages: $(STAMP)
	cd src/motcua && MOTCUA_DATA_DIR=$(CURDIR)/var $(CURDIR)/$(BIN)/motcua makemessages -l en --no-obsolete
	cd src/motcua && MOTCUA_DATA_DIR=$(CURDIR)/var $(CURDIR)/$(BIN)/motcua compilemessages

## Performance figures (docs/performance.md): BENCH_ARGS="--quick" for a small run, see bench/run.py.
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/motcua/*/services.py

format: $(STAMP)
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

clean:
	rm -rf $(VENV) build *.egg-info
