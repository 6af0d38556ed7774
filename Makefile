# Two commands: `make run` (serve with demo data, no external services) and `make test` (the whole suite).
PY := .venv/bin/python
PORT ?= 8000
# The embedded default: SQLite, in-process tasks, e-mail to var/mail, demo data allowed.
DEV_ENV := DJANGO_DEBUG=true DEMO_DATA_ALLOWED=true

.PHONY: install run test check lint format migrations demo-code frontend bench worker beat clean

.venv/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	test -f .env || printf 'DJANGO_DEBUG=true\nDEMO_DATA_ALLOWED=true\n' > .env
	touch $@

install: .venv/.installed

run: install
	@mkdir -p var
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_demo --cases
	$(DEV_ENV) PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite: lint, migrations in step with models, then tests in parallel.
test: install lint
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

check: test

# What .pre-commit-config.yaml runs too (tests/test_lint_config.py keeps the two the same).
lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	env PYTHONPATH=. .venv/bin/lint-imports
	.venv/bin/mypy

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

migrations: install
	$(DEV_ENV) $(PY) manage.py makemigrations

demo-code: install
	@$(DEV_ENV) $(PY) manage.py demo_code

# Refresh vendored GOV.UK Frontend and axe-core from npm (needs Node only when run).
frontend:
	bash scripts/vendor-frontend.sh

worker: install
	.venv/bin/celery -A config worker --loglevel=INFO

beat: install
	.venv/bin/celery -A config beat --loglevel=INFO

clean:
	rm -rf .venv var .pytest_cache

# Benchmarks on PostgreSQL (seeded once into their own database: 100,000 cases, then 10 million audit
# events for the audit search, about 8 minutes the first time). Prints latencies, targets and query plans.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/prevent_bench
# The retention scan seeds a million closed cases into a database of its own (BENCH_RETENTION_CASES=20000 for a quick run).
RETENTION_BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/prevent_bench_retention
bench: install
	psql "$(BENCH_DATABASE_URL)" -c "select 1" >/dev/null 2>&1 || createdb -h 127.0.0.1 -U postgres $(notdir $(BENCH_DATABASE_URL))
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/matching.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/case_queue.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/audit_ingest.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/audit_cost.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/audit_search.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/reports.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/case_file.py
	psql "$(RETENTION_BENCH_DATABASE_URL)" -c "select 1" >/dev/null 2>&1 || createdb -h 127.0.0.1 -U postgres $(notdir $(RETENTION_BENCH_DATABASE_URL))
	DATABASE_URL=$(RETENTION_BENCH_DATABASE_URL) $(PY) bench/retention.py
