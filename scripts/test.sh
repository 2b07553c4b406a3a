#!/usr/bin/env bash
# npm test: type check, lint and the mocha suite. The type check runs beside the
# others (it is single-threaded and the slowest step), so the whole run stays short.
set -uo pipefail
cd "$(dirname "$0")/.."

typecheck_log="$(mktemp)"
trap 'rm -f "$typecheck_log"' EXIT
# Caches live in node_modules/.cache (outside git): repeat runs only re-check what changed.
npx tsc --noEmit --incremental --tsBuildInfoFile node_modules/.cache/tsc/tsbuildinfo -p tsconfig.json \
  >"$typecheck_log" 2>&1 &
typecheck_pid=$!

status=0
echo "== lint (eslint, prettier)"
npx eslint --cache --cache-location node_modules/.cache/eslint/ . || status=1
npx prettier --check --cache --log-level warn . || status=1
echo "== tests (go test: the Connect TLS terminator, images/connect-tls)"
if command -v go >/dev/null 2>&1; then
  (cd images/connect-tls && GOTOOLCHAIN=local GOFLAGS=-mod=mod go test -count=1 ./...) || status=1
else
  echo "go is not on PATH: images/connect-tls's go test skipped"
fi
echo "== tests (mocha)"
npx mocha || status=1

echo "== type check (tsc --noEmit)"
if wait "$typecheck_pid"; then
  echo "type check clean"
else
  cat "$typecheck_log"
  status=1
fi
exit "$status"
