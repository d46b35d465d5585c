-- Surveys, programs, invitations, responses and their pre-aggregated
-- counts. Times are TIMESTAMPTZ.

-- A survey's texts, questions, hidden fields, origins and switches are one
-- JSON document (definition): always read and written whole, never queried.
CREATE TABLE surveys (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key        TEXT    NOT NULL UNIQUE,
    kind       TEXT    NOT NULL CHECK (kind IN ('nps', 'csat', 'ces')),
    name       TEXT    NOT NULL,
    definition TEXT    NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Reward codes: each is given to one response at most.
CREATE TABLE reward_codes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_id   BIGINT NOT NULL REFERENCES surveys (id),
    code        TEXT    NOT NULL,
    response_id BIGINT UNIQUE, -- NULL: not given yet
    created_at  TIMESTAMPTZ NOT NULL,
    given_at    TIMESTAMPTZ,
    UNIQUE (survey_id, code)
);
CREATE INDEX reward_codes_free ON reward_codes (survey_id, id) WHERE response_id IS NULL;

-- A program's population filter, target and rules are one JSON document.
CREATE TABLE programs (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key        TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    survey_id  BIGINT NOT NULL REFERENCES surveys (id),
    active     BOOLEAN NOT NULL DEFAULT FALSE,
    last_run_at TIMESTAMPTZ,
    definition TEXT    NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE invitations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_id   BIGINT NOT NULL REFERENCES surveys (id),
    program_id  BIGINT REFERENCES programs (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    unit_id     BIGINT NOT NULL REFERENCES units (id), -- the customer's unit when invited
    channel     TEXT    NOT NULL,
    language    TEXT    NOT NULL DEFAULT '',
    hidden      TEXT    NOT NULL DEFAULT '{}',
    token_hash  TEXT    NOT NULL UNIQUE, -- SHA-256 of the link's token, hex
    delivery    TEXT    NOT NULL DEFAULT '',
    error       TEXT    NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    sent_at     TIMESTAMPTZ,
    reminded_at TIMESTAMPTZ,
    opened_at   TIMESTAMPTZ,
    answered_at TIMESTAMPTZ,
    expires_at  TIMESTAMPTZ NOT NULL
);
-- When was a customer last asked (by anyone; by a program): the sampler's
-- fatigue rules read these per customer.
CREATE INDEX invitations_customer ON invitations (customer_id, created_at);
CREATE INDEX invitations_customer_program ON invitations (customer_id, program_id, created_at);
-- A program's invitations in a period, for quotas and response rates.
CREATE INDEX invitations_program ON invitations (program_id, created_at);
CREATE INDEX invitations_survey ON invitations (survey_id, id);
CREATE INDEX invitations_unit ON invitations (unit_id, id);

CREATE TABLE responses (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_id     BIGINT NOT NULL REFERENCES surveys (id),
    invitation_id BIGINT UNIQUE REFERENCES invitations (id),
    customer_id   BIGINT REFERENCES customers (id),
    unit_id       BIGINT REFERENCES units (id),
    channel       TEXT    NOT NULL,
    score         SMALLINT NOT NULL,
    comment       TEXT    NOT NULL DEFAULT '',
    answers       TEXT    NOT NULL DEFAULT '{}',
    hidden        TEXT    NOT NULL DEFAULT '{}',
    language      TEXT    NOT NULL DEFAULT '',
    external_id   TEXT, -- set by imports and the API, for idempotent re-sends
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (survey_id, external_id)
);
CREATE INDEX responses_survey ON responses (survey_id, id);
CREATE INDEX responses_unit ON responses (unit_id, id);
CREATE INDEX responses_customer ON responses (customer_id, created_at);

-- Answers per survey, unit (0: none), day and score, kept by every
-- response write in its transaction, so a dashboard adds up a few hundred
-- rows instead of reading every response.
CREATE TABLE score_counts (
    survey_id BIGINT NOT NULL,
    unit_id   BIGINT NOT NULL,
    day       INTEGER NOT NULL, -- days since 1970-01-01 UTC
    score     INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (survey_id, unit_id, day, score)
);
