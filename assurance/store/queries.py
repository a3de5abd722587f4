"""Named queries: every SQL statement lives in ``queries/*.sql`` and is run by name with bound parameters.

The files follow aiosql's convention (aiosql loads them): each statement starts with a line
``-- name: <name>(<parameters>)``, its next ``--`` lines are its docstring, and parameters are written
``:name`` in the SQL and always bound, never formatted in. A name is unique across the folder; the file a
query sits in is its subject (``observations.sql``, ``loads.sql`` ...). Schema migrations are scripts in
``queries/schema/`` (see ``assurance.store.schema``).

Reads take the shared connection or a transaction in progress (``Tx``, from ``assurance.store.transaction``): given the
connection they run on a cursor of their own, so Streamlit's threads never share one; given a transaction
they run inside it. Writes run only inside a transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from assurance.core.paths import QUERIES_DIR
from assurance.store import reads

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    parameters: tuple[str, ...]
    doc: str
    file: Path
    writes: bool  # declared with ! (INSERT, UPDATE, DELETE) or # (a script): runs only in a transaction
    script: bool  # declared with #: DDL or several statements, which DuckDB cannot prepare


@cache
def catalogue(folder: Path = QUERIES_DIR) -> dict[str, Query]:
    """Every named query in the folder's *.sql files (not its subfolders), by name."""
    import aiosql

    found: dict[str, Query] = {}
    for path in sorted(folder.glob("*.sql")):
        loaded = aiosql.from_path(path, "duckdb")
        for name in loaded.available_queries:
            if name.endswith("_cursor"):
                continue
            fn = getattr(loaded, name)
            if name in found:
                raise ValueError(f"query {name!r} is named in both {found[name].file.name} and {path.name}")
            kind = fn.operation.name
            doc = (fn.__doc__ or "").strip()
            found[name] = Query(name, fn.sql, tuple(fn.parameters or ()), doc, path, kind != "SELECT", kind == "SCRIPT")
    return found


_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def query(name: str) -> Query:
    """A named query; a ValueError for a name that could not be one, a KeyError for one not defined."""
    if not _NAME.match(name):
        raise ValueError(f"not a query name: {name!r}")
    try:
        return catalogue()[name]
    except KeyError:
        raise KeyError(f"no query named {name!r} in {QUERIES_DIR}") from None


def sql(name: str) -> str:
    """The SQL of a named query."""
    return query(name).sql


@cache
def tables(name: str) -> frozenset[str]:
    """The tables a named query reads or writes (``assurance.store.reads``)."""
    return reads.tables_in(query(name).sql)


def _bound(name: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The query's SQL and its parameters, after checking that exactly the declared ones are given."""
    q = query(name)
    if set(params) != set(q.parameters):
        raise TypeError(f"query {name!r} takes ({', '.join(q.parameters)}); given ({', '.join(sorted(params))})")
    return q.sql, params


def _run(target: duckdb.DuckDBPyConnection | Tx, name: str, params: dict[str, Any], fetch):
    if query(name).writes:
        raise TypeError(f"query {name!r} writes: run it with tx.execute inside `with transaction(con) as tx`")
    text, bound = _bound(name, params)
    reads.note(tables(name))  # what the page run around this read has read (ui/live.py)
    if isinstance(target, Tx):
        return fetch(target.cursor.execute(text, bound))
    cursor = target.cursor()  # a cursor of its own: the shared connection is never used by two threads at once
    try:
        return fetch(cursor.execute(text, bound))
    finally:
        cursor.close()


class Tx:
    """A transaction in progress: named statements run on its cursor (reads through ``queries`` take it too)."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self.cursor = cursor
        self._registered: list[str] = []
        self.wrote = False  # a statement declared as a write ran: the commit raises the data version
        # The tables its statements touched, noted with the raised version; None: anything may have changed.
        self.touched: set[str] | None = set()

    def _touch(self, name: str) -> None:
        q = query(name)
        self.wrote = self.wrote or q.writes
        if self.touched is not None and q.writes:
            self.touched |= tables(name)

    def changed_everything(self) -> None:
        """Say that anything may have changed (a restored backup): every open page redraws after the commit."""
        self.wrote = True
        self.touched = None

    def execute(self, name: str, /, **params: Any) -> list[tuple]:
        """Run a named statement; its result rows (DuckDB returns the row count for INSERT, UPDATE, DELETE)."""
        text, bound = _bound(name, params)
        self._touch(name)
        return self.cursor.execute(text, bound).fetchall()

    def count(self, name: str, /, **params: Any) -> int:
        """Run a named INSERT, UPDATE or DELETE; how many rows it changed."""
        return int(self.execute(name, **params)[0][0])

    def executemany(self, name: str, /, rows: Iterable[Mapping[str, Any]]) -> None:
        """Run a named statement once per row of parameters."""
        rows = list(rows)
        if not rows:
            return
        text, _ = _bound(name, dict(rows[0]))
        self._touch(name)
        self.cursor.executemany(text, [dict(r) for r in rows])

    def script(self, text: str) -> None:
        """Run a migration script read from queries/schema/ (DDL, several statements)."""
        self.changed_everything()
        self.cursor.execute(text)

    def register(self, name: str, frame: Any) -> None:
        """Make a DataFrame readable by name in this transaction's statements (unregistered at the end)."""
        self.cursor.register(name, frame)
        self._registered.append(name)

    def unregister_all(self) -> None:
        for name in self._registered:
            self.cursor.unregister(name)
        self._registered.clear()


def frame(target: duckdb.DuckDBPyConnection | Tx, name: str, /, **params: Any) -> pd.DataFrame:
    """The query's result as a pandas DataFrame."""
    return _run(target, name, params, lambda result: result.df())


def rows(target: duckdb.DuckDBPyConnection | Tx, name: str, /, **params: Any) -> list[tuple]:
    """The query's rows as tuples."""
    return _run(target, name, params, lambda result: result.fetchall())


def records(target: duckdb.DuckDBPyConnection | Tx, name: str, /, **params: Any) -> list[dict[str, Any]]:
    """The query's rows as dicts keyed by column name."""

    def fetch(result):
        names = [d[0] for d in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]

    return _run(target, name, params, fetch)


def one(target: duckdb.DuckDBPyConnection | Tx, name: str, /, **params: Any) -> tuple | None:
    """The query's first row, or None."""
    rows = _run(target, name, params, lambda result: result.fetchall())  # fetched to the end: DuckDB wants it
    return rows[0] if rows else None


def value(target: duckdb.DuckDBPyConnection | Tx, name: str, /, **params: Any) -> Any:
    """The first column of the query's first row (None when there is no row)."""
    row = one(target, name, **params)
    return None if row is None else row[0]


def names() -> list[str]:
    return sorted(catalogue())
