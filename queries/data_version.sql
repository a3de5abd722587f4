-- name: data_version()
-- The number every committed write raises (queries/schema/009_data_version.sql).
SELECT version FROM data_version WHERE id = 1;

-- name: data_version_to_raise()
-- Whether a write raises the data version, then whether it also notes the tables it wrote. The first is false in a
-- file not yet at schema version 9 (a migration in progress, a test stopped earlier), the second before version 10;
-- both are false in a file open read-only (a consistent read through a transaction, such as an export, changes
-- nothing).
SELECT count(*) FILTER (WHERE t.table_name = 'data_version') > 0 AS to_raise,
       count(*) FILTER (WHERE t.table_name = 'data_changes') > 0 AS to_note
FROM duckdb_tables() AS t JOIN duckdb_databases() AS d USING (database_name)
WHERE t.database_name = current_database() AND t.schema_name = 'main'
  AND t.table_name IN ('data_version', 'data_changes') AND NOT d.readonly;

-- name: raise_data_version()!
-- Run by every write transaction just before it commits: the write and its new version commit together.
UPDATE data_version SET version = version + 1, changed_at = current_timestamp WHERE id = 1;

-- name: data_version_at_least(floor)!
-- A restored backup carries the version it was backed up at, which the replaced file has already passed: its next
-- number must be new, or a running dashboard would take the restored data for figures it has already computed.
UPDATE data_version SET version = greatest(version, :floor) WHERE id = 1;

-- name: note_data_change(tables)!
-- Run by every write transaction just after it raises the data version: the tables it wrote (NULL: anything).
INSERT INTO data_changes SELECT version, :tables FROM data_version WHERE id = 1;

-- name: prune_data_changes(keep)!
-- Keep the latest rows only: a page behind by more than that many writes simply redraws.
DELETE FROM data_changes WHERE version <= (SELECT version FROM data_version WHERE id = 1) - :keep;

-- name: data_changes_since(since, upto)
-- What the writes after version `since`, up to `upto`, changed: one row per version kept.
SELECT version, tables FROM data_changes WHERE version > :since AND version <= :upto ORDER BY version;
