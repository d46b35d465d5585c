-- Customer events: what customers did (purchases, visits, logins, support
-- contacts, referrals, cancellations), the inferred voice of the customer
-- from which recency, frequency, value, the churn risk and the loyalty
-- ladder are worked out. amount is an INTEGER count of ten-thousandths
-- (heed.Decimal), as customers.value is.
--
-- (source, external_id) is an event's identity when it has an external id
-- (NULL when it has none): sending it again updates it. An event without
-- one is the same as a stored one without, of the same customer, kind,
-- time, amount and source, so sending it again adds nothing.
CREATE TABLE customer_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    amount      INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
    source      TEXT    NOT NULL DEFAULT '',
    external_id TEXT,
    created_at  INTEGER NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX customer_events_customer ON customer_events (customer_id, at);
CREATE UNIQUE INDEX customer_events_same ON customer_events (customer_id, kind, at, amount, source)
    WHERE external_id IS NULL;
