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
  apt_install_for moto
  [[ -f "$VENV_STAMP" && -x "$VENV/bin/moto_server" ]] && return 0
  mkdir -p "$MOTO_ROOT"
  if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
    log "moto: creating venv $VENV"
    rm -rf "$VENV"
    # A current pip resolves moto's large dependency tree several times faster
    # than the interpreter's bundled one, so the venv is created without pip
    # and the newest pip is put in by the outer pip (ensurepip if there is none).
    python3 -m venv --without-pip "$VENV"
    if ! python3 -m pip --python "$VENV/bin/python" install -q --disable-pip-version-check pip \
      >"$MOTO_ROOT/pip.log" 2>&1; then
      if ! { "$VENV/bin/python" -m ensurepip &&
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -U pip; } >>"$MOTO_ROOT/pip.log" 2>&1; then
        show_log_tail "$MOTO_ROOT/pip.log"
        die "could not install pip into $VENV"
      fi
    fi
  fi
  log "moto: pip install moto[server]==$MOTO_VERSION"
  # --no-compile: byte-compiling all ~60 packages costs ~20 s of CPU, far
  # more than the modules moto_server actually imports (see start()).
  if ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-compile \
    "moto[server]==$MOTO_VERSION" \
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
  # PYTHONDONTWRITEBYTECODE (set on these machines) is dropped so that the
  # modules moto imports get cached as .pyc: later starts are ~3x faster.
  setsid nohup env -u PYTHONDONTWRITEBYTECODE "$VENV/bin/moto_server" -H "$INFRA_HOST" -p "$MOTO_PORT" \
    >"$MOTO_LOG" 2>&1 </dev/null {INFRA_LOCK_FD}>&- &
  local pid=$!
  write_pid moto "$pid"
  wait_for_port "$MOTO_PORT" 60 "$pid" "$MOTO_LOG" ||
    { forget_if_dead moto "$pid"; die "moto did not open port $MOTO_PORT"; }
  local deadline=$((SECONDS + 20))
  until curl -sf -o /dev/null "http://$INFRA_HOST:$MOTO_PORT/moto-api/data.json"; do
    ((SECONDS < deadline)) || { show_log_tail "$MOTO_LOG"; die "moto does not answer HTTP"; }
    sleep 0.3
  done
  log "moto ready: http://$INFRA_HOST:$MOTO_PORT"
}

component_lock moto
case "${1:-all}" in
  prepare) prepare ;;
  start) start ;;
  all) prepare; start ;;
  *) die "usage: $0 [prepare|start|all]" ;;
esac
