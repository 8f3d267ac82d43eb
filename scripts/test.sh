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

pgdir=$(mktemp -d /tmp/earlyhelp-pg.XXXXXX)
logs=$(mktemp -d /tmp/earlyhelp-logs.XXXXXX)
trap 'scripts/postgres.sh stop "$pgdir"; rm -rf "$logs"' EXIT
postgres_url=$(scripts/postgres.sh start "$pgdir")

# The suite on SQLite and on PostgreSQL side by side: each run is one Python process, and
# the machines have two cores. Their output is shown one after the other.
echo "== tests on SQLite and on PostgreSQL (side by side)"
"${uv[@]}" run --frozen pytest -q -m "not browser and not postgres_only" "$@" \
  >"$logs/sqlite" 2>&1 &
sqlite_run=$!
DATABASE_URL=$postgres_url "${uv[@]}" run --frozen pytest -q -m "not browser" "$@" \
  >"$logs/postgres" 2>&1 &
postgres_run=$!
sqlite_status=0
wait "$sqlite_run" || sqlite_status=$?
postgres_status=0
wait "$postgres_run" || postgres_status=$?
echo "== tests on SQLite"
cat "$logs/sqlite"
echo "== tests on PostgreSQL"
cat "$logs/postgres"
if [ "$sqlite_status" -ne 0 ] || [ "$postgres_status" -ne 0 ]; then
  echo "FAILED: SQLite exit $sqlite_status, PostgreSQL exit $postgres_status" >&2
  exit 1
fi

export DATABASE_URL=$postgres_url

echo "== browser tests in Chromium (PostgreSQL)"
DJANGO_ALLOW_ASYNC_UNSAFE=true "${uv[@]}" run --frozen pytest -q -m browser tests/e2e "$@"
