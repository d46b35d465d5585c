-- Work that must happen once however many heed processes share the
-- database (a day's digest): the first to insert the key does it, the
-- others find it taken.
CREATE TABLE job_once (
    key        TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
);
-- The digest counts a day's answers and the cases closed on it.
CREATE INDEX responses_created ON responses (created_at);
CREATE INDEX cases_closed ON cases (closed_at) WHERE closed_at IS NOT NULL;
