-- name: meetings()
-- Meetings, latest first.
SELECT id, held_on, starts_at, title, kind, quarter_discussed, chair, minute_taker, source_document, status
FROM meetings
ORDER BY held_on DESC;

-- name: raising_meeting(meeting_id)
-- The kind, quarter discussed and day of the meeting that raises a new action (due words are read from them).
SELECT kind, quarter_discussed, held_on FROM meetings WHERE id = :meeting_id;

-- name: meeting_for_quarter(kind, quarter)
-- The meeting of this kind already recorded for the quarter it discusses, if any.
SELECT id FROM meetings WHERE kind = :kind AND quarter_discussed = :quarter;

-- name: insert_scheduled_meeting(id, held_on, title, kind, quarter)!
-- A future meeting: actions due at it then take its date.
INSERT INTO meetings (id, held_on, title, kind, quarter_discussed, status)
VALUES (:id, :held_on, :title, :kind, :quarter, 'scheduled');
