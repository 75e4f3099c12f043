# The README's two commands are `make run` and `make test`; everything else is set up by them.
SHELL := /bin/bash
PYTHON ?= python3
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.8
PORT ?= 8501

.PHONY: run test setup system-deps migrate bench screenshots lint format clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Bytecode compiled once at install: every test worker, app server and command-line process
# otherwise compiles the whole stack (Streamlit, pandas, SQLAlchemy) from source when the
# environment sets PYTHONDONTWRITEBYTECODE, as containers often do (3 s of CPU per process).
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --quiet --compile-bytecode
	touch $@

setup: $(VENV)/.synced

## Serve the app on the embedded SQLite database, created, migrated and seeded on first run
## (by the app itself in demo mode: no second Python process before Streamlit starts).
run: setup
	$(PY) -m streamlit run serve.py --server.port $(PORT) --server.headless true

## Install what the tests need from Debian (PostgreSQL, Chromium, Hebrew fonts, Node.js) and npm
## (axe-core, the accessibility checker the browser tests inject; oidc-provider, the OpenID
## provider the sign-in tests run under Node), then run them all on
## TEST_WORKERS pytest-xdist workers (each has its own PostgreSQL server and Chromium, and runs
## whole files: tests/conftest.py). TEST_WORKERS=0 runs in one process. One more worker than cores by
## default: a browser test spends part of its time waiting (for a rerun to start, for the page to
## settle), and with one worker per core a quarter of the CPU stood idle (2 cores: 8:00 against 8:47).
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 2) + 1 )))
# The project's own code, compiled like the installed packages (above); up-to-date files are skipped.
CODE := app.py serve.py employdash components pages migrations benchmarks tests
test: setup system-deps node_modules/.installed
	$(PY) -m compileall -q -j 0 $(CODE)
	$(PY) -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile)

# The npm tools pinned by package-lock.json; npm ci installs exactly those, once per lock change.
node_modules/.installed: package.json package-lock.json | system-deps
	npm ci --no-audit --no-fund --silent
	touch $@

system-deps:
	bash scripts/install-system-deps.sh

## Upgrade an existing database (DATABASE_URL or .streamlit/secrets.toml) in place.
migrate: setup
	$(PY) -m employdash migrate

## Benchmarks; figures land in benchmarks/results/.
bench: setup system-deps
	$(PY) -m benchmarks

## Screenshots of every page per role, Hebrew and English, desktop and phone (to look at).
screenshots: setup system-deps
	$(PY) -m tests.support.screenshots $(ROLES)

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) $(TOOLS) node_modules data/dashboard.db data/dashboard.db-*
