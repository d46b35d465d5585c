-- Closing the loop: cases (one customer's issue, followed through nine
-- stages), their timelines, the editable list of root causes and the
-- preventive actions that fix the process behind many cases. Times are
-- TIMESTAMPTZ.

-- Root causes are keyed so cases keep theirs when an admin renames one;
-- an inactive one stays on old cases but is not offered. Names sort in
-- byte order (COLLATE "C", SQLite's BINARY), whatever the database's
-- collation.
CREATE TABLE root_causes (
    key        TEXT        PRIMARY KEY,
    name       TEXT COLLATE "C" NOT NULL,
    active     BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
-- A default list to start from; admins rename, add and switch off.
INSERT INTO root_causes (key, name, active, created_at, updated_at) VALUES
    ('product_defect', 'Product defect', TRUE, 'epoch', 'epoch'),
    ('wrong_information', 'Wrong or missing information', TRUE, 'epoch', 'epoch'),
    ('waiting_time', 'Waiting time', TRUE, 'epoch', 'epoch'),
    ('staff_behaviour', 'Staff behaviour', TRUE, 'epoch', 'epoch'),
    ('billing_error', 'Billing error', TRUE, 'epoch', 'epoch'),
    ('delivery', 'Delivery problem', TRUE, 'epoch', 'epoch'),
    ('process', 'Process or policy', TRUE, 'epoch', 'epoch'),
    ('misunderstanding', 'Misunderstanding', TRUE, 'epoch', 'epoch'),
    ('other', 'Other', TRUE, 'epoch', 'epoch');

CREATE TABLE preventive_actions (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title       TEXT        NOT NULL,
    description TEXT        NOT NULL DEFAULT '',
    owner_id    BIGINT REFERENCES employees (id),
    due         TIMESTAMPTZ,
    status      TEXT        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done')),
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE cases (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id            BIGINT      NOT NULL REFERENCES customers (id),
    unit_id                BIGINT      NOT NULL REFERENCES units (id),
    owner_id               BIGINT REFERENCES employees (id), -- NULL: nobody responsible up the tree
    response_id            BIGINT REFERENCES responses (id), -- the feedback that opened it
    rule_id                BIGINT, -- the rule that opened it (rules, 0004); no foreign key: a rule's cases outlive it
    program_id             BIGINT REFERENCES programs (id), -- whose service levels apply; NULL: defaults
    title                  TEXT        NOT NULL DEFAULT '',
    stage                  TEXT        NOT NULL CHECK (stage IN ('reported', 'investigating', 'corrective_action',
                               'follow_up', 'root_cause', 'preventive_action', 'follow_up_2', 'verification', 'closed')),
    score_before           INTEGER,
    category_before        TEXT        NOT NULL DEFAULT '',
    score_after            INTEGER,
    category_after         TEXT        NOT NULL DEFAULT '',
    customer_kind          TEXT        NOT NULL DEFAULT '',
    response_type          TEXT        NOT NULL DEFAULT '',
    root_cause             TEXT        NOT NULL DEFAULT '', -- a root_causes key; no foreign key, so a case keeps its cause whatever the list becomes
    preventive_action_id   BIGINT REFERENCES preventive_actions (id),
    first_contact_due      TIMESTAMPTZ NOT NULL,
    resolve_due            TIMESTAMPTZ NOT NULL,
    first_contact_at       TIMESTAMPTZ,
    closed_at              TIMESTAMPTZ,
    escalation_level       INTEGER     NOT NULL DEFAULT 0,
    escalated_to_id        BIGINT REFERENCES employees (id),
    escalated_at           TIMESTAMPTZ,
    resurvey_at            TIMESTAMPTZ,
    resurvey_invitation_id BIGINT REFERENCES invitations (id),
    version                INTEGER     NOT NULL DEFAULT 1, -- optimistic concurrency: every update adds one
    created_at             TIMESTAMPTZ NOT NULL,
    updated_at             TIMESTAMPTZ NOT NULL
);
-- An owner's cases and a unit's, newest first (open or not: a frontline
-- employee's open cases are most of theirs).
CREATE INDEX cases_owner ON cases (owner_id, id);
CREATE INDEX cases_unit ON cases (unit_id, id);
-- The open cases, newest first: the inbox and the open-case metrics, which
-- would otherwise read every case ever closed. Queries say CaseOpen's
-- words, which are these.
CREATE INDEX cases_open ON cases (id) WHERE stage <> 'closed';
-- A customer's open case: FindOpenCase and the sampler's check, read from
-- the index alone.
CREATE INDEX cases_customer ON cases (customer_id, stage);
CREATE INDEX cases_escalated_to ON cases (escalated_to_id);
CREATE INDEX cases_resurvey ON cases (resurvey_invitation_id);
CREATE INDEX cases_preventive_action ON cases (preventive_action_id);
-- The closed-loop metrics of a period.
CREATE INDEX cases_created ON cases (created_at);

-- A case's timeline, appended to and never rewritten.
CREATE TABLE case_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     BIGINT      NOT NULL REFERENCES cases (id),
    kind        TEXT        NOT NULL,
    actor       TEXT        NOT NULL DEFAULT '', -- employee email, token name or 'system'
    from_value  TEXT        NOT NULL DEFAULT '',
    to_value    TEXT        NOT NULL DEFAULT '',
    outcome     TEXT        NOT NULL DEFAULT '', -- of a call
    response_id BIGINT, -- the customer's new answer, for feedback events
    note        TEXT        NOT NULL DEFAULT '',
    data        TEXT        NOT NULL DEFAULT '', -- compact JSON; '' for none
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, id);
