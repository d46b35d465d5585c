-- Foundation: organisation, customers, accounts, durable jobs.
-- Times are INTEGER microseconds since the Unix epoch (UTC), matching
-- PostgreSQL's timestamp precision. Customer value is an INTEGER count of
-- ten-thousandths (heed.Decimal).

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    key         TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    parent_id   INTEGER REFERENCES units (id),
    responsible TEXT    NOT NULL DEFAULT '', -- an employee's email; may name one imported later
    depth       INTEGER NOT NULL DEFAULT 0,
    path        TEXT    NOT NULL,            -- '/1/5/23/': ids from the root down
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX units_path ON units (path);
CREATE INDEX units_parent ON units (parent_id);

CREATE TABLE employees (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE, -- lower-cased
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('frontline', 'manager', 'analyst', 'admin')),
    unit_id       INTEGER REFERENCES units (id),
    password_hash TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX employees_unit ON employees (unit_id);

CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    external_id TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL DEFAULT '',
    email       TEXT    NOT NULL DEFAULT '',
    phone       TEXT    NOT NULL DEFAULT '',
    language    TEXT    NOT NULL DEFAULT '',
    segment     TEXT    NOT NULL DEFAULT '',
    value       INTEGER NOT NULL DEFAULT 0,
    owner_id    INTEGER REFERENCES employees (id),
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    attributes  TEXT    NOT NULL DEFAULT '{}', -- JSON object
    consent     INTEGER NOT NULL DEFAULT 0,
    -- Derived in Go from the columns above (storecodec.Keys), the same way
    -- on both engines: the folded name (no case, no accents) customers are
    -- listed by, and the folded name, email, phone and external id a search
    -- looks in. BINARY order on folded text is the order users expect.
    sort_name   TEXT    NOT NULL DEFAULT '',
    search_text TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX customers_sort ON customers (sort_name, external_id);
CREATE INDEX customers_unit_sort ON customers (unit_id, sort_name, external_id);
-- With unit_id, a frontline count of the customers owned outside the own
-- unit reads the index alone.
CREATE INDEX customers_owner ON customers (owner_id, unit_id);

-- The number of customers of each unit, for dashboards that count on
-- every page view without reading every customer. UpsertCustomers keeps
-- it in the transaction that writes the customers, by adding deltas
-- (never by recounting); a unit without a row has none.
CREATE TABLE unit_stats (
    unit_id   INTEGER PRIMARY KEY REFERENCES units (id),
    customers INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY, -- SHA-256 of the cookie's token, hex
    employee_id INTEGER NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    user_agent  TEXT    NOT NULL DEFAULT '',
    ip          TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE, -- SHA-256 of the token, hex
    prefix       TEXT    NOT NULL,
    role         TEXT    NOT NULL CHECK (role IN ('frontline', 'manager', 'analyst', 'admin')),
    employee_id  INTEGER REFERENCES employees (id) ON DELETE CASCADE,
    unit_id      INTEGER REFERENCES units (id),
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);

CREATE TABLE login_failures (
    id  INTEGER PRIMARY KEY,
    key TEXT    NOT NULL,
    at  INTEGER NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,
    payload      TEXT    NOT NULL DEFAULT '{}',
    state        TEXT    NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'dead')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at       INTEGER NOT NULL,
    leased_by    TEXT    NOT NULL DEFAULT '',
    leased_until INTEGER,
    last_error   TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    finished_at  INTEGER
);
-- Leasing reads only the ready part of the queue.
CREATE INDEX jobs_queued ON jobs (run_at) WHERE state = 'queued';
CREATE INDEX jobs_running ON jobs (leased_until) WHERE state = 'running';
CREATE INDEX jobs_state ON jobs (state, id);
