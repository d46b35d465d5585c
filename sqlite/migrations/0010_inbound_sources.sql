-- Inbound sources: URLs other systems post their own JSON to, mapped to
-- feedback items without code (heed.InboundSource). mapping (our field →
-- JSON path) and fixed (our field → value) are JSON objects, read and
-- written whole. secret authenticates the callers; it is kept as given,
-- not hashed, because a Standard Webhooks signature is checked with it.
-- Times are INTEGER microseconds since the Unix epoch (UTC).
CREATE TABLE inbound_sources (
    id         INTEGER PRIMARY KEY,
    key        TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    system     TEXT    NOT NULL,
    active     INTEGER NOT NULL DEFAULT 0,
    mapping    TEXT    NOT NULL DEFAULT '{}',
    fixed      TEXT    NOT NULL DEFAULT '{}',
    items      TEXT    NOT NULL DEFAULT '',
    secret     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
