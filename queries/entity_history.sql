-- name: entity_history(entity, entity_id)
-- The history of one record (e.g. an action) from the audit trail, oldest first.
-- Parameters: :entity ('action', 'recommendation', 'meeting'), :entity_id.
SELECT changed_at, changed_by, operation, field, old_value, new_value
FROM audit_log
WHERE entity = :entity AND entity_id = :entity_id
ORDER BY changed_at, id;
