# Branch Portal: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The first Python >= 3.12 that really runs (pyenv shims exist but fail unless selected).
PYTHON := $(shell for p in python3.14 python3.13 python3.12 python3 python; do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$p; break; fi; done)
# Without DATABASE_URL, start the embedded PostgreSQL under var/ and stop it when the recipe ends.
WITH_DATABASE = if [ -z "$$DATABASE_URL" ]; then \
	$(BIN)/python -m branch_portal.embedded_db start || exit 1; \
	trap '$(BIN)/python -m branch_portal.embedded_db stop' EXIT; fi

.PHONY: run test e2e lint format messages clean-db bench

$(BIN)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
		echo "Branch Portal needs Python 3.12 or newer, and none of python3.14, python3.13," >&2; \
		echo "python3.12, python3 or python on PATH runs one. Install Python 3.12+ and retry." >&2; \
		exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	@touch $@

# The portal and one background worker (imports, long downloads: `manage.py db_worker`).
run: $(BIN)/.installed
	@$(WITH_DATABASE); \
	export DEBUG=$${DEBUG:-true}; \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py load_demo --if-empty && \
	$(BIN)/python manage.py demo_accounts && \
	echo "Serving http://127.0.0.1:8000 with a background worker (Ctrl-C stops both and the database)" && \
	{ $(BIN)/python manage.py db_worker --no-reload --no-startup-delay & worker=$$!; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000; \
	kill $$worker 2>/dev/null; wait $$worker 2>/dev/null; true; }

test: $(BIN)/.installed lint
	@$(WITH_DATABASE); \
	export DJANGO_SETTINGS_MODULE=tests.settings; \
	$(BIN)/python manage.py makemigrations --check --dry-run && \
	$(BIN)/python -m pytest

# Browser journeys and two minutes of load with writes (e2e/), on a live server: needs Debian's
# chromium and a Chinese font (.ci/run installs them). E2E_LOAD_SECONDS shortens the load.
e2e: $(BIN)/.installed
	@$(WITH_DATABASE); \
	export DJANGO_SETTINGS_MODULE=tests.settings; \
	$(BIN)/python -m pytest e2e

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the translation catalogues after changing strings (needs GNU gettext), then
# translate the new entries in locale/*/LC_MESSAGES/django.po and run `make messages` again.
messages: $(BIN)/.installed
	DEBUG=true $(BIN)/python manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv

clean-db:
	-$(BIN)/python -m branch_portal.embedded_db stop
	rm -rf var/pgdata var/pgsocket

# Load-test the portal on synthetic national-scale data and write docs/benchmarks.md (README,
# section Benchmark). BENCH_SCALE=0.01 for a quick small run; niced: it keeps both cores busy.
bench: $(BIN)/.installed
	@command -v wrk >/dev/null || { echo "Installing wrk, the load generator"; \
		$$([ "$$(id -u)" = 0 ] || echo sudo) apt-get install -y wrk; } || exit 1
	@$(WITH_DATABASE); nice -n 10 $(BIN)/python -m bench.run
