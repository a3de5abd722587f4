"""`python -m assurance ...`: the command line, its parser, and the one place its errors become exit codes.

Exit codes: 0 success, 2 invalid input or usage (and refusals), 1 any other failure. Every command reads the
database from --db, else $ASSURANCE_DB, else data/assurance.duckdb. Each command lives in its own module
(``database``: init, status, list; ``minutes``; ``data``: import, template, export, undo; ``backup``: backup,
restore; ``briefing``) and raises what goes wrong; ``main`` reports it: an ``AssuranceError`` as
``error: <message>`` with its details under it and its kind's exit code, anything else as one plain line and
exit 1, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from assurance.commands import backup, briefing, data, database, minutes, serve
from assurance.commands.context import iso_date
from assurance.core.errors import AssuranceError
from assurance.core.paths import DB_ENV_VAR, database_path

AS_OF = "the date the pack is prepared as at: what is overdue or due within 90 days (default: today)"
BY = "name recorded in the audit trail (default: your login name)"
INIT = "Create the database (schema, LPAs, metric catalogue) or migrate an older one. A migration never loses rows."
MINUTES = (
    "Read minutes and print what they propose. Nothing is saved unless --apply is given, and then only after the "
    "same validation as the Import minutes page. Exit 2 when the file or the proposal is invalid."
)
IMPORT = (
    "Validate the files, then load them in one transaction with their provenance. Exit 0 loaded (or already "
    "loaded), 2 invalid input or conflicts without --replace (every problem listed), 1 any other failure. While "
    "the dashboard holds the database, the validated batch is queued in <db>.inbox/ for it."
)
BACKUP = (
    "Copy the database, as at one moment, into DIR/<name>-backup-<timestamp>.duckdb. While the dashboard holds "
    "the database, it makes the copy (queued in <db>.inbox/) and this command waits for it. Exit 0 written, 2 "
    "invalid usage, 1 any other failure (or no answer from the dashboard in time)."
)
RESTORE = (
    "Replace the database with a backup file, or the newest backup in a folder. Refused while the dashboard or "
    "another command holds the database. The current file is kept as <db>.before-restore-<timestamp>. Exit 0 "
    "restored, 2 not a usable backup, 1 any other failure."
)
BRIEFING = (
    "Build the PCC's briefing pack for a meeting and the quarter it discusses: headline metrics against targets, "
    "exceptions, the focus LPA against the others, commitments, and suggested questions for the Chief Constable. "
    "Exit 2 for an unknown meeting or LPA (the known ones are listed) or a meeting the pack cannot be built for, "
    "1 for any other failure."
)

SERVE = (
    "Run N Streamlit server processes behind nginx (apt-get install nginx), sharing the database: sticky "
    "sessions, a dead process replaced, every write published to every process within a second. See "
    "docs/SCALING.md."
)

DEMO = "also load the illustrative demo figures and the seeded meeting of 27 Nov 2024"
MEETING = "the meeting: the date it is held or scheduled (YYYY-MM-DD) or its id (see `list meetings`)"
OUTPUT = "where to write the PDF (default: briefing-<meeting id>.pdf)"
HELP = {  # each command: its line in the list of commands, and its description (or None)
    "init": ("create the database, or migrate an older one", INIT),
    "status": ("show the schema version and how many rows each table holds", None),
    "list": ("list meetings and the commitments made in them", None),
    "minutes": (
        "read meeting minutes (text) and propose the meeting, actions, recommendations, pledges and claims",
        MINUTES,
    ),
    "import": ("validate and load quarterly returns, police.uk files (or their zip) or an export folder", IMPORT),
    "template": ("write a blank quarterly-return template (.xlsx, or .csv)", None),
    "export": ("write every table as CSV and Parquet into a folder; `export national` the national comparison", None),
    "undo": ("undo a load (audited; figures it replaced come back)", None),
    "backup": ("write a consistent copy of the database into a folder (also while the dashboard runs)", BACKUP),
    "restore": ("replace the database with a backup (refused while the dashboard runs)", RESTORE),
    "briefing": ("build the PCC's briefing pack for a meeting (A4 PDF, optionally HTML)", BRIEFING),
    "serve": ("run the dashboard as several server processes behind nginx, for many people at once", SERVE),
}


def _parser() -> argparse.ArgumentParser:
    """The grammar of every command, in one place; each subcommand names the function that runs it."""
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

    def command(name: str, run, db: bool = True) -> argparse.ArgumentParser:
        help, description = HELP[name]
        found = sub.add_parser(name, parents=[common] if db else [], help=help, description=description)
        found.set_defaults(run=run)
        return found

    a_date = {"type": iso_date, "default": None, "metavar": "YYYY-MM-DD"}
    init = command("init", database.run_init)
    init.add_argument("--demo", action="store_true", help=DEMO)
    command("status", database.run_status)
    command("list", database.run_list).add_argument("what", choices=database.LISTS)

    read = command("minutes", minutes.run_minutes)
    read.add_argument("file", help="the minutes as a text file (UTF-8 or Windows-1252)")
    read.add_argument("--json", action="store_true", help="print the proposal as meeting JSON (data/meetings format)")
    read.add_argument("--apply", action="store_true", help="validate and save the proposal in the database")
    read.add_argument("--date", **a_date, help="the meeting date, when the minutes do not give the year")
    read.add_argument("--by", default="python -m assurance minutes", help="name recorded in the audit trail")

    # Real data in and out (issue 5).
    load = command("import", data.run_import)
    load.add_argument("files", nargs="+", metavar="FILE", help="CSV/XLSX/zip files, or a folder written by export")
    load.add_argument("--replace", action="store_true", help="replace figures already loaded that differ")
    load.add_argument("--no-wait", action="store_true", help="when queued for the dashboard, do not wait for it")
    load.add_argument("--by", default=None, help="name recorded with the load (default: your login name)")
    blank = command("template", data.run_template, db=False)
    blank.add_argument("file", help="where to write it; .xlsx has the metric catalogue and areas as sheets")
    out = command("export", data.run_export)
    out.add_argument("folder", help="the folder to write (created if missing), or `national` for the national export")
    out.add_argument("--format", choices=["csv"], default=None, help="with `national`: the file format (csv)")
    out.add_argument("-o", "--output", default=None, help="with `national`: the file to write (default: stdout)")
    back = command("undo", data.run_undo)
    back.add_argument("load_id", type=int, help="the load's number (see the Data page or status)")
    back.add_argument("--by", default=None, help=BY)

    # Faults (issue 8).
    copy = command("backup", backup.run_backup)
    copy.add_argument("folder", metavar="DIR", help="the folder to write the backup into (created if missing)")
    put = command("restore", backup.run_restore)
    put.add_argument("source", metavar="FILE_OR_DIR", help="a backup file, or a folder of backups (the newest)")
    put.add_argument("--by", default=None, help=BY)

    pack = command("briefing", briefing.run_briefing)
    pack.add_argument("--meeting", required=True, metavar="DATE_OR_ID", help=MEETING)
    pack.add_argument("-o", "--output", default=None, metavar="PDF", help=OUTPUT)
    pack.add_argument("--html", default=None, metavar="HTML", help="also write the same content as one HTML file")
    pack.add_argument("--lpa", default="shropshire", help="the focus LPA, by code or name (default: shropshire)")
    pack.add_argument("--as-of", **a_date, help=AS_OF)
    pack.add_argument("--no-charts", action="store_true", help="leave the charts out (a note stands in for each)")

    many = command("serve", serve.run_serve)
    many.add_argument(
        "--processes", type=int, default=max(1, os.cpu_count() or 1), help="server processes (default: one per CPU)"
    )
    many.add_argument("--port", type=int, default=8501, help="nginx's port (the servers take the next N)")
    many.add_argument(
        "--run-dir", default=None, help="where nginx's files and the servers' logs go (default: a temporary folder)"
    )
    return parser


def report(exc: BaseException) -> int:
    """What a person reads when a command fails, on stderr, and the exit code: the one place for both."""
    if isinstance(exc, AssuranceError):
        print(f"error: {exc}", file=sys.stderr)
        for line in exc.details():
            print(f"  - {line}", file=sys.stderr)
        return exc.exit_code
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    print(f"error: {type(exc).__name__}: {first}", file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message
        return int(exc.code or 0)
    db = database_path(getattr(args, "db", None))
    try:
        return args.run(db, args)
    except Exception as exc:  # a person gets a sentence, never a traceback
        return report(exc)
