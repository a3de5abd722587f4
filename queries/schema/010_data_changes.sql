-- Migration 10: what each committed write changed, so an open page redraws only when data it shows has changed.
-- One row per data version (raised by every write: migration 9), written in the write's own transaction: the tables
-- it wrote, or NULL for "anything may have changed" (a migration, a restored backup). A page notes the tables its
-- run read; a later version whose rows name none of them leaves it as it is (ui/live.py). A missing row (pruned, or
-- a restored file's history) is read as NULL. Only the latest few hundred rows are kept.
CREATE TABLE data_changes (
    version BIGINT PRIMARY KEY,
    tables TEXT[]
);
