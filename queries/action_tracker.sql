-- name: action_tracker()
-- The action tracker: every action with the meeting that raised it and the date it is due.
-- An action due at a named future meeting (kind and quarter) takes that meeting's date once it
-- is scheduled; until then due_on is NULL and due_meeting_* say which meeting it waits for.
-- due_approximate: due_on is the last day of a looser period the words named.
SELECT a.id, a.meeting_id, m.held_on AS raised_on, m.title AS raised_at, a.position, a.text, a.owner,
       a.due_text, a.due_meeting_kind, a.due_meeting_quarter,
       coalesce(a.due_date, dm.held_on) AS due_on,
       -- a scheduled meeting's date is exact; a date read from loose words ("end of March") is approximate
       a.due_date IS NOT NULL AND coalesce(a.due_date_approximate, false) AS due_approximate,
       dm.id AS due_meeting_id, dm.title AS due_meeting_title,
       a.status, a.metric, a.area,
       (SELECT max(u.given_on) FROM action_updates AS u WHERE u.action_id = a.id) AS last_update_on
FROM actions AS a
JOIN meetings AS m ON m.id = a.meeting_id
LEFT JOIN meetings AS dm
       ON dm.kind = a.due_meeting_kind AND dm.quarter_discussed = a.due_meeting_quarter AND a.due_date IS NULL
ORDER BY coalesce(a.due_date, dm.held_on) NULLS LAST, m.held_on, a.position;
