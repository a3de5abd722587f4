-- name: action_updates(action_id)
-- Updates given on an action, oldest first.
-- Parameters: :action_id.
SELECT id, given_on, text, meeting_id
FROM action_updates
WHERE action_id = :action_id
ORDER BY given_on, id;

-- name: insert_action_update(action_id, given_on, text, meeting_id)!
-- An update given on an action, on a day, at a meeting when it was given at one.
INSERT INTO action_updates (action_id, given_on, text, meeting_id) VALUES (:action_id, :given_on, :text, :meeting_id);
