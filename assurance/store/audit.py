"""The audit trail: one row per changed field, written in the change's own transaction.

Every library function that changes something people rely on (commitments, agendas, rebase points, loads, roles,
restores) writes its audit rows through ``audit(tx, ...)`` inside the same ``with transaction(con) as tx`` as the
change, so a change and its trace are committed together or not at all.
"""

from __future__ import annotations

from assurance.store.queries import Tx


def audit(tx: Tx, entity: str, entity_id, operation: str, by: str, field=None, old=None, new=None) -> None:
    """One audit row: who changed which field of what (entity and id), from what to what."""
    tx.execute(
        "insert_audit",
        entity=entity,
        entity_id=str(entity_id),
        operation=operation,
        field=field,
        old_value=None if old is None else str(old),
        new_value=None if new is None else str(new),
        changed_by=by,
    )
