-- Documents deleted in the document service (document.deleted). A quiz made from one stays readable
-- with its results and says so; no new quiz is made from it.
CREATE TABLE deleted_documents (
  document_id BIGINT PRIMARY KEY,
  user_id TEXT NOT NULL,
  title TEXT,
  deleted_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX deleted_documents_user_id_idx ON deleted_documents (user_id);
