#!/usr/bin/env bash
# Lints .github/workflows/*.yml with actionlint, offline: the binary is built once from
# the Go module proxy into a cache outside the repository and reused after that.
#
# Usage: scripts/actionlint.sh [actionlint flags]   (npm run lint:workflows)
# Cache: ${SPARK_PLATFORM_TOOLCHAIN_DIR:-${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}/toolchain}/actionlint-<version>/
# Run: shell snippets are also checked with shellcheck when it is on PATH.
set -euo pipefail

ACTIONLINT_VERSION="v1.7.12"
TOOLCHAIN_DIR="${SPARK_PLATFORM_TOOLCHAIN_DIR:-${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}/toolchain}"
BIN_DIR="$TOOLCHAIN_DIR/actionlint-$ACTIONLINT_VERSION"
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ ! -x "$BIN_DIR/actionlint" ]]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "actionlint.sh: Go is needed to build actionlint $ACTIONLINT_VERSION (none on PATH)" >&2
    exit 1
  fi
  echo "actionlint.sh: building actionlint $ACTIONLINT_VERSION into $BIN_DIR" >&2
  mkdir -p "$BIN_DIR"
  # Build outside the repository so its go.mod (if any) and files stay untouched.
  (cd "$BIN_DIR" && GOBIN="$BIN_DIR" GOFLAGS=-mod=mod \
    go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION")
fi

cd "$REPO_DIR"
shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [[ ${#workflows[@]} -eq 0 ]]; then
  echo "actionlint.sh: no workflow files under .github/workflows" >&2
  exit 1
fi
"$BIN_DIR/actionlint" "$@" "${workflows[@]}"
echo "actionlint $ACTIONLINT_VERSION: ${#workflows[@]} workflow file(s) clean"
