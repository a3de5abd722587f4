-- name: areas()
-- The five LPAs and the force, in display order, with population and its source.
SELECT code, name, kind, districts, population, population_source, sort_order
FROM areas
ORDER BY sort_order;
