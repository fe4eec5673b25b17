#!/usr/bin/env bash
# `make screenshots`: the browser tests whose only job is to save screenshots for a person to
# look at (marker `screenshots`, left out of `make test`), on a throwaway PostgreSQL as in
# `make test`. Installs missing system packages when run as root.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/scripts/servers.sh
BIN=.venv/bin
export DEBUG=true DJANGO_ALLOW_ASYNC_UNSAFE=true

ensure_packages chromium:chromium
start_servers

shots=.artifacts/screenshots
mkdir -p "$shots"
touch "$shots/.started"
DATABASE_URL="$PG_URL/peerprogram" CELERY_BROKER_URL="$REDIS_URL/0" \
  $BIN/pytest -m screenshots -q "$@"
# Every workspace page at 1366 and 768 px (a browser test of `make test` that also saves them).
DATABASE_URL="$PG_URL/peerprogram" CELERY_BROKER_URL="$REDIS_URL/0" \
  $BIN/pytest -q tests/e2e/test_workspace.py -k fit_the_screen "$@"

echo "== the screenshots, in $PWD/$shots/:"
find "$shots" -name '*.png' -newer "$shots/.started" -printf '%f\n' | sort
