-- name: attendees(meeting_id)
-- Who attended a meeting, in the order the minutes list them.
-- Parameters: :meeting_id.
SELECT name, role, abbreviation, organisation
FROM attendees
WHERE meeting_id = :meeting_id
ORDER BY position;
