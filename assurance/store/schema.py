"""The schema: numbered migrations in ``queries/schema/``, applied in order, each in one transaction.

``001_initial.sql``, ``002_...``: never edited once shipped; a change is a new number. ``views.sql`` is
re-created after every migration run (views hold no data). A migration whose new columns need values SQL
cannot work out is given a step to run after its SQL, in the same transaction (``after``), by the layer
that knows how (see ``assurance.domain.setup``).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from assurance.core.errors import DatabaseError
from assurance.core.paths import QUERIES_DIR
from assurance.store import queries
from assurance.store.connection import connect
from assurance.store.transaction import Tx, transaction

SCHEMA_DIR = QUERIES_DIR / "schema"
_MIGRATION = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")

AfterStep = Callable[[Tx], None]


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations(schema_dir: Path = SCHEMA_DIR) -> list[Migration]:
    """The schema migrations shipped in queries/schema, in version order."""
    found = []
    for path in sorted(schema_dir.glob("*.sql")):
        match = _MIGRATION.match(path.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise DatabaseError(
            f"schema migrations in {schema_dir} must be numbered 001, 002, ... without gaps: {versions}"
        )
    return found


LATEST_VERSION = len(migrations())


def schema_version(con: duckdb.DuckDBPyConnection | Tx) -> int:
    """The highest migration applied; 0 for an empty database."""
    if not queries.value(con, "migrations_table_exists"):
        if queries.value(con, "table_count"):
            raise DatabaseError("this DuckDB file holds tables but no schema version: it is not an assurance database")
        return 0
    return int(queries.value(con, "schema_version"))


def migrate(
    con: duckdb.DuckDBPyConnection,
    target: int | None = None,
    schema_dir: Path = SCHEMA_DIR,
    after: Mapping[tuple[str, int], AfterStep] | None = None,
) -> list[int]:
    """Apply the migrations not yet applied (each in its own transaction); return their versions."""
    known = migrations(schema_dir)
    latest = len(known)
    target = latest if target is None else target
    current = schema_version(con)
    if current > latest:
        raise DatabaseError(
            f"the database is at schema version {current}, newer than this program knows ({latest}); update the program"
        )
    with transaction(con) as tx:
        tx.execute("create_migrations_table")
    applied = []
    for migration in known:
        if current < migration.version <= target:
            with transaction(con) as tx:
                tx.script(migration.sql)
                if step := (after or {}).get((migration.name, migration.version)):
                    step(tx)
                tx.execute("record_migration", version=migration.version, name=migration.name)
            applied.append(migration.version)
    if target >= latest:  # the views are the latest schema's interface; a file stopped earlier (tests) has none
        with transaction(con) as tx:
            tx.script((schema_dir / "views.sql").read_text(encoding="utf-8"))
    return applied


def table_names(con: duckdb.DuckDBPyConnection | Tx) -> list[str]:
    return [row[0] for row in queries.rows(con, "base_tables")]


def table_counts(con: duckdb.DuckDBPyConnection | Tx) -> dict[str, int]:
    """Rows in every table, by name."""
    return {name: int(queries.value(con, "row_count", table_name=name)) for name in table_names(con)}


def build_new(path: Path, prepare: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    """Create a database file at path by ``prepare`` on a file beside it, moved into place only when complete.

    A failure, or a killed process, never leaves a half-written database at ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".building", dir=path.parent)
    os.close(fd)
    os.unlink(tmp_name)  # DuckDB must create the file itself
    tmp = Path(tmp_name)
    try:
        con = connect(tmp)
        try:
            prepare(con)
            con.checkpoint()
        finally:
            con.close()
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            if leftover.exists():
                leftover.unlink()
