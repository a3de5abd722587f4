-- name: target_list()
-- Every target with its metric's and area's names ('Every area' for a target set for all of them), by metric.
SELECT coalesce(m.name, t.metric) AS metric, coalesce(a.name, t.area, 'Every area') AS area, t.name, t.basis,
       t.illustrative, t.source
FROM targets AS t
LEFT JOIN metrics AS m ON m.code = t.metric
LEFT JOIN areas AS a ON a.code = t.area
ORDER BY t.metric, t.area NULLS LAST;

-- name: figures_by_source()
-- How many quarterly figures of the headline metrics each source gave, and whether they are illustrative.
SELECT o.source, o.illustrative, count(*) AS figures
FROM observations AS o
JOIN metrics AS m ON m.code = o.metric
JOIN areas AS a ON a.code = o.area
WHERE m.headline
GROUP BY o.source, o.illustrative
ORDER BY o.source, o.illustrative;
