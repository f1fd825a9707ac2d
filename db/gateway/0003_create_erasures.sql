-- Account erasures, by a random receipt id that names nobody: the account itself is gone when
-- the row is written. Each service confirms its part (erasure.confirmed); the erasure is complete
-- when every one has.
CREATE TABLE erasures (
  id UUID PRIMARY KEY,
  requested_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  completed_at TIMESTAMPTZ
);

CREATE INDEX erasures_requested_at_idx ON erasures (requested_at);

CREATE TABLE erasure_confirmations (
  erasure_id UUID NOT NULL REFERENCES erasures (id) ON DELETE CASCADE,
  service TEXT NOT NULL,
  confirmed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (erasure_id, service)
);

CREATE INDEX erasure_confirmations_confirmed_at_idx ON erasure_confirmations (confirmed_at);
