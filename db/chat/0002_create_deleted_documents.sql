-- Documents deleted in the document service (document.deleted). Answers citing one keep the citation
-- (title, page, snippet) and say the document was deleted.
CREATE TABLE deleted_documents (
  user_id TEXT NOT NULL,
  document_id BIGINT NOT NULL,
  title TEXT,
  deleted_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (user_id, document_id)
);
