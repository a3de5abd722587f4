"""Opening the DuckDB file, with DuckDB's lock and format errors turned into plain messages."""

from __future__ import annotations

import os

import duckdb

from assurance.core.errors import DatabaseError


def connect(path: str | os.PathLike[str], read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database file (DuckDB lets one process hold it read-write; see docs/ARCHITECTURE.md)."""
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise DatabaseError(
                f"{path} is in use by another program (DuckDB allows one writer at a time). "
                "Stop the dashboard or the other command, then try again."
            ) from exc
        raise DatabaseError(f"cannot open {path}: {text}") from exc
    except duckdb.Error as exc:
        raise DatabaseError(f"{path} is not a database this program can read: {exc}") from exc
