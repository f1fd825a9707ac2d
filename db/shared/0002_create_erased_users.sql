-- Accounts whose erasure this database has carried out, by a sha256 of the user id (never the id
-- itself): work still running for such a user when the erasure arrived must not write again.
CREATE TABLE erased_users (
  user_hash TEXT PRIMARY KEY,
  erased_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX erased_users_erased_at_idx ON erased_users (erased_at);
