-- name: remove_demo_observations(path)!
-- The illustrative observations the demo CSV is about to give again (real figures are never touched).
DELETE FROM observations
WHERE illustrative
  AND (area, metric, quarter) IN (SELECT (area, metric, quarter) FROM read_csv(:path, header = true, all_varchar = true));

-- name: insert_demo_observations(path)!
-- The illustrative observations from data/demo/quarterly_observations.csv, beside any real ones.
INSERT INTO observations (area, metric, quarter, value, numerator, denominator, illustrative, source)
SELECT area, metric, quarter, value::DOUBLE, nullif(numerator, '')::DOUBLE, nullif(denominator, '')::DOUBLE,
       illustrative::BOOLEAN, source
FROM read_csv(:path, header = true, all_varchar = true)
ON CONFLICT DO NOTHING;

-- name: remove_demo_targets()!
-- The illustrative targets and the national standard, before they are loaded again.
DELETE FROM targets WHERE illustrative OR name = 'National standard';

-- name: insert_demo_targets(path)!
-- Targets from data/demo/targets.csv (illustrative ones marked so; the 999 national standard is real).
INSERT INTO targets (metric, area, comparison, value, from_quarter, name, basis, illustrative, source)
SELECT metric, nullif(area, ''), comparison, nullif(value, '')::DOUBLE, from_quarter, name, basis,
       illustrative::BOOLEAN, source
FROM read_csv(:path, header = true, all_varchar = true);
