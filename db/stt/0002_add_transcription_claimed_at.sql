-- When a worker last claimed the job: the queue serves the user served least recently first, so
-- that one user's many recordings cannot hold back another user's.
ALTER TABLE transcriptions ADD COLUMN claimed_at TIMESTAMPTZ;
