-- A study pack asked for with a document: after processing (which makes the notes), a quiz and,
-- for an upload, an audio summary of the notes are made by themselves. document.processed queues
-- the pack (state 'queued'); a worker claims it with a lease like a document, so a stopped process
-- hands it to the next. origin_key names what the document was made from (a transcription), so
-- asking again answers the same document.
CREATE TABLE study_packs (
  document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  origin_key TEXT,
  with_audio BOOLEAN NOT NULL,
  state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'queued', 'running', 'finished')),
  quiz_status TEXT NOT NULL DEFAULT 'pending' CHECK (quiz_status IN ('pending', 'running', 'done', 'failed')),
  quiz_id INTEGER,
  quiz_error TEXT,
  audio_status TEXT NOT NULL DEFAULT 'pending' CHECK (audio_status IN ('pending', 'running', 'done', 'failed')),
  audio_id TEXT,
  audio_error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_token UUID,
  lease_until TIMESTAMPTZ,
  claimed_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX study_packs_origin_idx ON study_packs (user_id, origin_key) WHERE origin_key IS NOT NULL;
CREATE INDEX study_packs_user_idx ON study_packs (user_id);
CREATE INDEX study_packs_created_at_idx ON study_packs (created_at);
CREATE INDEX study_packs_claimable_idx ON study_packs (document_id) WHERE state IN ('queued', 'running');
