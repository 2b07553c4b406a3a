#!/usr/bin/env bash
# Builds the Pulumi engine (CLI, Node.js language host, provider plugins) from the
# Go module proxy into a cache outside the repository, one directory per binary
# keyed by version. Binaries already in the cache are reused.
#
# Usage: scripts/toolchain.sh [all|cli|nodejs|kubernetes|postgresql|minio]...
#        scripts/toolchain.sh --print-path     # PATH entries to add (colon-separated)
#        scripts/toolchain.sh --print-plugins  # "resource <name> <version> <binary>" lines
#
# Cache: ${SPARK_PLATFORM_TOOLCHAIN_DIR:-${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}/toolchain}
# Provider versions follow package.json (@pulumi/kubernetes, @pulumi/postgresql,
# @pulumi/minio); SPARK_PLATFORM_{K8S,POSTGRESQL,MINIO_PROVIDER}_VERSION override them.
# Wrapper modules are written under <cache>/work, never inside the repository.
#
# Why the pins are what they are (the proxy here serves only some versions):
# - pulumi CLI: github.com/pulumi/pulumi/pkg/v3 is served at v3.259.0 only
#   (v3.260.0+ zips are refused), so the CLI and @pulumi/pulumi are 3.259.0.
# - Node.js language host: the module
#   github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 is refused at
#   every pseudo-version tried (including the sdk/v3.259.0 commit). The newest host
#   that is served is the package that lived inside sdk/v3 up to v3.68.0; it speaks
#   the same LanguageRuntime protocol and the 3.259 engine falls back for the RPCs
#   it lacks (Handshake, GetRequiredPackages, ...).
# - kubernetes provider: provider/v4 has no module tags; the only pseudo-version the
#   proxy serves is the v4.25.0 release commit, so @pulumi/kubernetes must be 4.25.0.
#   The sum database here does not know it: GONOSUMDB is set for that module.
# - postgresql and minio providers: neither the pulumi provider modules nor their
#   upstream Terraform providers are served; those parts report that and skip.
set -euo pipefail
shopt -s inherit_errexit

TOOLCHAIN_DIR="${SPARK_PLATFORM_TOOLCHAIN_DIR:-${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}/toolchain}"
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

PULUMI_VERSION="3.259.0"
LANGHOST_SDK_VERSION="3.68.0"
K8S_DEFAULT_VERSION="4.25.0"
POSTGRESQL_DEFAULT_VERSION="3.18.1"
MINIO_PROVIDER_DEFAULT_VERSION="0.17.1"
# MinIO server: the last release (v0.0.0-20251015172955-9e49d5e7a648) is refused
# (.info 403); the newest pseudo-version found served is from 2021-05-16.
MINIO_SERVER_VERSION="v0.0.0-20210516060309-ce3d9dc9faa5"
# That MinIO pins github.com/modern-go/reflect2 v1.0.1, whose map iterator reads Go
# runtime internals that changed in Go 1.18: built with today's Go the server dies with
# SIGSEGV in json-iterator's map encoder now and then. v1.0.2 is the upstream fix.
MINIO_REFLECT2_VERSION="v1.0.2"

# npm version of @pulumi/kubernetes -> pseudo-version of provider/v4 at its release commit.
k8s_pseudo_version() {
  case "$1" in
    4.25.0) echo "v4.0.0-20260115033456-f47bc2d6f199" ;;
    *) return 1 ;;
  esac
}

# Candidate pseudo-versions of pulumi-postgresql provider/v3 (release commits); none is
# served at present, the part probes them so a change on the proxy side is noticed.
postgresql_pseudo_version() {
  case "$1" in
    3.18.0 | 3.18.1) echo "v3.0.0-20260716141723-b57d264d8aee" ;;
    *) return 1 ;;
  esac
}

log() { printf '[toolchain] %s\n' "$*" >&2; }

