"""Undoing a load: one audited transaction; the rows it replaced come back, and it is kept, marked 'undone'.

A load whose rows a later load replaced is undone only after that later one; a restore from an export cannot be
undone (restore into a new database instead).
"""

from __future__ import annotations

import duckdb

from assurance.domain.access import who
from assurance.domain.loads.result import LoadRefused, now
from assurance.store import queries
from assurance.store.audit import audit
from assurance.store.transaction import transaction


def undo(con: duckdb.DuckDBPyConnection, load_id: int, by: str | None) -> str:
    """Undo a load in one transaction (audited); the rows it replaced come back. Raises LoadRefused."""
    by = who(by)
    with transaction(con) as tx:
        row = queries.one(tx, "load_state", load_id=load_id)
        if row is None:
            raise LoadRefused(f"there is no load {load_id}")
        if row[0] != "loaded":
            raise LoadRefused(f"load {load_id} is already undone")
        if row[1] == "export":
            raise LoadRefused("a restore from an export cannot be undone; restore into a new database instead")
        later = queries.rows(tx, "loads_replacing_figures_of", load_id=load_id)
        if later:
            ids = ", ".join(str(r[0]) for r in later)
            raise LoadRefused(f"load {ids} replaced figures of load {load_id}: undo load {ids} first")
        removed = tx.count("remove_load_observations", load_id=load_id)
        removed += tx.count("remove_load_monthly_counts", load_id=load_id)
        restored = tx.count("put_back_replaced_observations", load_id=load_id)
        restored += tx.count("put_back_replaced_monthly_counts", load_id=load_id)
        tx.execute("forget_replaced_observations", load_id=load_id)
        tx.execute("forget_replaced_monthly_counts", load_id=load_id)
        tx.execute("mark_load_undone", load_id=load_id, undone_at=now(), undone_by=by)
        audit(tx, "load", load_id, "undo", by, field="status", old="loaded", new="undone")
    message = f"Load {load_id} undone: {removed} rows removed"
    return message + (f", {restored} replaced rows put back." if restored else ".")
