-- name: pledges()
-- Pledges with a metric, with the area's and metric's names, and the day each one's time frame ends
-- (deadline_text as said, e.g. 'over the next three months'; deadline_date; deadline_approximate).
SELECT p.id, p.meeting_id, p.owner, p.text, p.area, a.name AS area_name, p.metric, m.name AS metric_name,
       p.direction, p.horizon_months, p.baseline_quarter, p.due_quarter, p.deadline_text, p.deadline_date,
       p.deadline_approximate
FROM pledges AS p
JOIN areas AS a ON a.code = p.area
JOIN metrics AS m ON m.code = p.metric
ORDER BY p.id;
