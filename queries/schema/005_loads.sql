-- Migration 5: provenance of imported data.
-- loads: one row per import (quarterly return, police.uk files, export restore): who, when, which importer
-- and version, rows read / loaded / rejected, and whether it has been undone. Ids are assigned by the
-- loader (max + 1) rather than a sequence, so an export can be restored with its ids.
-- load_files: each file of a load with its SHA-256 (importing the same files twice changes nothing).
-- observations.load_id: the load an observation came from; NULL = shipped demo or seed data.
-- monthly_counts: police.uk counts per LPA, month, measure ('crimes', 'asb_incidents', 'outcomes') and
-- category (crime type or outcome category); the quarterly observations are built from these.
-- unplaced_counts: police.uk rows that could not be placed in an LPA, by month and reason.
-- replaced_*: rows a load replaced (with --replace / confirm), kept so that undoing the load restores them.
CREATE TABLE loads (
    id               INTEGER PRIMARY KEY,
    importer         TEXT NOT NULL,
    importer_version TEXT NOT NULL,
    files            TEXT NOT NULL,        -- file names, '; '-separated (details in load_files)
    rows_read        BIGINT NOT NULL,
    rows_loaded      BIGINT NOT NULL,
    rows_rejected    BIGINT NOT NULL,      -- police.uk rows that could not be placed in an LPA
    observations     INTEGER NOT NULL,     -- quarterly observations written
    replaced         INTEGER NOT NULL,     -- rows it replaced (kept in replaced_*)
    summary          TEXT,                 -- what was loaded, in words (partial quarters, unplaced rows)
    started_at       TIMESTAMP NOT NULL,
    finished_at      TIMESTAMP NOT NULL,
    loaded_by        TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'loaded' CHECK (status IN ('loaded', 'undone')),
    undone_at        TIMESTAMP,
    undone_by        TEXT
);

CREATE TABLE load_files (
    load_id  INTEGER NOT NULL,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    sha256   TEXT NOT NULL,
    bytes    BIGINT NOT NULL,
    format   TEXT NOT NULL,
    rows     BIGINT NOT NULL,
    PRIMARY KEY (load_id, position)
);

ALTER TABLE observations ADD COLUMN load_id INTEGER;

CREATE TABLE monthly_counts (
    area     TEXT NOT NULL,
    month    TEXT NOT NULL CHECK (regexp_full_match(month, '[0-9]{4}-(0[1-9]|1[0-2])')),
    measure  TEXT NOT NULL,
    category TEXT NOT NULL,
    count    BIGINT NOT NULL CHECK (count >= 0),
    load_id  INTEGER NOT NULL,
    PRIMARY KEY (area, month, measure, category)
);

CREATE TABLE unplaced_counts (
    load_id INTEGER NOT NULL,
    month   TEXT NOT NULL,
    measure TEXT NOT NULL,
    reason  TEXT NOT NULL,
    count   BIGINT NOT NULL,
    example TEXT,                          -- e.g. an LSOA name outside the force area
    PRIMARY KEY (load_id, month, measure, reason)
);

CREATE TABLE replaced_observations (
    load_id      INTEGER NOT NULL,         -- the load that replaced this row
    area         TEXT NOT NULL,
    metric       TEXT NOT NULL,
    quarter      TEXT NOT NULL,
    value        DOUBLE,
    numerator    DOUBLE,
    denominator  DOUBLE,
    illustrative BOOLEAN NOT NULL,
    source       TEXT NOT NULL,
    note         TEXT,
    loaded_at    TIMESTAMP NOT NULL,
    old_load_id  INTEGER,
    PRIMARY KEY (load_id, area, metric, quarter)
);

CREATE TABLE replaced_monthly_counts (
    load_id     INTEGER NOT NULL,
    area        TEXT NOT NULL,
    month       TEXT NOT NULL,
    measure     TEXT NOT NULL,
    category    TEXT NOT NULL,
    count       BIGINT NOT NULL,
    old_load_id INTEGER NOT NULL,
    PRIMARY KEY (load_id, area, month, measure, category)
);
