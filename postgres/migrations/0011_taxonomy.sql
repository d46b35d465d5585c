-- The organisation's theme taxonomy, when it is not the default: one row
-- (id 1), its themes a JSON list (textan.Theme), '' after a reset to the
-- default. version counts saves, for optimistic locking. The re-reading
-- of past feedback a save queues keeps its progress here: total items
-- counted at the save, done so far, and cursor, the lowest item id
-- re-read (the walk goes newest first; 0 before the first page), so a
-- crashed run goes on where it stopped.
CREATE TABLE taxonomy (
    id              INTEGER     PRIMARY KEY CHECK (id = 1),
    themes          TEXT        NOT NULL,
    version         INTEGER     NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    updated_by      TEXT        NOT NULL,
    reread_total    INTEGER     NOT NULL DEFAULT 0,
    reread_done     INTEGER     NOT NULL DEFAULT 0,
    reread_cursor   BIGINT      NOT NULL DEFAULT 0,
    reread_finished TIMESTAMPTZ
);
