# Early Help Hub. The two commands a new user needs: `make run` and `make test`.
PORT ?= 8000
PY := $(shell scripts/python.sh)
UV := $(PY) -m uv

.PHONY: install run serve test lint format bench demo-code

install:
	$(UV) sync --frozen
	npm ci --no-audit --no-fund --silent

# Development server with the fictional demo partnership in SQLite (loaded once).
run: install
	DEBUG=1 DEMO_MODE=1 $(UV) run --frozen python manage.py migrate --no-input
	DEBUG=1 DEMO_MODE=1 $(UV) run --frozen python manage.py demo_load
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
