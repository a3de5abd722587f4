"""`python -m assurance ...`: create, migrate and inspect the database.

Exit codes: 0 success, 2 invalid input or usage, 1 any other failure. Every command
reads the database from --db, else $ASSURANCE_DB, else data/assurance.duckdb.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from assurance.paths import DB_ENV_VAR, database_path


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help=f"database file (default: ${DB_ENV_VAR}, else data/assurance.duckdb)",
    )
    parser = argparse.ArgumentParser(
        prog="python -m assurance",
        description="West Mercia A&A performance dashboard: database commands.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    init = sub.add_parser(
        "init",
        parents=[common],
        help="create the database, or migrate an older one",
        description="Create the database (schema, LPAs, metric catalogue) or migrate an older one. "
        "A migration never loses rows.",
    )
    init.add_argument(
        "--demo",
        action="store_true",
        help="also load the illustrative demo figures and the seeded meeting of 27 Nov 2024",
    )
    sub.add_parser("status", parents=[common], help="show the schema version and how many rows each table holds")
    show = sub.add_parser("list", parents=[common], help="list meetings and the commitments made in them")
    show.add_argument("what", choices=["meetings", "actions", "recommendations", "pledges", "claims"])
    return parser


def _init(db, demo: bool) -> int:
    from assurance.db import init_database

    report = init_database(db, demo=demo)
    verb = "Created" if report.created else "Updated"
    print(f"{verb} {report.path}")
    if report.migrations_applied:
        print(f"Schema migrations applied: {', '.join(str(v) for v in report.migrations_applied)}")
    else:
        print("Schema already up to date.")
    if report.demo_loaded:
        print("Loaded the illustrative demo data and the seeded meeting of 27 Nov 2024.")
    for table in (
        "areas",
        "metrics",
        "observations",
        "targets",
        "meetings",
        "actions",
        "recommendations",
        "pledges",
        "claims",
    ):
        print(f"  {table:<16} {report.rows.get(table, 0):>6} rows")
    return 0


def _open_existing(db):
    from assurance.db import DatabaseError, connect, schema_version

    if not db.exists():
        raise DatabaseError(f"{db} does not exist; create it with: python -m assurance init --demo --db {db}")
    con = connect(db, read_only=True)
    schema_version(con)
    return con


def _status(db) -> int:
    from assurance.db import LATEST_VERSION, schema_version, table_counts

    con = _open_existing(db)
    try:
        version = schema_version(con)
        print(f"Database: {db}")
        print(f"Schema version: {version} (this program: {LATEST_VERSION})")
        for table, count in table_counts(con).items():
            print(f"  {table:<20} {count:>6} rows")
    finally:
        con.close()
    return 0


_LISTS = {
    "meetings": "SELECT id, held_on, title, chair FROM meetings ORDER BY held_on",
    "actions": "SELECT id, meeting_id, owner, status, coalesce(due_text, 'no due date stated') AS due, text"
    " FROM actions ORDER BY meeting_id, position",
    "recommendations": "SELECT number, deadline_text, deadline_date, status, subject FROM recommendations"
    " ORDER BY report, number",
    "pledges": "SELECT area, metric, direction, horizon_months, baseline_quarter, due_quarter, text FROM pledges"
    " ORDER BY id",
    "claims": "SELECT area, metric, quarter, period, comparison, stated_value, text FROM claims ORDER BY id",
}


def _list(db, what: str) -> int:
    con = _open_existing(db)
    try:
        cursor = con.execute(_LISTS[what])
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    finally:
        con.close()
    print("\t".join(names))
    for row in rows:
        print("\t".join("" if v is None else str(v) for v in row))
    print(f"({len(rows)} {what})", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message
        return int(exc.code or 0)
    db = database_path(getattr(args, "db", None))
    from assurance.db import DatabaseError

    try:
        if args.command == "init":
            return _init(db, args.demo)
        if args.command == "status":
            return _status(db)
        return _list(db, args.what)
    except DatabaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a person gets a sentence, never a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
