-- name: metric_catalogue()
-- The metric catalogue in display order; short_name is the name where the catalogue gives no shorter one.
SELECT code, name, coalesce(nullif(short_name, ''), name) AS short_name, unit, direction, combine, combine_over_time, level, scale, decimals, headline, sort_order,
       coalesce(numerator_label, '') AS numerator_label, coalesce(denominator_label, '') AS denominator_label,
       definition, source
FROM metrics
ORDER BY sort_order;
