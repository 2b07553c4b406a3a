#!/usr/bin/env bash
# A local PostgreSQL (Debian's package) for running the postgresql provider for real.
#
# Usage: scripts/postgres-local.sh start|stop|status|psql [psql args...]|env
#
# Cluster: <cache>/postgres/data, listening on $SPARK_PLATFORM_PG_HOST:$SPARK_PLATFORM_PG_PORT
# (default 127.0.0.1:55432), socket dir <cache>/postgres/run, log <cache>/postgres/postgres.log.
# <cache> = ${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}.
# Superuser `postgres`; its password is $SPARK_PLATFORM_PG_PASSWORD, or else one
# generated once into <cache>/postgres/password (mode 600). `env` prints PG* exports.
#
# PostgreSQL refuses to run as root. As root the server runs in a user namespace
# mapped to the `postgres` user (files stay owned by root, nothing else changes);
# where user namespaces are unavailable it falls back to `runuser -u postgres` on a
# data dir owned by postgres (which then must be reachable by that user).
# SPARK_PLATFORM_PG_RUN_MODE=direct|userns|runuser forces one of the three.
set -euo pipefail

CACHE_DIR="${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}"
PG_DIR="$CACHE_DIR/postgres"
DATA_DIR="$PG_DIR/data"
SOCKET_DIR="$PG_DIR/run"
LOG_FILE="$PG_DIR/postgres.log"
PASSWORD_FILE="$PG_DIR/password"
PG_HOST="${SPARK_PLATFORM_PG_HOST:-127.0.0.1}"
PG_PORT="${SPARK_PLATFORM_PG_PORT:-55432}"

log() { printf '[postgres-local] %s\n' "$*" >&2; }

pg_bindir() {
  local initdb
  initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n1 || true)"
  [[ -n "$initdb" ]] && dirname "$initdb"
}

ensure_installed() {
  if [[ -n "$(pg_bindir)" ]]; then return 0; fi
  log "installing Debian's postgresql package"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
  fi
  [[ -n "$(pg_bindir)" ]] || { log "initdb not found after install"; exit 1; }
}

# How server-side commands are run: directly, in a user namespace, or via runuser.
RUN_MODE=""
choose_run_mode() {
  if [[ -n "${SPARK_PLATFORM_PG_RUN_MODE:-}" ]]; then
    RUN_MODE="$SPARK_PLATFORM_PG_RUN_MODE"
  elif [[ "$(id -u)" != 0 ]]; then
    RUN_MODE=direct
  elif unshare --user --map-user=postgres --map-group=postgres true 2>/dev/null; then
    RUN_MODE=userns
  else
    RUN_MODE=runuser
  fi
}

as_pg() {
  case "$RUN_MODE" in
    direct) "$@" ;;
    userns) unshare --user --map-user=postgres --map-group=postgres "$@" ;;
    runuser) runuser -u postgres -- "$@" ;;
  esac
}

password() {
  if [[ -n "${SPARK_PLATFORM_PG_PASSWORD:-}" ]]; then
    printf '%s' "$SPARK_PLATFORM_PG_PASSWORD"
  else
    cat "$PASSWORD_FILE"
  fi
}

prepare_dirs() {
  mkdir -p "$PG_DIR"
  chmod 700 "$PG_DIR"
  if [[ -z "${SPARK_PLATFORM_PG_PASSWORD:-}" && ! -s "$PASSWORD_FILE" ]]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '\n/+=' >"$PASSWORD_FILE")
    log "generated the postgres password into $PASSWORD_FILE"
  fi
  mkdir -p "$SOCKET_DIR"
  touch "$LOG_FILE"
  if [[ "$RUN_MODE" == runuser ]]; then
    chown postgres:postgres "$PG_DIR" "$SOCKET_DIR" "$LOG_FILE"
    [[ ! -e "$PASSWORD_FILE" ]] || chmod 600 "$PASSWORD_FILE"
    if ! runuser -u postgres -- test -w "$PG_DIR"; then
      log "user postgres cannot reach $PG_DIR (a parent directory is closed to it);"
      log "set SPARK_PLATFORM_CACHE_DIR to a directory it can reach"
      exit 1
    fi
  fi
}

