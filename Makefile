# StudySite 学习站 — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Reinstall whenever the declared dependencies change.
STAMP := $(VENV)/.installed-stamp
TEMPLATES := $(shell find templates -name '*.html')

.PHONY: install run serve test quick check lint format bench bench-smoke reliability clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,audio]'
	touch $(STAMP)

install: $(STAMP)

## Set up and serve on 127.0.0.1:$(PORT) with the 大模型 set loaded.
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py ensure_studyset da-mo-xing
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py build_podcasts
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## Production-style: collectstatic, migrate, gunicorn (WEB_CONCURRENCY workers) on 127.0.0.1:$(PORT).
serve: $(STAMP)
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py ensure_studyset da-mo-xing
	$(BIN)/python manage.py build_podcasts
	$(BIN)/gunicorn studysite.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} \
		--access-logfile - --graceful-timeout 30

## Benchmark on gunicorn; writes bench/results.md (BENCH_SECONDS per page, default 8).
bench: $(STAMP)
	$(BIN)/python bench/run.py --seconds $${BENCH_SECONDS:-8}

bench-smoke: $(STAMP)
	$(BIN)/python bench/run.py --smoke

## Nothing lost under load, locks, killed workers and reloads (gunicorn, 4 workers).
## SQLite by default; DATABASE_URL=postgres://… runs it on a fresh database on that server.
## Writes bench/reliability-<vendor>.md; fails if any bar is missed.
reliability: $(STAMP)
	$(BIN)/python bench/reliability.py

## Lint, then run every test (unit, view and browser).
test: check
	$(BIN)/python -m pytest

## The quick loop for day-to-day work: every test not marked slow, on every core.
quick: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -n auto

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djade --check $(TEMPLATES)
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0
	$(BIN)/python manage.py check --fail-level WARNING

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djade $(TEMPLATES)

clean:
	rm -rf $(VENV) var/static
