"""One way to write: ``with transaction(con) as tx:`` runs named statements in ONE transaction.

DuckDB gives each cursor its own transaction, so everything a change writes (the rows, their audit rows,
the load record) goes through the one cursor the transaction holds: ``tx.execute(name, ...)``. It commits
when the block ends and rolls back on any exception, so a failure or a killed process leaves the database
as it was before the change, never between.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import duckdb

from assurance.store import queries


class Tx:
    """A transaction in progress: named statements run on its cursor (reads through ``queries`` take it too)."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self.cursor = cursor

    def execute(self, name: str, /, **params: Any) -> list[tuple]:
        """Run a named statement; its result rows (DuckDB returns the row count for INSERT, UPDATE, DELETE)."""
        text, bound = queries._bound(name, params)
        return self.cursor.execute(text, bound).fetchall()

    def count(self, name: str, /, **params: Any) -> int:
        """Run a named INSERT, UPDATE or DELETE; how many rows it changed."""
        return int(self.execute(name, **params)[0][0])

    def executemany(self, name: str, /, rows: Iterable[Mapping[str, Any]]) -> None:
        """Run a named statement once per row of parameters."""
        rows = list(rows)
        if not rows:
            return
        text, _ = queries._bound(name, dict(rows[0]))
        self.cursor.executemany(text, [dict(r) for r in rows])

    def script(self, text: str) -> None:
        """Run a migration script read from queries/schema/ (DDL, several statements)."""
        self.cursor.execute(text)

    def register(self, name: str, frame: Any) -> None:
        """Make a DataFrame readable by name in this transaction's statements (unregistered at the end)."""
        self.cursor.register(name, frame)
        self._registered.append(name)

    _registered: list[str]


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[Tx]:
    """Commit what the block writes, or nothing at all."""
    cursor = con.cursor()
    tx = Tx(cursor)
    tx._registered = []
    cursor.begin()
    try:
        yield tx
        for name in tx._registered:
            cursor.unregister(name)
        cursor.commit()
    except BaseException:
        cursor.rollback()
        raise
    finally:
        cursor.close()
