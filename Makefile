# Early Help Hub. The two commands a new user needs: `make run` and `make test`.
PORT ?= 8000
PY := $(shell scripts/python.sh)
UV := $(PY) -m uv

.PHONY: install run serve test lint format bench demo-code

install:
	$(UV) sync --frozen
	npm ci --no-audit --no-fund --silent

# Development server with the fictional demo partnership in SQLite (loaded once), and the
# background worker beside it (e-mails from the outbox, ADR 0009): the worker starts first,
# in the background, and stops when the server stops. The sweeps pick up e-mails a stopped
# worker left waiting and raise today's overdue alerts.
run: install
	DEBUG=1 DEMO_MODE=1 $(UV) run --frozen python manage.py migrate --no-input
	DEBUG=1 DEMO_MODE=1 $(UV) run --frozen python manage.py demo_load
	DEBUG=1 DEMO_MODE=1 $(UV) run --frozen python manage.py overdue_sweep
	DEBUG=1 DEMO_MODE=1 $(UV) run --frozen python manage.py housing_bed_and_breakfast_sweep
	DEBUG=1 DEMO_MODE=1 $(UV) run --frozen python manage.py notifications_sweep
	DEBUG=1 DEMO_MODE=1 $(UV) run --frozen python manage.py db_worker --no-reload --interval 1 & \
	worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 DEMO_MODE=1 $(UV) run --frozen python manage.py runserver 127.0.0.1:$(PORT)

# The current six-digit code of a demo account, for signing in without a phone.
demo-code:
	DEBUG=1 DEMO_MODE=1 $(UV) run --frozen python manage.py demo_code $(EMAIL)

# Production-style serving: gunicorn (WSGI), persistent connections, whitenoise static files.
# Needs SECRET_KEY, and DATABASE_URL for PostgreSQL.
serve: install
	$(UV) run --frozen python manage.py collectstatic --no-input
	$(UV) run --frozen python manage.py migrate --no-input
	$(UV) run --frozen gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

test: install
	scripts/test.sh

lint:
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	TESTING=1 $(UV) run --frozen mypy .

format:
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

bench: install
	bench/run.sh
