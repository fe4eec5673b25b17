#!/usr/bin/env bash
# `make bench`: speed figures, printed, never asserted. Starts its own PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/scripts/servers.sh
ensure_packages
start_servers
# Every figure's verdict, for the one summary line at the end.
export BENCH_TALLY="$pg_dir/verdicts"
: >"$BENCH_TALLY"

echo "== planning, admin lists and the reminder sweep"
DEBUG=true DATABASE_URL="$PG_URL/postgres" CELERY_BROKER_URL="$REDIS_URL/0" .venv/bin/python tests/bench/run.py

echo "== public pages over HTTP (demo data in a database of its own)"
pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres pages
DEBUG=false SECRET_KEY=bench-only-secret-key-that-is-long-enough-for-django-checks-1234 \
  ALLOWED_HOSTS=127.0.0.1 SITE_URL=http://127.0.0.1 SECURE_SSL_REDIRECT=false \
  ALLOW_CONSOLE_BACKENDS=true \
  DATABASE_URL="$PG_URL/pages" CELERY_BROKER_URL="$REDIS_URL/0" \
  CACHE_URL="rediscache://127.0.0.1:${REDIS_URL##*:}/1" \
  .venv/bin/python tests/bench/pages.py "$(free_port)"

.venv/bin/python tests/bench/figures.py "$BENCH_TALLY"
