-- When a worker last claimed the document: the processing queue serves the user served least
-- recently first, so that one user's many uploads cannot hold back another user's.
ALTER TABLE documents ADD COLUMN claimed_at TIMESTAMPTZ;
