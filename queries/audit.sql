-- name: insert_audit(entity, entity_id, operation, field, old_value, new_value, changed_by)!
-- One audit row: who changed which field of what, from what to what (written in the change's own transaction).
INSERT INTO audit_log (entity, entity_id, operation, field, old_value, new_value, changed_by)
VALUES (:entity, :entity_id, :operation, :field, :old_value, :new_value, :changed_by);
