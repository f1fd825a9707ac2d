"""The local neural voice, kept warm: hibari (PyPI hibari-tts, its int8 ONNX voice inside the
package) loaded once and served over HTTP on loopback, so the tts service pays the model load
at start-up instead of on every request. Started by scripts/infra/hibari.sh.

    GET  /health      {"status": "ok", "voices": [...], "sample_rate": 24000, "version": "..."}
    POST /v1/speech   {"text": "...", "speed": 1.0, "seed": 0?} -> audio/wav (16-bit mono, 24 kHz)

Only the bundled voice is offered: the others would be downloaded on first use, and the platform
must work offline. The standard library's threading server is enough for one machine's tts
service, which bounds how many syntheses it asks for at once.
"""

import argparse
import io
import json
import threading
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import hibari
from hibari import Hibari
from hibari.voices import VOICES

MAX_TEXT = 20_000
MAX_BODY = 256 * 1024


def wav_bytes(audio, sample_rate):
    pcm = (np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(pcm.tobytes())
    return out.getvalue()


def main():
    ap = argparse.ArgumentParser(description="hibari text to speech over HTTP")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8090)
    ap.add_argument("--threads", type=int, default=1, help="onnxruntime threads per synthesis")
    a = ap.parse_args()

    tts = Hibari(threads=a.threads)
    # The first call loads the phonemizer's lexicon and tagger; do it before answering anyone.
    tts("Ready.")
    voice = VOICES[tts.voice]
    voices = [
        {"name": tts.voice, "language": voice["language"], "gender": voice["gender"], "accent": voice["accent"]}
    ]
    # The phonemizer keeps state between calls; the ONNX session and the signal processing do not.
    g2p_lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # one line per request would drown the log
            pass

        def send(self, status, body, content_type="application/json"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def send_json(self, status, obj):
            self.send(status, json.dumps(obj).encode("utf-8"))

        def do_GET(self):
            if self.path == "/health":
                self.send_json(
                    200,
                    {"status": "ok", "voices": voices, "sample_rate": tts.sample_rate, "version": hibari.__version__},
                )
            else:
                self.send_json(404, {"error": "not found"})

        def do_POST(self):
            if self.path != "/v1/speech":
                self.send_json(404, {"error": "not found"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length <= 0 or length > MAX_BODY:
                self.send_json(400 if length <= 0 else 413, {"error": "a JSON body of at most 256 KiB is required"})
                return
            try:
                body = json.loads(self.rfile.read(length))
                text = body["text"]
                speed = float(body.get("speed", 1.0))
                seed = body.get("seed")
                if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
                    raise ValueError("text must be a non-empty string")
                if not 0.5 <= speed <= 2.0:
                    raise ValueError("speed must be between 0.5 and 2.0")
                if seed is not None and not isinstance(seed, int):
                    raise ValueError("seed must be an integer")
            except (ValueError, KeyError, TypeError) as e:
                self.send_json(400, {"error": str(e)})
                return
            with g2p_lock:
                phonemes = tts.phonemize(text)
            rng = np.random.default_rng(seed)
            parts = [tts.from_ids(tts.ids(ps), speed, rng) for ps in phonemes]
            audio = np.concatenate(parts) if parts else np.zeros(0, np.float32)
            self.send(200, wav_bytes(audio, tts.sample_rate), "audio/wav")

    server = ThreadingHTTPServer((a.host, a.port), Handler)
    server.daemon_threads = True
    print(f"hibari {hibari.__version__} ({tts.voice}) listening on http://{a.host}:{a.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
