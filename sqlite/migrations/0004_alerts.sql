-- Alert rules, response tags, webhooks and their deliveries. Times are
-- INTEGER microseconds since the Unix epoch (UTC). Nothing here refers to
-- the cases of 0003: a delivery names its case by id only.

-- A rule's conditions and actions are JSON documents (heed.RuleConditions
-- and a list of heed.RuleAction): always read and written whole, never
-- queried. Every response reads all rules, by position then key.
-- AUTOINCREMENT, as PostgreSQL's identity: the id of a deleted rule is
-- never given to another, so the cases it opened (cases.rule_id) never
-- come to name a rule that did not open them.
CREATE TABLE rules (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    key        TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    active     INTEGER NOT NULL DEFAULT 0,
    position   INTEGER NOT NULL DEFAULT 0,
    conditions TEXT    NOT NULL DEFAULT '{}',
    actions    TEXT    NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- The closed loop out of the box: detractors get a case and their owner an
-- email; promoters are thanked.
INSERT INTO rules (key, name, active, position, conditions, actions, created_at, updated_at) VALUES
    ('detractor-case', 'Detractors open a case', 1, 10, '{"category":"detractor"}',
        '[{"kind":"open_case"},{"kind":"notify_owner"}]', 0, 0),
    ('promoter-advocacy', 'Promoters are thanked and invited to review', 1, 20, '{"category":"promoter"}',
        '[{"kind":"advocacy"}]', 0, 0);

CREATE TABLE response_tags (
    response_id INTEGER NOT NULL REFERENCES responses (id),
    tag         TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (response_id, tag)
) WITHOUT ROWID;

-- lock_owner and lock_until are the sending lock (see LockWebhook): ''
-- when free. One sender per webhook keeps its deliveries in order.
CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY,
    url         TEXT    NOT NULL,
    events      TEXT    NOT NULL DEFAULT '[]', -- JSON list of event types
    format      TEXT    NOT NULL,
    active      INTEGER NOT NULL DEFAULT 0,
    secret      TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    lock_owner  TEXT    NOT NULL DEFAULT '',
    lock_until  INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
    id           INTEGER PRIMARY KEY,
    webhook_id   INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    message_id   TEXT    NOT NULL, -- the webhook-id header, the same on every attempt
    event        TEXT    NOT NULL,
    case_id      INTEGER, -- the case the event is about, if any
    payload      TEXT    NOT NULL DEFAULT '{}',
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER NOT NULL,
    last_status  INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT    NOT NULL DEFAULT '',
    delivered_at INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
-- A webhook's pending deliveries, oldest first (PendingDeliveries), and
-- its list. No index on case_id: nothing lists a case's deliveries.
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, state, id);
