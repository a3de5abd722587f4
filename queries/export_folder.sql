-- name: table_rows(table_name)
-- Every row of one table, named by a value (query_table), for the export's CSV.
SELECT * FROM query_table(:table_name);

-- name: table_to_parquet(table_name, path)!
-- One table as a Parquet file at :path, for the export (it writes a file, not the database).
COPY (SELECT * FROM query_table(:table_name)) TO :path (FORMAT parquet);

-- name: parquet_rows_decoded(path)
-- The rows of an export's Parquet file, every column decoded (a hash of each row), not only the footer's
-- count: a file damaged inside fails here. Run on an in-memory connection.
SELECT count(*) AS row_count, max(hash(t)) AS digest FROM read_parquet(:path) AS t;
