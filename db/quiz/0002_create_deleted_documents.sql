-- Documents deleted in the document service (document.deleted). A quiz made from one stays readable
-- with its results and says so; no new quiz is made from it.
CREATE TABLE deleted_documents (
  user_id TEXT NOT NULL,
  document_id BIGINT NOT NULL,
  title TEXT,
  deleted_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (user_id, document_id)
);
