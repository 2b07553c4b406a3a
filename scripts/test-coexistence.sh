#!/usr/bin/env bash
# The guide's verification step 4: ./scripts/test-coexistence.sh <namespace> [<namespace>]
# One namespace for the shared layout (dev: `spark`), two for a namespace per release
# (prod: `spark-35 spark-41`). Runs the live coexistence checks of `npm run verify` against
# the current kubectl context: a line per check and subject, exit 1 on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
if (($# < 1 || $# > 2)); then
  echo "usage: ./scripts/test-coexistence.sh <namespace> [<namespace>]" >&2
  exit 2
fi
context="$(kubectl config current-context)"
namespaces="$(IFS=,; echo "$*")"
PATH="$(bash scripts/node.sh --print-path):$PATH"
exec node tools/launcher/run.cjs scripts/verify.ts --context "$context" --namespaces "$namespaces"
