-- A generate request sent with an Idempotency-Key makes one quiz however often it is sent (a caller
-- that timed out, or an event handled again, asks a second time): the key names the quiz made first.
CREATE TABLE quiz_idempotency_keys (
  user_id TEXT NOT NULL,
  key TEXT NOT NULL,
  quiz_id INTEGER NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

CREATE INDEX quiz_idempotency_keys_quiz_idx ON quiz_idempotency_keys (quiz_id);
CREATE INDEX quiz_idempotency_keys_created_at_idx ON quiz_idempotency_keys (created_at);
