-- Migration 9: the data version, one number that every committed write raises (assurance.store.transaction
-- raises it inside the write's own transaction). A running dashboard tells in one cheap read whether anything it
-- shows may have changed, and keys what it has computed on it; several server processes compare it with the
-- version of the copy they read (docs/SCALING.md).
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
INSERT INTO data_version VALUES (1, 1, current_timestamp);
