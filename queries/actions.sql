-- name: actions()
-- Actions with the meeting that raised them, open ones first, then by meeting and position.
SELECT a.id, a.meeting_id, m.held_on AS raised_on, m.title AS raised_at, a.position, a.text, a.owner,
       a.due_text, a.due_meeting_quarter, a.due_date, a.due_date_approximate, a.status
FROM actions AS a
JOIN meetings AS m ON m.id = a.meeting_id
ORDER BY a.status <> 'open', m.held_on, a.position;

-- name: action_by_id(id)
-- One action as stored, read by an edit inside its transaction (the fields it may change, its status).
SELECT id, meeting_id, position, text, owner, agenda_item, due_text, due_meeting_kind, due_meeting_quarter,
       due_date, due_date_approximate, status, metric, area
FROM actions
WHERE id = :id;

-- name: next_action_position(meeting_id)
-- The position a new action takes among those raised at its meeting (1 for the first).
SELECT coalesce(max(position), 0) + 1 FROM actions WHERE meeting_id = :meeting_id;

-- name: insert_action(meeting_id, position, text, owner, due_text, due_meeting_kind, due_meeting_quarter, due_date, due_date_approximate, metric, area)<!
-- A new open action raised at a meeting (added in the tracker); returns its id.
INSERT INTO actions (meeting_id, position, text, owner, due_text, due_meeting_kind, due_meeting_quarter, due_date,
                     due_date_approximate, status, metric, area)
VALUES (:meeting_id, :position, :text, :owner, :due_text, :due_meeting_kind, :due_meeting_quarter, :due_date,
        :due_date_approximate, 'open', :metric, :area)
RETURNING id;

-- name: update_action(id, text, owner, due_text, due_meeting_kind, due_meeting_quarter, due_date, due_date_approximate, metric, area)!
-- An action's editable fields as an edit leaves them (its audit rows say which of them changed).
UPDATE actions
SET text = :text, owner = :owner, due_text = :due_text, due_meeting_kind = :due_meeting_kind,
    due_meeting_quarter = :due_meeting_quarter, due_date = :due_date, due_date_approximate = :due_date_approximate,
    metric = :metric, area = :area
WHERE id = :id;

-- name: set_action_status(id, status)!
-- An action's status: 'update given' after an update, or closed, withdrawn or reopened (nothing is deleted).
UPDATE actions SET status = :status WHERE id = :id;
