#!/usr/bin/env bash
# npm run setup: from a fresh checkout to the `local` stack running on a local Kubernetes
# cluster built on this machine. Idempotent: cached binaries, images, running servers and
# installed modules are reused; each step prints its duration.
#   1. Node.js 22 (scripts/node.sh)      6. local Kubernetes cluster (npm run cluster -- up:
#   2. npm ci                               builds Kubernetes, etcd, CoreDNS, kube-router and
#   3. scripts/toolchain.sh all             the stand-in images on first use)
#   4. npm run render for dev and prod   7. the client namespaces the local stack grants,
#   5. local PostgreSQL and MinIO (for      as the teams would create them
#      the offline engine suite)         8. npm run up -- --stack local (real engine, applied)
#                                        9. the endpoints of each release and notebook
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PATH="$(bash scripts/node.sh --print-path):$PATH"
export PATH

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
endpoints() {
  eval "$(npx tsx cluster/main.ts env)"
  npx tsx scripts/endpoints.ts --stack local
}

step "local PostgreSQL" bash scripts/postgres-local.sh start
step "local MinIO" bash scripts/minio-local.sh start
step "local Kubernetes cluster (npm run cluster -- up)" npx tsx cluster/main.ts up
step "the teams' client namespaces (npm run client-namespaces -- --stack local)" npx tsx scripts/client-namespaces.ts --stack local
step "stack local on the local cluster (npm run up -- --stack local)" npx tsx scripts/engine.ts up --stack local
step "endpoints" endpoints
print_summary
