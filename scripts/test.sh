#!/usr/bin/env bash
# Runs every test from a fresh clone: dependencies, build, lint, the local servers
# (PostgreSQL, Redis, Kafka, the moto AWS emulator, the speech and OCR engines), then the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
mkdir -p .infra/logs

log() { printf '\n== %s\n' "$*"; }

# Node.js 24 and the pinned pnpm on PATH (a pinned Node 24 is fetched when the machine's is older).
# shellcheck source=scripts/ensure-node.sh
. scripts/ensure-node.sh

# The servers take longest on a fresh machine (apt, Maven, pip): start them first, in the background.
log "starting local servers (log: .infra/logs/up.log)"
bash scripts/infra/up.sh >.infra/logs/up.log 2>&1 &
infra_pid=$!

log "installing dependencies"
echo "node $(node --version), pnpm $(pnpm --version)"
pnpm install --frozen-lockfile --reporter=append-only 2>&1 | tail -n 5

log "building"
pnpm build

log "linting"
pnpm lint

log "checking the benchmarks' imports (the benchmarks themselves are not run here)"
node bench/check-imports.mjs

log "waiting for local servers"
if ! wait "$infra_pid"; then
  echo "scripts/infra/up.sh failed:" >&2
  tail -n 60 .infra/logs/up.log >&2
  exit 1
fi
tail -n 12 .infra/logs/up.log
set -a
# shellcheck disable=SC1091
source .infra/env
set +a

log "running tests"
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=.infra/vitest-report.json || status=$?
node scripts/test-summary.mjs .infra/vitest-report.json || status=1
exit "$status"
