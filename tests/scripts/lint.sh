#!/usr/bin/env bash
# `make lint` (also the first step of `make test`): style, the layers between the apps, types
# of the policy, services and selectors, and dead code.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=.venv/bin
export DEBUG=${DEBUG:-true}

echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .

echo "== import layers (import-linter)"
$BIN/lint-imports

echo "== types (mypy, strict for the policy, services and selectors)"
$BIN/mypy

echo "== dead code (vulture)"
$BIN/vulture
