-- `python -m assurance list WHAT`: each list as the command prints it, tab-separated under its column names.

-- name: list_meetings()
-- Meetings, oldest first.
SELECT id, held_on, title, chair FROM meetings ORDER BY held_on;

-- name: list_actions()
-- Actions by meeting and position, with the due date as stated and as read.
SELECT id, meeting_id, owner, status, coalesce(due_text, 'no due date stated') AS due, due_date,
       due_date_approximate, text
FROM actions
ORDER BY meeting_id, position;

-- name: list_recommendations()
-- Recommendations by report and number, with the deadline as stated and as read.
SELECT number, deadline_text, deadline_date, deadline_approximate, status, subject
FROM recommendations
ORDER BY report, number;

-- name: list_pledges()
-- Pledges in the order they were recorded.
SELECT area, metric, direction, horizon_months, baseline_quarter, due_quarter, deadline_text, deadline_date,
       deadline_approximate, text
FROM pledges
ORDER BY id;

-- name: list_claims()
-- Claims in the order they were recorded.
SELECT area, metric, quarter, period, comparison, stated_value, text FROM claims ORDER BY id;
