#!/usr/bin/env bash
# Installs (if missing) and starts a non-persistent Redis 7 on
# 127.0.0.1:$REDIS_PORT with its files under .infra/redis. Idempotent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REDIS_ROOT="$INFRA_DIR/redis"
REDIS_CONF="$REDIS_ROOT/redis.conf"
REDIS_LOG="$REDIS_ROOT/redis.log"

main() {
  component_lock redis
  apt_install_for redis

  if port_open "$REDIS_PORT"; then
    log "redis: something already listens on $INFRA_HOST:$REDIS_PORT, not starting another"
    return 0
  fi

  mkdir -p "$REDIS_ROOT/data"
  # redis writes/removes the pid file itself, and only for the instance
  # started here, which is exactly what down.sh should stop.
  cat >"$REDIS_CONF" <<EOF
# Written by scripts/infra/redis.sh. No persistence: test data only.
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize yes
pidfile $(pid_file redis)
logfile $REDIS_LOG
dir $REDIS_ROOT/data
save ""
appendonly no
EOF
  log "starting redis on $INFRA_HOST:$REDIS_PORT"
  redis-server "$REDIS_CONF" {INFRA_LOCK_FD}>&- || { show_log_tail "$REDIS_LOG"; die "redis-server failed to start"; }
  wait_for_port "$REDIS_PORT" 20 "" "$REDIS_LOG" || die "redis is not listening on $REDIS_PORT"
  local deadline=$((SECONDS + 10))
  until [[ "$(redis-cli -h "$INFRA_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; do
    ((SECONDS < deadline)) || { show_log_tail "$REDIS_LOG"; die "redis does not answer PING"; }
    sleep 0.2
  done
  log "redis ready: redis://$INFRA_HOST:$REDIS_PORT"
}

main "$@"
