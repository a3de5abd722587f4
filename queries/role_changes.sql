-- name: role_changes()
-- Who was given or lost which role, newest first (written by assurance.access.set_role).
SELECT changed_at, changed_by, operation, entity_id, old_value, new_value
FROM audit_log
WHERE entity = 'role'
ORDER BY changed_at DESC, id DESC;
