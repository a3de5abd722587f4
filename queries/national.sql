-- name: clear_police_forces()!
-- The forces table is refreshed whole from data/reference/police_uk_forces.csv.
DELETE FROM police_forces;

-- name: insert_police_force(slug, name, pfa_code, pfa_name, territorial, population, note)!
-- A police.uk force, with its force area's Census 2021 population (NULL for BTP and PSNI).
INSERT INTO police_forces (slug, name, pfa_code, pfa_name, territorial, population, note)
VALUES (:slug, :name, :pfa_code, :pfa_name, :territorial, :population, :note);

-- name: clear_geo_units()!
-- The units are refreshed whole from the ONS files in data/reference/ons/.
DELETE FROM geo_units;

-- name: clear_geo_lads()!
-- The districts are refreshed whole from the ONS files in data/reference/ons/.
DELETE FROM geo_lads;

-- name: insert_geo_unit(code, name, kind, pfa_code, population)!
-- A CSP, or a district compared whole, with its Census 2021 population.
INSERT INTO geo_units (code, name, kind, pfa_code, population) VALUES (:code, :name, :kind, :pfa_code, :population);

-- name: insert_geo_lad(code, name, unit, pfa_code, population)!
-- A local authority district (2022) with its unit and force area.
INSERT INTO geo_lads (code, name, unit, pfa_code, population) VALUES (:code, :name, :unit, :pfa_code, :population);

-- name: clear_outcome_groups()!
-- The outcome groups are refreshed whole from data/reference/police_uk_outcome_groups.csv.
DELETE FROM outcome_groups;

-- name: insert_outcome_group(category, outcome_group)!
-- One police.uk outcome category ('' for none) and its group.
INSERT INTO outcome_groups (category, outcome_group) VALUES (:category, :outcome_group);

-- name: national_loads_of_files(sha256s)
-- Loads still in place whose files are exactly these (by SHA-256): the same archives imported again.
SELECT l.id
FROM loads AS l
JOIN load_files AS f ON f.load_id = l.id
WHERE l.status = 'loaded' AND l.importer = 'police_uk_national'
GROUP BY l.id
HAVING list_sort(list(f.sha256)) = list_sort(:sha256s);

-- name: insert_national_load_files(load_id)!
-- The files of a national load (registered as batch_files), with the SHA-256 of each member as stored.
INSERT INTO load_files (load_id, position, name, sha256, bytes, format, rows)
SELECT :load_id, position, name, sha256, bytes, 'police_uk_street_national', rows FROM batch_files;

-- name: keep_replaced_national_counts(load_id)!
-- The rows of the force-months the batch gives again, kept for undo (the batch is registered as batch_files).
INSERT INTO replaced_national_counts
SELECT :load_id, c.load_id, c.month, c.force, c.lad, c.place, c.crime_type, c.outcome, c.count
FROM national_counts AS c
WHERE (c.month, c.force) IN (SELECT (month, force) FROM batch_files);

-- name: delete_replaced_national_counts()!
-- The force-months the batch gives again, removed before its rows go in (re-importing a month replaces it).
DELETE FROM national_counts WHERE (month, force) IN (SELECT (month, force) FROM batch_files);

-- name: insert_national_counts(load_id)!
-- The batch's counts (registered as batch_counts).
INSERT INTO national_counts (load_id, month, force, lad, place, crime_type, outcome, count)
SELECT :load_id, month, force, lad, place, crime_type, outcome, count FROM batch_counts;

-- name: undo_national_counts(load_id)!
-- A national load's rows, removed when it is undone.
DELETE FROM national_counts WHERE load_id = :load_id;

-- name: restore_replaced_national_counts(load_id)!
-- The rows a national load replaced, put back when it is undone.
INSERT INTO national_counts (load_id, month, force, lad, place, crime_type, outcome, count)
SELECT load_id, month, force, lad, place, crime_type, outcome, count
FROM replaced_national_counts
WHERE replaced_by = :load_id;

-- name: forget_replaced_national_counts(load_id)!
-- The kept rows of an undone load, once they are back in place.
DELETE FROM replaced_national_counts WHERE replaced_by = :load_id;

