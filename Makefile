# The README's two promises: `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/chapterhouse
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Without DEBUG the site needs its address for emailed links (issue 10); a server sets it in its env file.
export SITE_URL ?= http://127.0.0.1:8000
# The demo's own database, rebuilt at every `make demo`: seed_demo never meets real data.
DEMO_DB := var/demo.sqlite3

.PHONY: demo test test-sqlite test-postgres lint-then-sqlite lint bench venv chromium gettext messages clean

venv: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Chapterhouse needs Python 3.11 or newer (set PYTHON=python3.11)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

# Translations: catalogues (.po) are committed; compiled .mo files are built here.
gettext:
	@command -v msgfmt >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; \
	  else \
	    echo "Translations need GNU gettext: run 'sudo apt-get install gettext'."; exit 1; \
	  fi; }

messages: venv gettext
	@if ls chapterhouse/locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then \
	  cd chapterhouse && ../$(BIN)/chapterhouse compilemessages -v 0; \
	else echo "No translation catalogues yet."; fi

demo: export DATABASE_URL = sqlite:///$(CURDIR)/$(DEMO_DB)
demo: venv messages
	mkdir -p var && rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DB)-journal
	$(BIN)/chapterhouse migrate --no-input -v 0
	$(BIN)/chapterhouse seed_demo
	@echo "Serving on http://127.0.0.1:8000, with the task worker and scheduler (Ctrl-C to stop)"
	DEBUG=1 BIN=$(BIN) deploy/run-demo.sh 127.0.0.1:8000

lint: venv
	$(BIN)/ruff check chapterhouse tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/chapterhouse makemigrations --check --dry-run

# Browser tests drive Debian's chromium (Playwright's own browser download cannot work offline).
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium'."; exit 1; \
	  fi; }

define sqlite_suite
	env -u DATABASE_URL $(BIN)/pytest -q -p no:cacheprovider $(SQLITE_PYTEST_ARGS)
endef

define postgres_suite
	@$(BIN)/python -c 'import psycopg, sys; psycopg.connect("$(PG_URL)".rsplit("/", 1)[0] + "/postgres", connect_timeout=5).close()' \
	  || (echo "PostgreSQL is not reachable at $(PG_URL): start it (pg_ctlcluster <version> main start) or set PG_URL." && exit 1)
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -p no:cacheprovider $(PG_PYTEST_ARGS)
endef

test-sqlite: venv chromium messages
	$(sqlite_suite)

test-postgres: venv chromium messages
	$(postgres_suite)

# The two suites run side by side (one per core); each prerequisite is still built once. Every
# test that uses the database runs on both. The others run once, where they even out the two
# jobs' time: the tests that never touch the database (pure modules, command-line tools without
# one, catalogues: they cannot differ) and the browser tests on data of their own (marked
# browser_own_data) in the PostgreSQL job; the browser tests on the seeded demo, on the embedded
# database `make demo` runs, and `make lint` first, in the SQLite job. Every query behind the
# pages is tested on both databases by the tests without a browser. `make test-sqlite` or
# `make test-postgres` alone runs every test.
test: venv
	$(MAKE) --no-print-directory -j2 lint-then-sqlite test-postgres \
	  SQLITE_PYTEST_ARGS="--database-tests-only -m 'not browser_own_data'" \
	  PG_PYTEST_ARGS="-m 'not browser or browser_own_data'"

lint-then-sqlite: venv chromium messages lint
	$(sqlite_suite)

# Speed and quality goals live here, never in timed unit tests (see docs/planner.md).
bench: venv
	$(BIN)/python bench/planner_speed.py
	$(BIN)/python bench/plan_end_to_end.py
	$(BIN)/python bench/planner_quality.py
	$(BIN)/python bench/vote_load.py
	$(BIN)/python bench/dashboard_at_once.py
	$(BIN)/python bench/login_timing.py
	$(BIN)/python bench/import_members.py
	$(BIN)/python bench/counting_speed.py
	# Pages under gunicorn at 100,000 members / 1,000 chapters (PostgreSQL at PG_URL's server,
	# database ch_scale_100000, built once); the issue's size: --members 1000000 --chapters 10000.
	$(BIN)/python bench/pages_at_scale.py --members 100000 --chapters 1000 \
	  --database-url $(dir $(PG_URL))ch_scale_100000
	# The planner page with a stored plan of 50,000 candidates (a throw-away SQLite database).
	$(BIN)/python bench/planner_page.py

clean:
	rm -rf $(VENV) var staticfiles
