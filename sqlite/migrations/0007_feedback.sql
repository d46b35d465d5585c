-- Feedback from every source (survey comments, reviews, tickets,
-- transcripts, social posts, complaints, interviews, notes), each read
-- when stored: its language, sentiment and themes. (source, external_id)
-- is the item's identity: sending it again updates it.
CREATE TABLE feedback_items (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL,
    source          TEXT    NOT NULL,
    external_id     TEXT    NOT NULL,
    title           TEXT    NOT NULL DEFAULT '',
    text            TEXT    NOT NULL,
    turns           TEXT    NOT NULL DEFAULT '[]',
    rating          INTEGER,
    platform        TEXT    NOT NULL DEFAULT '',
    said_at         INTEGER NOT NULL,
    customer_id     INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    author          TEXT    NOT NULL DEFAULT '',
    unit_id         INTEGER REFERENCES units (id),
    response_id     INTEGER REFERENCES responses (id) ON DELETE CASCADE,
    language        TEXT    NOT NULL DEFAULT '',
    sentiment       REAL,
    label           TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX feedback_unit ON feedback_items (unit_id, id);
CREATE INDEX feedback_customer ON feedback_items (customer_id, said_at);
CREATE INDEX feedback_said ON feedback_items (said_at);

-- The themes an item speaks of, one row each, for filtering and drivers.
CREATE TABLE feedback_themes (
    item_id   INTEGER NOT NULL REFERENCES feedback_items (id) ON DELETE CASCADE,
    theme     TEXT    NOT NULL,
    sentiment REAL,
    mentions  INTEGER NOT NULL,
    PRIMARY KEY (item_id, theme)
);
CREATE INDEX feedback_themes_theme ON feedback_themes (theme, item_id);

-- Feedback is matched to customers by email when it has no customer id.
CREATE INDEX customers_email ON customers (lower(email));
