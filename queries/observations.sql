-- name: observations()
-- Every quarterly observation with its area's name and kind, in time order.
-- Parameters: none. Small enough (areas x metrics x quarters) to read whole and cache.
SELECT o.area, a.name AS area_name, a.kind AS area_kind, a.population, o.metric, o.quarter,
       o.value, o.numerator, o.denominator, o.illustrative, o.source, o.loaded_at
FROM observations AS o
JOIN areas AS a ON a.code = o.area
ORDER BY a.sort_order, o.metric, o.quarter;