# Version of an npm dependency in the repository's package.json (range markers stripped).
npm_dep_version() {
  local pkg="$1" default="$2" v=""
  if [[ -f "$REPO_DIR/package.json" ]] && command -v node >/dev/null 2>&1; then
    v="$(node -e '
      const p = require(process.argv[1]);
      const d = Object.assign({}, p.devDependencies, p.dependencies);
      process.stdout.write(String(d[process.argv[2]] || ""));
    ' "$REPO_DIR/package.json" "$pkg" 2>/dev/null || true)"
    v="${v#^}"; v="${v#~}"; v="${v#=}"
  fi
  echo "${v:-$default}"
}

K8S_VERSION="${SPARK_PLATFORM_K8S_VERSION:-$(npm_dep_version @pulumi/kubernetes "$K8S_DEFAULT_VERSION")}"
POSTGRESQL_VERSION="${SPARK_PLATFORM_POSTGRESQL_VERSION:-$(npm_dep_version @pulumi/postgresql "$POSTGRESQL_DEFAULT_VERSION")}"
MINIO_PROVIDER_VERSION="${SPARK_PLATFORM_MINIO_PROVIDER_VERSION:-$(npm_dep_version @pulumi/minio "$MINIO_PROVIDER_DEFAULT_VERSION")}"

CLI_DIR="$TOOLCHAIN_DIR/pulumi-v$PULUMI_VERSION"
# "-runplugin1": the host is built with RunPlugin added (see langhost_runplugin_go); bump
# the suffix when that code changes so caches rebuild.
LANGHOST_DIR="$TOOLCHAIN_DIR/pulumi-language-nodejs-v$LANGHOST_SDK_VERSION-runplugin1"
K8S_DIR="$TOOLCHAIN_DIR/pulumi-resource-kubernetes-v$K8S_VERSION"
POSTGRESQL_DIR="$TOOLCHAIN_DIR/pulumi-resource-postgresql-v$POSTGRESQL_VERSION"
MINIO_PROVIDER_DIR="$TOOLCHAIN_DIR/pulumi-resource-minio-v$MINIO_PROVIDER_VERSION"
MINIO_SERVER_DIR="$TOOLCHAIN_DIR/minio-$MINIO_SERVER_VERSION-reflect2-$MINIO_REFLECT2_VERSION"

# PATH entries: the CLI directory (which also holds the language host and the
# dynamic provider host, see link_bundled) and the MinIO server. Provider plugins
# are deliberately not on PATH: the engine would use them whatever version a program
# asks for, with a warning on every run; scripts/pulumi-env.sh installs them into
# PULUMI_HOME instead (--print-plugins).
print_path() {
  echo "$CLI_DIR:$MINIO_SERVER_DIR"
}

# "kind name version binary" for each provider plugin present in the cache.
print_plugins() {
  local name version dir
  while read -r name version dir; do
    [[ -x "$dir/pulumi-resource-$name" ]] && echo "resource $name $version $dir/pulumi-resource-$name"
  done <<EOF_PLUGINS
kubernetes $K8S_VERSION $K8S_DIR
postgresql $POSTGRESQL_VERSION $POSTGRESQL_DIR
minio $MINIO_PROVIDER_VERSION $MINIO_PROVIDER_DIR
EOF_PLUGINS
  return 0
}

# The engine treats pulumi-language-nodejs and pulumi-resource-pulumi-nodejs (dynamic
# providers) as bundled plugins: found next to the pulumi binary they are used
# silently, found elsewhere on PATH they are used with a warning on every run.
link_bundled() {
  [[ -x "$CLI_DIR/pulumi" ]] || return 0
  if [[ -x "$LANGHOST_DIR/pulumi-language-nodejs" ]]; then
    ln -sfn "$LANGHOST_DIR/pulumi-language-nodejs" "$CLI_DIR/pulumi-language-nodejs"
  fi
  # Runs the dynamic provider host of the @pulumi/pulumi that the program's directory
  # resolves (the engine starts it with the program's directory as working directory).
  cat >"$CLI_DIR/pulumi-resource-pulumi-nodejs.tmp" <<'EOF_DYN'
#!/bin/sh
script="$(node -e "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))")" || exit 1
exec node "$script" "$@"
EOF_DYN
  chmod 755 "$CLI_DIR/pulumi-resource-pulumi-nodejs.tmp"
  mv -f "$CLI_DIR/pulumi-resource-pulumi-nodejs.tmp" "$CLI_DIR/pulumi-resource-pulumi-nodejs"
  # No pulumi-analyzer-policy launcher: the 3.259 engine only falls back to one when it
  # finds no nodejs language host; with one it starts policy packs through the host's
  # RunPlugin (added at build time, see langhost_runplugin_go).
  rm -f "$CLI_DIR/pulumi-analyzer-policy"
}

