-- Phrases an admin ignored as emerging themes: they are not surfaced
-- again. phrase is lower case, one space between words.
CREATE TABLE ignored_phrases (
    phrase     TEXT        PRIMARY KEY,
    ignored_at TIMESTAMPTZ NOT NULL,
    ignored_by TEXT        NOT NULL
);
