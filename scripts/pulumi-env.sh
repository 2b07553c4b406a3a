# shellcheck shell=bash
# Source this file: `. scripts/pulumi-env.sh`
# Sets up the locally built Pulumi engine (see scripts/toolchain.sh) with a file
# backend, so that `pulumi preview/up/destroy` run without any Pulumi Cloud account.
#
# Cache base: ${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}
#   toolchain/  binaries (SPARK_PLATFORM_TOOLCHAIN_DIR overrides)
#   pulumi-home/ PULUMI_HOME (plugins, workspace settings)
#   state/       default file backend (PULUMI_BACKEND_URL overrides)
#   pulumi-passphrase  generated when PULUMI_CONFIG_PASSPHRASE(_FILE) is unset
# Nothing here changes shell options of the caller.

_sp_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_sp_cache="${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}"
export SPARK_PLATFORM_TOOLCHAIN_DIR="${SPARK_PLATFORM_TOOLCHAIN_DIR:-$_sp_cache/toolchain}"

# Toolchain binaries, then pulumi-resource-pulumi-nodejs (dynamic providers, shipped
# in the @pulumi/pulumi npm package), then the project's npm binaries.
_sp_path="$(bash "$_sp_repo/scripts/toolchain.sh" --print-path)"
_sp_path="$_sp_path:$_sp_repo/node_modules/@pulumi/pulumi:$_sp_repo/node_modules/.bin"
# Node.js 22 first (scripts/node.sh): the language host and dynamic providers run `node`.
_sp_path="$(bash "$_sp_repo/scripts/node.sh" --print-path):$_sp_path"
case ":$PATH:" in
  *":$_sp_path:"*) ;;
  *) export PATH="$_sp_path:$PATH" ;;
esac

export PULUMI_HOME="${PULUMI_HOME:-$_sp_cache/pulumi-home}"
mkdir -p "$PULUMI_HOME" "$_sp_cache/state"
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$_sp_cache/state}"
export PULUMI_SKIP_UPDATE_CHECK=true

if [[ -z "${PULUMI_CONFIG_PASSPHRASE:-}" && -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]]; then
  _sp_pass_file="$_sp_cache/pulumi-passphrase"
  if [[ ! -s "$_sp_pass_file" ]]; then
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n/+=' >"$_sp_pass_file")
    echo "pulumi-env: generated a stack passphrase in $_sp_pass_file" >&2
  fi
  PULUMI_CONFIG_PASSPHRASE="$(cat "$_sp_pass_file")"
  export PULUMI_CONFIG_PASSPHRASE
  unset _sp_pass_file
fi

# Provider plugins built by scripts/toolchain.sh go into PULUMI_HOME's plugin cache
# (once per version), where the engine finds them by the version the npm SDK asks for.
if command -v pulumi >/dev/null 2>&1; then
  while read -r _sp_kind _sp_name _sp_version _sp_bin; do
    [[ -n "$_sp_bin" ]] || continue
    if [[ ! -x "$PULUMI_HOME/plugins/$_sp_kind-$_sp_name-v$_sp_version/pulumi-$_sp_kind-$_sp_name" ]]; then
      pulumi plugin install "$_sp_kind" "$_sp_name" "$_sp_version" --file "$_sp_bin" >&2 ||
        echo "pulumi-env: could not install plugin $_sp_name $_sp_version from $_sp_bin" >&2
    fi
  done < <(bash "$_sp_repo/scripts/toolchain.sh" --print-plugins)
  unset _sp_kind _sp_name _sp_version _sp_bin
else
  echo "pulumi-env: no pulumi CLI yet: run scripts/toolchain.sh" >&2
fi

unset _sp_repo _sp_cache _sp_path
