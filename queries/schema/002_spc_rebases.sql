-- Migration 2: rebase points for SPC charts.
-- A rebase starts a new part of an XmR chart at a quarter (after a known change in process,
-- such as a new crime recording standard); each part gets its own mean and limits.
CREATE TABLE spc_rebases (
    area       TEXT NOT NULL,
    metric     TEXT NOT NULL,
    quarter    TEXT NOT NULL CHECK (regexp_full_match(quarter, '[0-9]{4}/[0-9]{2} Q[1-4]')),
    reason     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by TEXT,
    PRIMARY KEY (area, metric, quarter)
);
