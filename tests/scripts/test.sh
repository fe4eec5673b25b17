#!/usr/bin/env bash
# `make test`: lint (tests/scripts/lint.sh: ruff, import-linter, mypy, vulture), the migrations
# check, the whole suite on a throwaway PostgreSQL (with headless Chromium and a real Celery
# worker on a throwaway Redis), then the smoke part on the SQLite default. Installs missing
# system packages when run as root.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/scripts/servers.sh
BIN=.venv/bin
export DEBUG=true DJANGO_ALLOW_ASYNC_UNSAFE=true

ensure_packages chromium:chromium msgfmt:gettext

bash tests/scripts/lint.sh

echo "== migrations are committed"
$BIN/python manage.py makemigrations --check --dry-run

start_servers

# On both cores: pytest-xdist gives each worker its own test database; the tests that share the
# Redis worker or the live server stay on one worker (xdist_group). Screenshots are `make
# screenshots`.
echo "== the suite on PostgreSQL, broker tests on Redis"
DATABASE_URL="$PG_URL/peerprogram" CELERY_BROKER_URL="$REDIS_URL/0" \
  $BIN/pytest -n 2 --dist loadgroup -m "not screenshots" "$@"

echo "== the smoke part on SQLite"
$BIN/pytest -m "smoke and not screenshots" -q "$@"
