-- Alert rules, response tags, webhooks and their deliveries. Times are
-- TIMESTAMPTZ. Nothing here refers to the cases of 0003: a delivery names
-- its case by id only.

-- A rule's conditions and actions are JSON documents (heed.RuleConditions
-- and a list of heed.RuleAction): always read and written whole, never
-- queried. Every response reads all rules, by position then key.
CREATE TABLE rules (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key        TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT FALSE,
    position   INTEGER NOT NULL DEFAULT 0,
    conditions TEXT    NOT NULL DEFAULT '{}',
    actions    TEXT    NOT NULL DEFAULT '[]',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- The closed loop out of the box: detractors get a case and their owner an
-- email; promoters are thanked.
INSERT INTO rules (key, name, active, position, conditions, actions, created_at, updated_at) VALUES
    ('detractor-case', 'Detractors open a case', TRUE, 10, '{"category":"detractor"}',
        '[{"kind":"open_case"},{"kind":"notify_owner"}]', 'epoch', 'epoch'),
    ('promoter-advocacy', 'Promoters are thanked and invited to review', TRUE, 20, '{"category":"promoter"}',
        '[{"kind":"advocacy"}]', 'epoch', 'epoch');

CREATE TABLE response_tags (
    response_id BIGINT NOT NULL REFERENCES responses (id),
    tag         TEXT   NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (response_id, tag)
);

-- lock_owner and lock_until are the sending lock (see LockWebhook): ''
-- when free. One sender per webhook keeps its deliveries in order.
CREATE TABLE webhooks (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url         TEXT    NOT NULL,
    events      TEXT    NOT NULL DEFAULT '[]', -- JSON list of event types
    format      TEXT    NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT FALSE,
    secret      TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    lock_owner  TEXT    NOT NULL DEFAULT '',
    lock_until  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE webhook_deliveries (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id   BIGINT  NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    message_id   TEXT    NOT NULL, -- the webhook-id header, the same on every attempt
    event        TEXT    NOT NULL,
    case_id      BIGINT, -- the case the event is about, if any
    payload      TEXT    NOT NULL DEFAULT '{}',
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      TIMESTAMPTZ NOT NULL,
    last_status  INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT    NOT NULL DEFAULT '',
    delivered_at TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
-- A webhook's pending deliveries, oldest first (PendingDeliveries), and
-- its list. No index on case_id: nothing lists a case's deliveries.
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, state, id);
