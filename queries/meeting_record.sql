-- name: meeting(meeting_id)
-- One meeting: when, who chaired and took the minutes, the quarter discussed, the source document.
-- Parameters: :meeting_id.
SELECT id, held_on, starts_at, title, kind, quarter_discussed, chair, minute_taker, source_document, status
FROM meetings
WHERE id = :meeting_id;

-- name: meeting_actions(meeting_id)
-- The actions a meeting raised, open ones first, then in the minutes' order.
-- Parameters: :meeting_id.
SELECT a.id, a.position, a.text, a.owner, a.due_text, a.due_meeting_quarter, a.due_date, a.due_date_approximate,
       a.status
FROM actions AS a
WHERE a.meeting_id = :meeting_id
ORDER BY a.status <> 'open', a.position;

-- name: meeting_recommendations(meeting_id)
-- The HMICFRS recommendations discussed at a meeting, by report and number, deadlines as written and as dates.
-- Parameters: :meeting_id.
SELECT id, report, report_published, number, subject, deadline_text, deadline_date, deadline_approximate, status
FROM recommendations
WHERE meeting_id = :meeting_id
ORDER BY report_published, report, number;

-- name: meeting_pledges(meeting_id)
-- The pledges made at a meeting, with the area's and metric's names and the day each one's time frame ends.
-- Parameters: :meeting_id.
SELECT p.id, p.owner, p.text, a.name AS area_name, m.name AS metric_name, p.direction, p.horizon_months,
       p.baseline_quarter, p.due_quarter, p.deadline_text, p.deadline_date, p.deadline_approximate
FROM pledges AS p
JOIN areas AS a ON a.code = p.area
JOIN metrics AS m ON m.code = p.metric
WHERE p.meeting_id = :meeting_id
ORDER BY p.id;

-- name: meeting_claims(meeting_id)
-- The figures quoted at a meeting, with the area's and metric's names.
-- Parameters: :meeting_id.
SELECT c.id, c.speaker, c.text, a.name AS area_name, m.name AS metric_name, c.quarter, c.period, c.comparison
FROM claims AS c
JOIN areas AS a ON a.code = c.area
JOIN metrics AS m ON m.code = c.metric
WHERE c.meeting_id = :meeting_id
ORDER BY c.id;
