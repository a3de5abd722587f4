-- Loading a validated batch (assurance/domain/loads/): its conflicts, its rows, its provenance, undo, restore.
-- A batch's rows are bound as ONE parameter, a list of structs (:rows), and unnested here: no frame is
-- registered, nothing is formatted into SQL, and each statement prepares against the schema.

-- name: batch_observations_in_place(rows)
-- The batch's figures (:rows, a list of {area, metric, quarter, value, numerator, denominator}) beside the ones
-- the database holds for the same area, metric and quarter: what a load would keep, replace or refuse.
SELECT n.area, n.metric, n.quarter, n.value, n.numerator, n.denominator,
       o.value, o.numerator, o.denominator, o.illustrative, o.load_id
FROM (
    SELECT unnest(CAST(:rows AS STRUCT(area VARCHAR, metric VARCHAR, quarter VARCHAR, value DOUBLE, numerator DOUBLE,
                                       denominator DOUBLE)[]), recursive := true)
) AS n
JOIN observations AS o USING (area, metric, quarter)
ORDER BY n.metric, n.quarter, n.area;

-- name: monthly_counts_in_place(month, measure)
-- The police.uk counts already loaded for one month and measure, with the load they came from.
SELECT area, category, count, load_id FROM monthly_counts WHERE month = :month AND measure = :measure
ORDER BY area, category;

-- name: load_of_the_same_files(sha256s)
-- A load still in place made from exactly these files (:sha256s, sorted): importing them again changes nothing.
SELECT l.id
FROM loads AS l JOIN load_files AS f ON f.load_id = l.id
WHERE l.status = 'loaded'
GROUP BY l.id
HAVING list(f.sha256 ORDER BY f.sha256) = CAST(:sha256s AS VARCHAR[])
ORDER BY l.id
LIMIT 1;

-- name: next_load_id()
-- The id the next load takes (loads are numbered by the loader, so an export restores with its ids).
SELECT coalesce(max(id), 0) + 1 FROM loads;

-- name: keep_replaced_observation(load_id, area, metric, quarter)!
-- A figure a load replaces, kept with the replacing load's id so that undoing the load puts it back.
INSERT INTO replaced_observations
SELECT :load_id, area, metric, quarter, value, numerator, denominator, illustrative, source, note, loaded_at, load_id
FROM observations
WHERE area = :area AND metric = :metric AND quarter = :quarter;

-- name: remove_replaced_observation(area, metric, quarter)!
-- The replaced figure itself, once kept.
DELETE FROM observations WHERE area = :area AND metric = :metric AND quarter = :quarter;

-- name: keep_replaced_monthly_counts(load_id, month, measure)!
-- A month's police.uk counts a load replaces, kept with the replacing load's id (how many rows: the count).
INSERT INTO replaced_monthly_counts
SELECT :load_id, area, month, measure, category, count, load_id
FROM monthly_counts
WHERE month = :month AND measure = :measure;

-- name: remove_replaced_monthly_counts(month, measure)!
-- The replaced month's counts themselves, once kept.
DELETE FROM monthly_counts WHERE month = :month AND measure = :measure;

-- name: insert_batch_observations(rows, load_id, loaded_at)!
-- A batch's quarterly figures (:rows, a list of {area, metric, quarter, value, numerator, denominator, source,
-- note}), real (not illustrative), stamped with their load.
INSERT INTO observations (area, metric, quarter, value, numerator, denominator, illustrative, source, note,
                          loaded_at, load_id)
SELECT area, metric, quarter, value, numerator, denominator, false, source, note, :loaded_at, :load_id
FROM (
    SELECT unnest(CAST(:rows AS STRUCT(area VARCHAR, metric VARCHAR, quarter VARCHAR, value DOUBLE, numerator DOUBLE,
                                       denominator DOUBLE, source VARCHAR, note VARCHAR)[]), recursive := true)
);

