"""Creating and upgrading the product's database: schema, reference data, and (on request) the demo data.

``init_database`` builds a new file beside its destination and moves it into place only when complete, so a
failure never leaves a half-written database; on an existing file it migrates and refreshes the reference data
without losing rows. The dashboard calls ``ensure_database`` on its first start and ``upgrade`` on every start.
"""

from __future__ import annotations

import csv
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from assurance.core.paths import DATA_DIR
from assurance.domain.commitments.meeting_file import fill_deadlines
from assurance.store.connection import connect
from assurance.store.schema import LATEST_VERSION, build_new, migrate, schema_version, table_counts
from assurance.store.transaction import Tx, transaction

# Values a migration's new columns need that SQL cannot work out, run after its SQL in the same transaction.
AFTER_MIGRATION = {("deadlines", 6): fill_deadlines}
_init_lock = threading.Lock()


@dataclass
class InitReport:
    path: Path
    created: bool
    migrations_applied: list[int] = field(default_factory=list)
    demo_loaded: bool = False
    rows: dict[str, int] = field(default_factory=dict)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def load_reference(tx: Tx) -> None:
    """Insert or refresh the five LPAs, the force, the metric catalogue and the national comparison's geography."""
    tx.executemany(
        "upsert_area",
        [
            {**row, "population": int(row["population"]), "sort_order": int(row["sort_order"])}
            for row in _read_csv(DATA_DIR / "areas.csv")
        ],
    )
    from assurance.core.metrics import catalogue_rows
    from assurance.domain.national.reference import load_national_reference

    tx.executemany("upsert_metric", catalogue_rows())
    load_national_reference(tx)


def _prepare(con: duckdb.DuckDBPyConnection, demo: bool) -> list[int]:
    applied = migrate(con, after=AFTER_MIGRATION)
    with transaction(con) as tx:
        load_reference(tx)
        if demo:
            from assurance.domain.seed import load_demo

            load_demo(tx)
    return applied


def init_database(path: str | os.PathLike[str], demo: bool = False) -> InitReport:
    """Create the database (or migrate an existing one); with demo, also load the demo data and seeded meeting."""
    path = Path(path)
    if path.exists():
        con = connect(path)
        try:
            applied = _prepare(con, demo)
            return InitReport(path, False, applied, demo, table_counts(con))
        finally:
            con.close()
    report = InitReport(path, True, [], demo)

    def prepare(con: duckdb.DuckDBPyConnection) -> None:
        report.migrations_applied = _prepare(con, demo)
        report.rows = table_counts(con)

    build_new(path, prepare)
    return report


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
