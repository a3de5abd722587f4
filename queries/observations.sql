-- name: observations()
-- Every quarterly observation in use, with its area's name and kind, in time order: the force's own figures, else
-- police.uk's (West Mercia's recorded crime from the national comparison), else the illustrative demo figures
-- (the view observations_in_use decides). Small enough (areas x metrics x quarters) to read whole and cache.
SELECT o.area, a.name AS area_name, a.kind AS area_kind, a.population, o.metric, o.quarter,
       o.value, o.numerator, o.denominator, o.illustrative, o.source, o.loaded_at
FROM observations_in_use AS o
JOIN areas AS a ON a.code = o.area
ORDER BY a.sort_order, o.metric, o.quarter;
