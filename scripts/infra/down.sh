#!/usr/bin/env bash
# Stops what scripts/infra/*.sh started (only processes with a pid file in
# .infra/run; servers that were already running are left alone). Data is kept.
#
#   down.sh            stop
#   down.sh --purge    stop, then delete the data (postgres, kafka, redis, logs);
#                      the Kafka jars and the python venv are kept.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PURGE=0
for arg in "$@"; do
  case "$arg" in
    --purge) PURGE=1 ;;
    *) die "usage: $0 [--purge]" ;;
  esac
done

PG_DATA="$INFRA_DIR/pg/data"

stop_postgres() {
  local pid
  if pid="$(live_pid postgres "$PG_DATA")"; then
    log "postgres: stopping (pid $pid)"
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null ||
      stop_pid "$pid" 30
    rm -f "$(pid_file postgres)"
  else
    log "postgres: not started by these scripts, nothing to stop"
  fi
}

# stop_simple <name> <cmdline pattern> <timeout>: SIGTERM the recorded pid; the
# pattern guards against a recycled pid.
stop_simple() {
  local name="$1" pattern="$2" timeout_s="$3" pid
  if pid="$(live_pid "$name" "$pattern")"; then
    log "$name: stopping (pid $pid)"
    stop_pid "$pid" "$timeout_s"
    rm -f "$(pid_file "$name")"
  else
    log "$name: not started by these scripts, nothing to stop"
  fi
}

# SIGTERM makes each of these shut down cleanly (Kafka: controlled shutdown).
stop_simple kafka "$INFRA_DIR/kafka/config/server.properties" 60
rm -f "$RUN_DIR/kafka.topics"
stop_simple moto "$INFRA_DIR/venv/bin/moto_server" 15
stop_simple embeddings "embeddings-server.py" 15
stop_simple hibari "hibari-server.py" 15
# Redis with `save ""` writes nothing on SIGTERM.
stop_simple redis "redis-server" 20
stop_postgres

if ((PURGE)); then
  if [[ -f "$PG_DATA/postmaster.pid" ]] &&
    pid_alive "$(head -n1 "$PG_DATA/postmaster.pid")"; then
    die "postgres on $PG_DATA is still running (not started by these scripts?); not purging"
  fi
  log "purging data: .infra/{pg,redis,kafka/data,kafka/logs,kafka/cluster-id,moto/moto.log,logs,env}"
  rm -rf "$INFRA_DIR/pg" "$INFRA_DIR/redis" "$INFRA_DIR/kafka/data" "$INFRA_DIR/kafka/logs" \
    "$INFRA_DIR/kafka/cluster-id" "$INFRA_DIR/moto/moto.log" "$LOG_DIR" "$INFRA_DIR/env"
fi
log "down"
