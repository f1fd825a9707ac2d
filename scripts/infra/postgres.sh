#!/usr/bin/env bash
# Installs (if missing) and starts a throw-away PostgreSQL 15 for tests on
# 127.0.0.1:$PG_PORT, then makes sure every service has its role + database.
# Data: .infra/pg/data. Idempotent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_ROOT="$INFRA_DIR/pg"
PG_DATA="$PG_ROOT/data"
PG_LOG="$PG_ROOT/postgres.log"
PG_SOCKET_DIR="$PG_ROOT/run"
# A unix socket path must fit in 107 bytes; a deep checkout would not.
if ((${#PG_SOCKET_DIR} + 20 > 100)); then
  PG_SOCKET_DIR="/tmp/infra-pg-$(echo "$REPO_ROOT" | md5sum | cut -c1-8)"
fi

as_postgres() { runuser -u postgres -- "$@"; }

# psql as the superuser over the unix socket (peer auth, no password needed).
admin_psql() {
  as_postgres psql -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -d postgres \
    -v ON_ERROR_STOP=1 -qAtX
}

ensure_os_user() {
  id postgres >/dev/null 2>&1 && return 0
  log "creating OS user postgres"
  useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
}

# Postgres runs as the postgres user, which must be able to walk down to the
# data dir. Only the search (x) bit is added to parents that lack it.
ensure_traversable() {
  local dir="$1"
  while [[ "$dir" != / ]]; do
    if ! as_postgres test -x "$dir" 2>/dev/null; then
      log "chmod o+x $dir (so the postgres user can reach .infra/pg)"
      chmod o+x "$dir"
    fi
    dir="$(dirname "$dir")"
  done
}

init_cluster() {
  [[ -f "$PG_DATA/PG_VERSION" ]] && return 0
  log "initdb $PG_DATA"
  rm -rf "$PG_DATA"
  mkdir -p "$PG_DATA"
  chown postgres:postgres "$PG_DATA"
  chmod 700 "$PG_DATA"
  local pwfile="$PG_ROOT/.pwfile"
  (umask 077 && echo postgres >"$pwfile")
  chown postgres "$pwfile"
  as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" \
    --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
    >"$PG_ROOT/initdb.log" 2>&1 || { show_log_tail "$PG_ROOT/initdb.log"; rm -f "$pwfile"; die "initdb failed"; }
  rm -f "$pwfile"
  echo "include_if_exists = 'infra.conf'" >>"$PG_DATA/postgresql.conf"
}

# Rewritten on every start so that a changed PG_PORT or setting applies.
write_config() {
  cat >"$PG_DATA/infra.conf" <<EOF
# Written by scripts/infra/postgres.sh. Durability is off on purpose: test data only.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
password_encryption = 'scram-sha-256'
EOF
  chown postgres:postgres "$PG_DATA/infra.conf"
}

start_server() {
  mkdir -p "$PG_SOCKET_DIR"
  chown postgres:postgres "$PG_ROOT" "$PG_SOCKET_DIR"
  touch "$PG_LOG" && chown postgres:postgres "$PG_LOG"
  log "starting postgres on $INFRA_HOST:$PG_PORT"
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null {INFRA_LOCK_FD}>&-; then
    show_log_tail "$PG_LOG"
    die "pg_ctl start failed"
  fi
  write_pid postgres "$(head -n1 "$PG_DATA/postmaster.pid")"
  wait_for_port "$PG_PORT" 30 "" "$PG_LOG" || die "postgres is not listening on $PG_PORT"
}

ensure_roles_and_dbs() {
  local svc sql=""
  for svc in "${PG_SERVICES[@]}"; do
    sql+="
      SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${svc}_user')
        THEN 'ALTER ROLE ${svc}_user LOGIN CREATEDB PASSWORD ''${svc}_password'''
        ELSE 'CREATE ROLE ${svc}_user LOGIN CREATEDB PASSWORD ''${svc}_password'''
      END \\gexec
      SELECT 'CREATE DATABASE ${svc}_db OWNER ${svc}_user'
        WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '${svc}_db') \\gexec"
  done
  admin_psql <<<"$sql" >/dev/null
}

main() {
  component_lock postgres
  apt_install_for postgres

  if port_open "$PG_PORT"; then
    log "postgres: something already listens on $INFRA_HOST:$PG_PORT, not starting another"
    # Roles/databases are still ensured when it is our own cluster.
    if [[ -S "$PG_SOCKET_DIR/.s.PGSQL.$PG_PORT" ]]; then
      ensure_roles_and_dbs
    else
      log "postgres: not our cluster (no socket in $PG_SOCKET_DIR); roles not checked"
    fi
    return 0
  fi

  ensure_os_user
  mkdir -p "$PG_ROOT"
  ensure_traversable "$PG_ROOT"
  chown postgres:postgres "$PG_ROOT"
  init_cluster
  write_config
  start_server
  ensure_roles_and_dbs
  log "postgres ready: postgres://postgres:postgres@$INFRA_HOST:$PG_PORT/postgres"
}

main "$@"
