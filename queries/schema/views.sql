-- Views recreated on every `init`: the stable interface for analysts.
-- quarterly_metrics: one row per area, metric and quarter. area is the area's name
-- ('Shropshire', 'West Mercia'), metric the catalogue code, quarter text like '2024/25 Q2'.
CREATE OR REPLACE VIEW quarterly_metrics AS
SELECT a.name AS area, o.metric, o.quarter, o.value, o.numerator, o.denominator, o.illustrative, o.source
FROM observations AS o
JOIN areas AS a ON a.code = o.area;