-- name: insert_batch_monthly_counts(rows, load_id)!
-- A batch's police.uk counts per LPA, month, measure and category (:rows, a list of {area, month, measure,
-- category, count}).
INSERT INTO monthly_counts (area, month, measure, category, count, load_id)
SELECT area, month, measure, category, count, :load_id
FROM (
    SELECT unnest(CAST(:rows AS STRUCT(area VARCHAR, month VARCHAR, measure VARCHAR, category VARCHAR,
                                       count BIGINT)[]), recursive := true)
);

-- name: insert_batch_unplaced_counts(rows, load_id)!
-- A batch's police.uk rows not placed in an LPA, by month, measure and reason (:rows, a list of {month,
-- measure, reason, count, example}).
INSERT INTO unplaced_counts (load_id, month, measure, reason, count, example)
SELECT :load_id, month, measure, reason, count, example
FROM (
    SELECT unnest(CAST(:rows AS STRUCT(month VARCHAR, measure VARCHAR, reason VARCHAR, count BIGINT,
                                       example VARCHAR)[]), recursive := true)
);

-- name: insert_load(id, importer, importer_version, files, rows_read, rows_loaded, rows_rejected, observations, replaced, summary, started_at, finished_at, loaded_by)!
-- A load's provenance: what was read by which importer, how many rows, when and by whom (in place: 'loaded').
INSERT INTO loads (id, importer, importer_version, files, rows_read, rows_loaded, rows_rejected, observations,
                   replaced, summary, started_at, finished_at, loaded_by, status)
VALUES (:id, :importer, :importer_version, :files, :rows_read, :rows_loaded, :rows_rejected, :observations,
        :replaced, :summary, :started_at, :finished_at, :loaded_by, 'loaded');

-- name: insert_load_file(load_id, position, name, sha256, bytes, format, rows)!
-- One file of a load, with its SHA-256 (the same files again are recognised by these).
INSERT INTO load_files (load_id, position, name, sha256, bytes, format, rows)
VALUES (:load_id, :position, :name, :sha256, :bytes, :format, :rows);

-- name: load_state(load_id)
-- A load's status and importer, to decide whether it may be undone.
SELECT status, importer FROM loads WHERE id = :load_id;

-- name: loads_replacing_figures_of(load_id)
-- Later loads still in place that replaced figures of this load: they must be undone first.
SELECT DISTINCT r.load_id
FROM (
    SELECT load_id, old_load_id FROM replaced_observations
    UNION ALL
    SELECT load_id, old_load_id FROM replaced_monthly_counts
) AS r
JOIN loads AS l ON l.id = r.load_id
WHERE r.old_load_id = :load_id AND l.status = 'loaded'
ORDER BY 1;

-- name: remove_load_observations(load_id)!
-- Undo: the load's figures out.
DELETE FROM observations WHERE load_id = :load_id;

-- name: remove_load_monthly_counts(load_id)!
-- Undo: the load's police.uk counts out.
DELETE FROM monthly_counts WHERE load_id = :load_id;

-- name: put_back_replaced_observations(load_id)!
-- Undo: the figures the load replaced, back as they were (with the load they came from).
INSERT INTO observations (area, metric, quarter, value, numerator, denominator, illustrative, source, note,
                          loaded_at, load_id)
SELECT area, metric, quarter, value, numerator, denominator, illustrative, source, note, loaded_at, old_load_id
FROM replaced_observations
WHERE load_id = :load_id;

-- name: put_back_replaced_monthly_counts(load_id)!
-- Undo: the police.uk counts the load replaced, back as they were.
INSERT INTO monthly_counts (area, month, measure, category, count, load_id)
SELECT area, month, measure, category, count, old_load_id
FROM replaced_monthly_counts
WHERE load_id = :load_id;

-- name: forget_replaced_observations(load_id)!
-- Undo: the kept copies of the replaced figures, once put back.
DELETE FROM replaced_observations WHERE load_id = :load_id;

-- name: forget_replaced_monthly_counts(load_id)!
-- Undo: the kept copies of the replaced counts, once put back.
DELETE FROM replaced_monthly_counts WHERE load_id = :load_id;

