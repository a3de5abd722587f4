"""One way to write: ``with transaction(con) as tx:`` runs named statements in ONE transaction.

DuckDB gives each cursor its own transaction, so everything a change writes (the rows, their audit rows,
the load record) goes through the one cursor the transaction holds: ``tx.execute(name, ...)``. It commits
when the block ends and rolls back on any exception, so a failure or a killed process leaves the database
as it was before the change, never between.

Every transaction that wrote (ran a statement declared as a write) also raises the data version
(``queries/schema/009_data_version.sql``) just before it commits, in the same transaction, and notes the tables
it wrote beside the new number (``data_changes``, migration 10; ``assurance.store.reads``): the dashboard's open
pages compare that one number with the one they drew, redraw when it moved past a write to a table they read
(``ui/live.py``), and cache what they computed under it. The writes of one process take turns (a lock), so two
sessions saving at once never conflict on the version's row: writes are short, the second waits for the first.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from assurance.store.queries import Tx, one

__all__ = ["Tx", "transaction"]

CHANGES_KEPT = 500  # writes whose tables are kept (data_changes): a page further behind redraws
_WRITES = threading.RLock()  # re-entrant: a write may read through a helper that opens its own transaction


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, *, changes_data: bool = True) -> Iterator[Tx]:
    """Commit what the block writes, and a raised data version, or nothing at all.

    ``changes_data=False`` for a transaction that writes only outside the database's data: a backup's copy into
    another attached file, an export's files. It raises no version (DuckDB lets a transaction write to one
    attached database only, and nothing a page shows has changed)."""
    with _WRITES:
        cursor = con.cursor()
        tx = Tx(cursor)
        cursor.begin()
        try:
            yield tx
            tx.unregister_all()
            if changes_data and tx.wrote:
                to_raise, to_note = one(tx, "data_version_to_raise")
                if to_raise:
                    tx.execute("raise_data_version")
                if to_raise and to_note:
                    tx.execute("note_data_change", tables=None if tx.touched is None else sorted(tx.touched))
                    tx.execute("prune_data_changes", keep=CHANGES_KEPT)
            cursor.commit()
        except BaseException:
            cursor.rollback()
            raise
        finally:
            cursor.close()
