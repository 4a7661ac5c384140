# Support Circle. `make run` sets everything up and starts the site; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup translations test lint format migrations-check superuser bench clean

# The site, a task worker (it sends the emails: they print here) and the periodic jobs; Ctrl-C stops all three.
run: setup
	$(BIN)/python scripts/dev.py $(HOST):$(PORT)

# Idempotent: a second run only checks that nothing is missing.
setup: $(VENV)/.installed .env translations
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_content

test: $(VENV)/.installed translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# ruff (lint + format check), djlint (templates), Django's system checks and missing migrations.
lint: $(VENV)/.installed .env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/djlint templates --check
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# Rewrites code and templates in the house style (what `make lint` checks).
format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint templates --reformat --quiet

migrations-check: $(VENV)/.installed .env
	$(BIN)/python manage.py makemigrations --check --dry-run

# An admin who can sign in at once (verified address); two-factor is set up on the first visit to /admin/.
superuser: setup
	$(BIN)/python manage.py create_admin

# Load test on this machine, loopback only (bench/README.md). E.g. make bench BENCH_ARGS="--db postgres --scenario exam"
bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-bench.txt
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The Spanish interface: locale/es/LC_MESSAGES/django.po compiled to .mo (build output, not committed).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
translations: $(MO_FILES)
%.mo: %.po $(VENV)/.installed
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-compile-only} $(BIN)/python manage.py compile_translations

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# A local .env for development: debug on, a random secret key. Never used in production.
.env:
	sed "s/^DJANGO_SECRET_KEY=.*/DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(40))')/" .env.example > .env

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
