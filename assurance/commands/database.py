"""`init`, `status` and `list`: create or migrate the database, say what it holds, list the commitments."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assurance.commands.context import open_existing
from assurance.store import queries
from assurance.store.transaction import transaction

LISTS = ("meetings", "actions", "recommendations", "pledges", "claims")  # each a named query list_<what>
INIT_TABLES = "areas metrics observations targets meetings actions recommendations pledges claims".split()


def run_init(db: Path, args: argparse.Namespace) -> int:
    from assurance.domain.setup import init_database

    report = init_database(db, demo=args.demo)
    verb = "Created" if report.created else "Updated"
    print(f"{verb} {report.path}")
    if report.migrations_applied:
        print(f"Schema migrations applied: {', '.join(str(v) for v in report.migrations_applied)}")
    else:
        print("Schema already up to date.")
    if report.demo_loaded:
        print("Loaded the illustrative demo data and the seeded meeting of 27 Nov 2024.")
    for table in INIT_TABLES:
        print(f"  {table:<16} {report.rows.get(table, 0):>6} rows")
    return 0


def run_status(db: Path, args: argparse.Namespace) -> int:
    from assurance.store.schema import LATEST_VERSION, schema_version, table_counts

    con = open_existing(db)
    try:
        version = schema_version(con)
        print(f"Database: {db}")
        print(f"Schema version: {version} (this program: {LATEST_VERSION})")
        for table, count in table_counts(con).items():
            print(f"  {table:<20} {count:>6} rows")
    finally:
        con.close()
    return 0


def run_list(db: Path, args: argparse.Namespace) -> int:
    """The rows of one list as tab-separated text under its column names (the count on stderr)."""
    con = open_existing(db)
    try:
        with transaction(con) as tx:  # read only; the transaction's cursor keeps the column names
            rows = queries.rows(tx, f"list_{args.what}")
            names = [d[0] for d in tx.cursor.description]
    finally:
        con.close()
    print("\t".join(names))
    for row in rows:
        print("\t".join("" if v is None else str(v) for v in row))
    print(f"({len(rows)} {args.what})", file=sys.stderr)
    return 0
