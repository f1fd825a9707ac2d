#!/usr/bin/env bash
# Installs (only if missing) the local speech / OCR / media engines from
# Debian packages: espeak-ng, flite, ffmpeg, tesseract (+eng), pocketsphinx
# (+US English model, +test clips), poppler-utils, sox. Nothing to start.
# See ENGINES.md for where the models and clips are and how to call them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
  apt_install_for engines
  local missing=() b
  for b in espeak-ng flite ffmpeg tesseract pocketsphinx_continuous pdftoppm pdftotext sox; do
    command -v "$b" >/dev/null || missing+=("$b")
  done
  ((${#missing[@]} == 0)) || die "engines: commands still missing after install: ${missing[*]}"
  log "engines ready"
}

main "$@"
