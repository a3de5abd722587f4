-- Migration 1: the initial schema.
-- Reference data (areas, metrics), quarterly observations, targets, and the commitments
-- made in meetings: meetings, attendees, agenda items, actions and their updates, HMICFRS
-- recommendations, pledges and claims. Quarters are text like '2024/25 Q2' (sorts in time order).

CREATE TABLE areas (
    code              TEXT PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL CHECK (kind IN ('lpa', 'force')),
    districts         TEXT,
    population        INTEGER CHECK (population > 0),
    population_source TEXT,
    sort_order        INTEGER NOT NULL
);

CREATE TABLE metrics (
    code              TEXT PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    unit              TEXT NOT NULL CHECK (unit IN ('count', 'percent', 'days', 'minutes', 'seconds', 'days per officer')),
    direction         TEXT NOT NULL CHECK (direction IN ('higher', 'lower', 'neutral')),
    combine           TEXT NOT NULL CHECK (combine IN ('sum', 'ratio', 'none')),
    combine_over_time TEXT NOT NULL CHECK (combine_over_time IN ('sum', 'ratio', 'none')),
    level             TEXT NOT NULL CHECK (level IN ('lpa', 'force')),
    scale             DOUBLE NOT NULL DEFAULT 1,
    decimals          INTEGER NOT NULL DEFAULT 1,
    headline          BOOLEAN NOT NULL DEFAULT TRUE,
    sort_order        INTEGER NOT NULL,
    numerator_label   TEXT,
    denominator_label TEXT,
    definition        TEXT NOT NULL,
    source            TEXT NOT NULL
);

CREATE TABLE observations (
    area         TEXT NOT NULL,
    metric       TEXT NOT NULL,
    quarter      TEXT NOT NULL CHECK (regexp_full_match(quarter, '[0-9]{4}/[0-9]{2} Q[1-4]')),
    value        DOUBLE,
    numerator    DOUBLE CHECK (numerator >= 0),
    denominator  DOUBLE CHECK (denominator >= 0),
    illustrative BOOLEAN NOT NULL DEFAULT FALSE,
    source       TEXT NOT NULL,
    note         TEXT,
    loaded_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (area, metric, quarter)
);

CREATE SEQUENCE target_id START 1;
CREATE TABLE targets (
    id           INTEGER PRIMARY KEY DEFAULT nextval('target_id'),
    metric       TEXT NOT NULL,
    area         TEXT,               -- NULL: the same target for every area
    comparison   TEXT NOT NULL CHECK (comparison IN ('at_least', 'at_most', 'reduce_on_last_year', 'increase_on_last_year')),
    value        DOUBLE,             -- the threshold for at_least / at_most
    from_quarter TEXT NOT NULL,
    to_quarter   TEXT,
    name         TEXT NOT NULL,      -- e.g. 'Safer West Mercia Plan', 'National standard'
    basis        TEXT NOT NULL,      -- the words of the target
    illustrative BOOLEAN NOT NULL DEFAULT FALSE,
    source       TEXT NOT NULL
);

CREATE TABLE meetings (
    id                TEXT PRIMARY KEY,   -- e.g. '2024-11-27-aa-performance'
    held_on           DATE NOT NULL,
    starts_at         TEXT,
    title             TEXT NOT NULL,
    kind              TEXT NOT NULL,      -- e.g. 'A&A performance'
    quarter_discussed TEXT,
    chair             TEXT,
    minute_taker      TEXT,
    source_document   TEXT,
    status            TEXT NOT NULL DEFAULT 'held' CHECK (status IN ('scheduled', 'held'))
);

CREATE TABLE attendees (
    meeting_id   TEXT NOT NULL,
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,
    abbreviation TEXT,
    organisation TEXT,
    PRIMARY KEY (meeting_id, position)
);

CREATE TABLE agenda_items (
    meeting_id TEXT NOT NULL,
    position   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    notes      TEXT,
    PRIMARY KEY (meeting_id, position)
);

CREATE SEQUENCE action_id START 1;
CREATE TABLE actions (
    id                INTEGER PRIMARY KEY DEFAULT nextval('action_id'),
    meeting_id        TEXT NOT NULL,      -- the meeting that raised it
    position          INTEGER NOT NULL,   -- order within that meeting
    text              TEXT NOT NULL,
    owner             TEXT NOT NULL,      -- role as written, e.g. 'T/CC'
    agenda_item       INTEGER,
    due_text          TEXT,               -- as written, e.g. 'Q3 A&A performance meeting'; NULL: none stated
    due_meeting_kind  TEXT,               -- a future meeting it is due at, resolved once scheduled
    due_meeting_quarter TEXT,             -- the quarter whose performance meeting it is due at
    due_date          DATE,
    status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'update given', 'closed', 'withdrawn')),
    created_at        TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (meeting_id, position)
);

CREATE SEQUENCE action_update_id START 1;
CREATE TABLE action_updates (
    id         INTEGER PRIMARY KEY DEFAULT nextval('action_update_id'),
    action_id  INTEGER NOT NULL,
    given_on   DATE NOT NULL,
    text       TEXT NOT NULL,
    meeting_id TEXT
);

CREATE SEQUENCE recommendation_id START 1;
CREATE TABLE recommendations (
    id               INTEGER PRIMARY KEY DEFAULT nextval('recommendation_id'),
    report           TEXT NOT NULL,
    report_published DATE,
    number           INTEGER NOT NULL,
    subject          TEXT NOT NULL,       -- what it is about, in the meeting's words
    text             TEXT,                -- the report's wording, when recorded
    force_response   TEXT,
    deadline_text    TEXT,                -- as written, e.g. 'spring 2025'
    deadline_date    DATE,                -- the date it resolves to
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in progress', 'complete', 'closed')),
    evidence         TEXT,
    meeting_id       TEXT,                -- the meeting where it was last discussed
    UNIQUE (report, number)
);

CREATE SEQUENCE pledge_id START 1;
CREATE TABLE pledges (
    id               INTEGER PRIMARY KEY DEFAULT nextval('pledge_id'),
    meeting_id       TEXT NOT NULL,
    owner            TEXT NOT NULL,
    text             TEXT NOT NULL,       -- as said in the meeting
    area             TEXT NOT NULL,
    metric           TEXT NOT NULL,
    direction        TEXT NOT NULL CHECK (direction IN ('increase', 'decrease')),
    horizon_months   INTEGER NOT NULL CHECK (horizon_months > 0),
    baseline_quarter TEXT NOT NULL,
    due_quarter      TEXT NOT NULL        -- the quarter whose data shows whether it was kept
);

CREATE SEQUENCE claim_id START 1;
CREATE TABLE claims (
    id           INTEGER PRIMARY KEY DEFAULT nextval('claim_id'),
    meeting_id   TEXT NOT NULL,
    speaker      TEXT,
    text         TEXT NOT NULL,           -- the figure as stated
    metric       TEXT NOT NULL,
    area         TEXT NOT NULL,
    quarter      TEXT NOT NULL,           -- the latest quarter the figure covers
    period       TEXT NOT NULL CHECK (period IN ('quarter', 'year_to_date', 'rolling_12_months')),
    comparison   TEXT NOT NULL CHECK (comparison IN ('none', 'previous_quarter', 'same_period_last_year', 'previous_12_months')),
    stated_value DOUBLE NOT NULL,         -- a level (comparison 'none') or a change in the metric's change unit
    tolerance    DOUBLE NOT NULL          -- agreement within this much, in the same unit
);
