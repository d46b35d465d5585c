-- A job may carry a key: enqueueing a job of the same kind and key while
-- one is still queued moves that one's run time earlier instead of adding
-- a second (one "send this webhook's queue" job stands for a burst of
-- deliveries). Not unique: two writers racing may both add one, which is
-- only a wasted run.
ALTER TABLE jobs ADD COLUMN dedupe_key TEXT NOT NULL DEFAULT '';
CREATE INDEX jobs_queued_key ON jobs (kind, dedupe_key) WHERE state = 'queued' AND dedupe_key <> '';
