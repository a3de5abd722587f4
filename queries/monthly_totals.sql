-- name: monthly_totals(load_id)
-- The monthly police.uk counts a load put in place, summed over categories: one row per month, measure and LPA.
-- Parameters: :load_id.
SELECT m.month, m.measure, a.name AS area, CAST(sum(m.count) AS BIGINT) AS count
FROM monthly_counts AS m
JOIN areas AS a ON a.code = m.area
WHERE m.load_id = :load_id
GROUP BY m.month, m.measure, a.name
ORDER BY m.month, m.measure, a.name;