-- name: national_loads_replacing(load_id)
-- Later national loads still in place that replaced rows of this one (they must be undone first).
SELECT DISTINCT r.replaced_by
FROM replaced_national_counts AS r
JOIN loads AS l ON l.id = r.replaced_by
WHERE r.load_id = :load_id AND l.status = 'loaded'
ORDER BY 1;

-- name: national_quarters()
-- Quarters holding national data, latest first, with how many forces have all three months.
SELECT quarter, count(*) FILTER (WHERE months_loaded = 3) AS full_forces, count(*) AS forces, max(months_loaded) AS most_months
FROM national_months
GROUP BY quarter
ORDER BY quarter DESC;

-- name: national_force_quarter(quarter, crime_type)
-- Every force with data for a quarter and crime type ('All crime' for the total): counts, the proxy's parts,
-- population and months loaded.
SELECT force, force_name, territorial, recorded_crimes, positive, still_open, population, months_loaded, months
FROM national_force_quarters
WHERE quarter = :quarter AND crime_type = :crime_type
ORDER BY force;

-- name: national_unit_quarter(quarter, crime_type)
-- Every unit (CSP, or district compared whole) with data for a quarter and crime type, with its force.
SELECT q.force, f.name AS force_name, q.unit, q.unit_name, q.unit_kind, q.recorded_crimes, q.positive, q.still_open,
       q.population, q.months_loaded, q.months
FROM national_unit_quarters AS q
JOIN police_forces AS f ON f.slug = q.force
WHERE q.quarter = :quarter AND q.crime_type = :crime_type
ORDER BY q.force, q.unit;

-- name: national_unplaced(quarter)
-- Recorded crimes counted to a force but to no unit, by force and reason (no location, outside its area ...).
SELECT force, place, sum(count)::BIGINT AS crimes
FROM national_rows
WHERE quarter = :quarter AND place <> 'placed' AND is_crime
GROUP BY ALL
ORDER BY force, place;

-- name: police_force_list()
-- Every police.uk force: name, whether territorial, population (NULL for BTP and PSNI), why apart.
SELECT slug, name, pfa_code, territorial, population, note FROM police_forces ORDER BY name;

-- name: unit_list()
-- Every unit below a force: CSPs and districts compared whole, with force area and population.
SELECT u.code, u.name, u.kind, u.pfa_code, f.slug AS force, u.population
FROM geo_units AS u
LEFT JOIN police_forces AS f ON f.pfa_code = u.pfa_code
ORDER BY f.slug, u.name;

-- name: unit_districts()
-- The districts of each unit (to match West Mercia's LPAs, whose districts data/areas.csv lists).
SELECT unit, code AS lad, name AS lad_name FROM geo_lads ORDER BY unit, name;

-- name: peer_group(level, focus)
-- The saved peer group of a force or unit, if any.
SELECT members, basis, chosen_by, chosen_at FROM peer_groups WHERE level = :level AND focus = :focus;

-- name: save_peer_group(level, focus, members, basis, chosen_by)!
-- A peer group chosen by a person (replacing the one saved before).
INSERT INTO peer_groups (level, focus, members, basis, chosen_by) VALUES (:level, :focus, :members, :basis, :chosen_by)
ON CONFLICT (level, focus) DO UPDATE SET members = excluded.members, basis = excluded.basis,
    chosen_by = excluded.chosen_by, chosen_at = now()::TIMESTAMP;

-- name: forget_peer_group(level, focus)!
-- Back to the default peers.
DELETE FROM peer_groups WHERE level = :level AND focus = :focus;

-- name: national_export()
-- The export: one row per quarter, level, area and crime type (stable columns, docs/national-export.md).
SELECT quarter, 'force' AS level, force, force AS area_code, force_name AS area_name, crime_type, recorded_crimes,
       population, positive, still_open, months_loaded
FROM national_force_quarters
WHERE crime_type <> 'Anti-social behaviour'
UNION ALL
SELECT quarter, 'csp', force, unit, unit_name, crime_type, recorded_crimes, population, positive, still_open,
       months_loaded
FROM national_unit_quarters
WHERE crime_type <> 'Anti-social behaviour'
ORDER BY quarter, level, force, area_code, crime_type = 'All crime' DESC, crime_type;
