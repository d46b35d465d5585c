-- Closing the loop: cases (one customer's issue, followed through nine
-- stages), their timelines, the editable list of root causes and the
-- preventive actions that fix the process behind many cases. Times are
-- INTEGER microseconds since the Unix epoch (UTC).

-- Root causes are keyed so cases keep theirs when an admin renames one;
-- an inactive one stays on old cases but is not offered.
CREATE TABLE root_causes (
    key        TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- A default list to start from; admins rename, add and switch off.
INSERT INTO root_causes (key, name, active, created_at, updated_at) VALUES
    ('product_defect', 'Product defect', 1, 0, 0),
    ('wrong_information', 'Wrong or missing information', 1, 0, 0),
    ('waiting_time', 'Waiting time', 1, 0, 0),
    ('staff_behaviour', 'Staff behaviour', 1, 0, 0),
    ('billing_error', 'Billing error', 1, 0, 0),
    ('delivery', 'Delivery problem', 1, 0, 0),
    ('process', 'Process or policy', 1, 0, 0),
    ('misunderstanding', 'Misunderstanding', 1, 0, 0),
    ('other', 'Other', 1, 0, 0);

CREATE TABLE preventive_actions (
    id          INTEGER PRIMARY KEY,
    title       TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    owner_id    INTEGER REFERENCES employees (id),
    due         INTEGER,
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done')),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE cases (
    id                     INTEGER PRIMARY KEY,
    customer_id            INTEGER NOT NULL REFERENCES customers (id),
    unit_id                INTEGER NOT NULL REFERENCES units (id),
    owner_id               INTEGER REFERENCES employees (id), -- NULL: nobody responsible up the tree
    response_id            INTEGER REFERENCES responses (id), -- the feedback that opened it
    rule_id                INTEGER, -- the rule that opened it (rules, 0004); no foreign key: a rule's cases outlive it
    program_id             INTEGER REFERENCES programs (id), -- whose service levels apply; NULL: defaults
    title                  TEXT    NOT NULL DEFAULT '',
    stage                  TEXT    NOT NULL CHECK (stage IN ('reported', 'investigating', 'corrective_action',
                               'follow_up', 'root_cause', 'preventive_action', 'follow_up_2', 'verification', 'closed')),
    score_before           INTEGER,
    category_before        TEXT    NOT NULL DEFAULT '',
    score_after            INTEGER,
    category_after         TEXT    NOT NULL DEFAULT '',
    customer_kind          TEXT    NOT NULL DEFAULT '',
    response_type          TEXT    NOT NULL DEFAULT '',
    root_cause             TEXT    NOT NULL DEFAULT '', -- a root_causes key; no foreign key, so a case keeps its cause whatever the list becomes
    preventive_action_id   INTEGER REFERENCES preventive_actions (id),
    first_contact_due      INTEGER NOT NULL,
    resolve_due            INTEGER NOT NULL,
    first_contact_at       INTEGER,
    closed_at              INTEGER,
    escalation_level       INTEGER NOT NULL DEFAULT 0,
    escalated_to_id        INTEGER REFERENCES employees (id),
    escalated_at           INTEGER,
    resurvey_at            INTEGER,
    resurvey_invitation_id INTEGER REFERENCES invitations (id),
    version                INTEGER NOT NULL DEFAULT 1, -- optimistic concurrency: every update adds one
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL
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
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    kind        TEXT    NOT NULL,
    actor       TEXT    NOT NULL DEFAULT '', -- employee email, token name or 'system'
    from_value  TEXT    NOT NULL DEFAULT '',
    to_value    TEXT    NOT NULL DEFAULT '',
    outcome     TEXT    NOT NULL DEFAULT '', -- of a call
    response_id INTEGER, -- the customer's new answer, for feedback events
    note        TEXT    NOT NULL DEFAULT '',
    data        TEXT    NOT NULL DEFAULT '', -- compact JSON; '' for none
    at          INTEGER NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, id);
