-- name: meetings()
-- Meetings, latest first.
SELECT id, held_on, starts_at, title, kind, quarter_discussed, chair, minute_taker, source_document, status
FROM meetings
ORDER BY held_on DESC;
