"""One way to write: ``with transaction(con) as tx:`` runs named statements in ONE transaction.

DuckDB gives each cursor its own transaction, so everything a change writes (the rows, their audit rows,
the load record) goes through the one cursor the transaction holds: ``tx.execute(name, ...)``. It commits
when the block ends and rolls back on any exception, so a failure or a killed process leaves the database
as it was before the change, never between.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from assurance.store.queries import Tx

__all__ = ["Tx", "transaction"]


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[Tx]:
    """Commit what the block writes, or nothing at all."""
    cursor = con.cursor()
    tx = Tx(cursor)
    cursor.begin()
    try:
        yield tx
        tx.unregister_all()
        cursor.commit()
    except BaseException:
        cursor.rollback()
        raise
    finally:
        cursor.close()