-- name: mark_load_undone(load_id, undone_at, undone_by)!
-- Undo: the load is kept, marked undone with when and by whom.
UPDATE loads SET status = 'undone', undone_at = :undone_at, undone_by = :undone_by WHERE id = :load_id;

-- name: restore_target_holds()
-- What a database holds that a restore would clash with: its loads, and its real (not illustrative) figures.
SELECT (SELECT count(*) FROM loads) AS loads,
       (SELECT count(*) FROM observations WHERE NOT illustrative) AS real_figures;

-- name: remove_observations_before_restore()!
-- A restore replaces the figures a new database holds (the illustrative demo ones) with the export's.
DELETE FROM observations;

-- name: restore_observations(path)!
-- A restore: the export's figures from its Parquet file, columns by name.
INSERT INTO observations (area, metric, quarter, value, numerator, denominator, illustrative, source, note,
                          loaded_at, load_id)
SELECT area, metric, quarter, value, numerator, denominator, illustrative, source, note, loaded_at, load_id
FROM read_parquet(:path);

-- name: restore_loads(path)!
-- A restore: the export's load history.
INSERT INTO loads (id, importer, importer_version, files, rows_read, rows_loaded, rows_rejected, observations,
                   replaced, summary, started_at, finished_at, loaded_by, status, undone_at, undone_by)
SELECT id, importer, importer_version, files, rows_read, rows_loaded, rows_rejected, observations, replaced,
       summary, started_at, finished_at, loaded_by, status, undone_at, undone_by
FROM read_parquet(:path);

-- name: restore_load_files(path)!
-- A restore: the files of the export's loads.
INSERT INTO load_files (load_id, position, name, sha256, bytes, format, rows)
SELECT load_id, position, name, sha256, bytes, format, rows
FROM read_parquet(:path);

-- name: restore_monthly_counts(path)!
-- A restore: the export's police.uk counts.
INSERT INTO monthly_counts (area, month, measure, category, count, load_id)
SELECT area, month, measure, category, count, load_id
FROM read_parquet(:path);

-- name: restore_unplaced_counts(path)!
-- A restore: the export's police.uk rows not placed in an LPA.
INSERT INTO unplaced_counts (load_id, month, measure, reason, count, example)
SELECT load_id, month, measure, reason, count, example
FROM read_parquet(:path);

-- name: restore_replaced_observations(path)!
-- A restore: the figures the export's loads replaced (kept for their undo).
INSERT INTO replaced_observations (load_id, area, metric, quarter, value, numerator, denominator, illustrative,
                                   source, note, loaded_at, old_load_id)
SELECT load_id, area, metric, quarter, value, numerator, denominator, illustrative, source, note, loaded_at,
       old_load_id
FROM read_parquet(:path);

-- name: restore_replaced_monthly_counts(path)!
-- A restore: the police.uk counts the export's loads replaced (kept for their undo).
INSERT INTO replaced_monthly_counts (load_id, area, month, measure, category, count, old_load_id)
SELECT load_id, area, month, measure, category, count, old_load_id
FROM read_parquet(:path);

-- name: load_monthly_counts(load_id)
-- Monthly police.uk counts in place (of one load, or all when :load_id is NULL), with the area names.
SELECT m.load_id, a.name AS area, m.month, m.measure, m.category, m.count
FROM monthly_counts AS m JOIN areas AS a ON a.code = m.area
WHERE :load_id IS NULL OR m.load_id = :load_id
ORDER BY m.month, m.measure, a.sort_order, m.category;

-- name: load_unplaced_counts(load_id)
-- police.uk rows not placed in an LPA, by load, month, measure and reason (of one load, or all).
SELECT load_id, month, measure, reason, count, example
FROM unplaced_counts
WHERE :load_id IS NULL OR load_id = :load_id
ORDER BY load_id, month, measure, reason;

-- name: load_file_list(load_id)
-- The files of one load, in the order they were given.
SELECT position, name, sha256, bytes, format, rows FROM load_files WHERE load_id = :load_id ORDER BY position;
