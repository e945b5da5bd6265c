# MKK: two commands do everything on a fresh machine.
#   make run   set-up, migrations, demo data, server at http://127.0.0.1:8000
#   make test  set-up, ruff, import contracts, the whole suite on PostgreSQL (DATABASE_URL)
#              and its database-behaviour tests on SQLite beside it; all of it on SQLite
#              without PostgreSQL
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
HOST    ?= 127.0.0.1
PORT    ?= 8000

.PHONY: layers static bandit semgrep checks migrations-check run test test-long setup lint format messages sysdeps vnu bench clean serve

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)
	@mkdir -p var
	$(BIN)/python -m mkk.tools.compilemessages

# System packages the browser test and PDF checks use (Debian). Installed only
# when missing and when we may (root with apt-get); otherwise those tests say
# why they are skipped.
sysdeps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing chromium and poppler-utils from Debian..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null) \
	      || echo "WARNING: could not install chromium/poppler-utils; browser tests will be skipped"; \
	  else echo "NOTE: chromium or pdftoppm missing and not root: browser tests will be skipped"; fi; \
	fi

# The Nu Html Checker (vnu.jar, from the npm registry) for the page-validity test; needs java.
VNU_JAR := .venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU_JAR):
	@if command -v java >/dev/null && command -v npm >/dev/null; then \
	  npm install --silent --no-save --no-audit --no-fund --prefix .venv/vnu vnu-jar@26.9.27 >/dev/null 2>&1 \
	    || echo "WARNING: could not install vnu-jar; the HTML validity test will be skipped"; \
	else echo "NOTE: java or npm missing; the HTML validity test will be skipped"; fi

vnu: $(VNU_JAR)

run: setup
	DEBUG=True $(BIN)/python manage.py migrate --noinput
	DEBUG=True $(BIN)/python manage.py load_demo
	DEBUG=True $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production set locally, DEBUG off: gunicorn + Celery worker + beat against DATABASE_URL
# and MKK_BROKER_URL (see deploy/serve.sh; throwaway keys when none are set).
serve: setup
	./deploy/serve.sh

# Static analysis of src/ with 0 findings: bandit (medium+ severity and confidence) and
# semgrep with the project's own Django rules (.semgrep/, offline: no registry packs).
static: bandit semgrep

bandit: setup
	$(BIN)/bandit -r src -ll -ii -q

semgrep: setup
	$(BIN)/semgrep scan --config .semgrep/ --metrics=off --disable-version-check --error --quiet src/

# The floors of the code (ARCHITECTURE.md, "Floors"): import-linter's contracts in
# pyproject.toml ([tool.importlinter]); an import that goes down a floor the wrong way fails.
layers: setup
	$(BIN)/lint-imports --no-cache

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: setup
	$(BIN)/python -m mkk.tools.makemessages

# Two workers (the PostgreSQL run; the SQLite run beside it is one process); a worker that runs out of tests takes over another's (the page crawl is one
# test per demo user). Property tests run a bounded number of examples (tests/conftest.py).
PYTEST := $(BIN)/python -m pytest -n 2 --dist worksteal -q --durations=30
# The production set (its own PostgreSQL database, gunicorn, a Celery worker, an SMTP server).
PRODUCTION_TEST := MKK_PRODUCTION_TEST=1 $(BIN)/python -m pytest -q -p no:xdist -m production tests/production

# Which tests run on which database: tests of database behaviour (queries, constraints,
# concurrency, scoping, imports) run on SQLite and on PostgreSQL; a test whose subject does not
# depend on the backend (marker `one_backend`: pure functions, parsers, catalogues, document
# rendering, page validity and accessibility, browser walks; list in tests/conftest.py) runs
# once, on PostgreSQL, the production database. Every test runs in `make test`. Three runs go
# side by side on the two cores: PostgreSQL with two workers, SQLite in one process (one
# collection and one copy of each module's data instead of two), and the production set (its
# own database); their output follows the PostgreSQL run's. Without a PostgreSQL DATABASE_URL
# every test runs on SQLite, then the production set.
PYTEST_ONE := $(BIN)/python -m pytest -p no:xdist -q --durations=30
# The checks before the tests (ruff, import contracts, bandit and semgrep, no missing migration)
# run side by side: `make checks` is `make -j` over them.
migrations-check: setup
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=mkk.config.settings_test

checks: setup
	$(MAKE) --no-print-directory -j5 lint layers bandit semgrep migrations-check

test: setup sysdeps vnu checks
	@case "$$DATABASE_URL" in \
	  postgres*|postgresql*) \
	    echo "== pytest on PostgreSQL ($$DATABASE_URL), every test; beside it SQLite, -m 'not one_backend', and the production set =="; \
	    (env -u DATABASE_URL $(PYTEST_ONE) -p no:cacheprovider -m "not one_backend" \
	      > var/test-sqlite.log 2>&1; echo $$? > var/test-sqlite.rc) & \
	    ($(PRODUCTION_TEST) > var/test-production.log 2>&1; echo $$? > var/test-production.rc) & \
	    $(PYTEST); pg=$$?; wait; \
	    echo "== pytest on SQLite (-m 'not one_backend') =="; cat var/test-sqlite.log; \
	    echo "== production set: gunicorn, Celery worker on Redis, SMTP (tests/production; beside the other runs) =="; \
	    cat var/test-production.log; \
	    test "$$pg" = 0 && test "$$(cat var/test-sqlite.rc)" = 0 && test "$$(cat var/test-production.rc)" = 0 ;; \
	  *) echo "== DATABASE_URL is not PostgreSQL: every test on SQLite =="; \
	    env -u DATABASE_URL $(PYTEST) && \
	    echo "== production set: gunicorn, Celery worker on Redis, SMTP (tests/production) ==" && \
	    $(PRODUCTION_TEST) ;; \
	esac

# The property tests with their full example counts (slow; not part of `make test`).
test-long: setup
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest -n 2 --dist worksteal -q -m "not browser" $$(grep -rl "hypothesis" tests --include="test_*.py")

bench: setup
	$(BIN)/python -m mkk.tools.bench

clean:
	rm -rf $(VENV) var .pytest_cache
