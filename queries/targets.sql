-- name: targets()
-- Targets in force, with whether each is illustrative. area NULL: the target applies to every area.
SELECT id, metric, area, comparison, value, from_quarter, to_quarter, name, basis, illustrative, source
FROM targets
ORDER BY metric, area NULLS LAST;
