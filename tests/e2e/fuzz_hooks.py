"""schemathesis hooks of tests/e2e/fuzz.test.ts (loaded through SCHEMATHESIS_HOOKS).

A DELETE answered 200 once leaves its id gone, so every later call with that id answers 404 and
never reaches the service's logic again. The run's schemathesis.toml gives each DELETE of a
document, quiz, tutor session, transcription or audio a placeholder id (FRESH_INT or FRESH_UUID);
before each such call this hook makes a new one of that kind for the account and puts its id in
the placeholder's place, so that every DELETE deletes something that exists. Ids that earlier
answers gave (the stateful phase's links) are left as they are.
"""

from __future__ import annotations

import os
import re
import time
from typing import Any, Callable

import requests
import schemathesis

BASE_URL = os.environ["LEARNER_FUZZ_URL"].rstrip("/")
HEADERS = {"Authorization": f"Bearer {os.environ['LEARNER_FUZZ_TOKEN']}"}
DOCUMENT_ID = int(os.environ["LEARNER_FUZZ_DOCUMENT_ID"])  # a processed document: quizzes are made from it
AUDIO_FILE = os.environ["LEARNER_FUZZ_AUDIO_FILE"]  # a short WAV recording

# The placeholders the test's schemathesis.toml gives the DELETE operations (kept in step with it).
FRESH_INT = 2_147_483_647
FRESH_UUID = "00000000-0000-4000-8000-00000000fffe"


def _created(path: str, field: str = "id", **request: Any) -> Any:
    """POSTs to make one; a busy service (429, 503) is asked again after its Retry-After."""
    for _ in range(10):
        if "file" in request:
            name, content, media_type = request["file"]
            request["files"] = {name: (f"to-delete-{name}", content, media_type)}
        response = requests.post(f"{BASE_URL}{path}", headers=HEADERS, timeout=60, **{k: v for k, v in request.items() if k != "file"})
        if response.status_code in (201, 202):
            return response.json()["data"][field]
        if response.status_code not in (429, 503):
            break
        time.sleep(min(float(response.headers.get("Retry-After", "1")), 5))
    raise RuntimeError(f"POST {path} answered {response.status_code}: {response.text[:500]}")


def _document() -> int:
    return _created("/api/v1/documents/upload", file=("file", b"Chlorophyll absorbs light. Plants make sugar from water and carbon dioxide.\n", "text/plain"))


def _quiz() -> int:
    return _created("/api/v1/quizzes/generate", json={"document_id": DOCUMENT_ID, "num_questions": 3})


def _session() -> int:
    return _created("/api/v1/chat/sessions", json={"title": "To delete", "document_ids": [DOCUMENT_ID]})


def _transcription() -> str:
    with open(AUDIO_FILE, "rb") as audio:
        recording = audio.read()
    return _created("/api/v1/stt/transcribe", file=("audio", recording, "audio/wav"))


def _audio() -> str:
    return _created("/api/v1/tts/synthesize", json={"text": "A sentence to delete."})


MAKERS: list[tuple[re.Pattern[str], Callable[[], Any]]] = [
    (re.compile(r"^/api/v1/documents/\{id\}$"), _document),
    (re.compile(r"^/api/v1/quizzes/\{id\}$"), _quiz),
    (re.compile(r"^/api/v1/chat/sessions/\{id\}$"), _session),
    (re.compile(r"^/api/v1/stt/transcriptions/\{id\}$"), _transcription),
    (re.compile(r"^/api/v1/tts/audio/\{id\}$"), _audio),
]


@schemathesis.hook
def before_call(context: Any, case: Any, **kwargs: Any) -> None:
    if case.operation.method.upper() != "DELETE" or not case.path_parameters:
        return
    if str(case.path_parameters.get("id")) not in (str(FRESH_INT), FRESH_UUID):
        return
    for path, make in MAKERS:
        if path.match(case.operation.path):
            case.path_parameters = {**case.path_parameters, "id": make()}
            return
