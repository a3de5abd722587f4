-- name: actions()
-- Actions with the meeting that raised them, open ones first, then by meeting and position.
SELECT a.id, a.meeting_id, m.held_on AS raised_on, m.title AS raised_at, a.position, a.text, a.owner,
       a.due_text, a.due_meeting_quarter, a.due_date, a.due_date_approximate, a.status
FROM actions AS a
JOIN meetings AS m ON m.id = a.meeting_id
ORDER BY a.status <> 'open', m.held_on, a.position;
