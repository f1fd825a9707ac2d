-- One vector per passage, from the model named beside it: passages of another model (or none)
-- are embedded again by the service's backfill. The vector is unit-length float32, little-endian;
-- an empty one marks a passage the model refused, so it is not asked again. Scored in the service
-- over the user's own passages (this PostgreSQL has no pgvector).
CREATE TABLE passage_embeddings (
  passage_id BIGINT PRIMARY KEY REFERENCES passages (id) ON DELETE CASCADE,
  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  model TEXT NOT NULL,
  embedding BYTEA NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX passage_embeddings_user_model_idx ON passage_embeddings (user_id, model);
CREATE INDEX passage_embeddings_document_idx ON passage_embeddings (document_id);
CREATE INDEX passage_embeddings_created_at_idx ON passage_embeddings (created_at);
