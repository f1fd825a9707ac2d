-- The relay claims a batch of events for a while, publishes it without holding a database
-- connection, then marks it sent. Handlers on the in-process bus (embedded mode, whose database has
-- a single connection) run inside publish and need that connection; and no connection waits on a
-- slow broker. A claim that ran out (the relay stopped mid-batch) is taken again: at least once.
ALTER TABLE outbox ADD COLUMN claimed_until TIMESTAMPTZ;
