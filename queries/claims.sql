-- name: claims()
-- Figures stated in meetings, with the area's and metric's names.
SELECT c.id, c.meeting_id, c.speaker, c.text, c.area, a.name AS area_name, c.metric, m.name AS metric_name,
       c.quarter, c.period, c.comparison, c.stated_value, c.tolerance
FROM claims AS c
JOIN areas AS a ON a.code = c.area
JOIN metrics AS m ON m.code = c.metric
ORDER BY c.id;
