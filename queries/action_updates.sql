-- name: action_updates(action_id)
-- Updates given on an action, oldest first.
-- Parameters: :action_id.
SELECT id, given_on, text, meeting_id
FROM action_updates
WHERE action_id = :action_id
ORDER BY given_on, id;
