"""Open the DuckDB file, apply the schema and its migrations, and run named queries.

SQL lives in ``queries/``: one query per file, the file name is the query's name and its
leading ``--`` lines are its docstring. Parameters are always bound (``$name``), never
formatted into the SQL.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from assurance.core.paths import DATA_DIR, QUERIES_DIR

SCHEMA_DIR = QUERIES_DIR / "schema"
_MIGRATION = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
_NAME = re.compile(r"^[a-z0-9_]+$")
_init_lock = threading.Lock()


class DatabaseError(RuntimeError):
    """A database that cannot be opened or used, with a message for a person."""


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


def _fill_deadlines(con: duckdb.DuckDBPyConnection) -> None:
    from assurance.core.deadlines import fill_deadlines  # the one reader of deadlines, not a copy of it in SQL

    fill_deadlines(con)


# Data a migration's new columns need that SQL cannot work out, run after its SQL in the same transaction.
AFTER_MIGRATION = {("deadlines", 6): _fill_deadlines}


def connect(path: str | os.PathLike[str], read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database file, turning DuckDB's lock and format errors into plain messages."""
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


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest migration applied; 0 for an empty database."""
    has_table = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not has_table:
        tables = con.execute("SELECT count(*) FROM information_schema.tables").fetchone()[0]
        if tables:
            raise DatabaseError("this DuckDB file holds tables but no schema version: it is not an assurance database")
        return 0
    return int(con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0])


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None, schema_dir: Path = SCHEMA_DIR) -> list[int]:
    """Apply the migrations not yet applied (each in its own transaction); return their versions."""
    known = migrations(schema_dir)
    latest = len(known)
    target = latest if target is None else target
    current = schema_version(con)
    if current > latest:
        raise DatabaseError(
            f"the database is at schema version {current}, newer than this program knows ({latest}); update the program"
        )
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    applied = []
    for migration in known:
        if current < migration.version <= target:
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(migration.sql)
                if step := AFTER_MIGRATION.get((migration.name, migration.version)):
                    step(con)
                con.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES ($version, $name)",
                    {"version": migration.version, "name": migration.name},
                )
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
            applied.append(migration.version)
    con.execute((schema_dir / "views.sql").read_text(encoding="utf-8"))
    return applied


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


_AREA_COLUMNS = ("code", "name", "kind", "districts", "population", "population_source", "sort_order")
_METRIC_COLUMNS = (
    "code", "name", "unit", "direction", "combine", "combine_over_time", "level", "scale", "decimals", "headline",
    "sort_order", "numerator_label", "denominator_label", "definition", "source", "short_name",
)  # fmt: skip


def _upsert_sql(table: str, columns: tuple[str, ...]) -> str:
    """INSERT ... ON CONFLICT (code) DO UPDATE for a reference table (fixed names, bound values)."""
    names = ", ".join(columns)
    values = ", ".join(f"${c}" for c in columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "code")
    return f"INSERT INTO {table} ({names}) VALUES ({values}) ON CONFLICT (code) DO UPDATE SET {updates}"  # noqa: S608  # nosec B608 # fixed table and column names, values bound


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Insert or refresh the five LPAs, the force and the metric catalogue from data/."""
    areas = _read_csv(DATA_DIR / "areas.csv")
    con.executemany(
        _upsert_sql("areas", _AREA_COLUMNS),
        [{**row, "population": int(row["population"]), "sort_order": int(row["sort_order"])} for row in areas],
    )
    metrics = _read_csv(DATA_DIR / "metric_catalogue.csv")
    con.executemany(
        _upsert_sql("metrics", _METRIC_COLUMNS),
        [
            {
                **row,
                "scale": float(row["scale"]),
                "decimals": int(row["decimals"]),
                "headline": row["headline"].strip().lower() == "true",
                "sort_order": int(row["sort_order"]),
                "numerator_label": row["numerator_label"] or None,
                "denominator_label": row["denominator_label"] or None,
                "short_name": (row.get("short_name") or "").strip() or None,
            }
            for row in metrics
        ],
    )


@dataclass
class InitReport:
    path: Path
    created: bool
    migrations_applied: list[int] = field(default_factory=list)
    demo_loaded: bool = False
    rows: dict[str, int] = field(default_factory=dict)


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    ]
    # Table names come from the catalogue itself, not from user input; identifiers cannot be bound.
    return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608  # nosec B608


def _prepare(con: duckdb.DuckDBPyConnection, demo: bool) -> list[int]:
    applied = migrate(con)
    con.execute("BEGIN TRANSACTION")
    try:
        load_reference(con)
        if demo:
            from assurance.domain.seed import load_demo

            load_demo(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return applied


def init_database(path: str | os.PathLike[str], demo: bool = False) -> InitReport:
    """Create the database (or migrate an existing one); with demo, also load the demo data and seed meeting.

    A new file is built beside its destination and moved into place only when complete, so
    a failure never leaves a half-written database behind.
    """
    path = Path(path)
    if path.exists():
        con = connect(path)
        try:
            applied = _prepare(con, demo)
            return InitReport(path, False, applied, demo, table_counts(con))
        finally:
            con.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".building", dir=path.parent)
    os.close(fd)
    os.unlink(tmp_name)  # DuckDB must create the file itself
    tmp = Path(tmp_name)
    try:
        con = connect(tmp)
        try:
            applied = _prepare(con, demo)
            counts = table_counts(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            if leftover.exists():
                leftover.unlink()
    return InitReport(path, True, applied, demo, counts)


def upgrade(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Bring an older database up to this program's schema (the app does this on start); never loses rows."""
    if schema_version(con) >= LATEST_VERSION:
        return []
    return _prepare(con, demo=False)


def ensure_database(path: str | os.PathLike[str]) -> Path:
    """Create the database with demo data when the file is missing (the app's first start)."""
    path = Path(path)
    with _init_lock:
        if not path.exists():
            init_database(path, demo=True)
    return path


@cache
def query_text(name: str) -> str:
    """The SQL of a named query in queries/<name>.sql."""
    if not _NAME.match(name):
        raise ValueError(f"not a query name: {name!r}")
    path = QUERIES_DIR / f"{name}.sql"
    if not path.exists():
        raise KeyError(f"no query named {name!r} in {QUERIES_DIR}")
    return path.read_text(encoding="utf-8")


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


def run_query(con: duckdb.DuckDBPyConnection, name: str, **params: Any):
    """Run queries/<name>.sql with bound parameters and return a pandas DataFrame."""
    cursor = con.cursor()
    try:
        return cursor.execute(query_text(name), params).df()
    finally:
        cursor.close()