# new_wrapper <dir> <module> <go-version>: fresh wrapper module directory.
new_wrapper() {
  local dir="$1" module="$2" gover="$3"
  rm -rf "$dir"
  mkdir -p "$dir"
  printf 'module %s\n\ngo %s\n' "$module" "$gover" >"$dir/go.mod"
}

# wrapper_from_module <module> <version> <wrapper-module-name>: in the current
# directory, a wrapper module whose go.mod/go.sum are the module's own (same
# dependency versions, same replaces, and hashes for dependencies that the sum
# database reachable here does not know), renamed and requiring the module itself.
# Prints the module's directory in the module cache.
wrapper_from_module() {
  local mod="$1" ver="$2" name="$3" dir
  dir="$(go mod download -json "$mod@$ver" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$dir" ]] || { log "download of $mod@$ver failed"; return 1; }
  cp "$dir/go.mod" "$dir/go.sum" .
  chmod u+w go.mod go.sum
  go mod edit -module "$name" -require "$mod@$ver"
  echo "$dir"
}

# install_binary <built-file> <dest-dir> <name>: move into the cache atomically.
install_binary() {
  local built="$1" dest="$2" name="$3"
  mkdir -p "$dest"
  mv -f "$built" "$dest/$name.tmp"
  mv -f "$dest/$name.tmp" "$dest/$name"
}

