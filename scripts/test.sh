#!/usr/bin/env bash
# The whole test suite: linters, the suite on SQLite, the suite on a private PostgreSQL
# cluster, and the browser tests in Chromium. Fails when any part fails.
set -euo pipefail
cd "$(dirname "$0")/.."
uv=("$(scripts/python.sh)" -m uv)
export TESTING=1 DJANGO_SETTINGS_MODULE=config.settings
unset DATABASE_URL

scripts/system-packages.sh

echo "== ruff"
"${uv[@]}" run --frozen ruff check .
"${uv[@]}" run --frozen ruff format --check .
echo "== mypy"
"${uv[@]}" run --frozen mypy .

echo "== tests on SQLite"
"${uv[@]}" run --frozen pytest -q -m "not browser and not postgres_only" "$@"

pgdir=$(mktemp -d /tmp/earlyhelp-pg.XXXXXX)
trap 'scripts/postgres.sh stop "$pgdir"' EXIT
DATABASE_URL=$(scripts/postgres.sh start "$pgdir")
export DATABASE_URL
echo "== tests on PostgreSQL"
"${uv[@]}" run --frozen pytest -q -m "not browser" "$@"

echo "== browser tests in Chromium (PostgreSQL)"
DJANGO_ALLOW_ASYNC_UNSAFE=true "${uv[@]}" run --frozen pytest -q -m browser tests/e2e "$@"
