"""Writes that leave a trace: one transaction per change, an audit row per changed field.

Every library function that changes commitments (actions, recommendations, meetings, agendas)
goes through these helpers, so the audit trail is written the same way everywhere and in the
same transaction as the change itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

MAX_TEXT = 2000


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
    cur.execute(
        "INSERT INTO audit_log (entity, entity_id, operation, field, old_value, new_value, changed_by)"
        " VALUES ($entity, $entity_id, $operation, $field, $old, $new, $by)",
        {
            "entity": entity,
            "entity_id": str(entity_id),
            "operation": operation,
            "field": field,
            "old": None if old is None else str(old),
            "new": None if new is None else str(new),
            "by": by,
        },
    )


def who(by, need: str = "editor") -> str:
    """The acting user's name for the audit trail, after checking their role (assurance/domain/access.py).

    by is a name, an email or an ``access.Actor`` (identity and groups). Raises ValueError when it is
    empty and ``access.AccessDenied`` (a PermissionError) when its role is below need (a viewer).
    """
    from assurance.domain.access import require

    name = str(by if by is not None else "").strip()
    if not name:
        raise ValueError("say who is making the change: the audit trail records a name for every change")
    require(by, need)
    return name[:120]


def text(value: str | None, what: str, required: bool = True) -> str | None:
    """Trimmed text; empty is refused when required (else None); over MAX_TEXT characters is refused."""
    body = (value or "").strip()
    if not body:
        if required:
            raise ValueError(f"the {what} is empty")
        return None
    if len(body) > MAX_TEXT:
        raise ValueError(f"the {what} is {len(body):,} characters; at most {MAX_TEXT:,} are allowed")
    return body


_RECORD_TABLES = {"action": "actions", "recommendation": "recommendations"}


def record(cur: duckdb.DuckDBPyConnection, entity: str, record_id: int) -> dict:
    """One action or recommendation as a dict, inside the caller's transaction; a ValueError if there is none."""
    table = _RECORD_TABLES[entity]
    # The table name comes from the fixed map above, never from input.
    row = cur.execute(f"SELECT * FROM {table} WHERE id = $id", {"id": record_id}).fetchone()  # noqa: S608  # nosec B608 # table from a fixed map
    if row is None:
        raise ValueError(f"there is no {entity} {record_id}")
    return dict(zip([d[0] for d in cur.description], row, strict=True))
