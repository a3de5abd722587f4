-- name: action_updates()
-- Every update given on an action, by action, oldest first (the tracker shows them under each action).
SELECT action_id, id, given_on, text, meeting_id
FROM action_updates
ORDER BY action_id, given_on, id;
