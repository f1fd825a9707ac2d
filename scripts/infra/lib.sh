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

PG_BIN="/usr/lib/postgresql/15/bin"
KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
MOTO_VERSION="${MOTO_VERSION:-5.2.5}"

# The services every platform component gets a role + database for.
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
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
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

# ---- pid files: only for processes these scripts started themselves ----

pid_file() { echo "$RUN_DIR/$1.pid"; }

write_pid() { echo "$2" >"$(pid_file "$1")"; }

# Prints the recorded pid of <name> if that process is still alive and its
# command line contains <pattern> (guards against pid reuse); else clears
# a stale pid file and returns 1.
live_pid() {
  local name="$1" pattern="$2" f pid
  f="$(pid_file "$name")"
  [[ -f "$f" ]] || return 1
  pid="$(head -n1 "$f" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern"; then
    echo "$pid"
    return 0
  fi
  rm -f "$f"
  return 1
}

# Sends SIGTERM to <pid> and waits up to <timeout> seconds, then SIGKILL.
stop_pid() {
  local pid="$1" timeout_s="${2:-30}" deadline
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$((SECONDS + timeout_s))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "pid $pid did not exit after ${timeout_s}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
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
      command -v java >/dev/null || pkgs+=(openjdk-17-jre-headless)
      command -v mvn >/dev/null || pkgs+=(maven)
      ;;
    moto)
      command -v python3 >/dev/null || pkgs+=(python3 python3-venv)
      ;;
    engines)
      for p in "${ENGINE_PACKAGES[@]}"; do
        pkg_installed "$p" || pkgs+=("$p")
      done
      ;;
  esac
  ((${#pkgs[@]})) && printf '%s\n' "${pkgs[@]}"
  return 0
}

# apt_install <pkg>... : installs those not yet installed in one apt-get call.
# `apt-get update` runs at most once per up.sh run (the flag is exported to
# the component scripts it starts).
apt_install() {
  local missing=() p
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  if [[ "${INFRA_APT_UPDATED:-}" != 1 ]]; then
    log "apt-get update"
    # A failing third-party source must not block Debian's own packages.
    apt-get update -qq >"$LOG_DIR/apt-update.log" 2>&1 ||
      log "warning: apt-get update reported errors (see $LOG_DIR/apt-update.log)"
    export INFRA_APT_UPDATED=1
  fi
  log "apt-get install ${missing[*]}"
  # Package post-install scripts would otherwise start system-wide redis and
  # postgres services on the default ports, which would then shadow ours.
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && added_policy=1
  fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" >"$LOG_DIR/apt-install.log" 2>&1 || rc=$?
  ((added_policy)) && rm -f "$policy"
  if ((rc != 0)); then
    show_log_tail "$LOG_DIR/apt-install.log"
    die "apt-get install failed (exit $rc)"
  fi
}
