# Everything a newcomer or CI needs, from a fresh clone: Python 3.11, Node/npm and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMPS := .make
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install assets migrate demo run test test-fast test-browser lint format check audit bench bench-deadline bench-confidence worker beat clean

help:
	@echo "make run             set everything up and serve the demo site on http://$(HOST):$(PORT)/"
	@echo "make test            the whole test suite on every core (browser tests too when Chromium is installed)"
	@echo "make test-fast       everything but the browser tests"
	@echo "make test-browser    only the browser and accessibility tests"
	@echo "make lint            ruff lint and format check"
	@echo "make format          ruff: fix what it can and format"
	@echo "make check           Django system checks and the missing-migrations check"
	@echo "make audit           pip-audit on the pinned requirements (needs PyPI's JSON API or OSV)"
	@echo "make install         the virtualenv and the npm packages"
	@echo "make assets          build the CSS and JavaScript into static_build/"
	@echo "make migrate         apply database migrations"
	@echo "make demo            migrate and load the demo content"
	@echo "make worker          a Celery worker (needs CELERY_BROKER_URL)"
	@echo "make beat            Celery beat, the scheduler (needs CELERY_BROKER_URL)"
	@echo "make bench           load benchmarks on PostgreSQL under gunicorn (see bench/README.md)"
	@echo "make bench-deadline  200 suppliers submitting in the last minute before a deadline"
	@echo "make bench-confidence  decision confidence of one stage at 10,000 proposals, under 30 s (bench/README.md)"
	@echo "make clean           remove the virtualenv, npm packages and built files"
	@echo "Pass pytest options with PYTEST_ARGS=..., benchmark options with BENCH_ARGS=..."

$(STAMPS):
	@mkdir -p $(STAMPS)

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed: install it, or set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMPS)/python: requirements.txt requirements-dev.txt | $(BIN)/python $(STAMPS)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

$(STAMPS)/node: package.json package-lock.json | $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(STAMPS)/python $(STAMPS)/node

assets: $(STAMPS)/node
	npm run --silent build

migrate: $(STAMPS)/python
	$(MANAGE) migrate --no-input

demo: migrate
	$(MANAGE) seed_demo

run: install assets demo
	$(MANAGE) runserver $(HOST):$(PORT)

# Every core (pytest-xdist). No test depends on another having run first; tests that start a real Celery worker
# each use their xdist worker's own queue (config/settings/test.py).
PARALLEL := -n auto

test: install assets
	$(BIN)/python -m pytest $(PARALLEL) $(PYTEST_ARGS)

# The deployment check test needs the built assets (STATICFILES_DIRS), so even the fast run builds them.
test-fast: install assets
	$(BIN)/python -m pytest $(PARALLEL) -m "not browser" $(PYTEST_ARGS)

test-browser: install assets
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

lint: $(STAMPS)/python
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMPS)/python
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(STAMPS)/python
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run

audit: $(STAMPS)/python
	$(BIN)/pip-audit --strict -r requirements.txt -r requirements-dev.txt

bench: install assets
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-deadline: install assets
	$(BIN)/python bench/deadline.py $(BENCH_ARGS)

bench-confidence: $(STAMPS)/python
	$(BIN)/python bench/confidence.py $(BENCH_ARGS)

worker: $(STAMPS)/python
	$(BIN)/celery -A config worker --loglevel=INFO

beat: $(STAMPS)/python
	$(BIN)/celery -A config beat --loglevel=INFO

clean:
	rm -rf $(VENV) node_modules $(STAMPS) static_build staticfiles
