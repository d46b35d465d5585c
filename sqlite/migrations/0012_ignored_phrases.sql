-- Phrases an admin ignored as emerging themes: they are not surfaced
-- again. phrase is lower case, one space between words. Times are
-- INTEGER microseconds since the Unix epoch (UTC).
CREATE TABLE ignored_phrases (
    phrase     TEXT    PRIMARY KEY,
    ignored_at INTEGER NOT NULL,
    ignored_by TEXT    NOT NULL
);
