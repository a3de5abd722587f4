-- name: audit_log()
-- The audit trail, newest first: what changed, from what, to what, when and by whom.
SELECT id, entity, entity_id, operation, field, old_value, new_value, changed_at, changed_by
FROM audit_log
ORDER BY changed_at DESC, id DESC;
