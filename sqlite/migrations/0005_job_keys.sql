-- A job may carry a key: enqueueing a job of the same kind, key and
-- payload while one is still queued and not yet tried moves that one's
-- run time earlier instead of adding a second (one "send this webhook's
-- queue" job stands for a burst of deliveries). dedupe_key holds the key
-- and a digest of the payload ('' for a job without a key). Not unique:
-- two writers racing may both add one, which is only a wasted run.
ALTER TABLE jobs ADD COLUMN dedupe_key TEXT NOT NULL DEFAULT '';
CREATE INDEX jobs_queued_key ON jobs (kind, dedupe_key) WHERE state = 'queued' AND attempts = 0 AND dedupe_key <> '';
