"""Writes that leave a trace: one transaction per change, an audit row per changed field.

Every library function that changes commitments (actions, recommendations, meetings, agendas)
goes through these helpers, so the audit trail is written the same way everywhere and in the
same transaction as the change itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from assurance.store import queries


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    cursor = con.cursor()
    cursor.execute("BEGIN TRANSACTION")
    try:
        yield cursor
        cursor.execute("COMMIT")
    except Exception:
        cursor.execute("ROLLBACK")
        raise
    finally:
        cursor.close()


def audit(cur, entity: str, entity_id, operation: str, by: str, field=None, old=None, new=None) -> None:
    """One audit row, in the caller's transaction (a ``Tx``, or a cursor inside BEGIN ... COMMIT)."""
    from assurance.store.transaction import Tx

    params = {
        "entity": entity,
        "entity_id": str(entity_id),
        "operation": operation,
        "field": field,
        "old_value": None if old is None else str(old),
        "new_value": None if new is None else str(new),
        "changed_by": by,
    }
    if isinstance(cur, Tx):
        cur.execute("insert_audit", **params)
    else:
        cur.execute(queries.sql("insert_audit"), params)
