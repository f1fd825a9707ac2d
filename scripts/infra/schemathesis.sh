#!/usr/bin/env bash
# schemathesis (the schema-driven API fuzzer, from PyPI) in the venv .infra/venv-schemathesis;
# tests/fuzz runs its `st` command against the platform's OpenAPI document. No server.
#
#   schemathesis.sh   create the venv and pip install schemathesis (idempotent)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VENV="$INFRA_DIR/venv-schemathesis"
STAMP="$VENV/.schemathesis-$SCHEMATHESIS_VERSION"

component_lock schemathesis
apt_install_for schemathesis
[[ -f "$STAMP" && -x "$VENV/bin/st" ]] && exit 0
venv_install schemathesis "$VENV" "$STAMP" "schemathesis==$SCHEMATHESIS_VERSION"
log "schemathesis ready: $VENV/bin/st"
