-- Conversations of one user. document_ids narrows the tutor's search to those documents; empty
-- means all of the user's documents. A NULL title is named after the first question.
CREATE TABLE chat_sessions (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id TEXT NOT NULL,
  title TEXT,
  document_ids BIGINT[] NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX chat_sessions_user_created_idx ON chat_sessions (user_id, created_at DESC, id DESC);
CREATE INDEX chat_sessions_created_at_idx ON chat_sessions (created_at);

-- One row per turn. citations holds the passages an assistant answer quotes; metadata how it was
-- made (search query, answer source, why the documents could not be reached).
CREATE TABLE chat_messages (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id BIGINT NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
  content TEXT NOT NULL,
  citations JSONB NOT NULL DEFAULT '[]',
  metadata JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX chat_messages_session_idx ON chat_messages (session_id, id);
CREATE INDEX chat_messages_user_id_idx ON chat_messages (user_id);
CREATE INDEX chat_messages_created_at_idx ON chat_messages (created_at);
