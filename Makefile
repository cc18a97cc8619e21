# IOP Navigator — the two commands a newcomer needs are `make run` and `make test`.
PORT ?= 8000
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-e2e lint migrate demo admin messages bench clean serve loadtest profile \
	instructions

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

## Set up (venv, packages, database, demo data) and serve on 127.0.0.1:$(PORT)
run: $(STAMP) migrate demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## Production-style on 127.0.0.1:$(PORT): DEBUG off, collectstatic, migrate (SERVE_MIGRATE=0
## skips it), gunicorn with a worker per core (or WEB_CONCURRENCY). Needs a real SECRET_KEY.
serve: $(STAMP)
	PORT=$(PORT) $(PY) -m iop.serve

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

## Fictional demo programs (idempotent)
demo: $(STAMP)
	$(PY) manage.py load_demo

## Create a staff superuser: interactive, or from DJANGO_SUPERUSER_USERNAME /
## DJANGO_SUPERUSER_PASSWORD / DJANGO_SUPERUSER_EMAIL when those are set.
admin: $(STAMP) migrate
	@if [ -n "$$DJANGO_SUPERUSER_USERNAME" ] && [ -n "$$DJANGO_SUPERUSER_PASSWORD" ]; then \
		$(PY) manage.py createsuperuser --noinput --email "$${DJANGO_SUPERUSER_EMAIL:-admin@example.com}"; \
	else $(PY) manage.py createsuperuser; fi

## The whole test suite (SQLite unless DATABASE_URL is set); the browser tests in tests/e2e
## run too when Chromium is installed (/usr/bin/chromium, or CHROMIUM=...), else they are skipped
test: $(STAMP)
	$(PY) -m pytest -q -n 2

## Only the real-browser tests (Playwright + Debian's Chromium: `apt-get install chromium`)
test-e2e: $(STAMP)
	@test -x "$${CHROMIUM:-/usr/bin/chromium}" || { echo "Chromium not found: apt-get install chromium"; exit 1; }
	$(PY) -m pytest -q -n 2 -m e2e tests/e2e

## 10,000 synthetic programs in a fresh database: median/p95 server time and queries per page,
## on SQLite, then on PostgreSQL (BENCH_PG_URL; a throwaway database is created and dropped)
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
bench: $(STAMP)
	env -u DATABASE_URL $(PY) bench/run.py $(BENCH_ARGS)
	DATABASE_URL=$(BENCH_PG_URL) $(PY) bench/run.py $(BENCH_ARGS)

## Load test (a benchmark, not a test): a throwaway PostgreSQL database with 10,000 synthetic
## programs, `make serve` on it, wrk on every page and the whole screening; prints req/s,
## p50/p99, errors and each page's ratio to /healthz. Installs Debian's wrk when missing.
LOADTEST_ARGS ?=
loadtest: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk (Debian package)"; \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y wrk; }
	$(PY) bench/loadtest.py --database-url $(BENCH_PG_URL) $(LOADTEST_ARGS)

## Profile pages in-process with pyinstrument: make profile PROFILE_URLS="/programs/ /"
## (DATABASE_URL must already hold the programs; LOADTEST_KEEP=1 make loadtest leaves one)
PROFILE_URLS ?= /programs/
profile: $(STAMP)
	$(PY) bench/profile.py $(foreach url,$(PROFILE_URLS),'$(url)')

## Instructions a page costs, counted under valgrind (steady where timings are not):
## make instructions INSTRUCTION_URLS="/programs/ /" INSTRUCTION_ARGS="--against ../old"
## (DATABASE_URL must already hold the programs, as for make profile). Installs valgrind.
INSTRUCTION_URLS ?= /programs/
INSTRUCTION_ARGS ?=
instructions: $(STAMP)
	@command -v valgrind >/dev/null 2>&1 || { echo "Installing valgrind (Debian package)"; \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y valgrind; }
	$(PY) bench/instructions.py $(foreach url,$(INSTRUCTION_URLS),'$(url)') $(INSTRUCTION_ARGS)

## Translations: extract marked text into locale/$(LOCALE)/LC_MESSAGES/django.po (needs Debian's
## gettext), then compile it; both files are committed. New strings arrive empty: translate them
## (docs/translating.md) before `make test`, which fails on any untranslated or fuzzy string.
LOCALE ?= es
messages: $(STAMP)
	mkdir -p locale
	$(PY) manage.py makemessages --locale $(LOCALE) --no-obsolete $(MESSAGES_IGNORE)
	$(PY) manage.py compilemessages --locale $(LOCALE) --ignore ".venv/*"

MESSAGES_IGNORE = --ignore ".venv/*" --ignore "tests/*" --ignore "bench/*" --ignore "static/*" \
	--ignore "staticfiles/*"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) .cache staticfiles db.sqlite3
