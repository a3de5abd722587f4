-- name: migrations_table_exists()
-- Whether the schema_migrations table is there (0 or 1): a new file has none.
SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations';

-- name: table_count()
-- How many tables the file holds: a file with tables but no schema version is not ours.
SELECT count(*) FROM information_schema.tables;

-- name: schema_version()
-- The highest migration applied.
SELECT coalesce(max(version), 0) FROM schema_migrations;

-- name: create_migrations_table()#
-- The record of applied migrations (made before the first one runs).
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- name: record_migration(version, name)!
-- A migration applied, in the same transaction as its SQL.
INSERT INTO schema_migrations (version, name) VALUES (:version, :name);

-- name: base_tables()
-- The database's own tables, by name (for counts, exports and backups).
SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY table_name;

-- name: upsert_area(code, name, kind, districts, population, population_source, sort_order)!
-- An LPA or the force from data/areas.csv, inserted or refreshed.
INSERT INTO areas (code, name, kind, districts, population, population_source, sort_order)
VALUES (:code, :name, :kind, :districts, :population, :population_source, :sort_order)
ON CONFLICT (code) DO UPDATE SET
    name = excluded.name, kind = excluded.kind, districts = excluded.districts, population = excluded.population,
    population_source = excluded.population_source, sort_order = excluded.sort_order;

-- name: upsert_metric(code, name, unit, direction, combine, combine_over_time, level, scale, decimals, headline, sort_order, numerator_label, denominator_label, definition, source, short_name)!
-- A metric of the shipped catalogue, inserted or refreshed.
INSERT INTO metrics (code, name, unit, direction, combine, combine_over_time, level, scale, decimals, headline,
                     sort_order, numerator_label, denominator_label, definition, source, short_name)
VALUES (:code, :name, :unit, :direction, :combine, :combine_over_time, :level, :scale, :decimals, :headline,
        :sort_order, :numerator_label, :denominator_label, :definition, :source, :short_name)
ON CONFLICT (code) DO UPDATE SET
    name = excluded.name, unit = excluded.unit, direction = excluded.direction, combine = excluded.combine,
    combine_over_time = excluded.combine_over_time, level = excluded.level, scale = excluded.scale,
    decimals = excluded.decimals, headline = excluded.headline, sort_order = excluded.sort_order,
    numerator_label = excluded.numerator_label, denominator_label = excluded.denominator_label,
    definition = excluded.definition, source = excluded.source, short_name = excluded.short_name;

-- name: row_count(table_name)
-- Rows in one table, named by a value (query_table), never by formatting SQL.
SELECT count(*) FROM query_table(:table_name);