build_cli() {
  local bin="$CLI_DIR/pulumi"
  if [[ -x "$bin" ]]; then log "cli: cached $bin"; return 0; fi
  local work="$TOOLCHAIN_DIR/work/pulumi-v$PULUMI_VERSION"
  new_wrapper "$work" spark-platform/toolchain/pulumi-cli 1.25.11
  # Module-to-module replaces copied from pkg/go.mod at v3.259.0 (the sdk => ../sdk
  # replace is dropped: the wrapper requires sdk/v3 at the same tag instead).
  cat >>"$work/go.mod" <<'EOF'

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
EOF
  (
    cd "$work"
    go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION" \
      "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
    go build -tags osusergo,grpcnotrace \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
      -o "$work/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  )
  install_binary "$work/pulumi" "$CLI_DIR" pulumi
}

# Go source added to the v3.68 language host at build time: RunPlugin, which the 3.259
# engine uses to start Node.js policy packs (`pulumi preview --policy-pack`); the v3.68
# host answers "not supported". The engine's request carries the pack's directory and the
# plugin kind in fields this host's protobuf does not know (info=5, kind=6): they are
# read from the unknown fields. The pack runs as the newer hosts run it:
# `node <@pulumi/pulumi/cmd/run-policy-pack> <engine args...> <pack dir>` in the pack dir.
langhost_runplugin_go() {
  cat <<'EOF_GO'
// Code added by spark-platform's scripts/toolchain.sh (see there for why).
package main

import (
	"errors"
	"fmt"
	"os/exec"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/encoding/protowire"
)

// runPluginTarget reads info.program_directory (5.2) and kind (6) from unknown fields.
func runPluginTarget(unknown []byte) (programDir string, kind string) {
	fields := func(b []byte, visit func(num protowire.Number, value []byte)) {
		for len(b) > 0 {
			num, typ, n := protowire.ConsumeTag(b)
			if n < 0 {
				return
			}
			b = b[n:]
			if typ == protowire.BytesType {
				value, m := protowire.ConsumeBytes(b)
				if m < 0 {
					return
				}
				visit(num, value)
				b = b[m:]
				continue
			}
			m := protowire.ConsumeFieldValue(num, typ, b)
			if m < 0 {
				return
			}
			b = b[m:]
		}
	}
	fields(unknown, func(num protowire.Number, value []byte) {
		switch num {
		case 5:
			fields(value, func(inner protowire.Number, v []byte) {
				if inner == 2 {
					programDir = string(v)
				}
			})
		case 6:
			kind = string(value)
		}
	})
	return programDir, kind
}

type runPluginStream struct {
	mu     *sync.Mutex
	server pulumirpc.LanguageRuntime_RunPluginServer
	stdout bool
}

func (w runPluginStream) Write(p []byte) (int, error) {
	data := append([]byte(nil), p...)
	resp := &pulumirpc.RunPluginResponse{}
	if w.stdout {
		resp.Output = &pulumirpc.RunPluginResponse_Stdout{Stdout: data}
	} else {
		resp.Output = &pulumirpc.RunPluginResponse_Stderr{Stderr: data}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.server.Send(resp); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (host *nodeLanguageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	programDir, kind := runPluginTarget(req.ProtoReflect().GetUnknown())
	if kind != "" && kind != "analyzer" {
		return fmt.Errorf("RunPlugin: only policy packs (analyzer) are supported here, not %q", kind)
	}
	if programDir == "" {
		programDir = req.GetPwd()
	}
	const entry = "@pulumi/pulumi/cmd/run-policy-pack"
	resolve := exec.Command("node", "-e", "process.stdout.write(require.resolve(process.argv[1]))", entry)
	resolve.Dir = programDir
	resolve.Env = req.GetEnv()
	script, err := resolve.Output()
	if err != nil {
		return fmt.Errorf("RunPlugin: cannot resolve %s from %s (npm ci?): %w", entry, programDir, err)
	}
	args := append([]string{string(script)}, req.GetArgs()...)
	args = append(args, programDir)
	cmd := exec.Command("node", args...)
	cmd.Dir = programDir
	cmd.Env = req.GetEnv()
	mu := &sync.Mutex{}
	cmd.Stdout = runPluginStream{mu: mu, server: server, stdout: true}
	cmd.Stderr = runPluginStream{mu: mu, server: server}
	code := 0
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return err
		}
		code = exitErr.ExitCode()
	}
	return server.Send(&pulumirpc.RunPluginResponse{
		Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)},
	})
}
EOF_GO
}

