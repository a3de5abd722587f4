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
    minutes = sub.add_parser(
        "minutes",
        parents=[common],
        help="read meeting minutes (text) and propose the meeting, actions, recommendations, pledges and claims",
        description="Read minutes and print what they propose. Nothing is saved unless --apply is given, and then "
        "only after the same validation as the Import minutes page. Exit 2 when the file or the proposal is invalid.",
    )
    minutes.add_argument("file", help="the minutes as a text file (UTF-8 or Windows-1252)")
    minutes.add_argument(
        "--json", action="store_true", help="print the proposal as meeting JSON (data/meetings format)"
    )
    minutes.add_argument("--apply", action="store_true", help="validate and save the proposal in the database")
    minutes.add_argument(
        "--date",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the meeting date, when the minutes do not give the year",
    )
    minutes.add_argument("--by", default="python -m assurance minutes", help="name recorded in the audit trail")
    return parser


def _iso_date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


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


def _minutes(db, args) -> int:
    """Read a minutes file; print a summary or the JSON; with --apply validate and save. Exit 2 on invalid input."""
    import json
    from pathlib import Path

    from assurance.minutes import MinutesError, ProposalInvalid, decode_minutes, describe, read_minutes

    path = Path(args.file)
    if not path.is_file():
        print(f"error: no such minutes file: {args.file}", file=sys.stderr)
        return 2
    try:
        data = path.read_bytes()
        proposal = read_minutes(decode_minutes(data, source=path.name), source=str(args.file), meeting_date=args.date)
    except MinutesError as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 2
    meeting = proposal.to_meeting_json()
    if args.json:
        print(json.dumps(meeting, indent=2, ensure_ascii=False))
        for warning in proposal.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    elif not args.apply:
        print(describe(proposal))
    if not args.apply:
        return 0
    from assurance.db import DatabaseError, connect, schema_version
    from assurance.minutes import apply, saved_counts

    if not db.exists():
        raise DatabaseError(f"{db} does not exist; create it with: python -m assurance init --db {db}")
    con = connect(db)
    try:
        schema_version(con)
        try:
            mid = apply(con, meeting, changed_by=args.by)
        except ProposalInvalid as exc:
            print(f"error: {args.file}: nothing was saved; fix these and try again:", file=sys.stderr)
            for problem in exc.problems:
                print(f"  - {problem}", file=sys.stderr)
            return 2
    finally:
        con.close()
    counts = ", ".join(f"{n} {what}" for what, n in saved_counts(meeting).items())
    print(f"Saved meeting {mid} to {db}: {counts}.", file=sys.stderr if args.json else sys.stdout)
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
        if args.command == "minutes":
            return _minutes(db, args)
        return _list(db, args.what)
    except DatabaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a person gets a sentence, never a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
