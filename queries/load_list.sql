-- name: load_list()
-- Loads with their provenance, newest first: files, short SHA-256s, rows read/loaded/rejected, when, by whom,
-- status; then one row (load_id NULL, status 'shipped') for the figures shipped with the product (demo and seed).
SELECT l.id AS load_id, l.importer, l.importer_version, l.files,
       (SELECT string_agg(left(f.sha256, 12), ' ' ORDER BY f.position) FROM load_files AS f WHERE f.load_id = l.id)
           AS sha256_short,
       l.rows_read, l.rows_loaded, l.rows_rejected, l.observations, l.replaced, l.summary,
       l.started_at, l.finished_at, l.loaded_by, l.status, l.undone_at, l.undone_by,
       (SELECT count(*) FROM observations AS o WHERE o.load_id = l.id) AS observations_in_place
FROM loads AS l
UNION ALL
SELECT NULL, 'shipped', NULL, 'data/demo: illustrative demo figures', NULL, NULL, NULL, NULL, count(*), 0,
       'Figures shipped with the product (illustrative unless marked otherwise)', NULL, max(loaded_at), NULL,
       'shipped', NULL, NULL, count(*)
FROM observations WHERE load_id IS NULL HAVING count(*) > 0
ORDER BY load_id DESC NULLS LAST
