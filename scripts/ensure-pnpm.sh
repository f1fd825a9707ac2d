#!/usr/bin/env bash
# Makes the pnpm version pinned in package.json available, through corepack when it works.
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(node -p 'require("./package.json").packageManager.split("@")[1]')
# corepack's bundled signing keys lag behind the registry's; the version is pinned instead.
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_INTEGRITY_KEYS=0
if [ "$(pnpm --version 2>/dev/null || true)" = "$want" ]; then exit 0; fi
if corepack enable >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null || true)" = "$want" ]; then exit 0; fi
npm install --global --silent "pnpm@$want"
pnpm --version
