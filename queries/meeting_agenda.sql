-- name: meeting_agenda(meeting_id)
-- A meeting's agenda in order, with the slide kinds stored for each item (NULL: inferred from the title).
-- Parameters: :meeting_id.
SELECT i.position, i.title, i.notes, s.slides
FROM agenda_items AS i
LEFT JOIN agenda_slides AS s ON s.meeting_id = i.meeting_id AND s.position = i.position
WHERE i.meeting_id = :meeting_id
ORDER BY i.position;
