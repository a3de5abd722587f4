-- name: agenda_items(meeting_id)
-- A meeting's agenda, in order.
-- Parameters: :meeting_id.
SELECT position, title, notes
FROM agenda_items
WHERE meeting_id = :meeting_id
ORDER BY position;
