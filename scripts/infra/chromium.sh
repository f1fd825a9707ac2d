#!/usr/bin/env bash
# Installs (only if missing) Debian's Chromium for the web app's browser tests
# (tests/e2e/web-app.test.ts drives it with playwright-core, which downloads no
# browser of its own). Nothing to start: each test run launches its own.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
  apt_install_for chromium
  [[ -x /usr/bin/chromium ]] || die "chromium: /usr/bin/chromium still missing after install"
  log "chromium ready ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
}

main "$@"
