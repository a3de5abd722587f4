-- name: meeting_agenda(meeting_id)
-- A meeting's agenda in order, with the slide kinds stored for each item (NULL: inferred from the title).
-- Parameters: :meeting_id.
SELECT i.position, i.title, i.notes, s.slides
FROM agenda_items AS i
LEFT JOIN agenda_slides AS s ON s.meeting_id = i.meeting_id AND s.position = i.position
WHERE i.meeting_id = :meeting_id
ORDER BY i.position;

-- name: delete_agenda_slides(meeting_id)!
-- Clear the slide kinds of a meeting's agenda, before an edit writes the agenda again in order.
DELETE FROM agenda_slides WHERE meeting_id = :meeting_id;

-- name: delete_agenda_items(meeting_id)!
-- Clear a meeting's agenda items, before an edit writes them again in order (their slide kinds first).
DELETE FROM agenda_items WHERE meeting_id = :meeting_id;

-- name: insert_agenda_slides(meeting_id, position, slides)!
-- The slide kinds an agenda item asks for, e.g. 'cc_assessment,lpa_focus' (none stored: inferred from its title).
INSERT INTO agenda_slides (meeting_id, position, slides) VALUES (:meeting_id, :position, :slides);
