#!/usr/bin/env bash
# The local neural voice (hibari: an int8 ONNX voice distilled from Kokoro-82M's af_heart, model
# inside the PyPI package hibari-tts) kept warm by hibari-server.py on
# http://127.0.0.1:$HIBARI_PORT, installed from PyPI into the venv .infra/venv-hibari. The tts
# service speaks English with it by default and falls back to flite when it does not answer.
#
#   hibari.sh            prepare + start (default)
#   hibari.sh prepare    only create the venv and pip install hibari-tts
#   hibari.sh start      only start the server
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VENV="$INFRA_DIR/venv-hibari"
STAMP="$VENV/.hibari-$HIBARI_VERSION"

prepare() {
  apt_install_for hibari
  [[ -f "$STAMP" && -x "$VENV/bin/python" ]] && return 0
  venv_install hibari "$VENV" "$STAMP" "hibari-tts==$HIBARI_VERSION"
}

answers() {
  curl -sf -m 5 "http://$INFRA_HOST:$HIBARI_PORT/health" | grep -q '"status": "ok"'
}

start() {
  [[ -f "$STAMP" ]] || prepare
  # Only the bundled voice is used, so nothing is downloaded at run time.
  start_server hibari "$HIBARI_PORT" "$LOG_DIR/hibari.log" answers \
    "$VENV/bin/python" "$INFRA_SCRIPTS_DIR/hibari-server.py" --host "$INFRA_HOST" --port "$HIBARI_PORT"
  log "hibari ready: http://$INFRA_HOST:$HIBARI_PORT"
}

component_lock hibari
case "${1:-all}" in
  prepare) prepare ;;
  start) start ;;
  all) prepare; start ;;
  *) die "usage: $0 [prepare|start|all]" ;;
esac
