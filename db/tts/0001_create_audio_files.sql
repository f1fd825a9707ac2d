-- One row per synthesized recording; the audio itself is in object storage under storage_key.
CREATE TABLE audio_files (
  id UUID PRIMARY KEY,
  user_id TEXT NOT NULL,
  text TEXT NOT NULL,
  text_type TEXT NOT NULL CHECK (text_type IN ('text', 'ssml')),
  voice_id TEXT NOT NULL,
  engine TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('mp3', 'ogg_vorbis', 'pcm')),
  speed DOUBLE PRECISION,
  characters INTEGER NOT NULL,
  duration_seconds DOUBLE PRECISION NOT NULL,
  size_bytes INTEGER NOT NULL,
  storage_key TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX audio_files_user_created_idx ON audio_files (user_id, created_at DESC, id);
CREATE INDEX audio_files_created_at_idx ON audio_files (created_at);
