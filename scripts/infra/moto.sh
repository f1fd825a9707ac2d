#!/usr/bin/env bash
# moto server (AWS emulator: S3, Polly, Transcribe, Textract, ...) on
# 127.0.0.1:$MOTO_PORT, installed from PyPI into the venv .infra/venv.
# Port 4566, not moto's default 5000: 5000 is the platform gateway's port.
#
#   moto.sh            prepare + start (default)
#   moto.sh prepare    only create the venv and pip install moto
#   moto.sh start      only start the server
# See MOTO_NOTES.md for what the emulated APIs return.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VENV="$INFRA_DIR/venv"
MOTO_ROOT="$INFRA_DIR/moto"
MOTO_LOG="$MOTO_ROOT/moto.log"
VENV_STAMP="$VENV/.moto-$MOTO_VERSION"

prepare() {
  apt_install $(apt_missing_for moto)
  [[ -f "$VENV_STAMP" && -x "$VENV/bin/moto_server" ]] && return 0
  mkdir -p "$MOTO_ROOT"
  if [[ ! -x "$VENV/bin/python" ]]; then
    log "moto: creating venv $VENV"
    python3 -m venv "$VENV"
  fi
  log "moto: pip install moto[server]==$MOTO_VERSION"
  if ! "$VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION" \
    >"$MOTO_ROOT/pip.log" 2>&1; then
    show_log_tail "$MOTO_ROOT/pip.log"
    die "pip install of moto failed"
  fi
  rm -f "$VENV"/.moto-*
  touch "$VENV_STAMP"
}

start() {
  [[ -f "$VENV_STAMP" ]] || prepare
  if port_open "$MOTO_PORT"; then
    log "moto: something already listens on $INFRA_HOST:$MOTO_PORT, not starting another"
    return 0
  fi
  mkdir -p "$MOTO_ROOT"
  log "moto: starting moto_server on $INFRA_HOST:$MOTO_PORT"
  # setsid: the server must outlive this script and its caller's terminal.
  setsid nohup "$VENV/bin/moto_server" -H "$INFRA_HOST" -p "$MOTO_PORT" \
    >"$MOTO_LOG" 2>&1 </dev/null &
  local pid=$!
  write_pid moto "$pid"
  wait_for_port "$MOTO_PORT" 60 "$pid" "$MOTO_LOG" || die "moto did not open port $MOTO_PORT"
  local deadline=$((SECONDS + 20))
  until curl -sf -o /dev/null "http://$INFRA_HOST:$MOTO_PORT/moto-api/data.json"; do
    ((SECONDS < deadline)) || { show_log_tail "$MOTO_LOG"; die "moto does not answer HTTP"; }
    sleep 0.3
  done
  log "moto ready: http://$INFRA_HOST:$MOTO_PORT"
}

case "${1:-all}" in
  prepare) prepare ;;
  start) start ;;
  all) prepare && start ;;
  *) die "usage: $0 [prepare|start|all]" ;;
esac
