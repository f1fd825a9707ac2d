-- A learner's uploaded files. Processing is claimed through the status column: a worker sets
-- status = 'processing' with a lease it keeps extending; a lease that ran out (the process died)
-- makes the document claimable again, so work left over by a restart is finished afterwards.
CREATE TABLE documents (
  id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id TEXT NOT NULL,
  title TEXT NOT NULL,
  filename TEXT NOT NULL,
  s3_key TEXT NOT NULL UNIQUE,
  file_type TEXT NOT NULL CHECK (file_type IN ('pdf', 'txt', 'md', 'png', 'jpg')),
  content_type TEXT NOT NULL,
  file_size BIGINT NOT NULL,
  source TEXT NOT NULL DEFAULT 'upload',
  status TEXT NOT NULL DEFAULT 'uploaded' CHECK (status IN ('uploaded', 'processing', 'completed', 'failed')),
  error TEXT,
  pages INTEGER,
  text_length INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  processed_at TIMESTAMPTZ
);

CREATE INDEX documents_user_created_idx ON documents (user_id, created_at DESC, id DESC);
CREATE INDEX documents_created_at_idx ON documents (created_at);
CREATE INDEX documents_claimable_idx ON documents (id) WHERE status IN ('uploaded', 'processing');

-- Extracted text, one row per page (a text file is one page).
CREATE TABLE document_pages (
  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  page INTEGER NOT NULL,
  text TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('text', 'ocr')),
  PRIMARY KEY (document_id, page)
);

-- Paragraph-sized chunks of a page: the unit of full-text search.
CREATE TABLE passages (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  page INTEGER NOT NULL,
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
);

CREATE INDEX passages_tsv_idx ON passages USING GIN (tsv);
CREATE INDEX passages_user_idx ON passages (user_id);
CREATE INDEX passages_document_idx ON passages (document_id, page, position);

-- Generated study notes; `content` is the (editable) text, `items` the structured parts with
-- page references.
CREATE TABLE notes (
  id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('summary', 'key_points', 'key_terms')),
  content TEXT NOT NULL,
  items JSONB NOT NULL DEFAULT '[]',
  generator TEXT NOT NULL DEFAULT 'extractive',
  edited BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (document_id, kind)
);

CREATE INDEX notes_user_idx ON notes (user_id);
CREATE INDEX notes_created_at_idx ON notes (created_at);