init_cluster() {
  [[ -s "$DATA_DIR/PG_VERSION" ]] && return 0
  local bindir pwfile
  bindir="$(pg_bindir)"
  log "initdb $DATA_DIR"
  pwfile="$(mktemp "$PG_DIR/.pwfile.XXXXXX")"
  password >"$pwfile"
  chmod 600 "$pwfile"
  [[ "$RUN_MODE" != runuser ]] || chown postgres "$pwfile"
  as_pg "$bindir/initdb" -D "$DATA_DIR" -U postgres --pwfile="$pwfile" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >>"$LOG_FILE" 2>&1 || {
    rm -f "$pwfile"
    log "initdb failed, see $LOG_FILE"
    exit 1
  }
  rm -f "$pwfile"
}

is_running() {
  local bindir
  bindir="$(pg_bindir)"
  [[ -s "$DATA_DIR/PG_VERSION" ]] && as_pg "$bindir/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1
}

psql_cmd() {
  PGPASSWORD="$(password)" psql -h "$PG_HOST" -p "$PG_PORT" -U postgres "$@"
}

cmd_start() {
  ensure_installed
  choose_run_mode
  prepare_dirs
  init_cluster
  local bindir
  bindir="$(pg_bindir)"
  if is_running; then
    log "already running on $PG_HOST:$PG_PORT"
  else
    log "starting on $PG_HOST:$PG_PORT ($RUN_MODE)"
    as_pg "$bindir/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 \
      -o "-c listen_addresses=$PG_HOST -c port=$PG_PORT -c unix_socket_directories=$SOCKET_DIR" \
      start >/dev/null || {
      log "start failed, see $LOG_FILE"
      tail -n 20 "$LOG_FILE" >&2 || true
      exit 1
    }
  fi
  if ! psql_cmd -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    log "running, but login as postgres failed (password changed since initdb?)"
    exit 1
  fi
  if [[ -n "${SPARK_PLATFORM_PG_PASSWORD:-}" ]]; then
    log "ready: postgres@$PG_HOST:$PG_PORT (password from SPARK_PLATFORM_PG_PASSWORD)"
  else
    log "ready: postgres@$PG_HOST:$PG_PORT (password in $PASSWORD_FILE)"
  fi
}

cmd_stop() {
  [[ -n "$(pg_bindir)" ]] || { log "not installed"; return 0; }
  choose_run_mode
  if is_running; then
    as_pg "$(pg_bindir)/pg_ctl" -D "$DATA_DIR" -m fast -w stop >/dev/null
    log "stopped"
  else
    log "not running"
  fi
}

cmd_status() {
  if [[ -z "$(pg_bindir)" ]]; then
    log "not installed"
    return 3
  fi
  choose_run_mode
  if is_running; then
    log "running on $PG_HOST:$PG_PORT (data $DATA_DIR)"
  else
    log "not running (data $DATA_DIR)"
    return 3
  fi
}

cmd_env() {
  printf 'export PGHOST=%q PGPORT=%q PGUSER=postgres\n' "$PG_HOST" "$PG_PORT"
  if [[ -n "${SPARK_PLATFORM_PG_PASSWORD:-}" ]]; then
    printf 'export PGPASSWORD="$SPARK_PLATFORM_PG_PASSWORD"\n'
  else
    printf 'export PGPASSWORD="$(cat %q)"\n' "$PASSWORD_FILE"
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  psql)
    shift
    psql_cmd -d postgres "$@"
    ;;
  env) cmd_env ;;
  *)
    echo "usage: $0 start|stop|status|psql [args...]|env" >&2
    exit 2
    ;;
esac
