-- Passages a process is embedding now, until when: every replica runs the embedding backfill, and
-- a passage one of them has claimed is not embedded by another. A claim of a process that stopped
-- runs out, and the passage is taken again. Removed when the vector is stored.
CREATE TABLE embedding_claims (
  passage_id BIGINT PRIMARY KEY REFERENCES passages (id) ON DELETE CASCADE,
  model TEXT NOT NULL,
  claimed_until TIMESTAMPTZ NOT NULL
);
