-- name: action_updates()
-- Every update given on an action, by action, oldest first (the tracker shows them under each action).
SELECT action_id, id, given_on, text, meeting_id
FROM action_updates
ORDER BY action_id, given_on, id;

-- name: insert_action_update(action_id, given_on, text, meeting_id)!
-- An update given on an action, on a day, at a meeting when it was given at one.
INSERT INTO action_updates (action_id, given_on, text, meeting_id) VALUES (:action_id, :given_on, :text, :meeting_id);
