-- Migration 3: the append-only audit trail, and links from actions to the data they are about.
-- Every change to an action, recommendation or meeting made through the library is written here
-- (what, old value, new value, when, by whom). Nothing in the library updates or deletes these rows.
CREATE SEQUENCE audit_id START 1;
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY DEFAULT nextval('audit_id'),
    entity      TEXT NOT NULL,        -- 'action', 'recommendation', 'meeting'
    entity_id   TEXT NOT NULL,
    operation   TEXT NOT NULL,        -- 'create', 'edit', 'update', 'status'
    field       TEXT,
    old_value   TEXT,
    new_value   TEXT,
    changed_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    changed_by  TEXT NOT NULL
);

-- An action may be about one metric and/or one area, so charts can show it where it belongs.
ALTER TABLE actions ADD COLUMN metric TEXT;
ALTER TABLE actions ADD COLUMN area TEXT;
