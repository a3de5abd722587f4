-- Backups (assurance/domain/backup.py): a consistent copy of a database into a new file. The copy is attached
-- under a FIXED alias, backup_target, so that every statement here is a constant; a lock in backup.py makes
-- one copy at a time per process. ATTACH, DETACH and COPY FROM DATABASE are statements DuckDB cannot PREPARE.

-- name: attach_backup_target(path)!
-- The new file the copy is written into, attached read-write (also from a read-only connection).
ATTACH :path AS backup_target (READ_WRITE);

-- name: copy_to_backup_target#
-- Every table, view and sequence of the connection's database into backup_target, in the caller's transaction
-- (COPY FROM DATABASE takes identifiers only; this is the same statement, naming the current database).
PRAGMA copy_database(current_database(), 'backup_target');

-- name: detach_backup_target#
-- The copy's file, let go (also after a failure: IF EXISTS).
DETACH DATABASE IF EXISTS backup_target;

-- name: current_database()
-- The name DuckDB gives the database a connection opened (its file's stem).
SELECT current_database();

-- name: database_tables(database_name)
-- The base tables of one attached database, by schema and name (their rows are counted with row_count).
SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = :database_name ORDER BY 1, 2;
