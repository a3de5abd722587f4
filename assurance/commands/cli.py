"""`python -m assurance ...`: create, migrate and inspect the database.

Exit codes: 0 success, 2 invalid input or usage, 1 any other failure. Every command
reads the database from --db, else $ASSURANCE_DB, else data/assurance.duckdb.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from assurance.core.paths import DB_ENV_VAR, database_path


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
    _add_data_commands(sub, common)
    _add_backup_commands(sub, common)
    from assurance.commands.briefing import add_briefing_command

    add_briefing_command(sub, common)
    return parser


def _iso_date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


def _init(db, demo: bool) -> int:
    from assurance.domain.setup import init_database

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
    from assurance.core.errors import DatabaseError
    from assurance.store.connection import connect
    from assurance.store.schema import schema_version

    if not db.exists():
        raise DatabaseError(f"{db} does not exist; create it with: python -m assurance init --demo --db {db}")
    con = connect(db, read_only=True)
    schema_version(con)
    return con


def _status(db) -> int:
    from assurance.store.schema import LATEST_VERSION, schema_version, table_counts

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
    "actions": "SELECT id, meeting_id, owner, status, coalesce(due_text, 'no due date stated') AS due, due_date,"
    " due_date_approximate, text FROM actions ORDER BY meeting_id, position",
    "recommendations": "SELECT number, deadline_text, deadline_date, deadline_approximate, status, subject"
    " FROM recommendations ORDER BY report, number",
    "pledges": "SELECT area, metric, direction, horizon_months, baseline_quarter, due_quarter, deadline_text,"
    " deadline_date, deadline_approximate, text FROM pledges ORDER BY id",
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

    from assurance.domain.commitments.minutes import describe
    from assurance.sources.minutes import MAX_MINUTES_BYTES, MinutesError, ProposalInvalid, decode_minutes, read_minutes

    path = Path(args.file)
    if not path.is_file():
        print(f"error: no such minutes file: {args.file}", file=sys.stderr)
        return 2
    size = path.stat().st_size
    if size > MAX_MINUTES_BYTES:  # refused before it is read
        print(
            f"error: {args.file}: it is {size / 1e6:.1f} MB; minutes over {MAX_MINUTES_BYTES / 1e6:g} MB are refused",
            file=sys.stderr,
        )
        return 2
    try:
        with open(path, "rb") as handle:  # bounded even if the file grows meanwhile
            data = handle.read(MAX_MINUTES_BYTES + 1)
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
    from assurance.core.errors import DatabaseError
    from assurance.domain.commitments.minutes import apply, saved_counts
    from assurance.domain.setup import upgrade
    from assurance.store.connection import connect

    if not db.exists():
        raise DatabaseError(f"{db} does not exist; create it with: python -m assurance init --db {db}")
    con = connect(db)
    try:
        upgrade(con)  # a database from an older version is migrated first, as the app does on start
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


def _add_data_commands(sub, common) -> None:
    """The import, template, export and undo commands (issue 5: loading real data)."""
    imp = sub.add_parser(
        "import",
        parents=[common],
        help="validate and load quarterly returns, police.uk files (or their zip) or an export folder",
        description="Validate the files, then load them in one transaction with their provenance. Exit 0 loaded "
        "(or already loaded), 2 invalid input or conflicts without --replace (every problem listed), 1 any other "
        "failure. While the dashboard holds the database, the validated batch is queued in <db>.inbox/ for it.",
    )
    imp.add_argument("files", nargs="+", metavar="FILE", help="CSV/XLSX/zip files, or a folder written by export")
    imp.add_argument("--replace", action="store_true", help="replace figures already loaded that differ")
    imp.add_argument("--no-wait", action="store_true", help="when queued for the dashboard, do not wait for it")
    imp.add_argument("--by", default=None, help="name recorded with the load (default: your login name)")
    tpl = sub.add_parser("template", help="write a blank quarterly-return template (.xlsx, or .csv)")
    tpl.add_argument("file", help="where to write it; .xlsx has the metric catalogue and areas as sheets")
    exp = sub.add_parser("export", parents=[common], help="write every table as CSV and Parquet into a folder")
    exp.add_argument("folder", help="the folder to write (created if missing)")
    und = sub.add_parser("undo", parents=[common], help="undo a load (audited; figures it replaced come back)")
    und.add_argument("load_id", type=int, help="the load's number (see the Data page or status)")
    und.add_argument("--by", default=None, help="name recorded in the audit trail (default: your login name)")


def _add_backup_commands(sub, common) -> None:
    """backup and restore (issue 8: faults)."""
    bak = sub.add_parser(
        "backup",
        parents=[common],
        help="write a consistent copy of the database into a folder (also while the dashboard runs)",
        description="Copy the database, as at one moment, into DIR/<name>-backup-<timestamp>.duckdb. While the "
        "dashboard holds the database, it makes the copy (queued in <db>.inbox/) and this command waits for it. "
        "Exit 0 written, 2 invalid usage, 1 any other failure (or no answer from the dashboard in time).",
    )
    bak.add_argument("folder", metavar="DIR", help="the folder to write the backup into (created if missing)")
    res = sub.add_parser(
        "restore",
        parents=[common],
        help="replace the database with a backup (refused while the dashboard runs)",
        description="Replace the database with a backup file, or the newest backup in a folder. Refused while the "
        "dashboard or another command holds the database. The current file is kept as "
        "<db>.before-restore-<timestamp>. Exit 0 restored, 2 not a usable backup, 1 any other failure.",
    )
    res.add_argument("source", metavar="FILE_OR_DIR", help="a backup file, or a folder of backups (the newest)")
    res.add_argument("--by", default=None, help="name recorded in the audit trail (default: your login name)")


def _backup(db, folder_text: str) -> int:
    """Back up directly, or (database held by the dashboard) through the inbox."""
    from pathlib import Path

    from assurance.commands import inbox
    from assurance.core.errors import DatabaseError
    from assurance.domain.backup import BackupRefused, BackupResult, backup_file

    folder = Path(folder_text)
    if folder.exists() and not folder.is_dir():
        print(f"error: {folder} is a file; name a folder for the backup", file=sys.stderr)
        return 2
    if not db.exists():
        raise DatabaseError(f"{db} does not exist; there is nothing to back up")
    try:
        result = backup_file(db, folder)
    except BackupRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DatabaseError as exc:
        if "in use" not in str(exc):
            raise
        request = inbox.submit_backup(db, folder, _login_name())
        print(f"The database is open in the dashboard: asked it for the backup ({inbox.inbox_dir(db) / request}.json).")
        answer = inbox.wait_for_answer(db, request)
        if answer is None:
            print(
                f"error: no answer from the dashboard within {inbox.WAIT_SECONDS:.0f} s; the request stays queued "
                "and the dashboard makes the backup when it next looks.",
                file=sys.stderr,
            )
            return 1
        result = BackupResult.from_dict(answer)
    if result.status != "done":
        print(f"error: {result.message}", file=sys.stderr)
        return 1
    print(result.message)
    return 0


def _restore(db, source_text: str, by: str | None) -> int:
    from pathlib import Path

    from assurance.domain.backup import BackupRefused, restore

    try:
        result = restore(db, Path(source_text), by or _login_name())
    except BackupRefused as exc:
        print(f"error: nothing was restored: {exc}", file=sys.stderr)
        return 2
    print(result.message(db))
    return 0


def _login_name() -> str:
    import getpass

    try:
        return f"{getpass.getuser()} (command line)"
    except Exception:  # no login name in some containers
        return "command line"


def _print_conflicts(conflicts, stream) -> None:
    for conflict in conflicts:
        print(f"  - {conflict.line()}", file=stream)


def _import(db, args) -> int:
    """Validate, then load directly or (database held by the dashboard) through the inbox."""
    from assurance.core.errors import DatabaseError
    from assurance.domain.setup import upgrade
    from assurance.sources import ImportInvalid, read_files
    from assurance.store.connection import connect

    try:
        parsed = read_files(args.files, [str(f) for f in args.files])
    except ImportInvalid as exc:
        print("error: nothing was loaded; fix these and try again:", file=sys.stderr)
        for line in exc.report.lines():
            print(f"  - {line}", file=sys.stderr)
        return 2
    for warning in parsed.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"Read {', '.join(f.name for f in parsed.files)}: {parsed.summary()}.")
    by = args.by or _login_name()
    if not db.exists():
        raise DatabaseError(f"{db} does not exist; create it with: python -m assurance init --db {db}")
    try:
        con = connect(db)
    except DatabaseError as exc:
        if "in use" not in str(exc):
            raise
        return _import_through_inbox(db, parsed, args, by)
    try:
        upgrade(con)  # an older file is migrated as the dashboard migrates it
        from assurance.domain.loads import load

        result = load(con, parsed, replace=args.replace, by=by)
    finally:
        con.close()
    return _report_result(result)


def _import_through_inbox(db, parsed, args, by) -> int:
    from assurance.commands import inbox

    batch = inbox.submit(db, parsed, args.replace, by)
    print(
        f"The database is open in the dashboard: queued as {inbox.inbox_dir(db) / batch}.json; the dashboard loads it."
    )
    if args.no_wait:
        print("Not waiting (--no-wait): see the Data page for the result.")
        return 0
    result = inbox.wait_for_result(db, batch)
    if result is None:
        print(
            f"error: no answer from the dashboard within {inbox.WAIT_SECONDS:.0f} s; the batch stays queued and is "
            "loaded when the dashboard next looks (see the Data page).",
            file=sys.stderr,
        )
        return 1
    return _report_result(result)


def _report_result(result) -> int:
    if result.status == "refused":
        print(f"error: {result.message}", file=sys.stderr)
        _print_conflicts(result.conflicts, sys.stderr)
        return 2
    if result.status == "failed":
        print(f"error: {result.message}", file=sys.stderr)
        return 1
    print(result.message)
    if result.conflicts:
        print("Replaced (old -> new):")
        _print_conflicts(result.conflicts, sys.stdout)
    return 0


def _template(path_text: str) -> int:
    from pathlib import Path

    from assurance.sources.quarterly_template import write_template

    path = Path(path_text)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        print("error: name the template .xlsx or .csv", file=sys.stderr)
        return 2
    write_template(path)
    print(f"Wrote a blank quarterly return to {path}.")
    return 0


def _export(db, folder_text: str) -> int:
    from pathlib import Path

    from assurance.products.export_folder import export

    con = _open_existing(db)
    try:
        counts = export(con, Path(folder_text))
    finally:
        con.close()
    print(f"Exported {len(counts)} tables ({sum(counts.values())} rows) to {folder_text} as CSV and Parquet.")
    return 0


def _undo(db, load_id: int, by: str | None) -> int:
    from assurance.core.errors import DatabaseError
    from assurance.domain.loads import LoadRefused, undo
    from assurance.store.connection import connect

    if not db.exists():
        raise DatabaseError(f"{db} does not exist")
    con = connect(db)
    try:
        print(undo(con, load_id, by or _login_name()))
    except LoadRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message
        return int(exc.code or 0)
    db = database_path(getattr(args, "db", None))
    from assurance.core.errors import DatabaseError

    try:
        if args.command == "init":
            return _init(db, args.demo)
        if args.command == "status":
            return _status(db)
        if args.command == "minutes":
            return _minutes(db, args)
        if args.command == "import":
            return _import(db, args)
        if args.command == "template":
            return _template(args.file)
        if args.command == "export":
            return _export(db, args.folder)
        if args.command == "briefing":
            from assurance.commands.briefing import run_briefing

            return run_briefing(db, args)
        if args.command == "backup":
            return _backup(db, args.folder)
        if args.command == "restore":
            return _restore(db, args.source, args.by)
        if args.command == "undo":
            return _undo(db, args.load_id, args.by)
        return _list(db, args.what)
    except DatabaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a person gets a sentence, never a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
