#!/usr/bin/env bash
# Benchmarks on a private PostgreSQL cluster with realistic volumes:
# generate PERSONS persons (default 1,000,000) in families, then measure person search, the
# sharing policy's cost on the family list and page, and chained audit writes.
set -euo pipefail
cd "$(dirname "$0")/.."
uv=("$(scripts/python.sh)" -m uv)
persons=${PERSONS:-1000000}
export TESTING=1 DJANGO_SETTINGS_MODULE=config.settings
pgdir=$(mktemp -d /tmp/earlyhelp-bench.XXXXXX)
trap 'scripts/postgres.sh stop "$pgdir"' EXIT
DATABASE_URL=$(scripts/postgres.sh start "$pgdir")
export DATABASE_URL
"${uv[@]}" run --frozen python manage.py migrate --no-input >/dev/null
"${uv[@]}" run --frozen python bench/generate.py --persons "$persons"
"${uv[@]}" run --frozen python bench/search.py --queries "${QUERIES:-300}"
"${uv[@]}" run --frozen python bench/policy.py --requests "${REQUESTS:-200}"
"${uv[@]}" run --frozen python bench/worktray.py --requests "${REQUESTS:-200}"
"${uv[@]}" run --frozen python bench/chronology.py --requests "${REQUESTS:-200}"
"${uv[@]}" run --frozen python bench/insights.py --requests "${REQUESTS:-200}"
"${uv[@]}" run --frozen python bench/audit.py --writers 8 --events "${EVENTS:-1000}"
"${uv[@]}" run --frozen python bench/outbox.py --notifications "${NOTIFICATIONS:-20000}"
