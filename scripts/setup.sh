#!/usr/bin/env bash
# npm run setup: everything a fresh checkout needs to run the platform's engine for real.
# Idempotent: cached binaries, running servers and installed modules are reused.
#   1. npm ci                    (skipped when node_modules matches package-lock.json)
#   2. scripts/toolchain.sh all  (pulumi CLI, language host, kubernetes provider, MinIO)
#   3. npm run render for dev and prod into out/<stack> (mock evaluation, no engine)
#   4. local PostgreSQL and MinIO (scripts/postgres-local.sh, scripts/minio-local.sh)
#   5. a real `pulumi preview` of dev with offline backends (scripts/engine.ts)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SUMMARY=()
step() {
  local name="$1" start rc=0
  shift
  start=$(date +%s)
  printf '\n[setup] == %s\n' "$name"
  "$@" || rc=$?
  local secs=$(($(date +%s) - start))
  if ((rc == 0)); then
    SUMMARY+=("ok     ${secs}s  $name")
  else
    SUMMARY+=("FAILED ${secs}s  $name (exit $rc)")
    print_summary
    exit "$rc"
  fi
}

print_summary() {
  printf '\n[setup] summary\n'
  printf '  %s\n' "${SUMMARY[@]}"
}

npm_install() {
  # npm ci deletes node_modules first: skip it when npm's own record of the installed tree
  # (node_modules/.package-lock.json) is newer than the lock file.
  if [[ node_modules/.package-lock.json -nt package-lock.json ]]; then
    echo "[setup] node_modules is up to date with package-lock.json: npm ci skipped"
  else
    npm ci
  fi
}

render() {
  local stack
  for stack in dev prod; do
    npm run --silent render -- --stack "$stack" --out "out/$stack"
  done
}

step "npm ci" npm_install
step "toolchain (scripts/toolchain.sh all)" bash scripts/toolchain.sh all
step "render dev and prod into out/" render
step "local PostgreSQL" bash scripts/postgres-local.sh start
step "local MinIO" bash scripts/minio-local.sh start
step "real preview of dev (offline backends)" npx tsx scripts/engine.ts preview --stack dev
print_summary
echo "[setup] next: npm run up -- --stack dev   (docs/engine.md)"