build_nodejs() {
  local bin="$LANGHOST_DIR/pulumi-language-nodejs"
  if [[ -x "$bin" ]]; then log "nodejs: cached $bin"; return 0; fi
  local work="$TOOLCHAIN_DIR/work/pulumi-language-nodejs-v$LANGHOST_SDK_VERSION"
  new_wrapper "$work" spark-platform/toolchain/pulumi-language-nodejs 1.21
  (
    cd "$work"
    go get "github.com/pulumi/pulumi/sdk/v3@v$LANGHOST_SDK_VERSION"
    # The host's package, copied out of the module cache, with RunPlugin replaced.
    local dir
    dir="$(go list -m -json "github.com/pulumi/pulumi/sdk/v3" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    local src="$dir/nodejs/cmd/pulumi-language-nodejs"
    local f
    for f in "$src"/*.go; do
      case "$f" in *_test.go | *_windows.go) continue ;; esac
      cp "$f" .
    done
    chmod u+w ./*.go
    grep -q '^func (host \*nodeLanguageHost) RunPlugin(' main.go ||
      { log "nodejs: RunPlugin not found in the host's main.go"; return 1; }
    # Delete the stub: from its signature to the first closing brace at column 0.
    sed -i '/^func (host \*nodeLanguageHost) RunPlugin(/,/^}/d' main.go
    langhost_runplugin_go >runplugin_spark_platform.go
    go mod tidy
    go build \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$LANGHOST_SDK_VERSION" \
      -o "$work/pulumi-language-nodejs" .
  )
  install_binary "$work/pulumi-language-nodejs" "$LANGHOST_DIR" pulumi-language-nodejs
}

build_kubernetes() {
  local bin="$K8S_DIR/pulumi-resource-kubernetes"
  if [[ -x "$bin" ]]; then log "kubernetes: cached $bin"; return 0; fi
  local pseudo
  if ! pseudo="$(k8s_pseudo_version "$K8S_VERSION")"; then
    log "kubernetes: @pulumi/kubernetes $K8S_VERSION cannot be built here: the proxy serves"
    log "kubernetes: github.com/pulumi/pulumi-kubernetes/provider/v4 only at the $K8S_DEFAULT_VERSION commit; pin @pulumi/kubernetes $K8S_DEFAULT_VERSION"
    return 1
  fi
  local mod=github.com/pulumi/pulumi-kubernetes/provider/v4
  local work="$TOOLCHAIN_DIR/work/pulumi-resource-kubernetes-v$K8S_VERSION"
  rm -rf "$work"
  mkdir -p "$work"
  (
    cd "$work"
    # The sum database reachable here lacks this pseudo-version and several of its
    # dependencies: the provider's own go.sum (from the module zip) vouches for those.
    export GONOSUMDB="github.com/pulumi/pulumi-kubernetes${GONOSUMDB:+,$GONOSUMDB}"
    export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"
    local dir
    dir="$(wrapper_from_module "$mod" "$pseudo" spark-platform/toolchain/pulumi-resource-kubernetes)"
    # provider/go.mod replaces sdk/v4 => ../sdk: require the sdk tag instead.
    go mod edit -dropreplace github.com/pulumi/pulumi-kubernetes/sdk/v4 \
      -require "github.com/pulumi/pulumi-kubernetes/sdk/v4@v$K8S_VERSION"
    # The main package with its embedded schema is generated, not shipped: copy
    # cmd/pulumi-resource-kubernetes and run its generate step (VERSION stamps the schema).
    local src="$dir/cmd/pulumi-resource-kubernetes"
    cp "$src/main.go" "$src/generate.go" "$src/schema.json" "$src/terraform-mapping.json" .
    chmod u+w ./*.go ./*.json
    VERSION="$K8S_VERSION" go run generate.go
    rm -f schema.json terraform-mapping.json
    go build \
      -ldflags "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$K8S_VERSION" \
      -o "$work/pulumi-resource-kubernetes" .
  )
  install_binary "$work/pulumi-resource-kubernetes" "$K8S_DIR" pulumi-resource-kubernetes
}

build_postgresql() {
  local bin="$POSTGRESQL_DIR/pulumi-resource-postgresql"
  if [[ -x "$bin" ]]; then log "postgresql: cached $bin"; return 0; fi
  local pseudo
  if ! pseudo="$(postgresql_pseudo_version "$POSTGRESQL_VERSION")"; then
    log "postgresql: no known module version for @pulumi/postgresql $POSTGRESQL_VERSION"
    return 1
  fi
  local work="$TOOLCHAIN_DIR/work/probe-postgresql"
  new_wrapper "$work" spark-platform/toolchain/probe 1.26
  # pulumi-postgresql/provider/v3 replaces its Terraform provider with ../upstream
  # (github.com/terraform-providers/terraform-provider-postgresql, module line renamed).
  # Both must come from the proxy; at present it refuses both.
  if ! (cd "$work" && go mod download "github.com/pulumi/pulumi-postgresql/provider/v3@$pseudo"); then
    log "postgresql: github.com/pulumi/pulumi-postgresql/provider/v3@$pseudo is not served by the Go module proxy: not buildable here"
    return 1
  fi
  log "postgresql: provider module is served now; a build recipe still has to be written"
  return 1
}

build_minio_provider() {
  local bin="$MINIO_PROVIDER_DIR/pulumi-resource-minio"
  if [[ -x "$bin" ]]; then log "minio-provider: cached $bin"; return 0; fi
  local work="$TOOLCHAIN_DIR/work/probe-minio"
  new_wrapper "$work" spark-platform/toolchain/probe 1.25.11
  # github.com/pulumi/pulumi-minio/provider has no module tags and wraps
  # github.com/aminueza/terraform-provider-minio; the proxy refuses both.
  if ! (cd "$work" && go mod download "github.com/aminueza/terraform-provider-minio@v1.20.1"); then
    log "minio-provider: upstream github.com/aminueza/terraform-provider-minio@v1.20.1 is not served: not buildable here"
    return 1
  fi
  log "minio-provider: upstream is served now; a build recipe still has to be written"
  return 1
}

build_minio_server() {
  local bin="$MINIO_SERVER_DIR/minio"
  if [[ -x "$bin" ]]; then log "minio-server: cached $bin"; return 0; fi
  local work="$TOOLCHAIN_DIR/work/minio-$MINIO_SERVER_VERSION"
  rm -rf "$work"
  mkdir -p "$work"
  (
    cd "$work"
    export GONOSUMDB="github.com/minio/minio${GONOSUMDB:+,$GONOSUMDB}"
    export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"
    wrapper_from_module github.com/minio/minio "$MINIO_SERVER_VERSION" spark-platform/toolchain/minio >/dev/null
    go mod edit -require "github.com/modern-go/reflect2@$MINIO_REFLECT2_VERSION"
    go build -o "$work/minio" github.com/minio/minio
    [[ "$(go list -m -f '{{.Version}}' github.com/modern-go/reflect2)" == "$MINIO_REFLECT2_VERSION" ]]
  )
  install_binary "$work/minio" "$MINIO_SERVER_DIR" minio
}

# run_part <name> <required:0|1> <function>
FAILED_REQUIRED=()
FAILED_OPTIONAL=()
run_part() {
  local name="$1" required="$2" fn="$3" start rc=0
  start=$(date +%s)
  log "$name: start"
  # A subshell outside any || list, so that errexit applies inside the part.
  set +e
  (
    set -e
    "$fn"
  )
  rc=$?
  set -e
  local secs=$(($(date +%s) - start))
  if ((rc == 0)); then
    log "$name: ok (${secs}s)"
  elif ((required)); then
    log "$name: FAILED (${secs}s)"
    FAILED_REQUIRED+=("$name")
  else
    log "$name: failed, optional part skipped (${secs}s)"
    FAILED_OPTIONAL+=("$name")
  fi
}

main() {
  case "${1:-}" in
    --print-path) print_path; return 0 ;;
    --print-plugins) print_plugins; return 0 ;;
  esac
  command -v go >/dev/null 2>&1 || { log "go is not installed"; exit 1; }
  mkdir -p "$TOOLCHAIN_DIR/work"
  local parts=("$@")
  ((${#parts[@]})) || parts=(all)
  local p
  for p in "${parts[@]}"; do
    case "$p" in
      all)
        run_part cli 1 build_cli
        run_part nodejs 1 build_nodejs
        run_part kubernetes 1 build_kubernetes
        run_part postgresql 0 build_postgresql
        run_part minio-provider 0 build_minio_provider
        # Required: the integration suite and `npm run up` store event-log markers in it.
        run_part minio-server 1 build_minio_server
        ;;
      cli) run_part cli 1 build_cli ;;
      nodejs) run_part nodejs 1 build_nodejs ;;
      kubernetes) run_part kubernetes 1 build_kubernetes ;;
      postgresql) run_part postgresql 1 build_postgresql ;;
      minio)
        run_part minio-provider 0 build_minio_provider
        run_part minio-server 1 build_minio_server
        ;;
      *) log "unknown part: $p (all|cli|nodejs|kubernetes|postgresql|minio|--print-path|--print-plugins)"; exit 2 ;;
    esac
  done
  link_bundled
  ((${#FAILED_OPTIONAL[@]} == 0)) || log "optional parts not built: ${FAILED_OPTIONAL[*]}"
  if ((${#FAILED_REQUIRED[@]})); then
    log "required parts failed: ${FAILED_REQUIRED[*]}"
    exit 1
  fi
  log "PATH entries: $(print_path)"
}

main "$@"
