#!/usr/bin/env bash
# A local MinIO server (built by scripts/toolchain.sh from the Go module proxy), so the
# platform's bucket and event-log prefix markers are created for real over the S3 API.
#
# Usage: scripts/minio-local.sh start|stop|status|env
#
# Listens on $SPARK_PLATFORM_MINIO_HOST:$SPARK_PLATFORM_MINIO_PORT (default 127.0.0.1:9000),
# data in <cache>/minio/data, log <cache>/minio/minio.log, pid <cache>/minio/minio.pid.
# <cache> = ${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}.
# Root credentials: $SPARK_PLATFORM_MINIO_ROOT_USER / $SPARK_PLATFORM_MINIO_ROOT_PASSWORD,
# or else generated once into <cache>/minio/root-user and root-password (mode 600).
# `env` prints exports (SPARK_PLATFORM_MINIO_ENDPOINT, AWS_ACCESS_KEY_ID, ...).
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}"
MINIO_DIR="$CACHE_DIR/minio"
DATA_DIR="$MINIO_DIR/data"
LOG_FILE="$MINIO_DIR/minio.log"
PID_FILE="$MINIO_DIR/minio.pid"
USER_FILE="$MINIO_DIR/root-user"
PASSWORD_FILE="$MINIO_DIR/root-password"
MINIO_HOST="${SPARK_PLATFORM_MINIO_HOST:-127.0.0.1}"
MINIO_PORT="${SPARK_PLATFORM_MINIO_PORT:-9000}"
ENDPOINT="http://$MINIO_HOST:$MINIO_PORT"

log() { printf '[minio-local] %s\n' "$*" >&2; }

minio_bin() {
  local dir
  dir="$(bash "$REPO_DIR/scripts/toolchain.sh" --print-path | tr ':' '\n' | grep '/minio-' | head -n1)"
  echo "$dir/minio"
}

root_user() {
  if [[ -n "${SPARK_PLATFORM_MINIO_ROOT_USER:-}" ]]; then
    printf '%s' "$SPARK_PLATFORM_MINIO_ROOT_USER"
  else
    cat "$USER_FILE"
  fi
}

root_password() {
  if [[ -n "${SPARK_PLATFORM_MINIO_ROOT_PASSWORD:-}" ]]; then
    printf '%s' "$SPARK_PLATFORM_MINIO_ROOT_PASSWORD"
  else
    cat "$PASSWORD_FILE"
  fi
}

# random <bytes>: alphanumeric secret (MinIO wants >= 3 chars user, >= 8 chars password).
random() { head -c "$1" /dev/urandom | base64 | tr -d '\n/+='; }

prepare() {
  mkdir -p "$DATA_DIR"
  chmod 700 "$MINIO_DIR"
  if [[ -z "${SPARK_PLATFORM_MINIO_ROOT_USER:-}" && ! -s "$USER_FILE" ]]; then
    (umask 077 && printf 'sp%s' "$(random 9)" >"$USER_FILE")
    log "generated the root user into $USER_FILE"
  fi
  if [[ -z "${SPARK_PLATFORM_MINIO_ROOT_PASSWORD:-}" && ! -s "$PASSWORD_FILE" ]]; then
    (umask 077 && random 24 >"$PASSWORD_FILE")
    log "generated the root password into $PASSWORD_FILE"
  fi
}

pid_alive() {
  [[ -s "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

healthy() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null --max-time 2 "$ENDPOINT/minio/health/live" 2>/dev/null
  else
    node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
      "$ENDPOINT/minio/health/live"
  fi
}

cmd_start() {
  local bin
  bin="$(minio_bin)"
  if [[ ! -x "$bin" ]]; then
    log "no MinIO server at $bin: run scripts/toolchain.sh minio"
    exit 1
  fi
  prepare
  if pid_alive && healthy; then
    log "already running on $ENDPOINT"
    return 0
  fi
  if healthy; then
    log "something else already answers on $ENDPOINT (not started by this script);"
    log "set SPARK_PLATFORM_MINIO_PORT to a free port"
    exit 1
  fi
  log "starting on $ENDPOINT (data $DATA_DIR)"
  MINIO_ROOT_USER="$(root_user)" MINIO_ROOT_PASSWORD="$(root_password)" \
    MINIO_BROWSER=off MINIO_UPDATE=off \
    setsid nohup "$bin" server --quiet --address "$MINIO_HOST:$MINIO_PORT" "$DATA_DIR" \
    >>"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  local i
  for ((i = 0; i < 60; i++)); do
    if healthy; then
      log "ready: $ENDPOINT (credentials in $MINIO_DIR or SPARK_PLATFORM_MINIO_ROOT_*)"
      return 0
    fi
    if ! pid_alive; then
      log "server exited, see $LOG_FILE"
      tail -n 20 "$LOG_FILE" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  log "no answer from $ENDPOINT/minio/health/live after 30 s, see $LOG_FILE"
  exit 1
}

cmd_stop() {
  if pid_alive; then
    local pid i
    pid="$(cat "$PID_FILE")"
    kill "$pid"
    for ((i = 0; i < 40; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    rm -f "$PID_FILE"
    log "stopped"
  else
    rm -f "$PID_FILE"
    log "not running"
  fi
}

cmd_status() {
  if pid_alive && healthy; then
    log "running on $ENDPOINT (pid $(cat "$PID_FILE"), data $DATA_DIR)"
  else
    log "not running"
    return 3
  fi
}

cmd_env() {
  printf 'export SPARK_PLATFORM_MINIO_ENDPOINT=%q\n' "$ENDPOINT"
  if [[ -n "${SPARK_PLATFORM_MINIO_ROOT_USER:-}" ]]; then
    printf 'export AWS_ACCESS_KEY_ID="$SPARK_PLATFORM_MINIO_ROOT_USER"\n'
  else
    printf 'export AWS_ACCESS_KEY_ID="$(cat %q)"\n' "$USER_FILE"
  fi
  if [[ -n "${SPARK_PLATFORM_MINIO_ROOT_PASSWORD:-}" ]]; then
    printf 'export AWS_SECRET_ACCESS_KEY="$SPARK_PLATFORM_MINIO_ROOT_PASSWORD"\n'
  else
    printf 'export AWS_SECRET_ACCESS_KEY="$(cat %q)"\n' "$PASSWORD_FILE"
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *)
    echo "usage: $0 start|stop|status|env" >&2
    exit 2
    ;;
esac
