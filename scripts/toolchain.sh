#!/usr/bin/env bash
# Builds the Pulumi engine (CLI, Node.js language host, provider plugins) and the MinIO
# server from the Go module proxy into a cache outside the repository, one directory per
# binary keyed by version; binaries already in the cache are reused. The program is
# tools/toolchain/ (TypeScript); this runs it with tsx.
#
# Usage: scripts/toolchain.sh [all|cli|nodejs|kubernetes|postgresql|minio]...
#        scripts/toolchain.sh --print-path     # PATH entries to add (colon-separated)
#        scripts/toolchain.sh --print-plugins  # "resource <name> <version> <binary>" lines
#
# Cache: ${SPARK_PLATFORM_TOOLCHAIN_DIR:-${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}/toolchain}
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tsx_cjs="$repo/node_modules/tsx/dist/cjs/index.cjs"
[[ -f "$tsx_cjs" ]] || { echo "[toolchain] $tsx_cjs is missing: run npm ci" >&2; exit 1; }
# The node on PATH when it can run tsx (18+): callers that move SPARK_PLATFORM_CACHE_DIR
# elsewhere (the cluster's services) must not make scripts/node.sh install another one there.
node="node"
version="$(node --version 2>/dev/null || true)"
version="${version#v}"
if ((${version%%.*} + 0 < 18)); then node="$(bash "$repo/scripts/node.sh" --print-path)/node"; fi
exec "$node" --require "$tsx_cjs" "$repo/scripts/toolchain.ts" "$@"
