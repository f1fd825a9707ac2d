-- One row per transcription job. The worker claims a queued row (or one whose lease ran out,
-- because the process holding it stopped) with FOR UPDATE SKIP LOCKED, and holds it by extending
-- locked_until; lease_token makes sure only the current holder can finish it.
CREATE TABLE transcriptions (
  id UUID PRIMARY KEY,
  user_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'in_progress', 'completed', 'failed')),
  filename TEXT NOT NULL,
  media_format TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  storage_key TEXT NOT NULL,
  language TEXT NOT NULL,
  speaker_labels BOOLEAN NOT NULL DEFAULT false,
  engine TEXT NOT NULL,
  transcript TEXT,
  confidence DOUBLE PRECISION,
  segments JSONB,
  duration_seconds DOUBLE PRECISION,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  locked_until TIMESTAMPTZ,
  lease_token UUID,
  document_id BIGINT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  started_at TIMESTAMPTZ,
  completed_at TIMESTAMPTZ
);

CREATE INDEX transcriptions_user_created_idx ON transcriptions (user_id, created_at DESC, id);
CREATE INDEX transcriptions_created_at_idx ON transcriptions (created_at);
CREATE INDEX transcriptions_pending_idx ON transcriptions (created_at, id) WHERE status IN ('queued', 'in_progress');
