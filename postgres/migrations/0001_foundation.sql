-- Foundation: organisation, customers, accounts, durable jobs.
-- Customer value is a BIGINT count of ten-thousandths (heed.Decimal), the
-- same representation as in SQLite.

CREATE TABLE units (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key         TEXT        NOT NULL UNIQUE,
    name        TEXT        NOT NULL,
    parent_id   BIGINT REFERENCES units (id),
    responsible TEXT        NOT NULL DEFAULT '', -- an employee's email; may name one imported later
    depth       INTEGER     NOT NULL DEFAULT 0,
    path        TEXT        NOT NULL,            -- '/1/5/23/': ids from the root down
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX units_path ON units (path text_pattern_ops);
CREATE INDEX units_parent ON units (parent_id);

CREATE TABLE employees (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT        NOT NULL UNIQUE, -- lower-cased
    name          TEXT        NOT NULL,
    role          TEXT        NOT NULL CHECK (role IN ('frontline', 'manager', 'analyst', 'admin')),
    unit_id       BIGINT REFERENCES units (id),
    password_hash TEXT        NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX employees_unit ON employees (unit_id);

CREATE TABLE customers (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id TEXT        NOT NULL UNIQUE,
    name        TEXT        NOT NULL DEFAULT '',
    email       TEXT        NOT NULL DEFAULT '',
    phone       TEXT        NOT NULL DEFAULT '',
    language    TEXT        NOT NULL DEFAULT '',
    segment     TEXT        NOT NULL DEFAULT '',
    value       BIGINT      NOT NULL DEFAULT 0,
    owner_id    BIGINT REFERENCES employees (id),
    unit_id     BIGINT      NOT NULL REFERENCES units (id),
    attributes  JSONB       NOT NULL DEFAULT '{}',
    consent     BOOLEAN     NOT NULL DEFAULT false,
    -- Derived in Go from the columns above (storecodec.Keys), the same way
    -- on both engines: the folded name (no case, no accents) customers are
    -- listed by, and the folded name, email, phone and external id a search
    -- looks in. Compared in byte order (COLLATE "C", SQLite's BINARY), so
    -- the list order does not depend on the database's collation.
    sort_name   TEXT COLLATE "C" NOT NULL DEFAULT '',
    search_text TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX customers_sort ON customers (sort_name COLLATE "C", external_id COLLATE "C");
CREATE INDEX customers_unit_sort ON customers (unit_id, sort_name COLLATE "C", external_id COLLATE "C");
-- With unit_id, a frontline count of the customers owned outside the own
-- unit reads the index alone.
CREATE INDEX customers_owner ON customers (owner_id, unit_id);

-- The number of customers of each unit, for dashboards that count on
-- every page view without reading every customer. UpsertCustomers keeps
-- it in the transaction that writes the customers, by adding deltas
-- (never by recounting, which would miss a concurrent batch's rows under
-- read committed); a unit without a row has none.
CREATE TABLE unit_stats (
    unit_id   BIGINT PRIMARY KEY REFERENCES units (id),
    customers BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    token_hash  TEXT        PRIMARY KEY, -- SHA-256 of the cookie's token, hex
    employee_id BIGINT      NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    user_agent  TEXT        NOT NULL DEFAULT '',
    ip          TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         TEXT        NOT NULL,
    token_hash   TEXT        NOT NULL UNIQUE, -- SHA-256 of the token, hex
    prefix       TEXT        NOT NULL,
    role         TEXT        NOT NULL CHECK (role IN ('frontline', 'manager', 'analyst', 'admin')),
    employee_id  BIGINT REFERENCES employees (id) ON DELETE CASCADE,
    unit_id      BIGINT REFERENCES units (id),
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);

CREATE TABLE login_failures (
    id  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key TEXT        NOT NULL,
    at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

CREATE TABLE jobs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT        NOT NULL,
    payload      JSONB       NOT NULL DEFAULT '{}',
    state        TEXT        NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'dead')),
    attempts     INTEGER     NOT NULL DEFAULT 0,
    max_attempts INTEGER     NOT NULL,
    run_at       TIMESTAMPTZ NOT NULL,
    leased_by    TEXT        NOT NULL DEFAULT '',
    leased_until TIMESTAMPTZ,
    last_error   TEXT        NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ
);
-- Leasing reads only the ready part of the queue.
CREATE INDEX jobs_queued ON jobs (run_at) WHERE state = 'queued';
CREATE INDEX jobs_running ON jobs (leased_until) WHERE state = 'running';
CREATE INDEX jobs_state ON jobs (state, id);
