-- Migration 8: the national comparison from police.uk street-level archives (every force that publishes).
-- Reference (refreshed from data/reference/ on every init and upgrade, like areas and metrics):
--   police_forces: each police.uk force (slug as in its file names), its police force area and population;
--     BTP and PSNI have no area in England and Wales (territorial = false): shown apart, never ranked.
--   geo_units: the areas compared below a force: a Community Safety Partnership, or a local authority
--     district compared as a whole (one in several CSPs, or new since the 2019 lookup); population Census 2021.
--   geo_lads: each district (2022) with its unit, force area and population.
--   outcome_groups: each police.uk "Last outcome category" ('' for none) in one group (the proxy's table).
-- Data:
--   national_counts: police.uk street-level rows counted by month, force, district, where the rows lie
--     ('placed' in the force's own area; 'no_location', 'outside_force', 'unknown_lsoa': counted to the force
--     only; 'force_without_area': BTP, PSNI), crime type and last outcome (NULL for none).
--   replaced_national_counts: rows a later load of the same force and month replaced, kept for undo.
--   peer_groups: a named, editable peer list for a force or a unit, and how it was chosen.
CREATE TABLE police_forces (
    slug        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    pfa_code    TEXT,
    pfa_name    TEXT,
    territorial BOOLEAN NOT NULL,
    population  BIGINT,
    note        TEXT
);

CREATE TABLE geo_units (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('csp', 'lad')),
    pfa_code   TEXT NOT NULL,
    population BIGINT NOT NULL
);

CREATE TABLE geo_lads (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    unit       TEXT NOT NULL,
    pfa_code   TEXT NOT NULL,
    population BIGINT NOT NULL
);

CREATE TABLE outcome_groups (
    category      TEXT PRIMARY KEY,
    outcome_group TEXT NOT NULL CHECK (outcome_group IN ('charge_or_summons', 'out_of_court', 'still_open', 'closed_other'))
);

CREATE TABLE national_counts (
    load_id    INTEGER NOT NULL,
    month      TEXT NOT NULL CHECK (regexp_full_match(month, '[0-9]{4}-(0[1-9]|1[0-2])')),
    force      TEXT NOT NULL,
    lad        TEXT,
    place      TEXT NOT NULL CHECK (place IN ('placed', 'no_location', 'outside_force', 'unknown_lsoa', 'force_without_area')),
    crime_type TEXT NOT NULL,
    outcome    TEXT,
    count      BIGINT NOT NULL CHECK (count > 0)
);

CREATE TABLE replaced_national_counts (
    replaced_by INTEGER NOT NULL,
    load_id     INTEGER NOT NULL,
    month       TEXT NOT NULL,
    force       TEXT NOT NULL,
    lad         TEXT,
    place       TEXT NOT NULL,
    crime_type  TEXT NOT NULL,
    outcome     TEXT,
    count       BIGINT NOT NULL
);

CREATE TABLE peer_groups (
    level      TEXT NOT NULL CHECK (level IN ('force', 'unit')),
    focus      TEXT NOT NULL,
    members    TEXT NOT NULL,          -- JSON list of force slugs or unit codes
    basis      TEXT NOT NULL,          -- how the list was chosen, in words
    chosen_by  TEXT NOT NULL,
    chosen_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (level, focus)
);
